"""DataFrameGroupBy / SeriesGroupBy: pandas' group-by API over one shared Grouping."""

from __future__ import annotations

import functools
from typing import Any, Hashable

import jax.numpy as jnp
import pandas as pd
from pandas.errors import SpecificationError

from jaxframes import dtypes as jdt
from jaxframes.distributed import groupby as distributed_groupby
from jaxframes.distributed.sample_sort import is_distributed
from jaxframes.column import Column
from jaxframes.facts import any_live
from jaxframes.table import new_frame, new_series, place_column
from jaxframes.groupby import grouper, scans
from jaxframes.groupby.aggregations import AGGREGATIONS, group_sizes, prefetch
from jaxframes.index import Index, MultiIndex, RangeIndex
from jaxframes.ops.elementwise import with_nulls_where
from jaxframes.groupby.apply import apply, filter_groups, get_group, iterate
from jaxframes.groupby.output import FrameGroupByOutputMethods, GroupByOutputMethods
from jaxframes.groupby.methods import GroupByStatisticsMethods, GroupByWindowMethods


def _as_list(keys: Any) -> list:
    return list(keys) if isinstance(keys, (list, tuple)) else [keys]


def _agg_name(func: Any) -> str:
    if isinstance(func, str):
        return func
    name = getattr(func, "__name__", None)
    if name in AGGREGATIONS:
        return name
    raise NotImplementedError(f"groupby aggregation {func!r}: pass one of {sorted(AGGREGATIONS)} by name")


def _distributed(method):
    """On a frame row-sharded over several devices: the same call runs per device, on partial
    aggregates of its key range or on its rows (distributed/groupby.py); the result stays
    row-sharded."""
    @functools.wraps(method)
    def run(self, *args: Any, **kwargs: Any):
        frame = self._frame
        if self._hook is not None or not (is_distributed(frame._sharding) and frame._capacity):
            return method(self._compacted(), *args, **kwargs)
        call_key = (method.__name__, type(self).__name__, repr(args), repr(sorted(kwargs.items())),
                    repr(self._keys), self._by_list, self._as_index, self._dropna, repr(self._selection),
                    self._series_selection, self._sort)
        return distributed_groupby.aggregate(
            frame._table, self._keys, self, lambda gb: method(gb, *args, **kwargs), call_key)
    return run


def _distributed_rows(method):
    """Per-row results (transform, cumulative ops) on a frame row-sharded over several devices:
    rows meet by key range, the one-device method runs there, the values come back to their
    rows (distributed/groupby.per_row); the result is laid out on the frame's rows."""
    @functools.wraps(method)
    def run(self, *args: Any, **kwargs: Any):
        frame = self._frame
        if self._hook is not None or not (is_distributed(frame._sharding) and frame._capacity):
            return method(self, *args, **kwargs)
        call_key = (method.__name__, type(self).__name__, repr(args), repr(sorted(kwargs.items())),
                    repr(self._keys), self._by_list, self._dropna, repr(self._selection), self._series_selection)
        return distributed_groupby.per_row(frame._table, self, lambda gb: method(gb, *args, **kwargs), call_key)
    return run


