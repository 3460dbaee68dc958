"""Calendar arithmetic on device: civil dates, and pandas' period ordinals <-> datetimes.

A period column (dtypes.PeriodDType) holds pandas' int64 ordinals: the number of periods of its
frequency between the one holding 1970-01-01 and the row's. Everything here is integer
arithmetic on int64 arrays (floor division, so dates before 1970 give negative ordinals as in
pandas), vectorised and usable under ``jax.jit`` on any backend:

- ticks ('D', 'h', 'min', 's', 'ms', 'us', 'ns'): ordinal = floor(instant / length);
- months ('M'): (year - 1970) * 12 + month - 1, from days through H. Hinnant's civil-from-days;
- quarters and years anchored on a month ('Q-NOV', 'Y-JUN'): months shifted so that the
  fiscal year ends with the anchor month, then floor-divided by 3 or 12;
- weeks anchored on a weekday ('W-SUN'): the ordinal of the week ending on day E (days since
  1970-01-01) is floor((E - 3) / 7) + 1 (pandas' numbering: the week ending Sunday 1970-01-04
  is 1).

Frequencies with a multiple ('2D'), business days ('B') and other offsets are held (their
ordinals still sort, group and compare) but have no calendar arithmetic here: the operations
that need it raise NotImplementedError naming the frequency (``calendar``).
"""

from __future__ import annotations

import re

import jax
import jax.numpy as jnp
import numpy as np

MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
WEEKDAYS = ("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN")
# one period of each tick frequency, in nanoseconds
TICK_NANOS = {"D": 86_400 * 10**9, "h": 3_600 * 10**9, "min": 60 * 10**9, "s": 10**9, "ms": 10**6,
              "us": 10**3, "ns": 1}
UNIT_NANOS = {"s": 10**9, "ms": 10**6, "us": 10**3, "ns": 1}
SUPPORTED = "D, h, min, s, ms, us, ns, M, Q-<month>, Y-<month> and W-<weekday>"


# -- civil dates (proleptic Gregorian) ------------------------------------------------------------
def civil_from_days(days: jax.Array) -> tuple[jax.Array, jax.Array, jax.Array]:
    """(year, month, day) of days since 1970-01-01 in the proleptic Gregorian calendar."""
    z = days + 719468
    era = z // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    day = doy - (153 * mp + 2) // 5 + 1
    month = jnp.where(mp < 10, mp + 3, mp - 9)
    year = yoe + era * 400 + (month <= 2)
    return year, month, day


def days_from_civil(year: jax.Array, month: jax.Array, day: jax.Array) -> jax.Array:
    """Days since 1970-01-01 of a civil date (inverse of ``civil_from_days``)."""
    year = year - (month <= 2)
    era = year // 400
    yoe = year - era * 400
    doy = (153 * jnp.where(month > 2, month - 3, month + 9) + 2) // 5 + day - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def _month_index(days: jax.Array) -> jax.Array:
    """Months since 1970-01 of the month holding each day."""
    year, month, _ = civil_from_days(days)
    return (year - 1970) * 12 + month - 1


