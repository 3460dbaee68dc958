"""Series.sort_values / sort_index / nlargest / nsmallest / searchsorted against pandas."""

import jax
import numpy as np
import pandas as pd
import pytest

import jaxframes as jf
from frames import DTYPES, NULLS, SIZES, make_column
from jaxframes.testing import assert_matches_pandas, assert_series_equal


@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("dtype", DTYPES)
def test_sort_values_every_dtype(dtype, n):
    s = make_column(dtype, n, "some").rename("x")
    for ascending in (True, False, [False]):
        for na_position in ("last", "first"):
            assert_matches_pandas(lambda v: v.sort_values(ascending=ascending, na_position=na_position,
                                                          kind="stable"), s)
    assert_matches_pandas(lambda v: v.sort_values(ignore_index=True, kind="stable"), s)


@pytest.mark.parametrize("nulls", NULLS)
def test_filtered_series(nulls):
    s = make_column("Float64", 40, nulls)
    assert_matches_pandas(lambda v: v[v.notna()].sort_values(ascending=False, kind="stable"), s)
    assert_matches_pandas(lambda v: v[v.isna()].sort_values(na_position="first"), s)
    assert_matches_pandas(lambda v: v.sort_values(kind="stable").sort_index(), s)


@pytest.mark.parametrize("call,exc", [
    (lambda v: v.sort_values(na_position="nowhere"), ValueError),
    (lambda v: v.sort_values(ascending=[True, False]), ValueError),
    (lambda v: v.sort_values(axis=2), ValueError),
    (lambda v: v.nlargest(2, keep="none"), ValueError),
])
def test_bad_arguments(call, exc):
    assert_matches_pandas(call, make_column("int64", 7), raises=exc)


def test_nlargest_refuses_strings_like_pandas():
    assert_matches_pandas(lambda v: v.nlargest(2), make_column("str", 7), raises=TypeError)


@pytest.mark.parametrize("keep", ["first", "last", "all"])
@pytest.mark.parametrize("dtype", ["int64", "float64", "Int64", "bool", "boolean", "datetime64[ns]", "int32"])
def test_nlargest_nsmallest(dtype, keep):
    s = make_column(dtype, 30, "some", seed=2)
    for n in (0, 1, 3, 29, 30, 40):
        assert_matches_pandas(lambda v: v.nlargest(n, keep=keep), s)
        assert_matches_pandas(lambda v: v.nsmallest(n, keep=keep), s)


def test_sort_index():
    s = pd.Series([1.5, 2.5, np.nan, 0.5], index=pd.Index(["b", None, "a", "c"], dtype="str", name="k"), name="v")
    for ascending in (True, False):
        for na_position in ("first", "last"):
            assert_matches_pandas(lambda v: v.sort_index(ascending=ascending, na_position=na_position), s)
    assert_matches_pandas(lambda v: v.sort_index(ignore_index=True), s)


def test_sort_values_under_jit():
    s = make_column("float64", 50, "some")
    out = jax.jit(lambda v: v[v > -1].sort_values(ascending=False, na_position="first"))(jf.from_pandas(s))
    assert_series_equal(out, s[s > -1].sort_values(ascending=False, na_position="first", kind="stable"))


@pytest.mark.parametrize("dtype", ["int64", "float64", "str", "datetime64[ns]", "Int64"])
def test_searchsorted(dtype):
    s = make_column(dtype, 30, "none").sort_values(kind="stable").reset_index(drop=True)
    probes = list(s.iloc[[0, 3, 10, 29]])
    if dtype == "str":
        probes += ["a", "zzz", "Apple"]
    else:
        probes += [s.iloc[0] - (s.iloc[1] - s.iloc[0] if dtype != "datetime64[ns]" else pd.Timedelta("1h"))]
    for side in ("left", "right"):
        for value in probes:
            assert_matches_pandas(lambda v: v.searchsorted(value, side=side), s)
        assert_matches_pandas(lambda v: v.searchsorted(probes, side=side), s)


def test_searchsorted_with_sorter():
    s = pd.Series([30, 10, 20, 40, 20])
    sorter = np.argsort(s.to_numpy(), kind="stable")
    assert_matches_pandas(lambda v: v.searchsorted([5, 20, 25, 50], side="right", sorter=sorter), s)
    assert_matches_pandas(lambda v: v.searchsorted(20, side="middle"), s, raises=ValueError)
