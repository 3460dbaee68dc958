"""The physical column: a device array, an optional validity mask, an optional dictionary.

A Column knows nothing about row masks or indexes; frames add those. It is a PyTree whose
leaves are the arrays (data, validity, and a string dictionary's device form) and whose static
aux data is the dtype only: string values are data, so new strings do not retrace a jitted
function (dictionary.py says why and how).
"""

from __future__ import annotations

import functools
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
import pandas as pd
import pyarrow as pa

from jaxframes import dtypes as jdt
from jaxframes import lists
from jaxframes import periods
from jaxframes import units
from jaxframes.dictionary import Dictionary, encode
from jaxframes.facts import any_live
from jaxframes.sync import device_get
from jaxframes.sharding import place_host
from jaxframes.executables import jit
from jaxframes.kernels.filled import zeros
from jaxframes.kernels.take import take


@jax.tree_util.register_pytree_node_class
class Column:
    """data: values (codes for strings, int64 counts of the dtype's unit for datetimes and
    timedeltas, (capacity, 2) int64 [start, length] pairs for lists); validity: True where not
    null; child: a list column's element Column (lists.py), else None."""

    __slots__ = ("data", "validity", "dtype", "dictionary", "child")

    def __init__(self, data: Any, validity: Any = None, dtype: jdt.DType | None = None,
                 dictionary: Dictionary | None = None, child: "Column | None" = None):
        self.data = data
        self.validity = validity
        self.dtype = dtype if dtype is not None else jdt.from_storage(data.dtype)
        self.dictionary = dictionary
        self.child = child
        if self.dtype.kind == "L" and (child is None or getattr(data, "ndim", 2) != 2):
            raise NotImplementedError(f"this operation on a list column ({self.dtype}) is not supported")

    def tree_flatten(self):
        strings = None if self.dictionary is None else self.dictionary.device()
        return (self.data, self.validity, strings, self.child), (self.dtype,)

    @classmethod
    def tree_unflatten(cls, aux, children):
        obj = object.__new__(cls)
        obj.data, obj.validity, strings, obj.child = children
        (obj.dtype,) = aux
        obj.dictionary = None if strings is None else Dictionary.from_device(strings)
        return obj

    def __repr__(self) -> str:
        return f"Column(dtype={self.dtype}, capacity={self.capacity})"

    @property
    def capacity(self) -> int:
        return self.data.shape[0]

    def not_null(self) -> jax.Array:
        """Boolean array: True where the value is present (pandas' notna)."""
        nan_null = self.dtype.kind == "f" and not self.dtype.masked
        if not nan_null:
            if self.validity is not None:
                return self.validity
            if not isinstance(self.data, jax.core.Tracer):
                if self.data.shape == (0,):  # schema passes: the shared empty array, no transfer
                    return zeros(0, bool)
                return jax.device_put(np.ones(self.data.shape, dtype=bool))
        return _not_null(self.data, self.validity, nan_null)

    def replace(self, data: Any = None, validity: Any = "keep", dtype: jdt.DType | None = None,
                dictionary: Any = "keep", child: Any = "keep") -> "Column":
        """A copy with some parts swapped (frames are immutable, so columns are too)."""
        return Column(
            self.data if data is None else data,
            self.validity if isinstance(validity, str) else validity,
            self.dtype if dtype is None else dtype,
            self.dictionary if isinstance(dictionary, str) else dictionary,
            self.child if isinstance(child, str) else child,
        )

    def take(self, indices: jax.Array) -> "Column":
        """Gather rows by position."""
        if (indices.shape == (0,) and self.data.ndim == 1 and self.data.dtype != jax.dtypes.float0
                and not isinstance(indices, jax.core.Tracer)):  # zero rows (schema passes): no gather
            validity = None if self.validity is None else zeros(0, bool)
            return self.replace(data=zeros(0, self.data.dtype), validity=validity)
        if self.validity is None:
            return self.replace(data=gather(self.data, indices))
        data, validity = _gather_pair(self.data, self.validity, indices)
        return self.replace(data=data, validity=validity)

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
        if self.dtype.kind == "L":
            return list_host(self, data, validity)
        return host_array(data, validity, self.dtype, self.dictionary)

    def list_parts(self, live: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray | None, Any]:
        """A list column's live rows on the host, compacted: (Arrow offsets, row validity, the
        child's host values in row order)."""
        data = np.asarray(self.data)
        validity = None if self.validity is None else np.asarray(self.validity)
        if live is not None:
            data = data[live]
            validity = None if validity is None else validity[live]
        offsets, take = lists.positions(data, validity)
        return offsets, validity, self.child.to_host(None)[take]


