"""Join-key preparation: both sides' keys in ONE encoding, reduced to one unsigned word per row.

Why: sort-merge compares left keys with sorted right keys by value, so equal keys must have
equal bits on both sides. Per key pair: strings get one unified dictionary (codes remapped),
int widths widen to int64, int/bool against float compare as float64 (pandas allows it),
bool against int compares as int64. Every key carries a validity mask (so both sides pack
with the same layout) and nulls sort last (NaT first, as pandas); all nulls of a key are one value, because pandas
matches NaN with NaN and None with None in merge keys.

A leading "dead" bit keeps masked-out rows apart from every live key. When the packed keys
need several words, the keys of both sides are sorted together once and each row gets the
dense rank of its key (``sorted_segments``): one int word that preserves equality and order.
"""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from jaxframes import dtypes as jdt
from jaxframes.column import Column
from jaxframes.dictionary import unify
from jaxframes import units
from jaxframes.table import is_traced
from jaxframes.kernels.keys import SortKey, key_range, packed_words
from jaxframes.kernels.sort import sort_words, sorted_segments
from jaxframes.sync import device_get
from jaxframes.executables import jit


def unify_pair(left: Column, right: Column, name: object) -> tuple[Column, Column]:
    """The two key columns in one comparable encoding (ValueError for pandas-incompatible kinds)."""
    lk, rk = left.dtype.kind, right.dtype.kind
    if "C" in (lk, rk):
        raise NotImplementedError("merge on categorical keys is not supported yet")
    if lk == "U" and rk == "U":
        if left.dictionary == right.dictionary:
            return left, right
        merged, remap_l, remap_r = unify(left.dictionary, right.dictionary)
        return (_remap(left, remap_l, merged), _remap(right, remap_r, merged))
    aware = {jdt.tz_of(left.dtype) is not None, jdt.tz_of(right.dtype) is not None}
    if lk == rk == "M" and len(aware) == 2:  # naive with aware: pandas refuses
        raise ValueError(f"You are trying to merge on {left.dtype} and {right.dtype} columns for key "
                         f"'{name}'. If you wish to proceed you should use pd.concat")
    if lk == rk and lk in "Mm" and left.dtype.unit != right.dtype.unit:
        return _in_unit(left, right.dtype.unit), _in_unit(right, left.dtype.unit)
    if lk == rk and (lk in "Mm" or left.data.dtype == right.data.dtype):
        return left, right
    if "u" in (lk, rk) and lk in "biu" and rk in "biu":
        wide = [c for c in (left, right) if c.dtype.kind == "u" and c.data.dtype.itemsize == 8]
        if wide and (lk != rk):
            raise NotImplementedError(f"merge on {left.dtype} and {right.dtype} keys (uint64 with "
                                      "signed ints) is not supported yet")
        target = np.uint64 if lk == rk else np.int64  # both unsigned, or all values fit int64
        return (Column(left.data.astype(target), left.not_null(), jdt.from_storage(np.dtype(target))),
                Column(right.data.astype(target), right.not_null(), jdt.from_storage(np.dtype(target))))
    numeric = set("bif")
    if lk in numeric and rk in numeric:
        target = np.float64 if "f" in (lk, rk) else np.int64
        return _as_storage(left, target), _as_storage(right, target)
    raise ValueError(f"You are trying to merge on {left.dtype} and {right.dtype} columns for key "
                     f"'{name}'. If you wish to proceed you should use pd.concat")


def _in_unit(col: Column, other_unit: str) -> Column:
    """A datetime/timedelta key in the finer of its unit and ``other_unit`` (pandas compares the
    values, so a key of 's' meets one of 'ns' in nanoseconds; out of range raises as pandas)."""
    unit = jdt.finer_unit(col.dtype.unit, other_unit)
    data, present = units.to_unit(col.data, col.not_null(), col.dtype.kind, col.dtype.unit, unit)
    return Column(data, present, jdt.with_unit(col.dtype, unit))


def _remap(col: Column, table: np.ndarray, dictionary) -> Column:
    data = jnp.asarray(table)[col.data] if len(table) else jnp.zeros_like(col.data)
    return col.replace(data=data, dictionary=dictionary)


def _as_storage(col: Column, storage: type) -> Column:
    """Same values in a wider numeric storage; nulls stay in the validity mask."""
    dtype = jdt.FLOAT64 if storage is np.float64 else jdt.INT64
    return Column(col.data.astype(storage), col.not_null(), dtype)


