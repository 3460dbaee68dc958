"""Plan text: one line per node, children indented under their parent."""

from __future__ import annotations

from jaxframes.plan.nodes import Node


def explain(node: Node, indent: int = 0) -> str:
    """The plan as an indented tree (the text rule tests compare)."""
    lines = ["  " * indent + node.describe()]
    lines += [explain(child, indent + 1) for child in node.children]
    return "\n".join(lines)
