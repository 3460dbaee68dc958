"""Statistics with pandas' rules: corr (pearson, spearman, kendall), cov, corrwith, autocorr,
dot, mode, sem, skew, kurt, pct_change, argmax/argmin, argsort, factorize, is_unique,
is_monotonic_increasing/decreasing, hasnans, nbytes.

The moments and the pairwise statistics run on device over the LIVE rows: dead rows and nulls
are masked out of every sum (pairwise-complete observations for corr/cov, as pandas' nancorr).
Results are pandas' dtypes: skew/kurt/sem keep float32 for float32 input and Float64 for masked
input; corr/cov are float64 frames.
"""

from __future__ import annotations

import functools
from typing import Any, Hashable

import jax
import jax.numpy as jnp
import numpy as np
import pandas as pd

from jaxframes import dtypes as jdt
from jaxframes.column import Column
from jaxframes.groupby import grouper
from jaxframes.axes import axis_number
from jaxframes.ops.frame_reductions import _assemble_eager, _raise_if_bad, _stack_traced
from jaxframes.ops.reductions import Reduced, arg_extreme, check_supported, to_scalar, to_traced
from jaxframes.sync import device_get
from jaxframes.table import is_frame, is_series, make_frame, make_series, new_frame, new_series

_EPS = float(np.finfo(np.float64).eps)


# -- moments: sem, skew, kurt ------------------------------------------------------------------------
def _moment_dtype(dtype: jdt.DType) -> jdt.DType:
    if dtype.kind == "f":
        return dtype
    return jdt.NFLOAT64 if dtype.masked else jdt.FLOAT64


def moment(col: Column, live: jax.Array, op: str, skipna: bool = True, ddof: int = 1) -> Reduced:
    """sem / skew / kurt of one column over its live rows (pandas' bias-corrected G1/G2)."""
    dtype = col.dtype
    if dtype.kind == "U":
        raise TypeError(f"Cannot perform reduction '{op}' with string dtype")
    if dtype.kind in "Mm":
        raise TypeError(f"Cannot perform reduction '{op}' with {dtype} dtype")
    if dtype.kind not in "biuf":
        check_supported("mean", dtype)
        raise TypeError(f"Cannot perform reduction '{op}' with {dtype} dtype")
    present = col.not_null() & live
    x = jnp.where(present, col.data.astype(jnp.float64), 0.0)
    n = jnp.sum(present, dtype=jnp.int64).astype(jnp.float64)
    mean = jnp.sum(x) / jnp.maximum(n, 1.0)
    dev = jnp.where(present, x - mean, 0.0)
    m2 = jnp.sum(dev * dev)
    null = None if skipna else jnp.any(live & ~col.not_null())
    if op == "sem":
        denom = n - ddof
        var = m2 / jnp.where(denom > 0, denom, 1.0)
        value = jnp.sqrt(var) / jnp.sqrt(jnp.maximum(n, 1.0))
        bad = denom <= 0
    else:
        # a constant column (m2 zero up to the rounding of the mean) has no shape: NaN, as pandas
        flat = m2 <= n * (4 * _EPS * jnp.abs(mean)) ** 2
        safe = jnp.where(flat, 1.0, m2)
        if op == "skew":
            m3 = jnp.sum(dev * dev * dev)
            value = n * jnp.sqrt(jnp.maximum(n - 1, 0.0)) / jnp.where(n > 2, n - 2, 1.0) * m3 / safe ** 1.5
            bad = (n < 3) | flat
        else:
            m4 = jnp.sum((dev * dev) ** 2)
            d = jnp.where(n > 3, (n - 2) * (n - 3), 1.0)
            value = n * (n + 1) * (n - 1) * m4 / (d * safe * safe) - 3 * (n - 1) ** 2 / d
            bad = (n < 4) | flat
    out = _moment_dtype(dtype)
    value = value.astype(out.storage)
    return Reduced(value, bad if null is None else bad | null, out)


def series_moment(s: Any, op: str, skipna: bool = True, ddof: int = 1) -> Any:
    r = moment(s._column, s._live(), op, skipna, ddof)
    return to_traced(r) if s._traced() else to_scalar(r)


def frame_moment(df: Any, op: str, axis: Any, skipna: bool, numeric_only: bool, ddof: int = 1) -> Any:
    if axis_number(axis) == 1:
        raise NotImplementedError(f"DataFrame.{op}(axis=1)")
    cols = {k: c for k, c in df._columns.items() if not numeric_only or c.dtype.is_numeric}
    live = df._live()
    results = {k: moment(c, live, op, skipna, ddof) for k, c in cols.items()}
    if not results:
        return make_series(pd.Series([], dtype=np.float64, index=pd.Index([], dtype=object)))
    if df._traced():
        return _stack_traced(results)
    return make_series(_assemble_eager({k: to_scalar(r) for k, r in results.items()},
                                       {k: r.dtype for k, r in results.items()}))


