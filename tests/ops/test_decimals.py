"""Decimal columns (decimal128(p, s)[pyarrow] held as scaled int64) against pandas' Arrow-backed
decimals: conversion, printing, arithmetic dtypes, comparisons, reductions, group-by, sort,
filters, merge payloads; nulls, dead rows, empty frames; the refusals name what they refuse."""

from __future__ import annotations

import decimal
import io

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import jaxframes as jf
from jaxframes.testing import assert_matches_pandas, assert_one_answer, frame_with_dead_rows

D = decimal.Decimal


def dec(p: int, s: int) -> pd.ArrowDtype:
    return pd.ArrowDtype(pa.decimal128(p, s))


def series(values, p=12, s=2) -> pd.Series:
    return pd.Series([None if v is None else D(v) for v in values], dtype=dec(p, s))


def frame(n_null: bool = True) -> pd.DataFrame:
    return pd.DataFrame({
        "k": [1, 2, 1, 3, 2, 1],
        "a": series(["1.25", None if n_null else "0.00", "-3.10", "7.05", "0.01", "2.50"]),
        "b": series(["0.100", "2.000", None if n_null else "1.000", "-0.255", "4.125", "1.001"], 9, 3),
        "i": [1, 2, 3, -4, 5, 6],
        "f": [0.5, 1.5, -2.0, 3.25, np.nan, 1.0],
    })


LIVE = [True, False, True, True, False, True]


def test_round_trip_and_print():
    pdf = frame()
    ours = jf.from_pandas(pdf)
    assert str(ours.dtypes["a"]) == "decimal128(12, 2)[pyarrow]"
    pd.testing.assert_frame_equal(ours.to_pandas(), pdf)
    assert repr(ours) == repr(pdf)
    assert repr(ours["b"]) == repr(pdf["b"])
    empty = pdf.iloc[:0]
    pd.testing.assert_frame_equal(jf.from_pandas(empty).to_pandas(), empty)


def test_arrow_and_parquet_round_trip():
    pdf = frame()
    table = pa.Table.from_pandas(pdf, preserve_index=False)
    ours = jf.from_arrow(table)
    pd.testing.assert_frame_equal(ours.to_pandas(), pdf)
    assert jf.to_arrow(ours).equals(table) if hasattr(jf, "to_arrow") else ours.to_arrow().equals(table)
    buf = io.BytesIO()
    pq.write_table(table, buf)
    path = "/tmp/_jf_decimals_test.parquet"
    with open(path, "wb") as fh:
        fh.write(buf.getvalue())
    got = jf.read_parquet(path)
    pd.testing.assert_frame_equal(got.to_pandas(), pdf)
    # a sliced Arrow array (offset into its buffer) keeps its values
    sliced = pa.Table.from_pandas(pdf, preserve_index=False).slice(2, 3)
    pd.testing.assert_frame_equal(jf.from_arrow(sliced).to_pandas(), sliced.to_pandas(
        types_mapper=lambda t: pd.ArrowDtype(t) if pa.types.is_decimal(t) else None))


def test_wider_than_18_digits_raises_naming_the_column():
    wide = pd.DataFrame({"price": series(["1.5"], 19, 2)})
    with pytest.raises(NotImplementedError, match=r"column 'price'.*decimal128\(19, 2\).*18 digits"):
        jf.from_pandas(wide)
    table = pa.table({"x": pa.array([D("1.5")], pa.decimal128(30, 4))})
    with pytest.raises(NotImplementedError, match=r"column 'x'.*up to 18 digits"):
        jf.from_arrow(table)


@pytest.mark.parametrize("op", [
    lambda f: f["a"] + f["a"], lambda f: f["a"] - f["b"], lambda f: f["a"] * f["b"],
    lambda f: f["a"] + f["i"], lambda f: 1 - f["a"], lambda f: f["a"] * 3, lambda f: f["i"] * f["b"],
    lambda f: f["a"] + D("1.125"), lambda f: f["b"] * D("0.5"), lambda f: -f["a"], lambda f: abs(f["b"]),
    lambda f: f["a"] * (1 - f["b"]), lambda f: f["a"] - f["a"] * f["b"],
])
def test_arithmetic_dtypes_and_values(op):
    assert_matches_pandas(op, frame())


@pytest.mark.parametrize("op", [
    lambda f: f["a"] == f["b"], lambda f: f["a"] < f["b"], lambda f: f["a"] >= 1,
    lambda f: f["a"] != D("2.5"), lambda f: f["a"] > 1.2, lambda f: f["b"] <= f["f"],
    lambda f: f["a"] > f["i"],
])
def test_comparisons_give_bool_pyarrow(op):
    assert_matches_pandas(op, frame())


@pytest.mark.parametrize("op", [
    lambda f: f["a"] / f["b"], lambda f: f["a"] // 2, lambda f: f["a"] + 1.5, lambda f: f["a"] * f["f"],
])
def test_unheld_results_raise(op):
    with pytest.raises(NotImplementedError):
        op(jf.from_pandas(frame()))


