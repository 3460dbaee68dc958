"""Row-mask compaction: a stable partition that moves live rows to the front.

Filters only AND a row mask (shapes stay static under jit); compaction turns the mask into a
gather permutation when rows must become contiguous (positional indexing, shifts, host output).
The C++ kernel (csrc/compact.cc) runs on the CPU backend; the pure-JAX twin runs elsewhere
and is the reference it is tested against.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np

from jaxframes.kernels import native
from jaxframes.sync import device_get
from jaxframes.executables import jit


def compact_permutation_jax(mask: jax.Array) -> tuple[jax.Array, jax.Array]:
    """(permutation with live rows first in order then dead rows in order, live count)."""
    mask = mask.astype(bool)
    live_before = jnp.cumsum(mask, dtype=jnp.int64) - mask
    count = jnp.sum(mask, dtype=jnp.int64)
    dead_before = jnp.arange(mask.shape[0], dtype=jnp.int64) - live_before
    target = jnp.where(mask, live_before, count + dead_before)
    perm = jnp.zeros(mask.shape[0], jnp.int64).at[target].set(
        jnp.arange(mask.shape[0], dtype=jnp.int64), unique_indices=True)
    return perm, count


def compact_permutation_native(mask: jax.Array) -> tuple[jax.Array, jax.Array]:
    """The same, through the C++ FFI kernel (CPU only)."""
    native.require()
    n = mask.shape[0]
    perm, count = jax.ffi.ffi_call(
        "jaxframes_compact_permutation",
        (jax.ShapeDtypeStruct((n,), jnp.int64), jax.ShapeDtypeStruct((1,), jnp.int64)),
        vmap_method="sequential",
    )(mask.astype(bool))
    return perm, count[0]


def compact_permutation(mask: jax.Array) -> tuple[jax.Array, jax.Array]:
    """Dispatch: the C++ kernel on the CPU backend when built, the JAX twin everywhere else."""
    if mask.shape[0] == 0 or not native.available():
        return compact_permutation_jax(mask)
    return _compact_dispatch(mask)


@jit
def _compact_dispatch(mask: jax.Array) -> tuple[jax.Array, jax.Array]:
    """The platform choice inside one compiled function (eagerly, ``platform_dependent`` reads
    its branch index back to the host: a sync per compaction)."""
    return jax.lax.platform_dependent(mask, cpu=compact_permutation_native, default=compact_permutation_jax)


def host_mask(mask: jax.Array) -> np.ndarray | None:
    """A concrete row mask read on the host when that is free: on one CPU device (device memory
    is host memory, read in place) it is one counted sync, and counting or compacting it there
    with numpy is 10-100x faster than XLA's bool reduction or the permutation kernel (measured
    on 1e7 rows: count 0.4 ms vs 100 ms, live positions 5 ms vs 70 ms). None elsewhere (a GPU
    would ship the whole mask; a sharded mask lies on several devices)."""
    devices = mask.devices() if isinstance(mask, jax.Array) else ()
    if len(devices) == 1 and next(iter(devices)).platform == "cpu":
        return device_get(mask)
    return None


def live_count(mask: jax.Array) -> int:
    """How many rows of a concrete row mask are live, on the host: one counted sync."""
    host = host_mask(mask)
    if host is not None:
        return int(np.count_nonzero(host))
    return int(device_get(jnp.sum(mask, dtype=jnp.int64)))


def live_positions(mask: jax.Array, capacity: int, host: np.ndarray | None = None) -> jax.Array:
    """The physical positions of the live rows in order, padded (with 0) or cut to ``capacity``
    entries (at most the mask's length): the gather of an eager compaction. ``host``: the mask
    from ``host_mask``, if read."""
    if host is not None:
        live = np.flatnonzero(host)[:capacity]
        positions = np.zeros(capacity, np.int64)
        positions[:live.size] = live
        return jnp.asarray(positions)
    return compact_permutation(mask)[0][:capacity]
