"""Operators on period columns (``period[freq]``, int64 ordinals; dtypes.PeriodDType).

pandas' rules, on device:

- comparisons with a period column of the same frequency, a ``pd.Period`` of it or a string
  pandas parses as one (``s < '2024-03'``) compare ordinals: numpy bool, NaT compares False
  (``!=``: True). Against anything else (another frequency, an int, NaT) ``==`` is all False,
  ``!=`` all True, and an ordering raises pandas' TypeError ("Invalid comparison ...").
- ``period + int``, ``int + period``, ``period - int`` (int scalars or int columns) and an offset
  of the period's own frequency (``+ pd.offsets.MonthEnd(2)``) move the ordinal: by ``n`` times
  the frequency's multiple (``period[2D] + 1`` moves two days). The step is asked of pandas once
  (``pd.Period`` arithmetic on the host), so its errors (IncompatibleFrequency) are pandas'.
  A masked int column with a live NA raises pandas' ValueError.
- ``period - period`` gives pandas' DateOffset objects (an object column): not held,
  NotImplementedError. Other operators raise pandas' TypeError.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
import pandas as pd

from jaxframes import dtypes as jdt
from jaxframes.column import Column
from jaxframes.facts import any_live

CMP = ("eq", "ne", "lt", "le", "gt", "ge")
_SYMBOL = {"add": "+", "sub": "-", "mul": "*", "truediv": "/", "floordiv": "//", "mod": "%", "pow": "**"}
_FLIP = {"eq": "eq", "ne": "ne", "lt": "gt", "le": "ge", "gt": "lt", "ge": "le"}


def involves_period(left: Any, right: Any) -> bool:
    """Whether a binary operation has a period column."""
    return any(isinstance(x, Column) and x.dtype.kind == "P" for x in (left, right))


def _shape_of(left: Any, right: Any) -> tuple:
    return next(x.data.shape for x in (left, right) if isinstance(x, Column))


def binary(name: str, left: Any, right: Any, live: Any = None) -> Column:
    """``left <name> right`` where a side is a period column (module docstring)."""
    if name in CMP:
        if isinstance(left, Column) and left.dtype.kind == "P":
            return _compare(name, left, right)
        return _compare(_FLIP[name], right, left)
    if name in ("add", "sub"):
        return _shift(name, left, right, live)
    raise TypeError(f"cannot perform __{name}__ with this index type: PeriodArray")


# -- comparisons ----------------------------------------------------------------------------------
def _ordinals_of(col: Column, other: Any) -> tuple[jax.Array, jax.Array | None] | None:
    """(ordinals, present) of ``other`` in ``col``'s frequency, or None when it is not comparable."""
    freq = col.dtype.freq
    if isinstance(other, Column):
        if other.dtype.kind == "P" and other.dtype.freq == freq:
            return other.data, other.not_null()
        return None
    if isinstance(other, str):
        try:
            other = pd.Period(other, freq=freq)
        except (ValueError, TypeError):
            return None
    if isinstance(other, pd.Period) and other.freqstr == pd.Period(ordinal=0, freq=freq).freqstr:
        return jnp.asarray(np.int64(other.ordinal)), None
    return None


def _compare(name: str, col: Column, other: Any) -> Column:
    held = _ordinals_of(col, other)
    shape = col.data.shape
    if held is None:
        if name in ("eq", "ne"):
            return Column(jnp.full(shape, name == "ne"), None, jdt.BOOL)
        what = "PeriodArray" if isinstance(other, Column) and other.dtype.kind == "P" else \
            str(other.dtype) if isinstance(other, Column) else type(other).__name__
        raise TypeError(f"Invalid comparison between dtype={col.dtype} and {what}")
    data, present = held
    both = col.not_null() if present is None else col.not_null() & present
    result = getattr(jnp, {"eq": "equal", "ne": "not_equal", "lt": "less", "le": "less_equal",
                           "gt": "greater", "ge": "greater_equal"}[name])(col.data, data)
    result = result & both if name != "ne" else result | ~both
    return Column(result, None, jdt.BOOL)


# -- period +- int --------------------------------------------------------------------------------
def _step(freq: str) -> int:
    """How far one ``+ 1`` moves an ordinal of ``period[freq]`` (the frequency's multiple)."""
    return int((pd.Period(ordinal=0, freq=freq) + 1).ordinal)


def _moves(col: Column, other: Any, name: str, live: Any) -> tuple[jax.Array, jax.Array | None]:
    """(ordinal moves, present) of the non-period operand; pandas' errors for the others."""
    freq = col.dtype.freq
    if isinstance(other, Column):
        if other.dtype.kind == "P":
            raise NotImplementedError(f"{other.dtype} - {col.dtype} gives pandas' DateOffset objects (an object "
                                      "column), which JaxFrames columns do not hold")
        if other.dtype.kind not in "iu":
            raise TypeError(f"unsupported operand type(s) for {_SYMBOL[name]}: 'PeriodArray' and '{other.dtype}'")
        present = other.not_null() if other.dtype.has_validity else None
        if other.dtype.masked and any_live("period +- int: NA", ~other.not_null(), live, in_jit=False):
            raise ValueError("cannot convert to 'int64'-dtype NumPy array with missing values. Specify an "
                             "appropriate 'na_value' for this dtype.")
        return other.data.astype(jnp.int64) * np.int64(_step(freq)), present
    if isinstance(other, (bool, np.bool_)) or other is None:
        raise TypeError(f"unsupported operand type(s) for {_SYMBOL[name]}: 'PeriodArray' and "
                        f"'{type(other).__name__}'")
    if isinstance(other, (int, np.integer)):
        return jnp.asarray(np.int64(other) * np.int64(_step(freq))), None
    if isinstance(other, jax.Array) and other.ndim == 0 and jnp.issubdtype(other.dtype, jnp.integer):
        return other.astype(jnp.int64) * np.int64(_step(freq)), None
    if isinstance(other, pd.Period) or other is pd.NaT:
        raise NotImplementedError(f"{col.dtype} - Period gives pandas' DateOffset objects (an object "
                                  "column), which JaxFrames columns do not hold")
    if isinstance(other, pd.offsets.BaseOffset):
        moved = pd.Period(ordinal=0, freq=freq) + other  # pandas' IncompatibleFrequency if it does not fit
        return jnp.asarray(np.int64(moved.ordinal)), None
    if isinstance(other, (pd.Timedelta, _dt.timedelta, np.timedelta64)):
        raise NotImplementedError(f"{col.dtype} + a timedelta is not supported (add an integer number of periods)")
    raise TypeError(f"unsupported operand type(s) for {_SYMBOL[name]}: 'PeriodArray' and '{type(other).__name__}'")


def _shift(name: str, left: Any, right: Any, live: Any) -> Column:
    if not (isinstance(left, Column) and left.dtype.kind == "P"):
        if name == "sub":  # int - period: pandas negates the periods first
            raise TypeError("bad operand type for unary -: 'PeriodArray'")
        left, right = right, left
    moves, present = _moves(left, right, name, live)
    data = left.data + moves if name == "add" else left.data - moves
    valid = left.not_null() if present is None else left.not_null() & present
    return Column(jnp.where(valid, data, 0), valid, left.dtype)
