"""Filter fusion: two stacked filters become one filter on the conjunction.

Before:                       After:
    FILTER q                      FILTER (p & q)
      FILTER p                      X
        X

Legal when both predicates are boolean columns: the row mask of ``p & q`` under Kleene logic
(null & False = False, null & True = null -> dropped) keeps exactly the rows both filters keep,
and q is elementwise, so evaluating it on all rows instead of p's survivors changes nothing.
Not legal for non-boolean predicates (``&`` would be a bitwise AND of integers, while each
filter alone raises KeyError): those are left alone. Nor when q's dtype or errors depend on
the rows it sees (expr/row_dependence.py: ``(col('a') ** col('b')) > 0`` above ``b >= 0``
must not see the negative exponents p removed).
"""

from __future__ import annotations

from jaxframes.expr.row_dependence import rows_decide
from jaxframes.plan.nodes import Filter, Node
from jaxframes.plan.optimizer._util import bottom_up
from jaxframes.plan.schema import is_boolean

NAME = "filter_fusion"


def _rule(node: Node) -> Node:
    if isinstance(node, Filter) and isinstance(node.child, Filter):
        inner = node.child
        if rows_decide(node.predicate):
            return node
        if is_boolean(inner.predicate, inner.child) and is_boolean(node.predicate, inner):
            return Filter((inner.child,), inner.predicate & node.predicate)
    return node


def apply(plan: Node) -> Node:
    return bottom_up(plan, _rule)
