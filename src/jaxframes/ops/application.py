"""Function application with pandas' rules: agg/aggregate, apply (column-wise), transform,
pipe, combine, combine_first, update, case_when.

The functions a user passes run on OUR objects (a column is a jaxframes Series, so
``lambda s: s.max() - s.min()`` runs on device). What pandas assembles from the per-column
answers (a Series of scalars whose dtype pandas infers, a frame of aligned Series) is
assembled here the same way: scalars through pandas' own inference on the host (they are
already on the host), per-row Series as columns without leaving the device. Elementwise
functions (``Series.apply``/``map``, ``DataFrame.map``, ``apply(axis=1)``) live in
ops/mapping.py.
"""

from __future__ import annotations

import builtins
from typing import Any, Callable, Hashable

import jax
import jax.numpy as jnp
import numpy as np
import pandas as pd
from pandas.core.dtypes.cast import find_common_type

from jaxframes.axes import axis_number
from jaxframes.expr.parse import UNARY_MATH
from jaxframes.ops.mapping import map_series, ufunc_series
from jaxframes.table import is_frame, is_series, make_frame, make_series, new_frame, new_series

# numpy / builtin reducers pandas treats as the named reduction (np.std/np.var: ddof=0, as
# numpy's call on a Series asks).
_CALLABLE_NAMES: dict[Any, tuple[str, dict]] = {
    np.sum: ("sum", {}), np.nansum: ("sum", {}), np.mean: ("mean", {}), np.nanmean: ("mean", {}),
    np.min: ("min", {}), np.nanmin: ("min", {}), np.max: ("max", {}), np.nanmax: ("max", {}),
    np.prod: ("prod", {}), np.nanprod: ("prod", {}), np.median: ("median", {}), np.nanmedian: ("median", {}),
    np.std: ("std", {"ddof": 0}), np.nanstd: ("std", {"ddof": 0}), np.var: ("var", {"ddof": 0}),
    np.nanvar: ("var", {"ddof": 0}), np.cumsum: ("cumsum", {}), np.cumprod: ("cumprod", {}),
    builtins.sum: ("sum", {}), builtins.max: ("max", {}), builtins.min: ("min", {}),
    np.all: ("all", {}), np.any: ("any", {}),
}


def func_name(func: Any) -> Hashable:
    """The label pandas gives a function's result in list aggregations."""
    if isinstance(func, str):
        return func
    named = _named(func)
    if named is not None and func in (np.std, np.var, np.nanstd, np.nanvar):
        return func.__name__
    return getattr(func, "__name__", "<lambda>")


def _named(func: Any) -> tuple[str, dict] | None:
    try:
        return _CALLABLE_NAMES.get(func)
    except TypeError:  # unhashable callables
        return None


def _scalar(value: Any) -> Any:
    """0-d device results as numpy scalars (what pandas' inference reads)."""
    if isinstance(value, jax.Array) and value.ndim == 0 and not isinstance(value, jax.core.Tracer):
        return np.asarray(value)[()]
    return value


def _is_scalar_result(value: Any) -> bool:
    return not (is_series(value) or is_frame(value) or isinstance(value, (pd.Series, pd.DataFrame))) \
        and np.ndim(value) == 0


def call_named(obj: Any, name: str, args: tuple, kwargs: dict, kind: str) -> Any:
    """``obj.agg('sum')``: the method (or attribute, as 'size') of that name."""
    if name in UNARY_MATH and getattr(type(obj), name, None) is None:
        if is_series(obj):
            return ufunc_series(obj, name)
        return obj._with_columns({k: ufunc_series(obj._series(k), name)._column for k in obj._columns})
    attr = getattr(type(obj), name, None)
    if attr is None or name.startswith("_"):
        raise AttributeError(f"'{name}' is not a valid function for '{kind}' object")
    value = getattr(obj, name)
    return value(*args, **kwargs) if callable(value) else value


# -- agg -----------------------------------------------------------------------------------------
def series_agg(s: Any, func: Any, args: tuple = (), kwargs: dict | None = None) -> Any:
    kwargs = kwargs or {}
    if func is None:
        raise TypeError("Must provide 'func' or tuples of '(column, aggfunc).")
    if isinstance(func, str):
        return call_named(s, func, args, kwargs, "Series")
    if isinstance(func, dict):
        return _series_of_results(s, [(k, series_agg(s, f, args, kwargs)) for k, f in func.items()])
    if isinstance(func, (list, tuple)):
        if not func:
            raise ValueError("No objects to concatenate")
        return _series_of_results(s, [(func_name(f), series_agg(s, f, args, kwargs)) for f in func])
    named = _named(func)
    if named is not None:
        return call_named(s, named[0], args, {**named[1], **kwargs}, "Series")
    if callable(func):
        return func(s, *args, **kwargs)
    raise TypeError(f"{type(func).__name__!r} object is not callable")


