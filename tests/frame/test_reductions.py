"""DataFrame reductions against pandas: axis 0 and 1, skipna, numeric_only, min_count, dtype of
the result Series (pandas' common type of the per-column results), empty and filtered frames."""

import jax
import jax.numpy as jnp
import numpy as np
import pandas as pd
import pytest

import jaxframes as jf
from frames import DTYPES, NULLS, NUMERIC_DTYPES, SIZE_NULLS, make_frame, spread
from jaxframes.testing import assert_matches_pandas, assert_same_result

OPS = ["sum", "mean", "min", "max", "count", "std", "var", "prod", "any", "all", "median", "nunique"]
ROWWISE_OPS = ["sum", "mean", "min", "max", "count", "std", "var", "prod", "any", "all", "median"]
GROUPS = {
    "int_float": ("int64", "float64"),
    "ints": ("int32", "int64"),
    "masked": ("Int64", "Float64", "Int32"),
    "int_masked": ("int64", "Int64"),
    "bool_int": ("bool", "int64"),
    "floats32": ("float32", "float64"),
    "bools": ("bool", "boolean"),
}


def check(op, pdf, **kw):
    """assert_matches_pandas, except where pandas' result is an object Series (mixed per-column
    result dtypes such as bool and int minima), which JaxFrames refuses explicitly."""
    try:
        expected = getattr(pdf, op)(**kw)
    except Exception:  # noqa: BLE001 - assert_matches_pandas checks the exception type
        expected = None
    if isinstance(expected, pd.Series) and expected.dtype == object:
        with pytest.raises(NotImplementedError):
            getattr(jf.from_pandas(pdf), op)(**kw)
        return
    assert_matches_pandas(lambda df: getattr(df, op)(**kw), pdf)


@pytest.mark.parametrize(("op", "group", "n", "nulls"), spread(OPS, sorted(GROUPS), SIZE_NULLS))
def test_axis0_grid(op, group, nulls, n):
    pdf = make_frame(GROUPS[group], n=n, nulls=nulls)
    check(op, pdf)
    if op not in ("count", "nunique"):
        check(op, pdf, skipna=False)


@pytest.mark.parametrize("nulls", NULLS)
@pytest.mark.parametrize("group", ["int_float", "ints", "masked", "int_masked", "floats32"])
@pytest.mark.parametrize("op", ROWWISE_OPS)
def test_axis1(op, group, nulls):
    pdf = make_frame(GROUPS[group], n=20, nulls=nulls)
    assert_matches_pandas(lambda df: getattr(df, op)(axis=1), pdf)
    if op != "count":
        assert_matches_pandas(lambda df: getattr(df, op)(axis=1, skipna=False), pdf)


@pytest.mark.parametrize("op", ["sum", "mean", "min", "max", "std", "median", "count"])
def test_numeric_only(op):
    pdf = make_frame(DTYPES, n=7, nulls="some")
    check(op, pdf, numeric_only=True)


@pytest.mark.parametrize("op", ["mean", "std", "median", "var", "prod"])
def test_string_columns_raise_type_error(op):
    pdf = make_frame(("int64", "str"), n=7)
    assert_matches_pandas(lambda df: getattr(df, op)(), pdf, raises=TypeError)


@pytest.mark.parametrize("op", ["min", "max", "count", "nunique"])
def test_string_and_datetime_frames(op):
    for dtypes in (("str", "str"), ("datetime64[ns]",)):
        for nulls in NULLS:
            assert_matches_pandas(lambda df: getattr(df, op)(), make_frame(dtypes, n=7, nulls=nulls))


def test_count_axis1_any_dtypes():
    assert_matches_pandas(lambda df: df.count(axis=1), make_frame(DTYPES, n=9, nulls="some"))


@pytest.mark.parametrize("min_count", [0, 1, 5, 9])
def test_min_count(min_count):
    pdf = make_frame(("int64", "float64", "Int64"), n=7, nulls="some")
    assert_matches_pandas(lambda df: df.sum(min_count=min_count), pdf)
    assert_matches_pandas(lambda df: df.prod(min_count=min_count), pdf)
    assert_matches_pandas(lambda df: df.sum(axis=1, min_count=min_count % 3), pdf[["c0", "c1"]])


