"""Hypothesis strategies for random pandas frames (the input space of property tests)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import strategies as st

from frames import NULLABLE

_ELEMENTS = {
    "bool": st.booleans(),
    "int64": st.integers(-(2**40), 2**40),
    "int32": st.integers(-(2**20), 2**20),
    "float64": st.floats(-1e6, 1e6, allow_nan=False, width=64),
    "str": st.text(alphabet="abcXYZ é", max_size=4),
    "Int64": st.integers(-1000, 1000),
    "boolean": st.booleans(),
    "Float64": st.floats(-1e3, 1e3, allow_nan=False),
}


@st.composite
def series(draw, dtype: str | None = None, min_size: int = 0, max_size: int = 30, name: str = "x",
           nulls: bool = True) -> pd.Series:
    """A pandas Series of one dtype, with nulls where the dtype allows them."""
    dtype = dtype or draw(st.sampled_from(sorted(_ELEMENTS)))
    n = draw(st.integers(min_size, max_size))
    values = draw(st.lists(_ELEMENTS[dtype], min_size=n, max_size=n))
    s = pd.Series(values, dtype=dtype, name=name)
    if nulls and dtype in NULLABLE and n:
        null_at = draw(st.lists(st.booleans(), min_size=n, max_size=n))
        s = s.mask(np.array(null_at))
    return s


@st.composite
def frames(draw, dtypes: list[str] | None = None, min_size: int = 0, max_size: int = 30,
           nulls: bool = True) -> pd.DataFrame:
    """A pandas DataFrame with columns c0, c1, ... of the given (or drawn) dtypes."""
    if dtypes is None:
        dtypes = draw(st.lists(st.sampled_from(sorted(_ELEMENTS)), min_size=1, max_size=4))
    n = draw(st.integers(min_size, max_size))
    cols = {f"c{i}": draw(series(d, n, n, f"c{i}", nulls)) for i, d in enumerate(dtypes)}
    return pd.DataFrame(cols)
