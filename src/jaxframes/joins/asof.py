"""merge_asof: for each left row, the right row with the nearest key (backward, forward or
nearest), optionally within equal ``by`` keys and a ``tolerance``; pandas' checks and layout.

A sort-merge sweep. Left and right rows are sorted together by (by key, asof key, side), the
side deciding ties: for ``backward`` with exact matches allowed, right rows sort before left
rows of an equal key (so they count as "at or before"), without exact matches after. A running
maximum of the right rows' sorted positions then gives each left row the last right row at or
before it; that row is its match when it has the same by key (the sort groups by key first).
``forward`` is the mirror image (a reversed running minimum), ``nearest`` takes the closer of
both (the backward one on a tie, as pandas). Frames are compacted first (merge_asof needs the
left and right keys sorted and free of nulls: pandas' errors, one host sync for the checks).
"""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
import pandas as pd
from pandas.errors import MergeError

from jaxframes import dtypes as jdt
from jaxframes.column import Column
from jaxframes.index import MultiIndex, RangeIndex
from jaxframes.joins.assemble import take_fill
from jaxframes.joins.keys import key_words, unify_pair
from jaxframes.joins.merge import _as_frame, _suffixed
from jaxframes.kernels.keys import SortKey
from jaxframes.kernels.sort import argsort
from jaxframes.sync import device_get
from jaxframes.table import new_frame

DIRECTIONS = ("backward", "forward", "nearest")


def _labels(value: Any) -> list | None:
    if value is None:
        return None
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _key_columns(left, right, on, left_on, right_on, left_index, right_index):
    """(left key column, right key column, left key name or None, right key name or None)."""
    on, left_on, right_on = _labels(on), _labels(left_on), _labels(right_on)
    if on is not None and (left_on is not None or right_on is not None):
        raise MergeError('Can only pass argument "on" OR "left_on" and "right_on", not a combination of both.')
    if on is not None:
        left_on = right_on = on
    if left_index and left_on is not None:
        raise MergeError('Can only pass argument "left_on" OR "left_index" not both.')
    if right_index and right_on is not None:
        raise MergeError('Can only pass argument "right_on" OR "right_index" not both.')
    if not left_index and left_on is None:
        raise MergeError('Must pass "left_on" OR "left_index".' if right_on is not None or right_index
                         else "No common columns to perform merge on.")
    if not right_index and right_on is None:
        raise MergeError('Must pass "right_on" OR "right_index".')
    if left_on is not None and len(left_on) != 1:
        raise MergeError("can only asof on a key for left")
    if right_on is not None and len(right_on) != 1:
        raise MergeError("can only asof on a key for right")
    cols = []
    for frame, keys in ((left, left_on), (right, right_on)):
        if keys is None:
            if isinstance(frame._index, MultiIndex):
                raise NotImplementedError("merge_asof on a MultiIndex")
            cols.append(frame._index.labels())
        else:
            if keys[0] not in frame._columns:
                raise KeyError(keys[0])
            cols.append(frame._columns[keys[0]])
    return cols[0], cols[1], None if left_on is None else left_on[0], None if right_on is None else right_on[0]


def _by_names(left, right, by, left_by, right_by) -> tuple[list, list]:
    if by is not None:
        if left_by is not None or right_by is not None:
            raise MergeError("Can only pass by OR left_by and right_by")
        left_by = right_by = by
    left_by, right_by = _labels(left_by), _labels(right_by)
    if (left_by is None) != (right_by is None):
        raise MergeError("missing left_by" if left_by is None else "missing right_by")
    if left_by is None:
        return [], []
    if len(left_by) != len(right_by):
        raise MergeError("left_by and right_by must be the same length")
    for frame, names in ((left, left_by), (right, right_by)):
        for n in names:
            if n not in frame._columns:
                raise KeyError(n)
    return left_by, right_by


def _check_key_dtypes(lk: Column, rk: Column) -> None:
    lt, rt = lk.dtype, rk.dtype
    if lt.kind not in "biufMm" or rt.kind not in "biufMm":
        raise MergeError(f"Incompatible merge dtype, {_pd_repr(lt)} and {_pd_repr(rt)}, both sides must have "
                         "numeric dtype")
    if lt != rt:
        raise MergeError(f"incompatible merge keys [0] {_pd_repr(lt)} and {_pd_repr(rt)}, must be the same type")