# -- pairwise: corr, cov -------------------------------------------------------------------------------
def _float_matrix(df: Any, numeric_only: bool, what: str) -> tuple[list[Hashable], jax.Array, jax.Array]:
    """(labels, values n x k float64, present n x k) over the frame's physical rows."""
    labels, values, present = [], [], []
    live = df._live()
    for k, c in df._columns.items():
        if c.dtype.kind not in "biuf":
            if numeric_only:
                continue
            if c.dtype.kind in "UC":
                first = df._series(k).dropna()
                sample = first.iloc[0] if len(first) else ""
                raise ValueError(f"could not convert string to float: {sample!r}")
            raise NotImplementedError(f"DataFrame.{what} over a {c.dtype} column")
        labels.append(k)
        values.append(c.data.astype(jnp.float64))
        present.append(c.not_null() & live)
    if not labels:
        return labels, jnp.zeros((df._capacity, 0)), jnp.zeros((df._capacity, 0), bool)
    return labels, jnp.stack(values, axis=1), jnp.stack(present, axis=1)


@jax.jit
def _pairwise_moments(x: jax.Array, m: jax.Array) -> tuple:
    """Per column pair (i, j) over the rows where both are present: count, centered cross
    products and sums of squares (mean-centered per pair, as pandas' nancorr)."""
    mf = m.astype(jnp.float64)
    xm = jnp.where(m, x, 0.0)
    nobs = mf.T @ mf
    safe = jnp.maximum(nobs, 1.0)
    mean_i = (xm.T @ mf) / safe          # mean of column i over rows where j is present
    mean_j = mean_i.T                     # mean of column j over rows where i is present
    sxy = xm.T @ xm - nobs * mean_i * mean_j
    sxx = (xm * xm).T @ mf - nobs * mean_i * mean_i
    syy = sxx.T
    return nobs, sxy, jnp.maximum(sxx, 0.0), jnp.maximum(syy, 0.0)


def _pearson(x: jax.Array, m: jax.Array, min_periods: int) -> jax.Array:
    nobs, sxy, sxx, syy = _pairwise_moments(x, m)
    divisor = jnp.sqrt(sxx * syy)
    out = jnp.where(divisor != 0, sxy / jnp.where(divisor != 0, divisor, 1.0), jnp.nan)
    out = jnp.clip(out, -1.0, 1.0)
    return jnp.where(nobs < min_periods, jnp.nan, out)


def _average_ranks(x: jax.Array, present: jax.Array) -> jax.Array:
    """1-based average ranks of the present values (ties share their mean rank)."""
    big = jnp.where(present, x, jnp.inf)
    order = jnp.sort(big)
    count = jnp.sum(present)
    lo = jnp.searchsorted(order, x, side="left")
    hi = jnp.minimum(jnp.searchsorted(order, x, side="right"), count)
    return jnp.where(present, (lo + hi + 1) / 2.0, 0.0)


def _spearman_pair(a: jax.Array, b: jax.Array, both: jax.Array, min_periods: int) -> jax.Array:
    ra, rb = _average_ranks(a, both), _average_ranks(b, both)
    return _pearson(jnp.stack([ra, rb], 1), jnp.stack([both, both], 1), min_periods)[0, 1]


def _kendall_pair(a: jax.Array, b: jax.Array, both: jax.Array, min_periods: int) -> jax.Array:
    """Kendall's tau-b over the rows where both are present (pairs: O(n^2) on device)."""
    pair = both[:, None] & both[None, :]
    da = jnp.sign(a[:, None] - a[None, :])
    db = jnp.sign(b[:, None] - b[None, :])
    s = jnp.where(pair, da * db, 0.0).sum() / 2
    ta = jnp.where(pair, da != 0, False).sum() / 2
    tb = jnp.where(pair, db != 0, False).sum() / 2
    denom = jnp.sqrt(ta * tb)
    n = jnp.sum(both)
    tau = jnp.where(denom > 0, s / jnp.where(denom > 0, denom, 1.0), jnp.nan)
    return jnp.where(n < jnp.maximum(min_periods, 2), jnp.nan, tau)


_KENDALL_MAX_ROWS = 1 << 14


