"""resample: a group-by on time bins, with pandas' bins, labels and empty-bin rules.

Bins come from pandas' own edge rules run on the first and last timestamp (bins.py: one host
sync for the time range). Rows get their bin on the device: ``(t - first_edge) // step`` when
the edges are evenly spaced (fixed rules: s, min, h, D, ...), a ``searchsorted`` over the
edges otherwise (calendar rules: ME, QE, YE, MS, W). Bin ids are dense slots, so the
scatter-based group-by aggregations run without a sort (median and nunique sort the ids).

pandas shows every bin between the first and the last, empty ones included: sums of empty bins
are 0 (prod 1, count/size/nunique 0), everything else is null, and a numpy int/bool min, max,
first or last becomes float64 with NaN when some bin is empty (a second host sync decides it).
Rows with a null time (NaT) and dead rows are in no bin.
"""

from __future__ import annotations

import functools
from typing import Any, Hashable

import jax
import jax.numpy as jnp
import numpy as np
import pandas as pd
from pandas.errors import DataError

from jaxframes import column as colmod
from jaxframes import dtypes as jdt
from jaxframes.column import Column
from jaxframes.groupby.aggregations import AGGREGATIONS, group_sizes
from jaxframes.groupby.grouper import Grouping
from jaxframes.groupby.grouper import build as build_grouping
from jaxframes.index import Index, MultiIndex
from jaxframes.kernels.segments import seg_max, seg_min, segment_stats
from jaxframes.kernels.keys import SortKey, key_range
from jaxframes.kernels.sort import argsort
from jaxframes.sharding import bucket_capacity
from jaxframes.sync import device_get
from jaxframes.table import is_series, is_traced, new_frame, new_series
from jaxframes.timeseries import bins as binmod

# Aggregations that pandas answers with null for an empty bin, keeping the column's dtype
# when it can hold a null; numpy int/bool columns become float64.
_NULL_WHEN_EMPTY = ("min", "max", "first", "last")
METHODS = ("sum", "prod", "mean", "median", "min", "max", "first", "last", "std", "var", "count",
           "nunique", "size", "ohlc")
_OHLC = (("open", "first"), ("high", "max"), ("low", "min"), ("close", "last"))


@functools.partial(jax.jit, static_argnames=("step", "closed", "num_slots"))
def _arith_ids(times, valid, first_edge, num_bins, *, step: int, closed: str, num_slots: int):
    """Bin ids by floor division of int64 instants; ``step`` is static, so the compiler divides by
    a constant (a multiply and a shift, not an integer division per row)."""
    rel = times - first_edge
    ids = rel // step if closed == "left" else (rel - 1) // step
    ok = valid & (ids >= 0) & (ids < num_bins)
    return jnp.where(ok, ids, num_slots), ok


@functools.partial(jax.jit, static_argnames=("closed", "num_slots"))
def _search_ids(times, valid, edges, *, closed: str, num_slots: int):
    ids = jnp.searchsorted(edges, times, side="right" if closed == "left" else "left").astype(jnp.int64) - 1
    ok = valid & (ids >= 0) & (ids < edges.shape[0] - 1)
    return jnp.where(ok, ids, num_slots), ok


@jax.jit
def _in_time_order(times: jax.Array, valid: jax.Array) -> jax.Array:
    """Whether the valid rows' times never decrease in row order."""
    if times.shape[0] == 0:
        return jnp.asarray(True)
    low = jnp.iinfo(jnp.int64).min
    running = jax.lax.cummax(jnp.where(valid, times, low))
    before = jnp.concatenate([jnp.full(1, low, times.dtype), running[:-1]])
    return jnp.all(~valid | (times >= before))


_FAST = ("sum", "mean", "min", "max", "count")


def _stats(data, ids, live, *, num_slots: int, nan_null: bool) -> dict:
    """Counts of present values, sums, minima and maxima per slot in one pass (the C++
    segment-stats kernel on the CPU, its scatter twin elsewhere)."""
    count, total, low, high = segment_stats(data, ids, live, num_slots, nan_null)
    return {"count": count, "sum": total, "min": low, "max": high}


