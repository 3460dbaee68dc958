"""Lowering: maximal chains of row-local nodes run as ONE compiled function; sort, group-by,
join, unique and scans are stage boundaries run by the eager engine.

Inside a fused stage filters only AND the row mask, so every shape is static; the stage input
is padded to a capacity bucket (exec/buckets.py) and the compiled function is cached
(exec/cache.py).
"""

from __future__ import annotations

from typing import Any

from jaxframes.exec import constant_keys
from jaxframes.exec.buckets import pad_to_bucket
from jaxframes.exec.cache import run_cached
from jaxframes.plan.nodes import GroupByAgg, Limit, Node, Select


def _trivial(node: Node) -> bool:
    """A pure column selection/rename or a limit: nothing worth compiling."""
    if isinstance(node, Limit):
        return True
    return isinstance(node, Select) and all(
        e.op == "col" or (e.op == "alias" and e.children[0].op == "col") for e in node.exprs)


def _checked_cast(node: Node) -> bool:
    """Casts validate values on the host (NaN -> int raises); under jit that check is skipped,
    so a stage with a cast runs eagerly rather than risk a silently wrong answer."""
    exprs = getattr(node, "exprs", None) or ((node.predicate,) if hasattr(node, "predicate") else ())
    return any(e.op == "cast" for x in exprs for e in x.walk())


def run_chain(chain: list[Node], frame: Any, compile: bool = True) -> Any:
    """Apply the row-local nodes (bottom first) to ``frame``: compiled unless trivial."""
    def body(f: Any) -> Any:
        for node in chain:
            f = node.evaluate(f)
        return f

    if not compile or all(_trivial(n) for n in chain) or any(_checked_cast(n) for n in chain):
        return body(frame)
    stage_key = tuple((type(n).__name__, n.params()) for n in chain)
    return run_cached(stage_key, body, pad_to_bucket(frame), lambda: body(frame))


def split_chain(plan: Node) -> tuple[list[Node], Node]:
    """The maximal fusible chain ending at ``plan`` (bottom first) and the node below it."""
    chain = []
    node = plan
    while node.fusible:
        chain.append(node)
        node = node.child
    return chain[::-1], node


def execute(plan: Node, compile: bool = True) -> Any:
    """The eager frame a plan computes."""
    if isinstance(plan, GroupByAgg):
        literal = constant_keys.split(plan)
        if literal is not None:  # keys that are literals: never computed (exec/constant_keys.py)
            child, keys = literal
            return constant_keys.aggregate(plan, execute(child, compile), keys)
    if plan.fusible:
        chain, base = split_chain(plan)
        return run_chain(chain, execute(base, compile), compile)
    return plan.evaluate(*(execute(child, compile) for child in plan.children))
