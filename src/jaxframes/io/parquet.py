"""Parquet through pyarrow: projection and row-group pruning pushed into pyarrow, atomic writes.

Reading plans the scan first (``scan_plan``: the row groups whose statistics may match the
filter), then reads them with pyarrow's thread pool. With a row sharding, the planned row groups
are split into one consecutive run per shard, each run is read separately and its rows go
straight to that shard's device (io/placement.py). Several processes (``jax.distributed``):
each process reads only the row groups holding its own devices' rows (``_read_own_rows``). Result dtypes follow ``pd.read_parquet``
except where our column model differs (see io/arrow.py: dictionary columns become 'str').
"""

from __future__ import annotations

import io
import os
import tempfile
import warnings
from dataclasses import dataclass
from typing import Any, Iterator, Sequence

import jax
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from jaxframes.io import progress as progress_mod
from jaxframes.distributed.processes import gather_rows, local_devices, shared_dictionaries
from jaxframes.io.arrow import (date_as_object, dates_as_timestamps, host_columns, null_targets, pandas_index,
                               table_to_frame, to_arrow)
from jaxframes.io.placement import index_host, place_parts, split_rows

DEFAULT_ROW_GROUP_SIZE = 1 << 20  # pyarrow's default maximum row group length


@dataclass(frozen=True)
class RowGroup:
    """One planned unit of reading: a row group of a file (num_rows from the file's metadata)."""

    path: str
    id: int
    num_rows: int
    fragment: Any


def _expression(filters: Any) -> pc.Expression | None:
    """pyarrow filter expression from pandas/pyarrow DNF lists or an Expression."""
    if filters is None or isinstance(filters, pc.Expression):
        return filters
    if isinstance(filters, (list, tuple)):
        if not filters:
            return None
        try:
            return pq.filters_to_expression(list(filters))
        except (TypeError, ValueError, pa.ArrowInvalid) as err:
            raise ValueError(f"malformed filters {filters!r}: {err}") from err
    raise TypeError(f"filters must be a list of (column, op, value) tuples or a pyarrow.compute.Expression, "
                    f"got {type(filters).__name__}")


def _dataset(path: Any) -> ds.Dataset:
    source = os.fspath(path)
    if not os.path.exists(source):
        raise FileNotFoundError(f"No such file or directory: {source!r}")
    try:
        plain = ds.dataset(source, format="parquet", partitioning="hive")
        strings = [f.name for f in plain.schema if _is_string(f.type)]
        if not strings:
            return plain
        # String columns arrive as dictionary arrays: Parquet's dictionary pages become our codes
        # (io/arrow.py remaps them to the sorted dictionary) and no row's string is decoded.
        options = ds.ParquetReadOptions(dictionary_columns=strings)
        return ds.dataset(source, format=ds.ParquetFileFormat(read_options=options), partitioning="hive")
    except (pa.ArrowInvalid, OSError) as err:
        raise ValueError(f"cannot read Parquet data at {source!r}: {err}") from err


def _is_string(typ: pa.DataType) -> bool:
    return pa.types.is_string(typ) or pa.types.is_large_string(typ) or pa.types.is_string_view(typ)


def scan_plan(path: Any, filters: Any = None) -> list[RowGroup]:
    """The row groups a read with these filters touches (others are skipped on statistics)."""
    dataset = _dataset(path)
    return _plan(dataset, _expression(filters))


def _plan(dataset: ds.Dataset, expr: pc.Expression | None) -> list[RowGroup]:
    plan = []
    for fragment in dataset.get_fragments(filter=expr):
        try:
            pieces = fragment.split_by_row_group(filter=expr, schema=dataset.schema)
        except (pa.ArrowInvalid, OSError) as err:
            raise ValueError(f"cannot read Parquet file {fragment.path!r}: {err}") from err
        for piece in pieces:
            group = piece.row_groups[0]
            plan.append(RowGroup(fragment.path, group.id, group.num_rows, piece))
    return plan


