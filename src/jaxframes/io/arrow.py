"""Arrow <-> JaxFrames without going through pandas objects for the common column types.

Reading: each Arrow column becomes host numpy parts (data, validity, dictionary) with the dtype
``table.to_pandas()`` would give (asked of pyarrow on a zero-row slice, so pandas metadata such as
Int64/boolean and the stored index are honoured), then one device transfer per array.
Numeric columns without nulls are zero-copy views of the Arrow buffer; dictionary arrays keep
their codes (the dictionary is sorted and the codes remapped, no row is decoded). ``list<T>``
and ``large_list<T>`` columns become list columns (lists.py: Arrow's offsets as [start, length]
pairs, the values as the child column), an object column as ``to_pandas`` gives (pandas shows
numpy arrays per row, ours lists: equal values). Types without a fast path (dates, structs, ...)
go through pandas for that column only.

Timestamps and durations keep the unit pandas gives them (pandas 3 keeps Arrow's s/ms/us/ns),
unsigned ints stay unsigned. Difference from pandas (our column model holds no categoricals
read from Arrow): dictionary (categorical) columns become 'str' columns (pandas gives 'category').
Decimal columns (decimal128 of up to 18 digits) become ``decimal128(p, s)[pyarrow]`` columns held
as scaled int64, the dtype pandas gives with ``types_mapper=pd.ArrowDtype`` (its default
conversion gives object columns of Python Decimals); wider decimals raise, naming the column.
"""

from __future__ import annotations

import json
from typing import Any, Hashable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from jaxframes import column as colmod
from jaxframes import dtypes as jdt
from jaxframes import index as idxmod
from jaxframes import lists
from jaxframes.column import Column
from jaxframes.dictionary import Dictionary, encode
from jaxframes.sharding import data_capacity, host_buffer, live_prefix
from jaxframes.table import new_frame
from jaxframes.io.host_column import HostColumn
from jaxframes.io.placement import place_parts


# -- Arrow -> host columns ----------------------------------------------------------------------
#: schema (with its metadata) -> pandas_layout: a stream's batches share one schema, and the
#: zero-row conversion costs milliseconds (~15% of a streamed TPC-H q1 before it was kept).
_LAYOUTS: dict[tuple, tuple[list[Hashable], list[str], dict[str, Any]]] = {}
_MAX_LAYOUTS = 64


def pandas_layout(table: pa.Table) -> tuple[list[Hashable], list[str], dict[str, Any]]:
    """(column labels as pandas restores them, index column names, pandas dtype per arrow column)
    for ``table.to_pandas()``: depends on the schema alone, so kept per schema."""
    schema = table.schema
    key = (schema, tuple(sorted((schema.metadata or {}).items())))  # (== on schemas skips metadata)
    layout = _LAYOUTS.get(key)
    if layout is None:
        if len(_LAYOUTS) >= _MAX_LAYOUTS:
            _LAYOUTS.clear()
        layout = _LAYOUTS[key] = _pandas_layout(table)
    labels, index_cols, dtypes = layout
    return list(labels), list(index_cols), dict(dtypes)


def _pandas_layout(table: pa.Table) -> tuple[list[Hashable], list[str], dict[str, Any]]:
    """``pandas_layout`` found from a zero-row slice (no data converted)."""
    meta = table.schema.pandas_metadata or {}
    index_cols = [c for c in meta.get("index_columns", []) if isinstance(c, str) and c in table.column_names]
    empty = table.slice(0, 0)
    for i, field in enumerate(empty.schema):  # categories are not needed (and may hold nulls)
        if pa.types.is_dictionary(field.type):
            empty = empty.set_column(i, field.name, empty.column(i).cast(field.type.value_type))
    empty = empty.to_pandas()
    data_names = [n for n in table.column_names if n not in index_cols]
    if len(data_names) != len(empty.columns):
        raise NotImplementedError("this Arrow table's pandas metadata (duplicate or multi-level columns)")
    if isinstance(empty.columns, pd.MultiIndex):
        raise NotImplementedError("MultiIndex columns are not supported")
    pandas_dtypes = {name: empty.dtypes.iloc[i] for i, name in enumerate(data_names)}
    return list(empty.columns), index_cols, pandas_dtypes