class _State:
    """The bins of one resample: groupings over dense slots, the result index and row mask."""

    def __init__(self, grouping: Grouping | None, num_bins: int, index: Index):
        self.grouping, self.num_bins, self.index = grouping, num_bins, index
        self._sorted: Grouping | None = None
        self._any_empty: bool | None = None
        self._time_ordered: Grouping | None = None

    @property
    def num_slots(self) -> int:
        return 0 if self.grouping is None else self.grouping.num_slots

    def mask(self) -> jax.Array | None:
        if self.num_slots == self.num_bins:
            return None
        return jnp.asarray(np.arange(self.num_slots) < self.num_bins)

    def sorted(self) -> Grouping:
        """The same slots with the rows sorted by slot (median and nunique need runs)."""
        if self._sorted is None:
            g = self.grouping
            perm = argsort([SortKey(g.ids, kind="i")])
            self._sorted = Grouping(perm, g.ids[perm], True, g.live_sorted[perm], g.num_slots, None,
                                    g.num_groups, g.group_rows, (), g.live, True)
        return self._sorted

    def time_ordered(self, times: Column) -> Grouping:
        """A grouping whose rows run in time order (first/last follow time, as pandas sorts by
        time first; ties keep row order): the plain one when the rows already are in order."""
        if self._time_ordered is None:
            g = self.grouping
            if bool(device_get(_in_time_order(times.data, g.live_sorted))):
                self._time_ordered = g
            else:
                perm = argsort([SortKey(g.ids, kind="i"), SortKey(times.data, kind="M")])
                self._time_ordered = Grouping(perm, g.ids[perm], True, g.live_sorted[perm], g.num_slots, None,
                                              g.num_groups, g.group_rows, (), g.live, True)
        return self._time_ordered

    def occupied(self) -> jax.Array:
        g = self.grouping
        return group_sizes(g).data > 0

    def any_empty(self) -> bool:
        if self._any_empty is None:
            self._any_empty = bool(device_get(jnp.any(~self.occupied()[: self.num_bins])))
        return self._any_empty