def _pairwise(x: jax.Array, m: jax.Array, method: Any, min_periods: int) -> jax.Array:
    k = x.shape[1]
    if method == "pearson":
        return _pearson(x, m, min_periods)
    if method not in ("spearman", "kendall"):
        raise ValueError(f"method must be either 'pearson', 'spearman', 'kendall', or a callable, "
                         f"'{method}' was supplied")
    if method == "kendall" and x.shape[0] > _KENDALL_MAX_ROWS:
        raise NotImplementedError(f"corr(method='kendall') over more than {_KENDALL_MAX_ROWS} rows "
                                  "(it compares every pair of rows)")
    ii, jj = np.triu_indices(k)
    values = np.asarray(_rank_pairs(x, m, jnp.asarray(ii), jnp.asarray(jj), min_periods, method))
    out = np.full((k, k), np.nan)
    out[ii, jj] = values
    out[jj, ii] = values
    return jnp.asarray(out)


@functools.partial(jax.jit, static_argnames=("method",))
def _rank_pairs(x: jax.Array, m: jax.Array, ii: jax.Array, jj: jax.Array, min_periods: Any, method: str) -> jax.Array:
    """Spearman/Kendall for every column pair (i, j), one compiled loop over the pairs."""
    pair_fn = _spearman_pair if method == "spearman" else _kendall_pair

    def one(ij):
        i, j = ij
        return pair_fn(x[:, i], x[:, j], m[:, i] & m[:, j], min_periods)

    return jax.lax.map(one, (ii, jj))


def frame_corr(df: Any, method: Any = "pearson", min_periods: int = 1, numeric_only: bool = False) -> Any:
    if callable(method):
        raise NotImplementedError("DataFrame.corr with a callable method")
    labels, x, m = _float_matrix(df, numeric_only, "corr")
    if min_periods is None:
        min_periods = 1
    values = _pairwise(x, m, method, int(min_periods)) if labels else jnp.zeros((0, 0))
    return _square_frame(labels, values)


def frame_cov(df: Any, min_periods: Any = None, ddof: int = 1, numeric_only: bool = False) -> Any:
    labels, x, m = _float_matrix(df, numeric_only, "cov")
    if not labels:
        return _square_frame(labels, jnp.zeros((0, 0)))
    live = df._live()
    complete = not bool(device_get(jnp.any(live[:, None] & ~m)))
    nobs, sxy, _, _ = _pairwise_moments(x, m)
    # pandas: np.cov (with ddof) when no value is missing, else nancorr's cov (ddof 1)
    d = ddof if complete else 1
    minp = 1 if min_periods is None else int(min_periods)
    divisor = nobs - d
    out = jnp.where(divisor > 0, sxy / jnp.where(divisor > 0, divisor, 1.0), jnp.nan)
    if complete and d >= 1:
        out = jnp.where(divisor > 0, out, jnp.nan)
    out = jnp.where(nobs < minp, jnp.nan, out)
    return _square_frame(labels, out)


def _square_frame(labels: list, values: jax.Array) -> Any:
    index = pd.Index(labels) if labels else pd.Index([], dtype=object)
    if isinstance(values, jax.core.Tracer) and labels and index.is_unique:  # inside jit/vmap: no host copy
        frame = make_frame(pd.DataFrame(np.zeros((len(labels), len(labels))), index=index, columns=index))
        columns = {label: frame._columns[label].replace(data=values[:, j].astype(jnp.float64))
                   for j, label in enumerate(labels)}
        return new_frame(columns, frame._index)
    return make_frame(pd.DataFrame(np.asarray(values, dtype=np.float64).reshape(len(labels), len(labels)),
                                   index=index, columns=index))


def _pair_columns(s: Any, other: Any, what: str) -> tuple[jax.Array, jax.Array, jax.Array]:
    if not is_series(other):
        raise TypeError(f"{what}: other must be a Series")
    if not (other._capacity == s._capacity and other._row_mask is s._row_mask and other._index is s._index):
        if s._traced() or not s.index.equals(other.index):
            raise NotImplementedError(f"{what} between Series with different row labels "
                                      "(label alignment is not supported yet)")
        frame = s.to_frame("x")
        col = frame._column_from(other.rename("x"))
    else:
        col = other._column
    a, b = s._column, col
    for c in (a, b):
        if c.dtype.kind not in "biuf":
            raise TypeError(f"{what} needs numeric values, got {c.dtype}")
    live = s._live()
    both = live & a.not_null() & b.not_null()
    return a.data.astype(jnp.float64), b.data.astype(jnp.float64), both


