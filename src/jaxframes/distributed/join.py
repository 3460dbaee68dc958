"""Distributed merge: both sides partitioned by key range, joined per device.

1. One ``shard_map`` program draws samples of both sides' key words, picks shared splitters
   and exchanges both sides (partition.py): rows with equal keys, from either side, meet on one
   device. Each row carries its global row id.
2. Each device joins what it received with the ordinary eager merge (joins/merge.py), on its
   own rows only (the arrays stay on that device).
3. The per-device results become one row-sharded frame (each padded to the largest, masked).
   Columns whose dtype a device decided differently (an int column that gets missing values on
   one device only becomes float64 there) take the widened dtype, as pandas decides it globally.
4. pandas' row order: with ``sort=True`` and for ``how='outer'`` it is key order, which the
   device ranges already give; for ``inner``/``left`` it is the left rows' order (``right``: the
   right rows'), restored by the distributed sample sort on the carried row id.

Only the samples, the count matrices and (for the order) the sort's own small collectives are
all-gathered.

Several processes: each process runs step 2 for its own devices only; the per-device result
lengths and dtype names go through one small host all-gather (processes.gather_blobs) so that
every process pads to the same length and casts to the same dtype; string columns whose
dictionaries differ between devices or processes get one shared dictionary
(processes.unify_strings); the result is built from each process's own device pieces.

Broadcast (``broadcast_side``): when one side is small (BROADCAST_BYTES, and at most 1/S of the
other side's rows) and the kind allows it, that side is all-gathered to every device instead and
the large side does not move; each device joins its own large rows with the whole small side.

``validate=``: always partitioned (each device then sees every row of its keys, from both
sides); the devices' MergeErrors are combined (``_raise_validation``).

``how='cross'``: always a broadcast of the smaller side (``cross_side``: at most
BROADCAST_BYTES, else NotImplementedError naming the sizes).

Index joins (``left_index``/``right_index``, DataFrame.join): a single-level index is the key
on its side; the labels travel with the rows (materialized) and the result's labels ride as a
column through the assembly. Not here: a MultiIndex key, and calls inside ``jax.jit`` (merge needs an
output size there); those take the one-device path (whose gathers XLA partitions).
"""

from __future__ import annotations

import json
from functools import partial
from typing import Any, Callable, Hashable, Sequence

import jax
import jax.numpy as jnp
import numpy as np
from jax.sharding import PartitionSpec as P
from pandas.errors import MergeError

from jaxframes import dtypes as jdt
from jaxframes.column import Column, astype
from jaxframes.dictionary import unify
from jaxframes.distributed import exchange as ex
from jaxframes.distributed.layout import flatten
from jaxframes.distributed.partition import route
from jaxframes.distributed.processes import gather_blobs, local_devices, unify_strings
from jaxframes.distributed.sample_sort import CAPACITY_FACTOR, sort_table, splitters
from jaxframes.groupby.grouper import sort_key_for
from jaxframes.index import Index, MultiIndex, RangeIndex
from jaxframes.joins.keys import unify_pair
from jaxframes.kernels.keys import SortKey, pack_keys
from jaxframes.kernels.sort import argsort_words
from jaxframes.sharding import RowSharding, bucket_capacity
from jaxframes.sync import device_get
from jaxframes.table import Table, new_frame, pad_column

LEFT_ID, RIGHT_ID, INDEX_ID = "__jf_left_row__", "__jf_right_row__", "__jf_index__"
HOWS = ("inner", "left", "right", "outer")


def _join_shard(lwords, llive, lpayload, rwords, rlive, rpayload, *, axis: str, num_shards: int,
                pair_capacity: int):
    """Shared splitters from both sides' samples; both sides exchanged with them."""
    sides = ((lwords, llive, lpayload), (rwords, rlive, rpayload))
    sorted_sides = []
    for words, live, _ in sides:
        perm = argsort_words(tuple(words))
        sorted_sides.append(([w[perm] for w in words], jnp.sum(live, dtype=jnp.int64)))
    bounds = splitters(sorted_sides, axis, num_shards)
    out = []
    for words, live, payload in sides:
        perm, slot, counts, _ = route(words, live, bounds, axis=axis, num_shards=num_shards,
                                      pair_capacity=pair_capacity)
        from_each, _, stats = ex.swap_counts(counts, axis)
        received = ex.exchange([p[perm] for p in payload], slot, axis, num_shards, pair_capacity)
        out += [tuple(received), ex.received_valid(from_each, num_shards, pair_capacity), stats]
    return tuple(out)


