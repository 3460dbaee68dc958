"""Cumulative operations (cumsum, cumprod, cummin, cummax) and row shifts (shift, diff) with
pandas semantics, on one Column plus the live-row mask.

Scans fill dead rows and nulls with the operation's identity, so they never contribute; nulls
stay null in the output, and with skipna=False every row from the first live null on is null.
shift/diff take the row ``periods`` LIVE rows before, skipping dead rows in place (no
compaction): the result keeps the input's physical layout and row mask.
"""

from __future__ import annotations

from functools import partial
from typing import Any, Hashable

import jax
import jax.numpy as jnp

from jaxframes import dtypes as jdt
from jaxframes.column import Column, gather_clipped
from jaxframes.facts import any_live
from jaxframes.kernels.compact import compact_permutation
from jaxframes.ops.reductions import _extreme

CUM_OPS = ("cumsum", "cumprod", "cummin", "cummax")


def _with_nulls(data: jax.Array, null: jax.Array, dtype: jdt.DType, col: Column) -> Column:
    """Data plus a null mask, in the dtype's null representation (NaN or validity)."""
    if dtype.has_validity:
        return Column(data, ~null, dtype, col.dictionary if dtype.kind == "U" else None,
                      col.child if dtype.kind == "L" else None)
    if dtype.kind == "f":
        return Column(jnp.where(null, jnp.nan, data), None, dtype)
    return Column(data, None, dtype)  # numpy int/bool hold no nulls, so none are produced


def cumulative(col: Column, live: jax.Array, op: str, skipna: bool = True) -> Column:
    """A running reduction over the live rows, in row order."""
    if op not in CUM_OPS:
        raise ValueError(f"unknown cumulative operation {op!r}")
    dtype = col.dtype
    kind = dtype.kind
    if kind == "L":
        raise NotImplementedError(f"{op} of a list column ({dtype}) is not supported")
    if kind == "U" and op == "cumsum":
        raise NotImplementedError("cumsum of strings (concatenation) is not supported yet")
    if kind == "d":  # pandas' Arrow decimals have no cumulative kernels
        raise TypeError(f"operation '{op}' not supported for dtype '{dtype}'")
    if kind == "P" and op in ("cumsum", "cumprod"):
        raise TypeError(f"Accumulation {op} not supported for <class 'pandas.arrays.PeriodArray'>")
    if (kind == "U" and op == "cumprod") or (kind == "M" and op in ("cumsum", "cumprod")) \
            or (kind == "m" and op == "cumprod"):
        raise TypeError(f"Cannot perform {op} with {dtype} dtype")
    not_null = col.not_null()
    present = not_null & live
    data = col.data
    if op in ("cumsum", "cumprod"):
        acc = jnp.int64 if kind in "bim" else jnp.uint64 if kind == "u" else data.dtype
        out_dtype = (jdt.NINT64 if dtype.masked else jdt.INT64) if kind in "bi" else \
            jdt.UINT64 if kind == "u" else dtype
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


@partial(jax.jit, static_argnums=1)
def shift_source(live: jax.Array, periods: int) -> tuple[jax.Array, jax.Array]:
    """(source row, in_range) for moving values down by ``periods`` LIVE rows, on the same
    physical rows: row i takes the live row whose live rank is rank(i) - periods. The
    permutation that lists live rows first maps a rank back to a physical row, so dead rows
    between live ones are skipped without compacting (shapes stay static under jit, and the
    result keeps the input's row mask, so it lines up with the frame it came from). A frame
    computes this once for all its columns."""
    n = live.shape[0]
    if n == 0:
        return jnp.zeros((0,), jnp.int64), jnp.zeros((0,), bool)
    rank = jnp.cumsum(live, dtype=jnp.int64) - 1
    by_rank, count = compact_permutation(live)
    src_rank = rank - periods
    in_range = live & (src_rank >= 0) & (src_rank < count)
    return gather_clipped(by_rank, src_rank), in_range


def _shifted(col: Column, source: tuple[jax.Array, jax.Array]) -> tuple[jax.Array, jax.Array, jax.Array]:
    """(data, validity, in_range) of the column gathered from ``shift_source`` rows."""
    src, in_range = source
    if col.capacity == 0:
        return col.data, col.not_null(), in_range
    data = gather_clipped(col.data, src)
    valid = gather_clipped(col.not_null(), src)
    return data, valid & in_range, in_range


