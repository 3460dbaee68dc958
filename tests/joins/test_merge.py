"""merge against pandas: every how, key dtypes, null keys, duplicates on both sides, empty and
filtered inputs, skewed keys, several keys, suffixes, indicator, validate, index joins, jit."""

import warnings

import jax
import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import jaxframes as jf
from frames import make_column, spread
from jaxframes.testing import assert_same_result

HOWS = ["inner", "left", "right", "outer"]


def check_merge(a: pd.DataFrame, b: pd.DataFrame, ours_a=None, ours_b=None, **kwargs) -> None:
    """pd.merge(a, b, **kwargs) against jf.merge on the same data: same frame or same exception."""
    ours_a = jf.from_pandas(a) if ours_a is None else ours_a
    ours_b = jf.from_pandas(b) if ours_b is None else ours_b
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # pandas warns on int/float keys
        try:
            expected = pd.merge(a, b, **kwargs)
        except Exception as err:
            with pytest.raises(type(err)):
                jf.merge(ours_a, ours_b, **kwargs)
            return
    assert_same_result(jf.merge(ours_a, ours_b, **kwargs), expected)


def side(key_dtype: str, n: int, seed: int, value: str) -> pd.DataFrame:
    return pd.DataFrame({"k": make_column(key_dtype, n, "some", seed),
                         value: make_column("Int64", n, "some", seed + 100),
                         "f": make_column("float64", n, "none", seed + 200)})


@pytest.mark.parametrize(("how", "key_dtype", "sizes"),
                         [(how, key, (left, right)) for how, key, left, right in spread(
                             HOWS, ("int64", "float64", "str", "datetime64[ns]", "Int64"),
                             ((0, 0), (0, 7), (7, 0), (1, 1), (7, 9), (60, 40)))])
def test_key_dtypes_many_to_many(how, key_dtype, sizes):
    a, b = side(key_dtype, sizes[0], 1, "v"), side(key_dtype, sizes[1], 2, "w")
    check_merge(a, b, how=how, on="k")
    check_merge(a, b, how=how, on="k", sort=True)


@pytest.mark.parametrize("how", HOWS)
def test_int_columns_become_float_when_unmatched(how):
    a = pd.DataFrame({"k": [1, 2, 3, 2], "v": [10, 20, 30, 40]})
    b = pd.DataFrame({"k": [2, 4, 2], "w": [1, 2, 3]})
    check_merge(a, b, how=how, on="k")
    check_merge(a, b, how=how, on="k", indicator=True)
    check_merge(a, b, how=how, on="k", indicator="which")


@pytest.mark.parametrize("how", HOWS)
def test_bool_keys(how):
    a = pd.DataFrame({"k": [True, False, True], "v": [1.5, 2.5, 3.5]})
    b = pd.DataFrame({"k": [True, True], "w": pd.array([1, 2], dtype="Int64")})
    check_merge(a, b, how=how, on="k")
    check_merge(b, a, how=how, on="k")


@pytest.mark.parametrize("how", HOWS)
@pytest.mark.parametrize("pair", [("int32", "int64"), ("int64", "int32"), ("int64", "float64"),
                                  ("float64", "int64"), ("Int64", "int64"), ("int64", "Int64")])
def test_mixed_key_dtypes(how, pair):
    a = pd.DataFrame({"k": pd.Series([1, 2, 3, 2], dtype=pair[0]), "v": [1.0, 2.0, 3.0, 4.0]})
    b = pd.DataFrame({"k": pd.Series([2, 5, 1], dtype=pair[1]), "w": [1.0, 2.0, 3.0]})
    check_merge(a, b, how=how, on="k")


def test_float_key_not_integral_against_int():
    a = pd.DataFrame({"k": [1, 2, 3], "v": [1, 2, 3]})
    b = pd.DataFrame({"k": [1.0, 2.5, np.nan], "w": [1, 2, 3]})
    for how in HOWS:
        check_merge(a, b, how=how, on="k")


def test_strings_with_different_dictionaries_and_nulls():
    a = pd.DataFrame({"k": pd.array(["b", "a", None, "zz", "a"], dtype="str"), "v": range(5)})
    b = pd.DataFrame({"k": pd.array([None, "a", "c", "b"], dtype="str"), "w": range(4)})
    for how in HOWS:
        check_merge(a, b, how=how, on="k", indicator=True)


