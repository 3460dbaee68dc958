"""Label alignment against pandas: reindex, reindex_like, align, operators between differently
indexed Series/frames (outer join, NaN fill, pandas' dtype changes), a differently indexed Series
assigned into a frame, on filtered frames too, and pandas' errors."""

import numpy as np
import pandas as pd
import pytest

import jaxframes as jf
from frames import DTYPES, NULLABLE, make_column
from jaxframes.testing import assert_matches_pandas, assert_one_answer, frame_with_dead_rows


def data(n: int = 6, nulls: str = "none") -> pd.DataFrame:
    return pd.DataFrame({"i": make_column("int64", n, "none", 1), "f": make_column("float64", n, nulls, 2),
                         "s": make_column("str", n, nulls, 3), "I": make_column("Int64", n, nulls, 4)}
                        ).set_axis(pd.Index([10, 20, 30, 40, 50, 60][:n], name="lab"))


LIVE = [True, False, True, True, False, True]


@pytest.mark.parametrize("dtype", DTYPES)
def test_reindex_dtypes(dtype):
    """Missing labels: numpy ints become float64, bools become object (refused), others keep
    their dtype with NA; no missing label: the dtype stays."""
    nulls = "some" if dtype in NULLABLE else "none"
    pdf = pd.DataFrame({"c": make_column(dtype, 6, nulls, 5)}).set_axis([10, 20, 30, 40, 50, 60])
    assert_matches_pandas(lambda d: d.reindex([60, 10, 30]), pdf)
    if dtype == "bool":
        with pytest.raises(NotImplementedError, match="object dtype"):
            jf.from_pandas(pdf).reindex([60, 99])
    else:
        assert_matches_pandas(lambda d: d.reindex([60, 99, 10]), pdf)
        assert_matches_pandas(lambda d: d["c"].reindex([60, 99, 10]), pdf)


OPS = {
    "reindex": lambda d: d.reindex([30, 10, 99]),
    "reindex_same": lambda d: d.reindex([10, 20, 30, 40, 50, 60]),
    "reindex_fill": lambda d: d[["i", "f"]].reindex([30, 10, 99], fill_value=0),
    "reindex_columns": lambda d: d.reindex(columns=["f", "i", "new"]),
    "reindex_both": lambda d: d.reindex(index=[40, 45], columns=["s", "new"]),
    "reindex_axis": lambda d: d.reindex(["s", "i"], axis=1),
    "reindex_ffill": lambda d: d.reindex([15, 25, 65], method="ffill"),
    "reindex_nearest": lambda d: d.reindex([14, 26], method="nearest"),
    "reindex_limit": lambda d: d.reindex([10, 11, 12], method="pad", limit=1),
    "series_reindex": lambda d: d["I"].reindex([60, 61, 10]),
    "reindex_like": lambda d: d.reindex_like(d.iloc[1:3][["f"]]),
    "series_reindex_like": lambda d: d["f"].reindex_like(d["f"].iloc[::2]),
    "align_outer_0": lambda d: d.align(d.iloc[1:4][["f", "i"]])[0],
    "align_outer_1": lambda d: d.align(d.iloc[1:4][["f", "i"]])[1],
    "align_inner": lambda d: d.align(d.iloc[1:4][["f"]], join="inner")[1],
    "align_left_rows": lambda d: d.align(d.iloc[:2], join="left", axis=0)[1],
    "align_series": lambda d: d["f"].align(d["I"].iloc[2:], join="right")[0],
    "align_frame_series": lambda d: d.align(d["f"].iloc[:3], axis=0)[1],
    "add_series": lambda d: d["f"] + d["f"].iloc[2:],
    "sub_reversed": lambda d: d["i"].iloc[:4] - d["i"].iloc[::-1].iloc[:3],
    "mul_disjoint": lambda d: d["I"].iloc[:2] * d["I"].iloc[4:],
    "frame_rows": lambda d: d[["i", "f"]].iloc[:4] + d[["i", "f"]].iloc[2:],
    "frame_columns": lambda d: d[["i", "f"]] * d[["f"]],
    "frame_both": lambda d: d[["i", "f"]].iloc[:3] / d[["f", "I"]].iloc[1:],
    "frame_series_rows": lambda d: d[["i", "f"]].add(d["f"].iloc[1:3], axis=0),
    "frame_series_columns": lambda d: d[["i", "f"]] + pd.Series({"f": 1.0, "z": 2.0}),
    "frame_series_reordered": lambda d: d[["i", "f"]].sub(pd.Series([1, 2], index=["f", "i"])),
    "unsorted_labels": lambda d: d["f"].iloc[[3, 0, 2]] + d["f"].iloc[[1, 3]],
    "assign_subset": lambda d: d.assign(z=d["f"].iloc[:2]),
    "assign_reordered": lambda d: d.assign(z=d["i"].iloc[::-1]),
    "assign_foreign": lambda d: d.assign(z=pd.Series([1.5, 2.5], index=[20, 99])),
}


