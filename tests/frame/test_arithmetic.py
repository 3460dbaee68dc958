"""DataFrame operators against pandas: frame/scalar, frame/frame, frame/Series (row-wise, and
axis='index'), named methods, filtered frames, jit, and the error cases. The operator grids also
run on filtered frames whose DEAD rows hold zeros, negatives and nulls (tests/dead_rows.py)."""

import operator

import jax
import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given

import jaxframes as jf
from dead_rows import on_live, with_dead_rows
from frames import NUMERIC_DTYPES, make_frame
from jaxframes.testing import assert_frame_equal, assert_matches_pandas
from strategies import frames

OPS = [operator.add, operator.sub, operator.mul, operator.truediv, operator.floordiv, operator.mod,
       operator.pow, operator.eq, operator.ne, operator.lt, operator.ge]
NUMERIC = [d for d in NUMERIC_DTYPES if d not in ("bool", "boolean")]


def _negative_int_exponent(op, exponent):
    """ValueError when pandas raises for an integer to a negative integer power, else None."""
    if op is not operator.pow:
        return None
    if isinstance(exponent, pd.DataFrame):
        ints = exponent.select_dtypes(include=["integer"])
        return ValueError if bool((ints < 0).any().any()) else None
    return None


def _int_base_negative_exponent(op, scalar, frame):
    """``scalar ** frame``: an integer scalar to a negative integer column value raises."""
    if op is not operator.pow or not isinstance(scalar, int):
        return None
    return _negative_int_exponent(op, frame)


@pytest.mark.parametrize(("n", "nulls"), [(0, "some"), (1, "all"), (7, "none"), (7, "some"), (1000, "all")])
def test_frame_scalar(n, nulls):
    pdf = make_frame(NUMERIC, n=n, nulls=nulls)
    for op in OPS:
        for scalar in (2, 1.5):
            assert_matches_pandas(lambda df, op=op, s=scalar: op(df, s), pdf)
            if nulls != "none" and op in (operator.floordiv, operator.mod):
                # pandas decides scalar // Int64 by the raw data under NA slots (garbage): not matched.
                continue
            assert_matches_pandas(lambda df, op=op, s=scalar: op(s, df), pdf,
                                  raises=_int_base_negative_exponent(op, scalar, pdf))


@pytest.mark.parametrize("nulls", ["none", "some"])
def test_frame_scalar_on_filtered_rows(nulls):
    """``0 // df`` and ``2 ** df``: the dead rows hold the zeros and negatives."""
    pdf = with_dead_rows(make_frame(NUMERIC, n=7, nulls=nulls))
    for op in OPS:
        for scalar in (2, 0, 1.5):
            assert_matches_pandas(lambda df, op=op, s=scalar: op(on_live(df), s), pdf)
            assert_matches_pandas(lambda df, op=op, s=scalar: op(s, on_live(df)), pdf)


@pytest.mark.parametrize("nulls", ["none", "some"])
def test_frame_frame_on_filtered_rows(nulls):
    pdf = with_dead_rows(make_frame(NUMERIC, n=7, nulls=nulls))
    for op in OPS:
        assert_matches_pandas(lambda df, op=op: (lambda f: op(f, f))(on_live(df)), pdf)
        assert_matches_pandas(lambda df, op=op: (lambda f: op(f, f * 2 + 1))(on_live(df)), pdf)


def test_frame_logical_on_filtered_rows():
    pdf = with_dead_rows(make_frame(["bool", "boolean", "int64"], n=9, nulls="none"))
    for op in (operator.and_, operator.or_, operator.xor):
        assert_matches_pandas(lambda df, op=op: (lambda f: op(f, f))(on_live(df)), pdf)
        assert_matches_pandas(lambda df, op=op: op(on_live(df), True), pdf)


@pytest.mark.parametrize("nulls", ["none", "some"])
def test_frame_frame(nulls):
    pdf = make_frame(NUMERIC, n=7, nulls=nulls)
    other = make_frame(NUMERIC, n=7, nulls=nulls, seed=11)
    for op in OPS:
        assert_matches_pandas(lambda df, op=op: op(df, other), pdf, raises=_negative_int_exponent(op, other))
        assert_matches_pandas(lambda df, op=op: op(df, df), pdf, raises=_negative_int_exponent(op, pdf))


def test_frame_series_rowwise_and_axis_index():
    pdf = pd.DataFrame({"a": [1, 2, 3], "b": [1.5, 2.5, -1.0], "c": pd.Series([4, 5, 6], dtype="int32")})
    row = pd.Series([1, 2, 3], index=["a", "b", "c"])
    col = pd.Series([10, 20, 30])
    for op in (operator.add, operator.sub, operator.mul, operator.truediv, operator.gt):
        assert_matches_pandas(lambda df, op=op: op(df, jf.from_pandas(row)), pdf)
    for name in ("add", "sub", "mul", "div", "floordiv", "pow", "radd", "rsub", "eq", "lt"):
        assert_matches_pandas(lambda df, name=name: getattr(df, name)(jf.from_pandas(col), axis="index"), pdf)
        assert_matches_pandas(lambda df, name=name: getattr(df, name)(jf.from_pandas(col), axis=0), pdf)
        assert_matches_pandas(lambda df, name=name: getattr(df, name)(jf.from_pandas(row)), pdf)
        assert_matches_pandas(lambda df, name=name: getattr(df, name)(2), pdf)
    assert_matches_pandas(lambda df: df + [1, 2, 3], pdf)
    assert_matches_pandas(lambda df: df + [1, 2], pdf, raises=ValueError)


