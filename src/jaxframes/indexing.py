"""Read-only ``.iloc`` (positions) and ``.loc`` (labels) indexing for DataFrame and Series.

Row keys resolve to one of four row selections, each applied on device:

- a single live position -> a scalar (Series) or a row Series (DataFrame);
- a slice of live positions -> a static slice of an unmasked frame, else a row-mask AND
  (positive steps keep data in place and keep sharding) or a gather (negative steps);
- an array of live positions -> a gather (live positions map to physical rows through the
  compaction permutation, so no column is compacted whole);
- a boolean device mask -> a row-mask AND (a filter: no data moves).

Label lookups, and host keys whose pandas semantics are intricate (lists, boolean lists, aligned
pandas Series), go through pandas on the host over a Series of live positions: pandas itself then
decides the positions and raises its own exceptions. Frames are immutable: assignments raise;
``obj.loc.set(key, value)`` (and ``.iloc``/``.at``/``.iat``) is the same assignment returning a new
object: the rows resolve as above, the values and dtypes follow pandas (ops/setitem.py).
"""

from __future__ import annotations

from typing import Any, Hashable

import jax
import jax.numpy as jnp
import numpy as np
import pandas as pd

from jaxframes.axes import axis_number, owner_name
from jaxframes.executables import jit
from jaxframes.errors import ImmutableFrameError
from jaxframes.table import is_frame, is_series, is_traced, make_series
from jaxframes import index as idxmod
from jaxframes.index import MultiIndex, RangeIndex
from jaxframes.kernels.compact import compact_permutation
from jaxframes.sharding import padded_capacity
from jaxframes.ops import setitem as si

_ALL = slice(None)


class _Indexer:
    """Holds the indexed container; subclasses resolve keys to row selections."""

    _name = ""

    def __init__(self, obj: Any):
        self._obj = obj

    def __setitem__(self, key: Any, value: Any) -> None:
        raise ImmutableFrameError(
            f"frames are immutable: assignment through .{self._name}[...] is not supported; "
            f"obj = obj.{self._name}.set(key, value) returns a new object with the values set "
            "(or df.assign(...), df.where(...)/df.mask(...))")

    def set(self, key: Any, value: Any) -> Any:
        """A new object with ``value`` set at ``key``: what ``obj.<indexer>[key] = value`` does in
        pandas (same rows, value alignment, dtype changes and errors), without mutation. Adding
        rows or columns (enlargement) raises NotImplementedError."""
        return set_values(self, key, value)

    def __getitem__(self, key: Any) -> Any:
        obj = self._obj
        if is_frame(obj):
            rows, cols = _split_frame_key(key, obj)
            if cols is _ALL or (isinstance(cols, slice) and cols == _ALL):
                return self._rows(obj, rows)
            picked = self._columns(obj, cols)
            if isinstance(picked, list):
                return self._rows(obj._with_columns({n: obj._columns[n] for n in picked}), rows)
            return self._rows(obj._series(picked), rows)
        if isinstance(key, tuple):
            raise pd.errors.IndexingError("Too many indexers")
        return self._rows(obj, key)

    def _columns(self, frame: Any, key: Any) -> Hashable | list[Hashable]:
        raise NotImplementedError

    def _rows(self, obj: Any, key: Any) -> Any:
        raise NotImplementedError


class ILocIndexer(_Indexer):
    """Positional selection: ``obj.iloc[rows]``, ``df.iloc[rows, cols]``. Positions count live rows."""

    _name = "iloc"

    def _columns(self, frame: Any, key: Any) -> Hashable | list[Hashable]:
        names = list(frame._columns)
        return _picked_names(names, pd.Series(np.arange(len(names), dtype=np.int64)).iloc[_host_key(key)])

    def _rows(self, obj: Any, key: Any) -> Any:
        if callable(key):
            key = key(obj)
        if isinstance(key, slice):
            return _take_slice(obj, key)
        if _is_int(key):
            n = obj._num_rows()
            pos = int(key)
            if not -n <= pos < n:
                raise IndexError("single positional indexer is out-of-bounds")
            return _one_row(obj, pos + n if pos < 0 else pos)
        if is_series(key) and key._column.dtype.kind == "b":
            return _and_bool_key(obj, key)
        if isinstance(key, jax.Array):
            if key.dtype == jnp.bool_:
                return _and_bool_key(obj, key)
            if is_traced(key):
                return _take_traced_positions(obj, key)
        key = _host_key(key)
        n = obj._num_rows()
        labels = obj.index if isinstance(key, pd.Series) else pd.RangeIndex(n)
        picked = pd.Series(np.arange(n, dtype=np.int64), index=labels).iloc[key]
        return _apply_host_pick(obj, picked)


