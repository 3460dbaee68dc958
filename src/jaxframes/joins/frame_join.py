"""DataFrame.join: pandas' index-based join, expressed as a merge on the index."""

from __future__ import annotations

from typing import Any

from jaxframes.joins.merge import merge
from jaxframes.table import is_series


def join(left: Any, other: Any, on: Any = None, how: str = "left", lsuffix: str = "",
         rsuffix: str = "", sort: bool = False, validate: Any = None) -> Any:
    """``left.join(other)``: other's index matched with left's index (or left's ``on`` columns)."""
    if is_series(other):
        if other.name is None:
            raise ValueError("Other Series must have a name")
        other = other.to_frame()
    if isinstance(other, (list, tuple)):
        raise NotImplementedError("join with a list of frames")
    if how == "cross":
        return merge(left, other, how="cross", suffixes=(lsuffix, rsuffix), sort=sort, validate=validate)
    return merge(left, other, left_on=on, how=how, left_index=on is None, right_index=True,
                 suffixes=(lsuffix, rsuffix), sort=sort, validate=validate)
