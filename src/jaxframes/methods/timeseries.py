"""Time series: resample, asfreq, tz_localize, tz_convert, at_time, between_time, asof."""

from __future__ import annotations

from typing import Any

import numpy as np

from jaxframes import index as idxmod
from jaxframes.joins.assemble import take_fill
from jaxframes.table import Table
from jaxframes.timeseries import frequency, timezones
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

    def asfreq(self, freq: Any, method: Any = None, how: Any = None, normalize: bool = False,
               fill_value: Any = None):
        """The rows at a regular grid of ``freq`` from the first to the last label (pandas'
        asfreq): labels not in the frame give null rows, or the previous/next row's values with
        ``method='ffill'``/``'bfill'``, or ``fill_value``."""
        cols, index = frequency.asfreq(self._table, freq, method, how, normalize, fill_value)
        return self._wrap(Table(cols, index))

    def _shift_freq(self, periods: int, freq: Any):
        """``shift(periods, freq=...)``: the labels move, the values stay."""
        return self._replace_rows(self._row_mask, frequency.shift_index(self._table, int(periods), freq))

    def tz_localize(self, tz: Any, axis: Any = 0, level: Any = None, copy: Any = None,
                    ambiguous: Any = "raise", nonexistent: Any = "raise"):
        """Localize the tz-naive datetime index to ``tz`` (wall-clock labels -> instants);
        ``tz=None`` drops the zone, keeping wall-clock labels. ``ambiguous``: 'raise', 'NaT' or
        a bool per row (True: DST); ``nonexistent``: 'raise', 'NaT', 'shift_forward',
        'shift_backward'. 'infer' and timedelta shifts raise NotImplementedError."""
        index = timezones.localize_index(self._table, tz, axis, level, ambiguous, nonexistent)
        return self._replace_rows(self._row_mask, index)

    def tz_convert(self, tz: Any, axis: Any = 0, level: Any = None, copy: Any = None):
        """Show the tz-aware datetime index's instants in ``tz`` (``None``: naive UTC)."""
        return self._replace_rows(self._row_mask, timezones.convert_index(self._table, tz, axis, level))

    def at_time(self, time: Any, asof: bool = False, axis: Any = None):
        """Rows whose datetime label has this time of day."""
        _axis0(axis)
        return self._and_mask(frequency.at_time(self._table, time, asof))

    def between_time(self, start_time: Any, end_time: Any, inclusive: str = "both", axis: Any = None):
        """Rows whose datetime label's time of day is between ``start_time`` and ``end_time``
        (past midnight when start is later than end)."""
        _axis0(axis)
        return self._and_mask(frequency.between_time(self._table, start_time, end_time, inclusive))


def _axis0(axis: Any) -> None:
    if axis not in (None, 0, "index", "rows"):
        raise NotImplementedError("at_time/between_time on the columns (axis=1)")


class FrameTimeSeriesMethods(_TimeSeriesMethods):
    """DataFrame methods: Time series: resample, asfreq, tz_localize, tz_convert, at_time, between_time, asof."""

    __slots__ = ()


class SeriesTimeSeriesMethods(_TimeSeriesMethods):
    """Series methods: Time series: resample, asfreq, tz_localize, tz_convert, at_time, between_time, asof."""

    __slots__ = ()

    def asof(self, where: Any, subset: Any = None):
        """The last non-null value at or before each label of ``where`` (the index must be
        sorted): a scalar for a scalar ``where``, else a Series indexed by ``where``."""
        if subset is not None:
            raise ValueError("subset is not valid for Series")
        kept, positions, scalar, wanted = frequency.asof_positions(self._table, self._column, where)
        found = np.asarray(positions) >= 0
        col = take_fill(next(iter(kept.columns.values())), positions, not found.all(), self.name)
        if scalar:
            return col.to_host(None)[0] if found[0] else float("nan")
        return self._wrap(Table({self.name: col}, idxmod.from_pandas(wanted)))


