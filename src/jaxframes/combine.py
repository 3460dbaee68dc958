"""Lining up the operands of an operator before the column kernels run (ops/arithmetic.py).

Rows: two containers with the same index layout (``index.same_labels`` and same capacity) are
combined row by row. When their row masks differ, the result's rows are the union of live rows
and a row live on one side only is null on the other (pandas' alignment; numpy int columns
become float64 then, numpy bool columns act as False for & | ^). The result's row mask goes
down to the column operators as ``live``: only live rows decide pandas' value-dependent rules.
Whether the live rows really differ is a ``facts.any_live`` question: eagerly one sync; inside
``jax.jit`` it cannot be answered, so two DIFFERENT row masks are always treated as "may
differ" there: numpy int/bool results become float64 (a static dtype) and
comparisons refuse (pandas raises unless the labels are identical). Two RangeIndexes with the
same start and step but different lengths are padded to the longer one. Indexes that truly
differ are aligned by label (ops/align.py: pandas' outer join of the labels, NaN where a side
has no row; comparisons raise pandas' "identically-labeled" ValueError); inside jit the labels
cannot be read: NotImplementedError. Frames with different columns: as pandas, the operator runs
on the shared columns and the union of column labels comes back (all-NaN float64 columns where a
side lacks one).

Columns: DataFrame/DataFrame needs the same column list; DataFrame/Series lines the Series up
with the frame's COLUMNS (pandas' default), or with the rows for ``axis='index'``.
"""

from __future__ import annotations

from typing import Any, Callable, Hashable

import jax
import jax.numpy as jnp
import numpy as np
import pandas as pd

from jaxframes import column as colmod
from jaxframes.axes import axis_number
from jaxframes.arraylike import OP_TABLE
from jaxframes.column import Column
from jaxframes.facts import any_live
from jaxframes.table import is_frame, is_series, is_traced, make_frame, make_series, new_frame, new_series
from jaxframes.index import RangeIndex
from jaxframes.ops.arithmetic import CMP, LOGICAL, binary_op, unary_op
from jaxframes.ops.align import align_rows_by_label, on_labels, reindex_columns
from jaxframes.ops.elementwise import with_nulls_where
from jaxframes.sync import device_get

_FLIP = {"eq": "eq", "ne": "ne", "lt": "gt", "le": "ge", "gt": "lt", "ge": "le"}
_SERIES_CMP_ERR = "Can only compare identically-labeled Series objects"
_FRAME_CMP_ERR = "Can only compare identically-labeled (both index and columns) DataFrame objects"


def _apply(name: str, reverse: bool, left: Any, right: Any, live: Any) -> Column:
    """The column operator in Python's operand order; ``live`` is the result's row mask, so that
    only live rows decide pandas' value-dependent rules (ops/arithmetic.py)."""
    return binary_op(name, right, left, live) if reverse else binary_op(name, left, right, live)


def _apply_aligned(name: str, reverse: bool, left: Column, right: Column, l_abs: Any, r_abs: Any,
                   live: Any) -> Column:
    """A binary op on aligned columns; pandas' numpy-bool logic gives False where the
    Python-left operand has no row (and treats a missing right row as False)."""
    out = _apply(name, reverse, _absent(left, l_abs, name), _absent(right, r_abs, name), live)
    first_abs = r_abs if reverse else l_abs
    if name in LOGICAL and first_abs is not None and out.dtype.kind == "b" and not out.dtype.masked:
        out = out.replace(data=out.data & ~first_abs)
    return out


# -- rows ---------------------------------------------------------------------------------------
def _pad_rows(container: Any, capacity: int) -> Any:
    """The container with dead rows appended up to ``capacity`` (RangeIndex extended)."""
    return container._wrap(container._table.pad_to(capacity))


