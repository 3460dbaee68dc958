"""Expression evaluation on an eager frame: each op calls the eager Series operation.

This is the only implementation of expression semantics; the lazy engine calls it too (inside
jax.jit for fused stages), so results agree with eager pandas-style code by construction.
"""

from __future__ import annotations

import operator
from typing import Any, Callable

from jaxframes.expr.expr import SYMBOLS, Expr, wrap
from jaxframes.expr.functions import col
from jaxframes.table import is_series, make_frame, new_series, unique_columns
from jaxframes.column import Column
from jaxframes.ops.mapping import ufunc_series

_BINARY: dict[str, Callable] = {name: getattr(operator, name) for name in SYMBOLS}
_UNARY: dict[str, Callable] = {"neg": operator.neg, "invert": operator.invert, "abs": operator.abs}
# expression aggregation name -> eager Series method / pandas group-by aggregation name
AGG_METHODS = {"sum": "sum", "mean": "mean", "median": "median", "min": "min", "max": "max",
               "count": "count", "n_unique": "nunique", "std": "std", "var": "var", "first": "first",
               "last": "last"}


def broadcast(frame: Any, value: Any, name: Any = None) -> Any:
    """A scalar as a Series laid out on the frame's rows (a Series is returned as is)."""
    if is_series(value):
        return value
    return new_series(frame._column_from(value), frame._index, frame._row_mask, name, frame._sharding)


def as_mask(series: Any) -> Any:
    """A numpy-bool Series: True where the (possibly nullable) boolean value is True."""
    col = series._column
    if col.dtype.kind != "b":
        raise TypeError(f"a condition must be boolean, got dtype {series.dtype}")
    return series._with_column(Column(col.data & col.not_null()))


def _whole(series: Any, how: str) -> Any:
    if how == "first":
        return series.iloc[0] if len(series) else None
    if how == "last":
        return series.iloc[-1] if len(series) else None
    return getattr(series, AGG_METHODS[how])()


def _when(frame: Any, cond: Any, then: Any, otherwise: Any, other_is_null: bool) -> Any:
    mask = as_mask(broadcast(frame, cond))
    then = broadcast(frame, then)
    return then.where(mask) if other_is_null else then.where(mask, otherwise)


def evaluate(expr: Expr, frame: Any) -> Any:
    """The value of ``expr`` on ``frame``: a Series over the frame's rows, or a scalar."""
    op = expr.op
    if op == "col":
        name = expr.params[0]
        if name not in frame._columns:
            raise KeyError(name)
        return frame._series(name)
    if op == "lit":
        return expr.params[0]
    values = [evaluate(c, frame) for c in expr.children]
    if op == "binary":
        return _BINARY[expr.params[0]](values[0], values[1])
    if op == "unary":
        return _UNARY[expr.params[0]](values[0])
    if op == "alias":
        return values[0].rename(expr.params[0]) if is_series(values[0]) else values[0]
    if op == "cast":
        return broadcast(frame, values[0]).astype(expr.params[0])
    if op == "is_null":
        return broadcast(frame, values[0]).isna()
    if op == "is_not_null":
        return broadcast(frame, values[0]).notna()
    if op == "fill_null":
        return broadcast(frame, values[0]).fillna(expr.params[0])
    if op == "is_in":
        return broadcast(frame, values[0]).isin(list(expr.params[0]))
    if op == "when":
        other_is_null = expr.children[2].op == "lit" and expr.children[2].params[0] is None
        return _when(frame, values[0], values[1], values[2], other_is_null)
    if op == "agg":
        return _whole(broadcast(frame, values[0]), expr.params[0])
    if op == "math":  # numpy math functions of expression strings (expr/parse.py)
        return ufunc_series(broadcast(frame, values[0]), expr.params[0])
    if op == "str":
        method, args, kwargs = expr.params
        return getattr(broadcast(frame, values[0]).str, method)(*args, **dict(kwargs))
    if op == "dt":
        field, args, kwargs = expr.params
        attr = getattr(broadcast(frame, values[0]).dt, field)
        return attr(*args, **dict(kwargs)) if callable(attr) else attr
    raise NotImplementedError(f"expression op {op!r}")


def render(expr: Expr) -> str:
    """Readable text of an expression (plan text and explain() use it)."""
    op, p, c = expr.op, expr.params, expr.children
    if op == "col":
        return f"col({p[0]!r})"
    if op == "lit":
        return f"lit({p[0]!r})"
    if op == "binary":
        return f"({render(c[0])} {SYMBOLS[p[0]]} {render(c[1])})"
    if op == "unary":
        return {"neg": "-", "invert": "~", "abs": "abs"}[p[0]] + f"({render(c[0])})"
    if op == "when":
        return f"when({render(c[0])}).then({render(c[1])}).otherwise({render(c[2])})"
    if op == "agg":
        return f"{render(c[0])}.{p[0]}()"
    if op == "math":
        return f"{p[0]}({render(c[0])})"
    if op in ("str", "dt"):
        args = ", ".join([repr(a) for a in p[1]] + [f"{k}={v!r}" for k, v in p[2]])
        return f"{render(c[0])}.{op}.{p[0]}({args})"
    args = ", ".join(repr(a) for a in p)
    return f"{render(c[0])}.{op}({args})"


# -- frame-level evaluation: ONE implementation for eager calls and the lazy plan nodes --------
def as_exprs(items: Any, named: dict[str, Any]) -> tuple[Expr, ...]:
    """Expressions from names, expressions and ``name=value`` pairs (``select``/``with_columns``)."""
    out: list[Expr] = []
    for item in items:
        if isinstance(item, (list, tuple)):
            out.extend(as_exprs(item, {}))
        elif isinstance(item, Expr):
            out.append(item)
        else:
            out.append(col(item))
    out += [wrap(v).alias(k) for k, v in named.items()]
    return tuple(out)


def _column_of(frame: Any, value: Any) -> Any:
    return frame._column_from(broadcast(frame, value))


def select(frame: Any, exprs: tuple[Expr, ...]) -> Any:
    """The frame of exactly these expressions (all aggregations: one row)."""
    values = [(e.output_name, e.evaluate(frame)) for e in exprs]
    if any(e.has_agg() for e in exprs):
        return _one_row(values)
    return frame._with_columns(unique_columns((n, _column_of(frame, v)) for n, v in values))


def _one_row(values: list) -> Any:
    if any(is_series(v) for _, v in values):
        raise NotImplementedError("select() mixing aggregations with per-row expressions")
    import numpy as np
    return make_frame({n: np.asarray([v]) if v is not None else [None] for n, v in values})


def with_columns(frame: Any, exprs: tuple[Expr, ...]) -> Any:
    """Input columns plus these (all evaluated on the input; a same-named column is replaced)."""
    cols = dict(frame._columns)
    for e in exprs:
        value = e.evaluate(frame)
        if e.has_agg():  # a whole-column aggregate broadcast over the rows
            value = broadcast(frame, value)
        cols[e.output_name] = _column_of(frame, value)
    return frame._with_columns(cols)


def filter_rows(frame: Any, predicate: Expr) -> Any:
    """Rows where the predicate is True (null counts as False): a row mask, no data moves."""
    value = predicate.evaluate(frame)
    if not is_series(value):
        if not isinstance(value, bool) and type(value).__name__ != "bool_":
            raise KeyError(f"a filter predicate must be boolean, got {value!r}")
        value = broadcast(frame, bool(value))
    return frame._filter_rows(value)  # KeyError for a non-boolean predicate, as pandas
