"""Index and shape: set_index, reset_index, reindex, align, xs, transpose, take, at/iat, insert/pop, iteration."""

from __future__ import annotations

from typing import Any, Hashable

from jaxframes.indexing import xs
from jaxframes.ops import align as al
from jaxframes.ops import shape as sh
from jaxframes.reshape import stack as st
from jaxframes.reshape import set_index as six

_NO_DEFAULT = object()


class _PositionalMethods:
    """squeeze, take, truncate, at, iat, reindex_like, align and xs: the same delegation for frames
    and Series (the operation modules tell the two apart)."""

    __slots__ = ()

    def squeeze(self, axis: Any = None) -> Any:
        """Length-1 axes collapse: one column to a Series, one row to a row Series, 1x1 (or a
        length-1 Series) to a scalar."""
        return sh.squeeze(self, axis)

    def take(self, indices: Any, axis: Any = 0, **kwargs: Any) -> Any:
        """Rows (or a frame's columns, axis=1) at positions; negatives count from the end."""
        return sh.take(self, indices, axis)

    def truncate(self, before: Any = None, after: Any = None, axis: Any = None, copy: Any = None) -> Any:
        """Rows labelled between ``before`` and ``after`` (inclusive) of a sorted index."""
        return sh.truncate(self, before, after, axis)

    @property
    def at(self) -> Any:
        """One value by label (a frame: row label, column); read-only (assignment raises
        ImmutableFrameError)."""
        return sh.AtIndexer(self)

    @property
    def iat(self) -> Any:
        """One value by position (a frame: row position, column position); read-only."""
        return sh.IAtIndexer(self)

    def reindex_like(self, other: Any, method: Any = None, copy: Any = None, limit: Any = None,
                     tolerance: Any = None) -> Any:
        """Conformed to ``other``'s index (and, for frames, its columns)."""
        return al.reindex_like(self, other, method, limit, tolerance)

    def align(self, other: Any, join: str = "outer", axis: Any = None, level: Any = None, copy: Any = None,
              fill_value: Any = None) -> tuple:
        """(self, other) on the joined labels (outer/inner/left/right) of the rows (and, for
        frames, the columns)."""
        return al.align(self, other, join, axis, level, fill_value)

    def xs(self, key: Any, axis: Any = 0, level: Any = None, drop_level: bool = True) -> Any:
        """Cross-section: the rows labelled ``key`` (on ``level``), matched levels dropped."""
        return xs(self, key, axis, level, drop_level)


class FrameReindexingMethods(_PositionalMethods):
    """DataFrame methods: Index and shape: set_index, reset_index, reindex, align, xs, transpose, take, at/iat, insert/pop, iteration."""

    __slots__ = ()

    # -- labels <-> columns ----------------------------------------------------------------------
    def set_index(self, keys: Any, *, drop: bool = True, append: bool = False, inplace: bool = False,
                  verify_integrity: bool = False) -> Any:
        """Columns (by label) or arrays (by position) become the row labels; several keys make a
        MultiIndex held as label columns. No data moves and the row mask is kept."""
        return six.set_index(self, keys, drop, append, inplace, verify_integrity)

    def reset_index(self, level: Any = None, *, drop: bool = False, inplace: bool = False, col_level: Any = 0,
                    col_fill: Any = "", allow_duplicates: bool = False, names: Any = None) -> Any:
        """Index levels (all, or ``level``) become leading columns; the rows get 0..n-1 labels
        unless some levels remain."""
        return six.reset_index(self, level, drop, inplace, col_level, col_fill, allow_duplicates, names)

    def rename_axis(self, mapper: Any = _NO_DEFAULT, *, index: Any = _NO_DEFAULT, columns: Any = _NO_DEFAULT,
                    axis: Any = 0, copy: Any = None, inplace: bool = False) -> Any:
        """Set the names of the row index levels (or of the column axis)."""
        return six.rename_axis(self, mapper, index, columns, axis, inplace, _NO_DEFAULT)

    def droplevel(self, level: Any, axis: Any = 0) -> Any:
        """The rows without the given index level(s)."""
        return six.droplevel(self, level, axis)

    def swaplevel(self, i: Any = -2, j: Any = -1, axis: Any = 0) -> Any:
        """Swap two levels of the row MultiIndex."""
        return six.swaplevel(self, i, j, axis)

    def reorder_levels(self, order: Any, axis: Any = 0) -> Any:
        """Reorder the levels of the row MultiIndex."""
        return six.reorder_levels(self, order, axis)

    # -- conforming to other labels (ops/align.py) ---------------------------------------------------
    def reindex(self, labels: Any = None, *, index: Any = None, columns: Any = None, axis: Any = None,
                method: Any = None, copy: Any = None, level: Any = None, fill_value: Any = None,
                limit: Any = None, tolerance: Any = None) -> Any:
        """Rows (and/or columns) conformed to new labels; labels without a row give NaN (or
        ``fill_value``). pandas' Index.reindex decides the rows (method=, limit=, tolerance=)."""
        return al.reindex(self, labels, index, columns, axis, method, level, fill_value, limit, tolerance)

    # -- MultiIndex selection and reshaping -----------------------------------------------------------
    def stack(self, level: Any = -1, dropna: Any = None, sort: Any = None, future_stack: bool = True) -> Any:
        """A Series with the column labels as a new innermost row level (pandas 3's stack)."""
        return st.stack(self, level, dropna, sort, future_stack)

    def unstack(self, level: Any = -1, fill_value: Any = None, sort: bool = True) -> Any:
        """A flat index: a Series over (column, row). A MultiIndex: NotImplementedError (the result
        would need MultiIndex columns; unstack one column instead)."""
        return st.frame_unstack(self, level, fill_value, sort)

    # -- shape and position (ops/shape.py) -----------------------------------------------------------
    @property
    def T(self) -> Any:
        """The transpose: rows become columns (one common dtype; object results are refused)."""
        return sh.transpose(self)

    def transpose(self, *args: Any, copy: Any = None) -> Any:
        """The transpose (see ``T``)."""
        return sh.transpose(self)

    def get(self, key: Any, default: Any = None) -> Any:
        """The column(s) ``key``, or ``default`` when absent."""
        return sh.get(self, key, default)

    @property
    def axes(self) -> list:
        """[row labels, column labels] (a host transfer of the row labels)."""
        return [self.index, self.columns]

    def iterrows(self):
        """(label, row) pairs; each row is a pandas Series of host values (a row mixes dtypes, which
        a JaxFrames Series cannot hold). Converts the frame to the host once."""
        return self.to_pandas().iterrows()

    def itertuples(self, index: bool = True, name: Any = "Pandas"):
        """Rows as namedtuples of host values (the frame is converted to the host once)."""
        return self.to_pandas().itertuples(index=index, name=name)

    def insert(self, loc: Any, column: Hashable, value: Any, allow_duplicates: Any = False) -> None:
        """Raises ImmutableFrameError: pandas inserts in place; use ``assign`` (and reorder)."""
        sh.refuse_insert(self, loc, column, value, allow_duplicates)

    def pop(self, item: Hashable) -> None:
        """Raises ImmutableFrameError: pandas removes in place; use ``df[item]`` and ``drop``."""
        sh.refuse_pop(self, item)

    def isetitem(self, loc: Any, value: Any) -> None:
        """Raises ImmutableFrameError: pandas sets in place; use ``assign``."""
        sh.refuse_isetitem(self, loc, value)