def _series_of_results(s: Any, results: list[tuple[Hashable, Any]]) -> Any:
    """Per-function results: a Series of scalars (pandas infers the dtype), or a frame when
    the functions returned Series."""
    if all(_is_scalar_result(r) for _, r in results):
        return make_series(pd.Series([_scalar(r) for _, r in results], index=[k for k, _ in results],
                                     name=s.name))
    parts = [(k, r.to_pandas() if is_series(r) else r) for k, r in results]
    if all(isinstance(p, pd.Series) for _, p in parts):
        return make_frame(pd.concat([p.rename(k) for k, p in parts], axis=1))
    raise NotImplementedError("agg mixing reductions and per-row results")


def frame_agg(df: Any, func: Any, axis: Any, args: tuple, kwargs: dict) -> Any:
    from_axis = axis_number(axis, default=None)
    if func is None:
        if kwargs:
            raise NotImplementedError("DataFrame.agg with named aggregation (keyword tuples)")
        raise TypeError("Must provide 'func' or tuples of '(column, aggfunc).")
    if from_axis == 1:
        if isinstance(func, str) or _named(func) is not None:
            name, extra = (func, {}) if isinstance(func, str) else _named(func)
            return call_named(df, name, args, {"axis": 1, **extra, **kwargs}, "DataFrame")
        if callable(func):
            return df.apply(func, axis=1, args=args, **kwargs)
        raise NotImplementedError("DataFrame.agg(axis=1) with a list or dict of functions")
    if isinstance(func, str):
        return call_named(df, func, args, kwargs, "DataFrame")
    if isinstance(func, dict):
        missing = [k for k in func if k not in df._columns]
        if missing:
            raise KeyError(f"Column(s) {missing} do not exist")
        if any(isinstance(v, (list, tuple)) for v in func.values()):
            parts = [_column_results(df, k, f if isinstance(f, (list, tuple)) else [f], args, kwargs)
                     for k, f in func.items()]
            return _assembled(pd.concat(parts, axis=1, sort=False))
        results = [(k, series_agg(df._series(k), f, args, kwargs)) for k, f in func.items()]
        if all(_is_scalar_result(r) for _, r in results):
            parts = [_one_result(df, k, f, r, args, kwargs) for (k, r), f in zip(results, func.values())]
            return _assembled(pd.concat(parts).rename(None))
        return _frame_of_series(df, results)
    if isinstance(func, (list, tuple)):
        if not func:
            raise ValueError("No objects to concatenate")
        parts = [_column_results(df, k, list(func), args, kwargs) for k in df._columns]
        if not parts:
            return make_frame(pd.DataFrame(index=[func_name(f) for f in func]))
        return _assembled(pd.concat(parts, axis=1, sort=False))
    if callable(func):
        return frame_apply(df, func, False, None, args, kwargs)
    raise TypeError(f"{type(func).__name__!r} object is not callable")


def _one_result(df: Any, k: Hashable, f: Any, value: Any, args: tuple, kwargs: dict) -> pd.Series:
    """One column's reduction as a one-row pandas Series in its result dtype (a named
    reduction keeps the masked dtype pandas' frame reductions keep: Int64 sum is Int64)."""
    name = f if isinstance(f, str) else (_named(f) or (None,))[0]
    if name is not None and not args and not kwargs and not (_named(f) or ("", {}))[1]:
        try:
            out = call_named(df._select([k]), name, (), {}, "DataFrame")
        except NotImplementedError:
            out = None
        if is_series(out) and len(out) == 1:
            return out.to_pandas().set_axis([k])
    return pd.Series([_scalar(value)], index=[k])


def _column_results(df: Any, k: Hashable, funcs: list, args: tuple, kwargs: dict) -> pd.Series:
    """Column ``k`` under each function, indexed by the function names (pandas concatenates the
    per-function results, so their dtypes meet in pandas' common type)."""
    s = df._series(k)
    parts = []
    for f in funcs:
        value = series_agg(s, f, args, kwargs)
        if not _is_scalar_result(value):
            raise NotImplementedError("DataFrame.agg with a list holding a non-reducing function "
                                      "(MultiIndex columns)")
        parts.append(_one_result(df, k, f, value, args, kwargs).set_axis([func_name(f)]))
    return pd.concat(parts).rename(k)


