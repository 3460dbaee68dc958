"""Per-group Python calls: groupby.apply, iteration, get_group, filter.

The rows are gathered once into group order (a stable sort of each row's group position), and
each group is an exact-size slice of that: ``func`` sees an ordinary frame of the group's rows
(original labels, original order). This is an eager loop, one call per group, so it costs one
Python call (and, for jitted funcs, one compilation per distinct group size) per group: prefer
``agg``/``transform`` with named aggregations when they can say the same thing. Inside
jax.jit the number of groups is unknown, so these raise.

Results are combined as pandas 3.1 does: scalars -> a Series indexed by the group keys;
DataFrames (and Series whose indexes differ) -> concatenated with the group keys as outer
index levels (group_keys=True); Series with one shared index (DataFrameGroupBy) -> a frame with
one row per group. ``include_groups=True`` is refused as in pandas 3.
"""

from __future__ import annotations

from typing import Any, Callable, Hashable, Iterator

import jax
import jax.numpy as jnp
import numpy as np
import pandas as pd

from jaxframes import column as colmod
from jaxframes.column import Column
from jaxframes.table import is_container, is_frame, is_series, is_traced, new_frame, new_series
from jaxframes.index import Index, MultiIndex, RangeIndex
from jaxframes.reshape.concat import concat_columns
from jaxframes.reshape.pivot import with_column_axis
from jaxframes.sharding import bucket_capacity, place_host


class GroupRows:
    """The frame's rows gathered into group order, with each group's [start, stop)."""

    def __init__(self, gb: Any):
        frame = gb._frame
        if is_traced(frame._row_mask, *frame._arrays()):
            raise NotImplementedError("groupby apply/iteration/filter inside jax.jit: the groups are data-dependent")
        g = gb.grouping
        self.n_groups = int(g.num_groups)
        # on the host: this is a Python loop over the groups, and each eager device op here
        # (where, astype, argsort, slices of the order) would compile a program per row count
        if frame._capacity:
            ids = np.asarray(g.row_groups())
            slot = ids if g.live is None else np.where(np.asarray(g.live), ids, self.n_groups)
        else:
            slot = np.zeros(0, np.int64)
        self.slot = slot
        self.order = np.argsort(slot, kind="stable")  # rows in group order, each group's in row order
        counts = np.bincount(slot, minlength=self.n_groups + 1)[: self.n_groups]
        self.stops = np.cumsum(counts)
        self.starts = self.stops - counts
        self.frame = frame
        self.gb = gb

    def rows(self, i: int) -> jax.Array:
        """Original row positions of group ``i`` (in their original order)."""
        return place_host(self.order[int(self.starts[i]):int(self.stops[i])])

    def sub(self, i: int, names: list[Hashable], as_series: bool = False) -> Any:
        """Group ``i`` as an exact-size frame (or Series) of the given columns."""
        rows = self.rows(i)
        index = self.frame._index.take(rows)
        if as_series:
            return new_series(self.frame._columns[names[0]].take(rows), index, None, names[0])
        return new_frame({n: self.frame._columns[n].take(rows) for n in names}, index)

    def keys(self) -> list:
        """The group keys as pandas gives them while iterating (tuples for a list of keys)."""
        if self.n_groups == 0:
            return []
        labels = list(self.gb._result_index(exact=True).to_pandas())
        if self.gb._by_list and len(self.gb._keys) == 1:
            labels = [(k,) for k in labels]
        return labels


def _selected(gb: Any) -> tuple[list[Hashable], bool]:
    """Columns each group shows (iteration, filter, get_group keep the key columns)."""
    if gb._selection is not None:
        return list(gb._selection), gb._series_selection
    return list(gb._frame._columns), False


def iterate(gb: Any) -> Iterator[tuple[Any, Any]]:
    groups = GroupRows(gb)
    names, as_series = _selected(gb)
    for i, key in enumerate(groups.keys()):
        yield key, groups.sub(i, names, as_series)


def get_group(gb: Any, name: Any) -> Any:
    groups = GroupRows(gb)
    keys = groups.keys()
    if len(gb._keys) > 1 or gb._by_list:
        if not isinstance(name, tuple):
            raise KeyError(name)
    matches = [i for i, k in enumerate(keys) if _same_key(k, name)]
    if not matches:
        raise KeyError(name)
    names, as_series = _selected(gb)
    return groups.sub(matches[0], names, as_series)


def _same_key(a: Any, b: Any) -> bool:
    if isinstance(a, tuple) != isinstance(b, tuple) or (isinstance(a, tuple) and len(a) != len(b)):
        return False
    pairs = zip(a, b) if isinstance(a, tuple) else [(a, b)]
    try:
        return all(bool(x == y) for x, y in pairs)
    except (TypeError, ValueError):
        return False


