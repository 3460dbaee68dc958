"""Cleaning methods against pandas: replace, interpolate, convert_dtypes, infer_objects,
select_dtypes, add_prefix/suffix, sample, compare, first/last_valid_index, repeat, explode, drop."""

import numpy as np
import pandas as pd
import pytest

import jaxframes as jf
from jaxframes.testing import assert_matches_pandas, assert_one_answer, frame_with_dead_rows
from frames import make_column

PDF = pd.DataFrame({
    "i": [1, 2, 3, 2, 5, 6],
    "f": [1.0, np.nan, 3.0, np.nan, np.nan, 6.0],
    "s": ["apple", "banana", None, "apple", "cherry", "fig"],
    "n": pd.array([1, None, 3, 4, None, 6], dtype="Int64"),
    "b": [True, False, True, True, False, False],
}, index=[10, 20, 30, 40, 50, 60])
LIVE = [True, False, True, True, True, True]


def dead(pdf=PDF, live=LIVE):
    return frame_with_dead_rows(pdf, live)


@pytest.mark.parametrize("op", [
    lambda d: d.replace(2, 20),
    lambda d: d.replace([1, 3], [10, 30]),
    lambda d: d.replace({"i": {2: 99}, "s": {"apple": "APPLE"}}),
    lambda d: d.replace("apple", "pear"),
    lambda d: d.replace(r"^a.*", "A", regex=True),
    lambda d: d.replace({r"an": "AN"}, regex=True),
    lambda d: d[["f"]].replace(np.nan, 0.5),
    lambda d: d.replace(2, 2.5),  # an int column becomes float64, as in pandas
    lambda d: d["s"].replace("apple", None),
    lambda d: d["i"].replace({1: 100, 5: 500}),
], ids=range(10))
def test_replace(op):
    assert_one_answer(op, PDF, paths=("eager",))
    assert_one_answer(op, dead(), paths=("eager",))


def test_replace_errors_and_inplace():
    assert_matches_pandas(lambda d: d.replace([1, 2], [3]), PDF, raises=ValueError,
                          match="Replacement lists must match in length")
    with pytest.raises(jf.ImmutableFrameError, match="replace\\(inplace=True\\)"):
        jf.from_pandas(PDF).replace(1, 2, inplace=True)


NUM = PDF[["i", "f"]].assign(g=[np.nan, 2.0, np.nan, np.nan, 5.0, np.nan])


@pytest.mark.parametrize("op", [
    lambda d: d.interpolate(),
    lambda d: d.interpolate(method="index"),
    lambda d: d.interpolate(method="values"),
    lambda d: d.interpolate(limit=1),
    lambda d: d.interpolate(limit_direction="both"),
    lambda d: d.interpolate(limit_direction="backward", limit=1),
    lambda d: d.interpolate(limit_area="inside"),
    lambda d: d["f"].interpolate(method="index"),
], ids=range(8))
def test_interpolate(op):
    assert_one_answer(op, NUM, paths=("eager",))
    # a dead row between two live NaNs: index-aware interpolation must not see it
    assert_one_answer(op, frame_with_dead_rows(NUM.assign(f=[1.0, 100.0, np.nan, 4.0, np.nan, 6.0]),
                                               [True, False, True, True, True, True]), paths=("eager",))


def test_interpolate_refusals():
    df = jf.from_pandas(NUM)
    with pytest.raises(NotImplementedError, match="interpolate\\(method='spline'\\)"):
        df.interpolate(method="spline", order=2)
    assert_matches_pandas(lambda d: d.interpolate(), PDF[["s"]], raises=TypeError, match="Cannot interpolate")


@pytest.mark.parametrize("dtype", ["int64", "float64", "str", "bool", "Int64", "datetime64[ns]"])
def test_convert_and_infer_dtypes(dtype):
    pdf = pd.DataFrame({"x": make_column(dtype, 7, "some" if dtype != "int64" else "none"),
                        "whole": [1.0, 2.0, np.nan, 4.0, 5.0, 6.0, 7.0]})
    assert_matches_pandas(lambda d: d.convert_dtypes(), pdf)
    assert_matches_pandas(lambda d: d.convert_dtypes(convert_integer=False, convert_string=False), pdf)
    assert_matches_pandas(lambda d: d.infer_objects(), pdf)
    assert_matches_pandas(lambda d: d["x"].convert_dtypes(), pdf)
    with pytest.raises(NotImplementedError, match="dtype_backend='pyarrow'"):
        jf.from_pandas(pdf).convert_dtypes(dtype_backend="pyarrow")


