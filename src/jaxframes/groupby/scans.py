"""Per-row group operations: segmented scans (cumsum, cummax, ...), shifts, ranks, positions.

They run in the grouping's sorted order, where each group is a contiguous run, and scatter
back to the original rows at the end.
"""

from __future__ import annotations

import functools

import jax
import jax.numpy as jnp

from jaxframes import dtypes as jdt
from jaxframes.column import Column
from jaxframes.facts import any_live
from jaxframes.groupby.grouper import Grouping, sort_key_for
from jaxframes.kernels import segments as seg
from jaxframes.kernels.dense_ids import group_positions
from jaxframes.kernels.keys import SortKey, pack_keys
from jaxframes.kernels.sort import argsort_words, sort_words
from jaxframes.ops.elementwise import with_nulls_where


def _run_starts(ids: jax.Array) -> jax.Array:
    return jnp.concatenate([jnp.ones(min(ids.shape[0], 1), bool), ids[1:] != ids[:-1]])


def _unsort(g: Grouping | None, sorted_values: jax.Array, order: jax.Array | None = None) -> jax.Array:
    """Values in sorted order back onto the original rows (``g`` None: already in row order)."""
    if g is None:
        return sorted_values
    rows = g.perm if order is None else g.perm[order]
    return jnp.zeros_like(sorted_values).at[rows].set(sorted_values, unique_indices=True)


_SCANS = {
    "cumsum": ("sum", 0),
    "cumprod": ("prod", 1),
    "cummax": ("max", "lowest"),
    "cummin": ("min", "highest"),
}


def sorted_positions(g: Grouping) -> tuple[jax.Array, jax.Array, jax.Array, jax.Array]:
    """(gather order, live per gathered row, position within group, group size) with the rows of
    each group together in row order. A dense grouping (slot ids per row) sorts its int slot ids
    (one radix argsort), not the key columns again as ``as_sorted`` does."""
    if g.perm is None and not g.sorted_ids:
        perm = argsort_words([g.ids.astype(jnp.uint64)]) if g.ids.shape[0] else jnp.zeros(0, jnp.int64)
        live_sorted = g.live_sorted[perm]
        pos, size = _positions(live_sorted, g.ids[perm], num_slots=g.num_slots)
        return perm, live_sorted, pos, size
    g = g.as_sorted()
    pos, size = positions(g)
    return g.perm, g.live_sorted, pos, size


def _keep(pos: jax.Array, size: jax.Array, which: str, n) -> jax.Array:
    if which == "head":
        return pos < n if n >= 0 else pos < size + n
    if which == "tail":
        return pos >= size - n if n >= 0 else pos >= -n
    keep = jnp.zeros(pos.shape, bool)
    for k in n:
        keep = keep | (pos == (k if k >= 0 else size + k))
    return keep


@functools.partial(jax.jit, static_argnames=("which", "n", "num_slots"))
def _dense_position_flags(ids: jax.Array, live: jax.Array, *, which: str, n, num_slots: int) -> jax.Array:
    pos, size = group_positions(ids, live, num_slots)
    needs_size = which == "tail" and n >= 0 or which == "head" and n < 0 or which == "nth" and min(n, default=0) < 0
    per_row = size[jnp.clip(ids, 0, max(num_slots - 1, 0))] if needs_size and num_slots else pos
    return _keep(pos, per_row, which, n) & live & (pos >= 0)


def position_flags(g: Grouping, which: str, n, capacity: int) -> jax.Array:
    """Per row of the frame: whether head(n) / tail(n) / nth(n) keeps it. A dense grouping (rows
    in their own order, unsorted ids) counts positions in one pass (kernels/dense_ids.py), no
    sort; others number the rows of each sorted run and scatter back."""
    if g.perm is None and not g.sorted_ids and g.ids.shape[0] == capacity:
        return _dense_position_flags(g.ids, g.live_sorted, which=which, n=n, num_slots=g.num_slots)
    perm, live_sorted, pos, size = sorted_positions(g)
    return jnp.zeros(capacity, bool).at[perm].set(_keep(pos, size, which, n) & live_sorted)


def positions(g: Grouping) -> tuple[jax.Array, jax.Array]:
    """(position within group, group size) per sorted row (``g`` must be a sorted grouping)."""
    return _positions(g.live_sorted, g.ids, num_slots=g.num_slots)


@functools.partial(jax.jit, static_argnames=("num_slots",))
def _positions(live_sorted: jax.Array, ids: jax.Array, *, num_slots: int) -> tuple[jax.Array, jax.Array]:
    """One compiled function from the segmented sort's runs: a row's position is its distance
    from its run's first row (a running max of run starts, not a log-depth segmented scan,
    which eagerly costs one compilation per level). Rows in no group (their own run at the
    end) get -1, as counting the live rows gives."""
    ones = live_sorted.astype(jnp.int64)
    n = ids.shape[0]
    if n == 0:
        return ones, ones
    idx = jnp.arange(n, dtype=jnp.int64)
    run_start = jax.lax.cummax(jnp.where(_run_starts(ids), idx, 0))
    pos = jnp.where(live_sorted, idx - run_start, -1)
    sizes = seg.seg_sum(ones, ids, num_slots)
    size_per_row = sizes[jnp.clip(ids, 0, max(num_slots - 1, 0))] if num_slots else ones
    return pos, size_per_row


