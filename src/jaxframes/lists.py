"""List columns (Arrow's ``list<T>``): the host side of their physical layout.

A list column is a Column whose dtype is ``dtypes.ListDType`` and whose ``data`` is an int64
array of shape (capacity, 2): per row a ``[start, length]`` pair into ``child``, a Column of the
element dtype (with its own validity for null elements and its own string dictionary). Row
validity is the column's validity, as for every other dtype.

Why start/length pairs (Arrow's ListView layout) and not Arrow's offsets (capacity + 1): every
row operation then touches only the pairs, never the child. Row masks, take/iloc/sort, head and
tail, merge payload gathers and filters gather the (capacity, 2) data exactly like any other
column's data (one gather along axis 0); concat stacks the children and shifts the second
part's starts by the first child's length. With offsets each of these would rebuild the child
(a data-dependent size, so a host sync) and dead rows would have to be cut out of the child too.
The child is compacted only when it leaves the device (``positions`` below, then Arrow/pandas).

This module is layer 1 and knows no Column: column.py builds the child from ``element_series``
and converts back with ``host_lists``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from jaxframes import dtypes as jdt


def is_null(value: Any) -> bool:
    """A missing row of an object column of lists (None, NaN, pd.NA, NaT)."""
    return value is None or (np.ndim(value) == 0 and bool(pd.isna(value)))


def holds_lists(values: np.ndarray) -> bool:
    """Whether an object array holds Python lists (and missing values) only, with one list at
    least: the pandas idiom for a list column. Mixed objects are not a list column."""
    seen = False
    for v in values:
        if isinstance(v, list):
            seen = True
        elif not is_null(v):
            return False
    return seen


def missing_of(values: np.ndarray) -> str:
    """How pandas shows a missing row of this object column: 'none', 'nan' (split of a 'str'
    column) or 'na' (split of a 'string' column)."""
    for v in values:
        if not isinstance(v, list):
            return "none" if v is None else "na" if v is pd.NA else "nan"
    return "none"


def flatten_objects(values: np.ndarray) -> tuple[np.ndarray, np.ndarray, list]:
    """(pairs, validity, elements) of an object array of lists: pairs is (n, 2) int64
    [start, length]; missing rows hold [0, 0] and validity False."""
    n = len(values)
    validity = np.fromiter((isinstance(v, list) for v in values), bool, n)
    lengths = np.fromiter((len(v) if isinstance(v, list) else 0 for v in values), np.int64, n)
    starts = np.cumsum(lengths) - lengths
    elements = [e for v in values if isinstance(v, list) for e in v]
    return np.stack([starts, lengths], axis=1), validity, elements


def element_series(elements: list) -> pd.Series:
    """The pandas Series a child column is built from, for elements of Python lists. Integers
    and bools with missing elements become Int64/boolean (so [1, None] keeps 1 and None, not
    1.0 and NaN); everything else takes the dtype from_pandas gives an object column."""
    series = pd.Series(elements, dtype=object)
    if not len(series) or series.isna().all():
        return series.astype(np.float64)  # no element says its type: pandas would hold NaN
    inferred = pd.api.types.infer_dtype(series, skipna=True)
    if series.isna().any() and inferred == "integer":
        return series.astype("Int64")
    if series.isna().any() and inferred == "boolean":
        return series.astype("boolean")
    return series


def arrow_parts(arr: pa.Array) -> tuple[np.ndarray, np.ndarray, pa.Array]:
    """(pairs, validity, child values) of an Arrow list array (list or large_list). The pairs
    point into ``arr.values`` (a sliced array keeps its offsets into the whole child)."""
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks() if arr.num_chunks != 1 else arr.chunk(0)
    if not (pa.types.is_list(arr.type) or pa.types.is_large_list(arr.type)):
        raise TypeError(f"expected an Arrow list array, got {arr.type}")
    offsets = np.asarray(arr.offsets.to_numpy(zero_copy_only=False), dtype=np.int64)
    validity = np.asarray(arr.is_valid().to_numpy(zero_copy_only=False), dtype=bool)
    starts, lengths = offsets[:-1].copy(), np.diff(offsets)
    lengths[~validity] = 0  # Arrow lets a null row own elements; ours own none
    starts[~validity] = 0
    return np.stack([starts, lengths], axis=1), validity, arr.values


def arrow_element_series(child: pa.Array, dtype: jdt.ListDType) -> pd.Series:
    """A child Arrow array as the pandas Series its child column is built from: exact nullable
    dtypes for the ArrowDtype flavour; pandas' own conversion (ints with nulls -> float64) for
    an object column of arrays (what ``pa.Table.to_pandas`` gives)."""
    if dtype.arrow_type is None:
        return element_series(child.to_pandas().tolist()) if pa.types.is_boolean(child.type) \
            else pd.Series(child.to_pandas())
    target = jdt.to_pandas(dtype.element)
    mapper = (lambda t: target) if isinstance(target, pd.api.extensions.ExtensionDtype) else (lambda t: None)
    return pd.Series(child.to_pandas(types_mapper=mapper))


def positions(pairs: np.ndarray, validity: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    """(offsets, element positions): Arrow offsets of these rows compacted, and the child
    positions to gather, in row order."""
    lengths = pairs[:, 1].astype(np.int64)
    if validity is not None:
        lengths = np.where(validity, lengths, 0)
    offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
    total = int(offsets[-1])
    starts = np.repeat(pairs[:, 0].astype(np.int64) - offsets[:-1], lengths)
    return offsets, starts + np.arange(total, dtype=np.int64)


def python_values(host: Any, missing: Any = None) -> list:
    """Host child values as Python objects, missing elements as ``missing`` (NaN stays NaN in
    float columns, NaT in datetimes), as they sit in a pandas list."""
    if isinstance(host, np.ndarray) and host.dtype.kind in "biuf":
        return host.tolist()
    if isinstance(host, np.ndarray):  # datetime64/timedelta64: pandas' scalars
        return list(pd.Series(host))
    series = pd.Series(host)
    objects = series.astype(object).to_numpy().copy()
    is_missing = series.isna().to_numpy()
    if is_missing.any():
        objects[is_missing] = missing
    return objects.tolist()


def host_lists(offsets: np.ndarray, validity: np.ndarray | None, host: Any, dtype: jdt.ListDType) -> Any:
    """The pandas array of list rows: an object array of lists, or an ArrowExtensionArray."""
    rows = len(offsets) - 1
    if dtype.arrow_type is not None:
        child = child_arrow(host, dtype.arrow_type.value_type)
        offsets_type = pa.int64() if pa.types.is_large_list(dtype.arrow_type) else pa.int32()
        mask = None if validity is None or validity.all() else pa.array(~validity)
        arr = type(pa.array([], dtype.arrow_type)).from_arrays(pa.array(offsets, offsets_type), child, mask=mask)
        return pd.array(arr.cast(dtype.arrow_type), dtype=pd.ArrowDtype(dtype.arrow_type))
    values = python_values(host, None if dtype.element_missing == "none" else np.nan)
    missing = {"none": None, "nan": np.nan, "na": pd.NA}[dtype.missing]
    out = np.empty(rows, dtype=object)
    for i in range(rows):
        out[i] = values[offsets[i]:offsets[i + 1]] if validity is None or validity[i] else missing
    return out


def child_arrow(host: Any, value_type: pa.DataType | None = None) -> pa.Array:
    """Host child values as an Arrow array (of ``value_type`` when given)."""
    arr = pa.array(host, from_pandas=True)
    if isinstance(arr, pa.ChunkedArray):  # pandas' Arrow-backed strings
        arr = arr.combine_chunks()
    return arr if value_type is None or arr.type == value_type else arr.cast(value_type)
