"""Common-subexpression elimination: a repeated subexpression is computed once.

Before:                                              After:
    SELECT [((col('a') + col('b')) * 2).alias('x'),      SELECT [(col('__cse_0') * 2).alias('x'),
            ((col('a') + col('b')) - 1).alias('y')]              (col('__cse_0') - 1).alias('y')]
      X                                                    WITH_COLUMNS [(col('a') + col('b')).alias('__cse_0')]
                                                             X
    A WithColumns is rewritten the same way, followed by a SELECT of its original columns.

Legal for elementwise subexpressions (no aggregation inside, not a bare column or literal) that
occur at least twice across one node's expressions: they are pure functions of the input row,
so computing them once as a hidden column gives the same values. The hidden columns get names
unused by the input and are projected away, so the node's schema is unchanged.
"""

from __future__ import annotations

from typing import Hashable

from jaxframes.expr.expr import Expr
from jaxframes.expr.functions import col
from jaxframes.plan.nodes import Node, Select, WithColumns
from jaxframes.plan.optimizer._util import bottom_up
from jaxframes.plan.schema import names

NAME = "cse"


def _size(e: Expr) -> int:
    return sum(1 for _ in e.walk())


def _repeated(exprs: tuple[Expr, ...]) -> Expr | None:
    """The largest elementwise subexpression occurring twice or more."""
    counts: dict[tuple, int] = {}
    first: dict[tuple, Expr] = {}
    for e in exprs:
        for sub in e.walk():
            if sub.op in ("col", "lit", "alias") or sub.has_agg():
                continue
            counts[sub.key] = counts.get(sub.key, 0) + 1
            first.setdefault(sub.key, sub)
    candidates = [first[k] for k, n in counts.items() if n > 1]
    return max(candidates, key=_size) if candidates else None


def _replace(e: Expr, target: Expr, name: Hashable) -> Expr:
    if e.key == target.key:
        return col(name)
    return e.with_children(tuple(_replace(c, target, name) for c in e.children))


def _fresh(taken: set) -> str:
    i = 0
    while f"__cse_{i}" in taken:
        i += 1
    return f"__cse_{i}"


def _rule(node: Node) -> Node:
    if not isinstance(node, (Select, WithColumns)) or not node.exprs:
        return node
    exprs, hidden = node.exprs, []
    taken = set(names(node.child)) | {e.output_name for e in exprs}
    while (target := _repeated(exprs)) is not None:
        name = _fresh(taken)
        taken.add(name)
        hidden.append(target.alias(name))
        exprs = tuple(_keep(_replace(e, target, name), e) for e in exprs)
    if not hidden:
        return node
    base = WithColumns(node.children, tuple(hidden))
    if isinstance(node, Select):
        return Select((base,), exprs)
    return Select((WithColumns((base,), exprs),), tuple(col(n) for n in names(node)))


def _keep(new: Expr, old: Expr) -> Expr:
    return new if new.output_name == old.output_name else new.alias(old.output_name)


def apply(plan: Node) -> Node:
    return bottom_up(plan, _rule)
