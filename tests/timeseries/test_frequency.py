"""shift(freq=), asfreq, at_time, between_time, the top-level date helpers, and the refusals
(timezones, periods) against pandas."""

from __future__ import annotations

import datetime

import numpy as np
import pandas as pd
import pytest

import jaxframes as jf
from jaxframes.testing import assert_matches_pandas, assert_same_result, frame_with_dead_rows


def _frame(n: int = 12, freq: str | None = "7h", seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    if freq is None:
        idx = pd.DatetimeIndex(pd.Timestamp("2024-01-30 09:00") + pd.to_timedelta(
            np.sort(rng.choice(200, n, replace=False)) * 45, unit="min"))
    else:
        idx = pd.date_range("2024-01-30 09:00", periods=n, freq=freq)
    return pd.DataFrame({"a": rng.integers(0, 9, n), "b": rng.normal(size=n).round(2),
                         "s": rng.choice(["x", "y"], n)}, index=idx)


@pytest.mark.parametrize("freq, periods", [("h", 1), ("2D", -2), (pd.Timedelta("90s"), 3), ("ME", 1), ("B", -2)])
def test_shift_freq(freq, periods) -> None:
    # from_pandas does not keep a DatetimeIndex's freq (pandas would carry it through the shift)
    assert_matches_pandas(lambda x: x.shift(periods, freq=freq), _frame(), check_freq=False)
    assert_matches_pandas(lambda x: x["b"].shift(periods, freq=freq), _frame(freq=None))


def test_shift_freq_errors() -> None:
    df = _frame().reset_index(drop=True)
    assert_matches_pandas(lambda x: x.shift(freq="h"), df, raises=NotImplementedError, match="RangeIndex")


@pytest.mark.parametrize("freq, method", [("3h", None), ("h", "ffill"), ("2D", "bfill"), ("7h", None)])
def test_asfreq(freq, method) -> None:
    assert_matches_pandas(lambda x: x.asfreq(freq, method=method), _frame()[["a", "b"]])
    assert_matches_pandas(lambda x: x["b"].asfreq(freq, method=method), _frame(freq=None)[["a", "b", "s"]])


def test_asfreq_fill_value_empty_and_dead_rows() -> None:
    df = _frame()[["a", "b"]]
    assert_matches_pandas(lambda x: x.asfreq("3h", fill_value=0), df)
    assert_matches_pandas(lambda x: x.asfreq("3h", fill_value=0.5), df)
    assert_matches_pandas(lambda x: x.asfreq("3h"), df.iloc[:0])
    assert_matches_pandas(lambda x: x.asfreq("3h"), df.iloc[::-1])
    twin = frame_with_dead_rows(df, np.arange(len(df)) % 3 != 0)
    assert_same_result(twin.ours.asfreq("h", method="ffill"), twin.theirs.asfreq("h", method="ffill"))
    assert_same_result(twin.ours.asfreq("h"), twin.theirs.asfreq("h"))
    dup = df.iloc[[0, 0, 1]]
    assert_matches_pandas(lambda x: x.asfreq("h"), dup, raises=ValueError, match="duplicate labels")


@pytest.mark.parametrize("when", ["09:00", "16:00", datetime.time(23, 0), "2:00"])
def test_at_time(when) -> None:
    assert_matches_pandas(lambda x: x.at_time(when), _frame(), check_freq=False)


@pytest.mark.parametrize("start, end, inclusive", [("08:00", "17:00", "both"), ("20:00", "04:00", "neither"),
                                                   ("09:00", "09:00", "left"), ("09:45", "21:00", "right")])
def test_between_time(start, end, inclusive) -> None:
    assert_matches_pandas(lambda x: x.between_time(start, end, inclusive=inclusive), _frame(freq=None))


def test_time_of_day_errors() -> None:
    df = _frame().reset_index(drop=True)
    assert_matches_pandas(lambda x: x.at_time("09:00"), df, raises=TypeError, match="DatetimeIndex")
    assert_matches_pandas(lambda x: x.between_time("09:00", "10:00"), df, raises=TypeError, match="DatetimeIndex")


def test_top_level_helpers() -> None:
    idx = jf.date_range("2024-01-01", periods=5, freq="h")
    pd.testing.assert_index_equal(idx, pd.date_range("2024-01-01", periods=5, freq="h"))
    pd.testing.assert_index_equal(jf.bdate_range("2024-01-01", periods=5), pd.bdate_range("2024-01-01", periods=5))
    pd.testing.assert_index_equal(jf.timedelta_range("1h", periods=3), pd.timedelta_range("1h", periods=3))
    frame = jf.DataFrame({"v": [1, 2, 3, 4, 5]}, index=idx)
    assert_same_result(frame, pd.DataFrame({"v": [1, 2, 3, 4, 5]}, index=idx), check_freq=False)
    assert jf.infer_freq(idx) == "h"
    assert jf.infer_freq(jf.Series(idx)) == "h"
    for s in (pd.Series([1, 2, None], dtype="Int64"), pd.Series([1, 2, 3]), pd.Series(["1h", "2 days", None]),
              pd.Series([1.5, 2.0])):
        for unit in (None, "s", "h"):
            if s.dtype == "str" and unit is not None:
                continue
            assert_matches_pandas(lambda x: jf.to_timedelta(x, unit=unit) if not isinstance(x, pd.Series)
                                  else pd.to_timedelta(x, unit=unit), s)
    assert jf.to_timedelta("1h") == pd.Timedelta("1h")
    assert_matches_pandas(lambda x: jf.to_timedelta(x) if not isinstance(x, pd.Series) else pd.to_timedelta(x),
                          pd.Series(["1h", "nope"]), raises=ValueError)


def test_period_refusals() -> None:
    """Period frequencies with a multiple (the index's own 7h, or 2D) are refused by name; a
    Series without a PeriodIndex raises pandas' TypeError."""
    ours = jf.from_pandas(_frame())
    for call, freq in ((lambda: ours.to_period(), "7h"), (lambda: ours.to_period("2D"), "2D")):
        with pytest.raises(NotImplementedError, match=rf"to_period of period\[{freq}\] is not supported"):
            call()
    with pytest.raises(TypeError, match="unsupported Type DatetimeIndex"):
        ours["a"].to_timestamp()


def test_series_asof() -> None:
    s = pd.Series([1.0, np.nan, 3, 4], index=pd.to_datetime(["2020-01-01", "2020-01-02", "2020-01-03", "2020-01-05"]))
    for where in ("2020-01-02", "2019-01-01", pd.Timestamp("2020-01-04"), "2020-02-01"):
        assert_matches_pandas(lambda x: x.asof(where), s)
    assert_matches_pandas(lambda x: x.asof(pd.DatetimeIndex(["2020-01-02", "2019-12-01", "2020-01-09"])), s)
    ints = pd.Series([1, 2, 3], index=[1, 2, 5])
    for where in (3, 0, [0, 2, 7]):
        assert_matches_pandas(lambda x: x.asof(where), ints)
    assert_matches_pandas(lambda x: x.asof("2020-01-02"), s.iloc[::-1], raises=ValueError, match="sorted index")
    twin = frame_with_dead_rows(s.to_frame("v"), np.array([True, True, False, True]))
    assert_same_result(twin.ours["v"].asof("2020-01-04"), twin.theirs["v"].asof("2020-01-04"))
