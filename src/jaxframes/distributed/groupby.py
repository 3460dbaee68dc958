"""Distributed group-by aggregation: local pre-aggregation, an exchange of partial aggregates,
the final merge. One compiled ``shard_map`` program per call shape, three modes:

- ``shuffle`` (many groups): each device aggregates its own rows into partials, one row per
  local group (groupby/partials.py: sum, count, min, max, first, last, any, all, prod; mean from
  (sum, count); var/std from (count, mean, M2)); the partial rows are partitioned by key range
  (partition.py) and exchanged; each device merges the partials of its key range (Chan's
  formula for the moments). Traffic is one row per (device, group), not one per row.
- ``dense`` (few groups, at most ``DENSE_GROUPS`` per device): the partial rows are
  all-gathered (S x DENSE_GROUPS rows: bounded by the threshold, not by the row count) and
  every device merges them; device d keeps the d-th slice of the merged groups. The host picks
  it when it can read the group count (eager calls); on an overflow it falls back to
  ``shuffle`` and remembers the call shape.
- ``rows`` (median, nunique, sum/prod with ``min_count``: not decomposable): the rows themselves
  are exchanged by key range and each device runs the ordinary aggregation on them. Also chosen
  by bytes (``_choose_rows``) when the dense try's counts show about as many local groups as
  rows: a partial row (keys plus sum, count, M2, ... per aggregation) is wider than a row, so
  there the partials exchange would move more bytes than the rows exchange.

In every mode each device computes the call of the facade (``groupby.agg`` etc.) through the
group-by's per-column hook, so output shapes, names and dtypes are the one-device ones: a
recording pass on the local rows gives the requested (column, aggregation) pairs and their
result columns' dtypes (dead code for XLA), the merge pass shapes its values like them.

Output order: per-device results in key order concatenate to pandas' ``sort=True`` order; with
``sort=False`` every group carries its first global row id (a ``min`` partial) and the result is
re-sorted by it with the distributed sample sort (first appearance order). The result stays
row-sharded. Only samples, counts and (dense mode) the bounded partial rows are all-gathered.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Any, Callable, Hashable, Sequence

import jax
import jax.numpy as jnp
import numpy as np
from jax.sharding import PartitionSpec as P

from jaxframes.column import Column
from jaxframes.distributed import exchange as ex
from jaxframes.distributed import rowwise
from jaxframes.distributed.layout import Layout, flatten
from jaxframes.distributed.partition import shuffle_by_key
from jaxframes.distributed.sample_sort import CAPACITY_FACTOR, _keep_rows, sort_table
from jaxframes.facts import is_traced
from jaxframes.groupby.aggregations import AGGREGATIONS
from jaxframes.groupby.grouper import sort_key_for
from jaxframes.groupby.partials import PARTIALS, decomposable, merge_column, partial_columns
from jaxframes.index import RangeIndex
from jaxframes.kernels.keys import SortKey, pack_keys
from jaxframes.sharding import RowSharding, bucket_capacity
from jaxframes.sync import device_get
from jaxframes.table import Table, is_series, new_frame, new_series

#: at most this many groups per device take the dense (all-gathered partials) mode
DENSE_GROUPS = 256
FIRST_ROW = "__jf_first_row__"

# result layouts per (program key, mode), recorded while the program traces (a cache hit skips
# tracing); call shapes whose aggregations must move rows; call shapes whose dense try overflowed
_RESULTS: dict[tuple, tuple[Layout, bool, Hashable]] = {}
_ROWS_ONLY: set = set()
_NOT_DENSE: set = set()
# call shapes whose dense try showed about as many groups as rows: rows exchanged (_choose_rows);
# bytes of one partial row per call shape, recorded while the partials program traces
_ROWS_BY_BYTES: set = set()
PARTIAL_BYTES: dict[tuple, int] = {}
#: the mode of each distributed group-by run, for tests and benchmarks
MODES: list[str] = []


class _RowsNeeded(Exception):
    """An aggregation of the call does not merge from partials: exchange the rows."""


@dataclass(frozen=True, eq=False)
class _Program:
    """The static part of one distributed group-by: equal keys share a compiled program."""

    key: tuple
    call: Callable[[Any], Any]   # the facade call on a group-by object
    groupby: Any                 # the group-by whose ``_on`` makes the per-device group-bys
    layout: Layout
    names: tuple                 # the frame's column names (value names of the merge pass)
    sharding: RowSharding
    with_index: bool = False     # rows mode: the frame's index labels travel with the rows

    def __hash__(self) -> int:
        return hash(self.key)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Program) and other.key == self.key


def _request_key(name: Hashable, how: str, kwargs: dict) -> tuple:
    return repr(name), how, repr(sorted(kwargs.items()))


def _finish(program: _Program, mode: str, result: Any, first_row: jax.Array, rows_kept: int | None):
    """(arrays, mask, positions, counts, first row ids) of this device's result; ``rows_kept``
    (dense mode): the result is replicated, keep this device's slice of that many rows."""
    axis, shards = program.sharding.axis, program.sharding.num_shards
    table = result._table
    arrays, layout = flatten(table)
    name = next(iter(table.columns)) if is_series(result) else None
    _RESULTS[(program.key, mode)] = (layout, is_series(result), name)
    mask = table.live()
    me = jax.lax.axis_index(axis)
    if rows_kept is not None:
        take = lambda a: jax.lax.dynamic_slice_in_dim(a, me * rows_kept, rows_kept)  # noqa: E731
        arrays, mask, first_row = [take(a) for a in arrays], take(mask), take(first_row)
    count = jnp.sum(mask, dtype=jnp.int64)
    counts = jax.lax.all_gather(count, axis)
    before = jnp.sum(jnp.where(jnp.arange(shards) < me, counts, 0))
    positions = before + jnp.arange(mask.shape[0], dtype=jnp.int64)
    return tuple(arrays), mask, positions, counts, first_row


