"""LazyFrame: a query plan built by pandas- or Polars-style calls, optimized and run by collect().

Every method adds one plan node (plan/nodes.py); ``collect()`` runs the optimizer
(plan/optimizer/) and the executor (exec/lower.py), which compiles maximal row-local chains
into one jitted function. Pandas spellings build the same plans: ``lf[lf['a'] > 0]`` is a
filter, ``lf['a']`` a column expression, ``lf.assign(b=...)`` a with_columns,
``lf.groupby('k').agg({'a': 'sum'})`` a group-by with the keys as index (as pandas).
"""

from __future__ import annotations

import copy
from typing import Any, Hashable, Iterable

import pandas as pd

from jaxframes.errors import reject_inplace
from jaxframes.io.arrow import date_as_object
from jaxframes.expr.evaluate import AGG_METHODS, as_exprs
from jaxframes.expr.expr import Expr, wrap
from jaxframes.expr.functions import col
from jaxframes.expr.query import lazy_statements
from jaxframes.methods.apply import caller_variables
from jaxframes.plan import nodes as N
from jaxframes.plan.explain import explain as plan_text
from jaxframes.plan.schema import empty_frame, names, schema
from jaxframes.table import is_series, register_facade
from jaxframes.exec.lower import execute
from jaxframes.exec.streaming import DEFAULT_STREAMING_BUDGET, execute_streaming, memory_budget, scan_bytes
from jaxframes.plan.optimizer import optimize

_AGG_NAMES = set(AGG_METHODS.values()) | {"prod", "any", "all"}


def _labels(value: Any) -> tuple:
    return tuple(value) if isinstance(value, (list, tuple)) else (value,)