@partial(jax.jit, static_argnames=("sharding", "pair_capacity"))
def exchange_program(lwords, llive, lpayload, rwords, rlive, rpayload, *, sharding: RowSharding,
                     pair_capacity: int):
    """Both sides partitioned by the same key ranges: (left arrays, left valid, left stats,
    right arrays, right valid, right stats)."""
    rows = P(sharding.axis)
    body = partial(_join_shard, axis=sharding.axis, num_shards=sharding.num_shards, pair_capacity=pair_capacity)
    return jax.shard_map(body, mesh=sharding.mesh, in_specs=(rows,) * 6,
                         out_specs=(rows, rows, P(), rows, rows, P()), check_vma=False)(
        lwords, llive, lpayload, rwords, rlive, rpayload)


def applies(left: Any, right: Any, how: str, lkeys: Any, rkeys: Any, traced: bool, capacity: Any) -> bool:
    """Whether a merge takes the distributed path."""
    sharding = left._sharding
    return (sharding is not None and sharding.num_shards > 1 and right._sharding == sharding
            and (how in HOWS and _keyed(left, lkeys) and _keyed(right, rkeys) or how == "cross")
            and not traced and capacity is None
            and left._capacity > 0 and right._capacity > 0)


def _keyed(frame: Any, keys: Any) -> bool:
    """Key columns, or (None: an index join) a single-level index."""
    return len(keys) > 0 if keys is not None else not isinstance(frame._index, MultiIndex)


def _words(cols: Sequence[Column], live: jax.Array) -> tuple[jax.Array, ...]:
    return tuple(pack_keys([SortKey(~live, kind="b"), *(sort_key_for(c) for c in cols)]).words)


def _with_row_ids(table: Table, name: str, keep_index: bool = False) -> Table:
    """The table with its global row ids as a column; its index kept (an index join: the labels
    travel as a materialized column) or dropped."""
    ids = table.place(jnp.arange(table.capacity, dtype=jnp.int64))
    index = table.index if keep_index else RangeIndex(table.capacity)
    return Table({**table.columns, name: Column(ids)}, index, table.row_mask, table.sharding)


def _local_tables(arrays, valid, layout, sharding: RowSharding, keep_index: bool = False) -> list[Table]:
    """Per device of this process (mesh order): its received rows as a one-device table (with
    their index labels when ``keep_index``: an index join)."""
    tables = []
    for device in local_devices(sharding):
        pick = [_shard_on(a, device) for a in arrays]
        mask = _shard_on(valid, device)
        local = layout.build(pick, mask, None, jnp.arange(mask.shape[0], dtype=jnp.int64))
        tables.append(Table(local.columns, local.index if keep_index else RangeIndex(mask.shape[0]), mask, None))
    return tables


def _shard_on(array: jax.Array, device: Any) -> jax.Array:
    for shard in array.addressable_shards:
        if shard.device == device:
            return shard.data
    raise AssertionError(f"{device} holds no shard of the array")  # local_devices() only


#: a side whose arrays take at most this many bytes (per copy) may be broadcast: all-gathered to
#: every device. This is the HLO rule's explicit exception: that all-gather grows with the small
#: side, never with the large one.
BROADCAST_BYTES = 8 << 20
#: the strategy of each distributed merge ('partitioned' or 'broadcast-left'/'broadcast-right'),
#: for tests and benchmarks
STRATEGIES: list[str] = []


def table_bytes(table: Table) -> int:
    """The bytes of a table's row arrays (data, validity, index labels)."""
    arrays, _ = flatten(table, keep_range=True)
    return sum(int(a.size) * a.dtype.itemsize for a in arrays)


def broadcast_side(left: Table, right: Table, how: str, sort: bool) -> str | None:
    """Which side to all-gather ('left', 'right') or None (partition both). The small side is
    broadcast when it fits BROADCAST_BYTES and has at most 1/S of the other side's rows, for
    the kinds whose answer needs no global view of the small side's matches: inner (either
    side), left (right side small), right (left side small); with ``sort=False`` (pandas' order
    is then the large side's, or restored by the row-id sort)."""
    if sort:
        return None
    shards = left.sharding.num_shards
    for side, small, large, kinds in (("right", right, left, ("inner", "left")),
                                      ("left", left, right, ("inner", "right"))):
        if how in kinds and small.capacity * shards <= large.capacity and table_bytes(small) <= BROADCAST_BYTES:
            return side
    return None


