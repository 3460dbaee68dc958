"""Group-by method groups beyond the core aggregations, one mixin per topic, so helpers of
different topics add methods without growing api.py."""

from __future__ import annotations

import functools
import warnings
from typing import Any, Hashable

import jax.numpy as jnp
import numpy as np
import pandas as pd
from pandas.errors import Pandas4Warning

from jaxframes import column as colmod
from jaxframes import dtypes as jdt
from jaxframes.column import Column
from jaxframes.distributed import groupby as distributed_groupby
from jaxframes.distributed.sample_sort import is_distributed
from jaxframes.facts import is_traced
from jaxframes.groupby.aggregations import AGGREGATIONS, group_sizes
from jaxframes.index import MultiIndex, RangeIndex
from jaxframes.groupby import rows as grows
from jaxframes.groupby import statistics as gst
from jaxframes.ops.application import pipe
from jaxframes.sharding import bucket_capacity
from jaxframes.sync import device_get
from jaxframes.table import Table, make_frame, make_series, new_frame, new_series
from jaxframes.timeseries import resample as _resample
from jaxframes.windows import grouped as _windows
from jaxframes.windows.ewm import EWM


def _by_key_range(method):
    """On a frame row-sharded over several devices: the rows of each key range meet on one
    device (distributed/groupby.aggregate in 'rows' mode: these statistics do not merge from
    partials), the one-device method runs there, and the result stays row-sharded."""
    @functools.wraps(method)
    def run(self, *args: Any, **kwargs: Any):
        frame = self._frame
        if self._hook is not None or not (is_distributed(frame._sharding) and frame._capacity):
            return method(self, *args, **kwargs)
        call_key = (method.__name__, type(self).__name__, repr(args), repr(sorted(kwargs.items())),
                    repr(self._keys), self._by_list, self._as_index, self._dropna, repr(self._selection),
                    self._series_selection, self._sort)
        return distributed_groupby.aggregate(frame._table, self._keys, self, lambda gb: method(gb, *args, **kwargs),
                                             call_key, mode="rows")
    return run


