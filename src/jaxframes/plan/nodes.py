"""Logical plan nodes: small immutable classes, children kept apart from static parameters.

``evaluate(*child_frames)`` is a pure function of the static parameters and the children's
eager frames; it is what the executor runs (eagerly for stage boundaries, inside one
``jax.jit`` for fused elementwise chains) and what schema inference runs on empty frames.
``params()`` is the static part: it keys the compile cache and names the node in plan text.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from jaxframes.expr import evaluate as ev
from jaxframes.expr.evaluate import broadcast
from jaxframes.expr.expr import Expr
from jaxframes.io.parquet import read_head, read_parquet


def _expr_key(value: Any) -> Any:
    if isinstance(value, Expr):
        return value.key
    if isinstance(value, tuple):
        return tuple(_expr_key(v) for v in value)
    return value


@dataclass(frozen=True, eq=False)
class Node:
    """Base: ``children`` (plan nodes) plus static fields defined by each subclass."""

    children: tuple["Node", ...]

    #: True for row-local nodes that a fused, jitted stage may contain.
    fusible = False

    def params(self) -> tuple:
        return tuple((f.name, _expr_key(getattr(self, f.name))) for f in dataclasses.fields(self)
                     if f.name != "children")

    @property
    def key(self) -> tuple:
        """Structural identity of the whole subtree (plan comparison, caches); computed once per
        node (nodes are immutable; the optimizer compares whole plans after every rule)."""
        cached = self.__dict__.get("_key")
        if cached is None:
            cached = (type(self).__name__, self.params(), tuple(c.key for c in self.children))
            object.__setattr__(self, "_key", cached)
        return cached

    def replace(self, **changes: Any) -> "Node":
        """A copy with some fields changed; the node itself when nothing changes."""
        same = all(_same(getattr(self, k), v) for k, v in changes.items())
        return self if same else dataclasses.replace(self, **changes)

    def with_children(self, *children: "Node") -> "Node":
        return self.replace(children=tuple(children))

    @property
    def child(self) -> "Node":
        return self.children[0]

    def evaluate(self, *frames: Any) -> Any:
        raise NotImplementedError

    def describe(self) -> str:
        raise NotImplementedError


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, tuple) and isinstance(b, tuple):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if isinstance(a, Node) or isinstance(b, Node):
        return a is b
    if isinstance(a, Expr) or isinstance(b, Expr):
        return isinstance(a, Expr) and a.same(b)
    return type(a) is type(b) and a == b


def _names(values: Any) -> str:
    return "[" + ", ".join(repr(v) for v in values) + "]"


# -- sources ---------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class DataFrameScan(Node):
    """An eager frame as a source; ``columns``/``n_rows`` are pushed-down projection/limit."""

    frame: Any = None
    columns: tuple | None = None
    n_rows: int | None = None

    def params(self) -> tuple:
        return (("frame", id(self.frame)), ("columns", self.columns), ("n_rows", self.n_rows))

    def evaluate(self) -> Any:
        frame = self.frame if self.columns is None else self.frame._select(list(self.columns))
        return frame if self.n_rows is None else frame.head(self.n_rows)

    def describe(self) -> str:
        cols = "*" if self.columns is None else _names(self.columns)
        limit = "" if self.n_rows is None else f" n_rows={self.n_rows}"
        return f"SCAN frame columns={cols}{limit}"


@dataclass(frozen=True, eq=False)
class ParquetScan(Node):
    """A Parquet source: projection (``columns``), pyarrow row filters (``filters``, DNF), limit;
    ``date_as_object`` False reads Arrow dates as datetime64[ms] (read_parquet's to_pandas_kwargs)."""

    path: str = ""
    columns: tuple | None = None
    filters: tuple = ()
    n_rows: int | None = None
    date_as_object: bool = True

    def evaluate(self) -> Any:
        columns, filters = None if self.columns is None else list(self.columns), list(self.filters) or None
        if self.n_rows is None:
            frame = read_parquet(self.path, columns=columns, filters=filters,
                                 to_pandas_kwargs={"date_as_object": self.date_as_object})
        else:  # a pushed-down limit reads row groups only until it has its rows
            frame = read_head(self.path, self.n_rows, columns=columns, filters=filters,
                              as_object=self.date_as_object)
        if self.columns is not None:  # read_parquet adds index columns from the pandas metadata
            frame = frame._select(list(self.columns))
        return frame

    def describe(self) -> str:
        cols = "*" if self.columns is None else _names(self.columns)
        extra = f" filters={list(self.filters)}" if self.filters else ""
        extra += "" if self.n_rows is None else f" n_rows={self.n_rows}"
        extra += "" if self.date_as_object else " dates=datetime64[ms]"
        return f"SCAN parquet {self.path!r} columns={cols}{extra}"


# -- row-local nodes (fusible) ------------------------------------------------------------------
def _column_of(frame: Any, value: Any) -> Any:
    return frame._column_from(broadcast(frame, value))


@dataclass(frozen=True, eq=False)
class Select(Node):
    """The frame of exactly these expressions (all aggregations: one row)."""

    exprs: tuple[Expr, ...] = ()

    @property
    def fusible(self) -> bool:  # type: ignore[override]
        return not any(e.has_agg() for e in self.exprs)

    def evaluate(self, frame: Any) -> Any:
        return ev.select(frame, self.exprs)

    def describe(self) -> str:
        return f"SELECT {_names(self.exprs)}"


@dataclass(frozen=True, eq=False)
class WithColumns(Node):
    """Input columns plus these (all evaluated on the input; a same-named column is replaced)."""

    exprs: tuple[Expr, ...] = ()
    fusible = True

    def evaluate(self, frame: Any) -> Any:
        return ev.with_columns(frame, self.exprs)

    def describe(self) -> str:
        return f"WITH_COLUMNS {_names(self.exprs)}"


@dataclass(frozen=True, eq=False)
class Filter(Node):
    """Rows where the predicate is True (null counts as False): a row mask, no data moves."""

    predicate: Expr = None  # type: ignore[assignment]
    fusible = True

    def evaluate(self, frame: Any) -> Any:
        return ev.filter_rows(frame, self.predicate)

    def describe(self) -> str:
        return f"FILTER {self.predicate!r}"


@dataclass(frozen=True, eq=False)
class Limit(Node):
    """The first n rows (``head``)."""

    n: int = 5
    fusible = True

    def evaluate(self, frame: Any) -> Any:
        return frame.head(self.n)

    def describe(self) -> str:
        return f"LIMIT {self.n}"


# -- stage boundaries (eager) ---------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class Sort(Node):
    """``sort_values(by, ascending, na_position)`` (stable)."""

    by: tuple = ()
    ascending: tuple = ()
    na_position: str = "last"

    def evaluate(self, frame: Any) -> Any:
        return frame.sort_values(list(self.by), ascending=list(self.ascending), na_position=self.na_position)

    def describe(self) -> str:
        return f"SORT by={_names(self.by)} ascending={list(self.ascending)}"


@dataclass(frozen=True, eq=False)
class GroupByAgg(Node):
    """``groupby(keys).agg(out=(column, how), ...)``; keys become the index when ``as_index``."""

    keys: tuple = ()
    aggs: tuple = ()  # ((output name, input column, how), ...)
    as_index: bool = False
    sort: bool = True
    dropna: bool = True

    def evaluate(self, frame: Any) -> Any:
        grouped = frame.groupby(list(self.keys), as_index=self.as_index, sort=self.sort, dropna=self.dropna)
        return grouped.agg(**{out: (c, how) for out, c, how in self.aggs})

    def describe(self) -> str:
        aggs = ", ".join(f"{out}={how}({c!r})" for out, c, how in self.aggs)
        return f"GROUP_BY keys={_names(self.keys)} aggs=[{aggs}] as_index={self.as_index}"


def _frozen(value: Any) -> Any:
    """A comparable, hashable-where-possible key of a call argument (dicts and lists as tuples,
    expressions by structure, functions by identity)."""
    if isinstance(value, dict):
        return ("dict", tuple((k, _frozen(v)) for k, v in value.items()))
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, tuple(_frozen(v) for v in value))
    return _expr_key(value)


