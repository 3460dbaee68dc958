"""Reductions with pandas semantics: sum, mean, min, max, count, std, var, prod, any, all,
median, nunique, quantile, idxmin/idxmax.

Column-level kernels take a Column plus the live-row mask and reduce over the LAST axis, so the
same code reduces one column (1-D, axis=0 of a frame) and the rows of a stacked frame (2-D,
axis=1). Dead rows (row mask False) and nulls are replaced by the operation's identity before
reducing, so they never affect results; skipna=False turns the result null when a live null
exists. Everything is pure jnp: it traces under jit/grad with no host syncs. Converting a result
to the scalar pandas would return (``to_scalar``) happens only eagerly.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
import pandas as pd

from jaxframes import dtypes as jdt
from jaxframes.column import Column
from jaxframes.distributed import keyed
from jaxframes.distributed.sample_sort import is_distributed
from jaxframes.kernels.keys import pack_keys
from jaxframes.ops.sorting import column_key, dead_last
from jaxframes.facts import any_live
from jaxframes.dictionary import Dictionary
from jaxframes.ops import decimals
from jaxframes.executables import jit

OPS = ("sum", "prod", "mean", "median", "std", "var", "min", "max", "count", "any", "all", "nunique")
# Operations pandas refuses on a logical kind (TypeError), and those it allows that we do not.
_TYPE_ERRORS = {
    "U": {"mean", "median", "std", "var", "prod"},
    "M": {"sum", "prod", "var", "any", "all"},
    "m": {"prod", "var", "any", "all"},
}
_NOT_IMPLEMENTED = {
    "U": {"sum": "sum of strings (concatenation)"},
    "M": {"std": "std of datetimes (a Timedelta)"},
    "m": {"std": "std of timedeltas", "median": "median of timedeltas"},
}


@jax.tree_util.register_dataclass
@dataclass(frozen=True)
class Reduced:
    """A reduction's result: value (storage dtype of ``dtype``), null flag (None: never null),
    logical dtype, and the string dictionary that decodes a code result."""

    value: Any
    null: Any
    dtype: jdt.DType = field(metadata={"static": True})
    dictionary: Dictionary | None = field(default=None, metadata={"static": True})


def check_supported(op: str, dtype: jdt.DType) -> None:
    """Raise like pandas (TypeError) for reductions a dtype does not have."""
    if dtype.kind == "L" and op == "nunique":
        raise TypeError("unhashable type: 'list'")
    if dtype.kind == "L" and op not in ("count", "size"):
        raise NotImplementedError(f"{op} of a list column ({dtype}) is not supported: pandas would combine "
                                  "the Python lists; explode() the column first")
    if dtype.kind == "P" and op not in ("min", "max", "count", "nunique"):
        if op == "mean":
            raise TypeError("mean is not implemented for PeriodArray since the meaning is ambiguous.  An "
                            "alternative is obj.to_timestamp(how='start').mean()")
        if op == "median":
            raise NotImplementedError(f"median of a {dtype} column is not supported")
        raise TypeError(f"'PeriodArray' with dtype {dtype} does not support operation '{op}'")
    if op in _TYPE_ERRORS.get(dtype.kind, ()):
        raise TypeError(f"Cannot perform reduction '{op}' with {dtype} dtype")
    reason = _NOT_IMPLEMENTED.get(dtype.kind, {}).get(op)
    if reason is not None:
        raise NotImplementedError(f"{reason} is not supported yet")


def _present(col: Column, live: jax.Array) -> jax.Array:
    return col.not_null() & live


def _live_null(col: Column, live: jax.Array) -> jax.Array:
    """Whether any live row (along the last axis) is null: what skipna=False propagates."""
    return jnp.any(live & ~col.not_null(), axis=-1)


def _or(a: Any, b: Any) -> Any:
    if a is None:
        return b
    return a if b is None else a | b


def _float_storage(dtype: jdt.DType) -> Any:
    return jnp.float32 if dtype.kind == "f" and dtype.storage == np.float32 else jnp.float64


def _mean_dtype(dtype: jdt.DType) -> jdt.DType:
    if dtype.kind in "Mm":
        return dtype
    if dtype.kind == "f":
        return dtype
    return jdt.NFLOAT64 if dtype.masked else jdt.FLOAT64


def _sum_dtype(dtype: jdt.DType) -> jdt.DType:
    if dtype.kind in "bi":
        return jdt.NINT64 if dtype.masked else jdt.INT64
    if dtype.kind == "u":
        return jdt.UINT64  # pandas sums unsigned ints as uint64
    return dtype


def _extreme(dtype: Any, largest: bool) -> Any:
    """The identity of min (largest=True) or max (largest=False) for a storage dtype."""
    dtype = np.dtype(dtype)
    if dtype.kind == "b":
        return bool(largest)
    if dtype.kind == "f":
        return np.inf if largest else -np.inf
    info = np.iinfo(dtype)
    return dtype.type(info.max if largest else info.min)  # typed: uint64 max is no int64 literal


def reduce_columns(cols: list[Column], live: jax.Array, op: str, *, skipna: bool = True,
                   **kw: Any) -> list[Reduced]:
    """``reduce_column`` of several columns over the same rows. Eagerly, the columns without a
    string dictionary reduce in one compiled program per (op, schema): op by op, every
    primitive would compile a program of its own per shape and dtype."""
    if op not in OPS:
        raise ValueError(f"unknown reduction {op!r}")
    for col in cols:
        check_supported(op, col.dtype)
    fuse = [i for i, c in enumerate(cols) if c.dictionary is None and c.child is None
            and c.dtype.kind not in "dL" and not isinstance(c.data, jax.core.Tracer)]  # decimals sync
    if isinstance(live, jax.core.Tracer) or len(fuse) == 0:
        return [reduce_column(c, live, op, skipna=skipna, **kw) for c in cols]
    fused = _reduce_fused(tuple(cols[i] for i in fuse), live, op=op, skipna=skipna,
                          kw=tuple(sorted(kw.items())))
    out: list[Any] = [None] * len(cols)
    for i, r in zip(fuse, fused):
        out[i] = r
    return [r if r is not None else reduce_column(c, live, op, skipna=skipna, **kw) for c, r in zip(cols, out)]


@functools.partial(jit, static_argnames=("op", "skipna", "kw"))
def _reduce_fused(cols: tuple, live: jax.Array, *, op: str, skipna: bool, kw: tuple) -> tuple:
    return tuple(reduce_column(c, live, op, skipna=skipna, **dict(kw)) for c in cols)


def reduce_column(col: Column, live: jax.Array, op: str, *, skipna: bool = True, ddof: int = 1,
                  min_count: int = 0, dropna: bool = True, sharding: Any = None) -> Reduced:
    """Reduce ``col`` over its last axis, counting only live rows, with pandas' rules. A
    row-sharded ``nunique`` (``sharding`` over several devices) counts by key range
    (distributed/keyed.py); the other reductions are XLA's (their all-reduces are scalars)."""
    if op not in OPS:
        raise ValueError(f"unknown reduction {op!r}")
    dtype = col.dtype
    check_supported(op, dtype)
    present = _present(col, live)
    count = jnp.sum(present, axis=-1, dtype=jnp.int64)
    propagate = None if skipna else _live_null(col, live)
    data = col.data
    if op == "count":
        return Reduced(count, None, jdt.INT64)
    if op == "nunique":
        if is_distributed(sharding) and col.data.ndim == 1 and live.shape[0]:
            rows = present if dropna else live
            words = pack_keys([dead_last(rows), column_key(col)]).words
            return Reduced(keyed.nunique(words, rows, sharding), None, jdt.INT64)
        return Reduced(_nunique(col, live, present, dropna), None, jdt.INT64)
    if dtype.kind == "d":
        return _decimal_reduce(col, op, present, count, propagate, min_count)
    if op in ("any", "all"):
        return _any_all(col, live, present, op, skipna)
    if op in ("sum", "prod"):
        acc = jnp.int64 if dtype.kind in "bimM" else jnp.uint64 if dtype.kind == "u" else data.dtype
        identity = 0 if op == "sum" else 1
        x = jnp.where(present, data.astype(acc), jnp.asarray(identity, acc))
        value = jnp.sum(x, axis=-1) if op == "sum" else jnp.prod(x, axis=-1)
        null = (count < min_count) if min_count > 0 else None
        return Reduced(value, _or(null, propagate), _sum_dtype(dtype))
    if op in ("min", "max"):
        ident = _extreme(data.dtype, op == "min")
        x = jnp.where(present, data, jnp.asarray(ident, data.dtype))
        value = jnp.min(x, axis=-1, initial=ident) if op == "min" else jnp.max(x, axis=-1, initial=ident)
        return Reduced(value, _or(count == 0, propagate), dtype, col.dictionary)
    if op == "mean":
        return Reduced(_mean(col, present, count), _or(count == 0, propagate), _mean_dtype(dtype))
    if op in ("var", "std"):
        fdt = _float_storage(dtype)
        x = data.astype(fdt)
        n = count.astype(fdt)
        mean = jnp.sum(jnp.where(present, x, 0), axis=-1) / jnp.where(count > 0, n, 1)
        dev = jnp.where(present, x - mean[..., None] if x.ndim > 1 else x - mean, 0)
        denom = n - ddof
        var = jnp.sum(dev * dev, axis=-1) / jnp.where(denom > 0, denom, 1)
        value = jnp.sqrt(var) if op == "std" else var
        return Reduced(value, _or(count <= ddof, propagate), _mean_dtype(dtype))
    # median
    if dtype.kind in "Mm":
        base = jnp.min(jnp.where(present, data, jnp.iinfo(np.int64).max), axis=-1,
                       initial=jnp.iinfo(np.int64).max)
        shifted = col.replace(data=data - (base[..., None] if data.ndim > 1 else base))
        offset = quantiles(shifted, present, count, jnp.asarray([0.5]))[..., 0]
        value = base + jnp.round(offset).astype(jnp.int64)
    else:
        value = quantiles(col, present, count, jnp.asarray([0.5]))[..., 0].astype(_float_storage(dtype))
    return Reduced(value, _or(count == 0, propagate), _mean_dtype(dtype))


