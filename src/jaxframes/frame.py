"""DataFrame: the pandas-shaped table. Thin: each method delegates to column or kernel code."""

from __future__ import annotations

import re
from typing import Any, Callable, Hashable

import jax
import jax.numpy as jnp
import numpy as np
import pandas as pd
import pyarrow as pa

from jaxframes import column as colmod
from jaxframes import dtypes as jdt
from jaxframes import index as idxmod
from jaxframes.axes import axis_number
from jaxframes.column import Column
from jaxframes.errors import ImmutableFrameError, reject_inplace
from jaxframes.arraylike import OpsMixin
from jaxframes.expr import evaluate as ev
from jaxframes.expr.expr import Expr
from jaxframes.indexing import ILocIndexer, LocIndexer, getitem_slice, is_bool_array, relabel_rows, row_mask_from_key
from jaxframes.generic import RowContainer
from jaxframes.index import AnyIndex, RangeIndex
from jaxframes.sharding import RowSharding, data_capacity, live_prefix, padded_capacity
from jaxframes.sync import device_get
from jaxframes.table import (Table, is_series, is_traced, make_lazy, make_series, new_series, place_column, place_index,
                             register_facade, unique_columns)
from jaxframes.combine import frame_op, reject_flex_args, unary
from jaxframes.groupby.external import groupby
from jaxframes.io.arrow import from_arrow as arrow_to_frame, to_arrow
from jaxframes.io.csv import to_csv
from jaxframes.io.parquet import to_parquet
from jaxframes.joins.frame_join import join
from jaxframes.joins.merge import merge
from jaxframes.missing import _NO_DEFAULT, dropna
from jaxframes.ops.align import column_on_frame_rows, on_labels, union_labels
from jaxframes.ops.cumulative import cumulative, diff_columns, shift_columns
from jaxframes.ops.describe import frame_describe, frame_quantile
from jaxframes.ops.elementwise import with_nulls_where
from jaxframes.ops.frame_reductions import frame_arg, frame_reduce
from jaxframes.ops.rank import frame_rank
from jaxframes.ops.sorting import frame_select_n, frame_sort_values, sort_index
from jaxframes.ops.uniques import frame_drop_duplicates, frame_duplicated, frame_isin, frame_value_counts
from jaxframes.reshape.melt import melt
from jaxframes.reshape.pivot import pivot, pivot_table
from jaxframes.methods.apply import FrameApplyMethods
from jaxframes.methods.cleaning import FrameCleaningMethods
from jaxframes.methods.output import FrameOutputMethods
from jaxframes.methods.refused import FrameRefusedMethods
from jaxframes.methods.reindexing import FrameReindexingMethods
from jaxframes.methods.statistics import FrameStatisticsMethods
from jaxframes.methods.timeseries import FrameTimeSeriesMethods
from jaxframes.methods.windows import FrameWindowMethods


