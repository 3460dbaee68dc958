"""A column's parts on the host, between a reader (Arrow, CSV, Parquet) and device placement."""

from __future__ import annotations

from dataclasses import dataclass

import jax.numpy as jnp
import numpy as np

from jaxframes import column as colmod
from jaxframes import dtypes as jdt
from jaxframes.column import Column
from jaxframes.dictionary import Dictionary


@dataclass
class HostColumn:
    """A column's parts on the host, ready for one transfer (or one per device when sharded)."""

    data: np.ndarray
    validity: np.ndarray | None
    dtype: jdt.DType
    dictionary: Dictionary | None = None

    def to_device(self) -> Column:
        validity = None if self.validity is None else jnp.asarray(self.validity)
        # device_values: 64-bit values that 32-bit JAX would wrap raise OverflowError instead
        return Column(colmod.device_values(self.data, self.dtype), validity, self.dtype, self.dictionary)
