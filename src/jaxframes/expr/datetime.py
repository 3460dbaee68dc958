"""``col('t').dt.year`` / ``.dt.floor('D')``: a 'dt' node evaluated by the eager ``Series.dt``."""

from __future__ import annotations

from typing import Any

from jaxframes.expr.expr import Expr

_METHODS = {"floor", "ceil", "round", "strftime", "normalize", "day_name", "month_name", "total_seconds",
            "tz_localize", "tz_convert", "to_period", "to_timestamp", "asfreq"}


class DatetimeNamespace:
    """Fields are properties (``.dt.year``), methods are calls (``.dt.floor('D')``), as in pandas."""

    def __init__(self, expr: Expr):
        self._expr = expr

    def __getattr__(self, field: str):
        if field.startswith("_"):
            raise AttributeError(field)
        if field in _METHODS:
            def build(*args: Any, **kwargs: Any) -> Expr:
                return Expr("dt", (self._expr,), (field, tuple(args), tuple(sorted(kwargs.items()))))
            return build
        return Expr("dt", (self._expr,), (field, (), ()))
