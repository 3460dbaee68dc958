"""DataFrame isna/notna, fillna (scalar and per-column dict), dropna (axis, how, subset, thresh),
ffill/bfill against pandas."""

import jax
import pytest
from hypothesis import given

import jaxframes as jf
from frames import NULLS, SIZES, make_frame
from jaxframes.errors import ImmutableFrameError
from jaxframes.testing import assert_frame_equal, assert_matches_pandas
from strategies import frames


@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("nulls", NULLS)
def test_isna_dropna_grid(n, nulls):
    pdf = make_frame(n=n, nulls=nulls)
    for fn in (lambda d: d.isna(), lambda d: d.notna(), lambda d: d.dropna(),
               lambda d: d.dropna(how="all"), lambda d: d.dropna(thresh=3),
               lambda d: d.dropna(subset=["c3", "c7"]), lambda d: d.dropna(axis=1),
               lambda d: d.dropna(axis=1, how="all"), lambda d: d.dropna(axis="columns", thresh=2),
               lambda d: d.ffill(), lambda d: d.bfill(), lambda d: d.dropna(ignore_index=True)):
        # check_column_type=False: a frame left without columns reports an object column Index.
        assert_matches_pandas(fn, pdf, check_column_type=False)


@pytest.mark.parametrize("nulls", ["some", "all"])
def test_fillna(nulls):
    pdf = make_frame(["float64", "float32", "Int64", "str", "boolean"], n=9, nulls=nulls)
    assert_matches_pandas(lambda d: d[["c0", "c1"]].fillna(0), pdf)
    assert_matches_pandas(lambda d: d.fillna({"c0": 1.5, "c2": 3, "c3": "x", "c4": True}), pdf)
    assert_matches_pandas(lambda d: d.fillna({"c0": 1.5, "nope": 3}), pdf)
    assert_matches_pandas(lambda d: d.fillna({"c2": 0.5}), pdf, raises=TypeError)  # 0.5 into Int64


def test_errors():
    pdf = make_frame(["float64", "Int64"], n=5, nulls="some")
    assert_matches_pandas(lambda d: d.dropna(subset=["x"]), pdf, raises=KeyError)
    assert_matches_pandas(lambda d: d.dropna(how="any", thresh=1), pdf, raises=TypeError)
    assert_matches_pandas(lambda d: d.dropna(how="foo"), pdf, raises=ValueError)
    df = jf.from_pandas(pdf)
    with pytest.raises(ImmutableFrameError):
        df.dropna(inplace=True)
    with pytest.raises(ImmutableFrameError):
        df.fillna(0, inplace=True)
    with pytest.raises(NotImplementedError, match="limit"):
        df.fillna(0, limit=2)


def test_filtered_frame_and_jit():
    pdf = make_frame(["float64", "Int64", "str"], n=40, nulls="some", seed=3)
    assert_matches_pandas(lambda d: d[d["c0"] > -1].dropna(), pdf)
    assert_matches_pandas(lambda d: d[d["c0"].isna() | (d["c0"] > 0)].fillna({"c0": 0.0}), pdf)
    df = jf.from_pandas(pdf)
    got = jax.jit(lambda d: d.dropna())(df)
    assert_frame_equal(got, pdf.dropna())
    got = jax.jit(lambda d: d[["c0", "c1"]].fillna(1))(df)
    assert_frame_equal(got, pdf[["c0", "c1"]].fillna(1))


@given(frames(dtypes=["float64", "Int64", "str", "boolean"], max_size=20))
def test_property_dropna_fillna(pdf):
    assert_matches_pandas(lambda d: d.dropna(), pdf)
    assert_matches_pandas(lambda d: d.dropna(how="all", subset=["c0", "c1"]), pdf)
    assert_matches_pandas(lambda d: d.isna(), pdf)
    assert_matches_pandas(lambda d: d.fillna({"c0": 0.0, "c1": 1, "c2": "q", "c3": False}), pdf)
