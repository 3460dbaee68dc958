"""Top-level functions against pandas (jf.isna, jf.cut, jf.get_dummies, ...), options, and the
pandas types re-exported."""

import io

import numpy as np
import pandas as pd
import pytest

import jaxframes as jf
from jaxframes.testing import assert_matches_pandas, assert_one_answer, frame_with_dead_rows

PDF = pd.DataFrame({
    "x": [1.0, 7.5, np.nan, 3.0, 10.0, 4.5],
    "k": ["a", "b", "a", None, "c", "b"],
    "n": pd.array([1, 2, None, 2, 5, 1], dtype="Int64"),
    "digits": ["1", "2.5", "-3", "4", "1e3", "6"],
})
DEAD = frame_with_dead_rows(PDF, [True, True, False, True, True, True])


def both(op):
    assert_one_answer(op, PDF, paths=("eager",))
    assert_one_answer(op, DEAD, paths=("eager",))


def _lib(d):
    return jf if isinstance(d, (jf.DataFrame, jf.Series)) else pd


@pytest.mark.parametrize("op", [
    lambda d: _lib(d).isna(d), lambda d: _lib(d).notna(d["x"]), lambda d: _lib(d).isnull(d["k"]),
    lambda d: _lib(d).notnull(d),
    lambda d: _lib(d).to_numeric(d["digits"]), lambda d: _lib(d).to_numeric(d["x"], downcast="float"),
    lambda d: _lib(d).cut(d["x"], 3), lambda d: _lib(d).cut(d["x"], [0, 5, 10], labels=["lo", "hi"]),
    lambda d: _lib(d).cut(d["x"], 2, labels=False), lambda d: _lib(d).qcut(d["x"], 2),
    lambda d: _lib(d).qcut(d["x"], [0, 0.5, 1], labels=["a", "b"]),
    lambda d: _lib(d).get_dummies(d[["k", "x"]]), lambda d: _lib(d).get_dummies(d["k"], dummy_na=True, dtype=int),
    lambda d: _lib(d).unique(d["k"]), lambda d: _lib(d).factorize(d["k"])[0],
    lambda d: _lib(d).factorize(d["n"], sort=True)[1],
], ids=range(16))
def test_functions(op):
    both(op)


def test_scalars_and_arrays_go_to_pandas():
    assert jf.isna(np.nan) and not jf.notna(None) and jf.isna(pd.NaT)
    np.testing.assert_array_equal(jf.isna([1, None, np.nan]), pd.isna([1, None, np.nan]))
    np.testing.assert_array_equal(jf.unique(np.array([3, 1, 3])), [3, 1])
    assert jf.to_numeric("3.5") == 3.5


def test_errors_are_pandas():
    assert_matches_pandas(lambda d: _lib(d).to_numeric(d["k"]), PDF, raises=ValueError, match="Unable to parse")
    assert_matches_pandas(lambda d: _lib(d).qcut(d["x"], 0), PDF, raises=ValueError, match="")
    assert_matches_pandas(lambda d: _lib(d).cut(d["x"], -1), PDF, raises=ValueError,
                          match="`bins` should be a positive integer")


def test_reshapers():
    dummies = pd.get_dummies(PDF["k"].fillna("z"))
    assert_matches_pandas(lambda d: _lib(d).from_dummies(d), dummies)
    wide = pd.DataFrame({"id": [1, 2], "a1": [1, 2], "a2": [3, 4], "b1": [5, 6], "b2": [7, 8]})
    assert_matches_pandas(lambda d: _lib(d).lreshape(d, {"a": ["a1", "a2"], "b": ["b1", "b2"]}), wide)
    with pytest.raises(NotImplementedError, match="MultiIndex"):  # wide_to_long gives MultiIndex rows
        jf.wide_to_long(jf.from_pandas(wide), ["a", "b"], i="id", j="t")
    left = pd.DataFrame({"k": [1, 3, 5], "a": [1.0, 2.0, 3.0]})
    right = pd.DataFrame({"k": [2, 3], "b": ["x", "y"]})
    expected = pd.merge_ordered(left, right, on="k", fill_method="ffill")
    got = jf.merge_ordered(jf.from_pandas(left), jf.from_pandas(right), on="k", fill_method="ffill")
    pd.testing.assert_frame_equal(got.to_pandas(), expected)
    records = [{"a": 1, "b": {"c": 2, "d": "x"}}, {"a": 2, "b": {"c": None, "d": "y"}}]
    got = jf.json_normalize(records)
    assert isinstance(got, jf.DataFrame)
    pd.testing.assert_frame_equal(got.to_pandas(), pd.json_normalize(records))


