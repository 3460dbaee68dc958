"""rank: one stable sort of (dead-last, value) keys, ties = runs of equal packed keys.

Positions in sorted order give 'first'; the run's first/last position give 'min'/'max' (and
their mean 'average'); the run number gives 'dense'. Nulls form one run placed per na_option
(and get NaN/NA with 'keep'). Results are float64 (Float64 for masked dtypes with 'average' or pct), as in pandas;
DataFrame.rank gives float64 for every column.
"""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp

from jaxframes import dtypes as jdt
from jaxframes.axes import axis_number
from jaxframes.column import Column
from jaxframes.distributed import keyed
from jaxframes.distributed.sample_sort import is_distributed
from jaxframes.kernels.keys import pack_keys
from jaxframes.kernels.sort import sort_words, sorted_segments
from jaxframes.ops.sorting import _check_bool, column_key, dead_last

METHODS = ("average", "min", "max", "first", "dense")
NA_OPTIONS = ("keep", "top", "bottom")


def check_rank_args(method: Any, na_option: Any, ascending: Any, pct: Any) -> None:
    if method not in METHODS:  # pandas raises KeyError here
        raise KeyError(f"method must be one of {METHODS}, got {method!r}")
    if na_option not in NA_OPTIONS:
        raise ValueError("na_option must be one of 'keep', 'top', or 'bottom'")
    _check_bool(ascending, "ascending")
    _check_bool(pct, "pct")


def rank_column(col: Column, live: jax.Array, method: str = "average", ascending: bool = True,
                na_option: str = "keep", pct: bool = False, numpy_result: bool = False,
                sharding: Any = None) -> Column:
    """Ranks (1-based) of the live rows of one column; dead rows get garbage. numpy_result:
    float64 with NaN even for masked dtypes (what DataFrame.rank gives). Rows split over several
    devices: ranked by key range (distributed/keyed.py), the result laid out on the rows."""
    check_rank_args(method, na_option, ascending, pct)
    if (col.dtype.kind == "d" or col.dtype.name.endswith("[pyarrow]")) and not numpy_result:
        raise NotImplementedError(f"rank of a {col.dtype} column: pandas gives double[pyarrow] ranks, "
                                  "which JaxFrames does not hold")
    present = col.not_null()
    masked = col.dtype.masked and not numpy_result
    if masked and col.dtype.kind != "U" and method != "average" and not pct:
        raise NotImplementedError(f"rank(method={method!r}) of a {col.dtype} column: pandas returns UInt64, "
                                  "which JaxFrames does not hold (use method='average' or pct=True)")
    dtype = jdt.NFLOAT64 if masked else jdt.FLOAT64
    n = live.shape[0]
    if n == 0:
        return Column(jnp.zeros(0, jnp.float64), jnp.zeros(0, bool) if dtype.masked else None, dtype)
    na_position = "first" if na_option == "top" else "last"
    key = column_key(col, bool(ascending), na_position)
    if is_distributed(sharding):
        counted = (live & present) if na_option == "keep" else live
        out = keyed.rank(pack_keys([dead_last(live), key]).words, live, counted, method, bool(pct), sharding)
        return _finish(out, present, na_option, dtype)
    perm, words = sort_words(pack_keys([dead_last(live), key]).words)
    starts, ids = sorted_segments(words)
    pos = jnp.arange(1, n + 1, dtype=jnp.int64)
    if method == "first":
        rank = pos.astype(jnp.float64)
    elif method == "dense":
        rank = (ids + 1).astype(jnp.float64)
    else:
        lo = jax.ops.segment_min(pos, ids, num_segments=n, indices_are_sorted=True)[ids]
        hi = jax.ops.segment_max(pos, ids, num_segments=n, indices_are_sorted=True)[ids]
        rank = {"min": lo.astype(jnp.float64), "max": hi.astype(jnp.float64),
                "average": (lo + hi) / 2.0}[method]
    counted_sorted = (live & present)[perm] if na_option == "keep" else live[perm]
    if pct:
        if method == "dense":
            total = jnp.sum(starts & counted_sorted)
        else:
            total = jnp.sum(counted_sorted)
        rank = rank / jnp.maximum(total, 1).astype(jnp.float64)
    out = jnp.zeros(n, jnp.float64).at[perm].set(rank, unique_indices=True)
    return _finish(out, present, na_option, dtype)


def _finish(out: jax.Array, present: jax.Array, na_option: str, dtype: jdt.DType) -> Column:
    """The rank column: nulls get NaN / NA with na_option='keep'."""
    n = out.shape[0]
    if na_option != "keep":
        return Column(out, jnp.ones(n, bool) if dtype.masked else None, dtype)
    if dtype.masked:
        return Column(jnp.where(present, out, 0.0), present, dtype)
    return Column(jnp.where(present, out, jnp.nan), None, dtype)


def series_rank(series: Any, axis: Any = 0, method: str = "average", numeric_only: bool = False,
                na_option: str = "keep", ascending: bool = True, pct: bool = False) -> Any:
    axis_number(axis, "Series", default=None)
    if numeric_only and series._column.dtype.kind not in "bif":
        raise TypeError(f"Series.rank does not allow numeric_only=True with non-numeric dtype {series.dtype}")
    return series._with_column(rank_column(series._column, series._live(), method, ascending, na_option, pct,
                                           sharding=series._sharding))


def frame_rank(frame: Any, axis: Any = 0, method: str = "average", numeric_only: bool = False,
               na_option: str = "keep", ascending: bool = True, pct: bool = False) -> Any:
    if axis_number(axis, default=None) == 1:
        raise NotImplementedError("DataFrame.rank(axis=1) is not supported")
    check_rank_args(method, na_option, ascending, pct)
    live = frame._live()
    cols = {k: rank_column(c, live, method, ascending, na_option, pct, numpy_result=True, sharding=frame._sharding)
            for k, c in frame._columns.items()
            if not numeric_only or c.dtype.kind in "bif"}
    return frame._with_columns(cols)
