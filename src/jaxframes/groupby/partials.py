"""Partial aggregates: a group-by aggregation split into a per-part step and a merge step.

A part (a device's rows, a streamed batch) reduces its rows to a few partial columns per group;
partials of the same group from any number of parts merge into the final value. This is the one
combine step shared by the distributed group-by (distributed/groupby.py: local pre-aggregation,
exchange of partials, merge) and the streaming group-by (exec/streaming.py: per batch).

- sum, prod, min, max, any, all, first, last merge with themselves (first/last need the parts'
  partials in row order: part 0's before part 1's);
- count and size merge by summing;
- mean from (sum, count); var and std from (count, mean, M2) by Chan's formula
  (``merge_moments``): M2 = sum M2_i + sum n_i (mean_i - mean)^2, mean the count-weighted mean.

median, nunique and sum/prod with ``min_count`` are not decomposable here (``decomposable`` says
so): their callers move the rows instead.
"""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp

from jaxframes.column import Column
from jaxframes.groupby.aggregations import AGGREGATIONS, _fused_reduce, _stats, group_sizes
from jaxframes.groupby.grouper import Grouping
from jaxframes.kernels import segments as seg

#: how -> the partial kinds a part produces for it
PARTIALS: dict[str, tuple[str, ...]] = {
    "sum": ("sum",), "prod": ("prod",), "min": ("min",), "max": ("max",), "any": ("any",),
    "all": ("all",), "first": ("first",), "last": ("last",), "count": ("count",), "size": ("size",),
    "mean": ("fsum", "count"), "var": ("count", "mean", "m2"), "std": ("count", "mean", "m2"),
}
_SELF_MERGING = ("sum", "prod", "min", "max", "any", "all", "first", "last")


def decomposable(how: str, kwargs: dict[str, Any], col: Column | None) -> bool:
    """Whether ``how`` (with these keyword arguments, on this column) merges from partials."""
    if how not in PARTIALS:
        return False
    if how in ("sum", "prod") and kwargs.get("min_count", 0) != 0:
        return False
    if set(kwargs) - {"min_count", "ddof"}:
        return False
    if col is not None and how in ("mean", "var", "std") and col.dtype.kind not in "bif":
        return False
    return True


def partial_columns(col: Column | None, g: Grouping, how: str, kwargs: dict[str, Any]) -> dict[str, Column]:
    """The partial columns (one value per group, output order) of ``how`` over one part."""
    out: dict[str, Column] = {}
    for kind in PARTIALS[how]:
        if kind == "size":
            out[kind] = group_sizes(g)
        elif kind == "count":
            out[kind] = AGGREGATIONS["count"](col, g)
        elif kind == "fsum":
            total, _ = _fused_reduce(col, g, "sum", 0, jnp.float64)
            out[kind] = Column(g.finish(total))
        elif kind in ("mean", "m2"):
            count, mean, m2, _ = _stats(col, g, None)
            ok = count > 0
            out["mean"] = Column(g.finish(jnp.where(ok, mean, 0.0).astype(jnp.float64)))
            out["m2"] = Column(g.finish(jnp.where(ok, m2, 0.0).astype(jnp.float64)))
        else:
            out[kind] = AGGREGATIONS[kind](col, g)
    return out


def _per_group(values: jax.Array, g: Grouping, op: str = "sum") -> jax.Array:
    """A segmented reduction of per-row values (absent rows give the identity), output order."""
    gathered = g.gather(values)
    fill = jnp.zeros((), gathered.dtype)
    reduced = seg.seg_sum(jnp.where(g.live_sorted, gathered, fill), g.ids, g.num_slots, g.sorted_ids)
    return g.finish(reduced)


def merge_moments(count: Column, mean: Column, m2: Column, g: Grouping) -> tuple[jax.Array, jax.Array, jax.Array]:
    """Chan's merge of (count, mean, M2) partials, one row per part and group, into per-group
    (count, mean, M2) in output order. Parts with a zero count contribute nothing."""
    n = jnp.where(count.not_null(), count.data, 0).astype(jnp.int64)
    nf = n.astype(jnp.float64)
    mu = jnp.where(n > 0, mean.data.astype(jnp.float64), 0.0)
    total = _per_group(n, g)
    grand = _per_group(nf * mu, g) / jnp.maximum(total, 1)
    # the grand mean back on each part's row, to measure its spread from it
    row_group = g.row_groups()
    back = grand[jnp.clip(row_group, 0, max(grand.shape[0] - 1, 0))] if grand.shape[0] else jnp.zeros_like(mu)
    spread = jnp.where(n > 0, m2.data.astype(jnp.float64) + nf * (mu - back) ** 2, 0.0)
    return total, grand, _per_group(spread, g)


def _like(template: Column, data: jax.Array, present: jax.Array | None) -> Column:
    """Per-group values shaped as ``template`` (dtype, dictionary, null representation)."""
    dtype = template.dtype
    data = data.astype(template.data.dtype)
    if dtype.has_validity:
        return Column(data, jnp.ones(data.shape, bool) if present is None else present, dtype, template.dictionary)
    if present is not None and dtype.kind == "f":
        return Column(jnp.where(present, data, jnp.nan).astype(data.dtype), None, dtype)
    return Column(data, None, dtype, template.dictionary)


def merge_column(parts: dict[str, Column], g: Grouping, how: str, kwargs: dict[str, Any],
                 template: Column) -> Column:
    """The final per-group value of ``how`` from the partial columns of every part, grouped by
    ``g`` (sort order of the parts within a group: row order), shaped like ``template`` (the
    column the one-part aggregation returns)."""
    if how in _SELF_MERGING:
        merged = AGGREGATIONS[how](parts[how], g)
        return _like(template, merged.data, None if merged.validity is None else merged.validity)
    if how in ("count", "size"):
        merged = AGGREGATIONS["sum"](parts[how], g)
        return _like(template, merged.data, None)
    if how == "mean":
        total = _per_group(parts["fsum"].data, g)
        count = _per_group(parts["count"].data.astype(jnp.int64), g)
        return _like(template, total / jnp.maximum(count, 1), count > 0)
    ddof = kwargs.get("ddof", 1)
    count, _, m2 = merge_moments(parts["count"], parts["mean"], parts["m2"], g)
    var = m2 / jnp.maximum(count - ddof, 1)
    return _like(template, jnp.sqrt(var) if how == "std" else var, count > ddof)


__all__ = ["PARTIALS", "decomposable", "partial_columns", "merge_column", "merge_moments"]
