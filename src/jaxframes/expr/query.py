"""``DataFrame.query``/``eval`` and top-level ``jf.eval``: expression strings (expr/parse.py)
run as ``jf.col`` expressions on the frame, through the same evaluator as the lazy engine.

Names resolve as in pandas: column names first (backticked when not identifiers), ``@name``
from the caller's variables. Where a caller's variable is an eager Series or array (which
cannot be a literal of an expression), the same parse runs on the frame's eager Series
instead: the same operations, without the expression tree.
"""

from __future__ import annotations

from typing import Any, Hashable, Iterable

import numpy as np

from jaxframes.errors import reject_inplace
from jaxframes.expr import evaluate as ev
from jaxframes.expr.expr import Expr, wrap
from jaxframes.expr.functions import col
from jaxframes.expr.parse import Scope, Statement, math_expr, parse
from jaxframes.ops.mapping import ufunc_series
from jaxframes.table import is_series


def column_scope(names: Iterable[Hashable], local_vars: dict) -> Scope:
    """Columns as ``col(name)`` expressions (for frames and lazy plans alike)."""
    known = set(names)

    def column(name: Hashable) -> Expr:
        if name in known:
            return col(name)
        raise KeyError(name)

    return Scope(column, local_vars, None, math_expr)


def math_eager(name: str, value: Any) -> Any:
    if isinstance(value, tuple):
        return np.arctan2(*[v.to_numpy() if is_series(v) else v for v in value])
    if is_series(value):
        return ufunc_series(value, name)
    return getattr(np, name)(value)


def eager_scope(frame: Any, local_vars: dict, global_vars: dict | None = None) -> Scope:
    def column(name: Hashable) -> Any:
        if frame is not None and name in frame._columns:
            return frame._series(name)
        raise KeyError(name)

    return Scope(column, local_vars, global_vars, math_eager)


def _statements(frame: Any, text: str, local_vars: dict, allow_assign: bool) -> tuple[list[Statement], bool]:
    """Parsed as expressions when every referenced value fits one; else on eager Series."""
    try:
        return parse(text, column_scope(frame._columns, local_vars), allow_assign), True
    except TypeError as err:
        if "cannot be mixed into an expression" not in str(err):
            raise
    return parse(text, eager_scope(frame, local_vars), allow_assign), False


def query(frame: Any, text: str, local_vars: dict, inplace: bool = False) -> Any:
    """Rows where the expression is True (a row mask)."""
    reject_inplace(inplace, "query")
    stmts, as_expr = _statements(frame, text, local_vars, allow_assign=False)
    if len(stmts) != 1:
        raise ValueError("query expects exactly one expression")
    value = stmts[0].value
    if isinstance(value, Expr):
        return ev.filter_rows(frame, value)
    if is_series(value):
        if value.dtype != bool and str(value.dtype) != "boolean":
            raise KeyError(f"a query must be boolean, got a Series of dtype {value.dtype}")
        return frame._filter_rows(value)
    raise KeyError(f"a query must select rows with a boolean expression, got {value!r}")


def frame_eval(frame: Any, text: str, local_vars: dict, inplace: bool = False) -> Any:
    """The value of an expression (a Series or scalar), or, with assignments, the frame with
    the assigned columns added or replaced, in order."""
    reject_inplace(inplace, "eval")
    stmts, as_expr = _statements(frame, text, local_vars, allow_assign=True)
    if stmts[0].target is None:
        value = stmts[0].value
        return ev.evaluate(value, frame) if isinstance(value, Expr) else value
    if as_expr:
        return ev.with_columns(frame, tuple(wrap(s.value).alias(s.target) for s in stmts))
    out = frame
    for s in stmts:
        out = out._with_columns({**out._columns, s.target: out._column_from(s.value)})
    return out


def lazy_statements(names: Iterable[Hashable], text: str, local_vars: dict, allow_assign: bool) -> list[Statement]:
    """For LazyFrame.query/eval: every value must be an expression (or a literal)."""
    stmts = parse(text, column_scope(names, local_vars), allow_assign)
    return stmts


def top_level_eval(text: str, variables: dict, target: Any = None, inplace: bool = False,
                   resolvers: Any = ()) -> Any:
    """``jf.eval``: names are the caller's variables (``df.a + df.b``); assignments go to
    ``target`` (a returned copy)."""
    frame = None
    local_vars = dict(variables)
    for r in resolvers or ():
        local_vars = {**local_vars, **dict(r)}
    stmts = parse(text, eager_scope(frame, local_vars, local_vars), allow_assign=True)
    if stmts[0].target is None:
        return stmts[-1].value
    if target is None:
        raise ValueError("cannot assign without a target object")
    reject_inplace(inplace, "eval")
    out = target
    for s in stmts:
        out = out._with_columns({**out._columns, s.target: out._column_from(s.value)})
    return out