def test_readers(tmp_path):
    (tmp_path / "x.tsv").write_text("a\tb\n1\tx\n2\ty\n")
    pd.testing.assert_frame_equal(jf.read_table(tmp_path / "x.tsv").to_pandas(), pd.read_table(tmp_path / "x.tsv"))
    text = "a   b\n1   x\n22  y\n"
    pd.testing.assert_frame_equal(jf.read_fwf(io.StringIO(text)).to_pandas(), pd.read_fwf(io.StringIO(text)))
    jf.to_pickle(jf.from_pandas(PDF), tmp_path / "p.pkl")
    pd.testing.assert_frame_equal(pd.read_pickle(tmp_path / "p.pkl"), PDF)


def test_options():
    before = jf.get_option("display.max_rows")
    with jf.option_context("display.max_rows", 3, "x64", True):
        assert pd.get_option("display.max_rows") == 3 and jf.options.display.max_rows == 3
        assert jf.options.x64 is True
    assert jf.get_option("display.max_rows") == before
    jf.set_option("display.precision", 3)
    assert pd.get_option("display.precision") == 3
    jf.reset_option("display.precision")
    assert pd.get_option("display.precision") == 6
    assert jf.get_option("jaxframes.x64") is True
    assert "64-bit device arrays" in jf.describe_option("x64", _print_desc=False)
    with pytest.raises(ValueError, match="Value must be a bool"):
        jf.set_option("x64", 1)
    with pytest.raises(pd.errors.OptionError, match="No such keys"):
        jf.get_option("no.such.option")


def test_reexported_types_are_pandas_and_usable():
    for name in ("Timestamp", "Timedelta", "NA", "NaT", "Int64Dtype", "CategoricalDtype", "NamedAgg", "Grouper",
                 "Index", "MultiIndex", "RangeIndex", "IndexSlice", "DateOffset", "offsets", "api", "array"):
        assert getattr(jf, name) is getattr(pd, name), name
    df = jf.DataFrame({"a": [1, 1, 2], "b": [1.0, 2.0, 3.0]}, index=jf.Index(["x", "y", "z"]))
    assert df.astype({"a": jf.Int64Dtype()}).dtypes["a"] == jf.Int64Dtype()
    assert df.astype({"a": jf.CategoricalDtype([1, 2])}).dtypes["a"] == pd.CategoricalDtype([1, 2])
    expected = df.to_pandas().groupby("a").agg(s=pd.NamedAgg("b", "sum"))
    pd.testing.assert_frame_equal(df.groupby("a").agg(s=jf.NamedAgg("b", "sum")).to_pandas(), expected)
    pd.testing.assert_frame_equal(df.groupby(jf.Grouper(key="a")).sum().to_pandas(),
                                  df.to_pandas().groupby(pd.Grouper(key="a")).sum())
    with pytest.raises(NotImplementedError, match="pd.Grouper with freq= or level="):
        df.groupby(jf.Grouper(freq="D"))
    assert jf.Series(jf.array([1, None], dtype="Int64")).dtype == "Int64"
    assert jf.Series([jf.Timestamp("2024-01-02")]).iloc[0] == pd.Timestamp("2024-01-02")
    assert jf.testing.assert_matches_pandas is assert_matches_pandas
