"""pandas.merge semantics on top of the sort-merge indexers.

Argument checks and errors follow pandas (MergeError, KeyError, ValueError). Result layout:
the left columns, then the right ones (a right key with the same name as its left key is
dropped and coalesced into the left one), overlapping names suffixed, an optional ``_merge``
categorical last. The index is a RangeIndex, or the index labels taken with the indexers when
``left_index``/``right_index`` ask for it.
"""

from __future__ import annotations

from typing import Any, Hashable

import jax.numpy as jnp
import numpy as np
from pandas.errors import MergeError

from jaxframes.column import Column
from jaxframes.distributed import join as distributed_join
from jaxframes.distributed.sample_sort import is_distributed
from jaxframes.table import SPARSE_MIN_SLOTS, is_frame, is_series, is_traced, new_frame
from jaxframes.index import Index, MultiIndex, RangeIndex
from jaxframes.joins.assemble import coalesce, indicator_column, take_fill, take_fill_many
from jaxframes.joins.indexers import has_duplicates, join_indexers, matched_rows
from jaxframes.joins.keys import key_words, raw_words, unify_pair

HOWS = ("inner", "left", "right", "outer", "cross")
#: merge: a side at least this many times the other's capacity (and SPARSE_MIN_SLOTS slots) is
#: first narrowed to its rows whose key the other side has, when its unmatched rows cannot appear
_SMALL_SIDE = 16
VALIDATE = {"1:1": (True, True), "one_to_one": (True, True), "1:m": (True, False),
            "one_to_many": (True, False), "m:1": (False, True), "many_to_one": (False, True),
            "m:m": (False, False), "many_to_many": (False, False)}


def _as_frame(obj: Any, side: str):
    if is_frame(obj):
        return obj
    if is_series(obj):
        if obj.name is None:
            raise ValueError("Cannot merge a Series without a name")
        return obj.to_frame()
    raise TypeError(f"Can only merge Series or DataFrame objects, a {type(obj)} was passed")


def _labels(seq: Any) -> list | None:
    if seq is None:
        return None
    if isinstance(seq, (list, tuple, np.ndarray)):
        return list(seq)
    return [seq]


def _resolve_keys(left, right, how, on, left_on, right_on, left_index, right_index):
    """(left key names or None for the index, right key names or None)."""
    if how == "cross":
        if on is not None or left_on is not None or right_on is not None or left_index or right_index:
            raise MergeError("Can not pass on, right_on, left_on or set right_index=True or left_index=True")
        return [], []
    on, left_on, right_on = _labels(on), _labels(left_on), _labels(right_on)
    if on is not None and (left_on is not None or right_on is not None):
        raise MergeError('Can only pass argument "on" OR "left_on" and "right_on", not a combination of both.')
    if on is not None and (left_index or right_index):
        raise MergeError('Can only pass argument "on" OR "left_index" and "right_index", not a combination of both.')
    if left_index and left_on is not None:
        raise MergeError('Can only pass argument "left_on" OR "left_index" not both.')
    if right_index and right_on is not None:
        raise MergeError('Can only pass argument "right_on" OR "right_index" not both.')
    if on is None and left_on is None and right_on is None:
        if left_index and right_index:
            return None, None
        if left_index:
            raise MergeError('Must pass "right_on" OR "right_index".')
        if right_index:
            raise MergeError('Must pass "left_on" OR "left_index".')
        on = [c for c in left._columns if c in right._columns]
        if not on:
            raise MergeError(f"No common columns to perform merge on. Merge options: left_on={left_on}, "
                             f"right_on={right_on}, left_index={left_index}, right_index={right_index}")
    if on is not None:
        left_on = right_on = on
    if left_on is not None and right_on is None and not right_index:
        raise MergeError('Must pass "right_on" OR "right_index".')
    if right_on is not None and left_on is None and not left_index:
        raise MergeError('Must pass "left_on" OR "left_index".')
    lkeys, rkeys = (None if left_index else left_on), (None if right_index else right_on)
    n_l = 1 if lkeys is None else len(lkeys)
    n_r = 1 if rkeys is None else len(rkeys)
    if n_l != n_r:
        raise ValueError("len(right_on) must equal len(left_on)")
    for frame, keys in ((left, lkeys), (right, rkeys)):
        for k in keys or []:
            if k not in frame._columns:
                raise KeyError(k)
    return lkeys, rkeys