def list_host(col: Column, pairs: np.ndarray, validity: np.ndarray | None) -> Any:
    """The pandas array of a list column's rows (given as host pairs and validity)."""
    if col.child is None:
        raise TypeError(f"a {col.dtype} list column without its element column (an operation dropped it)")
    offsets, take = lists.positions(pairs, validity)
    host = col.child.to_host(None)
    return lists.host_lists(offsets, validity, host[take], col.dtype)


@functools.partial(jit, static_argnums=2)
def _not_null(data: jax.Array, validity: jax.Array | None, nan_null: bool) -> jax.Array:
    """One compiled program (eagerly, ones/and/isnan/invert would compile one each)."""
    present = jnp.ones(data.shape, dtype=bool) if validity is None else validity
    return present & ~jnp.isnan(data) if nan_null else present


@jit
def gather(values: jax.Array, indices: jax.Array) -> jax.Array:
    """``values[indices]`` as one compiled gather: eager jnp indexing dispatches several ops
    (index normalization, bounds handling) and runs about 6x slower on the CPU. On the CPU a
    1-D gather is the C++ take (XLA's CPU gather is 2-4x slower)."""
    return take((values,), indices, wrap=True)[0]


@jit
def _gather_pair(data: jax.Array, validity: jax.Array, indices: jax.Array) -> tuple[jax.Array, jax.Array]:
    """A column's data and validity at ``indices`` in one compiled call (two ``gather`` calls
    compile two programs per new length)."""
    data, validity = take((data, validity), indices, wrap=True)
    return data, validity


@jit
def gather_clipped(values: jax.Array, indices: jax.Array) -> jax.Array:
    """Like ``gather`` with out-of-range indices (e.g. -1 for "no row") clamped into range (the
    C++ take on the CPU: XLA's CPU gather is 2-4x slower)."""
    return take((values,), indices)[0]


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
    if isinstance(dtype, jdt.DatetimeTZDType):  # UTC instants shown in the zone
        naive = host_array(data, validity, jdt.datetime(dtype.unit), None)
        return pd.Series(naive).dt.tz_localize("UTC").dt.tz_convert(dtype.tz).array
    if kind == "P":  # ordinals; NaT is pandas' int64 min
        ordinals = data.astype(np.int64) if validity is None else np.where(validity, data, np.iinfo(np.int64).min)
        return pd.arrays.PeriodArray(ordinals.astype(np.int64), dtype=jdt.to_pandas(dtype))
    if kind in "Mm":
        values = data.astype(np.int64).view(jdt.to_pandas(dtype))
        if validity is not None:
            values = values.copy()
            values[~validity] = np.datetime64("NaT") if kind == "M" else np.timedelta64("NaT")
        return values
    if kind == "d" or dtype in (jdt.PA_BOOL, jdt.PA_INT64):
        return pd.arrays.ArrowExtensionArray(arrow_array(data, validity, dtype))
    if dtype.masked:
        mask = np.zeros(len(data), bool) if validity is None else ~validity
        return pd.array(data, dtype=jdt.to_pandas(dtype)) if not mask.any() else _masked(data, mask, dtype)
    if validity is not None and not validity.all():
        # A numpy int/bool column cannot hold nulls; pandas would have turned it into float64.
        out = data.astype(np.float64) if kind != "f" else data.copy()
        out[~validity] = np.nan
        return out
    return data


def arrow_array(data: np.ndarray, validity: np.ndarray | None, dtype: jdt.DType) -> pa.Array:
    """The Arrow array of host data of an Arrow-backed dtype (decimal128, bool/int64[pyarrow]);
    a decimal's int64 counts become decimal128's 16-byte values (the high word is the sign)."""
    data = np.asarray(data)
    mask = None if validity is None or validity.all() else ~np.asarray(validity, dtype=bool)
    if dtype.kind != "d":
        return pa.array(data, type=jdt.to_pandas(dtype).pyarrow_dtype, mask=mask)
    if mask is not None:
        data = np.where(mask, 0, data)
    words = np.empty((len(data), 2), np.int64)
    words[:, 0] = data
    words[:, 1] = data >> 63
    bitmap = None if mask is None else pa.py_buffer(np.packbits(~mask, bitorder="little"))
    typ = pa.decimal128(dtype.precision, dtype.scale)
    return pa.Array.from_buffers(typ, len(data), [bitmap, pa.py_buffer(words)],
                                 null_count=-1 if mask is None else int(mask.sum()))


