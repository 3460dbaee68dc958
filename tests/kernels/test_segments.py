"""The C++ segmented reduction against its pure-JAX twin (jax.ops.segment_*), with ids
outside the range dropped, under jit, vmap and grad: NaN, signed zeros, negative values, empty
input, one row, integer overflow (wraps like numpy) and one 1e6-row case."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import jaxframes  # noqa: F401  (enables x64)
from jaxframes.kernels import native, segments

pytestmark = pytest.mark.skipif(not native.available(), reason="C++ extension not built")

OPS = ["sum", "min", "max"]
DISPATCH = {"sum": segments.seg_sum, "min": segments.seg_min, "max": segments.seg_max}


def assert_same(got, expected, dtype) -> None:
    """Equal values, NaN where NaN, and the same sign of zero (min/max must pick the same zero;
    the sign of a NaN means nothing)."""
    got, expected = np.asarray(got), np.asarray(expected)
    assert got.dtype == expected.dtype
    if np.dtype(dtype).kind == "f":
        np.testing.assert_array_equal(np.isnan(got), np.isnan(expected))
        number = ~np.isnan(expected)
        np.testing.assert_array_equal(np.signbit(got[number]), np.signbit(expected[number]))
        np.testing.assert_allclose(got, expected, rtol=1e-5 if dtype == np.float32 else 1e-12)
    else:
        np.testing.assert_array_equal(got, expected)


def check(op, values, ids, segs) -> None:
    values, ids = jnp.asarray(values), jnp.asarray(ids)
    expected = segments.segment_reduce_jax(op, values, ids, segs, indices_are_sorted=False)
    got = jax.jit(lambda v, i: segments.segment_reduce_native(op, v, i, segs))(values, ids)
    assert_same(got, expected, values.dtype)
    assert_same(DISPATCH[op](values, ids, segs, False), expected, values.dtype)


@pytest.mark.parametrize("op", OPS)
@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64, np.int32])
@pytest.mark.parametrize("n,segs", [(0, 3), (1, 1), (7, 3), (1000, 5)])
def test_native_matches_jax(op, dtype, n, segs):
    rng = np.random.default_rng(n + segs)
    values = (rng.normal(size=n) * 100).astype(dtype)  # about half negative
    ids = rng.integers(0, segs + 2, n)  # some ids past the end: dropped
    check(op, values, ids, segs)


@pytest.mark.parametrize("op", OPS)
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_nan_and_signed_zeros_follow_the_twin(op, dtype):
    # NaN first, last, alone and beside +-inf; zeros of both signs in both orders.
    values = np.array([np.nan, 1.0, 2.0, np.nan, np.nan, -np.inf, np.nan, np.inf,
                       -0.0, 0.0, 0.0, -0.0, -0.0, -0.0, -3.0, -1.0], dtype)
    ids = np.array([0, 0, 1, 1, 2, 3, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7])
    check(op, values, ids, 9)  # segment 8 is empty: the identity
    out = np.asarray(segments.segment_reduce_native(op, jnp.asarray(values), jnp.asarray(ids), 9))
    assert np.isnan(out[:4]).all()
    if op != "sum":
        assert np.signbit(out[4:6]).tolist() == ([True, True] if op == "min" else [False, False])


@pytest.mark.parametrize("dtype", [np.int64, np.int32])
def test_integer_sums_wrap_like_numpy(dtype):
    info = np.iinfo(dtype)
    values = np.array([info.max, 1, info.min, -1, info.max, info.max, info.max, 5], dtype)
    ids = np.array([0, 0, 1, 1, 2, 2, 2, 3])
    expected = np.zeros(4, dtype)
    np.add.at(expected, ids, values)  # numpy wraps around
    assert expected[0] == info.min and expected[1] == info.max
    got = segments.segment_reduce_native("sum", jnp.asarray(values), jnp.asarray(ids), 4)
    np.testing.assert_array_equal(np.asarray(got), expected)
    check("sum", values, ids, 4)
    check("min", values, ids, 5)
    check("max", values, ids, 5)


def test_million_rows_with_nan_on_the_threaded_path():
    # 1e6 rows into 100 segments: per-task partial results merged (min/max/sum all combine them).
    rng = np.random.default_rng(0)
    n = 1_000_000
    values = rng.normal(size=n) * 1e3
    values[rng.integers(0, n, 20)] = np.nan
    ids = rng.integers(0, 102, n)
    for op in OPS:
        check(op, values, ids, 100)
    big = rng.integers(np.iinfo(np.int64).min, np.iinfo(np.int64).max, n, dtype=np.int64)
    expected = np.zeros(100, np.int64)
    np.add.at(expected, ids[ids < 100], big[ids < 100])
    got = segments.segment_reduce_native("sum", jnp.asarray(big), jnp.asarray(ids), 100)
    np.testing.assert_array_equal(np.asarray(got), expected)


def test_invalid_op_raises_with_the_kernel_message():
    # The handler validates by throwing; the guard turns it into an error JAX raises.
    call = jax.ffi.ffi_call("jaxframes_segment_reduce", jax.ShapeDtypeStruct((2,), jnp.float64))
    with pytest.raises(jax.errors.JaxRuntimeError, match="segment_reduce: unknown op"):
        call(jnp.ones(3), jnp.zeros(3, jnp.int64), op=np.int64(7))
    with pytest.raises(jax.errors.JaxRuntimeError, match="segment_reduce: values and ids differ"):
        call(jnp.ones(3), jnp.zeros(4, jnp.int64), op=np.int64(0))


def test_vmap_and_grad():
    values = jnp.arange(12.0).reshape(3, 4)
    ids = jnp.array([0, 1, 0, 5])
    out = jax.vmap(lambda v: segments.seg_sum(v, ids, 2, False))(values)
    np.testing.assert_allclose(np.asarray(out), [[2.0, 1.0], [10.0, 5.0], [18.0, 9.0]])
    grad = jax.grad(lambda v: segments.seg_sum(v, ids, 2, False).sum())(values[0])
    np.testing.assert_allclose(np.asarray(grad), [1.0, 1.0, 1.0, 0.0])
    grad_max = jax.grad(lambda v: segments.seg_max(v, ids, 2, False).sum())(jnp.array([1.0, 2.0, 3.0, 9.0]))
    np.testing.assert_allclose(np.asarray(grad_max), [0.0, 1.0, 1.0, 0.0])
