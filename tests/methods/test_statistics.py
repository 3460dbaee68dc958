"""Statistics against pandas: corr/cov/corrwith/autocorr, dot, mode, sem/skew/kurt, pct_change,
argmax/argmin/argsort, factorize, is_unique, monotonicity, hasnans, nbytes; nulls, empty and
filtered frames (dead rows that would change the answer), and jit where the result is a number."""

import jax
import numpy as np
import pandas as pd
import pytest

import jaxframes as jf
from frames import make_frame
from jaxframes.testing import assert_matches_pandas, assert_one_answer, assert_same_result, frame_with_dead_rows

NUMERIC = ("int64", "float64", "Int64", "bool", "float32", "Int32", "Float64")


def frame(nulls="some", n=9, seed=0):
    pdf = make_frame(NUMERIC, n=n, nulls=nulls, seed=seed)
    return pdf.rename(columns=dict(zip(pdf.columns, "abcdefg")))


@pytest.mark.parametrize("nulls,n", [("none", 0), ("none", 1), ("some", 3), ("all", 9), ("some", 9), ("some", 200)])
def test_frame_moments(n, nulls):
    pdf = frame(nulls, n)
    for op in ("sem", "skew", "kurt"):
        assert_matches_pandas(lambda df: getattr(df, op)(), pdf)


@pytest.mark.parametrize("op", ["sem", "skew", "kurt", "kurtosis"])
def test_series_moments(op):
    pdf = frame("some", 12)
    for column in "abcdefg":
        assert_matches_pandas(lambda df: getattr(df[column], op)(), pdf)
        assert_matches_pandas(lambda df: getattr(df[column], op)(skipna=False), pdf)


def test_moments_edge_cases_and_errors():
    for values in ([1, 1, 1, 1], [0.1] * 5, [1, 2], [1, 2, 3], [1e9, 1e9 + 1, 1e9 + 3, 1e9 + 7]):
        pdf = pd.DataFrame({"x": values})
        for op in ("sem", "skew", "kurt"):
            assert_matches_pandas(lambda df: getattr(df["x"], op)(), pdf)
    assert_matches_pandas(lambda df: df.sem(ddof=0), frame())
    pdf = pd.DataFrame({"s": ["a", "b", "c"], "x": [1.0, 2.0, 4.0]})
    assert_matches_pandas(lambda df: df["s"].skew(), pdf, raises=TypeError, match="Cannot perform reduction 'skew'")
    assert_matches_pandas(lambda df: df.skew(numeric_only=True), pdf)


def test_moments_on_dead_rows_and_jit():
    pdf = frame("some", 12)
    twin = frame_with_dead_rows(pdf, np.arange(12) % 4 != 1)
    for op in ("sem", "skew", "kurt"):
        assert_one_answer(lambda df: getattr(df["b"], op)(), twin, paths=("eager", "jit"))
        assert_same_result(getattr(twin.ours, op)(), getattr(twin.theirs, op)())


# -- corr / cov -------------------------------------------------------------------------------------
@pytest.mark.parametrize("method", ["pearson", "spearman", "kendall"])
@pytest.mark.parametrize("nulls", ["none", "some"])
def test_frame_corr(method, nulls):
    pdf = frame(nulls, 30)
    assert_matches_pandas(lambda df: df.corr(method=method), pdf)
    assert_matches_pandas(lambda df: df.corr(method=method, min_periods=25), pdf)


@pytest.mark.parametrize("nulls", ["none", "some"])
def test_frame_cov(nulls):
    pdf = frame(nulls, 30)
    assert_matches_pandas(lambda df: df.cov(), pdf)
    assert_matches_pandas(lambda df: df.cov(ddof=0), pdf)
    assert_matches_pandas(lambda df: df.cov(min_periods=25), pdf)


def test_corr_errors_and_edges():
    pdf = pd.DataFrame({"a": [1, 2, 3], "s": ["x", "y", "z"], "k": [5.0, 5.0, 5.0]})
    assert_matches_pandas(lambda df: df.corr(), pdf, raises=ValueError, match="could not convert string to float")
    assert_matches_pandas(lambda df: df.corr(numeric_only=True), pdf)
    assert_matches_pandas(lambda df: df.cov(numeric_only=True), pdf)
    assert_matches_pandas(lambda df: df[["a"]].corr(method="nope"), pdf, raises=ValueError,
                          match="method must be either 'pearson', 'spearman', 'kendall'")
    assert_matches_pandas(lambda df: df[["a", "k"]].corr(), pdf.iloc[:0])