class _GroupBy(GroupByStatisticsMethods, GroupByWindowMethods, GroupByOutputMethods):
    """Shared state: the frame, the key names, the options, and the lazily built Grouping."""

    def __init__(self, frame: Any, by: Any, as_index: bool, sort: bool, dropna: bool,
                 selection: list[Hashable] | None, series_selection: bool = False, group_keys: bool = True):
        self._frame, self._keys = frame, _as_list(by)
        self._by_list, self._group_keys = isinstance(by, (list, tuple)), group_keys
        self._as_index, self._sort, self._dropna = as_index, sort, dropna
        self._selection, self._series_selection = selection, series_selection
        self._grouping: grouper.Grouping | None = None
        # distributed/groupby.py: per column aggregation (partials recorded or merged) and the
        # value columns of the original frame (the hook's frame holds partials)
        self._hook: Any = None
        self._names: list[Hashable] | None = None
        self._dense: _GroupBy | None = None  # _compacted(): this group-by over the live rows
        self._dense_checked = False
        self._source: Any = None  # on compacted rows: (the frame's columns, the rows kept)
        self._gathered: dict[Hashable, Column] = {}

    def _on(self, frame: Any, sort: bool | None = None, hook: Any = None,
            names: list[Hashable] | None = None) -> "_GroupBy":
        """The same group-by over another frame (a device's rows or partial aggregates, in the
        distributed path); ``hook(groupby, name, how, kwargs)`` then aggregates each column."""
        by = self._keys if self._by_list else self._keys[0]
        gb = type(self)(frame, by, self._as_index, self._sort if sort is None else sort, self._dropna,
                        self._selection, self._series_selection, self._group_keys)
        gb._hook, gb._names = hook, names
        return gb

    def _compacted(self) -> "_GroupBy":
        """This group-by over the frame's live rows compacted when they are few
        (``Table.sparse_rows``: a selective filter before the group-by), so that an aggregation
        groups and reduces the live rows' bucket instead of every slot. The keys move at once, a
        value column when an aggregation first reads it (``_column``). Only the aggregations
        (one row per group) use it: per-row results keep the frame's own layout. One host sync
        for the live count, once per group-by and only when the frame has a row mask; never on a
        per-device hook of the distributed path, nor once a grouping is built."""
        if not self._dense_checked:  # (no reference to itself: a cycle would keep its arrays alive)
            self._dense_checked = True
            frame = self._frame
            rows = None
            if self._hook is None and self._grouping is None and not is_distributed(frame._sharding):
                rows = frame._table.sparse_rows()
            if rows is not None:
                positions, mask = rows
                keys = {k: place_column(frame._columns[k].take(positions), frame._sharding) for k in self._keys}
                dense = self._on(new_frame(keys, RangeIndex(positions.shape[0]), mask, frame._sharding),
                                 names=list(frame._columns))
                dense._dense_checked, dense._source = True, (frame._columns, positions)
                self._dense = dense
        return self if self._dense is None else self._dense

    def _column(self, name: Hashable) -> Column:
        """A column of the grouped frame (over compacted rows, ``_compacted``: gathered on its
        first use, so that only the aggregated columns move)."""
        if self._source is None or name in self._frame._columns:
            return self._frame._columns[name]
        if name not in self._gathered:
            columns, positions = self._source
            self._gathered[name] = place_column(columns[name].take(positions), self._frame._sharding)
        return self._gathered[name]

    @property
    def grouping(self) -> grouper.Grouping:
        if self._grouping is None:
            frame = self._frame
            keys = [frame._columns[k] for k in self._keys]
            self._grouping = grouper.build(keys, frame._live(), self._sort, self._dropna)
        return self._grouping

    def _value_names(self) -> list[Hashable]:
        if self._selection is not None:
            return self._selection
        names = self._frame._columns if self._names is None else self._names
        return [k for k in names if k not in self._keys]

    def _key_columns(self, exact: bool = False) -> list[Column]:
        """The key values per output row (``exact``: without the bucket's padding rows)."""
        g = self.grouping
        rows = g.exact_group_rows() if exact else g.group_rows
        return [self._frame._columns[k].take(rows) for k in self._keys]

    def _result_index(self, exact: bool = False):
        keys = self._key_columns(exact)
        if len(keys) == 1:
            return Index(keys[0], self._keys[0])
        return MultiIndex(tuple(keys), tuple(self._keys))

    def _aggregate_column(self, name: Hashable, how: str, **kwargs: Any) -> Column:
        if self._hook is not None:
            return self._hook(self, name, how, kwargs)
        return self._plain_aggregate(name, how, **kwargs)

    def _plain_aggregate(self, name: Hashable, how: str, **kwargs: Any) -> Column:
        if how == "size":  # rows per group, nulls of the column included (pandas' size)
            return group_sizes(self.grouping)
        return AGGREGATIONS[how](self._column(name), self.grouping, **kwargs)

    def _prefetch(self, pairs: list[tuple[Hashable, str]]) -> None:
        """The plain sums/means/mins/maxes of one call, reduced together in one pass over the
        rows (aggregations.prefetch); each column's aggregation then finds its result."""
        if self._hook is not None or len(pairs) < 2:
            return
        columns = self._frame._columns if self._names is None else self._names
        pairs = [(self._column(name), how) for name, how in pairs if isinstance(name, Hashable) and name in columns]
        if len(pairs) >= 2:
            prefetch(self.grouping, pairs)

    def _frame_of(self, columns: dict[Hashable, Column]):
        """A result frame with the group keys as index (as_index) or as leading columns."""
        g = self.grouping
        mask = g.result_mask()
        if self._as_index:
            out = new_frame(columns, self._result_index(), mask)
            if not columns:  # every column dropped: pandas keeps the labels' dtype
                out._column_axis = self._frame.columns[:0]
            return out
        keys = {_key_label(k, columns): c for k, c in zip(self._keys, self._key_columns())
                if not _label_taken(k, columns)}
        return new_frame({**keys, **columns}, RangeIndex(g.group_rows.shape[0]), mask)

    def _per_row(self, name: Hashable, col: Column):
        """A Series laid out on the original frame's rows (transform / cumulative results)."""
        f = self._frame
        return new_series(col, f._index, f._row_mask, name, f._sharding)

    # -- aggregation ---------------------------------------------------------------------------
    @_distributed
    def _simple(self, how: str, **kwargs: Any):
        names = self._value_names()
        if not kwargs:
            self._prefetch([(n, how) for n in names])
        cols = {n: self._aggregate_column(n, how, **kwargs) for n in names}
        if self._series_selection:
            return self._series_of(names[0], cols[names[0]])
        return self._frame_of(cols)

    def _series_of(self, name: Hashable, col: Column):
        g = self.grouping
        if not self._as_index:
            return self._frame_of({name: col})
        return new_series(col, self._result_index(), g.result_mask(), name)

    @_distributed
    def agg(self, func: Any = None, *args: Any, **kwargs: Any):
        """A name, a list of names, a dict {column: name(s)}, or named aggregation
        ``agg(total=('v', 'sum'))``."""
        if args:
            raise NotImplementedError("groupby.agg with positional arguments for the function")
        if func is None:
            return self._named_agg(kwargs)
        if kwargs:
            raise NotImplementedError("groupby.agg with keyword arguments for the function")
        if isinstance(func, dict):
            if self._series_selection:
                raise NotImplementedError("nested renamer is not supported")
            self._check_columns(list(func))
            multi = any(isinstance(v, (list, tuple)) for v in func.values())
            specs = [((column, _agg_name(how)) if multi else column, column, _agg_name(how))
                     for column, hows in func.items() for how in _as_list(hows)]
            self._prefetch([(column, how) for _, column, how in specs])
            return self._frame_of(_unique_columns(specs, self._aggregate_column))
        if isinstance(func, (list, tuple)):
            hows = [_agg_name(f) for f in func]
            if self._series_selection:
                name = self._value_names()[0]
                return self._frame_of(_unique_columns([(how, name, how) for how in hows], self._aggregate_column))
            if len(set(hows)) < len(hows):
                raise SpecificationError("Function names must be unique if there is no new column names assigned")
            specs = [((n, how), n, how) for n in self._value_names() for how in hows]
            self._prefetch([(column, how) for _, column, how in specs])
            return self._frame_of(_unique_columns(specs, self._aggregate_column))
        return self._simple(_agg_name(func))

    def _named_agg(self, kwargs: dict[str, Any]):
        """``agg(out=('column', 'how'))`` (or ``out='how'`` on a SeriesGroupBy)."""
        if not kwargs:
            raise TypeError("Must provide 'func' or tuples of '(column, aggfunc).")
        if not self._series_selection:
            self._prefetch([(spec[0], spec[1]) for spec in kwargs.values()  # plain ('v', 'sum') specs
                            if type(spec) is tuple and len(spec) == 2 and isinstance(spec[1], str)])
        cols = {}
        for out_name, spec in kwargs.items():
            if self._series_selection:
                cols[out_name] = self._aggregate_column(self._value_names()[0], _agg_name(spec))
            else:
                column, how = _named_spec(spec)
                self._check_columns([column])
                cols[out_name] = self._aggregate_column(column, _agg_name(how))
        return self._frame_of(cols)

    aggregate = agg

    def _check_columns(self, names: list) -> None:
        missing = [n for n in names if n not in (self._frame._columns if self._names is None else self._names)]
        if missing:
            raise KeyError(f"Column(s) {missing} do not exist")

    def sum(self, numeric_only: bool = False, min_count: int = 0):
        return self._numeric("sum", numeric_only, min_count=min_count)

    def prod(self, numeric_only: bool = False, min_count: int = 0):
        return self._numeric("prod", numeric_only, min_count=min_count)

    def mean(self, numeric_only: bool = False):
        return self._numeric("mean", numeric_only)

    def median(self, numeric_only: bool = False):
        return self._numeric("median", numeric_only)

    def std(self, ddof: int = 1, numeric_only: bool = False):
        return self._numeric("std", numeric_only, ddof=ddof)

    def var(self, ddof: int = 1, numeric_only: bool = False):
        return self._numeric("var", numeric_only, ddof=ddof)

    def min(self, numeric_only: bool = False):
        return self._numeric("min", numeric_only)

    def max(self, numeric_only: bool = False):
        return self._numeric("max", numeric_only)

    def first(self, numeric_only: bool = False):
        return self._numeric("first", numeric_only)

    def last(self, numeric_only: bool = False):
        return self._numeric("last", numeric_only)

    def count(self):
        return self._simple("count")

    def nunique(self, dropna: bool = True):
        return self._simple("nunique", dropna=dropna)

    def any(self, skipna: bool = True):
        return self._simple("any")

    def all(self, skipna: bool = True):
        return self._simple("all")

    def _numeric(self, how: str, numeric_only: bool, **kwargs: Any):
        if numeric_only and not self._series_selection:
            names = [n for n in self._value_names() if self._frame._columns[n].dtype.kind in "bif"]
            return _GroupBy(self._frame, self._keys, self._as_index, self._sort, self._dropna,
                            names)._simple(how, **kwargs)
        return self._simple(how, **kwargs)

    @_distributed
    def size(self):
        """Rows per group: a Series (as_index) or a frame with a 'size' column."""
        if not self._as_index and "size" in self._keys:
            raise ValueError("cannot insert size, already exists")
        col = self._aggregate_column(None, "size")
        if self._as_index:
            return new_series(col, self._result_index(), self.grouping.result_mask(), None)
        return self._frame_of({"size": col})

    @property
    def ngroups(self) -> int:
        return int(self.grouping.num_groups)

    # -- per-row results -------------------------------------------------------------------------
    @_distributed_rows
    def transform(self, func: Any, *args: Any, **kwargs: Any):
        """Each row gets its group's aggregate (same index as the frame)."""
        how = _agg_name(func)
        g = self.grouping
        out = {}
        for name in self._value_names():
            per_group = AGGREGATIONS[how](self._frame._columns[name], g, **kwargs)
            validity = None if per_group.validity is None else g.broadcast(per_group.validity)
            col = per_group.replace(data=g.broadcast(per_group.data), validity=validity)
            out[name] = _null_where_ungrouped(col, self, f"groupby.transform({how!r})")
        return self._per_row_result(out)

    def _per_row_result(self, cols: dict[Hashable, Column]):
        if self._series_selection:
            name = next(iter(cols))
            return self._per_row(name, cols[name])
        f = self._frame
        return new_frame(cols, f._index, f._row_mask, f._sharding)

    @_distributed_rows
    def _scan(self, how: str, **kwargs: Any):
        names = self._value_names()
        if how in ("cummax", "cummin") and not self._series_selection and any(
                self._frame._columns[n].dtype.kind == "U" for n in names):
            # pandas' frame path fails on the string block (the Series path raises TypeError)
            raise NotImplementedError(f"function is not implemented for this dtype: [how->{how},dtype->object]")
        g = self.grouping
        cols = {name: scans.group_scan(self._frame._columns[name], g, how, **kwargs)
                for name in self._value_names()}
        if how in ("cumsum", "cumprod"):
            cols = _widen_like_blocks(cols, self._frame._columns)
        if kwargs.get("periods") == 0:
            return self._per_row_result(cols)  # pandas: shift(0) is the frame itself, rows without a group too
        bool_rule = f"groupby.{how}" if how == "shift" else None
        cols = {k: _null_where_ungrouped(c, self, bool_rule) for k, c in cols.items()}
        return self._per_row_result(cols)

    def cumsum(self):
        return self._scan("cumsum")

    def cumprod(self):
        return self._scan("cumprod")

    def cummax(self):
        return self._scan("cummax")

    def cummin(self):
        return self._scan("cummin")

    def shift(self, periods: int = 1, fill_value: Any = None):
        if fill_value is not None:
            raise NotImplementedError("groupby.shift(fill_value=...)")
        return self._scan("shift", periods=periods)

    def diff(self, periods: int = 1):
        return self._scan("diff", periods=periods)

    @_distributed_rows
    def cumcount(self, ascending: bool = True):
        """Position of each row within its group (0-based)."""
        g = self.grouping
        col = scans.cumcount(g, ascending)
        return self._per_row(None, _null_where_ungrouped(col, self))

    @_distributed_rows
    def _position_flags(self, which: str, n: Any):
        """Per row: whether its position in its group is kept by head(n) / tail(n) / nth(n)
        (a bool Series on the frame's rows; row-sharded: computed where the key range meets)."""
        rows_keep = scans.position_flags(self.grouping, which, n, self._frame._capacity)
        return self._per_row(None, Column(rows_keep, None, jdt.BOOL))

    def _positions_filter(self, which: str, n: Any) -> Any:
        rows_keep = self._position_flags(which, n)._column.data
        names = self._value_names() if self._selection is not None else list(self._frame._columns)
        sub = self._frame._select(names) if self._selection is not None else self._frame
        out = sub._and_mask(rows_keep)
        return out[names[0]] if self._series_selection else out

    def head(self, n: int = 5):
        return self._positions_filter("head", n)

    def tail(self, n: int = 5):
        return self._positions_filter("tail", n)

    def nth(self, n: int | list[int]):
        return self._positions_filter("nth", tuple(_as_list(n)))

    @_distributed_rows
    def rank(self, method: str = "average", ascending: bool = True, na_option: str = "keep", pct: bool = False):
        if na_option != "keep" or pct:
            raise NotImplementedError("groupby.rank with na_option other than 'keep' or pct=True")
        g = self.grouping
        cols = {name: scans.group_rank(self._frame._columns[name], g, method, ascending)
                for name in self._value_names()}
        return self._per_row_result({k: _null_where_ungrouped(c, self) for k, c in cols.items()})

    def apply(self, func: Any, *args: Any, include_groups: bool = False, **kwargs: Any):
        """Call ``func`` on each group's rows (a frame without the key columns, or the selected
        Series) and combine as pandas does: scalars -> a Series indexed by the group keys;
        frames -> concatenated under the group keys. An eager loop, one Python call per group
        (raises inside jax.jit); prefer agg/transform when they fit. See groupby/apply.py."""
        return apply(self, func, args, {"include_groups": include_groups, **kwargs})

    def filter(self, func: Any, dropna: bool = True, *args: Any, **kwargs: Any):
        """Rows of the groups for which ``func(group)`` is True (eager loop over groups)."""
        return filter_groups(self, func, dropna, args, kwargs)

    def get_group(self, name: Any):
        """The rows of one group (KeyError when no group has that key)."""
        return get_group(self, name)

    def __iter__(self):
        """(key, rows of the group) pairs in group order (eager)."""
        return iterate(self)