def _columns(dataset: ds.Dataset, columns: Sequence[str] | None) -> list[str] | None:
    """Projection plus the index columns pandas' metadata names (as pd.read_parquet adds them)."""
    if columns is None:
        return None
    if isinstance(columns, str):
        raise TypeError("columns must be a list of column names, not a string")
    names = dataset.schema.names
    missing = [c for c in columns if c not in names]
    if missing:
        raise KeyError(f"{missing!r} not in the Parquet schema; columns are {names!r}")
    meta = dataset.schema.pandas_metadata or {}
    index_cols = [c for c in meta.get("index_columns", []) if isinstance(c, str) and c in names]
    return list(columns) + [c for c in index_cols if c not in columns]


def _split(plan: list[RowGroup], parts: int) -> list[list[RowGroup]]:
    """Consecutive runs of row groups with balanced row counts (by each group's midpoint)."""
    total = sum(g.num_rows for g in plan) or 1
    out: list[list[RowGroup]] = [[] for _ in range(parts)]
    seen = 0
    for group in plan:
        mid = seen + group.num_rows / 2
        out[min(int(mid * parts / total), parts - 1)].append(group)
        seen += group.num_rows
    return out


def _read_part(dataset: ds.Dataset, groups: list[RowGroup], columns: list[str] | None,
               expr: pc.Expression | None, bar: Any, chunked: bool) -> pa.Table:
    chunks = [groups[i:i + 1] for i in range(len(groups))] if chunked else [groups]
    tables = []
    for chunk in chunks:
        sub = ds.FileSystemDataset([g.fragment for g in chunk], dataset.schema, dataset.format,
                                   dataset.filesystem)
        try:
            tables.append(sub.to_table(columns=columns, filter=expr, use_threads=True))
        except (pa.ArrowInvalid, OSError) as err:
            files = sorted({g.path for g in chunk})
            raise ValueError(f"cannot read Parquet file(s) {files}: {err}") from err
        bar.update(len(chunk))
    if not tables:
        return dataset.schema.empty_table() if columns is None else \
            dataset.to_table(columns=columns, filter=pc.scalar(False))
    return pa.concat_tables(tables)


def open_dataset(path: Any) -> ds.Dataset:
    """The dataset of a Parquet file or directory, opened once for a caller that reads it in
    several steps (streaming: its size, then its batches)."""
    return _dataset(path)


def _planned_read(path: Any, columns: Sequence[str] | None, filters: Any, dataset: ds.Dataset | None = None
                  ) -> tuple[ds.Dataset, list[str] | None, pc.Expression | None, list[RowGroup]]:
    """The dataset, projected columns, filter expression and planned row groups of a read."""
    dataset = dataset if dataset is not None else _dataset(path)
    cols = _columns(dataset, columns)
    expr = _expression(filters)
    try:
        plan = _plan(dataset, expr)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, TypeError) as err:
        raise ValueError(f"cannot apply filters {filters!r}: {err}") from err
    return dataset, cols, expr, plan


def read_table(path: Any, columns: Sequence[str] | None = None, filters: Any = None, parts: int = 1,
               progress: bool | None = None) -> tuple[pa.Table, list[int]]:
    """The Arrow table of a read and the row count of each of ``parts`` consecutive parts."""
    dataset, cols, expr, plan = _planned_read(path, columns, filters)
    bar = progress_mod.bar(progress, len(plan), desc="read_parquet", unit="row group")
    chunked = not isinstance(bar, progress_mod._NoBar)
    try:
        tables = [_read_part(dataset, groups, cols, expr, bar, chunked) for groups in _split(plan, parts)]
    finally:
        bar.close()
    return pa.concat_tables(tables), [t.num_rows for t in tables]


def check_engine(engine: Any, stacklevel: int) -> None:
    """pandas' ``engine=``: None (not given), 'pyarrow' and the deprecated 'auto' (pandas'
    Pandas4Warning) are what JaxFrames does (it reads and writes through pyarrow); 'fastparquet'
    is not supported."""
    if engine == "auto":
        warnings.warn("engine='auto' is deprecated and will be removed in a future version. Pass "
                      "engine='pyarrow' or do not pass 'engine' to use the default.", pd.errors.Pandas4Warning,
                      stacklevel=stacklevel + 1)
    if engine is None or engine in ("auto", "pyarrow"):
        return
    if engine == "fastparquet":
        raise NotImplementedError("engine='fastparquet': JaxFrames reads and writes Parquet with pyarrow")
    raise ValueError("engine must be one of 'pyarrow', 'fastparquet'")


