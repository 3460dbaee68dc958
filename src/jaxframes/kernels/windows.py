"""Window kernels: reductions over variable windows ``[start[i], end[i])`` of a float64 array
(NaN = missing, never inside a window), window counts, and the affine scan behind ewm.

Every window shape pandas has (fixed, centred, closed=, time-based, expanding, per group)
becomes the same pair of bound arrays, so one kernel per reduction serves them all, in O(n)
whatever the window size:

- the C++ kernel (csrc/window_reduce.cc) on the CPU backend: online add/remove with Kahan
  compensation (sum, mean), Welford (var), compensated power sums (skew, kurt), a monotonic
  deque (min, max) and an order-statistic multiset (quantile, median); pandas' algorithms, so
  its values match pandas' to ~1e-12;
- the pure-JAX twin everywhere else (GPU/TPU, tests): double-double prefix sums through
  ``lax.associative_scan`` (sum, mean, var, skew, kurt: exact to ~1e-15 of the prefix, so a
  window's value keeps ~1e-12 relative unless it cancels against the whole column's spread),
  a sparse table (min, max: O(n log w)) and sorted gathered windows (quantile: O(n w log w),
  the twin's price; ``max_window`` bounds w statically).

The twin is the reference the C++ kernel is tested against.
"""

from __future__ import annotations

import functools
import math

import jax
import jax.numpy as jnp
import numpy as np

from jaxframes.kernels import native

OPS = {"sum": 0, "mean": 1, "var": 2, "min": 3, "max": 4, "quantile": 5, "skew": 6, "kurt": 7}
INTERPOLATIONS = {"linear": 0, "lower": 1, "higher": 2, "nearest": 3, "midpoint": 4}


# -- counts ------------------------------------------------------------------------------------
def window_count(present: jax.Array, start: jax.Array, end: jax.Array) -> jax.Array:
    """How many present values each window holds (exact integer prefix sums)."""
    prefix = jnp.concatenate([jnp.zeros(1, jnp.int64), jnp.cumsum(present, dtype=jnp.int64)])
    return prefix[end] - prefix[start]


# -- the pure-JAX twin -------------------------------------------------------------------------
def _two_sum(a: jax.Array, b: jax.Array) -> tuple[jax.Array, jax.Array]:
    s = a + b
    bb = s - a
    return s, (a - (s - bb)) + (b - bb)


def _dd_add(x: tuple[jax.Array, jax.Array], y: tuple[jax.Array, jax.Array]) -> tuple[jax.Array, jax.Array]:
    s, e = _two_sum(x[0], y[0])
    e = e + (x[1] + y[1])
    hi = s + e
    return hi, e - (hi - s)


def _dd_prefix(values: jax.Array) -> tuple[jax.Array, jax.Array]:
    """Inclusive double-double prefix sums along the last axis, with a leading zero (one scan
    for every row of a stacked array: one compiled scan however many power sums)."""
    hi, lo = jax.lax.associative_scan(_dd_add, (values, jnp.zeros_like(values)), axis=values.ndim - 1)
    zero = jnp.zeros(values.shape[:-1] + (1,), values.dtype)
    return jnp.concatenate([zero, hi], axis=-1), jnp.concatenate([zero, lo], axis=-1)


def _dd_window(prefix: tuple[jax.Array, jax.Array], start: jax.Array, end: jax.Array) -> jax.Array:
    hi, lo = prefix
    s, e = _two_sum(hi[..., end], -hi[..., start])
    return s + (e + (lo[..., end] - lo[..., start]))


def _all_equal(x: jax.Array, present: jax.Array, start: jax.Array, end: jax.Array) -> jax.Array:
    """Whether every present value of each window is equal (pandas answers those exactly): no
    present value after the window's first differs from the present value before it."""
    n = x.shape[0]
    pos = jnp.arange(n, dtype=jnp.int64)
    prev = jax.lax.cummax(jnp.where(present, pos, -1))
    prev_before = jnp.concatenate([jnp.full(1, -1, prev.dtype), prev[:-1]])
    breaks = present & (prev_before >= 0) & (x != x[jnp.maximum(prev_before, 0)])
    first = jax.lax.cummin(jnp.where(present, pos, n), reverse=True)
    after_first = jnp.minimum(first[jnp.clip(start, 0, n - 1)] + 1, end)
    return window_count(breaks, jnp.minimum(after_first, end), end) == 0


