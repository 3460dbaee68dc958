"""Building result columns from join indexers with pandas' dtype rules.

A gather with -1 (no partner row) gives a null, and pandas changes the dtype the way
``take_nd(fill_value=NaN)`` does: numpy ints become float64, numpy bools become object (which
JaxFrames cannot hold: NotImplementedError), masked dtypes, strings and datetimes keep their
dtype with NA/NaT. Coalesced key columns take pandas' common dtype of both sides.
"""

from __future__ import annotations

import dataclasses

import jax
import jax.numpy as jnp
import numpy as np
import pandas as pd
from pandas.core.dtypes.cast import find_common_type

from jaxframes import column as colmod
from jaxframes import dtypes as jdt
from jaxframes.column import Column
from jaxframes.kernels.filled import zeros
from jaxframes.kernels.take import take


def take_fill(col: Column, idx: jax.Array, missing: bool, what: object = "") -> Column:
    """Rows ``idx`` of ``col``; where idx is -1 a null (dtype per pandas when ``missing``)."""
    return take_fill_many([col], idx, [missing], [what])[0]


def take_fill_many(cols: list[Column], idx: jax.Array, missing: list[bool], what: list) -> list[Column]:
    """``take_fill`` of several columns at the same indices: their data and validity arrays are
    gathered in one call (the C++ take reads the indices once for all of them)."""
    arrays = []
    for col in cols:
        if col.capacity:
            arrays.append(col.data)
            if col.validity is not None:
                arrays.append(col.validity)
    taken = iter(take(tuple(arrays), idx) if arrays else ())
    n = idx.shape[0]
    out = []
    for col, miss, name in zip(cols, missing, what):
        if col.capacity == 0:
            data = zeros(n, col.data.dtype)
            validity = None if col.validity is None else zeros(n, bool)
        else:
            data = next(taken)
            validity = None if col.validity is None else next(taken)
        out.append(_filled(col.replace(data=data, validity=validity), idx, miss, name))
    return out


def _filled(taken: Column, idx: jax.Array, missing: bool, what: object) -> Column:
    """A gathered column with nulls where idx is -1 (dtype per pandas when ``missing``)."""
    col, data, validity = taken, taken.data, taken.validity
    if not missing:
        return taken
    present = idx >= 0
    dtype = col.dtype
    if dtype.kind == "L" and dtype.arrow_type is None:  # pandas fills an object column with NaN
        dtype = dataclasses.replace(dtype, missing="nan")
        taken = taken.replace(dtype=dtype)
    if dtype.has_validity:
        return taken.replace(validity=present if validity is None else validity & present)
    if dtype.kind == "b":
        raise NotImplementedError(
            f"column {what!r}: a bool column with unmatched rows becomes object dtype in pandas, "
            "which JaxFrames cannot hold (cast it to 'boolean' first)")
    if dtype.kind == "i":
        return Column(jnp.where(present, data.astype(np.float64), np.nan), None, jdt.FLOAT64)
    return taken.replace(data=jnp.where(present, data, jnp.nan))


def common_dtype(a: jdt.DType, b: jdt.DType) -> jdt.DType:
    """pandas' find_common_type of two column dtypes (object: NotImplementedError)."""
    if a == b:
        return a
    found = find_common_type([jdt.to_pandas(a), jdt.to_pandas(b)])
    if isinstance(found, np.dtype) and found == object:
        raise NotImplementedError(f"combining columns of dtypes {a} and {b} (a merge key or a concatenated "
                                  "column) gives pandas' object dtype, which JaxFrames columns do not hold")
    return jdt.from_pandas(found)


def coalesce(lvals: Column, rvals: Column, left_missing: jax.Array, all_left_missing: bool,
             all_right_missing: bool) -> Column:
    """The key column of a join: the left value where the left row exists, else the right one."""
    if all_left_missing:
        return rvals
    if all_right_missing:
        return lvals
    target = common_dtype(lvals.dtype, rvals.dtype)
    lc, rc = _cast(lvals, target), _cast(rvals, target)
    data = jnp.where(left_missing, rc.data, lc.data)
    if lc.validity is None and rc.validity is None:
        validity = None
    else:
        validity = jnp.where(left_missing, rc.not_null(), lc.not_null())
    return lc.replace(data=data, validity=validity)


def _cast(col: Column, target: jdt.DType) -> Column:
    if col.dtype == target:
        return col
    if col.dtype.kind == "U" and target.kind == "U":
        return col.replace(dtype=target)
    out = colmod.astype(col, target)
    if target.has_validity and out.validity is None:
        out = out.replace(validity=col.not_null())
    return out


def indicator_column(left_idx: jax.Array, right_idx: jax.Array) -> Column:
    """pandas' ``_merge`` categorical: left_only (0), right_only (1), both (2)."""
    codes = jnp.where(left_idx < 0, 1, jnp.where(right_idx < 0, 0, 2)).astype(jnp.int32)
    dtype = jdt.from_pandas(pd.CategoricalDtype(["left_only", "right_only", "both"]))
    return Column(codes, jnp.ones(codes.shape[0], bool), dtype)
