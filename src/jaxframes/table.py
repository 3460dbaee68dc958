"""Table: named columns + index + row mask + sharding. The one place rows are handled.

Layer 2 of the package (see tests/test_layers.py): it imports only the core (columns, index,
sharding, kernels) and everything above it (operations, the DataFrame/Series facades, the lazy
engine) builds on it. A DataFrame is a Table; a Series is a Table of one column whose key is the
Series' name.

The row mask is a selection vector: filters AND it instead of moving data, so shapes stay static
under jit and under sharding. Compaction (a stable partition of the live rows to the front, into
a bucketed capacity) happens only when rows must be contiguous.

Operations return their results as facades but must not import them (that would be an upward
import). The facades register their classes here when their modules load, and operations build
results with ``new_frame``/``new_series`` (pandas' ``_constructor`` idea, for both kinds). Type
checks use ``is_frame``/``is_series``: the facades mark themselves with ``_jf_kind`` (pandas'
ABCDataFrame idea; not pandas' own ``_typ``, which pandas would then mistake ours for).
"""

from __future__ import annotations

from typing import Any, Hashable

import jax
import jax.numpy as jnp
import numpy as np
import pandas as pd

from jaxframes.column import Column
from jaxframes.executables import jit
from jaxframes.facts import is_traced as is_traced  # re-exported: operations import it from here
from jaxframes.index import AnyIndex, Index, MultiIndex, RangeIndex
from jaxframes.kernels.compact import compact_permutation, host_mask, live_count, live_positions
from jaxframes.sharding import RowSharding, all_live, bucket_capacity, padded_capacity


_FACADES: dict[str, type] = {}

#: ``Table.sparse_rows``: tables of at least this many slots whose live rows fill at most
#: 1/SPARSE_FRACTION of them are compacted before a group-by or join.
SPARSE_MIN_SLOTS = 1 << 16
SPARSE_FRACTION = 4


def register_facade(kind: str, cls: type) -> None:
    """Called by frame.py ("dataframe"), series.py ("series") and lazy.py ("lazy") once the
    class exists."""
    _FACADES[kind] = cls


def new_frame(columns: dict[Hashable, Column], index: AnyIndex, row_mask: Any = None,
              sharding: RowSharding | None = None) -> Any:
    """A DataFrame facade over these parts."""
    return _FACADES["dataframe"]._from_table(Table(dict(columns), index, row_mask, sharding))


def new_series(column: Column, index: AnyIndex, row_mask: Any = None, name: Hashable = None,
               sharding: RowSharding | None = None) -> Any:
    """A Series facade over these parts."""
    return _FACADES["series"]._from_table(Table({name: column}, index, row_mask, sharding))


def make_frame(*args: Any, **kwargs: Any) -> Any:
    """``jf.DataFrame(...)``: the public constructor (pandas data in, our frame out)."""
    return _FACADES["dataframe"](*args, **kwargs)


def make_series(*args: Any, **kwargs: Any) -> Any:
    """``jf.Series(...)``: the public constructor."""
    return _FACADES["series"](*args, **kwargs)


def make_lazy(frame: Any) -> Any:
    """``df.lazy()``: a LazyFrame over an eager frame (the lazy engine registers itself)."""
    return _FACADES["lazy"].from_frame(frame)


def unique_columns(pairs: Any) -> dict[Hashable, Column]:
    """Columns by name; duplicate names (which pandas allows) would silently drop a column."""
    pairs = list(pairs)
    columns = dict(pairs)
    if len(columns) != len(pairs):
        raise NotImplementedError("duplicate column names are not supported")
    return columns


def from_pandas(data: Any) -> Any:
    """A facade holding a pandas Series' or DataFrame's values (``jf.from_pandas``)."""
    return make_series(data) if isinstance(data, pd.Series) else make_frame(data)


def is_frame(obj: Any) -> bool:
    """Whether ``obj`` is a JaxFrames DataFrame (without importing the facade)."""
    return getattr(type(obj), "_jf_kind", None) == "dataframe"


