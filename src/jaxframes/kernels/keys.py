"""Sort-key normalization: every sort key becomes an unsigned integer whose order is the wanted order.

Why: XLA's fast sorts (and our C++ radix argsort) want one or two plain unsigned-integer
operands. A float comparator, a descending flag or a null rule would each force a slow
multi-operand comparison sort, so they are all folded into the bits of the key here.

Per key, the valid values map onto ``[0, D)`` for a domain size ``D``:

- int/uint: flip the sign bit (``D = 2**bits``); bool: ``D = 2``;
- float: ``-0.0`` becomes ``+0.0`` (they tie, stably), then the IEEE trick (negative: flip all
  bits, positive: flip the sign bit), shifted so ``-inf`` is 0. NaN is a null. The result is
  a little under ``2**bits`` values, so a null fits into the same width;
- datetime/timedelta (int64 counts of their unit; the unit does not change the order within a
  column, and keys of two units are brought to one unit by the caller, e.g. joins/keys.py):
  like int64, minus NaT (int64 min), which is a null;
- dictionary codes (``domain=dictionary.code_bound``: its length, or its bucketed capacity
  inside jit where the dictionary is traced data): the code itself; ``D = domain``;
- descending: ``D - 1 - v``.

Nulls (validity False, NaN, NaT) go first or last per ``na_position`` regardless of
``ascending``, like pandas: when ``D < 2**64`` the null takes the spare value (0 with the valid
values moved up by one, or ``D``), so ``bit_length(D)`` bits hold the key (dictionary codes:
``ceil(log2(len(dictionary) + 1))`` bits); otherwise a separate leading null bit.

Packing: the keys' bit fields are concatenated, most significant key first, and cut into as
few words as possible (uint32 when everything fits in 32 bits, else uint64 words). Comparing
the word tuples lexicographically compares the keys lexicographically.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial

import jax
import jax.numpy as jnp
import numpy as np

from jaxframes.kernels import native
from jaxframes.executables import jit

KINDS = ("b", "i", "u", "f", "M", "m", "U")
NA_POSITIONS = ("last", "first")


@partial(jax.tree_util.register_dataclass, data_fields=["data", "validity", "dead"],
         meta_fields=["kind", "ascending", "na_position", "domain"])
@dataclass(frozen=True, eq=False)
class SortKey:
    """One sort key column with its ordering rules.

    data: 1-D array of the key values (datetimes/timedeltas as int64 counts of their unit,
        unsigned ints as themselves, strings as int32 dictionary codes).
    kind: 'b' bool, 'i' int, 'u' unsigned, 'f' float, 'M' datetime, 'm' timedelta,
        'U' dictionary codes; None infers it from ``data.dtype``.
    ascending: False sorts descending (ties still keep their input order).
    na_position: 'last' or 'first'; applies to validity False, NaN (floats) and NaT.
    validity: bool array, True where the value is present; None means no validity mask.
    domain: when given, ``data`` holds integers in ``[0, domain)`` (dictionary codes:
        ``dictionary.code_bound``); the key then needs only ``ceil(log2(domain + 1))`` bits.
        The caller guarantees the range: it is not checked (that would need a host sync).
    dead: bool array or None: rows marked True sort after every other row (nulls included),
        in no particular order among themselves (dead rows of a frame: what a leading
        ``~live`` key does, but folded into this key's spare values when it has two, e.g. a
        float64 key, so that one sort word still holds it).

    A PyTree (data and validity are leaves), so keys pass through ``jit`` and ``vmap``.
    """

    data: jax.Array
    kind: str | None = None
    ascending: bool = True
    na_position: str = "last"
    validity: jax.Array | None = None
    domain: int | None = None
    dead: jax.Array | None = None


@dataclass(frozen=True, eq=False)
class Field:
    """A normalized key (or part of one): an unsigned array whose low ``bits`` bits carry the order."""

    value: jax.Array
    bits: int


@partial(jax.tree_util.register_dataclass, data_fields=["words"], meta_fields=["bits"])
@dataclass(frozen=True, eq=False)
class PackedKeys:
    """Normalized keys packed into words (most significant first, all uint32 or all uint64).

    bits: the significant bits per field, most significant first (the packing layout).
    """

    words: tuple[jax.Array, ...]
    bits: tuple[int, ...]


def _x64() -> bool:
    return bool(jax.config.read("jax_enable_x64"))


def _uint(bits: int) -> jnp.dtype:
    return jnp.dtype({8: jnp.uint8, 16: jnp.uint16, 32: jnp.uint32, 64: jnp.uint64}[bits])


def key_range_jax(data: jax.Array, usable: jax.Array) -> jax.Array:
    """[any usable row, min, max] of an integer key (the pure-JAX path, every backend).

    With no usable row (or no row at all) min and max are the reductions' identities,
    int64 max and int64 min, as in the C++ kernel."""
    data = data.astype(jnp.int64)
    info = jnp.iinfo(jnp.int64)
    low = jnp.min(data, where=usable, initial=info.max)
    high = jnp.max(data, where=usable, initial=info.min)
    return jnp.stack([jnp.any(usable).astype(jnp.int64), low, high])


def _key_stats_native(target: str, size: int, data: jax.Array, usable: jax.Array) -> jax.Array:
    native.require()
    return jax.ffi.ffi_call(target, jax.ShapeDtypeStruct((size,), jnp.int64),
                            vmap_method="sequential")(data.astype(jnp.int64), usable.astype(bool))


def _key_stats(what: str, native_fn, twin_fn, data: jax.Array, usable: jax.Array) -> jax.Array:
    """The C++ pass on the CPU backend when built, the twin elsewhere (to be traced inside a
    jitted function: eagerly ``platform_dependent`` reads its branch index back, a sync)."""
    if np.dtype(data.dtype) == np.uint64:
        raise NotImplementedError(f"{what} of a uint64 key (values above 2**63 have no int64 form)")
    if data.shape[0] == 0 or not native.available():
        return twin_fn(data, usable)
    return jax.lax.platform_dependent(data, usable, cpu=native_fn, default=twin_fn)


def key_range_native(data: jax.Array, usable: jax.Array) -> jax.Array:
    """The same in one C++ pass (csrc/key_range.cc, CPU only)."""
    return _key_stats_native("jaxframes_key_range", 3, data, usable)


@jit
def key_range(data: jax.Array, usable: jax.Array) -> jax.Array:
    """[any usable row, min, max] of an integer key: callers sync it once (eagerly) to shrink a
    key to its real range (``domain``) so that fewer bits get packed or dense slots suffice.
    Signed keys only: a uint64 above 2**63 has no int64 form."""
    return _key_stats("key_range", key_range_native, key_range_jax, data, usable)


def key_runs_jax(data: jax.Array, usable: jax.Array) -> jax.Array:
    """[any usable row, min, max, usable values non-decreasing in row order, runs of equal usable
    values] of an integer key (the pure-JAX path, every backend)."""
    data = data.astype(jnp.int64)
    n = data.shape[0]
    rows = jnp.arange(n, dtype=jnp.int64)
    last = jax.lax.cummax(jnp.where(usable, rows, -1)) if n else rows
    prev_row = jnp.concatenate([jnp.full(min(n, 1), -1, jnp.int64), last[:-1]])
    prev = data[jnp.clip(prev_row, 0, max(n - 1, 0))] if n else data
    has_prev = prev_row >= 0
    starts = usable & (~has_prev | (data != prev))
    down = usable & has_prev & (data < prev)
    return jnp.concatenate([key_range_jax(data, usable),
                            jnp.stack([(~jnp.any(down)).astype(jnp.int64), jnp.sum(starts, dtype=jnp.int64)])])


def key_runs_native(data: jax.Array, usable: jax.Array) -> jax.Array:
    """The same in one C++ pass (csrc/key_range.cc ``jaxframes_key_runs``, CPU only)."""
    return _key_stats_native("jaxframes_key_runs", 5, data, usable)


@jit
def key_runs(data: jax.Array, usable: jax.Array) -> jax.Array:
    """``key_range`` plus [sorted, runs]: whether the usable values are non-decreasing in row
    order and how many runs of equal values they form (a key sorted by the key: the group
    count, learned in the same sync as the range)."""
    return _key_stats("key_runs", key_runs_native, key_runs_jax, data, usable)


def key_kind(key: SortKey) -> str:
    """The key's kind, inferred from the array dtype when not given."""
    if key.kind is not None:
        if key.kind not in KINDS:
            raise TypeError(f"unsupported sort key kind {key.kind!r}; expected one of {KINDS}")
        return key.kind
    kind = np.dtype(key.data.dtype).kind
    if kind not in "biuf":
        raise TypeError(f"cannot sort by a key of dtype {key.data.dtype}")
    return kind


