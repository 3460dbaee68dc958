"""Helpers the rules share: expression substitution, conjunct splitting, tree rewriting."""

from __future__ import annotations

from typing import Callable, Hashable

from jaxframes.expr.expr import Expr
from jaxframes.plan.nodes import Node, Select, WithColumns
from jaxframes.plan.schema import names
from jaxframes.expr.functions import col


def substitute(expr: Expr, mapping: dict[Hashable, Expr]) -> Expr:
    """``expr`` with each ``col(name)`` in ``mapping`` replaced by its definition."""
    if expr.op == "col":
        return mapping.get(expr.params[0], expr)
    return expr.with_children(tuple(substitute(c, mapping) for c in expr.children))


def keep_name(expr: Expr, name: Hashable) -> Expr:
    """``expr`` producing a column called ``name`` (an alias only where needed)."""
    return expr if expr.output_name == name else expr.alias(name)


def strip_alias(expr: Expr) -> Expr:
    while expr.op == "alias":
        expr = expr.children[0]
    return expr


def conjuncts(expr: Expr) -> list[Expr]:
    if expr.op == "binary" and expr.params[0] == "and_":
        return conjuncts(expr.children[0]) + conjuncts(expr.children[1])
    return [expr]


def conjoin(parts: list[Expr]) -> Expr:
    out = parts[0]
    for part in parts[1:]:
        out = out & part
    return out


def column_refs(exprs: tuple[Expr, ...] | list[Expr]) -> dict[Hashable, int]:
    """How many times each column is referenced across ``exprs``."""
    counts: dict[Hashable, int] = {}
    for e in exprs:
        for node in e.walk():
            if node.op == "col":
                counts[node.params[0]] = counts.get(node.params[0], 0) + 1
    return counts


def definitions(node: Node) -> dict[Hashable, Expr] | None:
    """For Select/WithColumns: output name -> the expression over the node's input."""
    if isinstance(node, Select):
        return {e.output_name: strip_alias(e) if e.op == "alias" else e for e in node.exprs}
    if isinstance(node, WithColumns):
        out = {n: col(n) for n in names(node.child)}
        out.update({e.output_name: strip_alias(e) for e in node.exprs})
        return out
    return None


def bottom_up(plan: Node, fn: Callable[[Node], Node]) -> Node:
    """Rewrite children first, then the node itself."""
    children = tuple(bottom_up(c, fn) for c in plan.children)
    return fn(plan.with_children(*children))


def top_down(plan: Node, fn: Callable[[Node], Node]) -> Node:
    """Rewrite the node first, then the children of the result."""
    node = fn(plan)
    return node.with_children(*(top_down(c, fn) for c in node.children))
