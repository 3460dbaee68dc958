"""Shape and position: transpose, squeeze, take, truncate, get, drop of Series rows, at/iat,
and the in-place pandas methods that immutable frames refuse (insert, pop, isetitem).

transpose gathers every value once on device: the columns are concatenated into one column of
pandas' common dtype (reshape/concat.py; an ``object`` result is refused) and result column r
takes the entries of source row r. The labels swap on the host (the row labels become column
names, so they are read once). Label-driven selections (truncate, Series.drop) let pandas pick
the live positions from the host labels, as .loc does (indexing.py), and gather on device.
"""

from __future__ import annotations

from typing import Any, Hashable

import jax.numpy as jnp
import numpy as np
import pandas as pd

from jaxframes import index as idxmod
from jaxframes.axes import axis_number, owner_name
from jaxframes.errors import ImmutableFrameError, reject_inplace
from jaxframes.indexing import ILocIndexer, LocIndexer, _take_positions
from jaxframes.reshape.concat import concat_columns
from jaxframes.table import is_frame, new_frame


# -- transpose -----------------------------------------------------------------------------------------
def transpose(frame: Any) -> Any:
    """DataFrame.T: rows become columns (one common dtype)."""
    if frame._traced():
        raise NotImplementedError("transpose inside jax.jit: the row labels become column names (host values)")
    row_labels = frame.index
    col_labels = frame.columns
    _check_transposable([c.dtype for c in frame._columns.values()])
    frame = frame._compact_exact()
    if not row_labels.is_unique:
        raise NotImplementedError("transpose of a frame with repeated row labels (they would be duplicate "
                                  "column names, which JaxFrames does not hold)")
    n, k = frame._capacity, len(frame._columns)
    index = idxmod.from_pandas(col_labels)
    if k == 0 or n == 0:
        out = new_frame({}, index) if n == 0 else None
        if out is None:
            raise NotImplementedError("transpose of a frame without columns")
        out._column_axis = row_labels[:0]
        return out
    values = concat_columns(list(frame._columns.values()))  # entry c * n + r
    gather = jnp.arange(k, dtype=jnp.int64) * n
    cols = {label: values.take(gather + r) for r, label in enumerate(row_labels)}
    out = new_frame(cols, index)
    out._column_axis = row_labels
    return out


def _check_transposable(dtypes: list) -> None:
    """pandas keeps one dtype when all columns share it; mixed numpy dtypes take their common
    dtype; any other mix (an extension dtype such as str or Int64 among others) is object."""
    if len(set(dtypes)) <= 1:
        return
    if any(d.kind == "U" or d.has_validity and d.kind not in "Mm" for d in dtypes):
        raise NotImplementedError(f"transpose of columns of dtypes {sorted(set(map(str, dtypes)))}: pandas gives "
                                  "object columns, which JaxFrames does not hold")


# -- squeeze / take / truncate / get ----------------------------------------------------------------------
def squeeze(obj: Any, axis: Any = None) -> Any:
    """pandas' squeeze: length-1 axes collapse (a 1x1 frame to a scalar)."""
    if is_frame(obj):
        axes = (0, 1) if axis is None else (axis_number(axis),)
        rows, cols = obj.shape
        key = (0 if 0 in axes and rows == 1 else slice(None), 0 if 1 in axes and cols == 1 else slice(None))
        return ILocIndexer(obj)[key]
    axis_number(axis, "Series")
    return ILocIndexer(obj)[0] if obj._num_rows() == 1 else obj


def take(obj: Any, indices: Any, axis: Any = 0) -> Any:
    """Rows (axis=0) or columns (axis=1) at positions; negatives count from the end."""
    positions = np.asarray(indices)
    if positions.ndim == 0:
        raise TypeError("indices must be array-like")  # pandas' message for a scalar
    if positions.size and positions.dtype.kind not in "iu":
        raise IndexError("arrays used as indices must be of integer (or boolean) type")
    positions = positions.astype(np.int64)
    along = axis_number(axis, owner_name(obj), default=None)
    n = len(obj._columns) if along == 1 else obj._num_rows()
    if positions.size and (positions.max() >= n or positions.min() < -n):
        raise IndexError("indices are out-of-bounds")
    positions = np.where(positions < 0, positions + n, positions)
    if along == 1:
        return ILocIndexer(obj)[:, list(positions)]
    return _take_positions(obj, positions)


