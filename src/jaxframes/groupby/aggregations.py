"""Per-group aggregations with pandas' result dtypes and null rules.

Each function takes a Column and a Grouping and returns a Column with one value per group,
in output order. Values are gathered once in the grouping's row order; absent values (nulls,
rows in no group) are replaced by the reduction's identity so that they cannot contribute.
"""

from __future__ import annotations

import functools
from typing import Callable

import jax
import jax.numpy as jnp
import numpy as np

from jaxframes import dtypes as jdt
from jaxframes.column import Column
from jaxframes.facts import any_live
from jaxframes.table import is_traced
from jaxframes.groupby.grouper import Grouping, sort_key_for
from jaxframes.kernels import segments as seg
from jaxframes.kernels.group_stats import group_reduce, group_reduce_supported, group_stats
from jaxframes.kernels.keys import SortKey, pack_keys
from jaxframes.kernels.sort import sort_words
from jaxframes.ops import decimals
from jaxframes.executables import jit


def _gathered(col: Column, g: Grouping) -> tuple[jax.Array, jax.Array]:
    """(values, present) in the grouping's row order."""
    return g.gather(col.data), g.gather(col.not_null()) & g.live_sorted


def _reduce(fn: Callable, values: jax.Array, g: Grouping) -> jax.Array:
    return fn(values, g.ids, g.num_slots, g.sorted_ids)


def _count(present: jax.Array, g: Grouping) -> jax.Array:
    return seg.seg_count(present, g.ids, g.num_slots, g.sorted_ids)


_REDUCERS = {"sum": seg.seg_sum, "prod": seg.seg_prod, "min": seg.seg_min, "max": seg.seg_max}


@functools.partial(jit, static_argnames=("op", "num_slots", "sorted_ids", "identity", "acc", "nan_null"))
def _fused(data, validity, live_sorted, perm, ids, *, op: str, num_slots: int, sorted_ids: bool,
           identity, acc, nan_null: bool) -> tuple[jax.Array, jax.Array]:
    """(reduction, count of present values) per slot in one compiled function: gather, null
    test, identity fill and the segmented reduction fuse instead of running op by op."""
    values = data if perm is None else data[perm]
    present = live_sorted
    if validity is not None:
        present = present & (validity if perm is None else validity[perm])
    if nan_null:
        present = present & ~jnp.isnan(values)
    filled = jnp.where(present, values, jnp.asarray(identity, values.dtype)).astype(acc)
    reduced = _REDUCERS[op](filled, ids, num_slots, sorted_ids)
    return reduced, seg.seg_count(present, ids, num_slots, sorted_ids)


def _fused_reduce(col: Column, g: Grouping, op: str, identity, acc) -> tuple[jax.Array, jax.Array]:
    nan_null = col.dtype.kind == "f" and not col.dtype.masked
    hit = g._reduced.get(_reduced_key(col, op, acc))
    if hit is not None:
        return hit[2]
    if _one_pass_native(col, g, op, acc):  # the C++ pass reads the (unsorted) ids once, no scatter
        (result,) = group_reduce(g.ids, g.live_sorted, ((col.data, col.validity),),
                                 ((op, np.dtype(acc), nan_null),), g.num_slots, indices_are_sorted=g.sorted_ids)
        return result
    return _fused(col.data, col.validity, g.live_sorted, g.perm, g.ids, op=op, num_slots=g.num_slots,
                  sorted_ids=g.sorted_ids, identity=identity, acc=np.dtype(acc), nan_null=nan_null)


def _one_pass_native(col: Column, g: Grouping, op: str, acc) -> bool:
    """Whether one column's sum/min/max goes to the multi-column reduction kernel on its own
    (eager, rows in their original order, a (values, accumulator) pair the kernel takes; min/max
    only without a cast): XLA's CPU scatter of one column is ~10x slower than the C++ pass."""
    kind = col.dtype.kind
    if g.perm is not None or not g.num_slots or kind not in "bif" or np.dtype(col.data.dtype).kind == "u":
        return False
    if op in ("min", "max") and (kind == "b" or np.dtype(acc) != np.dtype(col.data.dtype)):
        return False
    return (op in ("sum", "min", "max") and group_reduce_supported(col.data.dtype, op, acc)
            and not is_traced(col.data, g.ids))


def _reduced_key(col: Column, op: str, acc) -> tuple:
    return id(col.data), id(col.validity), op, np.dtype(acc)


