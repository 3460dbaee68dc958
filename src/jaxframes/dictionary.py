"""String dictionaries: codes (int32) live on device, the sorted distinct strings beside them.

Because the dictionary is sorted, comparing or sorting codes compares or sorts strings; every
producer keeps it sorted (``encode``, ``unify``, the Arrow readers) and nothing reorders it.

Why the dictionary is PyTree DATA, not static aux data: jit's cache key holds the aux data, so
a dictionary there made every frame with new string values trace again, and a rule that read
it while tracing (the code of ``'abc'``) baked one frame's strings into the compiled function.
So a Dictionary has two forms:

- host: the sorted pyarrow array. Eager code uses only this (lookups are ``searchsorted`` on
  the host, as before), so eager behaviour and speed do not change.
- device: ``kernels.strings.StringsOnDevice`` (offsets + UTF-8 bytes + count), built from the
  host form once per Dictionary (cached) when a Column is flattened. Its capacities are
  bucketed (entries and bytes rounded up to powers of two), so frames whose dictionaries are
  of similar size share one trace. Inside jit/vmap the Dictionary holds only traced device
  arrays: string-order rules run in ``kernels.strings`` (binary search on bytes), and anything
  that needs the host strings raises NotImplementedError (``values`` says why). A Dictionary
  that comes out of jit holds concrete device arrays; its host form is rebuilt from them on
  first use (one counted sync) and cached.

The device arrays are not rows: they are created uncommitted (jit places them, replicated, next
to row-sharded columns) and are never row-sharded or padded with the rows.
"""

from __future__ import annotations

from typing import Any, Sequence

import jax
import jax.numpy as jnp
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from jaxframes import sync
from jaxframes.kernels import strings as kstrings
from jaxframes.kernels.strings import StringsOnDevice

_MIN_ENTRIES = 8
_MIN_BYTES = 64


def _bucket(n: int, minimum: int) -> int:
    """Powers of two: dictionaries of similar size get the same device shapes (one trace)."""
    return max(minimum, 1 << max(n - 1, 0).bit_length())


class Dictionary:
    """An immutable, sorted array of distinct strings (host form, device form, or both)."""

    __slots__ = ("_values", "_device", "_hash")

    def __init__(self, values: pa.Array):
        self._values = values.cast(pa.large_string()) if values.type != pa.large_string() else values
        self._device: StringsOnDevice | None = None
        self._hash: int | None = None

    @classmethod
    def from_device(cls, strings: StringsOnDevice) -> "Dictionary":
        """A dictionary known only by its device arrays (traced inside jit, or a jit result)."""
        obj = object.__new__(cls)
        obj._values, obj._device, obj._hash = None, strings, None
        return obj

    # -- the two forms -------------------------------------------------------------------------
    @property
    def is_traced(self) -> bool:
        """True inside jit/vmap/grad when the strings are traced data (no host form)."""
        return self._values is None and isinstance(self._device.offsets, jax.core.Tracer)

    @property
    def values(self) -> pa.Array:
        """The sorted strings on the host (rebuilt from the device form after jit)."""
        if self._values is None:
            if self.is_traced:
                raise NotImplementedError(
                    "reading a string column's values on the host inside jax.jit/vmap: its "
                    "dictionary is traced data there; do this outside the transform")
            self._values = _from_device(self._device)
        return self._values

    def device(self) -> StringsOnDevice:
        """The device form (built once from the host form, then cached)."""
        if self._device is None:
            self._device = _to_device(self._values)
        return self._device

    @property
    def code_bound(self) -> int:
        """A static upper bound on the codes: the length, or the capacity when traced."""
        if self._values is not None:
            return len(self._values)
        return self._device.capacity

    # -- host protocol -------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self.values)

    def __hash__(self) -> int:
        if self.is_traced:
            return id(self._device.offsets)
        if self._hash is None:
            self._hash = hash(tuple(self.values.to_pylist()))
        return self._hash

    def __eq__(self, other: object) -> bool:
        """Equal strings. Traced dictionaries are equal only when they are the same arrays
        (content is unknown while tracing); callers then unify on device."""
        if self is other:
            return True
        if not isinstance(other, Dictionary):
            return False
        if self._device is not None and other._device is not None and all(
                x is y for x, y in zip(self._device, other._device)):
            return True
        if self.is_traced or other.is_traced:
            return False
        return self.values.equals(other.values)

    def __repr__(self) -> str:
        if self.is_traced:
            return f"Dictionary(traced, capacity={self.code_bound})"
        return f"Dictionary({len(self)} strings)"

    def decode(self, codes: np.ndarray, validity: np.ndarray | None) -> np.ndarray:
        """Strings (object array, None for nulls) for host-side codes."""
        table = np.asarray(self.values.to_numpy(zero_copy_only=False), dtype=object)
        if len(table) == 0:
            out = np.full(len(codes), None, dtype=object)
        else:
            out = table[np.clip(codes, 0, len(table) - 1)]
        if validity is not None:
            out = np.where(validity, out, None)
        return out

    def lookup(self, value: str) -> tuple[Any, Any]:
        """(insertion position, found) of a string: codes compare to it like strings do.
        Python int/bool on the host; traced scalars inside jit."""
        if self.is_traced:
            pos, found = kstrings.lookup(self._device, [value])
            return pos[0], found[0]
        pos = int(np.searchsorted(self.values.to_numpy(zero_copy_only=False), value))
        found = pos < len(self) and self.values[pos].as_py() == value
        return pos, found

    def search(self, strings: Sequence[str]) -> tuple[Any, Any]:
        """Per string: (insertion position, found). numpy arrays on the host; device arrays
        (binary search on the bytes) when the dictionary is traced."""
        if self.is_traced:
            return kstrings.lookup(self._device, list(strings))
        table = self.values.to_numpy(zero_copy_only=False)
        pos = np.searchsorted(table, np.asarray(list(strings), dtype=object)).astype(np.int64)
        found = np.asarray([p < len(table) and table[p] == s for p, s in zip(pos, strings)], dtype=bool)
        return pos, found