@pytest.mark.parametrize("name", list(OPS))
def test_ops_match_pandas(name):
    assert_matches_pandas(OPS[name], data())


@pytest.mark.parametrize("name", ["reindex", "reindex_fill", "reindex_ffill", "align_outer_1", "add_series",
                                  "frame_rows", "frame_both", "assign_subset", "assign_foreign"])
def test_filtered_frames(name):
    """Dead rows carry labels that would join, and values that would decide the dtype."""
    assert_one_answer(OPS[name], frame_with_dead_rows(data(), LIVE), paths=("eager",))


def test_string_labels_and_nulls():
    a = pd.Series([1.0, 2.0, np.nan], index=["x", "y", "z"], name="v")
    b = pd.Series([10, 20], index=["z", "w"], name="v")
    assert_one_answer(lambda p, q: p + q, (a, b), paths=("eager",))
    assert_one_answer(lambda p, q: p.align(q)[1], (a, b), paths=("eager",))


def test_multiindex_alignment():
    pdf = pd.DataFrame({"k": [1, 1, 2, 2], "g": ["a", "b", "a", "b"], "v": [1.0, 2.0, 3.0, 4.0]})
    assert_matches_pandas(lambda d: d.set_index(["k", "g"])["v"] + d.set_index(["k", "g"])["v"].iloc[1:3], pdf)
    assert_matches_pandas(lambda d: d.set_index(["k", "g"]).reindex([(1, "b"), (3, "c")]), pdf)


ERRORS = [
    (lambda d: d["f"] == d["f"].iloc[1:], ValueError, "Can only compare identically-labeled Series"),
    (lambda d: d[["f"]] < d[["f"]].iloc[1:], ValueError, "Can only compare identically-labeled"),
    (lambda d: d.set_index("i").reindex([1, 2]), ValueError, "cannot reindex on an axis with duplicate labels"),
    (lambda d: d.assign(z=d.set_index("i")["f"]), ValueError, "cannot reindex on an axis with duplicate labels"),
    (lambda d: d.iloc[[1, 0, 2]].reindex([15], method="ffill"), ValueError, "monotonic"),
    (lambda d: d.align(d["f"]), ValueError, "Must specify axis=0 or 1"),
]


@pytest.mark.parametrize("op,exc,match", ERRORS)
def test_errors(op, exc, match):
    pdf = data()
    if "set_index" in str(op.__code__.co_names):
        pdf = pdf.assign(i=[1, 1, 2, 3, 4, 5])
    assert_matches_pandas(op, pdf, raises=exc, match=match)


def test_refusals_inside_jit():
    import jax
    df = jf.from_pandas(data())

    with pytest.raises(NotImplementedError, match="inside jax.jit"):
        jax.jit(lambda d: d["f"] + d["f"].iloc[2:])(df)
    with pytest.raises(NotImplementedError, match="level="):
        df.reindex([1], level=0)


def test_construction_aligns_series():
    """A frame from a dict of differently indexed Series takes the union of their labels;
    Series(series, index=...) reindexes, as pandas does."""
    a = pd.Series([1, 2, 3], index=["x", "y", "z"])
    b = pd.Series([1.5, 2.5], index=["z", "w"])
    ja, jb = jf.from_pandas(a), jf.from_pandas(b)
    pd.testing.assert_frame_equal(jf.DataFrame({"a": ja, "b": jb}).to_pandas(), pd.DataFrame({"a": a, "b": b}))
    pd.testing.assert_frame_equal(jf.DataFrame({"a": ja, "r": jf.from_pandas(a.iloc[::-1])}).to_pandas(),
                                  pd.DataFrame({"a": a, "r": a.iloc[::-1]}))
    pd.testing.assert_frame_equal(jf.DataFrame({"a": ja}, index=["z", "q"]).to_pandas(),
                                  pd.DataFrame({"a": a}, index=["z", "q"]))
    pd.testing.assert_series_equal(jf.Series(ja, index=["z", "q"]).to_pandas(), pd.Series(a, index=["z", "q"]))