@jax.tree_util.register_pytree_node_class
class DataFrame(FrameReindexingMethods, FrameApplyMethods, FrameStatisticsMethods, FrameCleaningMethods,
                FrameOutputMethods, FrameWindowMethods, FrameTimeSeriesMethods, OpsMixin, RowContainer,
                FrameRefusedMethods):
    """A table of named, equal-capacity columns with an index and an optional row mask.

    Construct it like pandas (dict of lists/arrays/scalars, a pandas DataFrame, Arrow table);
    JAX arrays stay on device. ``sharding=jf.row_sharded(mesh)`` splits rows over a mesh.
    A thin facade over a ``Table`` (table.py), which owns the rows.
    """

    __slots__ = ("_table",)
    _jf_kind = "dataframe"

    def __init__(self, data: Any = None, index: Any = None, columns: Any = None, dtype: Any = None,
                 copy: bool | None = None, sharding: RowSharding | None = None):
        if isinstance(data, DataFrame) and index is None and columns is None and dtype is None:
            cols, idx, mask = dict(data._columns), data._index, data._row_mask
            sharding = sharding or data._sharding
        else:
            cols, idx, mask = _build(data, index, columns, dtype)
        if sharding is not None:
            cols, idx, mask = _pad_for_sharding(cols, idx, mask, sharding)
            cols = {k: place_column(c, sharding) for k, c in cols.items()}
            idx, mask = place_index(idx, sharding), sharding.place(mask)
        self._table = Table(cols, idx, mask, sharding)

    @classmethod
    def _from_table(cls, table: Table) -> "DataFrame":
        obj = object.__new__(cls)
        obj._table = table
        return obj

    @classmethod
    def _from_parts(cls, columns: dict[Hashable, Column], index: AnyIndex, row_mask: Any = None,
                    sharding: RowSharding | None = None) -> "DataFrame":
        return cls._from_table(Table(dict(columns), index, row_mask, sharding))

    def _wrap(self, table: Table) -> "DataFrame":
        return DataFrame._from_table(table)

    @property
    def _columns(self) -> dict[Hashable, Column]:
        return self._table.columns

    def _with_columns(self, columns: dict[Hashable, Column]) -> "DataFrame":
        return DataFrame._from_table(self._table.with_columns(columns))

    # -- PyTree -----------------------------------------------------------------------------
    def tree_flatten(self):
        return (self._table,), None

    @classmethod
    def tree_unflatten(cls, aux, children):
        return cls._from_table(children[0])

    def _is_columnless(self) -> bool:
        return not self._columns

    # -- metadata -----------------------------------------------------------------------------
    @property
    def columns(self) -> pd.Index:
        axis = _column_axis(self)
        if axis is not None:  # labels with names/levels from a reshape (reshape/pivot.py)
            return axis
        return pd.Index(list(self._columns.keys()), dtype=None if self._columns else object)

    @columns.setter
    def columns(self, value: Any) -> None:
        raise ImmutableFrameError("frames are immutable: use df.set_axis(names, axis=1) or df.rename(columns=...)")

    @property
    def dtypes(self) -> pd.Series:
        return pd.Series({k: jdt.to_pandas(c.dtype) for k, c in self._columns.items()}, dtype=object)

    @property
    def shape(self) -> tuple[int, int]:
        return (self._num_rows(), len(self._columns))

    @property
    def ndim(self) -> int:
        return 2

    @property
    def size(self) -> int:
        rows, cols = self.shape
        return rows * cols

    @property
    def sharding(self) -> RowSharding | None:
        return self._sharding

    def keys(self) -> pd.Index:
        return self.columns

    def __iter__(self):
        return iter(self._columns.keys())

    def __contains__(self, key: Hashable) -> bool:
        return key in self._columns

    def items(self):
        for name in self._columns:
            yield name, self._series(name)

    def set_axis(self, labels: Any, *, axis: int | str = 0, copy: bool | None = None) -> "DataFrame":
        """New labels for the columns (axis=1) or the rows (axis=0)."""
        if axis_number(axis, default=None) == 1:
            labels = list(labels)
            if len(labels) != len(self._columns):
                raise ValueError(f"Length mismatch: Expected axis has {len(self._columns)} elements, "
                                 f"new values have {len(labels)} elements")
            return self._with_columns(unique_columns(zip(labels, self._columns.values())))
        return relabel_rows(self, labels)

    # -- selection ------------------------------------------------------------------------------
    def _series(self, name: Hashable):
        return new_series(self._columns[name], self._index, self._row_mask, name, self._sharding)

    def __getitem__(self, key: Any):
        if callable(key):
            key = key(self)
        if is_series(key) or is_bool_array(key):
            return self._filter_rows(key)
        if isinstance(key, slice):
            return getitem_slice(self, key)
        if isinstance(key, (list, tuple, pd.Index, np.ndarray)) and not isinstance(key, tuple):
            return self._select(list(key))
        if key not in self._columns:  # a tuple is one label (pandas: KeyError), not a list
            raise KeyError(key)
        return self._series(key)

    def __getattr__(self, name: str):
        # Attribute access to columns, as pandas allows (df.a); only for existing column names.
        if name.startswith("_"):
            raise AttributeError(name)
        columns = object.__getattribute__(self, "_columns")
        if name in columns:
            return self._series(name)
        raise AttributeError(f"'DataFrame' object has no attribute {name!r}")

    def __setitem__(self, key: Any, value: Any) -> None:
        raise ImmutableFrameError(
            "frames are immutable: df[key] = value is not supported; use df = df.assign(**{key: value})")

    def __setattr__(self, name: str, value: Any) -> None:
        if name.startswith("_") or name == "attrs":  # attrs: free-form metadata (methods/output.py)
            object.__setattr__(self, name, value)
        else:
            raise ImmutableFrameError(f"frames are immutable: cannot set attribute {name!r}; use df.assign")

    def _select(self, names: list[Hashable]) -> "DataFrame":
        missing = [n for n in names if n not in self._columns]
        if missing:
            if len(missing) == len(names):
                raise KeyError(f"None of {names!r} are in the [columns]")
            raise KeyError(f"{missing!r} not in index")
        out = self._with_columns({n: self._columns[n] for n in names})
        if not names:  # pandas keeps the labels' dtype: df[[]] of str labels has str labels
            out._column_axis = self.columns[:0]
        return out

    def _filter_rows(self, key: Any) -> "DataFrame":
        return self._and_mask(row_mask_from_key(self, key))

    def filter(self, items: Any = None, like: str | None = None, regex: str | None = None,
               axis: Any = None) -> "DataFrame":
        """A boolean mask keeps rows (``df.filter(df['a'] > 0)``, as in the Getting Started
        example); otherwise pandas' label filter with ``items=``, ``like=`` or ``regex=``."""
        if isinstance(items, Expr):  # jf.col('a') > 0: evaluated on this frame
            return ev.filter_rows(self, items)
        if is_series(items) or is_bool_array(items):
            if like is not None or regex is not None:
                raise TypeError("Keyword arguments `items`, `like`, or `regex` are mutually exclusive")
            return self._filter_rows(items)
        if axis_number(axis, default=1) == 1:
            kept = pd.DataFrame(columns=self.columns).filter(items=items, like=like, regex=regex, axis=1)
            out = self._with_columns({n: self._columns[n] for n in kept.columns})
            if kept.columns.empty:  # pandas keeps the labels' dtype, as df[[]] does
                out._column_axis = self.columns[:0]
            return out
        positions = pd.Series(np.arange(self._num_rows()), index=self.index)
        kept_positions = positions.filter(items=items, like=like, regex=regex).to_numpy()
        frame = self._keep_positions(kept_positions)
        # pandas reindexes by the items list, which drops the index name.
        return frame if items is None else frame._replace_rows(frame._row_mask, frame._index.rename(None))

    @property
    def iloc(self):
        return ILocIndexer(self)

    @property
    def loc(self):
        return LocIndexer(self)

    # -- column-wise construction -----------------------------------------------------------------
    def assign(self, **kwargs: Any) -> "DataFrame":
        """New columns (or replaced ones); callables get the frame built so far, as in pandas."""
        frame = self
        for name, value in kwargs.items():
            if callable(value):
                value = value(frame)
            frame = frame._with_columns({**frame._columns, name: frame._column_from(value)})
        return frame

    def _column_from(self, value: Any) -> Column:
        """A Column aligned with this frame's physical rows from a Series, array or scalar."""
        if isinstance(value, pd.Series):  # aligned by label, as pandas does
            value = make_series(value)
        if is_series(value):
            return _aligned_column(self, value)
        if isinstance(value, DataFrame):
            raise ValueError("Cannot set a DataFrame as a column; assign its columns one by one")
        if np.ndim(value) == 0 and not isinstance(value, (list, tuple)):
            return _broadcast_scalar(value, self._capacity, self._sharding)
        if isinstance(value, (list, tuple)) and len(value) == 0:
            value = np.array([], dtype=np.float64)  # pandas gives an empty list column float64
        col = colmod.from_values(value)
        n_live = self._capacity if self._row_mask is None else self._num_rows()
        if col.capacity != n_live:
            raise ValueError(f"Length of values ({col.capacity}) does not match length of index ({n_live})")
        if self._row_mask is not None:
            positions = np.flatnonzero(np.asarray(self._row_mask))
            return _scatter_column(col, jnp.asarray(positions), self._capacity, self._sharding)
        return place_column(col, self._sharding)

    def drop(self, labels: Any = None, *, axis: Any = 0, index: Any = None, columns: Any = None,
             level: Any = None, inplace: bool = False, errors: str = "raise") -> "DataFrame":
        """Drop columns (``columns=`` or axis=1) or rows by label (``index=`` or axis=0)."""
        reject_inplace(inplace, "drop")
        if level is not None and (columns is not None or axis in (1, "columns")):
            raise NotImplementedError("drop(level=...) on the columns: MultiIndex columns are not supported")
        if labels is not None and (index is not None or columns is not None):
            raise ValueError("Cannot specify both 'labels' and 'index'/'columns'")
        if labels is not None:
            if axis_number(axis, default=None) == 1:
                columns = labels
            else:
                index = labels
        frame = self
        if columns is not None:
            names = _as_label_list(columns)
            missing = [n for n in names if n not in self._columns]
            if missing and errors == "raise":
                raise KeyError(f"{missing!r} not found in axis")
            frame = frame._with_columns({k: c for k, c in frame._columns.items() if k not in names})
        if index is not None and (level is not None or isinstance(frame._index, idxmod.MultiIndex)):
            # pandas picks the rows on the host labels (partial keys, levels)
            positions = pd.Series(np.arange(frame._num_rows()), index=frame.index)
            kept = positions.drop(index=index, level=level, errors=errors).to_numpy()
            frame = frame._keep_positions(kept)
        elif index is not None:
            labels_host = frame.index
            names = _as_label_list(index)
            missing = [n for n in names if n not in labels_host]
            if missing and errors == "raise":
                raise KeyError(f"{missing!r} not found in axis")
            keep = ~np.asarray(labels_host.isin(names))
            frame = frame._keep_positions(np.flatnonzero(keep))
        return frame

    def rename(self, mapper: Any = None, *, index: Any = None, columns: Any = None, axis: Any = None,
               copy: bool | None = None, inplace: bool = False, level: Any = None,
               errors: str = "ignore") -> "DataFrame":
        """Rename columns with a dict or a function (row-label renaming: see NotImplementedError)."""
        reject_inplace(inplace, "rename")
        if mapper is not None:
            if index is not None or columns is not None:
                raise TypeError("Cannot specify both 'mapper' and any of 'index' or 'columns'")
            if axis in (1, "columns"):
                columns = mapper
            else:
                index = mapper
        if index is not None:
            raise NotImplementedError("rename(index=...): renaming row labels is not supported yet")
        if columns is None:
            raise TypeError("must pass an index to rename")
        if isinstance(columns, dict):
            missing = [k for k in columns if k not in self._columns]
            if missing and errors == "raise":
                raise KeyError(f"{missing!r} not found in axis")
            fn: Callable = lambda k: columns.get(k, k)
        elif callable(columns):
            fn = columns
        else:
            raise TypeError(f"'{type(columns).__name__}' object is not callable")
        return self._with_columns(unique_columns((fn(k), c) for k, c in self._columns.items()))

    def astype(self, dtype: Any, copy: bool | None = None, errors: str = "raise") -> "DataFrame":
        """Cast all columns, or those named in a dict, with pandas' casting rules."""
        if errors not in ("raise", "ignore"):
            raise ValueError("Expected value of kwarg 'errors' to be one of ['raise', 'ignore']. "
                             f"Supplied value is '{errors}'")
        if isinstance(dtype, dict):
            for key in dtype:
                if key not in self._columns:
                    raise KeyError("Only a column name can be used for the key in a dtype mappings "
                                   f"argument. '{key}' not found in columns.")
            targets = dtype
        else:
            targets = {k: dtype for k in self._columns}
        out = {}
        for name, col in self._columns.items():
            if name not in targets:
                out[name] = col
                continue
            try:
                out[name] = place_column(colmod.astype(col, targets[name], self._row_mask), self._sharding)
            except (ValueError, TypeError):
                if errors == "ignore":
                    out[name] = col
                else:
                    raise
        return self._with_columns(out)

    def copy(self, deep: bool = True) -> "DataFrame":
        """Frames are immutable, so a copy can share arrays."""
        return self._with_columns(self._columns)

    def collect(self) -> "DataFrame":
        """An eager frame is already computed; LazyFrame.collect() runs a plan."""
        return self

    # -- elementwise: operators, where/mask/clip/abs/round, missing values --------------------
    def _arith_method(self, other: Any, op: Callable) -> Any:
        return frame_op(self, other, op)

    _cmp_method = _arith_method
    _logical_method = _arith_method

    def _unary_method(self, op: Callable) -> "DataFrame":
        return unary(self, op)

    def _flex_method(self, other: Any, op: Callable, axis: Any, level: Any, fill_value: Any) -> Any:
        """The named forms (``df.add(other, axis=...)``): axis='index' lines a Series up with the rows."""
        reject_flex_args(level, fill_value)
        return frame_op(self, other, op, "columns" if axis is None else axis)

    def dropna(self, *, axis: Any = 0, how: Any = None, thresh: Any = None, subset: Any = None,
               inplace: bool = False, ignore_index: bool = False) -> "DataFrame":
        """Drop rows (axis=0, a row mask) or columns (axis=1) holding missing values."""
        return dropna(self, axis, _NO_DEFAULT if how is None else how,
                      _NO_DEFAULT if thresh is None else thresh, subset, inplace, ignore_index)

    # -- reductions and cumulative operations, describe ---------------------------------------
    def _reduce(self, op: str, axis: Any, skipna: bool, numeric_only: bool, **kw: Any) -> Any:
        return frame_reduce(self, op, axis=axis, skipna=skipna, numeric_only=numeric_only, **kw)

    def sum(self, axis: Any = 0, skipna: bool = True, numeric_only: bool = False, min_count: int = 0) -> Any:
        """Column sums (axis=0, a Series over the columns) or row sums (axis=1)."""
        return self._reduce("sum", axis, skipna, numeric_only, min_count=min_count)

    def prod(self, axis: Any = 0, skipna: bool = True, numeric_only: bool = False, min_count: int = 0) -> Any:
        """Column (axis=0) or row (axis=1) products."""
        return self._reduce("prod", axis, skipna, numeric_only, min_count=min_count)

    product = prod

    def mean(self, axis: Any = 0, skipna: bool = True, numeric_only: bool = False) -> Any:
        """Column (axis=0) or row (axis=1) means."""
        return self._reduce("mean", axis, skipna, numeric_only)

    def median(self, axis: Any = 0, skipna: bool = True, numeric_only: bool = False) -> Any:
        """Column (axis=0) or row (axis=1) medians."""
        return self._reduce("median", axis, skipna, numeric_only)

    def min(self, axis: Any = 0, skipna: bool = True, numeric_only: bool = False) -> Any:
        """Column (axis=0) or row (axis=1) minima."""
        return self._reduce("min", axis, skipna, numeric_only)

    def max(self, axis: Any = 0, skipna: bool = True, numeric_only: bool = False) -> Any:
        """Column (axis=0) or row (axis=1) maxima."""
        return self._reduce("max", axis, skipna, numeric_only)

    def std(self, axis: Any = 0, skipna: bool = True, ddof: int = 1, numeric_only: bool = False) -> Any:
        """Column (axis=0) or row (axis=1) standard deviations."""
        return self._reduce("std", axis, skipna, numeric_only, ddof=ddof)

    def var(self, axis: Any = 0, skipna: bool = True, ddof: int = 1, numeric_only: bool = False) -> Any:
        """Column (axis=0) or row (axis=1) variances."""
        return self._reduce("var", axis, skipna, numeric_only, ddof=ddof)

    def count(self, axis: Any = 0, numeric_only: bool = False) -> Any:
        """Non-null counts per column (axis=0) or per row (axis=1)."""
        return self._reduce("count", axis, True, numeric_only)

    def any(self, *, axis: Any = 0, bool_only: bool = False, skipna: bool = True) -> Any:
        """Whether any value is truthy, per column (axis=0) or per row (axis=1)."""
        return self._reduce("any", axis, skipna, False, bool_only=bool_only)

    def all(self, *, axis: Any = 0, bool_only: bool = False, skipna: bool = True) -> Any:
        """Whether all values are truthy, per column (axis=0) or per row (axis=1)."""
        return self._reduce("all", axis, skipna, False, bool_only=bool_only)

    def nunique(self, axis: Any = 0, dropna: bool = True) -> Any:
        """Distinct values per column (axis=0) or per row (axis=1)."""
        return self._reduce("nunique", axis, True, False, dropna=dropna)

    def idxmin(self, axis: Any = 0, skipna: bool = True, numeric_only: bool = False) -> Any:
        """Row label of each column's first minimum."""
        return frame_arg(self, "idxmin", axis, skipna, numeric_only)

    def idxmax(self, axis: Any = 0, skipna: bool = True, numeric_only: bool = False) -> Any:
        """Row label of each column's first maximum."""
        return frame_arg(self, "idxmax", axis, skipna, numeric_only)

    def quantile(self, q: Any = 0.5, axis: Any = 0, numeric_only: bool = False,
                 interpolation: str = "linear") -> Any:
        """Linear-interpolation quantiles per column: a Series (scalar q) or a DataFrame indexed by q."""
        return frame_quantile(self, q, axis, numeric_only, interpolation)

    def describe(self, percentiles: Any = None, include: Any = None, exclude: Any = None) -> "DataFrame":
        """count, mean, std, min, percentiles, max of the numeric columns."""
        return frame_describe(self, percentiles, include, exclude)

    def _cumulative(self, op: str, axis: Any, skipna: bool) -> "DataFrame":
        if axis not in (None, 0, "index", "rows"):
            raise NotImplementedError(f"{op}(axis=1) is not supported yet")
        live = self._live()
        return self._with_columns({k: cumulative(c, live, op, skipna) for k, c in self._columns.items()})

    def cumsum(self, axis: Any = None, skipna: bool = True) -> "DataFrame":
        """Running sums down each column; nulls stay null."""
        return self._cumulative("cumsum", axis, skipna)

    def cumprod(self, axis: Any = None, skipna: bool = True) -> "DataFrame":
        """Running products down each column; nulls stay null."""
        return self._cumulative("cumprod", axis, skipna)

    def cummin(self, axis: Any = None, skipna: bool = True) -> "DataFrame":
        """Running minima down each column; nulls stay null."""
        return self._cumulative("cummin", axis, skipna)

    def cummax(self, axis: Any = None, skipna: bool = True) -> "DataFrame":
        """Running maxima down each column; nulls stay null."""
        return self._cumulative("cummax", axis, skipna)

    def shift(self, periods: int = 1, freq: Any = None, axis: Any = 0, fill_value: Any = None) -> "DataFrame":
        """Each column moved by ``periods`` live rows (labels stay)."""
        if axis not in (0, "index", "rows"):
            raise NotImplementedError("shift(axis=1) is not supported yet")
        if freq is not None:
            return self._shift_freq(periods, freq)
        return self._with_columns(shift_columns(self._columns, self._live(), int(periods), fill_value))

    def diff(self, periods: int = 1, axis: Any = 0) -> "DataFrame":
        """Each column's difference with the value ``periods`` live rows before."""
        if axis not in (0, "index", "rows"):
            raise NotImplementedError("diff(axis=1) is not supported yet")
        return self._with_columns(diff_columns(self._columns, self._live(), int(periods)))

    # -- sorting, group-by, joins ---------------------------------------------------------------
    def lazy(self) -> Any:
        """A LazyFrame over this frame: later calls build a plan that collect() optimizes and runs."""
        return make_lazy(self)

    def select(self, *exprs: Any, **named: Any) -> "DataFrame":
        """Columns from expressions (``jf.col('a') * 2``) or names, evaluated now."""
        return ev.select(self, ev.as_exprs(exprs, named))

    def with_columns(self, *exprs: Any, **named: Any) -> "DataFrame":
        """Add or replace columns from expressions, all evaluated on this frame."""
        return ev.with_columns(self, ev.as_exprs(exprs, named))

    def merge(self, right: Any, how: str = "inner", on: Any = None, left_on: Any = None, right_on: Any = None,
              left_index: bool = False, right_index: bool = False, sort: bool = False,
              suffixes: Any = ("_x", "_y"), copy: Any = None, indicator: Any = False,
              validate: Any = None, capacity: int | None = None) -> "DataFrame":
        """Database-style join (sort-merge); inside jax.jit pass ``capacity=`` (result gets a row mask)."""
        return merge(self, right, how, on, left_on, right_on, left_index, right_index, sort, suffixes,
                     copy, indicator, validate, capacity)

    def join(self, other: Any, on: Any = None, how: str = "left", lsuffix: str = "", rsuffix: str = "",
             sort: bool = False, validate: Any = None) -> "DataFrame":
        """Join columns of ``other`` on the index (or on column(s) ``on`` of this frame)."""
        return join(self, other, on, how, lsuffix, rsuffix, sort, validate)

    def sort_values(self, by: Any, *, axis: Any = 0, ascending: Any = True, inplace: bool = False,
                    kind: str = "quicksort", na_position: str = "last", ignore_index: bool = False,
                    key: Any = None) -> "DataFrame":
        """Rows sorted by one or more columns (stable radix argsort, one gather per column).
        Always stable: kind='quicksort' gives what pandas gives with kind='stable'."""
        return frame_sort_values(self, by, axis, ascending, inplace, kind, na_position, ignore_index, key)

    def sort_index(self, *, axis: Any = 0, level: Any = None, ascending: Any = True, inplace: bool = False,
                   kind: str = "quicksort", na_position: str = "last", sort_remaining: bool = True,
                   ignore_index: bool = False, key: Any = None) -> "DataFrame":
        """Rows sorted by their labels (stable)."""
        return sort_index(self, axis, level, ascending, inplace, kind, na_position, sort_remaining,
                          ignore_index, key)

    def nlargest(self, n: int, columns: Any, keep: str = "first") -> "DataFrame":
        """The n rows with the largest values of ``columns``, in descending order."""
        return frame_select_n(self, n, columns, keep, largest=True)

    def nsmallest(self, n: int, columns: Any, keep: str = "first") -> "DataFrame":
        """The n rows with the smallest values of ``columns``, in ascending order."""
        return frame_select_n(self, n, columns, keep, largest=False)

    def rank(self, axis: Any = 0, method: str = "average", numeric_only: bool = False,
             na_option: str = "keep", ascending: bool = True, pct: bool = False) -> "DataFrame":
        """Per-column ranks (float64; ties per ``method``, nulls per ``na_option``)."""
        return frame_rank(self, axis, method, numeric_only, na_option, ascending, pct)

    def duplicated(self, subset: Any = None, keep: Any = "first") -> Any:
        """Bool Series: True for rows repeating another row's values in ``subset``."""
        return frame_duplicated(self, subset, keep)

    def drop_duplicates(self, subset: Any = None, *, keep: Any = "first", inplace: bool = False,
                        ignore_index: bool = False) -> "DataFrame":
        """Rows without repeats (a row mask: no data moves unless ignore_index)."""
        return frame_drop_duplicates(self, subset, keep, inplace, ignore_index)

    def value_counts(self, subset: Any = None, normalize: bool = False, sort: bool = True,
                     ascending: bool = False, dropna: bool = True) -> Any:
        """Counts of distinct rows (one sort-based grouping), largest first."""
        return frame_value_counts(self, subset, normalize, sort, ascending, dropna)

    def isin(self, values: Any) -> "DataFrame":
        """Per-value membership in a list-like (or a dict of list-likes per column)."""
        return frame_isin(self, values)

    def groupby(self, by: Any = None, axis: Any = 0, level: Any = None, as_index: bool = True,
                sort: bool = True, group_keys: bool = True, observed: Any = None, dropna: bool = True):
        """Sort-based group-by: one stable radix sort of the keys, then segmented reductions."""
        return groupby(self, by, axis, level, as_index, sort, group_keys, observed, dropna)

    # -- reshaping: pivot_table, pivot, melt (reshape/) -------------------------------------------
    def pivot_table(self, values: Any = None, index: Any = None, columns: Any = None, aggfunc: Any = "mean",
                    fill_value: Any = None, margins: bool = False, dropna: bool = True,
                    margins_name: str = "All", observed: bool = True, sort: bool = True) -> "DataFrame":
        """Group by index + columns keys (the shared sort-based group-by), then spread the column
        keys into columns. Eager only; margins=True is not supported (see reshape/pivot.py)."""
        return pivot_table(self, values, index, columns, aggfunc, fill_value, margins, dropna,
                           margins_name, observed, sort)

    def pivot(self, *, columns: Any, index: Any = None, values: Any = None) -> "DataFrame":
        """Reshape without aggregation; duplicate (index, columns) pairs raise ValueError."""
        return pivot(self, columns=columns, index=index, values=values)

    def melt(self, id_vars: Any = None, value_vars: Any = None, var_name: Any = None, value_name: Any = "value",
             col_level: Any = None, ignore_index: bool = True) -> "DataFrame":
        """Wide to long (the variable column is 'str' where pandas gives 'object')."""
        return melt(self, id_vars, value_vars, var_name, value_name, col_level, ignore_index)

    # -- transforms-related helpers (jit/vmap/grad) ----------------------------------------------

    # -- conversion -----------------------------------------------------------------------------
    def to_parquet(self, path: Any, index: bool | None = None, compression: str | None = "snappy",
                   progress: bool | None = None, row_group_size: int | None = None, *,
                   engine: str | None = None) -> bytes | None:
        """Write Parquet atomically (temp file + os.replace); path None returns the bytes.
        ``engine``: None or 'pyarrow'."""
        return to_parquet(self, path, index=index, compression=compression, progress=progress,
                          row_group_size=row_group_size, engine=engine)

    def to_csv(self, path: Any = None, index: bool = True, sep: str = ",", header: Any = True) -> str | None:
        """Write CSV as pandas does; path None returns the text."""
        return to_csv(self, path, index=index, sep=sep, header=header)

    def to_pandas(self) -> pd.DataFrame:
        """A pandas DataFrame of the live rows: same values, dtypes, nulls, index, column order."""
        live = self._live_host()
        index = self._index.to_pandas(live)
        if not self._columns:
            return pd.DataFrame(index=index, columns=_column_axis(self))
        data = {name: col.to_host(live) for name, col in self._columns.items()}
        out = pd.DataFrame(data, index=index, copy=False)
        axis = _column_axis(self)
        return out if axis is None else out.set_axis(axis, axis=1)

    def to_numpy(self, dtype: Any = None, copy: bool = False,
                 na_value: Any = pd.api.extensions.no_default) -> np.ndarray:
        kwargs = {} if na_value is pd.api.extensions.no_default else {"na_value": na_value}
        return self.to_pandas().to_numpy(dtype=dtype, **kwargs)

    def to_dict(self, orient: str = "dict", into: type = dict, index: bool = True) -> Any:
        return self.to_pandas().to_dict(orient=orient, into=into, index=index)

    def to_arrow(self, preserve_index: bool | None = None) -> pa.Table:
        """The Arrow table pandas would make of this frame, built from the device arrays."""
        return to_arrow(self, preserve_index=preserve_index)

    def to_jax(self) -> dict[Hashable, jax.Array]:
        """Device arrays of the live rows, by column (strings as dictionary codes)."""
        frame = self._compact()
        n = frame._num_rows()
        return {k: c.data[:n] for k, c in frame._columns.items()}

    def __repr__(self) -> str:
        if self._traced():
            return f"<jaxframes.DataFrame (traced) columns={list(self._columns)}>"
        n = self._num_rows()
        limit = pd.get_option("display.max_rows")
        if n <= limit:
            return repr(self.to_pandas())
        half = limit // 2 + 1
        small = pd.concat([self.head(half).to_pandas(), self.tail(half).to_pandas()])
        text = repr(small)
        return re.sub(r"\[\d+ rows x (\d+) columns\]$", rf"[{n} rows x \1 columns]", text)

    def _repr_html_(self) -> str | None:
        return None if self._traced() else self.head(pd.get_option("display.max_rows")).to_pandas()._repr_html_()

    def equals(self, other: Any) -> bool:
        """True when shapes, dtypes, labels and values (NaN equal to NaN) all match, as in pandas."""
        if not isinstance(other, DataFrame):
            return False
        return self.to_pandas().equals(other.to_pandas())

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        return self.to_numpy(dtype=dtype)


