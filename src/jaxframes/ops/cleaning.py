"""Cleaning: replace, interpolate, convert_dtypes, infer_objects, select_dtypes, add_prefix/suffix,
sample, compare, first/last_valid_index, repeat, explode.

On device: replace of numbers in numeric columns and strings in string columns (pandas' dtype
for the live matched values, ``facts.any_live``), linear and index-aware interpolate of float
columns (one jitted kernel), sample/repeat (pandas' own algorithm picks the positions from the
same ``random_state``, numpy's RandomState, and the rows are gathered on device, so the same
rows come back), add_prefix/suffix, select_dtypes, first/last_valid_index. Computed by pandas on
the live rows (ops/host.py) and brought back: regex replacement and other value mixes,
convert_dtypes (value inference), compare, interpolate of other dtypes.
"""

from __future__ import annotations

from typing import Any, Hashable

import jax
import jax.numpy as jnp
import numpy as np
import pandas as pd

from jaxframes import dtypes as jdt
from jaxframes.axes import axis_number
from jaxframes.errors import reject_inplace
from jaxframes.facts import any_live
from jaxframes.indexing import relabel_rows
from jaxframes.index import RangeIndex
from jaxframes.ops import elementwise as ew
from jaxframes.ops import lists
from jaxframes.ops.host import to_host, via_pandas
from jaxframes.sync import device_get
from jaxframes.table import is_frame, is_series, unique_columns

_NO_DEFAULT = pd.api.extensions.no_default
INTERPOLATE_METHODS = ("linear", "index", "values")


def _columns(obj: Any) -> dict[Hashable, Any]:
    return obj._columns if is_frame(obj) else {obj._name: obj._column}


def empty_like(obj: Any) -> Any:
    """A zero-row pandas object with ``obj``'s column dtypes (no data moves)."""
    dtypes = {k: jdt.to_pandas(c.dtype) for k, c in _columns(obj).items()}
    if is_frame(obj):
        return pd.DataFrame({k: pd.Series(dtype=d) for k, d in dtypes.items()}, columns=list(dtypes))
    return pd.Series(dtype=next(iter(dtypes.values())), name=obj._name)


# -- replace / interpolate / dtype conversions ---------------------------------------------------------
def replace(obj: Any, to_replace: Any, value: Any, inplace: bool, regex: Any) -> Any:
    """Scalar/list/dict replacement of numbers in numeric columns and of strings in string
    columns runs on device (``replace_on_device``); regexes and other value mixes are pandas'
    on the host."""
    reject_inplace(inplace, "replace")
    pairs = _replace_pairs(obj, to_replace, value, regex)
    if pairs is not None:
        out = replace_on_device(obj, pairs)
        if out is not None:
            return out
    to_replace, value = to_host(to_replace), to_host(value)
    kwargs = {} if value is _NO_DEFAULT else {"value": value}
    return via_pandas(obj, lambda p: p.replace(to_replace, regex=regex, **kwargs))


def _plain(v: Any) -> bool:
    """A number (not a bool, not NaN) or a string: the values the device path replaces."""
    if isinstance(v, (bool, np.bool_)):
        return False
    if isinstance(v, str):
        return True
    return isinstance(v, (int, float, np.integer, np.floating)) and not np.isnan(v)


def _replace_pairs(obj: Any, to_replace: Any, value: Any, regex: Any) -> dict[Hashable, list] | None:
    """{column: [(old, new), ...]} in pandas' reading of the arguments, or None when the call is
    left to pandas (regexes, nulls, bools, nested lists, labels not among the columns, ...)."""
    if regex is not False:
        return None
    names = list(_columns(obj))
    frame = is_frame(obj)
    if isinstance(to_replace, dict):
        if value is _NO_DEFAULT:
            if frame and to_replace and all(isinstance(v, dict) for v in to_replace.values()):
                if any(c not in names for c in to_replace):
                    return None
                pairs = {c: list(d.items()) for c, d in to_replace.items()}
            elif any(isinstance(v, dict) for v in to_replace.values()):
                return None
            else:
                pairs = {c: list(to_replace.items()) for c in names}
        elif frame and _plain(value) and all(c in names for c in to_replace):
            pairs = {c: [(old, value)] for c, old in to_replace.items()}
        else:
            return None
    elif _plain(to_replace) and _plain(value):
        pairs = {c: [(to_replace, value)] for c in names}
    elif isinstance(to_replace, list) and _plain(value):
        pairs = {c: [(old, value) for old in to_replace] for c in names}
    elif isinstance(to_replace, list) and isinstance(value, list) and len(to_replace) == len(value):
        pairs = {c: list(zip(to_replace, value)) for c in names}
    else:
        return None
    for column_pairs in pairs.values():
        olds = [o for o, _ in column_pairs]
        if not all(_plain(o) and _plain(n) for o, n in column_pairs) or len(set(olds)) < len(olds):
            return None
    return pairs


