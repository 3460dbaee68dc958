"""Expression constructors: ``col``, ``lit``, ``when``."""

from __future__ import annotations

from typing import Any, Hashable

from jaxframes.expr.expr import Expr, When, wrap


def col(name: Hashable) -> Expr:
    """A reference to the column ``name`` of the frame the expression is evaluated on."""
    return Expr("col", (), (name,))


def lit(value: Any) -> Expr:
    """A scalar constant (broadcast over the rows where a column is needed)."""
    if isinstance(value, Expr):
        return value
    return wrap(value)


def when(condition: Any) -> When:
    """``when(cond).then(x).otherwise(y)``: x where cond is True, else y (null without otherwise)."""
    if not isinstance(condition, Expr):
        raise TypeError("when() takes a boolean expression, e.g. jf.when(jf.col('a') > 0)")
    return When(condition)
