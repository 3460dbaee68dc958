"""Setting values into a column, as pandas' ``obj.loc[rows] = value`` does, without mutation.

The rows are already resolved (indexing.py): a device mask ``keep`` of the physical rows that get
a value and, for list-like values, the physical row of each value. What a value does to the
column's dtype is pandas' own rule, taken from pandas on a small host sample of the column's
dtype holding the value(s) being set (never the column's data, so dead rows decide nothing): an
int64 column set to 1.0 stays int64, set to None becomes float64, set to 1.5 raises pandas'
TypeError ("Invalid value '1.5' for dtype 'int64'"). The converted value(s) come from that same
sample, so the cast is pandas' too; the column itself is replaced on device by a select.
"""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
import pandas as pd

from jaxframes import dtypes as jdt
from jaxframes import column as colmod
from jaxframes.column import Column
from jaxframes.ops import elementwise as ew


def _sample(dtype: jdt.DType, length: int) -> pd.Series:
    """``length`` placeholder values of the column's exact pandas dtype."""
    pd_dtype = jdt.to_pandas(dtype)
    if dtype.kind in "biuf" and not dtype.masked:
        return pd.Series(np.zeros(length, dtype=dtype.storage), dtype=pd_dtype)
    return pd.Series([None] * length, dtype=pd_dtype)


def set_values(dtype: jdt.DType, value: Any, length: int, whole_column: bool = False) -> pd.Series:
    """pandas' answer to setting ``value`` (a scalar, or ``length`` values as the user gave them:
    list, ndarray, array) into a column of ``dtype``: the values as pandas stores them, in the
    dtype pandas gives the column. pandas' own errors (TypeError for a value the dtype cannot
    hold, ValueError for a length mismatch) and warnings come through unchanged.

    ``whole_column``: a frame's column set through a row slice that covers it all
    (``df.loc[:, 'a'] = v``), which pandas sets in place without changing the dtype (an int64
    column set to None raises there, where ``df.loc[0, 'a'] = None`` makes it float64)."""
    sample = _sample(dtype, length)
    if not whole_column:
        sample.iloc[:] = value
        return sample
    frame = sample.to_frame()
    frame.iloc[:, 0] = value
    return frame.iloc[:, 0]


def set_column(col: Column, keep: jax.Array, value: Any, scalar: bool, count: int,
               physical: jax.Array | None = None, picks: np.ndarray | None = None,
               whole_column: bool = False) -> Column:
    """``col`` with ``value`` at the rows where ``keep`` (physical rows). A scalar goes to every
    such row; otherwise the ``count`` values are checked and converted, and value ``picks[i]``
    goes to physical row ``physical[i]`` (rows distinct: see ``last_of_duplicates``)."""
    values = set_values(col.dtype, value, 1 if scalar else count, whole_column)
    res = jdt.held(values.dtype, f"setting {value!r} into a {col.dtype} column")
    right = colmod.from_pandas_series(values)
    if right.dtype != res:
        raise NotImplementedError(f"setting values of dtype {values.dtype} into a {col.dtype} column")
    if not scalar and len(picks) != count and col.dtype.kind not in "biufMm":
        raise NotImplementedError(f"setting a {col.dtype} column at a repeated row (pandas' last-wins holds "
                                  "for NumPy-backed dtypes only)")
    left = ew.cast(col, res) if col.dtype != res else col
    capacity = col.capacity
    if not scalar and count == 0:
        return left
    source = jnp.zeros(capacity, jnp.int32)
    if not scalar:
        source = source.at[physical].set(jnp.asarray(picks, dtype=jnp.int32))
    return ew.select(keep, right.take(source), left)


def last_of_duplicates(positions: np.ndarray) -> np.ndarray:
    """Indices into ``positions`` that keep the last occurrence of each position, in order."""
    if len(np.unique(positions)) == len(positions):
        return np.arange(len(positions))
    _, first_of_reversed = np.unique(positions[::-1], return_index=True)
    return np.sort(len(positions) - 1 - first_of_reversed)
