"""Binary and unary column operators with pandas' dtype and null rules.

Result dtypes come from pandas itself: the dtype pandas gives for one-row operands of the same
dtypes (or the actual host scalar) is the result dtype (cached per dtype pair and op). That keeps
every promotion rule (int32+int64 -> int64, int/int truediv -> float64, bool arithmetic,
masked dtypes, datetime - datetime -> timedelta) and every refusal (str + int -> TypeError) in
agreement with pandas by construction. Rules that depend on values are applied on top:

* numpy int ``//`` and ``%`` by a column holding a zero give float64 (inf/NaN), as pandas does.
  Eagerly we look at the divisor; inside ``jax.jit`` the divisor is unknown, so numpy int
  column // column and % column are ALWAYS float64 there (values right, dtype static).
* numpy int ** negative int raises ValueError eagerly; inside jit it cannot be checked.
* masked float results turn NaN into NA (pandas 3), ``1 ** NA`` and ``NA ** 0`` are 1.

Null rules: masked results are null where an operand is null; numpy float results carry NaN;
comparisons give False (True for !=) on nulls for numpy bool results and NA for masked ones;
``&``/``|`` on ``boolean`` use Kleene logic.
"""

from __future__ import annotations

import datetime as _dt
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
from jaxframes.dictionary import unify
from jaxframes.ops.elementwise import with_nulls_where

ARITH = ("add", "sub", "mul", "truediv", "floordiv", "mod", "pow")
CMP = ("eq", "ne", "lt", "le", "gt", "ge")
LOGICAL = ("and_", "or_", "xor")
UNARY = ("neg", "pos", "abs", "invert")

_CMP_FLIP = {"eq": "eq", "ne": "ne", "lt": "gt", "le": "ge", "gt": "lt", "ge": "le"}


def is_traced(*arrays: Any) -> bool:
    return any(isinstance(a, jax.core.Tracer) for a in arrays)


# -- result dtypes: pandas is the oracle ---------------------------------------------------------
def _sample(dtype: jdt.DType) -> pd.Series:
    """A one-row pandas Series of ``dtype`` holding an ordinary value (in the dtype's unit:
    ``to_pandas`` gives datetime64[s] for a seconds column, so pandas answers with its unit rule)."""
    samples = {"b": True, "i": 1, "u": 1, "f": 1.0, "U": "a", "M": pd.Timestamp("2000-01-01"),
               "m": pd.Timedelta(1, "s")}
    if dtype.kind not in samples:
        raise NotImplementedError(f"this operation on {dtype} columns is not supported yet")
    value: Any = samples[dtype.kind]
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
class _Operand:
    """A column or a broadcast scalar, in one shape: data, presence (None: no nulls), dtype."""

    __slots__ = ("data", "present", "dtype", "dictionary", "scalar", "is_scalar")

    def __init__(self, data, present, dtype, dictionary=None, scalar=None, is_scalar=False):
        self.data, self.present, self.dtype = data, present, dtype
        self.dictionary, self.scalar, self.is_scalar = dictionary, scalar, is_scalar

    @property
    def kind(self) -> str:
        return self.dtype.kind if self.dtype is not None else ""

    def present_or_true(self) -> jax.Array:
        return jnp.asarray(True) if self.present is None else self.present


def _is_null_scalar(value: Any) -> bool:
    if isinstance(value, (jax.Array, str)):
        return False
    try:
        return bool(pd.isna(value)) and not isinstance(value, float)
    except (TypeError, ValueError):
        return False


def _operand(value: Any, other_kind: str) -> _Operand:
    if isinstance(value, Column):
        present = None
        if value.validity is not None or (value.dtype.kind == "f" and not value.dtype.masked):
            present = value.not_null()
        return _Operand(value.data, present, value.dtype, value.dictionary)
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
            if ts.tzinfo is not None:
                raise NotImplementedError("timezone-aware timestamps are not supported yet")
            return int(ts.to_datetime64().view(np.int64)), jdt.datetime(ts.unit)
    except (ValueError, TypeError):
        return None
    return None


