"""Index-time operations: ``shift(freq=)``, ``asfreq``, ``at_time``, ``between_time``.

Fixed offsets (h, min, s, D on a naive index) move the labels on the device; calendar offsets
('ME', 'B', ...) move them with pandas on the host. ``asfreq`` builds pandas' ``date_range``
over the live labels' first and last and looks the labels up with a sorted probe (exact, or
pad/backfill for ``method=``); unmatched rows are null with pandas' dtype changes.
"""

from __future__ import annotations

import datetime
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
import pandas as pd
from pandas.core.tools.times import to_time

from jaxframes import column as colmod
from jaxframes import dtypes as jdt
from jaxframes import zones
from jaxframes.column import Column
from jaxframes.index import Index
from jaxframes.joins.assemble import take_fill
from jaxframes.kernels.keys import SortKey, key_range
from jaxframes.kernels.sort import argsort
from jaxframes.sync import device_get
from jaxframes.table import is_traced


def _time_index(table: Any, what: str, types: str = "DatetimeIndex, PeriodIndex and TimedeltaIndex") -> Index:
    index = table.index
    kind = index.dtype.kind if isinstance(index, Index) else None
    if kind not in ("M", "m"):
        name = {"RangeIndex": "RangeIndex", "MultiIndex": "MultiIndex"}.get(type(index).__name__, "Index")
        raise NotImplementedError(f"This method is only implemented for {types}; Got type {name}")
    return index


def _fixed_steps(offset: Any, unit: str) -> int | None:
    """The offset in steps of ``unit`` when it is a fixed duration (None: a calendar offset)."""
    try:
        nanos = pd.Timedelta(offset).value
    except (ValueError, TypeError):
        return None
    per = {"s": 10**9, "ms": 10**6, "us": 10**3, "ns": 1}[unit]
    return nanos // per if nanos % per == 0 else None


def shift_index(table: Any, periods: int, freq: Any) -> Index:
    """The labels moved by ``periods * freq`` (pandas' ``shift(freq=...)``): fixed durations on
    the device (the index keeps its freq, as pandas), calendar offsets on the host (freq None)."""
    index = _time_index(table, "shift")
    col = index.column
    if isinstance(freq, (pd.Timedelta, datetime.timedelta, np.timedelta64)):
        offset = pd.Timedelta(freq)
    else:
        offset = pd.tseries.frequencies.to_offset(freq)
    # pandas 3's Day is a calendar day: fixed on naive labels, DST-aware on tz-aware ones
    naive = jdt.tz_of(col.dtype) is None
    fixed = isinstance(offset, (pd.Timedelta, pd.offsets.Tick)) or (naive and isinstance(offset, pd.offsets.Day))
    steps = _fixed_steps(offset * periods, col.dtype.unit) if fixed else None
    if steps is not None:
        moved = col.replace(data=jnp.where(col.not_null(), col.data + steps, 0))
        return Index(moved, index.name, index.freq)
    if is_traced(col.data):
        raise NotImplementedError(f"shift(freq={freq!r}) inside jax.jit (a calendar offset moves labels on the host)")
    labels = pd.Index(col.to_host(None))
    shifted = pd.Series(labels + periods * offset).astype(jdt.to_pandas(col.dtype))
    return Index(colmod.from_pandas_series(shifted), index.name)


