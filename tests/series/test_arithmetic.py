"""Series operators against pandas: every numeric dtype pair x op x null pattern, scalars,
strings, datetimes, Kleene logic, alignment of filtered Series, and jit."""

import operator

import jax
import numpy as np
import pandas as pd
import pytest
from hypothesis import given

import jaxframes as jf
from frames import NULLS, NUMERIC_DTYPES, SIZES, make_column, make_frame
from jaxframes.testing import assert_matches_pandas, assert_series_equal
from strategies import series

ARITH = [operator.add, operator.sub, operator.mul, operator.truediv, operator.floordiv,
         operator.mod, operator.pow]
CMP = [operator.eq, operator.ne, operator.lt, operator.le, operator.gt, operator.ge]
LOGICAL = [operator.and_, operator.or_, operator.xor]


# pandas gives Int8 for bool % boolean: a dtype JaxFrames does not hold -> NotImplementedError.
UNHELD = ("Int8", "Int16", "UInt8")


def _pandas_dtype(op, pdf, left, right):
    try:
        return str(op(pdf[left], pdf[right]).dtype)
    except Exception:
        return None


def _masked_int_bool_logical(pdf, op, left, right):
    kinds = {str(pdf[left].dtype), str(pdf[right].dtype)}
    return op in LOGICAL and "boolean" in kinds and kinds & {"Int64", "Int32"}


def _check_all(pdf, ops, left="c0", right="c1"):
    for op in ops:
        if _masked_int_bool_logical(pdf, op, left, right):
            with pytest.raises((NotImplementedError, ValueError)):  # ValueError: pandas' own, for NA
                op(jf.from_pandas(pdf)[left], jf.from_pandas(pdf)[right])
            continue
        if _pandas_dtype(op, pdf, left, right) in UNHELD:
            with pytest.raises(NotImplementedError, match="do not hold"):
                op(jf.from_pandas(pdf)[left], jf.from_pandas(pdf)[right])
            continue
        assert_matches_pandas(lambda df, op=op: op(df[left], df[right]), pdf, check_names=True)


@pytest.mark.parametrize("nulls", ["none", "some"])
@pytest.mark.parametrize("right", NUMERIC_DTYPES)
@pytest.mark.parametrize("left", NUMERIC_DTYPES)
def test_series_series_ops(left, right, nulls):
    pdf = make_frame([left, right], n=7, nulls=nulls)
    _check_all(pdf, ARITH + CMP + LOGICAL)


@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("nulls", NULLS)
def test_sizes_and_null_patterns(n, nulls):
    pdf = make_frame(["int64", "float64", "Int64", "boolean"], n=n, nulls=nulls)
    _check_all(pdf, [operator.add, operator.truediv, operator.lt, operator.ne], "c0", "c1")
    _check_all(pdf, [operator.add, operator.mul, operator.ge], "c2", "c1")
    _check_all(pdf, LOGICAL, "c3", "c3")


SCALARS = [0, 1, -2, 2.5, np.float64(1.5), np.int64(3), True, np.nan]


@pytest.mark.parametrize("scalar", SCALARS, ids=repr)
@pytest.mark.parametrize("dtype", NUMERIC_DTYPES)
def test_series_scalar_ops(dtype, scalar):
    s = make_column(dtype, 7, "some", seed=3).rename("x")
    for op in ARITH + CMP:
        if dtype == "boolean" and op is operator.mod and scalar is True:
            continue  # pandas gives Int8, which JaxFrames does not hold (NotImplementedError)
        assert_matches_pandas(lambda x, op=op: op(x, scalar), s)
        assert_matches_pandas(lambda x, op=op: op(scalar, x), s)


@pytest.mark.parametrize("dtype", NUMERIC_DTYPES + ("str", "datetime64[ns]"))
def test_unary(dtype):
    s = make_column(dtype, 7, "some", seed=1)
    for fn in (operator.neg, operator.pos, abs, operator.invert, lambda x: x.abs()):
        assert_matches_pandas(fn, s)


def test_named_methods_and_reverse_forms():
    s = make_column("int64", 7, "none", seed=2) + 10
    for name in ["add", "sub", "mul", "div", "truediv", "floordiv", "mod", "pow", "radd", "rsub",
                 "rmul", "rdiv", "rtruediv", "rfloordiv", "rmod", "eq", "ne", "lt", "le", "gt", "ge"]:
        assert_matches_pandas(lambda x, name=name: getattr(x, name)(3), s)
        assert_matches_pandas(lambda x, name=name: getattr(x, name)(x), s)
    with pytest.raises(NotImplementedError, match="fill_value"):
        jf.from_pandas(s).add(1, fill_value=0)


def test_division_by_zero_like_pandas():
    s = pd.Series([1, 0, -1, 2, 7])
    z = pd.Series([0, 0, 0, 1, -2])
    pdf = pd.DataFrame({"a": s, "z": z, "fa": s.astype(float), "ma": s.astype("Int64"),
                        "mz": z.astype("Int64")})
    for op in (operator.floordiv, operator.mod, operator.truediv):
        assert_matches_pandas(lambda df, op=op: op(df["a"], df["z"]), pdf)
        assert_matches_pandas(lambda df, op=op: op(df["fa"], df["z"]), pdf)
        assert_matches_pandas(lambda df, op=op: op(df["ma"], df["mz"]), pdf)
        assert_matches_pandas(lambda df, op=op: op(df["a"], 0), pdf)