def host_column(arr: pa.ChunkedArray | pa.Array, pandas_dtype: Any, target: jdt.DType | None = None,
                capacity: int | None = None) -> HostColumn:
    """Host parts of one Arrow column. ``pandas_dtype``: what pandas' conversion gives for it
    with no nulls (null-dependent changes, e.g. int -> float64, are applied here); ``target``:
    a dtype the caller asked for (CSV ``dtype=``), which must hold the values exactly.
    ``capacity``: the rows of the frame it goes to. Numeric, temporal and dictionary columns are
    written chunk by chunk (row group by row group) straight into owned buffers of that size,
    padding included: one pass over the rows, no ``combine_chunks``. Other types are padded
    when placed."""
    rows = len(arr)
    capacity = rows if capacity is None else capacity
    typ = arr.type
    if pa.types.is_list(typ) or pa.types.is_large_list(typ):
        return _list_column(_combined(arr), pandas_dtype)
    if pa.types.is_dictionary(typ):
        if pa.types.is_string(typ.value_type) or pa.types.is_large_string(typ.value_type) \
                or pa.types.is_string_view(typ.value_type):
            return _dictionary_column(_chunks(arr), target or jdt.STR, capacity)
        arr, typ = arr.cast(typ.value_type), typ.value_type
        pandas_dtype = typ.to_pandas_dtype()
    if target is None and pa.types.is_date(typ):  # refused at every length: empty reads agree
        raise TypeError(f"{typ} values: pandas reads Arrow dates as an object column of datetime.date, which a "
                        "JaxFrames column does not hold; read_parquet(..., to_pandas_kwargs={'date_as_object': "
                        "False}) reads them as datetime64[ms]")
    if target is None:
        target = _logical(typ, pandas_dtype, arr.null_count)
    if target is None:
        return _via_pandas(_combined(arr), pandas_dtype)
    kind = target.kind
    if kind == "d":
        arr = _combined(arr)
        if not pa.types.is_decimal(typ):
            arr = arr.cast(pa.decimal128(target.precision, target.scale))
        elif typ != pa.decimal128(target.precision, target.scale):
            raise NotImplementedError(f"reading {typ} as {target} (a decimal rescale) is not supported")
        data, validity = colmod.decimal_parts(arr, target)
        return HostColumn(data, validity, target)
    if kind == "U":
        arr = _combined(arr)
        if not (pa.types.is_string(typ) or pa.types.is_large_string(typ)):
            arr = arr.cast(pa.large_string())
        codes, validity, dictionary = encode(arr)
        return HostColumn(codes, validity, target, dictionary)
    chunks = _chunks(arr)
    if kind in "Mm":
        unit_type = pa.timestamp(target.unit) if kind == "M" else pa.duration(target.unit)
        # a safe cast (out-of-range values raise); a view when the unit is already right
        data, owned = _fill(chunks, np.int64, capacity, lambda c: _values(c.cast(unit_type).cast(pa.int64()), 0))
        return HostColumn(data, _fill_validity(chunks, capacity, always=True), target, owned=owned)
    if arr.null_count and not target.masked and target.kind != "f":
        raise ValueError(f"Integer column has NA values; cannot hold them as {target}")
    if target.kind == "f" and not target.masked:  # nulls become NaN (ints with nulls: float64)
        arrow_type = pa.from_numpy_dtype(target.storage)
        data, owned = _fill(chunks, target.storage, capacity,
                            lambda c: c.cast(arrow_type).to_numpy(zero_copy_only=False))
        return HostColumn(data, None, target, owned=owned)
    data, owned = _fill(chunks, target.storage, capacity, lambda c: _values(c, 0))
    validity = _fill_validity(chunks, capacity) if target.masked else None
    return HostColumn(data, validity, target, owned=owned)


def _chunks(arr: pa.ChunkedArray | pa.Array) -> list[pa.Array]:
    return list(arr.chunks) if isinstance(arr, pa.ChunkedArray) else [arr]


def _combined(arr: pa.ChunkedArray | pa.Array) -> pa.Array:
    """One contiguous array (for the paths that are not written chunk by chunk)."""
    if not isinstance(arr, pa.ChunkedArray):
        return arr
    if pa.types.is_dictionary(arr.type) and arr.num_chunks > 1:
        arr = _unified(arr)
    return arr.combine_chunks() if arr.num_chunks != 1 else arr.chunk(0)


