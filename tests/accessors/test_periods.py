"""``Series.dt`` of period Series (accessors/periods.py) against pandas: the fields (read from
the period's last day, or its start for ticks; NaT gives -1), start_time/end_time,
to_timestamp, asfreq and strftime, for every family of frequencies, on filtered Series too."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import jaxframes as jf
from jaxframes.testing import assert_one_answer, frame_with_dead_rows

FIELDS = ["year", "month", "day", "hour", "minute", "second", "quarter", "qyear", "day_of_week", "day_of_year",
          "week", "days_in_month", "is_leap_year", "start_time", "end_time"]


def _periods(freq: str) -> pd.Series:
    return pd.Series(pd.period_range("1969-11-30 22:17:03", periods=5, freq=freq)).where(
        [True, False, True, True, True])


@pytest.mark.parametrize("freq", ["M", "Q-NOV", "Q-DEC", "Y-JUN", "W-SUN", "W-WED", "D", "h", "min", "s", "ns"])
def test_fields_and_conversions(freq):
    values = _periods(freq)
    ours = jf.Series(values)
    for name in FIELDS:
        pd.testing.assert_series_equal(getattr(ours.dt, name).to_pandas(), getattr(values.dt, name), obj=name)
    for call in (lambda dt: dt.to_timestamp(), lambda dt: dt.to_timestamp(how="end"),
                 lambda dt: dt.asfreq("D"), lambda dt: dt.asfreq("M", how="start"), lambda dt: dt.asfreq("h", "s"),
                 lambda dt: dt.strftime("%Y-%m-%d %H:%M")):
        pd.testing.assert_series_equal(call(ours.dt).to_pandas(), call(values.dt))
    assert ours.dt.freq == values.dt.freq


@pytest.mark.parametrize("old, new", [("dayofweek", "day_of_week"), ("weekday", "day_of_week"),
                                      ("dayofyear", "day_of_year"), ("daysinmonth", "days_in_month")])
def test_deprecated_aliases_warn_as_pandas(old, new):
    values = _periods("M")
    with pytest.warns(pd.errors.Pandas4Warning, match=f"Series.dt.{old} is deprecated"):
        got = getattr(jf.Series(values).dt, old).to_pandas()
    with pytest.warns(pd.errors.Pandas4Warning, match=f"Series.dt.{old} is deprecated"):
        pd.testing.assert_series_equal(got, getattr(values.dt, old))
    pd.testing.assert_series_equal(got, getattr(values.dt, new))


def test_filtered_and_jitted():
    pdf = pd.DataFrame({"p": _periods("Q-NOV"), "x": [1, 2, 3, 4, 5]})
    dead = frame_with_dead_rows(pdf, [True, True, False, True, False])
    for data in (pdf, dead):
        assert_one_answer(lambda d: d.assign(y=d["p"].dt.year, q=d["p"].dt.quarter, s=d["p"].dt.start_time,
                                             a=d["p"].dt.asfreq("M"), t=d["p"].dt.to_timestamp(how="e")), data)
        assert_one_answer(lambda d: d["p"].dt.strftime("%Y %q"), data, paths=("eager",))


def test_errors():
    ours = jf.Series(_periods("M"))
    with pytest.raises(ValueError, match="how must be one of 'start', 'end', 's', 'e', got 'x'"):
        _periods("M").dt.to_timestamp(how="x")
    with pytest.raises(ValueError, match="how must be one of 'start', 'end', 's', 'e', got 'x'"):
        ours.dt.to_timestamp(how="x")
    with pytest.raises(NotImplementedError, match=r"Series.dt.year of period\[2D\] is not supported"):
        jf.Series(pd.Series(pd.period_range("2024-01-01", periods=2, freq="2D"))).dt.year
    with pytest.raises(NotImplementedError, match="to_timestamp\\(freq=...\\)"):
        ours.dt.to_timestamp(freq="D")
    with pytest.raises(AttributeError, match="Can only use .dt accessor with datetimelike values"):
        jf.Series([1, 2]).dt


def test_datetime_to_period():
    values = pd.Series(pd.to_datetime(["1924-01-31 13:00", None, "2024-03-01", "1969-12-31 23:59:59"], format="ISO8601"))
    for freq in ("D", "M", "Q-NOV", "W-SUN", "h"):
        pd.testing.assert_series_equal(jf.Series(values).dt.to_period(freq).to_pandas(), values.dt.to_period(freq))
    assert_one_answer(lambda s: s.dt.to_period(), pd.Series(pd.to_datetime(["2024-01-31", "2024-02-29",
                                                                            "2024-03-31"])), paths=("eager",))
    assert_one_answer(lambda s: s.dt.to_period(), values, paths=("eager",), raises=ValueError,
                      match="You must pass a freq argument as current index has none")
    aware = pd.Series(pd.date_range("2024-01-30 22:00", periods=3, freq="h", tz="US/Eastern"))
    with pytest.warns(UserWarning, match="drop timezone information"):
        got = jf.Series(aware).dt.to_period("D").to_pandas()
    with pytest.warns(UserWarning, match="drop timezone information"):
        pd.testing.assert_series_equal(got, aware.dt.to_period("D"))
    assert_one_answer(lambda s: s.astype("period[M]"), values, paths=("eager", "jit"))