def _check(key: SortKey, kind: str) -> None:
    if key.na_position not in NA_POSITIONS:
        raise ValueError(f"invalid na_position: {key.na_position!r}")
    if key.data.ndim != 1:
        raise ValueError(f"a sort key must be 1-D, got shape {key.data.shape}")
    if key.validity is not None and key.validity.shape != key.data.shape:
        raise ValueError("a sort key's validity must have the shape of its data")
    storage = np.dtype(key.data.dtype).kind
    expected = {"b": "b", "i": "i", "u": "u", "f": "f", "M": "i", "m": "i", "U": "iu"}[kind]
    if storage not in expected:
        raise TypeError(f"sort key kind {kind!r} cannot hold data of dtype {key.data.dtype}")
    if key.domain is not None and (kind not in "iuU" or key.domain < 0):
        raise ValueError(f"domain={key.domain!r} needs integer codes and a non-negative size")


def _valid_values(key: SortKey, kind: str) -> tuple[jax.Array, int, jax.Array | None]:
    """(v, D, null): the valid values mapped onto [0, D) in ascending order, and the
    nulls the values themselves encode (NaN, NaT) or None."""
    data = key.data
    width = np.dtype(data.dtype).itemsize * 8
    if key.domain is not None:
        return data.astype(_uint(width)), max(int(key.domain), 1), None
    if kind == "b":
        return data.astype(jnp.uint8), 2, None
    if kind == "u":
        return data, 2**width, None
    if kind in "iU":
        sign = np.array(1 << (width - 1), _uint(width))
        return jax.lax.bitcast_convert_type(data, _uint(width)) ^ sign, 2**width, None
    if kind in "Mm":
        nat = data == jnp.iinfo(data.dtype).min
        sign = np.array(1 << (width - 1), _uint(width))
        flipped = jax.lax.bitcast_convert_type(data, _uint(width)) ^ sign
        return flipped - np.array(1, _uint(width)), 2**width - 1, nat
    # floats: -0.0 ties with +0.0; NaN is a null; -inf maps to 0
    utype = _uint(width)
    zeroed = jnp.where(data == 0, jnp.zeros_like(data), data)
    bits = jax.lax.bitcast_convert_type(zeroed, utype)
    sign_bit = 1 << (width - 1)
    negative = (bits >> np.array(width - 1, utype)) != 0
    flipped = bits ^ jnp.where(negative, np.array(2**width - 1, utype), np.array(sign_bit, utype))
    neg_inf = np.array(-np.inf, data.dtype).view(_uint(width)).item()
    pos_inf = np.array(np.inf, data.dtype).view(_uint(width)).item()
    lo = neg_inf ^ (2**width - 1)
    hi = pos_inf ^ sign_bit
    return flipped - np.array(lo, utype), hi - lo + 1, jnp.isnan(data)