def _widen_like_blocks(cols: dict[Hashable, Column], source: dict[Hashable, Column]) -> dict[Hashable, Column]:
    """pandas keeps columns of one dtype in one block and casts a block's cumsum/cumprod back to
    int32 only when every column fits: so one widened column widens its whole dtype."""
    widened = {source[k].dtype for k, c in cols.items() if c.dtype != source[k].dtype and source[k].dtype.kind == "i"}
    return {k: (c.replace(data=c.data.astype(jnp.int64), dtype=jdt.INT64)
                if source[k].dtype in widened and c.dtype == source[k].dtype else c)
            for k, c in cols.items()}


def _unique_columns(specs: list[tuple[Hashable, Hashable, str]], aggregate) -> dict[Hashable, Column]:
    """{label: aggregate(column, how)} for (label, column, how) specs. pandas would keep a
    repeated label as a duplicate column, which our frames cannot hold: refuse it."""
    labels = [label for label, _, _ in specs]
    if len(set(labels)) < len(labels):
        raise NotImplementedError(f"groupby.agg giving duplicate column labels {labels}")
    return {label: aggregate(column, how) for label, column, how in specs}


def _label_taken(key: Hashable, columns: dict[Hashable, Column]) -> bool:
    """pandas' ``key in result.columns`` when it inserts the keys (as_index=False): a
    MultiIndex matches its first level, so a key that is also an aggregated column stays out."""
    return any(label == key or (isinstance(label, tuple) and label and label[0] == key) for label in columns)


