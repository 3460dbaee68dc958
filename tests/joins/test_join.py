"""DataFrame.join against pandas: index joins for every how, ``on=`` columns, suffixes, Series."""

import pandas as pd
import pytest

import jaxframes as jf
from jaxframes.testing import assert_same_result


def check_join(a: pd.DataFrame, b, **kwargs) -> None:
    ours_b = jf.from_pandas(b)
    try:
        expected = a.join(b, **kwargs)
    except Exception as err:
        with pytest.raises(type(err)):
            jf.from_pandas(a).join(ours_b, **kwargs)
        return
    assert_same_result(jf.from_pandas(a).join(ours_b, **kwargs), expected)


LEFT = pd.DataFrame({"v": [1, 2, 3, 4], "s": pd.array(["a", None, "c", "d"], dtype="str")},
                    index=pd.Index([3, 1, 2, 9], name="i"))
RIGHT = pd.DataFrame({"w": [4.0, 5.0, 6.0], "v": [7, 8, 9]}, index=pd.Index([1, 5, 3], name="i"))


@pytest.mark.parametrize("how", ["left", "right", "inner", "outer", "cross"])
@pytest.mark.parametrize("sort", [False, True])
def test_index_join(how, sort):
    check_join(LEFT, RIGHT, how=how, lsuffix="_l", rsuffix="_r", sort=sort)
    check_join(LEFT, RIGHT[["w"]], how=how, sort=sort)


def test_overlap_without_suffix_raises():
    check_join(LEFT, RIGHT)


@pytest.mark.parametrize("how", ["left", "right", "inner", "outer"])
def test_join_on_column(how):
    keyed = pd.DataFrame({"k": [1, 5, 7, 3], "q": [0.5, 1.5, 2.5, 3.5]})
    check_join(keyed, RIGHT[["w"]], on="k", how=how)


def test_join_series_and_string_index():
    a = pd.DataFrame({"v": [1, 2, 3]}, index=pd.Index(["x", "y", "z"], dtype="str"))
    b = pd.Series([10.0, 20.0], index=pd.Index(["z", "x"], dtype="str"), name="w")
    for how in ["left", "right", "inner", "outer"]:
        check_join(a, b, how=how)


def test_join_filtered_frame():
    ours = jf.from_pandas(LEFT)
    ours = ours[ours["v"] > 1]
    expected = LEFT[LEFT["v"] > 1].join(RIGHT[["w"]], how="outer")
    assert_same_result(ours.join(jf.from_pandas(RIGHT[["w"]]), how="outer"), expected)
