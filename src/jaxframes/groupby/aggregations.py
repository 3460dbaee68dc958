"""Per-group aggregations with pandas' result dtypes and null rules.

Each function takes a Column and a Grouping and returns a Column with one value per group
slot (key order). Values are gathered once in sorted order; absent values (nulls, dead rows)
are replaced by the reduction's identity so that they cannot contribute.
"""

from __future__ import annotations

from typing import Callable

import jax
import jax.numpy as jnp

from jaxframes import dtypes as jdt
from jaxframes.column import Column
from jaxframes.generic import is_traced
from jaxframes.groupby.grouper import Grouping, sort_key_for
from jaxframes.kernels import segments as seg
from jaxframes.kernels.keys import SortKey, pack_keys
from jaxframes.kernels.sort import sort_words


def _sorted(col: Column, g: Grouping) -> tuple[jax.Array, jax.Array]:
    """(values, present) in the grouping's sorted row order."""
    return col.data[g.perm], col.not_null()[g.perm] & g.live_sorted


def _refuse(col: Column, how: str, kinds: str) -> None:
    if col.dtype.kind not in kinds:
        raise TypeError(f"dtype '{col.dtype}' does not support operation '{how}'")


def _result(data: jax.Array, present: jax.Array | None, like: jdt.DType, dictionary=None) -> Column:
    """A result column of dtype ``like``; absent groups become null the way that dtype shows nulls."""
    if present is None:
        return Column(data, None, like, dictionary)
    if like.has_validity:
        return Column(data, present, like, dictionary)
    if like.kind == "f":
        return Column(jnp.where(present, data, jnp.nan), None, like)
    return Column(jnp.where(present, data, jnp.nan).astype(jnp.float64), None, jdt.FLOAT64)


def _absent_possible(col: Column, present: jax.Array) -> jax.Array | None:
    """numpy int/bool columns hold no nulls, so every group has a value: no null mask needed."""
    return None if col.dtype.kind in "bi" and not col.dtype.masked else present


def _float_like(dtype: jdt.DType, keep_f32: bool) -> jdt.DType:
    if dtype.masked:
        return jdt.NFLOAT64
    return jdt.FLOAT32 if keep_f32 and dtype == jdt.FLOAT32 else jdt.FLOAT64


def _sum_dtype(dtype: jdt.DType) -> jdt.DType:
    """Accumulate bools and 32-bit ints in 64 bits (pandas does, then casts back when it fits)."""
    if dtype.kind in "bi":
        return jdt.NINT64 if dtype.masked else jdt.INT64
    return dtype


def _downcast_like_pandas(total: jax.Array, col: Column) -> tuple[jax.Array, jdt.DType]:
    """pandas returns int32 sums/products as int32 when every result fits (eager: data-dependent;
    traced: int64, which holds every result)."""
    if col.dtype.kind == "i" and col.dtype.storage == jnp.int32 and not is_traced(total):
        info = jnp.iinfo(jnp.int32)
        if total.size == 0 or bool(jnp.all((total >= info.min) & (total <= info.max))):
            return total.astype(jnp.int32), col.dtype
    return total, _sum_dtype(col.dtype)


def _additive(col: Column, g: Grouping, how: str, min_count: int) -> Column:
    if col.dtype.kind == "U":
        raise NotImplementedError(f"groupby {how} of string columns")
    _refuse(col, how, "bif")
    values, present = _sorted(col, g)
    acc = _sum_dtype(col.dtype).storage
    if how == "sum":
        total = seg.seg_sum(seg.identity_fill(values, present, 0).astype(acc), g.ids, g.num_slots)
    else:
        total = seg.seg_prod(seg.identity_fill(values, present, 1).astype(acc), g.ids, g.num_slots)
    total, out_dtype = _downcast_like_pandas(total, col)
    if min_count > 0:
        return _result(total, seg.seg_count(present, g.ids, g.num_slots) >= min_count, out_dtype)
    return _result(total, jnp.ones_like(total, bool) if out_dtype.has_validity else None, out_dtype)


def agg_sum(col: Column, g: Grouping, min_count: int = 0) -> Column:
    return _additive(col, g, "sum", min_count)


def agg_prod(col: Column, g: Grouping, min_count: int = 0) -> Column:
    return _additive(col, g, "prod", min_count)


def agg_count(col: Column, g: Grouping) -> Column:
    _, present = _sorted(col, g)
    counts = seg.seg_count(present, g.ids, g.num_slots)
    if col.dtype.masked:
        return Column(counts, jnp.ones_like(counts, bool), jdt.NINT64)
    return Column(counts, None, jdt.INT64)


def group_sizes(g: Grouping) -> Column:
    return Column(seg.seg_count(g.live_sorted, g.ids, g.num_slots), None, jdt.INT64)


def agg_mean(col: Column, g: Grouping) -> Column:
    _refuse(col, "mean", "bif")
    values, present = _sorted(col, g)
    total = seg.seg_sum(seg.identity_fill(values.astype(jnp.float64), present, 0.0), g.ids, g.num_slots)
    count = seg.seg_count(present, g.ids, g.num_slots)
    mean = total / jnp.maximum(count, 1)
    # pandas quirk: float32 means stay float32 when the column holds nulls (or is empty).
    keep_f32 = col.dtype == jdt.FLOAT32 and not is_traced(present) and (
        g.num_slots == 0 or not bool(jnp.all(present | ~g.live_sorted)))
    dtype = _float_like(col.dtype, keep_f32=keep_f32)
    return _result(mean.astype(dtype.storage), count > 0, dtype)