def asfreq(table: Any, freq: Any, method: Any = None, how: Any = None, normalize: bool = False,
           fill_value: Any = None) -> tuple[dict, Index]:
    """(columns, index) of pandas' ``asfreq``: the frame reindexed to a regular grid."""
    index = _time_index(table, "asfreq")
    if how is not None:
        raise NotImplementedError("asfreq(how=...) (a PeriodIndex option)")
    if method not in (None, "ffill", "pad", "bfill", "backfill"):
        raise ValueError(f"Invalid fill method. Expecting pad (ffill) or backfill (bfill). Got {method}")
    col = index.column
    if col.dtype.kind != "M":
        raise NotImplementedError("asfreq on a TimedeltaIndex")
    live = table.live()
    if is_traced(col.data, live):
        raise NotImplementedError("asfreq inside jax.jit: the new row count depends on the data")
    valid = live & col.not_null()
    found, low, high = (int(x) for x in device_get(key_range(col.data, valid)))
    unit = col.dtype.unit
    if not found:
        grid = pd.DatetimeIndex([], dtype=jdt.to_pandas(col.dtype), name=index.name, freq=freq)
        take = jnp.zeros(0, jnp.int64)
        return {k: c.take(take) for k, c in table.columns.items()}, _grid_index(grid)
    stamps = pd.DatetimeIndex(np.array([low, high], np.int64).view(f"datetime64[{unit}]"))
    if jdt.tz_of(col.dtype) is not None:  # the grid steps in the zone's wall clock, as pandas'
        stamps = stamps.tz_localize("UTC").tz_convert(jdt.tz_of(col.dtype))
    grid = pd.date_range(stamps[0], stamps[1], freq=freq, name=index.name, unit=unit)
    if normalize:
        grid = grid.normalize()
    positions = _lookup(col.data, valid, jnp.asarray(grid.asi8), method)
    missing = bool(device_get(jnp.any(positions < 0))) if len(grid) else False
    cols = {}
    for name, c in table.columns.items():
        if fill_value is not None and missing:
            cols[name] = _filled(c, positions, fill_value, name)
        else:
            cols[name] = take_fill(c, positions, missing, name)
    return cols, _grid_index(grid)


def _grid_index(grid: pd.DatetimeIndex) -> Index:
    return Index(colmod.from_pandas_series(pd.Series(grid.array, copy=False)), grid.name, grid.freq)


def _lookup(times: jax.Array, valid: jax.Array, wanted: jax.Array, method: Any) -> jax.Array:
    """Per wanted label: the row holding it (method None), or the last row at or before it
    (ffill) / the first at or after it (bfill); -1 for none. pandas' checks: unique labels, and
    monotonic ones for a fill method."""
    perm = argsort([SortKey(~valid, kind="b"), SortKey(times, kind="i")])
    st, sv = times[perm], valid[perm]
    count = jnp.sum(valid)
    big = jnp.iinfo(jnp.int64).max
    keys = jnp.where(sv, st, big)
    dup = jnp.any(sv[1:] & sv[:-1] & (st[1:] == st[:-1])) if st.shape[0] > 1 else jnp.asarray(False)
    running = jax.lax.cummax(jnp.where(valid, times, jnp.iinfo(jnp.int64).min))
    monotonic = jnp.all(~valid[1:] | (times[1:] >= running[:-1])) if times.shape[0] > 1 else jnp.asarray(True)
    has_dup, is_monotonic = (bool(x) for x in device_get((dup, monotonic)))
    if has_dup:
        raise ValueError("cannot reindex on an axis with duplicate labels")
    if method is not None and not is_monotonic:
        raise ValueError("index must be monotonic increasing or decreasing")
    lo = jnp.searchsorted(keys, wanted, side="left")
    hi = jnp.searchsorted(keys, wanted, side="right")
    if method is None:
        hit = (hi > lo)
        at = lo
    elif method in ("ffill", "pad"):
        hit = hi > 0
        at = hi - 1
    else:
        hit = lo < count
        at = lo
    return jnp.where(hit, perm[jnp.clip(at, 0, max(perm.shape[0] - 1, 0))], -1)


def _filled(col: Column, positions: jax.Array, fill_value: Any, name: Any) -> Column:
    if col.dtype.kind not in "iuf" or col.dtype.masked:
        raise NotImplementedError(f"asfreq(fill_value=...) for the {col.dtype} column {name!r}")
    taken = take_fill(col, positions, False)
    result = np.result_type(np.dtype(col.dtype.storage), np.asarray(fill_value).dtype)
    if isinstance(fill_value, float) and col.dtype.kind in "iu" and float(fill_value).is_integer():
        result = np.dtype(col.dtype.storage)  # pandas keeps ints for an integral float fill
    data = jnp.where(positions >= 0, taken.data.astype(result), jnp.asarray(fill_value, result))
    return Column(data, None, jdt.from_storage(result))


