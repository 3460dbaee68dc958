"""The C++ segmented scan against its pure-JAX twin (an associative scan): every op and dtype,
restarts at random rows, NaN, integer wrap-around, one row, empty input, and jit, vmap and grad
through the dispatching function."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import jaxframes  # noqa: F401  (enables x64)
from jaxframes.kernels import native, segments

pytestmark = pytest.mark.skipif(not native.available(), reason="C++ extension not built")

DTYPES = [np.float64, np.float32, np.int64, np.int32]
# jitted: run eagerly, the associative scan would compile each of its ~400 primitives separately
twin = jax.jit(segments.segmented_scan_jax, static_argnums=0)


def _case(n: int, dtype, seed: int = 0):
    rng = np.random.default_rng(seed)
    values = (rng.normal(size=n) * 4).astype(dtype)
    if np.dtype(dtype).kind == "f" and n > 3:
        values[3] = np.nan  # min/max propagate it to the end of its run; sums too
    starts = rng.random(n) < 0.2
    return jnp.asarray(values), jnp.asarray(starts)


def _assert_close(got, expected) -> None:
    got, expected = np.asarray(got), np.asarray(expected)
    assert got.dtype == expected.dtype
    if got.dtype.kind == "f":  # the kernel adds in row order, the twin in tree order
        np.testing.assert_allclose(got, expected, rtol=1e-5 if got.dtype == np.float32 else 1e-12)
    else:
        np.testing.assert_array_equal(got, expected)


@pytest.mark.parametrize("op", ["sum", "prod", "min", "max"])
@pytest.mark.parametrize("dtype", DTYPES)
def test_native_matches_twin(op, dtype):
    for n in (1, 7, 1000):
        values, starts = _case(n, dtype, seed=n)
        if op == "prod":  # keep products finite and exact: values in {-1, 1, 2}
            values = jnp.asarray(np.random.default_rng(n).choice([-1, 1, 2], n).astype(dtype))
        expected = twin(op, values, starts)
        _assert_close(jax.jit(lambda v, s: segments.segmented_scan_native(op, v, s))(values, starts), expected)
        _assert_close(segments.segmented_scan(op, values, starts), expected)


def test_integer_sums_and_products_wrap():
    big = np.iinfo(np.int64).max
    values = jnp.asarray([big, 1, 2, big, 3], jnp.int64)
    starts = jnp.asarray([True, False, True, False, False])
    for op in ("sum", "prod"):
        _assert_close(segments.segmented_scan_native(op, values, starts), twin(op, values, starts))


def test_empty_and_unsupported_dtypes():
    empty = jnp.zeros(0, jnp.float64)
    assert segments.segmented_scan("sum", empty, jnp.zeros(0, bool)).shape == (0,)
    flags = jnp.asarray([False, True, False, True])  # bool values: the twin path
    got = segments.segmented_scan("max", flags, jnp.asarray([True, False, True, False]))
    np.testing.assert_array_equal(np.asarray(got), [False, True, False, True])


def test_vmap_and_grad_follow_the_twin():
    values, starts = _case(50, np.float64, seed=1)
    values = jnp.where(jnp.isnan(values), 1.0, values)
    stacked = jnp.stack([values, values * 2])
    got = jax.jit(jax.vmap(lambda v: segments.segmented_scan("sum", v, starts)))(stacked)
    _assert_close(got, jax.jit(jax.vmap(lambda v: twin("sum", v, starts)))(stacked))
    for op in ("sum", "prod", "max"):
        grad = jax.jit(jax.grad(lambda v, op=op: segments.segmented_scan(op, v, starts).sum()))(values)
        expected = jax.jit(jax.grad(lambda v, op=op: twin(op, v, starts).sum()))(values)
        _assert_close(grad, expected)
