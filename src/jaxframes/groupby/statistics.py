"""Per-group statistics on the shared Grouping: segmented kernels, not a loop per group.

sem, skew, kurt (segmented central moments), quantile (within-group sort, pandas'
interpolations), idxmax/idxmin (first row holding the segment's extreme), ffill/bfill
(a segmented scan of the last present row), ngroup, and the per-row null rule for rows whose
key is null. Results are pandas' dtypes (float64 for ints, Float64 for masked input, float32
kept where pandas keeps it).
"""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from jaxframes import dtypes as jdt
from jaxframes.column import Column
from jaxframes.facts import any_live, is_traced
from jaxframes.groupby.aggregations import (AGGREGATIONS, _gathered, _refuse, _result, _within_group_sort,
                                            agg_count)
from jaxframes.groupby.grouper import Grouping
from jaxframes.groupby.scans import _run_starts, _unsort
from jaxframes.kernels import segments as seg
from jaxframes.ops.elementwise import with_nulls_where
from jaxframes.sync import device_get

_EPS = float(np.finfo(np.float64).eps)


def _moment_dtype(dtype: jdt.DType, keep_f32: bool = True) -> jdt.DType:
    if dtype.masked:
        return jdt.NFLOAT64
    return jdt.FLOAT32 if keep_f32 and dtype == jdt.FLOAT32 else jdt.FLOAT64


def agg_sem(col: Column, g: Grouping, ddof: int = 1) -> Column:
    std = AGGREGATIONS["std"](col, g, ddof=ddof)
    count = agg_count(col, g).data
    data = (std.data.astype(jnp.float64) / jnp.sqrt(jnp.maximum(count, 1))).astype(std.data.dtype)
    return std.replace(data=data)


def _no_group(g: Grouping) -> bool:
    """No group at all (a host sync when the count is on device; inside jit: assumed some)."""
    if isinstance(g.num_groups, int):
        return g.num_groups == 0
    if g.num_slots == 0:
        return True
    return not is_traced(g.num_groups) and int(device_get(g.num_groups)) == 0


def agg_moment(col: Column, g: Grouping, op: str) -> Column:
    """skew (G1) / kurt (G2) per group; NaN below 3 / 4 values or for a constant group."""
    _refuse(col, op, "bif")
    values, present = _gathered(col, g)
    x = jnp.where(present, values.astype(jnp.float64), 0.0)
    ids, slots, srt = g.ids, g.num_slots, g.sorted_ids
    n = seg.seg_sum(present.astype(jnp.float64), ids, slots, srt)
    mean = seg.seg_sum(x, ids, slots, srt) / jnp.maximum(n, 1.0)
    safe = jnp.clip(ids, 0, max(slots - 1, 0))
    dev = jnp.where(present, x - (mean[safe] if slots else 0.0), 0.0)
    m2 = seg.seg_sum(dev * dev, ids, slots, srt)
    flat = m2 <= n * (4 * _EPS * jnp.abs(mean)) ** 2
    m2s = jnp.where(flat, 1.0, m2)
    if op == "skew":
        m3 = seg.seg_sum(dev * dev * dev, ids, slots, srt)
        value = n * jnp.sqrt(jnp.maximum(n - 1, 0.0)) / jnp.where(n > 2, n - 2, 1.0) * m3 / m2s ** 1.5
        ok = (n >= 3) & ~flat
    else:
        m4 = seg.seg_sum((dev * dev) ** 2, ids, slots, srt)
        d = jnp.where(n > 3, (n - 2) * (n - 3), 1.0)
        value = n * (n + 1) * (n - 1) * m4 / (d * m2s * m2s) - 3 * (n - 1) ** 2 / d
        ok = (n >= 4) & ~flat
    if _no_group(g):  # pandas: no group at all keeps the column's dtype (int64, bool, Int64, ...)
        return _result(g, value.astype(col.dtype.storage), None, col.dtype)
    dtype = _moment_dtype(col.dtype)
    return _result(g, value.astype(dtype.storage), ok, dtype)


_INTERPOLATIONS = ("linear", "lower", "higher", "midpoint", "nearest")


