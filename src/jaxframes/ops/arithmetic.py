"""Binary and unary column operators with pandas' dtype and null rules.

Result dtypes come from pandas itself: the dtype pandas gives for one-row operands of the same
dtypes (or the actual host scalar) is the result dtype (cached per dtype pair and op). That keeps
every promotion rule (int32+int64 -> int64, int/int truediv -> float64, bool arithmetic,
masked dtypes, datetime - datetime -> timedelta) and every refusal (str + int -> TypeError) in
agreement with pandas by construction.

Rules that depend on VALUES are decided on LIVE rows only (``live``: the row mask of the
operands, passed down from combine.py; None = all rows), each through one
``facts.any_live`` question asked BEFORE the compiled kernel runs (ops/numeric_kernels.py), so
the answer is part of the kernel's static key:

* numpy int ``//`` and ``%`` by a column with a live zero give float64 (inf/NaN), as pandas
  does; so does float32 ``//`` (pandas' float64). Inside ``jax.jit``: ALWAYS float64 (values
  right, dtype static).
* numpy int ``**`` a column with a live negative exponent raises ValueError. Inside ``jax.jit``
  it cannot be checked: such rows get a defined value, the integer part of the true power
  (``1``; ``+-1`` for base -1 by parity; ``0`` for any other base, 0 included).
* ``boolean`` & | ^ a ``Float64`` column with a live NA raises ValueError (pandas cannot make
  a bool array of it). Inside ``jax.jit``: the NA acts as NA in Kleene logic.
* masked float results turn NaN into NA (pandas 3), ``1 ** NA`` and ``NA ** 0`` are 1.

Null rules: masked results are null where an operand is null; numpy float results carry NaN;
comparisons give False (True for !=) on nulls for numpy bool results and NA for masked ones;
``&``/``|`` on ``boolean`` use Kleene logic. Integer overflow wraps, as numpy does.
"""

from __future__ import annotations

import datetime as _dt
import decimal as _decimal
import functools
import operator
from typing import Any, Callable

import jax
import jax.numpy as jnp
import numpy as np
import pandas as pd

from jaxframes import dtypes as jdt
from jaxframes import units
from jaxframes.column import Column
from jaxframes.dictionary import comparable_codes
from jaxframes.facts import any_live
from jaxframes.ops import decimals
from jaxframes.ops.numeric_kernels import Operand as _Operand
from jaxframes.ops.numeric_kernels import Side, Spec, binary_kernel, unary_kernel
from jaxframes.ops.numeric_kernels import and_present as _and_present
from jaxframes.ops.numeric_kernels import finish as _finish

ARITH = ("add", "sub", "mul", "truediv", "floordiv", "mod", "pow")
CMP = ("eq", "ne", "lt", "le", "gt", "ge")
LOGICAL = ("and_", "or_", "xor")
UNARY = ("neg", "pos", "abs", "invert")

_CMP_FLIP = {"eq": "eq", "ne": "ne", "lt": "gt", "le": "ge", "gt": "lt", "ge": "le"}


# -- result dtypes: pandas is the oracle ---------------------------------------------------------
def _sample(dtype: jdt.DType) -> pd.Series:
    """A one-row pandas Series of ``dtype`` holding an ordinary value (in the dtype's unit:
    ``to_pandas`` gives datetime64[s] for a seconds column, so pandas answers with its unit rule)."""
    samples = {"b": True, "i": 1, "u": 1, "f": 1.0, "U": "a", "M": pd.Timestamp("2000-01-01"),
               "m": pd.Timedelta(1, "s"), "d": _decimal.Decimal(1)}
    if dtype.kind not in samples:
        raise NotImplementedError(f"this operation on {dtype} columns is not supported yet")
    value: Any = samples[dtype.kind]
    if jdt.tz_of(dtype) is not None:  # an instant in the zone (pandas refuses naive -> aware casts)
        return pd.Series([value]).dt.tz_localize("UTC").astype(jdt.to_pandas(dtype))
    return pd.Series([value], dtype=jdt.to_pandas(dtype))


def _probe_value(desc: Any) -> Any:
    return _sample(desc[1]) if desc[0] == "col" else desc[1]


def describe(operand: Any) -> tuple:
    """A hashable description of an operand for the dtype probe: ('col', DType) or ('scalar', value)."""
    if isinstance(operand, Column):
        return ("col", operand.dtype)
    if isinstance(operand, jax.Array):
        operand = np.ones((), operand.dtype)[()]
    return ("scalar", operand, type(operand))  # the type keeps 1 and True apart in the cache


