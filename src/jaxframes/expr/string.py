"""``col('s').str.<method>(...)``: each call becomes a 'str' node evaluated by ``Series.str``."""

from __future__ import annotations

from typing import Any

from jaxframes.expr.expr import Expr
from jaxframes.accessors.strings import StringMethods


class StringNamespace:
    """Any method of the eager ``Series.str`` accessor, recorded as an expression."""

    def __init__(self, expr: Expr):
        self._expr = expr

    def __getattr__(self, method: str):
        if method.startswith("_"):
            raise AttributeError(method)
        if not hasattr(StringMethods, method):
            raise AttributeError(f"the .str accessor has no method {method!r}")

        def build(*args: Any, **kwargs: Any) -> Expr:
            return Expr("str", (self._expr,), (method, tuple(args), tuple(sorted(kwargs.items()))))
        return build
