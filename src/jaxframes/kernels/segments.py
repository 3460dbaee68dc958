"""Segmented reductions: one output per segment id.

Ids equal to ``num_segments`` (rows in no group) are dropped by the scatter, so callers never
need to slice. Rows sorted by group pass ``indices_are_sorted=True`` (much faster on GPU);
dense group ids of unsorted rows pass False. Pure jnp: works under jit, vmap and grad.
"""

from __future__ import annotations

import functools

import jax
import jax.numpy as jnp
import numpy as np

from jaxframes.kernels import native
from jaxframes.executables import jit


def _kw(num_segments: int, indices_are_sorted: bool) -> dict:
    return {"num_segments": num_segments, "indices_are_sorted": indices_are_sorted}


_OPS = {"sum": (0, jax.ops.segment_sum), "min": (1, jax.ops.segment_min), "max": (2, jax.ops.segment_max)}
_NATIVE_DTYPES = (jnp.float64, jnp.float32, jnp.int64, jnp.int32)


def segment_reduce_jax(op: str, values: jax.Array, ids: jax.Array, num_segments: int,
                       indices_are_sorted: bool = True) -> jax.Array:
    """The pure-JAX path (every backend): XLA scatter; the reference the C++ kernel matches.

    Rules (XLA's, which the C++ kernel reproduces): integer sums wrap around like numpy's
    (int64 max + 1 == int64 min); float min/max propagate NaN (a segment holding a NaN gives
    NaN: callers that mean "skip nulls" fill them with the identity first) and order -0.0 below
    +0.0; an empty segment gives the identity (0, +inf or int max for min, -inf or int min for max).
    """
    return _OPS[op][1](values, ids, **_kw(num_segments, indices_are_sorted))


def segment_reduce_native(op: str, values: jax.Array, ids: jax.Array, num_segments: int) -> jax.Array:
    """The C++ path (CPU only, csrc/segment_reduce.cc): one pass, per-thread partials."""
    native.require()
    return jax.ffi.ffi_call("jaxframes_segment_reduce", jax.ShapeDtypeStruct((num_segments,), values.dtype),
                            vmap_method="sequential")(values, ids.astype(jnp.int64), op=np.int64(_OPS[op][0]))


@functools.partial(jit, static_argnums=(0, 3, 4))
def _dispatch(op: str, values: jax.Array, ids: jax.Array, num_segments: int, indices_are_sorted: bool) -> jax.Array:
    """One compiled function: called eagerly, ``platform_dependent`` would read its branch index
    back to the host (a sync per reduction)."""
    jax_path = functools.partial(segment_reduce_jax, op, num_segments=num_segments,
                                 indices_are_sorted=indices_are_sorted)
    usable = (native.available() and num_segments > 0 and values.shape[0] > 0 and values.ndim == 1
              and any(values.dtype == d for d in _NATIVE_DTYPES))
    if not usable:
        return jax_path(values, ids)
    return jax.lax.platform_dependent(
        values, ids, cpu=functools.partial(segment_reduce_native, op, num_segments=num_segments), default=jax_path)


@functools.partial(jax.custom_vjp, nondiff_argnums=(0, 3, 4))
def _reduce(op: str, values: jax.Array, ids: jax.Array, num_segments: int, indices_are_sorted: bool) -> jax.Array:
    return _dispatch(op, values, ids, num_segments, indices_are_sorted)


def _reduce_fwd(op, values, ids, num_segments, indices_are_sorted):
    out = _dispatch(op, values, ids, num_segments, indices_are_sorted)
    return out, (values, ids, out)


def _reduce_bwd(op, num_segments, indices_are_sorted, residuals, cotangent):
    """d/dvalues: a sum passes the segment's cotangent to each member; min/max to the members
    equal to the result (as jax.ops.segment_min/max do for ties)."""
    values, ids, out = residuals
    inside = ids < num_segments
    safe = jnp.clip(ids, 0, max(num_segments - 1, 0))
    grad = jnp.where(inside, cotangent[safe], 0) if num_segments else jnp.zeros_like(values)
    if op != "sum" and num_segments:
        hits = inside & (values == out[safe])
        ties = jax.ops.segment_sum(hits.astype(values.dtype), ids, num_segments)
        grad = jnp.where(hits, grad / jnp.maximum(ties[safe], 1), 0)
    return grad.astype(values.dtype), None


_reduce.defvjp(_reduce_fwd, _reduce_bwd)


