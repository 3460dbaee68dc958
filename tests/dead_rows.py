"""Frames whose DEAD rows would trigger pandas' value-dependent rules, for filtered-frame tests.

``with_dead_rows(pdf)`` makes the int/float columns of ``pdf`` positive (so that live rows
trigger no rule: no zero divisor, no negative exponent; nulls stay where they were), inserts
rows holding zeros, negatives and nulls (first, middle and last), and adds a bool column
``live`` that is False exactly on those rows. A test runs its operator on ``on_live(df)``:
pandas only ever sees the positive rows, so an answer decided by a dead row shows up as a
mismatch (``f['a'] // f['b']`` float64 instead of int64, a ValueError from ``**``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

_DEAD_VALUES = {  # kind -> (zero row, negative row, null row when the dtype holds no nulls)
    "i": (0, -1, -3),
    "f": (0.0, -1.5, -2.0),
    "b": (False, True, False),
}


def _positive(col: pd.Series) -> pd.Series:
    if col.dtype.kind in "iuf" or str(col.dtype) in ("Int64", "Int32", "Float64"):
        return col.abs() + 1
    return col


def _dead(col: pd.Series) -> pd.Series:
    kind = "b" if str(col.dtype) in ("bool", "boolean") else ("f" if "loat" in str(col.dtype) else "i")
    zero, negative, fallback = _DEAD_VALUES[kind]
    nullable = col.dtype.kind == "f" or isinstance(col.dtype, pd.api.extensions.ExtensionDtype)
    null = None if nullable else fallback
    return pd.Series([zero, negative, null], dtype=col.dtype)


def with_dead_rows(pdf: pd.DataFrame) -> pd.DataFrame:
    """``pdf`` made positive, with three dead rows (zero, negative, null) and a ``live`` column."""
    live = pdf.apply(_positive) if len(pdf.columns) else pdf
    dead = pd.DataFrame({c: _dead(pdf[c]) for c in pdf.columns})
    half = len(live) // 2
    parts = [dead.iloc[:1], live.iloc[:half], dead.iloc[1:2], live.iloc[half:], dead.iloc[2:]]
    flags = [False] + [True] * half + [False] + [True] * (len(live) - half) + [False]
    out = pd.concat(parts, ignore_index=True)
    out["live"] = flags
    return out


def on_live(df):
    """The frame's live rows as a filter (a row mask, in JaxFrames), without the ``live`` column."""
    return df[df["live"]].drop(columns=["live"])