def read_parquet(path: Any, columns: Sequence[str] | None = None, filters: Any = None,
                 sharding: Any = None, progress: bool | None = None, *, engine: str | None = None,
                 to_pandas_kwargs: dict | None = None):
    """Read a Parquet file or directory (hive partitions too) into a DataFrame.

    ``columns``: projection (unknown name: KeyError); ``filters``: DNF list
    ``[('a', '>', 3)]`` / ``[[...], [...]]`` or a ``pyarrow.compute`` expression, used to skip row
    groups on their statistics and then to filter rows, as pandas does. ``sharding``
    (``jf.row_sharded(mesh)``): every shard gets an equal share of the rows (+-1), placed
    straight on its device. The pandas index stored in the file's metadata is restored.
    ``engine``: None or 'pyarrow' (see check_engine). ``to_pandas_kwargs``: pandas' option;
    ``{'date_as_object': False}`` reads Arrow dates as datetime64[ms] (by default they are refused:
    pandas gives an object column of ``datetime.date``).
    """
    check_engine(engine, stacklevel=2)
    as_object = date_as_object(to_pandas_kwargs)
    if sharding is not None and jax.process_count() > 1:
        return _read_own_rows(path, columns, sharding, filters, as_object)
    parts = 1 if sharding is None else sharding.num_shards
    table, _ = read_table(path, columns, filters, parts, progress)
    table = dates_as_timestamps(table, as_object)
    # balanced by rows: each shard gets total/S rows (+-1), whatever the row-group sizes
    return table_to_frame(table, sharding, part_rows=split_rows(table.num_rows, parts))


#: (path, row group id) of every row group read by ``_read_own_rows`` in this process (tests)
ROW_GROUPS_READ: list[tuple[str, int]] = []


def _read_own_rows(path: Any, columns: Sequence[str] | None, sharding: Any, filters: Any = None,
                   as_object: bool = True):
    """Several processes: each reads only the row groups that hold its own devices' rows (a
    balanced split of all rows, by the file metadata's row counts; a row group that straddles
    two processes' rows is read by both), then the processes agree on what depends on all rows:
    dtypes that nulls decide (int -> float64) and one shared dictionary per string column (small
    host all-gathers).

    With ``filters=`` the row counts are known only after filtering: each row group of the plan
    is read (and filtered) by the one process whose share of the unfiltered rows holds the
    group's first row; one small host all-gather of (first device, devices, filtered rows) per
    process then places each process's rows on its own devices, balanced within the process and
    padded (masked) to the largest device part, in file order."""
    dataset, cols, expr, plan = _planned_read(path, columns, filters)
    shards = sharding.num_shards
    part_rows = split_rows(sum(g.num_rows for g in plan), shards)
    offsets = np.concatenate([[0], np.cumsum(part_rows)]).astype(int)
    position = {d: i for i, d in enumerate(sharding.mesh.devices.flat)}
    mine = [position[d] for d in local_devices(sharding)]
    begin, end = int(offsets[min(mine)]), int(offsets[max(mine) + 1])
    groups, first, seen = [], None, 0
    for group in plan:
        if expr is not None:
            if begin <= seen < end:  # exactly one process reads (and filters) each row group
                groups.append(group)
        elif seen < end and seen + group.num_rows > begin:
            first = seen if first is None else first
            groups.append(group)
        seen += group.num_rows
    ROW_GROUPS_READ.extend((g.path, g.id) for g in groups)
    table = dates_as_timestamps(_read_part(dataset, groups, cols, expr, progress_mod._NoBar(), False), as_object)
    if expr is None:
        table = table.slice(begin - (first or 0), end - begin)
    else:  # every process's filtered row count: the placement's parts, in mesh order
        every = gather_rows(np.array([[min(mine), len(mine), table.num_rows]], np.int64))
        every = every[np.argsort(every[:, 0], kind="stable")]
        part_rows = [int(n) for _, devices, rows in every for n in split_rows(int(rows), int(devices))]
        begin = int(every[every[:, 0] < min(mine), 2].sum())
    names = table.column_names
    nulls = gather_rows(np.array([[table.column(n).null_count for n in names]], np.int64)).sum(axis=0)
    columns_host, index_cols = host_columns(table, null_targets(table, dict(zip(names, map(int, nulls)))))
    pidx = pandas_index(table.slice(0, 0), index_cols)
    labels = index_host(pandas_index(table, index_cols)) if index_cols else None
    hosts = list(columns_host.values()) + ([labels] if labels is not None else [])
    for host, pair in zip(hosts, shared_dictionaries([h.dictionary for h in hosts])):
        if pair is not None:
            host.data = np.take(pair[1], host.data, mode="clip") if len(pair[1]) else np.zeros_like(host.data)
            host.dictionary = pair[0]
    meta = table.schema.pandas_metadata or {}
    ranges = [c for c in meta.get("index_columns", []) if isinstance(c, dict) and c.get("kind") == "range"]
    range_index = (int(ranges[0]["start"]), int(ranges[0]["step"])) if ranges else (0, 1)
    if ranges and sum(part_rows) != len(range(int(ranges[0]["start"]), int(ranges[0]["stop"]),
                                              int(ranges[0]["step"]))):
        range_index = (0, 1)  # filtered rows: pandas' default range (pyarrow's rule)
    return place_parts(columns_host, pidx, part_rows, sharding, start=begin, labels=labels,
                       range_index=None if index_cols else range_index)


