"""Datetimes <-> periods: ``to_period``, ``to_timestamp`` and ``asfreq`` of period columns and
of a Series' / DataFrame's index, with pandas' rules.

The conversions are device arithmetic on int64 counts and ordinals (periods.py), so they run
under ``jax.jit``, except where pandas infers a frequency from the values (``to_period()``
without ``freq`` on an index with none): that reads the live labels on the host, as pandas'
``inferred_freq`` does, and raises pandas' ValueError when there is none.

``to_timestamp`` gives datetime64[us] (ns for ``period[ns]``), the period's first instant
(``how='start'``) or last (``how='end'``). ``asfreq`` gives the target period holding the
source period's end (``how='E'``, pandas' default) or start. A timezone-aware datetime becomes
the period of its wall-clock time (pandas warns that the zone is dropped).
"""

from __future__ import annotations

import warnings
from typing import Any

import jax.numpy as jnp
import numpy as np
import pandas as pd

from jaxframes import dtypes as jdt
from jaxframes import index as idxmod
from jaxframes import periods
from jaxframes.column import Column
from jaxframes.table import is_traced
from jaxframes.timeseries import timezones

_END = ("E", "END", "FINISH")
_START = ("S", "START", "BEGIN")


def how_is_end(how: Any, default_end: bool, what: str) -> bool:
    """pandas' ``how`` of asfreq / to_timestamp: 'start'/'s' or 'end'/'e' (and their aliases)."""
    if how is None:
        return default_end
    name = str(how).upper()
    if name in _END:
        return True
    if name in _START:
        return False
    if what == "to_timestamp":
        raise ValueError(f"how must be one of 'start', 'end', 's', 'e', got {how!r}")
    raise ValueError(f"How must be one of S or E, got {how!r}")


# -- columns --------------------------------------------------------------------------------------
def to_timestamp(col: Column, freq: Any = None, how: Any = "start") -> Column:
    """Period ordinals -> datetimes: the first (how='start') or last instant of each period."""
    if col.dtype.kind != "P":
        raise TypeError(f"to_timestamp needs period values, got {col.dtype}")
    end = how_is_end(how, False, "to_timestamp")
    if freq is not None:
        raise NotImplementedError("to_timestamp(freq=...) is not supported (asfreq the periods first)")
    source = col.dtype.freq
    unit = periods.timestamp_unit(source)
    data = periods.end(col.data, source, unit, "to_timestamp") if end else \
        periods.start(col.data, source, unit, "to_timestamp")
    present = col.not_null()
    return Column(jnp.where(present, data, 0), present, jdt.datetime(unit))


def asfreq(col: Column, freq: Any, how: Any = "E") -> Column:
    """Periods in another frequency: the one holding each period's end (how='E') or start."""
    target = jdt.period(freq)
    end = how_is_end(how, True, "asfreq")
    data = periods.asfreq(col.data, col.dtype.freq, target.freq, end)
    present = col.not_null()
    return Column(jnp.where(present, data, 0), present, target)


def to_period(col: Column, freq: Any, live: Any = None) -> Column:
    """Datetimes -> the periods of ``freq`` holding them; ``freq=None`` infers it from the live
    values (pandas' inferred_freq: a host read). Timezone-aware: their wall-clock time."""
    if col.dtype.kind != "M":
        raise TypeError(f"to_period needs datetime64 values, got {col.dtype}")
    target = _target(col, freq, live)
    if jdt.tz_of(col.dtype) is not None:
        warnings.warn("Converting to PeriodArray/Index representation will drop timezone information.",
                      UserWarning, stacklevel=4)
    present = col.not_null()
    data = periods.from_datetime(timezones.wall(col).data, col.dtype.unit, target.freq)
    return Column(jnp.where(present, data, 0), present, target)


def _target(col: Column, freq: Any, live: Any, index_freq: Any = None) -> jdt.PeriodDType:
    if freq is not None:
        return jdt.period(freq)
    if index_freq is not None:
        # pandas' own mapping of the index's offset to a period frequency (ME -> M; MS refuses)
        return jdt.period(pd.date_range("2000-01-01", periods=1, freq=index_freq).to_period().dtype)
    if is_traced(col.data, live):
        raise NotImplementedError("to_period() without freq inside jax.jit (pandas infers it from the values)")
    rows = None if live is None else np.asarray(live, dtype=bool)
    labels = pd.DatetimeIndex(col.to_host(rows))
    return jdt.period(labels.to_period().dtype)  # pandas' inference and its ValueError


# -- the index ------------------------------------------------------------------------------------
def _axis0(axis: Any, what: str) -> None:
    if axis not in (0, "index", "rows"):
        raise NotImplementedError(f"{what}(axis=1) (the column labels) is not supported")


def index_to_period(table: Any, freq: Any = None, axis: Any = 0) -> idxmod.Index:
    """The DatetimeIndex of ``table`` as a PeriodIndex (Series/DataFrame.to_period)."""
    _axis0(axis, "to_period")
    index = table.index
    if not isinstance(index, idxmod.Index) or index.dtype.kind != "M":
        raise TypeError(f"unsupported Type {_pandas_type(index)}")
    col = index.column
    index_freq = index.freq if freq is None and index.freq is not None else None
    target = _target(col, freq, table.row_mask, index_freq)
    return idxmod.Index(to_period(col, target), index.name)


def index_to_timestamp(table: Any, freq: Any = None, how: Any = "start", axis: Any = 0) -> idxmod.Index:
    """The PeriodIndex of ``table`` as a DatetimeIndex (Series/DataFrame.to_timestamp)."""
    _axis0(axis, "to_timestamp")
    index = table.index
    if not isinstance(index, idxmod.Index) or index.dtype.kind != "P":
        raise TypeError(f"unsupported Type {_pandas_type(index)}")
    # pandas stamps the frequency it infers from the start labels ('infer': Index.to_pandas infers
    # it from the live labels); the end labels get none
    inferred = None if how_is_end(how, False, "to_timestamp") else "infer"
    return idxmod.Index(to_timestamp(index.column, freq, how), index.name, inferred)


def _pandas_type(index: Any) -> str:
    if isinstance(index, idxmod.RangeIndex):
        return "RangeIndex"
    return "DatetimeIndex" if index.dtype.kind == "M" else "Index"
