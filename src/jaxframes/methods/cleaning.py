"""Cleaning: where/mask, clip, round, missing values (isna, fillna, ffill/bfill), replace, interpolate, convert_dtypes, select_dtypes, add_prefix/suffix, sample, compare, repeat.

Thin: the logic is in ops/cleaning.py."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from jaxframes.axes import axis_number
from jaxframes.errors import reject_inplace
from jaxframes.missing import clip, fill_direction, fillna, isna, round_, where
from jaxframes.ops import cleaning as cl

_NO_DEFAULT = pd.api.extensions.no_default


class _CleaningMethods:
    """What DataFrame and Series share."""

    __slots__ = ()

    def where(self, cond: Any, other: Any = np.nan, *, inplace: bool = False, axis: Any = None,
              level: Any = None) -> Any:
        """Keep values where ``cond`` is True, else ``other`` (NaN/NA by default)."""
        return where(self, cond, other, inplace, axis, level)

    def mask(self, cond: Any, other: Any = np.nan, *, inplace: bool = False, axis: Any = None,
             level: Any = None) -> Any:
        """Replace values where ``cond`` is True with ``other`` (the inverse of where)."""
        return where(self, cond, other, inplace, axis, level, invert=True)

    def clip(self, lower: Any = None, upper: Any = None, *, axis: Any = None, inplace: bool = False) -> Any:
        """Bound values to [lower, upper] (scalar bounds)."""
        return clip(self, lower, upper, axis, inplace)

    def round(self, decimals: Any = 0) -> Any:
        """Round numeric values (half to even, like numpy); other columns are unchanged."""
        return round_(self, decimals)

    def isna(self) -> Any:
        """True where a value is missing (NaN, NA, NaT, None)."""
        return isna(self)

    isnull = isna

    def notna(self) -> Any:
        """True where a value is present."""
        return isna(self, negate=True)

    notnull = notna

    def fillna(self, value: Any, *, axis: Any = None, inplace: bool = False,
               limit: Any = None) -> Any:
        """Replace missing values by a scalar (frames: or a dict of scalars per column; Series: or a
        Series on the same rows)."""
        return fillna(self, value, axis, inplace, limit)

    def ffill(self, *, axis: Any = None, inplace: bool = False, limit: Any = None,
              limit_area: Any = None) -> Any:
        """Fill each missing value with the previous present value (per column)."""
        return fill_direction(self, True, axis, inplace, limit, limit_area)

    def bfill(self, *, axis: Any = None, inplace: bool = False, limit: Any = None,
              limit_area: Any = None) -> Any:
        """Fill each missing value with the next present value (per column)."""
        return fill_direction(self, False, axis, inplace, limit, limit_area)

    def replace(self, to_replace: Any = None, value: Any = _NO_DEFAULT, *, inplace: bool = False,
                regex: Any = False) -> Any:
        """Values replaced: scalars, lists, dicts (per column for frames), regexes on strings."""
        return cl.replace(self, to_replace, value, inplace, regex)

    def interpolate(self, method: str = "linear", *, axis: Any = 0, limit: Any = None, inplace: bool = False,
                    limit_direction: Any = None, limit_area: Any = None, downcast: Any = _NO_DEFAULT,
                    **kwargs: Any) -> Any:
        """Fill NaN by linear interpolation ('linear' by position; 'index'/'values' by the labels)."""
        return cl.interpolate(self, method, axis, limit, inplace, limit_direction, limit_area, downcast, kwargs)

    def convert_dtypes(self, infer_objects: Any = _NO_DEFAULT, convert_string: Any = _NO_DEFAULT,
                       convert_integer: Any = _NO_DEFAULT, convert_boolean: Any = _NO_DEFAULT,
                       convert_floating: Any = _NO_DEFAULT, dtype_backend: str = "numpy_nullable") -> Any:
        """The best nullable dtypes (Int64, boolean, Float64, string) for the values."""
        return cl.convert_dtypes(self, infer_objects, convert_string, convert_integer, convert_boolean,
                                 convert_floating, dtype_backend)

    def infer_objects(self, copy: Any = None) -> Any:
        """A no-op: no column holds pandas' object dtype."""
        return cl.infer_objects(self)

    def add_prefix(self, prefix: str, axis: Any = None) -> Any:
        """Labels prefixed: columns of a frame (axis=0: rows), the index of a Series."""
        return cl.add_affix(self, prefix, axis, prefix=True)

    def add_suffix(self, suffix: str, axis: Any = None) -> Any:
        """Labels suffixed: columns of a frame (axis=0: rows), the index of a Series."""
        return cl.add_affix(self, suffix, axis, prefix=False)

    def sample(self, n: Any = None, frac: Any = None, replace: bool = False, weights: Any = None,
               random_state: Any = None, axis: Any = None, ignore_index: bool = False) -> Any:
        """Random rows: the same rows as pandas for the same ``random_state``."""
        return cl.sample(self, n, frac, replace, weights, random_state, axis, ignore_index)

    def compare(self, other: Any, align_axis: Any = 1, keep_shape: bool = False, keep_equal: bool = False,
                result_names: tuple = ("self", "other")) -> Any:
        """The differing values side by side."""
        return cl.compare(self, other, align_axis, keep_shape, keep_equal, result_names)

    def first_valid_index(self) -> Any:
        """Label of the first row with a non-null value (None if none)."""
        return cl.valid_index(self, first=True)

    def last_valid_index(self) -> Any:
        """Label of the last row with a non-null value (None if none)."""
        return cl.valid_index(self, first=False)


