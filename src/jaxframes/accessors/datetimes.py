"""``Series.dt``: calendar fields and rounding of datetime64 / timedelta64 columns of any unit.

The values are int64 counts of the dtype's unit (s, ms, us or ns) on device; every field is
integer arithmetic on them in that unit, never a conversion to nanoseconds (which would overflow
far from 1970), with the same integer algorithms for every unit (the
civil-from-days algorithm of H. Hinnant for year/month/day), so it runs under ``jax.jit`` and
on any backend. Null (NaT) rows give NaN for numeric fields and False for boolean ones, as in
pandas; integer fields are int32 (days of a timedelta: int64) and turn float64 only when a live
row is null, which is pandas' data-dependent rule (it needs the null count: not inside jit).
"""

from __future__ import annotations

import functools
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
import pandas as pd

from jaxframes import column as colmod
from jaxframes import dtypes as jdt
from jaxframes.column import Column
from jaxframes.executables import jit
from jaxframes.accessors.periods import DeprecatedDayAliases, PeriodProperties
from jaxframes.periods import civil_from_days, days_from_civil  # noqa: F401  (re-exported here)
from jaxframes.table import is_traced
from jaxframes.timeseries import periods, timezones

NS_PER_SECOND = 1_000_000_000
NS_PER_DAY = 86_400 * NS_PER_SECOND
SECONDS_PER_DAY = 86_400
_DAYS_IN_MONTH = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype=np.int64)


def dt_accessor(series: Any) -> "DatetimeProperties | TimedeltaProperties | PeriodProperties":
    """The ``.dt`` namespace matching the Series' dtype; AttributeError otherwise (as pandas)."""
    kind = series._column.dtype.kind
    if kind == "M":
        return DatetimeProperties(series)
    if kind == "m":
        return TimedeltaProperties(series)
    if kind == "P":
        return PeriodProperties(series)
    raise AttributeError("Can only use .dt accessor with datetimelike values")


# -- pure integer calendar arithmetic (usable on its own, jit-friendly) ----------------------
def is_leap(year: jax.Array) -> jax.Array:
    return (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))


def days_in_month(year: jax.Array, month: jax.Array) -> jax.Array:
    return jnp.asarray(_DAYS_IN_MONTH)[month] + ((month == 2) & is_leap(year))


@functools.partial(jax.jit, static_argnames=("step",))
def floor_multiple(values: jax.Array, step: int) -> jax.Array:
    """``values // step * step`` in one compiled pass, without an int64 division per row for
    steps of 4096 and more: the float64 quotient is within one of the floor (|values| < 2**63,
    so its error is below 2**63 / 4096 * 3 * 2**-53 < 1), and one exact int64 remainder test
    corrects it."""
    if step < 4096:
        return values // step * step
    quotient = jnp.floor(values.astype(jnp.float64) * (1.0 / step)).astype(jnp.int64)
    rest = values - quotient * step
    quotient = quotient - (rest < 0) + (rest >= step)
    return quotient * step


@functools.partial(jit, static_argnames=("step",))
def _floored_naive(values: jax.Array, validity: jax.Array | None, step: int) -> jax.Array:
    """``floor_multiple`` with NaT rows zeroed, as one compiled pass: op by op, each of its ~12
    steps wrote a full-length array (a 1e7-row floor took ~200 ms instead of ~20)."""
    floored = floor_multiple(values, step)
    return floored if validity is None else jnp.where(validity, floored, 0)