class SeriesReindexingMethods(_PositionalMethods):
    """Series methods: Index and shape: set_index, reset_index, reindex, align, xs, transpose, take, at/iat, insert/pop, iteration."""

    __slots__ = ()

    def reset_index(self, level: Any = None, *, drop: bool = False, name: Any = _NO_DEFAULT, inplace: bool = False,
                    allow_duplicates: bool = False) -> Any:
        """drop=True: the Series relabelled 0..n-1; else a DataFrame of the index level(s) and values."""
        return six.series_reset_index(self, level, drop, None if name is _NO_DEFAULT else name, inplace,
                                      allow_duplicates, name_given=name is not _NO_DEFAULT)

    def rename_axis(self, mapper: Any = _NO_DEFAULT, *, index: Any = _NO_DEFAULT, axis: Any = 0, copy: Any = None,
                    inplace: bool = False) -> Any:
        """Set the names of the index levels."""
        return six.rename_axis(self, mapper, index, _NO_DEFAULT, axis, inplace, _NO_DEFAULT)

    def droplevel(self, level: Any, axis: Any = 0) -> Any:
        """The Series without the given index level(s)."""
        return six.droplevel(self, level, axis)

    def swaplevel(self, i: Any = -2, j: Any = -1) -> Any:
        """Swap two levels of the MultiIndex."""
        return six.swaplevel(self, i, j)

    def reorder_levels(self, order: Any) -> Any:
        """Reorder the levels of the MultiIndex."""
        return six.reorder_levels(self, order)

    # -- conforming to other labels (ops/align.py) ---------------------------------------------------
    def reindex(self, index: Any = None, *, axis: Any = None, method: Any = None, copy: Any = None,
                level: Any = None, fill_value: Any = None, limit: Any = None, tolerance: Any = None) -> Any:
        """Rows conformed to new labels; labels without a row give NaN (or ``fill_value``)."""
        return al.reindex(self, None, index, None, axis, method, level, fill_value, limit, tolerance)

    # -- MultiIndex selection and reshaping -----------------------------------------------------------
    def unstack(self, level: Any = -1, fill_value: Any = None, sort: bool = True) -> Any:
        """A level of the MultiIndex spread into columns (missing pairs NaN or ``fill_value``)."""
        return st.unstack(self, level, fill_value, sort)

    # -- shape and position (ops/shape.py) -----------------------------------------------------------
    @property
    def T(self) -> Any:
        """A Series is its own transpose."""
        return self

    def transpose(self, *args: Any, **kwargs: Any) -> Any:
        return self

    def get(self, key: Any, default: Any = None) -> Any:
        """The value(s) at label ``key``, or ``default`` when absent."""
        return sh.get(self, key, default)

    @property
    def axes(self) -> list:
        return [self.index]

    def keys(self) -> Any:
        """The index (pandas' alias)."""
        return self.index

    def items(self):
        """(label, value) pairs of host values."""
        return zip(iter(self.index), iter(self))

    def drop(self, labels: Any = None, *, axis: Any = 0, index: Any = None, columns: Any = None, level: Any = None,
             inplace: bool = False, errors: str = "raise") -> Any:
        """Rows by label (``level=`` on a MultiIndex)."""
        return sh.series_drop(self, labels, axis, index, columns, level, inplace, errors)

    def pop(self, item: Hashable) -> None:
        """Raises ImmutableFrameError: pandas removes the label in place; use ``s[item]`` and ``drop``."""
        sh.refuse_series_pop(self, item)
