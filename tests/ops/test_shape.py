"""transpose, squeeze, take, truncate, at/iat, get, Series.drop against pandas, on filtered frames
too, with pandas' errors; the in-place methods raise ImmutableFrameError naming the alternative."""

import numpy as np
import pandas as pd
import pytest

import jaxframes as jf
from frames import make_column
from jaxframes.testing import assert_matches_pandas, assert_one_answer, frame_with_dead_rows


def data(n: int = 6) -> pd.DataFrame:
    return pd.DataFrame({"i": make_column("int64", n, "none", 1), "f": make_column("float64", n, "some", 2),
                         "s": make_column("str", n, "some", 3), "I": make_column("Int64", n, "some", 4)}
                        ).set_axis(pd.Index([10, 20, 30, 40, 50, 60][:n], name="lab"))


LIVE = [True, False, True, True, False, True]

OPS = {
    "T_numeric": lambda d: d[["i", "f"]].T,
    "T_int": lambda d: d[["i"]].transpose(),
    "T_masked": lambda d: d[["I"]].T,
    "T_int_float": lambda d: d[["i", "f"]].iloc[:3].T,
    "T_str": lambda d: d[["s"]].T,
    "T_twice": lambda d: d[["i", "f"]].T.T,
    "squeeze_column": lambda d: d[["f"]].squeeze(),
    "squeeze_row": lambda d: d[["i", "f"]].iloc[1:2].squeeze(),
    "squeeze_scalar": lambda d: d[["i"]].iloc[:1].squeeze(),
    "squeeze_axis": lambda d: d[["f"]].iloc[:1].squeeze(axis=0),
    "squeeze_none": lambda d: d.squeeze(),
    "series_squeeze": lambda d: d["f"].iloc[2:3].squeeze(),
    "take": lambda d: d.take([2, 0, -1]),
    "take_columns": lambda d: d.take([1, 0], axis=1),
    "series_take": lambda d: d["s"].take([3, 1]),
    "truncate": lambda d: d.truncate(15, 45),
    "truncate_after": lambda d: d["f"].truncate(after=30),
    "truncate_columns": lambda d: d[["f", "i", "s"]].truncate(before="g", after="s", axis=1),
    "at": lambda d: d.at[30, "s"],
    "iat": lambda d: d.iat[2, 0],
    "series_at": lambda d: d["i"].at[30],
    "series_iat": lambda d: d["I"].iat[-1],
    "get": lambda d: d.get("f"),
    "get_list": lambda d: d.get(["f", "i"]),
    "get_default": lambda d: d.get("zz", 5),
    "series_get": lambda d: d["i"].get(20),
    "series_get_default": lambda d: d["i"].get(99, -1),
    "drop": lambda d: d["f"].drop(30),
    "drop_list": lambda d: d["s"].drop([10, 60]),
    "drop_ignore": lambda d: d["s"].drop([10, 99], errors="ignore"),
    "drop_level": lambda d: d.set_index(["i", "s"])["f"].drop(0, level="i"),
    "keys": lambda d: d["f"].keys(),
    "items": lambda d: [k for k, _ in d["i"].items()],
    "axes": lambda d: d.axes[1],
    "T_series": lambda d: d["f"].T,
}


@pytest.mark.parametrize("name", list(OPS))
def test_ops_match_pandas(name):
    assert_matches_pandas(OPS[name], data())


@pytest.mark.parametrize("name", ["T_numeric", "squeeze_row", "take", "truncate", "at", "iat", "drop", "get"])
def test_filtered_frames(name):
    assert_one_answer(OPS[name], frame_with_dead_rows(data(), LIVE), paths=("eager",))


ERRORS = [
    (lambda d: d.take([6]), IndexError, "indices are out-of-bounds"),
    (lambda d: d["f"].drop(99), KeyError, "not found in axis"),
    (lambda d: d.iat[1, "f"], ValueError, "iAt based indexing can only have integer indexers"),
    (lambda d: d.iloc[[1, 0, 2]].truncate(15, 30), ValueError, "truncate requires a sorted index"),
    (lambda d: d.truncate(40, 20), ValueError, "Truncate: 20 must be after 40"),
    (lambda d: d.at[99, "f"], KeyError, "99"),
    (lambda d: d.squeeze(axis=2), ValueError, "No axis named 2"),
]


@pytest.mark.parametrize("op,exc,match", ERRORS)
def test_errors(op, exc, match):
    assert_matches_pandas(op, data(), raises=exc, match=match)


def test_dead_labels_are_absent():
    """A label held only by a dead row is not there."""
    twin = frame_with_dead_rows(data(), LIVE)
    for op, exc in ((lambda d: d.at[20, "s"], KeyError), (lambda d: d["f"].drop(20), KeyError)):
        assert_one_answer(op, twin, paths=("eager",), raises=exc, match="20")


def test_refusals():
    df = jf.from_pandas(data())
    with pytest.raises(NotImplementedError, match="object columns"):
        df.T  # mixed str and numbers: pandas gives object columns
    with pytest.raises(NotImplementedError, match="object columns"):
        df[["i", "I"]].T  # numpy and extension dtypes mixed: object in pandas
    with pytest.raises(NotImplementedError, match="repeated row labels"):
        df.set_index("i")[["f"]].T
