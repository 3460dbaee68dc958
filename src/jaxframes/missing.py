"""where/mask, fillna, isna/notna, dropna, ffill/bfill, clip, round for DataFrame and Series.

The column kernels are in ops/elementwise.py; this module lines conditions and ``other`` up
with the rows and columns. Value-dependent dtypes: pandas changes a dtype only when something
is actually replaced (``s.where(all_true)`` keeps int64, ``s.fillna(x)`` without nulls keeps
the dtype). Eagerly we check; inside ``jax.jit`` we cannot, so there the replacement dtype is
always used (e.g. numpy int ``where`` without ``other`` gives float64 under jit).
"""

from __future__ import annotations

from typing import Any, Hashable

import jax
import jax.numpy as jnp
import numpy as np
import pandas as pd

from jaxframes.axes import axis_number
from jaxframes.column import Column
from jaxframes.errors import reject_inplace
from jaxframes.table import is_frame, is_series, is_traced, make_frame, make_series
from jaxframes.indexing import is_bool_array, row_mask_from_key
from jaxframes.ops import elementwise as ew
from jaxframes.combine import _array_column
from jaxframes.facts import any_live
from jaxframes.sync import device_get
from jaxframes.index import RangeIndex


def _is_frame(obj: Any) -> bool:
    return is_frame(obj)


def _columns(container: Any) -> dict[Hashable, Column]:
    return container._columns if _is_frame(container) else {container._name: container._column}


def _rebuild(container: Any, cols: dict[Hashable, Column]) -> Any:
    if _is_frame(container):
        return container._with_columns(cols)
    return container._with_column(next(iter(cols.values())))


def _any_live(rule: str, flags: jax.Array, live: jax.Array) -> bool:
    """Whether any LIVE row has the flag (``facts.any_live``); inside a user jit: assume yes, so
    the replacement dtype is used (the rule stated in the module docstring)."""
    return any_live(rule, flags, live, in_jit=True)


# -- conditions and others lined up with the rows ----------------------------------------------------
def _rows_from(container: Any, other: Any) -> Any:
    """``other`` (a Series or DataFrame) on the container's physical rows: same layout, or padded."""
    if other._capacity == container._capacity and other._index.same_labels(container._index):
        return other
    if not is_traced(*container._arrays(), *other._arrays()) and other.index.equals(container.index):
        if container._row_mask is None and other._row_mask is None:
            return other
    raise NotImplementedError("a condition/other whose index differs from the frame's "
                              "(label alignment is not supported yet)")


def _cond_array(container: Any, cond: Any, name: Hashable | None = None) -> tuple[jax.Array, Any]:
    """(values, known) over physical rows; ``known`` is False where the condition is NA or has
    no row (where and mask both replace those rows, as pandas does)."""
    if is_frame(cond):
        cond = cond[name] if name in cond._columns else None
        if cond is None:
            raise NotImplementedError("a condition frame without one of the columns (alignment)")
    if isinstance(cond, (pd.Series, pd.DataFrame)):
        cond = make_series(cond) if isinstance(cond, pd.Series) else make_frame(cond)
    if is_series(cond):
        cond = _rows_from(container, cond)
        col = cond._column
        if col.dtype.kind != "b":
            raise TypeError(f"Boolean array expected for the condition, not {col.dtype}")
        return col.data, col.not_null() & cond._live()
    if np.ndim(cond) == 0:
        if isinstance(cond, (bool, np.bool_)) or (isinstance(cond, jax.Array) and cond.dtype == bool):
            return jnp.broadcast_to(jnp.asarray(cond), (container._capacity,)), True
        raise TypeError(f"Boolean array expected for the condition, not {type(cond).__name__}")
    if not is_bool_array(cond) and not (isinstance(cond, list) and len(cond) == 0):
        kind = getattr(getattr(cond, "dtype", None), "name", type(cond).__name__)
        raise TypeError(f"Boolean array expected for the condition, not {kind}")
    if isinstance(cond, jax.Array) and container._row_mask is None:
        if cond.shape[0] != container._capacity:
            raise ValueError("Array conditional must be same shape as self")
        return cond, True
    n_live = container._num_rows()
    if len(cond) != n_live:
        raise ValueError("Array conditional must be same shape as self")
    return row_mask_from_key(container, np.asarray(cond, dtype=bool)), True


