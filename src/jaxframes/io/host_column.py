"""A column's parts on the host, between a reader (Arrow, CSV, Parquet) and device placement."""

from __future__ import annotations

from dataclasses import dataclass

import jax
import jax.numpy as jnp
import numpy as np

from jaxframes import column as colmod
from jaxframes import dtypes as jdt
from jaxframes.column import Column
from jaxframes.dictionary import Dictionary
from jaxframes.sharding import pad_host


@dataclass
class HostColumn:
    """A column's parts on the host, ready for one transfer (or one per device when sharded)."""

    data: np.ndarray
    validity: np.ndarray | None
    dtype: jdt.DType
    dictionary: Dictionary | None = None
    child: Column | None = None  # a list column's elements, already on device (lists.py)

    def to_device(self, capacity: int | None = None) -> Column:
        """One transfer per array; padded on the host to ``capacity`` rows when given. 64-bit
        values that 32-bit JAX would wrap raise OverflowError instead (``check_holdable``)."""
        def put(host: np.ndarray) -> jax.Array:
            return jnp.asarray(host if capacity is None else pad_host(host, capacity))
        colmod.check_holdable(np.asarray(self.data), self.dtype)
        validity = None if self.validity is None else put(self.validity)
        return Column(put(self.data), validity, self.dtype, self.dictionary, self.child)
