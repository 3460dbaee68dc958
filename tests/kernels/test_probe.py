"""The C++ join probe against its pure-JAX twin (jnp.searchsorted) and numpy."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import jaxframes  # noqa: F401  (enables x64)
from jaxframes.kernels import native, probe


@pytest.mark.parametrize("n_sorted,n_queries", [(1, 1), (7, 20), (1000, 1000), (5000, 200_000)])
@pytest.mark.parametrize("top", [50, 2**40])  # small keys: the run-start table; large: binary search
def test_native_matches_jax_and_numpy(n_sorted, n_queries, top):
    rng = np.random.default_rng(n_sorted)
    keys = np.sort(rng.integers(0, top, n_sorted).astype(np.uint64))
    queries = np.concatenate([rng.integers(0, top + top // 5, n_queries - n_queries // 2),
                              rng.choice(keys, n_queries // 2)]).astype(np.uint64)
    want_lo, want_hi = np.searchsorted(keys, queries, "left"), np.searchsorted(keys, queries, "right")
    paths = [probe.probe_jax, probe.probe]
    if native.available():
        paths.append(probe.probe_native)
    for fn in paths:
        lo, hi = jax.jit(fn)(jnp.asarray(keys), jnp.asarray(queries))
        np.testing.assert_array_equal(np.asarray(lo), want_lo)
        np.testing.assert_array_equal(np.asarray(hi), want_hi)


def test_vmap():
    keys = jnp.asarray(np.array([[1, 2, 2, 5], [0, 0, 3, 3]], dtype=np.uint64))
    queries = jnp.asarray(np.array([[2, 6], [0, 3]], dtype=np.uint64))
    lo, hi = jax.vmap(probe.probe)(keys, queries)
    np.testing.assert_array_equal(np.asarray(lo), [[1, 4], [0, 2]])
    np.testing.assert_array_equal(np.asarray(hi), [[3, 4], [2, 4]])
