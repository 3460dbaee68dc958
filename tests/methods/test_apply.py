"""Function application against pandas: agg/aggregate, apply (column- and row-wise: traced and
eager loop), map, transform, pipe, combine, combine_first, update, case_when, divmod,
Series.groupby, and query/eval strings (eager, lazy, on filtered frames)."""

import jax
import numpy as np
import pandas as pd
import pytest
from pandas.errors import UndefinedVariableError

import jaxframes as jf
from dead_rows import on_live, with_dead_rows
from frames import make_frame
from jaxframes.testing import assert_matches_pandas, assert_one_answer, assert_same_result, frame_with_dead_rows


def numeric_frame(nulls="some", n=7):
    pdf = make_frame(("int64", "float64", "Int64", "bool"), n=n, nulls=nulls)
    return pdf.rename(columns={"c0": "a", "c1": "b", "c2": "c", "c3": "d"})


PDF = numeric_frame()
MIXED = pd.DataFrame({"a": [1, 2, 3, 4], "b": [1.0, None, 3.0, 4.5], "s": ["x", "y", "z", "x"],
                      "c d": [4, 3, 2, 1]})


# -- agg ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("func", ["sum", "mean", "max", ["sum", "mean"], ["min", "max", "count"],
                                  {"a": "sum", "b": "mean"}, {"a": "sum", "b": ["min", "max"]},
                                  np.mean, np.sum, np.std, lambda s: s.max() - s.min()],
                         ids=lambda f: getattr(f, "__name__", str(f)))
@pytest.mark.parametrize("nulls", ["none", "some"])
def test_frame_agg(func, nulls):
    pdf = numeric_frame(nulls)[["a", "b", "c"]]
    assert_matches_pandas(lambda df: df.agg(func), pdf)
    assert_matches_pandas(lambda df: df.aggregate(func), pdf)


@pytest.mark.parametrize("func", ["sum", ["sum", "mean"], {"total": "sum", "avg": np.mean}, np.std,
                                  lambda s: s.sum(), "size", "cumsum"],
                         ids=lambda f: getattr(f, "__name__", str(f)))
@pytest.mark.parametrize("column", ["a", "b", "c"])
def test_series_agg(func, column):
    assert_matches_pandas(lambda df: df[column].agg(func), PDF)


def test_agg_errors():
    assert_matches_pandas(lambda df: df.agg({"zz": "sum"}), PDF, raises=KeyError, match="zz")
    assert_matches_pandas(lambda df: df["a"].agg("nonexistent"), PDF, raises=AttributeError,
                          match="'nonexistent' is not a valid function for 'Series' object")
    assert_matches_pandas(lambda df: df.agg(["mean"]), MIXED[["s"]], raises=TypeError,
                          match="Cannot perform reduction 'mean'")


def test_agg_axis1():
    assert_matches_pandas(lambda df: df[["a", "b"]].agg("sum", axis=1), PDF)


def test_agg_on_dead_rows():
    twin = frame_with_dead_rows(PDF, np.arange(len(PDF)) % 3 != 1)
    for func in ["sum", ["min", "max"], {"a": "mean", "b": ["sum"]}]:
        assert_same_result(twin.ours[["a", "b", "c"]].agg(func), twin.theirs[["a", "b", "c"]].agg(func))


# -- apply -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("func", [lambda c: c.max() - c.min(), lambda c: c * 2, lambda c: c.cumsum(),
                                  "sum", np.sqrt, ["sum", "min"]], ids=range(6))
def test_frame_apply_columns(func):
    assert_matches_pandas(lambda df: df[["a", "b"]].apply(func), PDF.abs())


def test_frame_apply_raw():
    assert_matches_pandas(lambda df: df[["a", "b"]].apply(lambda v: float(np.nansum(v)), raw=True), PDF)


