"""Put host columns read in per-shard parts straight onto their devices.

Shard s holds the rows of part s (a run of row groups read for it), padded to the largest
part's size; the frame's row mask hides the padding. Each device receives only its own slice
(``jax.device_put`` per device + ``jax.make_array_from_single_device_arrays``): nothing is sent
to one device and scattered from there. The per-shard capacity is bucketed (``data_capacity``),
so files of similar sizes reuse compiled kernels. Several processes: each process's host arrays
hold only its own devices' parts (``start``: their first global row), and only those are placed.
"""

from __future__ import annotations

from typing import Callable, Hashable

import jax
import numpy as np
import pandas as pd

from jaxframes import dtypes as jdt
from jaxframes import index as idxmod
from jaxframes.column import Column
from jaxframes.io.host_column import HostColumn
from jaxframes.sharding import RowSharding, data_capacity
from jaxframes.table import new_frame


def split_rows(total: int, shards: int) -> list[int]:
    """Balanced consecutive part sizes when the rows were not read per shard."""
    base, extra = divmod(total, shards)
    return [base + (s < extra) for s in range(shards)]


def place_parts(columns: dict[Hashable, HostColumn], pidx: pd.Index, part_rows: list[int],
                sharding: RowSharding, start: int = 0, labels: HostColumn | None = None,
                range_index: tuple[int, int] | None = None):
    """A row-sharded DataFrame whose shard s holds rows of part s (then padding). The host
    arrays begin at global row ``start`` and must cover the parts of this process's devices
    (``start`` > 0 or a part of the rows: several processes, each with its own rows). The index:
    ``range_index`` (start, step) gives a range over the global rows, else ``labels`` (host
    labels over the same rows as the columns), else ``pidx``."""
    shards = sharding.num_shards
    total = int(sum(part_rows))
    if len(part_rows) != shards:
        part_rows = split_rows(total, shards)
    capacity = data_capacity(max(part_rows)) if part_rows else 0  # per shard, bucketed
    offsets = np.concatenate([[0], np.cumsum(part_rows)]).astype(int) - start
    padded = capacity * shards != total

    def put(host: np.ndarray | None) -> jax.Array | None:
        if host is None:
            return None
        return _assemble(lambda s: _pad(host[offsets[s]:offsets[s] + part_rows[s]], capacity), capacity,
                         shards, sharding)

    listed = [k for k, c in columns.items() if c.child is not None]
    if listed:
        raise NotImplementedError(f"column {listed[0]!r}: list columns in a row-sharded read")
    cols = {k: Column(put(c.data), put(c.validity), c.dtype, c.dictionary) for k, c in columns.items()}
    if range_index is not None and not padded:
        index: idxmod.AnyIndex = idxmod.RangeIndex(total, range_index[0], range_index[1], pidx.name)
    elif range_index is None and labels is None and isinstance(pidx, pd.RangeIndex) and not padded:
        index = idxmod.RangeIndex(len(pidx), pidx.start, pidx.step, pidx.name)
    else:
        if range_index is not None:
            local = max((len(c.data) for c in columns.values()), default=int(offsets[-1]))
            rows = start + np.arange(local, dtype=np.int64)
            labels = HostColumn(range_index[0] + range_index[1] * rows, None, jdt.INT64)
        labels = labels if labels is not None else _index_host(pidx)
        index = idxmod.Index(Column(put(labels.data), put(labels.validity), labels.dtype, labels.dictionary),
                             pidx.name)
    mask = None
    if padded:
        mask = _assemble(lambda s: np.arange(capacity) < part_rows[s], capacity, shards, sharding)
    return new_frame(cols, index, mask, sharding)


def index_host(pidx: pd.Index) -> HostColumn:
    """A pandas index's labels as a host column."""
    return _index_host(pidx)


def _index_host(pidx: pd.Index) -> HostColumn:
    if isinstance(pidx, pd.RangeIndex):
        labels = pidx.start + pidx.step * np.arange(len(pidx), dtype=np.int64)
        return HostColumn(labels, None, jdt.INT64)
    col = idxmod.from_pandas(pidx).labels()
    validity = None if col.validity is None else np.asarray(col.validity)
    return HostColumn(np.asarray(col.data), validity, col.dtype, col.dictionary)


def _pad(piece: np.ndarray, capacity: int) -> np.ndarray:
    if len(piece) == capacity:
        return np.ascontiguousarray(piece)
    out = np.zeros(capacity, dtype=piece.dtype)
    out[:len(piece)] = piece
    return out


def _assemble(piece: Callable[[int], np.ndarray], capacity: int, shards: int, sharding: RowSharding
              ) -> jax.Array:
    """One global array from per-shard host pieces (``piece(s)``), each sent only to its own
    device(s); only this process's devices' pieces are built."""
    shape = (capacity * shards,)
    named = sharding.named
    arrays = []
    for device, index in named.addressable_devices_indices_map(shape).items():
        begin = index[0].start or 0
        shard = begin // capacity if capacity else 0
        arrays.append(jax.device_put(piece(shard), device))
    return jax.make_array_from_single_device_arrays(shape, named, arrays)
