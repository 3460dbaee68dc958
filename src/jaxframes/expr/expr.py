"""Expr: an immutable expression tree (``col("a") > 0``), evaluated by the eager engine.

An expression is an operation name, a tuple of child expressions and a tuple of static
parameters. It has ONE implementation: ``evaluate(frame)`` calls the eager Series operations
(expr/evaluate.py), so eager frames (``df.filter(col('a') > 0)``) and the lazy engine agree.
``==`` builds an expression (as in pandas/Polars), so structural identity is ``key``/``same``.
"""

from __future__ import annotations

from typing import Any, Hashable, Iterator

from jaxframes.table import is_series

AGGREGATIONS = ("sum", "mean", "min", "max", "count", "n_unique", "std", "var", "first", "last", "median")
BINARY = ("add", "sub", "mul", "truediv", "floordiv", "mod", "pow", "eq", "ne", "lt", "le", "gt", "ge",
          "and_", "or_", "xor")
UNARY = ("neg", "invert", "abs")
SYMBOLS = {"add": "+", "sub": "-", "mul": "*", "truediv": "/", "floordiv": "//", "mod": "%", "pow": "**",
           "eq": "==", "ne": "!=", "lt": "<", "le": "<=", "gt": ">", "ge": ">=", "and_": "&", "or_": "|",
           "xor": "^"}


def wrap(value: Any) -> "Expr":
    """An Expr as is; a plain Python/numpy scalar as a literal."""
    if isinstance(value, Expr):
        return value
    if is_series(value):
        raise TypeError("an eager Series cannot be mixed into an expression; use jf.col(name)")
    return Expr("lit", (), (value,))


