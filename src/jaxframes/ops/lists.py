"""Operations on list columns (lists.py holds the layout): explode, flatten, lengths, element
access and slicing, concat of list columns, and list columns built from per-value host results
(``str.split``).

Everything but explode/flatten keeps the rows where they are: a new list column is new
``[start, length]`` pairs over the SAME child (a slice moves starts and lengths; no element is
copied), and an element column is one gather from the child. explode/flatten have a
data-dependent row count: the count is synced once (eagerly; inside ``jax.jit`` they refuse),
then rows and elements are gathered on device.

Result dtypes. pandas gives object columns for elements of object lists (``explode``,
``s.str[i]``), which JaxFrames columns do not hold. We give what ``infer_objects`` makes of
pandas' answer, decided on live rows: int64 (float64 once a row is missing), float64, bool,
datetimes, and for strings pandas' own 'str' (or the 'string' the lists came from). Elements of
``pd.ArrowDtype`` lists (``.list[i]``, ``.list.len()``, ``.list.flatten()``, explode) come back
in the pandas masked twin of the Arrow type (Int64, Int32, Float64, boolean, string) instead of
``int64[pyarrow]``: the same values and nulls.
"""

from __future__ import annotations

import dataclasses
from typing import Any, Callable, Hashable

import jax
import jax.numpy as jnp
import numpy as np
import pandas as pd
import pyarrow as pa

from jaxframes import column as colmod
from jaxframes import dtypes as jdt
from jaxframes import lists
from jaxframes.column import Column
from jaxframes.facts import any_live
from jaxframes.index import RangeIndex
from jaxframes.kernels.keys import SortKey, pack_keys
from jaxframes.kernels.sort import argsort, sort_words, sorted_segments
from jaxframes.ops.sorting import column_key
from jaxframes.sync import device_get
from jaxframes.table import Table, is_traced


# -- parts -------------------------------------------------------------------------------------
def is_list(col: Column) -> bool:
    return col.dtype.kind == "L"


def starts(col: Column) -> jax.Array:
    return col.data[:, 0]


def lengths(col: Column) -> jax.Array:
    """Elements per row (0 for null rows)."""
    return jnp.where(col.not_null(), col.data[:, 1], 0)


def elements_at(col: Column, positions: jax.Array, present: jax.Array) -> Column:
    """The child's elements at ``positions`` (child positions), null where ``present`` is False."""
    child = col.child
    n = positions.shape[0]
    if child.capacity == 0:  # no element anywhere: every row is null
        validity = None if child.validity is None else jnp.zeros(n, bool)
        taken = Column(jnp.zeros(n, child.data.dtype), validity, child.dtype, child.dictionary)
    else:
        taken = child.take(jnp.clip(positions, 0, child.capacity - 1))
    return with_nulls(taken, present)


def with_nulls(col: Column, present: jax.Array) -> Column:
    """``col`` with rows where ``present`` is False made null (in the dtype's own null form:
    NaN for numpy floats, the validity mask where there is one, else its masked twin)."""
    dtype = col.dtype
    if dtype.kind == "f" and not dtype.masked:
        return col.replace(data=jnp.where(present, col.data, jnp.nan))
    if not dtype.has_validity:
        dtype = jdt.masked_of(dtype)
        if not dtype.has_validity:
            raise NotImplementedError(f"missing {col.dtype} elements (no nullable twin holds them)")
    validity = present if col.validity is None else col.validity & present
    return col.replace(validity=validity, dtype=dtype)


def element_result(col: Column, list_dtype: jdt.ListDType, live: Any) -> Column:
    """The dtype pandas' answer gets for elements of these lists (module docstring)."""
    if list_dtype.arrow_type is not None:
        return col
    dtype = col.dtype
    kind = dtype.kind
    if kind in "UMm":
        return col
    missing = any_live("list elements: missing element", ~col.not_null(), live, in_jit=True)
    if kind in "iuf":
        if missing or kind == "f":
            data = jnp.where(col.not_null(), col.data.astype(np.float64), jnp.nan)
            return Column(data, None, jdt.FLOAT64)
        plain = jdt.unmasked_of(dtype)
        return Column(col.data.astype(plain.storage), None, plain)
    if kind == "b":
        if missing:
            raise NotImplementedError("bool list elements with missing rows: pandas gives an object "
                                      "column of True/False/NaN, which JaxFrames does not hold")
        return Column(col.data, None, jdt.BOOL)
    return col


