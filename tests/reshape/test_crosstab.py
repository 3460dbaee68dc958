"""crosstab against pandas: counts, aggregated values, normalize, key dtypes, null keys."""

import pandas as pd
import pytest

import jaxframes as jf
from frames import make_column
from jaxframes.testing import assert_same_result


def factors(dtype_a: str, dtype_b: str, n: int, nulls: str = "some"):
    pdf = pd.DataFrame({"a": make_column(dtype_a, n, nulls, 1), "b": make_column(dtype_b, n, nulls, 2),
                        "v": make_column("float64", n, "some", 3)})
    return pdf, jf.from_pandas(pdf)


@pytest.mark.parametrize("dtypes", [("int64", "str"), ("str", "datetime64[ns]"), ("Int64", "bool")])
@pytest.mark.parametrize("n", [0, 7, 300])
def test_counts(dtypes, n):
    pdf, ours = factors(*dtypes, n)
    assert_same_result(jf.crosstab(ours["a"], ours["b"]), pd.crosstab(pdf["a"], pdf["b"]))


@pytest.mark.parametrize("aggfunc", ["sum", "mean", "max"])
def test_values(aggfunc):
    pdf, ours = factors("int64", "str", 200)
    assert_same_result(jf.crosstab(ours["a"], ours["b"], values=ours["v"], aggfunc=aggfunc),
                       pd.crosstab(pdf["a"], pdf["b"], values=pdf["v"], aggfunc=aggfunc))


@pytest.mark.parametrize("normalize", [True, "all", "index", "columns", 0, 1])
def test_normalize(normalize):
    pdf, ours = factors("int64", "str", 200, nulls="none")
    assert_same_result(jf.crosstab(ours["a"], ours["b"], normalize=normalize),
                       pd.crosstab(pdf["a"], pdf["b"], normalize=normalize))


def test_unnamed_and_bad_input():
    a, b = pd.Series([1, 1, 2, 3]), pd.Series(["x", "y", "x", "x"])
    assert_same_result(jf.crosstab(jf.Series(a), jf.Series(b)), pd.crosstab(a, b))
    ja, jb = jf.Series(a), jf.Series(b)
    for kwargs in ({"values": ja}, {"aggfunc": "sum"}):
        with pytest.raises(ValueError):
            pd.crosstab(a, b, **{k: (a if k == "values" else v) for k, v in kwargs.items()})
        with pytest.raises(ValueError):
            jf.crosstab(ja, jb, **kwargs)
    with pytest.raises(NotImplementedError):
        jf.crosstab(ja, jb, margins=True)
