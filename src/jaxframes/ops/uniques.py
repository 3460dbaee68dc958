"""Uniqueness and membership: duplicated, drop_duplicates, unique, value_counts, isin, between.

Distinct rows come from the same stable sort as sort_values and group-by: runs of equal packed
keys are the distinct values; the stable order makes the first row of a run its first
occurrence. Nulls (NaN, NA, NaT) compare equal to each other here, as in pandas. Membership
tests on strings look the values up in the column's sorted dictionary (host work per value,
never per row; a device search inside jit, where the dictionary is traced) and compare codes
on device.
"""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
import pandas as pd

from jaxframes import dtypes as jdt
from jaxframes.column import Column
from jaxframes.distributed import rowwise
from jaxframes.distributed.sample_sort import is_distributed, sort_table
from jaxframes.errors import reject_inplace
from jaxframes.table import is_series, is_traced, new_frame, new_series
from jaxframes.index import Index, MultiIndex, RangeIndex
from jaxframes.kernels.keys import SortKey, pack_keys
from jaxframes.kernels.sort import argsort, sort_words, sorted_segments
from jaxframes.ops.elementwise import is_null_scalar
from jaxframes.ops.sorting import _reset_index, column_key, dead_last
from jaxframes.sharding import bucket_capacity
from jaxframes.sync import device_get

KEEPS = ("first", "last", False)


# -- duplicated / drop_duplicates / unique ----------------------------------------------------------
def duplicate_flags(cols: list[Column], live: jax.Array, keep: Any, sharding: Any = None) -> jax.Array:
    """Per physical row: True where the row repeats an earlier (keep='first'), a later
    (keep='last') or any other (keep=False) live row's key tuple. Dead rows: False. Rows split
    over several devices: rows meet by key range and the flags come back (distributed/rowwise)."""
    if keep not in KEEPS:
        raise ValueError("keep must be either 'first', 'last' or False")
    n = live.shape[0]
    if n == 0:
        return jnp.zeros(0, bool)
    if is_distributed(sharding):
        return _distributed_flags(cols, live, keep, sharding)
    perm, words = sort_words(pack_keys([dead_last(live), *(column_key(c) for c in cols)]).words)
    starts, _ = sorted_segments(words)
    ends = jnp.concatenate([starts[1:], jnp.ones(1, bool)])
    if keep == "first":
        dup_sorted = ~starts
    elif keep == "last":
        dup_sorted = ~ends
    else:
        dup_sorted = ~(starts & ends)
    return jnp.zeros(n, bool).at[perm].set(dup_sorted, unique_indices=True) & live


def _distributed_flags(cols: list[Column], live: jax.Array, keep: Any, sharding: Any) -> jax.Array:
    words = pack_keys([dead_last(live), *(column_key(c) for c in cols)]).words
    payload = [a for c in cols for a in ((c.data,) if c.validity is None else (c.data, c.validity))]
    # the static part of each column only: the compiled program (cached) keeps this closure
    specs = [(c.dtype, c.dictionary, c.validity is not None) for c in cols]

    def flags(received: list[jax.Array], valid: jax.Array) -> tuple[jax.Array]:
        it = iter(received)
        local = [Column(next(it), next(it) if masked else None, dtype, dictionary)
                 for dtype, dictionary, masked in specs]
        return (duplicate_flags(local, valid, keep),)

    key = ("duplicated", keep, tuple((str(c.dtype), c.validity is None, str(c.data.dtype), id(c.dictionary),
                                      getattr(c.dictionary, "code_bound", None)) for c in cols))
    (out,) = rowwise.by_key(words, live, payload, flags, key, sharding)
    return out & live


def _subset_columns(frame: Any, subset: Any) -> list[Column]:
    if subset is None:
        names = list(frame._columns)
    elif isinstance(subset, (list, tuple, pd.Index, np.ndarray, set)) and not (
            isinstance(subset, tuple) and subset in frame._columns):
        names = list(subset)
    else:
        names = [subset]
    missing = [n for n in names if n not in frame._columns]
    if missing:
        raise KeyError(pd.Index(missing))
    if not names:
        raise NotImplementedError("duplicated/drop_duplicates on a frame without columns")
    return [frame._columns[n] for n in names]


def frame_duplicated(frame: Any, subset: Any = None, keep: Any = "first") -> Any:
    """DataFrame.duplicated: a bool Series on the frame's rows."""
    flags = duplicate_flags(_subset_columns(frame, subset), frame._live(), keep, frame._sharding)
    return new_series(Column(frame._place(flags), None, jdt.BOOL), frame._index, frame._row_mask,
                              None, frame._sharding)


