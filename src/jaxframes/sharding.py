"""Row sharding: frames whose rows are split over one axis of a device mesh.

``jf.row_sharded(mesh)`` returns a RowSharding; frames built with it place every column (and the
row mask) with ``NamedSharding(mesh, P(axis))``. The mesh is rebuilt with Auto axis types so
that XLA's partitioner (GSPMD) handles whole-array operations (cumsum, sort, gather) on sharded
rows; explicit shard_map algorithms are used where they pay. Capacities are padded to a multiple
of the shard count, the padding rows being masked out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import jax
import numpy as np
from jax.sharding import AxisType, Mesh, NamedSharding, PartitionSpec

from jaxframes.kernels.filled import zeros


@dataclass(frozen=True)
class RowSharding:
    """Which mesh axis the rows are split over. Hashable: it is static PyTree aux data."""

    mesh: Mesh
    axis: str

    @property
    def num_shards(self) -> int:
        return int(self.mesh.shape[self.axis])

    @property
    def named(self) -> NamedSharding:
        return NamedSharding(self.mesh, PartitionSpec(self.axis))

    def place(self, array: Any) -> Any:
        """Put a row-aligned array on the mesh (a sharding constraint when traced)."""
        if array is None or array.ndim == 0 or array.shape[0] % self.num_shards:
            return array
        if isinstance(array, jax.core.Tracer):
            return jax.lax.with_sharding_constraint(array, self.named)
        return jax.device_put(array, self.named)


def row_sharded(mesh: Mesh, axis: str | None = None) -> RowSharding:
    """Shard rows over ``axis`` of ``mesh`` (default: its first axis)."""
    if not isinstance(mesh, Mesh):
        raise TypeError(f"row_sharded expects a jax.sharding.Mesh (jax.make_mesh), got {type(mesh).__name__}")
    axis = mesh.axis_names[0] if axis is None else axis
    if axis not in mesh.axis_names:
        raise ValueError(f"axis {axis!r} is not one of the mesh axes {mesh.axis_names}")
    auto = Mesh(mesh.devices, mesh.axis_names, axis_types=(AxisType.Auto,) * len(mesh.axis_names))
    return RowSharding(auto, axis)


def padded_capacity(count: int, sharding: RowSharding | None) -> int:
    """The smallest multiple of the shard count that holds ``count`` rows."""
    shards = 1 if sharding is None else sharding.num_shards
    return -(-count // shards) * shards if count else 0


def bucket_capacity(count: int, sharding: RowSharding | None = None) -> int:
    """Bucketed capacity for data-dependent sizes: four steps per power of two (at most 25% waste),
    so that similar sizes reuse compiled kernels; then padded for the shard count."""
    if count <= 8:
        bucket = count
    else:
        top = 1 << (count - 1).bit_length()
        steps = [top // 2 + k * (top // 8) for k in range(1, 5)]
        bucket = next(s for s in steps if s >= count)
    return padded_capacity(bucket, sharding)


# Frames built from host data below this many rows keep their exact length: compiling for a
# tiny frame is as cheap as for its bucket, and most small frames are one-offs.
BUCKET_FROM_ROWS = 64


def data_capacity(count: int, sharding: RowSharding | None = None) -> int:
    """The capacity of a frame built from host data (constructor, from_pandas, from_arrow, readers):
    its bucket, so that a new file or batch of a similar size reuses every compiled kernel."""
    if count < BUCKET_FROM_ROWS:
        return padded_capacity(count, sharding)
    return bucket_capacity(count, sharding)


_ALIGN = 64  # bytes: what XLA's CPU client needs to use a host buffer in place


def host_buffer(rows: int, dtype: Any) -> np.ndarray:
    """An uninitialised, 64-byte aligned host array of ``rows`` values, for the caller to fill
    and then hand to ``device_array(..., owned=True)``."""
    dtype = np.dtype(dtype)
    raw = np.empty(rows * dtype.itemsize + _ALIGN, np.uint8)
    start = (-raw.ctypes.data) % _ALIGN
    return raw[start:start + rows * dtype.itemsize].view(dtype)


def _adoptable(host: np.ndarray) -> bool:
    """Whether JAX can take an owned host buffer in place: a single CPU device (a DLPack array
    is committed to device 0, which must then be the only one), 64-bit JAX (no narrowing copy),
    an aligned C-contiguous buffer of a dtype JAX holds as is."""
    return (len(host) > 0 and host.ndim == 1 and host.flags.c_contiguous and host.ctypes.data % _ALIGN == 0
            and host.dtype.kind in "biuf" and jax.config.read("jax_enable_x64")
            and jax.default_backend() == "cpu" and jax.device_count() == 1)


def device_array(host: np.ndarray, owned: bool = False) -> jax.Array:
    """A host array on the device. ``owned``: nobody else holds or will write ``host`` (a
    ``host_buffer`` just filled), so on one CPU device JAX adopts it without a copy (DLPack);
    otherwise one transfer."""
    if owned and _adoptable(host):
        return jax.dlpack.from_dlpack(host)
    return jax.device_put(host)  # not jnp.asarray: that compiles a program per shape and dtype


def place_host(values: np.ndarray, capacity: int | None = None) -> jax.Array:
    """Host values on the device, padded with zeros (False) to ``capacity`` rows on the host
    (padding on the device would compile a concatenation per length): the padded copy is the
    one pass, the device adopts it where it can."""
    if capacity is None or capacity == len(values):
        return jax.device_put(values)
    return device_array(pad_host(values, capacity), owned=True)


def pad_host(values: np.ndarray, capacity: int) -> np.ndarray:
    """Host values padded with zeros (False) to ``capacity`` rows (a new, owned buffer unless
    nothing is to pad)."""
    if capacity == len(values):
        return values
    if values.ndim == 1:
        padded = host_buffer(capacity, values.dtype)
        padded[len(values):] = 0
    else:
        padded = np.zeros((capacity,) + values.shape[1:], dtype=values.dtype)
    padded[:len(values)] = values
    return padded


def all_live(capacity: int) -> jax.Array:
    """Every row live, built on the host for eager use (an eager jnp.ones compiles a program per
    capacity)."""
    if capacity == 0:  # schema passes run every node on zero rows: no transfer for them
        return zeros(0, bool)
    return jax.device_put(np.ones(capacity, dtype=bool))


def live_prefix(count: int, capacity: int) -> jax.Array | None:
    """The row mask of ``count`` live rows followed by padding (None when there is no padding),
    built on the host (no compilation per length) in a buffer the device adopts where it can."""
    if count == capacity:
        return None
    mask = host_buffer(capacity, np.bool_)
    mask[:count] = True
    mask[count:] = False
    return device_array(mask, owned=True)