def _fill(chunks: list[pa.Array], dtype: Any, capacity: int, values: Any) -> tuple[np.ndarray, bool]:
    """(host values, owned): one owned buffer of ``capacity`` rows, each chunk's
    ``values(chunk)`` (a numpy array, usually a view of Arrow's buffer) copied into place and
    zeros after the last row; or, for one chunk that fills the capacity, its values as they
    are (a zero-copy view of Arrow's buffer where the layout allows, not owned)."""
    if len(chunks) == 1 and len(chunks[0]) == capacity:
        return np.asarray(values(chunks[0]), dtype=dtype), False
    out = host_buffer(capacity, dtype)
    start = 0
    for chunk in chunks:
        if len(chunk):
            out[start:start + len(chunk)] = values(chunk)
            start += len(chunk)
    out[start:] = 0
    return out, True


def _fill_validity(chunks: list[pa.Array], capacity: int, always: bool = False) -> np.ndarray | None:
    """The chunks' validity bitmaps unpacked into one owned bool buffer (False after the last
    row); None when no row is null, unless ``always``."""
    if not always and not any(c.null_count for c in chunks):
        return None
    out = host_buffer(capacity, np.bool_)
    start = 0
    for chunk in chunks:
        out[start:start + len(chunk)] = _chunk_validity(chunk)
        start += len(chunk)
    out[start:] = False
    return out


def _chunk_validity(chunk: pa.Array) -> np.ndarray | bool:
    """One chunk's validity: True (no nulls) or its bitmap unpacked to bools."""
    if not chunk.null_count:
        return True
    bits = chunk.buffers()[0]
    if bits is None:  # a null-typed array: no bitmap, every row null
        return False
    unpacked = np.unpackbits(np.frombuffer(bits, np.uint8), count=chunk.offset + len(chunk), bitorder="little")
    return unpacked[chunk.offset:].view(np.bool_)


def _unified(arr: pa.ChunkedArray) -> pa.ChunkedArray:
    """One dictionary for all chunks (row groups), so their codes concatenate. pyarrow cannot
    unify dictionaries holding a null entry: those chunks are decoded instead."""
    try:
        return arr.unify_dictionaries()
    except pa.ArrowInvalid:
        return arr.cast(arr.type.value_type)


def _logical(typ: pa.DataType, pandas_dtype: Any, null_count: int) -> jdt.DType | None:
    """Our dtype for an Arrow type with pandas' conversion rule, or None: convert via pandas."""
    if isinstance(pandas_dtype, pd.StringDtype) and (pa.types.is_string(typ) or pa.types.is_large_string(typ)
                                                     or pa.types.is_string_view(typ)):
        return jdt.from_pandas(pandas_dtype)
    if pa.types.is_timestamp(typ) and typ.tz is not None and isinstance(pandas_dtype, pd.DatetimeTZDtype):
        return jdt.from_pandas(pandas_dtype)  # UTC instants, as Arrow holds them; the zone in the dtype
    if (pa.types.is_timestamp(typ) and typ.tz is None) or pa.types.is_duration(typ):
        # pandas' dtype carries the unit it keeps (Arrow's own, for s/ms/us/ns)
        return jdt.from_pandas(pandas_dtype) if np.dtype(pandas_dtype).kind in "Mm" else None
    if pa.types.is_decimal(typ):  # held as scaled int64 (jdt.DecimalDType); over 18 digits raises
        return jdt.from_pandas(pd.ArrowDtype(typ))
    numeric = pa.types.is_integer(typ) or pa.types.is_floating(typ) or pa.types.is_boolean(typ)
    if not numeric or pa.types.is_float16(typ):
        return None
    if isinstance(pandas_dtype, pd.api.extensions.ExtensionDtype):
        name = str(pandas_dtype)
        return jdt.parse(name) if name in ("Int64", "Int32", "boolean", "Float64", "Float32") else None
    np_dtype = np.dtype(pandas_dtype)
    if null_count and np_dtype.kind in "iu":
        return jdt.FLOAT64  # pandas: an int column with nulls becomes float64
    if null_count and np_dtype.kind == "b":
        return None  # pandas: object column of True/False/None (we refuse it, as from_pandas does)
    return jdt.from_pandas(np_dtype)


