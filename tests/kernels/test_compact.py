"""The C++ compaction kernel against its pure-JAX twin and numpy, eagerly, under jit and vmap:
empty input, one row, no/some/all rows live, and one 1e6-row case. (The input is a boolean
mask: NaN, negative values and overflow cannot occur.)"""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import jaxframes  # noqa: F401  (enables x64)
from jaxframes.kernels import compact, native


def numpy_reference(mask: np.ndarray):
    return np.concatenate([np.flatnonzero(mask), np.flatnonzero(~mask)]), mask.sum()


@pytest.mark.parametrize("n", [0, 1, 7, 1000])
@pytest.mark.parametrize("density", [0.0, 0.3, 1.0])
def test_twins_match_numpy(n, density):
    mask = np.random.default_rng(n).random(n) < density
    expected_perm, expected_count = numpy_reference(mask)
    paths = [compact.compact_permutation_jax, compact.compact_permutation]
    if native.available():
        paths.append(compact.compact_permutation_native)
    for fn in paths:
        for run in (fn, jax.jit(fn)):
            perm, count = run(jnp.asarray(mask))
            np.testing.assert_array_equal(np.asarray(perm), expected_perm)
            assert int(count) == expected_count


def test_million_rows():
    mask = np.random.default_rng(2).random(1_000_000) < 0.4
    expected_perm, expected_count = numpy_reference(mask)
    twin = compact.compact_permutation_jax(jnp.asarray(mask))
    np.testing.assert_array_equal(np.asarray(twin[0]), expected_perm)
    if native.available():
        perm, count = compact.compact_permutation_native(jnp.asarray(mask))
        np.testing.assert_array_equal(np.asarray(perm), expected_perm)
        assert int(count) == int(twin[1]) == expected_count


def test_native_extension_is_built():
    assert native.available(), "the C++ extension jaxframes._native did not build/import"


def test_vmap_over_batches():
    masks = np.random.default_rng(0).random((4, 50)) < 0.5
    perms, counts = jax.vmap(compact.compact_permutation)(jnp.asarray(masks))
    for row, perm, count in zip(masks, perms, counts):
        expected_perm, expected_count = numpy_reference(row)
        np.testing.assert_array_equal(np.asarray(perm), expected_perm)
        assert int(count) == expected_count