def cross_side(left: Table, right: Table) -> str:
    """The side a cross merge all-gathers: the smaller one (by bytes), which must fit
    BROADCAST_BYTES. Each device pairs its own rows of the other side with all of it: with the
    right side broadcast the result is already in pandas' (left-major) order; with the left side
    broadcast a stable sort by the left row id restores it (ties keep the right rows' order)."""
    lbytes, rbytes = table_bytes(left), table_bytes(right)
    side, small = ("right", rbytes) if rbytes <= lbytes else ("left", lbytes)
    if small > BROADCAST_BYTES:
        raise NotImplementedError(
            f"merge(how='cross') of two row-sharded frames of {lbytes} and {rbytes} bytes: the smaller side is "
            f"all-gathered to every device and may take at most BROADCAST_BYTES ({BROADCAST_BYTES}); "
            "a blocked cross product is not implemented")
    return side


@partial(jax.jit, static_argnames=("sharding",))
def broadcast_program(arrays: tuple[jax.Array, ...], *, sharding: RowSharding) -> tuple[jax.Array, ...]:
    """Every device gets the whole small side: one all-gather per array (replicated result)."""
    def body(xs):
        out = []
        for x in xs:
            y = jax.lax.all_gather(x.astype(jnp.uint8) if x.dtype == jnp.bool_ else x, sharding.axis, tiled=True)
            out.append(y.astype(bool) if x.dtype == jnp.bool_ else y)
        return tuple(out)
    return jax.shard_map(body, mesh=sharding.mesh, in_specs=(P(sharding.axis),), out_specs=P(),
                         check_vma=False)(tuple(arrays))


def _partitioned(lt: Table, rt: Table, lw, rw, sharding: RowSharding,
                 by_index: bool = False) -> tuple[list[Table], list[Table]]:
    """Both sides exchanged by shared key ranges: per device, its key range's rows of each side."""
    shards = sharding.num_shards
    larrays, llayout = flatten(lt, keep_range=by_index)
    rarrays, rlayout = flatten(rt, keep_range=by_index)
    local = max(lt.capacity, rt.capacity) // shards
    pair = ex.guess_capacities(local, shards, CAPACITY_FACTOR)[0]
    run = partial(exchange_program, sharding=sharding)
    args = (lw, lt.live(), tuple(larrays), rw, rt.live(), tuple(rarrays))
    out = run(*args, pair_capacity=pair)
    needed = int(max(np.asarray(device_get(out[2]))[0], np.asarray(device_get(out[5]))[0]))
    if needed > pair:
        ex.RETRIES.append((pair, shards * pair, bucket_capacity(needed), shards * bucket_capacity(needed)))
        out = run(*args, pair_capacity=bucket_capacity(needed))
    return (_local_tables(out[0], out[1], llayout, sharding, by_index),
            _local_tables(out[3], out[4], rlayout, sharding, by_index))


def _broadcast(large: Table, small: Table, sharding: RowSharding,
               by_index: bool = False) -> tuple[list[Table], list[Table]]:
    """Per device: its own rows of the large side, and the whole small side (all-gathered)."""
    larrays, llayout = flatten(large, keep_range=by_index)
    sarrays, slayout = flatten(small, keep_range=by_index)
    gathered = broadcast_program((*sarrays, small.live()), sharding=sharding)
    return (_local_tables([sharding.place(a) for a in larrays], sharding.place(large.live()), llayout, sharding,
                          by_index),
            _local_tables(list(gathered[:-1]), gathered[-1], slayout, sharding, by_index))