def null_targets(table: pa.Table, null_counts: dict[str, int]) -> dict[str, jdt.DType]:
    """Dtypes for a part of a larger table (one process's rows) whose columns have nulls
    elsewhere only (``null_counts``: over the whole table): what pandas decides over all rows
    (an int column with a null anywhere becomes float64 everywhere)."""
    _, _, pandas_dtypes = pandas_layout(table)
    out = {}
    for name, count in null_counts.items():
        arr = table.column(name)
        if count and not arr.null_count and not pa.types.is_dictionary(arr.type):
            target = _logical(arr.type, pandas_dtypes[name], count)
            if target is not None:
                out[name] = target
    return out


def _values(arr: pa.Array, fill: Any) -> np.ndarray:
    """The values buffer as numpy: zero-copy without nulls (except bit-packed bools)."""
    if arr.null_count:
        arr = arr.fill_null(False if pa.types.is_boolean(arr.type) else fill)
    return arr.to_numpy(zero_copy_only=False)


def _dictionary_column(chunks: list[pa.DictionaryArray], target: jdt.DType, capacity: int) -> HostColumn:
    """Keep Arrow's codes: one sorted dictionary for the chunks' (row groups') dictionaries,
    and each chunk's codes remapped through it into one owned buffer. No row is decoded."""
    entries = [c.dictionary.cast(pa.large_string()) for c in chunks]
    uniques, remaps = _sorted_dictionary(entries)
    codes = host_buffer(capacity, np.int32)
    validity = host_buffer(capacity, np.bool_)  # string columns always carry one
    start = 0
    for chunk, values, remap in zip(chunks, entries, remaps):
        rows = len(chunk)
        if not rows:
            continue
        out = codes[start:start + rows]
        indices = _raw_values(chunk.indices)  # undefined under nulls: clipped, and masked by validity
        if len(values):
            if np.array_equal(remap, np.arange(len(values))):  # already sorted: a copy
                np.clip(indices, 0, len(values) - 1, out=out, casting="unsafe")
            else:
                np.take(remap, indices, out=out, mode="clip")
        else:
            out[:] = 0
        valid = validity[start:start + rows]
        valid[:] = _chunk_validity(chunk)
        if values.null_count:  # a null dictionary entry makes its rows null too
            entry_valid = np.asarray(values.is_valid().to_numpy(zero_copy_only=False), dtype=bool)
            valid &= np.take(entry_valid, indices, mode="clip")
        start += rows
    codes[start:] = 0
    validity[start:] = False
    return HostColumn(codes, validity, target, Dictionary(uniques), owned=True)


def _sorted_dictionary(entries: list[pa.Array]) -> tuple[pa.Array, list[np.ndarray]]:
    """(the sorted distinct non-null strings of every chunk's dictionary, per chunk the int32
    position of each of its entries there; 0 for a null entry). One hash pass over all entries
    (``dictionary_encode``) and one sort of the distinct strings: a lookup per chunk
    (``index_in``) would rebuild the hash table of every distinct string for each row group,
    ~2x the sort for a column of near-unique strings (TPC-H o_comment)."""
    every = pa.concat_arrays(entries) if entries else pa.array([], pa.large_string())
    encoded = pc.dictionary_encode(every)  # nulls stay null indices (null_encoding="mask")
    distinct = encoded.dictionary
    order = pc.sort_indices(distinct).to_numpy(zero_copy_only=False)
    rank = np.empty(len(distinct), np.int32)
    rank[order] = np.arange(len(distinct), dtype=np.int32)
    positions = encoded.indices.fill_null(0).to_numpy(zero_copy_only=False)
    remap = rank[positions] if len(distinct) else np.zeros(len(every), np.int32)
    if every.null_count:
        remap[np.asarray(every.is_null().to_numpy(zero_copy_only=False), dtype=bool)] = 0
    bounds = np.cumsum([0] + [len(e) for e in entries])
    return distinct.take(pa.array(order)), [remap[a:b] for a, b in zip(bounds[:-1], bounds[1:])]


