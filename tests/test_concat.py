"""concat against pandas: rows (column union/intersection, dtype rules, dictionaries, indexes,
filtered inputs, jit) and columns (same row layout; label alignment raises NotImplementedError)."""

import jax
import numpy as np
import pandas as pd
import pytest

import jaxframes as jf
from frames import make_frame
from jaxframes.testing import assert_same_result


def check_concat(objs: list, **kwargs) -> None:
    ours = [jf.from_pandas(o) for o in objs]
    try:
        expected = pd.concat(objs, **kwargs)
    except Exception as err:
        with pytest.raises(type(err)):
            jf.concat(ours, **kwargs)
        return
    assert_same_result(jf.concat(ours, **kwargs), expected)


A = pd.DataFrame({"x": [1, 2], "y": pd.array(["a", "b"], dtype="str"), "n": pd.array([1, None], dtype="Int64")},
                 index=[5, 6])
B = pd.DataFrame({"y": pd.array(["c", None, "a"], dtype="str"), "z": [1.5, 2.0, np.nan],
                  "n": pd.array([3, 4, 5], dtype="Int64")})


@pytest.mark.parametrize("join", ["outer", "inner"])
@pytest.mark.parametrize("ignore_index", [False, True])
def test_rows_union_and_intersection(join, ignore_index):
    check_concat([A, B], join=join, ignore_index=ignore_index)
    check_concat([A, B.iloc[:0]], join=join, ignore_index=ignore_index)
    check_concat([B, A, B], join=join, ignore_index=ignore_index)


@pytest.mark.parametrize("n", [0, 1, 7, 1000])
def test_rows_dtype_grid(n):
    dtypes = ("int32", "int64", "float64", "str", "datetime64[ns]", "Int64", "boolean", "Float64", "bool")
    first, second = make_frame(dtypes, n, "some", seed=1), make_frame(dtypes, 3, "some", seed=2)
    check_concat([first, second])
    check_concat([first, second], ignore_index=True)


def test_dtype_promotion():
    check_concat([pd.DataFrame({"x": [1, 2]}), pd.DataFrame({"x": [1.5]})])
    check_concat([pd.DataFrame({"x": pd.Series([1], dtype="int32")}), pd.DataFrame({"x": [2]})])
    check_concat([pd.DataFrame({"x": [1]}), pd.DataFrame({"x": pd.array([None], dtype="Int64")})])
    with pytest.raises(NotImplementedError):  # pandas: object dtype
        jf.concat([jf.DataFrame({"b": [True]}), jf.DataFrame({"c": [1]})])


def test_series_rows():
    s, t = pd.Series([1, 2], name="a"), pd.Series([3.5], name="a", index=[9])
    check_concat([s, t])
    check_concat([s, t.rename("b")], ignore_index=True)
    check_concat([pd.Series(["x", None], dtype="str"), pd.Series(["y"], dtype="str")])


def test_filtered_inputs_and_jit():
    a = pd.DataFrame({"x": [1, 2, 3, 4], "y": [0.5, 1.5, 2.5, 3.5]})
    ja = jf.from_pandas(a)
    part = ja[ja["x"] > 2]
    assert_same_result(jf.concat([part, ja]), pd.concat([a[a["x"] > 2], a]))
    assert_same_result(jf.concat([part, ja], ignore_index=True), pd.concat([a[a["x"] > 2], a], ignore_index=True))
    out = jax.jit(lambda f: jf.concat([f[f["x"] > 2], f]))(ja)
    assert_same_result(out, pd.concat([a[a["x"] > 2], a]))


def test_columns():
    check_concat([A, B.iloc[:2].set_axis(A.index).rename(columns={"y": "y2", "n": "n2"})], axis=1)
    check_concat([A["x"], A["y"]], axis=1)
    check_concat([pd.Series([1, 2]), pd.Series([3.0, 4.0])], axis=1)
    check_concat([A, A["x"].rename("q")], axis=1, ignore_index=True)
    with pytest.raises(NotImplementedError, match="label alignment"):
        jf.concat([jf.from_pandas(A), jf.from_pandas(B)], axis=1)


def test_errors():
    check_concat([])
    check_concat([A, B], join="left")
    with pytest.raises(NotImplementedError):
        jf.concat([jf.from_pandas(A), jf.from_pandas(B)], keys=["a", "b"])


def test_list_column_absent_from_an_input():
    """pandas fills the absent rows with NaN and keeps an input's None: one missing marker per
    list column cannot hold both, so that mix raises; without a live None it matches pandas (a
    dead row's None does not decide)."""
    lists = pd.DataFrame({"l": [[1], [2, 3], None, []], "k": [0, 1, 2, 3]})
    other = pd.DataFrame({"k": [7, 8]})
    with pytest.raises(NotImplementedError, match="list column 'l', absent from some inputs"):
        jf.concat([jf.from_pandas(lists), jf.from_pandas(other)])
    ours = jf.from_pandas(lists)
    kept = lists[lists["k"] != 2]
    assert_same_result(jf.concat([ours[ours["k"] != 2], jf.from_pandas(other)]), pd.concat([kept, other]))
