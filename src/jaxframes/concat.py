"""pandas.concat for DataFrames and Series.

axis=0 stacks the physical rows (row masks are stacked too, so filtered inputs need no
compaction and it works inside jit; eagerly the result is padded to its capacity bucket);
columns are unioned (join='outer', order of appearance) or intersected (join='inner'). A column's dtype is pandas' common type of its parts; a part
that lacks the column contributes nulls, which turns numpy ints into float64 (bools would
become object: NotImplementedError). String dictionaries are unified and codes remapped.
Row-sharded inputs (one sharding over several devices) are concatenated by
distributed/concat.py: every input's rows (eagerly cut to its live rows) go to their place in
an ordered row-sharded result through a few collective-permute rounds (no row-sized
all-gather); list columns too (their [start, length] pairs move with the rows, the stacked
child stays replicated).
axis=1 puts columns side by side when every input has the same row layout; pandas' label
alignment of different indexes is not implemented.
"""

from __future__ import annotations

from typing import Any, Hashable

import jax.numpy as jnp
import numpy as np

from jaxframes import dtypes as jdt
from jaxframes.axes import axis_number
from jaxframes.column import Column
from jaxframes.dictionary import unify
from jaxframes.distributed.concat import concat_rows
from jaxframes.distributed.layout import flatten
from jaxframes.distributed.sample_sort import is_distributed
from jaxframes.facts import any_live
from jaxframes.table import Table, is_container, is_series, is_traced, new_frame, new_series
from jaxframes.index import Index, MultiIndex, RangeIndex
from jaxframes.joins.assemble import common_dtype
from jaxframes.ops.lists import list_parts, stack_lists
from jaxframes.joins.assemble import _cast as cast_column
from jaxframes.sharding import data_capacity


def concat(objs: Any, axis: Any = 0, join: str = "outer", ignore_index: bool = False, keys: Any = None,
           levels: Any = None, names: Any = None, verify_integrity: bool = False, sort: bool = False,
           copy: Any = None) -> Any:
    """Concatenate frames or Series along rows (axis=0) or columns (axis=1)."""
    if isinstance(objs, dict):
        raise NotImplementedError("concat of a dict (keys become a MultiIndex level)")
    if is_container(objs):
        raise TypeError("first argument must be an iterable of pandas objects, you passed an object "
                        f"of type \"{type(objs).__name__}\"")
    objs = [o for o in objs if o is not None]
    if not objs:
        raise ValueError("No objects to concatenate")
    if keys is not None or levels is not None or names is not None:
        raise NotImplementedError("concat(keys=/levels=/names=): MultiIndex results are not supported")
    if verify_integrity or sort:
        raise NotImplementedError("concat(verify_integrity=True / sort=True)")
    if join not in ("outer", "inner"):
        raise ValueError("Only can inner (intersect) or outer (union) join the other axis")
    for o in objs:
        if not is_container(o):
            raise TypeError(f"cannot concatenate object of type '{type(o)}'; only Series and DataFrame objs are valid")
    if axis_number(axis, default=None) == 1:
        return _concat_columns(objs, ignore_index)
    if all(is_series(o) for o in objs):
        return _concat_series_rows(objs, ignore_index)
    if any(is_series(o) for o in objs):
        raise NotImplementedError("concat of DataFrames with Series along rows (Series become column 0)")
    return _concat_frame_rows(objs, join, ignore_index)


def _stack(parts: list[Column | None], lengths: list[int], pad: int = 0) -> Column:
    """One column from per-input parts (None: the input lacks the column -> nulls), then ``pad``
    padding rows (masked out by the caller)."""
    if any(p is not None and p.dtype.kind == "L" for p in parts):
        return stack_lists(parts, lengths, pad, _stack)
    filled = _unified(parts, lengths)
    target = filled[0].dtype
    padding = [jnp.zeros(pad, target.storage)] if pad else []
    data = jnp.concatenate([c.data for c in filled] + padding)
    if any(c.validity is not None for c in filled):
        validity = jnp.concatenate([c.not_null() for c in filled] + ([jnp.zeros(pad, bool)] if pad else []))
    else:
        validity = None
    return Column(data, validity, target, filled[0].dictionary)