# -- explode / flatten -------------------------------------------------------------------------
def explode(table: Table, names: list[Hashable], ignore_index: bool, keep_empty: bool = True) -> Table:
    """pandas' explode of the list columns ``names`` (other named columns count as one element
    per row): each live row becomes one row per element, its index label repeated; an empty
    list or a null row gives one null row (``keep_empty``; ``flatten`` drops them)."""
    cols = [table.columns[n] for n in names]
    listed = [c for c in cols if is_list(c)]
    if is_traced(table.row_mask, *[c.data for c in listed]):
        raise NotImplementedError("explode inside jax.jit: the row count depends on the list lengths")
    live = table.live()
    # pandas counts a scalar, a null row and an empty list as one element
    counts = [jnp.maximum(lengths(c), 1) if is_list(c) else jnp.ones(table.capacity, jnp.int64) for c in cols]
    if any(bool(device_get(jnp.any(live & (c != counts[0])))) for c in counts[1:]):
        raise ValueError("columns must have matching element counts")
    per_row = counts[0] if keep_empty else lengths(listed[0])
    per_row = jnp.where(live, per_row, 0)
    total = int(device_get(jnp.sum(per_row)))
    row_of = jnp.repeat(jnp.arange(table.capacity), per_row, total_repeat_length=total)
    first = jnp.cumsum(per_row) - per_row
    within = jnp.arange(total) - first[row_of]
    index = RangeIndex(total) if ignore_index else table.index.take(row_of)
    out = table.gather_rows(row_of, None, index)
    columns = dict(out.columns)
    for name, col in zip(names, cols):
        if not is_list(col):
            continue
        present = within < lengths(col)[row_of]
        elements = element_result(elements_at(col, starts(col)[row_of] + within, present), col.dtype, None)
        if elements.dtype.kind == "U" and col.dtype.arrow_type is None:
            elements = elements.replace(dtype=jdt.STR)  # pandas infers 'str' for exploded strings
        columns[name] = elements
    return Table(columns, out.index, None, table.sharding)


# -- per-row element access --------------------------------------------------------------------
def list_lengths(col: Column, dtype: jdt.DType, live: Any) -> Column:
    """Elements per row; null rows null. ``dtype``: Int32 for ``.list.len()``; None for
    ``.str.len()`` on object lists (int64, float64 once a live row is null)."""
    valid = col.not_null()
    n = col.data[:, 1]
    if dtype is not None:
        return Column(n.astype(dtype.storage), valid, dtype)
    if any_live("str.len of lists: null row", ~valid, live, in_jit=True):
        if col.dtype.missing == "na":  # pandas: objects 3 and <NA> (split of 'string'): held as Int64
            return Column(n.astype(np.int64), valid, jdt.NINT64)
        return Column(jnp.where(valid, n.astype(np.float64), jnp.nan), None, jdt.FLOAT64)
    return Column(n.astype(np.int64), None, jdt.INT64)


def element(col: Column, i: int, live: Any, python_index: bool) -> Column:
    """Element ``i`` of each row. ``python_index`` (``s.str[i]``/``get``): negative counts from
    the end and a short row gives null. Else (``.list[i]``, Arrow's list_element): a short live
    non-null row raises as pandas does, negatives are not indices."""
    n, valid = col.data[:, 1], col.not_null()
    if python_index:
        pos = jnp.where(i < 0, n + i, i) if i < 0 else jnp.full(n.shape, i, n.dtype)
        present = valid & (pos >= 0) & (pos < n)
    else:
        if i < 0:
            raise IndexError(f"list index {i} out of range")
        short = valid & (n <= i)
        if any_live("list[i]: index out of bounds", short, live, in_jit=False):
            bad = np.asarray(device_get(short if live is None else short & live))
            length = int(np.asarray(device_get(n))[np.flatnonzero(bad)[0]])
            raise pa.ArrowInvalid(f"Index {i} is out of bounds: should be in [0, {length})")
        pos = jnp.full(n.shape, i, n.dtype)
        present = valid
    out = elements_at(col, starts(col) + pos, present)
    return element_result(out, col.dtype, live)


def sliced(col: Column, key: slice, python_index: bool) -> Column:
    """Each row's list sliced (step 1): new [start, length] pairs over the same child."""
    if key.step not in (None, 1):
        raise NotImplementedError(f"slicing lists with step={key.step!r}")
    start, stop = key.start, key.stop
    if not python_index and ((start is not None and start < 0) or (stop is not None and stop < 0)):
        raise NotImplementedError("negative slice bounds in .list[...] (Arrow's list_slice)")
    n = col.data[:, 1]

    def bound(b: int | None, default: jax.Array) -> jax.Array:
        if b is None:
            return default
        at = n + b if b < 0 else jnp.full(n.shape, b, n.dtype)
        return jnp.clip(at, 0, n)
    lo = bound(start, jnp.zeros_like(n))
    hi = jnp.maximum(bound(stop, n), lo)
    pairs = jnp.stack([col.data[:, 0] + lo, hi - lo], axis=1)
    return col.replace(data=jnp.where(col.not_null()[:, None], pairs, 0))


