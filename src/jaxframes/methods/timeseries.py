"""Time series: resample, asfreq, tz_localize, tz_convert, at_time, between_time, asof."""

from __future__ import annotations


class FrameTimeSeriesMethods:
    """DataFrame methods: Time series: resample, asfreq, tz_localize, tz_convert, at_time, between_time, asof."""

    __slots__ = ()


class SeriesTimeSeriesMethods:
    """Series methods: Time series: resample, asfreq, tz_localize, tz_convert, at_time, between_time, asof."""

    __slots__ = ()
