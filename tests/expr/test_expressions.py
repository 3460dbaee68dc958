"""Expressions evaluated on eager frames (df.select / with_columns / filter) against pandas."""

import numpy as np
import pandas as pd
import pytest

import jaxframes as jf
from jaxframes.testing import assert_frame_equal, assert_matches_pandas

PDF = pd.DataFrame({
    "a": [1, -2, 3, 0, 5],
    "f": [0.5, np.nan, -1.5, 2.0, 4.0],
    "n": pd.array([1, None, 3, None, 5], dtype="Int64"),
    "s": pd.Series(["x", "yy", None, "x", "zz"], dtype="str"),
    "t": pd.to_datetime(["2020-01-01", "2021-06-15", "2022-12-31", "2020-02-29", "2023-03-03"]).astype("datetime64[ns]"),
})
C = jf.col

CASES = [  # (expression, pandas equivalent on the frame)
    (C("a") + C("f") * 2, lambda d: d.a + d.f * 2),
    (C("a") - 1, lambda d: d.a - 1),
    (10 / C("a"), lambda d: 10 / d.a),
    (C("a") // 2 + C("a") % 3, lambda d: d.a // 2 + d.a % 3),
    (-C("f"), lambda d: -d.f),
    (abs(C("a")), lambda d: d.a.abs()),
    ((C("a") > 0) & ~(C("f") < 1) | (C("a") == 5), lambda d: (d.a > 0) & ~(d.f < 1) | (d.a == 5)),
    (C("n") * 2 != 6, lambda d: d.n * 2 != 6),
    (C("a").cast("float32"), lambda d: d.a.astype("float32")),
    (C("f").is_null(), lambda d: d.f.isna()),
    (C("n").is_not_null(), lambda d: d.n.notna()),
    (C("f").fill_null(0.0), lambda d: d.f.fillna(0.0)),
    (C("a").is_in([1, 5]), lambda d: d.a.isin([1, 5])),
    (jf.when(C("a") > 0).then(C("f")).otherwise(-1.0), lambda d: d.f.where(d.a > 0, -1.0)),
    (jf.when(C("a") > 0).then(C("a")), lambda d: d.a.where(d.a > 0)),
    (C("s").str.upper(), lambda d: d.s.str.upper()),
    (C("t").dt.year, lambda d: d.t.dt.year),
]


@pytest.mark.parametrize("expr,expected", CASES, ids=[repr(c[0]) for c in CASES])
def test_with_columns_matches_pandas(expr, expected):
    out = jf.from_pandas(PDF).with_columns(expr.alias("r"))
    assert_frame_equal(out, PDF.assign(r=expected(PDF)))


@pytest.mark.parametrize("expr,expected", CASES, ids=[repr(c[0]) for c in CASES])
def test_lazy_uses_the_same_evaluation(expr, expected):
    out = jf.from_pandas(PDF).lazy().with_columns(expr.alias("r")).collect()
    assert_frame_equal(out, PDF.assign(r=expected(PDF)))


def test_filter_and_select():
    assert_matches_pandas(lambda d: d.filter(jf.col("a") > 0) if isinstance(d, jf.DataFrame) else d[d.a > 0], PDF)
    out = jf.from_pandas(PDF).select("a", (C("f") * 2).alias("g"))
    assert_frame_equal(out, pd.DataFrame({"a": PDF.a, "g": PDF.f * 2}))


def test_nullable_predicate_drops_nulls():
    out = jf.from_pandas(PDF).filter(C("n") > 1)
    assert_frame_equal(out, PDF[(PDF.n > 1).fillna(False)])


@pytest.mark.parametrize("how", ["sum", "mean", "min", "max", "count", "n_unique", "std", "var"])
def test_whole_column_aggregations(how):
    out = jf.from_pandas(PDF).select(getattr(C("f"), how)())
    expected = getattr(PDF.f, {"n_unique": "nunique"}.get(how, how))()
    assert np.isclose(out.to_pandas()["f"].iloc[0], expected)


def test_names_and_errors():
    assert (C("a") + 1).output_name == "a"
    assert (C("a") + 1).alias("z").output_name == "z"
    assert (jf.lit(1) + C("a")).output_name == "literal"
    with pytest.raises(KeyError):
        jf.from_pandas(PDF).with_columns(C("missing") + 1)
    with pytest.raises(TypeError):
        bool(C("a") > 0)
    with pytest.raises(TypeError):
        jf.from_pandas(PDF).with_columns((C("s") + 1).alias("r"))  # pandas: str + int is a TypeError
    with pytest.raises(TypeError):
        PDF.s + 1
