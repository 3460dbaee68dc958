"""The physical column: a device array, an optional validity mask, an optional dictionary.

A Column knows nothing about row masks or indexes; frames add those. It is a PyTree whose
leaves are the arrays and whose static aux data is the dtype and the string dictionary.
"""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
import pandas as pd

from jaxframes import dtypes as jdt
from jaxframes import units
from jaxframes.dictionary import Dictionary, encode


@jax.tree_util.register_pytree_node_class
class Column:
    """data: values (codes for strings, int64 counts of the dtype's unit for datetimes and
    timedeltas); validity: True where not null."""

    __slots__ = ("data", "validity", "dtype", "dictionary")

    def __init__(self, data: Any, validity: Any = None, dtype: jdt.DType | None = None,
                 dictionary: Dictionary | None = None):
        self.data = data
        self.validity = validity
        self.dtype = dtype if dtype is not None else jdt.from_storage(data.dtype)
        self.dictionary = dictionary

    def tree_flatten(self):
        return (self.data, self.validity), (self.dtype, self.dictionary)

    @classmethod
    def tree_unflatten(cls, aux, children):
        obj = object.__new__(cls)
        obj.data, obj.validity = children
        obj.dtype, obj.dictionary = aux
        return obj

    def __repr__(self) -> str:
        return f"Column(dtype={self.dtype}, capacity={self.capacity})"

    @property
    def capacity(self) -> int:
        return self.data.shape[0]

    def not_null(self) -> jax.Array:
        """Boolean array: True where the value is present (pandas' notna)."""
        present = jnp.ones(self.data.shape, dtype=bool)
        if self.validity is not None:
            present = self.validity
        if self.dtype.kind == "f" and not self.dtype.masked:
            present = present & ~jnp.isnan(self.data)
        return present

    def replace(self, data: Any = None, validity: Any = "keep", dtype: jdt.DType | None = None,
                dictionary: Any = "keep") -> "Column":
        """A copy with some parts swapped (frames are immutable, so columns are too)."""
        return Column(
            self.data if data is None else data,
            self.validity if isinstance(validity, str) else validity,
            self.dtype if dtype is None else dtype,
            self.dictionary if isinstance(dictionary, str) else dictionary,
        )

    def take(self, indices: jax.Array) -> "Column":
        """Gather rows by position."""
        validity = None if self.validity is None else gather(self.validity, indices)
        return self.replace(data=gather(self.data, indices), validity=validity)

    def to_host(self, live: np.ndarray | None = None) -> Any:
        """The pandas/numpy array of this column's live rows (a host transfer)."""
        if self.data.dtype == jax.dtypes.float0:
            raise TypeError(f"a float0 column (the gradient of a non-float {self.dtype} column from "
                            "jax.grad(..., allow_int=True)) holds no values to convert")
        data = np.asarray(self.data)
        validity = None if self.validity is None else np.asarray(self.validity)
        if live is not None:
            data = data[live]
            validity = None if validity is None else validity[live]
        return host_array(data, validity, self.dtype, self.dictionary)


@jax.jit
def gather(values: jax.Array, indices: jax.Array) -> jax.Array:
    """``values[indices]`` as one compiled gather: eager jnp indexing dispatches several ops
    (index normalization, bounds handling) and runs about 6x slower on the CPU."""
    return values[indices]


@jax.jit
def gather_clipped(values: jax.Array, indices: jax.Array) -> jax.Array:
    """Like ``gather`` with out-of-range indices (e.g. -1 for "no row") clamped into range."""
    return jnp.take(values, indices, mode="clip")


def host_array(data: np.ndarray, validity: np.ndarray | None, dtype: jdt.DType,
               dictionary: Dictionary | None) -> Any:
    """Build the pandas-facing array for host data of a given logical dtype."""
    kind = dtype.kind
    if kind == "U":
        assert dictionary is not None
        return pd.array(dictionary.decode(data, validity), dtype=jdt.to_pandas(dtype))
    if kind == "C":
        codes = data if validity is None else np.where(validity, data, -1)
        return pd.Categorical.from_codes(codes, dtype=jdt.to_pandas(dtype))
    if kind in "Mm":
        values = data.astype(np.int64).view(jdt.to_pandas(dtype))
        if validity is not None:
            values = values.copy()
            values[~validity] = np.datetime64("NaT") if kind == "M" else np.timedelta64("NaT")
        return values
    if dtype.masked:
        mask = np.zeros(len(data), bool) if validity is None else ~validity
        return pd.array(data, dtype=jdt.to_pandas(dtype)) if not mask.any() else _masked(data, mask, dtype)
    if validity is not None and not validity.all():
        # A numpy int/bool column cannot hold nulls; pandas would have turned it into float64.
        out = data.astype(np.float64) if kind != "f" else data.copy()
        out[~validity] = np.nan
        return out
    return data


