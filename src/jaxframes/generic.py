"""What the DataFrame and Series facades share: a Table underneath, and row methods that
forward to it. The row logic itself (masks, compaction, buckets, placement) lives in table.py."""

from __future__ import annotations

from typing import Any, TypeVar

import jax
import numpy as np

from jaxframes.index import AnyIndex
from jaxframes.sharding import RowSharding
from jaxframes.table import Table, place_index

T = TypeVar("T", bound="RowContainer")


class RowContainer:
    """Base of DataFrame and Series: the row bookkeeping, forwarded to ``self._table``."""

    _table: Table
    _jf_kind: str = ""

    # -- subclass hook: a facade of the same kind over another table ------------------------
    def _wrap(self: T, table: Table) -> T:
        raise NotImplementedError

    # -- the table's parts, as the operations read them -------------------------------------
    @property
    def _index(self) -> AnyIndex:
        return self._table.index

    @property
    def _row_mask(self) -> Any:
        return self._table.row_mask

    @property
    def _sharding(self) -> RowSharding | None:
        return self._table.sharding

    @property
    def _capacity(self) -> int:
        return self._table.capacity

    @property
    def index(self):
        """The row labels, as a pandas Index (a host transfer)."""
        return self._index.to_pandas(self._live_host())

    # -- rows -----------------------------------------------------------------------------------
    def _arrays(self) -> list[Any]:
        return self._table.arrays()

    def _gather_rows(self: T, indices: jax.Array, row_mask: Any, index: AnyIndex) -> T:
        return self._wrap(self._table.gather_rows(indices, row_mask, index))

    def _replace_rows(self: T, row_mask: Any, index: AnyIndex | None = None) -> T:
        return self._wrap(self._table.with_rows(row_mask, index))

    def _live(self) -> jax.Array:
        return self._table.live()

    def _live_host(self) -> np.ndarray | None:
        return self._table.live_host(type(self).__name__)

    def _traced(self) -> bool:
        return self._table.traced()

    def _num_rows(self) -> int:
        return self._table.num_rows()

    def count_rows(self) -> jax.Array:
        """Number of live rows as a (possibly traced) device scalar; works inside jit."""
        return self._table.count_rows()

    def __len__(self) -> int:
        return self._num_rows()

    @property
    def empty(self) -> bool:
        return self._num_rows() == 0 or self._is_columnless()

    def _is_columnless(self) -> bool:
        return False

    def _and_mask(self: T, mask: jax.Array) -> T:
        return self._wrap(self._table.and_mask(mask))

    def _place(self, array: Any) -> Any:
        return self._table.place(array)

    def _place_index(self, index: AnyIndex) -> AnyIndex:
        return place_index(index, self._sharding)

    def _keep_positions(self: T, positions: Any) -> T:
        return self._wrap(self._table.keep_positions(positions))

    def _compact(self: T) -> T:
        return self._wrap(self._table.compact())

    def _compacted_if_sparse(self: T) -> T:
        table = self._table.compacted_if_sparse()
        return self if table is self._table else self._wrap(table)

    def _compact_exact(self: T) -> T:
        return self._wrap(self._table.compact_exact())

    def _row_positions(self) -> jax.Array:
        return self._table.row_positions()

    def head(self: T, n: int = 5) -> T:
        """First n live rows (negative n: all but the last |n|), via the row mask."""
        return self._wrap(self._table.head(n))

    def tail(self: T, n: int = 5) -> T:
        """Last n live rows (negative n: all but the first |n|)."""
        return self._wrap(self._table.tail(n))

    def _slice_rows(self: T, start: int, stop: int) -> T:
        return self._wrap(self._table.slice_rows(start, stop))