def _key_words(keys: Sequence[Column], live: jax.Array) -> tuple[jax.Array, ...]:
    return tuple(pack_keys([SortKey(~live, kind="b"), *(sort_key_for(c) for c in keys)]).words)


def _first_rows(frame: Any, gb: Any) -> jax.Array:
    """Per output group of ``gb``: the smallest global row id in the frame's FIRST_ROW column."""
    return AGGREGATIONS["min"](frame._columns[FIRST_ROW], gb.grouping).data


def _rows_body(live, payload, gid, *, program: _Program, pair_capacity: int):
    """Rows exchanged by key range; each device aggregates its key range's rows."""
    sharding = program.sharding
    axis, shards = sharding.axis, sharding.num_shards
    local = program.layout.build(payload, live, None, gid)
    words = _key_words([local.columns[k] for k in program.groupby._keys], live)
    received, valid, stats = shuffle_by_key(words, live, [*payload, gid], axis=axis, num_shards=shards,
                                            pair_capacity=pair_capacity)
    rows = shards * pair_capacity
    table = program.layout.build(received[:-1], valid, None, jnp.arange(rows, dtype=jnp.int64))
    index = table.index if program.with_index else RangeIndex(rows)
    frame = new_frame({**table.columns, FIRST_ROW: Column(received[-1])}, index, valid)
    gb = program.groupby._on(frame, sort=True, names=list(program.names))
    result = program.call(gb)
    if isinstance(result, tuple):  # several result rows per group: their own first rows
        result, first_row = result
    else:
        first_row = _first_rows(frame, gb)
    return (*_finish(program, "rows", result, first_row, None), stats)