def agg_quantile(col: Column, g: Grouping, q: float, interpolation: str = "linear") -> Column:
    if interpolation not in _INTERPOLATIONS:
        raise ValueError(f"interpolation must be one of {_INTERPOLATIONS}, got {interpolation!r}")
    if col.dtype.kind in "Mm":
        raise NotImplementedError("groupby.quantile of datetimes/timedeltas")
    if col.dtype.kind not in "if" or col.dtype.kind == "b":
        raise TypeError(f"dtype '{col.dtype}' does not support operation 'quantile'")
    g = g.as_sorted()
    values, present, ids = _within_group_sort(col, g)
    count = seg.seg_count(present, ids, g.num_slots)
    start = seg.seg_first_position(jnp.ones_like(present), ids, g.num_slots)
    x = values.astype(jnp.float64)
    if x.shape[0] == 0:
        out = jnp.zeros(g.num_slots)
    else:
        pos = q * (count - 1).astype(jnp.float64)
        lo = jnp.floor(pos).astype(jnp.int64)
        hi = jnp.ceil(pos).astype(jnp.int64)
        frac = pos - lo
        x_lo = x[jnp.clip(start + lo, 0)]
        x_hi = x[jnp.clip(start + hi, 0)]
        if interpolation == "linear":
            out = x_lo + (x_hi - x_lo) * frac
        elif interpolation == "lower":
            out = x_lo
        elif interpolation == "higher":
            out = x_hi
        elif interpolation == "midpoint":
            out = (x_lo + x_hi) / 2
        else:  # nearest: numpy rounds half to even on the position
            nearest = jnp.round(pos).astype(jnp.int64)
            out = x[jnp.clip(start + nearest, 0)]
    if interpolation in ("lower", "higher", "nearest") and col.dtype.kind == "i":
        # a value of the column itself: pandas keeps the integer dtype
        present = count > 0 if col.dtype.masked else None
        return _result(g, jnp.round(out).astype(col.dtype.storage), present, col.dtype)
    dtype = _moment_dtype(col.dtype, keep_f32=False)
    return _result(g, out.astype(dtype.storage), count > 0, dtype)


def arg_extreme_rows(col: Column, g: Grouping, largest: bool, skipna: bool) -> tuple[jax.Array, jax.Array, jax.Array]:
    """(original row of each group's first extreme value, group has a value, group has a null)."""
    what = "idxmax" if largest else "idxmin"
    if col.dtype.kind == "U":  # pandas orders strings here
        raise NotImplementedError(f"groupby.{what} of {col.dtype} columns")
    if col.dtype.kind not in "bifMm":
        raise TypeError(f"dtype '{col.dtype}' does not support operation '{what}'")
    values, present = _gathered(col, g)
    in_group = g.live_sorted
    ident = seg.lowest(values.dtype) if largest else seg.highest(values.dtype)
    filled = jnp.where(present, values, jnp.asarray(ident, values.dtype))
    fn = seg.seg_max if largest else seg.seg_min
    ext = fn(filled, g.ids, g.num_slots, g.sorted_ids)
    safe = jnp.clip(g.ids, 0, max(g.num_slots - 1, 0))
    hit = present & (values == (ext[safe] if g.num_slots else values))
    pos = seg.seg_first_position(hit, g.ids, g.num_slots, indices_are_sorted=g.sorted_ids)
    rows = pos if g.perm is None else g.perm[jnp.clip(pos, 0)]
    has_value = seg.seg_count(present, g.ids, g.num_slots, g.sorted_ids) > 0
    has_null = seg.seg_count(in_group & ~present, g.ids, g.num_slots, g.sorted_ids) > 0
    return g.finish(rows), g.finish(has_value), g.finish(has_null)


