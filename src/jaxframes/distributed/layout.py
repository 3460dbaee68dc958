"""A table as a flat tuple of row-aligned arrays plus a static layout, and back.

``shard_map`` takes and returns arrays split over the rows; a Table also holds static parts
(names, dtypes, string dictionaries, the index kind). ``Layout`` keeps those; ``flatten`` gives
the arrays (data, then validity where present, per column, then the index columns) and
``Layout.build`` puts a table back together from arrays of any (equal) length. A RangeIndex
becomes an explicit int64 label column (``positions``): after a shuffle the rows are no longer
a range.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Hashable, Sequence

import jax

from jaxframes.column import Column
from jaxframes.index import Index, MultiIndex, RangeIndex
from jaxframes.sharding import RowSharding
from jaxframes.table import Table


@dataclass(frozen=True, eq=False)
class Layout:
    columns: tuple[tuple[Hashable, Column], ...]   # name, template (dtype, dictionary)
    index: tuple[Column, ...]                      # index column templates ((): RangeIndex)
    index_names: tuple[Hashable, ...]
    multi: bool
    range_name: Hashable = None

    def key(self) -> tuple:
        """Hashable: what a compiled program depends on (dtypes, validity, dictionaries)."""
        def sig(col: Column) -> tuple:
            return (str(col.dtype), col.validity is None, id(col.dictionary), str(col.data.dtype))
        return (tuple((repr(n), sig(c)) for n, c in self.columns), tuple(sig(c) for c in self.index),
                repr(self.index_names), self.multi, repr(self.range_name))

    def build_columns(self, arrays: Sequence[jax.Array]) -> dict[Hashable, Column]:
        """The columns alone (the arrays of the columns, without index arrays)."""
        it = iter(arrays)
        return {name: t.replace(data=next(it), validity=None if t.validity is None else next(it))
                for name, t in self.columns}

    def build(self, arrays: Sequence[jax.Array], mask: Any, sharding: RowSharding | None,
              positions: jax.Array | None = None) -> Table:
        it = iter(arrays)

        def column(template: Column) -> Column:
            data = next(it)
            validity = None if template.validity is None else next(it)
            return template.replace(data=data, validity=validity)

        columns = {name: column(t) for name, t in self.columns}
        if not self.index:
            index = Index(Column(positions), self.range_name)
        elif self.multi:
            index = MultiIndex(tuple(column(t) for t in self.index), self.index_names)
        else:
            index = Index(column(self.index[0]), self.index_names[0])
        return Table(columns, index, mask, sharding)


def flatten(table: Table, keep_range: bool = False, lists: bool = False) -> tuple[list[jax.Array], Layout]:
    """The table's row-aligned arrays and its layout. A RangeIndex is dropped (rebuilt from
    ``positions``) unless ``keep_range``, which materializes its labels. ``lists``: a list
    column gives its (rows, 2) [start, length] pairs and its template keeps the child (for a
    caller that moves whole rows and keeps the starts valid: concat)."""
    arrays: list[jax.Array] = []

    def add(col: Column) -> Column:
        if col.dtype.kind == "L" and not lists:  # its child is not row-aligned: the exchange would scatter it
            raise NotImplementedError("a list column in a row-sharded sort, join or group-by exchange")
        arrays.append(col.data)
        if col.validity is not None:
            arrays.append(col.validity)
        return col

    columns = tuple((name, add(col)) for name, col in table.columns.items())
    index = table.index
    if isinstance(index, RangeIndex) and not keep_range:
        return arrays, Layout(columns, (), (), False, index.name)
    if isinstance(index, MultiIndex):
        return arrays, Layout(columns, tuple(add(c) for c in index.columns), tuple(index.names), True)
    return arrays, Layout(columns, (add(index.labels()),), (index.name,), False)