def _picked_names(names: list[Hashable], picked: Any) -> Hashable | list[Hashable]:
    """Column names for what pandas picked from a Series of column positions (one or several)."""
    if isinstance(picked, pd.Series):
        return [names[i] for i in picked.to_numpy()]
    return names[int(picked)]


class LocIndexer(_Indexer):
    """Label selection: ``obj.loc[labels]``, ``df.loc[rows, cols]``; slices include their end."""

    _name = "loc"

    def _columns(self, frame: Any, key: Any) -> Hashable | list[Hashable]:
        names = list(frame._columns)
        if callable(key):
            key = key(frame)
        positions = pd.Series(np.arange(len(names), dtype=np.int64), index=frame.columns)
        return _picked_names(names, positions.loc[_host_key(key)])

    def _rows(self, obj: Any, key: Any) -> Any:
        if callable(key):
            key = key(obj)
        if isinstance(key, slice) and key == _ALL:
            return obj
        if (is_series(key) and key._column.dtype.kind == "b") or (
                isinstance(key, jax.Array) and key.dtype == jnp.bool_):
            return _and_bool_key(obj, key)
        if obj._traced() and (is_traced(obj._row_mask) or (obj._row_mask is not None and not isinstance(
                obj._index, RangeIndex)) or is_traced(*jax.tree.leaves(obj._index))):
            raise NotImplementedError(
                ".loc with labels inside jax.jit (labels live on the host); use a boolean mask, "
                ".iloc, or leave jit")
        key = _host_key(key)
        n = obj._num_rows()
        labels = obj._index.to_pandas(None) if obj._row_mask is None else obj.index
        picked = pd.Series(np.arange(n, dtype=np.int64), index=labels).loc[key]
        return _apply_host_pick(obj, picked)


# -- assignment (a new object) --------------------------------------------------------------------
class _Rows:
    """Rows an assignment targets: ``keep`` over the physical rows; the live ``positions`` (host,
    in key order; None until asked for a boolean device key); one row named by a scalar key;
    ``full``: a slice that pandas sees as the whole axis (it then sets a frame's columns in place,
    keeping their dtypes)."""

    def __init__(self, keep: jax.Array, positions: np.ndarray | None, one_row: bool, obj: Any,
                 full: bool = False):
        self.keep, self._positions, self.one_row, self._obj, self.full = keep, positions, one_row, obj, full

    @property
    def positions(self) -> np.ndarray:
        if self._positions is None:
            live = self._obj._live_host()
            keep = np.asarray(self.keep)
            self._positions = np.flatnonzero(keep if live is None else keep[live])
        return self._positions


def set_values(indexer: Any, key: Any, value: Any, empty_is_noop: bool = False) -> Any:
    """``indexer._obj`` with ``value`` set at ``key`` (``.loc``/``.iloc``/``.at``/``.iat`` rules).
    ``empty_is_noop``: no row selected leaves the object as it is (pandas' ``s[mask] = v``)."""
    obj = indexer._obj
    if obj._traced():
        raise NotImplementedError(f".{indexer._name}.set inside jax.jit (the rows resolve on the host)")
    return _set_values(indexer, key, value, empty_is_noop)


