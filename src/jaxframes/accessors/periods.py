"""``Series.dt`` of a period Series (``period[freq]``): fields and conversions, as pandas'
PeriodProperties.

The ordinals are turned into calendar values on device (periods.py): a field is read from the
period's last day for calendar frequencies (``period[M]`` of 2024-01 has day 31), from its start
for ticks, as pandas does; NaT rows give -1 (pandas 3's int64 fields of a PeriodArray).
``start_time``/``end_time``/``to_timestamp`` give datetime64[us] (ns for ``period[ns]``), NaT
for NaT. ``strftime`` formats each distinct period once on the host. Frequencies without
calendar arithmetic (multiples such as '2D', business days) raise NotImplementedError.
"""

from __future__ import annotations

import warnings
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
import pandas as pd

from jaxframes import column as colmod
from jaxframes import dtypes as jdt
from jaxframes import periods
from jaxframes.column import Column
from jaxframes.table import is_traced
from jaxframes.timeseries.periods import asfreq, to_timestamp

class DeprecatedDayAliases:
    """pandas 3's deprecated spellings of the day fields, shared by the datetime and period
    ``.dt`` accessors: they warn as pandas does and read the new field."""

    __slots__ = ()

    @property
    def dayofweek(self) -> Any:
        _deprecated("dayofweek", "day_of_week")
        return self.day_of_week

    @property
    def weekday(self) -> Any:
        _deprecated("weekday", "day_of_week")
        return self.day_of_week

    @property
    def dayofyear(self) -> Any:
        _deprecated("dayofyear", "day_of_year")
        return self.day_of_year


class PeriodProperties(DeprecatedDayAliases):
    """``s.dt`` of a period Series."""

    def __init__(self, series: Any):
        self._series = series

    @property
    def _col(self) -> Column:
        return self._series._column

    def _wrap(self, col: Column) -> Any:
        return self._series._with_column(col)

    def _reference(self, name: str) -> tuple[jax.Array, jax.Array]:
        return periods.reference(self._col.data, self._col.dtype.freq, f"Series.dt.{name}")

    def _field(self, values: jax.Array) -> Any:
        return self._wrap(Column(jnp.where(self._col.not_null(), values.astype(jnp.int64), -1), None, jdt.INT64))

    def _ymd(self, name: str) -> tuple[jax.Array, jax.Array, jax.Array]:
        return periods.civil_from_days(self._reference(name)[0])

    @property
    def year(self) -> Any:
        return self._field(self._ymd("year")[0])

    @property
    def month(self) -> Any:
        return self._field(self._ymd("month")[1])

    @property
    def day(self) -> Any:
        return self._field(self._ymd("day")[2])

    @property
    def hour(self) -> Any:
        return self._field(self._reference("hour")[1] // 3600)

    @property
    def minute(self) -> Any:
        return self._field(self._reference("minute")[1] // 60 % 60)

    @property
    def second(self) -> Any:
        return self._field(self._reference("second")[1] % 60)

    @property
    def quarter(self) -> Any:
        family, _ = periods.calendar(self._col.dtype.freq, "Series.dt.quarter")
        if family == "Q":  # the fiscal quarter
            return self._field(self._col.data % 4 + 1)
        return self._field((self._ymd("quarter")[1] - 1) // 3 + 1)

    @property
    def qyear(self) -> Any:
        family, _ = periods.calendar(self._col.dtype.freq, "Series.dt.qyear")
        if family == "Q":  # the fiscal year the quarter belongs to
            return self._field(self._col.data // 4 + 1970)
        return self._field(self._ymd("qyear")[0])

    @property
    def day_of_week(self) -> Any:
        return self._field((self._reference("day_of_week")[0] + 3) % 7)

    @property
    def day_of_year(self) -> Any:
        days = self._reference("day_of_year")[0]
        year = periods.civil_from_days(days)[0]
        one = jnp.ones_like(year)
        return self._field(days - periods.days_from_civil(year, one, one) + 1)

    @property
    def week(self) -> Any:
        """The ISO week number of the period's reference day."""
        days = self._reference("week")[0]
        thursday = days - (days + 3) % 7 + 3
        iso_year = periods.civil_from_days(thursday)[0]
        one = jnp.ones_like(iso_year)
        return self._field((thursday - periods.days_from_civil(iso_year, one, one)) // 7 + 1)

    weekofyear = week

    @property
    def days_in_month(self) -> Any:
        year, month, _ = self._ymd("days_in_month")
        first = periods.days_from_civil(year, month, jnp.ones_like(month))
        following = periods.days_from_civil(year + month // 12, month % 12 + 1, jnp.ones_like(month))
        return self._field(following - first)

    @property
    def daysinmonth(self) -> Any:
        _deprecated("daysinmonth", "days_in_month")
        return self.days_in_month

    @property
    def is_leap_year(self) -> Any:
        year = self._ymd("is_leap_year")[0]
        leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
        return self._wrap(Column(leap & self._col.not_null(), None, jdt.BOOL))

    @property
    def freq(self) -> Any:
        return pd.PeriodDtype(self._col.dtype.freq).freq

    @property
    def start_time(self) -> Any:
        return self._wrap(to_timestamp(self._col, None, "start"))

    @property
    def end_time(self) -> Any:
        return self._wrap(to_timestamp(self._col, None, "end"))

    def to_timestamp(self, freq: Any = None, how: Any = "start") -> Any:
        return self._wrap(to_timestamp(self._col, freq, how))

    def asfreq(self, freq: Any = None, how: Any = "E") -> Any:
        return self._wrap(asfreq(self._col, freq, how))

    def strftime(self, date_format: str) -> Any:
        """Format each distinct period once on the host (pandas' Period.strftime)."""
        series, col = self._series, self._col
        if is_traced(col.data, series._row_mask):
            raise NotImplementedError("Series.dt.strftime inside jax.jit")
        live = np.asarray(series._live() & col.not_null())
        distinct = np.unique(np.asarray(col.data)[live])
        formatted = pd.Series(pd.PeriodIndex(colmod.host_array(distinct, None, col.dtype, None))
                              .strftime(date_format))
        table = colmod.from_pandas_series(
            pd.concat([formatted.astype("str"), pd.Series([np.nan], dtype="str")], ignore_index=True))
        position = jnp.clip(jnp.searchsorted(jnp.asarray(distinct), col.data), 0, max(len(distinct) - 1, 0))
        return self._wrap(table.take(jnp.where(col.not_null(), position, len(distinct))))


def _deprecated(old: str, new: str) -> None:
    warnings.warn(f"Series.dt.{old} is deprecated and will be removed in a future version. "
                  f"Use Series.dt.{new} instead.", pd.errors.Pandas4Warning, stacklevel=3)
