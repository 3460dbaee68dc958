"""Limit pushdown: ``head(n)`` moves below row-local projections and into scans.

Before:                         After:
    LIMIT 10                        WITH_COLUMNS [(col('a') * lit(2)).alias('b')]
      WITH_COLUMNS [...]              SCAN frame columns=* n_rows=10
        SCAN frame columns=*
    LIMIT 5 / LIMIT 3  ->  LIMIT 3

Legal below a Select/WithColumns without aggregations (one output row per input row, same
labels, same order) and into a scan (its first n rows). NOT legal below a filter, sort, join,
group-by or unique: which rows come first depends on them. Not below a projection computing
an expression whose dtype or errors depend on the row set (expr/row_dependence.py): pandas
computes it on every row before ``head``.
"""

from __future__ import annotations

from jaxframes.expr.row_dependence import any_rows_decide
from jaxframes.plan.nodes import DataFrameScan, Limit, Node, ParquetScan, Select, WithColumns
from jaxframes.plan.optimizer._util import top_down

NAME = "limit_pushdown"


def _rule(node: Node) -> Node:
    if not isinstance(node, Limit) or node.n < 0:
        return node
    child = node.child
    if isinstance(child, Limit) and child.n >= 0:
        return Limit(child.children, min(node.n, child.n))
    if isinstance(child, (Select, WithColumns)) and child.fusible and not any_rows_decide(child.exprs):
        return child.with_children(Limit(child.children, node.n))
    if isinstance(child, (DataFrameScan, ParquetScan)):
        n = node.n if child.n_rows is None else min(node.n, child.n_rows)
        return child.replace(n_rows=n)
    return node


def apply(plan: Node) -> Node:
    return top_down(plan, _rule)
