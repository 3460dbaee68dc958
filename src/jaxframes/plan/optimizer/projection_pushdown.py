"""Projection pushdown: only the columns the query uses are read, carried and computed.

Before:                                        After:
    SELECT [col('a')]                              SELECT [col('a')]
      SORT by=['b']                                  SORT by=['b']
        JOIN how=inner on=['k']                        SELECT [col('a'), col('b')]        (dropped before the sort)
          SCAN frame columns=*   (k, a, b, c)            JOIN how=inner on=['k']
          SCAN frame columns=*   (k, d)                    SCAN frame columns=['k', 'a', 'b']
                                                            SCAN frame columns=['k']

The required column set flows from the root (all columns) down: a Select needs what its kept
expressions read, a WithColumns drops definitions nobody reads, a Filter/Sort add their
columns, a group-by needs its keys and aggregated columns, a Unique without a subset needs
everything. Scans get the needed column list; a SELECT is inserted below a Sort or Join whose
input still carries unneeded columns. Legal because dropping a column no one reads changes no
value, with one care: a join keeps the columns both inputs share, because dropping one would
change the other's suffixed output name ('v_x' -> 'v'). An unread definition is kept when
its answer depends on the data (expr/row_dependence.py): pandas computed it, and it may raise
(``a ** b`` with a negative ``b``, ``astype('int64')`` of a NaN).
"""

from __future__ import annotations


from jaxframes.expr.functions import col
from jaxframes.expr.row_dependence import rows_decide
from jaxframes.plan.nodes import (DataFrameScan, Filter, GroupByAgg, Join, Limit, Node, ParquetScan, Select,
                                  Sort, Unique, WithColumns)
from jaxframes.plan.optimizer._util import column_refs
from jaxframes.plan.schema import names

NAME = "projection_pushdown"


def _reads(exprs) -> set:
    return set(column_refs(exprs))


def _narrowed(child: Node, need: set | None) -> Node:
    """``child`` pruned to ``need``, with a Select when it still carries more."""
    if need is not None:
        available = names(child)
        if not need & set(available) and available:
            need = {available[0]}  # keep one column: the row count must survive
    pruned = _prune(child, need)
    if need is None:
        return pruned
    available = names(pruned)
    if set(available) - need:
        return Select((pruned,), tuple(col(n) for n in available if n in need))
    return pruned


def _join(node: Join, required: set | None) -> Node:
    left, right = node.children
    if required is None:
        return node.with_children(_prune(left, None), _prune(right, None))
    lnames, rnames = names(left), names(right)
    on = set(node.on or ())
    overlap = (set(lnames) & set(rnames)) - on
    sx, sy = node.suffixes
    out_l = {c: f"{c}{sx}" if c in overlap else c for c in lnames}
    out_r = {c: f"{c}{sy}" if c in overlap else c for c in rnames if c not in on}
    need_l = set(node.left_keys()) | {c for c, o in out_l.items() if o in required} | (overlap & set(lnames))
    need_r = set(node.right_keys()) | {c for c, o in out_r.items() if o in required} | (overlap & set(rnames))
    return node.with_children(_narrowed(left, need_l), _narrowed(right, need_r))


def _prune(node: Node, required: set | None) -> Node:
    if isinstance(node, (DataFrameScan, ParquetScan)):
        current = names(node)
        if required is None or not set(current) - required:
            return node
        return node.replace(columns=tuple(n for n in current if n in required))
    if isinstance(node, Select):
        exprs = node.exprs
        if required is not None and node.fusible:
            exprs = tuple(e for e in exprs if e.output_name in required or rows_decide(e)) or exprs[:1]
        return node.replace(children=(_prune(node.child, _reads(exprs)),), exprs=exprs)
    if isinstance(node, WithColumns):
        exprs = node.exprs if required is None else tuple(
            e for e in node.exprs if e.output_name in required or rows_decide(e))
        if not exprs:
            return _prune(node.child, required)
        defined = {e.output_name for e in exprs}
        need = None if required is None else (required - defined) | _reads(exprs)
        return node.replace(children=(_prune(node.child, need),), exprs=exprs)
    if isinstance(node, Filter):
        need = None if required is None else required | node.predicate.columns()
        return node.with_children(_prune(node.child, need))
    if isinstance(node, Limit):
        return node.with_children(_prune(node.child, required))
    if isinstance(node, Sort):
        need = None if required is None else required | set(node.by)
        return node.with_children(_narrowed(node.child, need))
    if isinstance(node, GroupByAgg):
        need = set(node.keys) | {c for _, c, _ in node.aggs}
        return node.with_children(_prune(node.child, need))
    if isinstance(node, Unique):
        need = None if node.subset is None or required is None else required | set(node.subset)
        return node.with_children(_prune(node.child, need))
    if isinstance(node, Join):
        return _join(node, required)
    return node.with_children(*(_prune(c, None) for c in node.children))


def apply(plan: Node) -> Node:
    return _prune(plan, None)
