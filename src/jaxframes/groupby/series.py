"""``Series.groupby``: the Series and its keys as one frame, grouped by the key columns.

The Series' values travel under an internal label (a key may share the Series' name, as in
``s.groupby(s > 0)``); results are renamed back to the Series' name.
"""

from __future__ import annotations

from typing import Any, Hashable

from jaxframes.groupby.api import SeriesGroupBy
from jaxframes.table import is_series, new_frame

_VALUE = "__jaxframes_series_value__"


class SeriesOwnGroupBy(SeriesGroupBy):
    """A SeriesGroupBy whose results carry the grouped Series' own name."""

    def __init__(self, *args: Any, out_name: Hashable = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._out_name = out_name

    def _series_of(self, name: Hashable, col: Any):
        return super()._series_of(self._out_name if name == _VALUE else name, col)

    def _result_label(self, name: Hashable) -> Hashable:
        return self._out_name if name == _VALUE else name

    def _per_row(self, name: Hashable, col: Any):
        return super()._per_row(self._out_name if name == _VALUE else name, col)

    def _frame_of(self, columns: dict):
        renamed = {(self._out_name if k == _VALUE else k): v for k, v in columns.items()}
        return super()._frame_of(renamed)


def series_groupby(s: Any, by: Any, level: Any, as_index: bool, sort: bool, group_keys: bool,
                   observed: Any, dropna: bool) -> Any:
    if level is not None:
        raise NotImplementedError("Series.groupby(level=...)")
    if by is None:
        raise TypeError("You have to supply one of 'by' and 'level'")
    if callable(by) or isinstance(by, dict):
        raise NotImplementedError("Series.groupby by a function or mapping of the row labels")
    if not as_index:
        raise TypeError("as_index=False only valid with DataFrame")
    keys = by if isinstance(by, list) and by and all(is_series(k) or hasattr(k, "__len__") for k in by) \
        and not all(isinstance(k, (str, int, float)) for k in by) else [by]
    frame = s.to_frame(_VALUE)
    columns = dict(frame._columns)
    names = []
    for key in keys:
        name = key.name if is_series(key) else None
        if name in columns or name in names:
            raise NotImplementedError("Series.groupby with several keys of the same name")
        columns[name] = frame._column_from(key)
        names.append(name)
    grouped = new_frame(columns, frame._index, frame._row_mask, frame._sharding)
    if observed is False and any(grouped._columns[k].dtype.kind == "C" for k in names):
        raise NotImplementedError("groupby(observed=False) on a categorical key")
    gb = SeriesOwnGroupBy(grouped, names if len(keys) > 1 or isinstance(by, list) else names[0], True, sort,
                          dropna, [_VALUE], True, group_keys=group_keys, out_name=s._name)
    gb._user_by = by  # pandas' GroupBy.keys: the by argument as given
    return gb