def _partial_body(live, payload, gid, *, program: _Program, pair_capacity: int, dense: int):
    """Local partial aggregates, exchanged (dense == 0) or all-gathered (dense groups per device),
    then merged."""
    sharding = program.sharding
    axis, shards = sharding.axis, sharding.num_shards
    n = live.shape[0]
    local_table = program.layout.build(payload, live, None, gid)
    local = new_frame(local_table.columns, RangeIndex(n), live)
    requests: dict[tuple, tuple] = {}

    def record(gb: Any, name: Hashable, how: str, kwargs: dict) -> Column:
        col = gb._plain_aggregate(name, how, **kwargs)
        source = None if name is None else gb._frame._columns[name]
        requests.setdefault(_request_key(name, how, kwargs), (name, how, kwargs, col, source))
        return col

    gb = program.groupby._on(local, sort=True, hook=record)
    program.call(gb)  # the recording pass: its result is dead code
    if not all(decomposable(how, kwargs, source) for name, how, kwargs, _, source in requests.values()):
        raise _RowsNeeded()
    g = gb.grouping
    keys = gb._key_columns()
    columns: dict[Hashable, Column] = dict(zip(gb._keys, keys))
    index_of = {}
    for i, (key, (name, how, kwargs, _, source)) in enumerate(requests.items()):
        index_of[key] = i
        for kind, col in partial_columns(source, g, how, kwargs).items():
            columns[("__jf_partial__", i, kind)] = col
    first_appearance = not program.groupby._sort
    if first_appearance:  # only sort=False needs each group's first row (8 B per partial row)
        columns[FIRST_ROW] = AGGREGATIONS["min"](Column(gid), g)
    mask = g.result_mask()
    mask = jnp.ones(g.num_slots, bool) if mask is None else mask
    arrays, layout = flatten(Table(columns, RangeIndex(g.num_slots), mask, None))
    PARTIAL_BYTES[program.key] = sum(a.dtype.itemsize for a in arrays)  # per partial row (static)
    if dense:
        take = [a[:dense] for a in arrays]
        received = [jax.lax.all_gather(a.astype(jnp.uint8) if a.dtype == jnp.bool_ else a, axis, tiled=True)
                    for a in take]
        received = [r.astype(bool) if a.dtype == jnp.bool_ else r for r, a in zip(received, take)]
        valid = jax.lax.all_gather(mask[:dense], axis, tiled=True)
        groups = jnp.sum(mask, dtype=jnp.int64)
        # [largest local group count, local groups summed, live rows summed]: the host's choice
        # between the partials exchange and the rows exchange (_choose_rows)
        stats = jnp.stack([jax.lax.pmax(groups, axis), jax.lax.psum(groups, axis),
                           jax.lax.psum(jnp.sum(live, dtype=jnp.int64), axis)])
        rows = shards * dense
    else:
        words = _key_words(keys, mask)
        received, valid, stats = shuffle_by_key(words, mask, arrays, axis=axis, num_shards=shards,
                                                pair_capacity=pair_capacity)
        rows = shards * pair_capacity
    merged_table = layout.build(received, valid, None, jnp.arange(rows, dtype=jnp.int64))
    merged = new_frame(merged_table.columns, RangeIndex(rows), valid)

    def merge(mgb: Any, name: Hashable, how: str, kwargs: dict) -> Column:
        key = _request_key(name, how, kwargs)
        i = index_of[key]
        parts = {kind: merged._columns[("__jf_partial__", i, kind)] for kind in PARTIALS[how]}
        return merge_column(parts, mgb.grouping, how, kwargs, requests[key][3])

    mgb = program.groupby._on(merged, sort=True, hook=merge, names=list(program.names))
    result = program.call(mgb)
    mode = "dense" if dense else "shuffle"
    first_row = _first_rows(merged, mgb) if first_appearance else jnp.zeros(valid.shape, jnp.int64)
    return (*_finish(program, mode, result, first_row, dense or None), stats)