def decimal_parts(arr: pa.Array | pa.ChunkedArray, dtype: jdt.DType) -> tuple[np.ndarray, np.ndarray]:
    """(int64 counts of 10**-scale, validity) of an Arrow decimal128 array of ``dtype`` (at most
    18 digits, so the low 8 bytes of each 16-byte value are the value: no decoding)."""
    jdt.check_decimal_held(dtype)
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks() if arr.num_chunks != 1 else arr.chunk(0)
    if len(arr) == 0:
        return np.zeros(0, np.int64), np.zeros(0, bool)
    words = np.frombuffer(arr.buffers()[1], dtype=np.int64)
    data = words[2 * arr.offset: 2 * (arr.offset + len(arr)): 2].copy()
    if not arr.null_count:
        return data, np.ones(len(arr), bool)
    validity = np.asarray(arr.is_valid().to_numpy(zero_copy_only=False), dtype=bool)
    data[~validity] = 0
    return data, validity


def _masked(data: np.ndarray, mask: np.ndarray, dtype: jdt.DType) -> Any:
    if dtype.kind == "b":
        return pd.arrays.BooleanArray(data.astype(bool), mask)
    if dtype.kind == "i":
        return pd.arrays.IntegerArray(data, mask)
    return pd.arrays.FloatingArray(data, mask)


def from_pandas_series(series: pd.Series, dtype: object = None, capacity: int | None = None) -> Column:
    """Convert a pandas Series (already with pandas' inferred dtype) into a Column on device,
    padded on the host to ``capacity`` rows when given (a bucketed capacity; the frame masks them).

    Values are held exactly (datetimes in their own unit, unsigned ints unsigned); a value no
    column can hold raises (TypeError/ValueError/OverflowError) naming the column, never a
    silently different value."""
    try:
        return _from_pandas_series(series, dtype, capacity)
    except (TypeError, ValueError, OverflowError, NotImplementedError) as err:
        raise with_column_name(err, series.name) from err


def with_column_name(err: Exception, name: Any) -> Exception:
    """The same error type with the column's name in front (pandas' own subclasses kept)."""
    if name is None:
        return err
    try:
        return type(err)(f"column {name!r}: {err}")
    except Exception:  # an exception type with a constructor of its own: keep it as it is
        return err