class Resampler:
    """``obj.resample(rule, ...)``: aggregate each time bin (pandas' Resampler API)."""

    def __init__(self, table: Any, times: Column, time_name: Hashable, names: list[Hashable],
                 series: bool, grouper: Any):
        self._table, self._times, self._time_name = table, times, time_name
        self._names, self._series, self._grouper = names, series, grouper
        self._state_cache: list[_State] = []

    # -- bins ------------------------------------------------------------------------------------
    def _state(self) -> _State:
        if self._state_cache:
            return self._state_cache[0]
        state = self._build_state()
        self._state_cache.append(state)
        return state

    def _build_state(self) -> _State:
        times, live = self._times, self._table.live()
        if is_traced(times.data, live):
            raise NotImplementedError("resample inside jax.jit: the number of bins depends on the data; "
                                      "resample outside jit")
        unit = times.dtype.unit
        valid = live & times.not_null()
        (found, low, high), any_nat = device_get((key_range(times.data, valid), jnp.any(live & ~valid)))
        found, low, high = int(found), int(low), int(high)
        if not found:
            labels = binmod.empty_labels(self._grouper, unit, self._time_name, jdt.tz_of(times.dtype))
            grouping = None
            if any_nat:  # pandas groups the NaT rows into no bin: the group-by's dtypes, no rows
                none = jnp.zeros(live.shape[0], bool)
                grouping = Grouping(None, jnp.zeros(live.shape[0], jnp.int64), False, none, 0, None, 0,
                                    jnp.zeros(0, jnp.int64), (), none, True)
            state = _State(grouping, 0, _index_of(labels, 0))
        else:
            b = binmod.compute(self._grouper, low, high, unit, self._time_name, jdt.tz_of(times.dtype))
            num_bins = len(b.labels)
            num_slots = bucket_capacity(num_bins)
            if b.step is not None:
                ids, ok = _arith_ids(times.data, valid, np.int64(b.edges[0]), np.int64(num_bins), step=int(b.step),
                                     closed=b.closed, num_slots=num_slots)
            else:
                ids, ok = _search_ids(times.data, valid, jnp.asarray(b.edges), closed=b.closed, num_slots=num_slots)
            grouping = Grouping(None, ids, False, ok, num_slots, None, num_bins,
                                jnp.zeros(num_slots, jnp.int64), (), ok, True)
            labels = b.labels if not any_nat else b.labels._with_freq(None)  # pandas: NaT drops the freq
            state = _State(grouping, num_bins, _index_of(labels, num_slots))
        return state

    # -- one column, one aggregation -----------------------------------------------------------
    def _column(self, name: Hashable, how: str, **kwargs: Any) -> Column:
        col = self._table.columns[name]
        state = self._state()
        if state.grouping is None:
            return _empty_result(col, how)
        if how in ("median", "nunique"):
            grouping = state.sorted()
        elif how in ("first", "last"):
            grouping = state.time_ordered(self._times)
        else:
            grouping = state.grouping
        out = AGGREGATIONS[how](col, grouping, **kwargs)
        if how in _NULL_WHEN_EMPTY and col.dtype.kind in "biu" and not col.dtype.masked and state.any_empty():
            out = Column(jnp.where(state.occupied(), out.data.astype(jnp.float64), jnp.nan), None, jdt.FLOAT64)
        return out

    def _result(self, columns: dict[Hashable, Column], as_series: bool):
        state = self._state()
        if as_series:
            (name, col), = columns.items()
            return new_series(col, state.index, state.mask(), name)
        return new_frame(columns, state.index, state.mask())

    def _simple(self, how: str, **kwargs: Any):
        if how == "size":
            return self.size()
        if how == "ohlc":
            return self.ohlc()
        return self._result({n: self._column(n, how, **kwargs) for n in self._names}, self._series)

    # -- pandas' Resampler API -----------------------------------------------------------------
    def __getitem__(self, key: Any) -> "Resampler":
        if self._series:
            raise IndexError("Column(s) already selected")  # pandas' message for a Series resampler
        keys = list(key) if isinstance(key, (list, tuple)) else [key]
        missing = [k for k in keys if k not in self._names]
        if missing:
            raise KeyError(f"Column(s) {missing} do not exist")
        return self._sub(keys, not isinstance(key, (list, tuple)))

    def _sub(self, names: list[Hashable], series: bool) -> "Resampler":
        """The same bins over other value columns."""
        out = object.__new__(type(self))
        out.__dict__.update(self.__dict__)
        out._names, out._series = names, series
        return out

    def __getattr__(self, name: str):
        if not name.startswith("_") and name in self._names and not self._series:
            return self[name]
        raise AttributeError(f"'Resampler' object has no attribute {name!r}")

    def agg(self, func: Any = None, *args: Any, **kwargs: Any):
        """A name, a list of names, or a dict {column: name(s)}, as pandas' Resampler.agg."""
        if args or kwargs:
            raise NotImplementedError("resample().agg with extra arguments or named aggregations")
        if isinstance(func, dict):
            if self._series:
                raise NotImplementedError("resample().agg(dict) on a Series (nested renamer)")
            missing = [k for k in func if k not in self._names]
            if missing:
                raise KeyError(f"Column(s) {missing} do not exist")
            multi = any(isinstance(v, (list, tuple)) for v in func.values())
            cols = {}
            for name, hows in func.items():
                hows = [_how(h, in_list=True) for h in (hows if isinstance(hows, (list, tuple)) else [hows])]
                for how, col in zip(hows, self._columns_of(name, hows)):
                    cols[(name, how) if multi else name] = col
            return self._result(cols, False)
        if isinstance(func, (list, tuple)):
            hows = [_how(f, in_list=True) for f in func]
            if self._series:
                return self._result(dict(zip(hows, self._columns_of(self._names[0], hows))), False)
            return self._result({(n, how): col for n in self._names
                                 for how, col in zip(hows, self._columns_of(n, hows))}, False)
        return self._simple(_how(func))

    def _columns_of(self, name: Hashable, hows: list[str]) -> list[Column]:
        """Aggregations of one column: numpy float64/int64 sums, means, minima, maxima and
        counts come from one pass (segment_stats) that shares the null test and the counts."""
        col = self._table.columns[name]
        state = self._state()
        fast = (state.grouping is not None and col.dtype in (jdt.FLOAT64, jdt.INT64)
                and all(h in _FAST for h in hows))
        if not fast:
            return [self._column(name, how) for how in hows]
        g = state.grouping
        stats = _stats(col.data, g.ids, g.live_sorted, num_slots=g.num_slots, nan_null=col.dtype.kind == "f")
        count = stats["count"]
        out = []
        for how in hows:
            if how == "count":
                out.append(Column(count, None, jdt.INT64))
            elif how == "sum":
                out.append(Column(stats["sum"], None, col.dtype))
            elif how == "mean":
                mean = stats["sum"].astype(jnp.float64) / jnp.maximum(count, 1)
                out.append(Column(jnp.where(count > 0, mean, jnp.nan), None, jdt.FLOAT64))
            elif col.dtype.kind == "f":
                out.append(Column(jnp.where(count > 0, stats[how], jnp.nan), None, jdt.FLOAT64))
            elif state.any_empty():
                out.append(Column(jnp.where(count > 0, stats[how].astype(jnp.float64), jnp.nan), None, jdt.FLOAT64))
            else:
                out.append(Column(stats[how], None, jdt.INT64))
        return out

    aggregate = agg

    def sum(self, numeric_only: bool = False, min_count: int = 0):
        return self._simple("sum", min_count=min_count) if not numeric_only else self._numeric("sum", min_count=min_count)

    def prod(self, numeric_only: bool = False, min_count: int = 0):
        return self._simple("prod", min_count=min_count) if not numeric_only else self._numeric("prod", min_count=min_count)

    def mean(self, numeric_only: bool = False):
        return self._numeric("mean") if numeric_only else self._simple("mean")

    def median(self, numeric_only: bool = False):
        return self._numeric("median") if numeric_only else self._simple("median")

    def min(self, numeric_only: bool = False, min_count: int = 0):
        _no_min_count(min_count, "min")
        return self._numeric("min") if numeric_only else self._simple("min")

    def max(self, numeric_only: bool = False, min_count: int = 0):
        _no_min_count(min_count, "max")
        return self._numeric("max") if numeric_only else self._simple("max")

    def first(self, numeric_only: bool = False, min_count: int = 0, skipna: bool = True):
        _no_min_count(min_count, "first")
        if not skipna:
            raise NotImplementedError("resample().first(skipna=False)")
        return self._numeric("first") if numeric_only else self._simple("first")

    def last(self, numeric_only: bool = False, min_count: int = 0, skipna: bool = True):
        _no_min_count(min_count, "last")
        if not skipna:
            raise NotImplementedError("resample().last(skipna=False)")
        return self._numeric("last") if numeric_only else self._simple("last")

    def std(self, ddof: int = 1, numeric_only: bool = False):
        return self._numeric("std", ddof=ddof) if numeric_only else self._simple("std", ddof=ddof)

    def var(self, ddof: int = 1, numeric_only: bool = False):
        return self._numeric("var", ddof=ddof) if numeric_only else self._simple("var", ddof=ddof)

    def count(self):
        return self._simple("count")

    def nunique(self):
        return self._simple("nunique")

    def size(self):
        """Rows per bin: a Series (unnamed for a frame, the Series' name for a Series)."""
        state = self._state()
        if state.grouping is None:
            col = Column(jnp.zeros(0, jnp.int64), None, jdt.INT64)
        else:
            col = group_sizes(state.grouping)
        return new_series(col, state.index, state.mask(), self._names[0] if self._series else None)

    def ohlc(self):
        """open/high/low/close (first, max, min, last) of each numeric column."""
        for name in self._names:
            kind = self._table.columns[name].dtype.kind
            if kind in "UC":
                raise DataError("No numeric types to aggregate")
            if kind not in "biuf":
                raise NotImplementedError(f"resample().ohlc() of a {self._table.columns[name].dtype} column")
        state = self._state()
        cols = {}
        for name in self._names:
            for label, how in _OHLC:
                col = self._column(name, how)
                if state.grouping is None:
                    col = Column(jnp.zeros(0, jnp.float64), None, jdt.FLOAT64)
                cols[label if self._series else (name, label)] = col
        return self._result(cols, False)

    def _numeric(self, how: str, **kwargs: Any):
        names = [n for n in self._names if self._table.columns[n].dtype.kind in "biuf"]
        return self._sub(names, self._series)._simple(how, **kwargs)

    # -- not supported ---------------------------------------------------------------------------
    def apply(self, *args: Any, **kwargs: Any):
        raise NotImplementedError("resample().apply: use agg with named aggregations")

    def transform(self, *args: Any, **kwargs: Any):
        raise NotImplementedError("resample().transform")

    def quantile(self, *args: Any, **kwargs: Any):
        raise NotImplementedError("resample().quantile")

    def _upsample(self, name: str):
        raise NotImplementedError(f"resample().{name}() (upsampling): use asfreq for a finer grid")

    def ffill(self, limit: Any = None):
        return self._upsample("ffill")

    def bfill(self, limit: Any = None):
        return self._upsample("bfill")

    def nearest(self, limit: Any = None):
        return self._upsample("nearest")

    def asfreq(self, fill_value: Any = None):
        return self._upsample("asfreq")

    def interpolate(self, *args: Any, **kwargs: Any):
        return self._upsample("interpolate")