def _masked(data: np.ndarray, mask: np.ndarray, dtype: jdt.DType) -> Any:
    if dtype.kind == "b":
        return pd.arrays.BooleanArray(data.astype(bool), mask)
    if dtype.kind == "i":
        return pd.arrays.IntegerArray(data, mask)
    return pd.arrays.FloatingArray(data, mask)


def from_pandas_series(series: pd.Series, dtype: object = None) -> Column:
    """Convert a pandas Series (already with pandas' inferred dtype) into a Column on device.

    Values are held exactly (datetimes in their own unit, unsigned ints unsigned); a value no
    column can hold raises (TypeError/ValueError/OverflowError) naming the column, never a
    silently different value."""
    try:
        return _from_pandas_series(series, dtype)
    except (TypeError, ValueError, OverflowError) as err:
        raise with_column_name(err, series.name) from err


def with_column_name(err: Exception, name: Any) -> Exception:
    """The same error type with the column's name in front (pandas' own subclasses kept)."""
    if name is None:
        return err
    try:
        return type(err)(f"column {name!r}: {err}")
    except Exception:  # an exception type with a constructor of its own: keep it as it is
        return err


def _from_pandas_series(series: pd.Series, dtype: object) -> Column:
    if dtype is not None:
        target = jdt.parse(dtype)
        series = series.astype(jdt.to_pandas(target))
    if series.dtype == object:
        series = _object_to_typed(series)
    logical = jdt.from_pandas(series.dtype)
    kind = logical.kind
    if kind == "U":
        codes, validity, dictionary = encode(series.to_numpy(dtype=object, na_value=None))
        return Column(jnp.asarray(codes), _device_validity(validity), logical, dictionary)
    if kind == "C":
        codes = series.cat.codes.to_numpy().astype(np.int32)
        return Column(jnp.asarray(np.maximum(codes, 0)), _device_validity(codes >= 0), logical)
    notna = series.notna().to_numpy()
    if kind in "Mm":
        # The series' own unit (logical came from its dtype): no conversion, nothing can overflow.
        values = series.to_numpy(dtype=jdt.to_pandas(logical)).view(np.int64).copy()
        values[~notna] = 0
        return Column(device_values(values, logical), _device_validity(notna), logical)
    if logical.masked:
        values = series.to_numpy(dtype=logical.storage, na_value=0)
        return Column(device_values(values, logical), _device_validity(notna), logical)
    return Column(device_values(series.to_numpy(dtype=logical.storage), logical), None, logical)


def device_values(values: np.ndarray, dtype: jdt.DType) -> jax.Array:
    """One host -> device transfer that keeps every value. With 64-bit JAX off
    (JAXFRAMES_X64=0) JAX narrows 64-bit arrays to 32 bits: integers (and datetime counts)
    that do not fit raise OverflowError instead of wrapping around."""
    if values.dtype.itemsize == 8 and values.dtype.kind in "iu" and not jax.config.read("jax_enable_x64"):
        narrow = np.iinfo(np.int32 if values.dtype.kind == "i" else np.uint32)
        if len(values) and (values.min() < narrow.min or values.max() > narrow.max):
            raise OverflowError(f"{dtype} values outside [{narrow.min}, {narrow.max}] cannot be held "
                                "with 64-bit JAX disabled (JAXFRAMES_X64=0)")
    return jnp.asarray(values)


def _device_validity(validity: np.ndarray) -> jax.Array:
    return jnp.asarray(validity, dtype=bool)


def _object_to_typed(series: pd.Series) -> pd.Series:
    """pandas keeps object columns for mixed or all-null data; pick a dtype or refuse."""
    inferred = pd.api.types.infer_dtype(series, skipna=True)
    if inferred in ("string", "empty"):
        return series.astype(pd.StringDtype(na_value=np.nan))
    converted = series.infer_objects()
    if converted.dtype != object:
        return converted
    raise TypeError(f"cannot hold an object column of {inferred!r} values; "
                    "JaxFrames columns hold one dtype (numbers, bools, strings, datetimes)")


def from_values(values: Any, dtype: object = None, length: int | None = None) -> Column:
    """Build a Column from anything a pandas constructor takes for one column.

    JAX arrays (and tracers) stay on device untouched; everything else goes through pandas'
    own inference so that the dtype is the one pandas would give.
    """
    if isinstance(values, Column):
        return values if dtype is None else astype(values, dtype)
    if isinstance(values, jax.Array):
        if values.ndim != 1:
            raise ValueError(f"a column must be one-dimensional, got shape {values.shape}")
        col = Column(values, None, jdt.from_storage(values.dtype))
        return col if dtype is None else astype(col, dtype)
    if _is_scalar(values):
        if length is None:
            raise ValueError("If using all scalar values, you must pass an index")
        # One element at least, so that pandas infers the scalar's dtype even for zero rows.
        series = pd.Series([values] * max(length, 1), dtype=None if dtype is None else jdt.to_pandas(jdt.parse(dtype)))
        return from_pandas_series(series.iloc[:length])
    if isinstance(values, pd.Series):
        return from_pandas_series(values, dtype)
    arr = values if isinstance(values, (np.ndarray, pd.api.extensions.ExtensionArray, pd.Index)) else list(values)
    if isinstance(arr, np.ndarray) and arr.ndim != 1:
        raise ValueError(f"a column must be one-dimensional, got shape {arr.shape}")
    pd_dtype = None if dtype is None else jdt.to_pandas(jdt.parse(dtype))
    return from_pandas_series(pd.Series(arr, dtype=pd_dtype))


