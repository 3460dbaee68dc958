"""Time series: resample, asfreq, tz_localize, tz_convert, to_period, to_timestamp, at_time,
between_time, asof."""

from __future__ import annotations

from typing import Any

import jax.numpy as jnp
import numpy as np
import pandas as pd

from jaxframes import dtypes as jdt
from jaxframes import index as idxmod
from jaxframes.column import Column
from jaxframes.joins.assemble import take_fill
from jaxframes.table import Table, make_series
from jaxframes.timeseries import frequency, periods, timezones
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

    def to_period(self, freq: Any = None, axis: Any = 0, copy: Any = None):
        """The DatetimeIndex as a PeriodIndex of ``freq`` (default: the index's frequency, or
        the one pandas infers from the labels; ValueError when there is none). The labels are
        converted on the device (calendar arithmetic on the int64 counts)."""
        return self._replace_rows(self._row_mask, periods.index_to_period(self._table, freq, axis))

    def to_timestamp(self, freq: Any = None, how: Any = "start", axis: Any = 0, copy: Any = None):
        """The PeriodIndex as a DatetimeIndex of each period's first (``how='start'``) or last
        instant (``how='end'``), datetime64[us] as pandas gives it."""
        return self._replace_rows(self._row_mask, periods.index_to_timestamp(self._table, freq, how, axis))

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

    def asof(self, where: Any, subset: Any = None):
        """The last row at or before each label of ``where`` whose ``subset`` columns (default:
        all) are all present (the index must be sorted): a frame indexed by ``where`` (rows with
        no such row are null), or for a scalar ``where`` that row as a Series (float NaN before
        the first label)."""
        names = list(self._columns) if subset is None else (list(subset) if isinstance(subset, (list, tuple))
                                                            else [subset])
        missing = [n for n in names if n not in self._columns]
        if missing:
            raise KeyError(f"{missing!r} not in index" if len(missing) < len(names)
                           else f"None of {missing!r} are in the [columns]")
        usable = jnp.ones(self._capacity, bool)
        for n in names:
            usable = usable & self._columns[n].not_null()
        marker = Column(jnp.where(usable, 0.0, jnp.nan), None, jdt.FLOAT64)
        kept, positions, scalar, wanted = frequency.asof_positions(self._table, marker, where)
        found = np.asarray(positions) >= 0
        if scalar and not found[0]:
            live = self._live_host()
            labels = self._index.to_pandas(live)
            if len(labels) == 0 or wanted[0] < labels[0]:
                return make_series(pd.Series(index=pd.Index(list(self._columns)), name=where, dtype="float64"))
        cols = {n: take_fill(c, positions, not found.all(), n) for n, c in kept.columns.items()}
        out = self._wrap(Table(cols, idxmod.from_pandas(wanted)))
        return out.iloc[-1] if scalar else out


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