def _assembled(result: Any) -> Any:
    dtypes = result.dtypes if isinstance(result, pd.DataFrame) else [result.dtype]
    if any(d == object for d in dtypes):
        raise NotImplementedError("an aggregation whose per-function results mix dtypes into object "
                                  "(e.g. bool and int) is not supported; cast the column first")
    return make_frame(result) if isinstance(result, pd.DataFrame) else make_series(result)


# -- apply (axis=0) ------------------------------------------------------------------------------
def frame_apply(df: Any, func: Any, raw: bool, result_type: Any, args: tuple, kwargs: dict) -> Any:
    """``func`` on each column (our Series, or with raw=True a numpy array of its live values)."""
    if isinstance(func, str):
        return call_named(df, func, args, kwargs, "DataFrame")
    if isinstance(func, (list, tuple, dict)):
        return frame_agg(df, func, 0, args, kwargs)
    if result_type not in (None, "reduce", "expand", "broadcast"):
        raise ValueError("invalid value for result_type, must be one of {None, 'reduce', 'broadcast', 'expand'}")
    if isinstance(func, np.ufunc) and func.__name__ in UNARY_MATH and not args and not kwargs:
        return df._with_columns({k: ufunc_series(df._series(k), func.__name__)._column for k in df._columns})
    named = _named(func)
    results = []
    for k in df._columns:
        if named is not None and not raw:  # np.mean(series) is the Series' own mean
            results.append((k, call_named(df._series(k), named[0], args, {**named[1], **kwargs}, "Series")))
            continue
        arg = df._series(k).to_numpy() if raw else df._series(k)
        results.append((k, func(arg, *args, **kwargs)))
    return _frame_of_series(df, results)


def _frame_of_series(df: Any, results: list[tuple[Hashable, Any]]) -> Any:
    """Per-column results as pandas assembles them: scalars -> a Series over the column
    labels; Series on the frame's rows -> a frame; others aligned on their labels."""
    if not results:
        return make_series(pd.Series([], dtype=np.float64))
    if all(_is_scalar_result(r) for _, r in results):
        values = [r for _, r in results]
        if any(isinstance(v, jax.core.Tracer) for v in values):
            stacked = jnp.stack([jnp.asarray(v) for v in values])
            return make_series(stacked, index=[k for k, _ in results])
        return make_series(pd.Series([_scalar(v) for v in values], index=[k for k, _ in results]))
    if all(is_series(r) and _same_rows(df, r) for _, r in results):
        return df._with_columns({k: r._column for k, r in results})
    if df._traced():
        raise NotImplementedError("DataFrame.apply whose results are not on the frame's rows, inside jax.jit")
    parts = {k: (r.to_pandas() if is_series(r) else r) for k, r in results}
    if all(isinstance(p, (pd.Series, np.ndarray, list)) for p in parts.values()):
        return make_frame(pd.DataFrame(parts))
    return make_series(pd.Series(parts))


def _same_rows(df: Any, s: Any) -> bool:
    return s._capacity == df._capacity and s._row_mask is df._row_mask and s._index is df._index


def series_apply(s: Any, func: Any, args: tuple, by_row: Any, kwargs: dict) -> Any:
    if isinstance(func, str):
        return call_named(s, func, args, kwargs, "Series")
    if isinstance(func, (list, tuple, dict)):
        return series_agg(s, func, args, kwargs)
    if by_row not in (False, "compat"):
        raise ValueError("by_row=True not allowed")
    if isinstance(func, np.ufunc) and func.__name__ in UNARY_MATH and not args and not kwargs:
        return ufunc_series(s, func.__name__)
    named = _named(func)
    if by_row is False:
        if named is not None:
            return call_named(s, named[0], args, {**named[1], **kwargs}, "Series")
        return func(s, *args, **kwargs)
    call = func if not args and not kwargs else (lambda x: func(x, *args, **kwargs))
    return map_series(s, call, None, "Series.apply")


# -- transform -----------------------------------------------------------------------------------
def _did_transform(obj: Any, result: Any) -> None:
    if not (is_series(result) or is_frame(result)):
        raise ValueError("Function did not transform")
    if result._capacity == obj._capacity and result._row_mask is obj._row_mask and result._index is obj._index:
        return
    if obj._traced() or not result.index.equals(obj.index):
        raise ValueError("Function did not transform")