@functools.partial(jax.jit, static_argnames=("num_slots", "ascending"))
def _dense_cumcount(ids: jax.Array, live: jax.Array, *, num_slots: int, ascending: bool) -> jax.Array:
    pos, size = group_positions(ids, live, num_slots)
    if ascending or not num_slots:
        return pos
    return jnp.where(pos >= 0, size[jnp.clip(ids, 0, num_slots - 1)] - 1 - pos, -1)


def cumcount(g: Grouping, ascending: bool = True) -> Column:
    if g.perm is None and not g.sorted_ids:  # dense: positions in one pass, no sort
        return Column(_dense_cumcount(g.ids, g.live_sorted, num_slots=g.num_slots, ascending=ascending),
                      None, jdt.INT64)
    g = g.as_sorted()
    pos, size = positions(g)
    out = pos if ascending else size - 1 - pos
    return Column(_unsort(g, out), None, jdt.INT64)


def group_scan(col: Column, g: Grouping, how: str, periods: int = 1) -> Column:
    """cumsum/cumprod/cummax/cummin (nulls stay null and are skipped), shift and diff."""
    if how in ("shift", "diff") and periods == 0:
        return _unshifted(col, how == "diff")
    g = g.as_sorted()
    values = col.data[g.perm]
    present = col.not_null()[g.perm] & g.live_sorted
    if how in ("shift", "diff"):
        return _shift(col, g, values, present, periods, how == "diff")
    if col.dtype.kind == "U" and how in ("cummax", "cummin"):
        raise TypeError(f"{how} is not supported for {col.dtype} dtype")
    if col.dtype.kind == "C":
        raise TypeError(f"category type does not support {how} operations")
    if col.dtype.kind not in "bifmM":
        raise TypeError(f"dtype '{col.dtype}' does not support operation '{how}'")
    op, identity = _SCANS[how]
    widen = how in ("cumsum", "cumprod") and (col.dtype.kind == "b" or (
        col.dtype.kind == "i" and not col.dtype.masked and jnp.dtype(col.dtype.storage).itemsize < 8))
    if col.dtype.kind == "m" and how == "cumsum":
        pass  # nanoseconds add up as int64, NaT skipped
    elif col.dtype.kind in "Mm":
        if how in ("cumsum", "cumprod"):
            raise TypeError(f"{'datetime64' if col.dtype.kind == 'M' else 'timedelta64'} type does not "
                            f"support operation '{how}'")
    if widen:
        values = values.astype(jnp.int64)
    if identity == "lowest":
        identity = seg.lowest(values.dtype)
    elif identity == "highest":
        identity = seg.highest(values.dtype)
    out = seg.segmented_scan(op, seg.identity_fill(values, present, identity), _run_starts(g.ids))
    dtype = col.dtype
    if col.dtype.kind == "b" and how in ("cumsum", "cumprod"):
        dtype = jdt.NINT64 if col.dtype.masked else jdt.INT64
    elif widen:
        # pandas accumulates small ints in int64 and casts back when every result fits
        info = jnp.iinfo(col.dtype.storage)
        overflow = (out < info.min) | (out > info.max)
        if any_live(f"groupby.{how} leaves the {col.dtype} range", overflow & present, in_jit=True):
            dtype = jdt.INT64
        else:
            out = out.astype(col.dtype.storage)
    result = Column(_unsort(g, out), None, dtype)
    if dtype.has_validity:
        return result.replace(validity=_unsort(g, present))
    if dtype.kind == "f":
        return result.replace(data=jnp.where(_unsort(g, present), result.data, jnp.nan))
    return result


def _shift(col: Column, g: Grouping, values, present, periods: int, diff: bool) -> Column:
    """shift/diff within groups. pandas' result dtype depends on whether the shift leaves a live
    row without a source (the first ``periods`` rows of each group): numpy ints then become
    float64 (diff of int8/int16: float32) and bools become object, which we cannot hold (raise).
    Empty frames and ``periods=0`` keep the dtype. Inside a user jit a gap is assumed."""
    pos, size = positions(g)
    n = values.shape[0]
    src = jnp.clip(jnp.arange(n) - periods, 0, max(n - 1, 0))
    ok = (pos - periods >= 0) & (pos - periods < size)
    shifted = values[src] if n else values
    shifted_present = ok & (present[src] if n else present)
    kind = col.dtype.kind
    if diff and kind not in "ifMm":
        raise TypeError(f"numpy boolean subtract, the `-` operator, is not supported (groupby.diff of {col.dtype})"
                        if kind == "b" else f"groupby.diff: unsupported operand dtype {col.dtype}")
    gap = False
    if kind in "bi" and not col.dtype.masked:
        gap = any_live("groupby.shift leaves rows without a source", g.live_sorted & ~ok, in_jit=True)
        if gap and kind == "b" and not diff:
            raise TypeError("groupby.shift of a bool column gives pandas' object dtype (bool with NaN), "
                            "which JaxFrames cannot hold; cast to 'boolean' first")
    if diff:
        return _diff(col, g, values, shifted, present & shifted_present, gap)
    result = Column(_unsort(g, shifted), None, col.dtype, col.dictionary)
    if kind in "bi" and not col.dtype.masked and not gap:
        return result
    return with_nulls_where(result if not col.dtype.has_validity else result.replace(
        validity=_unsort(g, shifted_present)), ~_unsort(g, shifted_present))


