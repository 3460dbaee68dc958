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
from jaxframes.executables import jit


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


@functools.partial(jit, static_argnames=("num_slots", "q"))
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


# -- several value columns reduced per group in one pass ---------------------------------------
# A spec per column: (op, acc, nan_null): op "sum" | "min" | "max"; acc the accumulator dtype
# (values are cast to it); nan_null: a NaN value is not present. Each column comes as
# (values, present or None).
_GROUP_REDUCE_OPS = {"sum": 0, "min": 1, "max": 2}
GROUP_REDUCE_INPUTS = (np.dtype(np.float64), np.dtype(np.float32), np.dtype(np.int64), np.dtype(np.int32),
                       np.dtype(np.bool_))
GROUP_REDUCE_ACCS = (np.dtype(np.float64), np.dtype(np.float32), np.dtype(np.int64), np.dtype(np.int32))


def _acc_identity(op: str, acc: np.dtype):
    if op == "sum":
        return 0
    if np.issubdtype(acc, np.floating):
        return np.inf if op == "min" else -np.inf
    info = np.iinfo(acc)
    return info.max if op == "min" else info.min


def group_reduce_jax(ids: jax.Array, live: jax.Array, columns: tuple, specs: tuple, num_slots: int,
                     indices_are_sorted: bool = False) -> tuple:
    """The pure-JAX twin (every backend) of ``group_reduce_native``: per column, absent rows
    filled with the op's identity, then XLA's segment sum/min/max and a segment count.
    Returns ((acc, count) per column)."""
    out = []
    kw = {"num_segments": num_slots, "indices_are_sorted": indices_are_sorted}
    for (values, present), (op, acc, nan_null) in zip(columns, specs):
        ok = live if present is None else live & present
        if nan_null:
            ok = ok & ~jnp.isnan(values)
        acc = np.dtype(acc)
        filled = jnp.where(ok, values.astype(acc), jnp.asarray(_acc_identity(op, acc), acc))
        reduce = {"sum": jax.ops.segment_sum, "min": jax.ops.segment_min, "max": jax.ops.segment_max}[op]
        out.append((reduce(filled, ids, **kw), jax.ops.segment_sum(ok.astype(jnp.int64), ids, **kw)))
    return tuple(out)


def group_reduce_native(ids: jax.Array, live: jax.Array, columns: tuple, specs: tuple, num_slots: int) -> tuple:
    """The C++ path (CPU only, csrc/group_kernels.cc ``jaxframes_group_reduce``): every column
    in one pass over the rows, per-task partials merged at the end."""
    native.require()
    if np.dtype(ids.dtype) not in (np.dtype(np.int32), np.dtype(np.int64)):  # int32 ids go as they are
        ids = ids.astype(jnp.int64)
    args, spec, outs = [ids, live.astype(bool)], [], []
    for (values, present), (op, acc, nan_null) in zip(columns, specs):
        args.append(values)
        if present is not None:
            args.append(present.astype(bool))
        spec += [_GROUP_REDUCE_OPS[op], int(bool(nan_null)), int(present is not None)]
        outs += [jax.ShapeDtypeStruct((num_slots,), np.dtype(acc)), jax.ShapeDtypeStruct((num_slots,), jnp.int64)]
    flat = jax.ffi.ffi_call("jaxframes_group_reduce", tuple(outs), vmap_method="sequential")(
        *args, spec=np.asarray(spec, np.int64))
    return tuple((flat[2 * i], flat[2 * i + 1]) for i in range(len(specs)))


def group_reduce_supported(values_dtype, op: str, acc) -> bool:
    """Whether the C++ kernel takes this column (other dtypes: the twin, or per-column paths)."""
    return (op in _GROUP_REDUCE_OPS and np.dtype(values_dtype) in GROUP_REDUCE_INPUTS
            and np.dtype(acc) in GROUP_REDUCE_ACCS)


@functools.partial(jit, static_argnames=("specs", "num_slots", "indices_are_sorted"))
def group_reduce(ids: jax.Array, live: jax.Array, columns: tuple, specs: tuple, num_slots: int,
                 indices_are_sorted: bool = False) -> tuple:
    """Sum/min/max and the count of present values per group slot for several columns at once
    (ids: slot per row, rows with an id outside [0, num_slots) or not live are skipped): the C++
    kernel on the CPU when every column's dtypes suit it, the twin elsewhere."""
    twin = functools.partial(group_reduce_jax, specs=specs, num_slots=num_slots,
                             indices_are_sorted=indices_are_sorted)
    usable = (native.available() and num_slots > 0 and ids.shape[0] > 0 and bool(specs)
              and all(v.ndim == 1 and group_reduce_supported(v.dtype, op, acc)
                      for (v, _), (op, acc, _) in zip(columns, specs)))
    if not usable:
        return twin(ids, live, columns)
    return jax.lax.platform_dependent(
        ids, live, columns, default=twin,
        cpu=functools.partial(group_reduce_native, specs=specs, num_slots=num_slots))
