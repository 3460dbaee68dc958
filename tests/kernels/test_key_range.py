"""The C++ key-range kernel against its pure-JAX twin: [any usable row, min, max] of an int64
key over negative values, the int64 extremes, empty input, one row and one 1e6-row case.
(Keys are integers: NaN cannot occur.)"""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import jaxframes  # noqa: F401  (enables x64)
from jaxframes.kernels import keys, native

INFO = np.iinfo(np.int64)


def check(data: np.ndarray, usable: np.ndarray) -> np.ndarray:
    data, usable = jnp.asarray(data, jnp.int64), jnp.asarray(usable, bool)
    expected = np.asarray(keys.key_range_jax(data, usable))
    np.testing.assert_array_equal(np.asarray(keys.key_range(data, usable)), expected)
    if native.available():
        np.testing.assert_array_equal(np.asarray(jax.jit(keys.key_range_native)(data, usable)), expected)
    live = np.asarray(data)[np.asarray(usable)]
    if live.size:
        assert expected.tolist() == [1, live.min(), live.max()]
    else:  # no usable row: the identities
        assert expected.tolist() == [0, INFO.max, INFO.min]
    return expected


@pytest.mark.parametrize("n", [0, 1, 7, 1000])
@pytest.mark.parametrize("density", [0.0, 0.5, 1.0])
def test_native_matches_jax(n, density):
    rng = np.random.default_rng(n)
    check(rng.integers(-(2**40), 2**40, n), rng.random(n) < density)


def test_int64_extremes():
    data = np.array([INFO.max, -5, INFO.min, 3, INFO.min + 1])
    assert check(data, np.ones(5, bool)).tolist() == [1, INFO.min, INFO.max]
    assert check(data, np.array([True, False, False, False, True])).tolist() == [1, INFO.min + 1, INFO.max]
    assert check(data[1:2], np.ones(1, bool)).tolist() == [1, -5, -5]


def test_million_rows():
    rng = np.random.default_rng(1)
    check(rng.integers(INFO.min, INFO.max, 1_000_000, dtype=np.int64), rng.random(1_000_000) < 0.9)


@pytest.mark.parametrize("case", ["sorted", "unsorted", "dead_break", "none", "empty"])
def test_key_runs(case):
    """[any, min, max, sorted, runs]: C++ and twin agree with numpy over the usable rows; a dead
    row that breaks the order decides nothing."""
    rng = np.random.default_rng(3)
    data = np.sort(rng.integers(-50, 50, 500))
    usable = rng.random(500) < 0.8
    if case == "unsorted":
        data = rng.permutation(data)
    elif case == "dead_break":
        usable[10] = False
        data[10] = 10**12
    elif case == "none":
        usable[:] = False
    elif case == "empty":
        data, usable = data[:0], usable[:0]
    d, u = jnp.asarray(data, jnp.int64), jnp.asarray(usable, bool)
    expected = np.asarray(keys.key_runs_jax(d, u))
    np.testing.assert_array_equal(np.asarray(keys.key_runs(d, u)), expected)
    if native.available() and len(data):
        np.testing.assert_array_equal(np.asarray(jax.jit(keys.key_runs_native)(d, u)), expected)
    live = data[usable]
    np.testing.assert_array_equal(expected[:3], check(data, usable))
    assert expected[3] == int(bool(np.all(np.diff(live) >= 0)))
    assert expected[4] == (int(np.sum(np.diff(live) != 0)) + 1 if live.size else 0)
