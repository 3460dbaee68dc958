"""quantile and describe: summary statistics computed on device (ops.reductions kernels), the
small result table assembled on the host the way pandas lays it out."""

from __future__ import annotations

from typing import Any

import jax.numpy as jnp
import numpy as np
import pandas as pd

from jaxframes import dtypes as jdt
from jaxframes.column import Column
from jaxframes.ops.reductions import Reduced, reduce_column, to_scalar, to_traced
from jaxframes.table import make_frame, make_series


def _check_quantile_dtype(col: Column) -> None:
    if col.dtype.kind == "U":
        # pandas raises pyarrow's ArrowNotImplementedError (a NotImplementedError) here.
        raise NotImplementedError(f"quantile is not supported for {col.dtype} dtype")
    if col.dtype.kind == "b":
        raise TypeError("numpy boolean subtract, the `-` operator, is not supported")
    if col.dtype.kind in "Mm":
        raise NotImplementedError(f"quantile of a {col.dtype} column is not supported yet")


def _q_array(q: Any) -> tuple[np.ndarray, bool]:
    scalar = np.ndim(q) == 0
    arr = np.atleast_1d(np.asarray(q, dtype=np.float64))
    if ((arr < 0) | (arr > 1)).any():
        raise ValueError("percentiles should all be in the interval [0, 1]")
    return arr, scalar


def numpy_quantiles(col: Column, present: Any, count: Any, q: Any) -> Any:
    """np.quantile(method='linear') of the present values, float64, shape (len(q),), step for
    step as numpy does it (pandas calls it), so infinities give the same NaNs: the upper
    neighbour is always read (``[1, inf]`` at q=0 is ``1 + inf * 0`` = NaN), past the last
    value both neighbours are the last value with weight ``v + 1``, and the interpolation is
    ``a + (b - a) * t`` below t=0.5 and ``b - (b - a) * (1 - t)`` from it."""
    x = col.data.astype(jnp.float64)
    if x.shape[-1] == 0:  # no rows at all: the caller reports NaN/NA for count == 0
        return jnp.full(q.shape, jnp.nan)
    ordered = jnp.sort(jnp.where(present, x, jnp.inf))
    last = jnp.maximum(count, 1) - 1
    virtual = last.astype(jnp.float64) * q
    above = virtual >= last
    lo = jnp.where(above, last, jnp.floor(virtual).astype(jnp.int64))
    hi = jnp.where(above, last, lo + 1)
    t = jnp.where(above, virtual + 1, virtual - lo)
    a, b = ordered[lo], ordered[hi]
    diff = b - a
    return jnp.where(t >= 0.5, b - diff * (1 - t), a + diff * t)


def column_quantiles(col: Column, live: Any, q: np.ndarray) -> tuple[Any, Any, Any]:
    """(values (len(q),) float64, count of present values, whether a live null exists)."""
    _check_quantile_dtype(col)
    not_null = col.not_null()
    present = not_null & live
    count = jnp.sum(present, dtype=jnp.int64)
    values = numpy_quantiles(col, present, count, jnp.asarray(q))
    return values, count, jnp.any(live & ~not_null)


def _host_result(col: Column, values: Any, count: Any, has_null: Any) -> Any:
    """pandas' quantile result array (eager): its dtype depends on the data. Without nulls:
    float64 (Float64 for masked). With nulls, pandas keeps the input dtype where it can: float32
    stays float32; masked ints stay ints when every quantile is integral."""
    dtype = col.dtype
    vals = np.asarray(values, dtype=np.float64)
    nulls, n = bool(has_null), int(count)
    if not dtype.masked:
        keep32 = nulls and dtype.storage == np.float32
        return (vals if n else np.full(len(vals), np.nan)).astype(np.float32 if keep32 else np.float64)
    if nulls and dtype.kind == "i":
        if n == 0:
            return pd.array([None] * len(vals), dtype=jdt.to_pandas(dtype))
        if np.all(vals == np.round(vals)):
            return pd.array(vals.astype(dtype.storage), dtype=jdt.to_pandas(dtype))
    if n == 0:
        return pd.array([None] * len(vals), dtype="Float64")
    return pd.array(vals, dtype="Float64")


def _check_interpolation(interpolation: str) -> None:
    if interpolation != "linear":
        raise NotImplementedError(f"quantile(interpolation={interpolation!r}); only 'linear' is supported")