def _as_dtype(result: Any, what: str) -> jdt.DType:
    return jdt.held(result.dtype, what)


def _cached(fn: Callable) -> Callable:
    cached = functools.lru_cache(maxsize=4096)(fn)

    @functools.wraps(fn)
    def wrapper(*args):
        try:
            hash(args)
        except TypeError:
            return fn(*args)
        return cached(*args)
    return wrapper


@_cached
def binary_result_dtype(name: str, left: tuple, right: tuple) -> jdt.DType:
    """The dtype pandas gives for ``left <name> right`` (raises what pandas raises)."""
    op = getattr(operator, name)
    with np.errstate(all="ignore"):
        result = op(_probe_value(left), _probe_value(right))
    return _as_dtype(result, f"{name} of {left[1]!r} and {right[1]!r}")


@_cached
def unary_result_dtype(name: str, dtype: jdt.DType) -> jdt.DType:
    result = getattr(operator, name)(_sample(dtype))
    return _as_dtype(result, f"{name} of {dtype}")


# -- operands ------------------------------------------------------------------------------------
def _is_null_scalar(value: Any) -> bool:
    if isinstance(value, (jax.Array, str)):
        return False
    try:
        return bool(pd.isna(value)) and not isinstance(value, float)
    except (TypeError, ValueError):
        return False


def _operand(value: Any, other_kind: str) -> _Operand:
    """An operand for the host-assisted paths (strings, datetimes)."""
    if isinstance(value, Column):
        return _Operand(value.data, value.validity, value.dtype, value.dictionary)
    if isinstance(value, jax.Array):
        return _Operand(value, None, jdt.from_storage(value.dtype), is_scalar=True, scalar=value)
    if _is_null_scalar(value):
        return _Operand(jnp.asarray(0), jnp.asarray(False), None, scalar=value, is_scalar=True)
    if other_kind in "Mm" and other_kind and not isinstance(value, (bool, np.bool_)):
        held = _temporal_scalar(value, other_kind)
        if held is not None:
            count, dtype = held
            return _Operand(jnp.asarray(count, jnp.int64), None, dtype, scalar=value, is_scalar=True)
    if isinstance(value, str):
        return _Operand(None, None, None, scalar=value, is_scalar=True)
    if isinstance(value, (_dt.datetime, np.datetime64, _dt.timedelta, np.timedelta64)):
        return _Operand(jnp.asarray(0), None, None, scalar=value, is_scalar=True)
    arr = np.asarray(value)
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"unsupported operand of type {type(value).__name__}")
    return _Operand(jnp.asarray(arr), None, jdt.from_storage(arr.dtype), scalar=value, is_scalar=True)


def _temporal_scalar(value: Any, kind: str) -> tuple[int, jdt.DType] | None:
    """(count, dtype) of a datetime-like (next to a kind M column) or timedelta-like scalar in
    its own unit, as pandas holds it (pd.Timestamp('1500-01-01') has no nanosecond form), else None."""
    try:
        if isinstance(value, (pd.Timedelta, _dt.timedelta, np.timedelta64)):
            held = pd.Timedelta(value)
            if held is pd.NaT:
                return None
            return int(held.to_timedelta64().view(np.int64)), jdt.timedelta(held.unit)
        if isinstance(value, (pd.Timestamp, _dt.datetime, np.datetime64, str)) and kind == "M":
            ts = pd.Timestamp(value)
            if ts is pd.NaT:
                return None
            if ts.tzinfo is not None:  # the UTC instant; the zone rides in the dtype
                return int(ts.to_datetime64().view(np.int64)), jdt.datetime_tz(ts.unit, ts.tzinfo)
            return int(ts.to_datetime64().view(np.int64)), jdt.datetime(ts.unit)
    except (ValueError, TypeError):
        return None
    return None


