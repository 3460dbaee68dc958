"""Elementwise column operations: null rules, where/fillna/clip/round/isna, ffill/bfill.

Result dtypes of where/fillna/clip are what pandas gives on a two-row sample of the same dtype
(and the same host scalar), so promotions (int -> float64 for NaN, int -> Int64 ...) and
refusals (Int64.fillna(0.5) -> TypeError) agree with pandas by construction. Operators live
in ops/arithmetic.py.
"""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
import pandas as pd
import pyarrow as pa

from jaxframes import dtypes as jdt
from jaxframes import units
from jaxframes.column import Column
from jaxframes.facts import is_traced
from jaxframes.dictionary import Dictionary, encode, unify


def with_nulls_where(col: Column, null: jax.Array) -> Column:
    """The column with rows where ``null`` is True set to missing, with pandas' dtype rules:
    floats get NaN, masked/string/datetime columns get validity False, numpy int/bool become float64."""
    dtype = col.dtype
    if dtype.has_validity:
        return col.replace(validity=col.not_null() & ~null)
    if dtype.kind == "f":
        return col.replace(data=jnp.where(null, jnp.nan, col.data))
    data = jnp.where(null, jnp.nan, col.data.astype(jnp.float64))
    return Column(data, None, jdt.FLOAT64)


# -- constants, selection ------------------------------------------------------------------------
def is_null_scalar(value: Any) -> bool:
    """None, NaN, pd.NA, NaT: a scalar that means "missing"."""
    if isinstance(value, (jax.Array, str)):
        return False
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def constant(value: Any, dtype: jdt.DType, capacity: int) -> Column:
    """A column of ``capacity`` copies of a host scalar, stored as ``dtype`` (nulls allowed)."""
    if is_null_scalar(value):
        if dtype.has_validity:
            return Column(jnp.zeros(capacity, dtype.storage), jnp.zeros(capacity, bool), dtype,
                          Dictionary(pa.array([], pa.large_string())) if dtype.kind == "U" else None)
        if dtype.kind == "f":
            return Column(jnp.full(capacity, jnp.nan, dtype.storage), None, dtype)
        raise TypeError(f"a {dtype} column cannot hold missing values")
    if dtype.kind == "U":
        if not isinstance(value, str):
            raise TypeError(f"cannot store {value!r} in a {dtype} column")
        codes, _, dictionary = encode([value])
        return Column(jnp.zeros(capacity, np.int32), jnp.ones(capacity, bool), dtype, dictionary)
    if dtype.kind in "Mm":
        held = pd.Timestamp(value) if dtype.kind == "M" else pd.Timedelta(value)
        count = int(held.as_unit(dtype.unit).asm8.view("i8"))  # in the column's unit (raises if out of range)
        data = jnp.full(capacity, count, np.int64)
        return Column(data, jnp.ones(capacity, bool), dtype)
    if dtype.kind == "P":  # a Period (or a string pandas reads as one) of the column's frequency
        ordinal = pd.Period(value, freq=jdt.freq_of(dtype)).ordinal
        return Column(jnp.full(capacity, ordinal, np.int64), jnp.ones(capacity, bool), dtype)
    data = jnp.full(capacity, np.asarray(value).astype(dtype.storage) if not isinstance(value, jax.Array)
                    else value.astype(dtype.storage), dtype.storage)
    return Column(data, jnp.ones(capacity, bool) if dtype.masked else None, dtype)


def cast(col: Column, dtype: jdt.DType) -> Column:
    """``col`` as ``dtype`` for a promotion pandas made (int -> float64, int -> Int64, ...)."""
    if col.dtype == dtype:
        return col
    if dtype.kind == "U" or col.dtype.kind == "U":
        raise NotImplementedError(f"mixing {col.dtype} and {dtype} values in one column")
    if dtype.masked and not col.dtype.masked:
        present = col.not_null()
        data = jnp.where(present, col.data, jnp.zeros((), col.data.dtype)).astype(dtype.storage)
        return Column(data, present, dtype)
    if dtype.kind == "f" and not dtype.masked:
        data = col.data.astype(dtype.storage)
        if col.validity is not None:
            data = jnp.where(col.validity, data, jnp.nan)
        return Column(data, None, dtype)
    if dtype.kind in "Mm" and col.dtype.kind == dtype.kind and col.dtype.unit != dtype.unit:
        if jdt.PER_SECOND[dtype.unit] < jdt.PER_SECOND[col.dtype.unit]:
            raise NotImplementedError(f"{col.dtype} values as {dtype}: a coarser unit would drop precision")
        data, present = units.to_unit(col.data, col.validity, dtype.kind, col.dtype.unit, dtype.unit)
        return Column(data, present, dtype)
    return Column(col.data.astype(dtype.storage), col.validity, dtype)


