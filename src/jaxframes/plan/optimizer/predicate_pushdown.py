"""Predicate pushdown: filters move towards the sources, into Parquet scans as pyarrow filters.

Before:                                    After:
    FILTER ((col('a') > lit(0)) & (col('z') == lit(1)))       JOIN how=inner on=['k']
      JOIN how=inner on=['k']                                    FILTER (col('a') > lit(0))
        SCAN left (k, a)                                           SCAN left (k, a)
        SCAN right (k, z)                                        FILTER (col('z') == lit(1))
                                                                   SCAN right (k, z)
    FILTER (col('a') > lit(3))    over  SCAN parquet   ->   SCAN parquet filters=[('a', '>', 3)]

A boolean predicate is split into its AND-ed conjuncts; each moves on its own. Legal moves:
  * below a Select (no aggregation) when every column it reads is a plain (possibly renamed)
    column of the Select's input; below a WithColumns when it reads no column defined there;
    below a Sort (a stable sort commutes with a row filter, labels included);
  * below a Join into the side that owns all its columns (inner/left: left-only columns and the
    ``on`` keys; inner/right: right-only columns), below a group-by (as_index=False) when it
    reads only the keys, and into a Parquet scan when it is ``col <op> literal`` -- ONLY where
    the row labels of that node are not observable above (under another join or group-by):
    these nodes renumber their rows, so a filter below them gives other labels than pandas'.
Never below a Limit, a Unique, an aggregation or another Filter (filter_fusion merges those).
Non-boolean predicates (which must raise KeyError) are not split.

Data-dependent answers (expr/row_dependence.py): a move may not change the rows that an
expression whose dtype or errors depend on the row set sees. So nothing moves below a
Select/WithColumns computing such an expression (``dt.day`` over a NaT that the filter drops is
float64 in pandas), a predicate holding one is not split or moved, and a filter enters the kept
side of a left/right join only when no column of the other side is numpy int/bool (an unmatched
row dropped before the join would keep it int; pandas, joining first, made it float64).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from jaxframes.expr.expr import Expr
from jaxframes.expr.row_dependence import any_rows_decide, rows_decide
from jaxframes.plan.nodes import Filter, GroupByAgg, Join, Node, ParquetScan, Select, Sort, WithColumns
from jaxframes.plan.optimizer._util import conjoin, conjuncts, definitions, substitute
from jaxframes.plan.schema import is_boolean, names, schema

NAME = "predicate_pushdown"
_ARROW_OPS = {"eq": "==", "ne": "!=", "lt": "<", "le": "<=", "gt": ">", "ge": ">="}
_FLIP = {"eq": "eq", "ne": "ne", "lt": "gt", "le": "ge", "gt": "lt", "ge": "le"}


def arrow_filter(part: Expr) -> tuple | None:
    """``(column, op, value)`` for pyarrow when ``part`` is a column compared with a literal."""
    if part.op != "binary" or part.params[0] not in _ARROW_OPS:
        return None
    left, right = part.children
    op = part.params[0]
    if left.op == "lit" and right.op == "col":
        left, right, op = right, left, _FLIP[op]
    if left.op != "col" or right.op != "lit" or not isinstance(left.params[0], str):
        return None
    value = right.params[0]
    if type(value) not in (bool, int, float, str) or (isinstance(value, float) and math.isnan(value)):
        return None
    return (left.params[0], _ARROW_OPS[op], value)


def _is_decimal(dtype: Any) -> bool:
    return isinstance(dtype, pd.ArrowDtype) and pa.types.is_decimal(dtype.pyarrow_dtype)


def _holds_missing(join: Join, side: int) -> bool:
    """Whether every output column from input ``side`` takes a missing value without changing
    dtype (``on`` keys come from the kept side)."""
    keys = set(join.on or ())
    return not any(isinstance(d, np.dtype) and d.kind in "iub"
                   for c, d in schema(join.children[side]).items() if c not in keys)


def _join_owner(join: Join, cols: set) -> int | None:
    """0/1: the join input whose columns ``cols`` all come from unchanged; None if neither."""
    left, right = set(names(join.children[0])), set(names(join.children[1]))
    keys = set(join.on or ())
    left_owned = (left - right) | (keys if join.how in ("inner", "left") else set())
    right_owned = right - left
    if join.how in ("inner", "left") and cols <= left_owned:
        return 0 if join.how == "inner" or _holds_missing(join, 1) else None
    if join.how in ("inner", "right") and cols <= right_owned:
        return 1 if join.how == "inner" or _holds_missing(join, 0) else None
    return None


def _destination(part: Expr, child: Node, observed: bool) -> tuple[int, Expr] | tuple[str, Any] | None:
    cols = part.columns()
    if isinstance(child, (Select, WithColumns)) and any_rows_decide(child.exprs):
        return None
    if isinstance(child, Select) and child.fusible:
        defs = definitions(child)
        if cols and all(c in defs and defs[c].is_column() for c in cols):
            return 0, substitute(part, {c: defs[c] for c in cols})
    elif isinstance(child, WithColumns):
        if not cols & {e.output_name for e in child.exprs}:
            return 0, part
    elif isinstance(child, Sort):
        return 0, part
    elif observed:
        return None
    elif isinstance(child, Join):
        side = _join_owner(child, cols)
        return None if side is None or not cols else (side, part)
    elif isinstance(child, GroupByAgg):
        if not child.as_index and cols and cols <= set(child.keys):
            return 0, part
    elif isinstance(child, ParquetScan):
        tup = arrow_filter(part)
        if tup is None or _is_decimal(schema(child).get(tup[0])):
            return None  # pyarrow cannot compare a decimal column with a float; the frame can
        return "scan", tup
    return None


def _push(node: Filter, observed: bool) -> Node:
    child = node.child
    if rows_decide(node.predicate):
        return node  # splitting or moving it would change the rows some part of it sees
    parts = conjuncts(node.predicate)
    if len(parts) > 1 and not all(is_boolean(p, child) for p in parts):
        parts = [node.predicate]
    moved: dict[Any, list] = {}
    stay = []
    for part in parts:
        dest = _destination(part, child, observed)
        if dest is None:
            stay.append(part)
        else:
            moved.setdefault(dest[0], []).append(dest[1])
    if not moved:
        return node
    if "scan" in moved:
        new: Node = child.replace(filters=tuple(child.filters) + tuple(moved["scan"]))
    else:
        kids = list(child.children)
        for side, preds in moved.items():
            kids[side] = Filter((kids[side],), conjoin(preds))
        new = child.with_children(*kids)
    return Filter((new,), conjoin(stay)) if stay else new


def _observes(node: Node, observed: bool) -> bool:
    """Whether the row labels of ``node``'s children are observable above."""
    if isinstance(node, (Join, GroupByAgg)) or (isinstance(node, Select) and not node.fusible):
        return False
    return observed


def _rewrite(node: Node, observed: bool) -> Node:
    if isinstance(node, Filter):
        node = _push(node, observed)
    inner = _observes(node, observed)
    return node.with_children(*(_rewrite(c, inner) for c in node.children))


def apply(plan: Node) -> Node:
    return _rewrite(plan, True)