# -- binary operators ------------------------------------------------------------------------------
def binary_op(name: str, left: Any, right: Any) -> Column:
    """``left <name> right`` where at least one side is a Column (the other may be a host scalar
    or a 0-d JAX array). ``name`` is an ``operator`` module name: add, truediv, eq, and_, ..."""
    if not isinstance(left, Column) and not isinstance(right, Column):
        raise TypeError("binary_op needs at least one Column")
    res = binary_result_dtype(name, describe(left), describe(right))
    lk = left.dtype.kind if isinstance(left, Column) else ""
    rk = right.dtype.kind if isinstance(right, Column) else ""
    lo, ro = _operand(left, rk), _operand(right, lk)
    if name in CMP:
        return _compare(name, lo, ro, res)
    if name in LOGICAL:
        return _logical(name, lo, ro, res)
    return _arith(name, lo, ro, res)


def _and_present(lo: _Operand, ro: _Operand) -> jax.Array | None:
    if lo.present is None and ro.present is None:
        return None
    return lo.present_or_true() & ro.present_or_true()


def _finish(data: jax.Array, present: jax.Array | None, res: jdt.DType, null_fill: Any = None) -> Column:
    """A result column of dtype ``res`` from computed data and the operands' joint presence."""
    data = data.astype(res.storage)
    if res.has_validity:
        valid = jnp.ones(data.shape, bool) if present is None else jnp.broadcast_to(present, data.shape)
        if res.kind == "f":
            valid = valid & ~jnp.isnan(data)
        return Column(jnp.where(valid, data, jnp.zeros((), data.dtype)), valid, res)
    if present is None:
        return Column(data, None, res)
    if null_fill is not None:
        return Column(jnp.where(present, data, null_fill).astype(res.storage), None, res)
    if res.kind == "f":
        return Column(jnp.where(present, data, jnp.nan).astype(res.storage), None, res)
    return with_nulls_where(Column(data, None, res), ~jnp.broadcast_to(present, data.shape))


def _arith(name: str, lo: _Operand, ro: _Operand, res: jdt.DType) -> Column:
    kinds = lo.kind + ro.kind
    if "U" in kinds:
        raise NotImplementedError(f"{name} on string columns (string concatenation) is not supported yet")
    if "M" in kinds or "m" in kinds or res.kind in "Mm":
        return _temporal_arith(name, lo, ro, res)
    present = _and_present(lo, ro)
    if not res.has_validity and not any(o.dtype is not None and o.dtype.has_validity for o in (lo, ro)):
        present = None  # numpy floats carry NaN through the arithmetic (and 1 ** NaN == 1)
    if name == "truediv":
        ftype = res.storage if res.kind == "f" else np.float64
        return _finish(lo.data.astype(ftype) / ro.data.astype(ftype), present, res)
    if name in ("floordiv", "mod") and res.kind in "ibu":
        return _int_divmod(name, lo, ro, res, present)
    if name == "floordiv" and res in (jdt.FLOAT32, jdt.NFLOAT32) and not ro.is_scalar:
        # pandas casts a floordiv with a zero divisor to float64 (jit: always, static dtype).
        if is_traced(ro.data) or bool(jnp.any((ro.data == 0) & ro.present_or_true())):
            res = jdt.NFLOAT64 if res.masked else jdt.FLOAT64
    a, b = lo.data.astype(res.storage), ro.data.astype(res.storage)
    if name == "pow":
        _check_negative_power(ro, res)
        data = jnp.power(a, b)
        if res.masked:
            one_l = lo.present_or_true() & (lo.data == 1)
            zero_r = ro.present_or_true() & (ro.data == 0)
            special = one_l | zero_r
            data = jnp.where(special, jnp.ones((), data.dtype), data)
            present = special if present is None else present | special
        return _finish(data, present, res)
    fn = {"add": jnp.add, "sub": jnp.subtract, "mul": jnp.multiply,
          "floordiv": jnp.floor_divide, "mod": jnp.remainder}[name]
    if res.kind == "b" and name == "add":
        fn = jnp.logical_or
    elif res.kind == "b" and name == "mul":
        fn = jnp.logical_and
    return _finish(fn(a, b), present, res)


