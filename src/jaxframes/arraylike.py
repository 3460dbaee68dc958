"""Operator dunders and pandas' named arithmetic methods, shared by DataFrame and Series.

Like pandas' ``OpsMixin`` (pandas/core/arraylike.py): each dunder only forwards to one of the
hooks a class implements -- ``_arith_method``, ``_cmp_method``, ``_logical_method``,
``_unary_method`` and ``_flex_method`` (the named ``add``/``eq``/... forms with axis/fill_value).
The reverse forms pass the functions below (``radd`` ...), so a hook sees which side ``self`` is on.
"""

from __future__ import annotations

import operator
from typing import Any, Callable


# Reverse operators: ``radd(left, right) == right + left`` (pandas.core.roperator).
def radd(left: Any, right: Any) -> Any:
    return right + left


def rsub(left: Any, right: Any) -> Any:
    return right - left


def rmul(left: Any, right: Any) -> Any:
    return right * left


def rtruediv(left: Any, right: Any) -> Any:
    return right / left


def rfloordiv(left: Any, right: Any) -> Any:
    return right // left


def rmod(left: Any, right: Any) -> Any:
    return right % left


def rpow(left: Any, right: Any) -> Any:
    return right ** left


def rand_(left: Any, right: Any) -> Any:
    return right & left


def ror_(left: Any, right: Any) -> Any:
    return right | left


def rxor(left: Any, right: Any) -> Any:
    return right ^ left


# op function -> (operator-module name of the forward op, whether self is the right operand)
OP_TABLE: dict[Callable, tuple[str, bool]] = {
    operator.add: ("add", False), radd: ("add", True),
    operator.sub: ("sub", False), rsub: ("sub", True),
    operator.mul: ("mul", False), rmul: ("mul", True),
    operator.truediv: ("truediv", False), rtruediv: ("truediv", True),
    operator.floordiv: ("floordiv", False), rfloordiv: ("floordiv", True),
    operator.mod: ("mod", False), rmod: ("mod", True),
    operator.pow: ("pow", False), rpow: ("pow", True),
    operator.eq: ("eq", False), operator.ne: ("ne", False),
    operator.lt: ("lt", False), operator.le: ("le", False),
    operator.gt: ("gt", False), operator.ge: ("ge", False),
    operator.and_: ("and_", False), rand_: ("and_", True),
    operator.or_: ("or_", False), ror_: ("or_", True),
    operator.xor: ("xor", False), rxor: ("xor", True),
    operator.neg: ("neg", False), operator.pos: ("pos", False),
    operator.abs: ("abs", False), operator.invert: ("invert", False),
}


