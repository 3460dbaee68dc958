"""What DataFrame and Series share: an index, an optional row mask, an optional row sharding.

The row mask is a selection vector: filters AND it instead of moving data, so shapes stay static
under jit and under sharding. Compaction (a stable partition of the live rows to the front, into
a bucketed capacity) happens only when rows must be contiguous.
"""

from __future__ import annotations

from typing import Any, TypeVar

import jax
import jax.numpy as jnp
import numpy as np

from jaxframes.errors import ImmutableFrameError
from jaxframes.index import AnyIndex, Index, RangeIndex
from jaxframes.kernels.compact import compact_permutation
from jaxframes.sharding import RowSharding, bucket_capacity, padded_capacity

T = TypeVar("T", bound="RowContainer")


def is_traced(*arrays: Any) -> bool:
    """True when any array is a tracer (we are inside jit/vmap/grad): no host syncs allowed."""
    return any(isinstance(a, jax.core.Tracer) for a in arrays)


def reject_inplace(inplace: bool, method: str) -> None:
    """Frames are immutable; say so instead of silently ignoring ``inplace=True``."""
    if inplace:
        raise ImmutableFrameError(
            f"{method}(inplace=True) is not supported: JaxFrames frames are immutable. "
            f"Use the returned frame: df = df.{method}(...)")