class FrameCleaningMethods(_CleaningMethods):
    """DataFrame methods: Cleaning: replace, interpolate, convert_dtypes, select_dtypes, add_prefix/suffix, sample, compare, repeat."""

    __slots__ = ()

    def select_dtypes(self, include: Any = None, exclude: Any = None) -> Any:
        """Columns whose dtypes match ``include`` and not ``exclude`` (pandas' dtype rules)."""
        return cl.select_dtypes(self, include, exclude)

    def explode(self, column: Any, ignore_index: bool = False) -> Any:
        """One row per list element of the named list columns (pandas' index repetition; an empty
        list or a missing row gives one null row); without list columns, the rows unchanged."""
        return cl.explode(self, column, ignore_index)


class SeriesCleaningMethods(_CleaningMethods):
    """Series methods: Cleaning: replace, interpolate, convert_dtypes, select_dtypes, add_prefix/suffix, sample, compare, repeat."""

    __slots__ = ()

    def repeat(self, repeats: Any, axis: Any = None) -> Any:
        """Each value (and label) repeated ``repeats`` times (an int or one count per row)."""
        return cl.repeat(self, repeats, axis)

    def explode(self, ignore_index: bool = False) -> Any:
        """One row per list element (a list Series), or the rows unchanged (scalar values)."""
        return cl.explode(self, None, ignore_index)

    def drop(self, labels: Any = None, *, axis: Any = 0, index: Any = None, columns: Any = None,
             level: Any = None, inplace: bool = False, errors: str = "raise") -> Any:
        """Rows dropped by label."""
        reject_inplace(inplace, "drop")
        if level is not None:
            raise NotImplementedError("drop(level=...): MultiIndex rows are not supported")
        axis_number(axis, "Series", default=None)
        if labels is not None and index is not None:
            raise ValueError("Cannot specify both 'labels' and 'index'/'columns'")
        labels = index if labels is None else labels
        if labels is None:
            if columns is not None:
                return self._wrap(self._table)
            raise ValueError("Need to specify at least one of 'labels', 'index' or 'columns'")
        names = list(labels) if isinstance(labels, (list, tuple, set, pd.Index, np.ndarray)) else [labels]
        host = self.index
        missing = [n for n in names if n not in host]
        if missing and errors == "raise":
            raise KeyError(f"{missing!r} not found in axis")
        return self._keep_positions(np.flatnonzero(~np.asarray(host.isin(names))))