def _index_column(frame) -> Column:
    if isinstance(frame._index, MultiIndex):
        raise NotImplementedError("merge on a MultiIndex (reset_index first)")
    return frame._index.labels()


def _suffixed(left_names: list, right_names: list, suffixes: Any) -> tuple[list, list]:
    if not isinstance(suffixes, (list, tuple)) or len(suffixes) != 2:
        raise TypeError(f"Passing 'suffixes' as a {type(suffixes)}, is not supported. "
                        "Provide 'suffixes' as a tuple instead.")
    lsuf, rsuf = suffixes
    overlap = [n for n in left_names if n in set(right_names)]
    if overlap and not lsuf and not rsuf:
        raise ValueError(f"columns overlap but no suffix specified: {overlap}")
    ren_l = [f"{n}{lsuf}" if n in overlap and lsuf is not None else n for n in left_names]
    ren_r = [f"{n}{rsuf}" if n in overlap and rsuf is not None else n for n in right_names]
    names = ren_l + ren_r
    if len(set(names)) != len(names):
        dups = sorted({str(n) for n in names if names.count(n) > 1})
        raise MergeError(f"Passing 'suffixes' which cause duplicate columns {dups} is not allowed.")
    return ren_l, ren_r


def merge(left: Any, right: Any, how: str = "inner", on: Any = None, left_on: Any = None,
          right_on: Any = None, left_index: bool = False, right_index: bool = False, sort: bool = False,
          suffixes: Any = ("_x", "_y"), copy: Any = None, indicator: bool | str = False,
          validate: str | None = None, capacity: int | None = None):
    """Database-style join of two frames (pandas.merge). Inside jax.jit pass ``capacity=``."""
    left, right = _as_frame(left, "left"), _as_frame(right, "right")
    if how not in HOWS:
        raise ValueError(f"'{how}' is not a valid Merge type: left, right, inner, outer, left_anti, "
                         "right_anti, cross, asof")
    if validate is not None and validate not in VALIDATE:
        raise ValueError(f'"{validate}" is not a valid argument. Valid arguments are:\n'
                         + "\n".join(f'- "{v}"' for v in VALIDATE))
    lkeys, rkeys = _resolve_keys(left, right, how, on, left_on, right_on, left_index, right_index)
    ind_name = None
    if indicator:
        ind_name = "_merge" if indicator is True else indicator
        if not isinstance(ind_name, str):
            raise ValueError("indicator option can only accept boolean or string arguments")
        if ind_name in left._columns or ind_name in right._columns:
            raise ValueError(f"Cannot use `indicator=True` option when data contains a column named {ind_name}")
    distributed = is_distributed(left._sharding) or is_distributed(right._sharding)
    if not distributed:
        # a selective filter before the join: key words, sorts and gathers over the live rows only
        left, right = left._compacted_if_sparse(), right._compacted_if_sparse()
    live_l, live_r = left._live(), right._live()
    lcols = [_index_column(left)] if lkeys is None else [left._columns[k] for k in lkeys]
    rcols = [_index_column(right)] if rkeys is None else [right._columns[k] for k in rkeys]
    names = lkeys if lkeys is not None else (rkeys if rkeys is not None else [None])
    pairs = [unify_pair(a, b, n) for a, b, n in zip(lcols, rcols, names)]
    narrowable = (how != "cross" and validate is None and capacity is None and not distributed
                  and not is_traced(live_l, live_r, *[c.data for pair in pairs for c in pair]))
    raw = raw_words(pairs) if narrowable else None
    if raw is not None:  # one null-free int64 key pair: narrow on its bits, before any key words
        narrowed = _narrowed(left, right, how, *raw, live_l, live_r)
        if narrowed is not None:
            return merge(*narrowed, how, on, left_on, right_on, left_index, right_index, sort, suffixes,
                         indicator=indicator)
    if how == "cross":
        lw, rw = (~live_l).astype(jnp.uint64), (~live_r).astype(jnp.uint64)
    elif raw is not None and how != "outer" and not sort:
        # an unsorted inner/left/right join only tests keys for equality: the int64 bits are the
        # words (dead rows are kept apart by the live masks), no range pass or packed copy
        lw, rw = raw
    else:
        lw, rw = key_words([p[0] for p in pairs], [p[1] for p in pairs], live_l, live_r)
    traced = is_traced(lw, rw, live_l, live_r)
    if narrowable and raw is None and not traced:
        narrowed = _narrowed(left, right, how, lw, rw, live_l, live_r)
        if narrowed is not None:
            return merge(*narrowed, how, on, left_on, right_on, left_index, right_index, sort, suffixes,
                         indicator=indicator)
    if distributed_join.applies(left, right, how, lkeys, rkeys, traced, capacity):
        def local(lf: Any, rf: Any) -> Any:  # the same merge (and check) on one device's rows
            return merge(lf, rf, how, on, left_on, right_on, left_index, right_index, sort, suffixes,
                         indicator=indicator, validate=validate)
        return distributed_join.merge(left, right, lkeys, rkeys, how, sort, local, validate is not None)
    if validate is not None:
        if traced:
            raise NotImplementedError("merge(validate=...) inside jax.jit (it raises on data)")
        _validate(validate, lw, rw, live_l, live_r)
    base = "inner" if how == "cross" else how
    if base == "right":
        ix = join_indexers(rw, lw, live_r, live_l, "left", sort, capacity).swapped()
    else:
        ix = join_indexers(lw, rw, live_l, live_r, base, sort, capacity)
    # ix.left / ix.right: read only where needed (an identity side is an arange made on demand)
    left_missing, right_missing = ix.left_missing, ix.right_missing
    all_l, all_r = ix.all_left_missing, ix.all_right_missing
    # same-named keys (on=) are coalesced into the left column; the right one is dropped
    shared = [] if lkeys is None or rkeys is None else [
        i for i, (a, b) in enumerate(zip(lkeys, rkeys)) if a == b]
    drop_right = {rkeys[i] for i in shared}
    left_names = list(left._columns)
    right_names = [n for n in right._columns if n not in drop_right]
    ren_l, ren_r = _suffixed(left_names, right_names, suffixes)
    out: dict[Hashable, Column] = {}
    shared_names = {lkeys[i] for i in shared}
    # shared keys are coalesced below when rows are missing; each side's columns are gathered
    # in one call
    out.update(zip(ren_l, [left._columns[n] for n in left_names] if ix.left_identity else take_fill_many(
        [left._columns[n] for n in left_names], ix.left, [left_missing and n not in shared_names for n in left_names],
        left_names)))
    for i in shared:
        name = lkeys[i]
        lcol, rcol = pairs[i] if lcols[i].dtype.kind == "U" else (lcols[i], rcols[i])
        if not ix.left_live:  # pandas keeps the right key when the left side is empty
            lcol = rcol if lcols[i].dtype.kind == "U" else rcols[i]
            out[ren_l[left_names.index(name)]] = take_fill(lcol, ix.left, left_missing, name)
        if left_missing:
            # pandas fills the key takes with 0/False (na_value_for_dtype(compat=True)): no int -> float
            lvals, rvals = take_fill(lcol, ix.left, False), take_fill(rcol, ix.right, False)
            out[ren_l[left_names.index(name)]] = coalesce(lvals, rvals, ix.left < 0, all_l, all_r)
    out.update(zip(ren_r, [right._columns[n] for n in right_names] if ix.right_identity else take_fill_many(
        [right._columns[n] for n in right_names], ix.right, [right_missing] * len(right_names), right_names)))
    index = _result_index(left, right, lkeys, rkeys, ix, left_missing, right_missing, all_l, all_r,
                          pairs, out, ren_l, left_names)
    if ind_name is not None:
        out[ind_name] = indicator_column(ix.left, ix.right)
    return new_frame(out, index, ix.mask)


