"""Readers and writers: Parquet, CSV and Arrow, all through pyarrow (no hand-written format code)."""

from jaxframes.io.arrow import from_arrow as from_arrow
from jaxframes.io.arrow import to_arrow as to_arrow
from jaxframes.io.csv import read_csv as read_csv
from jaxframes.io.csv import to_csv as to_csv
from jaxframes.io.parquet import read_parquet as read_parquet
from jaxframes.io.parquet import scan_plan as scan_plan
from jaxframes.io.parquet import to_parquet as to_parquet

__all__ = ["from_arrow", "read_csv", "read_parquet", "scan_plan", "to_arrow", "to_csv", "to_parquet"]