def shift(col: Column, live: jax.Array, periods: int = 1, fill_value: Any = None,
          keep_dtype: bool = False, source: tuple[jax.Array, jax.Array] | None = None) -> Column:
    """Values moved by ``periods`` live rows; vacated rows get ``fill_value`` or null (pandas' dtypes:
    numpy ints become float64 with NaN unless a fill value is given). ``keep_dtype``: pandas'
    DataFrame.shift keeps the dtypes of an empty frame (the caller decides); Series.shift upcasts.
    ``source``: a precomputed ``shift_source(live, periods)``."""
    dtype = col.dtype
    if periods == 0 or keep_dtype:
        return col
    if dtype.kind == "b" and not dtype.masked:
        raise NotImplementedError("shift of a numpy bool column (pandas gives object dtype)")
    data, valid, in_range = _shifted(col, source or shift_source(live, periods))
    if fill_value is not None:
        if dtype.kind in "UMmLP":
            raise NotImplementedError(f"shift(fill_value=...) on a {dtype} column")
        data = jnp.where(in_range, data, jnp.asarray(fill_value).astype(data.dtype))
        valid = valid | ~in_range
        return _with_nulls(data, ~valid, dtype, col)
    if not dtype.has_validity and dtype.kind != "f":
        return Column(jnp.where(valid, data.astype(jnp.float64), jnp.nan), None, jdt.FLOAT64)
    return _with_nulls(data, ~valid, dtype, col)


def diff(col: Column, live: jax.Array, periods: int = 1,
         source: tuple[jax.Array, jax.Array] | None = None) -> Column:
    """First discrete difference with the row ``periods`` live rows before (pandas' dtypes)."""
    dtype = col.dtype
    kind = dtype.kind
    if kind == "U":
        raise TypeError(f"unsupported operand type(s) for -: '{dtype}' and '{dtype}'")
    if kind == "L":
        raise TypeError("unsupported operand type(s) for -: 'list' and 'list'")
    if kind == "b" and not dtype.masked:
        raise NotImplementedError("diff of a numpy bool column (pandas gives object dtype)")
    if kind == "d":
        raise NotImplementedError(f"diff of a {dtype} column is not supported yet (x - x.shift() is)")
    if kind == "P":
        raise NotImplementedError(f"diff of a {dtype} column gives pandas' DateOffset objects (an object "
                                  "column), which JaxFrames columns do not hold")
    prev, prev_valid, _ = _shifted(col, source or shift_source(live, periods))
    valid = col.not_null() & prev_valid
    if kind == "b":
        return _with_nulls(col.data != prev, ~valid, dtype, col)
    out = col.data - prev
    if kind == "M":
        return Column(out, valid, jdt.timedelta(dtype.unit))
    if kind in "iu" and not dtype.masked:  # (unsigned: the wrapped difference, as pandas)
        return Column(jnp.where(valid, out.astype(jnp.float64), jnp.nan), None, jdt.FLOAT64)
    return _with_nulls(out, ~valid, dtype, col)


def shift_columns(columns: dict[Hashable, Column], live: jax.Array, periods: int,
                  fill_value: Any = None) -> dict[Hashable, Column]:
    """DataFrame.shift: every column moved by the same live rows (one ``shift_source``). pandas
    keeps the dtypes of an empty frame; inside a user jit the frame is taken as non-empty."""
    upcasts = any(not c.dtype.has_validity and c.dtype.kind in "bi" for c in columns.values())
    keep = periods != 0 and upcasts and not any_live("DataFrame.shift: empty keeps dtypes", live, in_jit=True)
    source = None if keep or periods == 0 else shift_source(live, periods)
    return {k: shift(c, live, periods, fill_value, keep_dtype=keep, source=source) for k, c in columns.items()}


def diff_columns(columns: dict[Hashable, Column], live: jax.Array, periods: int) -> dict[Hashable, Column]:
    """DataFrame.diff: every column against the row ``periods`` live rows before (one source)."""
    source = shift_source(live, periods)
    return {k: diff(c, live, periods, source) for k, c in columns.items()}
