"""Formats pandas reads and writes for us (io/formats.py): each round trip against pandas' own,
from a frame with dead rows (only live rows may be written)."""

from __future__ import annotations

import sqlite3

import numpy as np
import pandas as pd
import pytest

import jaxframes as jf
from jaxframes.testing import assert_frame_equal, frame_with_dead_rows

DATA = pd.DataFrame({"a": [1, 2, 3, 4], "b": [1.5, np.nan, 3.5, 4.5], "s": ["x", "y", "z", "w"]})
DEAD = frame_with_dead_rows(DATA, [True, False, True, True])


def test_excel_round_trip(tmp_path):
    ours, theirs = tmp_path / "ours.xlsx", tmp_path / "theirs.xlsx"
    DEAD.ours.to_excel(ours, index=False)
    DEAD.theirs.to_excel(theirs, index=False)
    result = jf.read_excel(ours)
    assert isinstance(result, jf.DataFrame)
    assert_frame_equal(result, pd.read_excel(theirs))


def test_excel_writer_file_and_all_sheets(tmp_path):
    path = tmp_path / "two.xlsx"
    with jf.ExcelWriter(path) as writer:
        DEAD.ours.to_excel(writer, sheet_name="one", index=False)
        DEAD.ours["b"].to_excel(writer, sheet_name="two", index=False)
    sheets = jf.read_excel(path, sheet_name=None)
    assert list(sheets) == ["one", "two"] and all(isinstance(f, jf.DataFrame) for f in sheets.values())
    assert_frame_equal(sheets["one"], DEAD.theirs.reset_index(drop=True))
    with jf.ExcelFile(path) as book:
        assert_frame_equal(jf.read_excel(book, "two"), DEAD.theirs[["b"]].reset_index(drop=True))


def test_hdf_round_trip_and_store(tmp_path):
    path = tmp_path / "data.h5"
    DEAD.ours.to_hdf(path, key="frame")
    assert_frame_equal(jf.read_hdf(path, "frame"), DEAD.theirs)
    with jf.HDFStore(tmp_path / "store.h5") as store:
        store["x"] = DEAD.ours
        store.append("t", DEAD.ours, data_columns=["a"])
        assert_frame_equal(store["x"], DEAD.theirs)
        assert_frame_equal(store.select("t", where="a > 1"), DEAD.theirs[DEAD.theirs["a"] > 1])


def test_sql_round_trip():
    with sqlite3.connect(":memory:") as con:
        assert DEAD.ours.to_sql("t", con, index=False) == 3
        result = jf.read_sql("SELECT * FROM t ORDER BY a DESC", con)
        assert isinstance(result, jf.DataFrame)
        expected = pd.read_sql("SELECT * FROM t ORDER BY a DESC", con)
        assert_frame_equal(result, expected)
        assert_frame_equal(jf.read_sql_query("SELECT a FROM t WHERE b > 2", con),
                           DEAD.theirs[["a"]].iloc[1:].reset_index(drop=True))


def test_sql_table_needs_sqlalchemy_as_in_pandas():
    with sqlite3.connect(":memory:") as con:
        DEAD.ours.to_sql("t", con)
        with pytest.raises(NotImplementedError, match="pass a SQLAlchemy connectable"):
            jf.read_sql_table("t", con)


def test_stata_round_trip(tmp_path):
    DEAD.ours.to_stata(tmp_path / "ours.dta", write_index=False)
    DEAD.theirs.to_stata(tmp_path / "theirs.dta", write_index=False)
    assert_frame_equal(jf.read_stata(tmp_path / "ours.dta"), pd.read_stata(tmp_path / "theirs.dta"))


def test_xml_round_trip():
    text = DEAD.ours.to_xml(parser="etree")
    assert text == DEAD.theirs.to_xml(parser="etree")
    from io import StringIO
    assert_frame_equal(jf.read_xml(StringIO(text), parser="etree"), pd.read_xml(StringIO(text), parser="etree"))


def test_html_tables_come_back_as_a_list_of_ours():
    from io import StringIO
    html = DEAD.ours.to_html() + DEAD.ours[["a"]].to_html()
    result, expected = jf.read_html(StringIO(html)), pd.read_html(StringIO(html))
    assert len(result) == len(expected) == 2
    for ours, theirs in zip(result, expected):
        assert_frame_equal(ours, theirs)


def test_sas_xport_and_spss(tmp_path):
    pyreadstat = pytest.importorskip("pyreadstat")
    numeric = DATA[["a", "b"]].astype(float)
    pyreadstat.write_xport(numeric, str(tmp_path / "d.xpt"), file_format_version=5)
    assert_frame_equal(jf.read_sas(tmp_path / "d.xpt", format="xport"), pd.read_sas(tmp_path / "d.xpt", format="xport"))
    pyreadstat.write_sav(DATA, str(tmp_path / "d.sav"))
    assert_frame_equal(jf.read_spss(tmp_path / "d.sav"), pd.read_spss(tmp_path / "d.sav"))


def test_a_missing_engine_raises_pandas_import_error():
    try:
        import pyiceberg  # noqa: F401
        pytest.skip("pyiceberg is installed")
    except ImportError:
        pass
    with pytest.raises(ImportError, match="pyiceberg"):
        jf.read_iceberg("db.table")
    with pytest.raises(ImportError, match="pyiceberg"):
        DEAD.ours.to_iceberg("db.table")