def _raw_values(arr: pa.Array) -> np.ndarray:
    """A fixed-width array's values buffer as numpy (a view; undefined under nulls)."""
    dtype = np.dtype(arr.type.to_pandas_dtype())
    return np.frombuffer(arr.buffers()[1], dtype, count=arr.offset + len(arr))[arr.offset:]


def _list_column(arr: pa.Array, pandas_dtype: Any) -> HostColumn:
    """An Arrow list column: its offsets become [start, length] pairs, its values the child
    column. pandas' dtype decides the flavour: ArrowDtype(list) when the pandas metadata says
    so, else an object column (pandas gives numpy arrays per row; ours give lists, equal values)."""
    arrow_type = arr.type if isinstance(pandas_dtype, pd.ArrowDtype) else None
    element = jdt.arrow_element(arr.type.value_type) if arrow_type is not None else jdt.FLOAT64
    pairs, validity, values = lists.arrow_parts(arr)
    child = colmod.from_pandas_series(lists.arrow_element_series(values, jdt.list_of(element, arrow_type)))
    return HostColumn(pairs, validity, jdt.list_of(child.dtype, arrow_type), None, child)


def _via_pandas(arr: pa.Array, pandas_dtype: Any) -> HostColumn:
    """Types without a fast path: pandas converts the column, our model takes it or refuses."""
    series = pa.table({"x": arr}).to_pandas()["x"]
    if series.dtype != pandas_dtype and series.dtype.kind != "O":
        series = series.astype(pandas_dtype)
    col = colmod.from_pandas_series(series)
    validity = None if col.validity is None else np.asarray(col.validity)
    return HostColumn(np.asarray(col.data), validity, col.dtype, col.dictionary)


def date_as_object(to_pandas_kwargs: dict | None) -> bool:
    """pandas' ``to_pandas_kwargs`` of read_parquet: ``date_as_object`` (False: Arrow dates read
    as datetime64[ms]) is the one key taken; any other raises NotImplementedError naming it."""
    kwargs = dict(to_pandas_kwargs or {})
    flag = kwargs.pop("date_as_object", True)
    if kwargs:
        raise NotImplementedError(f"read_parquet(to_pandas_kwargs=...) with {sorted(kwargs)}: only "
                                  "'date_as_object' is supported")
    return bool(flag)


def dates_as_timestamps(table: pa.Table, date_as_object: bool = False) -> pa.Table:
    """The table with its date columns as timestamp[ms], as pyarrow's ``to_pandas(date_as_object=
    False)`` gives them (unchanged when ``date_as_object``)."""
    if date_as_object:
        return table
    for i, field in enumerate(table.schema):
        if pa.types.is_date(field.type):
            table = table.set_column(i, field.name, table.column(i).cast(pa.timestamp("ms")))
    return table


def host_columns(table: pa.Table, targets: dict[str, jdt.DType] | None = None, capacity: int | None = None
                 ) -> tuple[dict[Hashable, HostColumn], list[str]]:
    """All data columns of a table as host columns, labelled as pandas labels them (``capacity``:
    see host_column)."""
    labels, index_cols, pandas_dtypes = pandas_layout(table)
    targets = targets or {}
    out: dict[Hashable, HostColumn] = {}
    data_names = [n for n in table.column_names if n not in index_cols]
    for label, name in zip(labels, data_names):
        try:
            out[label] = host_column(table.column(name), pandas_dtypes[name], targets.get(name), capacity)
        except (TypeError, ValueError, OverflowError, NotImplementedError, pa.ArrowInvalid) as err:
            raise colmod.with_column_name(err, label) from err
    return out, index_cols


def pandas_index(table: pa.Table, index_cols: list[str]) -> pd.Index:
    """The row labels pandas restores from the table's metadata (only index columns converted)."""
    if not index_cols and not (table.schema.pandas_metadata or {}).get("index_columns"):
        return pd.RangeIndex(table.num_rows)  # no index in the metadata: what pandas gives, without a conversion
    index = table.select(index_cols)
    for i, field in enumerate(index.schema):  # read as dictionaries (io/parquet.py), labels as pandas has them
        if pa.types.is_dictionary(field.type):
            index = index.set_column(i, field.name, index.column(i).cast(field.type.value_type))
    return index.to_pandas().index


