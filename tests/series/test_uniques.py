"""Series.unique / nunique / value_counts / duplicated / drop_duplicates / isin / between."""

import jax
import numpy as np
import pandas as pd
import pytest

import jaxframes as jf
from frames import DTYPES, SIZES, make_column, spread
from jaxframes.testing import assert_matches_pandas, assert_series_equal


def _assert_same_array(got, expected):
    assert type(got) is type(expected), (type(got), type(expected))
    if isinstance(expected, np.ndarray):
        np.testing.assert_array_equal(got, expected)
        assert got.dtype == expected.dtype
    else:
        pd.testing.assert_extension_array_equal(got, expected)


@pytest.mark.parametrize(("dtype", "n"), spread(DTYPES, SIZES, stride=2))
def test_unique_order_of_first_appearance(dtype, n):
    s = make_column(dtype, n, "some").rename("x")
    _assert_same_array(jf.from_pandas(s).unique(), s.unique())
    filtered = s[s.notna()].iloc[::2]
    _assert_same_array(jf.from_pandas(s)[jf.from_pandas(s).notna()].iloc[::2].unique(), filtered.unique())
    for dropna in (True, False):
        assert_matches_pandas(lambda v: v.nunique(dropna=dropna), s)


@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("dtype", DTYPES)
def test_value_counts(dtype, n):
    s = make_column(dtype, n, "some").rename("x")
    for normalize in (False, True):
        for dropna in (True, False):
            assert_matches_pandas(lambda v: v.value_counts(normalize=normalize, dropna=dropna), s)
    assert_matches_pandas(lambda v: v.value_counts(ascending=True, dropna=False), s)
    assert_matches_pandas(lambda v: v.value_counts(sort=False, dropna=False), s)
    assert_matches_pandas(lambda v: v[v.notna()].value_counts(sort=False), s)


def test_value_counts_unsupported():
    with pytest.raises(NotImplementedError, match="bins"):
        jf.Series([1, 2]).value_counts(bins=2)


@pytest.mark.parametrize("n", [0, 7, 1000])
@pytest.mark.parametrize("dtype", DTYPES)
def test_duplicated_and_drop_duplicates(dtype, n):
    s = make_column(dtype, n, "some").rename("x")
    for keep in ("first", "last", False):
        assert_matches_pandas(lambda v: v.duplicated(keep=keep), s)
        assert_matches_pandas(lambda v: v.drop_duplicates(keep=keep), s)
    assert_matches_pandas(lambda v: v.drop_duplicates(ignore_index=True), s)
    assert_matches_pandas(lambda v: v.iloc[1:].drop_duplicates(keep="last"), s)
    assert_matches_pandas(lambda v: v.duplicated(keep="middle"), s, raises=ValueError)


@pytest.mark.parametrize("dtype", DTYPES)
def test_isin(dtype):
    s = make_column(dtype, 30, "some").rename("x")
    present = s.dropna()
    values = [present.iloc[0], present.iloc[3]] if len(present) > 3 else []
    for vals in (values, set(values) if dtype != "float64" else values, pd.Series(values, dtype=s.dtype), []):
        assert_matches_pandas(lambda v: v.isin(vals), s)
    assert_matches_pandas(lambda v: v.isin("apple"), s, raises=TypeError)


@pytest.mark.parametrize("values", [[1, 2.0, 2.5, "a"], [np.nan, 0.5], [None], [pd.NA, 1], [True]])
@pytest.mark.parametrize("dtype", ["int64", "float64", "Int64", "Float64", "bool", "str"])
def test_isin_mixed_values_and_nulls(dtype, values):
    s = pd.Series([1, 2, None, 0.5, 1, None], dtype="float64")
    if dtype == "str":
        s = pd.Series(["1", "a", None, "b", "a", None], dtype="str")
    elif dtype in ("int64", "bool"):
        s = s.fillna(0).round().astype(dtype)
    elif dtype == "Int64":
        s = s.round().astype(dtype)
    else:
        s = s.astype(dtype)
    assert_matches_pandas(lambda v: v.isin(values), s)


def test_isin_jf_series_values_and_jit():
    s = make_column("str", 40, "some")
    other = jf.Series(["apple", "fig", "nope"])
    assert_series_equal(jf.from_pandas(s).isin(other), s.isin(["apple", "fig", "nope"]))
    out = jax.jit(lambda v: v.isin(["cherry", ""]))(jf.from_pandas(s))
    assert_series_equal(out, s.isin(["cherry", ""]))


@pytest.mark.parametrize("inclusive", ["both", "neither", "left", "right", "bogus"])
@pytest.mark.parametrize("dtype", ["int64", "float64", "Int64", "datetime64[ns]"])
def test_between(dtype, inclusive):
    s = make_column(dtype, 30, "some")
    present = s.dropna().sort_values()
    lo, hi = present.iloc[[1, len(present) // 2]]
    assert_matches_pandas(lambda v: v.between(lo, hi, inclusive=inclusive), s,
                          raises=ValueError if inclusive == "bogus" else None)