def test_precision_past_38_raises_like_pandas():
    assert_matches_pandas(lambda f: f["a"] * (1 - f["b"]) * (1 + f["a"]), frame(), raises=ValueError,
                          match="precision out of range")


def test_overflow_raises():
    big = pd.DataFrame({"a": series(["999999999999999.999"], 18, 3)})
    ours = jf.from_pandas(big)
    with pytest.raises(OverflowError, match="int64"):
        ours["a"] * ours["a"]
    with pytest.raises(OverflowError, match="int64"):
        (ours["a"] + D("0.0000001"))
    many = pd.DataFrame({"a": series(["999999999999999.999"] * 20, 18, 3)})
    with pytest.raises(OverflowError, match="int64"):
        jf.from_pandas(many)["a"].sum()


def test_overflow_on_dead_rows_does_not_raise():
    """A huge value the filter removed: the column's bound does not prove the result fits, so
    the live rows are checked (pandas never sees the dead row)."""
    pdf = pd.DataFrame({"a": series(["999999999999999.999", "1.5", "-2.25", None], 18, 3),
                        "keep": [False, True, True, True]})
    assert_matches_pandas(lambda f: f[f["keep"]]["a"] * f[f["keep"]]["a"], pdf)
    assert_matches_pandas(lambda f: f[f["keep"]]["a"] + D("0.0000001"), pdf)
    assert_matches_pandas(lambda f: f[f["keep"]]["a"] < 5, pdf)


def test_bounded_arithmetic_needs_no_overflow_sync():
    """Columns whose values are small enough cannot overflow: once their bounds are known (one
    min/max per array, cached), *, +, - and comparisons with ints read nothing back."""
    from jaxframes.sync import count_syncs

    pdf = frame()
    ours = jf.from_pandas(pdf)
    a, b = ours["a"], ours["b"]
    a * b, a + b, a < 2  # learn the bounds
    with count_syncs() as count:
        results = [a * b, a + b, a - b, a < 2, b >= 1]
    assert count.syncs == 0
    for got, want in zip(results, [pdf["a"] * pdf["b"], pdf["a"] + pdf["b"], pdf["a"] - pdf["b"], pdf["a"] < 2,
                                   pdf["b"] >= 1]):
        pd.testing.assert_series_equal(got.to_pandas(), want)


@pytest.mark.parametrize("how", ["sum", "mean", "min", "max", "count"])
def test_reductions(how):
    assert_matches_pandas(lambda f: getattr(f["a"], how)(), frame())
    assert_matches_pandas(lambda f: getattr(f["b"], how)(), frame())
    assert_matches_pandas(lambda f: getattr(f["a"], how)(), frame().iloc[:0])


def test_mean_rounds_half_away_from_zero():
    for values in (["0.01", "0.04"], ["-0.01", "-0.04"], ["0.01", "0.01", "0.02"], ["-0.01", "-0.01", "-0.03"]):
        s = series(values)
        assert jf.from_pandas(s).mean() == s.mean()


def test_reductions_skipna_min_count_and_refusals():
    assert_matches_pandas(lambda f: f["a"].sum(skipna=False), frame())
    assert_matches_pandas(lambda f: f["a"].sum(min_count=10), frame())
    for how in ("std", "var", "median", "prod"):
        with pytest.raises(NotImplementedError, match=f"{how} of a decimal128"):
            getattr(jf.from_pandas(frame())["a"], how)()


def test_reductions_see_live_rows_only():
    pdf = frame()
    twin = frame_with_dead_rows(pdf, LIVE)
    for how in ("sum", "mean", "min", "max"):
        got = getattr(twin.ours["a"], how)()
        assert got == getattr(twin.theirs["a"], how)()


@pytest.mark.parametrize("how", ["sum", "mean", "min", "max", "first", "last", "count"])
def test_groupby(how):
    assert_matches_pandas(lambda f: getattr(f.groupby("k")[["a", "b"]], how)(), frame())
    twin = frame_with_dead_rows(frame(), LIVE)
    assert_one_answer(lambda f: getattr(f.groupby("k")[["a", "b"]], how)(), twin, paths=("eager",))


def test_groupby_sum_checks_overflow_only_where_the_bound_cannot_rule_it_out():
    from jaxframes.ops.decimals import sum_cannot_overflow
    import jax.numpy as jnp
    assert sum_cannot_overflow(jnp.asarray([5000, -7, 0], jnp.int64))
    assert not sum_cannot_overflow(jnp.asarray([2 ** 62, 1], jnp.int64))
    # 20 counts near 1e18: the bound (20 x 1e18) leaves int64, each group's sum does not
    near = ["999999999999999.999", "-999999999999999.999"]
    fits = pd.DataFrame({"k": [0, 0, 1, 1] * 5, "a": series(near * 10, 18, 3)})
    assert_matches_pandas(lambda f: f.groupby("k")["a"].sum(), fits)
    over = pd.DataFrame({"k": [1] * 20, "a": series(near[:1] * 20, 18, 3)})
    with pytest.raises(OverflowError, match="a group's total leaves the scaled int64"):
        jf.from_pandas(over).groupby("k")["a"].sum()