def test_convert_dtypes_deprecated_flags_warn():
    """pandas warns (Pandas4Warning) for each deprecated flag passed, even at its default."""
    with pytest.warns(pd.errors.Pandas4Warning, match="The convert_integer keyword"):
        out = jf.DataFrame({"a": [1, 2]}).convert_dtypes(convert_integer=True)
    assert str(out.dtypes["a"]) == "Int64"


@pytest.mark.parametrize("include,exclude", [
    ("number", None), (None, "number"), (["int64", "bool"], None), ("Int64", None), ("str", None),
    (None, ["float64"]), ("object", None),
])
def test_select_dtypes(include, exclude):
    assert_matches_pandas(lambda d: d.select_dtypes(include=include, exclude=exclude), PDF)


def test_select_dtypes_errors():
    assert_matches_pandas(lambda d: d.select_dtypes(), PDF, raises=ValueError,
                          match="at least one of include or exclude must be nonempty")
    assert_matches_pandas(lambda d: d.select_dtypes(include="int64", exclude="int64"), PDF, raises=ValueError,
                          match="include and exclude overlap")


@pytest.mark.parametrize("op", [
    lambda d: d.add_prefix("p_"), lambda d: d.add_suffix("_s"), lambda d: d.add_prefix("r", axis=0),
    lambda d: d.add_suffix("!", axis="index"), lambda d: d["i"].add_prefix("x"),
], ids=range(5))
def test_add_prefix_suffix(op):
    assert_one_answer(op, PDF, paths=("eager",))
    assert_one_answer(op, dead(), paths=("eager",))


@pytest.mark.parametrize("kwargs", [
    {"n": 3, "random_state": 0}, {"frac": 0.5, "random_state": 42}, {"n": 10, "replace": True, "random_state": 1},
    {"n": 2, "weights": "i", "random_state": 3}, {"n": 2, "weights": [0.1, 0, 0.2, 0.3, 0.2, 0.2], "random_state": 7},
    {"frac": 1.0, "random_state": "RandomState(5)"}, {"n": 3, "random_state": 2, "ignore_index": True},
    {"n": 0},
])
def test_sample_same_rows_as_pandas(kwargs):
    if kwargs.get("random_state") == "RandomState(5)":  # a fresh generator for each library
        kwargs = dict(kwargs)
        kwargs.pop("random_state")
        assert_matches_pandas(lambda d: d.sample(**kwargs, random_state=np.random.RandomState(5)), PDF)
        return
    assert_matches_pandas(lambda d: d.sample(**kwargs), PDF)
    assert_matches_pandas(lambda d: d["f"].sample(**kwargs) if "weights" not in kwargs or kwargs["weights"] != "i"
                          else d["f"].sample(n=2, random_state=3), PDF)


def test_sample_filtered_frame_and_errors():
    twin = dead()
    for kw in ({"n": 3, "random_state": 0}, {"n": 2, "weights": "i", "random_state": 3}):
        assert_one_answer(lambda d: d.sample(**kw), twin, paths=("eager",))
    assert_matches_pandas(lambda d: d.sample(n=10), PDF, raises=ValueError, match="larger sample than population")
    assert_matches_pandas(lambda d: d.sample(n=2, weights="zz"), PDF, raises=KeyError,
                          match="String passed to weights not a valid column")


@pytest.mark.parametrize("data", [
    PDF, PDF.iloc[:0], pd.DataFrame({"a": [np.nan, np.nan, 1.0, np.nan]}, index=list("wxyz")),
    pd.DataFrame({"a": [np.nan, np.nan]}), pd.DataFrame({"a": [None, "x"], "b": [np.nan, np.nan]}),
], ids=range(5))
def test_valid_index(data):
    assert_matches_pandas(lambda d: d.first_valid_index(), data)
    assert_matches_pandas(lambda d: d.last_valid_index(), data)
    assert_matches_pandas(lambda d: d[d.columns[0]].first_valid_index(), data)
    assert_matches_pandas(lambda d: d[d.columns[0]].last_valid_index(), data)


