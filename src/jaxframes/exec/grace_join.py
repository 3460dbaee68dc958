"""Partitioned (grace) hash join and group-by for streams whose build side exceeds the device
budget: both inputs stream to the host as Arrow tables (``Runs`` of external_sort.py: spilled to a temporary
directory past the host budget), each row gets a partition by a hash of its key values, and the
partitions go to the device one at a time, each small enough for the budget.

Why by hash of the values: rows with equal keys land in the same partition whatever batch they
came from (a string's dictionary code differs per batch, its value does not), so joining (or
grouping) partition by partition gives every match exactly once. Null keys (None, NaN) hash to
one constant: pandas matches nulls with nulls, and they stay together.

Row order: a partition holds its rows in input order, but the partitions' outputs come one after
the other. Where the consumer needs pandas' order (``ordered``), the join carries each side's
row position through and an external sort by (left position, right position) restores it: pandas'
inner/left order is the left rows' order, each row's matches in the right rows' order.
"""

from __future__ import annotations

import math
from typing import Any, Iterator

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from jaxframes import dtypes as jdt
from jaxframes.exec.external_sort import RunFormat, Runs, external_sort, from_host
from jaxframes.plan import nodes as N
from jaxframes.sharding import bucket_capacity

#: A partition pair's device bytes per byte of its Arrow tables on the host: the inputs with their
#: validity and capacity padding, the output, and the join's intermediates.
DEVICE_BYTES_PER_HOST_BYTE = 6
#: A build side whose Parquet scans are estimated under this share of the budget stays in memory.
BUILD_SHARE = 4
LEFT_POS, RIGHT_POS = "__jf_left_pos", "__jf_right_pos"
_NULL_HASH = np.uint64(0x5BD1E9955BD1E995)


def build_fits(estimated_bytes: int, budget: int) -> bool:
    """Whether a build side of ``estimated_bytes`` (its scans' rows x columns x 8, or its filtered
    rows' host bytes x ``DEVICE_BYTES_PER_HOST_BYTE``) stays whole in memory."""
    return estimated_bytes <= budget // BUILD_SHARE


def partition_count(host_bytes: int, budget: int) -> int:
    """The partitions (a power of two) that bring a pair's device bytes within the budget."""
    need = host_bytes * DEVICE_BYTES_PER_HOST_BYTE / max(budget, 1)
    return 1 if need <= 1 else 1 << math.ceil(math.log2(need))


class _Side:
    """One input's batches on the host (live rows, Arrow tables in ``RunFormat``) and, once the
    partition count is known, each table's rows grouped by partition."""

    def __init__(self, batches: Iterator[Any], host_budget: int, stats: Any, position: str | None = None):
        self.runs, form, self.template = Runs(host_budget), RunFormat(), None
        seen, self.wide = 0, {}
        for batch in batches:
            self.template = batch
            if len(batch):
                if position is not None:
                    batch = _with_positions(batch, position, seen)
                seen += len(batch)
                self.wide = _wide_decimals(batch)
                self.runs.add(_narrowed(form.table(batch), self.wide))
            stats.sample()
        if self.template is None:
            raise NotImplementedError("a partitioned streamed join or group-by of an input with no batch")
        if not self.runs.tables:  # no row at all: an empty table keeps the columns and dtypes
            empty = self.template if position is None else _with_positions(self.template, position, 0)
            self.wide = _wide_decimals(empty)
            self.runs.add(_narrowed(form.table(empty), self.wide))
        self.rows = seen
        self.nbytes = sum(t.nbytes for t in self.runs.tables)
        self.groups: list[tuple[np.ndarray, np.ndarray]] = []

    @property
    def schema(self) -> pa.Schema:
        return self.runs.tables[0].schema

    def split(self, keys: list, modes: list[str], parts: int) -> None:
        """Each table's row order grouped by partition, and where each partition starts."""
        self.groups = []
        for table in self.runs.tables:
            part = (_key_hash(table, keys, modes) >> np.uint64(33)) % np.uint64(parts)
            order = np.argsort(part, kind="stable")
            starts = np.searchsorted(part[order], np.arange(parts + 1, dtype=np.uint64))
            self.groups.append((order, starts))

    def largest(self) -> int:
        """The most rows a partition holds (its frames are padded to this one's capacity)."""
        return int(sum(np.diff(starts) for _, starts in self.groups).max())

    def frame(self, i: int, capacity: int) -> Any:
        """Partition ``i`` on the device, padded to ``capacity`` rows: every partition of a join
        has the same shapes, so the join's kernels compile once, not per partition."""
        frame = self.widened(from_host(self.partition(i)))
        padded = frame._table.pad_to(max(capacity, frame._capacity))
        return frame if padded is None else frame._wrap(padded)

    def widened(self, frame: Any) -> Any:
        """Decimal columns back to their own precision (see ``_narrowed``)."""
        return frame.assign(**{label: frame[label].astype(dtype) for label, dtype in self.wide.items()}) \
            if self.wide else frame

    def partition(self, i: int) -> pa.Table:
        pieces = [table.take(order[starts[i]:starts[i + 1]])
                  for table, (order, starts) in zip(self.runs.tables, self.groups) if starts[i + 1] > starts[i]]
        return _own_strings(_combined(pieces or [self.runs.tables[0].slice(0, 0)]))

    def whole(self) -> pa.Table:
        return _combined(self.runs.tables)

    def close(self) -> None:
        self.runs.close()


