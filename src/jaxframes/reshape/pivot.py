"""pivot_table and pivot: group by index + column keys, then spread the column keys.

pivot_table follows pandas' steps: group-by aggregation (the shared sort-based group-by),
drop result rows whose values are all null (dropna), unstack the column keys (reshape/spread.py),
sort the column labels (sort), fill (fill_value), drop the value level for a single value, drop
all-null columns (dropna). pivot spreads the rows themselves (duplicates are an error).

Limits (NotImplementedError): margins=True; no ``index`` (pandas transposes); dropna=False with
several index or column keys or with null keys; eager only (the columns depend on the data).
"""

from __future__ import annotations

from typing import Any, Hashable

import jax
import jax.numpy as jnp
import numpy as np
import pandas as pd


from jaxframes import column as colmod
from jaxframes.column import Column
from jaxframes.index import Index, MultiIndex
from jaxframes.reshape.spread import Spread, _filled, column_axis
from jaxframes.table import new_frame


def _as_list(keys: Any) -> list:
    if keys is None:
        return []
    return list(keys) if isinstance(keys, (list, tuple)) else [keys]


def _is_list_like(obj: Any) -> bool:
    return isinstance(obj, (list, tuple, pd.Index))


def with_column_axis(frame: Any, axis: pd.Index) -> Any:
    """Attach pandas column labels (names, dtype, MultiIndex levels) that to_pandas reports."""
    frame._column_axis = axis
    return frame


def _row_index(keys: list[Column], names: list[Hashable]):
    return Index(keys[0], names[0]) if len(keys) == 1 else MultiIndex(tuple(keys), tuple(names))


def _check_keys(frame: Any, keys: list) -> None:
    for k in keys:
        if k not in frame._columns:
            raise KeyError(k)


def _key_columns(agged: Any) -> list[Column]:
    idx = agged._index
    return list(idx.columns) if isinstance(idx, MultiIndex) else [idx.column]


def _agg_name(func: Any) -> Any:
    return func if isinstance(func, str) else getattr(func, "__name__", func)


def _aggregate(frame: Any, keys: list, values: list, aggfunc: Any, sort: bool, dropna: bool):
    """The group-by result: one row per key combination, one column per (value[, aggfunc])."""
    gb = frame._select(keys + [v for v in values if v not in keys]).groupby(keys, sort=sort, dropna=dropna)
    if aggfunc is len:
        sizes = gb.size()
        sizes = sizes._column if hasattr(sizes, "_column") else sizes._columns["size"]
        # len counts rows (nulls included): int64 counts, cast back to a masked numeric column's dtype
        return gb._frame_of({v: _len_like(sizes, frame._columns[v]) for v in values})
    if isinstance(aggfunc, dict):
        return gb.agg(aggfunc)
    return gb.agg({v: aggfunc for v in values})


def _len_like(sizes: Column, col: Column) -> Column:
    return colmod.astype(sizes, col.dtype) if col.dtype.masked and col.dtype.kind in "if" else sizes


def _size_table(frame: Any, index_keys: list, column_keys: list, one_value: bool, fill_value: Any,
                sort: bool, dropna: bool) -> Any:
    """aggfunc='size': pandas' group-by gives ONE Series of group sizes whatever the values are,
    so the table is that Series (no column keys) or its unstacked frame (one column per
    column-key value, no value level)."""
    gb = frame._select(index_keys + column_keys).groupby(index_keys + column_keys, sort=sort, dropna=dropna)
    sizes = gb.size()
    if not column_keys:
        if one_value:  # pandas 3.1.1 then reads .columns of the Series
            raise AttributeError("'Series' object has no attribute 'columns' "
                                 "(pivot_table(aggfunc='size') with one values= column and no columns=)")
        return sizes
    if not sort:
        raise NotImplementedError("pivot_table(aggfunc='size', sort=False) with columns= (pandas' column order)")
    key_cols = list(sizes._index.columns) if isinstance(sizes._index, MultiIndex) else [sizes._index.column]
    spread = Spread(key_cols[:len(index_keys)], key_cols[len(index_keys):], sizes._live(), sort, sizes._live())
    axis = column_axis([("size",)], spread.column_labels, column_keys, 1).droplevel(0)
    cols = [c for c, u in zip(spread.columns_of(sizes._column, fill_value), spread.col_used) if u]
    axis = axis[spread.col_used] if len(axis) else axis
    return _finish(cols, axis, _row_index(spread.index_columns, index_keys), spread.row_mask, sort, False, dropna)


