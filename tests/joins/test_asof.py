"""merge_asof against pandas: directions x exact matches x tolerance x by, duplicate keys,
datetime/float/int keys, index keys, filtered frames, and pandas' errors."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from pandas.errors import MergeError

import jaxframes as jf
from jaxframes.testing import assert_same_result, frame_with_dead_rows


def _sides(kind: str = "int", n_left: int = 30, n_right: int = 25, seed: int = 0, groups: int = 3):
    rng = np.random.default_rng(seed)
    lk = np.sort(rng.integers(0, 40, n_left))  # duplicates on both sides, exact hits included
    rk = np.sort(rng.integers(0, 40, n_right))
    if kind == "float":
        lk, rk = lk * 0.5, rk * 0.5
    elif kind == "datetime":
        lk = pd.Timestamp("2024-01-01") + pd.to_timedelta(lk, unit="min")
        rk = pd.Timestamp("2024-01-01") + pd.to_timedelta(rk, unit="min")
    words = np.array(["x", "y", "z", "w"])[:groups]
    left = pd.DataFrame({"k": lk, "g": words[rng.integers(0, groups, n_left)], "a": rng.normal(size=n_left)})
    right = pd.DataFrame({"k": rk, "g": words[rng.integers(0, groups, n_right)],
                          "b": rng.integers(0, 100, n_right), "s": rng.choice(["p", "q", None], n_right)})
    return left, right


def _check(left, right, **kw) -> None:
    expected = pd.merge_asof(left, right, **kw)
    got = jf.merge_asof(jf.from_pandas(left), jf.from_pandas(right), **kw)
    assert_same_result(got, expected)


@pytest.mark.parametrize("direction", ["backward", "forward", "nearest"])
@pytest.mark.parametrize("exact", [True, False])
@pytest.mark.parametrize("kind", ["int", "datetime"])
def test_directions(direction: str, exact: bool, kind: str) -> None:
    left, right = _sides(kind, seed=hash((direction, exact, kind)) % 1000)
    _check(left, right, on="k", direction=direction, allow_exact_matches=exact)
    _check(left, right, on="k", by="g", direction=direction, allow_exact_matches=exact)
    tol = {"int": 2, "float": 1.0, "datetime": pd.Timedelta("2min")}[kind]
    _check(left, right, on="k", by="g", direction=direction, allow_exact_matches=exact, tolerance=tol)


def test_key_and_by_variants() -> None:
    left, right = _sides()
    _check(*_sides("float"), on="k", by="g", direction="nearest", tolerance=1.0)
    _check(left, right.rename(columns={"k": "rk", "g": "rg"}), left_on="k", right_on="rk", left_by="g",
           right_by="rg")
    _check(left, right.rename(columns={"b": "a"}), on="k", suffixes=("_l", "_r"))
    _check(left.set_index("k"), right, left_index=True, right_on="k")
    _check(left, right.set_index("k"), left_on="k", right_index=True)
    _check(left.set_index("k"), right.set_index("k"), left_index=True, right_index=True)
    _check(left, right, on="k", by=["g"])
    _check(left.iloc[:0], right, on="k")
    _check(left, right.iloc[:0][["k", "s"]], on="k")


def test_series_and_filtered_frames() -> None:
    left, right = _sides(seed=5)
    live = np.ones(len(right), bool)
    live[::3] = False  # dead right rows would be matched
    twin = frame_with_dead_rows(right, live)
    lt = frame_with_dead_rows(left, np.arange(len(left)) % 4 != 1)
    expected = pd.merge_asof(lt.theirs, twin.theirs, on="k", by="g", direction="nearest")
    assert_same_result(jf.merge_asof(lt.ours, twin.ours, on="k", by="g", direction="nearest"), expected)
    s = right.set_index("k")["b"]
    assert_same_result(jf.merge_asof(jf.from_pandas(left), jf.from_pandas(s), left_on="k", right_index=True),
                       pd.merge_asof(left, s, left_on="k", right_index=True))


@pytest.mark.parametrize("kwargs, error, match", [
    ({"on": "k", "direction": "sideways"}, MergeError, "direction invalid"),
    ({"on": "k", "tolerance": -1}, MergeError, "tolerance must be non-negative"),
    ({"on": "k", "tolerance": 1.5}, MergeError, "incompatible tolerance"),
    ({"on": ["k", "a"]}, MergeError, "can only asof on a key"),
    ({"on": "zz"}, KeyError, "zz"),
    ({"on": "k", "by": "zz"}, KeyError, "zz"),
])
def test_argument_errors(kwargs, error, match) -> None:
    left, right = _sides()
    with pytest.raises(error, match=match):
        pd.merge_asof(left, right, **kwargs)
    with pytest.raises(error, match=match):
        jf.merge_asof(jf.from_pandas(left), jf.from_pandas(right), **kwargs)


def test_data_errors() -> None:
    left, right = _sides()
    cases = [
        (left.iloc[::-1], right, ValueError, "left keys must be sorted"),
        (left, right.iloc[::-1], ValueError, "right keys must be sorted"),
        (left.assign(k=left.k.astype(float).where(left.index != 3)), right.astype({"k": float}), ValueError,
         "null values on left side"),
        (left, right.astype({"k": "int32"}), MergeError, "incompatible merge keys"),
        (left, right.astype({"k": float}), MergeError, "incompatible merge keys"),
        (left.astype({"k": str}), right.astype({"k": str}), MergeError, "both sides must have numeric dtype"),
    ]
    for lp, rp, error, match in cases:
        with pytest.raises(error, match=match):
            pd.merge_asof(lp, rp, on="k")
        with pytest.raises(error, match=match):
            jf.merge_asof(jf.from_pandas(lp), jf.from_pandas(rp), on="k")
    # a dead unsorted / null row decides nothing
    twin = frame_with_dead_rows(left.assign(k=left.k.astype(float)), np.arange(len(left)) != 0)
    lp = twin.theirs
    ours = twin.ours.assign(k=twin.ours["k"])
    expected = pd.merge_asof(lp, right.astype({"k": float}), on="k")
    assert_same_result(jf.merge_asof(ours, jf.from_pandas(right.astype({"k": float})), on="k"), expected)