def is_series(obj: Any) -> bool:
    """Whether ``obj`` is a JaxFrames Series (without importing the facade)."""
    return getattr(type(obj), "_jf_kind", None) == "series"


def is_container(obj: Any) -> bool:
    return is_frame(obj) or is_series(obj)


def place_column(col: Column, sharding: RowSharding | None) -> Column:
    """A column placed like the rows (results of gathers/scans may come back replicated)."""
    if sharding is None:
        return col
    return col.replace(data=sharding.place(col.data), validity=sharding.place(col.validity))


def pad_column(col: Column, extra: int) -> Column:
    """``extra`` zero rows appended (their validity False): the padding under a row mask."""
    data = jnp.concatenate([col.data, jnp.zeros((extra,) + col.data.shape[1:], col.data.dtype)])
    validity = None if col.validity is None else jnp.concatenate([col.validity, jnp.zeros(extra, bool)])
    return col.replace(data=data, validity=validity)


def place_index(index: AnyIndex, sharding: RowSharding | None) -> AnyIndex:
    """A column-backed index placed like the rows (gathers would otherwise replicate it)."""
    if sharding is None or isinstance(index, RangeIndex):
        return index
    if isinstance(index, MultiIndex):
        return MultiIndex(tuple(place_column(c, sharding) for c in index.columns), index.names)
    col = index.column
    return Index(col.replace(data=sharding.place(col.data), validity=sharding.place(col.validity)), index.name)