def series_duplicated(series: Any, keep: Any = "first") -> Any:
    """Series.duplicated: a bool Series on the same rows."""
    flags = duplicate_flags([series._column], series._live(), keep, series._sharding)
    return series._with_column(Column(flags, None, jdt.BOOL))


def drop_duplicates(container: Any, cols: list[Column], keep: Any = "first", inplace: bool = False,
                    ignore_index: bool = False) -> Any:
    """Rows kept through the row mask (no data moves unless ignore_index relabels)."""
    reject_inplace(inplace, "drop_duplicates")
    out = container._and_mask(~duplicate_flags(cols, container._live(), keep, container._sharding))
    return _reset_index(out) if ignore_index else out


def frame_drop_duplicates(frame: Any, subset: Any = None, keep: Any = "first", inplace: bool = False,
                          ignore_index: bool = False) -> Any:
    return drop_duplicates(frame, _subset_columns(frame, subset), keep, inplace, ignore_index)


def unique(series: Any) -> Any:
    """Distinct values in order of first appearance, as the array type pandas returns for the dtype
    (numpy array, IntegerArray, ArrowStringArray, DatetimeArray, ...). A host result: the distinct
    rows are found on device, only they travel, and pandas builds its array type from them.
    Row-sharded: the first-occurrence flags come from the key-range exchange (distributed/
    rowwise.py: no row-sized all-gather)."""
    kept = series._and_mask(~duplicate_flags([series._column], series._live(), "first", series._sharding))
    return kept.to_pandas().unique()


# -- value_counts ---------------------------------------------------------------------------------
def _counts_dtype(cols: list[Column], frame: bool, normalize: bool) -> jdt.DType:
    if not frame and cols[0].dtype.masked and cols[0].dtype.kind != "U":
        return jdt.NFLOAT64 if normalize else jdt.NINT64
    return jdt.FLOAT64 if normalize else jdt.INT64


def _distributed_value_counts(cols: list[Column], live: jax.Array, index_of: Any, frame: bool,
                              normalize: bool, sort: bool, ascending: bool, dropna: bool, sharding: Any) -> Any:
    """Row-sharded value_counts: the distributed group-by's size (partials of first appearance
    order, sort=False), then the distributed stable sort by count; the result stays row-sharded.
    A masked Series with dropna=False counts NA after every value of its count (pandas appends
    it): the NA group's flag is a sort key after the count (before first appearance)."""
    keys = list(range(len(cols)))
    values = new_frame(dict(zip(keys, cols)), RangeIndex(live.shape[0]), live, sharding)
    counts = values.groupby(keys if len(keys) > 1 else keys[0], sort=False, dropna=dropna).size()
    table = counts._table
    order = [dead_last(table.live())]
    if sort:
        order.append(SortKey(table.columns[None].data, kind="i", ascending=ascending))
    if not frame and cols[0].dtype.masked and not dropna:
        order.append(SortKey(~table.index.labels().not_null(), kind="b"))
    if len(order) > 1:
        table = sort_table(table, order)
    index = table.index
    labels = list(index.columns) if isinstance(index, MultiIndex) else [index.labels()]
    data, mask = table.columns[None].data, table.row_mask
    if normalize:
        total = jnp.sum(jnp.where(table.live(), data, 0))
        data = data / jnp.maximum(total, 1).astype(jnp.float64)
    dtype = _counts_dtype(cols, frame, normalize)
    data = data.astype(dtype.storage)
    column = Column(data, jnp.ones_like(data, dtype=bool) if dtype.masked else None, dtype)
    return new_series(column, index_of(labels), mask, "proportion" if normalize else "count", sharding)


