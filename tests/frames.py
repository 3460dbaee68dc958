"""Shared test data: pandas frames over the dtype x null-pattern x size grid."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd

SIZES = (0, 1, 7, 1000)
NULLS = ("none", "some", "all")
# (size, nulls) pairs for the big grids: no null pattern at 0 rows (they are all the same frame),
# one row without and with nulls, every pattern at 7, and 1000 rows (the larger capacity bucket)
# with and without nulls.
SIZE_NULLS = ((0, "none"), (1, "none"), (1, "all"), (7, "none"), (7, "some"), (7, "all"),
              (1000, "none"), (1000, "some"))


def spread(*axes, stride: int = 3) -> list[tuple]:
    """A covering subset of the product of ``axes``, about 1/stride of it: the cases whose value
    indices sum to 0 mod ``stride``. Any two values of two axes still meet in some case when the
    remaining axis has at least ``stride`` values (pairwise coverage), so each op still sees every
    dtype and every (size, nulls) pair, at a third of the compile time.

    An axis of tuples (such as SIZE_NULLS) is one axis; the cases are flattened into one tuple."""
    cases = []
    for indices in itertools.product(*(range(len(axis)) for axis in axes)):
        if sum(indices) % stride == 0:
            case = ()
            for axis, i in zip(axes, indices):
                value = axis[i]
                case += value if isinstance(value, tuple) else (value,)
            cases.append(case)
    return cases


DTYPES = ("bool", "int32", "int64", "float32", "float64", "str", "datetime64[ns]",
          "Int64", "Int32", "boolean", "Float64")
NUMERIC_DTYPES = ("bool", "int32", "int64", "float32", "float64", "Int64", "Int32", "boolean", "Float64")
NULLABLE = {"float32", "float64", "str", "datetime64[ns]", "datetime64[s]", "Int64", "Int32", "boolean",
            "Float64"}
# Boundary dtypes, added to a few grids (construction, arithmetic, sort, group-by keys), not all:
# seconds far outside the datetime64[ns] range, and unsigned ints above 2**63.
BOUNDARY_DTYPES = ("datetime64[s]", "uint64", "uint8")


def make_column(dtype: str, n: int, nulls: str = "none", seed: int = 0) -> pd.Series:
    """A column of ``dtype`` with ``n`` rows, ties and negatives included; nulls where the dtype allows."""
    rng = np.random.default_rng(seed)
    ints = rng.integers(-5, 6, size=n)
    if dtype in ("bool", "boolean"):
        values = pd.Series(ints > 0, dtype=dtype)
    elif dtype in ("int32", "int64", "Int64", "Int32"):
        values = pd.Series(ints, dtype=dtype)
    elif dtype in ("float32", "float64", "Float64"):
        values = pd.Series(ints * 0.5 + rng.normal(size=n).round(2), dtype=dtype)
    elif dtype == "str":
        words = np.array(["apple", "Banana", "cherry", "", "ünï", "date", "fig"], dtype=object)
        values = pd.Series(words[np.abs(ints) % len(words)], dtype="str")
    elif dtype == "datetime64[ns]":
        values = pd.Series(pd.Timestamp("2024-01-01") + pd.to_timedelta(ints * 3600, unit="s")).astype(dtype)
    elif dtype == "datetime64[s]":  # the year 1500: no datetime64[ns] form
        values = pd.Series((np.datetime64("1500-01-01", "s") + ints * 3600).astype(dtype))
    elif dtype in ("uint8", "uint64"):
        small = np.abs(ints).astype(dtype)  # ties near 0 and near the top (uint64: above 2**63)
        values = pd.Series(np.where(ints > 0, np.iinfo(dtype).max - small, small).astype(dtype))
    else:
        raise ValueError(dtype)
    if nulls != "none" and dtype in NULLABLE and n:
        null_at = rng.random(n) < 0.3 if nulls == "some" else np.ones(n, bool)
        values = values.mask(null_at)
    return values.reset_index(drop=True)


def make_frame(dtypes=DTYPES, n: int = 7, nulls: str = "none", seed: int = 0) -> pd.DataFrame:
    """One column per dtype, named c0, c1, ..."""
    return pd.DataFrame({f"c{i}": make_column(d, n, nulls, seed + i) for i, d in enumerate(dtypes)})
