"""Put host columns read in per-shard parts straight onto their devices.

Shard s holds the rows of part s (a run of row groups read for it), padded to the largest
part's size; the frame's row mask hides the padding. Each device receives only its own slice
(``jax.device_put`` per device + ``jax.make_array_from_single_device_arrays``): nothing is sent
to one device and scattered from there. The per-shard capacity is bucketed (``data_capacity``),
so files of similar sizes reuse compiled kernels. Single-process only: every part is on this host.
"""

from __future__ import annotations

from typing import Hashable

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
                sharding: RowSharding):
    """A row-sharded DataFrame whose shard s holds rows of part s (then padding)."""
    shards = sharding.num_shards
    total = int(sum(part_rows))
    if len(part_rows) != shards:
        part_rows = split_rows(total, shards)
    capacity = data_capacity(max(part_rows)) if part_rows else 0  # per shard, bucketed
    offsets = np.concatenate([[0], np.cumsum(part_rows)]).astype(int)
    padded = capacity * shards != total

    def put(host: np.ndarray | None) -> jax.Array | None:
        if host is None:
            return None
        pieces = [_pad(host[offsets[s]:offsets[s] + part_rows[s]], capacity) for s in range(shards)]
        return _assemble(pieces, capacity, sharding)

    listed = [k for k, c in columns.items() if c.child is not None]
    if listed:
        raise NotImplementedError(f"column {listed[0]!r}: list columns in a row-sharded read")
    cols = {k: Column(put(c.data), put(c.validity), c.dtype, c.dictionary) for k, c in columns.items()}
    if isinstance(pidx, pd.RangeIndex) and not padded:
        index: idxmod.AnyIndex = idxmod.RangeIndex(len(pidx), pidx.start, pidx.step, pidx.name)
    else:
        labels = _index_host(pidx)
        index = idxmod.Index(Column(put(labels.data), put(labels.validity), labels.dtype, labels.dictionary),
                             pidx.name)
    mask = None
    if padded:
        mask = _assemble([np.arange(capacity) < n for n in part_rows], capacity, sharding)
    return new_frame(cols, index, mask, sharding)


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


def _assemble(pieces: list[np.ndarray], capacity: int, sharding: RowSharding) -> jax.Array:
    """One global array from per-shard host pieces, each sent only to its own device(s)."""
    shape = (capacity * len(pieces),)
    named = sharding.named
    arrays = []
    for device, index in named.addressable_devices_indices_map(shape).items():
        start = index[0].start or 0
        shard = start // capacity if capacity else 0
        arrays.append(jax.device_put(pieces[shard], device))
    return jax.make_array_from_single_device_arrays(shape, named, arrays)

