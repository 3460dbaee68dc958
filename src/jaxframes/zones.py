"""Timezones on device: UTC instants <-> wall-clock times through a zone's offset table.

A timezone-aware column holds UTC instants (dtypes.DatetimeTZDType). Wall-clock answers (.dt
fields, floor/ceil/round, normalize, resample bins) need each instant's UTC offset. For every
zone a small table is built once on the host: the UTC instants where the offset changes and the
offset in force from each (``table``). On device the offset of an instant is one
``searchsorted`` into that table, so conversions are vectorised and run under ``jax.jit``.

The table is read from pandas itself (pandas' own conversion of a grid of instants from 1800
to 2200, every transition then pinned to the second by bisection), so offsets agree with
pandas' for every zone pandas takes (zoneinfo, pytz, dateutil, fixed offsets). Outside those
years the first/last offset holds; a zone with two changes less than six hours apart would
keep one of them (no zone in the tz database has that since 1800 except LMT fix-ups).

Wall -> UTC (``localize``) has two hard cases at DST changes, decided as pandas does:
ambiguous wall times (the hour repeated in autumn: two instants) and nonexistent ones (the hour
skipped in spring: no instant). ``ambiguous``: 'raise' (ValueError), 'NaT', or a bool per row
(True: the DST instant, the earlier one); ``nonexistent``: 'raise', 'NaT', 'shift_forward'
(the first instant after the gap), 'shift_backward' (the last one before it).
"""

from __future__ import annotations

import datetime as _dt
import functools
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
import pandas as pd

from jaxframes import dtypes as jdt
from jaxframes import facts

_INT64_MIN = np.iinfo(np.int64).min
_GRID_START, _GRID_END, _GRID_STEP = "1800-01-01", "2200-01-01", 6 * 3600
_SECONDS_PER_DAY = 86_400


def fixed_offset(tz: Any) -> int | None:
    """The UTC offset in seconds of a zone whose offset never changes (UTC, '+05:30'); else None."""
    if isinstance(tz, _dt.timezone):
        return int(tz.utcoffset(None).total_seconds())
    try:
        offset = tz.utcoffset(None)
    except Exception:
        return None
    return None if offset is None else int(offset.total_seconds())


def _offsets_seconds(tz: Any, instants: np.ndarray) -> np.ndarray:
    """pandas' UTC offset (seconds) of UTC instants (int64 seconds)."""
    utc = pd.DatetimeIndex(instants.astype("datetime64[s]")).tz_localize("UTC")
    wall = utc.tz_convert(tz).tz_localize(None)
    return wall.asi8 - utc.tz_localize(None).asi8  # both in seconds (unit s)


@functools.lru_cache(maxsize=None)
def table(tz: Any) -> tuple[np.ndarray, np.ndarray]:
    """(transitions, offsets): sorted UTC instants in seconds (the first is int64 min) and the
    offset in seconds in force from each one on."""
    fixed = fixed_offset(tz)
    if fixed is not None:
        return np.array([_INT64_MIN], np.int64), np.array([fixed], np.int64)
    start = np.datetime64(_GRID_START, "s").astype(np.int64)
    end = np.datetime64(_GRID_END, "s").astype(np.int64)
    grid = np.arange(start, end, _GRID_STEP, dtype=np.int64)
    offsets = _offsets_seconds(tz, grid)
    changes = np.flatnonzero(offsets[1:] != offsets[:-1]) + 1
    lo, hi = grid[changes - 1], grid[changes]  # offset(lo) is the old one, offset(hi) the new
    old = offsets[changes - 1]
    while len(lo) and np.any(hi - lo > 1):
        mid = lo + (hi - lo) // 2
        still_old = _offsets_seconds(tz, mid) == old
        lo, hi = np.where(still_old, mid, lo), np.where(still_old, hi, mid)
    transitions = np.concatenate([[_INT64_MIN], hi]).astype(np.int64)
    return transitions, np.concatenate([offsets[:1], offsets[changes]]).astype(np.int64)


def _device_table(tz: Any, unit: str) -> tuple[np.ndarray, np.ndarray]:
    """The table in steps of ``unit`` (host numpy; jnp turns them into jit constants)."""
    transitions, offsets = table(tz)
    per_second = jdt.PER_SECOND[unit]
    bound = np.iinfo(np.int64).max // per_second
    scaled = np.where(transitions == _INT64_MIN, _INT64_MIN,
                      np.clip(transitions, -bound, bound) * per_second)
    return scaled.astype(np.int64), offsets * per_second


def offsets(utc: jax.Array, tz: Any, unit: str) -> jax.Array:
    """The UTC offset (in steps of ``unit``) in force at each UTC instant."""
    transitions, offs = _device_table(tz, unit)
    if len(offs) == 1:
        return jnp.full(jnp.shape(utc), offs[0], np.int64)
    where = jnp.searchsorted(jnp.asarray(transitions), utc, side="right") - 1
    return jnp.asarray(offs)[jnp.clip(where, 0, len(offs) - 1)]