def _column_axis(frame: DataFrame) -> pd.Index | None:
    """The pandas column labels a reshape attached (names, level dtypes), if still accurate."""
    axis = frame.__dict__.get("_column_axis")
    if axis is None or len(axis) != len(frame._columns) or list(axis) != list(frame._columns):
        return None
    return axis


# -- construction helpers -------------------------------------------------------------------
def _on_device(value: Any) -> bool:
    return is_series(value) or isinstance(value, (jax.Array, Column))


def _build(data: Any, index: Any, columns: Any, dtype: Any):
    """(columns, index, row mask) from the user's constructor arguments."""
    if data is None:
        data = {}
    if isinstance(data, pa.Table):
        data = data.to_pandas()
    if isinstance(data, DataFrame):
        data = {k: data._series(k) for k in data._columns}
    if isinstance(data, dict) and any(_on_device(v) for v in data.values()):
        return _build_from_device_dict(data, index, columns, dtype)
    if isinstance(data, pd.DataFrame) and index is None and columns is None and dtype is None:
        pdf = data
    else:
        pdf = pd.DataFrame(data, index=index, columns=columns, dtype=None if dtype is None else jdt.to_pandas(jdt.parse(dtype)))
    return _from_pandas_parts(pdf)


def _from_pandas_parts(pdf: pd.DataFrame):
    if not pdf.columns.is_unique:
        raise NotImplementedError("duplicate column names are not supported")
    if isinstance(pdf.columns, pd.MultiIndex):
        raise NotImplementedError("MultiIndex columns are not supported")
    count = len(pdf)
    capacity = data_capacity(count)  # bucketed: similar sizes reuse compiled kernels
    cols = {name: colmod.from_pandas_series(pdf.iloc[:, i], capacity=capacity) for i, name in enumerate(pdf.columns)}
    return cols, idxmod.from_pandas(pdf.index, capacity), live_prefix(count, capacity)


