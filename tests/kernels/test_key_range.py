"""The C++ key-range kernel against its pure-JAX twin: [any usable row, min, max]."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import jaxframes  # noqa: F401  (enables x64)
from jaxframes.kernels import keys, native


@pytest.mark.parametrize("n", [1, 7, 1000, 100_000])
@pytest.mark.parametrize("density", [0.0, 0.5, 1.0])
def test_native_matches_jax(n, density):
    rng = np.random.default_rng(n)
    data = jnp.asarray(rng.integers(-(2**40), 2**40, n))
    usable = jnp.asarray(rng.random(n) < density)
    expected = np.asarray(keys.key_range_jax(data, usable))
    np.testing.assert_array_equal(np.asarray(keys.key_range(data, usable)), expected)
    if native.available():
        np.testing.assert_array_equal(np.asarray(jax.jit(keys.key_range_native)(data, usable)), expected)
    live = np.asarray(usable)
    if live.any():
        assert list(expected) == [1, np.asarray(data)[live].min(), np.asarray(data)[live].max()]
    else:
        assert expected[0] == 0
