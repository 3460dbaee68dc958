"""Projection fusion: stacked projections become one; identity projections disappear.

Before:                                          After:
    SELECT [col('c'), col('a')]                      SELECT [(col('a') + lit(1)).alias('c'), col('a')]
      WITH_COLUMNS [(col('a') + lit(1)).alias('c')]    X
        X
    WITH_COLUMNS [col('b') * 2 as 'd']               WITH_COLUMNS [.. as 'c', .. as 'd']
      WITH_COLUMNS [col('a') + 1 as 'c']               X
    SELECT [col('a'), col('b')] over X with columns exactly [a, b]   ->   X

Legal (Select over Select/WithColumns) when the inner projection has no aggregation and every
inner computed column is referenced at most once by the outer one (substituting a column used
twice would duplicate work and undo common-subexpression elimination). WithColumns over
WithColumns fuses only when the outer does not read a column the inner defines (both then
evaluate on the same input). An identity Select (the input's columns, in order, unaliased)
is removed. A Select does not absorb a projection with an unread definition whose answer
depends on the data (expr/row_dependence.py): pandas computed it, and it may raise.
"""

from __future__ import annotations

from jaxframes.expr.row_dependence import rows_decide
from jaxframes.plan.nodes import Node, Select, WithColumns
from jaxframes.plan.optimizer._util import bottom_up, column_refs, definitions, keep_name, substitute
from jaxframes.plan.schema import names

NAME = "projection_fusion"


def _fuse_select(outer: Select, inner: Node) -> Node:
    defs = definitions(inner)
    refs = column_refs(outer.exprs)
    if any(not defs[n].is_column() and refs.get(n, 0) > 1 for n in defs):
        return outer
    if any(n not in refs and rows_decide(defs[n]) for n in defs):
        return outer
    exprs = tuple(keep_name(substitute(e, defs), e.output_name) for e in outer.exprs)
    return Select(inner.children, exprs)


def _rule(node: Node) -> Node:
    if isinstance(node, Select):
        child = node.child
        if isinstance(child, (Select, WithColumns)) and child.fusible:
            return _fuse_select(node, child)
        if all(e.op == "col" for e in node.exprs) and [e.params[0] for e in node.exprs] == names(child):
            return child
    if isinstance(node, WithColumns) and isinstance(node.child, WithColumns):
        inner = node.child
        defined = {e.output_name for e in inner.exprs}
        if not defined & set(column_refs(node.exprs)) and not any(e.has_agg() for e in inner.exprs + node.exprs):
            return WithColumns(inner.children, inner.exprs + node.exprs)
    return node


def apply(plan: Node) -> Node:
    return bottom_up(plan, _rule)