def _sparse_extreme(x: jax.Array, start: jax.Array, end: jax.Array, is_max: bool, max_window: int) -> jax.Array:
    """Range min/max by a sparse table of power-of-two blocks: two lookups per window."""
    n = x.shape[0]
    fill = -jnp.inf if is_max else jnp.inf
    pick = jnp.maximum if is_max else jnp.minimum
    levels = [x]
    for k in range(1, max(1, math.ceil(math.log2(max(max_window, 1)))) + 1):
        prev = levels[-1]
        step = 1 << (k - 1)
        if step >= n:
            break
        shifted = jnp.concatenate([prev[step:], jnp.full(step, fill, x.dtype)])
        levels.append(pick(prev, shifted))
    table = jnp.stack(levels)
    length = jnp.maximum(end - start, 1)
    k = jnp.minimum(jnp.floor(jnp.log2(length.astype(jnp.float64))).astype(jnp.int64), len(levels) - 1)
    # log2 of an exact power of two can round below it: fix k so 2**k <= length < 2**(k+1)
    k = jnp.where((1 << (k + 1)) <= length, k + 1, k)
    k = jnp.where((1 << k) > length, k - 1, k)
    k = jnp.clip(k, 0, len(levels) - 1)
    width = jnp.left_shift(jnp.ones_like(k), k)
    last = jnp.clip(end - width, 0, max(n - 1, 0))
    return pick(table[k, jnp.clip(start, 0, max(n - 1, 0))], table[k, last])


def _pick(sorted_rows: jax.Array, nobs: jax.Array, q: float, interp: int) -> jax.Array:
    """pandas' quantile of each row's first ``nobs`` sorted values."""
    pos = q * (nobs - 1).astype(jnp.float64)
    lo = jnp.floor(pos).astype(jnp.int64)
    frac = pos - lo.astype(jnp.float64)
    hi = jnp.minimum(lo + 1, jnp.maximum(nobs - 1, 0))
    lo = jnp.clip(lo, 0, sorted_rows.shape[1] - 1)
    hi = jnp.clip(hi, 0, sorted_rows.shape[1] - 1)
    a = jnp.take_along_axis(sorted_rows, lo[:, None], axis=1)[:, 0]
    b = jnp.take_along_axis(sorted_rows, hi[:, None], axis=1)[:, 0]
    if interp == INTERPOLATIONS["lower"]:
        out = a
    elif interp == INTERPOLATIONS["higher"]:
        out = jnp.where(frac == 0, a, b)
    elif interp == INTERPOLATIONS["nearest"]:
        half = jnp.where(lo % 2 == 0, a, b)
        out = jnp.where(frac == 0.5, half, jnp.where(frac < 0.5, a, b))
    elif interp == INTERPOLATIONS["midpoint"]:
        out = jnp.where(frac == 0, a, (a + b) / 2)
    else:
        out = jnp.where(frac == 0, a, a + (b - a) * frac)
    out = jnp.where(nobs == 1, sorted_rows[:, 0], out)
    return jnp.where(nobs == 0, jnp.nan, out)


def _quantile_jax(x: jax.Array, start: jax.Array, end: jax.Array, q: float, interp: int,
                  max_window: int) -> jax.Array:
    n = x.shape[0]
    width = max(1, min(max_window, n))
    offsets = jnp.arange(width, dtype=jnp.int64)
    pos = start[:, None] + offsets[None, :]
    inside = pos < end[:, None]
    vals = jnp.where(inside, x[jnp.clip(pos, 0, max(n - 1, 0))], jnp.nan)
    nobs = jnp.sum(~jnp.isnan(vals), axis=1)
    return _pick(jnp.sort(vals, axis=1), nobs, q, interp)  # NaN sorts last


