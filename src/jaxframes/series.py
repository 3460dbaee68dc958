"""Series: one named column with an index and an optional row mask. Thin, like DataFrame."""

from __future__ import annotations

from typing import Any, Hashable

import jax
import jax.numpy as jnp
import numpy as np
import pandas as pd

from jaxframes import column as colmod
from jaxframes import dtypes as jdt
from jaxframes import index as idxmod
from jaxframes.column import Column
from jaxframes.errors import ImmutableFrameError
from jaxframes.generic import RowContainer, reject_inplace
from jaxframes.index import AnyIndex, RangeIndex
from jaxframes.sharding import RowSharding


@jax.tree_util.register_pytree_node_class
class Series(RowContainer):
    """A named column. Construct it like pandas; a JAX array stays on device."""

    __slots__ = ("_column", "_index", "_row_mask", "_name", "_sharding")

    def __init__(self, data: Any = None, index: Any = None, dtype: Any = None, name: Hashable = None,
                 copy: bool | None = None, sharding: RowSharding | None = None):
        row_mask = None
        if isinstance(data, Series):
            col, idx, row_mask = data._column, data._index, data._row_mask
            name = data._name if name is None else name
            sharding = sharding or data._sharding
            if dtype is not None:
                col = colmod.astype(col, dtype)
            if index is not None:
                raise NotImplementedError("Series(series, index=...): reindexing is not supported yet")
        elif isinstance(data, (jax.Array, Column)):
            col = colmod.from_values(data, dtype)
            idx = RangeIndex(col.capacity) if index is None else idxmod.from_values(index, col.capacity)
        else:
            if isinstance(data, pd.Series) and index is None and dtype is None:
                pds = data
            else:
                pds = pd.Series(data, index=index, dtype=None if dtype is None else jdt.to_pandas(jdt.parse(dtype)))
            col = colmod.from_pandas_series(pds.reset_index(drop=True))
            idx = idxmod.from_pandas(pds.index)
            name = pds.name if name is None else name
        if sharding is not None:
            from jaxframes.frame import DataFrame
            frame = DataFrame._from_parts({0: col}, idx, row_mask)
            frame = DataFrame(frame, sharding=sharding)
            col, idx, row_mask = frame._columns[0], frame._index, frame._row_mask
        self._column, self._index, self._row_mask = col, idx, row_mask
        self._name, self._sharding = name, sharding

    @classmethod
    def _from_parts(cls, column: Column, index: AnyIndex, row_mask: Any = None, name: Hashable = None,
                    sharding: RowSharding | None = None) -> "Series":
        obj = object.__new__(cls)
        obj._column, obj._index, obj._row_mask = column, index, row_mask
        obj._name, obj._sharding = name, sharding
        return obj

    def _with_column(self, column: Column, name: Any = "keep") -> "Series":
        return Series._from_parts(column, self._index, self._row_mask,
                                  self._name if isinstance(name, str) and name == "keep" else name,
                                  self._sharding)

    # -- PyTree ---------------------------------------------------------------------------------
    def tree_flatten(self):
        return (self._column, self._index, self._row_mask), (self._name, self._sharding)

    @classmethod
    def tree_unflatten(cls, aux, children):
        column, index, mask = children
        return cls._from_parts(column, index, mask, *aux)

    # -- RowContainer hooks ---------------------------------------------------------------------
    def _arrays(self) -> list[Any]:
        return [self._column.data]

    def _gather_rows(self, indices, row_mask, index) -> "Series":
        col = self._column.take(indices)
        if self._sharding is not None:
            col = col.replace(data=self._sharding.place(col.data), validity=self._sharding.place(col.validity))
        return Series._from_parts(col, index, row_mask, self._name, self._sharding)

    def _replace_rows(self, row_mask, index=None) -> "Series":
        return Series._from_parts(self._column, index or self._index, row_mask, self._name, self._sharding)

    def _compact_exact(self) -> "Series":
        """Live rows only, capacity == row count, no mask (eager)."""
        if self._row_mask is None:
            return self
        frame = self._compact()
        n = frame._num_rows()
        if frame._capacity == n:
            return Series._from_parts(frame._column, frame._index, None, self._name, self._sharding)
        return frame._slice_rows_masked(n)

    def _slice_rows_masked(self, n: int) -> "Series":
        indices = jnp.arange(n)
        return Series._from_parts(self._column.take(indices), self._index.take(indices), None,
                                  self._name, None)

    # -- metadata -------------------------------------------------------------------------------
    @property
    def name(self) -> Hashable:
        return self._name

    @name.setter
    def name(self, value: Hashable) -> None:
        raise ImmutableFrameError("Series are immutable: use s = s.rename(name)")

    @property
    def dtype(self) -> Any:
        return jdt.to_pandas(self._column.dtype)

    @property
    def dtypes(self) -> Any:
        return self.dtype

    @property
    def shape(self) -> tuple[int]:
        return (self._num_rows(),)

    @property
    def ndim(self) -> int:
        return 1

    @property
    def size(self) -> int:
        return self._num_rows()

    @property
    def values(self) -> Any:
        return self.to_pandas().values

    @property
    def array(self) -> Any:
        return self.to_pandas().array

    @property
    def sharding(self) -> RowSharding | None:
        return self._sharding

    # -- selection ------------------------------------------------------------------------------
    def __getitem__(self, key: Any):
        from jaxframes.frame import _is_bool_array, _row_mask_from_key
        if isinstance(key, Series) or _is_bool_array(key):
            return self._and_mask(_row_mask_from_key(self, key))
        if isinstance(key, slice):
            return self.iloc[key]
        return self.loc[key]

    def __setitem__(self, key: Any, value: Any) -> None:
        raise ImmutableFrameError("Series are immutable: s[key] = value is not supported; use s.where/s.mask")

    def filter(self, items: Any = None, like: str | None = None, regex: str | None = None,
               axis: Any = None) -> "Series":
        """A boolean mask keeps rows; otherwise pandas' label filter on the index."""
        from jaxframes.frame import _is_bool_array, _row_mask_from_key
        if isinstance(items, Series) or _is_bool_array(items):
            return self._and_mask(_row_mask_from_key(self, items))
        positions = pd.Series(np.arange(self._num_rows()), index=self.index)
        kept = positions.filter(items=items, like=like, regex=regex, axis=axis).to_numpy()
        frame = self._compact()
        take = jnp.asarray(kept, dtype=jnp.int64)
        return frame._gather_rows(take, None, frame._index.take(take))

    @property
    def iloc(self):
        from jaxframes.indexing import ILocIndexer
        return ILocIndexer(self)

    @property
    def loc(self):
        from jaxframes.indexing import LocIndexer
        return LocIndexer(self)

    # -- transformations --------------------------------------------------------------------
    def astype(self, dtype: Any, copy: bool | None = None, errors: str = "raise") -> "Series":
        """Cast with pandas' casting rules."""
        if errors not in ("raise", "ignore"):
            raise ValueError("Expected value of kwarg 'errors' to be one of ['raise', 'ignore']. "
                             f"Supplied value is '{errors}'")
        try:
            col = colmod.astype(self._column, dtype)
        except (ValueError, TypeError):
            if errors == "ignore":
                return self
            raise
        if self._sharding is not None:
            col = col.replace(data=self._sharding.place(col.data), validity=self._sharding.place(col.validity))
        return self._with_column(col)

    def rename(self, index: Any = None, *, axis: Any = None, copy: bool | None = None,
               inplace: bool = False, level: Any = None, errors: str = "ignore") -> "Series":
        """A scalar renames the Series; mapping row labels is not supported yet."""
        reject_inplace(inplace, "rename")
        if index is None or np.ndim(index) == 0 and not callable(index) and not isinstance(index, dict):
            return self._with_column(self._column, name=index)
        raise NotImplementedError("Series.rename with a mapping or function (row labels) is not supported yet")

    def copy(self, deep: bool = True) -> "Series":
        return self._with_column(self._column)

    def collect(self) -> "Series":
        return self

    def to_frame(self, name: Hashable = None) -> Any:
        from jaxframes.frame import DataFrame
        key = self._name if name is None else name
        key = 0 if key is None else key
        return DataFrame._from_parts({key: self._column}, self._index, self._row_mask, self._sharding)

    # -- elementwise: operators, where/mask/clip/abs/round, missing values --------------------
    # -- reductions and cumulative operations, describe ---------------------------------------
    # -- transforms-related helpers (jit/vmap/grad) ----------------------------------------------

    # -- conversion -----------------------------------------------------------------------------
    def to_pandas(self) -> pd.Series:
        """A pandas Series of the live rows: same values, dtype, nulls, index and name."""
        live = self._live_host()
        return pd.Series(self._column.to_host(live), index=self._index.to_pandas(live), name=self._name,
                         copy=False)

    def to_numpy(self, dtype: Any = None, copy: bool = False, na_value: Any = None) -> np.ndarray:
        kwargs = {} if na_value is None else {"na_value": na_value}
        return self.to_pandas().to_numpy(dtype=dtype, **kwargs)

    def to_jax(self) -> jax.Array:
        """The live values as a device array (dictionary codes for strings)."""
        compact = self._compact_exact()
        return compact._column.data

    def tolist(self) -> list:
        return self.to_pandas().tolist()

    to_list = tolist

    def to_dict(self, into: type = dict) -> dict:
        return self.to_pandas().to_dict(into=into)

    def __iter__(self):
        return iter(self.tolist())

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        return self.to_numpy(dtype=dtype)

    def __repr__(self) -> str:
        if self._traced():
            return f"<jaxframes.Series (traced) name={self._name!r} dtype={self._column.dtype}>"
        n = self._num_rows()
        limit = pd.get_option("display.max_rows")
        if n <= limit:
            return repr(self.to_pandas())
        half = limit // 2 + 1
        small = pd.concat([self.head(half).to_pandas(), self.tail(half).to_pandas()])
        text = repr(small)
        return text.replace(f"Length: {len(small)}", f"Length: {n}")

    def equals(self, other: Any) -> bool:
        """True when dtypes, labels and values (NaN equal to NaN) match, as in pandas."""
        if not isinstance(other, Series):
            return False
        return self.to_pandas().equals(other.to_pandas())

    def __bool__(self) -> bool:
        raise ValueError("The truth value of a Series is ambiguous. Use a.empty, a.bool(), a.item(), "
                         "a.any() or a.all().")

    def item(self) -> Any:
        return self.to_pandas().item()

