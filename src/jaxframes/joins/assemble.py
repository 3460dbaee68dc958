"""Building result columns from join indexers with pandas' dtype rules.

A gather with -1 (no partner row) gives a null, and pandas changes the dtype the way
``take_nd(fill_value=NaN)`` does: numpy ints become float64, numpy bools become object (which
JaxFrames cannot hold: NotImplementedError), masked dtypes, strings and datetimes keep their
dtype with NA/NaT. Coalesced key columns take pandas' common dtype of both sides.
"""

from __future__ import annotations

import dataclasses
import functools

import jax
import jax.numpy as jnp
import numpy as np
import pandas as pd
from pandas.core.dtypes.cast import find_common_type

from jaxframes import column as colmod
from jaxframes import dtypes as jdt
from jaxframes.column import Column
from jaxframes.executables import jit
from jaxframes.kernels.filled import zeros
from jaxframes.kernels.take import take_fill as gather_fill


def take_fill(col: Column, idx: jax.Array, missing: bool, what: object = "") -> Column:
    """Rows ``idx`` of ``col``; where idx is -1 a null (dtype per pandas when ``missing``)."""
    return take_fill_many([col], idx, [missing], [what])[0]


def take_fill_many(cols: list[Column], idx: jax.Array, missing: list[bool], what: list) -> list[Column]:
    """``take_fill`` of several columns at the same indices, in one compiled call: one C++
    gather reads the indices once for all of them and writes the fills of the rows with no
    partner itself (NaN, int -> float64, null), so each output is written once."""
    arrays, modes, plans = [], [], []
    for col, miss, name in zip(cols, missing, what):
        dtype = col.dtype
        if miss and dtype.kind == "L" and dtype.arrow_type is None:  # pandas fills an object column with NaN
            dtype = dataclasses.replace(dtype, missing="nan")
        data_mode = "take"
        validity_mode = None if col.validity is None else "take"
        if miss:
            if dtype.has_validity:
                validity_mode = "present" if col.validity is None else "and_present"
            elif dtype.kind == "b":
                raise NotImplementedError(
                    f"column {name!r}: a bool column with unmatched rows becomes object dtype in pandas, "
                    "which JaxFrames cannot hold (cast it to 'boolean' first)")
            else:
                data_mode = "int_nan" if dtype.kind in "iu" else "nan"
        plans.append((col, dtype, data_mode, validity_mode))
        if col.capacity:
            arrays.append(col.data)
            modes.append(data_mode)
            if col.validity is not None:
                arrays.append(col.validity)
                modes.append(validity_mode)
    needs_present = any(p[3] == "present" for p in plans)
    taken, present = _gather_filled(tuple(arrays), idx, tuple(modes), needs_present) if arrays else ((), None)
    taken = iter(taken)
    n = idx.shape[0]
    out = []
    for col, dtype, data_mode, validity_mode in plans:
        if col.capacity == 0:
            data = zeros(n, col.data.dtype)
            validity = None if col.validity is None else zeros(n, bool)
            if data_mode != "take":
                data = jnp.full(n, np.nan, np.float64 if data_mode == "int_nan" else data.dtype)
            if validity_mode in ("present", "and_present"):
                validity = idx >= 0 if validity is None else validity
        else:
            data = next(taken)
            validity = None if col.validity is None else next(taken)
            if validity_mode == "present":
                validity = present
        if data_mode == "int_nan":  # numpy (u)ints with a missing row: float64 with NaN, as pandas
            out.append(Column(data, None, jdt.FLOAT64))
        else:
            out.append(col.replace(data=data, validity=validity, dtype=dtype))
    return out


@functools.partial(jit, static_argnames=("modes", "present"))
def _gather_filled(arrays: tuple, idx: jax.Array, modes: tuple, present: bool) -> tuple[tuple, jax.Array | None]:
    """Each array at ``idx`` filled per mode where idx < 0 (kernels/take.py ``take_fill``: the
    C++ gather writes the fill itself), and, when ``present``, idx >= 0 (the validity of a
    filled column that had none)."""
    return gather_fill(arrays, idx, modes), (idx >= 0 if present else None)


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