def normalize(key: SortKey) -> list[Field]:
    """The key as one or two unsigned fields (a leading null bit only when no spare value exists;
    with ``dead``, the value above all others, or a leading dead bit when no spare value is left)."""
    if key.dead is not None:
        return _normalize_dead(key)
    kind = key_kind(key)
    _check(key, kind)
    v, domain, encoded_null = _valid_values(key, kind)
    if not key.ascending:
        v = np.array(domain - 1, v.dtype) - v
    null = None if key.validity is None else ~key.validity.astype(bool)
    if encoded_null is not None:
        null = encoded_null if null is None else null | encoded_null
    if null is None:
        return [Field(v, max(1, (domain - 1).bit_length()))]
    max_bits = 64 if _x64() else 32
    bits = domain.bit_length()  # room for the D valid values and one null value
    first = key.na_position == "first"
    if bits <= max_bits:
        container = v.dtype if bits <= v.dtype.itemsize * 8 else _uint(max_bits)
        v = v.astype(container)
        if first:
            return [Field(jnp.where(null, np.array(0, container), v + np.array(1, container)), bits)]
        return [Field(jnp.where(null, np.array(domain, container), v), bits)]
    flag = (~null if first else null).astype(jnp.uint8)
    return [Field(flag, 1), Field(jnp.where(null, jnp.zeros_like(v), v), v.dtype.itemsize * 8)]


