"""Cumulative operations (cumsum, cumprod, cummin, cummax) and row shifts (shift, diff) with
pandas semantics, on one Column plus the live-row mask.

Scans fill dead rows and nulls with the operation's identity, so they never contribute; nulls
stay null in the output, and with skipna=False every row from the first live null on is null.
shift/diff need the PREVIOUS LIVE row: callers compact the container first, so live rows are
a contiguous prefix and a physical shift is a logical one.
"""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp

from jaxframes import dtypes as jdt
from jaxframes.column import Column
from jaxframes.table import is_traced
from jaxframes.ops.reductions import _extreme

CUM_OPS = ("cumsum", "cumprod", "cummin", "cummax")


def _with_nulls(data: jax.Array, null: jax.Array, dtype: jdt.DType, col: Column) -> Column:
    """Data plus a null mask, in the dtype's null representation (NaN or validity)."""
    if dtype.has_validity:
        return Column(data, ~null, dtype, col.dictionary if dtype.kind == "U" else None)
    if dtype.kind == "f":
        return Column(jnp.where(null, jnp.nan, data), None, dtype)
    return Column(data, None, dtype)  # numpy int/bool hold no nulls, so none are produced


def cumulative(col: Column, live: jax.Array, op: str, skipna: bool = True) -> Column:
    """A running reduction over the live rows, in row order."""
    if op not in CUM_OPS:
        raise ValueError(f"unknown cumulative operation {op!r}")
    dtype = col.dtype
    kind = dtype.kind
    if kind == "U" and op == "cumsum":
        raise NotImplementedError("cumsum of strings (concatenation) is not supported yet")
    if (kind == "U" and op == "cumprod") or (kind == "M" and op in ("cumsum", "cumprod")) \
            or (kind == "m" and op == "cumprod"):
        raise TypeError(f"Cannot perform {op} with {dtype} dtype")
    not_null = col.not_null()
    present = not_null & live
    data = col.data
    if op in ("cumsum", "cumprod"):
        acc = jnp.int64 if kind in "bim" else data.dtype
        out_dtype = (jdt.NINT64 if dtype.masked else jdt.INT64) if kind in "bi" else dtype
        x = jnp.where(present, data.astype(acc), jnp.asarray(0 if op == "cumsum" else 1, acc))
        out = jnp.cumsum(x) if op == "cumsum" else jnp.cumprod(x)
    else:
        out_dtype = dtype
        fill = jnp.asarray(_extreme(data.dtype, op == "cummin"), data.dtype)
        x = jnp.where(present, data, fill)
        if x.dtype == jnp.bool_:  # XLA's cumulative min/max take numbers, not bools
            x = x.astype(jnp.int8)
        out = jax.lax.cummin(x) if op == "cummin" else jax.lax.cummax(x)
    null = ~not_null
    if not skipna:
        null = null | (jnp.cumsum(live & ~not_null) > 0)
    return _with_nulls(out.astype(out_dtype.storage), null, out_dtype, col)


def _shifted(col: Column, live: jax.Array, periods: int) -> tuple[jax.Array, jax.Array, jax.Array]:
    """(data, validity, in_range) of the column moved down by ``periods`` live rows; ``live``
    must be a prefix (a compacted container)."""
    n = col.capacity
    count = jnp.sum(live, dtype=jnp.int64)
    src = jnp.arange(n, dtype=jnp.int64) - periods
    in_range = (src >= 0) & (src < count)
    safe = jnp.clip(src, 0, max(n - 1, 0))
    data = col.data[safe] if n else col.data
    valid = col.not_null()[safe] if n else col.not_null()
    return data, valid & in_range, in_range


def shift(col: Column, live: jax.Array, periods: int = 1, fill_value: Any = None,
          empty_keeps_dtype: bool = False) -> Column:
    """Values moved by ``periods`` rows; vacated rows get ``fill_value`` or null (pandas' dtypes:
    numpy ints become float64 with NaN unless a fill value is given). pandas' DataFrame.shift
    keeps the dtypes of an empty frame (``empty_keeps_dtype``); Series.shift upcasts anyway."""
    dtype = col.dtype
    if periods == 0 or (empty_keeps_dtype and not is_traced(live) and not bool(jnp.any(live))):
        return col
    if dtype.kind == "b" and not dtype.masked:
        raise NotImplementedError("shift of a numpy bool column (pandas gives object dtype)")
    data, valid, in_range = _shifted(col, live, periods)
    if fill_value is not None:
        if dtype.kind in "UMm":
            raise NotImplementedError(f"shift(fill_value=...) on a {dtype} column")
        data = jnp.where(in_range, data, jnp.asarray(fill_value).astype(data.dtype))
        valid = valid | ~in_range
        return _with_nulls(data, ~valid, dtype, col)
    if not dtype.has_validity and dtype.kind != "f":
        return Column(jnp.where(valid, data.astype(jnp.float64), jnp.nan), None, jdt.FLOAT64)
    return _with_nulls(data, ~valid, dtype, col)


def diff(col: Column, live: jax.Array, periods: int = 1) -> Column:
    """First discrete difference with the row ``periods`` live rows before (pandas' dtypes)."""
    dtype = col.dtype
    kind = dtype.kind
    if kind == "U":
        raise TypeError(f"unsupported operand type(s) for -: '{dtype}' and '{dtype}'")
    if kind == "b" and not dtype.masked:
        raise NotImplementedError("diff of a numpy bool column (pandas gives object dtype)")
    prev, prev_valid, _ = _shifted(col, live, periods)
    valid = col.not_null() & prev_valid
    if kind == "b":
        return _with_nulls(col.data != prev, ~valid, dtype, col)
    out = col.data - prev
    if kind == "M":
        return Column(out, valid, jdt.TIMEDELTA)
    if kind == "i" and not dtype.masked:
        return Column(jnp.where(valid, out.astype(jnp.float64), jnp.nan), None, jdt.FLOAT64)
    return _with_nulls(out, ~valid, dtype, col)