# -- binary operators ------------------------------------------------------------------------------
def binary_op(name: str, left: Any, right: Any, live: jax.Array | None = None) -> Column:
    """``left <name> right`` where at least one side is a Column (the other may be a host scalar
    or a 0-d JAX array). ``name`` is an ``operator`` module name: add, truediv, eq, and_, ...
    ``live``: the operands' row mask (None: every row is live); only live rows decide the
    value-dependent rules (module docstring)."""
    if not isinstance(left, Column) and not isinstance(right, Column):
        raise TypeError("binary_op needs at least one Column")
    res = binary_result_dtype(name, describe(left), describe(right))
    if decimals.involves_decimal(left, right):
        return decimals.binary(name, left, right, res, live)
    sides = _numeric_side(left, name), _numeric_side(right, name)
    if sides[0] is not None and sides[1] is not None:
        return _numeric(name, left, right, res, sides, live)
    if name in LOGICAL:
        raise TypeError(f"unsupported operand types for {name}")
    lk = left.dtype.kind if isinstance(left, Column) else ""
    rk = right.dtype.kind if isinstance(right, Column) else ""
    lo, ro = _operand(left, rk), _operand(right, lk)
    if name in CMP:
        return _compare(name, lo, ro, res)
    return _arith(name, lo, ro, res)


def _numeric_side(value: Any, name: str) -> tuple | None:
    """(Side, kernel argument) for a number column or scalar; None for anything else."""
    if isinstance(value, Column):
        return (Side("col"), value) if value.dtype.kind in "bif" else None
    if isinstance(value, jax.Array):
        return Side("scalar", jdt.from_storage(value.dtype)), value
    if value is None and name in CMP:
        return Side("none"), None
    if _is_null_scalar(value):
        return Side("null"), None
    if isinstance(value, (str, _dt.datetime, np.datetime64, _dt.timedelta, np.timedelta64)):
        return None
    arr = np.asarray(value)
    if arr.dtype.kind not in "biuf":
        return None
    return Side("scalar", jdt.from_storage(arr.dtype)), arr


def _numeric(name: str, left: Any, right: Any, res: jdt.DType, sides: tuple, live: Any) -> Column:
    """Decide the value-dependent facts on live rows, then run one compiled kernel."""
    (lside, lval), (rside, rval) = sides
    zero_divisor = _zero_divisor(name, left, right, res, live)
    if name == "pow" and res.kind == "i" and isinstance(right, Column):
        if any_live("negative integer power", _negative(right.data, right.validity), live, in_jit=False):
            raise ValueError("Integers to negative integer powers are not allowed.")
    if name in LOGICAL:
        _check_logical(left, right, live)
    exponent = None
    if name == "pow" and isinstance(rval, np.ndarray) and rval.dtype.kind in "iu" and int(rval) == 2:
        exponent = 2  # numpy squares; so does integer_pow (one multiply)
    if name in ARITH:
        storage = _arith_storage(name, res, zero_divisor)
        (lside, lval), (rside, rval) = _cast_scalar(lside, lval, storage), _cast_scalar(rside, rval, storage)
    spec = Spec(name, res, lside, rside, zero_divisor, exponent)
    return binary_kernel(spec, lval, rval)


def _arith_storage(name: str, res: jdt.DType, zero_divisor: bool) -> Any:
    """The storage dtype both operands are cast to before the arithmetic runs."""
    if name == "truediv":
        return res.storage if res.kind == "f" else np.float64
    if name == "floordiv" and zero_divisor and res.kind == "f":
        return np.float64
    return res.storage


def _cast_scalar(side: Side, value: Any, storage: Any) -> tuple:
    """A host scalar cast to the arithmetic's storage on the host (the kernel would cast it anyway,
    one convert less per call; ``x * 2`` then traces like jnp's)."""
    if side.form != "scalar" or not isinstance(value, np.ndarray):
        return side, value
    cast = value.astype(storage)
    return Side("scalar", jdt.from_storage(cast.dtype)), cast


def _zero_divisor(name: str, left: Any, right: Any, res: jdt.DType, live: Any) -> bool:
    """Whether a live divisor is zero where pandas' dtype depends on it (see _int_divmod)."""
    if name not in ("floordiv", "mod") or not isinstance(right, Column):
        return False  # a zero scalar divisor made the pandas probe say float64 already
    if res.kind in "ib":
        masked_int_left = isinstance(left, Column) and left.dtype.kind == "i" and left.dtype.masked
        if masked_int_left or (name == "mod" and right.dtype.kind != "i"):
            return False  # pandas gives 0 there, whatever the divisor
        return any_live("integer division by zero", _zero(right.data, right.validity), live, in_jit=True)
    if name == "floordiv" and res in (jdt.FLOAT32, jdt.NFLOAT32):
        return any_live("float32 floor division by zero", _zero(right.data, right.validity), live, in_jit=True)
    return False


@jax.jit
def _zero(data: jax.Array, validity: Any) -> jax.Array:
    zero = data == 0
    return zero if validity is None else zero & validity


