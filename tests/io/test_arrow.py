"""from_arrow / to_arrow: same result as going through pandas, without pandas objects on the way."""

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

import jaxframes as jf
from frames import NULLS, SIZES, make_frame
from jaxframes.io.arrow import host_column
from jaxframes.testing import assert_frame_equal


@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("nulls", NULLS)
def test_from_arrow_matches_to_pandas(n, nulls):
    table = pa.Table.from_pandas(make_frame(n=n, nulls=nulls))
    assert_frame_equal(jf.from_arrow(table), table.to_pandas())


@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("nulls", NULLS)
def test_to_arrow_matches_from_pandas(n, nulls):
    pdf = make_frame(n=n, nulls=nulls)
    for preserve_index in (None, True, False):
        got = jf.DataFrame(pdf).to_arrow(preserve_index=preserve_index)
        assert got.equals(pa.Table.from_pandas(pdf, preserve_index=preserve_index), check_metadata=True)


@pytest.mark.parametrize("index", [pd.Index(["r", "s", None, "u"], name="k"), pd.RangeIndex(3, 11, 2, name="r"),
                                   pd.Index([4, 2, 9, 1])])
def test_index_kinds(index):
    pdf = pd.DataFrame({"a": [1, 2, 3, 4], "s": ["x", None, "y", "x"]}, index=index)
    table = pa.Table.from_pandas(pdf)
    assert jf.DataFrame(pdf).to_arrow().equals(table, check_metadata=True)
    assert_frame_equal(jf.from_arrow(table), table.to_pandas())


def test_filtered_frame_to_arrow():
    pdf = make_frame(["int64", "str", "Int64", "datetime64[ns]"], n=7, nulls="some")
    df = jf.DataFrame(pdf)
    for keep in (pdf["c0"] > 0, pdf.index % 2 == 0, pdf.index == 3, pdf.index > 99, pdf.index.isin([1, 2, 6])):
        keep = np.asarray(keep)
        got = df[keep].to_arrow()
        assert got.equals(pa.Table.from_pandas(pdf[keep]), check_metadata=True)


def test_dictionary_column_keeps_codes_sorted():
    # unsorted dictionary, an unused entry, a null entry and null indices
    dictionary = pa.array(["pear", "apple", "unused", None, "fig"])
    indices = pa.array([0, 1, None, 4, 3, 0, 1], pa.int32())
    table = pa.table({"s": pa.DictionaryArray.from_arrays(indices, dictionary)})
    df = jf.from_arrow(table)
    col = df._columns["s"]
    assert list(col.dictionary.values.to_pylist()) == ["apple", "fig", "pear", "unused"]
    expected = pd.DataFrame({"s": pd.Series(["pear", "apple", None, "fig", None, "pear", "apple"], dtype="str")})
    assert_frame_equal(df, expected)
    # pandas gives 'category' for dictionary arrays; our column is 'str' (no categorical dtype)
    assert str(pa.table({"s": pa.array(["b", "a"]).dictionary_encode()}).to_pandas()["s"].dtype) == "category"
    chunked = pa.table({"s": pa.chunked_array([table["s"].chunk(0), table["s"].chunk(0)])})
    assert_frame_equal(jf.from_arrow(chunked), pd.concat([expected, expected], ignore_index=True))


def test_numeric_without_nulls_is_a_zero_copy_view():
    arr = pa.array(np.arange(1000, dtype=np.int64))
    host = host_column(pa.chunked_array([arr]), np.dtype(np.int64))
    assert host.validity is None
    assert np.shares_memory(host.data, np.frombuffer(arr.buffers()[1], dtype=np.int64))


def test_int_with_nulls_and_timestamps_and_unsigned():
    table = pa.table({"i": pa.array([1, None, 3]), "t": pa.array([1, None, 3], pa.timestamp("us")),
                      "u": pa.array([1, 2, 3], pa.uint16()), "b": pa.array([True, False, True])})
    expected = table.to_pandas()
    assert str(expected["u"].dtype) == "uint16" and str(expected["t"].dtype) == "datetime64[us]"
    assert_frame_equal(jf.from_arrow(table), expected)  # units and unsigned ints kept, as pandas


