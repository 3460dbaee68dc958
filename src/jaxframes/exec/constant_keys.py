"""Group-bys on literal keys: ``assign(one=1).groupby('one', as_index=False).agg(...)``.

pandas users write a whole-table aggregate this way (TPC-H q6). Run as written, the fused stage
writes a full-length int64 column of the literal, and the group-by reads it back to find one
group. Here the literal is not computed: the group-by groups on the row mask (every live row
is True: one group, a boolean key, so the dense path with no range sync), and the literal is
written into the result's key column afterwards, by the same ``with_columns`` that would have
made it (so the key's dtype is the plan's). The plan and its schema are unchanged: this is how
the node is run, not an optimizer rewrite.
"""

from __future__ import annotations

import math
from typing import Any

import jax.numpy as jnp

from jaxframes import dtypes as jdt
from jaxframes.column import Column
from jaxframes.expr import evaluate as ev
from jaxframes.expr.expr import Expr
from jaxframes.plan.nodes import GroupByAgg, Node, WithColumns

_PLAIN = (bool, int, float, str)


def _literal_key(expr: Expr) -> bool:
    """``lit(v).alias(k)`` with a plain, non-missing scalar (a null key would drop the group)."""
    if expr.op != "alias" or expr.children[0].op != "lit":
        return False
    value = expr.children[0].params[0]
    return type(value) in _PLAIN and not (isinstance(value, float) and math.isnan(value))


def split(node: GroupByAgg) -> tuple[Node, tuple[Expr, ...]] | None:
    """(the child without the literal key columns, the key expressions) when every key of an
    ``as_index=False`` group-by is a literal its child defines and no aggregation reads one;
    else None."""
    child = node.child
    if node.as_index or not node.keys or not isinstance(child, WithColumns):
        return None
    literals = {e.output_name: e for e in child.exprs if _literal_key(e)}
    keys = set(node.keys)
    if not keys <= set(literals) or any(c in keys for _, c, _ in node.aggs):
        return None
    rest = tuple(e for e in child.exprs if e.output_name not in keys)
    return (child.replace(exprs=rest) if rest else child.child), tuple(literals[k] for k in node.keys)


def aggregate(node: GroupByAgg, frame: Any, keys: tuple[Expr, ...]) -> Any:
    """``node`` over ``frame`` (which lacks the literal key columns), grouped on the row mask.
    A row-sharded frame gets its literal columns and the plain group-by (its distributed path)."""
    if frame._sharding is not None:
        return node.evaluate(ev.with_columns(frame, keys))
    live = frame._row_mask
    live = jnp.ones(frame._capacity, bool) if live is None else live
    columns = dict(frame._columns)
    columns.update({k: Column(live, None, jdt.BOOL) for k in node.keys})
    grouped = frame._with_columns(columns).groupby(list(node.keys), as_index=False, sort=node.sort,
                                                   dropna=node.dropna)
    out = grouped.agg(**{name: (c, how) for name, c, how in node.aggs})
    return ev.with_columns(out, keys)