def _set_values(indexer: Any, key: Any, value: Any, empty_is_noop: bool) -> Any:
    obj, by_label = indexer._obj, isinstance(indexer, LocIndexer)
    name = indexer._name
    if is_frame(obj):
        rows, cols = _split_frame_key(key, obj)
        if isinstance(cols, slice) and cols == _ALL:
            names, one_col = list(obj._columns), False
        else:
            try:
                picked = indexer._columns(obj, cols)
            except KeyError as err:
                if not by_label:
                    raise
                if isinstance(rows, slice) and rows == _ALL and isinstance(cols, Hashable) and not isinstance(
                        cols, (tuple, slice)) and cols not in obj._columns:
                    return _new_column(obj, cols, value)
                raise NotImplementedError(
                    f"setting a column label that is not in the frame through .{name} (enlargement); "
                    "use df.assign(...)") from err
            one_col = not isinstance(picked, list)
            names = [picked] if one_col else picked
        columns = obj._columns
    else:
        if isinstance(key, tuple):
            raise pd.errors.IndexingError("Too many indexers")
        rows, one_col = key, True
        names, columns = [obj._name], {obj._name: obj._column}
    target = _target_rows(obj, rows, by_label, name)
    if empty_is_noop and len(target.positions) == 0:
        return obj
    if is_frame(obj) and len(target.positions) == 0:
        # pandas checks the value against the dtype for some empty row keys and not others
        raise NotImplementedError(f"setting values into no rows of a DataFrame through .{name}")
    values = _values_per_column(obj, target, names, one_col, value, by_label, name)
    physical = picks = None
    if any(not scalar for _, scalar in values):
        positions = target.positions
        picks = si.last_of_duplicates(positions)
        physical = _physical(obj, jnp.asarray(positions[picks], dtype=jnp.int64))
    out = {}
    count = len(target.positions) if any(not scalar for _, scalar in values) else 0
    for col_name, (val, scalar) in zip(names, values):
        col = si.set_column(columns[col_name], target.keep, val, scalar, count, physical, picks,
                            whole_column=target.full and is_frame(obj))
        if obj._sharding is not None:
            col = col.replace(data=obj._place(col.data), validity=obj._place(col.validity))
        out[col_name] = col
    if not is_frame(obj):
        return obj._with_column(out[obj._name])
    return obj._with_columns({n: out.get(n, c) for n, c in obj._columns.items()})


def _new_column(frame: Any, label: Hashable, value: Any) -> Any:
    """``df.loc[:, new] = value``: a new last column, as ``df[new] = value`` makes it (a Series
    aligned by label, a list one value per row, a scalar broadcast)."""
    if _is_scalar_value(value) and pd.isna(value) is True and not isinstance(value, float):
        raise NotImplementedError(f"a new column of {value!r} (pandas makes it object dtype)")
    if is_frame(value) or isinstance(value, pd.DataFrame):
        raise NotImplementedError("setting a DataFrame value into a new column through .loc")
    col = frame._column_from(value)
    return frame._with_columns({**frame._columns, label: col})


def _target_rows(obj: Any, key: Any, by_label: bool, name: str) -> _Rows:
    if callable(key):
        key = key(obj)
    live = obj._live()
    if isinstance(key, slice) and key == _ALL:
        return _Rows(live, np.arange(obj._num_rows()), False, obj, full=True)
    if (is_series(key) and key._column.dtype.kind == "b") or (isinstance(key, jax.Array) and key.dtype == jnp.bool_):
        if not is_series(key):
            n = obj._num_rows()
            if key.shape[0] != n:
                raise IndexError(f"Boolean index has wrong length: {key.shape[0]} instead of {n}")
        return _Rows(row_mask_from_key(obj, key) & live, None, False, obj)
    key = _host_key(key)
    n = obj._num_rows()
    if by_label:
        labels = obj._index.to_pandas(None) if obj._row_mask is None else obj.index
        try:
            picked = pd.Series(np.arange(n, dtype=np.int64), index=labels).loc[key]
        except KeyError as err:
            raise NotImplementedError(f"setting a row label that is not in the index through .{name} "
                                      "(enlargement)") from err
    else:
        if _is_int(key) and not -n <= int(key) < n:
            raise IndexError("iloc cannot enlarge its target object")
        labels = obj.index if isinstance(key, pd.Series) else pd.RangeIndex(n)
        picked = pd.Series(np.arange(n, dtype=np.int64), index=labels).iloc[key]
    one_row = not isinstance(picked, pd.Series)
    positions = np.asarray([picked] if one_row else picked.to_numpy(), dtype=np.int64)
    physical = _physical(obj, jnp.asarray(positions, dtype=jnp.int64))
    keep = jnp.zeros(obj._capacity, bool).at[physical].set(True)
    return _Rows(keep, positions, one_row, obj, _whole_axis(key, labels if by_label else None, n))


