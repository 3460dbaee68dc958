"""Row labels to columns and back: set_index, reset_index, rename_axis, droplevel, swaplevel,
reorder_levels.

An index is label columns aligned with the frame's physical rows (index.py), so moving a column
into the index, or an index level out into the columns, moves no data and keeps the row mask:
only reset_index to a fresh RangeIndex compacts (RangeIndex labels are physical positions, and
pandas numbers the live rows 0..n-1). A row MultiIndex is a tuple of label columns, never
Python tuples. Level lookups and their errors follow pandas' ``_get_level_number``.
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
from jaxframes.errors import reject_inplace
from jaxframes.index import AnyIndex, MultiIndex, RangeIndex
from jaxframes.sync import device_get
from jaxframes.table import is_frame, is_series, new_frame, place_column

_KEYS_ERR = ('The parameter "keys" may be a column key, one-dimensional array, or a list containing only '
             'valid column keys and one-dimensional arrays.')


# -- levels -----------------------------------------------------------------------------------------
level_number = idxmod.level_number


def _level_list(level: Any) -> list:
    return list(level) if isinstance(level, (list, tuple)) else [level]


def _container_parts(obj: Any) -> tuple[dict[Hashable, Column], Any]:
    return dict(obj._columns) if is_frame(obj) else {obj._name: obj._column}, obj._index


def _with_index(obj: Any, index: AnyIndex) -> Any:
    return obj._replace_rows(obj._row_mask, obj._place_index(index))


# -- set_index ---------------------------------------------------------------------------------------
def _is_array_key(key: Any) -> bool:
    return is_series(key) or isinstance(key, (pd.Index, pd.Series, np.ndarray, list)) or (
        hasattr(key, "shape") and hasattr(key, "dtype") and not isinstance(key, (str, bytes)))


def _positional_column(frame: Any, values: Any) -> Column:
    """An array key laid out on the frame's physical rows (value k on live row k), as pandas
    uses a set_index array key by position, never by label."""
    n = frame._num_rows()
    if is_series(values):
        col = values._compact_exact()._column
    elif isinstance(values, (pd.Index, pd.Series)):
        col = colmod.from_pandas_series(pd.Series(values, copy=False).reset_index(drop=True))
    else:
        if getattr(values, "ndim", 1) != 1:
            raise ValueError(_KEYS_ERR)
        col = colmod.from_values(values)
    if col.capacity != n:
        raise ValueError(f"Length mismatch: Expected {n} rows, received array of length {col.capacity}")
    if frame._row_mask is None:
        return place_column(col, frame._sharding)
    positions = jnp.asarray(np.flatnonzero(device_get(frame._row_mask)))
    data = jnp.zeros(frame._capacity, col.data.dtype).at[positions].set(col.data)
    validity = None if col.validity is None else jnp.zeros(frame._capacity, bool).at[positions].set(col.validity)
    return place_column(col.replace(data=data, validity=validity), frame._sharding)


def _key_name(key: Any) -> Hashable:
    if is_series(key):
        return key.name
    if isinstance(key, (pd.Index, pd.Series)):
        return key.name
    return None


def set_index(frame: Any, keys: Any, drop: bool = True, append: bool = False, inplace: bool = False,
              verify_integrity: bool = False) -> Any:
    """DataFrame.set_index: columns (by label) and arrays (by position) become the row labels."""
    reject_inplace(inplace, "set_index")
    keys = keys if isinstance(keys, list) else [keys]
    missing = []
    for key in keys:
        if _is_array_key(key):
            if getattr(key, "ndim", 1) != 1:
                raise ValueError(_KEYS_ERR)
            continue
        if isinstance(key, pd.MultiIndex):
            continue
        try:
            found = key in frame._columns
        except TypeError as err:
            raise TypeError(f"{_KEYS_ERR} Received column of type {type(key)}") from err
        if not found:
            missing.append(key)
    if missing:
        raise KeyError(f"None of {missing} are in the columns")
    levels: list[tuple[Hashable, Column]] = list(idxmod.levels_of(frame._index)) if append else []
    removed: list[Hashable] = []
    for key in keys:
        if isinstance(key, pd.MultiIndex):
            levels += [(key.names[i], _positional_column(frame, key.get_level_values(i)))
                       for i in range(key.nlevels)]
        elif _is_array_key(key):
            levels.append((_key_name(key), _positional_column(frame, key)))
        else:
            levels.append((key, frame._columns[key]))
            if drop:
                removed.append(key)
    index = idxmod.from_levels(levels)
    out = new_frame({k: c for k, c in frame._columns.items() if k not in removed}, frame._place_index(index),
                    frame._row_mask, frame._sharding)
    if verify_integrity:
        labels = out.index
        if not labels.is_unique:
            duplicates = labels[labels.duplicated()].unique()
            raise ValueError(f"Index has duplicate keys: {duplicates}")
    return out


# -- reset_index ------------------------------------------------------------------------------------
def _default_names(index: AnyIndex, names: Any, default: Hashable) -> list[Hashable]:
    """pandas' ``Index._get_default_index_names``."""
    if names is not None and isinstance(names, (str, int)):
        names = [names]
    if names is not None and not isinstance(names, list):
        raise ValueError("Index names must be str or 1-dimensional list")
    if not names:
        if isinstance(index, MultiIndex):
            return [f"level_{i}" if n is None else n for i, n in enumerate(index.names)]
        return [default] if index.name is None else [index.name]
    return list(names)


