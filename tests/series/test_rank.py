"""Series.rank / DataFrame.rank against pandas: every tie method, na_option, ascending, pct."""

import itertools

import jax
import pytest

import jaxframes as jf
from frames import DTYPES, NULLS, make_column, make_frame
from jaxframes.testing import assert_frame_equal, assert_matches_pandas

METHODS = ("average", "min", "max", "first", "dense")
OPTIONS = list(itertools.product(METHODS, ("keep", "top", "bottom"), (True, False), (False, True)))


MASKED = ("Int64", "Int32", "boolean", "Float64")


@pytest.mark.parametrize("n", [0, 7, 1000])
@pytest.mark.parametrize("dtype", DTYPES)
def test_rank_every_option(dtype, n):
    s = make_column(dtype, n, "some").rename("x")
    for method, na_option, ascending, pct in OPTIONS:
        if dtype in MASKED and method != "average" and not pct:
            continue  # pandas gives UInt64 here: see test_masked_integer_ranks_refused
        assert_matches_pandas(lambda v: v.rank(method=method, na_option=na_option, ascending=ascending,
                                               pct=pct), s)


@pytest.mark.parametrize("nulls", NULLS)
def test_rank_filtered_and_all_null(nulls):
    s = make_column("float64", 40, nulls)
    for method in METHODS:
        assert_matches_pandas(lambda v: v[v.index % 3 != 0].rank(method=method, pct=True), s)
        assert_matches_pandas(lambda v: v[v.index % 3 != 0].rank(method=method, na_option="top"), s)


@pytest.mark.parametrize("call,exc", [
    (lambda v: v.rank(method="median"), KeyError),
    (lambda v: v.rank(na_option="middle"), ValueError),
])
def test_rank_bad_arguments(call, exc):
    assert_matches_pandas(call, make_column("int64", 7), raises=exc)


@pytest.mark.parametrize("dtype", MASKED)
def test_masked_integer_ranks_refused(dtype):
    s = jf.from_pandas(make_column(dtype, 7, "some"))
    assert str(make_column(dtype, 7, "some").rank(method="min").dtype) == "UInt64"
    with pytest.raises(NotImplementedError, match="UInt64"):
        s.rank(method="min")


def test_frame_rank():
    pdf = make_frame(n=30, nulls="some")  # masked columns give float64 here (not UInt64/Float64)
    for method in METHODS:
        for pct in (False, True):
            assert_matches_pandas(lambda d: d.rank(method=method, na_option="bottom", ascending=False,
                                                   pct=pct), pdf)
    assert_matches_pandas(lambda d: d.rank(numeric_only=True, pct=True), pdf)
    assert_matches_pandas(lambda d: d[d["c2"] > 0].rank(), pdf)


def test_rank_under_jit():
    pdf = make_frame(["int64", "float64", "str"], n=30, nulls="some")
    out = jax.jit(lambda d: d[d["c0"] > -2].rank(method="dense", pct=True))(jf.from_pandas(pdf))
    assert_frame_equal(out, pdf[pdf["c0"] > -2].rank(method="dense", pct=True))


def test_arrow_integer_ranks_refused():
    """pandas ranks an int64[pyarrow] Series as double[pyarrow], which JaxFrames does not hold;
    DataFrame.rank gives float64 for it, as for every column."""
    pdf = make_frame(["int64"], n=7, nulls="some").astype("int64[pyarrow]")
    assert str(pdf["c0"].rank().dtype) == "double[pyarrow]"
    with pytest.raises(NotImplementedError, match=r"double\[pyarrow\]"):
        jf.from_pandas(pdf["c0"]).rank()
    assert_matches_pandas(lambda d: d.rank(pct=True), pdf)


def test_python_string_storage_refused():
    """string[python] would come back as pyarrow-backed strings, whose ranks are Float64, not
    float64 as pandas gives for string[python]: such columns are refused, never converted."""
    import pandas as pd

    s = pd.Series(["b", "a", None], dtype="string[python]")
    assert str(s.rank().dtype) == "float64"
    with pytest.raises(TypeError, match=r"'string\[python\]'.*Arrow-backed"):
        jf.from_pandas(s)
    with pytest.raises(TypeError, match=r"'string\[python\]'"):
        jf.from_pandas(pd.Series([1, 2])).astype("string[python]")
    assert jf.from_pandas(s.astype("string[pyarrow]")).rank().to_pandas().dtype == "Float64"
