"""Accessors of list columns: ``s.list`` (pandas' accessor for ``pd.ArrowDtype`` lists) and
``s.str`` on object columns of lists (the idiom pandas users reach for: ``s.str.len()``,
``s.str[0]``, ``s.str.get(i)``, ``s.str[a:b]``, ``s.str.join(sep)``).

Lengths, element access and slices run on device over the [start, length] pairs
(ops/lists.py); ``join`` builds strings, so it runs on the host on the live rows.
Result dtypes: see ops/lists.py (pandas' object answers are held as ``infer_objects`` types;
Arrow element types as their pandas masked twins).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from jaxframes import dtypes as jdt
from jaxframes.ops import lists as ops
from jaxframes.table import from_pandas, is_traced


def _live(series: Any) -> Any:
    return series._row_mask


class ListAccessor:
    """``s.list`` for a Series of ``pd.ArrowDtype(list<T>)``, as pandas' ListAccessor."""

    def __init__(self, series: Any):
        dtype = series._column.dtype
        if dtype.kind != "L" or dtype.arrow_type is None:
            raise AttributeError("Can only use the '.list' accessor with 'list[pyarrow]' dtype, "
                                 f"not {jdt.to_pandas(dtype) if dtype.kind != 'L' else 'object'}.")
        self._series = series

    def len(self) -> Any:
        """Elements per row (pandas: int32[pyarrow]; here its masked twin Int32)."""
        return self._series._with_column(ops.list_lengths(self._series._column, jdt.NINT32, _live(self._series)))

    def __getitem__(self, key: int | slice) -> Any:
        """Element ``key`` of each row (a short non-null row raises, as Arrow does), or each
        list sliced (same list dtype)."""
        col = self._series._column
        if isinstance(key, slice):
            return self._series._with_column(ops.sliced(col, key, python_index=False))
        if isinstance(key, (int, np.integer)) and not isinstance(key, bool):
            return self._series._with_column(ops.element(col, int(key), _live(self._series), python_index=False))
        raise ValueError(f"key must be an int or slice, got {type(key).__name__}")

    def flatten(self) -> Any:
        """Every element of every row, each with its row's label (null and empty rows give none)."""
        series = self._series
        table = ops.explode(series._table, list(series._table.columns), False, keep_empty=False)
        return series._wrap(table)


class ListStringMethods:
    """``s.str`` on an object column of lists: the methods pandas' ``.str`` gives list values."""

    def __init__(self, series: Any):
        if series._column.dtype.arrow_type is not None:
            raise AttributeError("Can only use .str accessor with string values, not unknown-array")
        self._series = series

    def len(self) -> Any:
        """Elements per row: int64, or float64 with NaN once a live row is missing (pandas)."""
        return self._series._with_column(ops.list_lengths(self._series._column, None, _live(self._series)))

    def get(self, i: int) -> Any:
        """Element ``i`` (negative from the end; null where a row is shorter or missing)."""
        if not isinstance(i, (int, np.integer)) or isinstance(i, bool):
            raise NotImplementedError(f"Series.str.get({i!r}) on a list column: only integer positions")
        return self._series._with_column(ops.element(self._series._column, int(i), _live(self._series),
                                                     python_index=True))

    def __getitem__(self, key: int | slice) -> Any:
        if isinstance(key, slice):
            return self._series._with_column(ops.sliced(self._series._column, key, python_index=True))
        return self.get(key)

    def join(self, sep: str) -> Any:
        """Each list of strings joined with ``sep`` (pandas' object result held as 'str';
        a list holding a non-string gives NaN, as pandas). Runs on the host."""
        series = self._series
        if is_traced(series._column.data, series._row_mask):
            raise NotImplementedError("Series.str.join on a list column inside jax.jit")
        result = series.to_pandas().str.join(sep)
        if result.dtype == object:  # 'string' lists (missing rows pd.NA) join to 'string'
            na = pd.NA if series._column.dtype.missing == "na" else np.nan
            result = result.astype(pd.StringDtype(na_value=na))
        return from_pandas(result)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        raise NotImplementedError(f"Series.str.{name} on a list column (pandas gives NaN per row for "
                                  "string methods on lists); explode() it first")


def string_accessor(series: Any, strings: type) -> Any:
    """``s.str``: list methods on a list column, else ``strings(series)`` (StringMethods)."""
    if series._column.dtype.kind == "L":
        return ListStringMethods(series)
    return strings(series)
