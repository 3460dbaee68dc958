"""The external sort of a stream, and the host-side runs it keeps: each batch sorted on the
device becomes an Arrow run on the host (spilled to a temporary directory past a host budget),
and the runs are merged on the host in one step. The partitioned join (grace_join.py) keeps its
partitions in the same runs and restores pandas' order with the same sort.
"""

from __future__ import annotations

import os
import tempfile
from typing import Any, Iterator

import jax.numpy as jnp
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from jaxframes.io.arrow import arrow_columns, table_to_frame
from jaxframes.plan import nodes as N

#: Host bytes the sorted runs may take before they spill to a temporary directory (None: a
#: multiple of the device budget, ``HOST_RUNS_PER_BUDGET`` times it).
HOST_BUDGET: list[int | None] = [int(os.environ["JAXFRAMES_HOST_BUDGET"])
                                 if os.environ.get("JAXFRAMES_HOST_BUDGET") else None]
HOST_RUNS_PER_BUDGET = 8


def host_budget(budget: int) -> int:
    """The host bytes runs may hold for a stream under a device ``budget``."""
    return HOST_BUDGET[0] or HOST_RUNS_PER_BUDGET * budget


class Runs:
    """Sorted runs as Arrow tables (the sort columns and the row labels included): in host
    memory until they exceed ``host_budget`` bytes, then in Arrow IPC files of a temporary
    directory (memory-mapped back when merged, so the host holds the pages being read)."""

    def __init__(self, host_budget: int):
        self.host_budget, self.tables, self.held = host_budget, [], 0
        self.folder: tempfile.TemporaryDirectory | None = None
        self.spilled = 0

    def add(self, table: pa.Table) -> None:
        if self.held + table.nbytes > self.host_budget:
            if self.folder is None:
                self.folder = tempfile.TemporaryDirectory(prefix="jaxframes-sort-")
            path = os.path.join(self.folder.name, f"run{len(self.tables)}.arrow")
            with pa.OSFile(path, "wb") as sink, pa.ipc.new_file(sink, table.schema) as writer:
                writer.write_table(table)
            table = pa.ipc.open_file(pa.memory_map(path, "r")).read_all()
            self.spilled += 1
        else:
            self.held += table.nbytes
        self.tables.append(table)

    def close(self) -> None:
        self.tables = []
        if self.folder is not None:
            self.folder.cleanup()


def external_sort(node: N.Sort, batches: Iterator[Any], budget: int, stats: Any) -> Any:
    """``sort_values`` of a stream: each batch is sorted on the device and kept on the host as an
    Arrow run (``RunFormat``; spilled past the host budget); the runs are then merged on the
    host in one step: one stable Arrow sort of the concatenated runs' key columns
    (``merged_order``: the runs are sorted already, so it is a merge) and one gather of every
    column, moved to the device once. Runs are consecutive slices of the input, each stably
    sorted, so a stable sort of their concatenation keeps tied rows in input order: pandas'
    stable order."""
    runs, form = Runs(host_budget(budget)), RunFormat()
    try:
        batch = None
        for batch in batches:
            if len(batch):
                runs.add(form.table(node.evaluate(batch)))
        stats.spilled_runs = runs.spilled
        if not runs.tables:  # no row survived: the (empty) last batch sorted gives the columns
            if batch is None:
                raise ValueError("a streamed sort saw no batch")
            return node.evaluate(batch)
        if len(runs.tables) == 1:
            return from_host(runs.tables[0])
        table = pa.concat_tables(runs.tables, promote_options="permissive")
        names = list(batch._columns)
        order = merged_order(table, [names.index(label) for label in node.by], node.ascending, node.na_position,
                              [batch._columns[label].dtype.kind == "U" for label in node.by])
        return from_host(table.unify_dictionaries().take(order))
    finally:
        runs.close()


