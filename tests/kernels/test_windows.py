"""The C++ window kernel (csrc/window_reduce.cc) against its pure-JAX twin and against pandas'
own rolling code: windows longer than the data, all-NaN windows, windows of 1 and 0, centred
and closed variants, time-like (variable) bounds, non-monotone bounds (the kernel rebuilds its
state), the sorted-vector and sorted-blocks quantile paths, min_periods inside the kernel, under
jit and vmap."""

import jax
import jax.numpy as jnp
import numpy as np
import pandas as pd
import pytest

import jaxframes  # noqa: F401  (enables x64)
from jaxframes.kernels import native
from jaxframes.kernels.windows import affine_scan, window_count, window_reduce, window_reduce_jax, window_reduce_native

pytestmark = pytest.mark.skipif(not native.available(), reason="C++ extension not built")

N = 40  # one length everywhere: the twin compiles once per reduction
OPS = ["sum", "mean", "var", "min", "max", "skew", "kurt", "quantile"]


def fixed(n, w, center=False, closed=None):
    offset = (w - 1) // 2 if center else 0
    end = np.arange(1 + offset, n + 1 + offset)
    start = end - w
    if closed in ("left", "both"):
        start = start - 1
    if closed in ("left", "neither"):
        end = end - 1
    end = np.clip(end, 0, n)
    start = np.minimum(np.clip(start, 0, n), end)
    return start, end


def values(n, seed=0, nan_frac=0.2):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n) * 10 + 3
    x[rng.random(n) < nan_frac] = np.nan
    return x


_twin = jax.jit(window_reduce_jax, static_argnames=("op", "max_window", "q", "interpolation", "ddof"))


def compare(op, x, start, end, max_window, **kw):
    x, start, end = jnp.asarray(x), jnp.asarray(start), jnp.asarray(end)
    c = np.asarray(jax.jit(lambda a, b, e: window_reduce_native(op, a, b, e, **kw))(x, start, end))
    t = np.asarray(_twin(op, x, start, end, max_window=max_window, **kw))
    d = np.asarray(window_reduce(op, x, start, end, max_window=max_window, **kw))
    np.testing.assert_array_equal(np.isnan(c), np.isnan(t))
    np.testing.assert_allclose(c, t, rtol=1e-9, atol=1e-12)
    np.testing.assert_array_equal(c, d)  # the dispatch runs the C++ kernel on the CPU
    return c


