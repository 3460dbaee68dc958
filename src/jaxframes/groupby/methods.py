"""Group-by method groups beyond the core aggregations, one mixin per topic, so helpers of
different topics add methods without growing api.py."""

from __future__ import annotations

from typing import Any


class GroupByStatisticsMethods:
    """quantile, idxmax/idxmin, sem, skew, kurt, corr, cov, ngroup, ohlc, value_counts, describe,
    ffill/bfill, pct_change, groups, indices, pipe, sample, take, nlargest/nsmallest, unique."""

    __slots__ = ()


class GroupByWindowMethods:
    """rolling, expanding, ewm and resample per group."""

    __slots__ = ()

    # windows per group: not built yet (the kernels take per-group bounds already: sort the rows
    # by group, clip each window's start to its group's first row, wrap with a MultiIndex)
    def rolling(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError("groupby(...).rolling(...) is not supported yet")

    def expanding(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError("groupby(...).expanding(...) is not supported yet")

    def ewm(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError("groupby(...).ewm(...) is not supported yet")