def _segment_reduce(op: str, values: jax.Array, ids: jax.Array, num_segments: int,
                    indices_are_sorted: bool) -> jax.Array:
    if jnp.issubdtype(values.dtype, jnp.floating):
        return _reduce(op, values, ids, num_segments, indices_are_sorted)
    return _dispatch(op, values, ids, num_segments, indices_are_sorted)


def seg_sum(values: jax.Array, ids: jax.Array, num_segments: int,
            indices_are_sorted: bool = True) -> jax.Array:
    return _segment_reduce("sum", values, ids, num_segments, indices_are_sorted)


def seg_prod(values: jax.Array, ids: jax.Array, num_segments: int,
             indices_are_sorted: bool = True) -> jax.Array:
    return jax.ops.segment_prod(values, ids, **_kw(num_segments, indices_are_sorted))


def seg_min(values: jax.Array, ids: jax.Array, num_segments: int,
            indices_are_sorted: bool = True) -> jax.Array:
    if values.dtype == jnp.bool_:
        return segment_reduce_jax("min", values, ids, num_segments, indices_are_sorted)
    return _segment_reduce("min", values, ids, num_segments, indices_are_sorted)


def seg_max(values: jax.Array, ids: jax.Array, num_segments: int,
            indices_are_sorted: bool = True) -> jax.Array:
    if values.dtype == jnp.bool_:
        return segment_reduce_jax("max", values, ids, num_segments, indices_are_sorted)
    return _segment_reduce("max", values, ids, num_segments, indices_are_sorted)


def seg_count(present: jax.Array, ids: jax.Array, num_segments: int,
              indices_are_sorted: bool = True) -> jax.Array:
    return seg_sum(present.astype(jnp.int64), ids, num_segments, indices_are_sorted)


def seg_first_position(present: jax.Array, ids: jax.Array, num_segments: int, last: bool = False,
                       indices_are_sorted: bool = True) -> jax.Array:
    """Position of the first (or last) present row of each segment; -1 where none."""
    pos = jnp.arange(present.shape[0], dtype=jnp.int64)
    if last:
        found = seg_max(jnp.where(present, pos, -1), ids, num_segments, indices_are_sorted)
        return jnp.maximum(found, -1)
    big = jnp.iinfo(jnp.int64).max
    found = seg_min(jnp.where(present, pos, big), ids, num_segments, indices_are_sorted)
    return jnp.where(found == big, -1, found)


def identity_fill(values: jax.Array, present: jax.Array, identity: float | int | bool) -> jax.Array:
    """Values with absent rows replaced by a reduction's identity (so they cannot contribute)."""
    return jnp.where(present, values, jnp.asarray(identity, dtype=values.dtype))


def lowest(dtype: jnp.dtype):
    return -jnp.inf if jnp.issubdtype(dtype, jnp.floating) else (
        False if dtype == jnp.bool_ else jnp.iinfo(dtype).min)


def highest(dtype: jnp.dtype):
    return jnp.inf if jnp.issubdtype(dtype, jnp.floating) else (
        True if dtype == jnp.bool_ else jnp.iinfo(dtype).max)


# -- count, sum, min, max in one pass (resample's dense bins) ----------------------------------
def segment_stats_jax(values: jax.Array, ids: jax.Array, present: jax.Array, num_segments: int,
                      nan_null: bool) -> tuple[jax.Array, jax.Array, jax.Array, jax.Array]:
    """(count, sum, min, max) of the present values per segment (NaN not present with
    ``nan_null``); empty segments: 0, 0, the min and max identities. The twin of
    ``segment_stats_native``."""
    present = present & ~jnp.isnan(values) if nan_null else present
    kw = _kw(num_segments, False)
    ids = jnp.where(present, ids, num_segments)
    count = jax.ops.segment_sum(present.astype(jnp.int64), ids, **kw)
    total = jax.ops.segment_sum(jnp.where(present, values, 0).astype(values.dtype), ids, **kw)
    low = jax.ops.segment_min(jnp.where(present, values, highest(values.dtype)).astype(values.dtype), ids, **kw)
    high = jax.ops.segment_max(jnp.where(present, values, lowest(values.dtype)).astype(values.dtype), ids, **kw)
    return count, total, low, high


def segment_stats_native(values: jax.Array, ids: jax.Array, present: jax.Array, num_segments: int,
                         nan_null: bool) -> tuple[jax.Array, jax.Array, jax.Array, jax.Array]:
    """The C++ path (CPU only, csrc/segment_stats.cc): one pass for all four, per-task
    partials, Kahan-compensated float sums."""
    native.require()
    shape = jax.ShapeDtypeStruct((num_segments,), values.dtype)
    return jax.ffi.ffi_call("jaxframes_segment_stats",
                            (jax.ShapeDtypeStruct((num_segments,), jnp.int64), shape, shape, shape),
                            vmap_method="sequential")(values, ids.astype(jnp.int64), present.astype(jnp.bool_),
                                                      nan_null=bool(nan_null))