def test_groupby_by_decimal_key_and_agg_dict():
    assert_matches_pandas(lambda f: f.groupby("a")["i"].sum(), frame())
    assert_matches_pandas(lambda f: f.groupby("k").agg({"a": "sum", "b": "max"}), frame())
    with pytest.raises(NotImplementedError, match="groupby std of a decimal128"):
        jf.from_pandas(frame()).groupby("k")["a"].std()


def test_sort_filter_merge():
    assert_matches_pandas(lambda f: f.sort_values("a"), frame())
    assert_matches_pandas(lambda f: f.sort_values(["b", "k"], ascending=[False, True], na_position="first"),
                          frame())
    assert_matches_pandas(lambda f: f[f["a"] > D("1")], frame())
    assert_matches_pandas(lambda f: f[f["i"] > 2][["a", "b"]], frame())
    right = pd.DataFrame({"k": [1, 2, 4], "price": series(["9.99", None, "1.00"], 10, 2)})
    for how in ("inner", "left"):
        got = jf.from_pandas(frame()).merge(jf.from_pandas(right), on="k", how=how)
        pd.testing.assert_frame_equal(got.to_pandas(), frame().merge(right, on="k", how=how))
    got = jf.from_pandas(frame()).merge(jf.from_pandas(right), left_on="a", right_on="price")
    pd.testing.assert_frame_equal(got.to_pandas(), frame().merge(right, left_on="a", right_on="price"))


@pytest.mark.parametrize("target", ["float64", "Float64", "float32", dec(15, 4), dec(12, 2), "str"])
def test_astype(target):
    assert_matches_pandas(lambda f: f["a"].astype(target), frame())
    assert_matches_pandas(lambda f: f["i"].astype(dec(22, 3)), frame())
    assert_matches_pandas(lambda f: f["i"].astype(dec(10, 3)), frame(), raises=ValueError, match="at least 22")
    rng = np.random.default_rng(0)
    many = series([str(D(int(v)).scaleb(-2)) for v in rng.integers(-10**12, 10**12, 200)])
    assert_matches_pandas(lambda f: f.astype("float64"), many)


def test_astype_refusals():
    with pytest.raises(NotImplementedError, match="coarser scale"):
        jf.from_pandas(frame())["b"].astype(dec(12, 2))


def test_lazy_filter_groupby_sum():
    pdf = frame()
    op = lambda f: f[f["i"] > 1].groupby("k").agg({"a": "sum"})  # noqa: E731
    assert_one_answer(op, pdf, paths=("eager", "lazy"))


def test_elementwise_methods():
    assert_matches_pandas(lambda f: f["a"].round(1), frame())
    assert_matches_pandas(lambda f: f["b"].round(0), frame())
    assert_matches_pandas(lambda f: f["b"].round(5), frame())
    assert_matches_pandas(lambda f: f["a"].shift(1), frame())
    assert_matches_pandas(lambda f: f["a"].between(0, 2), frame())
    assert_matches_pandas(lambda f: f["a"].cumsum(), frame(), raises=TypeError, match="cumsum")
    assert_matches_pandas(lambda f: f.dropna(), frame())
    ours = jf.from_pandas(frame())
    for fn, what in [(lambda s: s.isin([D("1.25")]), "isin"), (lambda s: s.diff(), "diff"),
                     (lambda s: s.value_counts(), "value_counts"), (lambda s: s.rank(), "rank"),
                     (lambda s: s.fillna(D("0.5")), "not supported")]:
        with pytest.raises(NotImplementedError, match=what):
            fn(ours["a"])


@pytest.mark.parametrize("value", [0.05, 0.07, 0.1, 0.3, 0.30000000000000004, -0.07, 0.065, 2.675, 1e-9, 0.0,
                                   1e20, float("nan"), float("inf"), np.float64(-1.25)])
def test_comparisons_with_float_scalars_are_float64_exact(value):
    """Against a float scalar the counts are tested against an int64 bound found on the host:
    the same rows as pandas' float64 comparison at the float's edges (0.07 is above 7/100 in
    binary), reversed operands, nulls, dead rows, NaN/inf (the float64 path), eager and lazy."""
    import operator

    rng = np.random.default_rng(1)
    cents = [str(D(int(x)).scaleb(-2)) for x in rng.integers(-400, 400, 200)] + ["0.07", "0.05", "0.30", "2.68"]
    pdf = pd.DataFrame({"a": series(cents + [None]), "b": series(cents[::-1] + [None], 18, 3)})
    twin = frame_with_dead_rows(pdf, np.arange(len(pdf)) % 3 != 1)
    for op in (operator.lt, operator.le, operator.gt, operator.ge, operator.eq, operator.ne):
        assert_one_answer(lambda f, op=op: op(f["a"], value), twin, paths=("eager",))
        assert_one_answer(lambda f, op=op: op(value, f["b"]), twin, paths=("eager",))
        assert_one_answer(lambda f, op=op: f[op(f["a"], value)], twin, paths=("eager", "lazy"))