def to_wall(utc: jax.Array, tz: Any, unit: str) -> jax.Array:
    """Wall-clock counts (naive datetime64[unit]) of UTC instants in the zone."""
    return utc + offsets(utc, tz, unit)


def _transition_at_or_before(utc: jax.Array, tz: Any, unit: str) -> jax.Array:
    transitions, _ = _device_table(tz, unit)
    where = jnp.searchsorted(jnp.asarray(transitions), utc, side="right") - 1
    return jnp.asarray(transitions)[jnp.clip(where, 0, len(transitions) - 1)]


AMBIGUOUS = ("raise", "NaT")
NONEXISTENT = ("raise", "NaT", "shift_forward", "shift_backward")


def check_options(ambiguous: Any, nonexistent: Any) -> None:
    """NotImplementedError/ValueError for ``ambiguous``/``nonexistent`` values not handled here."""
    if isinstance(ambiguous, str):
        if ambiguous == "infer":
            raise NotImplementedError("tz_localize(ambiguous='infer') is not supported; pass 'raise', 'NaT' "
                                      "or a bool array")
        if ambiguous not in AMBIGUOUS:
            raise ValueError(f"ambiguous must be 'raise', 'infer', 'NaT' or an array of bools, got {ambiguous!r}")
    elif isinstance(ambiguous, (bool, np.bool_)):
        pass
    if isinstance(nonexistent, (_dt.timedelta, np.timedelta64)):
        raise NotImplementedError("tz_localize(nonexistent=<timedelta>) is not supported; pass 'raise', "
                                  "'NaT', 'shift_forward' or 'shift_backward'")
    if not isinstance(nonexistent, str) or nonexistent not in NONEXISTENT:
        raise ValueError("The nonexistent argument must be one of 'raise', 'NaT', 'shift_forward', "
                         "'shift_backward' or a timedelta object")


def localize(wall: jax.Array, present: jax.Array | None, tz: Any, unit: str, ambiguous: Any = "raise",
             nonexistent: str = "raise", live: Any = None) -> tuple[jax.Array, jax.Array | None]:
    """(UTC instants, present) of wall-clock counts in the zone, with pandas' DST rules.

    ``ambiguous``: 'raise', 'NaT', or a bool array with one value per physical row (True: the
    DST instant). ``nonexistent``: see NONEXISTENT. A raising rule asks ``facts.any_live`` (eager:
    pandas' ValueError naming the first such wall time; inside jit the rows become NaT)."""
    check_options(ambiguous, nonexistent)
    _, offs = _device_table(tz, unit)
    if len(offs) == 1:
        return wall - offs[0], present
    day = np.int64(_SECONDS_PER_DAY * jdt.PER_SECOND[unit])
    bound = np.iinfo(np.int64).max - day
    safe = jnp.clip(wall, -bound, bound)
    before, after = offsets(safe - day, tz, unit), offsets(safe + day, tz, unit)
    early, late = safe - before, safe - after  # the instants the wall time has in either offset
    early_ok = to_wall(early, tz, unit) == safe
    late_ok = to_wall(late, tz, unit) == safe
    considered = jnp.ones(jnp.shape(wall), bool) if present is None else present
    is_ambiguous = early_ok & late_ok & (early != late) & considered
    is_missing = ~early_ok & ~late_ok & considered
    result = jnp.where(early_ok, early, late)
    bad = jnp.zeros(jnp.shape(wall), bool)

    if isinstance(ambiguous, str):
        if ambiguous == "raise":
            _raise_if(is_ambiguous, wall, unit, live, "ambiguous",
                      "Cannot infer dst time from {}, try using the 'ambiguous' argument")
        bad = bad | is_ambiguous
    else:
        flags = jnp.broadcast_to(jnp.asarray(ambiguous, bool), jnp.shape(wall))
        result = jnp.where(is_ambiguous, jnp.where(flags, early, late), result)
    if nonexistent in ("raise", "NaT"):
        if nonexistent == "raise":
            _raise_if(is_missing, wall, unit, live, "nonexistent",
                      "{} is a nonexistent time due to daylight savings time. Try using the "
                      "'nonexistent' argument.")
        bad = bad | is_missing
    else:
        gap_end = _transition_at_or_before(early, tz, unit)
        shifted = gap_end if nonexistent == "shift_forward" else gap_end - 1
        result = jnp.where(is_missing, shifted, result)
    ok = ~bad if present is None else present & ~bad
    return jnp.where(ok, result, 0), ok


def _raise_if(condition: jax.Array, wall: jax.Array, unit: str, live: Any, what: str, message: str) -> None:
    if facts.any_live(f"tz_localize: {what} time", condition, live, in_jit=False):
        hit = condition if live is None else condition & live
        if facts.is_traced(wall, hit):  # a lazy stage re-traced with the answer: no value to name
            raise ValueError(message.format(f"a wall-clock time of this column ({what})"))
        first = int(np.asarray(wall)[int(np.argmax(np.asarray(hit)))])
        raise ValueError(message.format(pd.Timestamp(np.datetime64(first, unit))))