def _is_scalar(value: Any) -> bool:
    return np.ndim(value) == 0 and not isinstance(value, (list, tuple, dict, set))


def astype(col: Column, dtype: object) -> Column:
    """Cast with pandas' rules; the cast runs on device where the storage allows."""
    target = jdt.parse(dtype)
    if target == col.dtype:
        return col
    src = col.dtype
    if src.kind in "UC" or target.kind in "UC":
        return _astype_via_host(col, target)
    if src.kind in "Mm" or target.kind in "Mm":
        if src.kind == target.kind:  # another unit: exact, or pandas' error (see units.py)
            return _astype_unit(col, target)
        if src.kind in "Mm" and target.kind == "i":
            if target.masked:
                raise TypeError(f"{src} cannot be converted to IntegerDtype")
            if target.storage != np.int64:
                raise TypeError(f"Converting from {src} to {target} is not supported. "
                                "Do obj.astype('int64').astype(dtype) instead")
            if col.validity is not None and not isinstance(col.validity, jax.core.Tracer) \
                    and not bool(jnp.all(col.validity)):
                raise ValueError("Cannot convert NaT values to integer")
            return Column(col.data.astype(target.storage), None, target)
        if src.kind in "bif" and target.kind in "Mm":
            # numbers are nanoseconds (floats truncate, as numpy does); nulls become NaT
            present = col.not_null()
            data = jnp.where(present, col.data, 0).astype(np.int64)
            return Column(data, present, target)
        raise TypeError(f"Cannot cast {src} to {target}")
    present = col.not_null()
    if target.masked:
        data = jnp.where(present, col.data, 0) if src.kind == "f" else col.data
        if target.kind in "ib" and src.kind == "f" and not src.masked:  # Float64 -> Int64 truncates
            _check_integral(col.data, present)
        if target.kind == "b" and src.kind == "i" and not src.masked and not isinstance(col.data, jax.core.Tracer) \
                and bool(jnp.any(present & (col.data != 0) & (col.data != 1))):
            raise TypeError("Need to pass bool-like values")
        return Column(data.astype(target.storage), present, target)
    # Target is a numpy dtype: nulls become NaN for floats and are an error for int/bool.
    if target.kind == "f":
        data = col.data.astype(target.storage)
        if col.validity is not None:
            data = jnp.where(col.validity, data, jnp.nan)
        return Column(data, None, target)
    if not isinstance(present, jax.core.Tracer) and not bool(jnp.all(present)):
        if target.kind == "i":
            raise pd.errors.IntCastingNaNError("Cannot convert non-finite values (NA or inf) to integer")
        if src.masked:
            raise ValueError("cannot convert NA to bool")
    if target.kind == "b" and src.kind == "f" and not src.masked:
        return Column(col.data != 0, None, target)  # NaN -> True, as numpy does
    return Column(col.data.astype(target.storage), None, target)


def _astype_unit(col: Column, target: jdt.DType) -> Column:
    """datetime64/timedelta64 to another unit: finer multiplies (OutOfBounds errors as pandas),
    coarser floors (-1500ms -> -2s), as pandas' astype does."""
    src, present = col.dtype.unit, col.not_null()
    if jdt.PER_SECOND[target.unit] >= jdt.PER_SECOND[src]:
        data, present = units.to_unit(col.data, present, col.dtype.kind, src, target.unit)
    else:
        step = np.int64(units.factor(target.unit, src))
        data = jnp.where(present, col.data, 0) // step
    return Column(jnp.where(present, data, 0), present, target)


def _check_integral(data: jax.Array, present: jax.Array) -> None:
    if isinstance(data, jax.core.Tracer):
        return
    bad = present & (jnp.floor(data) != data)
    if bool(jnp.any(bad)):
        raise TypeError("cannot safely cast non-equivalent float64 to int64")


def _astype_via_host(col: Column, target: jdt.DType) -> Column:
    """String casts go through pandas on the host (they change the dictionary, not the codes)."""
    if isinstance(col.data, jax.core.Tracer):
        raise NotImplementedError("astype to or from strings inside jax.jit")
    series = pd.Series(col.to_host())
    try:
        converted = series.astype(jdt.to_pandas(target))
    except (ValueError, TypeError) as err:
        raise type(err)(str(err)) from err
    return from_pandas_series(converted)