@partial(jax.jit, static_argnames=("program", "pair_capacity", "mode", "dense"))
def run(live, payload, gid, *, program: _Program, pair_capacity: int, mode: str = "shuffle", dense: int = 0):
    """The compiled distributed group-by: (result arrays, mask, positions, per-device result
    counts, first row ids, exchange stats)."""
    rows = P(program.sharding.axis)
    if mode == "rows":
        body = partial(_rows_body, program=program, pair_capacity=pair_capacity)
    else:
        body = partial(_partial_body, program=program, pair_capacity=pair_capacity, dense=dense)
    return jax.shard_map(body, mesh=program.sharding.mesh, in_specs=(rows, rows, rows),
                         out_specs=(rows, rows, rows, P(), rows, P()), check_vma=False)(live, payload, gid)


def program_inputs(table: Table, groupby: Any, call: Callable[[Any], Any],
                   call_key: tuple, with_index: bool = False) -> tuple[jax.Array, list, jax.Array, _Program]:
    """(live rows, row arrays, global row ids, static program) of a distributed group-by: the
    arguments of ``run`` (the benchmark compiles it with chosen capacities). ``with_index``
    (rows mode): the index labels travel with the rows (idxmax/idxmin answer with them)."""
    live = table.live()
    index = table.index if with_index else RangeIndex(table.capacity)
    columns = Table(table.columns, index, table.row_mask, table.sharding)
    arrays, layout = flatten(columns, keep_range=with_index)
    gid = table.place(jnp.arange(table.capacity, dtype=jnp.int64))
    # the group-by without its frame: the compiled program (cached) keeps the _Program
    program = _Program((call_key, layout.key(), table.sharding, with_index), call, groupby._on(None), layout,
                       tuple(table.columns), table.sharding, with_index)
    return live, arrays, gid, program


def _run_checked(args: tuple, program: _Program, pair: int, mode: str, dense: int, traced: bool):
    """Run a mode; an eager shuffle that overflowed reruns with the exact capacity. Returns
    (outputs, fitted, host stats): a dense run that overflowed returns fitted False."""
    out = run(*args, program=program, pair_capacity=pair, mode=mode, dense=dense)
    if traced:
        return out, True, None
    stats = np.asarray(device_get(out[-1]))
    needed = int(stats[0])
    if dense:
        return out, needed <= dense, stats
    if needed > pair:
        shards = program.sharding.num_shards
        ex.RETRIES.append((pair, shards * pair, bucket_capacity(needed), shards * bucket_capacity(needed)))
        out = run(*args, program=program, pair_capacity=bucket_capacity(needed), mode=mode, dense=0)
    return out, True, stats


def _choose_rows(stats: np.ndarray, program: _Program, arrays: Sequence[jax.Array]) -> bool:
    """Whether exchanging the rows moves fewer bytes than exchanging the partials, from a dense
    try's counts (local groups summed over the devices, live rows summed): with about as many
    groups as rows (every device's partial rows ~ its rows), a partial row (keys and several
    partials per aggregation) is wider than a row (its columns and a row id)."""
    groups, rows = int(stats[1]), int(stats[2])
    partial_bytes = PARTIAL_BYTES.get(program.key)
    row_bytes = sum(a.dtype.itemsize for a in arrays) + 8  # the columns and the global row id
    return partial_bytes is not None and groups * partial_bytes > rows * row_bytes


