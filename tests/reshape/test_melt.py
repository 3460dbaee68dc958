"""melt against pandas over value dtypes, null patterns, sizes, id/value selections and indexes.
pandas 3 gives the 'variable' column dtype object; ours is 'str' (same strings): compared after
casting pandas' column."""

import pandas as pd
import pytest

import jaxframes as jf
from frames import make_column
from jaxframes.testing import assert_matches_pandas


def wide(n: int, nulls: str) -> pd.DataFrame:
    return pd.DataFrame({"id": make_column("str", n, nulls, 1), "a": make_column("int64", n, nulls, 2),
                         "b": make_column("float64", n, nulls, 3), "c": make_column("Int64", n, nulls, 4),
                         "s": make_column("str", n, nulls, 5), "t": make_column("str", n, nulls, 6),
                         "d": make_column("datetime64[ns]", n, nulls, 7)})


def melted(op):
    def run(d):
        out = op(d)
        if isinstance(out, pd.DataFrame) and "variable" in out:
            out = out.astype({"variable": "str"})
        return out
    return run


@pytest.mark.parametrize("n", [0, 1, 7, 1000])
@pytest.mark.parametrize("nulls", ["none", "some", "all"])
@pytest.mark.parametrize("value_vars", [["a"], ["a", "b"], ["a", "c"], ["s", "t"], ["d"], ["b", "c"]])
def test_melt(n, nulls, value_vars):
    pdf = wide(n, nulls)
    assert_matches_pandas(melted(lambda d: d.melt(id_vars="id", value_vars=value_vars)), pdf)


def test_options():
    pdf = wide(7, "some").set_index(pd.Index(range(10, 17), name="row"))
    assert_matches_pandas(melted(lambda d: d.melt(id_vars=["id"], value_vars=["a"], ignore_index=False)), pdf)
    assert_matches_pandas(lambda d: d.melt(id_vars=["id"], value_vars=["a", "b"], var_name="v", value_name="x")
                          .astype({"v": "str"}), pdf)
    assert_matches_pandas(melted(lambda d: d[["a", "b"]].melt()), pdf)
    assert_matches_pandas(lambda d: d.melt(id_vars=["missing"]), pdf, raises=KeyError)
    assert_matches_pandas(lambda d: d.melt(id_vars=["id"], value_vars=["a"], value_name="a"), pdf, raises=ValueError)
    assert_matches_pandas(lambda d: d.melt(id_vars=["id"], value_vars=["a"], var_name="id"), pdf, raises=ValueError)
    ours = jf.from_pandas(pdf)
    pd.testing.assert_frame_equal(jf.melt(ours, id_vars="id", value_vars=["b"]).to_pandas(),
                                  pd.melt(pdf, id_vars="id", value_vars=["b"]).astype({"variable": "str"}))


def test_object_result_refused():
    ours = jf.from_pandas(wide(7, "none"))
    with pytest.raises(NotImplementedError):
        ours.melt(id_vars="id", value_vars=["a", "s"])  # pandas: an object value column
