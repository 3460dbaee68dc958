"""Dense group ids: a group-by over small key domains numbers its groups straight from the
key values, without a sort.

``dense_group_ids(datas, presents, lows, sizes, live, *, steps, num_slots, nullable, sort)
-> (ids int32[n], group_rows int64[num_slots], count int64[])``

A row's slot is the mixed radix over the keys (the first key most significant) of its codes
``(data - low) // step`` (clipped to ``[0, size - 1]``), a null key of a nullable key taking the
extra code ``size``. Occupied slots become output positions, in slot (key) order when ``sort``,
else in order of first appearance; ``ids`` holds each live row's position and ``num_slots``
for rows that are not live; ``group_rows[p]`` is the first row of the group at position ``p``
(``n - 1`` past the groups); ``count`` is the number of groups. Every live, present value
must be ``low`` plus a multiple of its ``step`` within ``size`` steps (callers learn the range
from the live rows); dead rows may hold anything.

``group_positions(ids, live, num_slots) -> (pos int64[n], size int64[num_slots])``: each
row's position within its group in row order (head/tail/nth, cumcount) without a sort.

The C++ kernels (csrc/dense_ids.cc: one pass over the rows, int32 ids, first rows per task
merged in task order; positions from per-slot counters) run on the CPU backend; the pure-JAX
twins (int64 slot arithmetic, a segment-min of the first rows, one argsort of the slots; a
stable sort by id for positions) are the GPU/TPU path and the reference.
"""

from __future__ import annotations

import functools

import jax
import jax.numpy as jnp
import numpy as np

from jaxframes.kernels import native
from jaxframes.kernels.sort import argsort_words
from jaxframes.executables import jit

_NATIVE_KEY_DTYPES = (np.dtype(np.int64), np.dtype(np.int32), np.dtype(np.bool_))


def _slots(datas, presents, lows, sizes, live, steps, nullable, num_slots):
    capacity = live.shape[0]
    slot = jnp.zeros(capacity, jnp.int64)
    for i, (data, present, has_null) in enumerate(zip(datas, presents, nullable)):
        size = sizes[i]
        offset = data.astype(jnp.int64) - lows[i]
        if steps[i] != 1:  # exact for multiples of the step (quotients below 2**51)
            offset = jnp.round(offset.astype(jnp.float64) * (1.0 / steps[i])).astype(jnp.int64)
        code = jnp.clip(offset, 0, size - 1)
        if has_null:
            code = jnp.where(present, code, size)
            size = size + 1
        slot = slot * size + code
    return jnp.where(live, slot, num_slots)


def dense_group_ids_jax(datas: tuple, presents: tuple, lows: jax.Array, sizes: jax.Array, live: jax.Array, *,
                        steps: tuple, num_slots: int, nullable: tuple, sort: bool):
    """The pure-JAX twin (every backend) of ``dense_group_ids_native``."""
    capacity = live.shape[0]
    slot = _slots(datas, presents, lows, sizes, live, steps, nullable, num_slots)
    rows = jnp.arange(capacity, dtype=jnp.int64)
    first_row = jax.ops.segment_min(jnp.where(live, rows, capacity), slot, num_slots)
    first_row = jnp.minimum(first_row, capacity)  # empty slots: segment_min's identity -> capacity
    occupied = first_row < capacity
    if sort:
        order = argsort_words([(~occupied).astype(jnp.uint32)])  # occupied slots first, in key order
    else:
        order = argsort_words([jnp.where(occupied, first_row, capacity).astype(jnp.uint64)])
    count = jnp.sum(occupied, dtype=jnp.int64)
    rank = jnp.zeros(num_slots, jnp.int32).at[order].set(jnp.arange(num_slots, dtype=jnp.int32),
                                                          unique_indices=True)
    position = jnp.concatenate([jnp.where(occupied, rank, num_slots), jnp.full(1, num_slots, jnp.int32)])
    group_rows = jnp.where(jnp.arange(num_slots) < count, first_row[order], max(capacity - 1, 0))
    return position[slot], group_rows.astype(jnp.int64), count


def dense_group_ids_native(datas: tuple, presents: tuple, lows: jax.Array, sizes: jax.Array, live: jax.Array, *,
                           steps: tuple, num_slots: int, nullable: tuple, sort: bool):
    """The C++ path (CPU only, csrc/dense_ids.cc ``jaxframes_dense_group_ids``)."""
    native.require()
    args = [live.astype(bool), jnp.asarray(lows, jnp.int64), jnp.asarray(sizes, jnp.int64),
            jnp.asarray(np.asarray(steps, np.int64))]
    for data, present, has_null in zip(datas, presents, nullable):
        args.append(data if np.dtype(data.dtype) in _NATIVE_KEY_DTYPES else data.astype(jnp.int64))
        if has_null:
            args.append(present.astype(bool))
    outs = (jax.ShapeDtypeStruct(live.shape, jnp.int32), jax.ShapeDtypeStruct((num_slots,), jnp.int64),
            jax.ShapeDtypeStruct((), jnp.int64))
    return jax.ffi.ffi_call("jaxframes_dense_group_ids", outs, vmap_method="sequential")(
        *args, nullable=np.asarray([int(bool(x)) for x in nullable], np.int64), sort=np.int64(bool(sort)))


