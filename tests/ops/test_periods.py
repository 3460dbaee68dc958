"""Period columns (``period[freq]``, int64 ordinals on device) against pandas: round trips
(Series, DataFrame columns, a PeriodIndex), printing, comparisons and ``period +- int``, sort,
group-by and merge keys, unique/value_counts, isna, shift, min/max, eagerly, lazily and under
jit, on filtered frames whose dead rows would change the answer, and empty frames; and the
operations pandas answers with offset objects, which raise NotImplementedError."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

import jaxframes as jf
from jaxframes.testing import assert_matches_pandas, assert_one_answer, frame_with_dead_rows

MONTHS = pd.Series(pd.period_range("1969-11", periods=6, freq="M")).where([True, True, False, True, True, True])
PDF = pd.DataFrame({"p": MONTHS, "x": [3, 1, 4, 1, 5, 9],
                    "q": pd.Series(pd.period_range("1969-12", periods=6, freq="M"))})
# the dead rows hold the earliest period and the only NaT: either would change an answer
# (min, value_counts(dropna=False), group-by with dropna=False); the live rows hold a duplicate
DEAD = frame_with_dead_rows(PDF.assign(p=pd.PeriodIndex(["1969-11", "1900-01", "1970-01", "1970-02", None, "1970-01"],
                                                        freq="M")), [True, False, True, True, False, True])
FRAMES = pytest.mark.parametrize("data", [PDF, DEAD], ids=["plain", "dead-rows"])


@pytest.mark.parametrize("freq", ["D", "M", "Q-DEC", "Q-NOV", "Y-DEC", "Y-JUN", "h", "min", "s", "W-SUN", "W-WED",
                                  "2D", "B"])
def test_round_trip_and_printing(freq):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)  # period[B] is deprecated in pandas
        values = pd.Series(pd.period_range("1969-12-30", periods=4, freq=freq)).where([True, False, True, True])
        pdf = pd.DataFrame({"p": values.array, "x": range(4)}, index=pd.period_range("1850-01", periods=4, freq="M"))
        ours = jf.DataFrame(pdf)
        assert str(ours.dtypes["p"]) == str(pdf.dtypes["p"]) == str(pd.PeriodDtype(freq))
        pd.testing.assert_frame_equal(ours.to_pandas(), pdf)
        pd.testing.assert_series_equal(jf.Series(values).to_pandas(), values)
        assert repr(ours) == repr(pdf)


@FRAMES
@pytest.mark.parametrize("op", [
    lambda d: d.assign(lt=d["p"] < d["q"], eq=d["p"] == d["q"], ne=d["p"] != d["q"]),
    lambda d: d.assign(ge=d["p"] >= pd.Period("1970-01", "M"), gt=d["p"] > "1970-01"),
    lambda d: d.assign(r=d["p"] + 1, l=2 + d["p"], s=d["p"] - d["x"], o=d["p"] + pd.offsets.MonthEnd(2)),
    lambda d: d.assign(n=d["p"].isna(), m=d["p"].notna()),
    lambda d: d[d["p"] > pd.Period("1969-12", "M")],
    lambda d: d.sort_values("p"),
    lambda d: d.sort_values(["p", "x"], ascending=False, na_position="first"),
    lambda d: d.groupby("p").agg({"x": "sum"}),
    lambda d: d.groupby("p", dropna=False).agg({"x": "max"}),
    lambda d: d.drop_duplicates("p"),
], ids=["cmp-cols", "cmp-scalars", "plus-int", "isna", "filter", "sort", "sort-desc", "groupby", "groupby-nulls",
        "drop-duplicates"])
def test_one_answer_on_every_path(op, data):
    assert_one_answer(op, data)


@pytest.mark.parametrize("op", [
    lambda d: d.assign(lt=d["p"] < d["q"], r=d["p"] + 1, n=d["p"].isna()),
    lambda d: d.sort_values("p"),
    lambda d: d.groupby("p").agg({"x": "sum"}),
], ids=["elementwise", "sort", "groupby"])
def test_empty_frames(op):
    assert_one_answer(op, PDF.iloc[:0])


def test_empty_series_methods():
    for op in (lambda d: d["p"].value_counts(), lambda d: d["p"].min(), lambda d: d["p"].unique()):
        assert_one_answer(op, PDF.iloc[:0], paths=("eager",))


@pytest.mark.parametrize("data", [PDF, DEAD, PDF.iloc[:0]], ids=["plain", "dead-rows", "empty"])
def test_merge_on_period_keys(data):
    right = pd.DataFrame({"p": pd.period_range("1969-10", periods=5, freq="M"), "y": [10, 20, 30, 40, 50]})
    for how in ("inner", "left", "outer"):
        assert_one_answer(lambda d, r: d.merge(r, on="p", how=how), (data, right), paths=("eager", "lazy"))


@FRAMES
@pytest.mark.parametrize("op", [
    lambda d: d["p"].value_counts(),
    lambda d: d["p"].value_counts(dropna=False),
    lambda d: d["p"].unique(),
    lambda d: d["p"].nunique(),
    lambda d: d["p"].min(),
    lambda d: d["p"].max(),
    lambda d: d["p"].shift(1),
    lambda d: d["p"].cummax(),
    lambda d: d["p"].isin([pd.Period("1970-01", "M"), pd.Period("1970-01", "D")]),
    lambda d: d["p"].fillna(pd.Period("2000-01", "M")),
    lambda d: d["p"].where(d["x"] > 2, pd.Period("2000-01", "M")),
    lambda d: d["p"].astype("int64"),
    lambda d: d["p"].astype(str),
    lambda d: d.set_index("q")["x"],
], ids=["value-counts", "value-counts-na", "unique", "nunique", "min", "max", "shift", "cummax", "isin", "fillna",
        "where", "astype-int64", "astype-str", "period-index"])
def test_series_methods(op, data):
    assert_one_answer(op, data, paths=("eager",))


@pytest.mark.parametrize("op, error, match", [
    (lambda d: d["p"] < d["p"].astype("int64"), TypeError, "Invalid comparison between dtype=period"),
    (lambda d: d["p"] < 3, TypeError, "Invalid comparison between dtype=period\\[M\\] and int"),
    (lambda d: d["p"] < pd.Period("2000-01-01", "D"), TypeError, "Invalid comparison between dtype=period\\[M\\]"),
    (lambda d: d["p"] * 2, TypeError, "cannot perform __mul__ with this index type: PeriodArray"),
    (lambda d: d["p"] + 1.5, TypeError, "unsupported operand type\\(s\\) for \\+: 'PeriodArray' and 'float'"),
    (lambda d: 1 - d["p"], TypeError, "bad operand type for unary -: 'PeriodArray'"),
    (lambda d: d["p"].sum(), TypeError, "'PeriodArray' with dtype period\\[M\\] does not support operation 'sum'"),
    (lambda d: d["p"].mean(), TypeError, "mean is not implemented for PeriodArray"),
    (lambda d: d["p"].cumsum(), TypeError, "Accumulation cumsum not supported"),
    (lambda d: d["p"] + d["x"].astype("Int64").where(d["x"] > 1), ValueError, "cannot convert to 'int64'-dtype"),
    (lambda d: d["p"] + pd.offsets.Day(2), Exception, "Input has different freq|Input cannot be converted"),
])
def test_pandas_errors(op, error, match):
    assert_matches_pandas(op, PDF, raises=error, match=match)


def test_different_frequencies_are_never_equal():
    days = PDF.assign(q=pd.Series(pd.period_range("1969-12-01", periods=6, freq="D")))
    assert_matches_pandas(lambda d: d.assign(eq=d["p"] == d["q"], ne=d["p"] != d["q"],
                                             s=d["p"] == pd.Period("1969-11-01", "D"), i=d["p"] == 3), days)


@pytest.mark.parametrize("op, match", [
    (lambda d: d["p"] - d["q"], "DateOffset objects"),
    (lambda d: d["p"] - pd.Period("1970-01", "M"), "DateOffset objects"),
    (lambda d: d["p"].diff(), "diff of a period\\[M\\] column"),
    (lambda d: d["p"].median(), "median of a period\\[M\\] column"),
    (lambda d: d["p"] + pd.Timedelta(1, "D"), "timedelta"),
])
def test_offset_results_are_not_held(op, match):
    with pytest.raises(NotImplementedError, match=match):
        op(jf.from_pandas(PDF))


def test_two_day_periods_step_by_their_multiple():
    values = pd.Series(pd.period_range("1969-12-30", periods=3, freq="2D"))
    assert_matches_pandas(lambda s: (s + 1) - 2, values)
