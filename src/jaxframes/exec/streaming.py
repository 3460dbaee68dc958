"""Streaming execution: a lazy query over Parquet runs in batches of row groups, so inputs larger
than the memory budget run with a bounded working set on the device.

What streams: the scan; row-local stages (filters, projections, derived columns) per batch;
joins whose streamed side is the left one (inner/left: pandas' row order is the left order),
probing a build side held in memory, or, when the build side's scans exceed a share of the
budget, both sides streamed to host partitions and joined pair by pair (grace_join.py; a
group-by under such a join groups partition by partition too); limits, which stop reading once they have their rows;
group-by, which keeps partial aggregates per batch and merges them (``GROUP_PARTIALS``: mean
from sum and count, var/std from count, mean and M2 by Chan's formula); ``drop_duplicates``
with keep first/last; sort followed by a limit (top-k: each batch's best n rows, cut back to
the best n as they accumulate: ``_top_k``); a full sort, as an external merge of sorted runs
(runs on the host, spilled to a temporary directory past a host budget, merged in one host
step: external_sort.py). Everything above the first non-streaming
stage runs in memory on that stage's output.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator

import jax
import pyarrow as pa
import pyarrow.dataset as ds

from jaxframes.column import Column
from jaxframes.concat import concat
from jaxframes.groupby.partials import merge_moments
from jaxframes.index import RangeIndex
from jaxframes.io.parquet import open_dataset, read_batches
from jaxframes.io.arrow import dates_as_timestamps, table_to_frame
from jaxframes.exec import grace_join as grace
from jaxframes.exec.external_sort import external_sort, host_budget
from jaxframes.exec.lower import run_chain, split_chain
from jaxframes.exec.prefetch import prefetched
from jaxframes.plan import nodes as N
from jaxframes.table import new_series

#: The device bytes a query may use before ``collect()`` streams it (None: never automatically).
#: Set it with ``jf.set_memory_budget`` or the JAXFRAMES_MEMORY_BUDGET environment variable (bytes).
_BUDGET: list[int | None] = [int(os.environ["JAXFRAMES_MEMORY_BUDGET"])
                             if os.environ.get("JAXFRAMES_MEMORY_BUDGET") else None]
#: Working-set bytes per input value: data and validity plus the intermediates of a stage.
WORKING_BYTES_PER_VALUE = 48
MIN_BATCH_ROWS = 1  # a batch is whole row groups: at least one
#: The budget of ``collect(streaming=True)`` when none is set.
DEFAULT_STREAMING_BUDGET = 1 << 30


def memory_budget() -> int | None:
    return _BUDGET[0]


def set_memory_budget(nbytes: int | None) -> None:
    """Device bytes a lazy query may use; a query whose Parquet inputs exceed it streams."""
    if nbytes is not None and (not isinstance(nbytes, int) or nbytes <= 0):
        raise ValueError(f"memory budget must be a positive number of bytes or None, got {nbytes!r}")
    _BUDGET[0] = nbytes


@dataclass
class StreamStats:
    """What the last streaming run did: batches read and the peak device bytes it held, sampled
    after each batch's stages (``jax.live_arrays`` above those alive when it began: CPU devices
    report no allocator statistics)."""

    batches: int = 0
    rows: int = 0
    peak_live_bytes: int = 0
    spilled_runs: int = 0  # sorted runs written to a temporary directory (external sort)
    baseline: int = field(default_factory=lambda: _live_bytes())

    def sample(self) -> None:
        self.peak_live_bytes = max(self.peak_live_bytes, _live_bytes() - self.baseline)


def _live_bytes() -> int:
    return sum(a.nbytes for a in jax.live_arrays())


LAST_STATS = StreamStats(baseline=0)  # (no JAX call at import: multi-process set-up must come first)


def scan_bytes(plan: N.Node) -> int:
    """Estimated device bytes of the plan's Parquet scans (rows x columns x 8 bytes)."""
    return sum(_scan_rows_and_columns(node, lambda rows, cols: rows * cols * 8)
               for node in _walk(plan) if isinstance(node, N.ParquetScan))


def _walk(node: N.Node) -> Iterator[N.Node]:
    yield node
    for child in node.children:
        yield from _walk(child)


def _scan_rows_and_columns(scan: N.ParquetScan, f: Callable[[int, int], int]) -> int:
    dataset = ds.dataset(scan.path, format="parquet", partitioning="hive")
    rows = dataset.count_rows()
    cols = len(scan.columns) if scan.columns is not None else len(dataset.schema.names)
    return f(rows, max(cols, 1))


