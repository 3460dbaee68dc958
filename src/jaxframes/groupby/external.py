"""``df.groupby(key)`` where a key is a Series (aligned by index label) or a function of the row
labels, not a column name.

The key values become extra key columns of the grouped frame, under the key's name (a Series'
name, None for a function): the group-by machinery then finds them as it finds column keys, the
result index carries pandas' level names, and the key columns are never aggregated (pandas does
not aggregate a key that is not one of the frame's columns). A key named like a column
(``df.groupby(df['a'] > 1)``) is held under an internal name and shown under its own, and the
column is aggregated; a Series key that IS one of the frame's columns (``df.groupby(df['a'])``,
the same data) is that column's name, as in pandas.

Those extra columns must not reach answers made of the frame's own rows (head, filter, apply,
transform, ...): of pandas' GroupBy API, such a group-by offers only the methods in ``ALLOWED``,
which produce per-group or per-row values of the non-key columns; any other raises
NotImplementedError naming it.
"""

from __future__ import annotations

from typing import Any, Hashable

import pandas as pd

from jaxframes.groupby import api
from jaxframes.index import Index, MultiIndex
from jaxframes.table import is_frame, is_series, make_series, new_frame

# methods whose answers are built from the value columns (api._GroupBy._value_names) and the keys
ALLOWED = frozenset({
    "agg", "aggregate", "all", "any", "count", "first", "last", "max", "mean", "median", "min", "nunique",
    "prod", "sem", "size", "std", "sum", "var", "cumsum", "cumprod", "cummax", "cummin", "cumcount",
    "ngroup", "ngroups",
})


def _is_external(frame: Any, key: Any) -> bool:
    return callable(key) or is_series(key) or isinstance(key, pd.Series)


def _in_axis(frame: Any, key: Any) -> bool:
    """A Series key that is one of the frame's columns (the very same data)."""
    name = key._name
    return isinstance(name, Hashable) and name in frame._columns and key._column is frame._columns[name] and (
        key._row_mask is frame._row_mask and key._index is frame._index)


class _ExternalKeys:
    """The guard: only ``ALLOWED`` public methods (and column selection) on such a group-by."""

    __slots__ = ()
    _display: dict = {}  # internal key column -> the key's name (a key named like a column)

    def _result_index(self, exact: bool = False):
        keys = self._key_columns(exact)
        names = [self._display.get(k, k) for k in self._keys]
        return Index(keys[0], names[0]) if len(keys) == 1 else MultiIndex(tuple(keys), tuple(names))

    def _on(self, *args: Any, **kwargs: Any) -> Any:
        gb = super()._on(*args, **kwargs)
        gb._display = self._display
        return gb

    def __getattribute__(self, name: str) -> Any:
        if not name.startswith("_") and name not in ALLOWED and hasattr(pd.core.groupby.DataFrameGroupBy, name):
            frame = object.__getattribute__(self, "_frame")
            if name not in frame._columns:
                raise NotImplementedError(
                    f"groupby(...).{name} when grouping by a Series or a function (only aggregations "
                    f"and cumulative methods are supported): group by a column")
        return object.__getattribute__(self, name)


class DataFrameGroupBy(_ExternalKeys, api.DataFrameGroupBy):
    """A DataFrameGroupBy with keys that are not columns of the frame (see the module)."""

    __slots__ = ()

    def __getattr__(self, name: str) -> Any:
        return self[name] if name in self._frame._columns and name not in self._keys else super().__getattr__(name)

    def __getitem__(self, key: Any) -> Any:
        out = super().__getitem__(key)
        guarded = object.__new__(DataFrameGroupBy if isinstance(out, api.DataFrameGroupBy) else SeriesGroupBy)
        guarded.__dict__.update(out.__dict__)
        return guarded


class SeriesGroupBy(_ExternalKeys, api.SeriesGroupBy):
    """``df.groupby(series)['v']`` (see the module)."""

    __slots__ = ()


def groupby(frame: Any, by: Any = None, axis: Any = 0, level: Any = None, as_index: bool = True,
            sort: bool = True, group_keys: bool = True, observed: Any = None, dropna: bool = True):
    """DataFrame.groupby: column names go to api.groupby; Series and function keys are added as
    key columns first."""
    keys = api._as_list(by)
    if level is not None or not any(_is_external(frame, k) for k in keys):
        return api.groupby(frame, by, axis, level, as_index, sort, group_keys, observed, dropna)
    if not as_index:
        raise NotImplementedError("groupby(as_index=False) by a Series or a function")
    columns = dict(frame._columns)
    names: list[Hashable] = []
    display: dict[Hashable, Hashable] = {}
    for key in keys:
        if isinstance(key, pd.Series):
            key = make_series(key)
        if is_frame(key):
            raise NotImplementedError("groupby by a DataFrame")
        if is_series(key) and _in_axis(frame, key):
            names.append(key._name)
            continue
        if is_series(key):
            name, col = key._name, frame._column_from(key)
        elif callable(key):
            if frame._traced():
                raise NotImplementedError("groupby by a function of the row labels inside jax.jit")
            name, col = None, frame._column_from(list(frame.index.map(key)))
        else:
            names.append(key)
            continue
        if name in columns or name in names:  # held under an internal name, shown under its own
            internal = f"__jaxframes_groupby_key_{len(names)}__"
            if internal in columns:
                raise NotImplementedError(f"a column is named {internal!r}")
            display[internal], name = name, internal
        columns[name] = col
        names.append(name)
    for k in names:
        if k not in columns:
            raise KeyError(k)
    grouped = new_frame(columns, frame._index, frame._row_mask, frame._sharding)
    if observed is False and any(grouped._columns[k].dtype.kind == "C" for k in names):
        raise NotImplementedError("groupby(observed=False) on a categorical key")
    by = names if isinstance(by, (list, tuple)) else names[0]
    gb = DataFrameGroupBy(grouped, by, as_index, sort, dropna, None, group_keys=group_keys)
    gb._display = display
    return gb