def _from_pandas_series(series: pd.Series, dtype: object, capacity: int | None) -> Column:
    def device(host: np.ndarray, logical: jdt.DType | None = None) -> jax.Array:
        host = np.asarray(host)
        if logical is not None:
            check_holdable(host, logical)
        return place_host(host, capacity)

    def device_validity(validity: np.ndarray) -> jax.Array:
        return device(np.asarray(validity, dtype=bool))

    if dtype is not None:
        target = jdt.parse(dtype)
        series = series.astype(jdt.to_pandas(target))
    if series.dtype == object and lists.holds_lists(series.to_numpy()):
        values = series.to_numpy()
        pairs, validity, elements = lists.flatten_objects(values)
        child = from_pandas_series(lists.element_series(elements))
        logical = jdt.list_of(child.dtype, None, lists.missing_of(values))
        return Column(device(pairs), device_validity(validity), logical, None, child)
    if series.dtype == object:
        series = _object_to_typed(series)
    logical = jdt.from_pandas(series.dtype)
    kind = logical.kind
    if kind == "L":
        pairs, validity, values = lists.arrow_parts(pa.array(series.array))
        child = from_pandas_series(lists.arrow_element_series(values, logical))
        return Column(device(pairs), device_validity(validity), logical.__class__(
            **{**logical.__dict__, "element": child.dtype}), None, child)
    if kind == "U":
        # pandas' own Arrow (or Python) string storage, handed to Arrow as it is: no Python
        # string object per row
        codes, validity, dictionary = encode(pa.array(series.array))
        return Column(device(codes), device_validity(validity), logical, dictionary)
    if kind == "C":
        codes = series.cat.codes.to_numpy().astype(np.int32)
        return Column(device(np.maximum(codes, 0)), device_validity(codes >= 0), logical)
    if kind == "d" or logical in (jdt.PA_BOOL, jdt.PA_INT64):
        arrow = pa.chunked_array(series.array.__arrow_array__())
        if kind == "d":
            values, validity = decimal_parts(arrow, logical)
        else:
            validity = series.notna().to_numpy()
            values = arrow.fill_null(0).to_numpy().astype(logical.storage)
        return Column(device(values, logical), device_validity(validity), logical)
    notna = series.notna().to_numpy()
    if isinstance(logical, jdt.DatetimeTZDType):  # held as UTC instants, the zone in the dtype
        utc = series.dt.tz_convert("UTC").dt.tz_localize(None)
        values = utc.to_numpy(dtype=f"datetime64[{logical.unit}]").view(np.int64).copy()
        values[~notna] = 0
        return Column(device(values, logical), device_validity(notna), logical)
    if kind == "P":  # pandas' ordinals, NaT in the validity mask
        values = np.where(notna, series.array.asi8, 0).astype(np.int64)
        return Column(device(values, logical), device_validity(notna), logical)
    if kind in "Mm":
        # The series' own unit (logical came from its dtype): no conversion, nothing can overflow.
        values = series.to_numpy(dtype=jdt.to_pandas(logical)).view(np.int64).copy()
        values[~notna] = 0
        return Column(device(values, logical), device_validity(notna), logical)
    if logical.masked:
        values = series.to_numpy(dtype=logical.storage, na_value=0)
        return Column(device(values, logical), device_validity(notna), logical)
    return Column(device(series.to_numpy(dtype=logical.storage), logical), None, logical)


def check_holdable(values: np.ndarray, dtype: jdt.DType) -> None:
    """With 64-bit JAX off (JAXFRAMES_X64=0) JAX narrows 64-bit arrays to 32 bits: integers
    (and datetime counts) that do not fit raise OverflowError instead of wrapping around."""
    if values.dtype.itemsize == 8 and values.dtype.kind in "iu" and not jax.config.read("jax_enable_x64"):
        narrow = np.iinfo(np.int32 if values.dtype.kind == "i" else np.uint32)
        if len(values) and (values.min() < narrow.min or values.max() > narrow.max):
            raise OverflowError(f"{dtype} values outside [{narrow.min}, {narrow.max}] cannot be held "
                                "with 64-bit JAX disabled (JAXFRAMES_X64=0)")


def device_values(values: np.ndarray, dtype: jdt.DType) -> jax.Array:
    """One host -> device transfer that keeps every value (see ``check_holdable``)."""
    check_holdable(values, dtype)
    return jax.device_put(np.asarray(values))


def _object_to_typed(series: pd.Series) -> pd.Series:
    """pandas keeps object columns for mixed or all-null data; pick a dtype or refuse."""
    inferred = pd.api.types.infer_dtype(series, skipna=True)
    if inferred in ("string", "empty"):
        return series.astype(pd.StringDtype(na_value=np.nan))
    converted = series.infer_objects()
    if converted.dtype != object:
        return converted
    if any(isinstance(v, (list, tuple, np.ndarray)) for v in series.dropna()[:100]):
        raise NotImplementedError("an object column mixing lists with other values (or holding tuples/arrays): "
                                  "list columns hold Python lists and missing values only")
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
        # pandas infers the scalar's dtype (and any error) from one element; the column is that
        # element repeated on device, never ``length`` Python objects on the host
        pd_dtype = None if dtype is None else jdt.to_pandas(jdt.parse(dtype))
        one = from_pandas_series(pd.Series([values], dtype=pd_dtype))
        if one.child is not None:  # a list value: its elements are laid out per row on the host
            return from_pandas_series(pd.Series([values] * max(length, 1), dtype=pd_dtype).iloc[:length])
        return _repeated(one, length)
    if isinstance(values, pd.Series):
        return from_pandas_series(values, dtype)
    arr = values if isinstance(values, (np.ndarray, pd.api.extensions.ExtensionArray, pd.Index)) else list(values)
    if isinstance(arr, np.ndarray) and arr.ndim != 1:
        raise ValueError(f"a column must be one-dimensional, got shape {arr.shape}")
    pd_dtype = None if dtype is None else jdt.to_pandas(jdt.parse(dtype))
    return from_pandas_series(pd.Series(arr, dtype=pd_dtype))


