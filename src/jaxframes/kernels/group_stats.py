"""Group statistics in one pass: count, mean, sum of squared deviations (two-pass: the mean
first, then the deviations from it, as pandas' var/std are accurate to) and one quantile per
group (pandas' linear interpolation; q = 0.5 is the mean of the two middle values, as median).

``group_stats(values, ids, present, num_slots, q=None) -> (count, mean, m2, quantile)``:
ids are group slots (unsorted is fine: dense group-by slots), rows with an id outside
[0, num_slots) or not present are skipped. Empty groups: count 0, mean 0, m2 0, quantile NaN.
Without ``q`` the quantile output is all NaN and no per-group ordering is done.

The C++ kernel (csrc/group_kernels.cc: per-thread partial sums, then a counting sort by group
and ``std::nth_element`` per group over the thread pool) runs on the CPU backend; the pure-JAX
twin (scatter sums + one ``lax.sort`` by (group, value)) is the GPU/TPU path and the reference.
"""

from __future__ import annotations

import functools

import jax
import jax.numpy as jnp
import numpy as np

from jaxframes.kernels import native


def group_stats_jax(values: jax.Array, ids: jax.Array, present: jax.Array, num_slots: int,
                    q: float | None = None) -> tuple[jax.Array, jax.Array, jax.Array, jax.Array]:
    x = values.astype(jnp.float64)
    inside = present & (ids >= 0) & (ids < num_slots)
    gid = jnp.where(inside, ids, num_slots).astype(jnp.int64)
    count = jax.ops.segment_sum(inside.astype(jnp.int64), gid, num_slots + 1)[:num_slots]
    total = jax.ops.segment_sum(jnp.where(inside, x, 0.0), gid, num_slots + 1)[:num_slots]
    mean = total / jnp.maximum(count, 1)
    dev = x - jnp.concatenate([mean, jnp.zeros(1)])[gid]
    m2 = jax.ops.segment_sum(jnp.where(inside, dev * dev, 0.0), gid, num_slots + 1)[:num_slots]
    if q is None or x.shape[0] == 0:
        return count, mean, m2, jnp.full(num_slots, jnp.nan)
    sorted_gid, sorted_x = jax.lax.sort((gid, jnp.where(inside, x, 0.0)), num_keys=2)
    start = jnp.cumsum(count) - count
    pos = q * (count - 1).astype(jnp.float64)
    lo = jnp.clip(jnp.floor(pos).astype(jnp.int64), 0, jnp.maximum(count - 1, 0))
    hi = jnp.minimum(lo + 1, jnp.maximum(count - 1, 0))
    n = x.shape[0]
    a = sorted_x[jnp.clip(start + lo, 0, n - 1)]
    b = sorted_x[jnp.clip(start + hi, 0, n - 1)]
    if q == 0.5:
        quant = jnp.where(count % 2 == 1, a, (a + b) / 2)
    else:
        quant = jnp.where(hi == lo, a, a + (b - a) * (pos - lo))
    del sorted_gid
    return count, mean, m2, jnp.where(count > 0, quant, jnp.nan)


def group_stats_native(values: jax.Array, ids: jax.Array, present: jax.Array, num_slots: int,
                       q: float | None = None) -> tuple[jax.Array, jax.Array, jax.Array, jax.Array]:
    native.require()
    f64 = jax.ShapeDtypeStruct((num_slots,), jnp.float64)
    outs = (jax.ShapeDtypeStruct((num_slots,), jnp.int64), f64, f64, f64)
    return jax.ffi.ffi_call("jaxframes_group_sorted_stats", outs, vmap_method="sequential")(
        values.astype(jnp.float64), ids.astype(jnp.int64), present.astype(bool),
        q=np.float64(0.5 if q is None else q), want_q=np.int64(q is not None))


@functools.partial(jax.jit, static_argnames=("num_slots", "q"))
def group_stats(values: jax.Array, ids: jax.Array, present: jax.Array, num_slots: int,
                q: float | None = None) -> tuple[jax.Array, jax.Array, jax.Array, jax.Array]:
    """Dispatch: C++ on the CPU backend, the JAX twin elsewhere (one compiled function)."""
    if q is not None and not 0.0 <= q <= 1.0:
        raise ValueError("quantile q must be between 0 and 1")
    twin = functools.partial(group_stats_jax, num_slots=num_slots, q=q)
    if not native.available() or num_slots == 0 or values.shape[0] == 0:
        return twin(values, ids, present)
    return jax.lax.platform_dependent(values, ids, present, cpu=functools.partial(
        group_stats_native, num_slots=num_slots, q=q), default=twin)