def replace_on_device(obj: Any, pairs: dict[Hashable, list]) -> Any:
    """Masks of every (old, new) pair computed on the original values (pandas replaces
    simultaneously), the result dtype asked of pandas on a sample of the LIVE matched old values
    (so a promotion, or pandas' refusal, happens only when a live row matches; inside jit every
    pair counts as matched). None: a column the device path does not handle."""
    live = obj._live()
    cols = dict(_columns(obj))
    for name, column_pairs in pairs.items():
        col = cols[name]
        kind = col.dtype.kind
        if kind not in "iufU":  # bools, datetimes, categories: pandas' own holding rules, on the host
            return None
        # a string never matches in a numeric column, nor a number in a string column (pandas:
        # the column cannot hold it)
        column_pairs = [(old, new) for old, new in column_pairs if isinstance(old, str) == (kind == "U")]
        if kind == "U":
            if col.dictionary is None or col.dictionary.is_traced:
                return None
            masks = [_string_match(col, old) for old, _ in column_pairs]
        else:
            masks = [(col.data == old) & col.not_null() for old, _ in column_pairs]
        matched = [(pair, m) for pair, m in zip(column_pairs, masks)
                   if any_live(f"replace: a live {pair[0]!r}", m, live, in_jit=True)]
        if matched:
            cols[name] = _replace_column(col, matched)
    return obj._with_columns(cols) if is_frame(obj) else obj._with_column(next(iter(cols.values())))


def _string_match(col: Any, old: str) -> jax.Array:
    values = col.dictionary.values
    found = np.flatnonzero(np.asarray(values.to_numpy(zero_copy_only=False), dtype=object) == old)
    if found.size == 0:
        return jnp.zeros(col.capacity, bool)
    return (col.data == int(found[0])) & col.not_null()


def _replace_column(col: Any, matched: list) -> Any:
    olds = [old for (old, _), _ in matched]
    news = [new for (_, new), _ in matched]
    pandas_dtype = jdt.to_pandas(col.dtype)
    sample = pd.Series(olds, dtype=pandas_dtype).replace(olds, news)  # pandas' dtype, or its TypeError
    result = jdt.held(sample.dtype, f"replace on {col.dtype} with {news!r}")
    if col.dtype.kind == "U":
        out = col
        for (_, new), mask in matched:
            out = ew.where(out, ~mask, new)
        return out
    out = ew.cast(col, result)
    data, validity = out.data, out.validity
    for (_, new), mask in matched:
        data = jnp.where(mask, jnp.asarray(new).astype(result.storage), data)
        validity = None if validity is None else validity | mask
    return out.replace(data=data, validity=validity)


def interpolate(obj: Any, method: str, axis: Any, limit: Any, inplace: bool, limit_direction: Any,
                limit_area: Any, downcast: Any, kwargs: dict) -> Any:
    """Linear interpolation of NaN on device (positions of the live rows for 'linear', the index
    labels for 'index'/'values'), with pandas' limit rules; other column dtypes, axis=1 and
    unsorted labels are left to pandas on the host (its answer or its error)."""
    reject_inplace(inplace, "interpolate")
    if method not in INTERPOLATE_METHODS:
        raise NotImplementedError(f"interpolate(method={method!r}): only {', '.join(INTERPOLATE_METHODS)} "
                                  "are supported (the scipy methods are not)")
    if kwargs:
        raise NotImplementedError(f"interpolate(**{sorted(kwargs)}): extra scipy arguments are not supported")
    if downcast is not _NO_DEFAULT:
        raise NotImplementedError("interpolate(downcast=...): deprecated in pandas, not supported")
    direction = "forward" if limit_direction is None else str(limit_direction).lower()
    if direction not in ("forward", "backward", "both"):
        raise ValueError(f"Invalid limit_direction: expecting one of ['forward', 'backward', 'both'], "
                         f"got '{limit_direction}'.")
    if limit_area is not None and limit_area not in ("inside", "outside"):
        raise ValueError(f"Invalid limit_area: expecting one of ['inside', 'outside'], got {limit_area}.")
    if limit is not None:
        if not isinstance(limit, (int, np.integer)):
            raise ValueError("Limit must be an integer")
        if limit < 1:
            raise ValueError("Limit must be greater than 0")
    x = _interpolation_x(obj, method) if axis in (0, "index", "rows") else None
    cols = _columns(obj)
    if x is None or not all(c.dtype.kind in "fiu" and not c.dtype.masked for c in cols.values()):
        return via_pandas(obj, lambda p: p.interpolate(method=method, axis=axis, limit=limit,
                                                       limit_direction=limit_direction, limit_area=limit_area))
    live = obj._live()
    out = {k: (interpolate_column(c, x, live, direction, limit, limit_area) if c.dtype.kind == "f" else c)
           for k, c in cols.items()}
    return obj._with_columns(out) if is_frame(obj) else obj._with_column(next(iter(out.values())))


