"""Time series: resample, asfreq, tz_localize, tz_convert, at_time, between_time, asof."""

from __future__ import annotations

from typing import Any

from jaxframes.timeseries.resample import Resampler, resample


class _TimeSeriesMethods:
    """What DataFrame and Series share."""

    __slots__ = ()

    def resample(self, rule: Any, closed: Any = None, label: Any = None, convention: Any = "start",
                 on: Any = None, level: Any = None, origin: Any = "start_day", offset: Any = None,
                 group_keys: bool = False) -> Resampler:
        """Group rows into time bins of ``rule`` ('1h', '15min', 'D', 'W', 'ME', ...) over the
        datetime index or the column ``on``; aggregate with ``.sum()``, ``.agg({...})``,
        ``.ohlc()``, ... Bins, labels (closed/label/origin/offset) and empty bins are pandas'.
        Downsampling only: upsampling methods (ffill, interpolate) raise NotImplementedError."""
        return resample(self, rule, closed=closed, label=label, on=on, level=level, origin=origin,
                        offset=offset, convention=convention, group_keys=group_keys)


class FrameTimeSeriesMethods(_TimeSeriesMethods):
    """DataFrame methods: Time series: resample, asfreq, tz_localize, tz_convert, at_time, between_time, asof."""

    __slots__ = ()


class SeriesTimeSeriesMethods(_TimeSeriesMethods):
    """Series methods: Time series: resample, asfreq, tz_localize, tz_convert, at_time, between_time, asof."""

    __slots__ = ()
