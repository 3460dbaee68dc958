"""Capacity buckets: a stage's input is padded (masked rows) up to a bucketed capacity so that
new data of a similar size reuses the compiled function instead of recompiling."""

from __future__ import annotations

from typing import Any

import jax.numpy as jnp

from jaxframes.sharding import bucket_capacity


def pad_to_bucket(frame: Any) -> Any:
    """The frame with capacity ``bucket_capacity(capacity)``; the padding rows are masked out.
    Sharded frames are returned as is (their capacity is already padded for the mesh)."""
    from jaxframes.frame import DataFrame, _pad_column
    from jaxframes.index import Index, RangeIndex
    if frame._sharding is not None:
        return frame
    capacity = frame._capacity
    target = bucket_capacity(capacity)
    if target == capacity:
        return frame
    extra = target - capacity
    cols = {k: _pad_column(c, extra) for k, c in frame._columns.items()}
    index = frame._index
    if isinstance(index, RangeIndex):
        index = RangeIndex(target, index.start, index.step, index.name)
    elif isinstance(index, Index):
        index = Index(_pad_column(index.column, extra), index.name)
    else:
        return frame  # MultiIndex rows: run unpadded (compiles per size)
    live = jnp.arange(target) < capacity
    mask = live if frame._row_mask is None else jnp.concatenate([frame._row_mask, jnp.zeros(extra, bool)])
    return DataFrame._from_parts(cols, index, mask)