@pytest.mark.parametrize("func", [lambda r: r["a"] + r["b"], lambda r: r.a * 2 > r.b, lambda r: r.sum(),
                                  lambda r: r.max(), lambda r: r["a"] // 2], ids=range(5))
@pytest.mark.parametrize("cols", [["a", "b"], ["a", "b", "d"], ["a", "b", "c"]], ids=str)
def test_frame_apply_rows(func, cols):
    # int/float/bool rows trace through jax.vmap; a row holding a live NA runs pandas' loop
    expected = PDF[cols].apply(func, axis=1)
    if expected.dtype == object:  # NA mixed into numbers: an object column, which we refuse
        with pytest.raises(NotImplementedError, match="object"):
            jf.from_pandas(PDF)[cols].apply(func, axis=1)
        return
    assert_matches_pandas(lambda df: df[cols].apply(func, axis=1), PDF)


def test_frame_apply_rows_eager_loop():
    # Python control flow on a value and string results: pandas' loop over the live rows.
    assert_matches_pandas(lambda df: df.apply(lambda r: "big" if r["a"] > 2 else "small", axis=1), MIXED)
    assert_matches_pandas(lambda df: df.apply(lambda r: r["s"] * 2, axis=1), MIXED)
    assert_matches_pandas(lambda df: df[["a", "c d"]].apply(lambda r: [r["a"], 0], axis=1, result_type="expand"),
                          MIXED)
    assert_matches_pandas(lambda df: df[["a"]].apply(lambda r: 1, axis=1, result_type="nope"), MIXED,
                          raises=ValueError, match="invalid value for result_type")


def test_apply_rows_on_dead_rows_and_jit():
    twin = frame_with_dead_rows(PDF[["a", "b"]], np.arange(len(PDF)) % 2 == 0)
    assert_one_answer(lambda df: df.apply(lambda r: r["a"] * 2 + r["b"], axis=1), twin, paths=("eager", "jit"))
    # the eager loop cannot run inside jit: a TypeError that says why
    with pytest.raises(TypeError, match="inside jax.jit only the traced path runs"):
        jax.jit(lambda df: df.apply(lambda r: 1 if r["a"] > 0 else 0, axis=1))(twin.ours)


# -- map ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("column", ["a", "b", "c", "d"])
@pytest.mark.parametrize("func", [lambda x: x * 2, lambda x: x / 2, lambda x: x > 0, lambda x: 0], ids=range(4))
def test_series_map_callable(column, func):
    assert_matches_pandas(lambda df: df[column].map(func), PDF)


def test_series_map_na_action_and_lookups():
    for column in ("a", "b", "c"):
        assert_matches_pandas(lambda df: df[column].map(lambda x: x + 1, na_action="ignore"), PDF)
    assert_matches_pandas(lambda df: df["a"].map({1: "one", 2: "two"}), MIXED)
    assert_matches_pandas(lambda df: df["s"].map({"x": 1.5}), MIXED)
    assert_matches_pandas(lambda df: df["s"].map(str.upper), MIXED)
    assert_matches_pandas(lambda df: df["a"].map(lambda x: x, na_action="bad"), MIXED, raises=ValueError,
                          match="na_action must either be 'ignore' or None")


def test_series_map_jit_and_dead_rows():
    twin = frame_with_dead_rows(PDF, np.arange(len(PDF)) % 3 != 0)
    assert_one_answer(lambda df: df["b"].map(lambda x: x * 3 - 1), twin, paths=("eager", "jit"))
    assert_one_answer(lambda df: df["a"].apply(lambda x: x + 1), twin, paths=("eager", "jit"))


def test_frame_map():
    assert_matches_pandas(lambda df: df[["a", "b"]].map(lambda x: x * 10), PDF)
    assert_matches_pandas(lambda df: df.map(lambda x: str(x)), MIXED)
    assert_matches_pandas(lambda df: df[["a", "c"]].map(lambda x: x + 1, na_action="ignore"), PDF)


def test_series_apply_forms():
    assert_matches_pandas(lambda df: df["a"].apply(lambda x: x + 1), MIXED)
    assert_matches_pandas(lambda df: df["a"].apply(np.sqrt), MIXED)
    assert_matches_pandas(lambda df: df["a"].apply("cumsum"), MIXED)
    assert_matches_pandas(lambda df: df["a"].apply(lambda s: s.sum(), by_row=False), MIXED)
    assert_matches_pandas(lambda df: df["a"].apply(lambda x, k: x * k, args=(3,)), MIXED)
    assert_matches_pandas(lambda df: df["a"].apply(lambda x: "big" if x > 2 else "small"), MIXED)


# -- transform, pipe -----------------------------------------------------------------------------------
def test_transform():
    pdf = PDF[["a", "b", "c"]]
    assert_matches_pandas(lambda df: df.transform(lambda x: x + 1), pdf)
    assert_matches_pandas(lambda df: df.transform("abs"), pdf)
    assert_matches_pandas(lambda df: df.transform(np.sqrt), pdf.abs())
    assert_matches_pandas(lambda df: df.transform({"a": "cumsum", "b": lambda x: x * 2}), pdf)
    assert_matches_pandas(lambda df: df["b"].transform(["abs", "sqrt"]), pdf.abs())
    assert_matches_pandas(lambda df: df["a"].transform(lambda x: x - x.mean()), pdf)
    assert_matches_pandas(lambda df: df.transform(lambda x: x.head(2)), pdf, raises=ValueError,
                          match="Function did not transform")
    assert_matches_pandas(lambda df: df["a"].transform("sum"), pdf, raises=ValueError,
                          match="Function did not transform")


def test_pipe():
    assert_matches_pandas(lambda df: df.pipe(lambda d, k: d[["a"]] * k, 2), PDF)
    assert_matches_pandas(lambda df: df.pipe((lambda k, data: data[["b"]] + k, "data"), 1), PDF)
    assert_matches_pandas(lambda df: df["a"].pipe(lambda s: s + 1), PDF)
    assert_matches_pandas(lambda df: df.pipe((lambda data: data, "data"), data=1), PDF, raises=ValueError,
                          match="data is both the pipe target and a keyword argument")


# -- combine, combine_first, update ---------------------------------------------------------------------
def test_combine():
    assert_matches_pandas(lambda df: df[["a", "b"]].combine(df[["a", "b"]] * 2, lambda x, y: x.where(x > y, y)), PDF)
    assert_matches_pandas(lambda df: df[["a", "b"]].combine(df[["a", "b"]] - 1, lambda x, y: x + y,
                                                            fill_value=0.5), PDF)
    assert_matches_pandas(lambda df: df["a"].combine(df["a"] * 2, max), PDF)
    assert_matches_pandas(lambda df: df["a"].combine(df["b"], lambda x, y: x if x > y else y), PDF.fillna(0))


def test_combine_first():
    assert_matches_pandas(lambda df: df["b"].combine_first(df["a"] * 1.0), PDF)
    assert_matches_pandas(lambda df: df["c"].combine_first(df["a"]), PDF)
    assert_matches_pandas(lambda df: df[["b", "c"]].combine_first(df[["a", "b"]].fillna(0) * 2), PDF)


def test_update_is_immutable_and_has_a_returning_form():
    df = jf.from_pandas(PDF)
    with pytest.raises(jf.ImmutableFrameError, match=r"df = df.update\(other, inplace=False\)"):
        df.update(df[["b"]])
    with pytest.raises(jf.ImmutableFrameError, match="inplace=False"):
        df["b"].update(df["b"])
    other = PDF[["b", "c"]].fillna(-1) * 2
    for kw in ({}, {"overwrite": False}):
        expected = PDF.copy()
        expected.update(other, **kw)
        assert_same_result(df.update(jf.from_pandas(other), inplace=False, **kw), expected)
    with pytest.raises(ValueError, match="Data overlaps"):
        df.update(df[["b"]], errors="raise", inplace=False)


# -- case_when, divmod, Series.groupby -----------------------------------------------------------------
def test_case_when():
    assert_matches_pandas(lambda df: df["a"].case_when([(df["a"] > 3, 100), (df["a"] > 0, df["a"] * 10)]), PDF)
    assert_matches_pandas(lambda df: df["b"].case_when([(lambda s: s < 0, 0.5)]), PDF)
    assert_matches_pandas(lambda df: df["a"].case_when([]), PDF, raises=ValueError, match="at least one")
    assert_matches_pandas(lambda df: df["a"].case_when((df["a"] > 1, 1)), PDF, raises=TypeError,
                          match="should be a list")


def test_divmod():
    pdf = PDF.abs() + 1
    for i in (0, 1):
        assert_matches_pandas(lambda df: df["a"].divmod(3)[i], pdf)
        assert_matches_pandas(lambda df: df["a"].rdivmod(7)[i], pdf)
        assert_matches_pandas(lambda df: divmod(df["b"], 2)[i], pdf)


def test_series_groupby():
    assert_matches_pandas(lambda df: df["b"].groupby(df["a"] > 0).sum(), PDF)
    assert_matches_pandas(lambda df: df["a"].groupby(df["a"] > 0).mean(), PDF)
    assert_matches_pandas(lambda df: df["b"].groupby(df["d"]).agg(["min", "max"]), PDF)
    assert_matches_pandas(lambda df: df["b"].groupby([df["d"], df["a"] > 0]).count(), PDF)
    assert_matches_pandas(lambda df: df["b"].groupby(df["d"]).cumsum(), PDF)


# -- query / eval -----------------------------------------------------------------------------------
QUERIES = ["a > @x", "a > 1 & b < 4", "a == [1, 3]", "`c d` > 1", "a in [1, 2] and not b > 2", "1 < a < 4",
           's == "x"', "sqrt(a) > 1.5", "a not in [1, 2]", "a != [1]", "a > 1 or b != b", "~(a > 2) | (b < 2)",
           "a + 1 > `c d` * 2"]


@pytest.mark.parametrize("text", QUERIES)
def test_query(text):
    x = 2  # noqa: F841 - read by '@x'
    assert_same_result(jf.from_pandas(MIXED).query(text), MIXED.query(text))
    assert_same_result(jf.from_pandas(MIXED).lazy().query(text).collect(), MIXED.query(text))


@pytest.mark.parametrize("text", ["a + b", "a", "a * 2", "e = a + 1\nf = e * 2", "a > 1 and b > 1", "-a",
                                  "sin(a)", "a ** 2", "a // 2", "log(b) + abs(a)"])
def test_eval(text):
    assert_same_result(jf.from_pandas(MIXED).eval(text), MIXED.eval(text))


def test_eval_lazy_is_a_plan():
    lazy = jf.from_pandas(MIXED).lazy().eval("e = a + b\ng = e * 2")
    assert "e" in lazy.explain()
    assert_same_result(lazy.collect(), MIXED.eval("e = a + b\ng = e * 2"))
    with pytest.raises(NotImplementedError, match="without assignment"):
        jf.from_pandas(MIXED).lazy().eval("a + b")


def test_query_eval_on_dead_rows():
    pdf = with_dead_rows(PDF[["a", "b", "c"]])
    df = jf.from_pandas(pdf)
    for text in ("a > 2", "b * 2 < a", "c == c"):
        assert_same_result(on_live(df).query(text), on_live(pdf).query(text))
    assert_same_result(on_live(df).eval("z = a // b"), on_live(pdf).eval("z = a // b"))
    assert_same_result(on_live(df).eval("a // c"), on_live(pdf).eval("a // c"))


def test_query_eval_locals_and_errors():
    limit = pd.Series([1, 2, 3, 4])  # noqa: F841 - an eager Series local runs on eager Series
    df = jf.from_pandas(MIXED)
    assert_same_result(df.query("a > @limit"), MIXED.query("a > @limit"))
    assert_same_result(df.query("a > @v", local_dict={"v": 3}), MIXED.query("a > @v", local_dict={"v": 3}))
    values = [1, 4]  # noqa: F841
    assert_same_result(df.query("a in @values"), MIXED.query("a in @values"))
    with pytest.raises(UndefinedVariableError, match="name 'nope' is not defined"):
        df.query("a > nope")
    with pytest.raises(UndefinedVariableError, match="local variable 'nope' is not defined"):
        df.query("a > @nope")
    with pytest.raises(ValueError, match="Multi-line expressions are only valid"):
        df.eval("a + 1\nb = a")
    with pytest.raises(ValueError, match="cannot assign without a target object"):
        df.query("z = a + 1")
    with pytest.raises(ValueError, match="expr cannot be an empty string"):
        df.query("  ")
    with pytest.raises(KeyError):
        df.query("a + 1")
    with pytest.raises(jf.ImmutableFrameError):
        df.query("a > 1", inplace=True)


def test_top_level_eval():
    df = jf.from_pandas(MIXED)  # noqa: F841 - read by the expression strings
    pdf = MIXED  # noqa: F841
    assert_same_result(jf.eval("df.a + df.b * 2"), pd.eval("pdf.a + pdf.b * 2"))
    assert_same_result(jf.eval("df.a > 2"), pd.eval("pdf.a > 2"))
    assert_same_result(jf.eval("c = df.a + 1", target=df), pd.eval("c = pdf.a + 1", target=MIXED))
    assert jf.eval("1 + 2") == 3
