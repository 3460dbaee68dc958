"""Construction and interop: dicts, numpy, JAX, scalars, pandas, Arrow; round trips keep
values, dtypes, nulls, index and column order."""

import jax.numpy as jnp
import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given

import jaxframes as jf
from frames import BOUNDARY_DTYPES, DTYPES, NULLS, SIZES, make_frame
from jaxframes.testing import assert_frame_equal, assert_series_equal
from strategies import frames


@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("nulls", NULLS)
def test_pandas_round_trip(n, nulls):
    pdf = make_frame(n=n, nulls=nulls)
    assert_frame_equal(jf.DataFrame(pdf), pdf)
    assert_frame_equal(jf.from_pandas(pdf), pdf)


@pytest.mark.parametrize("dtype", DTYPES + BOUNDARY_DTYPES)
def test_series_round_trip(dtype):
    pdf = make_frame([dtype], n=7, nulls="some")
    s = pdf["c0"]
    assert_series_equal(jf.Series(s), s)
    assert_series_equal(jf.from_pandas(s), s)


def test_non_default_index_and_names_round_trip():
    pdf = pd.DataFrame({"x": [1, 2, 3], 5: ["a", "b", None]}, index=pd.Index(["r", "s", "t"], name="key"))
    assert_frame_equal(jf.DataFrame(pdf), pdf)
    pdf2 = pdf.set_index(pd.Index([10, 30, 20]))
    assert_frame_equal(jf.DataFrame(pdf2), pdf2)


@pytest.mark.parametrize("data", [
    {"a": [1, 2, 3], "b": [1.5, None, 2.0]},
    {"a": [True, False, True], "s": ["x", "y", None]},
    {"a": np.arange(4), "b": np.linspace(0, 1, 4)},
    {"a": [1, 2], "b": 7},
    {"a": [], "b": []},
    {},
])
def test_dict_construction_matches_pandas(data):
    assert_frame_equal(jf.DataFrame(data), pd.DataFrame(data))


def test_index_and_columns_arguments():
    data = {"a": [1, 2, 3], "b": [4, 5, 6]}
    assert_frame_equal(jf.DataFrame(data, index=[7, 8, 9]), pd.DataFrame(data, index=[7, 8, 9]))
    assert_frame_equal(jf.DataFrame(data, columns=["b", "a"]), pd.DataFrame(data, columns=["b", "a"]))
    assert_frame_equal(jf.DataFrame(data, dtype="float64"), pd.DataFrame(data, dtype="float64"))


def test_jax_arrays_stay_on_device():
    a = jnp.arange(5, dtype=jnp.int64)
    df = jf.DataFrame({"a": a, "b": 2.5, "c": ["v"] * 5})
    assert df._columns["a"].data is a
    expected = pd.DataFrame({"a": np.arange(5), "b": 2.5, "c": ["v"] * 5})
    assert_frame_equal(df, expected)


def test_aliases():
    assert jf.JaxFrame is jf.DataFrame and jf.JaxSeries is jf.Series


@pytest.mark.parametrize("bad,exc", [
    ({"a": [1, 2], "b": [1, 2, 3]}, ValueError),
    ({"a": 1, "b": 2}, ValueError),
])
def test_bad_input_raises_like_pandas(bad, exc):
    with pytest.raises(exc):
        pd.DataFrame(bad)
    with pytest.raises(exc):
        jf.DataFrame(bad)


def test_device_length_mismatch_raises():
    with pytest.raises(ValueError, match="same length"):
        jf.DataFrame({"a": jnp.arange(3), "b": [1, 2]})


def test_arrow_round_trip():
    pdf = make_frame(["int64", "float64", "str", "boolean"], n=7, nulls="some")
    table = pa.Table.from_pandas(pdf, preserve_index=False)
    df = jf.from_arrow(table)
    assert_frame_equal(df, table.to_pandas())
    assert df.to_arrow(preserve_index=False).equals(table)


def test_arrow_dictionary_column():
    table = pa.table({"s": pa.array(["b", "a", None, "b"]).dictionary_encode()})
    df = jf.from_arrow(table)
    assert_frame_equal(df, pd.DataFrame({"s": ["b", "a", None, "b"]}))


def test_to_numpy_and_to_dict():
    pdf = make_frame(["int64", "float64"], n=7, nulls="some")
    df = jf.DataFrame(pdf)
    np.testing.assert_array_equal(df.to_numpy(), pdf.to_numpy())
    dense = make_frame(["int64", "float64", "str"], n=7)
    assert jf.DataFrame(dense).to_dict() == dense.to_dict()
    assert jf.DataFrame(dense).to_dict(orient="list") == dense.to_dict(orient="list")
    assert jf.Series(pdf["c0"]).tolist() == pdf["c0"].tolist()


def test_metadata():
    pdf = make_frame(n=7)
    df = jf.DataFrame(pdf)
    assert df.shape == pdf.shape and len(df) == len(pdf) and df.size == pdf.size
    pd.testing.assert_index_equal(df.columns, pdf.columns)
    pd.testing.assert_series_equal(df.dtypes, pdf.dtypes)
    assert list(df) == list(pdf)


@given(frames())
def test_round_trip_property(pdf):
    assert_frame_equal(jf.DataFrame(pdf), pdf)
