"""Series/DataFrame.to_period and to_timestamp (timeseries/periods.py): the index converted
between a DatetimeIndex and a PeriodIndex on device, with pandas' frequency inference, its
errors, and filtered frames (a dead label must not decide the inferred frequency)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import jaxframes as jf
from jaxframes.testing import assert_one_answer, frame_with_dead_rows

DAILY = pd.DataFrame({"a": [1.0, 2.0, 3.0, 4.0]}, index=pd.date_range("1969-12-30", periods=4, freq="D"))
MONTH_ENDS = pd.DataFrame({"a": [1, 2, 3, 4]}, index=pd.to_datetime(["2024-01-31", "2024-02-29", "2024-03-31",
                                                                    "2024-04-30"]))
IRREGULAR = pd.DataFrame({"a": [1, 2, 3]}, index=pd.to_datetime(["2024-01-01", "2024-03-05", "2024-01-02"]))
EAGER_JIT = ("eager", "jit")


@pytest.mark.parametrize("op", [
    lambda d: d.to_period("M"),
    lambda d: d.to_period("W-WED").to_timestamp(),
    lambda d: d.to_period("Q-NOV").to_timestamp(how="end"),
    lambda d: d["a"].to_period("Y-JUN"),
    lambda d: d.to_period("h").to_timestamp(how="s"),
], ids=["month", "week-start", "quarter-end", "series-year", "hour"])
@pytest.mark.parametrize("data", [DAILY, IRREGULAR, DAILY.iloc[:0]], ids=["daily", "irregular", "empty"])
def test_with_a_frequency(op, data):
    assert_one_answer(op, data, paths=EAGER_JIT)


def test_inferred_frequency():
    assert_one_answer(lambda d: d.to_period(), DAILY, paths=("eager",))
    assert_one_answer(lambda d: d.to_period(), MONTH_ENDS, paths=("eager",))
    # the live labels are month ends; the dead one would spoil the inference
    spoilt = pd.concat([MONTH_ENDS, IRREGULAR.iloc[1:2]]).sort_index()
    assert_one_answer(lambda d: d.to_period(), frame_with_dead_rows(spoilt, ~spoilt.index.isin(IRREGULAR.index)),
                      paths=("eager",))
    assert_one_answer(lambda d: d.to_period(), IRREGULAR, paths=("eager",), raises=ValueError,
                      match="You must pass a freq argument as current index has none")


@pytest.mark.parametrize("op, error, match", [
    (lambda d: d.reset_index().to_period("M"), TypeError, "unsupported Type RangeIndex"),
    (lambda d: d.to_timestamp(), TypeError, "unsupported Type DatetimeIndex"),
    (lambda d: d.to_period("M").to_timestamp(how="x"), ValueError, "how must be one of 'start', 'end', 's', 'e'"),
    (lambda d: d.to_period("nonsense"), ValueError, "Invalid frequency: nonsense"),
])
def test_errors(op, error, match):
    assert_one_answer(op, DAILY, paths=("eager",), raises=error, match=match)


@pytest.mark.filterwarnings("ignore:PeriodDtype\\[B\\] is deprecated:FutureWarning")
def test_refusals():
    ours = jf.from_pandas(DAILY)
    with pytest.raises(NotImplementedError, match="to_period\\(axis=1\\)"):
        ours.to_period("M", axis=1)
    with pytest.raises(NotImplementedError, match=r"to_period of period\[2D\] is not supported"):
        ours.to_period("2D")
    with pytest.raises(NotImplementedError, match=r"to_period of period\[B\] is not supported"):
        ours.to_period("B")


def test_period_index_round_trip_and_selection():
    pdf = pd.DataFrame({"a": np.arange(6.0)}, index=pd.period_range("2023Q3", periods=6, freq="Q"))
    assert_one_answer(lambda d: d[d["a"] > 1.0].to_timestamp(), pdf, paths=EAGER_JIT)
    assert_one_answer(lambda d: d.sort_index(ascending=False), pdf, paths=EAGER_JIT)
    assert_one_answer(lambda d: d.loc[pd.Period("2024Q2", "Q")], pdf, paths=("eager",))
