"""Datetime/timedelta units on device: exact conversion to a finer unit and exact comparison
across units.

Columns hold int64 counts of their own unit (see dtypes.py), as pandas does. pandas brings the
operands of ``+``, ``-``, merges and concatenations to the finer unit and raises
OutOfBoundsDatetime / OutOfBoundsTimedelta when a value has no form there (the year 1500 in
nanoseconds). ``to_unit`` does the same: the question "does a present row overflow?" is asked
through ``facts.any_live`` (eager: one counted sync and pandas' error; inside a user ``jit``,
where nothing can be raised, the overflowing rows become NaT instead of wrapped-around values).
Comparisons need no conversion at all: ``compare`` splits the finer side into (coarse count,
remainder), which is exact for every value, as pandas' own comparison is.
"""

from __future__ import annotations

import operator
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
import pandas as pd

from jaxframes import dtypes as jdt
from jaxframes import facts

_INT64 = np.iinfo(np.int64)


def factor(from_unit: str, to_unit: str) -> int:
    """How many ``to_unit`` steps make one ``from_unit`` step (``to_unit`` must be finer or equal)."""
    ratio, rest = divmod(jdt.PER_SECOND[to_unit], jdt.PER_SECOND[from_unit])
    if ratio == 0 or rest:
        raise ValueError(f"{to_unit!r} is not finer than {from_unit!r}")
    return ratio


def out_of_bounds(kind: str, from_unit: str, to_unit: str) -> Exception:
    """pandas' error for a value with no form in a finer unit."""
    if kind == "M":
        return pd.errors.OutOfBoundsDatetime(
            f"Out of bounds {_UNIT_NAMES[to_unit]} timestamp: a datetime64[{from_unit}] value is outside "
            f"the datetime64[{to_unit}] range")
    return pd.errors.OutOfBoundsTimedelta(
        f"Cannot convert a timedelta64[{from_unit}] value to timedelta64[{to_unit}] without overflow")


_UNIT_NAMES = {"s": "second", "ms": "millisecond", "us": "microsecond", "ns": "nanosecond"}


def to_unit(data: jax.Array, present: jax.Array | None, kind: str, from_unit: str, to_unit: str,
            live: Any = None) -> tuple[jax.Array, jax.Array | None]:
    """(data, present) in ``to_unit`` (finer or equal). A present row that overflows raises
    pandas' error eagerly; inside a user jit it becomes null (``present`` False)."""
    f = factor(from_unit, to_unit)
    if f == 1:
        return data, present
    data = data.astype(np.int64)
    over = (data > _INT64.max // f) | (data < -(_INT64.max // f))
    if present is not None:
        over = over & present
    if facts.any_live(f"{kind} unit {from_unit}->{to_unit} out of bounds", over, live, in_jit=False):
        raise out_of_bounds(kind, from_unit, to_unit)
    if isinstance(over, jax.core.Tracer):  # inside jit: never a wrapped value
        present = ~over if present is None else present & ~over
    return jnp.where(over, 0, data) * np.int64(f), present


_CMP = {"eq": operator.eq, "ne": operator.ne, "lt": operator.lt, "le": operator.le,
        "gt": operator.gt, "ge": operator.ge}
_FLIP = {"eq": "eq", "ne": "ne", "lt": "gt", "le": "ge", "gt": "lt", "ge": "le"}


def compare(name: str, a: jax.Array, a_unit: str, b: jax.Array, b_unit: str) -> jax.Array:
    """``a <name> b`` for int64 counts of two units, exact for every value (no conversion)."""
    if a_unit == b_unit:
        return _CMP[name](a, b)
    if jdt.PER_SECOND[a_unit] > jdt.PER_SECOND[b_unit]:  # keep ``a`` the coarse side
        return compare(_FLIP[name], b, b_unit, a, a_unit)
    f = np.int64(factor(a_unit, b_unit))
    a, b = a.astype(np.int64), b.astype(np.int64)
    q = jnp.floor_divide(b, f)
    r = b - q * f  # in [0, f): a*f <op> b  <=>  (a, 0) <op> (q, r) lexicographically
    less = (a < q) | ((a == q) & (r > 0))
    equal = (a == q) & (r == 0)
    return {"eq": equal, "ne": ~equal, "lt": less, "le": less | equal,
            "gt": ~(less | equal), "ge": ~less}[name]


def checked_add(name: str, a: jax.Array, b: jax.Array, present: jax.Array | None,
                live: Any = None) -> tuple[jax.Array, jax.Array | None]:
    """``a + b`` or ``a - b`` on int64 counts; overflow raises pandas' OverflowError eagerly
    ("Overflow in int64 addition") and gives null rows inside a user jit."""
    a, b = a.astype(np.int64), b.astype(np.int64)
    out = a + b if name == "add" else a - b
    if name == "add":
        over = ((a ^ out) & (b ^ out)) < 0
    else:
        over = ((a ^ b) & (a ^ out)) < 0
    if present is not None:
        over = over & present
    if facts.any_live(f"temporal {name} overflow", over, live, in_jit=False):
        raise OverflowError("Overflow in int64 addition")
    if isinstance(over, jax.core.Tracer):
        present = ~over if present is None else present & ~over
    return out, present