def _value_counts(cols: list[Column], live: jax.Array, index_of: Any, frame: bool, normalize: bool,
                  sort: bool, ascending: bool, dropna: bool, bins: Any = None, sharding: Any = None) -> Any:
    if bins is not None:
        raise NotImplementedError("value_counts(bins=...) is not supported")
    for col in cols:
        if col.dtype.kind == "C":
            raise NotImplementedError("value_counts of a categorical column (pandas lists unused categories)")
        if col.dtype.kind == "d" and not frame:
            raise NotImplementedError(f"value_counts of a {col.dtype} column: pandas returns int64[pyarrow] "
                                      "counts, which value_counts does not give yet")
        if col.dtype == jdt.STRING and not frame:
            raise NotImplementedError("value_counts of a 'string' (pd.NA) column: pandas returns "
                                      "int64[pyarrow] counts, which JaxFrames does not hold")
    if dropna:
        for col in cols:
            live = live & col.not_null()
    if is_distributed(sharding) and live.shape[0]:
        return _distributed_value_counts(cols, live, index_of, frame, normalize, sort, ascending, dropna, sharding)
    counts, first_rows, valid, num_groups = distinct_groups(cols, live)
    if not frame and cols[0].dtype.masked and not dropna:
        # masked arrays count NA after every value (pandas appends it), before the stable sort
        null_group = ~cols[0].not_null()[first_rows]
        first_rows_order = jnp.where(null_group, jnp.iinfo(jnp.int64).max, first_rows)
    else:
        first_rows_order = first_rows
    if sort:
        order = argsort([dead_last(valid), SortKey(counts, kind="i", ascending=ascending),
                         SortKey(first_rows_order, kind="i")])
    else:
        order = argsort([dead_last(valid), SortKey(first_rows_order, kind="i")])
    traced = is_traced(num_groups)
    if not traced:  # the count's capacity bucket: similar counts reuse compiled kernels
        order = order[:min(bucket_capacity(num_groups), order.shape[0])]
    counts, rows, valid = counts[order], first_rows[order], valid[order]
    keys = [c.take(rows) for c in cols]
    dtype = _counts_dtype(cols, frame, normalize)
    data = counts
    if normalize:
        data = counts / jnp.maximum(jnp.sum(jnp.where(valid, counts, 0)), 1).astype(jnp.float64)
    data = data.astype(dtype.storage)
    column = Column(data, jnp.ones(data.shape, bool) if dtype.masked else None, dtype)
    mask = valid if traced or order.shape[0] != num_groups else None
    return new_series(column, index_of(keys), mask, "proportion" if normalize else "count")


def distinct_groups(cols: list[Column], live: jax.Array) -> tuple[jax.Array, jax.Array, jax.Array, Any]:
    """Per slot (capacity many, groups first in key order): (row count, first row, slot holds a
    group, number of groups). The count is a Python int eagerly, a device scalar inside jit."""
    n = live.shape[0]
    if n == 0:
        empty = jnp.zeros(0, jnp.int64)
        return empty, empty, jnp.zeros(0, bool), 0
    perm, words = sort_words(pack_keys([dead_last(live), *(column_key(c) for c in cols)]).words)
    starts, ids = sorted_segments(words)
    live_sorted = live[perm]
    counts = jax.ops.segment_sum(live_sorted.astype(jnp.int64), ids, num_segments=n, indices_are_sorted=True)
    big = jnp.iinfo(jnp.int64).max
    first = jax.ops.segment_min(jnp.where(live_sorted, perm, big), ids, num_segments=n, indices_are_sorted=True)
    num_groups = jnp.sum(starts & live_sorted, dtype=jnp.int64)
    valid = jnp.arange(n) < num_groups
    if not is_traced(num_groups):
        num_groups = int(device_get(num_groups))
    return counts, jnp.where(valid, first, 0), valid, num_groups


def series_value_counts(series: Any, normalize: bool = False, sort: bool = True, ascending: bool = False,
                        bins: Any = None, dropna: bool = True) -> Any:
    """Series.value_counts: counts per distinct value, index named after the Series."""
    return _value_counts([series._column], series._live(), lambda keys: Index(keys[0], series._name),
                         False, normalize, sort, ascending, dropna, bins, series._sharding)


def frame_value_counts(frame: Any, subset: Any = None, normalize: bool = False, sort: bool = True,
                       ascending: bool = False, dropna: bool = True) -> Any:
    """DataFrame.value_counts: counts per distinct row; a MultiIndex unless subset is one label."""
    if subset is None:
        names = list(frame._columns)
    elif isinstance(subset, (list, tuple, pd.Index, np.ndarray)) and not (
            isinstance(subset, tuple) and subset in frame._columns):
        names = list(subset)
    else:
        names = None
    if names is None:
        if subset not in frame._columns:
            raise KeyError(subset)
        index_of = lambda keys: Index(keys[0], subset)  # noqa: E731
        names = [subset]
    else:
        missing = [n for n in names if n not in frame._columns]
        if missing:
            raise KeyError(missing[0])
        if not names:
            raise NotImplementedError("value_counts of a frame without columns")
        index_of = lambda keys: MultiIndex(tuple(keys), tuple(names))  # noqa: E731
    return _value_counts([frame._columns[n] for n in names], frame._live(), index_of, True,
                         normalize, sort, ascending, dropna, None, frame._sharding)


# -- isin / between -------------------------------------------------------------------------------
def _values_list(values: Any) -> list:
    if is_series(values):
        return values.to_pandas().tolist()
    if isinstance(values, (str, bytes)) or not pd.api.types.is_list_like(values):
        raise TypeError("only list-like objects are allowed to be passed to isin(), "
                        f"you passed a `{type(values).__name__}`")
    if isinstance(values, dict):
        raise TypeError("isin with a dict is only supported on a DataFrame")
    if isinstance(values, (pd.Series, pd.Index, np.ndarray, pd.api.extensions.ExtensionArray)):
        return pd.Series(values).tolist()
    return list(values)


