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
from jaxframes.dictionary import Dictionary, encode
from jaxframes.sharding import pad_host


@jax.tree_util.register_pytree_node_class
class Column:
    """data: values (codes for strings, int64 ns for datetimes); validity: True where not null."""

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
        values = data.astype(np.int64).view(f"{'datetime64' if kind == 'M' else 'timedelta64'}[ns]")
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


def from_pandas_series(series: pd.Series, dtype: object = None, capacity: int | None = None) -> Column:
    """Convert a pandas Series (already with pandas' inferred dtype) into a Column on device,
    padded on the host to ``capacity`` rows when given (a bucketed capacity; the frame masks them)."""
    def device(host: np.ndarray) -> jax.Array:
        return jnp.asarray(host if capacity is None else pad_host(np.asarray(host), capacity))

    def device_validity(validity: np.ndarray) -> jax.Array:
        return device(np.asarray(validity, dtype=bool))

    if dtype is not None:
        target = jdt.parse(dtype)
        series = series.astype(jdt.to_pandas(target))
    if series.dtype == object:
        series = _object_to_typed(series)
    logical = jdt.from_pandas(series.dtype)
    kind = logical.kind
    if kind == "U":
        codes, validity, dictionary = encode(series.to_numpy(dtype=object, na_value=None))
        return Column(device(codes), device_validity(validity), logical, dictionary)
    if kind == "C":
        codes = series.cat.codes.to_numpy().astype(np.int32)
        return Column(device(np.maximum(codes, 0)), device_validity(codes >= 0), logical)
    notna = series.notna().to_numpy()
    if kind in "Mm":
        unit_dtype = "datetime64[ns]" if kind == "M" else "timedelta64[ns]"
        values = series.to_numpy(dtype=unit_dtype).view(np.int64).copy()
        values[~notna] = 0
        return Column(device(values), device_validity(notna), logical)
    if logical.masked:
        values = series.to_numpy(dtype=logical.storage, na_value=0)
        return Column(device(values), device_validity(notna), logical)
    return Column(device(series.to_numpy(dtype=logical.storage)), None, logical)


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
