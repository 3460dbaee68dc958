"""The C++ segment-stats kernel (csrc/segment_stats.cc: count, sum, min, max per dense slot in
one pass) against its scatter twin: float64 with NaN (skipped with nan_null), signed zeros,
infinities, int64 (wrapping sums, extreme values), rows not present, ids outside the slots,
empty slots, and inputs big enough for the per-task partials."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import jaxframes  # noqa: F401  (enables x64)
from jaxframes.kernels import native
from jaxframes.kernels.segments import segment_stats, segment_stats_jax, segment_stats_native

pytestmark = pytest.mark.skipif(not native.available(), reason="C++ extension not built")


def inputs(n, slots, dtype, seed=0):
    rng = np.random.default_rng(seed)
    if dtype == "f":
        x = rng.normal(size=n) * 100
        x[rng.random(n) < 0.1] = np.nan
        x[rng.random(n) < 0.01] = 0.0
        x[rng.random(n) < 0.01] = -0.0
        x[rng.random(n) < 0.005] = np.inf
    else:
        x = rng.integers(-1000, 1000, n, dtype=np.int64)
        x[:3] = [np.iinfo(np.int64).max, np.iinfo(np.int64).max, np.iinfo(np.int64).min][:n]
    ids = rng.integers(-1, slots + 2, n).astype(np.int64)  # some outside [0, slots)
    ids[(ids > 3) & (ids < 6)] = 0  # slots 4 and 5 stay empty
    present = rng.random(n) < 0.9
    return jnp.asarray(x), jnp.asarray(ids), jnp.asarray(present)


@pytest.mark.parametrize("dtype", ["f", "i"])
@pytest.mark.parametrize("n", [1, 50, 300_000])  # 300k rows: the per-task partials
def test_native_matches_twin(dtype, n):
    slots = 16
    x, ids, present = inputs(n, slots, dtype, seed=n)
    nan_null = dtype == "f"
    got = jax.jit(lambda a, b, c: segment_stats_native(a, b, c, slots, nan_null))(x, ids, present)
    twin = jax.jit(lambda a, b, c: segment_stats_jax(a, b, c, slots, nan_null))(x, ids, present)
    dispatched = segment_stats(x, ids, present, slots, nan_null)
    for g, t, d in zip(got, twin, dispatched):
        g, t, d = np.asarray(g), np.asarray(t), np.asarray(d)
        assert g.dtype == t.dtype
        np.testing.assert_array_equal(g, d)  # the dispatch runs the C++ kernel on the CPU
        if dtype == "f":
            np.testing.assert_allclose(g, t, rtol=1e-12)
            np.testing.assert_array_equal(np.signbit(g), np.signbit(t))
        else:
            np.testing.assert_array_equal(g, t)
    count, total, low, high = map(np.asarray, got)
    assert count[4] == count[5] == 0 and total[4] == 0
    if dtype == "f":
        assert low[4] == np.inf and high[4] == -np.inf


def test_signed_zeros():
    x = jnp.asarray([0.0, -0.0, 0.0, -0.0])
    ids = jnp.asarray([0, 0, 1, 1])
    present = jnp.ones(4, bool)
    _, _, low, high = segment_stats_native(x, ids, present, 2, True)
    assert np.signbit(np.asarray(low)).all() and not np.signbit(np.asarray(high)).any()