def _reduction_plan(col: Column, how: str) -> tuple[str, np.dtype] | None:
    """(op, accumulator) of the one-pass reduction ``how`` makes of ``col`` (what agg_sum,
    agg_mean and agg_extreme pass to ``_fused_reduce``), or None when that aggregation takes
    another path (decimals, unsigned ints, strings, ...)."""
    kind = col.dtype.kind
    if kind not in "bif" or np.dtype(col.data.dtype).kind == "u":
        return None
    if how == "sum":
        return "sum", np.dtype(_sum_dtype(col.dtype).storage)
    if how == "mean":
        return "sum", np.dtype(np.float64)
    if how in ("min", "max") and kind != "b":
        return how, np.dtype(col.data.dtype)
    return None


def prefetch(g: Grouping, pairs: list[tuple[Column, str]]) -> None:
    """Reduce every (column, how) pair of one ``agg`` call that is a plain sum/mean/min/max in
    ONE pass over the rows (the C++ multi-column kernel reads the group ids once; no filled copy
    or int64 null count of a column is written), and keep the per-slot results on the grouping,
    where ``_fused_reduce`` finds them. Eager frames in the grouping's row order only (inside
    jit/grad and for permuted groupings each column keeps its own pass)."""
    if g.perm is not None or not g.num_slots:
        return
    todo: dict[tuple, tuple] = {}
    for col, how in pairs:
        plan = _reduction_plan(col, how)
        if plan is None or is_traced(col.data, g.ids) or not group_reduce_supported(col.data.dtype, *plan):
            continue
        key = _reduced_key(col, *plan)
        if key not in g._reduced:
            todo[key] = (col, plan)
    if len(todo) < 2:
        return
    columns, specs = [], []
    for col, (op, acc) in todo.values():
        columns.append((col.data, col.validity))
        specs.append((op, acc, col.dtype.kind == "f" and not col.dtype.masked))
    results = group_reduce(g.ids, g.live_sorted, tuple(columns), tuple(specs), g.num_slots,
                           indices_are_sorted=g.sorted_ids)
    for (key, (col, _)), result in zip(todo.items(), results):
        g._reduced[key] = (col.data, col.validity, result)  # the arrays pin the ids in the key


def _refuse(col: Column, how: str, kinds: str) -> None:
    if col.dtype.kind == "d" and "d" not in kinds:
        raise NotImplementedError(f"groupby {how} of a {col.dtype} column is not supported (sum, mean, min, "
                                  "max, count, first, last and nunique are); cast to float64 first")
    if col.dtype.kind == "u" and "i" in kinds:  # pandas has it; our accumulators assume signed ints
        raise NotImplementedError(f"groupby {how} of a {col.dtype} column is not supported yet")
    if col.dtype.kind not in kinds:
        raise TypeError(f"dtype '{col.dtype}' does not support operation '{how}'")


def _result(g: Grouping, data: jax.Array, present: jax.Array | None, like: jdt.DType,
            dictionary=None) -> Column:
    """Per-slot results as a per-group column of dtype ``like``; groups without a value become
    null the way that dtype shows nulls."""
    data = g.finish(data)
    present = None if present is None else g.finish(present)
    if present is None:
        return Column(data, jnp.ones(data.shape, bool) if like.has_validity else None, like, dictionary)
    if like.has_validity:
        return Column(data, present, like, dictionary)
    if like.kind == "f":
        return Column(_nan_where(present, data, False), None, like)
    return Column(_nan_where(present, data, True), None, jdt.FLOAT64)


@functools.partial(jit, static_argnums=2)
def _nan_where(present: jax.Array, data: jax.Array, to_float64: bool) -> jax.Array:
    """NaN where a value is missing (as float64 when asked): one program."""
    out = jnp.where(present, data, jnp.nan)
    return out.astype(jnp.float64) if to_float64 else out


