"""CSV through pyarrow.csv, configured to give what ``pandas.read_csv`` gives.

pyarrow's own inference differs from pandas' in a few places, so the options are set to
pandas' rules: pandas' default NA strings (plus ``na_values``), only True/TRUE/true and
False/FALSE/false as booleans, and no automatic date parsing (columns Arrow inferred as dates or
timestamps are re-read as strings unless named in ``parse_dates``, which pandas' to_datetime
parses, leaving the column as strings when it cannot, as pandas does).

Not matched: pandas' type inference reads all rows (``nrows`` included); with ``nrows`` we stop
after the first Arrow blocks holding those rows, whose types Arrow infers from its first block.
Dates parsed with ``parse_dates`` keep the unit pandas' to_datetime picks (pandas 3: often 'us').
``nrows=0`` gives 'str' columns where pandas gives object columns (we hold no object columns).
"""

from __future__ import annotations

import os
from typing import Any, Hashable, Sequence

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from jaxframes import dtypes as jdt
from jaxframes.io.arrow import table_to_frame
from jaxframes.table import make_frame, new_frame

# pandas' default NA strings (pandas._libs.parsers.STR_NA_VALUES), kept in sync with pandas 3.1.
PANDAS_NA = sorted({"", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND",
                    "1.#QNAN", "<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null"})
TRUE_VALUES = ["True", "TRUE", "true"]
FALSE_VALUES = ["False", "FALSE", "false"]
_ARROW_TYPES = {"b": {1: pa.bool_()}, "i": {1: pa.int8(), 2: pa.int16(), 4: pa.int32(), 8: pa.int64()},
                "u": {1: pa.uint8(), 2: pa.uint16(), 4: pa.uint32(), 8: pa.uint64()},
                "f": {4: pa.float32(), 8: pa.float64()}}


def read_csv(path: Any, sep: str = ",", header: int | str | None = "infer", names: Sequence[Hashable] | None = None,
             usecols: Sequence[Any] | None = None, dtype: Any = None, parse_dates: Sequence[Hashable] | None = None,
             na_values: Any = None, nrows: int | None = None, index_col: Any = None):
    """Read a CSV file (path or file-like) into a DataFrame, with pandas.read_csv's result.
    ``index_col``: a column label or position (or a list of one) becomes the index."""
    if index_col is True:
        raise ValueError("The value of index_col couldn't be 'True'")
    source = _source(path)
    parse = _parse_options(sep)
    read, labels_of = _read_options(source, parse, header, names)
    arrow_names = _arrow_names(source, read, parse)
    labels = labels_of(arrow_names)
    by_label = dict(zip(labels, arrow_names))
    include = _usecols(usecols, labels, arrow_names)
    targets = _targets(dtype, labels, by_label)
    dates = _parse_dates(parse_dates, by_label)
    if nrows is not None and (not isinstance(nrows, int) or isinstance(nrows, bool) or nrows < 0):
        raise ValueError("'nrows' must be an integer >=0")
    column_types = {name: _arrow_type(t) for name, t in targets.items()}
    column_types.update({name: pa.string() for name in dates})
    table = _read(source, read, parse, _convert(na_values, column_types, include), nrows)
    inferred_dates = [f.name for f in table.schema if f.name not in column_types and _is_temporal(f.type)]
    if inferred_dates:  # pandas leaves unparsed dates as strings
        column_types.update({name: pa.string() for name in inferred_dates})
        table = _read(source, read, parse, _convert(na_values, column_types, include), nrows)
    table = _fix_null_columns(table, column_types)
    if nrows == 0:  # pandas: object columns with no rows; ours hold no objects: 'str' (as from_pandas)
        table = pa.table([c.cast(column_types.get(n, pa.string())) for n, c in zip(table.column_names,
                                                                                   table.columns)],
                         names=table.column_names)
    kept = [labels[arrow_names.index(n)] for n in table.column_names]
    frame = table_to_frame(table.rename_columns([str(i) for i in range(table.num_columns)]),
                           targets={str(i): targets[n] for i, n in enumerate(table.column_names) if n in targets})
    frame = frame.set_axis(kept, axis=1)
    frame = _apply_dates(frame, dates, labels, arrow_names) if dates else frame
    return frame if index_col is None or index_col is False else _set_index_col(frame, index_col, kept)


