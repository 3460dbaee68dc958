"""repr, equals, to_dict, to_numpy, shape/len/dtypes/columns/empty, copy: same as pandas on the
same data, including long (> 60 rows, truncated) and filtered frames."""

import numpy as np
import pytest

import jaxframes as jf
from frames import DTYPES, NULLS, SIZES, make_frame
from jaxframes.testing import assert_matches_pandas


def _mask(n: int, seed: int = 1) -> np.ndarray:
    return np.random.default_rng(seed).random(n) < 0.6


@pytest.mark.parametrize("n", SIZES + (61, 100))
@pytest.mark.parametrize("nulls", NULLS)
def test_repr_matches_pandas(n, nulls):
    pdf = make_frame(n=n, nulls=nulls)
    mask = _mask(n)
    for op in (repr, lambda d: repr(d[mask]), lambda d: repr(d["c5"]), lambda d: repr(d["c2"][mask]),
               lambda d: repr(d.iloc[::-1]), str):
        assert_matches_pandas(op, pdf)


def test_repr_string_index():
    pdf = make_frame(n=70).set_axis([f"row{i}" for i in range(70)], axis=0)
    assert_matches_pandas(repr, pdf)
    assert_matches_pandas(lambda d: repr(d[_mask(70)]), pdf)


@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("nulls", NULLS)
def test_metadata(n, nulls):
    pdf = make_frame(n=n, nulls=nulls)
    mask = _mask(n)
    for op in (lambda d: d.shape, len, lambda d: str(d.dtypes), lambda d: d.columns, lambda d: d.empty,
               lambda d: d[mask].shape, lambda d: len(d[mask]), lambda d: d[mask].empty, lambda d: d.size,
               lambda d: d[[]].empty if n else d.empty, lambda d: d["c1"].shape, lambda d: d.copy(),
               lambda d: d[mask].copy(), lambda d: d["c3"].copy(), lambda d: d.index, lambda d: d[mask].index):
        assert_matches_pandas(op, pdf)


@pytest.mark.parametrize("nulls", NULLS)
def test_equals(nulls):
    pdf = make_frame(n=7, nulls=nulls)
    other = make_frame(n=7, nulls=nulls, seed=5)
    mask = _mask(7)
    df = jf.from_pandas(pdf)
    cases = [(df, jf.from_pandas(pdf), pdf, pdf), (df, jf.from_pandas(other), pdf, other),
             (df[mask], jf.from_pandas(pdf[mask]), pdf[mask], pdf[mask]),
             (df, df.iloc[::-1], pdf, pdf.iloc[::-1]), (df["c4"], df["c4"][mask], pdf["c4"], pdf["c4"][mask]),
             (df["c5"], jf.from_pandas(pdf["c5"]), pdf["c5"], pdf["c5"]), (df, pdf, pdf, df)]
    for ours_a, ours_b, pd_a, pd_b in cases:
        assert ours_a.equals(ours_b) == pd_a.equals(pd_b)


@pytest.mark.parametrize("orient", ["dict", "list", "records", "index", "split", "tight", "series"])
def test_to_dict(orient):
    pdf = make_frame(["int64", "float64", "str", "Int64"], n=7, nulls="some")
    mask = _mask(7)
    if orient == "series":
        ours = jf.from_pandas(pdf).to_dict(orient="series")
        assert ours.keys() == pdf.to_dict(orient="series").keys()
        return
    assert_matches_pandas(lambda d: str(d.to_dict(orient=orient)), pdf)
    assert_matches_pandas(lambda d: str(d[mask].to_dict(orient=orient)), pdf)
    assert_matches_pandas(lambda d: str(d["c1"].to_dict()), pdf)


@pytest.mark.parametrize("dtypes", [["int64", "float64"], ["Int64", "Float64"], ["str"], DTYPES])
def test_to_numpy(dtypes):
    pdf = make_frame(dtypes, n=7, nulls="some")
    mask = _mask(7)
    masked = any(d in ("Int64", "Float64", "boolean", "Int32") for d in dtypes)
    kwargs = {"dtype": object, "na_value": None} if masked else {}  # pd.NA cannot be compared elementwise
    for op in (lambda d: d.to_numpy(**kwargs), lambda d: d[mask].to_numpy(**kwargs),
               lambda d: d.iloc[:, 0].to_numpy(**kwargs)):
        assert_matches_pandas(op, pdf)
