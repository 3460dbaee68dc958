"""Group-by statistics (GroupByStatisticsMethods) against pandas: segmented moments, quantile,
idxmax/idxmin, corr/cov, ngroup, ohlc, value_counts, describe, ffill/bfill, pct_change,
groups/indices, pipe, sample, attributes; null keys, filtered frames, and the refusals."""

import numpy as np
import pandas as pd
import pytest

import jaxframes as jf
from jaxframes.testing import assert_matches_pandas, assert_same_result, frame_with_dead_rows

PDF = pd.DataFrame({
    "k": [1, 1, 2, 2, 2, 3, 1, 2, 3, 3],
    "i": [1, 5, 2, 2, 3, 4, 0, 7, 4, 4],
    "f": [1.0, np.nan, 3, 4, np.nan, np.nan, 2.5, 1, 0.5, 8],
    "I": pd.array([1, None, 3, 4, 5, 6, 2, None, 9, 1], dtype="Int64"),
    "f32": np.array([1, 2, 3, 4, 5, 6, 7, 9, 2, 2], dtype="float32"),
})
NULL_KEYS = PDF.assign(k=[1.0, np.nan, 2, 2, 2, 3, 1, np.nan, 3, 3])


@pytest.mark.parametrize("op", ["sem", "skew", "kurt"])
def test_moments(op):
    assert_matches_pandas(lambda df: getattr(df.groupby("k"), op)(), PDF)
    assert_matches_pandas(lambda df: getattr(df.groupby("k")["f"], op)(), PDF)
    assert_matches_pandas(lambda df: getattr(df.groupby("k", sort=False), op)(), NULL_KEYS)


def test_moments_constant_group_and_ddof():
    pdf = pd.DataFrame({"k": [1, 1, 1, 1, 2], "x": [2.0, 2, 2, 2, 1]})
    for op in ("skew", "kurt", "sem"):
        assert_matches_pandas(lambda df: getattr(df.groupby("k"), op)(), pdf)
    assert_matches_pandas(lambda df: df.groupby("k").sem(ddof=0), PDF)


@pytest.mark.parametrize("interpolation", ["linear", "lower", "higher", "midpoint", "nearest"])
def test_quantile(interpolation):
    for q in (0.0, 0.3, 0.5, 1.0):
        assert_matches_pandas(lambda df: df.groupby("k").quantile(q, interpolation=interpolation), PDF)
    assert_matches_pandas(lambda df: df.groupby("k").quantile(1.5), PDF, raises=ValueError, match="between 0 and 1")


def test_idxmax_idxmin():
    assert_matches_pandas(lambda df: df.groupby("k")[["i", "f32", "I"]].idxmax(), PDF.drop(index=7))
    assert_matches_pandas(lambda df: df.groupby("k")["i"].idxmin(), PDF)
    assert_matches_pandas(lambda df: df.set_axis(list("abcdefghij")).groupby("k")["f32"].idxmin(), PDF)
    assert_matches_pandas(lambda df: df.groupby("k")["f"].idxmax(), PDF.assign(f=np.where(PDF["k"] == 1, np.nan, 1.0)),
                          raises=ValueError, match="encountered all NA values in a group")


def test_corr_cov():
    assert_matches_pandas(lambda df: df.groupby("k").corr(), PDF)
    assert_matches_pandas(lambda df: df.groupby("k").cov(), PDF)
    assert_matches_pandas(lambda df: df.groupby("k").cov(ddof=0), PDF)
    assert_matches_pandas(lambda df: df.groupby("k").corr(min_periods=3), PDF)
    assert_matches_pandas(lambda df: df.groupby("k")["i"].corr(df["f"]), PDF)
    assert_matches_pandas(lambda df: df.groupby("k")["i"].cov(df["f32"]), PDF)


def test_ngroup_and_per_row_results():
    for pdf in (PDF, NULL_KEYS):
        assert_matches_pandas(lambda df: df.groupby("k").ngroup(), pdf)
        assert_matches_pandas(lambda df: df.groupby("k", sort=False).ngroup(ascending=False), pdf)
        assert_matches_pandas(lambda df: df.groupby("k").ffill(), pdf)
        assert_matches_pandas(lambda df: df.groupby("k").bfill(), pdf)
        assert_matches_pandas(lambda df: df.groupby("k")["f"].ffill(limit=1), pdf)
        assert_matches_pandas(lambda df: df.groupby("k")[["i", "f"]].pct_change(), pdf)
        assert_matches_pandas(lambda df: df.groupby("k")["f"].pct_change(periods=2), pdf)