def select(keep: jax.Array, left: Column, right: Column) -> Column:
    """Rows of ``left`` where ``keep`` else rows of ``right``; both already of one dtype."""
    if left.dtype.kind == "U":
        merged, remap_l, remap_r = unify(left.dictionary, right.dictionary)
        left = left.replace(data=_remap(left.data, remap_l), dictionary=merged)
        right = right.replace(data=_remap(right.data, remap_r), dictionary=merged)
    data = jnp.where(keep, left.data, right.data)
    if not left.dtype.has_validity:
        return Column(data, None, left.dtype)
    validity = jnp.where(keep, left.not_null(), right.not_null())
    return Column(jnp.where(validity, data, jnp.zeros((), data.dtype)), validity, left.dtype, left.dictionary)


def _remap(codes: jax.Array, table: np.ndarray) -> jax.Array:
    if len(table) == 0:
        return jnp.zeros(codes.shape, np.int32)
    return jnp.asarray(table)[jnp.clip(codes, 0, len(table) - 1)]


# -- pandas' dtype for where/fillna/clip: asked of pandas on a two-row sample ---------------------
def _sample(dtype: jdt.DType, null_second: bool = False) -> pd.Series:
    samples = {"b": True, "i": 1, "f": 1.0, "U": "a", "M": pd.Timestamp("2000-01-01"), "m": pd.Timedelta(1, "s")}
    if dtype.kind == "P":
        samples["P"] = pd.Period(ordinal=0, freq=jdt.freq_of(dtype))
    if dtype.kind not in samples:
        raise NotImplementedError(f"this operation on {dtype} columns is not supported yet")
    value: Any = samples[dtype.kind]
    s = pd.Series([value, value], dtype=jdt.to_pandas(dtype))
    return s.mask(pd.Series([False, True])) if null_second else s


def _probe(fn: Any, what: str) -> jdt.DType:
    return jdt.held(fn().dtype, what)


def _probe_other(other: Any) -> Any:
    if isinstance(other, Column):
        return _sample(other.dtype)
    if isinstance(other, jax.Array):
        return np.ones((), other.dtype)[()]
    return other


def where_dtype(dtype: jdt.DType, other: Any) -> jdt.DType:
    """What ``Series.where(cond, other)`` gives when some rows are replaced."""
    cond = pd.Series([True, False])
    return _probe(lambda: _sample(dtype).where(cond, _probe_other(other)), f"where on {dtype} with {other!r}")


def fillna_dtype(dtype: jdt.DType, value: Any) -> jdt.DType:
    if not dtype.has_validity and dtype.kind != "f":
        return dtype
    return _probe(lambda: _sample(dtype, True).fillna(_probe_other(value)), f"fillna on {dtype} with {value!r}")


def where(col: Column, keep: jax.Array, other: Any) -> Column:
    """pandas' ``where``: keep rows where ``keep``, else ``other`` (scalar or Column)."""
    if (isinstance(other, Column) and other.dtype.kind in "Mm" and other.dtype.kind == col.dtype.kind
            and jdt.PER_SECOND[other.dtype.unit] > jdt.PER_SECOND[col.dtype.unit]):
        raise NotImplementedError(f"where/fillna of {col.dtype} with {other.dtype} values: pandas keeps the "
                                  "coarser unit only when every value fits it (value-dependent)")
    res = where_dtype(col.dtype, other)
    left = cast(col, res) if res.kind != "U" else col
    if isinstance(other, Column):
        right = other if other.dtype == res or res.kind == "U" else cast(other, res)
    else:
        right = constant(other, res, col.capacity)
    return select(keep, left, right)


