"""Label alignment: reindex, reindex_like, align, and lining up differently indexed operands
(arithmetic, assignment of a Series into a frame).

Which source row feeds each result row is pandas' own answer: the live labels come to the host
once and pandas' ``Index.reindex`` / ``Index.join(return_indexers=True)`` / ``get_indexer``
(vectorized, no Python loop) give the result labels and the indexers, with pandas' ordering
rules (sorted unions, duplicate handling, method='ffill'/'nearest', tolerance) and pandas'
errors ("cannot reindex on an axis with duplicate labels"). The data never leaves the device:
every column is gathered once with those indexers, and a row without a source becomes a null
with pandas' dtype rule (numpy int -> float64, bool -> object: NotImplementedError; see
joins/assemble.take_fill), only when some live result row is missing. Labels are host values,
so these operations are eager: inside ``jax.jit`` they raise NotImplementedError.
"""

from __future__ import annotations

from typing import Any, Hashable

import jax.numpy as jnp
import numpy as np
import pandas as pd

from jaxframes import column as colmod
from jaxframes import index as idxmod
from jaxframes.axes import axis_number, owner_name
from jaxframes.column import Column
from jaxframes.joins.assemble import take_fill
from jaxframes.ops import elementwise
from jaxframes.sharding import padded_capacity
from jaxframes.sync import device_get
from jaxframes.table import is_frame, is_series, new_frame, new_series, place_column

DUPLICATE_LABELS = "cannot reindex on an axis with duplicate labels"


def _check_eager(*objs: Any, what: str) -> None:
    for obj in objs:
        if obj._traced():
            raise NotImplementedError(f"{what} inside jax.jit: row labels are host values; align outside jit "
                                      "or give both operands the same index")


def _physical_rows(obj: Any) -> np.ndarray:
    """Physical row of each live position."""
    if obj._row_mask is None:
        return np.arange(obj._capacity, dtype=np.int64)
    return np.flatnonzero(device_get(obj._row_mask)).astype(np.int64)


def _fill(col: Column, idx: Any, missing: bool, fill_value: Any, name: Hashable) -> Column:
    if not missing or fill_value is None or _is_nan(fill_value):
        return take_fill(col, idx, missing, name)
    taken = take_fill(col, idx, False, name)
    return elementwise.where(taken, idx >= 0, fill_value)


def _is_nan(value: Any) -> bool:
    try:
        return value is not pd.NA and value is not pd.NaT and bool(pd.isna(value)) and isinstance(value, float)
    except (TypeError, ValueError):
        return False


def _constant_column(value: Any, capacity: int) -> Column:
    """A column missing from one side: all ``value`` (NaN: float64, as pandas)."""
    if value is None or _is_nan(value):
        return Column(jnp.full(capacity, jnp.nan, jnp.float64))
    return colmod.from_values(pd.Series([value] * capacity))


def take_labels(obj: Any, positions: np.ndarray | None, labels: pd.Index, fill_value: Any = None) -> Any:
    """``obj`` with rows at live ``positions`` (-1: no source row, a null or ``fill_value``) under
    the pandas index ``labels``. None: the same rows, relabelled."""
    if positions is None:
        positions = np.arange(len(labels), dtype=np.int64)
    positions = np.asarray(positions, dtype=np.int64)
    count = len(positions)
    physical = _physical_rows(obj)
    src = np.where(positions >= 0, physical[np.clip(positions, 0, max(len(physical) - 1, 0))]
                   if len(physical) else -1, -1)
    missing = bool((positions < 0).any())
    capacity = padded_capacity(count, obj._sharding)
    mask = None
    if capacity != count:
        src = np.concatenate([src, np.zeros(capacity - count, np.int64)])
        mask = obj._place(jnp.arange(capacity) < count)
    idx = jnp.asarray(src)
    index = obj._place_index(idxmod.from_pandas(labels, capacity))
    cols = {k: place_column(_fill(c, idx, missing, fill_value, k), obj._sharding) for k, c in _columns(obj).items()}
    if is_series(obj):
        (name, col), = cols.items()
        return new_series(col, index, mask, name, obj._sharding)
    out = new_frame(cols, index, mask, obj._sharding)
    axis = obj.__dict__.get("_column_axis")
    if axis is not None:
        out._column_axis = axis
    return out


def _columns(obj: Any) -> dict[Hashable, Column]:
    return dict(obj._columns) if is_frame(obj) else {obj._name: obj._column}


def with_columns(frame: Any, labels: pd.Index, positions: np.ndarray | None, fill_value: Any = None) -> Any:
    """The frame's columns picked/added by ``positions`` into the column list ``labels``."""
    names = list(frame._columns)
    if positions is None:
        positions = np.arange(len(names))
    cols: dict[Hashable, Column] = {}
    for label, pos in zip(labels, positions):
        if label in cols:
            raise NotImplementedError("duplicate column names are not supported")
        cols[label] = frame._columns[names[pos]] if pos >= 0 else _constant_column(fill_value, frame._capacity)
    out = frame._with_columns(cols)
    if labels.name is not None:
        out._column_axis = labels
    return out


def reindex_columns(frame: Any, labels: pd.Index, fill_value: Any = None) -> Any:
    """The frame's columns in the order ``labels``; labels it lacks become all-NaN columns."""
    new_cols, indexer = frame.columns.reindex(labels)
    return with_columns(frame, new_cols, indexer, fill_value)


# -- reindex -------------------------------------------------------------------------------------------
def _axis_number(obj: Any, axis: Any) -> int:
    return axis_number(axis, owner_name(obj), default=None)