class LazyFrame:
    """A deferred query over eager frames or Parquet files. Nothing runs before ``collect()``."""

    __slots__ = ("_plan",)

    def __init__(self, plan: N.Node):
        self._plan = plan

    @classmethod
    def from_frame(cls, frame: Any) -> "LazyFrame":
        return cls(N.DataFrameScan((), frame=frame))

    def _then(self, node: N.Node) -> "LazyFrame":
        return LazyFrame(node)

    # -- metadata (schema inference runs the plan on empty inputs) -----------------------------
    @property
    def schema(self) -> dict[Hashable, Any]:
        """Column name -> pandas dtype of the result, without running the query."""
        return schema(self._plan)

    @property
    def columns(self) -> pd.Index:
        return pd.Index(names(self._plan))

    @property
    def dtypes(self) -> pd.Series:
        return pd.Series(self.schema, dtype=object)

    def lazy(self) -> "LazyFrame":
        return self

    # -- Polars-style building -----------------------------------------------------------------------
    def select(self, *exprs: Any, **named: Any) -> "LazyFrame":
        """Exactly these columns/expressions (aggregations only: a one-row frame)."""
        return self._then(N.Select((self._plan,), as_exprs(exprs, named)))

    def with_columns(self, *exprs: Any, **named: Any) -> "LazyFrame":
        """Add or replace columns; all expressions see the input frame."""
        return self._then(N.WithColumns((self._plan,), as_exprs(exprs, named)))

    def filter(self, *predicates: Any, items: Any = None, like: str | None = None, regex: str | None = None,
               axis: Any = None) -> "LazyFrame":
        """Rows where every predicate is True; pandas' ``items=/like=/regex=`` select columns."""
        if predicates and all(isinstance(p, Expr) for p in predicates):
            predicate = predicates[0]
            for p in predicates[1:]:
                predicate = predicate & p
            return self._then(N.Filter((self._plan,), predicate))
        if predicates and items is None and len(predicates) == 1:
            items = predicates[0]
        if axis not in (None, 1, "columns"):
            raise NotImplementedError("LazyFrame.filter on row labels (axis=0)")
        kept = pd.DataFrame(columns=self.columns).filter(items=items, like=like, regex=regex, axis=1)
        return self.select(*[col(c) for c in kept.columns])

    def query(self, expr: str, *, inplace: bool = False, local_dict: Any = None, global_dict: Any = None,
              level: int = 0, **kwargs: Any) -> "LazyFrame":
        """pandas' query string as a filter node (parsed into ``jf.col`` expressions)."""
        reject_inplace(inplace, "query")
        stmts = lazy_statements(names(self._plan), expr, caller_variables(level, local_dict, global_dict),
                                allow_assign=False)
        if len(stmts) != 1 or not isinstance(stmts[0].value, Expr):
            raise NotImplementedError("LazyFrame.query of an expression that reads no column")
        return self.filter(stmts[0].value)

    def eval(self, expr: str, *, inplace: bool = False, local_dict: Any = None, global_dict: Any = None,
             level: int = 0, **kwargs: Any) -> "LazyFrame":
        """pandas' eval string with assignments (``'c = a + b'``) as a with_columns node; a plain
        expression (a Series in pandas) has no lazy form: collect first."""
        reject_inplace(inplace, "eval")
        stmts = lazy_statements(names(self._plan), expr, caller_variables(level, local_dict, global_dict),
                                allow_assign=True)
        if stmts[0].target is None:
            raise NotImplementedError("LazyFrame.eval of an expression without assignment (a Series): "
                                      "use .collect().eval(...), or assign it: 'name = ...'")
        return self.with_columns(*[wrap(s.value).alias(s.target) for s in stmts])

    def group_by(self, *keys: Any, maintain_order: bool = True) -> "LazyGroupBy":
        """Polars-style group-by: keys stay columns, groups sorted by key."""
        return LazyGroupBy(self, _as_keys(keys), as_index=False, sort=True, dropna=True)

    def groupby(self, by: Any = None, as_index: bool = True, sort: bool = True, dropna: bool = True,
                **kwargs: Any) -> "LazyGroupBy":
        """pandas-style group-by: the keys become the index unless ``as_index=False``.
        ``observed=True`` (pandas' default) is accepted: only observed groups are formed."""
        if kwargs.get("observed", True) is True:
            kwargs.pop("observed", None)
        if kwargs:
            raise NotImplementedError(f"LazyFrame.groupby arguments {sorted(kwargs)}")
        return LazyGroupBy(self, _labels(by), as_index=as_index, sort=sort, dropna=dropna)

    def join(self, other: "LazyFrame", on: Any = None, how: str = "inner", left_on: Any = None,
             right_on: Any = None, suffix: str = "_right") -> "LazyFrame":
        """Polars-style join; shared non-key columns of ``other`` get ``suffix``."""
        return self.merge(other, how=how, on=on, left_on=left_on, right_on=right_on, suffixes=("", suffix))

    def merge(self, right: Any, how: str = "inner", on: Any = None, left_on: Any = None, right_on: Any = None,
              suffixes: tuple = ("_x", "_y"), **kwargs: Any) -> "LazyFrame":
        """pandas-style merge on columns (sort-merge join; result rows get a new RangeIndex)."""
        if kwargs:
            raise NotImplementedError(f"LazyFrame.merge arguments {sorted(kwargs)}")
        if how not in ("inner", "left", "right", "outer"):
            raise NotImplementedError(f"LazyFrame.merge(how={how!r})")
        right = right if isinstance(right, LazyFrame) else LazyFrame.from_frame(right)
        if on is None and left_on is None:
            on = [c for c in names(self._plan) if c in set(names(right._plan))]
            if not on:
                raise pd.errors.MergeError("No common columns to perform merge on.")
        node = N.Join((self._plan, right._plan), how=how, on=None if on is None else _labels(on),
                      left_on=None if left_on is None else _labels(left_on),
                      right_on=None if right_on is None else _labels(right_on), suffixes=tuple(suffixes))
        return self._then(node)

    def sort(self, by: Any, *more: Any, descending: Any = False, nulls_last: bool = True) -> "LazyFrame":
        """Polars-style sort (stable)."""
        keys = _labels(by) + tuple(more)
        desc = _labels(descending) if isinstance(descending, (list, tuple)) else (descending,) * len(keys)
        return self._then(N.Sort((self._plan,), keys, tuple(not d for d in desc),
                                 "last" if nulls_last else "first"))

    def sort_values(self, by: Any, ascending: Any = True, na_position: str = "last", **kwargs: Any) -> "LazyFrame":
        """pandas-style sort_values (stable)."""
        if kwargs:
            raise NotImplementedError(f"LazyFrame.sort_values arguments {sorted(kwargs)}")
        keys = _labels(by)
        asc = _labels(ascending) if isinstance(ascending, (list, tuple)) else (ascending,) * len(keys)
        if len(asc) != len(keys):
            raise ValueError(f"Length of ascending ({len(asc)}) != length of by ({len(keys)})")
        return self._then(N.Sort((self._plan,), keys, tuple(bool(a) for a in asc), na_position))

    def head(self, n: int = 5) -> "LazyFrame":
        return self._then(N.Limit((self._plan,), int(n)))

    limit = head

    def unique(self, subset: Any = None, keep: Any = "first") -> "LazyFrame":
        return self._then(N.Unique((self._plan,), None if subset is None else _labels(subset), keep))

    def drop_duplicates(self, subset: Any = None, keep: Any = "first") -> "LazyFrame":
        return self.unique(subset, keep)

    def set_index(self, keys: Any, *, drop: bool = True, append: bool = False, inplace: bool = False,
                  verify_integrity: bool = False) -> "LazyFrame":
        """Columns become the row labels (a plan node; column labels only)."""
        reject_inplace(inplace, "set_index")
        keys = _labels(keys) if isinstance(keys, list) else (keys,)
        if verify_integrity:
            raise NotImplementedError("LazyFrame.set_index(verify_integrity=True): check after collect()")
        if not all(isinstance(k, Hashable) and not isinstance(k, tuple) for k in keys):
            raise NotImplementedError("LazyFrame.set_index with array keys (column labels only)")
        missing = [k for k in keys if k not in set(names(self._plan))]
        if missing:
            raise KeyError(f"None of {missing} are in the columns")
        return self._then(N.SetIndex((self._plan,), keys, bool(drop), bool(append)))

    def reset_index(self, level: Any = None, *, drop: bool = False, inplace: bool = False, col_level: Any = 0,
                    col_fill: Any = "", allow_duplicates: bool = False, names: Any = None) -> "LazyFrame":
        """Index levels become leading columns (a plan node)."""
        reject_inplace(inplace, "reset_index")
        if col_level != 0 or col_fill != "" or allow_duplicates:
            raise NotImplementedError("LazyFrame.reset_index(col_level=/col_fill=/allow_duplicates=)")
        level = None if level is None else _labels(level)
        names = None if names is None else _labels(names)
        return self._then(N.ResetIndex((self._plan,), level, bool(drop), names))

    def rename(self, mapping: Any = None, *, columns: Any = None) -> "LazyFrame":
        """Rename columns with a dict or a function (a projection with aliases)."""
        mapping = columns if columns is not None else mapping
        fn = mapping.get if isinstance(mapping, dict) else mapping
        if fn is None or not callable(fn):
            raise TypeError("rename needs a dict or a function of the column name")
        exprs = []
        for name in names(self._plan):
            new = fn(name, name) if isinstance(mapping, dict) else fn(name)
            exprs.append(col(name) if new == name else col(name).alias(new))
        return self.select(*exprs)

    def drop(self, columns: Any = None, *more: Any) -> "LazyFrame":
        dropped = set(_labels(columns) + more)
        missing = dropped - set(names(self._plan))
        if missing:
            raise KeyError(f"{sorted(missing, key=str)!r} not found in axis")
        return self.select(*[col(n) for n in names(self._plan) if n not in dropped])

    # -- pandas-style building ------------------------------------------------------------------------
    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, Expr):
            return self.filter(key)
        if isinstance(key, (list, pd.Index)):
            missing = [k for k in key if k not in set(names(self._plan))]
            if missing:
                raise KeyError(f"{missing!r} not in index")
            return self.select(*[col(k) for k in key])
        if isinstance(key, slice):
            raise NotImplementedError("LazyFrame row slicing: use head(n)")
        if key not in set(names(self._plan)):
            raise KeyError(key)
        return col(key)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        if name in set(names(self._plan)):
            return col(name)
        raise AttributeError(f"'LazyFrame' object has no attribute {name!r}")

    def rolling(self, window: Any, *args: Any, **kwargs: Any) -> "LazyWindow":
        """pandas' rolling windows as a plan step (``lf.rolling(3).mean()``): fused with the
        elementwise steps around it; a later filter is never pushed below it."""
        return LazyWindow(self, "rolling", (window, *args), kwargs)

    def expanding(self, *args: Any, **kwargs: Any) -> "LazyWindow":
        return LazyWindow(self, "expanding", args, kwargs)

    def ewm(self, *args: Any, **kwargs: Any) -> "LazyWindow":
        return LazyWindow(self, "ewm", args, kwargs)

    def explode(self, column: Any, ignore_index: bool = False) -> "LazyFrame":
        """pandas' explode of list columns as a plan step (nodes.Explode), run by the eager
        explode at collect(); pandas' errors for bad columns when the step is built."""
        listed = isinstance(column, list)
        node = N.Explode((self._plan,), tuple(column) if listed else (column,), bool(ignore_index), listed)
        empty_frame(node)  # pandas' KeyError/ValueError at the call, as eager
        return LazyFrame(node)

    def assign(self, **kwargs: Any) -> "LazyFrame":
        """pandas' assign: one column after another (a later one may read an earlier one)."""
        frame = self
        for name, value in kwargs.items():
            if callable(value) and not isinstance(value, Expr):
                value = value(frame)
            frame = frame.with_columns(wrap(value).alias(name))
        return frame

    # -- running --------------------------------------------------------------------------------------
    def optimized_plan(self, disable: Iterable[str] = (), enable: Iterable[str] | None = None) -> N.Node:
        return optimize(self._plan, enable=enable, disable=disable)

    def collect(self, optimize: bool = True, disable: Iterable[str] = (), compile: bool = True,
                streaming: bool | None = None) -> Any:
        """Optimize the plan (unless ``optimize=False``) and run it: an eager DataFrame.

        ``streaming=True`` reads Parquet scans in batches within the memory budget
        (``jf.set_memory_budget``; exec/streaming.py says what streams); ``None`` streams when a
        budget is set and the scans exceed it."""
        plan = self.optimized_plan(disable) if optimize else self._plan
        budget = memory_budget()
        if streaming is None:
            streaming = budget is not None and scan_bytes(plan) > budget
        if streaming:
            return execute_streaming(plan, budget if budget is not None else DEFAULT_STREAMING_BUDGET)
        return execute(plan, compile=compile)

    def explain(self, optimized: bool = True) -> str:
        """Print (and return) the plan as an indented tree, optimized by default."""
        text = plan_text(self.optimized_plan() if optimized else self._plan)
        print(text)
        return text

    def __repr__(self) -> str:
        return "<LazyFrame>\n" + plan_text(self._plan)