def _absent_possible(col: Column, present: jax.Array) -> jax.Array | None:
    """numpy int/bool columns hold no nulls, so every group has a value: no null mask needed."""
    return None if col.dtype.kind in "biu" and not col.dtype.masked else present


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
    if col.dtype.kind == "m" and how == "sum":  # nanoseconds add up; NaT is skipped
        total, count = _fused_reduce(col, g, "sum", 0, jnp.int64)
        return _result(g, total, count >= min_count if min_count > 0 else None, col.dtype)
    if col.dtype.kind == "d" and how == "sum":
        total, count = _decimal_sum(col, g)
        return _result(g, total, count >= min_count if min_count > 0 else None, decimals.sum_dtype(col.dtype))
    _refuse(col, how, "bif")
    total, count = _fused_reduce(col, g, how, 0 if how == "sum" else 1, _sum_dtype(col.dtype).storage)
    total, out_dtype = _downcast_like_pandas(total, col)
    enough = count >= min_count if min_count > 0 else None
    if (enough is not None and not out_dtype.has_validity and out_dtype.kind in "bi"
            and not any_live("groupby sum/prod: a group under min_count", ~g.finish(enough), g.result_mask(),
                             in_jit=True)):
        enough = None  # pandas keeps the int dtype when every group reaches min_count
    return _result(g, total, enough, out_dtype)


@functools.partial(jit, static_argnames=("num_slots", "sorted_ids", "check"))
def _fused_decimal_sum(data, validity, live_sorted, perm, ids, *, num_slots: int, sorted_ids: bool, check: bool):
    """(int64 sums, counts, whether some group's float64 sum leaves int64) in one compiled
    function: one gather, one fill, three segmented sums (two without ``check``)."""
    values = data if perm is None else data[perm]
    present = live_sorted if validity is None else live_sorted & (validity if perm is None else validity[perm])
    filled = jnp.where(present, values, jnp.zeros((), values.dtype)).astype(jnp.int64)
    total = seg.seg_sum(filled, ids, num_slots, sorted_ids)
    outside = jnp.zeros((), bool)
    if check:
        approx = seg.seg_sum(filled.astype(jnp.float64), ids, num_slots, sorted_ids)
        outside = jnp.any(jnp.abs(approx) >= 2.0 ** 63 * (1 - 2.0 ** -40))
    return total, seg.seg_count(present, ids, num_slots, sorted_ids), outside


@jit
def _beyond_int64(approx: jax.Array) -> jax.Array:
    return jnp.any(jnp.abs(approx) >= 2.0 ** 63 * (1 - 2.0 ** -40))


def _decimal_sum(col: Column, g: Grouping) -> tuple[jax.Array, jax.Array]:
    """Exact int64 sums per group; OverflowError where a group's true sum leaves int64 (a float64
    sum says which: int64 adds wrap, so the wrapped sum is right whenever the true one fits).
    When the column's largest |value| times its row count fits int64
    (``decimals.sum_cannot_overflow``, learned once per column array) no sum can leave it: the
    int64 sums alone, without the float64 pass and its host sync."""
    check = not decimals.sum_cannot_overflow(col.data)
    if (g.perm is None and g.num_slots and not is_traced(col.data, g.ids)
            and group_reduce_supported(col.data.dtype, "sum", np.int64)):
        # rows in row order (a dense grouping): the C++ multi-column kernel makes the int64 sum,
        # the float64 check sum and the count in one pass instead of three XLA scatter-adds
        columns = ((col.data, col.validity),) * (2 if check else 1)
        specs = (("sum", np.dtype(np.int64), False), ("sum", np.dtype(np.float64), False))
        reduced = group_reduce(g.ids, g.live_sorted, columns, specs[:len(columns)], g.num_slots,
                               indices_are_sorted=g.sorted_ids)
        total, count = reduced[0]
        outside = _beyond_int64(reduced[1][0]) if check else None
    else:
        total, count, outside = _fused_decimal_sum(col.data, col.validity, g.live_sorted, g.perm, g.ids,
                                                   num_slots=g.num_slots, sorted_ids=g.sorted_ids, check=check)
    if check and any_live("groupby decimal sum: int64 overflow", outside, None, in_jit=False):
        raise OverflowError("groupby decimal sum: a group's total leaves the scaled int64 that holds decimals")
    return total, count


def agg_sum(col: Column, g: Grouping, min_count: int = 0) -> Column:
    return _additive(col, g, "sum", min_count)


def agg_prod(col: Column, g: Grouping, min_count: int = 0) -> Column:
    return _additive(col, g, "prod", min_count)


def agg_count(col: Column, g: Grouping) -> Column:
    dtype = jdt.PA_INT64 if col.dtype.kind == "d" else jdt.NINT64 if col.dtype.masked else jdt.INT64
    return _result(g, _present_count(col, g), None, dtype)