# -- building list columns ---------------------------------------------------------------------
def from_objects(values: np.ndarray, element: Any = None, missing: str | None = None) -> Column:
    """A list column from an object array of lists and missing values (even with no list at
    all). ``element``: the pandas dtype of the elements (else inferred as from_pandas does)."""
    pairs, validity, elements = lists.flatten_objects(values)
    series = lists.element_series(elements) if element is None else pd.Series(elements, dtype=element)
    child = colmod.from_pandas_series(series)
    dtype = jdt.list_of(child.dtype, None, missing or lists.missing_of(values))
    return Column(jnp.asarray(pairs), jnp.asarray(validity), dtype, None, child)


def stack_lists(parts: list[Column | None], row_counts: list[int], pad: int,
                stack: Callable[[list, list], Column]) -> Column:
    """concat of list columns: children stacked (``stack``, the concat of ordinary columns),
    each part's starts shifted by the children before it; a part without the column is null."""
    pieces = list_parts(parts, row_counts, stack)
    data, valid = [p.data for p in pieces], [p.validity for p in pieces]
    if pad:
        data.append(jnp.zeros((pad, 2), jnp.int64))
        valid.append(jnp.zeros(pad, bool))
    return pieces[0].replace(data=jnp.concatenate(data), validity=jnp.concatenate(valid))


def list_parts(parts: list[Column | None], row_counts: list[int],
               stack: Callable[[list, list], Column]) -> list[Column]:
    """Per part, the list column it contributes to a concat: one shared child (the children
    stacked), its starts shifted by the children before it, a validity mask; a part without
    the column (None) is ``row_counts[i]`` nulls."""
    present = [p for p in parts if p is not None]
    if any(not is_list(p) for p in present):
        raise NotImplementedError("concat of a list column with a non-list column (pandas gives an "
                                  "object column of mixed values)")
    if len({p.dtype.arrow_type for p in present}) > 1:
        raise NotImplementedError("concat of list columns of different list dtypes")
    child = stack([p.child for p in present], [p.child.capacity for p in present])
    shift = np.concatenate([[0], np.cumsum([p.child.capacity for p in present])])
    dtype = dataclasses.replace(present[0].dtype, element=child.dtype)
    if len(present) < len(parts) and dtype.arrow_type is None:  # pandas fills the absent part with NaN
        dtype = dataclasses.replace(dtype, missing="nan")
    out, k = [], 0
    for p, n in zip(parts, row_counts):
        if p is None:
            out.append(Column(jnp.zeros((n, 2), jnp.int64), jnp.zeros(n, bool), dtype, None, child))
            continue
        out.append(Column(p.data + jnp.asarray([shift[k], 0], p.data.dtype), p.not_null(), dtype, None, child))
        k += 1
    return out


# -- per-group unique values -------------------------------------------------------------------
def group_unique(col: Column, group: jax.Array, in_group: jax.Array, num_groups: int) -> Column:
    """SeriesGroupBy.unique as a list column: row g holds the distinct values of group g in
    order of first appearance (a null/NaN once, as pandas' unique keeps it).

    ``group``: per physical row of ``col``, the output position (0..num_groups-1) of its group;
    ``in_group``: the row is live and in a group (dead rows and dropped null keys: False).
    pandas answers an object Series of numpy arrays per group; this column converts to lists,
    which pandas' comparisons take as equal. One host sync (the number of distinct pairs)."""
    if is_list(col):
        raise TypeError("unhashable type: 'list'")
    if is_traced(col.data, group, in_group):
        raise NotImplementedError("SeriesGroupBy.unique inside jax.jit: the result size depends on the data")
    n = col.capacity
    group = jnp.where(in_group, group, num_groups).astype(jnp.int64)
    rows = jnp.arange(n, dtype=jnp.int64)
    if n:
        perm, words = sort_words(pack_keys([SortKey(~in_group, kind="b"), SortKey(group, kind="i"),
                                            column_key(col)]).words)
        first, _ = sorted_segments(words)
        first = first & in_group[perm]
    else:
        perm, first = rows, jnp.zeros(0, bool)
    count = int(device_get(jnp.sum(first)))
    survivors = perm[jnp.nonzero(first, size=count)[0]] if count else jnp.zeros(0, jnp.int64)
    by_group_then_row = argsort([SortKey(group[survivors], kind="i"), SortKey(survivors, kind="i")]) \
        if count else jnp.zeros(0, jnp.int64)
    child_rows = survivors[by_group_then_row]
    child = col.take(child_rows)
    sizes = jax.ops.segment_sum(jnp.ones(count, jnp.int64), group[child_rows], num_segments=num_groups)
    pairs = jnp.stack([jnp.cumsum(sizes) - sizes, sizes], axis=1)
    dtype = jdt.list_of(child.dtype, element_missing="nan")  # pandas' unique arrays hold NaN
    return Column(pairs, jnp.ones(num_groups, bool), dtype, None, child)