def agg_var(col: Column, g: Grouping, ddof: int = 1, root: bool = False) -> Column:
    _refuse(col, "std" if root else "var", "bif")
    values, present = _sorted(col, g)
    x = values.astype(jnp.float64)
    count = seg.seg_count(present, g.ids, g.num_slots)
    mean = seg.seg_sum(seg.identity_fill(x, present, 0.0), g.ids, g.num_slots) / jnp.maximum(count, 1)
    centered = x - (mean[jnp.clip(g.ids, 0, max(g.num_slots - 1, 0))] if g.num_slots else 0.0)
    sq = seg.seg_sum(jnp.where(present, centered * centered, 0.0), g.ids, g.num_slots)
    var = sq / jnp.maximum(count - ddof, 1)
    out = jnp.sqrt(var) if root else var
    dtype = _float_like(col.dtype, keep_f32=True)
    return _result(out.astype(dtype.storage), count > ddof, dtype)


def agg_extreme(col: Column, g: Grouping, largest: bool) -> Column:
    _refuse(col, "max" if largest else "min", "bifUMm")
    values, present = _sorted(col, g)
    if largest:
        out = seg.seg_max(seg.identity_fill(values, present, seg.lowest(values.dtype)), g.ids, g.num_slots)
    else:
        out = seg.seg_min(seg.identity_fill(values, present, seg.highest(values.dtype)), g.ids, g.num_slots)
    has_value = _absent_possible(col, seg.seg_count(present, g.ids, g.num_slots) > 0)
    return _result(out, has_value, col.dtype, col.dictionary)


def agg_nth_present(col: Column, g: Grouping, last: bool) -> Column:
    """first()/last(): the first/last non-null value of each group."""
    values, present = _sorted(col, g)
    pos = seg.seg_first_position(present, g.ids, g.num_slots, last=last)
    out = values[jnp.clip(pos, 0)] if values.shape[0] else jnp.zeros(g.num_slots, values.dtype)
    return _result(out, _absent_possible(col, pos >= 0), col.dtype, col.dictionary)


def agg_any_all(col: Column, g: Grouping, want_all: bool) -> Column:
    _refuse(col, "all" if want_all else "any", "bif")
    values, present = _sorted(col, g)
    truth = values != 0
    if want_all:
        out = seg.seg_min(jnp.where(present, truth, True), g.ids, g.num_slots)
    else:
        out = seg.seg_max(jnp.where(present, truth, False), g.ids, g.num_slots)
    if col.dtype.masked:
        return Column(out, jnp.ones_like(out, bool), jdt.NBOOL)
    return Column(out, None, jdt.BOOL)


def _within_group_sort(col: Column, g: Grouping) -> tuple[jax.Array, jax.Array, jax.Array]:
    """Values sorted by (group, value) with nulls last in each group: (values, present, ids)."""
    ids_key = SortKey(g.ids, kind="i")
    perm, _ = sort_words(pack_keys([ids_key, sort_key_for(col.replace(
        data=col.data[g.perm], validity=None if col.validity is None else col.validity[g.perm]))]).words)
    present = (col.not_null()[g.perm] & g.live_sorted)[perm]
    return col.data[g.perm][perm], present, g.ids[perm]


def agg_median(col: Column, g: Grouping) -> Column:
    _refuse(col, "median", "bif")
    values, present, ids = _within_group_sort(col, g)
    count = seg.seg_count(present, ids, g.num_slots)
    start = seg.seg_first_position(jnp.ones_like(present), ids, g.num_slots)
    x = values.astype(jnp.float64)
    if x.shape[0] == 0:
        med = jnp.zeros(g.num_slots)
    else:
        lo = x[jnp.clip(start + (count - 1) // 2, 0)]
        hi = x[jnp.clip(start + count // 2, 0)]
        med = (lo + hi) / 2
    dtype = _float_like(col.dtype, keep_f32=True)
    return _result(med.astype(dtype.storage), count > 0, dtype)


def agg_nunique(col: Column, g: Grouping, dropna: bool = True) -> Column:
    values, present, ids = _within_group_sort(col, g)
    n = values.shape[0]
    if n == 0:
        return Column(jnp.zeros(g.num_slots, jnp.int64), None, jdt.INT64)
    new_value = jnp.concatenate([jnp.ones(1, bool), (values[1:] != values[:-1]) | (ids[1:] != ids[:-1])
                                 | (present[1:] != present[:-1])])
    counted = new_value & (present if dropna else (present | (ids < g.num_slots)))
    return Column(seg.seg_count(counted, ids, g.num_slots), None, jdt.INT64)


AGGREGATIONS: dict[str, Callable[..., Column]] = {
    "sum": agg_sum,
    "prod": agg_prod,
    "count": agg_count,
    "mean": agg_mean,
    "var": lambda c, g, ddof=1: agg_var(c, g, ddof),
    "std": lambda c, g, ddof=1: agg_var(c, g, ddof, root=True),
    "min": lambda c, g: agg_extreme(c, g, largest=False),
    "max": lambda c, g: agg_extreme(c, g, largest=True),
    "first": lambda c, g: agg_nth_present(c, g, last=False),
    "last": lambda c, g: agg_nth_present(c, g, last=True),
    "any": lambda c, g: agg_any_all(c, g, want_all=False),
    "all": lambda c, g: agg_any_all(c, g, want_all=True),
    "median": agg_median,
    "nunique": agg_nunique,
}
