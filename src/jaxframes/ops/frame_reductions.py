"""Series/DataFrame-level reductions: pick columns (numeric_only), run the column kernels of
ops.reductions, and shape the result as pandas does (a scalar for a Series; a Series over the
columns for axis=0; a Series over the rows for axis=1).

Eagerly the per-column scalars are assembled through a one-row pandas frame, so the result
dtype is pandas' own common type of the per-column result dtypes (int + float -> float64,
Int64 + float64 -> Float64, ...). Inside jit the same common type is computed statically and
the values are stacked on device.
"""

from __future__ import annotations

from typing import Any

import jax.numpy as jnp
import numpy as np
import pandas as pd
from pandas.core.dtypes.cast import find_common_type

from jaxframes import column as colmod
from jaxframes import dtypes as jdt
from jaxframes import index as idxmod
from jaxframes.axes import axis_number
from jaxframes.column import Column
from jaxframes.sync import device_get
from jaxframes.ops.reductions import Reduced, arg_extreme, reduce_column, to_column, to_scalar, to_traced
from jaxframes.table import make_series, new_series



def series_reduce(s: Any, op: str, *, skipna: bool = True, numeric_only: bool = False, **kw: Any) -> Any:
    """A Series reduction: a numpy/pandas scalar eagerly, a 0-d device array when traced.
    (pandas 3 ignores numeric_only for a Series, so do we.)"""
    r = reduce_column(s._column, s._live(), op, skipna=skipna, **kw)
    return to_traced(r) if s._traced() else to_scalar(r)


def series_arg(s: Any, op: str, skipna: bool = True) -> Any:
    """idxmin/idxmax of a Series: the row label of the first extreme present value."""
    pos, bad = arg_extreme(s._column, s._live(), op, skipna)
    labels = s._index.labels()
    if s._traced():
        if labels.dtype.kind == "U":
            raise NotImplementedError(f"{op} with a string index inside jax.jit")
        return labels.data[pos]
    _raise_if_bad(bad, s._column, s._live(), op, skipna)
    return labels.take(pos[None]).to_host()[0]


def _raise_if_bad(bad: Any, col: Column, live: Any, op: str, skipna: bool) -> None:
    if not bool(device_get(bad)):
        return
    if not bool(device_get(jnp.any(live))):
        raise ValueError(f"attempt to get {op.replace('idx', 'arg')} of an empty sequence")
    if skipna:
        raise ValueError("Encountered all NA values")
    raise ValueError("Encountered an NA value with skipna=False")


def _selected(df: Any, op: str, numeric_only: bool, bool_only: bool = False) -> dict:
    """The columns a reduction runs over: pandas' numeric_only / bool_only (any/all) selections.
    pandas 3.1.1's bool_only keeps numpy bool columns only (not the masked ``boolean`` dtype)."""
    if bool_only:
        return {k: c for k, c in df._columns.items() if c.dtype.kind == "b" and not c.dtype.masked}
    if numeric_only:
        return {k: c for k, c in df._columns.items() if c.dtype.is_numeric}
    return dict(df._columns)


def frame_reduce(df: Any, op: str, *, axis: Any = 0, skipna: bool = True, numeric_only: bool = False,
                 bool_only: bool = False, **kw: Any) -> Any:
    """DataFrame reduction over rows (axis=0, one value per column) or columns (axis=1);
    ``bool_only`` (any/all) keeps only numpy bool columns, as pandas does."""
    cols = _selected(df, op, numeric_only, bool_only)
    if axis_number(axis) == 1:
        return _rowwise(df, cols, op, skipna, kw)
    live = df._live()
    results = {k: reduce_column(c, live, op, skipna=skipna, **kw) for k, c in cols.items()}
    if not results:  # pandas' empty result, indexed like the (unselected) column labels
        labels = df.columns[:0] if df._columns else None
        return make_series(getattr(pd.DataFrame(columns=labels), op)())
    if df._traced():
        return _stack_traced(results)
    return make_series(_assemble_eager({k: to_scalar(r) for k, r in results.items()},
                                  {k: r.dtype for k, r in results.items()}))


