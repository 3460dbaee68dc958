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


@pytest.mark.parametrize("density", [0.0, 0.3, 1.0])
def test_live_count_and_positions_on_host_and_device(density):
    """The host path (one CPU device: numpy reads the mask in place) and the device path (a sum
    and the permutation kernel) give the same count and positions, padded with 0 or cut."""
    mask = np.random.default_rng(1).random(300) < density
    live = np.flatnonzero(mask)
    device_mask = jnp.asarray(mask)
    host = compact.host_mask(device_mask)
    assert host is not None  # the tests run on the CPU backend
    assert compact.live_count(device_mask) == live.size
    for capacity in (live.size, min(live.size + 5, mask.size), max(live.size - 3, 0)):  # at most the length
        expected = np.concatenate([live, np.zeros(5, np.int64)])[:capacity]
        for positions in (compact.live_positions(device_mask, capacity, host),
                          compact.live_positions(device_mask, capacity)):
            got = np.asarray(positions)
            np.testing.assert_array_equal(got[:min(capacity, live.size)], expected[:min(capacity, live.size)])
            assert got.shape == (capacity,)
