"""Several processes: start-up with bounded failure detection, and reading a sharded frame back.

``initialize`` wraps ``jax.distributed.initialize`` for CPU processes: gloo collectives, and
short heartbeat / shutdown timeouts so that a killed peer ends every process with an error in
bounded time instead of a hang (JAX's defaults are 100 s and 300 s). Note: gloo's
``psum_scatter`` ignores the collective timeout (jax#40831); the distributed algorithms here use
``all_gather`` and ``all_to_all`` only.

Frames are built the usual way (``jf.DataFrame(data, sharding=jf.row_sharded(mesh))``, every
process passing the same host data; JAX places each process's rows on its own devices).
``to_host_frame`` all-gathers a row-sharded frame to every process (a test/debug helper: it
moves the whole frame) and returns a one-device frame for ``to_pandas``.
"""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
from jax.experimental import multihost_utils

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