def _set_index_col(frame: Any, index_col: Any, kept: list) -> Any:
    """pandas' index_col: labels or positions among the columns read."""
    cols = list(index_col) if isinstance(index_col, (list, tuple)) else [index_col]
    if len(cols) != 1:
        raise NotImplementedError("read_csv(index_col=<several columns>): MultiIndex rows are not supported")
    col = cols[0]
    if isinstance(col, int) and not isinstance(col, bool) and col not in kept:
        if not -len(kept) <= col < len(kept):
            raise IndexError(f"list index out of range: index_col={col} with {len(kept)} columns")
        col = kept[col]
    elif col not in kept:
        raise ValueError(f"Index {col} invalid")
    return frame.set_index(col)


def _source(path: Any) -> Any:
    """A re-readable source: a local path, or the bytes of a file-like object."""
    if hasattr(path, "read"):
        data = path.read()
        return data.encode() if isinstance(data, str) else bytes(data)
    source = os.fspath(path)
    if not os.path.exists(source):
        raise FileNotFoundError(f"[Errno 2] No such file or directory: {source!r}")
    return source


def _open(source: Any) -> Any:
    return pa.BufferReader(source) if isinstance(source, bytes) else source


def _parse_options(sep: Any) -> pacsv.ParseOptions:
    if sep is None or (isinstance(sep, str) and len(sep) > 1):
        raise NotImplementedError("read_csv: sep=None (sniffing) and multi-character or regex separators")
    if not isinstance(sep, str) or len(sep) != 1:
        raise ValueError(f"sep must be a one-character string, got {sep!r}")
    if sep in ('"', "\n", "\r"):
        raise ValueError(f"sep {sep!r} cannot be the quote or line-end character")
    return pacsv.ParseOptions(delimiter=sep)


def _read_options(source: Any, parse: pacsv.ParseOptions, header: Any, names: Any):
    """ReadOptions, and a function from Arrow's column names to pandas' column labels."""
    if header == "infer":
        header = None if names is not None else 0
    if isinstance(header, bool) or not (header is None or isinstance(header, int)):
        raise NotImplementedError(f"read_csv(header={header!r}): only 'infer', None or one row number")
    if isinstance(header, int) and header < 0:
        raise ValueError("Passing negative integer to header is invalid. For no header, use header=None instead")
    if names is not None:
        names = list(names)
        if len(set(names)) != len(names):
            raise ValueError("Duplicate names are not allowed.")
        arrow = [f"f{i}" for i in range(len(names))]
        skip = 0 if header is None else header + 1
        return pacsv.ReadOptions(column_names=arrow, skip_rows=skip), lambda got: names
    if header is None:
        return (pacsv.ReadOptions(autogenerate_column_names=True),
                lambda got: [int(n[1:]) for n in got])
    return pacsv.ReadOptions(skip_rows=header), lambda got: list(got)


def _arrow_names(source: Any, read: pacsv.ReadOptions, parse: pacsv.ParseOptions) -> list[str]:
    """Column names as Arrow sees them (from the first block only: the header row)."""
    convert = pacsv.ConvertOptions(column_types={}, null_values=PANDAS_NA, strings_can_be_null=True)
    try:
        with pacsv.open_csv(_open(source), read_options=read, parse_options=parse, convert_options=convert) as r:
            names = r.schema.names
    except pa.ArrowInvalid as err:
        if "Empty CSV file" in str(err):
            raise pd.errors.EmptyDataError("No columns to parse from file") from err
        raise ValueError(f"cannot parse CSV: {err}") from err
    if len(set(names)) != len(names):
        raise NotImplementedError("duplicate column names in the CSV header (pandas renames them a.1, ...)")
    return names


def _usecols(usecols: Any, labels: list, arrow_names: list[str]) -> list[str] | None:
    if usecols is None:
        return None
    if callable(usecols) or isinstance(usecols, str):
        raise NotImplementedError("read_csv(usecols=...) as a callable or string: pass a list")
    wanted = list(usecols)
    if all(isinstance(u, int) and not isinstance(u, bool) for u in wanted) and not all(u in labels for u in wanted):
        bad = [u for u in wanted if not 0 <= u < len(labels)]
        if bad:
            raise ValueError(f"Defining usecols with out-of-bounds indices is not allowed. {bad} are out-of-bounds.")
        positions = sorted(set(wanted))
    else:
        missing = [u for u in wanted if u not in labels]
        if missing:
            raise ValueError(f"Usecols do not match columns, columns expected but not found: {missing}")
        positions = sorted({labels.index(u) for u in wanted})
    return [arrow_names[p] for p in positions]  # pandas keeps the file's column order


