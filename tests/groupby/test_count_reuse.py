"""groupby count next to sums/means/mins of the same columns: the count is read from the
one-pass reduction (aggregations._present_count) or, for a column that holds no null, from the
group sizes; either way it must equal pandas' count (NaN and NA not counted, dead rows not seen)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import jaxframes as jf


def _frame(n: int = 400) -> pd.DataFrame:
    rng = np.random.default_rng(11)
    return pd.DataFrame({
        "k": rng.integers(0, 7, n),
        "s": rng.choice(["a", "b", "c"], n),
        "f": np.where(rng.random(n) < 0.2, np.nan, rng.normal(size=n)),
        "m": pd.array(np.where(rng.random(n) < 0.3, None, rng.integers(-5, 9, n)), dtype="Int64"),
        "i": rng.integers(0, 100, n),
        "g": pd.array(np.where(rng.random(n) < 0.25, None, rng.normal(size=n)), dtype="Float64"),
    })


SPECS = dict(fs=("f", "sum"), fc=("f", "count"), fm=("f", "mean"), ms=("m", "sum"), mc=("m", "count"),
             mx=("m", "max"), iS=("i", "sum"), ic=("i", "count"), gs=("g", "sum"), gc=("g", "count"))


@pytest.mark.parametrize("keys", ["k", ["s", "k"]])
@pytest.mark.parametrize("filtered", [False, True])
def test_count_beside_reductions_equals_pandas(keys, filtered):
    pdf = _frame()
    jdf = jf.DataFrame(pdf)
    if filtered:  # dead rows (a row mask) must not be counted
        pdf, jdf = pdf[pdf["i"] > 30], jdf[jdf["i"] > 30]
    want = pdf.groupby(keys, as_index=False).agg(**SPECS)
    got = jdf.groupby(keys, as_index=False).agg(**SPECS).to_pandas()
    pd.testing.assert_frame_equal(got, want)


def test_count_alone_of_a_column_without_nulls():
    pdf = _frame()[["k", "i"]]
    want = pdf.groupby("k").agg(c=("i", "count"))
    got = jf.DataFrame(pdf).groupby("k").agg(c=("i", "count")).to_pandas()
    pd.testing.assert_frame_equal(got, want)


def test_count_beside_std_and_median_equals_pandas():
    """Moments kept on the grouping (std, median: another kind of entry) are not taken for counts."""
    pdf = _frame()
    specs = dict(fd=("f", "std"), fq=("f", "median"), fc=("f", "count"), fs=("f", "sum"), gd=("g", "std"),
                 gc=("g", "count"))
    want = pdf.groupby("k").agg(**specs)
    got = jf.DataFrame(pdf).groupby("k").agg(**specs).to_pandas()
    pd.testing.assert_frame_equal(got, want)