def _normalize_dead(key: SortKey) -> list[Field]:
    """``key`` with its dead rows after everything: the top value of the key's own field when
    its domain has room for it (with a null value too), else a leading dead bit."""
    if key.dead.shape != key.data.shape:
        raise ValueError("a sort key's dead mask must have the shape of its data")
    dead = key.dead.astype(bool)
    (field, *rest) = normalize(dataclasses.replace(key, dead=None))
    max_bits = 64 if _x64() else 32
    top = _field_top(key) + 1  # one past the largest value the field holds
    if rest or top >= 2 ** max_bits:
        return [Field(dead.astype(jnp.uint8), 1), field, *rest]
    bits = max(field.bits, top.bit_length())
    container = field.value.dtype if bits <= field.value.dtype.itemsize * 8 else _uint(max_bits)
    return [Field(jnp.where(dead, np.array(top, container), field.value.astype(container)), bits)]


def _field_top(key: SortKey) -> int:
    """The largest value ``normalize`` gives the key (its domain minus one, plus one with nulls)."""
    _, domain, encoded_null = _valid_values(key, key_kind(key))  # (traced: the arrays are dropped)
    nullable = key.validity is not None or encoded_null is not None
    return domain - 1 + (1 if nullable else 0)


def pack(fields: Sequence[Field]) -> PackedKeys:
    """Concatenate the fields' bits (first = most significant) into as few words as possible.

    The bit string is right-aligned in the words, so the unused bits are the top of word 0.
    """
    if not fields:
        raise ValueError("at least one sort key is required")
    total = sum(f.bits for f in fields)
    word_bits = 32 if total <= 32 or not _x64() else 64
    dtype = _uint(word_bits)
    n_words = -(-total // word_bits)
    shape = fields[0].value.shape
    words = [jnp.zeros(shape, dtype) for _ in range(n_words)]  # index 0 = least significant
    offset = 0
    for field in reversed(fields):
        value = field.value.astype(dtype)
        for j in range(offset // word_bits, (offset + field.bits - 1) // word_bits + 1):
            base = j * word_bits
            if offset >= base:
                part = value << np.array(offset - base, dtype)
            else:
                part = value >> np.array(base - offset, dtype)
            words[j] = words[j] | part
        offset += field.bits
    return PackedKeys(tuple(reversed(words)), tuple(f.bits for f in fields))


def pack_keys(keys: Sequence[SortKey]) -> PackedKeys:
    """Normalize every key and pack them: the operands of a stable lexicographic sort."""
    keys = list(keys)
    if not keys:
        raise ValueError("at least one sort key is required")
    if any(k.kind == "L" for k in keys):  # a list column (its data are [start, length] pairs)
        raise TypeError("unhashable type: 'list': a list column cannot be a sort, group-by, join, "
                        "unique or duplicate key")
    n = keys[0].data.shape
    if any(k.data.shape != n for k in keys):
        raise ValueError("all sort keys must have the same length")
    if any(isinstance(k.data, jax.core.Tracer) or isinstance(k.validity, jax.core.Tracer) for k in keys):
        return _pack_normalized(keys)
    return _pack_compiled(tuple(keys))  # eagerly, one program instead of one per primitive


def _pack_normalized(keys: Sequence[SortKey]) -> PackedKeys:
    return pack([field for key in keys for field in normalize(key)])


_pack_compiled = jit(_pack_normalized)


@jit
def packed_words(keys: Sequence[SortKey]) -> tuple[jax.Array, ...]:
    """``pack_keys(keys).words`` as one compiled function (normalizing and packing fuse into a
    single pass instead of several eager ones)."""
    return pack_keys(keys).words