class OpsMixin:
    """Python operators for frames: ``df + 1``, ``s > 0``, ``a & b``, ``-s``, ``abs(df)``."""

    # Make numpy defer to our reflected methods (np.array + s, np.float64(1) * s) instead of
    # turning the frame into an array first.
    __array_ufunc__ = None
    __hash__ = None  # type: ignore[assignment]  # mutable-looking containers: unhashable, as in pandas

    # -- hooks ---------------------------------------------------------------------------------
    def _arith_method(self, other: Any, op: Callable) -> Any:
        return NotImplemented

    def _cmp_method(self, other: Any, op: Callable) -> Any:
        return NotImplemented

    def _logical_method(self, other: Any, op: Callable) -> Any:
        return NotImplemented

    def _unary_method(self, op: Callable) -> Any:
        raise NotImplementedError

    def _flex_method(self, other: Any, op: Callable, axis: Any, level: Any, fill_value: Any) -> Any:
        raise NotImplementedError

    # -- comparisons -------------------------------------------------------------------------
    def __eq__(self, other: Any) -> Any:  # type: ignore[override]
        return self._cmp_method(other, operator.eq)

    def __ne__(self, other: Any) -> Any:  # type: ignore[override]
        return self._cmp_method(other, operator.ne)

    def __lt__(self, other: Any) -> Any:
        return self._cmp_method(other, operator.lt)

    def __le__(self, other: Any) -> Any:
        return self._cmp_method(other, operator.le)

    def __gt__(self, other: Any) -> Any:
        return self._cmp_method(other, operator.gt)

    def __ge__(self, other: Any) -> Any:
        return self._cmp_method(other, operator.ge)

    # -- logical ---------------------------------------------------------------------------------
    def __and__(self, other: Any) -> Any:
        return self._logical_method(other, operator.and_)

    def __rand__(self, other: Any) -> Any:
        return self._logical_method(other, rand_)

    def __or__(self, other: Any) -> Any:
        return self._logical_method(other, operator.or_)

    def __ror__(self, other: Any) -> Any:
        return self._logical_method(other, ror_)

    def __xor__(self, other: Any) -> Any:
        return self._logical_method(other, operator.xor)

    def __rxor__(self, other: Any) -> Any:
        return self._logical_method(other, rxor)

    # -- arithmetic ----------------------------------------------------------------------------
    def __add__(self, other: Any) -> Any:
        return self._arith_method(other, operator.add)

    def __radd__(self, other: Any) -> Any:
        return self._arith_method(other, radd)

    def __sub__(self, other: Any) -> Any:
        return self._arith_method(other, operator.sub)

    def __rsub__(self, other: Any) -> Any:
        return self._arith_method(other, rsub)

    def __mul__(self, other: Any) -> Any:
        return self._arith_method(other, operator.mul)

    def __rmul__(self, other: Any) -> Any:
        return self._arith_method(other, rmul)

    def __truediv__(self, other: Any) -> Any:
        return self._arith_method(other, operator.truediv)

    def __rtruediv__(self, other: Any) -> Any:
        return self._arith_method(other, rtruediv)

    def __floordiv__(self, other: Any) -> Any:
        return self._arith_method(other, operator.floordiv)

    def __rfloordiv__(self, other: Any) -> Any:
        return self._arith_method(other, rfloordiv)

    def __mod__(self, other: Any) -> Any:
        return self._arith_method(other, operator.mod)

    def __rmod__(self, other: Any) -> Any:
        return self._arith_method(other, rmod)

    def __pow__(self, other: Any) -> Any:
        return self._arith_method(other, operator.pow)

    def __rpow__(self, other: Any) -> Any:
        return self._arith_method(other, rpow)

    # -- unary -------------------------------------------------------------------------------------
    def __neg__(self) -> Any:
        return self._unary_method(operator.neg)

    def __pos__(self) -> Any:
        return self._unary_method(operator.pos)

    def __abs__(self) -> Any:
        return self._unary_method(operator.abs)

    def __invert__(self) -> Any:
        return self._unary_method(operator.invert)

    def abs(self) -> Any:
        """Absolute value of every element (numeric columns only, as in pandas)."""
        return self._unary_method(operator.abs)

    # -- named (flex) methods: pandas' ``df.add(other, axis=, level=, fill_value=)`` ----------------
    def add(self, other: Any, axis: Any = None, level: Any = None, fill_value: Any = None) -> Any:
        """``self + other``; ``axis`` picks how a Series lines up with a DataFrame."""
        return self._flex_method(other, operator.add, axis, level, fill_value)

    def radd(self, other: Any, axis: Any = None, level: Any = None, fill_value: Any = None) -> Any:
        return self._flex_method(other, radd, axis, level, fill_value)

    def sub(self, other: Any, axis: Any = None, level: Any = None, fill_value: Any = None) -> Any:
        return self._flex_method(other, operator.sub, axis, level, fill_value)

    subtract = sub

    def rsub(self, other: Any, axis: Any = None, level: Any = None, fill_value: Any = None) -> Any:
        return self._flex_method(other, rsub, axis, level, fill_value)

    def mul(self, other: Any, axis: Any = None, level: Any = None, fill_value: Any = None) -> Any:
        return self._flex_method(other, operator.mul, axis, level, fill_value)

    multiply = mul

    def rmul(self, other: Any, axis: Any = None, level: Any = None, fill_value: Any = None) -> Any:
        return self._flex_method(other, rmul, axis, level, fill_value)

    def truediv(self, other: Any, axis: Any = None, level: Any = None, fill_value: Any = None) -> Any:
        return self._flex_method(other, operator.truediv, axis, level, fill_value)

    div = divide = truediv

    def rtruediv(self, other: Any, axis: Any = None, level: Any = None, fill_value: Any = None) -> Any:
        return self._flex_method(other, rtruediv, axis, level, fill_value)

    rdiv = rtruediv

    def floordiv(self, other: Any, axis: Any = None, level: Any = None, fill_value: Any = None) -> Any:
        return self._flex_method(other, operator.floordiv, axis, level, fill_value)

    def rfloordiv(self, other: Any, axis: Any = None, level: Any = None, fill_value: Any = None) -> Any:
        return self._flex_method(other, rfloordiv, axis, level, fill_value)

    def mod(self, other: Any, axis: Any = None, level: Any = None, fill_value: Any = None) -> Any:
        return self._flex_method(other, operator.mod, axis, level, fill_value)

    def rmod(self, other: Any, axis: Any = None, level: Any = None, fill_value: Any = None) -> Any:
        return self._flex_method(other, rmod, axis, level, fill_value)

    def pow(self, other: Any, axis: Any = None, level: Any = None, fill_value: Any = None) -> Any:
        return self._flex_method(other, operator.pow, axis, level, fill_value)

    def rpow(self, other: Any, axis: Any = None, level: Any = None, fill_value: Any = None) -> Any:
        return self._flex_method(other, rpow, axis, level, fill_value)

    def eq(self, other: Any, axis: Any = None, level: Any = None, fill_value: Any = None) -> Any:
        return self._flex_method(other, operator.eq, axis, level, fill_value)

    def ne(self, other: Any, axis: Any = None, level: Any = None, fill_value: Any = None) -> Any:
        return self._flex_method(other, operator.ne, axis, level, fill_value)

    def lt(self, other: Any, axis: Any = None, level: Any = None, fill_value: Any = None) -> Any:
        return self._flex_method(other, operator.lt, axis, level, fill_value)

    def le(self, other: Any, axis: Any = None, level: Any = None, fill_value: Any = None) -> Any:
        return self._flex_method(other, operator.le, axis, level, fill_value)

    def gt(self, other: Any, axis: Any = None, level: Any = None, fill_value: Any = None) -> Any:
        return self._flex_method(other, operator.gt, axis, level, fill_value)

    def ge(self, other: Any, axis: Any = None, level: Any = None, fill_value: Any = None) -> Any:
        return self._flex_method(other, operator.ge, axis, level, fill_value)