def test_integer_negative_power_raises():
    pdf = pd.DataFrame({"a": [1, 2, 3], "b": [1, -1, 2]})
    assert_matches_pandas(lambda df: df["a"] ** df["b"], pdf)
    assert_matches_pandas(lambda df: df["a"] ** -1, pdf)


def test_masked_pow_special_cases():
    pdf = pd.DataFrame({"a": pd.array([1, None, 2], dtype="Int64"), "b": pd.array([None, 0, 3], dtype="Int64")})
    assert_matches_pandas(lambda df: df["a"] ** df["b"], pdf)


def test_dtype_promotion():
    pdf = pd.DataFrame({"i32": pd.Series([1, 2], dtype="int32"), "i64": [3, 4],
                        "f32": pd.Series([1.5, 2], dtype="float32"), "f64": [0.5, 1.0],
                        "b": [True, False]})
    for a, b in [("i32", "i64"), ("f32", "f64"), ("i32", "f32"), ("b", "i32"), ("b", "b")]:
        for op in (operator.add, operator.mul, operator.truediv):
            assert_matches_pandas(lambda df, op=op, a=a, b=b: op(df[a], df[b]), pdf)
    assert_matches_pandas(lambda df: df["i32"] + 1, pdf)
    assert_matches_pandas(lambda df: df["i32"] + 2**40, pdf)  # pandas: OverflowError
    assert_matches_pandas(lambda df: df["b"] - df["b"], pdf)  # pandas: TypeError


def test_strings():
    pdf = pd.DataFrame({"s": make_column("str", 30, "some", seed=4),
                        "t": make_column("str", 30, "some", seed=5), "i": np.arange(30)})
    for op in CMP:
        assert_matches_pandas(lambda df, op=op: op(df["s"], "cherry"), pdf)
        assert_matches_pandas(lambda df, op=op: op(df["s"], "b"), pdf)
        assert_matches_pandas(lambda df, op=op: op("cherry", df["s"]), pdf)
        assert_matches_pandas(lambda df, op=op: op(df["s"], df["t"]), pdf)
    assert_matches_pandas(lambda df: df["s"] == 1, pdf)
    assert_matches_pandas(lambda df: df["s"] < 1, pdf)
    assert_matches_pandas(lambda df: df["s"] + 1, pdf)
    assert_matches_pandas(lambda df: df["s"] + df["i"], pdf)
    with pytest.raises(TypeError, match="not supported for dtype 'str'"):
        jf.from_pandas(pdf)["s"] + 1
    with pytest.raises(NotImplementedError, match="concatenation"):
        jf.from_pandas(pdf)["s"] + "x"


@pytest.mark.parametrize("unit", ["ns", "s"])
def test_datetimes(unit):
    pdf = pd.DataFrame({"d": make_column(f"datetime64[{unit}]", 9, "some", seed=1),
                        "e": make_column(f"datetime64[{unit}]", 9, "some", seed=2)})
    assert_matches_pandas(lambda df: df["d"] - df["e"], pdf)
    assert_matches_pandas(lambda df: df["d"] + pd.Timedelta("1D"), pdf)
    assert_matches_pandas(lambda df: df["d"] - pd.Timedelta(hours=3), pdf)
    assert_matches_pandas(lambda df: (df["d"] - df["e"]) + pd.Timedelta("1s"), pdf)
    for op in CMP:
        assert_matches_pandas(lambda df, op=op: op(df["d"], pd.Timestamp("2024-01-01 02:00")), pdf)
        assert_matches_pandas(lambda df, op=op: op(df["d"], "2024-01-01"), pdf)
        assert_matches_pandas(lambda df, op=op: op(df["d"], pd.Timestamp("1500-01-01 02:00")), pdf)
        assert_matches_pandas(lambda df, op=op: op(df["d"], df["e"]), pdf)
    assert_matches_pandas(lambda df: df["d"] + 1, pdf)
    assert_matches_pandas(lambda df: df["d"] > 1, pdf)
    assert_matches_pandas(lambda df: df["d"] + df["e"], pdf)


def test_kleene_logic():
    vals = pd.array([True, False, None] * 3, dtype="boolean")
    other = pd.array([True] * 3 + [False] * 3 + [None] * 3, dtype="boolean")
    pdf = pd.DataFrame({"a": vals, "b": other, "n": [True, False, True] * 3})
    for op in LOGICAL:
        assert_matches_pandas(lambda df, op=op: op(df["a"], df["b"]), pdf)
        assert_matches_pandas(lambda df, op=op: op(df["n"], df["b"]), pdf)
        for scalar in (True, False, pd.NA):
            assert_matches_pandas(lambda df, op=op, s=scalar: op(df["a"], s), pdf)
            assert_matches_pandas(lambda df, op=op, s=scalar: op(df["n"], s), pdf)