@jax.tree_util.register_pytree_node_class
class Table:
    """Equal-capacity columns by name, the row labels, an optional row mask and row sharding.

    Immutable: every method returns a new Table. ``row_mask`` None means every physical row is
    live; ``sharding`` None means one device.
    """

    __slots__ = ("columns", "index", "row_mask", "sharding")

    def __init__(self, columns: dict[Hashable, Column], index: AnyIndex, row_mask: Any = None,
                 sharding: RowSharding | None = None):
        self.columns = columns
        self.index = index
        self.row_mask = row_mask
        self.sharding = sharding

    # -- PyTree --------------------------------------------------------------------------------
    def tree_flatten(self):
        return (tuple(self.columns.values()), self.index, self.row_mask), (tuple(self.columns), self.sharding)

    @classmethod
    def tree_unflatten(cls, aux, children):
        names, sharding = aux
        cols, index, mask = children
        return cls(dict(zip(names, cols)), index, mask, sharding)

    def __repr__(self) -> str:
        return f"Table(columns={list(self.columns)}, capacity={self.capacity}, masked={self.row_mask is not None})"

    # -- new tables ----------------------------------------------------------------------------
    def with_columns(self, columns: dict[Hashable, Column]) -> "Table":
        """The same rows with other columns (placed like the rows)."""
        if self.sharding is not None:
            columns = {k: place_column(c, self.sharding) for k, c in columns.items()}
        return Table(dict(columns), self.index, self.row_mask, self.sharding)

    def with_rows(self, row_mask: Any, index: AnyIndex | None = None) -> "Table":
        """The same columns with another row mask (and index)."""
        return Table(self.columns, self.index if index is None else index, row_mask, self.sharding)

    def gather_rows(self, indices: jax.Array, row_mask: Any, index: AnyIndex) -> "Table":
        """The rows at ``indices`` (physical positions), with a new mask and index."""
        cols = {k: place_column(c.take(indices), self.sharding) for k, c in self.columns.items()}
        return Table(cols, place_index(index, self.sharding), row_mask, self.sharding)

    # -- the live-row view ---------------------------------------------------------------------
    @property
    def capacity(self) -> int:
        return self.index.capacity

    def arrays(self) -> list[Any]:
        """The row-aligned device arrays (to detect tracing)."""
        return [c.data for c in self.columns.values()]

    def traced(self) -> bool:
        return is_traced(self.row_mask, *self.arrays())

    def live(self) -> jax.Array:
        """Boolean device array: which physical rows are live."""
        if self.row_mask is None:
            return jnp.ones(self.capacity, dtype=bool) if self.traced() else all_live(self.capacity)
        return self.row_mask

    def live_host(self, kind: str = "Table") -> np.ndarray | None:
        """The row mask on the host (None: all live); refuses inside jit with a clear message."""
        if self.traced():
            raise TypeError(
                f"{kind} values are traced (inside jax.jit/vmap/grad): host conversions "
                "(to_pandas, index, values, tolist, ...) need concrete data; return the frame from the "
                "transformed function and convert it outside")
        if self.row_mask is not None and self.row_mask.dtype == jax.dtypes.float0:
            raise TypeError(
                "this frame is a gradient from jax.grad(..., allow_int=True): its row mask is a float0 "
                "cotangent, not a mask; read the float columns' gradients as arrays "
                "(grad._columns[name].data) or rebuild a frame with the input's row mask")
        return None if self.row_mask is None else np.asarray(self.row_mask)

    def num_rows(self) -> int:
        """The live row count as a Python int (a host sync; impossible inside jit with a mask)."""
        if self.row_mask is None:
            return self.capacity
        if is_traced(self.row_mask):
            raise TypeError(
                "the row count of a filtered frame is data-dependent inside jax.jit; "
                "use .count_rows() for a traced count, or leave jit before calling len()")
        return live_count(self.row_mask)

    def count_rows(self) -> jax.Array:
        """Number of live rows as a (possibly traced) device scalar; works inside jit."""
        return jnp.sum(self.live(), dtype=jnp.int64)

    def row_positions(self) -> jax.Array:
        """0-based position of each physical row among the live rows (garbage for dead rows)."""
        if self.row_mask is None:
            return jnp.arange(self.capacity, dtype=jnp.int64)
        return _positions(self.row_mask)

    # -- row selection -------------------------------------------------------------------------
    def place(self, array: Any) -> Any:
        return array if self.sharding is None else self.sharding.place(array)

    def and_mask(self, mask: jax.Array) -> "Table":
        """Keep only rows where ``mask`` is True (no data moves)."""
        mask = jnp.asarray(mask, dtype=bool)
        new = mask if self.row_mask is None else _both(self.row_mask, mask)
        return self.with_rows(self.place(new))

    def keep_positions(self, positions: Any) -> "Table":
        """Keep live rows by position, in the order given (positions may repeat or reorder).
        Sharded tables get a capacity padded to the shard count, the padding masked out."""
        table = self.compact()
        positions = jnp.asarray(positions, dtype=jnp.int64)
        count = positions.shape[0]
        capacity = padded_capacity(count, self.sharding)
        mask = None
        if capacity != count:
            positions = jnp.concatenate([positions, jnp.zeros(capacity - count, jnp.int64)])
            mask = self.place(jnp.arange(capacity) < count)
        return table.gather_rows(positions, mask, table.index.take(positions))

    def compact(self) -> "Table":
        """Live rows moved to the front, in order. Eagerly the capacity shrinks to a bucket
        (one host sync: the live count); inside jit it stays (shapes are static) and the tail
        is masked."""
        if self.row_mask is None:
            return self
        if is_traced(self.row_mask):
            perm, count = compact_permutation(self.row_mask)
            new_mask = jnp.arange(self.capacity) < count
            return self.gather_rows(perm, self.place(new_mask), self.index.take(perm))
        host = host_mask(self.row_mask)
        live = live_count(self.row_mask) if host is None else int(np.count_nonzero(host))
        positions, new_mask = self._compaction(live, host)
        return self.gather_rows(positions, new_mask, self.index.take(positions))

    def _compaction(self, live: int, host: np.ndarray | None) -> tuple[jax.Array, Any]:
        """(the physical rows an eager compaction keeps, its row mask): the ``live`` rows first,
        into a bucketed capacity whose tail is masked (``host``: the mask read by host_mask)."""
        capacity = min(bucket_capacity(live, self.sharding), self.capacity)
        new_mask = None if capacity == live else self.place(jnp.arange(capacity) < live)
        return self.place(live_positions(self.row_mask, capacity, host)), new_mask

    def sparse_rows(self) -> tuple[jax.Array, Any] | None:
        """When the live rows are few, (the physical rows a compaction keeps, its row mask),
        else None: a table of at least SPARSE_MIN_SLOTS slots whose live rows fill at most
        1/SPARSE_FRACTION of them (a selective filter) is worth compacting before a group-by or
        join, which then run over the live rows' bucket instead of every slot. One host sync
        (the live count), only when there is a row mask; None inside jit."""
        mask = self.row_mask
        if mask is None or mask.shape[0] < SPARSE_MIN_SLOTS or is_traced(mask):
            return None
        host = host_mask(mask)
        live = live_count(mask) if host is None else int(np.count_nonzero(host))
        if live * SPARSE_FRACTION > mask.shape[0]:
            return None
        return self._compaction(live, host)

    def compacted_if_sparse(self) -> "Table":
        """The table compacted when its live rows are few (``sparse_rows``), else itself."""
        rows = self.sparse_rows()
        if rows is None:
            return self
        positions, new_mask = rows
        return self.gather_rows(positions, new_mask, self.index.take(positions))

    def compact_exact(self) -> "Table":
        """Live rows only: capacity == row count and no row mask (an eager host sync of the count)."""
        table = self.compact()
        if table.row_mask is None:
            return table
        take = jnp.arange(table.num_rows())
        return table.gather_rows(take, None, table.index.take(take))

    def pad_to(self, capacity: int) -> "Table | None":
        """Dead rows appended up to ``capacity`` (a RangeIndex is extended, label columns padded)."""
        extra = capacity - self.capacity
        if extra <= 0:
            return self
        index = self.index
        if isinstance(index, RangeIndex):
            index = RangeIndex(capacity, index.start, index.step, index.name)
        elif isinstance(index, Index):
            index = Index(pad_column(index.column, extra), index.name)
        else:
            index = MultiIndex(tuple(pad_column(c, extra) for c in index.columns), index.names)
        mask = jnp.concatenate([self.live(), jnp.zeros(extra, bool)])
        cols = {k: pad_column(c, extra) for k, c in self.columns.items()}
        return Table(cols, index, mask, self.sharding)

    def slice_rows(self, start: int, stop: int) -> "Table":
        """Physical rows [start, stop) of an unmasked table."""
        indices = jnp.arange(start, max(start, stop))
        return self.gather_rows(indices, None, self.index.slice(start, stop))

    def head(self, n: int) -> "Table":
        """First n live rows (negative n: all but the last |n|), via the row mask."""
        if self.row_mask is None and self.sharding is None:
            stop = n if n >= 0 else max(self.capacity + n, 0)
            return self.slice_rows(0, min(stop, self.capacity))
        if n >= 0 and self.row_mask is not None:
            return self.with_rows(self.place(_first_live(self.row_mask, n)))  # the mask is in
        pos = self.row_positions()
        keep = pos < n if n >= 0 else pos < self.count_rows() + n
        return self.and_mask(keep)

    def tail(self, n: int) -> "Table":
        """Last n live rows (negative n: all but the first |n|)."""
        if self.row_mask is None and self.sharding is None:
            start = max(self.capacity - n, 0) if n >= 0 else min(-n, self.capacity)
            return self.slice_rows(start if n != 0 else self.capacity, self.capacity)
        pos = self.row_positions()
        keep = pos >= self.count_rows() - n if n >= 0 else pos >= -n
        return self.and_mask(keep)


@jit
def _positions(mask: jax.Array) -> jax.Array:
    """0-based position of each row among the rows where ``mask`` holds: one program."""
    return jnp.cumsum(mask, dtype=jnp.int64) - 1


@jit
def _first_live(mask: jax.Array, n: int | jax.Array) -> jax.Array:
    """The first ``n`` rows where ``mask`` holds (n traced: one program per shape)."""
    return mask & (jnp.cumsum(mask, dtype=jnp.int64) <= n)


@jit
def _both(a: jax.Array, b: jax.Array) -> jax.Array:
    return a & b
