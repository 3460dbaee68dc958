"""stack and unstack: columns into the innermost row level, and back.

stack (pandas 3's implementation, ``future_stack=True``): row r, column j goes to output row
r * k + j; the values are the columns concatenated (one common dtype, as pandas' concat finds
it) and gathered once into row-major order. The row index repeats each label k times, a new
innermost level holds the column labels. Dead rows stay physically present and masked (the row
mask is repeated), so stack needs no host sync and works inside ``jax.jit``.

unstack: the innermost (or chosen) level of a row MultiIndex spreads into columns through the
pivot machinery (reshape/pivot.py): sorted row keys x sorted column keys, missing pairs NaN (or
``fill_value``), repeated pairs a ValueError.
"""

from __future__ import annotations

from typing import Any

import jax.numpy as jnp
import pandas as pd

from jaxframes import column as colmod
from jaxframes import index as idxmod
from jaxframes.column import Column
from jaxframes.index import MultiIndex, RangeIndex
from jaxframes.reshape.concat import concat_columns
from jaxframes.reshape.pivot import pivot
from jaxframes.reshape.set_index import level_number, reset_index
from jaxframes.ops import elementwise
from jaxframes.table import new_frame, new_series


def _label_column(labels: list) -> Column:
    if labels and all(isinstance(x, str) for x in labels):
        return colmod.from_values(pd.Series(labels, dtype="str"))
    return colmod.from_pandas_series(pd.Series(pd.Index(labels)))


def stack(frame: Any, level: Any = -1, dropna: Any = None, sort: Any = None, future_stack: bool = True) -> Any:
    """DataFrame.stack: a Series with the column labels as the innermost row level."""
    if not future_stack:
        raise NotImplementedError("stack(future_stack=False): the legacy implementation (deprecated in pandas)")
    if dropna is not None or sort is not None:
        raise ValueError("dropna must be unspecified as the new implementation does not introduce rows of NA "
                         "values. This keyword is not supported by the new implementation."
                         if dropna is not None else
                         "Cannot specify sort, this parameter is not supported by the new implementation.")
    if level not in (-1, 0) and level != frame.columns.name:
        raise IndexError(f"Too many levels: Index has only 1 level, not {level + 1 if isinstance(level, int) else level}")
    names = list(frame._columns)
    k, cap = len(names), frame._capacity
    if k == 0:
        raise NotImplementedError("stack of a frame without columns")
    values = concat_columns([frame._columns[n] for n in names])
    order = (jnp.arange(cap, dtype=jnp.int64)[:, None] + cap * jnp.arange(k, dtype=jnp.int64)[None, :]).reshape(-1)
    values = values.take(order)
    rows = jnp.repeat(jnp.arange(cap, dtype=jnp.int64), k, total_repeat_length=cap * k)
    levels = [(name, col.take(rows)) for name, col in idxmod.levels_of(frame._index)]
    labels = _label_column(names).take(jnp.tile(jnp.arange(k, dtype=jnp.int64), cap))
    levels.append((frame.columns.name, labels))
    mask = None if frame._row_mask is None else jnp.repeat(frame._row_mask, k, total_repeat_length=cap * k)
    return new_series(values, idxmod.from_levels(levels), mask, None)


def unstack(series: Any, level: Any = -1, fill_value: Any = None, sort: bool = True) -> Any:
    """Series.unstack: one level of the row MultiIndex becomes the columns."""
    index = series._index
    if not isinstance(index, MultiIndex):
        raise ValueError(f"index must be a MultiIndex to unstack, {type(series.index)} was passed")
    if not sort:
        raise NotImplementedError("unstack(sort=False)")
    if isinstance(level, (list, tuple)):
        raise NotImplementedError("unstack of several levels at once")
    pos = level_number(index, level)
    names = idxmod.names_of(index)
    if len(set(names)) != len(names) or any(n is None for n in names):
        tmp = [f"__level_{i}__" for i in range(len(names))]
    else:
        tmp = list(names)
    value_name = "__values__"
    frame = new_frame({value_name: series._column}, idxmod.with_names(index, tmp), series._row_mask, series._sharding)
    flat = reset_index(frame)
    rows = [t for i, t in enumerate(tmp) if i != pos]
    out = pivot(flat, columns=tmp[pos], index=rows, values=value_name)
    if fill_value is not None:
        present = pivot(flat.assign(**{value_name: 1.0}), columns=tmp[pos], index=rows, values=value_name)
        target = elementwise.where_dtype(series._column.dtype, fill_value)  # pandas fills before any NaN
        cols = {k: elementwise.where(c, present._columns[k].not_null(), fill_value)
                for k, c in out._columns.items()}
        cols = {k: c if c.dtype == target else elementwise.cast(c, target) for k, c in cols.items()}
        axis = out.columns
        out = out._with_columns(cols)
        out._column_axis = axis
    row_names = [n for i, n in enumerate(names) if i != pos]
    out = out._replace_rows(out._row_mask, idxmod.with_names(out._index, row_names))
    out._column_axis = out.columns.rename(names[pos])
    return out


def _unstack_flat(frame: Any) -> Any:
    """DataFrame.unstack of a flat index: a Series over (column label, row label), column-major
    (the columns concatenated: no reordering gather). Dead rows stay masked."""
    names = list(frame._columns)
    k, cap = len(names), frame._capacity
    if k == 0:
        raise NotImplementedError("unstack of a frame without columns")
    if not isinstance(frame._index, RangeIndex):  # pandas transposes, then stacks: labels must be unique
        if frame._traced():
            raise NotImplementedError("DataFrame.unstack inside jax.jit (the row labels must be checked "
                                      "for repeats on the host)")
        if not frame.index.is_unique:
            raise ValueError("Columns with duplicate values are not supported in stack")
    values = concat_columns([frame._columns[n] for n in names])
    labels = _label_column(names).take(jnp.repeat(jnp.arange(k, dtype=jnp.int64), cap, total_repeat_length=cap * k))
    rows = jnp.tile(jnp.arange(cap, dtype=jnp.int64), k)
    levels = [(frame.columns.name, labels)] + [(n, c.take(rows)) for n, c in idxmod.levels_of(frame._index)]
    mask = None if frame._row_mask is None else jnp.tile(frame._row_mask, k)
    return new_series(values, idxmod.from_levels(levels), mask, None)


def frame_unstack(frame: Any, level: Any = -1, fill_value: Any = None, sort: bool = True) -> Any:
    """DataFrame.unstack: only the one-column case (more columns need MultiIndex columns)."""
    if not isinstance(frame._index, MultiIndex):
        return _unstack_flat(frame)
    raise NotImplementedError("DataFrame.unstack of a MultiIndex: the result has MultiIndex columns, "
                              "which JaxFrames does not hold; unstack one column (df[col].unstack())")