def merge(left: Any, right: Any, lkeys: Sequence[Hashable] | None, rkeys: Sequence[Hashable] | None, how: str,
          sort: bool, call: Callable[[Any, Any], Any], validate: bool = False) -> Any:
    """``call(left, right)`` (an eager merge on ``lkeys``/``rkeys``) on row-sharded frames.
    ``validate``: ``call`` validates (pandas' ``validate=``); then both sides are partitioned
    (equal keys of either side meet on one device, so each device's check sees every row of its
    keys) and the devices' MergeErrors are combined into pandas' one (every process raises it)."""
    sharding = left._sharding
    by_index = lkeys is None or rkeys is None  # an index join: a side's (single) index is its key
    lcols = [left._index.labels()] if lkeys is None else [left._columns[k] for k in lkeys]
    rcols = [right._index.labels()] if rkeys is None else [right._columns[k] for k in rkeys]
    pairs = [unify_pair(a, b, None) for a, b in zip(lcols, rcols)]
    lt, rt = _with_row_ids(left._table, LEFT_ID, by_index), _with_row_ids(right._table, RIGHT_ID, by_index)
    # string keys in their shared dictionary, so that every device's merge sees the same one
    for (a, b), (lcol, rcol) in zip(zip(lkeys or (), rkeys or ()), pairs):
        if lcol.dtype.kind == "U":
            lt = Table({**lt.columns, a: lcol}, lt.index, lt.row_mask, lt.sharding)
            rt = Table({**rt.columns, b: rcol}, rt.index, rt.row_mask, rt.sharding)
    side = cross_side(lt, rt) if how == "cross" else None if validate else broadcast_side(lt, rt, how, sort)
    if side == "right":
        lparts, rparts = _broadcast(lt, rt, sharding, by_index)
    elif side == "left":
        rparts, lparts = _broadcast(rt, lt, sharding, by_index)
    else:
        lw, rw = _words([p[0] for p in pairs], lt.live()), _words([p[1] for p in pairs], rt.live())
        lparts, rparts = _partitioned(lt, rt, lw, rw, sharding, by_index)
    STRATEGIES.append("partitioned" if side is None else f"broadcast-{side}")
    results, errors = [], []
    for a, b in zip(lparts, rparts):
        try:
            results.append(call(new_frame(a.columns, a.index, a.row_mask), new_frame(b.columns, b.index, b.row_mask)))
        except MergeError as err:
            if not validate:
                raise
            errors.append(str(err))
    if validate:
        _raise_validation(errors)
    parts = [r._compact_exact()._table for r in results]
    if by_index:  # the result's labels ride as a column through the assembly and the order sort
        parts = [Table({**t.columns, INDEX_ID: t.index.labels()}, RangeIndex(t.capacity), t.row_mask, None)
                 for t in parts]
    table = _assemble(parts, sharding)
    # pandas' order: key order (sort=True, outer) is the device ranges' order; inner/left follow
    # the left rows, right the right rows: a broadcast keeps the large side's order already
    order = {"inner": LEFT_ID, "left": LEFT_ID, "right": RIGHT_ID, "cross": LEFT_ID}.get(how)
    if side == "right" or (side == "left" and how == "right"):
        order = None
    if order is not None and (not sort or how == "cross"):
        id_col = table.columns[order]
        table = sort_table(table, [SortKey(~table.live(), kind="b"), sort_key_for(id_col)], ignore_index=True)
    columns = {k: c for k, c in table.columns.items() if k not in (LEFT_ID, RIGHT_ID, INDEX_ID)}
    index = Index(table.columns[INDEX_ID], results[0]._index.name) if by_index else table.index
    return new_frame(columns, index, table.row_mask, sharding)


def _raise_validation(errors: list[str]) -> None:
    """pandas' MergeError of a validated merge from the devices' own (every process's, through
    one small host all-gather): keys duplicated on the left on some device and on the right on
    another make the 'either' message."""
    everyone = [e for blob in gather_blobs(json.dumps(errors).encode()) for e in json.loads(blob)]
    if not everyone:
        return
    left = any(" in left " in e or " in either " in e for e in everyone)
    right = any(" in right " in e or " in either " in e for e in everyone)
    where = "either left or right" if left and right else "left" if left else "right"
    kind = everyone[0].split("; not a ", 1)[1]
    raise MergeError(f"Merge keys are not unique in {where} dataset; not a {kind}")


def _parts_metadata(parts: list[Table], names: list[Hashable], devices: list, sharding: RowSharding):
    """Over every device of the mesh (all processes): (row counts in mesh order, per column the
    dtype names, per column whether some part has a validity mask). Each process describes its
    own devices' parts; one small cross-process all-gather (gather_blobs) shares the
    descriptions."""
    position = {d: i for i, d in enumerate(sharding.mesh.devices.flat)}
    mine = [[position[device], part.capacity, [str(part.columns[n].dtype) for n in names],
             [part.columns[n].validity is not None for n in names]] for device, part in zip(devices, parts)]
    described = sorted(row for blob in gather_blobs(json.dumps(mine).encode()) for row in json.loads(blob))
    counts = np.array([row[1] for row in described], np.int64)
    dtypes = {name: sorted({row[2][j] for row in described}) for j, name in enumerate(names)}
    validity = {name: any(row[3][j] for row in described) for j, name in enumerate(names)}
    return counts, dtypes, validity