def align_rows(a: Any, b: Any, name: str, cmp_error: str) -> tuple:
    """(a, b, row_mask, a_absent, b_absent): both laid out on the same physical rows;
    ``x_absent`` marks rows live in the result but not in ``x`` (None when there are none)."""
    if a._capacity != b._capacity or not a._index.same_labels(b._index):
        ia, ib = a._index, b._index
        if isinstance(ia, RangeIndex) and isinstance(ib, RangeIndex) and (ia.start, ia.step) == (
                ib.start, ib.step) and a._sharding is None and b._sharding is None:
            cap = max(a._capacity, b._capacity)
            a, b = _pad_rows(a, cap), _pad_rows(b, cap)
        elif is_traced(a._row_mask, b._row_mask, *a._arrays(), *b._arrays()):
            raise NotImplementedError(
                "operands with different indexes inside jax.jit; pandas aligns them by label, and the "
                "labels are host values (align outside jit, or give both the same index)")
        elif a.index.equals(b.index):
            a, b = a._compact_exact(), b._compact_exact()
            return a, b, None, None, None
        elif name in CMP:
            raise ValueError(cmp_error)
        else:
            a, b = align_rows_by_label(a, b, "outer")
            return a, b, None, None, None
    if a._row_mask is b._row_mask:
        return a, b, a._row_mask, None, None
    la, lb = a._live(), b._live()
    traced = is_traced(la, lb)
    if not any_live("row masks differ", la != lb, None, in_jit=True):
        return a, b, a._row_mask, None, None
    if name in CMP:
        if traced:
            raise NotImplementedError("comparing operands with different row masks inside jax.jit "
                                      "(pandas requires identical labels; this cannot be checked in jit)")
        raise ValueError(cmp_error)
    return a, b, la | lb, ~la, ~lb


def _absent(col: Column, absent: Any, name: str) -> Column:
    if absent is None:
        return col
    if col.dtype.kind == "b" and not col.dtype.masked:
        if name in LOGICAL:
            return col.replace(data=col.data & ~absent)
        raise NotImplementedError("arithmetic on numpy bool operands whose rows do not line up "
                                  "(pandas turns them into object dtype)")
    return with_nulls_where(col, absent)


def _array_column(container: Any, values: Any, name: str) -> Column:
    """A Column on the container's physical rows from a 1-d array/list of its live length."""
    if isinstance(values, jax.Array) and container._row_mask is None:
        if values.shape[0] != container._capacity:
            raise ValueError(f"Lengths must match: {values.shape[0]} != {container._capacity}")
        return colmod.from_values(values)
    col = colmod.from_values(device_get(values) if isinstance(values, jax.Array) else values)
    n_live = container._num_rows()
    if col.capacity != n_live:
        if name in CMP:
            raise ValueError("Lengths must match to compare", (n_live,), (col.capacity,))
        raise ValueError(f"operands could not be broadcast together with shapes ({n_live},) ({col.capacity},)")
    if container._row_mask is None:
        return col
    positions = jnp.asarray(np.flatnonzero(device_get(container._row_mask)))
    data = jnp.zeros(container._capacity, col.data.dtype).at[positions].set(col.data)
    validity = None if col.validity is None else jnp.zeros(container._capacity, bool).at[positions].set(
        col.validity)
    return col.replace(data=data, validity=validity)


def _is_array_like(value: Any) -> bool:
    if isinstance(value, (jax.Array, np.ndarray)):
        return value.ndim > 0
    return isinstance(value, (list, tuple, pd.Series, pd.Index, pd.api.extensions.ExtensionArray))


def _scalar(value: Any) -> Any:
    if isinstance(value, np.ndarray) and value.ndim == 0:
        return value[()]
    return value


# -- Series ---------------------------------------------------------------------------------------
def _result_name(left: Any, right: Any) -> Hashable:
    a, b = left._name, right._name
    try:
        same = a is b or bool(a == b)
    except (TypeError, ValueError):
        same = False
    return a if same else None


def series_op(series: Any, other: Any, op: Callable) -> Any:
    """``series <op> other`` for any operator function of arraylike.OP_TABLE."""
    name, reverse = OP_TABLE[op]
    return series_binary(series, other, name, reverse)


def series_binary(series: Any, other: Any, name: str, reverse: bool) -> Any:
    if is_frame(other):
        if name in CMP:
            return frame_binary(other, series, _FLIP[name], False)
        return frame_binary(other, series, name, not reverse)
    if is_series(other):
        a, b, mask, a_abs, b_abs = align_rows(series, other, name, _SERIES_CMP_ERR)
        col = _apply_aligned(name, reverse, a._column, b._column, a_abs, b_abs, mask)
        return new_series(col, a._index, mask, _result_name(series, other), a._sharding)
    if isinstance(other, pd.DataFrame):
        raise TypeError("cannot combine a jaxframes Series with a pandas DataFrame; convert it first")
    if isinstance(other, pd.Series):
        return series_binary(series, make_series(other), name, reverse)
    if _is_array_like(other):
        other_col = _array_column(series, other, name)
        return series._with_column(_apply(name, reverse, series._column, other_col, series._row_mask))
    return series._with_column(_apply(name, reverse, series._column, _scalar(other), series._row_mask))