def _interpolation_x(obj: Any, method: str) -> Any:
    """The x of each physical row: its live position ('linear'), else its index label as float64
    when the labels are numeric or datetime, present and strictly increasing over the live rows
    (np.interp's requirement). None: pandas decides on the host."""
    index = obj._index
    if method == "linear":
        return obj._row_positions().astype(jnp.float64)
    if isinstance(index, RangeIndex):
        return index.labels().data.astype(jnp.float64) if index.step > 0 else None
    labels = getattr(index, "column", None)
    if labels is None or labels.dtype.kind not in "iufM" or obj._traced():
        return None
    live = np.asarray(device_get(obj._live()))
    host = np.asarray(device_get(labels.data))[live].astype(np.float64)
    present = np.asarray(device_get(labels.not_null()))[live]
    if not present.all() or not np.all(np.diff(host) > 0):
        return None
    return labels.data.astype(jnp.float64)


def interpolate_column(col: Any, x: jax.Array, live: jax.Array, direction: str, limit: Any, area: Any) -> Any:
    """One compiled kernel for every direction/limit/area (they are traced values)."""
    if col.capacity == 0:
        return col
    return _interpolate_kernel(col, x, live, direction in ("forward", "both"), direction in ("backward", "both"),
                               np.iinfo(np.int64).max if limit is None else int(limit), area == "inside",
                               area == "outside")


@jax.jit
def _interpolate_kernel(col: Any, x: jax.Array, live: jax.Array, forward: Any, backward: Any, limit: Any,
                        inside: Any, outside: Any) -> Any:
    """pandas' ``_interpolate_1d`` for one float column: np.interp between the nearest live valid
    neighbours (clamped to the end values), then pandas' rules on which NaN stay NaN."""
    n = col.capacity
    rank = jnp.cumsum(live.astype(jnp.int64)) - 1  # live positions: what pandas' limits count
    valid = col.not_null() & live
    idx = jnp.arange(n)
    prev = jax.lax.cummax(jnp.where(valid, idx, -1))
    nxt = jax.lax.cummin(jnp.where(valid, idx, n), reverse=True)
    has_prev, has_next = prev >= 0, nxt < n
    p, q = jnp.clip(prev, 0, n - 1), jnp.clip(nxt, 0, n - 1)
    y0, y1, x0, x1 = col.data[p], col.data[q], x[p], x[q]
    slope = (y1 - y0) / (x1 - x0)
    between = slope * (x - x0) + y0
    value = jnp.where(has_prev & has_next, between, jnp.where(has_prev, y0, y1))
    fwd = jnp.where(has_prev, rank - rank[p], jnp.iinfo(jnp.int64).max)
    bwd = jnp.where(has_next, rank[q] - rank, jnp.iinfo(jnp.int64).max)
    both = has_prev & has_next
    fill = (forward & has_prev & (fwd <= limit)) | (backward & has_next & (bwd <= limit))
    fill = fill & (~inside | both) & (~outside | ~both)
    fill = fill & ~valid & live & jnp.any(valid)
    return col.replace(data=jnp.where(fill, value.astype(col.data.dtype), col.data))


def convert_dtypes(obj: Any, infer_objects: bool, convert_string: bool, convert_integer: bool,
                   convert_boolean: bool, convert_floating: bool, dtype_backend: str) -> Any:
    if dtype_backend != "numpy_nullable":
        raise NotImplementedError(f"convert_dtypes(dtype_backend={dtype_backend!r}): Arrow-backed dtypes "
                                  "are not held; only 'numpy_nullable' is supported")
    flags = {"infer_objects": infer_objects, "convert_string": convert_string, "convert_integer": convert_integer,
             "convert_boolean": convert_boolean, "convert_floating": convert_floating}
    # the flags passed, as passed: pandas warns (Pandas4Warning) for each deprecated one given
    chosen = {k: v for k, v in flags.items() if v is not _NO_DEFAULT}
    return via_pandas(obj, lambda p: p.convert_dtypes(**chosen))


def infer_objects(obj: Any) -> Any:
    """Columns never hold pandas' object dtype (each holds one typed dtype), and pandas'
    infer_objects changes only object columns: the same values and dtypes come back."""
    return obj._wrap(obj._table)