def test_valid_index_ignores_dead_rows():
    pdf = pd.DataFrame({"a": [1.0, np.nan, np.nan, 2.0]})
    assert_one_answer(lambda d: d.first_valid_index(), frame_with_dead_rows(pdf, [False, True, True, True]),
                      paths=("eager",))
    assert_one_answer(lambda d: d.last_valid_index(), frame_with_dead_rows(pdf, [True, True, True, False]),
                      paths=("eager",))


@pytest.mark.parametrize("op", [
    lambda d: d["i"].repeat(2), lambda d: d["s"].repeat([1, 0, 2, 1, 3, 0][: len(d)]),
    lambda d: d["n"].repeat(0), lambda d: d["f"].drop([20, 30]), lambda d: d["f"].drop(index=10),
], ids=range(5))
def test_repeat_and_drop(op):
    assert_matches_pandas(op, PDF)


def test_repeat_drop_errors():
    assert_matches_pandas(lambda d: d["i"].repeat(-1), PDF, raises=ValueError, match="negative")
    assert_matches_pandas(lambda d: d["i"].drop([99]), PDF, raises=KeyError, match="not found in axis")
    assert_matches_pandas(lambda d: d["i"].drop([99], errors="ignore"), PDF)


@pytest.mark.parametrize("kwargs", [{}, {"keep_shape": True}, {"keep_equal": True, "keep_shape": True},
                                    {"result_names": ("left", "right")}])
def test_compare(kwargs):
    base = PDF.drop(columns="b")  # keep_shape on bools gives pandas' object column (bools and NaN)
    other = base.replace({"i": {2: 7}, "s": {"fig": "kiwi"}})
    assert_matches_pandas(lambda d: d.compare(jf.from_pandas(other) if isinstance(d, jf.DataFrame) else other,
                                              **kwargs), base)
    assert_matches_pandas(lambda d: d["i"].compare(jf.from_pandas(other["i"]) if isinstance(d, jf.DataFrame)
                                                   else other["i"], **kwargs), base)


def test_compare_errors():
    df = jf.from_pandas(PDF)
    with pytest.raises(TypeError, match="can only compare 'DataFrame' \\(not 'Series'\\)"):
        df.compare(df["i"])
    assert_matches_pandas(lambda d: d.compare(d.iloc[:2]), PDF, raises=ValueError,
                          match="Can only compare identically-labeled")
    # align_axis=0: the result has MultiIndex rows (held since the index-shape work)
    assert_matches_pandas(lambda d: d.compare(d.replace(1, 7), align_axis=0), PDF)


def test_explode_scalar_columns_and_list_refusal():
    assert_matches_pandas(lambda d: d.explode("i"), PDF)
    assert_matches_pandas(lambda d: d.explode(["s", "i"], ignore_index=True), PDF)
    assert_matches_pandas(lambda d: d["s"].explode(), PDF)
    assert_matches_pandas(lambda d: d.explode([]), PDF, raises=ValueError, match="column must be nonempty")
    assert_matches_pandas(lambda d: d["i"].list, PDF, raises=AttributeError, match="'.list' accessor")