def _unified(parts: list[Column | None], lengths: list[int]) -> list[Column]:
    """Per input, its part in the common dtype (pandas' common type; nulls where the input lacks
    the column; one string dictionary); every part has a validity mask if any needs one."""
    if any(p is not None and p.dtype.kind == "L" for p in parts):  # (the row-sharded path)
        return list_parts(parts, lengths, _stack)
    present = [p for p in parts if p is not None]
    target = present[0].dtype
    for p in present[1:]:
        target = common_dtype(target, p.dtype)
    if len(present) != len(parts):
        if target.kind == "b" and not target.masked:
            raise NotImplementedError("a bool column missing from some inputs becomes object dtype in pandas")
        if target.kind == "i" and not target.masked:
            target = jdt.FLOAT64
    if target.kind == "U":
        present = _unify_dictionaries([p.replace(dtype=target) for p in present])
    else:
        present = [cast_column(p, target) for p in present]
    it = iter(present)
    filled = [next(it) if p is not None else _nulls(target, n, present[0]) for p, n in zip(parts, lengths)]
    filled = [c.replace(data=c.data.astype(target.storage)) for c in filled]
    if target.has_validity or any(c.validity is not None for c in filled):
        filled = [c if c.validity is not None else c.replace(validity=c.not_null()) for c in filled]
    return filled


def _nulls(dtype: jdt.DType, n: int, like: Column) -> Column:
    if dtype.kind == "f" and not dtype.masked:
        return Column(jnp.full(n, np.nan, dtype.storage), None, dtype)
    return Column(jnp.zeros(n, dtype.storage), jnp.zeros(n, bool), dtype, like.dictionary)


def _unify_dictionaries(cols: list[Column]) -> list[Column]:
    merged = cols[0].dictionary
    for c in cols[1:]:
        merged, _, _ = unify(merged, c.dictionary)
    out = []
    for c in cols:
        if c.dictionary != merged:
            _, remap, _ = unify(c.dictionary, merged)
            c = c.replace(data=jnp.asarray(remap)[c.data] if len(remap) else jnp.zeros_like(c.data))
        out.append(c.replace(dictionary=merged))
    return out


def _padding(objs: list) -> int:
    """Rows that bring the stacked capacity up to its bucket (eager, unsharded inputs), so that
    what follows a concat of similar sizes reuses compiled kernels."""
    total = sum(o._capacity for o in objs)
    if any(o._sharding is not None for o in objs) or is_traced(*[a for o in objs for a in o._arrays()]):
        return 0
    return max(data_capacity(total) - total, 0)


def _row_mask(objs: list, pad: int = 0) -> Any:
    if all(o._row_mask is None for o in objs) and not pad:
        return None
    return jnp.concatenate([o._live() for o in objs] + ([jnp.zeros(pad, bool)] if pad else []))


def _index_levels(objs: list) -> tuple[list[list[Column]], list[Hashable], bool]:
    """(per index level, each input's label column; level names; whether a MultiIndex)."""
    if any(isinstance(o._index, MultiIndex) for o in objs):
        depth = {o._index.nlevels if isinstance(o._index, MultiIndex) else 1 for o in objs}
        if len(depth) != 1:
            raise NotImplementedError("concat of rows with MultiIndexes of different depths (pandas gives tuples)")
        levels, names = [], []
        for i in range(depth.pop()):
            levels.append([o._index.columns[i] for o in objs])
            level_names = {o._index.names[i] for o in objs}
            names.append(level_names.pop() if len(level_names) == 1 else None)
        return levels, names, True
    names = {o._index.name for o in objs}
    return [[o._index.labels() for o in objs]], [names.pop() if len(names) == 1 else None], False


def _index(objs: list, ignore_index: bool, mask: Any, pad: int = 0):
    total = sum(o._capacity for o in objs) + pad
    if ignore_index:
        return RangeIndex(total)
    levels, names, multi = _index_levels(objs)
    cols = [_stack(parts, [o._capacity for o in objs], pad) for parts in levels]
    if multi:
        return MultiIndex(tuple(cols), tuple(names))
    return Index(cols[0], names[0])


def _finish(result: Any, ignore_index: bool, objs: list) -> Any:
    """ignore_index with row masks: live rows to the front, then a RangeIndex labels them 0..n-1
    (the bucket's padding alone is already at the end)."""
    if not ignore_index or all(o._row_mask is None for o in objs):
        return result
    compacted = result._compact()
    return compacted._replace_rows(compacted._row_mask, RangeIndex(compacted._capacity))


def _sharded(objs: list) -> Any:
    """The row sharding every input shares when the distributed concat applies, else None."""
    sharding = objs[0]._sharding
    if is_distributed(sharding) and all(o._sharding == sharding for o in objs) and len(objs) > 1:
        return sharding
    return None


def _concat_distributed(objs: list, columns: dict[Hashable, list[Column | None]], ignore_index: bool,
                        sharding: Any) -> Table:
    """Row-sharded inputs: per input, its unified columns and index labels; the live rows
    concatenated and rebalanced by one exchange (distributed/concat.py), row-sharded."""
    lengths = [o._capacity for o in objs]
    cols = {n: _unified(parts, lengths) for n, parts in columns.items()}
    if ignore_index:
        index_parts: list = [RangeIndex(n) for n in lengths]
    else:
        levels, level_names, multi = _index_levels(objs)
        unified = [_unified(parts, lengths) for parts in levels]
        index_parts = [MultiIndex(tuple(lv[i] for lv in unified), tuple(level_names)) if multi
                       else Index(unified[0][i], level_names[0]) for i in range(len(objs))]
    tables = [Table({n: c[i] for n, c in cols.items()}, index_parts[i], None, None) for i in range(len(objs))]
    flat = [flatten(t, lists=True) for t in tables]
    arrays, mask, positions = concat_rows([f[0] for f in flat], [o._live() for o in objs], sharding)
    return flat[0][1].build(arrays, mask, sharding, positions)


