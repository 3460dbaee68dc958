"""set_index / reset_index / rename_axis / droplevel / swaplevel / reorder_levels / sort_index on a
MultiIndex against pandas: key dtypes x nulls, several keys (a MultiIndex held as label columns),
filtered frames (dead rows), eager / lazy / jit, and pandas' errors."""

import numpy as np
import pandas as pd
import pytest

import jaxframes as jf
from frames import DTYPES, make_column
from jaxframes.index import MultiIndex
from jaxframes.testing import assert_matches_pandas, assert_one_answer, frame_with_dead_rows


def data(key_dtype: str = "int64", nulls: str = "none", n: int = 7) -> pd.DataFrame:
    return pd.DataFrame({"k": make_column(key_dtype, n, nulls, 1), "g": make_column("str", n, "none", 2),
                         "v": make_column("float64", n, nulls, 3), "i": make_column("int64", n, "none", 4)})


LIVE = [True, False, True, True, False, True, True]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("nulls", ["none", "some"])
def test_set_and_reset_over_key_dtypes(dtype, nulls):
    pdf = data(dtype, nulls)
    for op in (lambda d: d.set_index("k"), lambda d: d.set_index(["k", "g"]),
               lambda d: d.set_index("k").reset_index(), lambda d: d.set_index(["g", "k"]).reset_index(level="k")):
        assert_matches_pandas(op, pdf)


@pytest.mark.parametrize("n", [0, 1, 7])
def test_sizes(n):
    pdf = data(n=n)
    for op in (lambda d: d.set_index(["k", "g"]), lambda d: d.set_index(["k", "g"]).reset_index(),
               lambda d: d.reset_index(), lambda d: d.set_index("g", append=True)):
        assert_matches_pandas(op, pdf)


OPS = {
    "one": lambda d: d.set_index("k"),
    "several": lambda d: d.set_index(["k", "g"]),
    "keep": lambda d: d.set_index("k", drop=False),
    "append": lambda d: d.set_index("g").set_index("k", append=True),
    "round_trip": lambda d: d.set_index(["k", "g"]).reset_index(),
    "one_level_back": lambda d: d.set_index(["k", "g"]).reset_index(level=1),
    "reset_drop_level": lambda d: d.set_index(["k", "g"]).reset_index(level="k", drop=True),
    "reset_range": lambda d: d.reset_index(),
    "reset_drop": lambda d: d.set_index("g").reset_index(drop=True),
    "names": lambda d: d.set_index(["k", "g"]).reset_index(names=["p", "q"]),
    "series_reset": lambda d: d.set_index(["k", "g"])["v"].reset_index(),
    "series_reset_drop": lambda d: d.set_index(["k", "g"])["v"].reset_index(drop=True),
    "series_reset_level": lambda d: d.set_index(["k", "g"])["v"].reset_index(level="g", drop=True),
    "rename_axis": lambda d: d.set_index(["k", "g"]).rename_axis(["p", "q"]),
    "rename_axis_dict": lambda d: d.set_index(["k", "g"]).rename_axis(index={"k": "K"}),
    "rename_axis_columns": lambda d: d.rename_axis(columns="cols"),
    "series_rename_axis": lambda d: d.set_index("k")["v"].rename_axis("z"),
    "rename_axis_func": lambda d: d.set_index(["k", "g"]).rename_axis(index=str.upper),
    "rename_axis_none": lambda d: d.set_index("k").rename_axis(None),
    "rename_axis_mapper_wins": lambda d: d.set_index("k").rename_axis("x", index="y"),
    "droplevel": lambda d: d.set_index(["k", "g"]).droplevel("k"),
    "droplevel_pos": lambda d: d.set_index(["k", "g", "i"]).droplevel([0, 2]),
    "swaplevel": lambda d: d.set_index(["k", "g"]).swaplevel(),
    "reorder": lambda d: d.set_index(["k", "g", "i"]).reorder_levels(["i", "k", "g"]),
    "sort_multi": lambda d: d.set_index(["k", "g"]).sort_index(),
    "sort_level": lambda d: d.set_index(["k", "g"]).sort_index(level="g", ascending=False),
    "sort_level_only": lambda d: d.set_index(["k", "g"]).sort_index(level=1, sort_remaining=False),
    "drop_level": lambda d: d.set_index(["k", "g"]).drop(d["g"].iloc[0], level="g"),
    "drop_partial": lambda d: d.set_index(["k", "g"]).sort_index().drop(int(d["k"].iloc[0])),
    "loc_partial": lambda d: d.set_index(["k", "g"]).loc[int(d["k"].iloc[0])],
    "arrays": lambda d: d.set_index([np.arange(len(d)) * 10, "g"]),
    "pandas_index_key": lambda d: d.set_index(pd.Index(np.arange(len(d)), name="pos")),
}


@pytest.mark.parametrize("name", list(OPS))
def test_ops_match_pandas(name):
    assert_matches_pandas(OPS[name], data())


@pytest.mark.parametrize("name", ["one", "several", "keep", "round_trip", "one_level_back", "reset_range",
                                  "names", "series_reset", "droplevel", "swaplevel", "sort_multi", "loc_partial"])
