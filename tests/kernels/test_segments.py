"""The C++ segmented reduction against its pure-JAX twin (jax.ops.segment_*), with ids
outside the range dropped, under jit, vmap and grad."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import jaxframes  # noqa: F401  (enables x64)
from jaxframes.kernels import native, segments


@pytest.mark.parametrize("op", ["sum", "min", "max"])
@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64, np.int32])
@pytest.mark.parametrize("n,segs", [(1, 1), (7, 3), (1000, 5), (300_000, 100), (300_000, 50_000)])
def test_native_matches_jax(op, dtype, n, segs):
    if not native.available():
        pytest.skip("C++ extension not built")
    rng = np.random.default_rng(n + segs)
    values = jnp.asarray((rng.normal(size=n) * 100).astype(dtype))
    ids = jnp.asarray(rng.integers(0, segs + 2, n))  # some ids past the end: dropped
    expected = segments.segment_reduce_jax(op, values, ids, segs, indices_are_sorted=False)
    got = jax.jit(lambda v, i: segments.segment_reduce_native(op, v, i, segs))(values, ids)
    np.testing.assert_allclose(np.asarray(got), np.asarray(expected), rtol=1e-3 if dtype == np.float32 else 1e-12)
    dispatched = segments.seg_sum if op == "sum" else (segments.seg_min if op == "min" else segments.seg_max)
    np.testing.assert_allclose(np.asarray(dispatched(values, ids, segs, False)), np.asarray(expected),
                               rtol=1e-3 if dtype == np.float32 else 1e-12)


def test_vmap_and_grad():
    values = jnp.arange(12.0).reshape(3, 4)
    ids = jnp.array([0, 1, 0, 5])
    out = jax.vmap(lambda v: segments.seg_sum(v, ids, 2, False))(values)
    np.testing.assert_allclose(np.asarray(out), [[2.0, 1.0], [10.0, 5.0], [18.0, 9.0]])
    grad = jax.grad(lambda v: segments.seg_sum(v, ids, 2, False).sum())(values[0])
    np.testing.assert_allclose(np.asarray(grad), [1.0, 1.0, 1.0, 0.0])
    grad_max = jax.grad(lambda v: segments.seg_max(v, ids, 2, False).sum())(jnp.array([1.0, 2.0, 3.0, 9.0]))
    np.testing.assert_allclose(np.asarray(grad_max), [0.0, 1.0, 1.0, 0.0])