@dataclass(frozen=True, eq=False)
class GroupByCall(Node):
    """``groupby(keys)[selection].<method>(*args, **kwargs)`` for the group-by methods without a
    dedicated node: ``agg`` with lists of functions (MultiIndex columns), ``head``/``tail``/``nth``,
    ``apply``, ``transform``, ``rank``, the cumulative scans. A stage boundary run by the eager
    group-by (its kernels, its checks), so lazy and eager give one answer.

    ``apply`` calls a Python function per group: pandas decides the result's columns from what the
    function returns, so its schema is known only after the call (``opaque_schema``): a lazy apply
    must be the last step of a plan (anything above it that needs its columns raises)."""

    keys: tuple = ()
    as_index: bool = True
    sort: bool = True
    dropna: bool = True
    selection: tuple | None = None
    method: str = "agg"
    args: tuple = ()
    kwargs: tuple = ()  # ((name, value), ...)

    def params(self) -> tuple:
        return (("keys", self.keys), ("as_index", self.as_index), ("sort", self.sort), ("dropna", self.dropna),
                ("selection", self.selection), ("method", self.method), ("args", _frozen(self.args)),
                ("kwargs", _frozen(self.kwargs)))

    @property
    def opaque_schema(self) -> bool:
        return self.method == "apply"

    def evaluate(self, frame: Any) -> Any:
        grouped = frame.groupby(list(self.keys), as_index=self.as_index, sort=self.sort, dropna=self.dropna)
        if self.selection is not None:
            grouped = grouped[list(self.selection)]
        return getattr(grouped, self.method)(*self.args, **dict(self.kwargs))

    def describe(self) -> str:
        call = ", ".join([repr(a) for a in self.args] + [f"{k}={v!r}" for k, v in self.kwargs])
        selection = "" if self.selection is None else f" selection={_names(self.selection)}"
        return f"GROUP_BY keys={_names(self.keys)}{selection} {self.method}({call}) as_index={self.as_index}"