def _pd_repr(dtype) -> str:
    return repr(jdt.to_pandas(dtype))


def _tolerance_steps(tolerance: Any, key: Column) -> float | None:
    """The tolerance in the key's units, with pandas' checks."""
    if tolerance is None:
        return None
    kind = key.dtype.kind
    bad = MergeError(f"incompatible tolerance {tolerance}, must be compat with type {_pd_repr(key.dtype)}")
    if kind in "Mm":
        if not isinstance(tolerance, (pd.Timedelta, np.timedelta64)) and type(tolerance).__name__ != "timedelta":
            raise bad
        td = pd.Timedelta(tolerance)
        if td < pd.Timedelta(0):
            raise MergeError("tolerance must be non-negative")
        return td / pd.Timedelta(1, unit=key.dtype.unit)
    if kind in "iub":
        if not isinstance(tolerance, (int, np.integer)) or isinstance(tolerance, bool):
            raise bad
    elif not isinstance(tolerance, (int, float, np.integer, np.floating)) or isinstance(tolerance, bool):
        raise bad
    if tolerance < 0:
        raise MergeError("tolerance must be non-negative")
    return float(tolerance)


def _sort_key(col: Column) -> SortKey:
    kind = col.dtype.kind
    return SortKey(col.data, kind="i" if kind in "Mm" else kind)


def _sweep(lkey: Column, rkey: Column, lgroup: jax.Array, rgroup: jax.Array, right_first: bool,
           forward: bool) -> jax.Array:
    """Per left row (left order): the matching right row, -1 for none. ``right_first``: at equal
    keys right rows sort before left rows."""
    nl, nr = lkey.capacity, rkey.capacity
    keys = Column(jnp.concatenate([lkey.data, rkey.data]), None, lkey.dtype)
    group = jnp.concatenate([lgroup, rgroup])
    side = jnp.concatenate([jnp.full(nl, right_first, bool), jnp.full(nr, not right_first, bool)])
    perm = argsort([SortKey(group, kind="u"), _sort_key(keys), SortKey(side, kind="b")])
    return _match(perm, group, nl, forward=forward)


@jax.jit
def _running(perm, group, nl):
    n = perm.shape[0]
    is_right = perm >= nl
    pos = jnp.arange(n)
    back = jax.lax.cummax(jnp.where(is_right, pos, -1))
    fwd = jax.lax.cummin(jnp.where(is_right, pos, n), reverse=True)
    return is_right, back, fwd


def _match(perm: jax.Array, group: jax.Array, nl: int, forward: bool) -> jax.Array:
    n = perm.shape[0]
    is_right, back, fwd = _running(perm, group, nl)
    found = fwd if forward else back
    usable = (found >= 0) & (found < n)
    at = jnp.clip(found, 0, max(n - 1, 0))
    same = usable & (group[perm[at]] == group[perm])
    right_row = jnp.where(same, perm[at] - nl, -1)
    target = jnp.where(is_right, nl, perm)  # right rows scatter out of range (dropped)
    return jnp.full(nl, -1, jnp.int64).at[target].set(right_row, mode="drop")


