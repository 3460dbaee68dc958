"""Decimal columns: pandas' ``decimal128(p, s)[pyarrow]`` held as int64 counts of ``10**-s``.

Result dtypes come from pandas (ops/arithmetic.py asks it, as for every operator): ``+``/``-``
give ``decimal128(max(p1-s1, p2-s2) + max(s1, s2) + 1, max(s1, s2))``, ``*`` gives
``decimal128(p1 + p2 + 1, s1 + s2)``, an int64 operand counts as ``decimal128(19, 0)``, and
comparisons give ``bool[pyarrow]`` (NA where an operand is null). The values are exact int64
arithmetic: operands are brought to the result's scale (a multiply by a power of ten), then
added, or multiplied as they are (scales add up). A value that leaves int64 (|x| >= 2**63,
about 9.2e18 counts) raises OverflowError, decided on live rows; inside a user ``jax.jit`` it
cannot be checked and wraps, as numpy integers do.

Not held (NotImplementedError naming the op): ``/``, ``//``, ``%``, ``**`` (pandas' scales
there, 22 digits for ``decimal / 2``, do not fit int64), arithmetic with floats (pandas gives
``double[pyarrow]``), prod/std/var/median.
"""

from __future__ import annotations

import decimal as _decimal
import functools
import math
import operator
import weakref
from dataclasses import dataclass
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
import pandas as pd

from jaxframes import dtypes as jdt
from jaxframes.column import Column
from jaxframes.executables import jit
from jaxframes.facts import any_live, is_traced
from jaxframes.sync import device_get

INT64_MAX = np.iinfo(np.int64).max
# floats at or beyond this magnitude are outside int64 (2**63 is exact in float64)
_FLOAT_LIMIT = 2.0 ** 63
ARITH = ("add", "sub", "mul")
CMP = ("eq", "ne", "lt", "le", "gt", "ge")


@dataclass(frozen=True)
class Operand:
    """An operand as (int64 counts, present, scale), or as float64 values (``scale`` None)."""

    data: Any
    present: Any
    scale: int | None
    null: bool = False
    host: int | None = None  # a scalar's count, known on the host (no sync to bound it)


def involves_decimal(left: Any, right: Any) -> bool:
    """Whether a binary operation has a decimal column (or a Decimal scalar next to a column)."""
    return any(isinstance(x, Column) and x.dtype.kind == "d" for x in (left, right)) \
        or any(isinstance(x, _decimal.Decimal) for x in (left, right))


def to_decimal(count: Any, scale: int) -> _decimal.Decimal:
    """The Python Decimal of an int64 count of ``10**-scale`` (what pandas returns)."""
    return _decimal.Decimal(int(count)).scaleb(-scale)


def _operand(value: Any, name: str) -> Operand:
    if isinstance(value, Column):
        kind = value.dtype.kind
        present = value.not_null() if value.dtype.has_validity else None
        if kind == "d":
            return Operand(value.data, present, value.dtype.scale)
        if kind == "i":
            return Operand(value.data.astype(jnp.int64), present, 0)
        if kind == "f" and name in CMP:
            return Operand(value.data.astype(jnp.float64), value.not_null(), None)
        raise NotImplementedError(f"{name} of a decimal column and a {value.dtype} column is not supported")
    if value is None or (not isinstance(value, (float, np.floating, _decimal.Decimal)) and _is_na(value)):
        return Operand(jnp.int64(0), None, 0, null=True)
    if isinstance(value, _decimal.Decimal):
        if not value.is_finite():
            raise NotImplementedError(f"{name} with a non-finite Decimal ({value}) is not supported")
        sign, digits, exponent = value.as_tuple()
        scale = max(0, -int(exponent))
        count = int(value.scaleb(scale))
        if abs(count) > INT64_MAX:
            raise OverflowError(f"Decimal {value} does not fit a scaled int64")
        return Operand(jnp.int64(count), None, scale, host=count)
    if isinstance(value, (bool, np.bool_)):
        raise TypeError(f"operation {name!r} not supported for decimal columns with a bool")
    if isinstance(value, (int, np.integer)):
        return Operand(jnp.int64(int(value)), None, 0, host=int(value))
    if isinstance(value, jax.Array) and jnp.issubdtype(value.dtype, jnp.integer):
        return Operand(value.astype(jnp.int64), None, 0)
    if isinstance(value, (float, np.floating)) and name in CMP:
        return Operand(jnp.float64(value), None if not np.isnan(value) else jnp.bool_(False), None)
    raise NotImplementedError(f"{name} of a decimal column and {type(value).__name__} is not supported")