class Expr:
    """A node of an expression tree: ``op`` with ``children`` (Exprs) and static ``params``."""

    __slots__ = ("op", "children", "params", "_key")

    def __init__(self, op: str, children: tuple["Expr", ...] = (), params: tuple = ()):
        object.__setattr__(self, "op", op)
        object.__setattr__(self, "children", tuple(children))
        object.__setattr__(self, "params", tuple(params))
        object.__setattr__(self, "_key", None)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("expressions are immutable")

    # -- identity ---------------------------------------------------------------------------
    @property
    def key(self) -> tuple:
        """A hashable structural key (used by CSE, plan comparison and the compile cache)."""
        if self._key is None:
            params = tuple((type(p).__name__, repr(p)) for p in self.params)
            object.__setattr__(self, "_key", (self.op, params, tuple(c.key for c in self.children)))
        return self._key

    def same(self, other: "Expr") -> bool:
        return isinstance(other, Expr) and self.key == other.key

    def __hash__(self) -> int:
        return hash(self.key)

    def __bool__(self) -> bool:
        raise TypeError("the truth value of an expression is ambiguous; use & | ~ instead of and/or/not")

    def with_children(self, children: tuple["Expr", ...]) -> "Expr":
        if len(children) == len(self.children) and all(a is b for a, b in zip(children, self.children)):
            return self
        return Expr(self.op, children, self.params)

    def walk(self) -> Iterator["Expr"]:
        """This node and all its descendants (pre-order)."""
        yield self
        for child in self.children:
            yield from child.walk()

    def columns(self) -> set[Hashable]:
        """Names of the input columns this expression reads."""
        return {e.params[0] for e in self.walk() if e.op == "col"}

    @property
    def output_name(self) -> Hashable:
        """The result column's name: an alias, else the leftmost column's name (as Polars)."""
        if self.op in ("col", "alias"):
            return self.params[0]
        if self.op == "lit":
            return "literal"
        return self.children[0].output_name

    def has_agg(self) -> bool:
        return any(e.op == "agg" for e in self.walk())

    def is_column(self) -> bool:
        return self.op == "col"

    # -- evaluation -------------------------------------------------------------------------------
    def evaluate(self, frame: Any) -> Any:
        """The value on an eager frame: a Series (named ``output_name``) or a scalar."""
        return evaluate(self, frame)

    def __repr__(self) -> str:
        return render(self)

    # -- operators ---------------------------------------------------------------------------------
    def _bin(self, op: str, other: Any, reflected: bool = False) -> "Expr":
        other = wrap(other)
        return Expr("binary", (other, self) if reflected else (self, other), (op,))

    def __add__(self, o: Any) -> "Expr": return self._bin("add", o)
    def __radd__(self, o: Any) -> "Expr": return self._bin("add", o, True)
    def __sub__(self, o: Any) -> "Expr": return self._bin("sub", o)
    def __rsub__(self, o: Any) -> "Expr": return self._bin("sub", o, True)
    def __mul__(self, o: Any) -> "Expr": return self._bin("mul", o)
    def __rmul__(self, o: Any) -> "Expr": return self._bin("mul", o, True)
    def __truediv__(self, o: Any) -> "Expr": return self._bin("truediv", o)
    def __rtruediv__(self, o: Any) -> "Expr": return self._bin("truediv", o, True)
    def __floordiv__(self, o: Any) -> "Expr": return self._bin("floordiv", o)
    def __rfloordiv__(self, o: Any) -> "Expr": return self._bin("floordiv", o, True)
    def __mod__(self, o: Any) -> "Expr": return self._bin("mod", o)
    def __rmod__(self, o: Any) -> "Expr": return self._bin("mod", o, True)
    def __pow__(self, o: Any) -> "Expr": return self._bin("pow", o)
    def __rpow__(self, o: Any) -> "Expr": return self._bin("pow", o, True)
    def __eq__(self, o: Any) -> "Expr": return self._bin("eq", o)  # type: ignore[override]
    def __ne__(self, o: Any) -> "Expr": return self._bin("ne", o)  # type: ignore[override]
    def __lt__(self, o: Any) -> "Expr": return self._bin("lt", o)
    def __le__(self, o: Any) -> "Expr": return self._bin("le", o)
    def __gt__(self, o: Any) -> "Expr": return self._bin("gt", o)
    def __ge__(self, o: Any) -> "Expr": return self._bin("ge", o)
    def __and__(self, o: Any) -> "Expr": return self._bin("and_", o)
    def __rand__(self, o: Any) -> "Expr": return self._bin("and_", o, True)
    def __or__(self, o: Any) -> "Expr": return self._bin("or_", o)
    def __ror__(self, o: Any) -> "Expr": return self._bin("or_", o, True)
    def __xor__(self, o: Any) -> "Expr": return self._bin("xor", o)
    def __rxor__(self, o: Any) -> "Expr": return self._bin("xor", o, True)
    def __neg__(self) -> "Expr": return Expr("unary", (self,), ("neg",))
    def __invert__(self) -> "Expr": return Expr("unary", (self,), ("invert",))
    def __abs__(self) -> "Expr": return Expr("unary", (self,), ("abs",))

    def abs(self) -> "Expr":
        return Expr("unary", (self,), ("abs",))

    # -- naming, casting, nulls --------------------------------------------------------------------
    def alias(self, name: Hashable) -> "Expr":
        """The same values under another output name."""
        return Expr("alias", (self,), (name,))

    def cast(self, dtype: Any) -> "Expr":
        """``Series.astype`` with pandas' casting rules."""
        return Expr("cast", (self,), (dtype,))

    astype = cast

    def is_null(self) -> "Expr":
        return Expr("is_null", (self,))

    isna = is_null

    def is_not_null(self) -> "Expr":
        return Expr("is_not_null", (self,))

    notna = is_not_null

    def fill_null(self, value: Any) -> "Expr":
        """``Series.fillna(value)`` (a scalar)."""
        return Expr("fill_null", (self,), (value,))

    fillna = fill_null

    def is_in(self, values: Any) -> "Expr":
        return Expr("is_in", (self,), (tuple(values),))

    isin = is_in

    # -- aggregations --------------------------------------------------------------------------------
    def _agg(self, how: str) -> "Expr":
        return Expr("agg", (self,), (how,))

    def sum(self) -> "Expr": return self._agg("sum")
    def mean(self) -> "Expr": return self._agg("mean")
    def median(self) -> "Expr": return self._agg("median")
    def min(self) -> "Expr": return self._agg("min")
    def max(self) -> "Expr": return self._agg("max")
    def count(self) -> "Expr": return self._agg("count")
    def n_unique(self) -> "Expr": return self._agg("n_unique")
    def std(self) -> "Expr": return self._agg("std")
    def var(self) -> "Expr": return self._agg("var")
    def first(self) -> "Expr": return self._agg("first")
    def last(self) -> "Expr": return self._agg("last")

    nunique = n_unique

    # -- namespaces ----------------------------------------------------------------------------------
    @property
    def str(self):
        """String methods, delegated to the eager ``Series.str`` accessor."""
        return StringNamespace(self)

    @property
    def dt(self):
        """Datetime fields, delegated to the eager ``Series.dt`` accessor."""
        return DatetimeNamespace(self)


class When:
    """``when(cond).then(x).otherwise(y)``: the builder, finished by ``otherwise``."""

    def __init__(self, cond: Expr, then: Expr | None = None):
        self._cond, self._then = cond, then

    def then(self, value: Any) -> "Then":
        return Then(self._cond, wrap(value))


class Then(Expr):
    """A when/then without ``otherwise`` is an expression whose other rows are null."""

    __slots__ = ()

    def __init__(self, cond: Expr, then: Expr, otherwise: Expr | None = None):
        super().__init__("when", (cond, then, otherwise if otherwise is not None else wrap(None)))

    def otherwise(self, value: Any) -> Expr:
        return Expr("when", (self.children[0], self.children[1], wrap(value)))


# The evaluators and namespaces are built on Expr, so they load once Expr exists.
from jaxframes.expr.evaluate import evaluate, render  # noqa: E402
from jaxframes.expr.string import StringNamespace  # noqa: E402
from jaxframes.expr.datetime import DatetimeNamespace  # noqa: E402
