"""Constant folding: operators over literals become one literal; always-true filters go.

Before:                                   After:
    FILTER ((col('a') > (lit(2) * lit(3))) & lit(True))      FILTER (col('a') > lit(6))
    WITH_COLUMNS [(lit(1) + lit(2)).alias('c')]               WITH_COLUMNS [lit(3).alias('c')]
    FILTER lit(True)  -> (removed)

Legal when the literals are Python scalars (bool/int/float) and Python's result equals what the
eager engine computes for them: an op on two Python scalars is what ``evaluate`` does anyway
(Python/NumPy weak-scalar promotion keeps the column dtype of the consumer unchanged). Folding is
skipped when Python raises (1 // 0), when an int leaves int64's range, and for non-numeric
literals. ``x & True`` is NOT simplified to ``x`` (x may be a nullable or non-bool column).
"""

from __future__ import annotations

from jaxframes.expr.evaluate import _BINARY, _UNARY
from jaxframes.expr.expr import Expr, wrap
from jaxframes.plan.nodes import Filter, Node, Select, WithColumns
from jaxframes.plan.optimizer._util import bottom_up

NAME = "constant_folding"
_SCALARS = (bool, int, float)


def _literal(e: Expr) -> bool:
    return e.op == "lit" and type(e.params[0]) in _SCALARS


def _fits(value: object) -> bool:
    if type(value) is int:
        return -(2**63) <= value < 2**63
    return type(value) in _SCALARS


def fold(expr: Expr) -> Expr:
    """The expression with every all-literal operator evaluated."""
    expr = expr.with_children(tuple(fold(c) for c in expr.children))
    if expr.op not in ("binary", "unary") or not all(_literal(c) for c in expr.children):
        return expr
    fn = _BINARY[expr.params[0]] if expr.op == "binary" else _UNARY[expr.params[0]]
    try:
        value = fn(*(c.params[0] for c in expr.children))
    except (ArithmeticError, TypeError, ValueError):
        return expr
    return wrap(value) if _fits(value) else expr


def _rule(node: Node) -> Node:
    if isinstance(node, Filter):
        predicate = fold(node.predicate)
        if predicate.op == "lit" and predicate.params[0] is True:
            return node.child
        return node.replace(predicate=predicate)
    if isinstance(node, (Select, WithColumns)):
        exprs = tuple(_named(fold(e), e) for e in node.exprs)
        return node.replace(exprs=exprs)
    return node


def _named(folded: Expr, original: Expr) -> Expr:
    """Keep the output name a folded expression had (``col('a') * (1 + 1)`` stays 'a')."""
    return folded if folded.output_name == original.output_name else folded.alias(original.output_name)


def apply(plan: Node) -> Node:
    return bottom_up(plan, _rule)