def test_null_keys_match_each_other():
    a = pd.DataFrame({"k": [3.0, np.nan, 1.0, np.nan], "v": range(4)})
    b = pd.DataFrame({"k": [np.nan, 1.0, np.nan], "w": range(3)})
    for how in HOWS:
        check_merge(a, b, how=how, on="k")
    na = pd.DataFrame({"k": pd.array([1, None, 2], dtype="Int64"), "v": range(3)})
    nb = pd.DataFrame({"k": pd.array([None, 2, None], dtype="Int64"), "w": range(3)})
    for how in HOWS:
        check_merge(na, nb, how=how, on="k")


@pytest.mark.parametrize("how", HOWS + ["cross"])
def test_several_keys_and_suffixes(how):
    a = pd.DataFrame({"a": [1.0, 1.0, np.nan, 2.0], "b": pd.array(["x", None, "y", "x"], dtype="str"),
                      "v": range(4), "s": range(4)})
    b = pd.DataFrame({"a": [np.nan, 1.0, 2.0, 1.0], "b": pd.array(["y", "x", None, None], dtype="str"),
                      "v": range(4)})
    on = None if how == "cross" else ["a", "b"]
    check_merge(a, b, how=how, on=on)
    check_merge(a, b, how=how, on=on, suffixes=("_l", "_r"))
    check_merge(a, b, how=how, on=on, sort=True)
    if how != "cross":
        check_merge(a, b, how=how, left_on="a", right_on="a", suffixes=("", "_r"))
        check_merge(a, b, how=how, left_on=["a", "b"], right_on=["a", "b"], suffixes=(None, "_r"))


def test_many_keys_need_dense_ranks():
    rng = np.random.default_rng(0)
    cols = {f"k{i}": rng.integers(-2**40, 2**40, 12) for i in range(3)}
    a = pd.DataFrame({**cols, "v": range(12)})
    b = pd.DataFrame({**{k: v[::-1] for k, v in cols.items()}, "w": range(12)}).iloc[::2]
    for how in HOWS:
        check_merge(a, b, how=how, on=["k0", "k1", "k2"])


def test_different_key_names_are_both_kept():
    a = pd.DataFrame({"ka": [1, 2, 3], "v": [1, 2, 3]})
    b = pd.DataFrame({"kb": [3, 1, 4], "v": [7, 8, 9]})
    for how in HOWS:
        check_merge(a, b, how=how, left_on="ka", right_on="kb")


@pytest.mark.parametrize("how", HOWS)
def test_skewed_keys(how):
    rng = np.random.default_rng(3)
    ka = np.where(rng.random(300) < 0.9, 7, rng.integers(0, 50, 300))
    kb = np.where(rng.random(40) < 0.5, 7, rng.integers(0, 60, 40))
    check_merge(pd.DataFrame({"k": ka, "v": rng.random(300)}), pd.DataFrame({"k": kb, "w": rng.random(40)}),
                how=how, on="k")


@pytest.mark.parametrize("how", HOWS + ["cross"])
def test_filtered_inputs_dead_rows_never_match(how):
    a = pd.DataFrame({"k": [1, 2, 3, 1, 2], "v": [1.0, 2.0, 3.0, 4.0, 5.0]})
    b = pd.DataFrame({"k": [2, 1, 3, 9], "w": [10.0, 20.0, 30.0, 40.0]})
    ja, jb = jf.from_pandas(a), jf.from_pandas(b)
    ja, jb = ja[ja["v"] > 1.5], jb[jb["w"] < 25.0]
    on = None if how == "cross" else "k"
    check_merge(a[a["v"] > 1.5], b[b["w"] < 25.0], ja, jb, how=how, on=on, indicator=True)


def test_validate():
    a = pd.DataFrame({"k": [1, 2, 2], "v": [1, 2, 3]})
    b = pd.DataFrame({"k": [1, 2, 3], "w": [1, 2, 3]})
    for validate in ["1:1", "one_to_one", "1:m", "m:1", "m:m", "many_to_one", "bogus"]:
        check_merge(a, b, on="k", validate=validate)
        check_merge(b, a, on="k", validate=validate)
    ja = jf.from_pandas(a)
    check_merge(a[a["v"] < 3], b, ja[ja["v"] < 3], None, on="k", validate="1:1")  # the dead duplicate is ignored