@dataclass(frozen=True, eq=False)
class WindowCall(Node):
    """``frame.<kind>(*args, **kwargs).<method>(*margs, **mkwargs)`` for kind rolling, expanding
    or ewm: one output row per input row, each from its window of the input's live rows.

    Row-wise with state: it fuses with the elementwise steps around it into one compiled stage
    (the eager windows run inside jit with static window sizes), but no optimizer rule moves a
    filter or a limit across it, since that would change the windows. Run by the eager window
    code, so lazy and eager give one answer."""

    kind: str = "rolling"
    args: tuple = ()
    kwargs: tuple = ()  # ((name, value), ...)
    method: str = "mean"
    method_args: tuple = ()
    method_kwargs: tuple = ()
    fusible = True

    def params(self) -> tuple:
        return (("kind", self.kind), ("args", _frozen(self.args)), ("kwargs", _frozen(self.kwargs)),
                ("method", self.method), ("method_args", _frozen(self.method_args)),
                ("method_kwargs", _frozen(self.method_kwargs)))

    def evaluate(self, frame: Any) -> Any:
        window = getattr(frame, self.kind)(*self.args, **dict(self.kwargs))
        return getattr(window, self.method)(*self.method_args, **dict(self.method_kwargs))

    def describe(self) -> str:
        window = ", ".join([repr(a) for a in self.args] + [f"{k}={v!r}" for k, v in self.kwargs])
        call = ", ".join([repr(a) for a in self.method_args] + [f"{k}={v!r}" for k, v in self.method_kwargs])
        return f"WINDOW {self.kind}({window}).{self.method}({call})"