@jax.jit
def _negative(data: jax.Array, validity: Any) -> jax.Array:
    negative = data < 0
    return negative if validity is None else negative & validity


def _check_logical(left: Any, right: Any, live: Any) -> None:
    """pandas' refusals for ``boolean`` & | ^ numbers (static ones, then a live-NA one)."""
    columns = [c for c in (left, right) if isinstance(c, Column)]
    if not any(c.dtype.kind == "b" and c.dtype.masked for c in columns):
        return
    for c in columns:
        if c.dtype.kind == "i" and c.dtype.masked:
            raise NotImplementedError("& | ^ between boolean and nullable integer columns "
                                      "(pandas' result follows no clear rule) is not supported")
        if c.dtype.kind == "f" and c.dtype.masked and c.validity is not None \
                and any_live("missing value in boolean logic", ~c.validity, live, in_jit=False):
            raise ValueError("cannot convert to 'bool'-dtype NumPy array with missing values. "
                             "Specify an appropriate 'na_value' for this dtype.")


def _arith(name: str, lo: _Operand, ro: _Operand, res: jdt.DType) -> Column:
    """Arithmetic that involves strings or datetimes (numbers run in ops/numeric_kernels.py)."""
    kinds = lo.kind + ro.kind
    if "U" in kinds:
        raise NotImplementedError(f"{name} on string columns (string concatenation) is not supported yet")
    if "M" in kinds or "m" in kinds or res.kind in "Mm":
        return _temporal_arith(name, lo, ro, res)
    if "u" in kinds:  # the numeric kernels take signed ints only (comparisons are exact: _compare)
        raise NotImplementedError(f"{name} of {lo.dtype or type(lo.scalar).__name__} and "
                                  f"{ro.dtype or type(ro.scalar).__name__} (unsigned integer arithmetic) "
                                  "is not supported yet")
    raise TypeError(f"unsupported operand types for {name}: {lo.dtype or type(lo.scalar).__name__} "
                    f"and {ro.dtype or type(ro.scalar).__name__}")


def _temporal_arith(name: str, lo: _Operand, ro: _Operand, res: jdt.DType) -> Column:
    """+ and - of datetimes/timedeltas: both operands in the result's unit (pandas' probe picks
    it: the finer one), then an int64 add that raises on overflow as pandas does."""
    if name not in ("add", "sub") or res.kind not in "Mm":
        raise NotImplementedError(f"{name} on datetime/timedelta columns is not supported yet "
                                  "(only + and -)")
    for o in (lo, ro):
        if o.kind not in "Mm" and o.data is not None and o.dtype is not None:
            raise NotImplementedError(f"{name} of datetime/timedelta with {o.dtype} is not supported yet")
    present = _and_present(lo, ro)
    a, present = _in_unit(lo, res.unit, present)
    b, present = _in_unit(ro, res.unit, present)
    data, present = units.checked_add(name, a, b, present)
    return _finish(data, present, res)


def _in_unit(o: _Operand, unit: str, present: jax.Array | None) -> tuple[jax.Array, jax.Array | None]:
    """An operand's counts in ``unit`` (a null scalar: zeros, its absence is in ``present``)."""
    if o.dtype is None or o.dtype.kind not in "Mm":
        return o.data.astype(np.int64), present
    return units.to_unit(o.data, present, o.kind, o.dtype.unit, unit)


def _compare(name: str, lo: _Operand, ro: _Operand, res: jdt.DType) -> Column:
    shape_src = lo.data if not lo.is_scalar else ro.data
    if lo.kind == "U" or ro.kind == "U":
        data = _compare_strings(name, lo, ro, shape_src)
    elif (lo.kind in "Mm" and lo.kind) or (ro.kind in "Mm" and ro.kind):
        data = _compare_temporal(name, lo, ro, shape_src)
    else:
        if lo.data is None or ro.data is None:
            data = jnp.full(shape_src.shape, name == "ne")
        elif {lo.kind, ro.kind} == {"i", "u"}:
            data = _compare_signed_unsigned(name, lo, ro)
        else:
            data = getattr(jnp, {"eq": "equal", "ne": "not_equal", "lt": "less", "le": "less_equal",
                                 "gt": "greater", "ge": "greater_equal"}[name])(lo.data, ro.data)
    data = jnp.broadcast_to(data, shape_src.shape)
    return _finish(data, _and_present(lo, ro), res, null_fill=(name == "ne"))