def _unshifted(col: Column, diff: bool) -> Column:
    """shift(0) is the column itself and diff(0) is ``col - col`` on every row (pandas)."""
    if not diff:
        return col
    if col.dtype.kind not in "ifMm":
        raise TypeError(f"groupby.diff of a {col.dtype} column is not supported")
    same = jnp.ones(col.data.shape, bool)
    return _diff(col, None, col.data, col.data, col.not_null() & same, gap=False)


def _diff(col: Column, g: Grouping | None, values, shifted, keep, gap: bool) -> Column:
    """``values - shifted`` with pandas' result dtype (int8/int16 go through float32)."""
    dtype = col.dtype
    if dtype.kind in "Mm":
        return Column(_unsort(g, values - shifted), _unsort(g, keep), jdt.timedelta(dtype.unit))
    if dtype.masked:
        if dtype.kind == "i":
            return Column(_unsort(g, (values - shifted).astype(dtype.storage)), _unsort(g, keep), dtype)
        out = values.astype(jnp.float64) - shifted.astype(jnp.float64)
        return Column(_unsort(g, out), _unsort(g, keep), jdt.NFLOAT64)
    small = dtype.kind == "i" and jnp.dtype(dtype.storage).itemsize <= 2
    if dtype.kind == "i" and not gap and not small:
        return Column(_unsort(g, values - shifted), None, dtype)
    out_dtype = jdt.FLOAT32 if dtype == jdt.FLOAT32 or small else jdt.FLOAT64
    out = values.astype(jnp.float64) - shifted.astype(jnp.float64)
    return Column(_unsort(g, jnp.where(keep, out, jnp.nan)).astype(out_dtype.storage), None, out_dtype)


def group_rank(col: Column, g: Grouping, method: str, ascending: bool) -> Column:
    """Rank within each group (float64, nulls stay null), pandas' tie methods."""
    if method not in ("average", "min", "max", "first", "dense"):
        raise ValueError("method must be one of 'average', 'min', 'max', 'first', 'dense'")
    if col.dtype.kind == "C" and not getattr(col.dtype, "ordered", False):
        raise TypeError("Cannot perform rank with non-ordered Categorical")
    g = g.as_sorted()
    sorted_col = col.replace(data=col.data[g.perm], validity=None if col.validity is None else col.validity[g.perm])
    key = sort_key_for(sorted_col, ascending=ascending)
    perm2, _ = sort_words(pack_keys([SortKey(g.ids, kind="i"), key]).words) if g.perm.shape[0] else (g.perm, None)
    values = sorted_col.data[perm2]
    present = (sorted_col.not_null() & g.live_sorted)[perm2]
    ids = g.ids[perm2]
    n = values.shape[0]
    starts = _run_starts(ids)
    pos = seg.segmented_scan("sum", jnp.ones(n, jnp.int64), starts)  # 1-based position in group
    # a null (sorted last in its group) never ties with a value, whatever its masked data holds
    changed = (values[1:] != values[:-1]) | (present[1:] != present[:-1])
    new_value = starts | jnp.concatenate([jnp.ones(min(n, 1), bool), changed])
    tie_id = jnp.cumsum(new_value) - 1
    tie_min = jax.ops.segment_min(pos, tie_id, num_segments=n)[tie_id] if n else pos
    tie_max = jax.ops.segment_max(pos, tie_id, num_segments=n)[tie_id] if n else pos
    if method == "first":
        rank = pos.astype(jnp.float64)
    elif method == "min":
        rank = tie_min.astype(jnp.float64)
    elif method == "max":
        rank = tie_max.astype(jnp.float64)
    elif method == "average":
        rank = (tie_min + tie_max) / 2.0
    else:
        rank = seg.segmented_scan("sum", new_value.astype(jnp.int64), starts).astype(jnp.float64)
    if col.dtype.masked:  # pandas ranks masked columns as Float64 (nulls stay NA)
        return Column(_unsort(g, rank, perm2), _unsort(g, present, perm2), jdt.NFLOAT64)
    rank = jnp.where(present, rank, jnp.nan)
    return Column(_unsort(g, rank, perm2), None, jdt.FLOAT64)