def _whole_axis(key: Any, labels: pd.Index | None, n: int) -> bool:
    """Whether pandas sees a row key as the whole axis: a slice that is ``:`` or, as positions,
    exactly ``0:n`` (pandas' is_null_slice / is_full_slice; label slices are first turned into
    positions by the index)."""
    if not isinstance(key, slice):
        return False
    if labels is not None:
        key = labels.slice_indexer(key.start, key.stop, key.step)
    return key == _ALL or (key.start == 0 and key.stop == n and key.step is None)


def _is_scalar_value(value: Any) -> bool:
    return np.ndim(value) == 0 and not isinstance(value, (list, tuple, dict, set)) and not (
        is_series(value) or is_frame(value) or isinstance(value, (pd.Series, pd.DataFrame)))


def _values_per_column(obj: Any, target: _Rows, names: list, one_col: bool, value: Any, by_label: bool,
                       name: str) -> list[tuple[Any, bool]]:
    """(value, is_scalar) for each target column, lined up as pandas lines them up."""
    if _is_scalar_value(value):
        return [(value, True)] * len(names)
    if is_frame(value) or isinstance(value, pd.DataFrame):
        raise NotImplementedError(f"setting a DataFrame value through .{name} (rows and columns aligned)")
    if is_series(value):
        value = value.to_pandas()
    if isinstance(value, pd.Series):
        if not by_label:  # positions: the values in their order
            value = value.to_numpy() if isinstance(value.dtype, np.dtype) else value.array
        elif one_col:  # lined up with the target rows by label
            labels = obj.index[target.positions]
            aligned = value.reindex(labels)
            value = aligned.to_numpy() if isinstance(aligned.dtype, np.dtype) else aligned.array
        elif target.one_row:  # one row: lined up with the columns by label
            aligned = value.reindex(pd.Index(names))
            return [(v, True) for v in aligned.tolist()]
        else:
            raise NotImplementedError(f"setting a Series over several rows and columns through .{name}")
    if isinstance(value, jax.Array):
        value = np.asarray(value)
    if isinstance(value, set):
        raise NotImplementedError("setting a set of values")
    ndim = np.ndim(value) if not isinstance(value, (list, tuple)) else np.ndim(np.asarray(value, dtype=object))
    if ndim == 2:
        return _broadcast(value, len(target.positions), names)
    if ndim != 1:
        raise NotImplementedError(f"setting a {ndim}-dimensional value through .{name}")
    if target.one_row and one_col:
        raise NotImplementedError(f"setting a list-like value into one cell through .{name} (pandas unpacks "
                                  "or refuses it by type)")
    if one_col or (len(names) == 1 and not target.one_row):  # one value per row
        if len(value) != len(target.positions):
            raise ValueError("Must have equal len keys and value when setting with an iterable")
        return [(value, False)]
    if target.one_row and not one_col:
        if len(value) != len(names):
            raise ValueError("Must have equal len keys and value when setting with an iterable")
        return [(v, True) for v in value]
    return _broadcast(value, len(target.positions), names)


def _broadcast(value: Any, rows: int, names: list) -> list[tuple[Any, bool]]:
    """A value over rows x columns as NumPy broadcasts it (a row of one value per column, a
    column of one value per row, or the full 2-D block): one array per column."""
    arr = np.asarray(value)
    if arr.dtype == object:
        raise NotImplementedError("setting a 2-D block of mixed values")
    block = np.broadcast_to(arr, (rows, len(names)))
    return [(np.ascontiguousarray(block[:, j]), False) for j in range(len(names))]


def setitem(obj: Any, key: Any, value: Any) -> Any:
    """A Series with ``value`` set at ``key`` as pandas' ``s[key] = value`` does: a boolean key
    is a mask, a slice with integer bounds is positional, any other key is a label (pandas 3)."""
    if is_frame(obj):
        raise NotImplementedError("DataFrame item assignment: use df.assign(...) or df.loc.set(...)")
    if callable(key):
        key = key(obj)
    if isinstance(key, slice) and all(p is None or _is_int(p) for p in (key.start, key.stop, key.step)):
        return ILocIndexer(obj).set(key, value)
    if is_bool_array(key) or (is_series(key) and key._column.dtype.kind == "b"):
        # pandas: s[mask] = v with no row selected changes nothing (no dtype check, no upcast)
        return set_values(LocIndexer(obj), key, value, empty_is_noop=True)
    if not _is_scalar_value(value) and not is_bool_array(key) and not (
            is_series(key) and key._column.dtype.kind == "b") and np.ndim(key) != 0:
        # pandas' s[list] = values is positional for a Series value, .loc aligns it
        if is_series(value) or isinstance(value, pd.Series):
            raise NotImplementedError("s[list of labels] = Series (pandas sets it by position, not by label)")
    return LocIndexer(obj).set(key, value)