def _build_from_device_dict(data: dict, index: Any, columns: Any, dtype: Any):
    series = [v for v in data.values() if is_series(v)]
    if series and len(series) == len(data) and not any(s._traced() for s in series):
        labels = pd.Index(index) if index is not None else union_labels(series)
        if not all(s.index.equals(labels) for s in series):  # pandas aligns them by label
            data = {k: on_labels(v, labels) for k, v in data.items()}
    length = None
    base_index = None
    for value in data.values():
        if is_series(value):
            value = value._compact_exact()
            length, base_index = value._capacity, base_index or value._index
            break
        if isinstance(value, (jax.Array, Column)):
            length = value.shape[0] if isinstance(value, jax.Array) else value.capacity
            break
    cols: dict[Hashable, Column] = {}
    for name, value in data.items():
        if is_series(value):
            value = value._compact_exact()
            if base_index is not None and not value._index.same_labels(base_index) and value._capacity != length:
                raise NotImplementedError("aligning Series with different indexes in the constructor")
            col = value._column
        else:
            col = colmod.from_values(value, length=length)
        if col.capacity != length:
            raise ValueError("All arrays must be of the same length")
        cols[name] = col
    if dtype is not None:
        cols = {k: colmod.astype(c, dtype) for k, c in cols.items()}
    if columns is not None:
        cols = {k: cols[k] if k in cols else colmod.from_values(np.full(length, np.nan)) for k in columns}
    idx = idxmod.from_values(index, length) if index is not None else (base_index or RangeIndex(length))
    return cols, idx, None