def _is_na(value: Any) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _both_present(a: Operand, b: Operand) -> Any:
    if a.present is None:
        return b.present
    return a.present if b.present is None else a.present & b.present


def _rescale(o: Operand, scale: int, live: Any, what: str) -> Any:
    """``o``'s counts at a finer ``scale`` (a multiply by 10**k that must not leave int64)."""
    step = scale - o.scale
    if step == 0:
        return o.data
    if step > 18:
        raise OverflowError(f"{what}: rescaling a decimal by 10**{step} leaves int64")
    factor = 10 ** step
    bound = INT64_MAX // factor
    known = _bound(o)
    if known is not None and known <= bound:  # no slot can leave int64: nothing to check
        return o.data * np.int64(factor)
    outside = jnp.abs(o.data) > bound
    if o.present is not None:
        outside = outside & o.present
    if any_live(f"{what}: decimal rescale overflow", outside, live, in_jit=False):
        raise OverflowError(f"{what}: a decimal value times 10**{step} leaves int64")
    return o.data * np.int64(factor)


def binary(name: str, left: Any, right: Any, res: jdt.DType, live: Any) -> Column:
    """``left <name> right`` with a decimal operand; ``res`` is pandas' result dtype."""
    if name not in ARITH and name not in CMP:
        raise NotImplementedError(f"{name} of decimal columns (pandas gives {res}, which needs more than "
                                  "int64's 18 digits) is not supported; cast to float64 first")
    a, b = _operand(left, name), _operand(right, name)
    shape = (left if isinstance(left, Column) else right).data.shape
    present = _both_present(a, b)
    if a.null or b.null:
        return Column(jnp.zeros(shape, res.storage), jnp.zeros(shape, bool), res)
    what = f"decimal {name}"
    if name in CMP:
        counted = _float_scalar_as_counts(name, a, b, left, right)
        if counted is not None:  # a column against a float scalar: one int64 test per row
            data = counted
        elif a.scale is None or b.scale is None:  # against floats: compare as float64, as Arrow does
            data = _COMPARE[name](_as_float(a), _as_float(b))
        else:
            scale = max(a.scale, b.scale)
            data = _COMPARE[name](_rescale(a, scale, live, what), _rescale(b, scale, live, what))
    elif name == "mul":
        if not _fits(_bound(a), _bound(b), 0, 0):
            overflow = jnp.abs(a.data.astype(jnp.float64) * b.data.astype(jnp.float64)) >= _FLOAT_LIMIT
            _check_overflow(overflow, present, live, what)
        if res.storage == np.int64:
            data, valid = _product(a.data, b.data, a.present, b.present, shape=shape)
            return Column(data, valid, res)
        data = a.data * b.data
    else:
        x, y = _rescale(a, res.scale, live, what), _rescale(b, res.scale, live, what)
        data = x + y if name == "add" else x - y
        if not _fits(_bound(a), _bound(b), res.scale - a.scale, res.scale - b.scale, add=True):
            # two's complement: the sum left int64 when its sign differs from both operands' signs
            y_signed = y if name == "add" else -y
            overflow = ((x ^ data) & (y_signed ^ data)) < 0
            if name == "sub":
                overflow = overflow | (y == np.iinfo(np.int64).min)
            _check_overflow(overflow, present, live, what)
    data = jnp.broadcast_to(data, shape).astype(res.storage)
    if present is None:
        return Column(data, jnp.ones(shape, bool), res)
    valid = jnp.broadcast_to(present, shape)
    return Column(jnp.where(valid, data, jnp.zeros((), data.dtype)), valid, res)


