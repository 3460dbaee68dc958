"""A column's parts on the host, between a reader (Arrow, CSV, Parquet) and device placement.

Readers fill buffers of the frame's final capacity (``sharding.host_buffer``: 64-byte aligned,
padding included) straight from Arrow's chunks, so a column costs one pass over its rows on the
host. Such buffers are *owned* (nobody else holds them): on a single CPU device JAX adopts them
without a copy (DLPack); elsewhere they take one transfer.
"""

from __future__ import annotations

from dataclasses import dataclass

import jax
import numpy as np

from jaxframes import column as colmod
from jaxframes import dtypes as jdt
from jaxframes.column import Column
from jaxframes.dictionary import Dictionary
from jaxframes.sharding import device_array, place_host


@dataclass
class HostColumn:
    """A column's parts on the host, ready for one transfer (or one per device when sharded).
    ``owned``: data and validity are buffers the reader allocated (``host_buffer``), usually
    already padded to the frame's capacity, which the device may take over in place."""

    data: np.ndarray
    validity: np.ndarray | None
    dtype: jdt.DType
    dictionary: Dictionary | None = None
    child: Column | None = None  # a list column's elements, already on device (lists.py)
    owned: bool = False

    def to_device(self, capacity: int | None = None) -> Column:
        """One transfer per array at most (owned buffers of the right size on one CPU device:
        none); padded on the host to ``capacity`` rows when given. 64-bit values that 32-bit JAX
        would wrap raise OverflowError instead (``check_holdable``)."""
        def put(host: np.ndarray) -> jax.Array:
            if self.owned and (capacity is None or len(host) == capacity):
                return device_array(host, owned=True)
            return place_host(host, capacity)
        colmod.check_holdable(np.asarray(self.data), self.dtype)
        validity = None if self.validity is None else put(self.validity)
        return Column(put(self.data), validity, self.dtype, self.dictionary, self.child)