def test_interpolate_device_path_matches_pandas_on_random_gaps():
    """Random NaN runs (leading, inside, trailing), limits, directions and areas, on a frame with
    dead rows and an increasing float index: the device path gives pandas' values."""
    rng = np.random.default_rng(0)
    for seed in range(24):
        n = 12
        y = np.where(rng.random(n) < 0.5, np.nan, rng.normal(size=n).round(2))
        index = np.cumsum(rng.random(n) + 0.1).round(3)
        pdf = pd.DataFrame({"y": y, "z": y[::-1]}, index=index)
        live = rng.random(n) < 0.8
        kw = {"method": ["linear", "index", "values"][seed % 3],
              "limit_direction": ["forward", "backward", "both"][(seed // 3) % 3],
              "limit": [None, 1, 2][seed % 3 - (seed // 9) % 3],
              "limit_area": [None, "inside", "outside"][(seed // 2) % 3]}
        assert_one_answer(lambda d: d.interpolate(**kw), frame_with_dead_rows(pdf, live), paths=("eager",))


def test_interpolate_under_jit():
    import jax

    pdf = pd.DataFrame({"y": [np.nan, 1.0, np.nan, np.nan, 4.0, np.nan]})
    twin = frame_with_dead_rows(pdf, [True, True, False, True, True, True])
    got = jax.jit(lambda d: d.interpolate(limit_direction="both"))(twin.ours)
    pd.testing.assert_frame_equal(got.to_pandas(), twin.theirs.interpolate(limit_direction="both"))


def test_interpolate_argument_errors():
    for kw, match in (({"limit": 0}, "Limit must be greater than 0"),
                      ({"limit_direction": "up"}, "Invalid limit_direction"),
                      ({"limit_area": "middle"}, "Invalid limit_area")):
        assert_matches_pandas(lambda d: d.interpolate(**kw), NUM, raises=ValueError, match=match)


def test_object_columns_mixing_lists_are_refused_on_construction():
    with pytest.raises(NotImplementedError, match="mixing lists with other values"):
        jf.from_pandas(pd.DataFrame({"a": [[1], 5], "b": [1, 2]}))


@pytest.mark.parametrize("op", [
    lambda d: d.replace(1, 2), lambda d: d.replace("a", "b"), lambda d: d[["i", "f"]].interpolate(),
    lambda d: d.convert_dtypes(), lambda d: d.select_dtypes("number"), lambda d: d.add_prefix("p"),
    lambda d: d.sample(n=0), lambda d: d.sample(frac=0.5, random_state=1), lambda d: d["i"].repeat(3),
    lambda d: d.first_valid_index(), lambda d: d.explode("s"), lambda d: d.to_string(), lambda d: d.to_json(),
], ids=range(13))
def test_empty_frames(op):
    assert_matches_pandas(op, PDF.iloc[:0])
    assert_one_answer(op, frame_with_dead_rows(PDF, [False] * len(PDF)), paths=("eager",))


def test_replace_runs_on_device_for_plain_values(monkeypatch):
    """Numbers in numeric columns and strings in string columns never go through pandas."""
    from jaxframes.ops import cleaning

    monkeypatch.setattr(cleaning, "via_pandas", lambda *a: (_ for _ in ()).throw(AssertionError("host path")))
    pdf = PDF.assign(u=np.array([1, 2, 3, 4, 5, 6], dtype="uint8"), g=[1.5, 2.5, np.nan, 4.0, 5.0, 6.0])
    for args in [(5, 2.5), ([1, 2], [2, 3]), ({"i": {1: 5}, "s": {"apple": "kiwi"}},), ({"i": 1, "f": 3.0}, 7),
                 (["apple", "fig"], "c"), (1, 300)]:
        assert_one_answer(lambda d: d.drop(columns="b").replace(*args), frame_with_dead_rows(pdf, LIVE),
                          paths=("eager",))


def test_replace_dtype_decided_by_live_rows_only():
    """A dead row holding the old value must not promote int64 to float64 (or raise for Int64)."""
    pdf = pd.DataFrame({"i": [1, 2, 3], "n": pd.array([1, 2, 3], dtype="Int64")})
    twin = frame_with_dead_rows(pdf, [True, False, True])
    assert_one_answer(lambda d: d.replace(2, 2.5), twin, paths=("eager",))
    assert_matches_pandas(lambda d: d.replace(2, 2.5), pdf, raises=TypeError, match="Invalid value '2.5'")


def test_replace_under_jit_uses_the_static_rule():
    import jax

    pdf = pd.DataFrame({"i": [1, 2, 3], "f": [1.0, np.nan, 3.0]})
    got = jax.jit(lambda d: d.replace({1: 10, 3: 2.5}))(jf.from_pandas(pdf))
    pd.testing.assert_frame_equal(got.to_pandas(), pdf.replace({1: 10, 3: 2.5}))
    got = jax.jit(lambda d: d.replace(7, 2.5))(jf.from_pandas(pdf))  # no match: jit assumes one (float64)
    pd.testing.assert_frame_equal(got.to_pandas(), pdf.replace(7, 2.5).astype({"i": "float64"}))