def filter_groups(gb: Any, func: Callable, dropna: bool, args: tuple, kwargs: dict) -> Any:
    """Rows of the groups for which ``func(group)`` is True, in the frame's row order."""
    if not dropna:
        raise NotImplementedError("groupby.filter(dropna=False)")
    groups = GroupRows(gb)
    names, as_series = _selected(gb)
    keep = []
    for i in range(groups.n_groups):
        res = func(groups.sub(i, names, as_series), *args, **kwargs)
        res = np.asarray(res) if isinstance(res, jax.Array) else res
        if isinstance(res, np.ndarray) and res.ndim == 0:
            res = res[()]
        if not isinstance(res, (bool, np.bool_)) and not (hasattr(res, "dtype") and np.ndim(res) == 0):
            raise TypeError(f"filter function returned a {type(res).__name__}, but expected a scalar bool")
        keep.append(bool(res))
    mask = place_host(np.array(keep + [False], dtype=bool)[groups.slot])
    frame = gb._frame if gb._selection is None else gb._frame._select(names)
    out = frame._and_mask(mask)
    return out[names[0]] if as_series else out


def apply(gb: Any, func: Callable, args: tuple, kwargs: dict) -> Any:
    """Call ``func`` on each group (without the key columns) and combine as pandas does."""
    if kwargs.pop("include_groups", False):
        raise ValueError("include_groups=True is no longer allowed.")
    if isinstance(func, str):  # pandas: the group-by method of that name
        return _named(gb, func, args, kwargs)
    groups = GroupRows(gb)
    names = gb._value_names()
    as_series = gb._series_selection
    shaped = None if as_series else vectorised(gb, groups, names, func, args, kwargs)
    if shaped is not None:
        return _flat(gb, groups, shaped) if not gb._as_index else shaped
    results = [func(groups.sub(i, names, as_series), *args, **kwargs) for i in range(groups.n_groups)]
    if not gb._as_index:
        return _combine_flat(gb, groups, names, results)
    return _combine(gb, groups, names, results)


def _named(gb: Any, name: str, args: tuple, kwargs: dict) -> Any:
    real = pd.core.groupby.SeriesGroupBy if gb._series_selection else pd.core.groupby.DataFrameGroupBy
    if not hasattr(real, name):
        raise TypeError(f"apply func should be callable, not '{name}'")
    if name.startswith("_") or not hasattr(gb, name):
        raise NotImplementedError(f"groupby.apply({name!r}): no JaxFrames group-by method {name!r}")
    res = getattr(gb, name)
    if callable(res):
        return res(*args, **kwargs)
    if args or kwargs:
        raise ValueError(f"Cannot pass arguments to property {name}")
    return res


# -- one traced call for all groups ----------------------------------------------------------------
class _NotVectorisable(Exception):
    """``func`` cannot run once over all groups: the per-group loop runs instead."""


_MAX_SIZE_CLASSES = 8  # one trace of ``func`` per class of padded group size
_MIN_PAD = 16  # small groups share one padded size


def _batched_frame(gb: Any, groups: GroupRows, names: list, which: np.ndarray, pad: int) -> Any:
    """Groups ``which`` as one frame of ``len(which)`` x ``pad`` rows (row-masked padding), its
    leaves reshaped to a leading group axis: what ``jax.vmap`` maps ``func`` over."""
    starts, counts = groups.starts[which], groups.stops[which] - groups.starts[which]
    offset = np.arange(pad)
    pos = np.minimum(starts[:, None] + np.minimum(offset[None, :], np.maximum(counts[:, None] - 1, 0)),
                     max(len(groups.order) - 1, 0)).reshape(-1)
    rows = place_host(groups.order[pos])
    live = place_host((offset[None, :] < counts[:, None]).reshape(-1))
    frame = groups.frame
    flat = new_frame({n: frame._columns[n].take(rows) for n in names}, frame._index.take(rows), live)
    size = len(which) * pad
    leaves = jax.tree.leaves(flat)
    if not leaves or any(np.ndim(leaf) == 0 or leaf.shape[0] != size for leaf in leaves):
        raise _NotVectorisable("a column or the index holds arrays that are not per row")
    return jax.tree.map(lambda a: a.reshape((len(which), pad) + a.shape[1:]), flat)