def _pad_for_sharding(cols: dict, index: AnyIndex, mask: Any, sharding: RowSharding):
    table = Table(cols, index, mask).pad_to(padded_capacity(index.capacity, sharding))
    if table is None:
        raise NotImplementedError("row-sharding a frame with MultiIndex rows")
    return table.columns, table.index, table.row_mask


def _broadcast_scalar(value: Any, capacity: int, sharding: RowSharding | None) -> Column:
    if isinstance(value, jax.Array):
        return place_column(Column(jnp.broadcast_to(value, (capacity,))), sharding)
    return place_column(colmod.from_values(value, length=capacity), sharding)


def _scatter_column(col: Column, positions: jax.Array, capacity: int, sharding) -> Column:
    data = jnp.zeros(capacity, col.data.dtype).at[positions].set(col.data)
    validity = None if col.validity is None else jnp.zeros(capacity, bool).at[positions].set(col.validity)
    return place_column(col.replace(data=data, validity=validity), sharding)


def _aligned_column(frame: DataFrame, series: Any) -> Column:
    """The column of a Series laid out on the frame's rows (same labels, rows missing in the
    Series become null, as pandas' alignment gives)."""
    if series._capacity != frame._capacity or not series._index.same_labels(frame._index):
        if not is_traced(*series._arrays(), *frame._arrays()) and series.index.equals(frame.index):
            return _relaid_column(series, frame)
        return column_on_frame_rows(frame, series)
    if series._row_mask is None or series._row_mask is frame._row_mask:
        return series._column
    return with_nulls_where(series._column, ~series._live())


