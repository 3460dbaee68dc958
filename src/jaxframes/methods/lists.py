"""Series methods of list columns: the ``.list`` accessor (accessors/lists.py)."""

from __future__ import annotations

from typing import Any

from jaxframes.accessors.lists import ListAccessor


class SeriesListMethods:
    """``s.list`` on a Series of ``pd.ArrowDtype(list<T>)``: len, [i], [a:b], flatten."""

    __slots__ = ()

    @property
    def list(self) -> Any:
        """List methods (``s.list.len()``, ``s.list[0]``, ``s.list.flatten()``), as pandas'
        accessor for Arrow lists; an object column of lists takes ``s.str`` instead."""
        return ListAccessor(self)
