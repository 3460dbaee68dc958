"""DataFrame.duplicated / drop_duplicates / value_counts / isin against pandas."""

import jax
import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import jaxframes as jf
from frames import DTYPES, SIZES, make_frame
from jaxframes.testing import assert_frame_equal, assert_matches_pandas
from strategies import frames


def _keyed_frame(n, nulls="some"):
    """Few distinct values per column, so rows repeat."""
    pdf = make_frame(["bool", "str", "Int64", "datetime64[ns]", "float64"], n=n, nulls=nulls)
    return pdf.assign(c4=pdf["c4"].round())


@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("keep", ["first", "last", False])
def test_duplicated_and_drop_duplicates(n, keep):
    pdf = _keyed_frame(n)
    for subset in (None, "c1", ["c0", "c1"], ["c2", "c3", "c4"]):
        assert_matches_pandas(lambda d: d.duplicated(subset=subset, keep=keep), pdf)
        assert_matches_pandas(lambda d: d.drop_duplicates(subset=subset, keep=keep), pdf)
    assert_matches_pandas(lambda d: d.drop_duplicates(["c0", "c1"], keep=keep, ignore_index=True), pdf)
    assert_matches_pandas(lambda d: d[d["c0"]].drop_duplicates(["c1"], keep=keep), pdf)


@pytest.mark.parametrize("dtype", DTYPES)
def test_drop_duplicates_every_dtype(dtype):
    pdf = make_frame([dtype, "bool"], n=40, nulls="some")
    assert_matches_pandas(lambda d: d.drop_duplicates(), pdf)
    assert_matches_pandas(lambda d: d.drop_duplicates("c0", keep="last"), pdf)


@pytest.mark.parametrize("call,exc", [
    (lambda d: d.drop_duplicates("nope"), KeyError),
    (lambda d: d.duplicated(["c0", "nope"]), KeyError),
    (lambda d: d.duplicated(keep="middle"), ValueError),
])
def test_bad_arguments(call, exc):
    assert_matches_pandas(call, _keyed_frame(7), raises=exc)


def test_drop_duplicates_immutable_and_jit():
    pdf = _keyed_frame(50)
    df = jf.from_pandas(pdf)
    with pytest.raises(jf.ImmutableFrameError):
        df.drop_duplicates(inplace=True)
    out = jax.jit(lambda d: d.drop_duplicates(["c0", "c1"], keep="last"))(df)
    assert_frame_equal(out, pdf.drop_duplicates(["c0", "c1"], keep="last"))


@pytest.mark.parametrize("n", SIZES)
def test_value_counts(n):
    pdf = _keyed_frame(n)
    for subset in (None, "c1", ["c1"], ["c0", "c2"], ["c3", "c1", "c4"]):
        for dropna in (True, False):
            assert_matches_pandas(lambda d: d.value_counts(subset, dropna=dropna), pdf)
            assert_matches_pandas(lambda d: d.value_counts(subset, normalize=True, ascending=True,
                                                           dropna=dropna), pdf)
        assert_matches_pandas(lambda d: d.value_counts(subset, sort=False, dropna=False), pdf)
    assert_matches_pandas(lambda d: d.value_counts("nope"), pdf, raises=KeyError)


def test_value_counts_under_jit_is_masked():
    pdf = _keyed_frame(30)
    out = jax.jit(lambda d: d["c1"].value_counts())(jf.from_pandas(pdf))
    pd.testing.assert_series_equal(out.to_pandas(), pdf["c1"].value_counts())


def test_isin():
    pdf = make_frame(["int64", "str", "float64", "Int64", "datetime64[ns]"], n=30, nulls="some")
    values = [1, 2, "apple", "fig", 0.5, np.nan, pd.NaT, pd.Timestamp("2024-01-01 02:00")]
    assert_matches_pandas(lambda d: d.isin(values), pdf)
    assert_matches_pandas(lambda d: d.isin({"c0": [1, 3], "c1": ["cherry"], "c3": [pd.NA, 2]}), pdf)
    assert_matches_pandas(lambda d: d.isin(5), pdf, raises=TypeError)


@given(pdf=frames(["int64", "str", "boolean", "float64"], max_size=25),
       subset=st.lists(st.sampled_from(["c0", "c1", "c2", "c3"]), min_size=1, max_size=3, unique=True),
       keep=st.sampled_from(["first", "last", False]))
def test_property_drop_duplicates(pdf, subset, keep):
    pdf = pdf.assign(c0=pdf["c0"] % 3)  # force repeats
    assert_matches_pandas(lambda d: d.drop_duplicates(subset, keep=keep), pdf)
    assert_matches_pandas(lambda d: d.duplicated(subset, keep=keep), pdf)
