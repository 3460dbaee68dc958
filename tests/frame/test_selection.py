"""head/tail, filter, __getitem__, drop, rename, assign, set_axis against pandas, on plain,
filtered and non-default-index frames; immutability (inplace=True, df[...] = ...) is enforced."""

import jax.numpy as jnp
import numpy as np
import pandas as pd
import pytest

import jaxframes as jf
from frames import NULLS, SIZES, make_frame
from jaxframes.testing import assert_frame_equal, assert_matches_pandas


def _mask(n: int, seed: int = 1) -> np.ndarray:
    return np.random.default_rng(seed).random(n) < 0.6


def _str_index(pdf: pd.DataFrame) -> pd.DataFrame:
    return pdf.set_axis([f"r{i:04d}" for i in range(len(pdf))], axis=0)


@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("nulls", NULLS)
@pytest.mark.parametrize("k", [0, 1, 3, 5, -1, -3, 2000, -2000])
def test_head_tail(n, nulls, k):
    pdf = make_frame(n=n, nulls=nulls)
    mask = _mask(n)
    for op in (lambda d: d.head(k), lambda d: d.tail(k), lambda d: d[mask].head(k), lambda d: d[mask].tail(k),
               lambda d: d["c2"].head(k), lambda d: d["c5"][mask].tail(k)):
        assert_matches_pandas(op, pdf)


def test_head_tail_defaults_and_string_index():
    pdf = _str_index(make_frame(n=7, nulls="some"))
    for op in (lambda d: d.head(), lambda d: d.tail(), lambda d: d[_mask(7)].head(2).tail(1)):
        assert_matches_pandas(op, pdf)


@pytest.mark.parametrize("kwargs", [
    {"items": ["c3", "c1", "zz"]}, {"like": "1"}, {"regex": "^c[2-4]$"},
    {"like": "c", "axis": 1}, {"regex": "0$", "axis": "columns"}, {"items": ["r0001", "r0005"], "axis": 0},
    {"like": "000", "axis": "index"}, {"regex": "[13]$", "axis": 0}, {"items": ["c1"], "like": "c"}, {},
    {"like": "c", "axis": 2},
    {"items": []}, {"like": "nothing matches"},
], ids=repr)
def test_filter_labels(kwargs):
    pdf = _str_index(make_frame(n=7, nulls="some"))
    exclusive = "items" in kwargs and ("like" in kwargs or "regex" in kwargs)
    raises = TypeError if not kwargs or exclusive else ValueError if kwargs.get("axis") == 2 else None
    assert_matches_pandas(lambda d: d.filter(**kwargs), pdf, raises=raises)
    assert_matches_pandas(lambda d: d[_mask(7)].filter(**kwargs), pdf, raises=raises)


def test_filter_boolean_mask_keeps_rows():
    pdf = make_frame(n=7, nulls="some")
    df = jf.from_pandas(pdf)
    mask = _mask(7)
    assert_frame_equal(df.filter(mask), pdf[mask])
    assert_frame_equal(df.filter(df["c0"]), pdf[pdf["c0"]])
    assert_frame_equal(df.filter(jnp.asarray(mask)).filter(df["c0"]), pdf[mask & pdf["c0"].to_numpy()])
    with pytest.raises(TypeError):
        df.filter(mask, like="c")


@pytest.mark.parametrize("key", [
    "c2", ["c5", "c0"], ("c1",), [], pd.Index(["c3"]), np.array(["c4", "c2"]), "zz", ["c1", "zz"], ["zz", "yy"],
    slice(2, 5), slice(None, None, -2), "r0002",
], ids=repr)
def test_getitem_columns(key):
    pdf = make_frame(n=7, nulls="some")
    labels = [] if isinstance(key, slice) else list(key) if isinstance(key, (list, pd.Index, np.ndarray)) else [key]
    raises = KeyError if any(label not in pdf.columns for label in labels) else None
    assert_matches_pandas(lambda d: d[key], pdf, raises=raises)
    assert_matches_pandas(lambda d: d[_mask(7)][key], pdf, raises=raises)