def _repeated(one: Column, length: int) -> Column:
    """A one-row column repeated ``length`` times on device (same dtype and dictionary)."""
    def rep(x: Any) -> Any:
        return None if x is None else jnp.broadcast_to(x[:1], (length,) + x.shape[1:])
    return one.replace(data=rep(one.data), validity=rep(one.validity))


def _is_scalar(value: Any) -> bool:
    return np.ndim(value) == 0 and not isinstance(value, (list, tuple, dict, set))


def astype(col: Column, dtype: object, live: Any = None) -> Column:
    """Cast with pandas' rules; the cast runs on device where the storage allows.

    ``live`` is the container's row mask (None: every row is live). pandas' value checks (NaN
    to int, non-integral float to Int64, ...) and the host conversions to strings/categories
    see only live rows, so a filter or dropna before the cast behaves as in pandas.

    Inside a user ``jax.jit`` values cannot be checked (``facts.any_live(..., in_jit=False)``),
    so nothing raises and the rule is: a null or a non-finite/out-of-range float cast to a
    numpy int gives the x86 "integer indefinite" numpy and pandas themselves produce for
    ``Float64 -> int64`` of inf (int64 min for 64-bit targets, int32 min wrapped to the target
    for narrower ones); a float cast to Int64/Int32 truncates; a number cast to boolean is
    ``!= 0``; a masked null cast to numpy bool is False. NaT -> int64 is int64 min everywhere,
    as in pandas.
    """
    target = jdt.parse(dtype)
    if target == col.dtype:
        return col
    src = col.dtype
    if src.kind in "UC" or target.kind in "UC":
        return _astype_via_host(col, target, live)
    if src.kind == "d" or target.kind == "d":
        return _astype_decimal(col, target, live)
    if src.kind == "P" or target.kind == "P":
        return _astype_period(col, target)
    if src.kind in "Mm" or target.kind in "Mm":
        return _astype_temporal(col, target)
    if target.masked:
        return _astype_to_masked(col, target, live)
    return _astype_to_numpy(col, target, live)


def _astype_decimal(col: Column, target: jdt.DType, live: Any) -> Column:
    """Decimal casts: to floats (count / 10**scale), to a finer or equal scale, and integers to
    decimals (a multiply by 10**scale that must stay in int64). Others refuse."""
    src = col.dtype
    present = col.not_null()
    if src.kind == "d" and target.kind == "f":
        data = col.data.astype(np.float64) / np.float64(10.0 ** src.scale)
        if target.masked:
            return Column(jnp.where(present, data, 0).astype(target.storage), present, target)
        return Column(jnp.where(present, data, jnp.nan).astype(target.storage), None, target)
    if src.kind in "di" and target.kind == "d":
        step = target.scale - (src.scale if src.kind == "d" else 0)
        if step < 0:
            raise NotImplementedError(f"astype from {src} to {target} (a coarser scale, which rounds) "
                                      "is not supported")
        if src.kind == "i" and src.storage == np.uint64:
            raise NotImplementedError(f"astype from {src} to {target}")
        if src.kind == "i":  # Arrow's rule: room for every value of the integer type
            need = len(str(np.iinfo(src.storage).max)) + target.scale
            if target.precision < need:
                raise pa.ArrowInvalid(f"Precision is not great enough for the result. It should be at least {need}")
        data = jnp.where(present, col.data, 0).astype(np.int64)
        limit = 10 ** min(target.precision, 18) // 10 ** step
        if any_live("astype: decimal out of range", jnp.abs(data) >= limit, live, in_jit=False):
            raise ValueError(f"astype from {src} to {target}: a value does not fit {target.precision} digits")
        return Column(data * np.int64(10 ** step), present, target)
    raise NotImplementedError(f"astype from {src} to {target} is not supported (decimals cast to floats, "
                              "strings and finer decimals; integers cast to decimals)")