def _key_label(key: Hashable, columns: dict[Hashable, Column]) -> Hashable:
    """The key's label among MultiIndex result columns is padded: ('a', '')."""
    first = next(iter(columns), None)
    if isinstance(first, tuple) and not isinstance(key, tuple):
        return (key,) + ("",) * (len(first) - 1)
    return key


def _null_where_ungrouped(col: Column, gb: _GroupBy, bool_rule: str | None = None) -> Column:
    """Rows whose key is null (dropped groups) get a null result, as pandas gives. Eagerly this
    only happens when such rows exist (pandas' dtype then changes, e.g. int -> float64). Where
    pandas keeps a bool result as object with NaN (``bool_rule`` names the operation), raise."""
    frame = gb._frame
    nullable = [frame._columns[k] for k in gb._keys
                if frame._columns[k].dtype.has_validity or frame._columns[k].dtype.kind == "f"]
    if not gb._dropna or not nullable:
        return col
    keyed = jnp.ones(frame._capacity, bool)
    for key_col in nullable:
        keyed = keyed & key_col.not_null()
    if not any_live("groupby rows without a group", ~keyed, frame._live(), in_jit=True):
        return col
    if bool_rule is not None and col.dtype.kind == "b" and not col.dtype.masked:
        raise TypeError(f"{bool_rule} of a bool column with null keys gives pandas' object dtype "
                        "(bool with NaN), which JaxFrames cannot hold; cast to 'boolean' first")
    return with_nulls_where(col, ~keyed)


