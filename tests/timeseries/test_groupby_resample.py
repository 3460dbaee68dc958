"""groupby(...).resample(...) against pandas: per-group bins, empty bins, on=, selections."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from jaxframes.testing import assert_matches_pandas, assert_same_result, frame_with_dead_rows
import jaxframes as jf


def _frame(n: int = 40, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    t = pd.Timestamp("2024-05-01 22:13") + pd.to_timedelta(np.sort(rng.integers(0, 12 * 3600, n)), unit="s")
    return pd.DataFrame({"g": rng.choice(["a", "b", "c"], n), "k": rng.integers(0, 2, n),
                         "v": rng.integers(0, 9, n), "w": rng.normal(size=n).round(2)}, index=pd.DatetimeIndex(t))


@pytest.mark.parametrize("how", ["sum", "max", "first", "size"])
def test_aggregations(how: str) -> None:
    assert_matches_pandas(lambda x: getattr(x.groupby("g").resample("h"), how)(), _frame().drop(columns="k"))
    assert_matches_pandas(lambda x: getattr(x.groupby(["g", "k"])["w"].resample("2h"), how)(), _frame())


def test_forms_and_filtered_rows() -> None:
    df = _frame()
    assert_matches_pandas(lambda x: x.groupby("g").resample("90min", closed="right", label="right").agg(
        {"v": "sum", "w": ["min", "max"]}), df.drop(columns="k"))
    on = df.drop(columns="k").reset_index(names="t")
    assert_matches_pandas(lambda x: x.groupby("g").resample("h", on="t").sum(), on)
    twin = frame_with_dead_rows(df.drop(columns="k"), np.arange(len(df)) % 3 != 0)
    assert_same_result(twin.ours.groupby("g").resample("h").mean(), twin.theirs.groupby("g").resample("h").mean())
    assert_matches_pandas(lambda x: x.groupby("g").resample("ME").sum(), df.drop(columns="k"))  # one bin each
    months = df.drop(columns="k").set_axis(df.index + pd.to_timedelta(np.arange(len(df)) * 3, unit="D"))
    with pytest.raises(NotImplementedError, match="calendar rules"):
        jf.from_pandas(months).groupby("g").resample("ME").sum()