@dataclass(frozen=True, eq=False)
class Explode(Node):
    """``frame.explode(columns, ignore_index)``: one output row per list element of the list
    columns (rows of empty or null lists keep one row with a null), other columns repeated.
    A stage boundary (its row count depends on the list lengths) run by the eager explode, so
    lazy and eager give one answer; no optimizer rule moves a filter or a limit across it."""

    columns: tuple = ()
    ignore_index: bool = False
    listed: bool = False  # the columns came as a list (a tuple is one column label, as in pandas)

    def evaluate(self, frame: Any) -> Any:
        column = list(self.columns) if self.listed else self.columns[0]
        return frame.explode(column, ignore_index=self.ignore_index)

    def describe(self) -> str:
        return f"EXPLODE {_names(self.columns)} ignore_index={self.ignore_index}"


@dataclass(frozen=True, eq=False)
class Join(Node):
    """``left.merge(right, how, on/left_on/right_on, suffixes)``: a sort-merge join."""

    how: str = "inner"
    on: tuple | None = None
    left_on: tuple | None = None
    right_on: tuple | None = None
    suffixes: tuple = ("_x", "_y")

    def evaluate(self, left: Any, right: Any) -> Any:
        lists = [None if v is None else list(v) for v in (self.on, self.left_on, self.right_on)]
        return left.merge(right, how=self.how, on=lists[0], left_on=lists[1], right_on=lists[2],
                          suffixes=self.suffixes)

    def left_keys(self) -> tuple:
        return self.on if self.on is not None else self.left_on

    def right_keys(self) -> tuple:
        return self.on if self.on is not None else self.right_on

    def describe(self) -> str:
        keys = f"on={_names(self.on)}" if self.on is not None else \
            f"left_on={_names(self.left_on)} right_on={_names(self.right_on)}"
        return f"JOIN how={self.how} {keys}"


@dataclass(frozen=True, eq=False)
class Unique(Node):
    """``drop_duplicates(subset, keep)``."""

    subset: tuple | None = None
    keep: Any = "first"

    def evaluate(self, frame: Any) -> Any:
        return frame.drop_duplicates(None if self.subset is None else list(self.subset), keep=self.keep)

    def describe(self) -> str:
        subset = "*" if self.subset is None else _names(self.subset)
        return f"UNIQUE subset={subset} keep={self.keep!r}"


@dataclass(frozen=True, eq=False)
class SetIndex(Node):
    """``set_index(keys, drop, append)``: columns become the row labels (no data moves)."""

    keys: tuple = ()
    drop: bool = True
    append: bool = False

    def evaluate(self, frame: Any) -> Any:
        return frame.set_index(list(self.keys), drop=self.drop, append=self.append)

    def describe(self) -> str:
        return f"SET_INDEX keys={_names(self.keys)} drop={self.drop} append={self.append}"


@dataclass(frozen=True, eq=False)
class ResetIndex(Node):
    """``reset_index(level, drop, names)``: index levels become leading columns."""

    level: tuple | None = None
    drop: bool = False
    names: tuple | None = None

    def evaluate(self, frame: Any) -> Any:
        return frame.reset_index(None if self.level is None else list(self.level), drop=self.drop,
                                 names=None if self.names is None else list(self.names))

    def describe(self) -> str:
        level = "*" if self.level is None else _names(self.level)
        return f"RESET_INDEX level={level} drop={self.drop}"


def labels_pass_through(node: Node) -> bool:
    """Whether the node's output row labels are its input's (so a row filter commutes with it
    without changing labels): row-local nodes and sort. Joins and group-bys make new labels."""
    return isinstance(node, (WithColumns, Filter, Sort)) or (isinstance(node, Select) and node.fusible)