@functools.partial(jit, static_argnames=("shape",))
def _product(x: Any, y: Any, present_x: Any, present_y: Any, shape: tuple) -> tuple[Any, Any]:
    """(the counts' product with nulls zeroed, validity) in one compiled pass."""
    data = jnp.broadcast_to(x * y, shape)
    present = [p for p in (present_x, present_y) if p is not None]
    valid = jnp.ones(shape, bool) if not present else jnp.broadcast_to(
        present[0] if len(present) == 1 else present[0] & present[1], shape)
    return jnp.where(valid, data, jnp.zeros((), data.dtype)), valid


#: One table for both sides: jax arrays (elementwise, as jnp.equal/less...) and the host's floats.
_COMPARE = {"eq": operator.eq, "ne": operator.ne, "lt": operator.lt, "le": operator.le, "gt": operator.gt,
            "ge": operator.ge}
_FLIPPED = {"eq": "eq", "ne": "ne", "lt": "gt", "le": "ge", "gt": "lt", "ge": "le"}


def _float_scalar_as_counts(name: str, a: Operand, b: Operand, left: Any, right: Any) -> Any:
    """``column <name> float`` as int64 tests on the counts, giving exactly what the float64
    comparison gives (``count / 10**scale`` in float64, then ``<name>``). That quotient never
    decreases as the count grows, so the counts ``eq`` accepts are a range and those of
    ``lt``/``le`` (``gt``/``ge``) everything up to (from) one count; the ends lie within a few
    counts of ``value * 10**scale`` and are found by the same float64 arithmetic on the host.
    None (the float64 path) unless one side is a column and the other a finite float
    scalar well inside float64's exact integers, or when the window does not show the shape."""
    if isinstance(left, Column) and isinstance(right, (float, np.floating)) and a.scale is not None:
        col, value = a, float(right)
    elif isinstance(right, Column) and isinstance(left, (float, np.floating)) and b.scale is not None:
        col, value, name = b, float(left), _FLIPPED[name]
    else:
        return None
    if getattr(col.data, "ndim", 0) != 1 or not math.isfinite(value) or col.scale > 15:
        return None
    divisor = 10.0 ** col.scale
    guess = value * divisor
    if not abs(guess) < 2.0 ** 50:
        return None
    test = "eq" if name in ("eq", "ne") else name
    window = list(range(math.floor(guess) - 4, math.floor(guess) + 5))
    flags = [_COMPARE[test](float(c) / divisor, value) for c in window]
    hits = [c for c, f in zip(window, flags) if f]
    data = col.data
    if test in ("lt", "le"):  # True up to the last hit, which must lie inside the window
        if not (flags[0] and not flags[-1] and flags == sorted(flags, reverse=True)):
            return None
        return data <= np.int64(hits[-1])
    if test in ("gt", "ge"):
        if not (flags[-1] and not flags[0] and flags == sorted(flags)):
            return None
        return data >= np.int64(hits[0])
    if flags[0] or flags[-1] or (hits and hits != list(range(hits[0], hits[-1] + 1))):
        return None
    if not hits:  # no count gives exactly this float
        equal = jnp.zeros(data.shape, bool)
    else:
        equal = (data >= np.int64(hits[0])) & (data <= np.int64(hits[-1]))
    return equal if name == "eq" else ~equal


def _bound(o: Operand) -> int | None:
    """The largest |count| over every slot of a concrete int64 operand (a scalar read on the
    host, a column's cached ``magnitude``); None when it cannot be known without tracing."""
    if o.host is not None:
        return abs(o.host)
    if o.scale is None or is_traced(o.data) or getattr(o.data, "ndim", 0) != 1:
        return None
    if np.dtype(o.data.dtype) != np.int64:
        return None
    return magnitude(o.data)


def _fits(a: int | None, b: int | None, step_a: int, step_b: int, add: bool = False) -> bool:
    """Whether bounds ``a`` and ``b`` (at 10**step finer scales) prove the sum (``add``) or the
    product stays inside int64 on every slot, so the per-row overflow check can be skipped."""
    if a is None or b is None:
        return False
    if add:
        return a * 10 ** step_a + b * 10 ** step_b <= INT64_MAX
    return a * b <= INT64_MAX