def _as_keys(keys: tuple) -> tuple:
    out: list = []
    for k in keys:
        out.extend(k if isinstance(k, (list, tuple)) else [k])
    return tuple(c.params[0] if isinstance(c, Expr) and c.op == "col" else c for c in out)


class LazyGroupBy:
    """The pending group-by of a LazyFrame: ``agg(...)`` or a named reduction finishes it."""

    def __init__(self, frame: LazyFrame, keys: tuple, as_index: bool, sort: bool, dropna: bool,
                 selection: tuple | None = None):
        for k in keys:
            if isinstance(k, Expr) or k not in set(names(frame._plan)):
                raise KeyError(k)
        self._frame, self._keys = frame, keys
        self._as_index, self._sort, self._dropna, self._selection = as_index, sort, dropna, selection

    def __getitem__(self, key: Any) -> "LazyGroupBy":
        if not isinstance(key, (list, tuple)):
            raise NotImplementedError("lazy group-by of one column (a Series result): select with a list")
        return LazyGroupBy(self._frame, self._keys, self._as_index, self._sort, self._dropna, tuple(key))

    def _values(self) -> list:
        if self._selection is not None:
            return list(self._selection)
        return [n for n in names(self._frame._plan) if n not in self._keys]

    def agg(self, *args: Any, **named: Any) -> LazyFrame:
        """A dict {column: how}, a how for all columns, aggregation expressions, or named
        aggregations ``total=('v', 'sum')``."""
        specs: list[tuple[Hashable, Any]] = []  # (output name, Expr or (column, how))
        if len(args) == 1 and isinstance(args[0], dict):
            if not all(isinstance(how, str) for how in args[0].values()) or named:
                # lists of functions per column: MultiIndex columns, as the eager agg builds them
                return self._call("agg", *args, **named)
            for c, how in args[0].items():
                specs.append((c, (c, how)))
        elif len(args) == 1 and isinstance(args[0], (list, tuple)):
            return self._call("agg", *args, **named)
        elif len(args) == 1 and isinstance(args[0], str):
            specs += [(c, (c, args[0])) for c in self._values()]
        else:
            for e in as_exprs(args, {}):
                specs.append((e.output_name, e))
        for out, spec in named.items():
            specs.append((out, spec if isinstance(spec, Expr) else tuple(spec)))
        return self._build(specs)

    def _build(self, specs: list) -> LazyFrame:
        hidden: list[Expr] = []
        aggs = []
        known = set(names(self._frame._plan))
        for out, spec in specs:
            if isinstance(spec, Expr):
                inner = spec
                while inner.op == "alias":
                    inner = inner.children[0]
                if inner.op != "agg":
                    raise ValueError(f"group_by().agg() needs aggregation expressions, got {spec!r}")
                how, source = AGG_METHODS[inner.params[0]], inner.children[0]
                if source.op == "col":
                    column = source.params[0]
                else:
                    column = f"__agg_{len(hidden)}"
                    hidden.append(source.alias(column))
            else:
                column, how = spec
            if how not in _AGG_NAMES and how != "size":
                raise NotImplementedError(f"lazy group-by aggregation {how!r}")
            if not isinstance(spec, Expr) and column not in known:
                raise KeyError(f"Column(s) [{column!r}] do not exist")
            aggs.append((out, column, how))
        plan = self._frame._plan
        if hidden:
            plan = N.WithColumns((plan,), tuple(hidden))
        return LazyFrame(N.GroupByAgg((plan,), self._keys, tuple(aggs), self._as_index, self._sort, self._dropna))

    def _call(self, method: str, *args: Any, **kwargs: Any) -> LazyFrame:
        """A group-by method without a dedicated plan node (nodes.GroupByCall): run by the eager
        group-by at collect(). A call whose answer is a Series has no lazy form (yet)."""
        node = N.GroupByCall((self._frame._plan,), self._keys, self._as_index, self._sort, self._dropna,
                             self._selection, method, copy.deepcopy(args), tuple(copy.deepcopy(kwargs).items()))
        if not node.opaque_schema and is_series(empty_frame(node)):
            raise NotImplementedError(f"lazy group-by {method}() answering a Series: select columns with a list, "
                                      "use as_index=False, or collect() first")
        return LazyFrame(node)

    def head(self, n: int = 5) -> LazyFrame:
        """The first n rows of each group, in input order (labels kept)."""
        return self._call("head", n)

    def tail(self, n: int = 5) -> LazyFrame:
        return self._call("tail", n)

    def nth(self, n: Any) -> LazyFrame:
        return self._call("nth", n)

    def apply(self, func: Any, *args: Any, **kwargs: Any) -> LazyFrame:
        """``func`` on each group's rows, at collect() (one Python call per group, as eager). Its
        result's columns are known only after collect(): apply must be the plan's last step."""
        return self._call("apply", func, *args, **kwargs)

    def transform(self, func: Any, *args: Any, **kwargs: Any) -> LazyFrame:
        return self._call("transform", func, *args, **kwargs)

    def size(self) -> LazyFrame:
        """Rows per group: a frame with a 'size' column when ``as_index=False``."""
        return self._call("size")

    def __getattr__(self, how: str) -> Any:
        if how in _AGG_NAMES:
            return lambda: self.agg(how)
        if how in _PER_ROW:
            return lambda *args, **kwargs: self._call(how, *args, **kwargs)
        raise AttributeError(f"'LazyGroupBy' object has no attribute {how!r}")