def _fresh_range(obj: Any) -> Any:
    """The live rows first, labelled 0..n-1 (the compacted tail stays masked)."""
    compact = obj._compact()
    return compact._replace_rows(compact._row_mask, RangeIndex(compact._capacity))


def reset_index(frame: Any, level: Any = None, drop: bool = False, inplace: bool = False, col_level: Any = 0,
                col_fill: Any = "", allow_duplicates: bool = False, names: Any = None) -> Any:
    """DataFrame.reset_index: index levels (all, or ``level``) become leading columns."""
    reject_inplace(inplace, "reset_index")
    if col_level != 0 or col_fill != "":
        raise NotImplementedError("reset_index(col_level=/col_fill=): MultiIndex columns are not supported")
    index = frame._index
    levels = idxmod.levels_of(index)
    chosen = list(range(len(levels)))
    new_index = None
    if level is not None:
        chosen = sorted({level_number(index, lev) for lev in _level_list(level)})
        if len(chosen) < len(levels):
            new_index = idxmod.from_levels([lv for i, lv in enumerate(levels) if i not in chosen])
    inserted: dict[Hashable, Column] = {}
    if not drop:
        default = "index" if "index" not in frame._columns else "level_0"
        labels = _default_names(index, names, default)
        for i in chosen:
            name = labels[i]
            if (name in frame._columns or name in inserted) and not allow_duplicates:
                raise ValueError(f"cannot insert {name}, already exists")
            if name in frame._columns or name in inserted:
                raise NotImplementedError("reset_index(allow_duplicates=True) with a repeated column name "
                                          "(duplicate column names are not supported)")
            inserted[name] = levels[i][1]
    cols = {**inserted, **frame._columns}
    if new_index is not None:
        return new_frame(cols, frame._place_index(new_index), frame._row_mask, frame._sharding)
    out = new_frame(cols, frame._index, frame._row_mask, frame._sharding)
    return _fresh_range(out)


def series_reset_index(series: Any, level: Any = None, drop: bool = False, name: Any = None,
                       inplace: bool = False, allow_duplicates: bool = False, *, name_given: bool = False) -> Any:
    """Series.reset_index: drop=True keeps a Series with new labels, else a DataFrame."""
    reject_inplace(inplace, "reset_index")
    if drop:
        index = series._index
        if level is not None:
            levels = idxmod.levels_of(index)
            chosen = sorted({level_number(index, lev) for lev in _level_list(level)})
            if len(chosen) < len(levels):
                return _with_index(series, idxmod.from_levels([lv for i, lv in enumerate(levels) if i not in chosen]))
        return _fresh_range(series)
    key = name if name_given else (0 if series._name is None else series._name)
    frame = new_frame({key: series._column}, series._index, series._row_mask, series._sharding)
    return reset_index(frame, level=level, allow_duplicates=allow_duplicates)