def _narrowed(left: Any, right: Any, how: str, lw, rw, live_l, live_r) -> tuple[Any, Any] | None:
    """One build side many times larger whose unmatched rows cannot appear in the result: its rows that
    have a key on the small side (a semi-join with the small side as the build), compacted when
    few remain, so that the join sorts or hashes those rows instead of every row's key. None
    when no side shrinks. ``lw``/``rw``: words equal exactly where the keys are equal."""
    if how in ("inner", "left") and _much_larger(right, left):
        shrunk = right._and_mask(matched_rows(rw, lw, live_r, live_l))._compacted_if_sparse()
        if shrunk._capacity < right._capacity:
            return left, shrunk
    # an inner join probes with the left rows (one pass, as cheap as the semi-join) and its pairs
    # are compacted anyway: only a right join builds on a much larger left side
    if how == "right" and _much_larger(left, right):
        shrunk = left._and_mask(matched_rows(lw, rw, live_l, live_r))._compacted_if_sparse()
        if shrunk._capacity < left._capacity:
            return shrunk, right
    return None


def _much_larger(big: Any, small: Any) -> bool:
    return big._capacity >= max(SPARSE_MIN_SLOTS, small._capacity * _SMALL_SIDE)


def _validate(validate: str, lw, rw, live_l, live_r) -> None:
    need_l, need_r = VALIDATE[validate]
    dup_l = need_l and has_duplicates(lw, live_l)
    dup_r = need_r and has_duplicates(rw, live_r)
    kind = {"1:1": "one-to-one", "one_to_one": "one-to-one", "1:m": "one-to-many",
            "one_to_many": "one-to-many", "m:1": "many-to-one", "many_to_one": "many-to-one"}.get(validate)
    if dup_l and dup_r:
        raise MergeError(f"Merge keys are not unique in either left or right dataset; not a {kind} merge")
    if dup_l:
        raise MergeError(f"Merge keys are not unique in left dataset; not a {kind} merge")
    if dup_r:
        raise MergeError(f"Merge keys are not unique in right dataset; not a {kind} merge")