def _check_negative_power(ro: _Operand, res: jdt.DType) -> None:
    if res.kind != "i" or is_traced(ro.data, ro.present) or ro.is_scalar:
        return  # a scalar exponent was already checked by the pandas probe
    bad = (ro.data < 0) & ro.present_or_true()
    if bool(jnp.any(bad)):
        raise ValueError("Integers to negative integer powers are not allowed.")


def _int_divmod(name: str, lo: _Operand, ro: _Operand, res: jdt.DType, present) -> Column:
    """Integer // and % by zero, as pandas does it (see also float32 // in _arith): a masked-integer LEFT operand gives 0;
    otherwise a zero divisor turns the result into float64 (Float64 when masked) holding
    inf/NaN (for % only when the divisor is an integer, not a bool). Whether a divisor is zero
    is only known eagerly: inside jit a column divisor always gives the float result."""
    a, b = lo.data.astype(res.storage), ro.data.astype(res.storage)
    zero = b == 0
    safe_b = jnp.where(zero, jnp.ones((), b.dtype), b)
    fn = jnp.floor_divide if name == "floordiv" else jnp.remainder
    data = fn(a, safe_b)
    zero_rule = (lo.kind == "i" and lo.dtype.masked) or ro.is_scalar or (name == "mod" and ro.kind not in "iu")
    if zero_rule or (not is_traced(b, a) and not bool(jnp.any(zero & ro.present_or_true()))):
        # (A zero scalar divisor made the pandas probe say float64 already.)
        return _finish(jnp.where(zero, jnp.zeros((), data.dtype), data), present, res)
    out = data.astype(np.float64)
    if name == "floordiv":
        af = a.astype(np.float64)
        fill = jnp.where(af == 0, jnp.nan, jnp.sign(af) * jnp.inf)
    else:
        fill = jnp.full(out.shape, jnp.nan)
    return _finish(jnp.where(zero, fill, out), present, jdt.NFLOAT64 if res.masked else jdt.FLOAT64)


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
        merged, remap_l, remap_r = unify(lo.dictionary, ro.dictionary)
        a = _remap(lo.data, remap_l)
        b = _remap(ro.data, remap_r)
        return getattr(operator, name)(a, b)
    col, other, op = (lo, ro, name) if lo.kind == "U" else (ro, lo, _CMP_FLIP[name])
    if isinstance(other.scalar, str):
        pos, found = col.dictionary.lookup(other.scalar)
        codes = col.data
        return {"eq": (codes == pos) & found, "ne": (codes != pos) | (not found),
                "lt": codes < pos, "le": codes < pos + int(found),
                "gt": codes >= pos + int(found), "ge": codes >= pos}[op]
    if other.present is not None and other.is_scalar:
        return jnp.zeros(shape_src.shape, bool)  # a null scalar: the null rule decides
    if name in ("eq", "ne"):
        return jnp.full(shape_src.shape, name == "ne")
    raise TypeError(f"Invalid comparison between dtype=str and {type(other.scalar).__name__}")


def _remap(codes: jax.Array, table: np.ndarray) -> jax.Array:
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
    return units.compare(name, lo.data, lo.dtype.unit, ro.data, ro.dtype.unit)  # exact across units


