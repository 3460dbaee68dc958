"""Row-mask compaction: a stable partition that moves live rows to the front.

Filters only AND a row mask (shapes stay static under jit); compaction turns the mask into a
gather permutation when rows must become contiguous (positional indexing, shifts, host output).
The C++ kernel (csrc/compact.cc) runs on the CPU backend; the pure-JAX twin runs elsewhere
and is the reference it is tested against.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp

from jaxframes.kernels import native


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


@jax.jit
def _compact_dispatch(mask: jax.Array) -> tuple[jax.Array, jax.Array]:
    """The platform choice inside one compiled function (eagerly, ``platform_dependent`` reads
    its branch index back to the host: a sync per compaction)."""
    return jax.lax.platform_dependent(mask, cpu=compact_permutation_native, default=compact_permutation_jax)