def _relaid_column(series: Any, frame: DataFrame) -> Column:
    """The Series' k-th live row moved to the frame's k-th live row (equal live labels, but the
    physical layouts differ, e.g. one side compacted): the frame's dead rows take any value."""
    src = np.arange(series._capacity) if series._row_mask is None else np.flatnonzero(device_get(series._row_mask))
    dst = np.arange(frame._capacity) if frame._row_mask is None else np.flatnonzero(device_get(frame._row_mask))
    take = np.zeros(frame._capacity, np.int64)
    take[dst] = src
    return series._column.take(jnp.asarray(take))


def _as_label_list(labels: Any) -> list:
    if isinstance(labels, (list, tuple, set, pd.Index, np.ndarray)):
        return list(labels)
    return [labels]


def from_pandas(data: pd.DataFrame | pd.Series, sharding: RowSharding | None = None):
    """A JaxFrames DataFrame (or Series) holding a pandas object's values, dtypes and index."""
    if isinstance(data, pd.Series):
        return make_series(data, sharding=sharding)
    if not isinstance(data, pd.DataFrame):
        raise TypeError(f"from_pandas expects a pandas DataFrame or Series, got {type(data).__name__}")
    return DataFrame(data, sharding=sharding)


def from_arrow(table: pa.Table, sharding: RowSharding | None = None) -> DataFrame:
    """A DataFrame from an Arrow table (zero-copy host views; dictionary arrays keep their codes)."""
    return arrow_to_frame(table, sharding=sharding)


register_facade("dataframe", DataFrame)