def test_ohlc_describe_value_counts():
    for column in ("i", "f", "I"):
        assert_matches_pandas(lambda df: df.groupby("k")[column].ohlc(), PDF)
        assert_matches_pandas(lambda df: df.groupby("k")[column].describe(), PDF)
    assert_matches_pandas(lambda df: df.groupby("k")["f"].describe(percentiles=[0.1, 0.9]), PDF)
    assert_matches_pandas(lambda df: df.groupby("k")["i"].value_counts(), PDF)
    assert_matches_pandas(lambda df: df.groupby("k")["i"].value_counts(normalize=True), PDF)
    assert_matches_pandas(lambda df: df.groupby("k")["i"].value_counts(ascending=True), PDF)
    with pytest.raises(NotImplementedError, match="select one column"):
        jf.from_pandas(PDF).groupby("k").ohlc()


@pytest.mark.parametrize("dtype", ["Int64", "boolean", "string", "Float64", "int64[pyarrow]", "str", "float64"])
def test_value_counts_keeps_pandas_dtypes(dtype):
    """The value level keeps the column's dtype and the counts follow its family (Int64 counts
    for masked values): a nullable int level once came back as float64 with int64 counts."""
    values = pd.Series([3, None, 3, 4, 4, 3, None, 4, 4, 1], dtype="Float64").astype(dtype) if dtype != "str" \
        else pd.Series(["a", None, "a", "b", "b", "a", None, "b", "b", "c"], dtype="str")
    if dtype == "boolean":
        values = pd.Series([True, None, True, False, False, True, None, False, False, True], dtype="boolean")
    pdf = pd.DataFrame({"k": PDF["k"], "v": values})
    for kwargs in ({}, {"dropna": False}, {"normalize": True}):
        if dtype == "int64[pyarrow]" and kwargs.get("normalize"):  # pandas: double[pyarrow], not held
            with pytest.raises(NotImplementedError, match="double\\[pyarrow\\]"):
                jf.from_pandas(pdf).groupby("k")["v"].value_counts(**kwargs)
            continue
        assert_matches_pandas(lambda df: df.groupby("k")["v"].value_counts(**kwargs), pdf)


def test_groups_indices_attributes():
    df, pdf = jf.from_pandas(PDF), PDF
    g, pg = df.groupby("k"), pdf.groupby("k")
    assert {k: list(v) for k, v in g.groups.items()} == {k: list(v) for k, v in pg.groups.items()}
    assert {k: list(v) for k, v in g.indices.items()} == {k: list(v) for k, v in pg.indices.items()}
    assert (g.ndim, g["i"].ndim) == (pg.ndim, pg["i"].ndim)
    pd.testing.assert_series_equal(g["i"].dtype, pg["i"].dtype)
    assert_same_result(g.pipe(lambda x, n: x.sum() * n, 2), pg.pipe(lambda x, n: x.sum() * n, 2))
    assert_same_result(g["i"].is_monotonic_increasing, pg["i"].is_monotonic_increasing)
    assert_same_result(g["f"].is_monotonic_decreasing, pg["f"].is_monotonic_decreasing)


def test_sample_follows_pandas_seed():
    for kw in ({"n": 1, "random_state": 3}, {"frac": 0.5, "random_state": 1}, {"n": 3, "replace": True,
                                                                                 "random_state": 0}):
        assert_matches_pandas(lambda df: df.groupby("k").sample(**kw), PDF)
        assert_matches_pandas(lambda df: df.groupby("k")["i"].sample(**kw), PDF)


def test_on_dead_rows():
    twin = frame_with_dead_rows(PDF, np.arange(len(PDF)) % 4 != 2)
    for op in (lambda d: d.groupby("k").skew(), lambda d: d.groupby("k").quantile(0.4),
               lambda d: d.groupby("k")["i"].idxmax(), lambda d: d.groupby("k").ffill(),
               lambda d: d.groupby("k").ngroup(), lambda d: d.groupby("k").corr(),
               lambda d: d.groupby("k")["i"].value_counts(), lambda d: d.groupby("k").sem()):
        assert_same_result(op(twin.ours), op(twin.theirs))


def test_refusals_name_the_case():
    g = jf.from_pandas(PDF).groupby("k")
    with pytest.raises(NotImplementedError, match="list of q"):
        g.quantile([0.1, 0.2])