def series_corr(s: Any, other: Any, method: Any = "pearson", min_periods: Any = None) -> Any:
    if callable(method):
        raise NotImplementedError("Series.corr with a callable method")
    a, b, both = _pair_columns(s, other, "Series.corr")
    minp = 1 if min_periods is None else int(min_periods)
    values = _pairwise(jnp.stack([a, b], 1), jnp.stack([both, both], 1), method, minp)
    value = values[0, 1]
    return value if s._traced() else np.float64(value)


def series_cov(s: Any, other: Any, min_periods: Any = None, ddof: int = 1) -> Any:
    a, b, both = _pair_columns(s, other, "Series.cov")
    nobs, sxy, _, _ = _pairwise_moments(jnp.stack([a, b], 1), jnp.stack([both, both], 1))
    n, cross = nobs[0, 1], sxy[0, 1]
    minp = 1 if min_periods is None else int(min_periods)
    value = jnp.where((n - ddof > 0) & (n >= minp), cross / jnp.where(n - ddof > 0, n - ddof, 1.0), jnp.nan)
    return value if s._traced() else np.float64(value)


def frame_corrwith(df: Any, other: Any, axis: Any, drop: bool, method: Any, numeric_only: bool,
                   min_periods: Any) -> Any:
    if axis_number(axis) == 1:
        raise NotImplementedError("DataFrame.corrwith(axis=1)")
    cols = [k for k, c in df._columns.items() if not numeric_only or c.dtype.is_numeric]
    if is_series(other):
        values = [(k, series_corr(df._series(k), other, method, min_periods)) for k in cols]
        return make_series(pd.Series([v for _, v in values], index=pd.Index(cols), dtype=np.float64))
    if not is_frame(other):
        raise TypeError("other must be a DataFrame or a Series")
    other_cols = [k for k, c in other._columns.items() if not numeric_only or c.dtype.is_numeric]
    common = [k for k in cols if k in other_cols]
    values = [series_corr(df._series(k), other._series(k), method, min_periods) for k in common]
    out = pd.Series(values, index=pd.Index(common), dtype=np.float64)
    if not drop:
        missing = pd.Index(cols).union(pd.Index(other_cols)).difference(pd.Index(common))
        if len(missing):
            out = pd.concat([out, pd.Series(np.nan, index=missing)])
    return make_series(out)


# -- dot ------------------------------------------------------------------------------------------
def _matrix(obj: Any) -> tuple[jax.Array, Any]:
    """Live rows as a dense float/int matrix (nulls as NaN) and their row labels."""
    compact = obj._compact_exact()
    cols = list(compact._columns.values()) if is_frame(compact) else [compact._column]
    arrays = []
    for c in cols:
        if c.dtype.kind not in "biuf":
            raise TypeError(f"dot needs numeric values, got {c.dtype}")
        data = c.data
        if c.validity is not None:
            data = jnp.where(c.validity, data.astype(jnp.float64), jnp.nan)
        elif c.dtype.kind == "b":
            data = data.astype(jnp.int64)
        arrays.append(data)
    return jnp.stack(arrays, axis=1), compact.index


def dot(left: Any, right: Any) -> Any:
    """Matrix product with pandas' label checks (left's columns against right's index)."""
    lmat, lindex = _matrix(left)
    if is_frame(left):
        left_axis = left.columns
    else:
        left_axis = lindex
        lmat = lmat[:, 0]
    if is_frame(right) or is_series(right):
        rmat, rindex = _matrix(right)
        if not pd.Index(left_axis).equals(rindex) and len(left_axis) == len(rindex) \
                and set(left_axis) == set(rindex):
            rmat = rmat[jnp.asarray(rindex.get_indexer(left_axis))]
        elif not pd.Index(left_axis).equals(rindex):
            if len(left_axis) != len(rindex) or set(left_axis) != set(rindex):
                raise ValueError("matrices are not aligned")
        if is_series(right):
            rmat = rmat[:, 0]
    else:
        rmat = jnp.asarray(np.asarray(right))
        if rmat.shape[0] != (lmat.shape[-1] if lmat.ndim == 2 else lmat.shape[0]):
            raise ValueError(f"Dot product shape mismatch, {lmat.shape} vs {rmat.shape}")
    out = jnp.dot(lmat, rmat)
    if out.ndim == 0:
        return np.asarray(out)[()]
    if is_frame(left):
        if out.ndim == 1:
            return make_series(pd.Series(np.asarray(out), index=lindex))
        columns = right.columns if is_frame(right) else None
        return make_frame(pd.DataFrame(np.asarray(out), index=lindex, columns=columns))
    columns = right.columns if is_frame(right) else None
    return make_series(pd.Series(np.asarray(out), index=columns))