def _to_device(values: pa.Array) -> StringsOnDevice:
    """Offsets + bytes of the Arrow buffers, padded to bucketed capacities (no per-string work)."""
    n = len(values)
    _, offset_buffer, buffer = values.buffers()
    offsets = np.frombuffer(offset_buffer, dtype=np.int64)[values.offset: values.offset + n + 1] \
        if n else np.zeros(1, np.int64)
    base, end = int(offsets[0]), int(offsets[-1])
    raw = np.frombuffer(buffer, dtype=np.uint8)[base:end] if buffer is not None and end > base \
        else np.zeros(0, np.uint8)
    padded_offsets = np.full(_bucket(n, _MIN_ENTRIES) + 1, end - base, dtype=np.int32)
    padded_offsets[: n + 1] = offsets - base
    data = np.zeros(_bucket(len(raw), _MIN_BYTES), dtype=np.uint8)
    data[: len(raw)] = raw
    return StringsOnDevice(jnp.asarray(padded_offsets), jnp.asarray(data), jnp.asarray(np.int32(n)))


def _from_device(strings: StringsOnDevice) -> pa.Array:
    """The host form of a (concrete) device dictionary: one counted sync."""
    return host_strings(*sync.device_get(tuple(strings)))


def host_strings(offsets: np.ndarray, data: np.ndarray, count: Any) -> pa.Array:
    """The sorted strings from the numpy buffers of a device form (no sync of its own)."""
    if np.ndim(offsets) != 1:
        raise ValueError("a stacked string dictionary (a vmap result) has no single host form; "
                         "take one frame out first, e.g. jax.tree.map(lambda x: x[i], frames)")
    n = int(count)
    offsets = np.asarray(offsets[: n + 1], dtype=np.int64)
    data = np.ascontiguousarray(data[: int(offsets[-1])], dtype=np.uint8)
    # the buffers are wrapped, not copied (the Arrow array keeps the numpy arrays alive)
    return pa.Array.from_buffers(pa.large_string(), n, [None, pa.py_buffer(offsets), pa.py_buffer(data)])


def encode(values: object) -> tuple[np.ndarray, np.ndarray, Dictionary]:
    """Dictionary-encode strings: (int32 codes, validity, sorted dictionary)."""
    arr = values if isinstance(values, (pa.Array, pa.ChunkedArray)) else pa.array(
        np.asarray(values, dtype=object), type=pa.large_string(), from_pandas=True)
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    if pa.types.is_dictionary(arr.type):
        arr = arr.cast(arr.type.value_type)
    arr = arr.cast(pa.large_string())
    uniques = pc.unique(arr.drop_null())
    uniques = uniques.take(pc.sort_indices(uniques))
    codes = pc.index_in(arr, value_set=uniques)
    validity = np.asarray(arr.is_valid().to_numpy(zero_copy_only=False), dtype=bool)
    codes_np = np.asarray(codes.fill_null(0).to_numpy(zero_copy_only=False), dtype=np.int32)
    return codes_np, validity, Dictionary(uniques)


def unify(a: Dictionary, b: Dictionary) -> tuple[Dictionary, np.ndarray, np.ndarray]:
    """One sorted dictionary for two, and the int32 remap table from each old code to the new."""
    if a == b:
        ident = np.arange(a.code_bound, dtype=np.int32)
        return a, ident, ident
    if a.is_traced or b.is_traced:  # inside jit/vmap: merge on device (capacities add up)
        da, db = a.device(), b.device()
        remap_a, remap_b = kstrings.merged_codes(da, db)
        return Dictionary.from_device(kstrings.merge(da, db, remap_a, remap_b)), remap_a, remap_b
    merged = pc.unique(pa.concat_arrays([a.values, b.values]))
    merged = merged.take(pc.sort_indices(merged))
    remap_a = np.asarray(pc.index_in(a.values, value_set=merged).to_numpy(zero_copy_only=False), dtype=np.int32)
    remap_b = np.asarray(pc.index_in(b.values, value_set=merged).to_numpy(zero_copy_only=False), dtype=np.int32)
    return Dictionary(merged), remap_a, remap_b


def comparable_codes(a: Dictionary, b: Dictionary) -> tuple[Any, Any]:
    """Remap tables putting the codes of two dictionaries into one string order, for
    comparisons only (no merged dictionary is built): on the host eagerly, on device when
    either is traced."""
    if a == b or not (a.is_traced or b.is_traced):
        _, remap_a, remap_b = unify(a, b)
        return remap_a, remap_b
    return kstrings.order_keys(a.device(), b.device())