def execute_streaming(plan: N.Node, budget: int) -> Any:
    """The eager frame ``plan`` computes, reading its Parquet scans in batches within ``budget``."""
    global LAST_STATS
    LAST_STATS = StreamStats()
    return _Executor(budget, LAST_STATS).run(plan)


class _Executor:
    def __init__(self, budget: int, stats: StreamStats):
        self.budget, self.stats = budget, stats

    # -- in memory above the streams ------------------------------------------------------------
    def run(self, node: N.Node) -> Any:
        consumed = self.consume(node)
        if consumed is not None:
            return consumed
        batches = self.stream(node)
        if batches is not None:  # each batch's live rows only: the kept rows, not the batches, add up
            return _concat([_kept(b) for b in self._sampled(batches)])
        if node.fusible:
            chain, base = split_chain(node)
            return run_chain(chain, self.run(base))
        return node.evaluate(*(self.run(child) for child in node.children))

    def consume(self, node: N.Node) -> Any:
        """Stages that take a stream and give a small frame, or None."""
        if isinstance(node, N.GroupByAgg):
            batches = self.stream(node.child, ordered=not _order_free(node))
            return None if batches is None else _grouped(node, self._sampled(batches), self.budget)
        if isinstance(node, N.Limit) and node.n >= 0:  # (head(-n) needs the end: it runs in memory)
            if isinstance(node.child, N.Sort):
                batches = self.stream(node.child.child)
                return None if batches is None else _top_k(node.child, node.n, self._sampled(batches), self.budget,
                                                            self.stats)
            batches = self.stream(node.child)
            return None if batches is None else _first_rows(self._sampled(batches), node.n)
        if isinstance(node, N.Unique) and node.keep in ("first", "last"):
            batches = self.stream(node.child)
            if batches is None:
                return None
            return node.evaluate(_concat([_kept(node.evaluate(b)) for b in self._sampled(batches)]))
        if isinstance(node, N.Sort):
            batches = self.stream(node.child)
            return None if batches is None else external_sort(node, self._sampled(batches), self.budget,
                                                                 self.stats)
        return None

    # -- streams --------------------------------------------------------------------------------
    def stream(self, node: N.Node, ordered: bool = True) -> Iterator[Any] | None:
        """Batches of ``node``'s output, or None where the node cannot stream. ``ordered=False``:
        the consumer needs the rows, not their order (a sorted group-by of sums), so a join or a
        group-by may give them partition by partition (grace_join.py)."""
        if isinstance(node, N.ParquetScan):
            return self._scan(node)
        if isinstance(node, (N.Filter, N.WithColumns, N.Select)) and _row_local(node):
            chain, base = _row_local_chain(node)
            batches = self.stream(base, ordered)
            return None if batches is None else (_row_local_run(chain, b) for b in batches)
        if isinstance(node, N.Join) and node.how in ("inner", "left"):
            return self._join(node, ordered)
        if isinstance(node, N.GroupByAgg) and not ordered and not grace.build_fits(scan_bytes(node), self.budget):
            batches = self.stream(node.child, ordered=not _order_free(node))
            return None if batches is None else _renumbered(
                grace.grace_group_by(node, batches, self.budget, self._host_budget(), self.stats))
        return None

    def _join(self, node: N.Join, ordered: bool) -> Iterator[Any] | None:
        """The left side streams; a right side within a share of the budget is built whole in
        memory and probed by each batch, a bigger one streams too and the join goes partition
        pair by partition pair (grace_join.py)."""
        left = self.stream(node.children[0], ordered)
        if left is None:
            return None
        build = node.children[1]
        right = None if grace.build_fits(scan_bytes(build), self.budget) else self.stream(build, ordered)
        if right is None:
            table = self.run(build)
            return _renumbered(node.evaluate(b, table) for b in left)
        return _renumbered(grace.grace_join(node, left, right, self.budget, self._host_budget(), self.stats,
                                            ordered))

    def _host_budget(self) -> int:
        return host_budget(self.budget)

    def _scan(self, scan: N.ParquetScan) -> Iterator[Any]:
        columns = None if scan.columns is None else list(scan.columns)
        dataset = open_dataset(scan.path)  # once: its width here, its batches below
        width = max(len(columns) if columns is not None else len(dataset.schema.names), 1)
        batch_rows = max(MIN_BATCH_ROWS, self.budget // (WORKING_BYTES_PER_VALUE * width))
        start, capacity = 0, None
        for table in prefetched(lambda: _scan_tables(scan, columns, dataset, batch_rows)):
            # one capacity for every batch (the first's, at least): the last batch compiles nothing
            frame = table_to_frame(table, capacity=capacity)
            capacity = frame._capacity if capacity is None else capacity
            if columns is not None:
                frame = frame._select(columns)
            yield _offset(frame, start)
            start += table.num_rows

    def _sampled(self, batches: Iterator[Any]) -> Iterator[Any]:
        for batch in batches:
            jax.block_until_ready(jax.tree_util.tree_leaves(batch))
            self.stats.batches += 1
            self.stats.rows += len(batch)
            self.stats.sample()
            yield batch


# -- helpers ------------------------------------------------------------------------------------
def _scan_tables(scan: N.ParquetScan, columns: list | None, dataset: Any, batch_rows: int) -> Iterator[pa.Table]:
    """The scan's batches as Arrow tables (host only: run ahead by ``prefetched``), cut at
    ``scan.n_rows``."""
    start, wanted = 0, scan.n_rows
    for table in read_batches(scan.path, columns, list(scan.filters) or None, batch_rows, dataset=dataset):
        if wanted is not None:
            table = table.slice(0, max(wanted - start, 0))
        yield dates_as_timestamps(table, scan.date_as_object)
        start += table.num_rows
        if wanted is not None and start >= wanted:
            return


#: Aggregations whose result is the same whatever order the rows come in (floating-point sums
#: up to rounding).
ORDER_FREE_AGGS = frozenset({"sum", "count", "size", "min", "max", "mean", "var", "std"})


def _order_free(node: N.GroupByAgg) -> bool:
    """Whether a group-by's result is independent of its input's row order: sorted groups (not
    first-appearance order) and no first/last."""
    return node.sort and all(how in ORDER_FREE_AGGS for _, _, how in node.aggs)


def _row_local(node: N.Node) -> bool:
    """Row-local: no expression aggregates over the whole frame (which a batch cannot see)."""
    exprs = (node.predicate,) if isinstance(node, N.Filter) else node.exprs
    return not any(e.has_agg() for e in exprs)


def _row_local_chain(node: N.Node) -> tuple[list[N.Node], N.Node]:
    chain = []
    while isinstance(node, (N.Filter, N.WithColumns, N.Select)) and _row_local(node):
        chain.append(node)
        node = node.child
    return chain[::-1], node


def _row_local_run(chain: list[N.Node], frame: Any) -> Any:
    """The chain on one batch, its row labels rebased to 0 while it runs: a RangeIndex's start
    is static in the compiled stage's cache key, so each batch's own start would compile the
    stage once per batch. Row-local stages never read the labels, only carry them."""
    index = frame._index
    if not isinstance(index, RangeIndex) or index.start == 0:
        return run_chain(chain, frame)
    rebased = frame._wrap(frame._table.with_rows(frame._table.row_mask,
                                                 RangeIndex(index.length, 0, index.step, index.name)))
    return _offset(run_chain(chain, rebased), index.start)


def _offset(frame: Any, start: int) -> Any:
    """Row labels continue across batches, as one read labels them."""
    index = frame._table.index
    if isinstance(index, RangeIndex) and start:
        table = frame._table.with_rows(frame._table.row_mask,
                                       RangeIndex(index.length, index.start + start, index.step, index.name))
        return frame._wrap(table)
    return frame


def _renumbered(batches: Iterator[Any]) -> Iterator[Any]:
    """A join labels its output 0..n-1: continue the labels across batches."""
    seen = 0
    for batch in batches:
        yield _offset(batch, seen)
        seen += len(batch)


def _kept(frame: Any) -> Any:
    """A batch's result kept across batches holds its live rows only, not the batch's capacity."""
    return frame._wrap(frame._table.compact_exact())


def _concat(frames: list[Any]) -> Any:
    return frames[0] if len(frames) == 1 else concat(frames)


def _first_rows(batches: Iterator[Any], n: int) -> Any:
    taken, found = [], 0
    for batch in batches:
        taken.append(_kept(batch.head(n - found)))
        found += len(taken[-1])
        if found >= n:
            break
    return _concat(taken)


def _top_k(sort: N.Sort, n: int, batches: Iterator[Any], budget: int, stats: StreamStats) -> Any:
    """``sort_values(...).head(n)`` of a stream without sorting it all: each batch's best n rows
    are kept, and the kept rows are cut back to the best n whenever they outnumber both n and a
    batch, so they stay within the budget (for n within it). Kept rows are in input order
    (earlier batches first) and the sort is stable, so ties go to the earlier row, as in pandas."""
    kept: list[Any] = []
    for batch in batches:
        limit = max(n, budget // (WORKING_BYTES_PER_VALUE * max(len(batch._columns), 1)))
        kept.append(_kept(sort.evaluate(batch).head(n)))
        if len(kept) > 1 and sum(len(k) for k in kept) > limit:
            kept = [_kept(sort.evaluate(_concat(kept)).head(n))]
            stats.sample()
    return sort.evaluate(_concat(kept)).head(n)


# -- group-by: partial aggregates per batch, merged --------------------------------------------
#: how -> the partial aggregates it needs per batch (kind, input how) and how they merge.
GROUP_PARTIALS: dict[str, tuple[str, ...]] = {
    "sum": ("sum",), "count": ("count",), "size": ("size",), "min": ("min",), "max": ("max",),
    "first": ("first",), "last": ("last",), "mean": ("sum", "count"),
    "var": ("count", "mean", "m2"), "std": ("count", "mean", "m2"),
}
_MERGE = {"sum": "sum", "count": "sum", "size": "sum", "min": "min", "max": "max", "first": "first",
          "last": "last"}


def _grouped(node: N.GroupByAgg, batches: Iterator[Any], budget: int) -> Any:
    keys = list(node.keys)
    for out, column, how in node.aggs:
        if how not in GROUP_PARTIALS:
            raise NotImplementedError(f"streaming group-by aggregation {how!r} (streams: {sorted(GROUP_PARTIALS)})")
    needed = sorted({(column, kind) for _, column, how in node.aggs for kind in GROUP_PARTIALS[how]})
    if any(kind in ("mean", "m2") for _, kind in needed):  # Chan's merge needs the counts
        needed = sorted(set(needed) | {(column, "count") for column, kind in needed if kind == "m2"})
    name = {pair: f"__partial{i}" for i, pair in enumerate(needed)}
    merge = lambda frames, sort=False, as_index=False: _kept(_merge_partials(  # noqa: E731
        _concat(frames), keys, node.dropna, needed, name, sort, as_index))
    limit = max(MIN_BATCH_ROWS, budget // (WORKING_BYTES_PER_VALUE * (len(needed) + len(keys))))
    pending: list[Any] = []
    for batch in batches:  # partials merge whenever they hold more rows than a batch would
        pending.append(_kept(_partial(batch, keys, node.dropna, needed, name)))
        if sum(len(p) for p in pending) > limit:
            pending = [merge(pending)]
    result = merge(pending, node.sort, node.as_index)
    outputs = {}
    for out, column, how in node.aggs:
        get = lambda kind: result[name[(column, kind)]]  # noqa: E731
        if how == "mean":
            outputs[out] = get("sum") / get("count").where(get("count") > 0)
        elif how in ("var", "std"):
            n = get("count")
            var = get("m2") / (n - 1).where(n > 1)
            outputs[out] = var ** 0.5 if how == "std" else var
        else:
            outputs[out] = get(how)
    return (result[[]] if node.as_index else result[keys]).assign(**outputs)


def _partial(batch: Any, keys: list, dropna: bool, needed: list, name: dict) -> Any:
    """One batch's partial aggregates, a row per group (first appearance order)."""
    if any(kind == "size" for _, kind in needed):  # (a column of ones only where a size is asked for)
        batch = batch.assign(__one=1)
    specs = {}
    for column, kind in needed:
        how = {"size": "sum", "m2": "var"}.get(kind, kind)
        specs[name[(column, kind)]] = ("__one" if kind == "size" else column, how)
    part = batch.groupby(keys, as_index=False, sort=False, dropna=dropna).agg(**specs)
    for column, kind in needed:  # M2 = var * (n - 1); a group of one row has M2 = 0
        if kind == "m2":
            m2, n = name[(column, kind)], name[(column, "count")]
            part = part.assign(**{m2: (part[m2] * (part[n] - 1)).where(part[n] > 1, 0.0)})
    return part


def _merge_partials(partials: Any, keys: list, dropna: bool, needed: list, name: dict, sort: bool,
                    as_index: bool) -> Any:
    """Partials of the same groups merged into one row per group, still in partial form."""
    moments = [c for c, kind in needed if kind == "m2"]
    specs = {name[p]: (name[p], _MERGE.get(p[1], "sum")) for p in needed
             if not (p[1] == "mean" and p[0] in moments)}
    grouped = partials.groupby(keys, as_index=as_index, sort=sort, dropna=dropna)
    merged = grouped.agg(**specs)
    extra = {}
    for column in moments:  # Chan's merge, the one shared with the distributed group-by
        n, mean, m2 = (name[(column, k)] for k in ("count", "mean", "m2"))
        _, grand, spread = merge_moments(partials._columns[n], partials._columns[mean], partials._columns[m2],
                                         grouped.grouping)
        count = merged[n]
        extra[mean] = new_series(Column(grand), merged._index, merged._row_mask, mean).where(count > 0)
        extra[m2] = new_series(Column(spread), merged._index, merged._row_mask, m2)
    return merged.assign(**extra) if extra else merged