def pivot_table(frame: Any, values: Any = None, index: Any = None, columns: Any = None, aggfunc: Any = "mean",
                fill_value: Any = None, margins: bool = False, dropna: bool = True, margins_name: str = "All",
                observed: bool = True, sort: bool = True) -> Any:
    """pandas' pivot_table on the shared group-by; see the module docstring for the limits."""
    if margins:
        raise NotImplementedError("pivot_table(margins=True)")
    index_keys, column_keys = _as_list(index), _as_list(columns)
    _check_keys(frame, index_keys + column_keys)
    if not index_keys:
        raise NotImplementedError("pivot_table without index= (pandas transposes the result)")
    if isinstance(aggfunc, list):
        return _several_aggfuncs(frame, values, index, columns, aggfunc, fill_value, dropna, sort)
    keys = index_keys + column_keys
    values_passed = values is not None
    values_multi = _is_list_like(values)
    if values_passed:
        value_list = list(values) if values_multi else [values]
        for v in value_list:
            if v not in frame._columns:
                raise KeyError(v)
    else:
        value_list = [c for c in frame._columns if c not in keys]
    if not dropna:
        _check_dropna_false(frame, index_keys, column_keys)
    if isinstance(aggfunc, str) and aggfunc == "size":
        return _size_table(frame, index_keys, column_keys, values_passed and not values_multi, fill_value,
                           sort, dropna)
    agged = _aggregate(frame, keys, value_list, aggfunc, sort, dropna)
    key_cols = _key_columns(agged)
    live = agged._live()
    if dropna and agged._columns:
        present = jnp.zeros(live.shape, bool)
        for col in agged._columns.values():
            present = present | col.not_null()
        live = live & present
    if not column_keys:
        return _unspread(agged, key_cols, index_keys, live, fill_value, sort, dropna)
    # pandas drops all-null aggregates before unstacking: with sort=False the labels' order is the
    # first appearance among the rows left; with sort=True the groups' sorted levels stay.
    order_live = agged._live() if sort else live
    spread = Spread(key_cols[:len(index_keys)], key_cols[len(index_keys):], live, sort, order_live)
    prefixes = [label if isinstance(label, tuple) else (label,) for label in agged._columns]
    n_prefix = len(prefixes[0]) if prefixes else 1
    cols = [c for col in agged._columns.values() for c in spread.columns_of(col, fill_value)]
    axis = column_axis(prefixes, spread.column_labels, column_keys, n_prefix)
    used = np.tile(spread.col_used, len(prefixes))  # unstack makes no column for key values left unused
    cols = [c for c, u in zip(cols, used) if u]
    axis = axis[used] if len(axis) else axis
    return _finish(cols, axis, _row_index(spread.index_columns, index_keys), spread.row_mask,
                   sort, values_passed and not values_multi, dropna)


def _finish(cols: list[Column], axis: pd.Index, row_index: Any, row_mask: Any, sort: bool,
            drop_value_level: bool, dropna: bool) -> Any:
    """Column order (sort), the dropped value level and all-null columns, then the frame."""
    order = list(range(len(cols)))
    if sort and len(cols):
        order = pd.Series(order, index=axis).sort_index(kind="stable").to_list()
    if drop_value_level and axis.nlevels > 1:
        axis = axis.droplevel(0)
    if dropna and cols:
        live = jnp.ones(cols[0].capacity, bool) if row_mask is None else row_mask
        has_value = jax.device_get(jnp.stack([jnp.any(c.not_null() & live) for c in cols]))
        order = [i for i in order if has_value[i]]
    axis = axis.take(order)
    if not axis.is_unique:
        raise NotImplementedError("pivot_table result with duplicate column labels")
    labels = list(axis)
    frame = new_frame({labels[k]: cols[i] for k, i in enumerate(order)}, row_index, row_mask)
    return with_column_axis(frame, axis)