# -- names and levels ---------------------------------------------------------------------------------
def _index_names_from(index: AnyIndex, value: Any) -> list[Hashable]:
    """New level names from a scalar, a list, a dict {old: new} or a function of the old name."""
    old = idxmod.names_of(index)
    if isinstance(value, dict):
        return [value.get(n, n) for n in old]
    if callable(value):
        return [value(n) for n in old]
    if isinstance(value, (list, tuple)) and isinstance(index, MultiIndex):
        if len(value) != len(old):
            raise ValueError("Length of names must match number of levels in MultiIndex.")
        return list(value)
    if isinstance(index, MultiIndex):
        raise TypeError("Must pass list-like as `names`.")
    return [value]


def rename_axis(obj: Any, mapper: Any, index: Any, columns: Any, axis: Any, inplace: bool, no_default: Any) -> Any:
    """rename_axis: names of the row index levels (or of the column axis, frames only)."""
    reject_inplace(inplace, "rename_axis")
    if mapper is not no_default:
        if isinstance(mapper, dict) or callable(mapper):
            raise ValueError("Use `.rename` to alter labels with a mapper.")
        index = columns = no_default  # as pandas: the mapper wins over index=/columns=
        if axis_number(axis, owner_name(obj), default=None) == 1:
            columns = mapper
        else:
            index = mapper
    out = obj
    if index is not no_default:
        names = _index_names_from(obj._index, index)
        out = _with_index(out, idxmod.with_names(obj._index, names))
    if columns is not no_default:
        axis_labels = out.columns
        old = axis_labels.name
        new_name = columns.get(old, old) if isinstance(columns, dict) else columns(old) if callable(columns) else columns
        out = column_axis_named(out, axis_labels.rename(new_name))
    return out


def column_axis_named(frame: Any, labels: pd.Index) -> Any:
    """The frame with pandas column labels carrying a name (frame.py reads ``_column_axis``)."""
    out = frame._with_columns(frame._columns)
    out._column_axis = labels
    return out


def droplevel(obj: Any, level: Any, axis: Any = 0) -> Any:
    """Remove index levels (at least one must remain)."""
    if axis not in (0, "index", "rows"):
        raise NotImplementedError("droplevel(axis=1): MultiIndex columns are not supported")
    index = obj._index
    levels = idxmod.levels_of(index)
    chosen = sorted({level_number(index, lev) for lev in _level_list(level)})
    if len(chosen) >= len(levels):
        raise ValueError(f"Cannot remove {len(chosen)} levels from an index with {len(levels)} levels: "
                         "at least one level must be left.")
    return _with_index(obj, idxmod.from_levels([lv for i, lv in enumerate(levels) if i not in chosen]))


def swaplevel(obj: Any, i: Any = -2, j: Any = -1, axis: Any = 0) -> Any:
    """Swap two levels of a row MultiIndex."""
    if axis not in (0, "index", "rows"):
        raise NotImplementedError("swaplevel(axis=1): MultiIndex columns are not supported")
    index = obj._index
    if not isinstance(index, MultiIndex):
        raise TypeError("Can only swap levels on a hierarchical axis.")
    levels = idxmod.levels_of(index)
    a, b = level_number(index, i), level_number(index, j)
    levels[a], levels[b] = levels[b], levels[a]
    return _with_index(obj, idxmod.from_levels(levels))


def reorder_levels(obj: Any, order: Any, axis: Any = 0) -> Any:
    """Levels of a row MultiIndex in a new order (names or positions)."""
    if axis not in (0, "index", "rows"):
        raise NotImplementedError("reorder_levels(axis=1): MultiIndex columns are not supported")
    index = obj._index
    if not isinstance(index, MultiIndex):
        raise TypeError("Can only reorder levels on a hierarchical axis.")
    order = [level_number(index, lev) for lev in order]
    if len(order) != index.nlevels:
        raise AssertionError(f"Length of order must be same as number of levels ({index.nlevels}), "
                             f"got {len(order)}")
    levels = idxmod.levels_of(index)
    return _with_index(obj, idxmod.from_levels([levels[i] for i in order]))