def _decimal_reduce(col: Column, op: str, present: jax.Array, count: jax.Array, propagate: Any,
                    min_count: int) -> Reduced:
    """sum (exact, decimal128(38, s) as pandas gives it), mean (rounded half away from zero at the
    column's scale, as Arrow does), min and max of a decimal column; other reductions refuse."""
    decimals.check_reduction(op, col.dtype)
    if op == "sum":
        null = (count < min_count) if min_count > 0 else None
        return Reduced(decimals.checked_sum(col.data, present, None), _or(null, propagate),
                       decimals.sum_dtype(col.dtype))
    if op == "mean":
        total = decimals.checked_sum(col.data, present, None)
        return Reduced(decimals.rounded_mean(total, count), _or(count == 0, propagate), col.dtype)
    ident = _extreme(col.data.dtype, op == "min")
    x = jnp.where(present, col.data, jnp.asarray(ident, col.data.dtype))
    value = jnp.min(x, axis=-1, initial=ident) if op == "min" else jnp.max(x, axis=-1, initial=ident)
    return Reduced(value, _or(count == 0, propagate), col.dtype)


def _mean(col: Column, present: jax.Array, count: jax.Array) -> jax.Array:
    data = col.data
    denom = jnp.where(count > 0, count, 1)
    if col.dtype.kind in "Mm":
        # pandas sums the int64 nanoseconds as float64 and truncates the mean back to int64.
        total = jnp.sum(jnp.where(present, data, 0).astype(jnp.float64), axis=-1)
        return (total / denom).astype(jnp.int64)
    fdt = _float_storage(col.dtype)
    total = jnp.sum(jnp.where(present, data.astype(fdt), 0), axis=-1)
    return total / denom.astype(fdt)