def _null_matches(dtype: jdt.DType, values: list) -> bool:
    """Whether a null row counts as a member (pandas' rules differ by dtype)."""
    if dtype.kind == "f" and not dtype.masked:
        return any(isinstance(v, (float, np.floating)) and np.isnan(v) for v in values)
    if dtype.masked:
        return any(v is pd.NA for v in values)
    if dtype.kind in "MmP":
        return any(v is pd.NaT or (isinstance(v, (np.datetime64, np.timedelta64)) and np.isnat(v))
                   for v in values)
    return any(is_null_scalar(v) for v in values)


def _targets(col: Column, values: list) -> np.ndarray | None:
    """The values as the column's storage (only those that can equal some row)."""
    kind = col.dtype.kind
    present = [v for v in values if not is_null_scalar(v)]
    if kind == "U":
        strings = [v for v in present if isinstance(v, str)]
        if not strings:
            return np.zeros(0, dtype=col.data.dtype)
        pos, found = col.dictionary.search(strings)
        if col.dictionary.is_traced:  # found is data: absent strings get code -1 (matches no row)
            return jnp.where(found, pos, -1).astype(col.data.dtype)
        return np.asarray(pos[found], dtype=col.data.dtype)
    if kind == "C":
        raise NotImplementedError("isin on a categorical column is not supported")
    if kind == "P":  # Periods of the column's frequency (others equal no row)
        freqstr = pd.Period(ordinal=0, freq=col.dtype.freq).freqstr
        return np.asarray([v.ordinal for v in present if isinstance(v, pd.Period) and v.freqstr == freqstr],
                          dtype=np.int64)
    if kind in "Mm":
        conv = pd.Timestamp if kind == "M" else pd.Timedelta
        out = []
        for v in present:
            if isinstance(v, (str, pd.Timestamp, pd.Timedelta, np.datetime64, np.timedelta64)) or (
                    hasattr(v, "year") and kind == "M"):
                try:  # a value with no exact form in the column's unit equals no row
                    held = conv(v)
                    exact = held.as_unit(col.dtype.unit, round_ok=False)
                    out.append(int(exact.asm8.view("i8")))
                except (ValueError, TypeError, OverflowError):
                    continue
        return np.asarray(out, dtype=np.int64)
    numbers = [v for v in present if isinstance(v, (int, float, bool, np.number, np.bool_))]
    if kind == "f":
        return np.asarray(numbers, dtype=col.data.dtype)
    if kind == "b":
        return np.asarray([bool(v) for v in numbers if v in (0, 1)], dtype=bool)
    info = np.iinfo(col.data.dtype)
    ints = [int(v) for v in numbers if float(v).is_integer() and info.min <= v <= info.max]
    return np.asarray(ints, dtype=col.data.dtype)


def isin_column(col: Column, values: list) -> Column:
    """Membership per row: bool (or 'boolean', never null, for masked dtypes)."""
    if col.dtype.kind == "d":
        raise NotImplementedError(f"isin on a {col.dtype} column is not supported yet")
    targets = _targets(col, values)
    present = col.not_null()
    hit = jnp.isin(col.data, jnp.asarray(targets)) & present if targets.size else jnp.zeros(col.data.shape, bool)
    if _null_matches(col.dtype, values):
        hit = hit | ~present
    if col.dtype.masked and col.dtype.kind != "U":
        return Column(hit, jnp.ones(hit.shape, bool), jdt.NBOOL)
    return Column(hit, None, jdt.BOOL)


def series_isin(series: Any, values: Any) -> Any:
    return series._with_column(isin_column(series._column, _values_list(values)))


def frame_isin(frame: Any, values: Any) -> Any:
    """DataFrame.isin with a list-like (every column) or a dict {column: values}."""
    if is_series(values) or type(values).__name__ == "DataFrame":
        raise NotImplementedError("DataFrame.isin with a Series/DataFrame (label alignment)")
    if isinstance(values, dict):
        lists = {k: _values_list(v) for k, v in values.items()}
        cols = {k: isin_column(c, lists.get(k, [])) for k, c in frame._columns.items()}
    else:
        listed = _values_list(values)
        cols = {k: isin_column(c, listed) for k, c in frame._columns.items()}
    return frame._with_columns(cols)


def between(series: Any, left: Any, right: Any, inclusive: str = "both") -> Any:
    """left <= s <= right with the chosen inclusive ends, via the comparison operators."""
    if inclusive == "both":
        return (series >= left) & (series <= right)
    if inclusive == "neither":
        return (series > left) & (series < right)
    if inclusive == "left":
        return (series >= left) & (series < right)
    if inclusive == "right":
        return (series > left) & (series <= right)
    raise ValueError("Inclusive has to be either string of 'both', 'left', 'right', or 'neither'.")
