"""Group-by method groups beyond the core aggregations, one mixin per topic, so helpers of
different topics add methods without growing api.py."""

from __future__ import annotations


class GroupByStatisticsMethods:
    """quantile, idxmax/idxmin, sem, skew, kurt, corr, cov, ngroup, ohlc, value_counts, describe,
    ffill/bfill, pct_change, groups, indices, pipe, sample, take, nlargest/nsmallest, unique."""

    __slots__ = ()


class GroupByWindowMethods:
    """rolling, expanding, ewm and resample per group."""

    __slots__ = ()