class GroupByStatisticsMethods:
    """quantile, idxmax/idxmin, sem, skew, kurt, corr, cov, ngroup, ohlc, value_counts, describe,
    ffill/bfill, pct_change, groups, indices, pipe, sample, take, nlargest/nsmallest, unique."""

    __slots__ = ()

    # -- helpers -----------------------------------------------------------------------------------
    def _per_group(self, fn, numeric_only: bool = False):
        """``fn(column, grouping)`` for every value column, shaped like an aggregation (over the
        live rows compacted when they are few, api._GroupBy._compacted)."""
        names = self._value_names()
        if numeric_only:
            names = [n for n in names if self._frame._columns[n].dtype.is_numeric]
        gb = self._compacted()
        cols = {n: fn(gb._column(n), gb.grouping) for n in names}
        if gb._series_selection:
            return gb._series_of(names[0], cols[names[0]])
        return gb._frame_of(cols)

    def _rows_result(self, cols: dict):
        """Per-row columns (on the frame's rows), rows without a group made null."""
        cols = {k: gst.null_where_ungrouped(c, self._frame, self._keys, self._dropna) for k, c in cols.items()}
        return self._per_row_result(cols)

    def _selected_values(self):
        names = self._value_names()
        frame = self._frame._select(names)
        return frame[names[0]] if self._series_selection else frame

    # -- moments, quantile ----------------------------------------------------------------------
    @_by_key_range
    def sem(self, ddof: int = 1, numeric_only: bool = False):
        """Standard error of the mean per group."""
        return self._per_group(lambda c, g: gst.agg_sem(c, g, ddof), numeric_only)

    @_by_key_range
    def skew(self, skipna: bool = True, numeric_only: bool = False, **kwargs: Any):
        """Unbiased skewness per group (NaN below 3 values or for a constant group)."""
        if not skipna:
            raise NotImplementedError("groupby.skew(skipna=False)")
        return self._per_group(lambda c, g: gst.agg_moment(c, g, "skew"), numeric_only)

    @_by_key_range
    def kurt(self, skipna: bool = True, numeric_only: bool = False, **kwargs: Any):
        """Unbiased excess kurtosis per group (NaN below 4 values or for a constant group)."""
        if not skipna:
            raise NotImplementedError("groupby.kurt(skipna=False)")
        return self._per_group(lambda c, g: gst.agg_moment(c, g, "kurt"), numeric_only)

    kurtosis = kurt

    @_by_key_range
    def quantile(self, q: Any = 0.5, interpolation: str = "linear", numeric_only: bool = False):
        """The q-quantile per group (scalar q)."""
        if np.ndim(q) != 0:
            raise NotImplementedError("groupby.quantile with a list of q (a MultiIndex result)")
        if not 0 <= q <= 1:
            raise ValueError(f"quantile must be between 0 and 1 inclusive, got {q}")
        return self._per_group(lambda c, g: gst.agg_quantile(c, g, float(q), interpolation), numeric_only)

    # -- pairwise: corr, cov --------------------------------------------------------------------
    def _pairwise(self, what: str, other: Any, ddof: int, min_periods: Any, numeric_only: bool, method: str):
        if method != "pearson":
            raise NotImplementedError(f"groupby.{what}(method={method!r}): only 'pearson'")
        minp = 1 if min_periods is None else int(min_periods)
        frame = self._frame
        if self._series_selection:
            if other is None or not hasattr(other, "_column"):
                raise TypeError(f"SeriesGroupBy.{what} needs another Series")
            name = self._value_names()[0]
            theirs = frame._column_from(other)
        else:
            names = [n for n in self._value_names()
                     if not numeric_only or frame._columns[n].dtype.is_numeric]
            for n in names:
                if frame._columns[n].dtype.kind not in "biuf":
                    raise ValueError(f"could not convert string to float (column {n!r})")
        if self._hook is None and is_distributed(frame._sharding) and frame._capacity:
            # by key range: the rows meet (the other Series as a column beside them), each
            # device answers for its groups; one result row per (group, column)
            table = frame._table
            if self._series_selection:
                table = Table({**table.columns, "__jf_pairwise_other__": theirs}, table.index, table.row_mask,
                              table.sharding)

            def call(gb: Any):
                if self._series_selection:
                    g = gb.grouping
                    pair = [gb._frame._columns[name], gb._frame._columns["__jf_pairwise_other__"]]
                    values = gst.pairwise_per_group(pair, g, what, ddof, minp)[:, 0, 1]
                    return gb._series_of(name, Column(values))
                return gb._pairwise_frame(names, what, ddof, minp, exact=False)

            call_key = ("pairwise", what, ddof, minp, repr(self._value_names()), numeric_only, repr(self._keys),
                        self._by_list, self._as_index, self._dropna, self._series_selection, self._sort)
            return distributed_groupby.aggregate(table, self._keys, self, call, call_key, mode="rows")
        if self._series_selection:
            values = gst.pairwise_per_group([frame._columns[name], theirs], self.grouping, what, ddof, minp)[:, 0, 1]
            return self._series_of(name, Column(values))
        return self._pairwise_frame(names, what, ddof, minp, exact=True)

    def _pairwise_frame(self, names: list, what: str, ddof: int, minp: int, exact: bool):
        """The (group, column) x column matrices of a frame's pairwise corr/cov. ``exact``: the
        groups counted on the host (one device); else (a device of the distributed path) every
        group slot, the padding masked, and (result, each row's group's first global row)."""
        g = self.grouping
        cols = [self._frame._columns[n] for n in names]
        mats = gst.pairwise_per_group(cols, g, what, ddof, minp)
        groups = g.exact_group_rows().shape[0] if exact else g.num_slots
        k = len(names)
        mats = mats[:groups]
        repeat = jnp.repeat(jnp.arange(groups), k)
        keys = [c.take(repeat) for c in self._key_columns(exact=exact)]
        if groups:  # the column names, one dictionary, tiled over the groups
            labels = colmod.from_values(pd.Index(names)).take(jnp.tile(jnp.arange(k), groups))
        else:
            labels = colmod.from_values(pd.Index([], dtype=object))
        index = MultiIndex(tuple(keys) + (labels,), tuple(self._keys) + (None,))
        out = {n: Column(mats[:, :, j].reshape(groups * k)) for j, n in enumerate(names)}
        if exact:
            return new_frame(out, index)
        mask = g.result_mask()
        mask = None if mask is None else mask[repeat]
        first = AGGREGATIONS["min"](self._frame._columns[distributed_groupby.FIRST_ROW], g).data[repeat]
        return new_frame(out, index, mask), first

    def corr(self, other: Any = None, method: str = "pearson", min_periods: Any = 1, numeric_only: bool = False):
        """Pearson correlation per group (a frame on (keys, column); SeriesGroupBy: with ``other``)."""
        return self._pairwise("corr", other, 1, min_periods, numeric_only, method)

    def cov(self, other: Any = None, min_periods: Any = None, ddof: int = 1, numeric_only: bool = False):
        """Covariance per group (a frame on (keys, column); SeriesGroupBy: with ``other``)."""
        return self._pairwise("cov", other, ddof, min_periods, numeric_only, "pearson")

    def corrwith(self, other: Any, drop: bool = False, method: str = "pearson", numeric_only: bool = False):
        """Pearson correlation of each column with ``other`` per group (pandas 3.1 deprecates it:
        the same Pandas4Warning). ``other``: a Series (aligned by row label) or a frame (its
        columns of the same names; other names give NaN columns unless ``drop``)."""
        warnings.warn("DataFrameGroupBy.corrwith is deprecated", Pandas4Warning, stacklevel=2)
        if self._series_selection:
            raise AttributeError("'SeriesGroupBy' object has no attribute 'corrwith'")
        if method != "pearson":
            if method in ("kendall", "spearman") or callable(method):
                raise NotImplementedError(f"groupby.corrwith(method={method!r}): only 'pearson'")
            raise ValueError(f"Invalid method {method} was passed, valid methods are: 'pearson', 'kendall', "
                             "'spearman', or callable")
        frame, g = self._frame, self.grouping
        names = [n for n in self._value_names() if not numeric_only or frame._columns[n].dtype.kind in "biuf"]
        for n in names:
            if frame._columns[n].dtype.kind not in "biuf":
                raise ValueError(f"could not convert string to float (column {n!r})")
        if getattr(type(other), "_jf_kind", "") == "dataframe" or isinstance(other, pd.DataFrame):
            theirs = list(other.columns)
            if numeric_only:
                theirs = [c for c in theirs if pd.api.types.is_numeric_dtype(other[c].dtype)]
            matched = [n for n in names if n in theirs]
            left = [frame._columns[n] for n in matched]
            right = [frame._column_from(other[n]) for n in matched]
            mats = gst.pairwise_per_group(left + right, g, "corr", 1, 1) if matched else None
            k = len(matched)
            cols = {n: Column(mats[:, i, k + i]) for i, n in enumerate(matched)}
            if not drop:
                rest = [c for c in list(dict.fromkeys(names + theirs)) if c not in cols]
                try:
                    rest = sorted(rest)
                except TypeError:
                    pass
                for c in rest:
                    cols[c] = Column(jnp.full(g.num_slots, jnp.nan))
        else:
            theirs = frame._column_from(other)
            mats = gst.pairwise_per_group([frame._columns[n] for n in names] + [theirs], g, "corr", 1, 1)
            cols = {n: Column(mats[:, i, len(names)]) for i, n in enumerate(names)}
        return self._frame_of(cols)

    # -- positions ------------------------------------------------------------------------------
    def _idx(self, largest: bool, skipna: bool, numeric_only: bool):
        how = "idxmax" if largest else "idxmin"
        names = self._value_names()
        if numeric_only:
            names = [n for n in names if self._frame._columns[n].dtype.is_numeric]
        frame = self._frame
        if self._hook is None and is_distributed(frame._sharding) and frame._capacity:
            return self._idx_distributed(how, names, largest, skipna)
        mask = self.grouping.result_mask()
        live = jnp.ones(self.grouping.num_slots, bool) if mask is None else mask
        cols = {}
        for n in names:
            cols[n], no_value, with_null = self._idx_column(n, largest, skipna)
            if bool(device_get(jnp.any(live & no_value))):
                raise ValueError(f"{how} with skipna=True encountered all NA values in a group.")
            if not skipna and bool(device_get(jnp.any(live & with_null))):
                raise ValueError(f"{how} with skipna=False encountered an NA value.")
        if self._series_selection:
            return self._series_of(names[0], cols[names[0]])
        return self._frame_of(cols)

    def _idx_column(self, name: Hashable, largest: bool, skipna: bool):
        """(the row label of each group's first extreme value, groups without a value, groups
        with a null) of one column, nothing raised (the distributed path raises after the merge)."""
        rows, has_value, has_null = gst.arg_extreme_rows(self._frame._columns[name], self.grouping, largest, skipna)
        return self._frame._index.labels().take(jnp.clip(rows, 0)), ~has_value, has_null

    def _idx_distributed(self, how: str, names: list, largest: bool, skipna: bool):
        """idxmax/idxmin of a row-sharded frame: the rows (with their index labels) meet by key
        range, each device answers for its groups with two flag columns per value column (no
        value, a null); pandas' ValueErrors are raised from the flags (one host sync; inside
        ``jax.jit`` they cannot be: a group without a value then answers its first row's label,
        the documented in-jit assumption that no group is all-NA)."""
        frame = self._frame
        flag = {n: (f"__jf_{how}_no_value_{i}__", f"__jf_{how}_null_{i}__") for i, n in enumerate(names)}

        def call(gb: Any):
            cols, flags = {}, {}
            for n in names:
                cols[n], no_value, with_null = gb._idx_column(n, largest, skipna)
                flags[flag[n][0]], flags[flag[n][1]] = Column(no_value), Column(with_null)
            return gb._frame_of({**cols, **flags})

        call_key = ("idx", how, repr(names), skipna, repr(self._keys), self._by_list, self._as_index, self._dropna,
                    repr(self._selection), self._series_selection, self._sort)
        out = distributed_groupby.aggregate(frame._table, self._keys, self, call, call_key, mode="rows",
                                            with_index=True)
        live = out._live()
        if names and not is_traced(live):
            found = np.asarray(device_get(jnp.stack([jnp.any(live & out._columns[f].data)
                                                     for n in names for f in flag[n]])))
            for i, n in enumerate(names):
                if found[2 * i]:
                    raise ValueError(f"{how} with skipna=True encountered all NA values in a group.")
                if not skipna and found[2 * i + 1]:
                    raise ValueError(f"{how} with skipna=False encountered an NA value.")
        drop = {f for n in names for f in flag[n]}
        if self._series_selection and self._as_index:
            return new_series(out._columns[names[0]], out._index, out._row_mask, names[0], out._sharding)
        return new_frame({k: c for k, c in out._columns.items() if k not in drop}, out._index, out._row_mask,
                         out._sharding)

    def idxmax(self, axis: Any = None, skipna: bool = True, numeric_only: bool = False):
        """Row label of each group's first largest value."""
        return self._idx(True, skipna, numeric_only)

    def idxmin(self, axis: Any = None, skipna: bool = True, numeric_only: bool = False):
        """Row label of each group's first smallest value."""
        return self._idx(False, skipna, numeric_only)

    def ngroup(self, ascending: bool = True):
        """Each row's group number (groups in output order)."""
        col = gst.ngroup(self.grouping, ascending)
        col = gst.null_where_ungrouped(col, self._frame, self._keys, self._dropna)
        f = self._frame
        return new_series(col, f._index, f._row_mask, None, f._sharding)

    # -- per-row: fills, pct_change --------------------------------------------------------------
    def ffill(self, limit: Any = None):
        """Nulls filled from the previous present value of the same group."""
        names = self._value_names()
        return self._rows_result({n: gst.group_fill(self._frame._columns[n], self.grouping, True, limit)
                                  for n in names})

    def bfill(self, limit: Any = None):
        """Nulls filled from the next present value of the same group."""
        names = self._value_names()
        return self._rows_result({n: gst.group_fill(self._frame._columns[n], self.grouping, False, limit)
                                  for n in names})

    def pct_change(self, periods: int = 1, fill_method: Any = None, freq: Any = None, **kwargs: Any):
        """Change relative to the value ``periods`` rows before in the same group."""
        if fill_method is not None:
            raise ValueError(f"fill_method must be None; got fill_method={fill_method!r}.")
        if freq is not None or kwargs:
            raise NotImplementedError("groupby.pct_change with freq= or other arguments")
        return self._selected_values() / self.shift(periods) - 1

    # -- shapes of groups --------------------------------------------------------------------------
    @_by_key_range
    def ohlc(self):
        """open/high/low/close (first, max, min, last present value) per group."""
        if not self._series_selection:
            raise NotImplementedError("DataFrameGroupBy.ohlc (MultiIndex columns): select one column first")
        name = self._value_names()[0]
        cols = {label: self._aggregate_column(name, how)
                for label, how in (("open", "first"), ("high", "max"), ("low", "min"), ("close", "last"))}
        return self._frame_of(cols)

    @_by_key_range
    def describe(self, percentiles: Any = None, include: Any = None, exclude: Any = None):
        """count, mean, std, min, quartiles, max per group (a selected numeric column)."""
        if not self._series_selection:
            raise NotImplementedError("DataFrameGroupBy.describe (MultiIndex columns): select one column first")
        if include is not None or exclude is not None:
            raise NotImplementedError("groupby.describe(include=/exclude=)")
        qs = [0.25, 0.5, 0.75] if percentiles is None else sorted(set(percentiles))
        name = self._value_names()[0]
        col, g = self._frame._columns[name], self.grouping
        if not col.dtype.is_numeric or col.dtype.kind == "b":
            raise NotImplementedError("groupby.describe of a non-numeric column")
        count = self._aggregate_column(name, "count")
        fdt = gst._moment_dtype(col.dtype, keep_f32=False)
        out = {"count": Column(count.data.astype(fdt.storage), count.validity if fdt.has_validity else None, fdt)}
        for label, how in (("mean", "mean"), ("std", "std")):
            out[label] = _as(self._aggregate_column(name, how), fdt)
        out["min"] = _as(self._aggregate_column(name, "min"), fdt)
        for q in qs:
            out[f"{q * 100:g}%"] = gst.agg_quantile(col, g, q)
        out["max"] = _as(self._aggregate_column(name, "max"), fdt)
        return self._frame_of(out)

    def value_counts(self, normalize: bool = False, sort: bool = True, ascending: bool = False,
                     bins: Any = None, dropna: bool = True):
        """Counts of each value within each group: a Series on (keys..., value)."""
        if not self._series_selection:
            raise NotImplementedError("DataFrameGroupBy.value_counts: select one column first")
        if bins is not None:
            raise NotImplementedError("groupby.value_counts(bins=...)")
        if not self._as_index:
            raise NotImplementedError("groupby(as_index=False).value_counts")
        name = self._value_names()[0]
        keys = list(self._keys)
        if self._hook is None and is_distributed(self._frame._sharding) and self._frame._capacity:
            return self._value_counts_distributed(name, normalize, sort, ascending, dropna)
        frame = self._frame._select(keys + [name])
        sizes = frame.groupby(keys + [name], sort=not sort and self._sort, dropna=dropna)
        counts = sizes.size()
        pdc = counts.to_pandas()
        if normalize:
            totals = pdc.groupby(level=list(range(len(keys))), sort=False).transform("sum")
            pdc = pdc / totals
        if sort:
            order = pd.DataFrame({"g": pd.MultiIndex.from_frame(pdc.index.to_frame().iloc[:, :len(keys)])
                                  .factorize(sort=self._sort)[0], "c": pdc.to_numpy()})
            perm = order.sort_values(["g", "c"], ascending=[True, ascending], kind="stable").index
            pdc = pdc.iloc[perm]
        levels = pdc.index.to_frame(index=False)
        index = MultiIndex(tuple(_level_column(levels.iloc[:, i]) for i in range(levels.shape[1])),
                           tuple(pdc.index.names))
        values = colmod.from_values(pdc.to_numpy(), dtype=_value_counts_dtype(frame, keys, name, normalize))
        return new_series(values, index, None, "proportion" if normalize else "count")

    def _value_counts_distributed(self, name: Hashable, normalize: bool, sort: bool, ascending: bool,
                                  dropna: bool):
        """value_counts of a row-sharded frame: the rows meet by key range (every (key, value)
        pair of a group on one device, in global row order), each device counts its pairs on
        device (no host pandas) in pandas' order; ``sort=False`` group-bys re-sort the pairs by
        their group's (``sort``) or their own (not ``sort``) first row."""
        keys, by_key = list(self._keys), self._sort
        first_name = distributed_groupby.FIRST_ROW
        temp = [f"__jf_vc_key{i}__" for i in range(len(keys))]

        def call(gb: Any):
            local = gb._frame
            cols = {t: local._columns[k] for t, k in zip(temp, keys)}
            cols["__jf_vc_value__"] = local._columns[name]
            cols[first_name] = local._columns[first_name]
            rows = new_frame(cols, RangeIndex(local._capacity), local._row_mask)
            pairs = rows.groupby(temp + ["__jf_vc_value__"], sort=True, dropna=dropna)
            g = pairs.grouping
            out = dict(zip(temp + ["__jf_vc_value__"], pairs._key_columns()))
            out["__jf_vc_count__"] = group_sizes(g)
            out["__jf_vc_first__"] = pairs._plain_aggregate(first_name, "min")
            counted = new_frame(out, RangeIndex(g.num_slots), g.result_mask())
            per_key = counted.groupby(temp, sort=True, dropna=False).grouping
            group_first = per_key.broadcast(AGGREGATIONS["min"](out["__jf_vc_first__"], per_key).data)
            counted = new_frame({**out, "__jf_vc_group_first__": Column(group_first)}, RangeIndex(g.num_slots),
                                g.result_mask())
            if normalize:
                total = per_key.broadcast(AGGREGATIONS["sum"](out["__jf_vc_count__"], per_key).data)
                values = Column(out["__jf_vc_count__"].data / jnp.maximum(total, 1))
            else:
                values = out["__jf_vc_count__"]
            counted = new_frame({**counted._columns, "__jf_vc_values__": values}, RangeIndex(g.num_slots),
                                g.result_mask())
            if sort:  # within each group by count, ties in first appearance (a stable sort)
                counted = counted.sort_values(temp + ["__jf_vc_count__", "__jf_vc_first__"],
                                              ascending=[True] * len(temp) + [ascending, True], kind="stable")
            levels = tuple(counted._columns[t] for t in temp + ["__jf_vc_value__"])
            result = new_series(counted._columns["__jf_vc_values__"], MultiIndex(levels, tuple(keys) + (name,)),
                                counted._row_mask, "proportion" if normalize else "count")
            order = "__jf_vc_group_first__" if sort else "__jf_vc_first__"
            return result, counted._columns[order].data

        call_key = ("value_counts", repr(name), normalize, sort, ascending, dropna, repr(keys), by_key,
                    self._dropna, self._by_list)
        result = distributed_groupby.aggregate(self._frame._table, keys, self, call, call_key, mode="rows")
        dtype = _value_counts_dtype(self._frame._select(keys + [name]), keys, name, normalize)
        return result if result.dtype == dtype else result.astype(dtype)

    @property
    def groups(self) -> dict:
        """{group key: the row labels of its rows}."""
        codes, keys, labels = self._host_groups()
        return {k: labels[codes == i] for i, k in enumerate(keys)}

    @property
    def indices(self) -> dict:
        """{group key: the positions of its rows}."""
        codes, keys, _ = self._host_groups()
        return {k: np.flatnonzero(codes == i) for i, k in enumerate(keys)}

    def _host_groups(self):
        g, frame = self.grouping, self._frame
        live = frame._live_host()
        codes = np.asarray(g.row_groups())
        keyed = np.ones(frame._capacity, bool)
        for k in self._keys:
            if self._dropna:
                keyed &= np.asarray(frame._columns[k].not_null())
        codes = np.where(keyed, codes, -1)
        if live is not None:
            codes = codes[live]
        key_values = [pd.Series(c.to_host()) for c in self._key_columns(exact=True)]
        if len(key_values) == 1:
            keys = list(key_values[0])
        else:
            keys = list(zip(*key_values))
        return codes, keys, frame.index

    def pipe(self, func: Any, *args: Any, **kwargs: Any):
        """``func(self, *args, **kwargs)``."""
        return pipe(self, func, args, kwargs)

    @property
    def ndim(self) -> int:
        return 1 if self._series_selection else 2

    @property
    def dtype(self):
        """The selected column's dtype, one entry per group (SeriesGroupBy)."""
        if not self._series_selection:
            raise AttributeError("'DataFrameGroupBy' object has no attribute 'dtype'")
        name = self._value_names()[0]
        n = self.ngroups() if callable(getattr(self, "ngroups", None)) else self.ngroups
        dtype = self._frame[name].dtype
        index = self._result_index(exact=True).to_pandas(None)
        return make_frame_or_series(pd.Series([dtype] * int(n), index=index, name=name, dtype=object))

    def _monotonic(self, increasing: bool):
        if not self._series_selection:
            raise AttributeError("is_monotonic_* is a SeriesGroupBy attribute")
        name = self._value_names()[0]
        col = self._frame._columns[name]
        g = self.grouping.as_sorted()
        values = col.data[g.perm]
        present = col.not_null()[g.perm] & g.live_sorted
        in_group = g.live_sorted
        same = jnp.concatenate([jnp.zeros(min(values.shape[0], 1), bool), g.ids[1:] == g.ids[:-1]])
        prev = jnp.concatenate([values[:1], values[:-1]])
        step_ok = (values >= prev) if increasing else (values <= prev)
        bad_row = in_group & (~present | (same & ~step_ok))
        from_seg = jnp.zeros(g.num_slots + 1, bool).at[jnp.clip(g.ids, 0, g.num_slots)].max(bad_row)[:g.num_slots]
        return self._series_of(name, Column(~g.finish(from_seg)))

    @property
    def is_monotonic_increasing(self):
        return self._monotonic(True)

    @property
    def is_monotonic_decreasing(self):
        return self._monotonic(False)

    def unique(self):
        """The distinct values of each group in order of appearance, as pandas gives them: an
        object Series holding one array per group. JaxFrames columns cannot hold arrays, so this
        is a host-computed method (like ``dtype``): the live key and value rows go to pandas and
        the answer is pandas' own object Series (raises TypeError inside jax.jit)."""
        if not self._series_selection:
            raise AttributeError("'DataFrameGroupBy' object has no attribute 'unique'")
        name = self._value_names()[0]
        frame = self._frame
        cols = {f"__key{i}": frame._columns[k] for i, k in enumerate(self._keys)}
        cols["__value"] = frame._columns[name]
        pdf = new_frame(cols, frame._index, frame._row_mask).to_pandas()
        temp = list(cols)[:-1]
        out = pdf.groupby(temp if self._by_list else temp[0], as_index=self._as_index, sort=self._sort,
                          dropna=self._dropna)["__value"].unique()
        label = self._result_label(name)
        renames = {**{t: k for t, k in zip(temp, self._keys)}, "__value": label}
        if isinstance(out, pd.DataFrame):
            return out.rename(columns=renames)
        out.index = out.index.set_names(list(self._keys) if isinstance(out.index, pd.MultiIndex) else self._keys[0])
        out.name = label
        return out

    # -- rows picked per group: take, nlargest, nsmallest (keys + row labels as the index) -----------
    def _result_label(self, name: Hashable) -> Hashable:
        return name

    def _picked_rows(self, picked: Any):
        """The value columns at the picked frame rows (group order), indexed by the keys and the
        row labels (pandas' apply-style index; without the keys for as_index=False/group_keys=False).
        ``picked``: (frame rows, how many: the rest is padding, masked), or None when there are no
        groups (pandas then gives the keys' empty index)."""
        names = self._value_names()
        if picked is None:
            positions, mask = jnp.zeros(0, jnp.int64), None
            index = grows.empty_result_index(self)
        else:
            positions, count = picked
            capacity = bucket_capacity(count)
            if capacity > positions.shape[0]:
                positions = jnp.concatenate([positions, jnp.zeros(capacity - positions.shape[0], jnp.int64)])
            positions = positions[:capacity]
            mask = None if capacity == count else jnp.arange(capacity) < count
            index = grows.keyed_index(self, positions, grows.with_keys(self))
        cols = {n: self._frame._columns[n].take(positions) for n in names}
        if self._series_selection:
            return new_series(cols[names[0]], index, mask, self._result_label(names[0]))
        return new_frame(cols, index, mask)

    def take(self, indices: Any, **kwargs: Any):
        """The rows at these positions within each group (negative: from the group's end), in
        group order: IndexError when a position is outside some group."""
        if kwargs:
            raise NotImplementedError(f"groupby.take with {sorted(kwargs)}")
        return self._picked_rows(grows.take_positions(self, indices))

    def _select_n(self, n: int, keep: str, largest: bool):
        how = "nlargest" if largest else "nsmallest"
        if not self._series_selection:
            raise AttributeError(f"'DataFrameGroupBy' object has no attribute {how!r}")
        if keep not in ("first", "last", "all"):
            raise ValueError('keep must be either "first", "last" or "all"')
        name = self._value_names()[0]
        col = self._frame._columns[name]
        if col.dtype.kind not in "biufMm":
            raise TypeError(f"Cannot use method '{how}' with dtype {self._frame[name].dtype}")
        picked = grows.select_n_positions(self, col, int(n), keep, largest)
        if picked is None and int(device_get(jnp.asarray(self.grouping.num_groups))):
            picked = (jnp.zeros(0, jnp.int64), 0)  # n <= 0 with groups: pandas keeps the keys + labels index
        return self._picked_rows(picked)

    def nlargest(self, n: int = 5, keep: str = "first"):
        """The n largest values of each group (pandas' Series.nlargest per group), indexed by
        the keys and the row labels."""
        return self._select_n(n, keep, True)

    def nsmallest(self, n: int = 5, keep: str = "first"):
        """The n smallest values of each group, indexed by the keys and the row labels."""
        return self._select_n(n, keep, False)

    # -- the group-by's own arguments ------------------------------------------------------------
    @property
    def keys(self) -> Any:
        """The ``by`` argument of the group-by (pandas' ``GroupBy.keys``)."""
        user = getattr(self, "_user_by", None)
        if user is not None:
            return user
        return self._keys if self._by_list else self._keys[0]

    @property
    def level(self) -> Any:
        """The ``level`` argument of the group-by: None (grouping by index levels is not built:
        ``groupby(level=...)`` raises NotImplementedError)."""
        return None

    def sample(self, n: Any = None, frac: Any = None, replace: bool = False, weights: Any = None,
               random_state: Any = None):
        """Random rows of each group, drawn with pandas' own sampler and random state, group by
        group in group order, so a seed gives pandas' rows."""
        from_pandas_sample = _pandas_sample()
        if weights is not None:
            raise NotImplementedError("groupby.sample(weights=...)")
        size = from_pandas_sample.process_sampling_size(n, frac, replace)
        if size is None:
            assert frac is not None
        rng = pd.core.common.random_state(random_state)
        codes, keys, _ = self._host_groups()
        picked = []
        for i in range(len(keys)):
            members = np.flatnonzero(codes == i)
            sample_size = size if size is not None else round(frac * len(members))
            chosen = from_pandas_sample.sample(len(members), size=sample_size, replace=replace, weights=None,
                                               random_state=rng)
            picked.append(members[chosen])
        positions = np.concatenate(picked) if picked else np.zeros(0, np.int64)
        names = self._value_names() if self._selection is not None else list(self._frame._columns)
        out = self._frame._select(names)._keep_positions(positions)
        return out[names[0]] if self._series_selection else out