def reindex(obj: Any, labels: Any = None, index: Any = None, columns: Any = None, axis: Any = None,
            method: Any = None, level: Any = None, fill_value: Any = None, limit: Any = None,
            tolerance: Any = None) -> Any:
    """DataFrame/Series.reindex: conform to new labels (pandas' Index.reindex decides the rows)."""
    if level is not None:
        raise NotImplementedError("reindex(level=...): broadcasting across a MultiIndex level")
    if labels is not None:
        if index is not None or columns is not None:
            raise TypeError("Cannot specify both 'labels' and 'index'/'columns'")
        if _axis_number(obj, 0 if axis is None else axis) == 1:
            columns = labels
        else:
            index = labels
    elif axis is not None:
        _axis_number(obj, axis)
    out = obj
    if columns is not None:
        current = obj.columns
        new_cols, indexer = current.reindex(columns)
        if indexer is not None and not current.is_unique:
            raise ValueError(DUPLICATE_LABELS)
        out = with_columns(obj, new_cols, indexer, fill_value)
    if index is not None:
        _check_eager(obj, what="reindex")
        current = obj.index
        new_index, indexer = current.reindex(index, method=method, limit=limit, tolerance=tolerance)
        out = take_labels(out, indexer, new_index, fill_value)
    return out


def reindex_like(obj: Any, other: Any, method: Any = None, limit: Any = None, tolerance: Any = None) -> Any:
    if is_frame(obj):
        if not is_frame(other):
            raise NotImplementedError("DataFrame.reindex_like with a Series")
        return reindex(obj, index=other.index, columns=other.columns, method=method, limit=limit, tolerance=tolerance)
    return reindex(obj, index=other.index, method=method, limit=limit, tolerance=tolerance)


# -- align ---------------------------------------------------------------------------------------------
def align_rows_by_label(a: Any, b: Any, how: str = "outer", fill_value: Any = None) -> tuple[Any, Any]:
    """Both containers on the joined row labels (pandas' ``Index.join``)."""
    _check_eager(a, b, what="aligning operands with different indexes")
    la, lb = a.index, b.index
    if la.equals(lb):
        return a, b
    joined, li, ri = la.join(lb, how=how, return_indexers=True)
    return take_labels(a, li, joined, fill_value), take_labels(b, ri, joined, fill_value)


def align_columns_by_label(a: Any, b: Any, how: str = "outer", fill_value: Any = None) -> tuple[Any, Any]:
    ca, cb = a.columns, b.columns
    if ca.equals(cb):
        return a, b
    joined, li, ri = ca.join(cb, how=how, return_indexers=True)
    return with_columns(a, joined, li, fill_value), with_columns(b, joined, ri, fill_value)


def align(obj: Any, other: Any, join: str = "outer", axis: Any = None, level: Any = None,
          fill_value: Any = None) -> tuple[Any, Any]:
    """DataFrame/Series.align: both objects on the joined labels of the chosen axes."""
    if level is not None:
        raise NotImplementedError("align(level=...): broadcasting across a MultiIndex level")
    if join not in ("outer", "inner", "left", "right"):
        raise ValueError(f"do not recognize join method {join}")
    if not (is_frame(other) or is_series(other)):
        raise TypeError(f"unsupported type: {type(other)}")
    if is_series(other) and is_frame(obj) and axis is None:
        raise ValueError("Must specify axis=0 or 1")
    ax = None if axis is None else _axis_number(obj, axis)
    a, b = obj, other
    if ax in (None, 0):
        if is_frame(obj) and is_series(other) and ax is None:
            raise ValueError("Must specify axis=0 or 1")
        a, b = align_rows_by_label(a, b, join, fill_value)
    if ax in (None, 1) and is_frame(obj):
        if is_series(other):
            raise NotImplementedError("DataFrame.align(Series, axis=1): aligning a Series with the columns")
        a, b = align_columns_by_label(a, b, join, fill_value)
    return a, b


# -- a Series assigned into a frame -----------------------------------------------------------------------
def column_on_frame_rows(frame: Any, series: Any) -> Column:
    """The Series' values on the frame's physical rows by label (pandas' reindex for setitem):
    frame labels the Series lacks become nulls; a Series with repeated labels raises."""
    _check_eager(frame, series, what="assigning a Series with a different index")
    target, source = frame.index, series.index
    if not source.is_unique:
        raise ValueError(DUPLICATE_LABELS)
    positions = source.get_indexer(target)
    src_phys = _physical_rows(series)
    live = positions >= 0
    picked = np.where(live, src_phys[np.clip(positions, 0, max(len(src_phys) - 1, 0))] if len(src_phys) else -1, -1)
    full = np.zeros(frame._capacity, np.int64)
    full[_physical_rows(frame)] = picked
    col = take_fill(series._column, jnp.asarray(full), bool((~live).any()), series._name)
    return place_column(col, frame._sharding)


# -- construction from differently indexed Series -----------------------------------------------------------
def union_labels(series: list) -> pd.Index:
    """The row labels pandas gives a frame built from a dict of Series (their union, sorted when
    they differ), read from the live labels."""
    from pandas.core.indexes.api import union_indexes

    _check_eager(*series, what="building a frame from Series with different indexes")
    labels, _ = union_indexes([s.index for s in series])
    return labels


def on_labels(obj: Any, labels: pd.Index) -> Any:
    """``obj`` reindexed to ``labels`` (pandas' reindex; repeated source labels raise)."""
    _check_eager(obj, what="reindex")
    current = obj.index
    if current.equals(labels):
        return take_labels(obj, None, labels)
    new_index, indexer = current.reindex(labels)
    return take_labels(obj, indexer, new_index)
