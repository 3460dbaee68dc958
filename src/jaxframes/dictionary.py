"""Host-side string dictionaries: codes (int32) live on device, sorted strings on the host.

Because the dictionary is sorted, comparing or sorting codes compares or sorts strings.
A Dictionary is static PyTree aux data, so it hashes and compares by content (hash cached).
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc


class Dictionary:
    """An immutable, sorted array of distinct strings."""

    __slots__ = ("values", "_hash")

    def __init__(self, values: pa.Array):
        self.values = values.cast(pa.large_string()) if values.type != pa.large_string() else values
        self._hash: int | None = None

    def __len__(self) -> int:
        return len(self.values)

    def __hash__(self) -> int:
        if self._hash is None:
            self._hash = hash(tuple(self.values.to_pylist()))
        return self._hash

    def __eq__(self, other: object) -> bool:
        if self is other:
            return True
        return isinstance(other, Dictionary) and self.values.equals(other.values)

    def __repr__(self) -> str:
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

    def lookup(self, value: str) -> tuple[int, bool]:
        """(insertion position, found) of a string: codes compare to it like strings do."""
        pos = int(np.searchsorted(self.values.to_numpy(zero_copy_only=False), value))
        found = pos < len(self) and self.values[pos].as_py() == value
        return pos, found


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
        ident = np.arange(len(a), dtype=np.int32)
        return a, ident, ident
    merged = pc.unique(pa.concat_arrays([a.values, b.values]))
    merged = merged.take(pc.sort_indices(merged))
    remap_a = np.asarray(pc.index_in(a.values, value_set=merged).to_numpy(zero_copy_only=False), dtype=np.int32)
    remap_b = np.asarray(pc.index_in(b.values, value_set=merged).to_numpy(zero_copy_only=False), dtype=np.int32)
    return Dictionary(merged), remap_a, remap_b
