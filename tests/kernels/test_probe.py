"""The C++ join probe against its pure-JAX twin (jnp.searchsorted) and numpy: both lookup
methods (run-start table for small keys, binary search for large ones), empty sides, one row,
keys at the top of uint64 (no overflow past 2**64 - 1) and one 1e6-query case.
(Keys are uint64: NaN and negative values cannot occur.)"""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import jaxframes  # noqa: F401  (enables x64)
from jaxframes.kernels import native, probe

TOP = np.iinfo(np.uint64).max


def check(keys: np.ndarray, queries: np.ndarray) -> None:
    keys, queries = np.asarray(keys, np.uint64), np.asarray(queries, np.uint64)
    want_lo, want_hi = np.searchsorted(keys, queries, "left"), np.searchsorted(keys, queries, "right")
    paths = [probe.probe_jax, probe.probe]
    if native.available():
        paths.append(probe.probe_native)
    for fn in paths:
        lo, hi = jax.jit(fn)(jnp.asarray(keys), jnp.asarray(queries))
        np.testing.assert_array_equal(np.asarray(lo), want_lo, err_msg=fn.__name__)
        np.testing.assert_array_equal(np.asarray(hi), want_hi, err_msg=fn.__name__)


@pytest.mark.parametrize("n_sorted,n_queries", [(0, 5), (5, 0), (1, 1), (7, 20), (1000, 1000)])
@pytest.mark.parametrize("top", [50, 2**40])  # small keys: the run-start table; large: binary search
def test_native_matches_jax_and_numpy(n_sorted, n_queries, top):
    rng = np.random.default_rng(n_sorted)
    keys = np.sort(rng.integers(0, top, n_sorted))
    picks = rng.choice(keys, n_queries // 2) if n_sorted else np.zeros(0, np.int64)
    check(keys, np.concatenate([rng.integers(0, top + top // 5, n_queries - len(picks)), picks]))


def test_keys_at_the_top_of_uint64():
    # binary search over the largest keys, and the table with queries far above its top key
    check(np.array([0, 5, TOP - 1, TOP, TOP], np.uint64), np.array([TOP, TOP - 1, 0, 6, 5], np.uint64))
    check(np.array([1, 1, 3], np.uint64), np.array([TOP, TOP - 1, 2**63, 3, 4], np.uint64))


def test_million_queries():
    rng = np.random.default_rng(3)
    keys = np.sort(rng.integers(0, 2**50, 5000)).astype(np.uint64)
    check(keys, np.concatenate([rng.integers(0, 2**50, 500_000), rng.choice(keys, 500_000)]))


@pytest.mark.skipif(not native.available(), reason="C++ extension not built")
def test_unsorted_keys_raise_instead_of_reading_out_of_bounds():
    with pytest.raises(jax.errors.JaxRuntimeError, match="sorted_probe: the sorted keys are not"):
        probe.probe_native(jnp.asarray(np.array([9, 1], np.uint64)), jnp.zeros(3, jnp.uint64))


def test_vmap():
    keys = jnp.asarray(np.array([[1, 2, 2, 5], [0, 0, 3, 3]], dtype=np.uint64))
    queries = jnp.asarray(np.array([[2, 6], [0, 3]], dtype=np.uint64))
    lo, hi = jax.vmap(probe.probe)(keys, queries)
    np.testing.assert_array_equal(np.asarray(lo), [[1, 4], [0, 2]])
    np.testing.assert_array_equal(np.asarray(hi), [[3, 4], [2, 4]])