def test_unary_and_abs():
    pdf = make_frame(NUMERIC_DTYPES, n=7, nulls="some")
    for fn in (operator.neg, abs, lambda df: df.abs()):
        assert_matches_pandas(fn, pdf.drop(columns=["c0", "c7"]))
    assert_matches_pandas(lambda df: ~df, make_frame(["bool", "int64", "boolean"], n=7, nulls="some"))


def test_logical_frames():
    pdf = make_frame(["bool", "boolean"], n=9, nulls="some")
    other = make_frame(["bool", "boolean"], n=9, nulls="some", seed=3)
    for op in (operator.and_, operator.or_, operator.xor):
        assert_matches_pandas(lambda df, op=op: op(df, other), pdf)
        assert_matches_pandas(lambda df, op=op: op(df, True), pdf)


def test_errors():
    pdf = pd.DataFrame({"s": ["a", "b"], "i": [1, 2]})
    assert_matches_pandas(lambda df: df + 1, pdf, raises=TypeError)  # str + int
    assert_matches_pandas(lambda df: df == pd.DataFrame({"s": ["a", "b", "c"], "i": [1, 2, 3]}), pdf,
                          raises=ValueError, match="identically-labeled")
    longer = pd.DataFrame({"i": [1, 2, 3]})
    # Different lengths: pandas aligns the RangeIndexes (NaN rows); so do we.
    assert_frame_equal(jf.from_pandas(pdf[["i"]]) + jf.from_pandas(longer), pdf[["i"]] + longer)
    # different columns: the shared ones are combined, the others come back all-NaN (pandas)
    assert_frame_equal(jf.from_pandas(pdf[["i"]].assign(j=1.5)) + jf.from_pandas(longer),
                       pdf[["i"]].assign(j=1.5) + longer)
    with pytest.raises(NotImplementedError, match="fill_value"):
        jf.from_pandas(longer).add(1, fill_value=0)
    other = longer.set_axis(pd.Index([7, 8, 2]))  # label alignment: an outer join of the labels
    assert_frame_equal(jf.from_pandas(longer) + jf.from_pandas(other), longer + other)


def test_filtered_frame_ops():
    pdf = make_frame(["int64", "float64", "Int64"], n=20, nulls="some", seed=5)
    assert_matches_pandas(lambda df: df[df["c1"] > 0] * 2 + 1, pdf)
    assert_matches_pandas(lambda df: df[df["c1"] > 0] + df, pdf)
    assert_matches_pandas(lambda df: df[df["c1"] > 0] + df[df["c0"] > 0], pdf)
    assert_matches_pandas(lambda df: df[df["c1"] > 0] > 0, pdf)


def test_jit_frame_ops():
    pdf = make_frame(NUMERIC, n=7, nulls="some")
    df = jf.from_pandas(pdf)
    got = jax.jit(lambda d: (d * 2 - 1) / 4)(df)
    assert_frame_equal(got, (pdf * 2 - 1) / 4)
    got = jax.jit(lambda d: (lambda m: m + m)(d[d["c3"] > 0]))(df)
    sub = pdf[pdf["c3"] > 0]
    assert_frame_equal(got, sub + sub)


def test_getting_started_example_on_jax_arrays():
    a = jax.random.normal(jax.random.key(0), (100,))
    b = jax.random.normal(jax.random.key(1), (100,))
    df = jf.DataFrame({"a": a, "b": b})
    df = df.assign(b_bucket=(df["b"] * 4).astype("int32"))
    pdf = pd.DataFrame({"a": np.asarray(a), "b": np.asarray(b)})
    pdf = pdf.assign(b_bucket=(pdf["b"] * 4).astype("int32"))
    assert_frame_equal(df, pdf)
    assert_frame_equal(df.filter(df["a"] > 0), pdf[pdf["a"] > 0])


@given(frames(dtypes=["int64", "float64", "Int64", "Float64"], max_size=15))
def test_property_frame_arithmetic(pdf):
    # XLA's CPU backend flushes subnormal floats to zero (tests/series/test_arithmetic.py
    # test_subnormal_floats_are_flushed_by_xla documents it).
    floats = pdf.select_dtypes(include=["float64", "Float64"]).to_numpy(dtype="float64", na_value=np.nan)
    assume(not np.any((floats != 0) & (np.abs(floats) < np.finfo(np.float64).tiny)))
    # (Not frame / frame: pandas' DataFrame gives NaN, its Series NA, for Float64 0/0.)
    for op in (operator.add, operator.mul, operator.sub, operator.lt):
        assert_matches_pandas(lambda df, op=op: op(df, df * 2), pdf)
        assert_matches_pandas(lambda df, op=op: op(df, 3), pdf)