def truncate(obj: Any, before: Any = None, after: Any = None, axis: Any = None) -> Any:
    """Rows with before <= label <= after (the index must be sorted)."""
    if axis_number(axis, owner_name(obj)) == 1:
        names = pd.Series(np.arange(len(obj._columns)), index=obj.columns).truncate(before, after)
        return ILocIndexer(obj)[:, list(names.to_numpy())]
    if obj._traced():
        raise NotImplementedError("truncate inside jax.jit (labels live on the host)")
    positions = pd.Series(np.arange(obj._num_rows(), dtype=np.int64), index=obj.index)
    kept = positions.truncate(before=before, after=after)
    return _take_positions(obj, kept.to_numpy(dtype=np.int64))


def get(obj: Any, key: Any, default: Any = None) -> Any:
    """obj[key], or ``default`` where pandas' lookup raises KeyError/ValueError/IndexError."""
    try:
        return obj[key]
    except (KeyError, ValueError, IndexError):
        return default


def series_drop(series: Any, labels: Any = None, axis: Any = 0, index: Any = None, columns: Any = None,
                level: Any = None, inplace: bool = False, errors: str = "raise") -> Any:
    """Series.drop: rows by label (pandas picks the positions on the host labels)."""
    reject_inplace(inplace, "drop")
    if series._traced():
        raise NotImplementedError("drop inside jax.jit (labels live on the host)")
    positions = pd.Series(np.arange(series._num_rows(), dtype=np.int64), index=series.index)
    kept = positions.drop(labels=labels, axis=axis, index=index, columns=columns, level=level, errors=errors)
    return _take_positions(series, kept.to_numpy(dtype=np.int64))


# -- .at / .iat ------------------------------------------------------------------------------------------
class AtIndexer(LocIndexer):
    """``obj.at[row, col]``: one value by labels (read-only: frames are immutable)."""

    _name = "at"

    def __getitem__(self, key: Any) -> Any:
        obj = self._obj
        if is_frame(obj):
            if not isinstance(key, tuple) or len(key) != 2:
                raise KeyError(key)  # pandas: a frame's .at needs (row, column)
        return super().__getitem__(key)


class IAtIndexer(ILocIndexer):
    """``obj.iat[i, j]``: one value by positions (read-only)."""

    _name = "iat"

    def __getitem__(self, key: Any) -> Any:
        parts = key if isinstance(key, tuple) else (key,)
        if len(parts) != (2 if is_frame(self._obj) else 1):
            raise ValueError("Not enough indexers for scalar access (getting)!" if len(parts) < 2 else
                             "Too many indexers")
        for part in parts:
            if not (isinstance(part, (int, np.integer)) and not isinstance(part, (bool, np.bool_))):
                raise ValueError("iAt based indexing can only have integer indexers")
        return super().__getitem__(key)


# -- mutating pandas methods -----------------------------------------------------------------------------
def refuse_insert(frame: Any, loc: Any, column: Hashable, value: Any, allow_duplicates: Any = False) -> None:
    raise ImmutableFrameError(
        "DataFrame.insert mutates the frame in place, and JaxFrames frames are immutable: use "
        f"df = df.assign(**{{{column!r}: value}}) and reorder with df[[...]] to place the column at {loc}")


def refuse_pop(frame: Any, item: Hashable) -> None:
    raise ImmutableFrameError(
        "DataFrame.pop removes the column in place, and JaxFrames frames are immutable: use "
        f"s = df[{item!r}]; df = df.drop(columns={item!r})")


def refuse_isetitem(frame: Any, loc: Any, value: Any) -> None:
    raise ImmutableFrameError(
        "DataFrame.isetitem sets a column in place, and JaxFrames frames are immutable: use "
        "df = df.assign(**{df.columns[loc]: value})")


def refuse_series_pop(series: Any, item: Hashable) -> None:
    raise ImmutableFrameError(
        "Series.pop removes the label in place, and JaxFrames Series are immutable: use "
        f"value = s[{item!r}]; s = s.drop({item!r})")