def vectorised(gb: Any, groups: GroupRows, names: list, func: Callable, args: tuple, kwargs: dict) -> Any:
    """``func`` run ONCE per class of group sizes under ``jax.vmap`` (each group a row-masked
    frame padded to its class's bucketed size) instead of once per group, when ``func`` traces
    and returns a numeric Series whose labels do not depend on the values (pandas then gives one
    row per group, one column per label). Returns that frame (group keys as index), or None
    where ``func`` does not trace or returns something else: the caller loops over the groups
    then (so a genuine error in ``func`` is raised by the loop, as before)."""
    n = groups.n_groups
    if n < 2 or any(gb._frame._columns[c].dtype.kind not in "biuf" for c in names):
        return None
    counts = groups.stops - groups.starts
    pads = np.array([bucket_capacity(max(int(c), _MIN_PAD)) for c in counts], dtype=np.int64)
    classes = np.unique(pads)
    if len(classes) > _MAX_SIZE_CLASSES or int(pads.sum()) > 2 * int(counts.sum()) + _MIN_PAD * n + 1024:
        return None
    found: dict[str, Any] = {}

    def one(group: Any) -> Any:
        out = func(group, *args, **kwargs)
        if not is_series(out) or out._row_mask is not None or is_traced(*jax.tree.leaves(out._index)):
            raise _NotVectorisable("func does not return a Series with fixed labels")
        if out._column.dtype.kind not in "biuf" or out._column.validity is not None:
            raise _NotVectorisable("func returns a non-numeric or nullable Series")
        index = out._index.to_pandas(None)
        if "index" in found and not (found["index"].equals(index) and found["meta"] == (out.name, out._column.dtype)):
            raise _NotVectorisable("size classes give different labels or dtypes")
        found["index"], found["meta"] = index, (out.name, out._column.dtype)
        return out._column.data

    parts, order = [], []
    try:
        for pad in classes:
            which = np.flatnonzero(pads == pad)
            parts.append(jax.vmap(one)(_batched_frame(gb, groups, names, which, int(pad))))
            order.append(which)
    except Exception:  # noqa: BLE001 - func does not trace (host values, Python control flow on data, ...)
        return None
    labels = found["index"]
    if labels.nlevels > 1 or not labels.is_unique:
        return None
    data = jnp.concatenate(parts) if len(parts) > 1 else parts[0]
    back = np.argsort(np.concatenate(order), kind="stable")
    data = data[jnp.asarray(back)] if len(parts) > 1 else data
    name, dtype = found["meta"]
    cols = {label: Column(data[:, j], None, dtype) for j, label in enumerate(labels)}
    frame = new_frame(cols, gb._result_index(exact=True))
    axis = labels.copy()
    if axis.name is None and name is not None:  # pandas names the columns after the Series
        axis = axis.rename(name)
    return with_column_axis(frame, axis)


def _flat(gb: Any, groups: GroupRows, shaped: Any) -> Any:
    """as_index=False: the group keys as leading columns and a RangeIndex (as _combine_flat)."""
    cols = dict(shaped._columns)
    axis = getattr(shaped, "_column_axis", None)
    keys = {k: c for k, c in zip(gb._keys, gb._key_columns(exact=True)) if k not in cols}
    frame = new_frame({**keys, **cols}, RangeIndex(groups.n_groups))
    if axis is not None and axis.name is not None:
        frame = with_column_axis(frame, pd.Index(list(frame._columns), name=axis.name))
    return frame


def _combine_flat(gb: Any, groups: GroupRows, names: list, results: list) -> Any:
    """as_index=False, as pandas: one row per group (Series sharing one index, or scalars) with
    the group keys inserted as leading columns and a RangeIndex."""
    if not results:
        raise NotImplementedError("groupby(as_index=False).apply on a frame without groups")
    if all(is_series(r) for r in results) and not gb._series_selection and _all_same_index(results):
        shaped = _series_rows(gb, results)
        cols = dict(shaped._columns)
        axis = getattr(shaped, "_column_axis", None)
    elif not any(r is None or is_container(r) for r in results) and gb._selection is None:
        cols = {None: _scalar_column(results)}
        axis = None
    else:
        raise NotImplementedError("groupby(as_index=False).apply with a function returning frames, Series "
                                  "with differing indexes, or on a column selection")
    keys = {k: c for k, c in zip(gb._keys, gb._key_columns(exact=True)) if k not in cols}
    frame = new_frame({**keys, **cols}, RangeIndex(groups.n_groups))
    if axis is None:  # pandas labels the scalars' column None: an object-dtype column axis
        frame = with_column_axis(frame, pd.Index(list(frame._columns), dtype=object))
    elif axis.name is not None:
        frame = with_column_axis(frame, pd.Index(list(frame._columns), name=axis.name))
    return frame