def window_reduce_jax(op: str, values: jax.Array, start: jax.Array, end: jax.Array, *, max_window: int,
                      q: float = 0.5, interpolation: str = "linear", ddof: int = 1) -> jax.Array:
    """The pure-JAX twin of ``window_reduce_native`` (same rules, see the module docstring)."""
    x = values.astype(jnp.float64)
    n = x.shape[0]
    if n == 0:
        return jnp.zeros(start.shape, jnp.float64)
    present = ~jnp.isnan(x)
    nobs = window_count(present, start, end)
    fn = nobs.astype(jnp.float64)
    if op == "quantile":
        return _quantile_jax(x, start, end, q, INTERPOLATIONS[interpolation], max_window)
    if op in ("min", "max"):
        fill = jnp.inf if op == "min" else -jnp.inf
        out = _sparse_extreme(jnp.where(present, x, fill), start, end, op == "max", max_window)
        return jnp.where(nobs == 0, jnp.nan, out)
    same = _all_equal(x, present, start, end)
    last_present = jax.lax.cummax(jnp.where(present, jnp.arange(n), 0))[jnp.clip(end - 1, 0, n - 1)]
    last = x[last_present]  # a present value of the window (all equal when ``same``)
    total = jnp.sum(jnp.where(present, x, 0.0))
    shift = jnp.where(present.any(), total / jnp.maximum(jnp.sum(present), 1), 0.0)
    d = jnp.where(present, x - shift, 0.0)
    powers = {"sum": 1, "mean": 1, "var": 2, "skew": 3, "kurt": 4}[op]
    sums = _dd_window(_dd_prefix(jnp.stack([d ** (k + 1) for k in range(powers)])), start, end)
    s1 = sums[0]
    if op == "sum":
        return jnp.where(nobs == 0, 0.0, jnp.where(same, last * fn, s1 + shift * fn))
    if op == "mean":
        mean = s1 / fn + shift
        neg = window_count(present & (x < 0), start, end)
        mean = jnp.where((neg == 0) & (mean < 0), 0.0, jnp.where((neg == nobs) & (mean > 0), 0.0, mean))
        return jnp.where(nobs == 0, jnp.nan, jnp.where(same, last, mean))
    s2 = sums[1]
    a = s1 / fn
    if op == "var":
        m2 = jnp.maximum(s2 - s1 * a, 0.0)
        out = jnp.where(same | (nobs == 1), 0.0, m2 / (fn - ddof))
        return jnp.where(nobs <= ddof, jnp.nan, out)
    s3 = sums[2]
    b = s2 / fn - a * a
    c = s3 / fn - a * a * a - 3 * a * b
    if op == "skew":
        r = jnp.sqrt(b)
        out = (jnp.sqrt(fn * (fn - 1)) * c) / ((fn - 2) * r * r * r)
        return jnp.where((nobs < 3) | same | (b <= 1e-14), jnp.nan, out)
    if op == "kurt":
        s4 = sums[3]
        dd = s4 / fn - a ** 4 - 6 * b * a * a - 4 * c * a
        k = (fn * fn - 1) * dd / (b * b) - 3 * ((fn - 1) ** 2)
        out = k / ((fn - 2) * (fn - 3))
        return jnp.where((nobs < 4) | same | (b <= 1e-14), jnp.nan, out)
    raise ValueError(f"unknown window reduction {op!r}")


# -- the C++ path and the dispatch -------------------------------------------------------------
def window_reduce_native(op: str, values: jax.Array, start: jax.Array, end: jax.Array, *,
                         q: float = 0.5, interpolation: str = "linear", ddof: int = 1,
                         min_periods: int = 0) -> jax.Array:
    """The C++ path (CPU only, csrc/window_reduce.cc); it counts each window's values in the
    same pass and gives NaN below ``min_periods``."""
    native.require()
    return jax.ffi.ffi_call("jaxframes_window_reduce", jax.ShapeDtypeStruct(start.shape, jnp.float64),
                            vmap_method="sequential")(
        values.astype(jnp.float64), start.astype(jnp.int64), end.astype(jnp.int64),
        op=np.int64(OPS[op]), q=np.float64(q), interp=np.int64(INTERPOLATIONS[interpolation]),
        ddof=np.int64(ddof), min_periods=np.int64(min_periods))


