"""Elementwise user functions over columns: ``Series.map``/``apply``/``combine``,
``DataFrame.map`` and the row-wise ``DataFrame.apply(axis=1)``.

Two ways to run a Python function ``f`` on every value, one rule to pick:

* **traced** (the fast path): ``jax.vmap(f)`` over the column's storage. It is taken when ``f``
  traces (plain arithmetic, comparisons, ``jnp`` calls) on a numeric or bool column and no LIVE
  value is a masked null (``Int64``/``boolean`` NA): pandas would call ``f(pd.NA)`` there, which
  a traced function cannot see. Float NaN is a value and is passed as such, as pandas does.
  Results are widened the way pandas infers them from Python scalars (ints -> int64,
  floats -> float64); a masked input gives the masked result dtype (``Int64`` -> ``Int64``).
  The traced path follows numpy's elementwise rules: an integer division by zero gives inf,
  where a Python loop over ints would raise ZeroDivisionError.
* **eager loop** (the documented fallback): everything else (strings, datetimes, functions
  with Python control flow on the value, functions returning strings): pandas' own loop over
  the live values on the host, its answer converted back. Inside ``jax.jit`` the loop cannot
  run, and the tracing error is re-raised as a TypeError that says so.
"""

from __future__ import annotations

from typing import Any, Callable

import jax
import jax.numpy as jnp
import numpy as np
import pandas as pd
from pandas.core.dtypes.cast import find_common_type

from jaxframes import dtypes as jdt
from jaxframes.column import Column
from jaxframes.facts import any_live
from jaxframes.table import is_series, make_frame, make_series, new_series

# Errors a function raises when it cannot be traced (Python control flow on a value, a host
# conversion, a non-array result): the eager loop runs instead.
TRACE_ERRORS = (jax.errors.ConcretizationTypeError, jax.errors.TracerBoolConversionError,
                jax.errors.TracerIntegerConversionError, jax.errors.TracerArrayConversionError,
                TypeError, AttributeError, NotImplementedError, IndexError, KeyError, ValueError)


class NotTraceable(Exception):
    """The traced path does not apply; the message says why (used inside jit)."""


def _widen(dtype: Any) -> Any:
    """The dtype pandas infers from Python scalars of this kind."""
    kind = np.dtype(dtype).kind
    if kind == "b":
        return np.dtype(bool)
    if kind in "iu":
        return np.dtype(np.int64) if kind == "i" or np.dtype(dtype).itemsize < 8 else np.dtype(np.uint64)
    if kind == "f":
        return np.dtype(np.float64)
    raise NotTraceable(f"a result of dtype {dtype}")


def _masked_of(dtype: np.dtype) -> jdt.DType:
    return {"b": jdt.parse("boolean"), "i": jdt.NINT64, "f": jdt.NFLOAT64}[dtype.kind]


def traceable_inputs(cols: list[Column], live: Any, what: str) -> None:
    """Raise NotTraceable unless every column can feed a traced function (see module doc)."""
    for col in cols:
        if col.dtype.kind not in "biuf":
            raise NotTraceable(f"{what} on a {col.dtype} column")
        if col.validity is not None and col.dtype.has_validity:
            null = ~col.validity
            # Inside a user jit the values cannot be looked at: NA stays NA (the static rule).
            if any_live(f"{what}: a live masked null", null, live, in_jit=False):
                raise NotTraceable(f"{what} where a live value is NA (pandas calls the function on NA)")


def vmapped(fn: Callable, cols: list[Column], live: Any, what: str, masked: bool) -> Column:
    """``fn`` over the rows of ``cols`` (one argument per column) through ``jax.vmap``."""
    traceable_inputs(cols, live, what)
    try:
        out = jax.vmap(fn)(*[c.data for c in cols])
    except TRACE_ERRORS as err:
        raise NotTraceable(f"{what}: the function does not trace ({type(err).__name__}: {err})") from err
    if not isinstance(out, jax.Array) or out.ndim != 1 or out.shape[0] != cols[0].capacity:
        raise NotTraceable(f"{what}: the function does not return one number per value")
    target = _widen(out.dtype)
    out = out.astype(target)
    if masked:
        validity = None
        for c in cols:
            if c.validity is not None:
                validity = c.validity if validity is None else validity & c.validity
        return Column(out, jnp.ones(out.shape, bool) if validity is None else validity, _masked_of(target))
    return Column(out, None, jdt.from_storage(target))


