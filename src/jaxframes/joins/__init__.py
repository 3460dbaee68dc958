"""Joins: sort-merge ``merge`` and index-based ``DataFrame.join`` (pandas semantics)."""

from jaxframes.joins.merge import merge as merge

__all__ = ["merge"]