def test_filtered_operands_align_like_pandas():
    pdf = make_frame(["int64", "float64", "bool", "Int64"], n=12, nulls="some", seed=7)
    pdf["k"] = np.arange(12) % 3
    for a, b in [("c0", "c1"), ("c0", "c0"), ("c3", "c0"), ("c2", "c2")]:
        for op in (operator.add, operator.mul, operator.and_, operator.or_):
            if (op in (operator.and_, operator.or_)) != (a == "c2"):
                continue  # numpy bool arithmetic after alignment is object dtype in pandas
            assert_matches_pandas(lambda df, op=op, a=a, b=b: op(df[df["k"] > 0][a], df[df["k"] < 2][b]), pdf)
    # Same mask on both sides, and a mask only on one side.
    assert_matches_pandas(lambda df: df[df["k"] > 0]["c0"] + df[df["k"] > 0]["c1"], pdf)
    assert_matches_pandas(lambda df: df[df["k"] > 0]["c0"] + df["c1"], pdf)
    # Comparisons need identical labels.
    assert_matches_pandas(lambda df: df[df["k"] > 0]["c0"] == df["c0"], pdf)
    sub = pdf[pdf["k"] > 0]
    assert_matches_pandas(lambda s: s["c0"] * 2 > s["c1"], sub)


def test_different_lengths_align_or_raise():
    pdf = pd.DataFrame({"a": [1, 2, 3]})
    short = pd.Series([10, 20])
    assert_series_equal(jf.from_pandas(pdf)["a"] + jf.from_pandas(short), pdf["a"] + short)
    with pytest.raises(ValueError):
        jf.from_pandas(pdf)["a"] == jf.from_pandas(short)
    other = pd.Series([1, 2, 3], index=[5, 6, 7])
    with pytest.raises(NotImplementedError, match="label alignment"):
        jf.from_pandas(pdf)["a"] + jf.from_pandas(other)


def test_array_operands():
    s = pd.Series([1, 2, 3], name="s")
    assert_matches_pandas(lambda x: x + np.array([1, 2, 3]), s)
    assert_matches_pandas(lambda x: x * [1.5, 2, 3], s)
    assert_matches_pandas(lambda x: x + np.array([1, 2]), s)
    assert_matches_pandas(lambda x: x == np.array([1, 2]), s)
    js = jf.from_pandas(s)
    assert_series_equal(js + jax.numpy.arange(3), s + np.arange(3))


def test_getting_started_ops_on_jax_columns():
    a = jax.random.normal(jax.random.key(0), (50,))
    b = jax.random.normal(jax.random.key(1), (50,))
    df = jf.DataFrame({"a": a, "b": b})
    pdf = pd.DataFrame({"a": np.asarray(a), "b": np.asarray(b)})
    assert_series_equal(df["a"] > 0, pdf["a"] > 0)
    assert_series_equal((df["b"] * 4).astype("int32"), (pdf["b"] * 4).astype("int32"))


def test_inside_jit():
    pdf = make_frame(["int64", "float64", "Int64", "boolean"], n=7, nulls="some")
    df = jf.from_pandas(pdf)

    @jax.jit
    def f(d):
        return (d["c0"] * 2 + d["c1"]) / 3, d["c2"] > 0, d["c3"] & (d["c0"] > 0), -d["c1"]

    got = f(df)
    want = ((pdf["c0"] * 2 + pdf["c1"]) / 3, pdf["c2"] > 0, pdf["c3"] & (pdf["c0"] > 0), -pdf["c1"])
    for g, w in zip(got, want):
        assert_series_equal(g, w, check_names=False)

    # Filtered in jit: the same mask object on both sides combines without alignment.
    g = jax.jit(lambda d: (lambda m: m["c0"] + m["c1"])(d[d["c1"] > 0]))(df)
    sub = pdf[pdf["c1"] > 0]
    assert_series_equal(g, sub["c0"] + sub["c1"], check_names=False)


def test_int_floordiv_in_jit_is_float64():
    """Documented choice: numpy int // int column is float64 in jit (pandas' dtype depends on zeros)."""
    pdf = pd.DataFrame({"a": [7, -7, 3], "b": [2, 0, 0]})
    got = jax.jit(lambda d: d["a"] // d["b"])(jf.from_pandas(pdf))
    assert_series_equal(got, pdf["a"] // pdf["b"], check_names=False)
    pdf2 = pd.DataFrame({"a": [7, -7, 3], "b": [2, 3, 1]})
    got = jax.jit(lambda d: d["a"] // d["b"])(jf.from_pandas(pdf2))
    assert_series_equal(got, (pdf2["a"] // pdf2["b"]).astype("float64"), check_names=False)


@given(series(dtype="int64", max_size=20), series(dtype="float64", max_size=20))
def test_property_matches_pandas(a, b):
    n = min(len(a), len(b))
    pdf = pd.DataFrame({"a": a.iloc[:n].to_numpy(), "b": b.iloc[:n].to_numpy()})
    for op in ARITH + CMP:
        assert_matches_pandas(lambda df, op=op: op(df["a"], df["b"]), pdf)
