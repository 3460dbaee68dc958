"""Output and display against pandas: text/HTML/Markdown/LaTeX/JSON rendering, records, info,
memory usage, values, file formats, constructors, plotting (a PNG rendered with Agg)."""

import io

import matplotlib
import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

import jaxframes as jf
from jaxframes.testing import assert_matches_pandas, assert_one_answer, frame_with_dead_rows

matplotlib.use("Agg")

PDF = pd.DataFrame({
    "i": [1, 2, 3, 4],
    "f": [1.5, np.nan, 3.25, -1.0],
    "s": ["a", None, "c", "d"],
    "n": pd.array([1, None, 3, 4], dtype="Int64"),
    "t": pd.to_datetime(["2024-01-01", None, "2024-03-01", "2024-04-01"]),
}, index=[5, 6, 7, 8])
DEAD = frame_with_dead_rows(PDF, [True, False, True, True])


@pytest.mark.parametrize("op", [
    lambda d: d.to_string(), lambda d: d.to_string(index=False, na_rep="-"), lambda d: d.to_html(),
    lambda d: d.to_markdown(), lambda d: d.to_json(), lambda d: d.to_json(orient="records", date_format="iso"),
    lambda d: d.to_latex(), lambda d: d["f"].to_string(), lambda d: d["s"].to_json(), lambda d: d["f"].to_csv(),
    lambda d: d["i"].to_markdown(), lambda d: d["f"].to_latex(), lambda d: d.iloc[:0].to_string(),
], ids=range(13))
def test_rendering(op):
    assert_one_answer(op, PDF, paths=("eager",))
    assert_one_answer(op, DEAD, paths=("eager",))


def test_to_records_values_memory_usage():
    assert_one_answer(lambda d: d.to_records(), DEAD, paths=("eager",))
    assert_one_answer(lambda d: d.to_records(index=False), DEAD, paths=("eager",))
    assert_matches_pandas(lambda d: d.memory_usage(), PDF)
    assert_matches_pandas(lambda d: d.memory_usage(index=False, deep=True), PDF)
    assert_matches_pandas(lambda d: d["i"].memory_usage(), PDF)
    ours, theirs = jf.from_pandas(PDF), PDF
    np.testing.assert_array_equal(ours[["i", "f"]].values, theirs[["i", "f"]].values)
    assert ours.values.dtype == theirs.values.dtype == object


def test_info():
    for data in (PDF, PDF.iloc[:0]):
        ours, theirs = io.StringIO(), io.StringIO()
        jf.from_pandas(data).info(buf=ours)
        data.info(buf=theirs)
        assert ours.getvalue().startswith("<class 'jaxframes.DataFrame'>")
        assert ours.getvalue().splitlines()[1:] == theirs.getvalue().splitlines()[1:]
    buf = io.StringIO()
    jf.from_pandas(PDF)["f"].info(buf=buf)
    assert "<class 'jaxframes.Series'>" in buf.getvalue() and "3 non-null" in buf.getvalue()


def test_files_round_trip(tmp_path):
    df = jf.from_pandas(PDF.reset_index(drop=True))
    df.to_feather(tmp_path / "x.feather")
    pd.testing.assert_frame_equal(jf.read_feather(tmp_path / "x.feather").to_pandas(),
                                  pd.read_feather(tmp_path / "x.feather"))
    df.to_pickle(tmp_path / "x.pkl")
    back = jf.read_pickle(tmp_path / "x.pkl")
    assert isinstance(back, jf.DataFrame)
    pd.testing.assert_frame_equal(back.to_pandas(), PDF.reset_index(drop=True))
    df["f"].to_pickle(tmp_path / "s.pkl")
    assert isinstance(jf.read_pickle(tmp_path / "s.pkl"), jf.Series)
    text = df.to_json(orient="records")
    pd.testing.assert_frame_equal(jf.read_json(io.StringIO(text), orient="records").to_pandas(),
                                  pd.read_json(io.StringIO(text), orient="records"))
    num = df[["i", "f"]]
    num.to_orc(tmp_path / "x.orc")
    pd.testing.assert_frame_equal(jf.read_orc(tmp_path / "x.orc").to_pandas(), num.to_pandas())