def _level_column(level: pd.Series) -> Column:
    """One index level of a value_counts result; extension dtypes (Int64, boolean, string) are
    kept, since ``to_numpy`` would turn a nullable int level into float64."""
    if isinstance(level.dtype, np.dtype) and level.dtype.kind in "biuf":
        return colmod.from_values(level.to_numpy())
    return colmod.from_values(level)


def _value_counts_dtype(frame: Any, keys: list, name: Hashable, normalize: bool) -> object:
    """pandas' dtype for the counts, which follows the value column's family (Int64/Float64 for
    masked or NA-string values, Arrow types for Arrow values): asked of pandas on an empty sample."""
    dtypes = frame.dtypes
    sample = pd.DataFrame({i: pd.Series(dtype=dtypes.iloc[i]) for i in range(len(dtypes))})
    by = [frame.columns.get_loc(k) for k in keys]
    dtype = sample.groupby(by)[frame.columns.get_loc(name)].value_counts(normalize=normalize).dtype
    try:
        jdt.from_pandas(dtype)
    except TypeError:
        raise NotImplementedError(f"groupby value_counts of a {dtypes.iloc[-1]} column: pandas gives {dtype} "
                                  "counts, a dtype JaxFrames does not hold") from None
    return dtype


def _pandas_sample():
    return pd.core.sample