def _gated_twin(op: str, values: jax.Array, start: jax.Array, end: jax.Array, *, max_window: int,
                min_periods: int, **kw) -> jax.Array:
    out = window_reduce_jax(op, values, start, end, max_window=max_window, **kw)
    if min_periods <= 0:
        return out
    return jnp.where(window_count(~jnp.isnan(values), start, end) >= min_periods, out, jnp.nan)


@functools.partial(jax.jit, static_argnames=("op", "max_window", "q", "interpolation", "ddof", "min_periods"))
def window_reduce(op: str, values: jax.Array, start: jax.Array, end: jax.Array, *, max_window: int,
                  q: float = 0.5, interpolation: str = "linear", ddof: int = 1, min_periods: int = 0) -> jax.Array:
    """One reduction per window ``values[start[i]:end[i]]`` skipping NaN: the C++ kernel on the
    CPU backend when built, the twin elsewhere. ``max_window`` bounds ``end - start`` (static:
    the twin's table depth and gather width). An empty window gives 0 (sum) or NaN; a window
    with fewer than ``min_periods`` non-NaN values gives NaN (the C++ kernel counts them in its
    own pass, the twin by prefix counts)."""
    if op not in OPS:
        raise ValueError(f"unknown window reduction {op!r}")
    if interpolation not in INTERPOLATIONS:
        raise ValueError("interpolation should be one of ['linear', 'lower', 'higher', 'nearest', 'midpoint']")
    kw = {"q": q, "interpolation": interpolation, "ddof": ddof}
    twin = functools.partial(_gated_twin, op, max_window=max_window, min_periods=min_periods, **kw)
    if not native.available() or start.shape[0] == 0 or values.shape[0] == 0:
        return twin(values, start, end)
    return jax.lax.platform_dependent(values, start, end, default=twin,
                                      cpu=functools.partial(window_reduce_native, op, min_periods=min_periods, **kw))


# -- ewm: an affine recurrence -----------------------------------------------------------------
def _affine(x: tuple[jax.Array, jax.Array], y: tuple[jax.Array, jax.Array]) -> tuple[jax.Array, jax.Array]:
    """Composition of y -> a1*y + b1 then y -> a2*y + b2."""
    return x[0] * y[0], y[0] * x[1] + y[1]


def ewm_native(values: jax.Array, deltas: jax.Array | None, *, alpha: float, adjust: bool, ignore_na: bool,
               min_periods: int, normalize: bool = True, one_minus_old: bool = False) -> jax.Array:
    """The C++ ewm (csrc/ewm.cc, CPU only): pandas' sequential recurrence, the mean
    (``normalize``) or the sum, gated by ``min_periods`` observations. ``deltas[i]`` is row i's
    decay exponent (the time step over the halflife; None: 1 per row); ``one_minus_old``: pandas
    3's adjust=False rule where the new value weighs ``1 - old`` (times=, or alpha exactly 0.5).
    The twin is the affine-scan path in jaxframes.windows.ewm."""
    native.require()
    values = values.astype(jnp.float64)
    deltas = jnp.zeros(0, jnp.float64) if deltas is None else deltas.astype(jnp.float64)
    return jax.ffi.ffi_call("jaxframes_ewm", jax.ShapeDtypeStruct(values.shape, jnp.float64),
                            vmap_method="sequential")(
        values, deltas, alpha=np.float64(alpha), adjust=bool(adjust), ignore_na=bool(ignore_na),
        min_periods=np.int64(min_periods), normalize=bool(normalize), one_minus_old=bool(one_minus_old))


def affine_scan(a: jax.Array, b: jax.Array) -> jax.Array:
    """``y[i] = a[i] * y[i-1] + b[i]`` from ``y[-1] = 0``, in O(log n) depth
    (``lax.associative_scan`` over affine maps): the recurrence behind every ewm statistic."""
    if a.shape[0] == 0:
        return b
    return jax.lax.associative_scan(_affine, (a, b))[1]