def _no_min_count(min_count: int, how: str) -> None:
    if min_count:
        raise NotImplementedError(f"resample().{how}(min_count={min_count})")


def _how(func: Any, in_list: bool = False) -> str:
    name = func if isinstance(func, str) else getattr(func, "__name__", None)
    if name not in METHODS or (in_list and name in ("size", "ohlc")):
        raise NotImplementedError(f"resample aggregation {func!r}: pass one of "
                                  f"{[m for m in METHODS if not in_list or m not in ('size', 'ohlc')]} by name")
    return name


def _index_of(labels: pd.DatetimeIndex, capacity: int) -> Index:
    col = colmod.from_pandas_series(pd.Series(labels.array, copy=False), capacity=max(capacity, len(labels)))
    return Index(col, labels.name, labels.freq)


def _empty_result(col: Column, how: str) -> Column:
    """pandas returns an empty resample as the object itself (its dtypes), except count (int64)."""
    if how == "count":
        return Column(jnp.zeros(0, jnp.int64), None, jdt.INT64)
    return col.take(jnp.zeros(0, jnp.int64))


def resample(obj: Any, rule: Any, closed: Any = None, label: Any = None, on: Any = None, level: Any = None,
             origin: Any = "start_day", offset: Any = None, convention: Any = None, group_keys: bool = False) -> Resampler:
    """The entry point behind DataFrame.resample / Series.resample."""
    table = obj._table
    grouper = binmod.time_grouper(rule, closed, label, origin, offset)
    if on is not None and level is not None:
        raise ValueError("The Grouper cannot specify both a key and a level!")
    names = list(table.columns)
    if on is not None:
        if is_series(obj):
            raise NotImplementedError("Series.resample(on=...)")
        if on not in table.columns:
            raise KeyError(on)
        times, time_name = table.columns[on], on
        names = [n for n in names if n != on]
    else:
        if level not in (None, 0) and level != getattr(table.index, "name", None):
            raise NotImplementedError(f"resample(level={level!r}) on an index with one level")
        index = table.index
        if not isinstance(index, Index):
            raise TypeError("Only valid with DatetimeIndex, TimedeltaIndex or PeriodIndex, but got an instance "
                            f"of '{'RangeIndex' if type(index).__name__ == 'RangeIndex' else 'MultiIndex'}'")
        times, time_name = index.column, index.name
    if times.dtype.kind == "m":
        raise NotImplementedError("resample over timedeltas (a TimedeltaIndex)")
    if times.dtype.kind != "M":
        if on is not None:
            raise TypeError("Only valid with DatetimeIndex, TimedeltaIndex or PeriodIndex, but got an instance "
                            "of 'Index'")
        raise TypeError("Only valid with DatetimeIndex, TimedeltaIndex or PeriodIndex, but got an instance of "
                        "'Index'")
    return Resampler(table, times, time_name, names, is_series(obj), grouper)