def _result_index(left, right, lkeys, rkeys, ix, left_missing, right_missing, all_l, all_r,
                  pairs, out, ren_l, left_names):
    """pandas' join index: a RangeIndex unless an index took part in the join."""
    if lkeys is not None and rkeys is not None:
        return RangeIndex(ix.size)
    li, ri = ix.left, ix.right
    if lkeys is None and rkeys is None:  # both indexes: the coalesced labels
        lcol, rcol = pairs[0] if pairs[0][0].dtype.kind == "U" else (_index_column(left), _index_column(right))
        lvals, rvals = take_fill(lcol, li, False), take_fill(rcol, ri, False)  # labels never null
        name = left._index.name if left._index.name == right._index.name else None
        return Index(coalesce(lvals, rvals, li < 0, all_l, all_r), name)
    if rkeys is None:  # left_on + right_index: left labels; the right labels fill the left key
        _coalesce_one_sided(out, lkeys[0], ren_l, left_names, pairs[0], left._columns[lkeys[0]],
                            _index_column(right), li, ri, left_missing, right_missing, all_l, all_r,
                            trigger=left_missing)
        return Index(take_fill(_index_column(left), li, left_missing, "index"), left._index.name)
    # left_index + right_on: right labels; the left labels fill the right key
    right_names = [n for n in out if n not in ren_l]
    _coalesce_one_sided(out, rkeys[0], right_names, right_names, pairs[0], _index_column(left),
                        right._columns[rkeys[0]], li, ri, left_missing, right_missing, all_l, all_r,
                        trigger=right_missing)
    return Index(take_fill(_index_column(right), ri, right_missing, "index"), right._index.name)


def _coalesce_one_sided(out, name, result_names, _source_names, pair, lcol, rcol, li, ri, left_missing,
                        right_missing, all_l, all_r, trigger: bool) -> None:
    """pandas fills the one key column that exists with the other side's index labels."""
    if not trigger:
        return
    if name not in result_names:
        raise NotImplementedError(f"merge on key {name!r} that also exists on the other side "
                                  "(suffixed) together with left_index/right_index")
    if lcol.dtype.kind == "U":
        lcol, rcol = pair
    lvals, rvals = take_fill(lcol, li, False), take_fill(rcol, ri, False)
    out[name] = coalesce(lvals, rvals, li < 0, all_l, all_r)