def to_parquet(frame: Any, path: Any, index: bool | None = None, compression: str | None = "snappy",
               progress: bool | None = None, row_group_size: int | None = None, *,
               engine: str | None = None) -> bytes | None:
    """Write atomically: a temporary file in the target's directory, then ``os.replace`` onto
    the target, so readers never see a half-written file and a failure leaves the old one.
    ``engine``: None or 'pyarrow' (see check_engine)."""
    check_engine(engine, stacklevel=3)
    table = to_arrow(frame, preserve_index=index)
    group = row_group_size or DEFAULT_ROW_GROUP_SIZE
    if group <= 0:
        raise ValueError(f"row_group_size must be positive, got {row_group_size}")
    if path is None:
        sink = io.BytesIO()
        _write(table, sink, compression, group, progress)
        return sink.getvalue()
    target = os.fspath(path)
    directory = os.path.dirname(os.path.abspath(target))
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{os.path.basename(target)}.", suffix=".tmp")
    os.close(fd)
    try:
        _write(table, tmp, compression, group, progress)
        os.replace(tmp, target)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise
    return None


def _write(table: pa.Table, sink: Any, compression: str | None, group: int, progress: bool | None) -> None:
    starts = range(0, max(table.num_rows, 1), group)
    bar = progress_mod.bar(progress, len(starts), desc="to_parquet", unit="row group")
    try:
        with pq.ParquetWriter(sink, table.schema, compression=compression or "none") as writer:
            for start in starts:
                writer.write_table(table.slice(start, group), row_group_size=group)
                bar.update(1)
    finally:
        bar.close()


def read_batches(path: Any, columns: Sequence[str] | None = None, filters: Any = None,
                 batch_rows: int = DEFAULT_ROW_GROUP_SIZE, dataset: ds.Dataset | None = None) -> Iterator[pa.Table]:
    """The read as consecutive Arrow tables of whole row groups, each of about ``batch_rows``
    rows (at least one row group): the unit of streaming execution and of early-stopping limits.
    ``dataset``: the path's dataset when the caller opened it already (``open_dataset``)."""
    dataset, cols, expr, plan = _planned_read(path, columns, filters, dataset)
    batch: list[RowGroup] = []
    rows = 0
    for group in plan:
        batch.append(group)
        rows += group.num_rows
        if rows >= batch_rows:
            yield _read_part(dataset, batch, cols, expr, progress_mod.bar(False, 0, "read", "row group"), False)
            batch, rows = [], 0
    if batch or not plan:
        yield _read_part(dataset, batch, cols, expr, progress_mod.bar(False, 0, "read", "row group"), False)


def read_head(path: Any, n_rows: int, columns: Sequence[str] | None = None, filters: Any = None,
              as_object: bool = True):
    """The first ``n_rows`` rows of a read, reading row groups only until they are found."""
    tables, found = [], 0
    for table in read_batches(path, columns, filters, batch_rows=max(n_rows, 1)):
        tables.append(table)
        found += table.num_rows
        if found >= n_rows:
            break
    return table_to_frame(dates_as_timestamps(pa.concat_tables(tables).slice(0, n_rows), as_object))