@functools.partial(jit, static_argnames=("num_segments", "nan_null"))
def segment_stats(values: jax.Array, ids: jax.Array, present: jax.Array, num_segments: int,
                  nan_null: bool) -> tuple[jax.Array, jax.Array, jax.Array, jax.Array]:
    """count, sum, min and max of the present values per dense segment id (unsorted ids; ids
    outside [0, num_segments) are skipped): the C++ kernel on the CPU for float64/int64, the
    twin elsewhere."""
    twin = functools.partial(segment_stats_jax, num_segments=num_segments, nan_null=nan_null)
    usable = (native.available() and num_segments > 0 and values.shape[0] > 0 and values.ndim == 1
              and any(values.dtype == d for d in (jnp.float64, jnp.int64)))
    if not usable:
        return twin(values, ids, present)
    return jax.lax.platform_dependent(
        values, ids, present, default=twin,
        cpu=functools.partial(segment_stats_native, num_segments=num_segments, nan_null=nan_null))


# -- segmented scans ---------------------------------------------------------------------------------------------
_SCAN_OPS = {"sum": (0, jnp.add), "prod": (1, jnp.multiply), "min": (2, jnp.minimum), "max": (3, jnp.maximum)}


def segmented_scan_jax(op: str, values: jax.Array, starts: jax.Array) -> jax.Array:
    """The pure-JAX path (every backend): an associative scan of ``op`` that restarts at every
    True in ``starts``; the reference the C++ kernel matches (float sums up to rounding order)."""
    combine_values = _SCAN_OPS[op][1]

    def combine(a, b):
        fa, va = a
        fb, vb = b
        return fa | fb, jnp.where(fb, vb, combine_values(va, vb))
    return jax.lax.associative_scan(combine, (starts, values))[1]


def segmented_scan_native(op: str, values: jax.Array, starts: jax.Array) -> jax.Array:
    """The C++ path (CPU only, csrc/segmented_scan.cc): one sequential pass in row order."""
    native.require()
    return jax.ffi.ffi_call("jaxframes_segmented_scan", jax.ShapeDtypeStruct(values.shape, values.dtype),
                            vmap_method="sequential")(values, starts, op=np.int64(_SCAN_OPS[op][0]))


@functools.partial(jit, static_argnums=0)
def _scan_dispatch(op: str, values: jax.Array, starts: jax.Array) -> jax.Array:
    """One compiled function (see _dispatch). Run eagerly, the twin alone would dispatch ~400 small
    programs; compiled, its scan still takes seconds to compile at 1e5 rows, the kernel does not."""
    jax_path = functools.partial(segmented_scan_jax, op)
    usable = native.available() and values.ndim == 1 and any(values.dtype == d for d in _NATIVE_DTYPES)
    if not usable:
        return jax_path(values, starts)
    return jax.lax.platform_dependent(values, starts, cpu=functools.partial(segmented_scan_native, op),
                                      default=jax_path)


@functools.partial(jax.custom_vjp, nondiff_argnums=(0,))
def _scan_differentiable(op: str, values: jax.Array, starts: jax.Array) -> jax.Array:
    return _scan_dispatch(op, values, starts)


def _scan_fwd(op, values, starts):
    return _scan_dispatch(op, values, starts), (values, starts)


def _scan_bwd(op, residuals, cotangent):
    """The twin's derivative: the kernel computes the same function."""
    values, starts = residuals
    _, vjp = jax.vjp(lambda v: segmented_scan_jax(op, v, starts), values)
    return vjp(cotangent)[0], None


_scan_differentiable.defvjp(_scan_fwd, _scan_bwd)


def segmented_scan(op: str, values: jax.Array, starts: jax.Array) -> jax.Array:
    """Inclusive scan of ``op`` ('sum', 'prod', 'min', 'max') over ``values`` that restarts at every
    True in ``starts`` (the first row always starts a run). Integer sums and products wrap; float
    min/max propagate NaN (callers fill nulls with the identity first)."""
    if values.shape[0] == 0:
        return values
    if jnp.issubdtype(values.dtype, jnp.floating):
        return _scan_differentiable(op, values, starts)
    return _scan_dispatch(op, values, starts)