def test_argument_errors():
    a = pd.DataFrame({"k": [1, 2], "v": [1, 2]})
    b = pd.DataFrame({"k": [1, 3], "w": [1, 2]})
    s = pd.DataFrame({"k": ["x", "y"], "w": [1, 2]})
    check_merge(a, b, how="sideways", on="k")
    check_merge(a, b, on="k", left_on="k")
    check_merge(a, b, on="missing")
    check_merge(a, b, left_on=["k", "v"], right_on=["k"])
    check_merge(a, b.rename(columns={"k": "kk"}).drop(columns="w").assign(q=1))
    check_merge(a, s, on="k")
    check_merge(a, b, how="cross", on="k")
    check_merge(a, b, on="k", suffixes=(None, None), left_on=None)
    check_merge(a.assign(w=1), b, on="k", suffixes=(None, None))
    check_merge(a.assign(_merge=1), b, on="k", indicator=True)


@pytest.mark.parametrize("how", HOWS)
@pytest.mark.parametrize("sort", [False, True])
def test_index_joins(how, sort):
    x = pd.DataFrame({"v": [1, 2, 3]}, index=pd.Index([3, 1, 2], name="i"))
    y = pd.DataFrame({"w": [4, 5, 6, 7]}, index=pd.Index([1, 1, 5, 3], name="i"))
    check_merge(x, y, how=how, left_index=True, right_index=True, sort=sort)
    keyed = pd.DataFrame({"k": [1, 5, 3, 8], "v": [1, 2, 3, 4]}, index=[10, 11, 12, 13])
    check_merge(keyed, y, how=how, left_on="k", right_index=True, sort=sort)
    check_merge(y, keyed, how=how, left_index=True, right_on="k", sort=sort)


def test_method_and_series_right():
    a = pd.DataFrame({"k": [1, 2, 3], "v": [1, 2, 3]})
    b = pd.Series([1, 3], name="k")
    expected = a.merge(b, how="left", on="k")
    assert_same_result(jf.from_pandas(a).merge(jf.from_pandas(b), how="left", on="k"), expected)


def test_merge_under_jit_with_capacity():
    a = pd.DataFrame({"k": [1, 2, 3, 2], "v": [1.0, 2.0, 3.0, 4.0]})
    b = pd.DataFrame({"k": [2, 3, 2, 7], "w": [10.0, 20.0, 30.0, 40.0]})
    ja, jb = jf.from_pandas(a), jf.from_pandas(b)

    @jax.jit
    def f(left, right):
        return jf.merge(left[left["v"] > 1.5], right, on="k", capacity=16)

    out = f(ja, jb)
    assert out._capacity == 16
    assert_same_result(out, pd.merge(a[a["v"] > 1.5], b, on="k"))
    with pytest.raises(ValueError, match="capacity"):
        jax.jit(lambda l, r: jf.merge(l, r, on="k"))(ja, jb)


KEY_STRATS = {"int64": st.integers(-3, 3), "str": st.sampled_from(["a", "b", "c", "dd"]),
              "float64": st.sampled_from([0.5, -1.0, 2.0, np.nan])}


@st.composite
def key_frame(draw, dtype: str, value: str):
    n = draw(st.integers(0, 12))
    keys = draw(st.lists(KEY_STRATS[dtype], min_size=n, max_size=n))
    return pd.DataFrame({"k": pd.Series(keys, dtype=dtype), value: np.arange(n, dtype=np.float64)})


@given(data=st.data(), dtype=st.sampled_from(sorted(KEY_STRATS)), how=st.sampled_from(HOWS + ["cross"]),
       sort=st.booleans())
def test_merge_property(data, dtype, how, sort):
    a = data.draw(key_frame(dtype, "v"))
    b = data.draw(key_frame(dtype, "w"))
    check_merge(a, b, how=how, on=None if how == "cross" else "k", sort=sort, indicator=True)