def _present_count(col: Column, g: Grouping) -> jax.Array:
    """Present values per slot without a pass of their own where one is known: a reduction of
    the column made by ``prefetch`` counted them already (same presence rule: validity, and NaN
    for numpy floats), and a column that cannot hold a null has its group's rows (no all-True
    mask is made on the host and moved)."""
    for key, (_, _, result) in g._reduced.items():  # (other entries: "stats", not a (total, count))
        if key[:2] == (id(col.data), id(col.validity)) and key[2] in _REDUCERS:
            return result[1]
    if col.validity is None and not (col.dtype.kind == "f" and not col.dtype.masked):
        return _count(g.live_sorted, g)
    _, present = _gathered(col, g)
    return _count(present, g)


def group_sizes(g: Grouping) -> Column:
    return _result(g, _count(g.live_sorted, g), None, jdt.INT64)


def _cython_mean_path(col: Column, g: Grouping) -> bool:
    """pandas 3.1 quirk: a float32 mean is float64 on its ``reduceat`` fast path and float32 on
    the Cython path. The fast path needs live rows already in group order (rows with a dropped
    null key first), no NaN among the live values, and at least one grouped row. Inside a user
    jit: the fast path (float64)."""
    if isinstance(g.num_groups, int) and g.num_groups == 0:
        return True
    live = g.live if g.frame_live is None else g.frame_live
    ids = jnp.where(g.live, g.row_groups(), -1)
    seen = jax.lax.cummax(jnp.where(live, ids, -2)) if ids.shape[0] else ids
    before = jnp.concatenate([jnp.full(min(ids.shape[0], 1), -2, ids.dtype), seen[:-1]])
    return any_live("float32 groupby mean takes pandas' Cython path", (ids < before) | jnp.isnan(col.data),
                    live, in_jit=False)


def agg_mean(col: Column, g: Grouping) -> Column:
    if col.dtype.kind == "d":  # rounded half away from zero at the column's scale (Arrow's mean)
        total, count = _decimal_sum(col, g)
        return _result(g, decimals.rounded_mean(total, count), count > 0, col.dtype)
    _refuse(col, "mean", "bif")
    total, count = _fused_reduce(col, g, "sum", 0, jnp.float64)
    keep_f32 = col.dtype == jdt.FLOAT32 and _cython_mean_path(col, g)
    dtype = _float_like(col.dtype, keep_f32=keep_f32)
    mean, present = _mean(total, count, np.dtype(dtype.storage))
    return _result(g, mean, present, dtype)


@functools.partial(jit, static_argnums=2)
def _mean(total: jax.Array, count: jax.Array, storage: np.dtype) -> tuple[jax.Array, jax.Array]:
    """(total / count in ``storage``, count > 0): one program."""
    return (total / jnp.maximum(count, 1)).astype(storage), count > 0


def _stats(col: Column, g: Grouping, q: float | None):
    """(count, mean, m2, quantile) per slot from one group-stats kernel call: ids need not be
    sorted, so a dense grouping needs no sort (kernels/group_stats.py). Kept on the grouping:
    median then std of one column (H2O q6) make one call, std reusing the median's m2."""
    if is_traced(col.data, g.ids):
        values, present = _gathered(col, g)
        return group_stats(values, g.ids, present, g.num_slots, q=q)
    base = (id(col.data), id(col.validity), "stats")
    hit = g._reduced.get(base + (q,))
    if hit is None and q is None:  # count, mean and m2 come with every quantile's call too
        hit = next((v for k, v in g._reduced.items() if k[:3] == base), None)
    if hit is not None:
        return hit[2]
    values, present = _gathered(col, g)
    result = group_stats(values, g.ids, present, g.num_slots, q=q)
    g._reduced[base + (q,)] = (col.data, col.validity, result)  # the arrays pin the ids in the key
    return result


def agg_var(col: Column, g: Grouping, ddof: int = 1, root: bool = False) -> Column:
    """Two-pass variance (the group mean first, then squared deviations from it)."""
    _refuse(col, "std" if root else "var", "bif")
    count, _, m2, _ = _stats(col, g, None)
    var = m2 / jnp.maximum(count - ddof, 1)
    out = jnp.sqrt(var) if root else var
    dtype = _float_like(col.dtype, keep_f32=True)
    return _result(g, out.astype(dtype.storage), count > ddof, dtype)