def aggregate(table: Table, keys: Sequence[Hashable], groupby: Any, call: Callable[[Any], Any],
              call_key: tuple, *, pair_capacity: int | None = None, mode: str | None = None,
              with_index: bool = False) -> Any:
    """``call(groupby)`` (a group-by aggregation by ``keys``) on a row-sharded table. Returns
    the facade, row-sharded. ``mode`` forces 'dense', 'shuffle' or 'rows' (tests, benchmarks);
    ``with_index`` (rows mode only): the index labels travel with the rows.

    The call's result has one row per group, or (rows mode) several when the call returns
    (result, first rows): per result row, the global row id (the FIRST_ROW column of the
    device's frame) that ``sort=False`` orders it by."""
    sharding = table.sharding
    shards = sharding.num_shards
    local = table.capacity // shards
    live, arrays, gid, program = program_inputs(table, groupby, call, call_key, with_index)
    traced = is_traced(live, gid, *arrays)
    pair = pair_capacity or (local if traced else ex.guess_capacities(local, shards, CAPACITY_FACTOR)[0])
    args = (live, tuple(arrays), gid)
    if mode is None:
        mode = "rows" if program.key in _ROWS_ONLY or program.key in _ROWS_BY_BYTES else (
            "shuffle" if traced or program.key in _NOT_DENSE else "dense")
    out = None
    if mode in ("dense", "shuffle"):
        try:
            if mode == "dense":
                out, fitted, stats = _run_checked(args, program, pair, "shuffle", min(DENSE_GROUPS, local),
                                                  traced)
                if not fitted:
                    _NOT_DENSE.add(program.key)
                    out, mode = None, "shuffle"
                    if _choose_rows(stats, program, arrays):
                        _ROWS_BY_BYTES.add(program.key)
                        mode = "rows"
            if out is None and mode == "shuffle":
                out, _, _ = _run_checked(args, program, pair, "shuffle", 0, traced)
        except _RowsNeeded:
            _ROWS_ONLY.add(program.key)
            mode, out = "rows", None
    if out is None:
        out, _, _ = _run_checked(args, program, pair, "rows", 0, traced)
    MODES.append(mode)
    result_arrays, mask, positions, counts, first_row, _ = out
    if not traced:
        groups = bucket_capacity(int(np.asarray(device_get(counts)).max(initial=0)))
        if groups < mask.shape[0] // shards:
            *result_arrays, mask, positions, first_row = _keep_rows(
                (*result_arrays, mask, positions, first_row), sharding=sharding, rows=max(groups, 1))
    layout, series, name = _RESULTS[(program.key, "dense" if mode == "dense" else mode)]
    result = layout.build(result_arrays, mask, sharding, positions)
    if not groupby._sort:  # first appearance order: sort the groups by their first row
        order = [SortKey(~result.live(), kind="b"), SortKey(first_row, kind="i")]
        result = sort_table(result, order, ignore_index=not layout.index)
    if series:
        return new_series(result.columns[name], result.index, result.row_mask, name, sharding)
    return new_frame(result.columns, result.index, result.row_mask, sharding)


# -- per-row results: transform and cumulative ops ---------------------------------------------
_ROW_RESULTS: dict[tuple, tuple[Layout, bool, Hashable]] = {}


def per_row(table: Table, groupby: Any, call: Callable[[Any], Any], call_key: tuple) -> Any:
    """``call(groupby)`` (a per-row group-by result: transform, cumsum, shift, cumcount, ...) on
    a row-sharded table: the rows of each key range meet on one device (distributed/rowwise.py),
    the one-device method runs there on them (global row order within each group), and the
    values come back to their rows. The result has the table's index, mask and sharding."""
    sharding = table.sharding
    live = table.live()
    columns = Table(table.columns, RangeIndex(table.capacity), table.row_mask, sharding)
    arrays, layout = flatten(columns)
    words = _key_words([table.columns[k] for k in groupby._keys], live)
    key = ("groupby-rows", call_key, layout.key())
    groupby = groupby._on(None)  # without its frame: the cached program keeps this closure

    def answers(received: list[jax.Array], valid: jax.Array) -> list[jax.Array]:
        rows = valid.shape[0]
        local = layout.build(received, valid, None, jnp.arange(rows, dtype=jnp.int64))
        result = call(groupby._on(new_frame(local.columns, RangeIndex(rows), valid)))
        out = result._table
        out_arrays, out_layout = flatten(Table(out.columns, RangeIndex(rows), None, None))
        _ROW_RESULTS[key] = (out_layout, is_series(result), next(iter(out.columns)) if is_series(result) else None)
        return out_arrays

    values = rowwise.by_key(words, live, arrays, answers, key, sharding)
    out_layout, series, name = _ROW_RESULTS[key]
    cols = out_layout.build_columns(values)
    if series:
        return new_series(cols[name], table.index, table.row_mask, name, sharding)
    return new_frame(cols, table.index, table.row_mask, sharding)