@pytest.mark.parametrize("n", SIZES)
def test_getitem_boolean_masks(n):
    pdf = make_frame(n=n, nulls="some")
    mask = _mask(n)
    ops = [lambda d: d[mask], lambda d: d[list(mask)], lambda d: d[d["c0"]], lambda d: d[mask][d["c0"]],
           lambda d: d[pd.array(mask, dtype="boolean")], lambda d: d[mask[: n // 2]]]
    for op in ops:
        if n == 0 and op is not ops[2]:
            continue  # pandas reads an empty array key as an (empty) list of columns
        assert_matches_pandas(op, pdf, raises=ValueError if op is ops[5] else None)  # ops[5]: wrong length


def test_getitem_attribute_access():
    pdf = make_frame(n=7)
    assert_matches_pandas(lambda d: d.c3, pdf)
    assert_matches_pandas(lambda d: d.nope, pdf, raises=AttributeError)


def _drop_refusal(kwargs, index, columns):
    """The exception pandas raises for ``drop(**kwargs)`` on these labels (None: values)."""
    axis = kwargs.get("axis", 0)
    if ("labels" in kwargs and ("index" in kwargs or "columns" in kwargs)) or axis == 2:
        return ValueError
    if kwargs.get("errors") == "ignore":
        return None
    rows = kwargs.get("index", kwargs.get("labels") if axis in (0, "index") else None)
    cols = kwargs.get("columns", kwargs.get("labels") if axis in (1, "columns") else None)
    for labels, axis_labels in ((rows, index), (cols, columns)):
        if labels is not None and any(x not in axis_labels for x in (labels if isinstance(labels, list) else [labels])):
            return KeyError
    return None


@pytest.mark.parametrize("kwargs", [
    {"columns": "c1"}, {"columns": ["c1", "c4"]}, {"labels": ["c2"], "axis": 1}, {"labels": "c3", "axis": "columns"},
    {"index": 3}, {"index": [0, 6, 2]}, {"labels": [1, 2], "axis": 0}, {"labels": 4}, {"columns": ["zz"]},
    {"index": [99]}, {"columns": ["c1", "zz"], "errors": "ignore"}, {"index": [1, 99], "errors": "ignore"},
    {"index": [1], "columns": ["c0"]}, {"labels": ["c1"], "columns": ["c2"]}, {"labels": "c1", "axis": 2},
], ids=repr)
def test_drop(kwargs):
    pdf = make_frame(n=7, nulls="some")
    assert_matches_pandas(lambda d: d.drop(**kwargs), pdf, raises=_drop_refusal(kwargs, pdf.index, pdf.columns))
    live = pdf.index[_mask(7)]
    assert_matches_pandas(lambda d: d[_mask(7)].drop(**kwargs), pdf, raises=_drop_refusal(kwargs, live, pdf.columns))


def test_drop_on_string_index():
    pdf = _str_index(make_frame(n=7))
    assert_matches_pandas(lambda d: d.drop(index=["r0001", "r0004"]), pdf)
    assert_matches_pandas(lambda d: d.drop("r0003"), pdf)


@pytest.mark.parametrize("op,raises", [
    (lambda d: d.rename(columns={"c1": "x", "c3": "y"}), None), (lambda d: d.rename(columns=str.upper), None),
    (lambda d: d.rename({"c2": "z"}, axis=1), None), (lambda d: d.rename(str.upper, axis="columns"), None),
    (lambda d: d.rename(columns={"zz": "a"}), None),
    (lambda d: d.rename(columns={"zz": "a"}, errors="raise"), KeyError),
    (lambda d: d.rename(columns={"c1": "x"}).columns.tolist(), None), (lambda d: d.rename(), TypeError),
    (lambda d: d["c1"].rename("new"), None), (lambda d: d["c1"].rename(None), None),
    (lambda d: d["c1"].rename(3), None),
    (lambda d: d[_mask(7)].rename(columns=str.upper), None),
], ids=range(12))
def test_rename(op, raises):
    assert_matches_pandas(op, make_frame(n=7, nulls="some"), raises=raises)


@pytest.mark.parametrize("n", SIZES)
def test_assign(n):
    pdf = make_frame(n=n, nulls="some")
    mask = _mask(n)
    values = np.arange(n) * 1.5
    for op in (lambda d: d.assign(k=1), lambda d: d.assign(k="s", c1=2.5), lambda d: d.assign(k=values),
               lambda d: d.assign(k=list(values)), lambda d: d.assign(k=lambda x: x["c2"]),
               lambda d: d.assign(k=d["c5"]), lambda d: d.assign(k=lambda x: x["c2"], j=lambda x: x["k"]),
               lambda d: d[mask].assign(k=7), lambda d: d[mask].assign(k=values[mask]),
               lambda d: d[mask].assign(k=lambda x: x["c3"]), lambda d: d.assign(k=pd.array(values))):
        assert_matches_pandas(op, pdf)
    if n:
        wrong_length = values[:1] if n != 1 else [1, 2]
        assert_matches_pandas(lambda d: d.assign(k=wrong_length), pdf, raises=ValueError, match="Length of values")


@pytest.mark.parametrize("n", [0, 1, 5])
def test_assign_scalar_keeps_pandas_dtype(n):
    """A scalar is repeated on device from one converted element: same dtype as pandas' for
    every kind of scalar, at every length (zero rows too)."""
    pdf = pd.DataFrame({"a": np.arange(n)})
    for value in (1, np.int32(3), 2.5, True, "s", pd.Timestamp("2020-01-02"), pd.Timedelta(5, "s"), np.nan,
                  pd.Timestamp("2021-03-04", tz="UTC")):
        assert_matches_pandas(lambda d, v=value: d.assign(k=v), pdf)
        assert_matches_pandas(lambda d, v=value: d[d["a"] % 2 == 0].assign(k=v), pdf)


def test_assign_decimal_scalar_raises_at_every_length():
    """pandas holds a Decimal scalar as an object column, which JaxFrames refuses (empty too)."""
    import decimal

    for n in (0, 3):
        with pytest.raises(TypeError, match="decimal"):
            jf.DataFrame({"a": np.arange(n)}).assign(k=decimal.Decimal("1.5"))


def test_assign_series_from_a_filtered_frame_is_aligned():
    pdf = make_frame(["int64", "float64"], n=7)
    mask = _mask(7)
    assert_matches_pandas(lambda d: d.assign(k=d[mask]["c1"]), pdf)
    assert_matches_pandas(lambda d: d[mask].assign(k=d["c1"]), pdf)


@pytest.mark.parametrize("op,raises", [
    (lambda d: d.set_axis(["a", "b", "c"], axis=1), None), (lambda d: d.set_axis(["a"], axis=1), ValueError),
    (lambda d: d.set_axis(list("abcdefg")), None), (lambda d: d.set_axis(list("abcdefg"), axis="index"), None),
    (lambda d: d.set_axis(list("ab")), ValueError),
    (lambda d: d.set_axis(pd.Index([3, 1, 2, 0, 4, 6, 5], name="k")), None),
    (lambda d: d[_mask(7)].set_axis(list("abcdefg")[: _mask(7).sum()]), None),
    (lambda d: d.set_axis(["a", "b", "c"], axis="columns"), None), (lambda d: d["c0"].set_axis(list("abcdefg")), None),
    (lambda d: d.set_axis(["a", "b"], axis=1), ValueError),
    (lambda d: d.set_axis(list("abcdefg"), axis=2), ValueError),
    (lambda d: d["c0"][_mask(7)].set_axis(range(_mask(7).sum())), None),
], ids=range(12))
def test_set_axis(op, raises):
    assert_matches_pandas(op, make_frame(["int64", "str", "Float64"], n=7, nulls="some"), raises=raises)


@pytest.mark.parametrize("n", [7, 1000])
def test_set_axis_on_filtered_frames(n):
    pdf = make_frame(["int64", "str"], n=n, nulls="some")
    mask = _mask(n)
    labels = [f"k{i}" for i in range(mask.sum())]
    assert_matches_pandas(lambda d: d[mask].set_axis(labels), pdf)
    assert_matches_pandas(lambda d: d[mask].set_axis(labels).loc[labels[-3:]], pdf)
    assert_matches_pandas(lambda d: d[mask].set_axis(range(len(labels))).tail(3), pdf)
    assert_matches_pandas(lambda d: d["c1"][mask].set_axis(labels).iloc[-2:], pdf)


def test_duplicate_column_names_refuse():
    df = jf.from_pandas(make_frame(n=7))
    with pytest.raises(NotImplementedError, match="duplicate"):
        df.rename(columns={"c1": "c2"})


def test_inplace_and_setitem_are_rejected():
    df = jf.from_pandas(make_frame(n=7))
    for call in (lambda: df.drop(columns="c1", inplace=True), lambda: df.rename(columns=str.upper, inplace=True),
                 lambda: df["c1"].rename("x", inplace=True), lambda: df.__setitem__("x", 1),
                 lambda: setattr(df, "columns", ["a"])):
        with pytest.raises(jf.ImmutableFrameError, match="immutable"):
            call()