def merge_asof(left: Any, right: Any, on: Any = None, left_on: Any = None, right_on: Any = None,
               left_index: bool = False, right_index: bool = False, by: Any = None, left_by: Any = None,
               right_by: Any = None, suffixes: Any = ("_x", "_y"), tolerance: Any = None,
               allow_exact_matches: bool = True, direction: str = "backward"):
    """pandas.merge_asof: an ordered left join on the nearest key (see the module doc)."""
    left, right = _as_frame(left, "left"), _as_frame(right, "right")
    if left._traced() or right._traced():
        raise NotImplementedError("merge_asof inside jax.jit (it checks the keys' order on the host)")
    if direction not in DIRECTIONS:
        raise MergeError(f"direction invalid: {direction}")
    if not isinstance(allow_exact_matches, bool):
        raise MergeError(f"allow_exact_matches must be boolean, passed {allow_exact_matches}")
    left, right = left._compact_exact(), right._compact_exact()
    lk, rk, lname, rname = _key_columns(left, right, on, left_on, right_on, left_index, right_index)
    lby, rby = _by_names(left, right, by, left_by, right_by)
    _check_key_dtypes(lk, rk)
    tol = _tolerance_steps(tolerance, lk)
    _check_sorted_and_present(lk, rk)
    nl, nr = lk.capacity, rk.capacity
    if lby:
        pairs = [unify_pair(left._columns[a], right._columns[b], a) for a, b in zip(lby, rby)]
        lgroup, rgroup = key_words([p[0] for p in pairs], [p[1] for p in pairs], jnp.ones(nl, bool),
                                   jnp.ones(nr, bool))
    else:
        lgroup, rgroup = jnp.zeros(nl, jnp.uint64), jnp.zeros(nr, jnp.uint64)
    exact = allow_exact_matches
    if direction == "backward":
        ri = _sweep(lk, rk, lgroup, rgroup, right_first=exact, forward=False)
    elif direction == "forward":
        ri = _sweep(lk, rk, lgroup, rgroup, right_first=not exact, forward=True)
    else:
        back = _sweep(lk, rk, lgroup, rgroup, right_first=exact, forward=False)
        fwd = _sweep(lk, rk, lgroup, rgroup, right_first=not exact, forward=True)
        ri = _nearest(lk.data, rk.data, back, fwd)
    if tol is not None:
        ri = _within(lk.data, rk.data, ri, tol)
    return _assemble(left, right, ri, lname, rname, lby, rby, suffixes, left_index or right_index)


def _signed(values):
    """Key values whose differences do not wrap (unsigned keys compare as float64)."""
    return values.astype(jnp.float64) if values.dtype.kind == "u" else values


@jax.jit
def _nearest(lkey, rkey, back, fwd):
    lkey, rkey = _signed(lkey), _signed(rkey)
    bdiff = lkey - rkey[jnp.clip(back, 0)]
    fdiff = rkey[jnp.clip(fwd, 0)] - lkey
    both = (back >= 0) & (fwd >= 0)
    return jnp.where(both, jnp.where(bdiff <= fdiff, back, fwd), jnp.where(back >= 0, back, fwd))


def _within(lkey, rkey, ri, tol: float):
    if rkey.shape[0] == 0:
        return ri
    dist = jnp.abs(_signed(lkey) - _signed(rkey)[jnp.clip(ri, 0)])
    return jnp.where((ri >= 0) & (dist <= tol), ri, -1)


@jax.jit
def _order_facts(ldata, lpresent, rdata, rpresent):
    def sorted_(d):
        return jnp.all(d[1:] >= d[:-1]) if d.shape[0] > 1 else jnp.asarray(True)
    return jnp.stack([jnp.all(lpresent), jnp.all(rpresent), sorted_(ldata), sorted_(rdata)])


def _check_sorted_and_present(lk: Column, rk: Column) -> None:
    l_ok, r_ok, l_sorted, r_sorted = (bool(x) for x in device_get(
        _order_facts(lk.data, lk.not_null(), rk.data, rk.not_null())))
    if not l_ok:
        raise ValueError("Merge keys contain null values on left side")
    if not r_ok:
        raise ValueError("Merge keys contain null values on right side")
    if not l_sorted:
        raise ValueError("left keys must be sorted")
    if not r_sorted:
        raise ValueError("right keys must be sorted")


def _assemble(left, right, ri, lname, rname, lby, rby, suffixes, index_join: bool):
    """Left columns, then right columns (the right key and by columns dropped where they share
    the left's name), overlapping names suffixed; the left's index when an index took part."""
    drop = {rname} if rname is not None and rname == lname else set()
    drop |= {b for a, b in zip(lby, rby) if a == b}
    left_names = list(left._columns)
    right_names = [n for n in right._columns if n not in drop]
    ren_l, ren_r = _suffixed(left_names, right_names, suffixes)
    missing = bool(device_get(jnp.any(ri < 0))) if ri.shape[0] else False
    out = {new: left._columns[name] for name, new in zip(left_names, ren_l)}
    for name, new in zip(right_names, ren_r):
        out[new] = take_fill(right._columns[name], ri, missing, name)
    index = left._index if index_join else RangeIndex(ri.shape[0])
    return new_frame(out, index)