def _one_dictionary(cols: list[Column]) -> list[Column]:
    """This process's parts of a string column in one dictionary (the per-device merges may
    each build their own): the sorted union, codes remapped."""
    if cols[0].dictionary is None or all(c.dictionary == cols[0].dictionary for c in cols[1:]):
        return cols
    merged = cols[0].dictionary
    for c in cols[1:]:
        merged = unify(merged, c.dictionary)[0]
    return [c if c.dictionary == merged else c.replace(data=jnp.asarray(unify(c.dictionary, merged)[1])[c.data],
                                                       dictionary=merged) for c in cols]


def _common_dtype(name: Hashable, names: list[str], cols: Sequence[Column]) -> Any:
    """The dtype every device's part is cast to (None: all agree): the widened dtype where
    devices differ (an int column with missing values on some device only becomes float64
    there; pandas decides it over all rows). ``names``: the dtype names over every device."""
    if len(names) == 1:
        return None
    known = {str(c.dtype): c.dtype for c in cols}
    try:
        dtypes = [known[n] if n in known else jdt.parse(n) for n in names]
    except TypeError as err:
        raise NotImplementedError(f"distributed merge: column {name!r} has dtypes {names}") from err
    floats = [d for d in dtypes if d.kind == "f"]
    masked = [d for d in dtypes if d.masked]
    pick = floats or masked
    if not pick or len({str(d) for d in pick}) > 1:
        raise NotImplementedError(f"distributed merge: devices disagree on the dtype of column {name!r} "
                                  f"({names})")
    return pick[0]


def _assemble(parts: list[Table], sharding: RowSharding) -> Table:
    """One row-sharded table from this process's per-device tables (its devices, mesh order):
    each padded to the largest bucketed length over every device, masked; the index becomes the
    global row positions. Several processes agree on the lengths and dtypes through one small
    host all-gather."""
    devices = local_devices(sharding)
    names = list(parts[0].columns)
    counts, dtype_names, some_validity = _parts_metadata(parts, names, devices, sharding)
    cap = max(bucket_capacity(int(counts.max(initial=0))), 1)
    offsets = np.concatenate([[0], np.cumsum(counts)])
    position = {d: i for i, d in enumerate(sharding.mesh.devices.flat)}
    mine = [position[d] for d in devices]
    columns = {}
    for name in names:
        cols = _one_dictionary([p.columns[name] for p in parts])
        target = _common_dtype(name, dtype_names[name], cols)
        if target is not None:
            cols = [c if str(c.dtype) == str(target) else astype(c, target) for c in cols]
        has_validity = bool(some_validity[name]) or any(c.validity is not None for c in cols)
        data = _global([pad_column(c, cap - c.capacity).data for c in cols], devices, sharding)
        validity = None
        if has_validity:
            validity = _global([jnp.concatenate([c.not_null() if c.validity is None else c.validity,
                                                 jnp.zeros(cap - c.capacity, bool)]) for c in cols],
                               devices, sharding)
        columns[name] = cols[0].replace(data=data, validity=validity)
    mask = _global([jnp.arange(cap) < counts[i] for i in mine], devices, sharding)
    positions = _global([offsets[i] + jnp.arange(cap, dtype=jnp.int64) for i in mine], devices, sharding)
    # processes whose devices built different dictionaries: one shared dictionary (digests
    # all-gathered; the dictionaries only when they differ)
    return unify_strings(Table(columns, Index(Column(positions)), mask, sharding))


def _global(pieces: list[jax.Array], devices: list, sharding: RowSharding) -> jax.Array:
    """Equal-length pieces, one per device of this process (mesh order), as one array sharded
    over the rows of the whole mesh."""
    shape = (pieces[0].shape[0] * sharding.num_shards,) + pieces[0].shape[1:]
    placed = [jax.device_put(p, d) for p, d in zip(pieces, devices)]
    return jax.make_array_from_single_device_arrays(shape, sharding.named, placed)
