"""Join probe: for each query key, the [lo, hi) run of equal keys in sorted keys.

The C++ kernel (csrc/sorted_probe.cc, a threaded binary search) runs on the CPU backend;
``jnp.searchsorted`` is the pure-JAX twin used elsewhere and as the test reference.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp

from jaxframes.kernels import native
from jaxframes.executables import jit


def probe_jax(sorted_keys: jax.Array, queries: jax.Array) -> tuple[jax.Array, jax.Array]:
    lo = jnp.searchsorted(sorted_keys, queries, side="left").astype(jnp.int64)
    hi = jnp.searchsorted(sorted_keys, queries, side="right").astype(jnp.int64)
    return lo, hi


def probe_native(sorted_keys: jax.Array, queries: jax.Array) -> tuple[jax.Array, jax.Array]:
    """The C++ path (CPU only): a run-start table for small keys, else a binary search per query.
    The sorted keys must be ascending (unsorted keys raise instead of reading out of bounds)."""
    native.require()
    n = queries.shape[0]
    out = jax.ShapeDtypeStruct((n,), jnp.int64)
    return jax.ffi.ffi_call("jaxframes_sorted_probe", (out, out), vmap_method="sequential")(
        sorted_keys.astype(jnp.uint64), queries.astype(jnp.uint64))


def probe(sorted_keys: jax.Array, queries: jax.Array) -> tuple[jax.Array, jax.Array]:
    """Dispatch: C++ on the CPU backend (unsigned 64-bit keys), the JAX twin elsewhere."""
    usable = (native.available() and sorted_keys.dtype == jnp.uint64 and queries.dtype == jnp.uint64
              and sorted_keys.shape[0] > 0 and queries.shape[0] > 0)
    if not usable:
        return probe_jax(sorted_keys, queries)
    return _probe_dispatch(sorted_keys, queries)


@jit
def _probe_dispatch(sorted_keys: jax.Array, queries: jax.Array) -> tuple[jax.Array, jax.Array]:
    """The platform choice inside one compiled function (eagerly, ``platform_dependent`` reads
    its branch index back to the host: a sync per probe)."""
    return jax.lax.platform_dependent(sorted_keys, queries, cpu=probe_native, default=probe_jax)
