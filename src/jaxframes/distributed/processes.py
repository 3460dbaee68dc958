"""Several processes: start-up with bounded failure detection, and reading a sharded frame back.

``initialize`` wraps ``jax.distributed.initialize`` for CPU processes: gloo collectives, and
short heartbeat / shutdown timeouts so that a killed peer ends every process with an error in
bounded time instead of a hang (JAX's defaults are 100 s and 300 s). Note: gloo's
``psum_scatter`` ignores the collective timeout (jax#40831); the distributed algorithms here use
``all_gather`` and ``all_to_all`` only.

Frames are built the usual way (``jf.DataFrame(data, sharding=jf.row_sharded(mesh))``, every
process passing the same host data; JAX places each process's rows on its own devices), or from
each process's own rows: ``read_parquet(..., sharding=)`` reads only this process's rows.

One invariant keeps every distributed algorithm correct across processes: a row-sharded string
column has ONE dictionary, equal on every process (codes are compared, routed and exchanged as
integers). Whatever builds a frame from process-local data makes it so with
``shared_dictionaries`` (a digest all-gather; when they differ, an all-gather of the
dictionaries themselves, their sorted union, and each process's codes remapped locally).
``to_host_frame`` all-gathers a row-sharded frame to every process (a test/debug helper: it
moves the whole frame) and returns a one-device frame for ``to_pandas``.
"""

from __future__ import annotations

from typing import Any

import hashlib
import json

import jax
import jax.numpy as jnp
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from jax.experimental import multihost_utils

from jaxframes.column import Column
from jaxframes.dictionary import Dictionary
from jaxframes.sharding import RowSharding
from jaxframes.table import Table

HEARTBEAT_TIMEOUT_S = 10
SHUTDOWN_TIMEOUT_S = 10


def initialize(coordinator_address: str, num_processes: int, process_id: int, *,
               heartbeat_timeout_s: int = HEARTBEAT_TIMEOUT_S, shutdown_timeout_s: int = SHUTDOWN_TIMEOUT_S,
               initialization_timeout_s: int = 60) -> None:
    """Join a multi-process CPU run (gloo collectives). Call before any JAX computation; the
    local device count comes from ``XLA_FLAGS=--xla_force_host_platform_device_count=N``."""
    jax.config.update("jax_cpu_collectives_implementation", "gloo")
    jax.distributed.initialize(coordinator_address, num_processes, process_id,
                               initialization_timeout=initialization_timeout_s,
                               heartbeat_timeout_seconds=heartbeat_timeout_s,
                               shutdown_timeout_seconds=shutdown_timeout_s)


def local_devices(sharding: RowSharding) -> list[Any]:
    """The mesh's devices that this process drives, in mesh order."""
    me = jax.process_index()
    return [d for d in sharding.mesh.devices.flat if d.process_index == me]


def gather_rows(rows: np.ndarray) -> np.ndarray:
    """Every process's ``rows`` (same shape and dtype on each) concatenated along axis 0 in
    process order: host metadata (per-device counts, dtype names) that decides a result's
    layout everywhere. One process: ``rows`` itself; else one small cross-process all-gather."""
    if jax.process_count() == 1:
        return rows
    gathered = np.asarray(multihost_utils.process_allgather(rows, tiled=False))
    return gathered.reshape((-1,) + rows.shape[1:])


def gather_blobs(blob: bytes) -> list[bytes]:
    """Every process's ``blob`` (any length), in process order: two small all-gathers (the
    lengths, then the bytes padded to the longest)."""
    if jax.process_count() == 1:
        return [blob]
    lengths = gather_rows(np.array([[len(blob)]], np.int64))[:, 0]
    width = max(int(lengths.max()), 1)
    row = np.zeros((1, width), np.uint8)
    row[0, :len(blob)] = np.frombuffer(blob, np.uint8)
    rows = gather_rows(row)
    return [bytes(r[:n]) for r, n in zip(rows, lengths)]


def _digest(dictionary: Dictionary) -> np.ndarray:
    values = dictionary.values
    blob = json.dumps(values.to_pylist()).encode()
    return np.frombuffer(hashlib.blake2b(blob, digest_size=16).digest(), np.uint8)


def shared_dictionaries(dictionaries: list[Dictionary | None]) -> list[tuple[Dictionary, np.ndarray] | None]:
    """Per string column of a frame being built from process-local rows (same columns on every
    process; None: not a string column): ``(dictionary, remap)`` where ``dictionary`` is the same
    on every process (the sorted union of every process's strings) and ``remap[code]`` is a
    local code's new code; None where the dictionaries already agree (or one process). Cost: a
    digest all-gather, and only when some differ, an all-gather of the differing dictionaries."""
    out: list[tuple[Dictionary, np.ndarray] | None] = [None] * len(dictionaries)
    strings = [i for i, d in enumerate(dictionaries) if d is not None]
    if jax.process_count() == 1 or not strings:
        return out
    digests = gather_rows(np.stack([_digest(dictionaries[i]) for i in strings])[None])
    differ = [i for j, i in enumerate(strings) if (digests[:, j] != digests[0, j]).any()]
    if not differ:
        return out
    mine = json.dumps([dictionaries[i].values.to_pylist() for i in differ]).encode()
    everyone = [json.loads(b) for b in gather_blobs(mine)]
    for j, i in enumerate(differ):
        union = pa.array(sorted({s for values in everyone for s in values[j] if s is not None}),
                         pa.large_string())
        local = dictionaries[i].values
        remap = pc.index_in(local, value_set=union).fill_null(0).to_numpy(zero_copy_only=False)
        out[i] = (Dictionary(union), np.asarray(remap, np.int32))
    return out


def unify_strings(table: Table) -> Table:
    """A row-sharded table whose string columns may hold different dictionaries on different
    processes, with one shared dictionary each (codes remapped on each device, locally)."""
    names = list(table.columns)
    shared = shared_dictionaries([table.columns[n].dictionary for n in names])
    columns = dict(table.columns)
    for name, pair in zip(names, shared):
        if pair is not None:
            col = columns[name]
            columns[name] = col.replace(data=_remapped(col.data, pair[1]), dictionary=pair[0])
    return Table(columns, table.index, table.row_mask, table.sharding)


def _remapped(codes: jax.Array, remap: np.ndarray) -> jax.Array:
    """``remap[codes]`` computed shard by shard on each of this process's devices."""
    pieces = []
    for shard in codes.addressable_shards:
        table = jax.device_put(remap if len(remap) else np.zeros(1, np.int32), shard.device)
        pieces.append(jnp.take(table, shard.data, mode="clip"))
    return jax.make_array_from_single_device_arrays(codes.shape, codes.sharding, pieces)


def _host(array: Any) -> Any:
    if not isinstance(array, jax.Array) or array.is_fully_addressable:
        return array
    if array.sharding.is_fully_replicated:
        return jnp.asarray(array.addressable_data(0))
    return jnp.asarray(multihost_utils.process_allgather(array, tiled=True))


def to_host_frame(frame: Any) -> Any:
    """The whole frame on this process's first device (every process gets all rows)."""
    table = frame._table
    leaves, treedef = jax.tree.flatten(table)
    local = jax.tree.unflatten(treedef, [_host(x) for x in leaves])
    return frame._wrap(Table(local.columns, local.index, local.row_mask, None))