def getitem_slice(obj: Any, key: slice) -> Any:
    """``obj[a:b]``: positional for integer bounds (pandas 3 does so on every index, float ones
    included), by label otherwise."""
    if all(part is None or _is_int(part) for part in (key.start, key.stop, key.step)):
        return ILocIndexer(obj)[key]
    return LocIndexer(obj)[key]


# -- key handling ---------------------------------------------------------------------------------
def _split_frame_key(key: Any, frame: Any) -> tuple[Any, Any]:
    if isinstance(key, tuple):
        if len(key) > 2:
            raise pd.errors.IndexingError("Too many indexers")
        if len(key) == 2:
            return key
        return key[0], _ALL
    return key, _ALL


def _is_int(key: Any) -> bool:
    return isinstance(key, (int, np.integer)) and not isinstance(key, (bool, np.bool_))


def _host_key(key: Any) -> Any:
    """A key pandas can apply: our Series and concrete JAX arrays become pandas/numpy."""
    if is_series(key):
        return key.to_pandas()
    if isinstance(key, jax.Array):
        if is_traced(key):
            raise NotImplementedError("this indexer key inside jax.jit")
        return np.asarray(key)
    return key


def _apply_host_pick(obj: Any, picked: Any) -> Any:
    """pandas picked either one position (a scalar) or a Series of positions."""
    if isinstance(picked, pd.Series):
        out = _take_positions(obj, picked.to_numpy(dtype=np.int64))
        if isinstance(obj._index, MultiIndex) and picked.index.nlevels != obj._index.nlevels:
            # a partial key on a MultiIndex: pandas drops the levels it matched
            out = out._replace_rows(out._row_mask, out._place_index(idxmod.from_pandas(picked.index, out._capacity)))
        return out
    return _one_row(obj, int(picked))


def _and_bool_key(obj: Any, key: Any) -> Any:
    """A boolean device key over the live rows: AND it into the row mask (no data moves)."""
    if not is_series(key) and not obj._traced() and not is_traced(key):
        n = obj._num_rows()
        if key.shape[0] != n:
            raise IndexError(f"Boolean index has wrong length: {key.shape[0]} instead of {n}")
    return obj._and_mask(row_mask_from_key(obj, key))


# -- row selections -------------------------------------------------------------------------------
def _physical(obj: Any, positions: jax.Array) -> jax.Array:
    """Physical rows of live positions (the compaction permutation maps one to the other)."""
    if obj._row_mask is None:
        return positions
    perm, _ = compact_permutation(obj._row_mask)
    return perm[positions]


def _gather(obj: Any, physical: jax.Array) -> Any:
    """The rows at ``physical`` (in order). Sharded frames are padded to the shard count and
    masked, so the result stays row-sharded."""
    k = physical.shape[0]
    mask = None
    if obj._sharding is not None:
        capacity = padded_capacity(k, obj._sharding)
        if capacity != k:
            physical = jnp.concatenate([physical, jnp.zeros(capacity - k, physical.dtype)])
            mask = obj._place(jnp.arange(capacity) < k)
    return obj._gather_rows(physical, mask, obj._index.take(physical))


def _take_positions(obj: Any, positions: np.ndarray) -> Any:
    """Rows at live positions (already checked to be in range, non-negative)."""
    if obj._row_mask is None and obj._sharding is None and len(positions) > 0:
        start, step = int(positions[0]), (int(positions[1] - positions[0]) if len(positions) > 1 else 1)
        if step == 1 and np.array_equal(positions, np.arange(start, start + len(positions))):
            return obj._slice_rows(start, start + len(positions))
    return _gather(obj, _physical(obj, jnp.asarray(positions, dtype=jnp.int64)))


