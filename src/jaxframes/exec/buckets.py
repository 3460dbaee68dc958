"""Capacity buckets: a stage's input is padded (masked rows) up to a bucketed capacity so that
new data of a similar size reuses the compiled function instead of recompiling."""

from __future__ import annotations

from typing import Any

from jaxframes.sharding import bucket_capacity


def pad_to_bucket(frame: Any) -> Any:
    """The frame with capacity ``bucket_capacity(capacity)``; the padding rows are masked out.
    Sharded frames are returned as is (their capacity is already padded for the mesh)."""
    if frame._sharding is not None:
        return frame
    padded = frame._table.pad_to(bucket_capacity(frame._capacity))
    return frame if padded is None else frame._wrap(padded)  # MultiIndex rows: run unpadded