def _astype_period(col: Column, target: jdt.DType) -> Column:
    """Period casts: to int64 (the ordinals, NaT is int64 min as in pandas) and naive datetimes
    to periods (pandas' to_period); others refuse."""
    src = col.dtype
    if src.kind == "P" and target == jdt.INT64:
        return Column(jnp.where(col.not_null(), col.data, np.iinfo(np.int64).min), None, target)
    if src.kind == "M" and jdt.tz_of(src) is None and target.kind == "P":
        present = col.not_null()
        data = periods.from_datetime(col.data, src.unit, target.freq)
        return Column(jnp.where(present, data, 0), present, target)
    raise NotImplementedError(f"astype from {src} to {target} is not supported (periods cast to int64 and "
                              "strings; naive datetimes cast to periods)")


def _astype_temporal(col: Column, target: jdt.DType) -> Column:
    """Datetime/timedelta casts: to another unit, to int64 (NaT is int64 min, pandas 3), and
    numbers to counts of the target's unit."""
    src = col.dtype
    if src.kind == target.kind == "M" and (jdt.tz_of(src) is None) != (jdt.tz_of(target) is None):
        if jdt.tz_of(src) is None:
            raise TypeError("Cannot use .astype to convert from timezone-naive dtype to timezone-aware dtype. "
                            "Use obj.tz_localize instead or series.dt.tz_localize instead")
        raise TypeError("Cannot use .astype to convert from timezone-aware dtype to timezone-naive dtype. "
                        "Use obj.tz_localize(None) or obj.tz_convert('UTC').tz_localize(None) instead.")
    if src.kind == target.kind:  # another unit (and/or zone: the same instants), exact or pandas' error
        return _astype_unit(col, target)
    if src.kind in "Mm" and target.kind == "b" and not target.masked:  # numpy: int64 view != 0 (NaT is True)
        return Column(col.data != 0 if col.validity is None else ~col.validity | (col.data != 0), None, target)
    if src.kind in "Mm" and target.kind == "i":
        if target.masked:
            raise TypeError(f"{src} cannot be converted to IntegerDtype")
        if target.storage != np.int64:
            raise TypeError(f"Converting from {src} to {target} is not supported. "
                            "Do obj.astype('int64').astype(dtype) instead")
        data = col.data.astype(np.int64)
        if col.validity is not None:
            data = jnp.where(col.validity, data, jnp.iinfo(np.int64).min)
        return Column(data, None, target)
    if src.kind in "bif" and target.kind in "Mm":
        # numbers are nanoseconds (floats truncate, as numpy does); nulls become NaT
        present = col.not_null()
        data = jnp.where(present, col.data, 0).astype(np.int64)
        return Column(data, present, target)
    raise TypeError(f"Cannot cast {src} to {target}")


def _astype_to_masked(col: Column, target: jdt.DType, live: Any) -> Column:
    """To Int64/Int32/boolean/Float64: nulls (NaN included) become NA; values are checked."""
    src = col.dtype
    present = col.not_null()
    data = col.data
    if src.kind == "f" and not src.masked:
        if target.kind == "i":
            if any_live("astype: inf to IntegerDtype", present & jnp.isinf(data), live, in_jit=False):
                raise OverflowError("cannot convert float infinity to integer")
            if any_live("astype: non-integral float to IntegerDtype", present & (jnp.floor(data) != data),
                        live, in_jit=False):
                raise TypeError(f"cannot safely cast non-equivalent {src} to {np.dtype(target.storage)}")
        if target.kind == "b" and any_live("astype: float to boolean", present & (data != 0) & (data != 1),
                                           live, in_jit=False):
            raise TypeError("Need to pass bool-like values")
    if target.kind == "b" and src.kind == "i" and not src.masked \
            and any_live("astype: int to boolean", present & (data != 0) & (data != 1), live, in_jit=False):
        raise TypeError("Need to pass bool-like values")
    if src.kind == "f":
        data = jnp.where(present, data, 0)
    return Column(_cast_storage(data, target), present, target)


