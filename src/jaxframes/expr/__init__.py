"""Expressions: ``col("a") > 0`` and friends, evaluated by the eager engine."""

from jaxframes.expr.expr import Expr as Expr
from jaxframes.expr.functions import col as col
from jaxframes.expr.functions import lit as lit
from jaxframes.expr.functions import when as when

__all__ = ["Expr", "col", "lit", "when"]