def fillna(col: Column, value: Any) -> Column:
    """Nulls replaced by ``value`` (scalar or a Column on the same rows). A datetime/timedelta
    scalar of a finer unit than fits: pandas' Pandas4Warning, from asking pandas the dtype."""
    if col.dtype.kind in "Mm" and not isinstance(value, Column):
        fillna_dtype(col.dtype, value)
    return where(col, col.not_null(), value)


def clip(col: Column, lower: Any, upper: Any, live: jax.Array) -> Column:
    """Values bounded to [lower, upper]; null bounds mean no bound; nulls stay null. The dtype
    is pandas': a bound that replaces values promotes like ``where`` (int clipped at 1.5 ->
    float64), only when some live value is actually replaced (inside jit: always)."""
    if col.dtype.kind not in "bif":
        raise NotImplementedError(f"clip on {col.dtype} columns is not supported yet")
    for bound in (lower, upper):
        if bound is not None and np.ndim(bound) != 0:
            raise NotImplementedError("clip with array-like or Series bounds is not supported yet")
    res = col.dtype
    data = col.data
    present = col.not_null() & live
    for bound, fn, beyond in ((lower, jnp.maximum, jnp.less), (upper, jnp.minimum, jnp.greater)):
        if bound is None or is_null_scalar(bound):
            continue
        if is_traced(data, present) or bool(jnp.any(present & beyond(data, bound))):
            res = where_dtype(res, bound)
    out = cast(col, res) if res != col.dtype else col
    data = col.data
    for bound, fn in ((lower, jnp.maximum), (upper, jnp.minimum)):
        if bound is not None and not is_null_scalar(bound):
            data = fn(data, jnp.asarray(bound))
    return out.replace(data=jnp.where(out.not_null(), data.astype(res.storage), out.data))


def round_column(col: Column, decimals: int) -> Column:
    """numpy's round (half to even); bool and non-numeric columns are returned unchanged."""
    decimals = int(decimals)
    kind = col.dtype.kind
    if kind == "f":
        return col.replace(data=jnp.round(col.data, decimals))
    if kind == "d":  # Arrow rounds decimals half to even and keeps the dtype (scale)
        if decimals >= col.dtype.scale:
            return col
        step = col.dtype.scale - decimals
        if step > 18:
            return col.replace(data=jnp.zeros_like(col.data))
        factor = np.int64(10 ** step)
        magnitude = jnp.abs(col.data)
        q = magnitude // factor
        r = magnitude - q * factor
        up = (2 * r > factor) | ((2 * r == factor) & (q % 2 == 1))
        rounded = (q + up.astype(q.dtype)) * factor
        return col.replace(data=jnp.where(col.data < 0, -rounded, rounded))
    if kind != "i" or decimals >= 0:
        return col
    factor = 10 ** (-decimals)
    q = jnp.floor_divide(col.data, factor)
    r = col.data - q * factor
    up = (2 * r > factor) | ((2 * r == factor) & (q % 2 == 1))
    return col.replace(data=((q + up.astype(q.dtype)) * factor).astype(col.data.dtype))


def isna(col: Column) -> Column:
    """True where the value is missing (pandas' isna); a numpy bool column."""
    return Column(~col.not_null(), None, jdt.BOOL)


def fill_direction(col: Column, live: jax.Array, forward: bool) -> Column:
    """ffill (forward) or bfill: each null takes the nearest earlier (later) live present value."""
    n = col.capacity
    pos = jnp.arange(n)
    source = col.not_null() & live
    if forward:
        idx = jax.lax.cummax(jnp.where(source, pos, -1))
        found = idx >= 0
    else:
        idx = jax.lax.cummin(jnp.where(source, pos, n), reverse=True)
        found = idx < n
    take = jnp.clip(idx, 0, max(n - 1, 0))
    filled = col.take(take) if n else col
    keep = jnp.where(found, True, False)
    if not col.dtype.has_validity and col.dtype.kind != "f":
        return col
    if col.dtype.kind == "f" and not col.dtype.masked:
        return filled.replace(data=jnp.where(keep, filled.data, jnp.nan))
    validity = keep & filled.not_null()
    return filled.replace(validity=validity)