class DataFrameGroupBy(_GroupBy, FrameGroupByOutputMethods):
    """``df.groupby(by)``: select columns with [] or aggregate all non-key columns."""

    def __getattr__(self, name: str):
        if not name.startswith("_") and name in self._frame._columns:
            return self[name]
        raise AttributeError(f"'DataFrameGroupBy' object has no attribute {name!r}")

    def __getitem__(self, key: Any):
        if isinstance(key, (list, tuple)):
            self._check_columns(list(key))
            return DataFrameGroupBy(self._frame, self._by(), self._as_index, self._sort, self._dropna, list(key),
                                    group_keys=self._group_keys)
        self._check_columns([key])
        return SeriesGroupBy(self._frame, self._by(), self._as_index, self._sort, self._dropna, [key], True,
                             group_keys=self._group_keys)

    def _by(self) -> Any:
        return self._keys if self._by_list else self._keys[0]


class SeriesGroupBy(_GroupBy):
    """``df.groupby(by)['v']``: results are Series (or frames for lists of aggregations)."""


def _named_spec(spec: Any) -> tuple[Any, Any]:
    """(column, how) of ``('v', 'sum')`` or ``pd.NamedAgg('v', 'sum')``."""
    if isinstance(spec, pd.NamedAgg):
        if spec.args or spec.kwargs:
            raise NotImplementedError("pd.NamedAgg with args/kwargs for the function")
        return spec.column, spec.aggfunc
    column, how = spec
    return column, how