def grace_join(node: N.Join, left: Iterator[Any], right: Iterator[Any], budget: int, host_budget: int,
               stats: Any, ordered: bool) -> Iterator[Any]:
    """Batches of ``node``'s output (inner/left), joined partition pair by partition pair. With
    ``ordered`` one batch in pandas' row order (the consumer sees the rows in order).

    The build side streams to the host first: where its filters left it within a share of the
    budget (its scans' estimate could not know), it goes to the device whole and each left batch
    probes it as it streams, in order, with no left row sent to the host."""
    sides = []
    try:
        sides.append(_Side(right, host_budget, stats, RIGHT_POS if ordered else None))
        rhs = sides[0]
        if build_fits(rhs.nbytes * DEVICE_BYTES_PER_HOST_BYTE, budget):
            built = rhs.widened(from_host(rhs.whole()))
            built = built.drop(columns=[RIGHT_POS]) if ordered else built
            for batch in left:
                yield node.evaluate(batch, built)
            return
        sides.insert(0, _Side(left, host_budget, stats, LEFT_POS if ordered else None))
        lhs = sides[0]
        left_keys, right_keys = list(node.left_keys()), list(node.right_keys())
        modes = [_join_mode(_key_type(lhs.schema, a), _key_type(rhs.schema, b)) for a, b in zip(left_keys, right_keys)]
        if None in modes:  # keys the hash cannot match alike: joined whole (pandas' errors come from the join)
            pairs: Iterator[Any] = iter([node.evaluate(lhs.widened(from_host(lhs.whole())),
                                                        rhs.widened(from_host(rhs.whole())))])
        else:
            parts = partition_count(lhs.nbytes + rhs.nbytes, budget)
            lhs.split(left_keys, modes, parts)
            rhs.split(right_keys, modes, parts)
            pairs = _pairs(node, lhs, rhs, parts, stats)
        if not ordered:
            yield from pairs
            return
        result = external_sort(_position_sort(), pairs, budget, stats)
        yield result.drop(columns=[LEFT_POS, RIGHT_POS]).reset_index(drop=True)
    finally:
        for side in sides:
            side.close()


def _pairs(node: N.Join, lhs: _Side, rhs: _Side, parts: int, stats: Any) -> Iterator[Any]:
    left_cap, right_cap = bucket_capacity(lhs.largest()), bucket_capacity(rhs.largest())
    yielded = False
    for i in range(parts):
        if lhs.groups and all(starts[i + 1] == starts[i] for _, starts in lhs.groups) and (yielded or i < parts - 1):
            continue  # inner/left: no left row, no output row
        out = node.evaluate(lhs.frame(i, left_cap), rhs.frame(i, right_cap))
        stats.sample()  # the pair's inputs and output are alive here
        yielded = True
        yield out


def _position_sort() -> N.Sort:
    """The sort that restores pandas' order of a join's output rows."""
    return N.Sort(children=(), by=(LEFT_POS, RIGHT_POS), ascending=(True, True), na_position="last")


def grace_group_by(node: N.GroupByAgg, batches: Iterator[Any], budget: int, host_budget: int,
                   stats: Any) -> Iterator[Any]:
    """Batches of ``node``'s groups, partition by partition (each group whole in one partition,
    its rows in input order: every aggregation is exact). The groups come in no overall order."""
    side = _Side(batches, host_budget, stats)
    try:
        keys = list(node.keys)
        modes = [_mode(_key_type(side.schema, k)) for k in keys]
        if None in modes:
            yield node.evaluate(side.widened(from_host(side.whole())))
            return
        parts = partition_count(side.nbytes, budget)
        side.split(keys, modes, parts)
        capacity = bucket_capacity(side.largest())
        for i in range(parts):
            if all(starts[i + 1] == starts[i] for _, starts in side.groups) and i < parts - 1:
                continue
            out = node.evaluate(side.frame(i, capacity))
            stats.sample()
            yield out
    finally:
        side.close()


# -- hashing ------------------------------------------------------------------------------------
def _key_type(schema: pa.Schema, key: Any) -> pa.DataType | None:
    """A key column's Arrow type (None for a label Arrow names differently, such as a number)."""
    return schema.field(key).type if isinstance(key, str) and schema.get_field_index(key) >= 0 else None