def group_fill(col: Column, g: Grouping, forward: bool, limit: Any = None) -> Column:
    """ffill/bfill within each group: each null takes the nearest present value before (after)
    it in its group; ``limit`` bounds how many nulls in a row are filled."""
    if limit is not None and (not isinstance(limit, (int, np.integer)) or limit <= 0):
        raise ValueError("Limit must be greater than 0")
    g = g.as_sorted()
    present = col.not_null()[g.perm] & g.live_sorted
    n = present.shape[0]
    idx = jnp.arange(n)
    if not forward:
        present, ids = present[::-1], g.ids[::-1]
    else:
        ids = g.ids
    marks = jnp.where(present, idx, -1)
    last = seg.segmented_scan("max", marks, _run_starts(ids))
    ok = last >= 0
    if limit is not None:
        ok = ok & (idx - last <= limit)
    src = jnp.where(ok, last, idx)
    if not forward:
        src, ok = (n - 1 - src)[::-1], ok[::-1]
    rows = g.perm[src]
    filled_rows = _unsort(g, rows)
    filled_ok = _unsort(g, ok)
    out = col.take(filled_rows)
    if col.dtype.has_validity:
        return out.replace(validity=filled_ok & out.not_null())
    if col.dtype.kind == "f":
        return out.replace(data=jnp.where(filled_ok, out.data, jnp.nan))
    return out


def null_where_ungrouped(col: Column, frame: Any, keys: list, dropna: bool) -> Column:
    """Rows whose key is null (no group) get a null result, as pandas gives (int -> float64
    only when such a live row exists)."""
    nullable = [frame._columns[k] for k in keys
                if frame._columns[k].dtype.has_validity or frame._columns[k].dtype.kind == "f"]
    if not dropna or not nullable:
        return col
    keyed = jnp.ones(frame._capacity, bool)
    for key_col in nullable:
        keyed = keyed & key_col.not_null()
    if not any_live("groupby rows without a group", ~keyed, frame._live(), in_jit=True):
        return col
    return with_nulls_where(col, ~keyed)


def ngroup(g: Grouping, ascending: bool) -> Column:
    ids = g.row_groups().astype(jnp.int64)
    if not ascending:
        ids = g.num_groups - 1 - ids
    return Column(ids, None, jdt.INT64)


def pairwise_per_group(cols: list[Column], g: Grouping, what: str, ddof: int, min_periods: int) -> jax.Array:
    """Per group, the k x k matrix of Pearson correlations (what='corr') or covariances over the
    rows where both columns are present: one segmented sum of outer products (G x k x k).
    Covariance uses ``ddof`` in a group without missing values and 1 otherwise (pandas'
    DataFrame.cov rule, applied per group)."""
    for c in cols:
        if c.dtype.kind not in "biuf":
            raise TypeError(f"dtype '{c.dtype}' does not support operation '{what}'")
    x = jnp.stack([g.gather(c.data).astype(jnp.float64) for c in cols], axis=1)
    m = jnp.stack([g.gather(c.not_null()) & g.live_sorted for c in cols], axis=1)
    center = jnp.sum(jnp.where(m, x, 0.0), axis=0) / jnp.maximum(jnp.sum(m, axis=0), 1)
    xm = jnp.where(m, x - center, 0.0)
    mf = m.astype(jnp.float64)

    def ssum(v):
        return seg.seg_sum(v, g.ids, g.num_slots, g.sorted_ids)

    nobs = ssum(mf[:, :, None] * mf[:, None, :])
    si = ssum(xm[:, :, None] * mf[:, None, :])
    sj = jnp.swapaxes(si, 1, 2)
    sxy = ssum(xm[:, :, None] * xm[:, None, :])
    sxx = ssum((xm * xm)[:, :, None] * mf[:, None, :])
    syy = jnp.swapaxes(sxx, 1, 2)
    n = jnp.maximum(nobs, 1.0)
    cross = sxy - si * sj / n
    if what == "corr":
        vx = jnp.maximum(sxx - si * si / n, 0.0)
        vy = jnp.maximum(syy - sj * sj / n, 0.0)
        divisor = jnp.sqrt(vx * vy)
        out = jnp.where(divisor > 0, cross / jnp.where(divisor > 0, divisor, 1.0), jnp.nan)
        out = jnp.clip(out, -1.0, 1.0)
    else:
        in_group = g.live_sorted
        incomplete = ssum((in_group[:, None] & ~m).any(axis=1).astype(jnp.float64)) > 0
        d = jnp.where(incomplete, 1.0, float(ddof))[:, None, None]
        out = jnp.where(nobs - d > 0, cross / jnp.where(nobs - d > 0, nobs - d, 1.0), jnp.nan)
    out = jnp.where(nobs < min_periods, jnp.nan, out)
    return g.finish(out)