@pytest.mark.parametrize("op", OPS)
@pytest.mark.parametrize("w", [1, 6, 60])  # 60 > n: every window is the prefix
def test_native_matches_twin_and_pandas(op, w):
    n = N
    x = values(n, seed=w)
    start, end = fixed(n, w)
    got = compare(op, x, start, end, 7 if w < 7 else N, q=0.3)
    r = pd.Series(x).rolling(w, min_periods=0)
    expected = r.quantile(0.3) if op == "quantile" else getattr(r, op)()
    np.testing.assert_allclose(got, expected.to_numpy(), rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("op", OPS)
def test_all_nan_windows_and_empty_bounds(op):
    x = np.full(N, np.nan)
    x[[3, 7, 8, 20]] = [1.0, 2.0, 2.0, 5.0]
    for closed in (None, "left", "both", "neither"):
        start, end = fixed(N, 6, closed=closed)
        got = compare(op, x, start, end, 7, q=0.3)
        counts = np.asarray(window_count(jnp.asarray(~np.isnan(x)), jnp.asarray(start), jnp.asarray(end)))
        if op == "sum":
            assert (got[counts == 0] == 0).all()
        else:
            assert np.isnan(got[counts == 0]).all()
    start, end = fixed(N, 0)
    compare(op, x, start, end, 7, q=0.3)


@pytest.mark.parametrize("op", OPS)
def test_centred_closed_and_variable_bounds(op):
    n = N
    x = values(n, seed=3)
    for center in (False, True):
        for closed in (None, "left", "both", "neither"):
            start, end = fixed(n, 6, center, closed)
            compare(op, x, start, end, 7, q=0.3)
    rng = np.random.default_rng(1)
    t = np.sort(rng.integers(0, 30, n))
    start = np.searchsorted(t, t - 4, side="right")
    end = np.arange(1, n + 1)
    compare(op, x, start, end, N, q=0.3)


@pytest.mark.parametrize("op", OPS)
def test_non_monotone_bounds_rebuild(op):
    x = values(N, seed=4, nan_frac=0.1)
    rng = np.random.default_rng(2)
    start = rng.integers(0, N, N)
    end = np.minimum(start + rng.integers(0, 8, N), N)
    compare(op, x, start, end, N, q=0.3)


def test_quantile_blocks_path_and_constants():
    n = 2500
    x = values(n, seed=5)
    start, end = fixed(n, 2100)  # wider than the sorted-vector limit: the list of sorted blocks
    for interp in ("linear", "lower", "higher", "nearest", "midpoint"):
        got = np.asarray(window_reduce_native("quantile", jnp.asarray(x), jnp.asarray(start), jnp.asarray(end),
                                              q=0.37, interpolation=interp))
        expected = pd.Series(x).rolling(2100, min_periods=1).quantile(0.37, interpolation=interp).to_numpy()
        np.testing.assert_allclose(got, expected, rtol=1e-12)
    const = np.full(N, 0.1)
    start, end = fixed(N, 7)
    for op in ("mean", "var", "sum"):
        got = compare(op, const, start, end, 7)
        expected = getattr(pd.Series(const).rolling(7, min_periods=1), op)().to_numpy()
        np.testing.assert_array_equal(got, expected)  # exact on windows of equal values, as pandas


@pytest.mark.parametrize("op", OPS)
def test_min_periods_in_kernel(op):
    """The kernel's own count gates each window like pandas' min_periods (C++, twin, pandas)."""
    x = values(N, seed=6, nan_frac=0.4)
    start, end = fixed(N, 6)
    kw = {"q": 0.3} if op == "quantile" else {}
    args = (jnp.asarray(x), jnp.asarray(start), jnp.asarray(end))
    c = np.asarray(window_reduce_native(op, *args, min_periods=4, **kw))
    t = np.asarray(window_reduce(op, *args, max_window=6, min_periods=4, **kw))
    with native.disabled():
        twin = np.asarray(window_reduce(op, *args, max_window=6, min_periods=4, **kw))
    r = pd.Series(x).rolling(6, min_periods=4)
    expected = (r.quantile(0.3) if op == "quantile" else getattr(r, op)()).to_numpy()
    np.testing.assert_array_equal(c, t)
    np.testing.assert_allclose(c, expected, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(twin, expected, rtol=1e-9, atol=1e-12)


def test_empty_and_vmap():
    empty = jnp.zeros(0)
    bounds = jnp.zeros(0, jnp.int64)
    assert window_reduce("sum", empty, bounds, bounds, max_window=1).shape == (0,)
    x = jnp.asarray(np.stack([values(12, seed=s) for s in range(3)]))
    start, end = (jnp.asarray(a) for a in fixed(12, 3))
    got = jax.vmap(lambda v: window_reduce("max", v, start, end, max_window=3))(x)
    for row in range(3):
        np.testing.assert_array_equal(got[row], window_reduce_jax("max", x[row], start, end, max_window=3))


def test_affine_scan():
    a = jnp.asarray([0.5, 0.2, 1.0, 0.0, 0.3])
    b = jnp.asarray([1.0, 2.0, 3.0, 4.0, 5.0])
    y, expected = 0.0, []
    for ai, bi in zip(np.asarray(a), np.asarray(b)):
        y = ai * y + bi
        expected.append(y)
    np.testing.assert_allclose(affine_scan(a, b), expected, rtol=1e-15)
