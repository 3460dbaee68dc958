"""stack / unstack / xs against pandas: value dtypes, nulls, a MultiIndex from set_index and from
group-by with several keys, filtered frames (stack also under jit), and pandas' errors."""

import numpy as np
import pandas as pd
import pytest

import jaxframes as jf
from frames import NULLABLE, make_column
from jaxframes.testing import assert_matches_pandas, assert_one_answer, frame_with_dead_rows

VALUE_DTYPES = ("int64", "float64", "Int64", "str", "bool", "datetime64[ns]")


def data(dtype: str = "float64", nulls: str = "none", n: int = 6) -> pd.DataFrame:
    nulls = nulls if dtype in NULLABLE else "none"
    return pd.DataFrame({"k": [1, 1, 2, 2, 3, 3][:n], "g": ["a", "b", "a", "b", "a", "c"][:n],
                         "x": make_column(dtype, n, nulls, 1), "y": make_column(dtype, n, nulls, 2)})


LIVE = [True, False, True, True, False, True]


@pytest.mark.parametrize("dtype", VALUE_DTYPES)
@pytest.mark.parametrize("nulls", ["none", "some"])
def test_stack_unstack_dtypes(dtype, nulls):
    pdf = data(dtype, nulls)
    assert_matches_pandas(lambda d: d[["x", "y"]].stack(), pdf)
    assert_matches_pandas(lambda d: d.set_index(["k", "g"])[["x", "y"]].stack(), pdf)
    if dtype not in ("str", "bool", "datetime64[ns]", "Int64"):  # pivot's own limits (see test_refusals)
        assert_matches_pandas(lambda d: d.set_index(["k", "g"])["x"].unstack(), pdf)


OPS = {
    "stack_mixed": lambda d: d[["k", "x"]].stack(),
    "stack_named_columns": lambda d: d[["x", "y"]].rename_axis(columns="col").stack(),
    "unstack_first": lambda d: d.set_index(["k", "g"])["x"].unstack(0),
    "unstack_name": lambda d: d.set_index(["k", "g"])["x"].unstack("k"),
    "unstack_fill": lambda d: d.assign(i=d["k"] * 10).set_index(["k", "g"])["i"].unstack(fill_value=0),
    "round_trip": lambda d: d[["x", "y"]].stack().unstack(),
    "groupby_unstack": lambda d: d.groupby(["k", "g"])["x"].sum().unstack(),
    "groupby_three": lambda d: d.assign(h=d["k"] % 2).groupby(["k", "g", "h"])["x"].sum().unstack(),
    "frame_unstack_flat": lambda d: d[["x", "y"]].unstack(),
    "frame_unstack_named": lambda d: d.set_axis(list("uvwxyz"))[["k", "x"]].rename_axis(columns="c").unstack(),
    "xs": lambda d: d.set_index(["k", "g"]).xs(2),
    "xs_level": lambda d: d.set_index(["k", "g"]).xs("a", level="g"),
    "xs_keep": lambda d: d.set_index(["k", "g"]).xs("a", level=1, drop_level=False),
    "xs_tuple": lambda d: d.set_index(["k", "g"]).xs((2, "b")),
    "xs_series": lambda d: d.set_index(["k", "g"])["x"].xs(1),
    "xs_columns": lambda d: d.xs("x", axis=1),
    "xs_row": lambda d: d[["k", "x"]].xs(3),
}


@pytest.mark.parametrize("name", list(OPS))
def test_ops_match_pandas(name):
    assert_matches_pandas(OPS[name], data())


@pytest.mark.parametrize("name", ["stack_mixed", "frame_unstack_flat", "unstack_first", "unstack_fill", "groupby_unstack", "xs", "xs_level"])
def test_filtered_frames(name):
    assert_one_answer(OPS[name], frame_with_dead_rows(data(), LIVE), paths=("eager",))


def test_stack_inside_jit():
    """stack moves no labels to the host: it runs under jit, dead rows staying masked."""
    assert_one_answer(lambda d: d[["x", "y"]].stack(), frame_with_dead_rows(data(), LIVE), paths=("eager", "jit"))


ERRORS = [
    (lambda d: d.set_index("k")["x"].unstack(), ValueError, "index must be a MultiIndex to unstack"),
    (lambda d: d.set_index(["k", "g"])["x"].unstack("zz"), KeyError, "Level zz not found"),
    (lambda d: d.assign(g="a").set_index(["k", "g"])["x"].unstack(), ValueError, "duplicate entries"),
    (lambda d: d.set_index(["k", "g"]).xs(9), KeyError, "9"),
    (lambda d: d.set_index("g")[["x"]].unstack(), ValueError, "Columns with duplicate values"),
    (lambda d: d[["x"]].stack(dropna=True), ValueError, "dropna must be unspecified"),
]


@pytest.mark.parametrize("op,exc,match", ERRORS)
def test_errors(op, exc, match):
    assert_matches_pandas(op, data(), raises=exc, match=match)


def test_refusals():
    df = jf.from_pandas(data())
    with pytest.raises(NotImplementedError, match="MultiIndex columns"):
        df.set_index(["k", "g"]).unstack()
    with pytest.raises(NotImplementedError, match="sort=False"):
        df.set_index(["k", "g"])["x"].unstack(sort=False)
    with pytest.raises(NotImplementedError, match="object column"):
        df[["g", "x"]].stack()