def _as_float(o: Operand) -> Any:
    return o.data if o.scale is None else o.data.astype(jnp.float64) / (10.0 ** o.scale)


def _check_overflow(overflow: Any, present: Any, live: Any, what: str) -> None:
    if present is not None:
        overflow = overflow & present
    if any_live(f"{what}: int64 overflow", overflow, live, in_jit=False):
        raise OverflowError(f"{what}: a result leaves the scaled int64 that holds decimals "
                            "(|value| >= 2**63 counts)")


def unary(name: str, col: Column, res: jdt.DType) -> Column:
    """-x, +x, abs(x) (pandas keeps the dtype)."""
    if name == "neg":
        data = -col.data
    elif name == "abs":
        data = jnp.abs(col.data)
    elif name == "pos":
        data = col.data
    else:
        raise TypeError(f"bad operand type for unary {name}: {col.dtype}")
    return Column(data, col.validity, res)


# -- reductions --------------------------------------------------------------------------------------
REDUCTIONS = ("sum", "mean", "min", "max", "count", "nunique")


def check_reduction(op: str, dtype: jdt.DType) -> None:
    if op not in REDUCTIONS:
        raise NotImplementedError(f"{op} of a {dtype} column is not supported (sum, mean, min, max, "
                                  "count and nunique are); cast to float64 first")


# id(array) -> (weak reference to the array, max |x| over all its slots): arrays are immutable,
# so a column's bound is learned once (an entry leaves with its array)
_MAGNITUDES: dict[int, tuple[Any, int]] = {}


@jit
def _min_max(data: jax.Array) -> jax.Array:
    return jnp.stack([jnp.min(data), jnp.max(data)])


def magnitude(data: jax.Array) -> int:
    """The largest |x| over EVERY slot of a concrete int64 counts array (dead rows and nulls'
    fillers included, so it bounds the live values): one min/max pass and one host sync, cached
    per array."""
    if data.shape[0] == 0:
        return 0
    key = id(data)
    hit = _MAGNITUDES.get(key)
    if hit is not None and hit[0]() is data:
        return hit[1]
    low, high = (int(x) for x in device_get(_min_max(data)))
    bound = max(abs(low), abs(high))
    _MAGNITUDES[key] = (weakref.ref(data, lambda _, k=key: _MAGNITUDES.pop(k, None)), bound)
    return bound


def sum_cannot_overflow(data: Any) -> bool:
    """Whether no sum of the array's values can leave int64: the row count times the largest |x|
    fits (then the float64 overflow-check sum is not needed). False inside a trace, where nothing
    can be read."""
    if is_traced(data) or getattr(data, "ndim", 1) != 1 or np.dtype(data.dtype) != np.int64:
        return False
    return magnitude(data) * max(data.shape[0], 1) <= INT64_MAX


def checked_sum(data: Any, present: Any, live: Any, axis: int = -1) -> Any:
    """The exact int64 sum of present counts; OverflowError when the true sum leaves int64 (int64
    adds wrap, so the wrapped sum is right whenever the true one fits: a float64 sum says which)."""
    x = jnp.where(present, data, 0)
    if sum_cannot_overflow(data):
        return jnp.sum(x, axis=axis)
    approx = jnp.sum(x.astype(jnp.float64), axis=axis)
    if any_live("decimal sum: int64 overflow", jnp.abs(approx) >= _FLOAT_LIMIT * (1 - 2.0 ** -40), None,
                in_jit=False):
        raise OverflowError("decimal sum: the total leaves the scaled int64 that holds decimals")
    return jnp.sum(x, axis=axis)


def rounded_mean(total: Any, count: Any) -> Any:
    """total / count rounded half away from zero to an integer count (Arrow's decimal mean)."""
    n = jnp.maximum(count, 1).astype(jnp.int64)
    magnitude = jnp.abs(total)
    q = magnitude // n
    rem = magnitude - q * n
    q = q + (rem >= n - rem).astype(jnp.int64)
    return jnp.where(total < 0, -q, q)


def sum_dtype(dtype: jdt.DType) -> jdt.DType:
    """pandas sums decimal128(p, s) into decimal128(38, s)."""
    return jdt.decimal(38, dtype.scale)