def series_transform(s: Any, func: Any, args: tuple, kwargs: dict) -> Any:
    if isinstance(func, (list, tuple)):
        if not func:
            raise ValueError("No transform functions were provided")
        results = [(func_name(f), series_transform(s, f, args, kwargs)) for f in func]
        return new_frame({k: r._column for k, r in results}, s._index, s._row_mask, s._sharding)
    if isinstance(func, dict):
        results = [(k, series_transform(s, f, args, kwargs)) for k, f in func.items()]
        return new_frame({k: r._column for k, r in results}, s._index, s._row_mask, s._sharding)
    if isinstance(func, str):
        result = call_named(s, func, args, kwargs, "Series")
    elif _named(func) is not None:
        name, extra = _named(func)
        result = call_named(s, name, args, {**extra, **kwargs}, "Series")
    elif callable(func):
        try:
            result = func(s, *args, **kwargs)
        except Exception:
            result = series_apply(s, func, args, "compat", kwargs)
    else:
        raise TypeError(f"{type(func).__name__!r} object is not callable")
    _did_transform(s, result)
    return result


def frame_transform(df: Any, func: Any, axis: Any, args: tuple, kwargs: dict) -> Any:
    if axis_number(axis, default=None) == 1:
        raise NotImplementedError("DataFrame.transform(axis=1)")
    if isinstance(func, (list, tuple)):
        raise NotImplementedError("DataFrame.transform with a list of functions (MultiIndex columns)")
    if isinstance(func, dict):
        missing = [k for k in func if k not in df._columns]
        if missing:
            raise KeyError(f"Column(s) {missing} do not exist")
        cols = {}
        for k, f in func.items():
            if isinstance(f, (list, tuple)):
                raise NotImplementedError("DataFrame.transform with lists of functions (MultiIndex columns)")
            cols[k] = series_transform(df._series(k), f, args, kwargs)._column
        return df._with_columns(cols)
    if isinstance(func, str) or _named(func) is not None:
        name, extra = (func, {}) if isinstance(func, str) else _named(func)
        result = call_named(df, name, args, {**extra, **kwargs}, "DataFrame")
    elif callable(func):
        try:
            result = func(df, *args, **kwargs)
        except Exception:
            result = frame_apply(df, func, False, None, args, kwargs)
    else:
        raise TypeError(f"{type(func).__name__!r} object is not callable")
    _did_transform(df, result)
    return result


# -- pipe ----------------------------------------------------------------------------------------
def pipe(obj: Any, func: Any, args: tuple, kwargs: dict) -> Any:
    if isinstance(func, tuple):
        func, target = func
        if target in kwargs:
            raise ValueError(f"{target} is both the pipe target and a keyword argument")
        return func(*args, **{**kwargs, target: obj})
    return func(obj, *args, **kwargs)


# -- combine / combine_first / update ------------------------------------------------------------
def _same_index(a: Any, b: Any, what: str) -> None:
    if a._index is b._index and a._row_mask is b._row_mask:
        return
    if a._traced() or b._traced() or not a.index.equals(b.index):
        raise NotImplementedError(f"{what} between objects with different row labels "
                                  "(label alignment is not supported yet)")


def _relaid(target: Any, s: Any) -> Any:
    """``s`` laid out on ``target``'s physical rows (same labels, maybe other storage)."""
    if s._capacity == target._capacity and s._row_mask is target._row_mask:
        return s
    frame = target if is_frame(target) else target.to_frame()
    return new_series(frame._column_from(s), target._index, target._row_mask, s._name, target._sharding)


def _union_columns(a: list, b: list) -> list:
    """pandas' Index.union: equal labels keep their order, others are sorted."""
    return list(a) if list(a) == list(b) else list(pd.Index(a).union(pd.Index(b), sort=None))


def _common_cast(s: Any, dtype: Any) -> Any:
    return s if s.dtype == dtype else s.astype(dtype)


def frame_combine(df: Any, other: Any, func: Callable, fill_value: Any, overwrite: bool) -> Any:
    if not is_frame(other):
        raise TypeError(f"other must be a DataFrame, got {type(other).__name__}")
    _same_index(df, other, "DataFrame.combine")
    names = _union_columns(list(df._columns), list(other._columns))
    out = {}
    for k in names:
        if k not in df._columns or k not in other._columns:
            raise NotImplementedError("DataFrame.combine with a column on one side only (an all-NaN "
                                      "column after alignment)")
        this, that = df._series(k), _relaid(df, other._series(k))
        if not overwrite and not bool(that.notna().any()):
            out[k] = this._column
            continue
        if fill_value is not None:
            this, that = this.fillna(fill_value), that.fillna(fill_value)
        common = find_common_type([this.dtype, that.dtype])
        result = func(_common_cast(this, common), _common_cast(that, common))
        if not is_series(result):
            raise NotImplementedError("DataFrame.combine with a function that does not return a Series")
        out[k] = _relaid(df, result)._column
    return new_frame(out, df._index, df._row_mask, df._sharding)