def quantiles(col: Column, present: jax.Array, count: jax.Array, q: jax.Array) -> jax.Array:
    """Linear-interpolation quantiles (numpy/pandas 'linear') of the present values, float64,
    shape (..., len(q)). Absent values sort last (as +inf), past every position read."""
    x = col.data.astype(jnp.float64)
    ordered = jnp.sort(jnp.where(present, x, jnp.inf), axis=-1)
    pos = q * (jnp.maximum(count, 1) - 1)[..., None].astype(jnp.float64)
    lo = jnp.floor(pos).astype(jnp.int64)
    hi = jnp.ceil(pos).astype(jnp.int64)
    a = jnp.take_along_axis(ordered, lo, axis=-1)
    b = jnp.take_along_axis(ordered, hi, axis=-1)
    frac = pos - lo
    # numpy's lerp: exact at both ends, no inf*0 when a == b.
    return jnp.where(a == b, a, jnp.where(frac >= 0.5, b - (b - a) * (1 - frac), a + (b - a) * frac))


def _nunique(col: Column, live: jax.Array, present: jax.Array, dropna: bool) -> jax.Array:
    data = col.data
    order = jnp.lexsort((data, ~present), axis=-1)
    values = jnp.take_along_axis(data, order, axis=-1)
    valid = jnp.take_along_axis(present, order, axis=-1)
    prev = jnp.concatenate([values[..., :1], values[..., :-1]], axis=-1)
    first = jnp.arange(data.shape[-1]) == 0
    starts = valid & (first | (values != prev))
    out = jnp.sum(starts, axis=-1, dtype=jnp.int64)
    if not dropna:
        out = out + _live_null(col, live).astype(jnp.int64)
    return out


