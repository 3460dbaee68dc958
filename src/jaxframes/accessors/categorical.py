"""``Series.cat``: the codes, categories and orderedness of a categorical Series.

A categorical column holds int32 codes in pandas' category order on device (so sorting codes
sorts like pandas) and its categories as static host data in its CategoryDType.
"""

from __future__ import annotations

from typing import Any

import jax.numpy as jnp
import numpy as np
import pandas as pd

from jaxframes import dtypes as jdt
from jaxframes.column import Column


def _code_dtype(n_categories: int) -> jdt.DType:
    """pandas' smallest signed code type for this many categories (int8, int16, int32, ...)."""
    if n_categories < np.iinfo(np.int8).max:
        return jdt.INT8
    if n_categories < np.iinfo(np.int16).max:
        return jdt.INT16
    if n_categories < np.iinfo(np.int32).max:
        return jdt.INT32
    return jdt.INT64


class CategoricalAccessor:
    """``s.cat`` for a category Series, as pandas' ``Series.cat``."""

    def __init__(self, series: Any):
        if not isinstance(series._column.dtype, jdt.CategoryDType):
            raise AttributeError("Can only use .cat accessor with a 'category' dtype")
        self._series = series

    @property
    def _dtype(self) -> jdt.CategoryDType:
        return self._series._column.dtype

    @property
    def codes(self) -> Any:
        """The integer codes (-1 for nulls), in pandas' small integer dtype."""
        col = self._series._column
        target = _code_dtype(len(self._dtype.categories))
        data = col.data if col.validity is None else jnp.where(col.validity, col.data, -1)
        out = Column(data.astype(target.storage), None, target)
        return self._series._with_column(out, name=None)  # pandas drops the name here

    @property
    def categories(self) -> pd.Index:
        """The categories, as a pandas Index (host metadata)."""
        return jdt.to_pandas(self._dtype).categories

    @property
    def ordered(self) -> bool:
        return bool(self._dtype.ordered)

    def __getattr__(self, name: str) -> Any:
        if name in ("rename_categories", "reorder_categories", "add_categories", "remove_categories",
                    "remove_unused_categories", "set_categories", "as_ordered", "as_unordered"):
            raise NotImplementedError(f"Series.cat.{name} is not supported yet")
        raise AttributeError(f"'CategoricalAccessor' object has no attribute {name!r}")