def _compare_signed_unsigned(name: str, lo: _Operand, ro: _Operand) -> jax.Array:
    """Exact int vs uint comparison, as pandas gives it (JAX would compare both as float64,
    where 2**62 + 1 == 2**62): a negative int is below every uint, the rest compare as uint64."""
    if lo.kind == "i":
        return _compare_signed_unsigned(_CMP_FLIP[name], ro, lo)
    u, i = lo.data.astype(jnp.uint64), ro.data.astype(jnp.int64)
    negative = i < 0
    i_as_u = jnp.where(negative, 0, i).astype(jnp.uint64)
    value = getattr(operator, name)(u, i_as_u)
    return jnp.where(negative, name in ("ne", "gt", "ge"), value)


def _compare_strings(name: str, lo: _Operand, ro: _Operand, shape_src) -> jax.Array:
    if lo.kind == "U" and ro.kind == "U":
        # codes of both sides in one string order (on device when a dictionary is traced)
        remap_l, remap_r = comparable_codes(lo.dictionary, ro.dictionary)
        a = _remap(lo.data, remap_l)
        b = _remap(ro.data, remap_r)
        return getattr(operator, name)(a, b)
    col, other, op = (lo, ro, name) if lo.kind == "U" else (ro, lo, _CMP_FLIP[name])
    if isinstance(other.scalar, str):
        # (pos, found): Python values eagerly, traced scalars when the dictionary is traced
        pos, found = col.dictionary.lookup(other.scalar)
        codes = col.data
        above = pos + (found.astype(pos.dtype) if isinstance(found, jax.Array) else int(found))
        return {"eq": (codes == pos) & found, "ne": (codes != pos) | jnp.logical_not(found),
                "lt": codes < pos, "le": codes < above,
                "gt": codes >= above, "ge": codes >= pos}[op]
    if other.present is not None and other.is_scalar:
        return jnp.zeros(shape_src.shape, bool)  # a null scalar: the null rule decides
    if name in ("eq", "ne"):
        return jnp.full(shape_src.shape, name == "ne")
    raise TypeError(f"Invalid comparison between dtype=str and {type(other.scalar).__name__}")


def _remap(codes: jax.Array, table: Any) -> jax.Array:
    """Codes through a remap table (host numpy, or device when built inside jit)."""
    if len(table) == 0:
        return jnp.zeros(codes.shape, np.int32)
    return jnp.asarray(table)[jnp.clip(codes, 0, len(table) - 1)]


def _compare_temporal(name: str, lo: _Operand, ro: _Operand, shape_src) -> jax.Array:
    null_scalar = [o.is_scalar and o.dtype is None and o.present is not None for o in (lo, ro)]
    if any(null_scalar):  # NaT/None/NA: the null rule decides the result
        return jnp.zeros(shape_src.shape, bool)
    if lo.data is None or ro.data is None or lo.dtype is None or ro.dtype is None or lo.kind != ro.kind:
        if name in ("eq", "ne"):
            return jnp.full(shape_src.shape, name == "ne")
        raise TypeError(f"Invalid comparison between {lo.dtype or type(lo.scalar).__name__} "
                        f"and {ro.dtype or type(ro.scalar).__name__}")
    if lo.kind == "M" and (jdt.tz_of(lo.dtype) is None) != (jdt.tz_of(ro.dtype) is None):
        if name in ("eq", "ne"):  # a naive and an aware datetime are never equal (pandas)
            return jnp.full(shape_src.shape, name == "ne")
        raise TypeError(f"Invalid comparison between dtype={lo.dtype} and {ro.dtype}")
    return units.compare(name, lo.data, lo.dtype.unit, ro.data, ro.dtype.unit)  # exact across units


# -- unary operators ----------------------------------------------------------------------------------
def unary_op(name: str, col: Column) -> Column:
    """``-col``, ``+col``, ``abs(col)``, ``~col`` with pandas' dtype rules and refusals. No unary
    rule depends on values, so no row mask is needed."""
    res = unary_result_dtype(name, col.dtype)
    if col.dtype.kind == "d":
        return decimals.unary(name, col, res)
    if col.dtype.kind in "bif":
        return unary_kernel(name, res, col)
    if name == "invert":
        data = jnp.invert(col.data)
    elif name == "neg":
        data = -col.data
    elif name == "abs":
        data = jnp.abs(col.data)
    else:
        data = col.data
    data = data.astype(res.storage)
    if col.validity is not None:
        data = jnp.where(col.validity, data, jnp.zeros((), data.dtype))
    return Column(data, col.validity, res, col.dictionary if res.kind == "U" else None)