def _mode(typ: pa.DataType | None) -> str | None:
    """How a key column hashes: by string value, integer value, float value, instant; None: not here."""
    if typ is None:
        return None
    if pa.types.is_dictionary(typ):
        typ = typ.value_type
        return "str" if pa.types.is_string(typ) or pa.types.is_large_string(typ) else None
    if pa.types.is_string(typ) or pa.types.is_large_string(typ):
        return "str"
    if pa.types.is_integer(typ) or pa.types.is_boolean(typ):
        return "int"
    if pa.types.is_floating(typ):
        return "float"
    if pa.types.is_timestamp(typ):
        return "time"
    return None


def _join_mode(left: pa.DataType, right: pa.DataType) -> str | None:
    """One hashing for both sides' keys, so equal values hash alike (an int 1 and a float 1.0)."""
    a, b = _mode(left), _mode(right)
    if a is None or b is None:
        return None
    if a == b:
        return a
    return "float" if {a, b} == {"int", "float"} else None


def _key_hash(table: pa.Table, keys: list, modes: list[str]) -> np.ndarray:
    h = np.zeros(table.num_rows, np.uint64)
    for key, mode in zip(keys, modes):
        h = _mix(h ^ _column_hash(table.column(key), mode))
    return h


def _mix(x: np.ndarray) -> np.ndarray:
    """A 64-bit finalizer (splitmix64's): every input bit moves the high bits the partition takes."""
    x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


def _column_hash(column: pa.ChunkedArray, mode: str) -> np.ndarray:
    array = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
    valid = np.asarray(array.is_valid())
    if mode == "str":
        if not pa.types.is_dictionary(array.type):
            array = pc.dictionary_encode(array)
        values = array.dictionary.to_numpy(zero_copy_only=False).astype(object)
        hashes = pd.util.hash_array(values) if len(values) else np.zeros(1, np.uint64)
        codes = array.indices.fill_null(0).to_numpy(zero_copy_only=False).astype(np.int64)
        out = hashes[codes]
    elif mode == "float":
        values = array.cast(pa.float64()).fill_null(np.nan).to_numpy(zero_copy_only=False) + 0.0  # -0.0 is 0.0
        valid &= ~np.isnan(values)
        out = _mix(values.view(np.uint64))
    else:
        if mode == "time":  # one unit for both sides (truncation keeps equal instants equal)
            array = array.cast(pa.timestamp("s", array.type.tz), safe=False)
        values = array.cast(pa.int64(), safe=False).fill_null(0).to_numpy(zero_copy_only=False)
        out = _mix(values.astype(np.int64).view(np.uint64))
    return np.where(valid, out, _NULL_HASH).astype(np.uint64)


# -- helpers ------------------------------------------------------------------------------------
def _with_positions(frame: Any, name: str, start: int) -> Any:
    """The frame's live rows with their positions in the stream as a column."""
    frame = frame._wrap(frame._table.compact_exact())
    return frame.assign(**{name: np.arange(start, start + len(frame), dtype=np.int64)})


def _wide_decimals(frame: Any) -> dict:
    """Decimal columns whose dtype's precision is past what Arrow -> device conversion takes (a
    product's decimal128(38, s): the values are scaled int64 all the same)."""
    return {label: column.dtype for label, column in frame._columns.items()
            if isinstance(label, str) and isinstance(column.dtype, jdt.DecimalDType)
            and column.dtype.precision > jdt.MAX_DECIMAL_DIGITS}


def _narrowed(table: pa.Table, wide: dict) -> pa.Table:
    """The wide decimal columns as decimal128(18, scale) (a safe cast: a value that does not fit raises)."""
    if not wide:
        return table
    fields = [f.with_type(pa.decimal128(jdt.MAX_DECIMAL_DIGITS, f.type.scale)) if f.name in wide else f
              for f in table.schema]
    return table.cast(pa.schema(fields, metadata=table.schema.metadata))


def _own_strings(table: pa.Table) -> pa.Table:
    """String columns re-encoded with only the strings their rows hold: the batches' dictionaries
    unified are every string of the input, which would go to the device with each partition."""
    for i, field in enumerate(table.schema):
        typ = field.type
        if pa.types.is_dictionary(typ) and _mode(typ) == "str":
            column = table.column(i)
            if column.num_chunks:
                encoded = column.cast(typ.value_type).combine_chunks().dictionary_encode()
                table = table.set_column(i, field, encoded.cast(typ))
    return table


def _combined(tables: list[pa.Table]) -> pa.Table:
    table = tables[0] if len(tables) == 1 else pa.concat_tables(tables, promote_options="permissive")
    return table.unify_dictionaries()
