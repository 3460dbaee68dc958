"""Reshaping on top of the group-by: pivot_table, pivot, melt, crosstab."""

from jaxframes.reshape.crosstab import crosstab as crosstab
from jaxframes.reshape.melt import melt as melt
from jaxframes.reshape.pivot import pivot as pivot
from jaxframes.reshape.pivot import pivot_table as pivot_table

__all__ = ["crosstab", "melt", "pivot", "pivot_table"]
