"""Function application: agg, apply, map, transform, pipe, combine, combine_first, update, eval, query.

Thin facades: the rules live in ops/application.py (agg/apply/transform/combine...),
ops/mapping.py (elementwise functions: traced through ``jax.vmap`` where they can be, else
pandas' eager loop) and expr/query.py (expression strings as ``jf.col`` expressions).

``update``: pandas' ``update`` mutates and returns None. Frames are immutable, so the pandas
call (``df.update(other)``) raises ``ImmutableFrameError`` naming the returning form,
``df = df.update(other, inplace=False)``, which gives the updated frame.
"""

from __future__ import annotations

import sys
from typing import Any, Callable

from jaxframes.axes import axis_number
from jaxframes.errors import ImmutableFrameError
from jaxframes.expr.query import frame_eval, query
from jaxframes.expr.query import top_level_eval as query_top_level_eval
from jaxframes.groupby.series import series_groupby
from jaxframes.ops import application as app
from jaxframes.ops.mapping import apply_rows, combine_series, map_frame, map_series, map_values


def caller_variables(level: int, local_dict: Any = None, global_dict: Any = None) -> dict:
    """The variables ``@name`` refers to: the caller's globals, then locals (``level`` frames
    further up, as pandas' ``level``), or the dicts given."""
    frame = sys._getframe(2 + level)
    names = dict(frame.f_globals if global_dict is None else global_dict)
    names.update(frame.f_locals if local_dict is None else local_dict)
    return names


def _check_engine(kwargs: dict) -> None:
    for key in ("parser", "engine"):
        kwargs.pop(key, None)
    unknown = set(kwargs) - {"resolvers", "target"}
    if unknown:
        raise TypeError(f"unexpected keyword argument(s) {sorted(unknown)}")
    if kwargs.get("resolvers"):
        raise NotImplementedError("query/eval with resolvers=")
    if kwargs.get("target") is not None:
        raise NotImplementedError("DataFrame.eval with target=")


class FrameApplyMethods:
    """DataFrame methods: Function application: agg, apply, map, transform, pipe, combine, combine_first, update, eval, query."""

    __slots__ = ()

    def agg(self, func: Any = None, axis: Any = 0, *args: Any, **kwargs: Any) -> Any:
        """A name, a numpy reducer, a callable, a list, or a dict {column: func(s)}."""
        return app.frame_agg(self, func, axis, args, kwargs)

    aggregate = agg

    def apply(self, func: Any, axis: Any = 0, raw: bool = False, result_type: Any = None,
              args: tuple = (), by_row: Any = "compat", engine: Any = None, engine_kwargs: Any = None,
              **kwargs: Any) -> Any:
        """axis=0: ``func`` on each column (a Series); axis=1: on each row, traced through
        ``jax.vmap`` when the function traces on numeric rows, else pandas' eager loop over the
        live rows (ops/mapping.py says when)."""
        if engine is not None:
            raise NotImplementedError("DataFrame.apply(engine=...)")
        if axis_number(axis, default=None) == 1:
            if isinstance(func, str):
                return app.call_named(self, func, args, {"axis": 1, **kwargs}, "DataFrame")
            return apply_rows(self, func, raw, result_type, tuple(args), kwargs)
        return app.frame_apply(self, func, raw, result_type, tuple(args), kwargs)

    def map(self, func: Callable, na_action: Any = None, **kwargs: Any) -> Any:
        """``func`` on every value (traced when it can be; see ops/mapping.py)."""
        if not callable(func):
            raise TypeError(f"'{type(func).__name__}' object is not callable")
        return map_frame(self, func, na_action, (), kwargs)

    def transform(self, func: Any, axis: Any = 0, *args: Any, **kwargs: Any) -> Any:
        """A same-shaped result (ValueError 'Function did not transform' otherwise)."""
        return app.frame_transform(self, func, axis, args, kwargs)

    def pipe(self, func: Any, *args: Any, **kwargs: Any) -> Any:
        """``func(self, *args, **kwargs)``; ``(func, 'keyword')`` passes self by keyword."""
        return app.pipe(self, func, args, kwargs)

    def combine(self, other: Any, func: Callable, fill_value: Any = None, overwrite: bool = True) -> Any:
        """Column-wise ``func(series, other_series)`` over the union of columns (same rows)."""
        return app.frame_combine(self, other, func, fill_value, overwrite)

    def combine_first(self, other: Any) -> Any:
        """Nulls filled from ``other``; other's extra columns added (same rows)."""
        return app.frame_combine_first(self, other)

    def update(self, other: Any, join: str = "left", overwrite: bool = True, filter_func: Any = None,
               errors: str = "ignore", inplace: Any = None) -> Any:
        """pandas' in-place update raises (frames are immutable); ``inplace=False`` returns
        the updated frame."""
        if inplace is not False:
            raise ImmutableFrameError("DataFrame.update modifies the frame in place and JaxFrames frames "
                                      "are immutable: use the returning form df = df.update(other, inplace=False)")
        return app.frame_update(self, other, join, overwrite, filter_func, errors)

    def query(self, expr: str, *, inplace: bool = False, local_dict: Any = None, global_dict: Any = None,
              level: int = 0, **kwargs: Any) -> Any:
        """Rows where the expression string is True (parsed into ``jf.col`` expressions)."""
        _check_engine(kwargs)
        return query(self, expr, caller_variables(level, local_dict, global_dict), inplace)

    def eval(self, expr: str, *, inplace: bool = False, local_dict: Any = None, global_dict: Any = None,
             level: int = 0, **kwargs: Any) -> Any:
        """The expression's value, or with assignments (``'c = a + b'``) the new frame."""
        _check_engine(kwargs)
        return frame_eval(self, expr, caller_variables(level, local_dict, global_dict), inplace)

    def __divmod__(self, other: Any) -> tuple:
        return self // other, self % other

    def __rdivmod__(self, other: Any) -> tuple:
        return other // self, other % self