def _unspread(agged: Any, key_cols: list[Column], index_keys: list, live: jax.Array, fill_value: Any,
              sort: bool, dropna: bool) -> Any:
    """No column keys: the aggregation itself, rows with only nulls dropped, columns sorted."""
    cols = list(agged._columns.values())
    if fill_value is not None:
        cols = [_filled(c, c.data, c.not_null(), fill_value) for c in cols]
    axis = pd.Index(list(agged._columns))
    if axis.nlevels == 1 and len(axis) and all(isinstance(x, tuple) for x in axis):
        axis = pd.MultiIndex.from_tuples(list(axis))
    mask = None if live is agged._row_mask else live
    return _finish(cols, axis, _row_index(key_cols, index_keys), mask, sort, False, dropna)


def _check_dropna_false(frame: Any, index_keys: list, column_keys: list) -> None:
    if len(index_keys) > 1 or len(column_keys) > 1:
        raise NotImplementedError("pivot_table(dropna=False) with several index or column keys")
    live = frame._live()
    for k in index_keys + column_keys:
        if bool(jnp.any(live & ~frame._columns[k].not_null())):
            raise NotImplementedError("pivot_table(dropna=False) with null keys")


def _several_aggfuncs(frame: Any, values: Any, index: Any, columns: Any, aggfuncs: list, fill_value: Any,
                      dropna: bool, sort: bool) -> Any:
    """One table per aggfunc, side by side under the aggfunc names (pandas' concat(keys=...))."""
    tables = [pivot_table(frame, values, index, columns, f, fill_value, False, dropna, sort=sort)
              for f in aggfuncs]
    first = tables[0]
    for t in tables[1:]:
        if not t.index.equals(first.index):
            raise NotImplementedError("pivot_table with several aggfuncs whose tables keep different rows")
    names = [_agg_name(f) for f in aggfuncs]
    arrays, cols = [[] for _ in range(first._column_axis.nlevels + 1)], []
    for name, t in zip(names, tables):
        t = t._compact() if t._row_mask is not None else t
        for label, col in zip(t._column_axis, t._columns.values()):
            label = label if isinstance(label, tuple) else (label,)
            for level, value in enumerate((name,) + label):
                arrays[level].append(value)
            cols.append(col)
    level_names = [None] + list(first._column_axis.names)
    axis = pd.MultiIndex.from_arrays([pd.Index(a) for a in arrays], names=level_names)
    base = tables[0]._compact() if tables[0]._row_mask is not None else tables[0]
    labels = list(axis)
    out = new_frame(dict(zip(labels, cols)), base._index, base._row_mask)
    return with_column_axis(out, axis)


def pivot(frame: Any, *, columns: Any, index: Any = None, values: Any = None) -> Any:
    """Spread the rows themselves: one cell per (index, columns) pair; duplicates are a ValueError."""
    column_keys = _as_list(columns)
    _check_keys(frame, column_keys)
    if index is None:
        if isinstance(frame._index, MultiIndex):
            raise NotImplementedError("pivot on a frame with a MultiIndex")
        index_cols, index_names = [frame._index.labels()], [frame._index.name]
    else:
        index_names = _as_list(index)
        _check_keys(frame, index_names)
        index_cols = [frame._columns[k] for k in index_names]
    used = set(column_keys) | (set(index_names) if index is not None else set())
    values_multi = values is None or _is_list_like(values)
    value_list = [c for c in frame._columns if c not in used] if values is None else _as_list(values)
    _check_keys(frame, value_list)
    key_cols = index_cols + [frame._columns[k] for k in column_keys]
    live = frame._live()
    for k in key_cols:
        if bool(jnp.any(live & ~k.not_null())):
            raise NotImplementedError("pivot with null keys")
    spread = Spread(index_cols, key_cols[len(index_cols):], live, True)
    if int(jnp.sum(spread.filled)) != int(jnp.sum(live)):
        raise ValueError("Index contains duplicate entries, cannot reshape")
    if values_multi and any(frame._columns[v].dtype.masked for v in value_list):
        raise NotImplementedError("pivot with values=None or a list over nullable (masked) columns")
    cols = [c for v in value_list for c in spread.columns_of(frame._columns[v])]
    axis = column_axis([(v,) for v in value_list], spread.column_labels, column_keys, 1)
    if not values_multi and axis.nlevels > 1:
        axis = axis.droplevel(0)
    frame_out = new_frame(dict(zip(list(axis), cols)), _row_index(spread.index_columns, index_names))
    return with_column_axis(frame_out, axis)