def _other_for(container: Any, other: Any, name: Hashable) -> Any:
    """A scalar, or a Column on the container's physical rows, for column ``name``."""
    if isinstance(other, (pd.Series, pd.DataFrame)):
        other = make_series(other) if isinstance(other, pd.Series) else make_frame(other)
    if is_frame(other):
        if name not in other._columns:
            raise NotImplementedError("an `other` frame without one of the columns (alignment)")
        other = other[name]
    if is_series(other):
        other = _rows_from(container, other)
        col = other._column
        if other._row_mask is not container._row_mask and other._row_mask is not None:
            col = ew.with_nulls_where(col, ~other._live())
        return col
    if np.ndim(other) != 0:
        return _array_column(container, other, "where")
    if isinstance(other, np.ndarray):
        return other[()]
    return other


# -- where / mask ------------------------------------------------------------------------------------
def where(container: Any, cond: Any, other: Any = np.nan, inplace: bool = False, axis: Any = None,
          level: Any = None, invert: bool = False) -> Any:
    """pandas' where (``invert=True``: mask): keep values where cond is True, else ``other``."""
    reject_inplace(inplace, "mask" if invert else "where")
    if level is not None:
        raise NotImplementedError("where(level=...): MultiIndex is not supported")
    if axis not in (None, 0, "index", "rows"):
        raise NotImplementedError("where(axis=1) is not supported yet")
    if callable(cond):
        cond = cond(container)
    if callable(other):
        other = other(container)
    live = container._live()
    cols = {}
    for name, col in _columns(container).items():
        values, known = _cond_array(container, cond, name)
        keep = (~values if invert else values) & known
        other_col = _other_for(container, other, name)
        if not _any_live("where: a live row is replaced", ~keep, live):
            cols[name] = col
            continue
        cols[name] = ew.where(col, keep, other_col)
    return _rebuild(container, cols)


# -- missing values -------------------------------------------------------------------------------------
def isna(container: Any, negate: bool = False) -> Any:
    """isna / notna: a bool column per column."""
    cols = {}
    for name, col in _columns(container).items():
        out = ew.isna(col)
        cols[name] = out.replace(data=~out.data) if negate else out
    return _rebuild(container, cols)


def fillna(container: Any, value: Any, axis: Any = None, inplace: bool = False,
           limit: Any = None) -> Any:
    """Nulls replaced by a scalar, a dict per column (frames) / per label (Series), or a Series."""
    reject_inplace(inplace, "fillna")
    if limit is not None:
        raise NotImplementedError("fillna(limit=...) is not supported yet")
    if axis not in (None, 0, "index", "rows"):
        raise NotImplementedError("fillna(axis=1) is not supported yet")
    if value is None:
        raise ValueError("Must specify a fill 'value'.")
    if isinstance(value, (list, tuple)):
        raise TypeError(f'"value" parameter must be a scalar or dict, but you passed a "{type(value).__name__}"')
    is_frame = _is_frame(container)
    if isinstance(value, dict) and not is_frame:
        raise NotImplementedError("Series.fillna with a dict (values per row label) is not supported yet")
    live = container._live()
    cols = {}
    for name, col in _columns(container).items():
        if isinstance(value, dict):
            if name not in value:
                cols[name] = col
                continue
            fill = value[name]
        else:
            fill = value
        if _is_frame(fill) or (is_frame and not isinstance(value, dict) and hasattr(fill, "_column")):
            raise NotImplementedError("DataFrame.fillna with a Series or DataFrame value is not supported yet")
        fill = _other_for(container, fill, name)
        if not isinstance(fill, Column) and ew.is_null_scalar(fill):
            cols[name] = col
            continue
        if not _any_live("fillna: a live null", ~col.not_null(), live):
            cols[name] = col
            continue
        cols[name] = ew.fillna(col, fill)
    return _rebuild(container, cols)


def fill_direction(container: Any, forward: bool, axis: Any = None, inplace: bool = False,
                   limit: Any = None, limit_area: Any = None) -> Any:
    """ffill / bfill down each column, over live rows only."""
    reject_inplace(inplace, "ffill" if forward else "bfill")
    if limit is not None or limit_area is not None:
        raise NotImplementedError("ffill/bfill with limit= or limit_area= is not supported yet")
    if axis not in (None, 0, "index", "rows"):
        raise NotImplementedError("ffill/bfill(axis=1) is not supported yet")
    live = container._live()
    return _rebuild(container, {k: ew.fill_direction(c, live, forward)
                                for k, c in _columns(container).items()})


