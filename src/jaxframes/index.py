"""Row labels. Both index kinds give one label per physical row (capacity entries); the frame's
row mask says which rows are live, so filtering never touches the index."""

from __future__ import annotations

import functools
from typing import Any, Hashable

import jax
import jax.numpy as jnp
import numpy as np
import pandas as pd

from jaxframes import column as colmod
from jaxframes import dtypes as jdt
from jaxframes.column import Column
from jaxframes.executables import jit


@jax.tree_util.register_pytree_node_class
class RangeIndex:
    """Labels start, start+step, ...: pure metadata, no device array."""

    __slots__ = ("start", "step", "length", "name")

    def __init__(self, length: int, start: int = 0, step: int = 1, name: Hashable = None):
        self.start, self.step, self.length, self.name = int(start), int(step), int(length), name

    def tree_flatten(self):
        return (), (self.start, self.step, self.length, self.name)

    @classmethod
    def tree_unflatten(cls, aux, children):
        start, step, length, name = aux
        return cls(length, start, step, name)

    def __repr__(self) -> str:
        return f"RangeIndex(start={self.start}, step={self.step}, length={self.length})"

    @property
    def capacity(self) -> int:
        return self.length

    @property
    def dtype(self) -> jdt.DType:
        return jdt.INT64

    def labels(self) -> Column:
        return Column(_range_labels(self.start, self.step, self.length), None, jdt.INT64)

    def take(self, indices: jax.Array) -> "Index":
        """The labels at ``indices``, computed from them (no labels array to gather from)."""
        if self.length == 0:
            return Index(self.labels().take(indices), self.name)
        labels = _range_take(self.start, self.step, self.length, jnp.asarray(indices))
        return Index(Column(labels, None, jdt.INT64), self.name)

    def slice(self, start: int, stop: int) -> "RangeIndex":
        stop = max(start, stop)
        return RangeIndex(stop - start, self.start + start * self.step, self.step, self.name)

    def rename(self, name: Hashable) -> "RangeIndex":
        return RangeIndex(self.length, self.start, self.step, name)

    def to_pandas(self, live: np.ndarray | None = None) -> pd.Index:
        if live is None:
            return pd.RangeIndex(self.start, self.start + self.step * self.length, self.step, name=self.name)
        positions = np.flatnonzero(live)
        return pd.Index(self.start + self.step * positions, dtype=np.int64, name=self.name)

    def same_labels(self, other: object) -> bool:
        """Statically known to hold the same labels row by row."""
        return isinstance(other, RangeIndex) and (self.start, self.step, self.length) == (
            other.start, other.step, other.length)


@jax.tree_util.register_pytree_node_class
class Index:
    """Labels held in a Column (any dtype), aligned with the frame's physical rows.

    ``freq``: a pandas offset that datetime labels follow (resample/asfreq results carry it, as
    pandas' DatetimeIndex does); gathers drop it, and ``to_pandas`` drops it where the live labels
    do not follow it."""

    __slots__ = ("column", "name", "freq")

    def __init__(self, column: Column, name: Hashable = None, freq: Any = None):
        self.column, self.name, self.freq = column, name, freq

    def tree_flatten(self):
        return (self.column,), (self.name, self.freq)

    @classmethod
    def tree_unflatten(cls, aux, children):
        return cls(children[0], *aux)

    def __repr__(self) -> str:
        return f"Index(dtype={self.column.dtype}, capacity={self.capacity})"

    @property
    def capacity(self) -> int:
        return self.column.capacity

    @property
    def dtype(self) -> jdt.DType:
        return self.column.dtype

    def labels(self) -> Column:
        return self.column

    def take(self, indices: jax.Array) -> "Index":
        return Index(self.column.take(indices), self.name)

    def slice(self, start: int, stop: int) -> "Index":
        return Index(self.column.take(jnp.arange(start, max(start, stop))), self.name)

    def rename(self, name: Hashable) -> "Index":
        return Index(self.column, name, self.freq)

    def to_pandas(self, live: np.ndarray | None = None) -> pd.Index:
        index = pd.Index(self.column.to_host(live), name=self.name)
        if self.freq is not None and isinstance(index, (pd.DatetimeIndex, pd.TimedeltaIndex)):
            try:
                index = type(index)(index, freq=self.freq)
            except ValueError:  # the live labels do not follow it (pandas drops it then too)
                pass
        return index

    def same_labels(self, other: object) -> bool:
        return isinstance(other, Index) and other.column is self.column


@jax.tree_util.register_pytree_node_class
class MultiIndex:
    """Several label columns (group-by results with several keys); read-mostly."""

    __slots__ = ("columns", "names")

    def __init__(self, columns: tuple[Column, ...], names: tuple[Hashable, ...]):
        self.columns, self.names = tuple(columns), tuple(names)

    def tree_flatten(self):
        return (self.columns,), (self.names,)

    @classmethod
    def tree_unflatten(cls, aux, children):
        return cls(children[0], aux[0])

    def __repr__(self) -> str:
        return f"MultiIndex(levels={len(self.columns)}, capacity={self.capacity})"

    @property
    def name(self) -> None:
        return None

    @property
    def capacity(self) -> int:
        return self.columns[0].capacity

    @property
    def dtype(self) -> jdt.DType:
        raise NotImplementedError("MultiIndex has no single dtype")

    def labels(self) -> Column:
        raise NotImplementedError("operations on MultiIndex labels (reset_index first)")

    def take(self, indices: jax.Array) -> "MultiIndex":
        return MultiIndex(tuple(c.take(indices) for c in self.columns), self.names)

    def slice(self, start: int, stop: int) -> "MultiIndex":
        return self.take(jnp.arange(start, max(start, stop)))

    def rename(self, name: Hashable) -> "MultiIndex":
        return MultiIndex(self.columns, tuple(name))

    def to_pandas(self, live: np.ndarray | None = None) -> pd.MultiIndex:
        arrays = [c.to_host(live) for c in self.columns]
        return pd.MultiIndex.from_arrays(arrays, names=list(self.names))

    def same_labels(self, other: object) -> bool:
        return isinstance(other, MultiIndex) and len(self.columns) == len(other.columns) and all(
            a is b for a, b in zip(self.columns, other.columns))

    @property
    def nlevels(self) -> int:
        return len(self.columns)