def _logical(name: str, lo: _Operand, ro: _Operand, res: jdt.DType) -> Column:
    """& | ^ with pandas' mix of rules: ``boolean`` operands use Kleene logic (the other side
    as truth values); numpy bool with numpy float uses truth values (NaN is False); otherwise
    the ops are bitwise on integers (then != 0 for a bool result) and nulls propagate."""
    if lo.data is None or ro.data is None:
        raise TypeError(f"unsupported operand types for {name}")
    operands = (lo, ro)
    masked_bool = any(o.kind == "b" and o.dtype.masked for o in operands)
    null_scalar = lambda o: o.dtype is None and o.present is not None  # noqa: E731
    if masked_bool:
        for o in operands:
            if o.kind == "f" and not o.dtype.masked:
                o.present = None  # pandas: NaN is truthy here
            elif o.kind == "i" and o.dtype.masked:
                raise NotImplementedError("& | ^ between boolean and nullable integer columns "
                                          "(pandas' result follows no clear rule) is not supported")
            elif o.kind == "f" and o.present is not None and not is_traced(o.present) \
                    and not bool(jnp.all(o.present)):
                raise ValueError("cannot convert to 'bool'-dtype NumPy array with missing values. "
                                 "Specify an appropriate 'na_value' for this dtype.")
    if res.kind == "b" and (masked_bool or all(o.kind == "b" or null_scalar(o) for o in operands)
                            or any(o.kind == "f" for o in operands)):
        return _kleene(name, lo, ro, res)
    fn = {"and_": jnp.bitwise_and, "or_": jnp.bitwise_or, "xor": jnp.bitwise_xor}[name]
    data = fn(lo.data.astype(np.int64), ro.data.astype(np.int64))
    if res.kind == "b":
        data = data != 0
    return _finish(jnp.broadcast_to(data, _shape(lo, ro)), _and_present(lo, ro), res)


def _shape(lo: _Operand, ro: _Operand) -> tuple:
    return (lo.data if not lo.is_scalar else ro.data).shape


def _truth(o: _Operand) -> jax.Array:
    return o.data != 0 if o.kind != "b" else o.data.astype(bool)


def _kleene(name: str, lo: _Operand, ro: _Operand, res: jdt.DType) -> Column:
    """Three-valued logic for ``boolean``; for numpy bool results nulls act as False (pandas)."""
    lv, rv = lo.present_or_true(), ro.present_or_true()
    ld, rd = _truth(lo) & lv, _truth(ro) & rv
    shape = _shape(lo, ro)
    if not res.masked:
        data = {"and_": ld & rd, "or_": ld | rd, "xor": ld ^ rd}[name]
        if any(o.is_scalar and o.present is not None for o in (lo, ro)):
            data = jnp.zeros(shape, bool)  # pandas: numpy bool <op> NA is False everywhere
        return Column(jnp.broadcast_to(data, shape), None, res)
    if name == "and_":
        data = ld & rd
        valid = (lv & rv) | (lv & ~ld) | (rv & ~rd)
    elif name == "or_":
        data = ld | rd
        valid = (lv & rv) | ld | rd
    else:
        data = ld ^ rd
        valid = lv & rv
    data, valid = jnp.broadcast_to(data, shape), jnp.broadcast_to(valid, shape)
    return Column(data & valid, valid, res)


# -- unary operators ----------------------------------------------------------------------------------
def unary_op(name: str, col: Column) -> Column:
    """``-col``, ``+col``, ``abs(col)``, ``~col`` with pandas' dtype rules and refusals."""
    res = unary_result_dtype(name, col.dtype)
    if col.dtype.kind == "b" and name in ("neg", "invert"):
        data = ~col.data
    elif name == "invert":
        data = jnp.invert(col.data)
    elif name == "neg":
        data = -col.data
    elif name == "abs":
        data = col.data if col.dtype.kind == "b" else jnp.abs(col.data)
    else:
        data = col.data
    data = data.astype(res.storage)
    if col.validity is not None:
        data = jnp.where(col.validity, data, jnp.zeros((), data.dtype))
    return Column(data, col.validity, res, col.dictionary if res.kind == "U" else None)