def test_bad_input():
    with pytest.raises(TypeError):
        jf.from_arrow(pd.DataFrame({"a": [1]}))
    with pytest.raises(TypeError):  # pandas: object column of True/False/None; we hold no object columns
        jf.from_arrow(pa.table({"b": pa.array([True, None])}))
    far = pa.table({"t": pa.array([10**17], pa.timestamp("ms"))})  # far outside datetime64[ns]
    assert_frame_equal(jf.from_arrow(far), far.to_pandas())  # held in ms, as pandas does


def test_chunks_are_written_into_one_padded_buffer():
    # Row groups arrive as chunks: each is written straight into the frame's padded buffers
    # (sliced chunks, an empty chunk, nulls, a different dictionary per chunk with a null entry)
    rng = np.random.default_rng(3)
    parts = []
    for k in range(3):
        n = 40 + 7 * k
        ints = pa.array(rng.integers(-9, 9, n), mask=rng.random(n) < 0.2)
        entries = pa.array(["pear", "fig", None, "apple"][k:])  # unsorted; chunks 0 and 1 hold a null entry
        words = pa.DictionaryArray.from_arrays(pa.array(np.arange(n) % len(entries), pa.int8(),
                                                        mask=np.arange(n) % 5 == 0), entries)
        parts.append(pa.table({
            "i": ints, "m": pa.array(rng.integers(0, 9, n)), "f": pa.array(rng.normal(size=n), mask=rng.random(n) < 0.1),
            "b": pa.array(rng.random(n) < 0.5), "t": pa.array(rng.integers(0, 10**9, n), pa.timestamp("us"),
                                                              mask=rng.random(n) < 0.1),
            "s": words}))
    table = pa.concat_tables([parts[0].slice(5, 31), parts[1].slice(0, 0), parts[1], parts[2].slice(3)])
    assert table["s"].num_chunks == 4 and table["i"].chunk(0).offset == 5
    # dictionary columns are 'str' here ('category' in pandas, which cannot unify these dictionaries)
    expected = table.set_column(5, "s", table["s"].cast(pa.string())).to_pandas()
    df = jf.from_arrow(table)
    assert_frame_equal(df, expected)
    assert df._table.capacity > len(table)  # padded to the bucket, the padding rows dead
    host = host_column(table["i"], np.dtype(np.float64), capacity=160)
    assert host.owned and len(host.data) == 160 and not host.data[len(table):].any()


def test_owned_buffers_are_adopted_on_one_cpu_device():
    import jax
    table = pa.concat_tables([pa.table({"x": np.arange(100.0)})] * 2)
    host = host_column(table["x"], np.dtype(np.float64), capacity=256)
    col = host.to_device(256)
    if jax.default_backend() == "cpu" and jax.device_count() == 1:
        assert col.data.unsafe_buffer_pointer() == host.data.ctypes.data  # no copy
    np.testing.assert_array_equal(np.asarray(col.data)[:200], np.concatenate([np.arange(100.0)] * 2))


def test_layouts_kept_per_schema_and_metadata():
    """pandas_layout is kept per schema: two tables with the same fields whose pandas metadata
    differs (an int column label, a named range index) keep their own labels."""
    import pandas as pd
    import pyarrow as pa

    import jaxframes as jf

    labelled = pa.Table.from_pandas(pd.DataFrame({0: [1, 2, 3]}, index=pd.RangeIndex(3, name="r")))
    plain = pa.table({"0": [1, 2, 3]})
    assert labelled.schema == plain.schema  # (== does not look at the metadata)
    for table in (labelled, plain, labelled):
        pd.testing.assert_frame_equal(jf.from_arrow(table).to_pandas(), table.to_pandas())
