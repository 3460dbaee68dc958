"""Top-level date helpers: ``date_range``, ``bdate_range``, ``timedelta_range``, ``infer_freq``
and ``to_timedelta``.

The ranges are pandas' own functions: they return a pandas DatetimeIndex/TimedeltaIndex (JaxFrames
has no public Index type, and our constructors, ``index=`` and ``set_axis`` accept pandas
indexes). ``to_timedelta`` of a JaxFrames Series gives a JaxFrames Series: numbers convert on
the device, strings are parsed by pandas on the host (its errors, its units).
"""

from __future__ import annotations

from typing import Any

import jax.numpy as jnp
import numpy as np
import pandas as pd

from jaxframes import dtypes as jdt
from jaxframes.column import Column
from jaxframes.table import from_pandas, is_frame, is_series, is_traced

date_range = pd.date_range
bdate_range = pd.bdate_range
timedelta_range = pd.timedelta_range


def infer_freq(index: Any) -> str | None:
    """pandas.infer_freq; a JaxFrames Series of datetimes (its live values) is accepted too."""
    if is_series(index):
        index = pd.DatetimeIndex(index.to_pandas()) if index._column.dtype.kind == "M" else index.to_pandas()
    elif is_frame(index):
        raise TypeError("cannot infer freq from a non-convertible DataFrame")
    return pd.infer_freq(index)


# pandas' unit aliases for numbers -> timedelta (numbers are counts of the unit)
_NANOS = {"ns": 1, "us": 10**3, "ms": 10**6, "s": 10**9, "m": 60 * 10**9, "h": 3600 * 10**9, "D": 86400 * 10**9,
          "W": 7 * 86400 * 10**9}


def to_timedelta(arg: Any, unit: str | None = None, errors: str = "raise") -> Any:
    """pandas.to_timedelta. A JaxFrames Series gives a JaxFrames Series (timedelta64[ns]);
    integer Series convert on the device; anything else is pandas' answer."""
    if not is_series(arg):
        return pd.to_timedelta(arg, unit=unit, errors=errors)
    col = arg._column
    if col.dtype.kind == "m":
        return arg
    if is_traced(col.data, arg._row_mask):
        raise NotImplementedError("to_timedelta inside jax.jit")
    if col.dtype.kind == "i" and not col.dtype.masked:
        # pandas' result unit for integers of this unit (ns without a unit, else us in pandas 3)
        target = jdt.from_pandas(pd.to_timedelta(pd.Series([0]), unit=unit).dtype)
        step = _unit_nanos(unit) // _unit_nanos(target.unit)
        info = np.iinfo(np.int64)
        if step > 1 and bool(jnp.any(arg._live() & ((col.data > info.max // step) | (col.data < info.min // step)))):
            pd.to_timedelta(arg.to_pandas(), unit=unit, errors=errors)  # pandas' overflow error
        data = col.data.astype(jnp.int64) * step
        return arg._with_column(Column(data, jnp.ones(data.shape, bool), target))
    result = pd.to_timedelta(arg.to_pandas(), unit=unit, errors=errors)
    return from_pandas(result)


def _unit_nanos(unit: str | None) -> int:
    if unit is None:
        return 1
    try:
        return int(pd.Timedelta(1, unit=unit).value)
    except ValueError as err:
        raise ValueError(f"invalid unit abbreviation: {unit}") from err