def agg_extreme(col: Column, g: Grouping, largest: bool) -> Column:
    how = "max" if largest else "min"
    if col.dtype.kind == "C" and getattr(col.dtype, "ordered", False):
        pass  # codes are in category order: the extreme code is the extreme category
    elif col.dtype.kind == "C":
        raise TypeError(f"Cannot perform {how} with non-ordered Categorical")
    else:
        _refuse(col, how, "bifUMmd")
    dtype = col.data.dtype
    identity = seg.lowest(dtype) if largest else seg.highest(dtype)
    out, count = _fused_reduce(col, g, "max" if largest else "min", identity, dtype)
    return _result(g, out, _absent_possible(col, count > 0), col.dtype, col.dictionary)


def agg_nth_present(col: Column, g: Grouping, last: bool) -> Column:
    """first()/last(): the first/last non-null value of each group."""
    values, present = _gathered(col, g)
    pos = seg.seg_first_position(present, g.ids, g.num_slots, last=last, indices_are_sorted=g.sorted_ids)
    out = values[jnp.clip(pos, 0)] if values.shape[0] else jnp.zeros(g.num_slots, values.dtype)
    return _result(g, out, _absent_possible(col, pos >= 0), col.dtype, col.dictionary)


def _truth(col: Column) -> jax.Array:
    """Python truthiness of each value: non-zero numbers, non-empty strings/categories."""
    kind = col.dtype.kind
    if kind == "U":
        code, found = col.dictionary.lookup("")
        return col.data != code if found else jnp.ones(col.data.shape, bool)
    if kind == "C":
        cats = getattr(col.dtype, "categories", None) or ()
        truthy = jnp.asarray(np.array([bool(c) for c in cats] or [False]))
        return truthy[jnp.clip(col.data, 0, truthy.shape[0] - 1)]
    return col.data != 0


def agg_any_all(col: Column, g: Grouping, want_all: bool) -> Column:
    how = "all" if want_all else "any"
    if col.dtype.kind in "Mm":
        raise TypeError(f"'{how}' with datetime64 dtypes is not supported")
    _refuse(col, how, "bifUC")
    present = g.gather(col.not_null()) & g.live_sorted
    truth = g.gather(_truth(col))
    if want_all:
        out = _reduce(seg.seg_min, jnp.where(present, truth, True), g)
    else:
        out = _reduce(seg.seg_max, jnp.where(present, truth, False), g)
    return _result(g, out, None, jdt.NBOOL if col.dtype.masked else jdt.BOOL)


def _within_group_sort(col: Column, g: Grouping) -> tuple[jax.Array, jax.Array, jax.Array]:
    """Values sorted by (group, value) with nulls last in each group: (values, present, ids).
    ``g`` must be a sorted grouping."""
    gathered = col.replace(data=g.gather(col.data),
                           validity=None if col.validity is None else g.gather(col.validity))
    perm, _ = sort_words(pack_keys([SortKey(g.ids, kind="i"), sort_key_for(gathered)]).words)
    present = (gathered.not_null() & g.live_sorted)[perm]
    return gathered.data[perm], present, g.ids[perm]


def agg_median(col: Column, g: Grouping) -> Column:
    """Median per group. Datetimes/timedeltas follow pandas: the mean of the two middle values
    is taken in float64 nanoseconds and truncated back to an integer (so it can round)."""
    _refuse(col, "median", "bifMm")
    count, _, _, med = _stats(col, g, 0.5)
    med = jnp.where(count > 0, med, 0.0)
    if col.dtype.kind in "Mm":
        return _result(g, jnp.trunc(med).astype(col.dtype.storage), count > 0, col.dtype)
    dtype = _float_like(col.dtype, keep_f32=True)
    return _result(g, med.astype(dtype.storage), count > 0, dtype)


def agg_nunique(col: Column, g: Grouping, dropna: bool = True) -> Column:
    g = g.as_sorted()
    values, present, ids = _within_group_sort(col, g)
    if values.shape[0] == 0:
        return _result(g, jnp.zeros(g.num_slots, jnp.int64), None, jdt.INT64)
    new_value = jnp.concatenate([jnp.ones(1, bool), (values[1:] != values[:-1]) | (ids[1:] != ids[:-1])
                                 | (present[1:] != present[:-1])])
    counted = new_value & (present if dropna else (ids < g.num_slots))
    return _result(g, seg.seg_count(counted, ids, g.num_slots), None, jdt.INT64)


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
