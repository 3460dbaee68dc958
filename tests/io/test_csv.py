"""read_csv / to_csv against pandas: same values, dtypes, column names and order, nulls."""

import io

import pandas as pd
import pytest

import jaxframes as jf
from frames import NULLS, SIZES, make_frame
from jaxframes.testing import assert_frame_equal

TEXT = (
    "a,b,c,d,e\n"
    "1,2.5,x,True,2024-01-01\n"
    "2,,y,False,2024-01-02\n"
    "3,NA,,true,2024-01-03\n"
    "4,-1e3,\"q,r\",FALSE,2024-02-29\n"
)


def _write(tmp_path, text, name="f.csv"):
    path = tmp_path / name
    path.write_text(text)
    return path


def _same(path, **kwargs):
    assert_frame_equal(jf.read_csv(path, **kwargs), pd.read_csv(path, **kwargs))


@pytest.mark.parametrize("kwargs", [
    {},
    {"usecols": ["c", "a"]},
    {"usecols": [4, 1]},
    {"nrows": 2},
    {"dtype": {"a": "float64", "c": "str"}},
    {"dtype": {"a": "Int64", "b": "Float64"}},
    {"dtype": {"a": "int32", "b": "float32"}},
    {"dtype": "str"},
    {"na_values": ["x", "3"]},
    {"na_values": "y"},
    {"header": None},
    {"header": 0, "names": ["v", "w", "x", "y", "z"]},
    {"names": ["v", "w", "x", "y", "z"]},
    {"header": 1},
])
def test_read_csv_matches_pandas(tmp_path, kwargs):
    _same(_write(tmp_path, TEXT), **kwargs)


@pytest.mark.parametrize("sep", [";", "\t", "|"])
def test_separators(tmp_path, sep):
    _same(_write(tmp_path, TEXT.replace(",", sep).replace('"q' + sep + 'r"', '"q,r"')), sep=sep)


def test_dates_are_not_inferred_and_unparseable_stay_strings(tmp_path):
    path = _write(tmp_path, "t,u\n2024-01-01,2024-01-01\n2024-01-02 10:00,2024-01-05\n")
    _same(path)
    expected = pd.read_csv(path, parse_dates=["u"])
    assert expected["u"].dtype.kind == "M"
    assert_frame_equal(jf.read_csv(path, parse_dates=["u"]), expected)  # pandas' unit (us) kept
    _same(path, parse_dates=["t"])  # mixed formats: pandas leaves the strings
    text_path = _write(tmp_path, TEXT, "g.csv")
    assert_frame_equal(jf.read_csv(text_path, parse_dates=["e"], usecols=["a", "e"]),
                       pd.read_csv(text_path, parse_dates=["e"], usecols=["a", "e"]))


def test_nrows_zero_gives_str_columns(tmp_path):
    path = _write(tmp_path, TEXT)
    expected = pd.read_csv(path, nrows=0)
    assert (expected.dtypes == object).all()  # pandas: object; ours: 'str' (no object columns)
    assert_frame_equal(jf.read_csv(path, nrows=0), expected.astype("str"))


def test_na_strings_and_all_null_column(tmp_path):
    path = _write(tmp_path, "a,b,c\nnan,,NULL\n1,N/A,None\n#N/A,,<NA>\n")
    _same(path)
    _same(path, dtype={"c": "str"})


def test_ints_with_nulls_become_float(tmp_path):
    _same(_write(tmp_path, "a,b\n1,x\n,y\n3,z\n"))


def test_file_like_and_header_none_with_usecols(tmp_path):
    assert_frame_equal(jf.read_csv(io.StringIO(TEXT)), pd.read_csv(io.StringIO(TEXT)))
    _same(_write(tmp_path, TEXT), header=None, usecols=[0, 2])


@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("nulls", NULLS)
def test_round_trip_through_pandas(tmp_path, n, nulls):
    dtypes = ("int64", "float64", "str", "Int64", "Float64")
    pdf = make_frame(dtypes, n=n, nulls=nulls)
    ours = jf.DataFrame(pdf)
    path = tmp_path / "o.csv"
    assert ours.to_csv(path, index=False) is None
    assert path.read_text() == pdf.to_csv(index=False)
    assert ours.to_csv() == pdf.to_csv()
    assert ours.to_csv(sep=";", header=False) == pdf.to_csv(sep=";", header=False)
    if n:
        _same(path)


def test_bad_input(tmp_path):
    path = _write(tmp_path, TEXT)
    with pytest.raises(FileNotFoundError):
        jf.read_csv(tmp_path / "missing.csv")
    for kwargs in ({"usecols": ["a", "zz"]}, {"usecols": [0, 9]}, {"sep": ""}, {"dtype": {"c": "int64"}},
                   {"parse_dates": ["zz"]}, {"nrows": -1}, {"names": ["a", "a", "b", "c", "d"]}):
        with pytest.raises(ValueError):
            pd.read_csv(path, **kwargs)
        with pytest.raises(ValueError):
            jf.read_csv(path, **kwargs)
    with pytest.raises(ValueError):  # an int column holding NA (pandas: "Integer column has NA values")
        pd.read_csv(path, dtype={"b": "int64"})
    with pytest.raises(ValueError):
        jf.read_csv(path, dtype={"b": "int64"})
    empty = _write(tmp_path, "", "empty.csv")
    with pytest.raises(pd.errors.EmptyDataError):
        jf.read_csv(empty)
    with pytest.raises(NotImplementedError, match="sep"):
        jf.read_csv(path, sep="::")
    with pytest.raises(TypeError):  # pandas gives an object column (True/False/NaN): we hold none
        jf.read_csv(_write(tmp_path, "a\nTrue\n\nFalse\nNA\n", "b.csv"))


@pytest.mark.parametrize("index_col", [0, "c", -1, ["a"], False])
def test_index_col(tmp_path, index_col):
    _same(_write(tmp_path, TEXT), index_col=index_col, usecols=["a", "b", "c"])


def test_index_col_errors(tmp_path):
    path = _write(tmp_path, TEXT)
    with pytest.raises(ValueError, match="index_col couldn't be 'True'"):
        jf.read_csv(path, index_col=True)
    with pytest.raises(NotImplementedError, match="MultiIndex rows"):
        jf.read_csv(path, index_col=["a", "b"])
