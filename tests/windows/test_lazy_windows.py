"""Windows in the lazy engine (nodes.WindowCall): one answer eagerly, lazily and under jit, fused
with the elementwise steps around them, never crossed by a pushed-down filter or limit."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import jaxframes as jf
from jaxframes.exec.lower import split_chain
from jaxframes.plan import nodes as N
from jaxframes.testing import assert_one_answer, frame_with_dead_rows

DATA = pd.DataFrame({"a": [1.0, 2.0, np.nan, 4.0, 5.0, 6.0, np.nan, 8.0],
                     "b": [3, 1, 4, 1, 5, 9, 2, 6]})
# dead rows between live ones: a window over all physical rows would see them
DEAD = frame_with_dead_rows(DATA, [True, False, True, True, False, True, True, True])


@pytest.mark.parametrize("op", [
    lambda d: d.rolling(3).mean(),
    lambda d: d.rolling(3, min_periods=1, center=True).sum(),
    lambda d: d.rolling(2, closed="left", min_periods=1).max(),
    lambda d: d.expanding(min_periods=2).std(),
    lambda d: d.ewm(span=3).mean(),
    lambda d: d.ewm(alpha=0.5, adjust=False, ignore_na=True).mean(),
], ids=["rolling-mean", "rolling-center-sum", "rolling-closed-max", "expanding-std", "ewm-mean", "ewm-adjust-false"])
@pytest.mark.parametrize("data", [DATA, DEAD, DATA.iloc[:0]], ids=["plain", "dead-rows", "empty"])
def test_one_answer_on_every_path(op, data):
    assert_one_answer(op, data)


def test_time_window_lazily():
    pdf = pd.DataFrame({"t": pd.to_datetime(["2024-01-01 00:00:00", "2024-01-01 00:00:01", "2024-01-01 00:00:03",
                                             "2024-01-01 00:00:06", "2024-01-01 00:00:07"]),
                        "v": [1.0, 2.0, np.nan, 4.0, 5.0]})
    assert_one_answer(lambda d: d.rolling("3s", on="t").sum(), pdf, paths=("eager", "lazy"))


def test_a_later_filter_stays_above_the_window():
    """rows_a_filter_keeps -> windows would differ: the optimizer must not push it below."""
    assert_one_answer(lambda d: d.rolling(2, min_periods=1).sum().query("b > 4"), DATA, paths=("eager", "lazy"))
    assert_one_answer(lambda d: d.rolling(2, min_periods=1).sum().head(3), DATA, paths=("eager", "lazy"))


def test_fuses_with_elementwise_steps():
    lf = jf.from_pandas(DATA).lazy().with_columns((jf.col("a") * 2).alias("c")).rolling(2).mean()
    chain, base = split_chain(lf.optimized_plan())
    assert [type(n) for n in chain] == [N.WithColumns, N.WindowCall] and isinstance(base, N.DataFrameScan)
    assert "WINDOW rolling(2).mean()" in lf.explain()
    expected = DATA.assign(c=DATA["a"] * 2).rolling(2).mean()
    pd.testing.assert_frame_equal(lf.collect().to_pandas(), expected)


def test_bad_window_arguments_raise_when_the_step_is_built():
    lf = jf.from_pandas(DATA).lazy()
    with pytest.raises(ValueError, match="window must be an integer 0 or greater"):
        DATA.rolling(-1).mean()
    with pytest.raises(ValueError, match="window must be an integer 0 or greater"):
        lf.rolling(-1).mean()


def test_streaming_windows_see_the_whole_input(tmp_path):
    """A window is not row-local: streamed batches are joined before it runs."""
    pdf = pd.DataFrame({"v": np.arange(40, dtype=np.float64)})
    path = tmp_path / "v.parquet"
    pdf.to_parquet(path, row_group_size=8)
    got = jf.scan_parquet(path).rolling(5).sum().collect(streaming=True)
    pd.testing.assert_frame_equal(got.to_pandas(), pdf.rolling(5).sum())