def _assemble_eager(scalars: dict, dtypes: dict) -> pd.Series:
    """Per-column scalars -> the Series pandas builds (its common dtype of the results)."""
    arrays = {}
    for k, value in scalars.items():
        dtype = dtypes[k]
        pdt = jdt.to_pandas(dtype)
        if not dtype.has_validity and dtype.kind != "f" and isinstance(value, float) and np.isnan(value):
            pdt = np.dtype(np.float64)
        arrays[k] = pd.array([value], dtype=pdt)
    row = pd.DataFrame(arrays).iloc[0]
    row.name = None
    if row.dtype == object:
        raise NotImplementedError("a reduction whose per-column results mix dtypes into object "
                                  "(e.g. numbers and strings) is not supported; select columns first")
    return row


def _stack_traced(results: dict[Any, Reduced]) -> Any:
    dts = []
    for r in results.values():
        dts.append(jdt.FLOAT64 if r.null is not None and not r.dtype.has_validity and r.dtype.kind != "f"
                   else r.dtype)
    common_pd = find_common_type([jdt.to_pandas(d) for d in dts])
    if common_pd == object:
        raise NotImplementedError("a reduction mixing dtypes into object inside jax.jit")
    common = jdt.from_pandas(common_pd)
    if common.kind == "U":
        raise NotImplementedError("string-valued frame reductions inside jax.jit")
    values, valid = [], []
    for r in results.values():
        v = r.value.astype(common.storage)
        null = jnp.asarray(False) if r.null is None else r.null
        if not common.has_validity and common.kind == "f":
            v = jnp.where(null, jnp.nan, v)
        values.append(v)
        valid.append(~null)
    col = Column(jnp.stack(values), jnp.stack(valid) if common.has_validity else None, common)
    index = idxmod.from_pandas(pd.Index(list(results)))
    return new_series(col, index, None, None, None)


def _rowwise_common(dtypes: list[jdt.DType]) -> jdt.DType:
    kinds = {d.kind for d in dtypes}
    if "U" in kinds:
        if kinds != {"U"}:
            raise TypeError("row-wise reduction over string and non-string columns")
        raise NotImplementedError("row-wise (axis=1) reductions over string columns")
    common_pd = find_common_type([jdt.to_pandas(d) for d in dtypes])
    if common_pd != object:
        return jdt.from_pandas(common_pd)
    if all(not d.masked and d.kind in "bif" for d in dtypes):
        return jdt.from_storage(np.result_type(*[d.storage for d in dtypes]))
    raise NotImplementedError(f"row-wise reduction over columns of dtypes {dtypes} (object result)")


def _rowwise(df: Any, cols: dict, op: str, skipna: bool, kw: dict) -> Any:
    if not cols:
        raise NotImplementedError(f"{op}(axis=1) over a frame without (selected) columns")
    if op == "count":  # any dtypes: only presence matters
        counts = sum(c.not_null().astype(jnp.int64) for c in cols.values())
        return new_series(Column(counts, None, jdt.INT64), df._index, df._row_mask, None, df._sharding)
    common = _rowwise_common([c.dtype for c in cols.values()])
    casted = [colmod.astype(c, common, df._row_mask) for c in cols.values()]
    data = jnp.stack([c.data for c in casted], axis=1)
    validity = jnp.stack([c.not_null() for c in casted], axis=1) if common.has_validity else None
    stacked = Column(data, validity, common)
    r = reduce_column(stacked, jnp.ones(data.shape, bool), op, skipna=skipna, **kw)
    out = to_column(r, df._row_mask)
    return new_series(out, df._index, df._row_mask, None, df._sharding)


def frame_arg(df: Any, op: str, axis: Any = 0, skipna: bool = True, numeric_only: bool = False) -> Any:
    """idxmin/idxmax of each column (eager): a Series of row labels indexed by column names."""
    if axis_number(axis) == 1:
        raise NotImplementedError(f"DataFrame.{op}(axis=1) is not supported yet")
    if df._traced():
        raise NotImplementedError(f"DataFrame.{op} inside jax.jit")
    cols = _selected(df, op, numeric_only)
    live = df._live()
    positions = []
    for col in cols.values():
        pos, bad = arg_extreme(col, live, op, skipna)
        _raise_if_bad(bad, col, live, op, skipna)
        positions.append(pos)
    labels = df._index.labels()
    if not positions:
        return make_series(pd.Series([], dtype=df.index.dtype))
    taken = labels.take(jnp.stack(positions)).to_host()
    return make_series(pd.Series(taken, index=list(cols)))
