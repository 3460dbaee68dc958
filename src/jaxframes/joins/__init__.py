"""Joins: sort-merge ``merge``, ``merge_asof`` and index-based ``DataFrame.join`` (pandas semantics)."""

from jaxframes.joins.asof import merge_asof as merge_asof
from jaxframes.joins.merge import merge as merge

__all__ = ["merge", "merge_asof"]