def test_filtered_frames(name):
    """Dead rows hold labels that would change the answer (a duplicate, a reset position)."""
    twin = frame_with_dead_rows(data(), LIVE)
    assert_one_answer(OPS[name], twin, paths=("eager",))


@pytest.mark.parametrize("name", ["one", "several", "keep", "round_trip", "one_level_back", "reset_range"])
def test_eager_lazy_jit(name):
    """set_index/reset_index are lazy plan nodes and need no host sync (they run inside jit)."""
    assert_one_answer(OPS[name], frame_with_dead_rows(data(), LIVE))


def test_multiindex_is_label_columns():
    """No data moves: the index levels are the frame's own columns, and back again."""
    base = jf.from_pandas(data())
    df = base.set_index(["k", "g"])
    assert isinstance(df._index, MultiIndex) and df._index.nlevels == 2
    assert df._index.columns[0] is base._columns["k"] and df._index.columns[1] is base._columns["g"]
    assert df.reset_index(level="g")._columns["g"] is base._columns["g"]


def test_multiindex_from_pandas_and_groupby():
    pdf = data().set_index(["k", "g"])
    assert_matches_pandas(lambda d: d, pdf)
    assert_matches_pandas(lambda d: d.reset_index(), pdf)
    assert_matches_pandas(lambda d: d.groupby(["k", "g"]).sum().reset_index(), data())
    assert_matches_pandas(lambda d: d.groupby(["k", "g"])["v"].sum().reset_index(), data())


def test_verify_integrity():
    pdf = data()
    with pytest.warns(Warning):  # pandas 3 deprecates the keyword; we keep its behaviour
        assert_matches_pandas(lambda d: d.set_index("k", verify_integrity=True), pdf,
                              raises=ValueError, match="Index has duplicate keys")
    twin = frame_with_dead_rows(pd.DataFrame({"k": [1, 1, 2], "v": [1.0, 2.0, 3.0]}), [True, False, True])
    out = twin.ours.set_index("k", verify_integrity=True)  # the duplicate is a dead row
    pd.testing.assert_frame_equal(out.to_pandas(), twin.theirs.set_index("k"))


ERRORS = [
    (lambda d: d.set_index("nope"), KeyError, "None of \\['nope'\\] are in the columns"),
    (lambda d: d.set_index([np.arange(3)]), ValueError, "Length mismatch"),
    (lambda d: d.set_index({"a": 1}), TypeError, 'The parameter "keys" may be'),
    (lambda d: d.set_index("k", drop=False).reset_index(), ValueError, "cannot insert k, already exists"),
    (lambda d: d.set_index("k").reset_index(level=1), IndexError, "Too many levels"),
    (lambda d: d.set_index(["k", "g"]).reset_index(level="zz"), KeyError, "Level zz not found"),
    (lambda d: d.set_index("k").reset_index(level="zz"), KeyError, "Requested level \\(zz\\) does not match"),
    (lambda d: d.set_index(["k", "g"]).droplevel(["k", "g"]), ValueError, "Cannot remove 2 levels"),
    (lambda d: d.set_index("k").swaplevel(), TypeError, "Can only swap levels on a hierarchical axis"),
    (lambda d: d.set_index("k").reorder_levels([0]), TypeError, "Can only reorder levels"),
    (lambda d: d.set_index(["k", "g"]).reorder_levels([0]), AssertionError, "Length of order must be same"),
    (lambda d: d.set_index(["k", "g"]).rename_axis(["a"]), ValueError, "Length of names must match"),
    (lambda d: d.rename_axis({"k": "K"}), ValueError, "Use `.rename` to alter labels with a mapper"),
]


@pytest.mark.parametrize("op,exc,match", ERRORS)
def test_errors(op, exc, match):
    assert_matches_pandas(op, data(), raises=exc, match=match)


def test_refusals():
    df = jf.from_pandas(data())
    with pytest.raises(jf.ImmutableFrameError, match="set_index\\(inplace=True\\)"):
        df.set_index("k", inplace=True)
    with pytest.raises(NotImplementedError, match="col_level"):
        df.reset_index(col_level=1)
    with pytest.raises(NotImplementedError, match="MultiIndex columns"):
        df.set_index(["k", "g"]).droplevel(0, axis=1)
    with pytest.raises(NotImplementedError, match="array keys"):
        df.lazy().set_index([np.arange(7)])


def test_multiindex_through_arrow_and_parquet(tmp_path):
    pdf = data().set_index(["k", "g"])
    df = jf.from_pandas(pdf)
    import pyarrow as pa
    assert df.to_arrow().equals(pa.Table.from_pandas(pdf))
    pd.testing.assert_frame_equal(jf.from_arrow(pa.Table.from_pandas(pdf)).to_pandas(), pdf)
    df.to_parquet(tmp_path / "mi.parquet")
    pd.testing.assert_frame_equal(jf.read_parquet(tmp_path / "mi.parquet").to_pandas(), pdf)


def test_multiindex_concat():
    pdf = data().set_index(["k", "g"])
    other = pdf.rename_axis(["k", "h"])
    twin = frame_with_dead_rows(pdf, LIVE)
    got = jf.concat([jf.from_pandas(pdf), twin.ours, jf.from_pandas(other)])
    pd.testing.assert_frame_equal(got.to_pandas(), pd.concat([pdf, twin.theirs, other]))