def table_to_frame(table: pa.Table, sharding: Any = None, targets: dict[str, jdt.DType] | None = None,
                   part_rows: list[int] | None = None, capacity: int | None = None):
    """A DataFrame from an Arrow table. With a sharding, ``part_rows`` gives the rows of each
    shard's part (consecutive), which go straight to their devices (see placement).
    ``capacity``: at least the table's bucket (a stream's batches share one, so that its last,
    shorter batch reuses the compiled stages); unsharded only."""
    if not isinstance(table, pa.Table):
        raise TypeError(f"from_arrow expects a pyarrow.Table, got {type(table).__name__}")
    count = table.num_rows
    # bucketed: a new file of a similar size reuses compiled kernels; sharded parts pad per shard
    if sharding is not None:
        capacity = None
    else:
        capacity = data_capacity(count) if capacity is None else max(capacity, data_capacity(count))
    columns, index_cols = host_columns(table, targets, capacity)
    pidx = pandas_index(table, index_cols)
    if sharding is not None:
        parts = part_rows if part_rows is not None else [table.num_rows]
        return place_parts(columns, pidx, parts, sharding)
    cols = {}
    for k, c in columns.items():
        try:
            cols[k] = c.to_device(capacity)
        except OverflowError as err:
            raise colmod.with_column_name(err, k) from err
    return new_frame(cols, idxmod.from_pandas(pidx, capacity), live_prefix(count, capacity), None)


def from_arrow(table: pa.Table, sharding: Any = None):
    """A DataFrame from an Arrow table: zero-copy host views, one device transfer per array."""
    return table_to_frame(table, sharding)


# -- frame -> Arrow -----------------------------------------------------------------------------
def to_arrow(frame: Any, preserve_index: bool | None = None) -> pa.Table:
    """An Arrow table equal to ``pa.Table.from_pandas(frame.to_pandas(), preserve_index)``,
    built from the device arrays (one transfer each; strings via the dictionary, not objects)."""
    if not frame._columns:
        return pa.Table.from_pandas(frame.to_pandas(), preserve_index=preserve_index)
    live = frame._live_host()
    names = list(frame._columns)
    arrays = [_arrow_array(col, live) for col in frame._columns.values()]
    index = frame._index
    as_range = _as_range(index, live)
    if as_range is not None:
        start, range_stop, step = as_range
        pidx_empty: pd.Index = pd.RangeIndex(start, start, step, name=index.name)
    elif isinstance(index, idxmod.MultiIndex):  # one arrow column per level
        pidx_empty = pd.MultiIndex.from_arrays([pd.array([], dtype=jdt.to_pandas(c.dtype)) for c in index.columns],
                                               names=list(index.names))
        range_stop = None
    else:
        pidx_empty = pd.Index(pd.array([], dtype=jdt.to_pandas(index.dtype)), name=index.name)
        range_stop = None
    empty = pd.DataFrame({i: pd.Series(pd.array([], dtype=jdt.to_pandas(c.dtype)))
                          for i, c in enumerate(frame._columns.values())}, index=pidx_empty)
    empty.columns = pd.Index(names, dtype=None if names else object)
    schema = pa.Schema.from_pandas(empty, preserve_index=preserve_index)
    for i, a in enumerate(arrays):  # pandas' schema of an empty object column does not say list<T>
        if pa.types.is_list(a.type) or pa.types.is_large_list(a.type):
            schema = schema.set(i, schema.field(i).with_type(a.type))
    if len(schema) > len(arrays):  # the index was kept as a column (one per level)
        levels = index.columns if isinstance(index, idxmod.MultiIndex) else (index.labels(),)
        arrays += [_arrow_array(c, live) for c in levels]
    if range_stop is not None and schema.metadata and b"pandas" in schema.metadata:
        schema = _patch_range_stop(schema, range_stop)
    arrays = [a.cast(f.type) if a.type != f.type else a for a, f in zip(arrays, schema)]
    return pa.Table.from_arrays(arrays, schema=schema)