def _sort_key(col: Column) -> SortKey:
    domain = col.dictionary.code_bound if col.dtype.kind == "U" else None
    kind = col.dtype.kind if col.dtype.kind not in "CdP" else "i"
    # pandas orders merge keys by their factorized values: NaT is int64 min there, so it comes first
    na_position = "first" if col.dtype.kind in "MmP" else "last"
    return SortKey(col.data, kind=kind, validity=col.not_null(), na_position=na_position, domain=domain)


def _range_compressed(lkey: SortKey, rkey: SortKey, live_l: jax.Array,
                      live_r: jax.Array) -> tuple[SortKey, SortKey]:
    """Integer keys shifted to [0, range) over both sides (eager): an int64 key of a small range
    then packs into a few bits, so the keys fit one word and need no extra ranking sort."""
    if lkey.kind != "i" or lkey.domain is not None or is_traced(lkey.data, rkey.data, live_l, live_r):
        return lkey, rkey
    ranges = device_get([_usable_range(k.data, k.validity, live) for k, live in ((lkey, live_l), (rkey, live_r))
                         if k.data.shape[0]])  # both sides in one host sync
    found = [r for r in ranges if r[0]]
    if not found:
        return lkey, rkey
    low, high = min(int(r[1]) for r in found), max(int(r[2]) for r in found)
    if high - low >= 2**62:
        return lkey, rkey

    def shifted(key: SortKey, live: jax.Array) -> SortKey:
        data = _shift(key.data, key.validity, live, np.int64(low))
        # The domain is static (it sets the packed layout): widen it to the largest one with the
        # same bit width, so that a new key range of that width reuses the compiled packing.
        domain = (1 << (high - low + 1).bit_length()) - 1
        return SortKey(data, kind="i", validity=key.validity, na_position=key.na_position, domain=domain)
    return shifted(lkey, live_l), shifted(rkey, live_r)


@jit
def _usable_range(data: jax.Array, validity: jax.Array, live: jax.Array) -> jax.Array:
    """``key_range`` over the live present values: one program with the mask."""
    return key_range(data, live & validity)


@jit
def _shift(data: jax.Array, validity: jax.Array, live: jax.Array, low: Any) -> jax.Array:
    """The usable (live, present) values less ``low`` (traced: any range reuses the program),
    others 0."""
    return jnp.where(live & validity, data.astype(jnp.int64) - low, 0)


@jit
def _words(live: jax.Array, keys: list[SortKey]) -> tuple[jax.Array, ...]:
    """The packed words of (dead bit, keys...): one program per side; a single word as uint64."""
    words = packed_words([SortKey(~live, kind="b")] + list(keys))
    return (words[0].astype(jnp.uint64),) if len(words) == 1 else words


def raw_words(pairs: list[tuple[Column, Column]]) -> tuple[jax.Array, jax.Array] | None:
    """One key pair (already unified) of one int64-stored dtype without a validity mask (no
    nulls): its int64 values as the words (equal exactly where the keys are equal; the
    semi-join kernel reads their bits, no copy). None otherwise."""
    if len(pairs) != 1:
        return None
    left, right = pairs[0]
    if (left.dtype != right.dtype or left.dtype.kind not in "iMmd" or left.validity is not None
            or right.validity is not None or np.dtype(left.data.dtype) != np.int64
            or np.dtype(right.data.dtype) != np.int64):
        return None
    return left.data, right.data


def key_words(left: list[Column], right: list[Column], live_left: jax.Array,
              live_right: jax.Array) -> tuple[jax.Array, jax.Array]:
    """(left words, right words): one uint64 per row, equal exactly where the keys are equal
    (nulls equal nulls), ordered like the keys (nulls last); dead rows sort after live ones."""
    n_left = live_left.shape[0]
    pairs = [_range_compressed(_sort_key(lc), _sort_key(rc), live_left, live_right) for lc, rc in zip(left, right)]
    lwords, rwords = _words(live_left, [lk for lk, _ in pairs]), _words(live_right, [rk for _, rk in pairs])
    if len(lwords) == 1:
        return lwords[0], rwords[0]
    both = [jnp.concatenate([lw, rw]) for lw, rw in zip(lwords, rwords)]
    if both[0].shape[0] == 0:
        empty = jnp.zeros(0, jnp.uint64)
        return empty, empty
    perm, sorted_both = sort_words(both)
    _, ids = sorted_segments(sorted_both)
    rank = jnp.zeros_like(ids).at[perm].set(ids, unique_indices=True).astype(jnp.uint64)
    return rank[:n_left], rank[n_left:]