class _Properties:
    def __init__(self, series: Any):
        self._series = series

    @property
    def _ns(self) -> jax.Array:
        """The raw int64 counts (of ``_per_second`` steps per second)."""
        return self._series._column.data

    @property
    def _per_second(self) -> int:
        return jdt.PER_SECOND[self._series._column.dtype.unit]

    @property
    def _per_day(self) -> int:
        return SECONDS_PER_DAY * self._per_second

    def _nanos_in_second(self, values: jax.Array) -> jax.Array:
        """Nanoseconds past the whole second (below 10**9, so exact in int64 for every unit)."""
        return values % self._per_second * (NS_PER_SECOND // self._per_second)

    def _steps(self, freq: Any) -> int:
        """A fixed frequency in steps of the unit: pandas leaves values as they are when the
        frequency is finer than the unit, and refuses one that is not a whole number of steps."""
        nanos = _fixed_nanos(freq)
        unit = self._series._column.dtype.unit
        step = NS_PER_SECOND // jdt.PER_SECOND[unit]
        if nanos < step:
            return 1
        if nanos % step:
            raise ValueError(f"freq={pd.tseries.frequencies.to_offset(freq)!r} is incompatible with "
                             f"unit={unit}. Use a lower freq or a higher unit instead.")
        return nanos // step

    def _int_field(self, values: jax.Array, name: str, dtype: jdt.DType = jdt.INT32) -> Any:
        """An integer field: ``dtype`` without live nulls, else float64 with NaN (pandas' rule)."""
        series = self._series
        col = series._column
        if col.validity is None:
            return self._wrap(Column(values.astype(dtype.storage), None, dtype))
        null_rows = series._live() & ~col.validity
        if is_traced(null_rows):
            raise NotImplementedError(
                f"Series.dt.{name} on a nullable datetime Series inside jax.jit: pandas' result dtype "
                "(integer or float64) depends on whether a row is NaT")
        if bool(jnp.any(null_rows)):
            return self._wrap(Column(jnp.where(col.validity, values.astype(np.float64), jnp.nan), None,
                                     jdt.FLOAT64))
        return self._wrap(Column(values.astype(dtype.storage), None, dtype))

    def _bool_field(self, values: jax.Array) -> Any:
        validity = self._series._column.validity
        if validity is not None:
            values = values & validity
        return self._wrap(Column(values, None, jdt.BOOL))

    def _wrap(self, col: Column) -> Any:
        return self._series._with_column(col)  # (re)places the result on the Series' sharding


class DatetimeProperties(_Properties, DeprecatedDayAliases):
    """Fields and rounding of a datetime64 Series (``s.dt``), as pandas' ``Series.dt``.

    A timezone-aware Series answers in its zone's wall-clock time (``_ns`` is the wall clock);
    rounding and ``normalize`` work on the wall clock and localize the result again with
    ``ambiguous``/``nonexistent`` (pandas' rule, so pandas' errors at DST changes)."""

    @property
    def _ns(self) -> jax.Array:
        """Wall-clock int64 counts of the unit (UTC instants moved into the zone when aware)."""
        return timezones.wall(self._series._column).data

    # -- timezones -----------------------------------------------------------------------------
    @property
    def tz(self) -> Any:
        """The zone (pandas' tz object) of a timezone-aware Series; None when naive."""
        return jdt.tz_of(self._series._column.dtype)

    @property
    def unit(self) -> str:
        return self._series._column.dtype.unit

    def tz_localize(self, tz: Any, ambiguous: Any = "raise", nonexistent: Any = "raise") -> Any:
        """Wall-clock datetimes -> instants in ``tz`` (``None``: drop the zone, keep the wall
        clock). ``ambiguous``: 'raise', 'NaT' or a bool per row (True: DST); ``nonexistent``:
        'raise', 'NaT', 'shift_forward', 'shift_backward'."""
        series = self._series
        return self._wrap(timezones.localize(series._column, tz, ambiguous, nonexistent, series._row_mask))

    def tz_convert(self, tz: Any) -> Any:
        """The same instants shown in ``tz`` (``None``: naive UTC)."""
        return self._wrap(timezones.convert(self._series._column, tz))

    def _relocalized(self, wall: jax.Array, ambiguous: Any, nonexistent: Any) -> Any:
        """A Series of wall-clock counts, localized back into the Series' zone when it has one."""
        col = self._series._column
        naive = Column(wall, col.validity, jdt.datetime(col.dtype.unit))
        if self.tz is not None:
            naive = timezones.localize(naive, self.tz, ambiguous, nonexistent, self._series._row_mask)
        elif col.validity is not None:
            naive = naive.replace(data=jnp.where(col.validity, wall, 0))
        return self._wrap(naive)

    # -- decomposition -------------------------------------------------------------------------
    def _days(self) -> tuple[jax.Array, jax.Array]:
        """(whole days since 1970-01-01, the rest of the day in steps of the unit)."""
        days = self._ns // self._per_day
        return days, self._ns - days * self._per_day

    def _ymd(self) -> tuple[jax.Array, jax.Array, jax.Array]:
        return civil_from_days(self._days()[0])

    @property
    def year(self) -> Any:
        return self._int_field(self._ymd()[0], "year")

    @property
    def month(self) -> Any:
        return self._int_field(self._ymd()[1], "month")

    @property
    def day(self) -> Any:
        return self._int_field(self._ymd()[2], "day")

    @property
    def quarter(self) -> Any:
        return self._int_field((self._ymd()[1] - 1) // 3 + 1, "quarter")

    @property
    def hour(self) -> Any:
        return self._int_field(self._days()[1] // (3600 * self._per_second), "hour")

    @property
    def minute(self) -> Any:
        return self._int_field(self._days()[1] // (60 * self._per_second) % 60, "minute")

    @property
    def second(self) -> Any:
        return self._int_field(self._days()[1] // self._per_second % 60, "second")

    @property
    def microsecond(self) -> Any:
        return self._int_field(self._nanos_in_second(self._days()[1]) // 1000, "microsecond")

    @property
    def nanosecond(self) -> Any:
        return self._int_field(self._nanos_in_second(self._days()[1]) % 1000, "nanosecond")

    @property
    def day_of_week(self) -> Any:
        """Monday=0 ... Sunday=6 (1970-01-01 was a Thursday)."""
        return self._int_field((self._days()[0] + 3) % 7, "day_of_week")

    @property
    def day_of_year(self) -> Any:
        days = self._days()[0]
        year = civil_from_days(days)[0]
        one = jnp.ones_like(year)
        return self._int_field(days - days_from_civil(year, one, one) + 1, "day_of_year")

    @property
    def days_in_month(self) -> Any:
        year, month, _ = self._ymd()
        return self._int_field(days_in_month(year, month), "days_in_month")

    daysinmonth = days_in_month

    @property
    def is_leap_year(self) -> Any:
        return self._bool_field(is_leap(self._ymd()[0]))

    @property
    def is_month_start(self) -> Any:
        return self._bool_field(self._ymd()[2] == 1)

    @property
    def is_month_end(self) -> Any:
        year, month, day = self._ymd()
        return self._bool_field(day == days_in_month(year, month))

    @property
    def is_quarter_start(self) -> Any:
        _, month, day = self._ymd()
        return self._bool_field((day == 1) & ((month - 1) % 3 == 0))

    @property
    def is_quarter_end(self) -> Any:
        year, month, day = self._ymd()
        return self._bool_field((day == days_in_month(year, month)) & (month % 3 == 0))

    @property
    def is_year_start(self) -> Any:
        _, month, day = self._ymd()
        return self._bool_field((month == 1) & (day == 1))

    @property
    def is_year_end(self) -> Any:
        _, month, day = self._ymd()
        return self._bool_field((month == 12) & (day == 31))

    @property
    def date(self) -> Any:
        raise NotImplementedError("Series.dt.date: pandas returns an object column of datetime.date, which "
                                  "JaxFrames columns cannot hold; use .dt.normalize() (datetime64 at midnight)")

    @property
    def time(self) -> Any:
        raise NotImplementedError("Series.dt.time: pandas returns an object column of datetime.time, which "
                                  "JaxFrames columns cannot hold")

    # -- rounding ------------------------------------------------------------------------------
    def normalize(self) -> Any:
        """Midnight of each day (NaT stays NaT); in the zone's wall clock when aware."""
        return self._relocalized(self._days()[0] * self._per_day, "raise", "raise")

    def floor(self, freq: Any, ambiguous: str = "raise", nonexistent: str = "raise") -> Any:
        step = self._steps(freq)
        if self.tz is None:  # naive: the wall clock is the data, so floor and NaT fill fuse
            col = self._series._column
            data = _floored_naive(col.data, col.validity, step)
            return self._wrap(Column(data, col.validity, jdt.datetime(col.dtype.unit)))
        return self._relocalized(floor_multiple(self._ns, step), ambiguous, nonexistent)

    def ceil(self, freq: Any, ambiguous: str = "raise", nonexistent: str = "raise") -> Any:
        unit = self._steps(freq)
        return self._relocalized(-(-self._ns // unit) * unit, ambiguous, nonexistent)

    def round(self, freq: Any, ambiguous: str = "raise", nonexistent: str = "raise") -> Any:
        """Round to the nearest multiple of ``freq``, ties to even (pandas' rule)."""
        unit = self._steps(freq)
        quotient, remainder = self._ns // unit, self._ns % unit
        up = (2 * remainder > unit) | ((2 * remainder == unit) & (quotient % 2 == 1))
        return self._relocalized((quotient + up) * unit, ambiguous, nonexistent)

    def to_period(self, freq: Any = None) -> Any:
        """The periods of ``freq`` holding each datetime (device arithmetic); ``freq=None``
        infers it from the values on the host, as pandas does."""
        series = self._series
        return self._wrap(periods.to_period(series._column, freq, series._row_mask))

    # -- formatting ----------------------------------------------------------------------------
    def strftime(self, date_format: str) -> Any:
        """Format each distinct timestamp once on the host; rows gather by their position."""
        series = self._series
        col = series._column
        if is_traced(col.data, series._row_mask):
            raise NotImplementedError("Series.dt.strftime inside jax.jit")
        live = np.asarray(series._live() & col.not_null())
        distinct = np.unique(np.asarray(col.data)[live])
        formatted = pd.Series(pd.DatetimeIndex(colmod.host_array(distinct, None, col.dtype, None))
                              .strftime(date_format))
        table = colmod.from_pandas_series(
            pd.concat([formatted.astype("str"), pd.Series([np.nan], dtype="str")], ignore_index=True))
        position = jnp.clip(jnp.searchsorted(jnp.asarray(distinct), col.data), 0, max(len(distinct) - 1, 0))
        lookup = jnp.where(col.not_null(), position, len(distinct))
        return self._wrap(table.take(lookup))


class TimedeltaProperties(_Properties):
    """Components of a timedelta64 Series (``s.dt``), as pandas' ``Series.dt``."""

    @property
    def days(self) -> Any:
        return self._int_field(self._ns // self._per_day, "days", jdt.INT64)

    @property
    def seconds(self) -> Any:
        return self._int_field(self._ns % self._per_day // self._per_second, "seconds")

    @property
    def microseconds(self) -> Any:
        return self._int_field(self._nanos_in_second(self._ns) // 1000, "microseconds")

    @property
    def nanoseconds(self) -> Any:
        return self._int_field(self._nanos_in_second(self._ns) % 1000, "nanoseconds")

    def total_seconds(self) -> Any:
        """Seconds as float64 (NaN for NaT)."""
        values = self._ns / self._per_second
        validity = self._series._column.validity
        if validity is not None:
            values = jnp.where(validity, values, jnp.nan)
        return self._wrap(Column(values, None, jdt.FLOAT64))


def _fixed_nanos(freq: Any) -> int:
    """Nanoseconds of a fixed frequency ('s', 'min', 'h', 'D', ...); ValueError for calendar ones."""
    offset = pd.tseries.frequencies.to_offset(freq)
    if isinstance(offset, pd.offsets.Day):  # pandas 3: a calendar day, fixed for tz-naive data
        nanos = int(offset.n) * NS_PER_DAY
    elif isinstance(offset, pd.offsets.Tick):
        nanos = int(offset.nanos)
    else:
        raise ValueError(f"{offset!r} is a non-fixed frequency")
    if nanos <= 0:
        raise ValueError(f"frequency must be positive, got {freq!r}")
    return nanos