def _as_range(index: Any, live: np.ndarray | None) -> tuple[int, int, int] | None:
    """(start, stop, step) when the live labels form a range: pandas 3 keeps a RangeIndex then
    (a filter keeping equally spaced rows of a RangeIndex gives a RangeIndex)."""
    if not isinstance(index, idxmod.RangeIndex):
        return None
    if live is None:
        return index.start, index.start + index.step * index.length, index.step
    labels = index.start + index.step * np.flatnonzero(live)
    if len(labels) == 0:
        return 0, 0, 1
    if len(labels) == 1:
        return int(labels[0]), int(labels[0]) + 1, 1
    steps = np.diff(labels)
    if steps[0] != 0 and (steps == steps[0]).all():
        return int(labels[0]), int(labels[-1] + steps[0]), int(steps[0])
    return None


def _patch_range_stop(schema: pa.Schema, stop: int) -> pa.Schema:
    meta = json.loads(schema.metadata[b"pandas"])
    for entry in meta.get("index_columns", []):
        if isinstance(entry, dict) and entry.get("kind") == "range":
            entry["stop"] = stop
    return schema.with_metadata({**schema.metadata, b"pandas": json.dumps(meta).encode()})


def arrow_columns(frame: Any, dictionaries: bool = False) -> tuple[list[pa.Array], list[pa.Array]]:
    """The live rows of a frame's columns and of its index levels as Arrow arrays, without the
    pandas schema ``to_arrow`` adds (its cost is per call, not per row): for a caller converting
    many frames of one layout (streaming's sorted runs). The arrays are those ``to_arrow`` casts
    to its schema's types; ``dictionaries``: strings stay dictionary<int32, large_string>, the
    codes and the dictionary as they are (no string decoded)."""
    live = frame._live_host()
    columns = [_arrow_array(c, live, dictionaries) for c in frame._columns.values()]
    index = frame._index
    levels = index.columns if isinstance(index, idxmod.MultiIndex) else (index.labels(),)
    return columns, [_arrow_array(c, live, dictionaries) for c in levels]


def _arrow_array(col: Column, live: np.ndarray | None, dictionaries: bool = False) -> pa.Array:
    if col.dtype.kind == "L":
        return _list_array(col, live)
    data = np.asarray(col.data)
    validity = None if col.validity is None else np.asarray(col.validity)
    if live is not None:
        data = data[live]
        validity = None if validity is None else validity[live]
    mask = None if validity is None or validity.all() else ~validity
    kind = col.dtype.kind
    if kind == "d" or col.dtype in (jdt.PA_BOOL, jdt.PA_INT64):
        return colmod.arrow_array(data, validity, col.dtype)
    if kind == "U":
        codes = pa.array(data.astype(np.int32, copy=False), mask=mask)
        strings = pa.DictionaryArray.from_arrays(codes, col.dictionary.values)
        return strings if dictionaries else strings.cast(pa.large_string())
    if jdt.tz_of(col.dtype) is not None:  # UTC instants + the zone: Arrow's timestamp[unit, tz]
        utc = pa.array(data.view(f"datetime64[{col.dtype.unit}]"), mask=mask)
        return utc.cast(pa.timestamp(col.dtype.unit, tz=pa.lib.tzinfo_to_string(jdt.tz_of(col.dtype))))
    if kind in "Mm":
        return pa.array(data.view(jdt.to_pandas(col.dtype)), mask=mask)
    if col.dtype.masked:
        return pa.array(data, mask=mask)
    if mask is not None:  # a numpy int/bool column with nulls: pandas shows it as float64
        return pa.array(colmod.host_array(data, validity, col.dtype, None), from_pandas=True)
    return pa.array(data, from_pandas=True)


def _list_array(col: Column, live: np.ndarray | None) -> pa.Array:
    """A list column as the Arrow list array pandas would make of it (object lists of strings:
    list<string>, as ``pa.Table.from_pandas``; ArrowDtype lists: their own type)."""
    offsets, validity, host = col.list_parts(live)
    arrow_type = col.dtype.arrow_type
    if arrow_type is not None:
        return lists.child_arrow(lists.host_lists(offsets, validity, host, col.dtype))
    child = lists.child_arrow(host)
    if pa.types.is_large_string(child.type):
        child = child.cast(pa.string())
    mask = None if validity is None or validity.all() else pa.array(~validity)
    return pa.ListArray.from_arrays(pa.array(offsets, pa.int32()), child, mask=mask)
