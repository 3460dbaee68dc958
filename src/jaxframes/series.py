"""Series: one named column with an index and an optional row mask. Thin, like DataFrame."""

from __future__ import annotations

from typing import Any, Callable, Hashable

import jax
import jax.numpy as jnp
import numpy as np
import pandas as pd

from jaxframes import column as colmod
from jaxframes import dtypes as jdt
from jaxframes import index as idxmod
from jaxframes.axes import axis_number
from jaxframes.column import Column
from jaxframes.errors import ImmutableFrameError, reject_inplace
from jaxframes.arraylike import OpsMixin
from jaxframes.generic import RowContainer
from jaxframes.index import AnyIndex, RangeIndex
from jaxframes.sharding import RowSharding
from jaxframes.frame import DataFrame
from jaxframes.indexing import (ILocIndexer, LocIndexer, getitem_slice, is_bool_array, relabel_rows, row_mask_from_key,
                                setitem)
from jaxframes.table import Table, register_facade
from jaxframes.accessors.categorical import CategoricalAccessor
from jaxframes.accessors.datetimes import dt_accessor
from jaxframes.accessors.lists import string_accessor
from jaxframes.accessors.strings import StringMethods
from jaxframes.combine import reject_flex_args, series_op, unary
from jaxframes.ops.align import on_labels
from jaxframes.missing import dropna
from jaxframes.ops.cumulative import cumulative, diff, shift
from jaxframes.ops.describe import series_describe, series_quantile
from jaxframes.ops.frame_reductions import series_arg, series_reduce
from jaxframes.ops.rank import series_rank
from jaxframes.ops.sorting import searchsorted, series_select_n, series_sort_values, sort_index
from jaxframes.methods.apply import SeriesApplyMethods
from jaxframes.methods.cleaning import SeriesCleaningMethods
from jaxframes.methods.lists import SeriesListMethods
from jaxframes.methods.output import SeriesOutputMethods
from jaxframes.methods.refused import SeriesRefusedMethods
from jaxframes.methods.reindexing import SeriesReindexingMethods
from jaxframes.methods.statistics import SeriesStatisticsMethods
from jaxframes.methods.timeseries import SeriesTimeSeriesMethods
from jaxframes.methods.windows import SeriesWindowMethods
from jaxframes.ops.uniques import between, drop_duplicates, series_duplicated, series_isin, series_value_counts, unique


def _traced_scalars(data: Any) -> bool:
    """A dict of scalars, some of them traced (``pd.Series({'r2': x.corr()['a']['b'] ** 2})`` in
    a function run under jit or vmap): the values are stacked on the device, not sent to pandas."""
    if not isinstance(data, dict) or not data:
        return False
    values = list(data.values())
    return (any(isinstance(v, jax.core.Tracer) for v in values)
            and all(np.ndim(v) == 0 and (isinstance(v, (jax.Array, int, float, bool, np.number, np.bool_)))
                    for v in values))