def select_dtypes(frame: Any, include: Any, exclude: Any) -> Any:
    """Columns chosen by pandas' dtype rules, applied to a zero-row frame of the same dtypes."""
    kept = empty_like(frame).select_dtypes(include=include, exclude=exclude).columns
    return frame._with_columns({k: frame._columns[k] for k in kept})


# -- labels ------------------------------------------------------------------------------------------
def _row_axis(obj: Any, axis: Any) -> bool:
    """Whether add_prefix/suffix relabels rows (Series: always; frames: axis=0/'index')."""
    if is_series(obj):
        axis_number(axis, "Series")
        return True
    return axis_number(axis, default=1) == 0


def add_affix(obj: Any, affix: str, axis: Any, prefix: bool) -> Any:
    label = (lambda k: f"{affix}{k}") if prefix else (lambda k: f"{k}{affix}")
    if _row_axis(obj, axis):
        index = obj.index
        return relabel_rows(obj, pd.Index([label(k) for k in index], name=index.name))
    return obj._with_columns(unique_columns((label(k), c) for k, c in obj._columns.items()))


# -- rows ----------------------------------------------------------------------------------------------
def sample(obj: Any, n: Any, frac: Any, replace: bool, weights: Any, random_state: Any, axis: Any,
           ignore_index: bool) -> Any:
    """pandas draws the positions (same RandomState algorithm, same rows); the rows are gathered
    on device."""
    if axis not in (None, 0, "index", "rows"):
        raise NotImplementedError("sample(axis=1): sampling columns is not supported")
    if is_frame(obj) and isinstance(weights, str):
        if weights not in obj._columns:
            raise KeyError("String passed to weights not a valid column")
        weights = obj[weights]
    weights = to_host(weights)
    positions = pd.Series(np.arange(obj._num_rows()), index=obj.index)
    if isinstance(weights, pd.Series):
        weights = weights.reindex(positions.index)  # pandas aligns weights on the labels
    picked = positions.sample(n=n, frac=frac, replace=replace, weights=weights, random_state=random_state)
    out = obj._keep_positions(picked.to_numpy())
    return _reset(out) if ignore_index else out


def _reset(obj: Any) -> Any:
    out = obj._compact()
    return out._replace_rows(out._row_mask, RangeIndex(out._capacity))


def repeat(series: Any, repeats: Any, axis: Any) -> Any:
    if axis is not None:  # pandas keeps the argument for numpy compatibility only
        raise ValueError("the 'axis' parameter is not supported in the pandas implementation of repeat()")
    n = series._num_rows()
    counts = np.asarray(to_host(repeats))
    if counts.ndim and len(counts) != n:
        raise ValueError(f"operands could not be broadcast together with shape ({n},) ({len(counts)},)")
    if (counts < 0).any():
        raise ValueError("negative dimensions are not allowed")
    return series._keep_positions(np.repeat(np.arange(n), counts))


def valid_index(obj: Any, first: bool) -> Any:
    """Label of the first/last live row holding any non-null value (None when there is none)."""
    live = obj._live()
    present = jnp.zeros_like(live)
    for col in _columns(obj).values():
        present = present | col.not_null()
    present = np.asarray(device_get(present & live))
    rows = np.flatnonzero(present)
    if rows.size == 0:
        return None
    pos = rows[0] if first else rows[-1]
    return obj._index.to_pandas(np.arange(obj._capacity) == pos)[0]


def compare(obj: Any, other: Any, align_axis: Any, keep_shape: bool, keep_equal: bool, result_names: Any) -> Any:
    if type(obj) is not type(other):
        raise TypeError(f"can only compare '{type(obj).__name__}' (not '{type(other).__name__}') "
                        f"with '{type(obj).__name__}'")
    return via_pandas(obj, lambda p: p.compare(other.to_pandas(), align_axis=align_axis, keep_shape=keep_shape,
                                               keep_equal=keep_equal, result_names=result_names))


def explode(obj: Any, column: Any, ignore_index: bool) -> Any:
    """pandas' explode: list columns give one row per element (ops/lists.py); when no named
    column holds lists, pandas returns the rows unchanged."""
    if is_frame(obj):
        names = list(column) if isinstance(column, (list, tuple)) else [column]
        if not names:
            raise ValueError("column must be nonempty")
        if len(set(names)) < len(names):
            raise ValueError("column must be unique")
        missing = [c for c in names if c not in obj._columns]
        if missing:
            raise KeyError(missing[0])
    else:
        names = list(obj._table.columns)
    if any(obj._table.columns[n].dtype.kind == "L" for n in names):
        return obj._wrap(lists.explode(obj._table, names, ignore_index))
    return _reset(obj) if ignore_index else obj._wrap(obj._table)