# -- mode -----------------------------------------------------------------------------------------
def series_mode(s: Any, dropna: bool = True) -> Any:
    """The most frequent value(s), sorted (one grouping on device; only the modes travel)."""
    counts = s.value_counts(dropna=dropna, sort=False)
    if len(counts) == 0:
        return make_series(pd.Series([], dtype=s.dtype, name=s.name))
    top = counts[counts == counts.max()]
    values = pd.Series(top.index)
    values = values.astype(s.dtype) if values.dtype != s.dtype else values
    values = values.sort_values(kind="stable", na_position="last").reset_index(drop=True)
    return make_series(values.rename(s.name))


def frame_mode(df: Any, axis: Any, numeric_only: bool, dropna: bool) -> Any:
    if axis_number(axis) == 1:
        raise NotImplementedError("DataFrame.mode(axis=1)")
    parts = {k: series_mode(df._series(k), dropna).to_pandas()
             for k, c in df._columns.items() if not numeric_only or c.dtype.is_numeric}
    return make_frame(pd.DataFrame(parts))


# -- positions: argmax/argmin/argsort, factorize ---------------------------------------------------
def series_argextreme(s: Any, op: str, skipna: bool = True) -> Any:
    pos, bad = arg_extreme(s._column, s._live(), "idxmax" if op == "argmax" else "idxmin", skipna)
    position = s._row_positions()[pos]
    if s._traced():
        return position
    _raise_if_bad(bad, s._column, s._live(), "idxmax" if op == "argmax" else "idxmin", skipna)
    return np.int64(position)


def series_argsort(s: Any, kind: str = "quicksort", stable: Any = None) -> Any:
    """Positions (among the live rows) that sort the values; nulls last."""
    positions = new_series(Column(s._row_positions()), s._index, s._row_mask, "p", s._sharding)
    frame = new_frame({"v": s._column, "p": positions._column}, s._index, s._row_mask, s._sharding)
    ordered = frame.sort_values("v", kind="stable", na_position="last")
    data = ordered._compact_exact()._columns["p"].data
    base = s._compact_exact()
    return new_series(Column(data, None, jdt.INT64), base._index, None, s._name, s._sharding)


def factorize_series(s: Any, sort: bool = False, use_na_sentinel: bool = True) -> tuple[np.ndarray, Any]:
    """(codes, uniques): codes per live row in order of first appearance (sort=True: sorted),
    -1 for nulls; uniques as a pandas Index (one grouping on device)."""
    col = s._column
    live = s._live()
    g = grouper.build([col], live, sort, use_na_sentinel)  # use_na_sentinel=False: null is a value
    codes = g.row_groups().astype(jnp.int64)
    if use_na_sentinel:
        codes = jnp.where(col.not_null(), codes, -1)
    uniques = col.take(g.exact_group_rows())
    host_codes = np.asarray(codes)[np.asarray(live)]
    return host_codes, pd.Index(uniques.to_host())


# -- properties ------------------------------------------------------------------------------------
def has_live_nulls(s: Any) -> bool:
    return bool(device_get(jnp.any(s._live() & ~s._column.not_null())))


def is_monotonic(s: Any, increasing: bool) -> bool:
    """Live values in order are non-decreasing (non-increasing); any null makes it False."""
    if has_live_nulls(s):
        return False
    compact = s._compact_exact()
    col = compact._column
    data = col.data
    if data.shape[0] < 2:
        return True
    if col.dtype.kind == "C" and not pd.api.types.CategoricalDtype(jdt.to_pandas(col.dtype)).ordered:
        raise NotImplementedError("monotonicity of an unordered categorical")
    ok = data[1:] >= data[:-1] if increasing else data[1:] <= data[:-1]
    return bool(device_get(jnp.all(ok)))


def nbytes(s: Any) -> int:
    dtype = s._column.dtype
    if dtype.kind in "biufMm":
        n = s._num_rows()
        return n * np.dtype(dtype.storage).itemsize + (n if dtype.masked else 0)
    return int(s.to_pandas().nbytes)


def pct_change(obj: Any, periods: int, fill_method: Any, freq: Any, kwargs: dict) -> Any:
    if fill_method is not None:
        raise ValueError(f"fill_method must be None; got fill_method={fill_method!r}.")
    if freq is not None:
        raise NotImplementedError("pct_change(freq=...)")
    return obj / obj.shift(periods, **kwargs) - 1