def _take_traced_positions(obj: Any, positions: jax.Array) -> Any:
    """Gather traced positions (no bounds check is possible; negatives count from the end)."""
    if positions.ndim != 1:
        raise NotImplementedError("iloc with a traced scalar or multi-dimensional position array")
    positions = positions.astype(jnp.int64)
    positions = jnp.where(positions < 0, positions + obj.count_rows(), positions)
    return _gather(obj, _physical(obj, positions))


def _take_slice(obj: Any, key: slice) -> Any:
    for part in (key.start, key.stop, key.step):
        if part is not None and not _is_int(part):
            raise TypeError(f"cannot do positional indexing with these indexers [{part}] of type "
                            f"{type(part).__name__}")
    if key.step == 0:
        raise ValueError("slice step cannot be zero")
    step = 1 if key.step is None else int(key.step)
    if obj._row_mask is None:
        start, stop, step = key.indices(obj._capacity)
        count = len(range(start, stop, step))
        if obj._sharding is None:
            if step == 1:
                return obj._slice_rows(start, stop)
            indices = jnp.arange(start, start + step * count, step, dtype=jnp.int64)
            index = obj._index
            if isinstance(index, RangeIndex):
                new_index = RangeIndex(count, index.start + index.step * start, index.step * step, index.name)
                return obj._gather_rows(indices, None, new_index)
            return obj._gather_rows(indices, None, index.take(indices))
    if step > 0:
        return obj._and_mask(_slice_mask(obj, key.start, key.stop, step))
    if obj._traced():
        raise NotImplementedError("iloc with a negative slice step on a filtered frame inside jax.jit")
    start, stop, step = key.indices(obj._num_rows())
    return _take_positions(obj, np.arange(start, stop, step, dtype=np.int64))


def _slice_mask(obj: Any, start: int | None, stop: int | None, step: int) -> jax.Array:
    """Rows whose live position falls in start:stop:step (step > 0); works with a traced count."""
    count = obj.count_rows()
    pos = obj._row_positions()

    def bound(value: int | None, default: Any) -> Any:
        if value is None:
            return default
        return jnp.clip(value + count, 0, None) if value < 0 else jnp.minimum(value, count)

    lo, hi = bound(start, 0), bound(stop, count)
    keep = (pos >= lo) & (pos < hi)
    if step != 1:
        keep = keep & ((pos - lo) % step == 0)
    return keep


def _one_row(obj: Any, pos: int) -> Any:
    """A single live row: a scalar of a Series, a row Series of a DataFrame (built as pandas does)."""
    physical = _physical(obj, jnp.asarray([pos], dtype=jnp.int64))
    if is_series(obj):
        col = obj._column.take(physical)
        if obj._traced():
            if col.dtype.kind in "UMm" or col.validity is not None:
                raise NotImplementedError(f"a traced scalar of dtype {col.dtype} (nulls/strings/datetimes)")
            return col.data[0]
        return pd.Series(col.to_host()).iloc[0]
    if obj._traced():
        raise NotImplementedError("a row of a DataFrame as a Series inside jax.jit")
    if obj._is_columnless():
        raise NotImplementedError("a row of a frame without columns (pandas gives an empty object Series)")
    row = obj._gather_rows(physical, None, obj._index.take(physical)).to_pandas().iloc[0]
    try:
        return make_series(row)
    except TypeError as err:
        raise NotImplementedError(
            f"this row has mixed dtypes, so pandas returns an object Series ({err}); JaxFrames columns "
            "hold one dtype: select columns of one kind first, or use .to_pandas()") from err


def relabel_rows(obj: Any, labels: Any) -> Any:
    """``set_axis(labels)``: the live rows, compacted, under new labels. The index is padded to
    the compacted capacity (padding rows stay masked out)."""
    frame = obj._compact()
    n = frame._num_rows()
    try:
        index = idxmod.from_values(labels, n)
    except ValueError as err:
        raise ValueError(f"Length mismatch: Expected axis has {n} elements, new values have "
                         f"{len(labels)} elements") from err
    if frame._capacity != n:
        if isinstance(index, RangeIndex):
            index = RangeIndex(frame._capacity, index.start, index.step, index.name)
        else:
            index = index.take(jnp.minimum(jnp.arange(frame._capacity), max(n - 1, 0)))
    return frame._replace_rows(frame._row_mask, index)