class RunFormat:
    """Sorted runs as the Arrow tables ``to_arrow(preserve_index=True)`` makes (pandas metadata,
    row labels as index columns: a sorted run's labels are never a range) except that strings
    stay dictionary-encoded (none is decoded, nor encoded again when the merged rows go back to
    the device). Built from the arrays alone (``arrow_columns``): the pandas schema is made once
    per column layout, from a frame with no live row, not once per run."""

    def __init__(self):
        self.schemas: dict[tuple, pa.Schema] = {}

    def table(self, frame: Any) -> pa.Table:
        columns, levels = arrow_columns(frame, dictionaries=True)
        index = frame._index
        layout = (tuple((repr(k), repr(c.dtype)) for k, c in frame._columns.items()),
                  repr(getattr(index, "names", index.name)), tuple(repr(a.type) for a in levels))
        schema = self.schemas.get(layout)
        if schema is None:
            nothing = frame._table.with_rows(jnp.zeros(frame._table.capacity, bool))
            schema = self.schemas[layout] = frame._wrap(nothing).to_arrow(preserve_index=True).schema
        arrays = columns + levels
        if len(arrays) != len(schema):
            raise NotImplementedError("a streamed sort of a frame whose row labels Arrow cannot hold as columns")
        fields = []
        for i, (array, field) in enumerate(zip(arrays, schema)):
            if pa.types.is_dictionary(array.type) and array.type.value_type == field.type:
                field = field.with_type(array.type)  # a string column kept dictionary-encoded
            elif array.type != field.type:
                arrays[i] = array.cast(field.type)
            fields.append(field)
        return pa.Table.from_arrays(arrays, schema=pa.schema(fields, metadata=schema.metadata))


def merged_order(table: pa.Table, positions: list[int], ascending: tuple, na_position: str,
                  strings: list[bool] | None = None) -> pa.Array:
    """The stable order of ``table``'s rows by the key columns at ``positions`` as pandas sorts
    them: NaN is a null (Arrow would put it between the values and the nulls), a string column
    held as dictionaries sorts by its strings' ranks, a categorical by its codes (its category
    order), nulls go first or last whatever the direction."""
    keys, columns = [], []
    nulls = "at_end" if na_position == "last" else "at_start"
    strings = strings or [False] * len(positions)
    for i, (position, up, is_string) in enumerate(zip(positions, ascending, strings)):
        column = table.column(position)
        if pa.types.is_dictionary(column.type):
            name = table.column_names[position]
            column = _string_ranks(column) if is_string else _category_codes(column, name)
        column = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
        if pa.types.is_floating(column.type):
            column = pc.if_else(pc.is_nan(column), pa.scalar(None, column.type), column)
        columns.append(column)
        keys.append((f"k{i}", "ascending" if up else "descending", nulls))
    frame = pa.Table.from_arrays(columns, names=[key[0] for key in keys])
    try:
        return pc.sort_indices(frame, sort_keys=keys)
    except pa.ArrowNotImplementedError as err:
        raise NotImplementedError(f"a streamed sort by a key of Arrow type {column.type}: {err}") from err


def _string_ranks(column: pa.ChunkedArray) -> pa.ChunkedArray:
    """A dictionary-encoded string key as the rank of each row's string among all runs' strings."""
    column = column.unify_dictionaries()
    if column.num_chunks == 0:
        return pa.chunked_array([], pa.int32())
    dictionary = column.chunk(0).dictionary
    ranks = np.empty(len(dictionary), np.int32)
    ranks[pc.sort_indices(dictionary).to_numpy()] = np.arange(len(dictionary), dtype=np.int32)
    ranks = pa.array(ranks)
    return pa.chunked_array([pc.take(ranks, chunk.indices) for chunk in column.chunks], pa.int32())


def _category_codes(column: pa.ChunkedArray, name: str) -> pa.ChunkedArray:
    """A categorical key's codes (pandas sorts categories by their order, not their values)."""
    first = column.chunk(0).dictionary
    if any(not chunk.dictionary.equals(first) for chunk in column.chunks):
        raise NotImplementedError(f"a streamed sort by categorical column {name!r} whose batches have "
                                  "different categories")
    return pa.chunked_array([chunk.indices for chunk in column.chunks], column.type.index_type)


def from_host(table: pa.Table) -> Any:
    """A run (or a merge of runs) back on the device."""
    return table_to_frame(table)

