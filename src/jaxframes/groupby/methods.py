"""Group-by method groups beyond the core aggregations, one mixin per topic, so helpers of
different topics add methods without growing api.py."""

from __future__ import annotations

from typing import Any

from jaxframes.timeseries import resample as _resample


class GroupByStatisticsMethods:
    """quantile, idxmax/idxmin, sem, skew, kurt, corr, cov, ngroup, ohlc, value_counts, describe,
    ffill/bfill, pct_change, groups, indices, pipe, sample, take, nlargest/nsmallest, unique."""

    __slots__ = ()


class GroupByWindowMethods:
    """rolling, expanding, ewm and resample per group."""

    __slots__ = ()

    def resample(self, rule: Any, *args: Any, closed: Any = None, label: Any = None, on: Any = None,
                 level: Any = None, origin: Any = "start_day", offset: Any = None, include_groups: bool = False,
                 **kwargs: Any):
        """Resample each group's rows on its own time bins (fixed rules); the result is indexed
        by the group keys and the bin labels, as pandas' ``groupby(...).resample(...)``."""
        if args or kwargs:
            raise NotImplementedError("groupby().resample with positional or extra keyword arguments")
        if include_groups:
            raise NotImplementedError("groupby().resample(include_groups=True)")
        if not self._as_index:
            raise NotImplementedError("groupby(as_index=False).resample")
        return _resample.grouped_resample(self, rule, closed=closed, label=label, on=on, level=level,
                                          origin=origin, offset=offset)