def _combine(gb: Any, groups: GroupRows, names: list, results: list) -> Any:
    series_name = names[0] if gb._series_selection else None
    if not results:
        return _empty(gb, groups, names)
    if any(r is None for r in results):
        raise NotImplementedError("groupby.apply with a function returning None")
    if all(is_frame(r) for r in results):
        return _concat(gb, groups, results, names)
    if all(is_series(r) for r in results):
        if not gb._series_selection and _all_same_index(results):
            return _series_rows(gb, results)
        return _concat(gb, groups, results, names)
    if any(is_container(r) for r in results):
        raise NotImplementedError("groupby.apply with a function returning frames for some groups only")
    col = _scalar_column(results)
    return new_series(col, gb._result_index(exact=True), None, series_name)


def _scalar_column(results: list) -> Column:
    if all(isinstance(r, jax.Array) and r.ndim == 0 for r in results):
        return colmod.from_values(jnp.stack(results))
    if any(np.ndim(r) != 0 for r in results):
        raise NotImplementedError("groupby.apply with a function returning arrays (pandas: an object Series)")
    host = [np.asarray(r)[()] if isinstance(r, jax.Array) else r for r in results]
    return colmod.from_values(host)


def _empty(gb: Any, groups: GroupRows, names: list) -> Any:
    none = jnp.zeros(0, jnp.int64)
    index = gb._result_index(exact=True)
    if gb._series_selection:
        return new_series(gb._frame._columns[names[0]].take(none), index, None, names[0])
    return new_frame({n: gb._frame._columns[n].take(none) for n in names}, index)


def _label_column(index: Any) -> Column:
    if isinstance(index, MultiIndex):
        raise NotImplementedError("groupby.apply results with a MultiIndex")
    return index.labels()


def _all_same_index(results: list) -> bool:
    first = results[0].index
    return all(r.index.equals(first) and r.index.names == first.names for r in results[1:])


def _series_rows(gb: Any, results: list) -> Any:
    """Series sharing one index: one row per group, one column per label (pandas' vstack)."""
    results = [r._compact_exact() for r in results]
    labels = results[0].index
    if labels.nlevels > 1 or not labels.is_unique:
        raise NotImplementedError("groupby.apply returning Series with MultiIndex or repeated labels")
    cols = {}
    for j, label in enumerate(labels):
        pos = jnp.asarray([j])
        cols[label] = concat_columns([r._column.take(pos) for r in results])
    frame = new_frame(cols, gb._result_index(exact=True))
    axis = labels.copy()
    names = {r.name for r in results}
    if axis.name is None and len(names) == 1:  # pandas names the columns after the Series
        axis = axis.rename(names.pop())
    return with_column_axis(frame, axis)


def _concat(gb: Any, groups: GroupRows, results: list, names: list) -> Any:
    """Results one after another, the group keys as outer index levels (group_keys=True)."""
    results = [r._compact_exact() for r in results]
    lengths = np.array([r._capacity for r in results], dtype=np.int64)
    total = int(lengths.sum())
    index_cols = [_label_column(r._index) for r in results]
    index_names = {r._index.name for r in results}
    inner = concat_columns(index_cols)
    inner_name = index_names.pop() if len(index_names) == 1 else None
    if not gb._group_keys:
        if any(not _indexed_like(r, groups, i) for i, r in enumerate(results)):
            index = Index(inner, inner_name)
        else:  # transform-like: back to the frame's row order
            if total != gb._frame._num_rows():
                raise NotImplementedError("transform-like groupby.apply(group_keys=False) with rows in no group")
            # on the host: eagerly on the device, concatenate/argsort compile per length
            order = groups.order
            grouped = np.concatenate([order[int(a):int(b)] for a, b in zip(groups.starts, groups.stops)]
                                     or [order[:0]])
            back = place_host(np.argsort(grouped, kind="stable"))
            return _gathered(_stack(results, Index(inner, inner_name)), back)
    else:
        repeat = place_host(np.repeat(np.arange(groups.n_groups, dtype=np.int64), lengths))
        keys = [c.take(repeat) for c in gb._key_columns(exact=True)]
        index = MultiIndex(tuple(keys) + (inner,), tuple(gb._keys) + (inner_name,))
    return _stack(results, index)


def _stack(results: list, index: Any) -> Any:
    if is_series(results[0]):
        names = {r.name for r in results}
        name = names.pop() if len(names) == 1 else None
        return new_series(concat_columns([r._column for r in results]), index, None, name)
    columns = list(results[0]._columns)
    if any(list(r._columns) != columns for r in results):
        raise NotImplementedError("groupby.apply returning frames with different columns")
    cols = {c: concat_columns([r._columns[c] for r in results]) for c in columns}
    return new_frame(cols, index)


def _gathered(obj: Any, positions: jax.Array) -> Any:
    return obj._gather_rows(positions, None, obj._index.take(positions))


def _indexed_like(result: Any, groups: GroupRows, i: int) -> bool:
    group_index = groups.frame._index.take(groups.rows(i)).to_pandas()
    return result.index.equals(group_index)
