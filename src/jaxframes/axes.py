"""pandas' ``axis=`` argument: one reading of 0/'index'/'rows' and 1/'columns' for every method,
with pandas' error for an axis the object does not have."""
from __future__ import annotations

from typing import Any

ROWS = (0, "index", "rows")
COLUMNS = (1, "columns")


def axis_number(axis: Any, owner: str = "DataFrame", default: int | None = 0) -> int:
    """0 for the rows, 1 for the columns (DataFrames only); ``None`` gives ``default`` (a method
    whose pandas signature has no default passes ``default=None``, and None then raises)."""
    if axis is None and default is not None:
        return default
    if isinstance(axis, (list, tuple, dict, set)):
        raise ValueError(f"No axis named {axis} for object type {owner}")
    if axis in ROWS:
        return 0
    if axis in COLUMNS and owner == "DataFrame":
        return 1
    raise ValueError(f"No axis named {axis} for object type {owner}")


def owner_name(obj: Any) -> str:
    """The type name pandas puts in its axis errors: 'DataFrame' or 'Series'."""
    return "Series" if getattr(type(obj), "_jf_kind", "") == "series" else "DataFrame"
