"""tz_localize / tz_convert of datetime columns and datetime indexes, with pandas' rules.

A timezone-aware column holds UTC instants and names its zone in the dtype
(dtypes.DatetimeTZDType), so ``tz_convert`` only changes the dtype, and ``tz_localize`` turns
wall-clock counts into instants on device through the zone's offset table (zones.py), with
pandas' ``ambiguous``/``nonexistent`` rules. Errors are pandas': TypeError for localizing an
aware column or converting a naive one, ValueError for an ambiguous or nonexistent wall time
under the default ``'raise'``.
"""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from jaxframes import dtypes as jdt
from jaxframes import index as idxmod
from jaxframes import zones
from jaxframes.column import Column
from jaxframes.facts import is_traced
from jaxframes.sync import device_get


def _require_datetime(col: Column, what: str) -> None:
    if col.dtype.kind != "M":
        raise TypeError(f"{what} needs datetime64 values, got {col.dtype}")


def wall(col: Column) -> Column:
    """The naive wall-clock column of a timezone-aware one (itself when it is naive)."""
    tz = jdt.tz_of(col.dtype)
    if tz is None:
        return col
    data = zones.to_wall(col.data, tz, col.dtype.unit)
    if col.validity is not None:
        data = jnp.where(col.validity, data, 0)
    return Column(data, col.validity, jdt.datetime(col.dtype.unit))


def localize(col: Column, tz: Any, ambiguous: Any = "raise", nonexistent: Any = "raise",
             live: Any = None) -> Column:
    """pandas' ``tz_localize``: wall-clock datetimes -> instants in ``tz``; ``tz=None`` turns an
    aware column back into its wall-clock times. ``ambiguous`` may be a bool array with one value
    per LIVE row (pandas' per-row array); ``live`` is the container's row mask."""
    _require_datetime(col, "tz_localize")
    unit, aware = col.dtype.unit, jdt.tz_of(col.dtype)
    if tz is None:
        return wall(col)
    if aware is not None:
        raise TypeError("Already tz-aware, use tz_convert to convert.")
    target = jdt.datetime_tz(unit, tz)
    zones.check_options(ambiguous, nonexistent)
    flags = ambiguous if isinstance(ambiguous, str) else _per_row(ambiguous, col.capacity, live)
    data, present = zones.localize(col.data, col.validity, target.tz, unit, flags, nonexistent, live)
    return Column(data, present, target)


def _per_row(flags: Any, capacity: int, live: Any) -> jax.Array:
    """A bool per live row (pandas' ``ambiguous`` array) placed on the physical rows."""
    if isinstance(flags, (bool, np.bool_)):
        return jnp.full((capacity,), bool(flags))
    values = np.asarray(device_get(flags) if isinstance(flags, jax.Array) else flags, dtype=bool).ravel()
    if live is None:
        positions = np.arange(capacity)
    else:
        if is_traced(live):
            raise NotImplementedError("tz_localize(ambiguous=<array>) on a filtered Series inside jax.jit")
        positions = np.flatnonzero(np.asarray(device_get(live)))
    if len(values) != len(positions):
        raise ValueError("Length of ambiguous bool-array must be the same size as vals")
    return jnp.zeros((capacity,), bool).at[jnp.asarray(positions)].set(jnp.asarray(values))


def convert(col: Column, tz: Any) -> Column:
    """pandas' ``tz_convert``: the same instants shown in ``tz`` (``None``: naive UTC)."""
    _require_datetime(col, "tz_convert")
    if jdt.tz_of(col.dtype) is None:
        raise TypeError("Cannot convert tz-naive timestamps, use tz_localize to localize")
    unit = col.dtype.unit
    return col.replace(dtype=jdt.datetime(unit) if tz is None else jdt.datetime_tz(unit, tz))


# -- the index of a Series / DataFrame ----------------------------------------------------------
def _datetime_index(index: Any, level: Any) -> idxmod.Index:
    if level is not None:
        raise NotImplementedError("tz_localize/tz_convert with level= (a MultiIndex level)")
    if not isinstance(index, idxmod.Index) or index.dtype.kind != "M":
        raise TypeError("index is not a valid DatetimeIndex or PeriodIndex")
    return index


def localize_index(table: Any, tz: Any, axis: Any = 0, level: Any = None, ambiguous: Any = "raise",
                   nonexistent: Any = "raise") -> idxmod.Index:
    """The index of ``table`` localized to ``tz`` (Series/DataFrame.tz_localize)."""
    _axis0(axis)
    index = _datetime_index(table.index, level)
    column = localize(index.column, tz, ambiguous, nonexistent, table.row_mask)
    # pandas keeps the frequency only where wall-clock steps stay instant steps (UTC)
    freq = index.freq if tz is None or zones.fixed_offset(jdt.tz_of(column.dtype)) == 0 else None
    return idxmod.Index(column, index.name, freq)


def convert_index(table: Any, tz: Any, axis: Any = 0, level: Any = None) -> idxmod.Index:
    """The index of ``table`` converted to ``tz`` (Series/DataFrame.tz_convert)."""
    _axis0(axis)
    index = _datetime_index(table.index, level)
    return idxmod.Index(convert(index.column, tz), index.name, index.freq)


def _axis0(axis: Any) -> None:
    if axis not in (0, "index", "rows"):
        raise NotImplementedError("tz_localize/tz_convert of the columns (axis=1)")