_NO_DEFAULT = object()


def dropna(container: Any, axis: Any = 0, how: Any = _NO_DEFAULT, thresh: Any = _NO_DEFAULT,
           subset: Any = None, inplace: bool = False, ignore_index: bool = False) -> Any:
    """Drop rows (or, for frames, columns with axis=1) holding missing values."""
    reject_inplace(inplace, "dropna")
    if how is not _NO_DEFAULT and thresh is not _NO_DEFAULT:
        raise TypeError("You cannot set both the how and thresh arguments at the same time.")
    how = "any" if how is _NO_DEFAULT else how
    if how not in ("any", "all"):
        raise ValueError(f"invalid how option: {how}")
    if isinstance(axis, (list, tuple)):
        raise TypeError("supplying multiple axes to axis is no longer supported.")
    if not _is_frame(container):
        axis_number(axis, "Series", default=None)
        out = container._and_mask(container._column.not_null())
        return _reset(out) if ignore_index else out
    frame = container
    if axis_number(axis, default=None) == 1:
        return _dropna_columns(frame, how, thresh, subset)
    names = list(frame._columns)
    if subset is not None:
        subset = [subset] if np.ndim(subset) == 0 and not isinstance(subset, (list, tuple)) else list(subset)
        missing = [k for k in subset if k not in frame._columns]
        if missing:
            raise KeyError(missing)
        names = subset
    present = [frame._columns[k].not_null() for k in names]
    count = sum((p.astype(jnp.int64) for p in present), jnp.zeros(frame._capacity, jnp.int64))
    if thresh is not _NO_DEFAULT:
        keep = count >= int(thresh)
    elif how == "any":
        keep = count == len(names)
    else:
        keep = count > 0 if names else jnp.zeros(frame._capacity, bool)
    out = frame._and_mask(keep)
    return _reset(out) if ignore_index else out


def _dropna_columns(frame: Any, how: str, thresh: Any, subset: Any) -> Any:
    if subset is not None:
        raise NotImplementedError("dropna(axis=1, subset=...) is not supported yet")
    live = frame._live()
    if is_traced(live, *frame._arrays()):
        raise NotImplementedError("dropna(axis=1) inside jax.jit: the kept columns depend on the data")
    n = frame._num_rows()
    counts = device_get(jnp.stack([jnp.sum(c.not_null() & live) for c in frame._columns.values()])) \
        if frame._columns else []
    keep_cols = {}
    for (name, col), count in zip(frame._columns.items(), counts):
        count = int(count)
        if thresh is not _NO_DEFAULT:
            keep = count >= int(thresh)
        elif how == "any":
            keep = count == n
        else:
            keep = count > 0
        if keep:
            keep_cols[name] = col
    return frame._with_columns(keep_cols)


def _reset(container: Any) -> Any:
    compact = container._compact()
    n = compact._num_rows()
    take = jnp.arange(n)
    return compact._gather_rows(take, None, RangeIndex(n))


# -- clip / round ---------------------------------------------------------------------------------------
def clip(container: Any, lower: Any = None, upper: Any = None, axis: Any = None, inplace: bool = False) -> Any:
    """Values bounded to [lower, upper] (scalar bounds)."""
    reject_inplace(inplace, "clip")
    if axis is not None:
        raise NotImplementedError("clip(axis=...) with array bounds is not supported yet")
    live = container._live()
    return _rebuild(container, {k: ew.clip(c, lower, upper, live) for k, c in _columns(container).items()})


def round_(container: Any, decimals: Any = 0) -> Any:
    """Round numeric columns to ``decimals`` (an int, or a dict/Series per column for frames)."""
    if _is_frame(container):
        if isinstance(decimals, pd.Series):
            decimals = decimals.to_dict()
        if isinstance(decimals, dict):
            return _rebuild(container, {k: ew.round_column(c, decimals[k]) if k in decimals else c
                                        for k, c in container._columns.items()})
    if not isinstance(decimals, (int, np.integer)) or isinstance(decimals, bool):
        raise TypeError("decimals must be an integer" if not _is_frame(container)
                        else "decimals must be an integer, a dict-like or a Series")
    return _rebuild(container, {k: ew.round_column(c, decimals) for k, c in _columns(container).items()})