class SeriesApplyMethods:
    """Series methods: Function application: agg, apply, map, transform, pipe, combine, combine_first, update, eval, query."""

    __slots__ = ()

    def agg(self, func: Any = None, axis: Any = 0, *args: Any, **kwargs: Any) -> Any:
        """A name, a numpy reducer, a callable (called with the Series), a list or a dict."""
        axis_number(axis, "Series", default=None)
        return app.series_agg(self, func, args, kwargs)

    aggregate = agg

    def apply(self, func: Any, args: tuple = (), *, by_row: Any = "compat", **kwargs: Any) -> Any:
        """``func`` on each value (as ``map``); by_row=False calls it once with the Series."""
        return app.series_apply(self, func, tuple(args), by_row, kwargs)

    def map(self, arg: Any, na_action: Any = None) -> Any:
        """A dict/Series lookup or a function of each value (traced through ``jax.vmap`` when
        it can be, else pandas' eager loop over the live values; see ops/mapping.py)."""
        if callable(arg) and not hasattr(arg, "_column"):
            return map_series(self, arg, na_action)
        return map_values(self, arg, na_action)

    def transform(self, func: Any, axis: Any = 0, *args: Any, **kwargs: Any) -> Any:
        axis_number(axis, "Series", default=None)
        return app.series_transform(self, func, args, kwargs)

    def pipe(self, func: Any, *args: Any, **kwargs: Any) -> Any:
        return app.pipe(self, func, args, kwargs)

    def combine(self, other: Any, func: Callable, fill_value: Any = None) -> Any:
        """``func(x, y)`` on each pair of values (traced when it can be)."""
        return combine_series(self, other, func, fill_value)

    def combine_first(self, other: Any) -> Any:
        """Nulls filled from ``other`` (same row labels)."""
        return app.series_combine_first(self, other)

    def update(self, other: Any, inplace: Any = None) -> Any:
        """pandas' in-place update raises; ``inplace=False`` returns the updated Series."""
        if inplace is not False:
            raise ImmutableFrameError("Series.update modifies the Series in place and JaxFrames objects are "
                                      "immutable: use the returning form s = s.update(other, inplace=False)")
        frame = app.frame_update(self.to_frame(), other.rename(self.name) if hasattr(other, "_column") else other,
                                 "left", True, None, "ignore")
        return frame[self.name]

    def groupby(self, by: Any = None, level: Any = None, as_index: bool = True, sort: bool = True,
                group_keys: bool = True, observed: Any = None, dropna: bool = True) -> Any:
        """Group the values by key Series/arrays of the same rows."""
        return series_groupby(self, by, level, as_index, sort, group_keys, observed, dropna)

    def divmod(self, other: Any, level: Any = None, fill_value: Any = None, axis: Any = 0) -> tuple:
        """(self // other, self % other)."""
        if level is not None or fill_value is not None:
            raise NotImplementedError("divmod with level= or fill_value=")
        return self // other, self % other

    def rdivmod(self, other: Any, level: Any = None, fill_value: Any = None, axis: Any = 0) -> tuple:
        """(other // self, other % self)."""
        if level is not None or fill_value is not None:
            raise NotImplementedError("rdivmod with level= or fill_value=")
        return other // self, other % self

    def __divmod__(self, other: Any) -> tuple:
        return self // other, self % other

    def __rdivmod__(self, other: Any) -> tuple:
        return other // self, other % self

    def case_when(self, caselist: list) -> Any:
        """The first true condition's replacement, else the value (pandas' Series.case_when)."""
        return app.case_when(self, caselist)


def top_level_eval(expr: str, parser: str = "pandas", engine: Any = None, local_dict: Any = None,
                   global_dict: Any = None, resolvers: Any = (), level: int = 0, target: Any = None,
                   inplace: bool = False) -> Any:
    """``jf.eval``: pandas' top-level eval over the caller's variables (``'df.a + df.b'``);
    with an assignment, ``target`` (a frame) is returned with the new column."""
    return query_top_level_eval(expr, caller_variables(level, local_dict, global_dict), target, inplace,
                                resolvers)