def _grouper_key(key: Any) -> Any:
    """A ``pd.Grouper(key=...)`` without frequency or level is its column name."""
    if not isinstance(key, pd.Grouper):
        return key
    if type(key) is not pd.Grouper or key.key is None or key.level is not None:
        raise NotImplementedError("pd.Grouper with freq= or level=: group by column names (Grouper(key=...))")
    return key.key


def groupby(frame: Any, by: Any = None, axis: Any = 0, level: Any = None, as_index: bool = True,
            sort: bool = True, group_keys: bool = True, observed: Any = None, dropna: bool = True):
    """The entry point behind DataFrame.groupby."""
    if level is not None:
        raise NotImplementedError("groupby(level=...)")
    if axis not in (0, "index"):
        raise NotImplementedError("groupby(axis=1)")
    if by is None:
        raise TypeError("You have to supply one of 'by' and 'level'")
    keys = [_grouper_key(k) for k in _as_list(by)]
    by = keys if isinstance(by, (list, tuple)) else keys[0]
    for k in keys:
        if not isinstance(k, Hashable) or k not in frame._columns:
            if callable(k) or hasattr(k, "_column"):
                raise NotImplementedError("groupby by a function or Series: group by column names")
            raise KeyError(k)
    if observed is False and any(frame._columns[k].dtype.kind == "C" for k in keys):
        # pandas would add a row for every unused category (with identity/NaN results).
        raise NotImplementedError("groupby(observed=False) on a categorical key")
    return DataFrameGroupBy(frame, by, as_index, sort, dropna, None, group_keys=group_keys)