def _month_start(months: jax.Array) -> jax.Array:
    """Days since 1970-01-01 of the first day of ``months`` (months since 1970-01)."""
    one = jnp.ones_like(months)
    return days_from_civil(months // 12 + 1970, months % 12 + 1, one)


# -- frequencies ----------------------------------------------------------------------------------
def calendar(freq: str, what: str) -> tuple[str, int]:
    """(family, parameter) of a frequency with calendar arithmetic: ('tick', nanoseconds),
    ('M', 1), ('Q', anchor month 1-12), ('Y', anchor month) or ('W', anchor weekday 0=Mon-6=Sun);
    NotImplementedError naming ``what`` and the frequency for any other."""
    if freq in TICK_NANOS:
        return "tick", TICK_NANOS[freq]
    if freq == "M":
        return "M", 1
    match = re.fullmatch(r"([QYW])-([A-Z]{3})", freq)
    if match:
        family, anchor = match.groups()
        names = WEEKDAYS if family == "W" else MONTHS
        if anchor in names:
            return family, names.index(anchor) + (0 if family == "W" else 1)
    raise NotImplementedError(f"{what} of period[{freq}] is not supported: the calendar arithmetic covers "
                              f"the frequencies {SUPPORTED} (no multiples, no business days)")


def timestamp_unit(freq: str) -> str:
    """The datetime unit pandas gives start_time/end_time/to_timestamp of ``period[freq]``."""
    return "ns" if freq == "ns" else "us"


def _floor_div(a: jax.Array, b: int) -> jax.Array:
    return a // np.int64(b)


# -- datetime -> ordinal --------------------------------------------------------------------------
def from_datetime(counts: jax.Array, unit: str, freq: str) -> jax.Array:
    """The ordinals of ``period[freq]`` holding wall-clock instants (int64 counts of ``unit``)."""
    family, param = calendar(freq, "to_period")
    counts = counts.astype(jnp.int64)
    unit_nanos = UNIT_NANOS[unit]
    if family == "tick":
        if param >= unit_nanos:
            return _floor_div(counts, param // unit_nanos)
        return counts * np.int64(unit_nanos // param)
    days = _floor_div(counts, TICK_NANOS["D"] // unit_nanos)
    return from_days(days, family, param)


def from_days(days: jax.Array, family: str, param: int) -> jax.Array:
    """The ordinals of a non-tick frequency (``calendar``'s family and parameter) holding days."""
    if family == "W":
        weekday = (days + 3) % 7  # 1970-01-01 was a Thursday (Monday = 0)
        end = days + (param - weekday) % 7
        return _floor_div(end - 3, 7) + 1
    months = _month_index(days)
    if family == "M":
        return months
    shift = 12 - param  # months from the anchor month to December
    return _floor_div(months + shift, 3 if family == "Q" else 12)


# -- ordinal -> datetime --------------------------------------------------------------------------
def start_days(ordinals: jax.Array, family: str, param: int) -> jax.Array:
    """Days since 1970-01-01 of the first day of non-tick periods."""
    ordinals = ordinals.astype(jnp.int64)
    if family == "W":  # the week's last day E has weekday ``param``: (E + 3) % 7 == param
        return (ordinals - 1) * 7 + 3 + (param + 1) % 7 - 6
    if family == "M":
        return _month_start(ordinals)
    months = ordinals * (3 if family == "Q" else 12) - (12 - param)
    return _month_start(months)


def start(ordinals: jax.Array, freq: str, unit: str, what: str = "start_time") -> jax.Array:
    """The first instant (int64 counts of ``unit``) of each period."""
    family, param = calendar(freq, what)
    ordinals = ordinals.astype(jnp.int64)
    unit_nanos = UNIT_NANOS[unit]
    if family == "tick":
        if param >= unit_nanos:
            return ordinals * np.int64(param // unit_nanos)
        return _floor_div(ordinals, unit_nanos // param)
    return start_days(ordinals, family, param) * np.int64(TICK_NANOS["D"] // unit_nanos)


def end(ordinals: jax.Array, freq: str, unit: str, what: str = "end_time") -> jax.Array:
    """The last instant (int64 counts of ``unit``) of each period: the next one's start minus one step."""
    return start(ordinals.astype(jnp.int64) + 1, freq, unit, what) - 1


def reference(ordinals: jax.Array, freq: str, what: str) -> tuple[jax.Array, jax.Array]:
    """(days, seconds into the day) that pandas reads a period's fields from: the period's last
    day for calendar frequencies, its start for ticks."""
    family, param = calendar(freq, what)
    ordinals = ordinals.astype(jnp.int64)
    if family == "tick":
        if param >= 10**9:
            seconds = ordinals * np.int64(param // 10**9)
        else:
            seconds = _floor_div(ordinals, 10**9 // param)
        return _floor_div(seconds, 86_400), seconds % 86_400
    last = start_days(ordinals + 1, family, param) - 1
    return last, jnp.zeros_like(last)


def asfreq(ordinals: jax.Array, source: str, target: str, how_end: bool) -> jax.Array:
    """Ordinals of ``period[source]`` converted to ``period[target]``: the target period holding
    the source period's first (``how_end`` False) or last instant (nanosecond resolution when
    either side is 'ns', else microseconds)."""
    unit = "ns" if "ns" in (source, target) else "us"
    instants = end(ordinals, source, unit, "asfreq") if how_end else start(ordinals, source, unit, "asfreq")
    return from_datetime(instants, unit, target)