def test_ddof_and_dropna():
    pdf = make_frame(("int64", "float64", "str"), n=9, nulls="some")
    assert_matches_pandas(lambda df: df.var(ddof=0, numeric_only=True), pdf)
    assert_matches_pandas(lambda df: df.std(ddof=3, numeric_only=True), pdf)
    assert_matches_pandas(lambda df: df.nunique(dropna=False), pdf)


@pytest.mark.parametrize("op", ["idxmin", "idxmax"])
def test_idxmin_idxmax(op):
    pdf = make_frame(("int64", "float64", "Int64", "str", "datetime64[ns]"), n=9, nulls="some")
    pdf.index = pd.Index(list("abcdefghi"))
    assert_matches_pandas(lambda df: getattr(df, op)(), pdf)
    assert_matches_pandas(lambda df: getattr(df, op)(skipna=False), pdf, raises=ValueError, match="NA value")
    assert_matches_pandas(lambda df: getattr(df, op)(), make_frame(("float64",), n=5, nulls="all"),
                          raises=ValueError, match="all NA")


@pytest.mark.parametrize("op", OPS)
def test_empty_and_columnless(op):
    assert_matches_pandas(lambda df: getattr(df, op)(), make_frame(NUMERIC_DTYPES[:5], n=0))
    assert_matches_pandas(lambda df: getattr(df, op)(), pd.DataFrame())


@pytest.mark.parametrize("op", OPS)
@pytest.mark.parametrize("axis", [0, 1])
def test_filtered_frame(op, axis):
    """Rows removed by a filter (row mask) must not affect any result."""
    dtypes = ("int64", "float64", "Float64") if axis == 1 or op in ("min", "max") else NUMERIC_DTYPES
    if axis == 1 and op == "nunique":
        return
    pdf = make_frame(dtypes, n=40, nulls="some", seed=4)
    keep = np.random.default_rng(9).random(40) < 0.4
    expected = getattr(pdf[keep], op)(axis=axis)
    got = getattr(jf.from_pandas(pdf)[keep], op)(axis=axis)
    assert_same_result(got, expected)


@pytest.mark.parametrize("op", ["sum", "mean", "min", "max", "std", "count"])
def test_under_jit(op):
    pdf = make_frame(("int64", "float64", "Float64"), n=30, nulls="some")
    keep = np.arange(30) % 4 != 1
    ours = jf.from_pandas(pdf)
    got = jax.jit(lambda df: getattr(df[jnp.asarray(keep)], op)())(ours)
    assert_same_result(got, getattr(pdf[keep], op)())
    got = jax.jit(lambda df: getattr(df[jnp.asarray(keep)], op)(axis=1))(ours)
    assert_same_result(got, getattr(pdf[keep], op)(axis=1))


def test_bad_axis():
    assert_matches_pandas(lambda df: df.sum(axis=2), make_frame(("int64",), n=3), raises=ValueError)


@pytest.mark.parametrize("op", ["any", "all"])
def test_bool_only(op):
    """Fuzz regression: any/all(bool_only=True) kept the non-bool columns."""
    pdf = make_frame(("int64", "bool", "float64", "boolean", "str"), n=9, nulls="some")
    assert_matches_pandas(lambda d: getattr(d, op)(bool_only=True), pdf)
    assert_matches_pandas(lambda d: getattr(d[d["c0"] > -2], op)(bool_only=True), pdf)
    assert_matches_pandas(lambda d: getattr(d, op)(axis=1, bool_only=True), pdf)
    assert_matches_pandas(lambda d: getattr(d[["c0", "c2"]], op)(bool_only=True), pdf)
    got = jax.jit(lambda d: getattr(d, op)(bool_only=True))(jf.from_pandas(pdf[["c0", "c1", "c3"]]))
    assert_same_result(got, getattr(pdf[["c0", "c1", "c3"]], op)(bool_only=True))