@functools.partial(jit, static_argnames=("steps", "num_slots", "nullable", "sort"))
def dense_group_ids(datas: tuple, presents: tuple, lows: jax.Array, sizes: jax.Array, live: jax.Array, *,
                    steps: tuple, num_slots: int, nullable: tuple, sort: bool):
    """Dispatch: C++ on the CPU backend, the twin elsewhere. Key ranges (lows, sizes) are
    arguments, so a new range within the same slot bucket does not recompile."""
    kw = dict(steps=tuple(int(s) for s in steps), num_slots=num_slots, nullable=tuple(bool(x) for x in nullable),
              sort=sort)
    twin = functools.partial(dense_group_ids_jax, **kw)
    if (not native.available() or live.shape[0] == 0 or not 0 < num_slots < 2 ** 31
            or any(np.dtype(d.dtype) == np.uint64 for d in datas)):
        return twin(datas, presents, lows, sizes, live)
    return jax.lax.platform_dependent(datas, presents, lows, sizes, live, default=twin,
                                      cpu=functools.partial(dense_group_ids_native, **kw))


# -- runs of a sorted key ------------------------------------------------------------------------
def run_ids_jax(data: jax.Array, usable: jax.Array, num_slots: int):
    """The pure-JAX twin of ``run_ids_native``: a run starts at a usable row whose value differs
    from the previous usable row's; ids are the running count of starts."""
    n = data.shape[0]
    rows = jnp.arange(n, dtype=jnp.int64)
    last = jax.lax.cummax(jnp.where(usable, rows, -1))
    prev_row = jnp.concatenate([jnp.full(1, -1, jnp.int64), last[:-1]])
    starts = usable & ((prev_row < 0) | (data != data[jnp.clip(prev_row, 0, n - 1)]))
    run = jnp.cumsum(starts.astype(jnp.int32)) - 1
    ids = jnp.where(usable, run, num_slots).astype(jnp.int32)
    group_rows = jnp.full(num_slots, max(n - 1, 0), jnp.int64).at[jnp.where(starts, run, num_slots)].set(
        rows, mode="drop")
    return ids, group_rows, jnp.sum(starts, dtype=jnp.int64)


def run_ids_native(data: jax.Array, usable: jax.Array, num_slots: int):
    """The C++ path (CPU only, csrc/dense_ids.cc ``jaxframes_run_ids``): one pass."""
    native.require()
    outs = (jax.ShapeDtypeStruct(usable.shape, jnp.int32), jax.ShapeDtypeStruct((num_slots,), jnp.int64),
            jax.ShapeDtypeStruct((), jnp.int64))
    return jax.ffi.ffi_call("jaxframes_run_ids", outs, vmap_method="sequential")(data, usable.astype(bool))


@functools.partial(jit, static_argnames=("num_slots",))
def run_ids(data: jax.Array, usable: jax.Array, *, num_slots: int):
    """``dense_group_ids``' outputs (ids int32[n], group_rows int64[num_slots], count) for ONE key
    whose usable values are non-decreasing in row order (``keys.key_runs`` says so): each run of
    equal values is a group, numbered in row order (key order and first appearance at once).
    ``num_slots`` must be at least the run count. C++ on the CPU backend, the twin elsewhere."""
    data = data.astype(jnp.int64)
    twin = functools.partial(run_ids_jax, num_slots=num_slots)
    if not native.available() or data.shape[0] == 0 or not 0 < num_slots < 2 ** 31:
        return twin(data, usable)
    return jax.lax.platform_dependent(data, usable, default=twin,
                                      cpu=functools.partial(run_ids_native, num_slots=num_slots))


# -- positions within groups, in row order ------------------------------------------------------
def group_positions_jax(ids: jax.Array, live: jax.Array, num_slots: int) -> tuple[jax.Array, jax.Array]:
    """The pure-JAX twin of ``group_positions_native``: a stable sort by id, each sorted row's
    distance from its run's first row, scattered back onto the rows."""
    n = ids.shape[0]
    inside = live & (ids >= 0) & (ids < num_slots)
    gid = jnp.where(inside, ids, num_slots).astype(jnp.int64)
    size = jax.ops.segment_sum(inside.astype(jnp.int64), gid, num_slots)
    if n == 0:
        return jnp.zeros(0, jnp.int64), size
    rows = jnp.arange(n, dtype=jnp.int64)
    sorted_gid, perm = jax.lax.sort((gid, rows), num_keys=1, is_stable=True)
    starts = jnp.concatenate([jnp.ones(1, bool), sorted_gid[1:] != sorted_gid[:-1]])
    pos_sorted = rows - jax.lax.cummax(jnp.where(starts, rows, 0))
    pos = jnp.zeros(n, jnp.int64).at[perm].set(pos_sorted, unique_indices=True)
    return jnp.where(inside, pos, -1), size


def group_positions_native(ids: jax.Array, live: jax.Array, num_slots: int) -> tuple[jax.Array, jax.Array]:
    """The C++ path (CPU only, csrc/dense_ids.cc ``jaxframes_group_positions``): one pass."""
    native.require()
    if np.dtype(ids.dtype) not in (np.dtype(np.int32), np.dtype(np.int64)):
        ids = ids.astype(jnp.int64)
    outs = (jax.ShapeDtypeStruct(ids.shape, jnp.int64), jax.ShapeDtypeStruct((num_slots,), jnp.int64))
    return jax.ffi.ffi_call("jaxframes_group_positions", outs, vmap_method="sequential")(ids, live.astype(bool))


@functools.partial(jit, static_argnames=("num_slots",))
def group_positions(ids: jax.Array, live: jax.Array, num_slots: int) -> tuple[jax.Array, jax.Array]:
    """(position of each row within its group in row order, group sizes) for unsorted group ids
    (a dense grouping's): rows not live or with an id outside [0, num_slots) get -1. C++ on the
    CPU backend, the twin elsewhere."""
    twin = functools.partial(group_positions_jax, num_slots=num_slots)
    if not native.available() or ids.shape[0] == 0 or num_slots == 0:
        return twin(ids, live)
    return jax.lax.platform_dependent(ids, live, default=twin,
                                      cpu=functools.partial(group_positions_native, num_slots=num_slots))