class GroupedResampler(Resampler):
    """``df.groupby(keys).resample(rule)``: each group gets its own bins (from its own first to
    its own last timestamp, empty bins included); the result is indexed by (keys..., time).
    One dense slot per (group, bin): slots of group k start at the bins of groups before it."""

    def __init__(self, table: Any, times: Column, time_name: Hashable, names: list[Hashable], series: bool,
                 grouper: Any, key_names: list[Hashable], dropna: bool):
        super().__init__(table, times, time_name, names, series, grouper)
        self._key_names, self._dropna = key_names, dropna

    def _build_state(self) -> _State:
        table, times = self._table, self._times
        live = table.live()
        if is_traced(times.data, live):
            raise NotImplementedError("groupby().resample inside jax.jit: the number of bins depends on the data")
        keys = [table.columns[k] for k in self._key_names]
        groups = build_grouping(keys, live, True, self._dropna)
        valid = groups.live & times.not_null() if groups.perm is None else None
        row_group = groups.row_groups()
        in_group = live & times.not_null()
        for col in keys if self._dropna else []:
            in_group = in_group & col.not_null()
        slots = groups.num_slots
        gid = jnp.where(in_group, row_group, slots)
        big, small = jnp.iinfo(jnp.int64).max, jnp.iinfo(jnp.int64).min
        lows = seg_min(jnp.where(in_group, times.data, big), gid, slots, False)
        highs = seg_max(jnp.where(in_group, times.data, small), gid, slots, False)
        count = groups.num_groups
        lows, highs, count = device_get((lows, highs, jnp.asarray(count)))
        del valid
        unit = times.dtype.unit
        firsts, steps, sizes, label_parts = [], [], [], []
        for k in range(int(count)):
            if lows[k] == big:  # a group whose times are all NaT has no bins
                firsts.append(0), steps.append(1), sizes.append(0)
                continue
            b = binmod.compute(self._grouper, int(lows[k]), int(highs[k]), unit, self._time_name,
                               jdt.tz_of(times.dtype))
            if b.step is None and len(b.edges) > 2:
                raise NotImplementedError(f"groupby().resample({self._grouper.freq.freqstr!r}): calendar rules "
                                          "per group (use a fixed rule such as 'h' or 'D')")
            firsts.append(int(b.edges[0])), steps.append(b.step or 1), sizes.append(len(b.labels))
            label_parts.append(b.labels)
        sizes_np = np.array(sizes + [0] * (slots - len(sizes)), np.int64)
        offsets = np.concatenate([[0], np.cumsum(sizes_np)[:-1]]).astype(np.int64)
        total = int(sizes_np.sum())
        num_slots = bucket_capacity(total)
        pad = slots - len(firsts)
        first_arr = jnp.asarray(np.array(firsts + [0] * pad, np.int64))
        step_arr = jnp.asarray(np.array(steps + [1] * pad, np.int64))
        ids, ok = _grouped_ids(times.data, in_group, gid, first_arr, step_arr, jnp.asarray(offsets),
                               jnp.asarray(sizes_np), closed=self._grouper.closed, num_slots=num_slots)
        grouping = Grouping(None, ids, False, ok, num_slots, None, total, jnp.zeros(num_slots, jnp.int64), (), ok, True)
        labels = (label_parts[0].append(label_parts[1:]).rename(self._time_name)
                  if label_parts else binmod.empty_labels(self._grouper, unit, self._time_name, jdt.tz_of(times.dtype)))
        time_col = _index_of(labels._with_freq(None), num_slots).column
        owner = np.repeat(np.arange(len(sizes_np)), sizes_np)
        owner = np.concatenate([owner, np.zeros(num_slots - total, np.int64)]) if num_slots > total else owner
        group_rows = groups.group_rows[jnp.asarray(owner, jnp.int64)] if total or num_slots else jnp.zeros(0, jnp.int64)
        key_cols = tuple(col.take(group_rows) for col in keys)
        index = MultiIndex((*key_cols, time_col), (*self._key_names, self._time_name))
        return _State(grouping, total, index)


@functools.partial(jax.jit, static_argnames=("closed", "num_slots"))
def _grouped_ids(times, valid, gid, firsts, steps, offsets, sizes, *, closed: str, num_slots: int):
    g = jnp.clip(gid, 0, max(firsts.shape[0] - 1, 0))
    rel = times - firsts[g]
    local = rel // steps[g] if closed == "left" else (rel - 1) // steps[g]
    ok = valid & (local >= 0) & (local < sizes[g])
    return jnp.where(ok, offsets[g] + local, num_slots), ok


def grouped_resample(gb: Any, rule: Any, closed: Any = None, label: Any = None, on: Any = None,
                     level: Any = None, origin: Any = "start_day", offset: Any = None) -> GroupedResampler:
    """The entry point behind DataFrameGroupBy.resample (the key columns are not aggregated)."""
    frame = gb._frame
    plain = resample(frame, rule, closed=closed, label=label, on=on, level=level, origin=origin, offset=offset)
    names = [n for n in gb._value_names() if n != on]
    return GroupedResampler(plain._table, plain._times, plain._time_name, names, gb._series_selection,
                            plain._grouper, list(gb._keys), gb._dropna)