@pytest.mark.parametrize("method", ["pearson", "spearman", "kendall"])
def test_series_corr_cov_autocorr(method):
    pdf = frame("some", 40)
    assert_matches_pandas(lambda df: df["a"].corr(df["b"], method=method), pdf)
    assert_matches_pandas(lambda df: df["c"].corr(df["f"], method=method, min_periods=50), pdf)
    assert_matches_pandas(lambda df: df["b"].cov(df["g"]), pdf)
    assert_matches_pandas(lambda df: df["b"].cov(df["a"], ddof=0), pdf)
    assert_matches_pandas(lambda df: df["b"].autocorr(), pdf)
    assert_matches_pandas(lambda df: df["a"].autocorr(lag=3), pdf)


def test_corr_on_dead_rows():
    pdf = frame("some", 30)
    twin = frame_with_dead_rows(pdf, np.arange(30) % 3 != 0)
    assert_same_result(twin.ours.corr(), twin.theirs.corr())
    assert_same_result(twin.ours.cov(), twin.theirs.cov())
    assert_same_result(twin.ours["a"].corr(twin.ours["b"]), twin.theirs["a"].corr(twin.theirs["b"]))
    assert_one_answer(lambda df: df["a"].corr(df["b"]), twin, paths=("eager", "jit"))


def test_corrwith():
    pdf = frame("some", 30)
    other = frame("some", 30, seed=5)[["b", "a", "c"]].rename(columns={"c": "z"})
    assert_matches_pandas(lambda df: df.corrwith(df["b"]), pdf)
    ours = jf.from_pandas(pdf)
    assert_same_result(ours.corrwith(jf.from_pandas(other)), pdf.corrwith(other))
    assert_same_result(ours.corrwith(jf.from_pandas(other), drop=True), pdf.corrwith(other, drop=True))
    assert_same_result(ours.corrwith(jf.from_pandas(other), method="spearman"), pdf.corrwith(other, method="spearman"))


def test_dot():
    pdf = pd.DataFrame({"a": [1, 2, 3], "b": [0.5, 1.5, -1.0]})
    right = pd.DataFrame({"x": [1.0, 2.0], "y": [3, 4]}, index=["a", "b"])
    ours = jf.from_pandas(pdf)
    assert_same_result(ours.dot(jf.from_pandas(right)), pdf.dot(right))
    assert_same_result(ours @ jf.from_pandas(right), pdf @ right)
    assert_same_result(ours.dot(jf.from_pandas(pd.Series([2.0, 1.0], index=["a", "b"]))),
                       pdf.dot(pd.Series([2.0, 1.0], index=["a", "b"])))
    assert_matches_pandas(lambda df: df["a"].dot(df["b"]), pdf)
    assert_matches_pandas(lambda df: df["a"] @ df["a"], pdf)
    assert_matches_pandas(lambda df: df.dot(np.array([1, 2])), pdf)
    with pytest.raises(ValueError, match="matrices are not aligned"):
        ours.dot(jf.from_pandas(right.set_axis(["a", "q"])))


# -- mode ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", ["int64", "float64", "Int64", "bool", "str", "datetime64[ns]"])
@pytest.mark.parametrize("nulls", ["none", "some"])
def test_series_mode(dtype, nulls):
    pdf = make_frame((dtype,), n=15, nulls=nulls)
    assert_matches_pandas(lambda df: df["c0"].mode(), pdf)
    assert_matches_pandas(lambda df: df["c0"].mode(dropna=False), pdf)


def test_frame_mode():
    pdf = pd.DataFrame({"a": [1, 1, 2, 2, 3], "b": [1.5, 2.5, 2.5, None, None], "s": list("xyzzx")})
    assert_matches_pandas(lambda df: df.mode(), pdf)
    assert_matches_pandas(lambda df: df.mode(dropna=False), pdf)
    assert_matches_pandas(lambda df: df.mode(numeric_only=True), pdf)
    assert_matches_pandas(lambda df: df["a"].mode(), pdf.iloc[:0])


# -- pct_change --------------------------------------------------------------------------------------
@pytest.mark.parametrize("periods", [1, 2, -1])
def test_pct_change(periods):
    pdf = frame("some", 10)[["a", "b", "c", "e"]].abs() + 1
    assert_matches_pandas(lambda df: df.pct_change(periods=periods), pdf)
    assert_matches_pandas(lambda df: df["b"].pct_change(periods=periods), pdf)
    assert_matches_pandas(lambda df: df["a"].pct_change(fill_method="ffill"), pdf, raises=ValueError,
                          match="fill_method")


def test_pct_change_on_dead_rows():
    pdf = frame("some", 10)[["a", "b"]]
    twin = frame_with_dead_rows(pdf, np.arange(10) % 3 != 2)
    assert_same_result(twin.ours.pct_change(), twin.theirs.pct_change())


