"""The column operators on numbers (bool, int, float, and their masked forms), as compiled kernels.

Why a kernel per operator: an eager operator used to be several jnp dispatches (casts, the op,
null masks, a re-mask), each a separate pass over memory and a separate Python round trip. Here
one column-level operator on a big column is ONE ``jax.jit`` function, compiled once per static
key and shape: the op, the result dtype, the operands' forms and dtypes (the null pattern is
part of the Column PyTree: a column without nulls has ``validity=None``), and the
data-dependent facts that ops/arithmetic.py decided on live rows BEFORE the call. Small columns
run the same function op by op (see COMPILE_MIN_ROWS); inside a user ``jit`` or a lazy stage the
function is traced into the caller's computation.

Everything here is a pure function of arrays and static facts: no host reads, no raising on
values. Two rules XLA would otherwise break:

* numpy float NaN carries itself through arithmetic, so a numpy float operand gets no presence
  array (no ``isnan`` pass) unless a rule needs it (masked results, Kleene logic).
* XLA's simplifier rewrites ``x * convert(bool)`` (and ``convert(bool) / x`` ...) into a
  select that drops NaN/inf (numpy: ``nan * False`` and ``False / 0.0`` are NaN), so a bool
  operand cast to float goes behind ``lax.optimization_barrier`` (see ``_cast``).
* ``x == None`` is False (``!=``: True) on every row, masked columns included, as in pandas.

Integer powers with a negative exponent (pandas raises; the raise happens before the kernel
when the exponent is seen) are given a defined value for the rows nobody checked (user ``jit``):
the integer part of the true power, ``1 ** -n == 1``, ``(-1) ** -n == +-1`` by parity, and
``0`` for every other base including 0 (where the true power is infinite).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from jaxframes import dtypes as jdt
from jaxframes.column import Column
from jaxframes.ops.elementwise import with_nulls_where
from jaxframes.executables import jit

CMP_FUNCS = {"eq": jnp.equal, "ne": jnp.not_equal, "lt": jnp.less, "le": jnp.less_equal,
             "gt": jnp.greater, "ge": jnp.greater_equal}


# Below this many rows an operator runs its jnp calls one by one. Both ways compile once per new
# shape, but the op-by-op executables (one per primitive) are shared by every operator, dtype
# pair and null pattern, while a kernel is compiled per static key: for the many small shapes
# of interactive use and of the test suite, sharing wins (the arithmetic tests ran 3x longer
# with kernels at every size). Per call the kernel is faster at every size measured (2-cores
# CPU, (a*2+b)**2 on float64: 0.19 vs 0.58 ms at 1e3 rows, 0.4 vs 4.4 ms at 6.4e4).
COMPILE_MIN_ROWS = 1 << 12


def _compile(*args: Any) -> bool:
    """Whether to run the compiled kernel: big enough, and not already inside a trace (where
    the jnp calls are traced into the caller's computation anyway)."""
    leaves = jax.tree_util.tree_leaves(args)
    if any(isinstance(x, jax.core.Tracer) for x in leaves):
        return False
    return max((x.shape[0] for x in leaves if getattr(x, "ndim", 0) == 1), default=0) >= COMPILE_MIN_ROWS


# -- operands ------------------------------------------------------------------------------------
class Operand:
    """A column or a broadcast scalar, in one shape: data, validity, dtype (None: a null or
    non-numeric host scalar). ``present`` (True where not missing; None when nothing is) is
    computed on first use only: numpy float NaN counts as missing for the rules that ask."""

    __slots__ = ("data", "validity", "dtype", "dictionary", "scalar", "is_scalar", "_present")

    def __init__(self, data, validity, dtype, dictionary=None, scalar=None, is_scalar=False):
        self.data, self.validity, self.dtype = data, validity, dtype
        self.dictionary, self.scalar, self.is_scalar = dictionary, scalar, is_scalar
        self._present: Any = _UNSET

    @property
    def kind(self) -> str:
        return self.dtype.kind if self.dtype is not None else ""

    @property
    def nan_is_null(self) -> bool:
        return self.kind == "f" and not self.dtype.masked and not self.is_scalar

    @property
    def present(self) -> jax.Array | None:
        if self._present is _UNSET:
            present = self.validity
            if self.nan_is_null:
                notnan = ~jnp.isnan(self.data)
                present = notnan if present is None else present & notnan
            self._present = present
        return self._present

    def present_or_true(self) -> jax.Array:
        return jnp.asarray(True) if self.present is None else self.present


_UNSET = object()


def and_present(lo: Operand, ro: Operand) -> jax.Array | None:
    """Where both operands are present (None: everywhere)."""
    if lo.present is None and ro.present is None:
        return None
    return lo.present_or_true() & ro.present_or_true()


def finish(data: jax.Array, present: jax.Array | None, res: jdt.DType, null_fill: Any = None) -> Column:
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


# -- the static key ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Side:
    """How one operand enters a kernel: a column, a scalar (a 0-d array argument), or a null."""

    form: str  # "col", "scalar", "null", or "none" (``None`` in a comparison: equal to nothing)
    dtype: jdt.DType | None = None


@dataclass(frozen=True)
class Spec:
    """Everything static about one operator call; the jit cache key.

    ``zero_divisor``: a live divisor is zero (int // and %, float32 //): pandas' float64 result.
    ``exponent``: a static integer exponent (``x ** 2`` is one multiply, as in numpy).
    """

    name: str
    res: jdt.DType
    left: Side
    right: Side
    zero_divisor: bool = False
    exponent: int | None = None


def _operand(side: Side, value: Any) -> Operand:
    if side.form == "null":
        return Operand(jnp.zeros((), np.int64), jnp.asarray(False), None, is_scalar=True)
    if side.form == "none":
        return Operand(jnp.zeros((), np.int64), None, None, is_scalar=True)
    if side.form == "scalar":
        return Operand(value, None, side.dtype, is_scalar=True)
    return Operand(value.data, value.validity, value.dtype)


def binary_kernel(spec: Spec, left: Any, right: Any) -> Column:
    """``left <spec.name> right`` on numbers; see the module docstring."""
    if _compile(left, right):
        return _binary_compiled(spec, left, right)
    return _binary(spec, left, right)


def _binary(spec: Spec, left: Any, right: Any) -> Column:
    lo, ro = _operand(spec.left, left), _operand(spec.right, right)
    if spec.name in CMP_FUNCS:
        return _compare(spec, lo, ro)
    if spec.name in ("and_", "or_", "xor"):
        return _logical(spec, lo, ro)
    return _arith(spec, lo, ro)


_binary_compiled = jit(_binary, static_argnums=0)


# -- arithmetic ----------------------------------------------------------------------------------
def _arith(spec: Spec, lo: Operand, ro: Operand) -> Column:
    name, res = spec.name, spec.res
    masked = res.has_validity or any(o.dtype is not None and o.dtype.has_validity for o in (lo, ro))
    present = and_present(lo, ro) if masked else None  # numpy NaN propagates (and 1 ** NaN == 1)
    if name == "truediv":
        ftype = res.storage if res.kind == "f" else np.float64
        return finish(_cast(lo, ftype) / _cast(ro, ftype), present, res)
    if name in ("floordiv", "mod") and res.kind in "ib":
        return _int_divmod(spec, lo, ro, present)
    if name == "floordiv" and spec.zero_divisor:
        res = jdt.NFLOAT64 if res.masked else jdt.FLOAT64  # pandas: float32 // 0 is float64
    a, b = _cast(lo, res.storage), _cast(ro, res.storage)
    if name == "pow":
        data = _power(spec, ro, a, b)
        if res.masked:  # pandas' masked pow: ``1 ** NA`` and ``NA ** 0`` are 1 (present)
            special = (lo.present_or_true() & (lo.data == 1)) | (ro.present_or_true() & (ro.data == 0))
            data = jnp.where(special, jnp.ones((), data.dtype), data)
            present = special if present is None else present | special
        return finish(data, present, res)
    fn = {"add": jnp.add, "sub": jnp.subtract, "mul": jnp.multiply,
          "floordiv": jnp.floor_divide, "mod": jnp.remainder}[name]
    if res.kind == "b" and name == "add":
        fn = jnp.logical_or
    elif res.kind == "b" and name == "mul":
        fn = jnp.logical_and
    return finish(fn(a, b), present, res)


def _cast(o: Operand, storage: Any) -> jax.Array:
    """The operand's data as ``storage``. A bool cast to a float goes behind an optimization
    barrier: XLA's simplifier rewrites ``x * convert(flag)``, ``convert(flag) / x`` ... into
    selects that lose NaN and inf (numpy: ``nan * False`` and ``False / 0`` are NaN)."""
    data = o.data.astype(storage)
    if o.kind == "b" and np.dtype(storage).kind == "f":
        data = jax.lax.optimization_barrier(data)
    return data


def _power(spec: Spec, ro: Operand, a: jax.Array, b: jax.Array) -> jax.Array:
    if spec.exponent is not None:
        return jax.lax.integer_pow(a, spec.exponent)
    data = jnp.power(a, b)
    if spec.res.kind == "i" and not ro.is_scalar:
        data = jnp.where(b < 0, _negative_int_power(a, b), data)
    return data


def _negative_int_power(base: jax.Array, exponent: jax.Array) -> jax.Array:
    """The defined value of ``base ** exponent`` for exponent < 0 (module docstring)."""
    one = jnp.ones((), base.dtype)
    odd = (exponent % 2) != 0
    minus_one = jnp.where(odd, -one, one)
    return jnp.where(base == 1, one, jnp.where(base == -1, minus_one, jnp.zeros((), base.dtype)))


def _int_divmod(spec: Spec, lo: Operand, ro: Operand, present: Any) -> Column:
    """Integer // and % by zero, as pandas does it (float32 // is in _arith): a masked-integer LEFT
    operand or a scalar divisor gives 0 (a zero scalar made the pandas probe say float64 already);
    otherwise a live zero divisor turns the result into float64 (Float64 when masked) holding
    inf/NaN (for % only when the divisor is an integer, not a bool)."""
    name, res = spec.name, spec.res
    a, b = lo.data.astype(res.storage), ro.data.astype(res.storage)
    zero = b == 0
    safe_b = jnp.where(zero, jnp.ones((), b.dtype), b)
    fn = jnp.floor_divide if name == "floordiv" else jnp.remainder
    data = fn(a, safe_b)
    if not spec.zero_divisor:
        return finish(jnp.where(zero, jnp.zeros((), data.dtype), data), present, res)
    out = data.astype(np.float64)
    if name == "floordiv":
        af = a.astype(np.float64)
        fill = jnp.where(af == 0, jnp.nan, jnp.sign(af) * jnp.inf)
    else:
        fill = jnp.full(out.shape, jnp.nan)
    return finish(jnp.where(zero, fill, out), present, jdt.NFLOAT64 if res.masked else jdt.FLOAT64)


# -- comparisons ---------------------------------------------------------------------------------
def _compare(spec: Spec, lo: Operand, ro: Operand) -> Column:
    """numpy semantics already give pandas' answer for numpy float NaN (False, True for !=), so
    presence is only needed for masked operands, null scalars or a masked result."""
    shape = (lo.data if not lo.is_scalar else ro.data).shape
    if "none" in (spec.left.form, spec.right.form):  # pandas: x == None is False, even for masked x
        data = jnp.full(shape, spec.name == "ne")
    else:
        data = jnp.broadcast_to(CMP_FUNCS[spec.name](lo.data, ro.data), shape)
    needs = spec.res.has_validity or any(o.validity is not None for o in (lo, ro))
    present = and_present(lo, ro) if needs else None
    return finish(data, present, spec.res, null_fill=(spec.name == "ne"))


# -- & | ^ ---------------------------------------------------------------------------------------
def masked_bool_logic(lo: Operand, ro: Operand) -> bool:
    return any(o.kind == "b" and o.dtype.masked for o in (lo, ro))


def _logical(spec: Spec, lo: Operand, ro: Operand) -> Column:
    """& | ^ with pandas' mix of rules: ``boolean`` operands use Kleene logic (the other side
    as truth values, a numpy NaN counting as True); numpy bool with numpy float uses truth
    values (NaN is False); otherwise the ops are bitwise on integers (then != 0 for a bool
    result) and nulls propagate."""
    res = spec.res
    masked_bool = masked_bool_logic(lo, ro)
    shape = (lo.data if not lo.is_scalar else ro.data).shape
    if res.kind == "b" and (masked_bool or all(o.kind in ("b", "") for o in (lo, ro))
                            or any(o.kind == "f" for o in (lo, ro))):
        lv, rv = (o.validity if (masked_bool and o.nan_is_null) else o.present for o in (lo, ro))
        return _kleene(spec.name, lo, ro, res, lv, rv, shape)
    fn = {"and_": jnp.bitwise_and, "or_": jnp.bitwise_or, "xor": jnp.bitwise_xor}[spec.name]
    data = fn(lo.data.astype(np.int64), ro.data.astype(np.int64))
    if res.kind == "b":
        data = data != 0
    return finish(jnp.broadcast_to(data, shape), and_present(lo, ro), res)


def _truth(o: Operand) -> jax.Array:
    return o.data != 0 if o.kind != "b" else o.data.astype(bool)


def _kleene(name: str, lo: Operand, ro: Operand, res: jdt.DType, lp: Any, rp: Any, shape: tuple) -> Column:
    """Three-valued logic for ``boolean``; for numpy bool results nulls act as False (pandas)."""
    lv = jnp.asarray(True) if lp is None else lp
    rv = jnp.asarray(True) if rp is None else rp
    ld, rd = _truth(lo) & lv, _truth(ro) & rv
    if not res.masked:
        data = {"and_": ld & rd, "or_": ld | rd, "xor": ld ^ rd}[name]
        if any(o.is_scalar and o.dtype is None for o in (lo, ro)):
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


# -- unary -----------------------------------------------------------------------------------------
def unary_kernel(name: str, res: jdt.DType, col: Column) -> Column:
    """``-col``, ``+col``, ``abs(col)``, ``~col`` on a number column, result dtype ``res``."""
    if _compile(col):
        return _unary_compiled(name, res, col)
    return _unary(name, res, col)


def _unary(name: str, res: jdt.DType, col: Column) -> Column:
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
    return Column(data, col.validity, res)


_unary_compiled = jit(_unary, static_argnums=(0, 1))