AnyIndex = RangeIndex | Index | MultiIndex


def from_pandas(index: pd.Index, capacity: int | None = None) -> AnyIndex:
    """Keep a pandas RangeIndex as metadata; anything else becomes a column-backed Index.
    ``capacity``: the frame's (bucketed) capacity; the labels past the index's length are padding."""
    if isinstance(index, pd.MultiIndex):
        cols = tuple(colmod.from_pandas_series(pd.Series(index.get_level_values(i), copy=False).reset_index(drop=True),
                                               capacity=capacity) for i in range(index.nlevels))
        return MultiIndex(cols, tuple(index.names))
    if isinstance(index, pd.RangeIndex):
        return RangeIndex(len(index) if capacity is None else capacity, index.start, index.step, index.name)
    series = pd.Series(index, copy=False).reset_index(drop=True)
    return Index(colmod.from_pandas_series(series, capacity=capacity), index.name)


def from_values(values: Any, length: int) -> AnyIndex:
    """An index from what a user passes as ``index=``: a list/array/pandas Index or our own."""
    if isinstance(values, (RangeIndex, Index, MultiIndex)):
        idx = values
    elif isinstance(values, pd.Index):
        idx = from_pandas(values)
    elif isinstance(values, range):
        idx = RangeIndex(len(values), values.start, values.step)
    else:
        idx = Index(colmod.from_values(values))
    if idx.capacity != length:
        raise ValueError(f"Length of values ({length}) does not match length of index ({idx.capacity})")
    return idx


def levels_of(index: AnyIndex) -> list[tuple[Hashable, Column]]:
    """(name, label column) per level: one for RangeIndex/Index, several for a MultiIndex."""
    if isinstance(index, MultiIndex):
        return list(zip(index.names, index.columns))
    return [(index.name, index.labels())]


def from_levels(levels: list[tuple[Hashable, Column]]) -> Index | MultiIndex:
    """An Index (one level) or a MultiIndex (several) over these label columns."""
    if not levels:
        raise ValueError("an index needs at least one level")
    if len(levels) == 1:
        return Index(levels[0][1], levels[0][0])
    return MultiIndex(tuple(c for _, c in levels), tuple(n for n, _ in levels))


def names_of(index: AnyIndex) -> list[Hashable]:
    """The level names (pandas' ``index.names``)."""
    return list(index.names) if isinstance(index, MultiIndex) else [index.name]


def with_names(index: AnyIndex, names: list[Hashable]) -> AnyIndex:
    if isinstance(index, MultiIndex):
        return MultiIndex(index.columns, tuple(names))
    return index.rename(names[0])


def level_number(index: AnyIndex, level: Any) -> int:
    """pandas' ``Index._get_level_number``: a level name or position to a position."""
    names = names_of(index)
    n = len(names)
    is_int = isinstance(level, (int, np.integer)) and not isinstance(level, (bool, np.bool_))
    if not isinstance(index, MultiIndex):
        if is_int:
            if level < 0 and level != -1:
                raise IndexError(f"Too many levels: Index has only 1 level, {level} is not a valid level number")
            if level > 0:
                raise IndexError(f"Too many levels: Index has only 1 level, not {level + 1}")
            return 0
        if level != names[0]:
            raise KeyError(f"Requested level ({level}) does not match index name ({names[0]})")
        return 0
    if names.count(level) > 1 and not is_int:
        raise ValueError(f"The name {level} occurs multiple times, use a level number")
    if level in names:
        return names.index(level)
    if not is_int:
        raise KeyError(f"Level {level} not found")
    if level < 0:
        if level + n < 0:
            raise IndexError(f"Too many levels: Index has only {n} levels, {level} is not a valid level number")
        return int(level) + n
    if level >= n:
        raise IndexError(f"Too many levels: Index has only {n} levels, not {level + 1}")
    return int(level)


@functools.partial(jit, static_argnums=2)
def _range_labels(start: Any, step: Any, length: int) -> jax.Array:
    """start + step * arange(length) as one program (start and step traced: any range reuses it)."""
    return jnp.asarray(start, jnp.int64) + jnp.asarray(step, jnp.int64) * jnp.arange(length, dtype=jnp.int64)


@jit
def _range_take(start: Any, step: Any, length: Any, indices: jax.Array) -> jax.Array:
    """``_range_labels(start, step, length)[indices]`` without the labels: indices wrap from the
    end when negative and clamp into range, as a jnp gather's do."""
    indices = indices.astype(jnp.int64)
    indices = jnp.clip(jnp.where(indices < 0, indices + length, indices), 0, length - 1)
    return jnp.asarray(start, jnp.int64) + jnp.asarray(step, jnp.int64) * indices