def test_constructors():
    data = {"a": [1, 2], "b": [3.0, 4.0]}
    pd.testing.assert_frame_equal(jf.DataFrame.from_dict(data).to_pandas(), pd.DataFrame.from_dict(data))
    pd.testing.assert_frame_equal(jf.DataFrame.from_dict(data, orient="index", columns=["x", "y"]).to_pandas(),
                                  pd.DataFrame.from_dict(data, orient="index", columns=["x", "y"]))
    recs = [(1, "a"), (2, "b")]
    pd.testing.assert_frame_equal(jf.DataFrame.from_records(recs, columns=["n", "s"]).to_pandas(),
                                  pd.DataFrame.from_records(recs, columns=["n", "s"]))
    table = pa.table({"a": [1, None], "s": ["x", "y"]})
    pd.testing.assert_frame_equal(jf.DataFrame.from_arrow(table).to_pandas(), pd.DataFrame.from_arrow(table))
    pd.testing.assert_series_equal(jf.Series.from_arrow(pa.array([1.5, None])).to_pandas(),
                                   pd.Series.from_arrow(pa.array([1.5, None])))
    assert isinstance(jf.DataFrame.from_dict(data), jf.DataFrame)


def test_attrs_flags():
    df = jf.from_pandas(PDF)
    assert df.attrs == {}
    df.attrs["source"] = "test"
    assert df.attrs == {"source": "test"}
    df.attrs = {"x": 1}
    assert df.attrs == {"x": 1}
    assert df.flags.allows_duplicate_labels
    assert df.set_flags(allows_duplicate_labels=True).equals(df)
    with pytest.raises(NotImplementedError, match="allows_duplicate_labels=False"):
        df.set_flags(allows_duplicate_labels=False)


def test_to_xarray_refused_without_xarray():
    try:
        import xarray  # noqa: F401
    except ImportError:
        with pytest.raises(NotImplementedError, match="xarray is not installed"):
            jf.from_pandas(PDF).to_xarray()


def test_plot_renders_png(tmp_path):
    df = jf.from_pandas(PDF)[lambda d: d["i"] > 1]
    ax = df[["i", "f"]].plot()
    assert [line.get_label() for line in ax.get_lines()] == ["i", "f"]
    np.testing.assert_array_equal(ax.get_lines()[0].get_ydata(), [2, 3, 4])
    ax.figure.savefig(tmp_path / "plot.png")
    assert (tmp_path / "plot.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert df["f"].plot.hist() is not None
    axes = df.hist(column=["i"])
    assert axes.shape == (1, 1)
    assert df.boxplot(column="i") is not None
    matplotlib.pyplot.close("all")


def test_groupby_plots_and_plotting_module(tmp_path):
    pdf = pd.DataFrame({"k": ["a", "b", "a", "b", "a"], "x": [1.0, 2.0, 3.0, 4.0, 9.0], "y": [1, 2, 3, 4, 5]})
    twin = frame_with_dead_rows(pdf, [True, True, True, True, False])
    ours, theirs = twin.ours, twin.theirs
    got, want = ours.groupby("k").plot(), theirs.groupby("k").plot()
    assert list(got.index) == list(want.index)
    np.testing.assert_array_equal(got["a"].get_lines()[0].get_ydata(), want["a"].get_lines()[0].get_ydata())
    assert list(ours.groupby("k")["x"].hist().index) == ["a", "b"]
    assert list(ours.groupby("k").boxplot().index) == ["a", "b"]
    axes = jf.plotting.scatter_matrix(ours[["x", "y"]])
    assert axes.shape == (2, 2)
    axes[0, 0].figure.savefig(tmp_path / "m.png")
    assert (tmp_path / "m.png").stat().st_size > 0
    assert ours["x"].nbytes == theirs["x"].nbytes
    matplotlib.pyplot.close("all")


def test_host_rendered_results_keep_row_sharding():
    import jax

    sharding = jf.row_sharded(jax.make_mesh((1,), ("rows",)))
    df = jf.DataFrame({"a": [1.0, np.nan, 3.0], "s": ["x", "y", "x"]}, sharding=sharding)
    assert df.replace("x", "z").sharding == sharding
    assert df[["a"]].interpolate(method="values").to_pandas()["a"].tolist() == [1.0, 2.0, 3.0]