def series_quantile(s: Any, q: Any = 0.5, interpolation: str = "linear") -> Any:
    """A scalar for a scalar q, else a Series indexed by q (as pandas)."""
    _check_interpolation(interpolation)
    arr, scalar = _q_array(q)
    values, count, has_null = column_quantiles(s._column, s._live(), arr)
    if s._traced():
        if not scalar:
            raise NotImplementedError("Series.quantile with a list of q inside jax.jit")
        return to_traced(Reduced(values[0], count == 0, jdt.FLOAT64))
    result = _host_result(s._column, values, count, has_null)
    if scalar:
        value = result[0]
        return value if value is pd.NA else np.asarray(result)[0] if isinstance(result, np.ndarray) \
            else np.dtype(result.dtype.numpy_dtype).type(value)
    return make_series(pd.Series(result, index=pd.Index(arr), name=s._name))


def frame_quantile(df: Any, q: Any = 0.5, axis: Any = 0, numeric_only: bool = False,
                   interpolation: str = "linear") -> Any:
    """Per-column quantiles: a Series (scalar q, named q) or a DataFrame indexed by q."""
    _check_interpolation(interpolation)
    if axis not in (0, "index", "rows"):
        raise NotImplementedError("DataFrame.quantile(axis=1) is not supported yet")
    if df._traced():
        raise NotImplementedError("DataFrame.quantile inside jax.jit")
    arr, scalar = _q_array(q)
    cols = {k: c for k, c in df._columns.items() if not numeric_only or c.dtype.is_numeric}
    live = df._live()
    table = {}
    for name, col in cols.items():
        values, count, has_null = column_quantiles(col, live, arr)
        table[name] = _host_result(col, values, count, has_null)
    pdf = pd.DataFrame(table, index=pd.Index(arr), columns=list(cols))
    if scalar:
        row = pdf.iloc[0]
        return make_series(row.astype(np.float64) if not cols else row)
    return make_frame(pdf)


def _pct_label(p: float) -> str:
    return f"{p * 100:g}%"


def _percentiles(percentiles: Any) -> np.ndarray:
    if percentiles is None:
        return np.array([0.25, 0.5, 0.75])
    arr = np.unique(np.asarray(percentiles, dtype=np.float64))  # pandas 3 no longer adds 0.5
    if ((arr < 0) | (arr > 1)).any():
        raise ValueError("percentiles should all be in the interval [0, 1]")
    return arr


def _describe_column(col: Column, live: Any, pcts: np.ndarray) -> pd.Series:
    if col.dtype.kind not in "ifu":
        raise NotImplementedError(f"describe of a {col.dtype} column (pandas gives object "
                                  "count/unique/top/freq statistics) is not supported yet")
    stats = {op: to_scalar(reduce_column(col, live, op)) for op in ("count", "mean", "std", "min", "max")}
    values, count, _ = column_quantiles(col, live, pcts)
    qs = list(np.asarray(values, dtype=np.float64)) if int(count) else [None] * len(pcts)
    dtype = jdt.NFLOAT64 if col.dtype.masked else jdt.FLOAT64
    out = [stats["count"], stats["mean"], stats["std"], stats["min"], *qs, stats["max"]]
    out = [None if v is pd.NA else v for v in out]
    labels = ["count", "mean", "std", "min", *[_pct_label(p) for p in pcts], "max"]
    return pd.Series(pd.array(np.asarray(out, dtype=object), dtype=jdt.to_pandas(dtype)), index=labels)


def series_describe(s: Any, percentiles: Any = None) -> Any:
    """count, mean, std, min, percentiles, max of a numeric Series."""
    if s._traced():
        raise NotImplementedError("describe inside jax.jit")
    out = _describe_column(s._column, s._live(), _percentiles(percentiles))
    out.name = s._name
    return make_series(out)


def frame_describe(df: Any, percentiles: Any = None, include: Any = None, exclude: Any = None) -> Any:
    """describe() of the numeric (non-bool) columns, or of all columns with include='all'."""
    if exclude is not None or include not in (None, "all"):
        raise NotImplementedError("describe(include=/exclude= dtype lists) is not supported yet")
    if df._traced():
        raise NotImplementedError("describe inside jax.jit")
    pcts = _percentiles(percentiles)
    if include == "all":
        cols = dict(df._columns)
    else:
        cols = {k: c for k, c in df._columns.items() if c.dtype.kind in "ifM"}
        if not cols:
            raise NotImplementedError("describe of a frame without numeric columns is not supported yet")
    live = df._live()
    table = {name: _describe_column(col, live, pcts) for name, col in cols.items()}
    return make_frame(pd.DataFrame(table))
