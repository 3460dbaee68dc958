"""Group-by plotting (plot, hist, boxplot): pandas' plots of the same grouping over the live rows."""

from __future__ import annotations

from typing import Any

from jaxframes.io.render import pandas_groupby


class GroupByOutputMethods:
    """DataFrameGroupBy and SeriesGroupBy: plot, hist."""

    @property
    def plot(self) -> Any:
        """pandas' group-by plotting accessor (one plot per group, matplotlib)."""
        return pandas_groupby(self).plot

    def hist(self, *args: Any, **kwargs: Any) -> Any:
        """pandas' histograms per group."""
        return pandas_groupby(self).hist(*args, **kwargs)


class FrameGroupByOutputMethods:
    """DataFrameGroupBy only: boxplot."""

    def boxplot(self, *args: Any, **kwargs: Any) -> Any:
        """pandas' box plots per group."""
        return pandas_groupby(self).boxplot(*args, **kwargs)