def traced_error(err: NotTraceable) -> TypeError:
    return TypeError(f"{err}; inside jax.jit only the traced path runs (pandas' eager loop needs "
                     "concrete values): call it outside jit, or pass a function that traces")


def map_series(s: Any, fn: Callable, na_action: Any = None, what: str = "Series.map") -> Any:
    """``Series.map(fn)`` with a callable: traced when it can be, else pandas' eager loop."""
    if na_action not in (None, "ignore"):
        raise ValueError(f"na_action must either be 'ignore' or None, {na_action!r} was passed")
    try:
        return s._with_column(_mapped_column(fn, s._column, s._live(), what, na_action))
    except NotTraceable as err:
        if s._traced():
            raise traced_error(err) from err
    return _host(s, lambda p: p.map(fn, na_action=na_action))


def _mapped_column(fn: Callable, col: Column, live: Any, what: str, na_action: Any) -> Column:
    """``fn`` of each value through ``jax.vmap``; with na_action='ignore' a null stays null
    without a call (the traced values under a null are never looked at)."""
    if na_action == "ignore" and col.dtype.has_validity:
        out = vmapped(fn, [col.replace(validity=None)], live, what, col.dtype.masked)
        return out.replace(validity=col.validity if out.validity is None or col.validity is None
                           else col.validity & out.validity)
    return vmapped(fn, [col], live, what, col.dtype.masked)


def _host(container: Any, run: Callable) -> Any:
    """pandas' answer on the live rows (the eager loop), back as our object."""
    result = run(container.to_pandas())
    dtypes = [result.dtype] if isinstance(result, pd.Series) else \
        list(result.dtypes) if isinstance(result, pd.DataFrame) else []
    if any(d == object for d in dtypes):
        raise NotImplementedError("the function's results make an object column (pandas mixes NA or "
                                  "several kinds of values into one); JaxFrames columns hold one dtype")
    if isinstance(result, (pd.Series, pd.DataFrame)):
        return make_series(result) if isinstance(result, pd.Series) else make_frame(result)
    return result




def map_values(s: Any, mapping: Any, na_action: Any = None) -> Any:
    """``Series.map`` with a dict or a Series (a lookup); values not found become NaN/NA."""
    if na_action not in (None, "ignore"):
        raise ValueError(f"na_action must either be 'ignore' or None, {na_action!r} was passed")
    if is_series(mapping):
        mapping = mapping.to_pandas()
    if s._traced():
        raise TypeError("Series.map with a dict or Series needs concrete values: call it outside jax.jit")
    return _host(s, lambda p: p.map(mapping, na_action=na_action))


def combine_series(s: Any, other: Any, fn: Callable, fill_value: Any = None) -> Any:
    """``Series.combine(other, fn)``: ``fn(x, y)`` on each pair of values."""
    if is_series(other):
        same_rows = other._capacity == s._capacity and other._row_mask is s._row_mask
        if same_rows and fill_value is None:
            try:
                col = vmapped(fn, [s._column, other._column], s._live(), "Series.combine",
                              s._column.dtype.masked or other._column.dtype.masked)
                name = s._name if s._name == other._name else None
                return new_series(col, s._index, s._row_mask, name, s._sharding)
            except NotTraceable as err:
                if s._traced():
                    raise traced_error(err) from err
        theirs = other.to_pandas()
    else:
        if s._traced():
            raise TypeError("Series.combine with a scalar needs concrete values: call it outside jax.jit")
        theirs = other
    return _host(s, lambda p: p.combine(theirs, fn, fill_value=fill_value))


class Row:
    """What a row-wise function sees under ``jax.vmap``: a row indexed by column name, its
    values cast to the row's common dtype (as in the Series pandas builds for each row)."""

    __slots__ = ("_values",)

    def __init__(self, values: dict):
        object.__setattr__(self, "_values", values)

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, (list, tuple)):
            raise NotTraceable("a row function selecting several labels")
        return self._values[key]

    def __getattr__(self, name: str) -> Any:
        values = object.__getattribute__(self, "_values")
        if name in values:
            return values[name]
        raise AttributeError(name)

    def _stack(self) -> jax.Array:
        return jnp.stack(list(self._values.values()))

    # pandas' row reductions skip NaN (an all-NaN row: sum 0, prod 1, others NaN)
    def sum(self) -> Any: return jnp.nansum(self._stack())
    def prod(self) -> Any: return jnp.nanprod(self._stack())
    def min(self) -> Any: return jnp.nanmin(self._stack())
    def max(self) -> Any: return jnp.nanmax(self._stack())
    def mean(self) -> Any: return jnp.nanmean(self._stack().astype(jnp.float64))

    def __len__(self) -> int:
        return len(self._values)