def _concat_frame_rows(objs: list, join: str, ignore_index: bool) -> Any:
    names: list[Hashable] = []
    for o in objs:
        names.extend(n for n in o._columns if n not in names)
    if join == "inner":
        names = [n for n in names if all(n in o._columns for o in objs)]
    for name in names:
        _check_list_missing(name, objs)
    sharding = _sharded(objs)
    if sharding is not None:
        table = _concat_distributed(objs, {n: [o._columns.get(n) for o in objs] for n in names}, ignore_index,
                                    sharding)
        return new_frame(table.columns, table.index, table.row_mask, sharding)
    lengths = [o._capacity for o in objs]
    pad = _padding(objs)
    cols = {n: _stack([o._columns.get(n) for o in objs], lengths, pad) for n in names}
    mask = _row_mask(objs, pad)
    result = new_frame(cols, _index(objs, ignore_index, mask, pad), mask)
    return _finish(result, ignore_index, objs)


def _check_list_missing(name: Hashable, objs: list) -> None:
    """A list column of objects absent from some inputs: pandas fills the absent rows with NaN
    and keeps another input's missing lists as they were (None, pd.NA). A list column has one
    missing-value marker, so such a mix raises (a live missing row decides; inside jit, where
    it cannot be seen, it raises)."""
    parts = [o._columns.get(name) for o in objs]
    present = [(p, o) for p, o in zip(parts, objs) if p is not None]
    if len(present) == len(parts) or present[0][0].dtype.kind != "L" or present[0][0].dtype.arrow_type is not None:
        return
    for col, obj in present:
        if col.dtype.missing != "nan" and col.validity is not None and any_live(
                "concat: a missing list beside an absent list column", ~col.validity, obj._live(), in_jit=True):
            marker = {"none": "None", "na": "pd.NA"}.get(col.dtype.missing, col.dtype.missing)
            raise NotImplementedError(
                f"concat of list column {name!r}, absent from some inputs, while an input holds a missing "
                f"list ({marker}): pandas gives NaN for the absent rows and keeps {marker}; a list column "
                "has one missing-value marker")


def _concat_series_rows(objs: list, ignore_index: bool) -> Any:
    sharding = _sharded(objs)
    if sharding is not None:
        names = {o.name for o in objs}
        table = _concat_distributed(objs, {0: [o._column for o in objs]}, ignore_index, sharding)
        return new_series(table.columns[0], table.index, table.row_mask, names.pop() if len(names) == 1 else None,
                          sharding)
    pad = _padding(objs)
    col = _stack([o._column for o in objs], [o._capacity for o in objs], pad)
    names = {o.name for o in objs}
    mask = _row_mask(objs, pad)
    result = new_series(col, _index(objs, ignore_index, mask, pad), mask, names.pop() if len(names) == 1 else None)
    return _finish(result, ignore_index, objs)


def _concat_columns(objs: list, ignore_index: bool) -> Any:
    base = objs[0]
    for o in objs[1:]:
        if not _same_rows(base, o):
            raise NotImplementedError("concat(axis=1) of inputs with different indexes or row masks "
                                      "needs label alignment, which is not supported yet")
    cols: dict[Hashable, Column] = {}
    unnamed = 0
    for o in objs:
        if is_series(o):
            name = o.name
            if name is None:
                name, unnamed = unnamed, unnamed + 1
            pairs = [(name, o._column)]
        else:
            pairs = list(o._columns.items())
        for name, col in pairs:
            if name in cols:
                raise NotImplementedError("duplicate column names are not supported")
            cols[name] = col
    if ignore_index:
        cols = {i: c for i, c in enumerate(cols.values())}
    return new_frame(cols, base._index, base._row_mask, base._sharding)


def _same_rows(a: Any, b: Any) -> bool:
    if a._capacity != b._capacity:
        return False
    same_mask = a._row_mask is b._row_mask
    if not same_mask:
        if is_traced(a._row_mask, b._row_mask):
            return False
        same_mask = bool(jnp.all(a._live() == b._live()))
    if not same_mask:
        return False
    if a._index.same_labels(b._index):
        return True
    if is_traced(*a._arrays(), *b._arrays()):
        return False
    return a.index.equals(b.index)