@jax.tree_util.register_pytree_node_class
class Series(SeriesListMethods, SeriesReindexingMethods, SeriesApplyMethods, SeriesStatisticsMethods, SeriesCleaningMethods,
             SeriesOutputMethods, SeriesWindowMethods, SeriesTimeSeriesMethods, OpsMixin, RowContainer,
             SeriesRefusedMethods):
    """A named column. Construct it like pandas; a JAX array stays on device."""

    __slots__ = ("_table",)
    _jf_kind = "series"

    def __init__(self, data: Any = None, index: Any = None, dtype: Any = None, name: Hashable = None,
                 copy: bool | None = None, sharding: RowSharding | None = None):
        row_mask = None
        if isinstance(data, Series):
            if index is not None:  # pandas reindexes the Series to the given labels
                data = on_labels(data, index if isinstance(index, pd.Index) else pd.Index(index))
            col, idx, row_mask = data._column, data._index, data._row_mask
            name = data._name if name is None else name
            sharding = sharding or data._sharding
            if dtype is not None:
                col = colmod.astype(col, dtype)
        elif isinstance(data, (jax.Array, Column)):
            col = colmod.from_values(data, dtype)
            idx = RangeIndex(col.capacity) if index is None else idxmod.from_values(index, col.capacity)
        elif _traced_scalars(data) and index is None:  # {label: traced scalar} inside jit/vmap
            col = colmod.from_values(jnp.stack([jnp.asarray(v) for v in data.values()]), dtype)
            idx = idxmod.from_pandas(pd.Index(list(data)))
        else:
            if isinstance(data, pd.Series) and index is None and dtype is None:
                pds = data
            else:
                pds = pd.Series(data, index=index, dtype=None if dtype is None else jdt.to_pandas(jdt.parse(dtype)))
            col = colmod.from_pandas_series(pds.reset_index(drop=True))
            idx = idxmod.from_pandas(pds.index)
            name = pds.name if name is None else name
        if sharding is not None:
            frame = DataFrame(DataFrame._from_parts({0: col}, idx, row_mask), sharding=sharding)
            col, idx, row_mask = frame._columns[0], frame._index, frame._row_mask
        self._table = Table({name: col}, idx, row_mask, sharding)

    @classmethod
    def _from_parts(cls, column: Column, index: AnyIndex, row_mask: Any = None, name: Hashable = None,
                    sharding: RowSharding | None = None) -> "Series":
        return cls._from_table(Table({name: column}, index, row_mask, sharding))

    @classmethod
    def _from_table(cls, table: Table) -> "Series":
        obj = object.__new__(cls)
        obj._table = table
        return obj

    def _wrap(self, table: Table) -> "Series":
        return Series._from_table(table)

    @property
    def _column(self) -> Column:
        return next(iter(self._table.columns.values()))

    @property
    def _name(self) -> Hashable:
        return next(iter(self._table.columns))

    def _with_column(self, column: Column, name: Any = "keep") -> "Series":
        name = self._name if isinstance(name, str) and name == "keep" else name
        return Series._from_table(self._table.with_columns({name: column}))

    # -- PyTree ---------------------------------------------------------------------------------
    def tree_flatten(self):
        return (self._table,), None

    @classmethod
    def tree_unflatten(cls, aux, children):
        return cls._from_table(children[0])

    # -- metadata -------------------------------------------------------------------------------
    @property
    def name(self) -> Hashable:
        return self._name

    @name.setter
    def name(self, value: Hashable) -> None:
        raise ImmutableFrameError("Series are immutable: use s = s.rename(name)")

    @property
    def dtype(self) -> Any:
        return jdt.to_pandas(self._column.dtype)

    @property
    def dtypes(self) -> Any:
        return self.dtype

    @property
    def shape(self) -> tuple[int]:
        return (self._num_rows(),)

    @property
    def ndim(self) -> int:
        return 1

    @property
    def size(self) -> int:
        return self._num_rows()

    @property
    def values(self) -> Any:
        return self.to_pandas().values

    @property
    def array(self) -> Any:
        return self.to_pandas().array

    @property
    def sharding(self) -> RowSharding | None:
        return self._sharding

    # -- selection ------------------------------------------------------------------------------
    @property
    def str(self):
        """String methods (``s.str.lower()``), computed once per distinct string; on a list
        column, pandas' list idioms (``s.str.len()``, ``s.str[0]``, ``s.str.join(sep)``)."""
        return string_accessor(self, StringMethods)

    @property
    def dt(self):
        """Datetime/timedelta fields and rounding (``s.dt.year``), integer math on device."""
        return dt_accessor(self)

    @property
    def cat(self):
        """Categorical codes and categories (``s.cat.codes``)."""
        return CategoricalAccessor(self)

    def __getitem__(self, key: Any):
        if isinstance(key, Series) or is_bool_array(key):
            return self._and_mask(row_mask_from_key(self, key))
        if isinstance(key, slice):
            return getitem_slice(self, key)
        return self.loc[key]

    def __setitem__(self, key: Any, value: Any) -> None:
        raise ImmutableFrameError("Series are immutable: s[key] = value is not supported; "
                                  "s = s.set(key, value) returns a new Series with the values set (or s.where/s.mask)")

    def set(self, key: Any, value: Any) -> "Series":
        """A new Series with ``value`` set at ``key``, as pandas' ``s[key] = value`` sets it (a
        boolean mask, a positional slice, or labels). See also ``s.loc.set`` / ``s.iloc.set``."""
        return setitem(self, key, value)

    def set_axis(self, labels: Any, *, axis: int | str = 0, copy: bool | None = None) -> "Series":
        """New row labels, one per live row."""
        axis_number(axis, "Series", default=None)
        return relabel_rows(self, labels)

    def filter(self, items: Any = None, like: str | None = None, regex: str | None = None,
               axis: Any = None) -> "Series":
        """A boolean mask keeps rows; otherwise pandas' label filter on the index."""
        if isinstance(items, Series) or is_bool_array(items):
            return self._and_mask(row_mask_from_key(self, items))
        positions = pd.Series(np.arange(self._num_rows()), index=self.index)
        kept = positions.filter(items=items, like=like, regex=regex, axis=axis).to_numpy()
        out = self._keep_positions(kept)
        # pandas reindexes by the items list, which drops the index name.
        return out if items is None else out._replace_rows(out._row_mask, out._index.rename(None))

    @property
    def iloc(self):
        return ILocIndexer(self)

    @property
    def loc(self):
        return LocIndexer(self)

    # -- transformations --------------------------------------------------------------------
    def astype(self, dtype: Any, copy: bool | None = None, errors: str = "raise") -> "Series":
        """Cast with pandas' casting rules."""
        if errors not in ("raise", "ignore"):
            raise ValueError("Expected value of kwarg 'errors' to be one of ['raise', 'ignore']. "
                             f"Supplied value is '{errors}'")
        try:
            col = colmod.astype(self._column, dtype, self._row_mask)
        except (ValueError, TypeError):
            if errors == "ignore":
                return self
            raise
        if self._sharding is not None:
            col = col.replace(data=self._sharding.place(col.data), validity=self._sharding.place(col.validity))
        return self._with_column(col)

    def rename(self, index: Any = None, *, axis: Any = None, copy: bool | None = None,
               inplace: bool = False, level: Any = None, errors: str = "ignore") -> "Series":
        """A scalar renames the Series; mapping row labels is not supported yet."""
        reject_inplace(inplace, "rename")
        if index is None or np.ndim(index) == 0 and not callable(index) and not isinstance(index, dict):
            return self._with_column(self._column, name=index)
        raise NotImplementedError("Series.rename with a mapping or function (row labels) is not supported yet")

    def copy(self, deep: bool = True) -> "Series":
        return self._with_column(self._column)

    def collect(self) -> "Series":
        return self

    def to_frame(self, name: Hashable = None) -> Any:
        key = self._name if name is None else name
        key = 0 if key is None else key
        return DataFrame._from_parts({key: self._column}, self._index, self._row_mask, self._sharding)

    # -- elementwise: operators, where/mask/clip/abs/round, missing values --------------------
    def _arith_method(self, other: Any, op: Callable) -> Any:
        return series_op(self, other, op)

    _cmp_method = _arith_method
    _logical_method = _arith_method

    def _unary_method(self, op: Callable) -> "Series":
        return unary(self, op)

    def _flex_method(self, other: Any, op: Callable, axis: Any, level: Any, fill_value: Any) -> Any:
        """The named forms (``s.add(other)``); a Series has one axis."""
        reject_flex_args(level, fill_value)
        axis_number(axis, "Series")
        return series_op(self, other, op)

    def dropna(self, *, axis: Any = 0, inplace: bool = False, how: Any = None,
               ignore_index: bool = False) -> "Series":
        """Drop missing values (a row mask: no data moves)."""
        return dropna(self, axis, "any", inplace=inplace, ignore_index=ignore_index)

    # -- reductions and cumulative operations, describe ---------------------------------------
    def _reduce(self, op: str, axis: Any, skipna: bool, numeric_only: bool, **kw: Any) -> Any:
        axis_number(axis, "Series")
        return series_reduce(self, op, skipna=skipna, numeric_only=numeric_only, **kw)

    def sum(self, axis: Any = None, skipna: bool = True, numeric_only: bool = False, min_count: int = 0) -> Any:
        """Sum of the non-null values (int/bool -> int64); null when fewer than min_count values."""
        return self._reduce("sum", axis, skipna, numeric_only, min_count=min_count)

    def prod(self, axis: Any = None, skipna: bool = True, numeric_only: bool = False, min_count: int = 0) -> Any:
        """Product of the non-null values; null when fewer than min_count values."""
        return self._reduce("prod", axis, skipna, numeric_only, min_count=min_count)

    product = prod

    def mean(self, axis: Any = None, skipna: bool = True, numeric_only: bool = False) -> Any:
        """Mean of the non-null values (float64 for ints; Timestamp for datetimes)."""
        return self._reduce("mean", axis, skipna, numeric_only)

    def median(self, axis: Any = None, skipna: bool = True, numeric_only: bool = False) -> Any:
        """Median (linear interpolation between the two middle values)."""
        return self._reduce("median", axis, skipna, numeric_only)

    def min(self, axis: Any = None, skipna: bool = True, numeric_only: bool = False) -> Any:
        """Smallest non-null value (strings compare as strings)."""
        return self._reduce("min", axis, skipna, numeric_only)

    def max(self, axis: Any = None, skipna: bool = True, numeric_only: bool = False) -> Any:
        """Largest non-null value (strings compare as strings)."""
        return self._reduce("max", axis, skipna, numeric_only)

    def std(self, axis: Any = None, skipna: bool = True, ddof: int = 1, numeric_only: bool = False) -> Any:
        """Standard deviation with ``ddof`` delta degrees of freedom."""
        return self._reduce("std", axis, skipna, numeric_only, ddof=ddof)

    def var(self, axis: Any = None, skipna: bool = True, ddof: int = 1, numeric_only: bool = False) -> Any:
        """Variance with ``ddof`` delta degrees of freedom."""
        return self._reduce("var", axis, skipna, numeric_only, ddof=ddof)

    def count(self) -> Any:
        """Number of live non-null values."""
        return self._reduce("count", None, True, False)

    def any(self, *, axis: Any = 0, bool_only: bool = False, skipna: bool = True) -> Any:
        """Whether any value is truthy (Kleene logic for masked dtypes with skipna=False)."""
        return self._reduce("any", axis, skipna, False)

    def all(self, *, axis: Any = 0, bool_only: bool = False, skipna: bool = True) -> Any:
        """Whether all values are truthy (Kleene logic for masked dtypes with skipna=False)."""
        return self._reduce("all", axis, skipna, False)

    def nunique(self, dropna: bool = True) -> Any:
        """Number of distinct values (nulls count as one value when dropna=False)."""
        return self._reduce("nunique", None, True, False, dropna=dropna)

    def idxmin(self, axis: Any = 0, skipna: bool = True) -> Any:
        """Row label of the first smallest value."""
        return series_arg(self, "idxmin", skipna)

    def idxmax(self, axis: Any = 0, skipna: bool = True) -> Any:
        """Row label of the first largest value."""
        return series_arg(self, "idxmax", skipna)

    def quantile(self, q: Any = 0.5, interpolation: str = "linear") -> Any:
        """Linear-interpolation quantile(s): a scalar for scalar q, else a Series indexed by q."""
        return series_quantile(self, q, interpolation)

    def describe(self, percentiles: Any = None, include: Any = None, exclude: Any = None) -> "Series":
        """count, mean, std, min, percentiles, max of a numeric Series."""
        return series_describe(self, percentiles)

    def _cumulative(self, op: str, skipna: bool) -> "Series":
        return self._with_column(cumulative(self._column, self._live(), op, skipna))

    def cumsum(self, axis: Any = None, skipna: bool = True) -> "Series":
        """Running sum; nulls stay null (skipna=False: null from the first null on)."""
        return self._cumulative("cumsum", skipna)

    def cumprod(self, axis: Any = None, skipna: bool = True) -> "Series":
        """Running product; nulls stay null."""
        return self._cumulative("cumprod", skipna)

    def cummin(self, axis: Any = None, skipna: bool = True) -> "Series":
        """Running minimum; nulls stay null."""
        return self._cumulative("cummin", skipna)

    def cummax(self, axis: Any = None, skipna: bool = True) -> "Series":
        """Running maximum; nulls stay null."""
        return self._cumulative("cummax", skipna)

    def shift(self, periods: int = 1, freq: Any = None, axis: Any = 0, fill_value: Any = None) -> "Series":
        """Values moved by ``periods`` live rows (labels stay); vacated rows null or fill_value."""
        if freq is not None:
            return self._shift_freq(periods, freq)
        return self._with_column(shift(self._column, self._live(), int(periods), fill_value))

    def diff(self, periods: int = 1) -> "Series":
        """Difference with the value ``periods`` live rows before."""
        return self._with_column(diff(self._column, self._live(), int(periods)))

    # -- sorting, group-by, joins ---------------------------------------------------------------
    def sort_values(self, *, axis: Any = 0, ascending: Any = True, inplace: bool = False,
                    kind: str = "quicksort", na_position: str = "last", ignore_index: bool = False,
                    key: Any = None) -> "Series":
        """Values sorted (stable radix argsort). Always stable: kind='quicksort' gives what
        pandas gives with kind='stable'."""
        return series_sort_values(self, axis, ascending, inplace, kind, na_position, ignore_index, key)

    def sort_index(self, *, axis: Any = 0, level: Any = None, ascending: Any = True, inplace: bool = False,
                   kind: str = "quicksort", na_position: str = "last", sort_remaining: bool = True,
                   ignore_index: bool = False, key: Any = None) -> "Series":
        """Rows sorted by their labels (stable)."""
        return sort_index(self, axis, level, ascending, inplace, kind, na_position, sort_remaining,
                          ignore_index, key)

    def nlargest(self, n: int = 5, keep: str = "first") -> "Series":
        """The n largest values, in descending order."""
        return series_select_n(self, n, keep, largest=True)

    def nsmallest(self, n: int = 5, keep: str = "first") -> "Series":
        """The n smallest values, in ascending order."""
        return series_select_n(self, n, keep, largest=False)

    def rank(self, axis: Any = 0, method: str = "average", numeric_only: bool = False,
             na_option: str = "keep", ascending: bool = True, pct: bool = False) -> "Series":
        """Ranks (float64; ties per ``method``, nulls per ``na_option``)."""
        return series_rank(self, axis, method, numeric_only, na_option, ascending, pct)

    def unique(self) -> Any:
        """Distinct values in order of first appearance, as pandas' array type for the dtype."""
        return unique(self)

    def duplicated(self, keep: Any = "first") -> "Series":
        """True for values repeating another row's value."""
        return series_duplicated(self, keep)

    def drop_duplicates(self, *, keep: Any = "first", inplace: bool = False,
                        ignore_index: bool = False) -> "Series":
        """Values without repeats (a row mask)."""
        return drop_duplicates(self, [self._column], keep, inplace, ignore_index)

    def value_counts(self, normalize: bool = False, sort: bool = True, ascending: bool = False,
                     bins: Any = None, dropna: bool = True) -> "Series":
        """Counts per distinct value (one sort-based grouping), named 'count'/'proportion'."""
        return series_value_counts(self, normalize, sort, ascending, bins, dropna)

    def isin(self, values: Any) -> "Series":
        """Membership in a list-like; strings are looked up in the dictionary, codes compared on device."""
        return series_isin(self, values)

    def between(self, left: Any, right: Any, inclusive: str = "both") -> "Series":
        """left <= value <= right (ends per ``inclusive``)."""
        return between(self, left, right, inclusive)

    def searchsorted(self, value: Any, side: str = "left", sorter: Any = None) -> Any:
        """Insertion positions keeping the (sorted) values in order, as numpy gives."""
        return searchsorted(self, value, side, sorter)

    # -- transforms-related helpers (jit/vmap/grad) ----------------------------------------------

    # -- conversion -----------------------------------------------------------------------------
    def to_pandas(self) -> pd.Series:
        """A pandas Series of the live rows: same values, dtype, nulls, index and name."""
        live = self._live_host()
        return pd.Series(self._column.to_host(live), index=self._index.to_pandas(live), name=self._name,
                         copy=False)

    def to_numpy(self, dtype: Any = None, copy: bool = False,
                 na_value: Any = pd.api.extensions.no_default) -> np.ndarray:
        kwargs = {} if na_value is pd.api.extensions.no_default else {"na_value": na_value}
        return self.to_pandas().to_numpy(dtype=dtype, **kwargs)

    def to_jax(self) -> jax.Array:
        """The live values as a device array (dictionary codes for strings)."""
        compact = self._compact_exact()
        return compact._column.data

    def tolist(self) -> list:
        return self.to_pandas().tolist()

    to_list = tolist

    def to_dict(self, into: type = dict) -> dict:
        return self.to_pandas().to_dict(into=into)

    def __iter__(self):
        return iter(self.tolist())

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        return self.to_numpy(dtype=dtype)

    def __repr__(self) -> str:
        if self._traced():
            return f"<jaxframes.Series (traced) name={self._name!r} dtype={self._column.dtype}>"
        n = self._num_rows()
        limit = pd.get_option("display.max_rows")
        if n <= limit:
            return repr(self.to_pandas())
        half = limit // 2 + 1
        small = pd.concat([self.head(half).to_pandas(), self.tail(half).to_pandas()])
        text = repr(small)
        return text.replace(f"Length: {len(small)}", f"Length: {n}")

    def equals(self, other: Any) -> bool:
        """True when dtypes, labels and values (NaN equal to NaN) match, as in pandas."""
        if not isinstance(other, Series):
            return False
        return self.to_pandas().equals(other.to_pandas())

    def __bool__(self) -> bool:
        raise ValueError("The truth value of a Series is ambiguous. Use a.empty, a.bool(), a.item(), "
                         "a.any() or a.all().")

    def item(self) -> Any:
        return self.to_pandas().item()


register_facade("series", Series)