# -- positions -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", ["int64", "float64", "Int64", "str", "datetime64[ns]"])
@pytest.mark.parametrize("nulls", ["none", "some"])
def test_argmax_argmin_argsort(dtype, nulls):
    pdf = make_frame((dtype,), n=11, nulls=nulls)
    for op in ("argmax", "argmin"):
        assert_matches_pandas(lambda df: getattr(df["c0"], op)(), pdf)
    # always stable: pandas' default quicksort may order ties differently, kind='stable' is the match
    assert_matches_pandas(lambda df: df["c0"].argsort(kind="stable"), pdf)
    twin = frame_with_dead_rows(pdf, np.arange(11) % 3 != 1)
    assert_same_result(twin.ours["c0"].argmax(), twin.theirs["c0"].argmax())
    assert_same_result(twin.ours["c0"].argsort(), twin.theirs["c0"].argsort(kind="stable"))


def test_arg_errors():
    empty = pd.DataFrame({"x": pd.Series([], dtype="float64")})
    assert_matches_pandas(lambda df: df["x"].argmax(), empty, raises=ValueError, match="empty sequence")
    nans = pd.DataFrame({"x": [np.nan, np.nan]})
    assert_matches_pandas(lambda df: df["x"].argmin(), nans, raises=ValueError, match="all NA")
    assert_matches_pandas(lambda df: df["x"].argmin(skipna=False), pd.DataFrame({"x": [1.0, np.nan]}),
                          raises=ValueError, match="skipna=False")


@pytest.mark.parametrize("dtype", ["int64", "float64", "Int64", "str", "bool"])
@pytest.mark.parametrize("sort", [False, True])
def test_factorize(dtype, sort):
    pdf = make_frame((dtype,), n=13, nulls="some")
    codes, uniques = jf.from_pandas(pdf)["c0"].factorize(sort=sort)
    want_codes, want_uniques = pdf["c0"].factorize(sort=sort)
    np.testing.assert_array_equal(codes, want_codes)
    pd.testing.assert_index_equal(uniques, want_uniques)
    twin = frame_with_dead_rows(pdf, np.arange(13) % 4 != 0)
    codes, uniques = twin.ours["c0"].factorize(sort=sort)
    want_codes, want_uniques = twin.theirs["c0"].factorize(sort=sort)
    np.testing.assert_array_equal(codes, want_codes)
    pd.testing.assert_index_equal(uniques, want_uniques)


@pytest.mark.parametrize("sort", [False, True])
def test_factorize_without_na_sentinel(sort):
    pdf = pd.DataFrame({"x": [2.0, None, 1.0, 2.0]})
    codes, uniques = jf.from_pandas(pdf)["x"].factorize(sort=sort, use_na_sentinel=False)
    want_codes, want_uniques = pdf["x"].factorize(sort=sort, use_na_sentinel=False)
    np.testing.assert_array_equal(codes, want_codes)
    pd.testing.assert_index_equal(uniques, want_uniques)


# -- properties --------------------------------------------------------------------------------------
@pytest.mark.parametrize("values", [[1, 2, 2, 5], [5, 3, 3, 1], [1, 3, 2], [], [1.0, None, 2.0], ["a", "b", "c"],
                                    ["b", "a"], [True, True], [4]], ids=str)
def test_properties(values):
    pdf = pd.DataFrame({"x": pd.Series(values, dtype=None if values else "float64")})
    for prop in ("is_unique", "is_monotonic_increasing", "is_monotonic_decreasing", "hasnans", "nbytes"):
        assert_matches_pandas(lambda df: getattr(df["x"], prop), pdf)


def test_properties_ignore_dead_rows():
    pdf = pd.DataFrame({"x": [9.0, 1.0, np.nan, 2.0, 1.0, 3.0]})
    twin = frame_with_dead_rows(pdf, [False, True, False, True, False, True])
    for prop in ("is_unique", "is_monotonic_increasing", "is_monotonic_decreasing", "hasnans", "nbytes"):
        assert getattr(twin.ours["x"], prop) == getattr(twin.theirs["x"], prop), prop
    pdf = pd.DataFrame({"x": pd.array([1, None, 3], dtype="Int64")})
    assert_matches_pandas(lambda df: df["x"].nbytes, pdf)
    assert_matches_pandas(lambda df: df["x"].hasnans, pdf)


def test_skew_inside_jit_is_a_device_value():
    df = jf.from_pandas(frame("none", 9))
    out = jax.jit(lambda d: d["b"].skew())(df)
    np.testing.assert_allclose(float(out), frame("none", 9)["b"].skew())