def _time_of_day(col: Column) -> jax.Array:
    """Steps since the (wall-clock, for a tz-aware column) midnight."""
    per_day = 86400 * jdt.PER_SECOND[col.dtype.unit]
    tz = jdt.tz_of(col.dtype)
    return jnp.mod(col.data if tz is None else zones.to_wall(col.data, tz, col.dtype.unit), per_day)


def _steps_of(t: datetime.time, unit: str) -> int:
    micros = ((t.hour * 60 + t.minute) * 60 + t.second) * 10**6 + t.microsecond
    return micros * jdt.PER_SECOND[unit] // 10**6


def at_time(table: Any, time: Any, asof: bool = False) -> jax.Array:
    """The row mask of rows whose label's time of day is ``time``."""
    if asof:
        raise NotImplementedError("'asof' argument is not supported")
    index = _datetime_index(table)
    t = to_time(time)
    if getattr(t, "tzinfo", None) is not None:
        raise NotImplementedError("at_time with a timezone-aware time")
    col = index.column
    return col.not_null() & (_time_of_day(col) == _steps_of(t, col.dtype.unit))


def between_time(table: Any, start_time: Any, end_time: Any, inclusive: str = "both") -> jax.Array:
    """The row mask of rows whose label's time of day is between the two times (wrapping past
    midnight when start > end, as pandas)."""
    if inclusive not in ("both", "neither", "left", "right"):
        raise ValueError("Inclusive has to be either string of 'both','left', 'right', or 'neither'.")
    index = _datetime_index(table)
    col = index.column
    start, end = to_time(start_time), to_time(end_time)
    s, e = _steps_of(start, col.dtype.unit), _steps_of(end, col.dtype.unit)
    tod = _time_of_day(col)
    left_ok = tod >= s if inclusive in ("both", "left") else tod > s
    right_ok = tod <= e if inclusive in ("both", "right") else tod < e
    inside = (left_ok & right_ok) if s <= e else (left_ok | right_ok)
    return col.not_null() & inside


def _datetime_index(table: Any) -> Index:
    index = table.index
    if not isinstance(index, Index) or index.dtype.kind != "M":
        raise TypeError("Index must be DatetimeIndex")
    return index


def asof_positions(table: Any, values: Column, where: Any) -> tuple[Any, jax.Array, bool, pd.Index]:
    """pandas' Series.asof: for each ``where`` label, the last live row whose label is at or
    before it and whose value is not null. Returns (the compacted table of usable rows, their
    positions per ``where`` label (-1: none), whether ``where`` was a scalar, the labels)."""
    index = table.index
    if not isinstance(index, Index) and type(index).__name__ != "RangeIndex":
        raise NotImplementedError("asof on a MultiIndex")
    labels = index.labels()
    live = table.live()
    if is_traced(labels.data, live):
        raise NotImplementedError("asof inside jax.jit")
    usable = live & labels.not_null()
    running = jax.lax.cummax(jnp.where(usable, labels.data, _lowest(labels.data.dtype))) if labels.capacity else labels.data
    ordered = jnp.all(~usable[1:] | (labels.data[1:] >= running[:-1])) if labels.capacity > 1 else True
    if not bool(device_get(ordered)):
        raise ValueError("asof requires a sorted index")
    scalar = np.ndim(where) == 0 and not isinstance(where, (list, tuple))
    wanted = pd.Index([where] if scalar else list(where) if not isinstance(where, pd.Index) else where)
    if labels.dtype.kind == "M":
        wanted = pd.DatetimeIndex(wanted).as_unit(labels.dtype.unit)
        keys = jnp.asarray(wanted.asi8)
    else:
        keys = jnp.asarray(np.asarray(wanted, dtype=np.dtype(labels.data.dtype)))
    kept = table.and_mask(values.not_null() & labels.not_null()).compact_exact()
    sorted_labels = kept.index.labels().data
    positions = jnp.searchsorted(sorted_labels, keys, side="right").astype(jnp.int64) - 1
    return kept, positions, scalar, wanted


def _lowest(dtype: Any) -> Any:
    return -jnp.inf if jnp.issubdtype(dtype, jnp.floating) else jnp.iinfo(dtype).min