def series_combine_first(s: Any, other: Any) -> Any:
    if not is_series(other):
        raise NotImplementedError("Series.combine_first with a non-Series other")
    _same_index(s, other, "Series.combine_first")
    that = _relaid(s, other)
    if s.dtype != that.dtype:
        common = find_common_type([s.dtype, that.dtype])
        s, that = _common_cast(s, common), _common_cast(that, common)
    return s.mask(s.isna(), that)


def frame_combine_first(df: Any, other: Any) -> Any:
    if not is_frame(other):
        raise NotImplementedError("DataFrame.combine_first with a non-DataFrame other")
    _same_index(df, other, "DataFrame.combine_first")
    names = list(df._columns) + [k for k in other._columns if k not in df._columns]
    out = {}
    for k in names:
        if k not in other._columns:
            out[k] = df._columns[k]
        elif k not in df._columns:
            out[k] = _relaid(df, other._series(k))._column
        else:
            out[k] = series_combine_first(df._series(k), other._series(k)).rename(k)._column
    return new_frame(out, df._index, df._row_mask, df._sharding)


def frame_update(df: Any, other: Any, join: str, overwrite: bool, filter_func: Any, errors: str) -> Any:
    """pandas' update as a returning form: non-NA values of ``other`` overwrite this frame's
    (only where ``filter_func`` allows / where this frame is NA when overwrite=False)."""
    if join != "left":
        raise NotImplementedError("Only left join is supported")
    if errors not in ("ignore", "raise"):
        raise ValueError("The parameter errors must be either 'ignore' or 'raise'")
    if is_series(other):
        other = other.to_frame()
    if not is_frame(other):
        raise NotImplementedError("DataFrame.update with a non-DataFrame other")
    _same_index(df, other, "DataFrame.update")
    cols = dict(df._columns)
    for k in df._columns:
        if k not in other._columns:
            continue
        this, that = df._series(k), _relaid(df, other._series(k))
        if filter_func is not None:
            keep = ~make_series_bool(df, filter_func(this.to_numpy())) | that.isna()
        else:
            if errors == "raise" and bool((that.notna() & this.notna()).any()):
                raise ValueError("Data overlaps.")
            keep = that.isna() if overwrite else this.notna()
        if bool(keep.all()):
            continue
        merged = this.where(keep, that)
        if merged.dtype != this.dtype:
            cast = merged.astype(this.dtype, errors="ignore")
            if cast.dtype != this.dtype or not bool((cast == merged).fillna(False).all()):
                raise TypeError(f"Invalid value for dtype '{this.dtype}': the update of column {k!r} "
                                f"does not fit it (pandas refuses to upcast on setting)")
            merged = cast
        cols[k] = merged._column
    return df._with_columns(cols)


def make_series_bool(df: Any, values: Any) -> Any:
    return new_series(df._column_from(np.asarray(values, dtype=bool)), df._index, df._row_mask, None,
                      df._sharding)


# -- case_when -----------------------------------------------------------------------------------
def case_when(s: Any, caselist: Any) -> Any:
    """The first true condition's replacement, else the value itself (pandas' rules)."""
    if not isinstance(caselist, list):
        raise TypeError(f"The caselist argument should be a list; instead got {type(caselist)}")
    if not caselist:
        raise ValueError("provide at least one boolean condition, with a corresponding replacement.")
    for num, entry in enumerate(caselist):
        if not isinstance(entry, tuple):
            raise TypeError(f"Argument {num} must be a tuple; instead got {type(entry)}.")
        if len(entry) != 2:
            raise ValueError(f"Argument {num} must have length 2; a condition and replacement; "
                             f"instead got length {len(entry)}.")
    pairs = [(c(s) if callable(c) else c, r(s) if callable(r) else r) for c, r in caselist]
    dtypes = [s.dtype] + [r.dtype if is_series(r) else pd.Series([r]).dtype if np.ndim(r) == 0
                          else pd.Series(r).dtype for _, r in pairs]
    common = find_common_type(dtypes)
    result = _common_cast(s, common)
    for cond, repl in reversed(pairs):
        if is_series(repl):
            repl = _common_cast(repl, common)
        result = result.mask(cond, repl)
    return result