def _targets(dtype: Any, labels: list, by_label: dict) -> dict[str, jdt.DType]:
    if dtype is None:
        return {}
    if not isinstance(dtype, dict):
        return {name: _parse_dtype(dtype) for name in by_label.values()}
    return {by_label[k]: _parse_dtype(v) for k, v in dtype.items() if k in by_label}


def _parse_dtype(dtype: Any) -> jdt.DType:
    parsed = jdt.parse(dtype)
    _arrow_type(parsed)
    return parsed


def _arrow_type(dtype: jdt.DType) -> pa.DataType:
    if dtype.kind == "U":
        return pa.string()
    if dtype.kind == "M":
        return pa.timestamp(dtype.unit)
    if dtype.kind == "m":
        raise NotImplementedError(f"read_csv(dtype={dtype})")
    return _ARROW_TYPES[dtype.kind][dtype.storage.itemsize]


def _parse_dates(parse_dates: Any, by_label: dict) -> list[str]:
    if parse_dates is None or parse_dates is False:
        return []
    if parse_dates is True or isinstance(parse_dates, dict):
        raise NotImplementedError("read_csv(parse_dates=True or a dict): pass a list of column names")
    missing = [c for c in parse_dates if c not in by_label]
    if missing:
        raise ValueError(f"Missing column provided to 'parse_dates': '{', '.join(map(str, missing))}'")
    return [by_label[c] for c in parse_dates]


def _na_strings(na_values: Any) -> list[str]:
    if na_values is None:
        return PANDAS_NA
    if isinstance(na_values, dict):
        raise NotImplementedError("read_csv(na_values=dict): per-column NA values")
    extra = [na_values] if isinstance(na_values, (str, int, float)) else list(na_values)
    return sorted(set(PANDAS_NA) | {str(v) for v in extra})


def _convert(na_values: Any, column_types: dict, include: list[str] | None) -> pacsv.ConvertOptions:
    return pacsv.ConvertOptions(
        column_types=column_types, null_values=_na_strings(na_values), true_values=TRUE_VALUES,
        false_values=FALSE_VALUES, strings_can_be_null=True, quoted_strings_can_be_null=True,
        include_columns=include or [])


def _read(source: Any, read: pacsv.ReadOptions, parse: pacsv.ParseOptions, convert: pacsv.ConvertOptions,
          nrows: int | None) -> pa.Table:
    try:
        if nrows is None:
            return pacsv.read_csv(_open(source), read_options=read, parse_options=parse, convert_options=convert)
        batches, count = [], 0
        with pacsv.open_csv(_open(source), read_options=read, parse_options=parse, convert_options=convert) as r:
            schema = r.schema
            while count < nrows:
                try:
                    batch = r.read_next_batch()
                except StopIteration:
                    break
                batches.append(batch)
                count += batch.num_rows
        return pa.Table.from_batches(batches, schema=schema).slice(0, nrows)
    except pa.ArrowInvalid as err:
        raise ValueError(f"cannot parse CSV: {err}") from err


def _is_temporal(typ: pa.DataType) -> bool:
    return pa.types.is_timestamp(typ) or pa.types.is_date(typ) or pa.types.is_time(typ)


def _fix_null_columns(table: pa.Table, column_types: dict) -> pa.Table:
    """An all-NA column: pandas gives float64 (Arrow: the null type); 'str' if asked for strings."""
    for i, field in enumerate(table.schema):
        if pa.types.is_null(field.type):
            table = table.set_column(i, field.name, table.column(i).cast(column_types.get(field.name, pa.float64())))
    return table


def _apply_dates(frame: Any, dates: list[str], labels: list, arrow_names: list[str]):
    """pandas' to_datetime on the parse_dates columns; a column it cannot parse stays strings."""
    columns = dict(frame._columns)
    for name in dates:
        label = labels[arrow_names.index(name)]
        if label not in columns:
            continue
        series = new_frame({label: columns[label]}, frame._index, frame._row_mask).to_pandas()[label]
        try:
            parsed = pd.to_datetime(series)
        except (ValueError, TypeError):
            continue
        columns[label] = make_frame(parsed.to_frame())._columns[label]
    return frame._with_columns(columns)


def to_csv(frame: Any, path: Any = None, index: bool = True, sep: str = ",", header: Any = True) -> str | None:
    """pandas writes it (exactly pandas' format: float repr, NA as empty, quoting)."""
    return frame.to_pandas().to_csv(path, index=index, sep=sep, header=header)
