"""The C++ take (a join's column gathers) against its twin, jnp.take(mode="clip"): every element
width (bool, int8, float16, int32, float32, int64, float64, complex64), indices below 0 and past
the end (clamped), several columns in one call, a length that spans the parallel chunks, a 2-D
and a complex128 column (the twin's), and an empty index."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import jaxframes  # noqa: F401  (enables x64)
from jaxframes.kernels import native
from jaxframes.kernels.take import take, take_jax, take_native

DTYPES = [np.bool_, np.int8, np.float16, np.int32, np.float32, np.int64, np.float64, np.complex64]


def columns(n: int, rng) -> tuple:
    return tuple(jnp.asarray((rng.random(n) * 100).astype(d) if d is not np.bool_ else rng.random(n) < 0.5)
                 for d in DTYPES)


@pytest.mark.parametrize("n,m", [(1, 5), (7, 20), (300_000, 200_000)])
def test_native_matches_twin(n, m):
    rng = np.random.default_rng(n)
    values = columns(n, rng)
    idx = jnp.asarray(rng.integers(-2, n + 2, m))  # out of range both ways: clamped
    want = take_jax(values, idx)
    got = take(values, idx)
    for w, g in zip(want, got):
        assert g.dtype == w.dtype
        np.testing.assert_array_equal(np.asarray(g), np.asarray(w))
    if native.available():
        for w, g in zip(want, jax.jit(take_native)(values, idx)):
            np.testing.assert_array_equal(np.asarray(g), np.asarray(w))


def test_clamps_like_take_clip():
    v = jnp.asarray([10, 20, 30])
    (got,) = take((v,), jnp.asarray([-1, 0, 2, 3, 99]))
    assert np.asarray(got).tolist() == [10, 10, 30, 30, 30]


def test_columns_the_kernel_does_not_take():
    v2d = jnp.arange(12.0).reshape(6, 2)
    c128 = jnp.asarray(np.arange(6) + 1j, jnp.complex128)
    empty = jnp.zeros(0, jnp.int64)
    i64 = jnp.arange(6)
    idx = jnp.asarray([5, -1, 2])
    got = take((v2d, c128, i64), idx)
    for w, g in zip(take_jax((v2d, c128, i64), idx), got):
        np.testing.assert_array_equal(np.asarray(g), np.asarray(w))
    (none,) = take((i64,), empty)
    assert none.shape == (0,) and none.dtype == jnp.int64
    with native.disabled():
        (twin,) = take((i64,), idx)
    assert np.asarray(twin).tolist() == [5, 0, 2]


def test_grad_is_a_scatter_add():
    v = jnp.asarray([1.0, 2.0, 3.0])
    idx = jnp.asarray([2, -1, 2, 7])

    def loss(x, wrap):
        return jnp.sum(take((x, jnp.arange(3)), idx, wrap=wrap)[0] * jnp.asarray([1.0, 10.0, 100.0, 1000.0]))
    assert np.asarray(jax.grad(loss)(v, False)).tolist() == [10.0, 0.0, 1101.0]
    assert np.asarray(jax.grad(loss)(v, True)).tolist() == [0.0, 0.0, 1111.0]  # -1 is the last row


# -- take_fill: the gather that fills rows without a partner (index < 0) ---------------------------
from jaxframes.kernels.take import take_fill, take_fill_jax, take_fill_native  # noqa: E402

FILL_CASES = [(np.float64, "nan"), (np.float32, "nan"), (np.int64, "int_nan"), (np.int32, "int_nan"),
              (np.int8, "int_nan"), (np.uint64, "int_nan"), (np.uint16, "int_nan"), (np.bool_, "and_present"),
              (np.int32, "take"), (np.float16, "nan"), (np.complex64, "nan")]  # the last two: the twin's


@pytest.mark.parametrize("n,m", [(1, 5), (9, 30), (300_000, 200_000)])
def test_take_fill_matches_twin(n, m):
    rng = np.random.default_rng(n + 1)
    values = tuple(jnp.asarray(rng.random(n) < 0.5 if d is np.bool_ else (rng.random(n) * 100).astype(d))
                   for d, _ in FILL_CASES)
    modes = tuple(mode for _, mode in FILL_CASES)
    idx = jnp.asarray(rng.integers(-3, n + 2, m))  # below 0: filled; past the end: clamped
    want = take_fill_jax(values, idx, modes)
    paths = [take_fill] + ([lambda v, i, modes: take_fill_native(v[:9], i, modes[:9]) + want[9:]]
                           if native.available() else [])
    for fn in paths:
        for w, g in zip(want, fn(values, idx, modes=modes)):
            assert g.dtype == w.dtype
            np.testing.assert_array_equal(np.asarray(g), np.asarray(w))
    int_nan = np.asarray(want[2])
    assert np.isnan(int_nan[np.asarray(idx) < 0]).all() and want[2].dtype == jnp.float64


def test_take_fill_values_and_grad():
    v = jnp.asarray([1.0, 2.0, 3.0])
    idx = jnp.asarray([2, -1, 0])
    (got, ints, valid) = take_fill((v, jnp.asarray([7, 8, 9]), jnp.asarray([True, False, True])), idx,
                                   modes=("nan", "int_nan", "and_present"))
    assert np.asarray(got).tolist()[::2] == [3.0, 1.0] and np.isnan(np.asarray(got)[1])
    assert np.asarray(ints).tolist()[::2] == [9.0, 7.0] and np.isnan(np.asarray(ints)[1])
    assert np.asarray(valid).tolist() == [True, False, True]

    def loss(x):  # a filled row reads no row: no gradient flows back from it
        return jnp.sum(take_fill((x,), idx, modes=("nan",))[0] * jnp.asarray([1.0, 10.0, 100.0]))
    assert np.asarray(jax.grad(loss)(v)).tolist() == [100.0, 0.0, 1.0]