class RowContainer:
    """Base of DataFrame and Series: the row bookkeeping, no column logic."""

    _index: AnyIndex
    _row_mask: jax.Array | None
    _sharding: RowSharding | None

    # -- subclass hooks -------------------------------------------------------------------
    def _arrays(self) -> list[Any]:
        """The row-aligned device arrays (to detect tracing)."""
        raise NotImplementedError

    def _gather_rows(self: T, indices: jax.Array, row_mask: jax.Array | None, index: AnyIndex) -> T:
        """A new container of the rows at ``indices`` (same kind, same columns)."""
        raise NotImplementedError

    def _replace_rows(self: T, row_mask: jax.Array | None, index: AnyIndex | None = None) -> T:
        raise NotImplementedError

    # -- row bookkeeping ------------------------------------------------------------------
    @property
    def _capacity(self) -> int:
        return self._index.capacity

    @property
    def index(self):
        """The row labels, as a pandas Index (a host transfer)."""
        return self._index.to_pandas(self._live_host())

    def _live(self) -> jax.Array:
        """Boolean device array: which physical rows are live."""
        if self._row_mask is None:
            return jnp.ones(self._capacity, dtype=bool)
        return self._row_mask

    def _live_host(self) -> np.ndarray | None:
        if self._traced():
            raise TypeError(
                f"{type(self).__name__} values are traced (inside jax.jit/vmap/grad): host conversions "
                "(to_pandas, index, values, tolist, ...) need concrete data; return the frame from the "
                "transformed function and convert it outside")
        if self._row_mask is not None and self._row_mask.dtype == jax.dtypes.float0:
            raise TypeError(
                "this frame is a gradient from jax.grad(..., allow_int=True): its row mask is a float0 "
                "cotangent, not a mask; read the float columns' gradients as arrays "
                "(grad._columns[name].data) or rebuild a frame with the input's row mask")
        return None if self._row_mask is None else np.asarray(self._row_mask)

    def _traced(self) -> bool:
        return is_traced(self._row_mask, *self._arrays())

    def _num_rows(self) -> int:
        """The live row count as a Python int (a host sync; impossible inside jit with a mask)."""
        if self._row_mask is None:
            return self._capacity
        if is_traced(self._row_mask):
            raise TypeError(
                "the row count of a filtered frame is data-dependent inside jax.jit; "
                "use .count_rows() for a traced count, or leave jit before calling len()")
        return int(jnp.sum(self._row_mask))

    def count_rows(self) -> jax.Array:
        """Number of live rows as a (possibly traced) device scalar; works inside jit."""
        return jnp.sum(self._live(), dtype=jnp.int64)

    def __len__(self) -> int:
        return self._num_rows()

    @property
    def empty(self) -> bool:
        return self._num_rows() == 0 or self._is_columnless()

    def _is_columnless(self) -> bool:
        return False

    def _and_mask(self: T, mask: jax.Array) -> T:
        """Keep only rows where ``mask`` is True (no data moves)."""
        mask = jnp.asarray(mask, dtype=bool)
        new = mask if self._row_mask is None else (self._row_mask & mask)
        return self._replace_rows(self._place(new))

    def _place(self, array: Any) -> Any:
        return array if self._sharding is None else self._sharding.place(array)

    def _place_index(self, index: AnyIndex) -> AnyIndex:
        return place_index(index, self._sharding)

    def _keep_positions(self: T, positions: Any) -> T:
        """Keep live rows by position, in the order given (positions may repeat or reorder).
        Sharded containers get a capacity padded to the shard count, the padding masked out."""
        frame = self._compact()
        positions = jnp.asarray(positions, dtype=jnp.int64)
        count = positions.shape[0]
        capacity = padded_capacity(count, self._sharding)
        mask = None
        if capacity != count:
            positions = jnp.concatenate([positions, jnp.zeros(capacity - count, jnp.int64)])
            mask = self._place(jnp.arange(capacity) < count)
        return frame._gather_rows(positions, mask, frame._index.take(positions))

    def _compact(self: T) -> T:
        """Live rows moved to the front, in order. Eagerly the capacity shrinks to a bucket;
        inside jit it stays (shapes are static) and the tail is masked."""
        if self._row_mask is None:
            return self
        perm, count = compact_permutation(self._row_mask)
        if is_traced(self._row_mask, perm):
            new_mask = jnp.arange(self._capacity) < count
            return self._gather_rows(perm, self._place(new_mask), self._index.take(perm))
        live = int(count)
        capacity = min(bucket_capacity(live, self._sharding), self._capacity)
        perm = perm[:capacity]
        new_mask = None if capacity == live else self._place(jnp.arange(capacity) < live)
        return self._gather_rows(perm, new_mask, self._index.take(perm))

    def _compact_exact(self: T) -> T:
        """Live rows only: capacity == row count and no row mask (an eager host sync of the count)."""
        frame = self._compact()
        if frame._row_mask is None:
            return frame
        take = jnp.arange(frame._num_rows())
        return frame._gather_rows(take, None, frame._index.take(take))

    def _row_positions(self) -> jax.Array:
        """0-based position of each physical row among the live rows (garbage for dead rows)."""
        if self._row_mask is None:
            return jnp.arange(self._capacity, dtype=jnp.int64)
        return jnp.cumsum(self._row_mask, dtype=jnp.int64) - 1

    def head(self: T, n: int = 5) -> T:
        """First n live rows (negative n: all but the last |n|), via the row mask."""
        if self._row_mask is None and self._sharding is None:
            stop = n if n >= 0 else max(self._capacity + n, 0)
            return self._slice_rows(0, min(stop, self._capacity))
        pos = self._row_positions()
        keep = pos < n if n >= 0 else pos < self.count_rows() + n
        return self._and_mask(keep)

    def tail(self: T, n: int = 5) -> T:
        """Last n live rows (negative n: all but the first |n|)."""
        if self._row_mask is None and self._sharding is None:
            start = max(self._capacity - n, 0) if n >= 0 else min(-n, self._capacity)
            return self._slice_rows(start if n != 0 else self._capacity, self._capacity)
        pos = self._row_positions()
        keep = pos >= self.count_rows() - n if n >= 0 else pos >= -n
        return self._and_mask(keep)

    def _slice_rows(self: T, start: int, stop: int) -> T:
        """Physical rows [start, stop) of an unmasked container."""
        indices = jnp.arange(start, max(start, stop))
        return self._gather_rows(indices, None, self._index.slice(start, stop))



def place_index(index: AnyIndex, sharding: RowSharding | None) -> AnyIndex:
    """A column-backed index placed like the rows (gathers would otherwise replicate it)."""
    if sharding is None or isinstance(index, RangeIndex):
        return index
    col = index.column
    return Index(col.replace(data=sharding.place(col.data), validity=sharding.place(col.validity)), index.name)