def is_bool_array(key: Any) -> bool:
    if isinstance(key, (jax.Array, np.ndarray)):
        return key.dtype == np.bool_
    if isinstance(key, (pd.Series, pd.api.extensions.ExtensionArray)):
        return pd.api.types.is_bool_dtype(key.dtype)
    if isinstance(key, list) and key and all(isinstance(k, (bool, np.bool_)) for k in key):
        return True
    return False


@jit
def _present_true(data: jax.Array, present: jax.Array) -> jax.Array:
    return data & present


def row_mask_from_key(container: Any, key: Any) -> jax.Array:
    """A boolean device array over the physical rows from a boolean Series/array key."""
    if is_series(key):
        if key._column.dtype.kind != "b":
            raise KeyError(f"a non-boolean Series cannot be used as a row mask (dtype {key.dtype})")
        if key._capacity != container._capacity or not key._index.same_labels(container._index):
            raise NotImplementedError("boolean Series key whose index differs from the frame's")
        mask = _present_true(key._column.data, key._column.not_null())
        if key._row_mask is not None and container._row_mask is not key._row_mask and not is_traced(
                key._row_mask, container._row_mask):
            if bool(jnp.any(container._live() & ~key._row_mask)):
                raise pd.errors.IndexingError(
                    "Unalignable boolean Series provided as indexer (index of the boolean Series "
                    "and of the indexed object do not match).")
        return mask
    if isinstance(key, jax.Array):
        arr = key
    elif isinstance(key, (pd.Series, pd.api.extensions.ExtensionArray)):
        if pd.api.types.is_extension_array_dtype(key.dtype):
            arr = np.asarray(pd.array(key).fillna(False), dtype=bool)
        else:
            arr = np.asarray(key, dtype=bool)
    else:
        arr = np.asarray(key, dtype=bool)
    if container._row_mask is not None and is_traced(container._row_mask, arr):
        return _live_key_in_jit(container, jnp.asarray(arr))
    n_live = container._capacity if container._row_mask is None else container._num_rows()
    if arr.shape[0] != n_live:
        raise ValueError(f"Item wrong length {arr.shape[0]} instead of {n_live}.")
    if container._row_mask is None:
        return jnp.asarray(arr)
    positions = jnp.asarray(np.flatnonzero(np.asarray(container._row_mask)))
    return jnp.zeros(container._capacity, bool).at[positions].set(jnp.asarray(arr))


def _live_key_in_jit(container: Any, key: jax.Array) -> jax.Array:
    """Inside jit a key over the live rows of a masked frame (e.g. a bucketed one) cannot be
    length-checked against the traced row count: live row k takes ``key[k]`` (a gather over
    each row's live position), and a key shorter than the live rows keeps none of the rest."""
    if key.shape[0] > container._capacity:
        raise ValueError(f"Item wrong length {key.shape[0]} instead of at most {container._capacity}.")
    position = container._row_positions()
    inside = position < key.shape[0]
    picked = jnp.take(key, jnp.clip(position, 0, max(key.shape[0] - 1, 0)), mode="clip") if key.shape[0] else inside
    return container._live() & inside & picked


def xs(obj: Any, key: Any, axis: Any = 0, level: Any = None, drop_level: bool = True) -> Any:
    """pandas' ``xs``: the rows whose label (or ``level`` labels) equal ``key``; a MultiIndex
    loses the matched levels unless ``drop_level=False``. pandas picks the positions on the
    host labels; the rows are gathered on device."""
    if axis_number(axis, owner_name(obj), default=None) == 1:
        if level is not None:
            raise NotImplementedError("xs(axis=1, level=...): MultiIndex columns are not supported")
        return obj[key]
    if obj._traced():
        raise NotImplementedError("xs inside jax.jit (labels live on the host)")
    n = obj._num_rows()
    positions = pd.Series(np.arange(n, dtype=np.int64), index=obj.index)
    picked = positions.xs(key, level=level, drop_level=drop_level)
    if not isinstance(picked, pd.Series):
        return _one_row(obj, int(picked))
    out = _take_positions(obj, picked.to_numpy(dtype=np.int64))
    if not picked.index.equals(obj.index[picked.to_numpy()]) or picked.index.nlevels != obj.index.nlevels or (
            picked.index.names != obj.index.names):
        out = out._replace_rows(out._row_mask, out._place_index(idxmod.from_pandas(picked.index, out._capacity)))
    return out