def apply_rows(df: Any, fn: Callable, raw: bool, result_type: Any, args: tuple, kwargs: dict) -> Any:
    """``DataFrame.apply(fn, axis=1)``: traced over rows when every value fits one numeric
    dtype and ``fn`` returns a number per row; else pandas' eager loop over the live rows."""
    if result_type not in (None, "reduce", "expand", "broadcast"):
        raise ValueError("invalid value for result_type, must be one of {None, 'reduce', 'broadcast', 'expand'}")
    try:
        if result_type in ("expand", "broadcast"):
            raise NotTraceable(f"DataFrame.apply(axis=1, result_type={result_type!r})")
        cols = df._columns
        if not cols:
            raise NotTraceable("DataFrame.apply(axis=1) on a frame without columns")
        common = find_common_type([jdt.to_pandas(c.dtype) for c in cols.values()])
        if common == object:
            raise NotTraceable("DataFrame.apply(axis=1) over columns of mixed kinds")
        target = jdt.from_pandas(common)
        casted = {}
        for k, c in cols.items():
            if c.dtype.kind not in "biuf" or target.kind not in "biuf":
                raise NotTraceable(f"DataFrame.apply(axis=1) on a {c.dtype} column")
            casted[k] = c if c.dtype == target else _cast(c, target)
        names = list(casted)
        if raw:
            def call(*values):
                return fn(jnp.stack(values), *args, **kwargs)
        else:
            def call(*values):
                return fn(Row(dict(zip(names, values))), *args, **kwargs)
        col = vmapped(call, list(casted.values()), df._live(), "DataFrame.apply(axis=1)", target.masked)
        return new_series(col, df._index, df._row_mask, None, df._sharding)
    except NotTraceable as err:
        if df._traced():
            raise traced_error(err) from err
    return _host(df, lambda p: p.apply(fn, axis=1, raw=raw, result_type=result_type, args=args, **kwargs))


def _cast(col: Column, target: jdt.DType) -> Column:
    data = col.data.astype(target.storage)
    validity = col.validity if target.has_validity else None
    if target.kind == "f" and not target.masked and col.validity is not None:
        data = jnp.where(col.validity, data, jnp.nan)
    return Column(data, validity, target)


def map_frame(df: Any, fn: Callable, na_action: Any = None, args: tuple = (), kwargs: dict | None = None) -> Any:
    """``DataFrame.map(fn)``: ``fn`` on every value, column by column (each as ``Series.map``)."""
    kwargs = kwargs or {}
    if na_action not in (None, "ignore"):
        raise ValueError(f"na_action must either be 'ignore' or None, {na_action!r} was passed")
    call = fn if not args and not kwargs else (lambda x: fn(x, *args, **kwargs))
    try:
        out = {}
        for name, col in df._columns.items():
            out[name] = _mapped_column(call, col, df._live(), "DataFrame.map", na_action)
        return df._with_columns(out)
    except NotTraceable as err:
        if df._traced():
            raise traced_error(err) from err
    return _host(df, lambda p: p.map(call, na_action=na_action))


def ufunc_series(s: Any, name: str) -> Any:
    """A numpy math function (``sin``, ``log``, ``sqrt``, ...) on a numeric Series, on device:
    ints and bools compute in float64, as numpy does; nulls stay null."""
    col = s._column
    if col.dtype.kind not in "biuf":
        raise TypeError(f"cannot apply {name} to a column of dtype {s.dtype}")
    fn = getattr(jnp, name)
    data = col.data
    if name in ("floor", "ceil") and col.dtype.kind in "biu":
        data = data.astype(jnp.float64)
    elif col.dtype.kind in "biu" and name != "abs":
        data = data.astype(jnp.float64)
    out = fn(data)
    if col.dtype.masked:
        dtype = jdt.NFLOAT64 if out.dtype == jnp.float64 else jdt.from_pandas(jdt.to_pandas(col.dtype))
        return s._with_column(Column(out, col.validity, dtype))
    return s._with_column(Column(out, None, jdt.from_storage(out.dtype)))