def unary(container: Any, op: Callable) -> Any:
    """``-x``, ``+x``, ``abs(x)``, ``~x`` column by column."""
    name = OP_TABLE[op][0]
    if is_frame(container):
        return container._with_columns({k: unary_op(name, c) for k, c in container._columns.items()})
    return container._with_column(unary_op(name, container._column))


# -- DataFrame ----------------------------------------------------------------------------------
def frame_op(frame: Any, other: Any, op: Callable, axis: Any = "columns") -> Any:
    name, reverse = OP_TABLE[op]
    return frame_binary(frame, other, name, reverse, axis)


def frame_binary(frame: Any, other: Any, name: str, reverse: bool, axis: Any = "columns") -> Any:
    axis_number(axis)
    if isinstance(other, pd.DataFrame):
        other = make_frame(other)
    elif isinstance(other, pd.Series):
        other = make_series(other)
    if is_frame(other):
        if list(frame._columns) != list(other._columns):
            if name in CMP:
                raise ValueError(_FRAME_CMP_ERR)
            # pandas: the operator runs on the shared columns, the others come back all-NaN float64
            shared = frame.columns.join(other.columns, how="inner")
            result = frame_binary(frame._select(list(shared)), other._select(list(shared)), name, reverse, axis)
            union = frame.columns.join(other.columns, how="outer")
            return reindex_columns(result, union)
        a, b, mask, a_abs, b_abs = align_rows(frame, other, name, _FRAME_CMP_ERR)
        cols = {k: _apply_aligned(name, reverse, a._columns[k], b._columns[k], a_abs, b_abs, mask)
                for k in a._columns}
        return new_frame(cols, a._index, mask, a._sharding)
    if is_series(other):
        if axis in ("index", 0, "rows"):
            a, b, mask, a_abs, b_abs = align_rows(frame, other, name, _FRAME_CMP_ERR)
            cols = {k: _apply_aligned(name, reverse, c, b._column, a_abs, b_abs, mask)
                    for k, c in a._columns.items()}
            return new_frame(cols, a._index, mask, a._sharding)
        return _frame_row_series(frame, other, name, reverse)
    if _is_array_like(other):
        values = other
        if np.ndim(values) != 1:
            raise NotImplementedError("DataFrame operators with a 2-d array are not supported yet")
        if len(values) != len(frame._columns):
            raise ValueError(f"Unable to coerce to Series, length must be {len(frame._columns)}: "
                             f"given {len(values)}")
        # pandas lines a list/array up with the columns like a Series of the array's dtype.
        host = device_get(values) if isinstance(values, jax.Array) else np.asarray(values)
        row = make_series(pd.Series(host, index=pd.Index(list(frame._columns))))
        return _frame_row_series(frame, row, name, reverse)
    other = _scalar(other)
    live = frame._row_mask
    return frame._with_columns({k: _apply(name, reverse, c, other, live) for k, c in frame._columns.items()})


def _frame_row_series(frame: Any, series: Any, name: str, reverse: bool) -> Any:
    """A Series lined up with the frame's columns: element i broadcasts down column i."""
    if is_traced(series._row_mask, *series._arrays()):
        raise NotImplementedError("DataFrame <op> Series lined up on the columns inside jax.jit "
                                  "(the Series labels must be checked on the host)")
    labels = series.index
    if not labels.equals(pd.Index(list(frame._columns))):
        # pandas aligns the Series' labels with the columns (outer join; all-NaN where one lacks)
        union = frame.columns.join(labels, how="outer")
        frame, series = reindex_columns(frame, union), on_labels(series, union)
    compact = series._compact_exact()
    src = compact._column
    cols = {}
    for i, (key, col) in enumerate(frame._columns.items()):
        shape = (col.capacity,)
        validity = None if src.validity is None else jnp.broadcast_to(src.validity[i], shape)
        broadcast = Column(jnp.broadcast_to(src.data[i], shape), validity, src.dtype, src.dictionary)
        cols[key] = _apply(name, reverse, col, broadcast, frame._row_mask)
    return frame._with_columns(cols)


def reject_flex_args(level: Any, fill_value: Any) -> None:
    """Arguments of the named methods (``df.add(..., fill_value=)``) we do not support yet."""
    if level is not None:
        raise NotImplementedError("level=: MultiIndex is not supported")
    if fill_value is not None:
        raise NotImplementedError("fill_value= in arithmetic methods is not supported yet")