class LazyWindow:
    """``lf.rolling(...)`` / ``expanding(...)`` / ``ewm(...)``: each aggregation (mean, sum, std,
    ..., ``agg``, ``apply``) is a nodes.WindowCall step; the window arguments are checked when
    the step is built (its schema runs the eager window on zero rows)."""

    def __init__(self, frame: LazyFrame, kind: str, args: tuple, kwargs: dict):
        self._frame, self._kind, self._args, self._kwargs = frame, kind, args, kwargs

    def __getattr__(self, method: str) -> Any:
        if method.startswith("_"):
            raise AttributeError(method)

        def call(*args: Any, **kwargs: Any) -> LazyFrame:
            node = N.WindowCall((self._frame._plan,), self._kind, copy.deepcopy(self._args),
                                tuple(copy.deepcopy(self._kwargs).items()), method, copy.deepcopy(args),
                                tuple(copy.deepcopy(kwargs).items()))
            empty_frame(node)  # pandas' errors for bad window arguments, at the call as eager
            return LazyFrame(node)

        return call


#: Group-by methods that answer one row per input row (run by nodes.GroupByCall).
_PER_ROW = {"rank", "cumsum", "cumprod", "cummax", "cummin", "shift", "diff", "pct_change", "ffill", "bfill"}


def scan_parquet(path: Any, *, to_pandas_kwargs: dict | None = None) -> LazyFrame:
    """A lazy Parquet source: projections and simple filters are pushed into the read.
    ``to_pandas_kwargs={'date_as_object': False}`` reads Arrow dates as datetime64[ms] (read_parquet)."""
    import os
    return LazyFrame(N.ParquetScan((), path=os.fspath(path), date_as_object=date_as_object(to_pandas_kwargs)))


register_facade("lazy", LazyFrame)
