"""The optimizer: an ordered list of rules (one module each), run to a fixed point.

Order, and why:
  1. constant_folding    first, so the other rules see literals (``lit(True)`` filters vanish,
                         ``col > 2*3`` becomes a pushable ``col > 6``);
  2. predicate_pushdown  moves filters down (splitting conjunctions) before anything fuses them;
  3. filter_fusion       merges the filters that met on the way down into one mask;
  4. cse                 hoists repeated subexpressions before fusion could inline them again;
  5. projection_fusion   merges stacked projections (never inlining a twice-used hidden column);
  6. projection_pushdown computes required columns once the projections are final, prunes scans
                         and drops unused columns before sorts and joins;
  7. limit_pushdown      last: a limit may only pass the row-local nodes left after the above.
Each rule can be switched off (``optimize(plan, disable={'cse'})``). After every rule the
plan's output schema must be unchanged; a rule that changes it raises naming the rule.
"""

from __future__ import annotations

from typing import Callable, Iterable

from jaxframes.plan.nodes import Node
from jaxframes.plan.optimizer import (constant_folding, cse, filter_fusion, limit_pushdown, predicate_pushdown,
                                      projection_fusion, projection_pushdown)
from jaxframes.plan.schema import schema

RULES: list[tuple[str, Callable[[Node], Node]]] = [
    (constant_folding.NAME, constant_folding.apply),
    (predicate_pushdown.NAME, predicate_pushdown.apply),
    (filter_fusion.NAME, filter_fusion.apply),
    (cse.NAME, cse.apply),
    (projection_fusion.NAME, projection_fusion.apply),
    (projection_pushdown.NAME, projection_pushdown.apply),
    (limit_pushdown.NAME, limit_pushdown.apply),
]
RULE_NAMES = tuple(name for name, _ in RULES)
MAX_PASSES = 20


class OptimizerError(AssertionError):
    """A rule broke an invariant (changed the schema, or did not reach a fixed point)."""


def _schema_list(plan: Node) -> list | None:
    """The output schema, or None for a plan whose schema is known only after running it (a
    group-by apply at the top, nodes.GroupByCall.opaque_schema)."""
    if getattr(plan, "opaque_schema", False):
        return None
    return [(name, str(dtype)) for name, dtype in schema(plan).items()]


def optimize(plan: Node, enable: Iterable[str] | None = None, disable: Iterable[str] = ()) -> Node:
    """The plan after running the enabled rules, in order, until nothing changes.

    The schema is checked once, on the final plan: a schema pass runs the eager code on zero-row
    frames for every node a rule rebuilt, which cost a lazy TPC-H query more than its rules. Only
    when that check fails (or the final plan cannot be typed) are the rules replayed with a check
    after each, so that the error names the rule that broke the schema."""
    enabled = set(RULE_NAMES if enable is None else enable) - set(disable)
    unknown = enabled - set(RULE_NAMES)
    if unknown:
        raise ValueError(f"unknown optimizer rules {sorted(unknown)}; rules are {list(RULE_NAMES)}")
    expected = _schema_list(plan)
    final = _run(plan, enabled)
    if final is plan:
        return plan
    try:
        if _schema_list(final) == expected:
            return final
    except Exception:  # the replay below names the rule (or re-raises this on the culprit)
        pass
    _run(plan, enabled, expected=expected)
    raise OptimizerError("the optimized plan's schema differs from the plan's, but no single rule "
                         "changed it: the rules disagree with each other")


def _run(plan: Node, enabled: set, expected: list | None = None) -> Node:
    """The rules to a fixed point; with ``expected``, the schema checked after every change."""
    for _ in range(MAX_PASSES):
        before = plan.key
        for name, rule in RULES:
            if name not in enabled:
                continue
            new = rule(plan)
            if new.key != plan.key:
                if expected is not None:
                    got = _schema_list(new)
                    if got != expected:
                        raise OptimizerError(f"optimizer rule {name!r} changed the schema: {expected} -> {got}")
                plan = new
        if plan.key == before:
            return plan
    raise OptimizerError(f"the optimizer did not reach a fixed point in {MAX_PASSES} passes")