def _as(col: Column, dtype) -> Column:
    if col.dtype == dtype:
        return col
    data = col.data.astype(dtype.storage)
    if dtype.has_validity:
        return Column(data, col.not_null(), dtype)
    return Column(jnp.where(col.not_null(), data, jnp.nan), None, dtype)


def make_frame_or_series(obj: Any) -> Any:
    if isinstance(obj, pd.Series) and obj.dtype == object:
        return obj  # dtypes per group: pandas' own object Series (JaxFrames columns hold no dtypes)
    return make_series(obj) if isinstance(obj, pd.Series) else make_frame(obj)


class GroupByWindowMethods:
    """rolling, expanding, ewm and resample per group."""

    __slots__ = ()

    def resample(self, rule: Any, *args: Any, closed: Any = None, label: Any = None, on: Any = None,
                 level: Any = None, origin: Any = "start_day", offset: Any = None, include_groups: bool = False,
                 **kwargs: Any):
        """Resample each group's rows on its own time bins (fixed rules); the result is indexed
        by the group keys and the bin labels, as pandas' ``groupby(...).resample(...)``."""
        if args or kwargs:
            raise NotImplementedError("groupby().resample with positional or extra keyword arguments")
        if include_groups:
            raise NotImplementedError("groupby().resample(include_groups=True)")
        if not self._as_index:
            raise NotImplementedError("groupby(as_index=False).resample")
        return _resample.grouped_resample(self, rule, closed=closed, label=label, on=on, level=level,
                                          origin=origin, offset=offset)

    # -- windows per group (windows/grouped.py): the grouped rows in group order, one segment each --
    def _window_input(self, on: Any = None, keys_as_columns: bool = False):
        """(grouped table of the value columns, its Groups, whether the result is a frame). The
        key columns never enter a window (pandas drops them); ``on`` stays a column.
        ``keys_as_columns``: as_index=False moves the keys to leading columns (pandas does so
        for rolling only; expanding and ewm keep them in the index)."""
        frame = self._frame
        rows = grows.grouped_rows(self)
        positions = rows.positions
        names = [n for n in self._value_names() if n not in self._keys]
        if on is not None and on not in names and on in frame._columns and on not in self._keys \
                and self._selection is None:
            names.append(on)
        cols = {self._result_label(n): frame._columns[n].take(positions) for n in names}
        table = Table(cols, frame._index.take(positions), rows.mask(), None)
        start, end = rows.segments()
        keys_first = not self._as_index and keys_as_columns
        groups = _windows.Groups(
            start, end, None if keys_first else grows.keyed_index(self, positions),
            {k: frame._columns[k].take(positions) for k in self._keys} if keys_first else None)
        return table, groups, not self._series_selection, positions

    def rolling(self, window: Any, min_periods: Any = None, center: bool = False, win_type: Any = None,
                on: Any = None, closed: Any = None, step: Any = None, method: str = "single") -> Any:
        """Rolling windows within each group (never across groups): results indexed by the keys
        and the row labels, in group order; integer or time-based windows (``on=`` or a
        datetime index; each group's axis monotonic)."""
        table, groups, is_frame, _ = self._window_input(on, keys_as_columns=True)
        return _windows.GroupedRolling(table, is_frame, groups, window, min_periods, center, win_type, on, closed,
                                       step, method)

    def expanding(self, min_periods: int = 1, method: str = "single") -> Any:
        """Expanding windows from each group's first row (the keys stay in the index even with
        as_index=False, as in pandas)."""
        table, groups, is_frame, _ = self._window_input()
        return _windows.GroupedExpanding(table, is_frame, groups, min_periods, method)

    def ewm(self, com: Any = None, span: Any = None, halflife: Any = None, alpha: Any = None,
            min_periods: Any = 0, adjust: bool = True, ignore_na: bool = False, times: Any = None,
            method: str = "single") -> Any:
        """Exponentially weighted windows restarted at each group (mean, sum, var, std)."""
        table, groups, is_frame, positions = self._window_input()
        checked = EWM(table if times is None else self._frame._table, is_frame, com, span, halflife, alpha,
                      min_periods, adjust, ignore_na, times, method)
        grouped_times = None if checked._times is None else checked._times[positions]
        return _windows.GroupedEWM(table, is_frame, groups, checked, grouped_times)