def _astype_to_numpy(col: Column, target: jdt.DType, live: Any) -> Column:
    """To a numpy dtype: nulls become NaN for floats and are an error for ints and bools."""
    src = col.dtype
    if target.kind == "f":
        data = col.data.astype(target.storage)
        if col.validity is not None:
            data = jnp.where(col.validity, data, jnp.nan)
        return Column(data, None, target)
    present = col.not_null()
    if target.kind == "b":
        if src.kind == "f" and not src.masked:
            return Column(col.data != 0, None, target)  # NaN -> True, as numpy does
        if src.masked and any_live("astype: NA to bool", ~present, live, in_jit=False):
            raise ValueError("cannot convert float NaN to bool")
        return Column(jnp.where(present, col.data, 0).astype(bool), None, target)
    if src.kind == "f" and not src.masked:
        if any_live("astype: non-finite to int", ~jnp.isfinite(col.data), live, in_jit=False):
            raise pd.errors.IntCastingNaNError(
                "Cannot convert non-finite values (NA or inf) to integer. Replace or remove non-finite "
                "values or cast to an integer type that supports these values (e.g. 'Int64')")
        return Column(_cast_storage(col.data, target), None, target)
    if src.masked and any_live("astype: NA to int", ~present, live, in_jit=False):
        raise ValueError("cannot convert NA to integer")
    if src.kind == "f":  # Float64/Float32: NA takes the integer indefinite value, as NaN does
        return Column(_cast_storage(jnp.where(present, col.data, jnp.nan), target), None, target)
    data = col.data.astype(target.storage)
    if src.masked:
        data = jnp.where(present, data, _indefinite(np.dtype(target.storage)))
    return Column(data, None, target)


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


def _cast_storage(data: jax.Array, target: jdt.DType) -> jax.Array:
    """``data.astype(target.storage)`` with numpy's x86 answer for floats an int cannot hold.

    XLA saturates (inf -> int max) and differs by backend; numpy and pandas give the "integer
    indefinite" value: int64 min for 64-bit targets, int32 min wrapped for narrower ones
    (so 0 for int16/int8/uint8). NaN, +-inf and out-of-range floats all take it.
    """
    storage = np.dtype(target.storage)
    if target.kind != "i" or not jnp.issubdtype(data.dtype, jnp.floating) or storage == np.uint64:
        return data.astype(storage)
    via = _via(storage)
    info = np.iinfo(via)
    # float(info.max) rounds up to 2**63 (2**31 is exact), so ">=" keeps the bound out of range.
    wide = data.astype(jnp.float64) if data.dtype != jnp.float64 else data
    fits = jnp.isfinite(wide) & (wide >= float(info.min)) & (wide < -float(info.min))
    as_via = jnp.where(fits, jnp.where(fits, wide, 0).astype(via), info.min)
    return as_via.astype(storage)


def _via(storage: np.dtype) -> np.dtype:
    return np.dtype(np.int64) if storage.itemsize == 8 else np.dtype(np.int32)


def _indefinite(storage: np.dtype) -> int:
    """The integer indefinite value (see ``_cast_storage``) as held by ``storage``."""
    return int(np.array(np.iinfo(_via(storage)).min).astype(storage))


def _astype_via_host(col: Column, target: jdt.DType, live: Any = None) -> Column:
    """String/category casts go through pandas on the host, on the live rows only (pandas picks
    categories and datetime string formats from the values it sees); the result is scattered
    back onto the column's physical rows (dead rows hold null)."""
    if isinstance(col.data, jax.core.Tracer) or isinstance(live, jax.core.Tracer):
        raise NotImplementedError("astype to or from strings inside jax.jit")
    live_host = None if live is None else np.asarray(device_get(live), dtype=bool)
    if live_host is not None and live_host.all():
        live_host = None
    series = pd.Series(col.to_host(live_host))
    try:
        converted = series.astype(jdt.to_pandas(target))
    except (ValueError, TypeError) as err:
        raise type(err)(str(err)) from err
    out = from_pandas_series(converted)
    if live_host is None:
        return out
    return _scatter_live(out, np.flatnonzero(live_host), col.capacity)


def _scatter_live(col: Column, positions: np.ndarray, capacity: int) -> Column:
    """A column of the live rows placed at ``positions`` of a ``capacity``-row column; other
    rows are zero and, where the dtype can say so, null."""
    index = jnp.asarray(positions)
    data = jnp.zeros((capacity,), col.data.dtype).at[index].set(col.data)
    validity = col.validity
    if validity is not None or col.dtype.has_validity:
        present = jnp.ones((len(positions),), bool) if validity is None else validity
        validity = jnp.zeros((capacity,), bool).at[index].set(present)
    return col.replace(data=data, validity=validity)