def _truthy(col: Column) -> jax.Array:
    if col.dtype.kind == "U":
        assert col.dictionary is not None
        code, found = col.dictionary.lookup("")
        if isinstance(found, jax.Array):  # a traced dictionary: whether "" is in it is data
            return (col.data != code) | ~found
        return col.data != code if found else jnp.ones(col.data.shape, bool)
    return col.data != 0


def _any_all(col: Column, live: jax.Array, present: jax.Array, op: str, skipna: bool) -> Reduced:
    truthy = _truthy(col)
    dtype = jdt.NBOOL if col.dtype.masked else jdt.BOOL
    if skipna or not col.dtype.masked:
        # numpy floats and 'str' count NaN as truthy when not skipped (as Python does).
        counted = present if skipna else live
        truthy = truthy | ~col.not_null()
        if op == "any":
            return Reduced(jnp.any(counted & truthy, axis=-1), None, dtype)
        return Reduced(jnp.all(~counted | truthy, axis=-1), None, dtype)
    # Kleene logic for masked dtypes with skipna=False.
    has_na = _live_null(col, live)
    if op == "any":
        value = jnp.any(present & truthy, axis=-1)
        return Reduced(value, ~value & has_na, dtype)
    value = jnp.all(~present | truthy, axis=-1)
    return Reduced(value, value & has_na, dtype)


def arg_extreme(col: Column, live: jax.Array, op: str, skipna: bool = True) -> tuple[jax.Array, jax.Array]:
    """(position of the first min/max among present live rows, invalid flag): invalid when no
    row qualifies or, with skipna=False, a live null exists (pandas raises ValueError)."""
    present = _present(col, live)
    r = reduce_column(col, live, "min" if op == "idxmin" else "max")
    pos = jnp.argmax(present & (col.data == r.value), axis=-1)
    bad = ~jnp.any(present, axis=-1)
    if not skipna:
        bad = bad | _live_null(col, live)
    return pos, bad


# -- results -------------------------------------------------------------------------------------
def to_scalar(r: Reduced) -> Any:
    """The eager scalar pandas returns: numpy scalars, pd.NA / NaT / NaN for missing results."""
    dtype = r.dtype
    if r.null is not None and bool(r.null):
        if dtype.masked:
            return pd.NA
        if dtype.kind in "MmP":
            return pd.NaT
        return np.dtype(dtype.storage).type(np.nan) if dtype.kind == "f" else np.nan
    value = np.asarray(r.value)[()]
    if dtype.kind == "M":  # in the column's unit, as pandas returns it
        stamp = pd.Timestamp(np.datetime64(int(value), dtype.unit))
        tz = jdt.tz_of(dtype)
        return stamp if tz is None else stamp.tz_localize("UTC").tz_convert(tz)
    if dtype.kind == "m":
        return pd.Timedelta(np.timedelta64(int(value), dtype.unit))
    if dtype.kind == "P":
        return pd.Period(ordinal=int(value), freq=dtype.freq)
    if dtype.kind == "U":
        assert r.dictionary is not None
        return r.dictionary.decode(np.asarray([value]), None)[0]
    if dtype.kind == "d":
        return decimals.to_decimal(value, dtype.scale)
    return np.dtype(dtype.storage).type(value)


def to_traced(r: Reduced) -> jax.Array:
    """A device result inside jit: missing values become NaN (ints promote to float64 when the
    result can be missing, since a traced int cannot say NA)."""
    if r.null is None:
        return r.value
    value = r.value
    if value.dtype.kind != "f":
        if r.dtype.kind in "UMmP":
            raise NotImplementedError(f"a possibly-missing {r.dtype} reduction inside jax.jit")
        value = value.astype(jnp.float64)
    return jnp.where(r.null, jnp.nan, value)


def to_column(r: Reduced, live: jax.Array | None) -> Column:
    """A result vector (one value per row) as a Column with pandas' null representation. A
    numpy int/bool result becomes float64 only when a LIVE row's result is missing
    (``facts.any_live``; inside a user jit: always, the dtype that holds every outcome)."""
    dtype, value, null = r.dtype, r.value, r.null
    if null is None:
        return Column(value, None, dtype, r.dictionary)
    if not dtype.has_validity and dtype.kind != "f":
        if not any_live("row-wise reduction: a live row's result is missing", null, live, in_jit=True):
            return Column(value, None, dtype, r.dictionary)
        return Column(jnp.where(null, jnp.nan, value.astype(jnp.float64)), None, jdt.FLOAT64)
    if dtype.has_validity:
        return Column(value, ~null, dtype, r.dictionary)
    return Column(jnp.where(null, jnp.nan, value), None, dtype)
