"""Per-dtype rules of group-by scans, ranks and any/all (fuzzer findings): strings count as
truthy when non-empty in any/all; masked columns rank as Float64; a null never ties with the
value its masked data happens to hold; cummin/cummax of strings raise what pandas raises
(TypeError for a Series, NotImplementedError from the frame path)."""

import numpy as np
import pandas as pd
import pytest

import jaxframes as jf
from jaxframes.testing import assert_matches_pandas

COLUMNS = ["s", "c", "o", "I", "B", "F", "t", "b"]


def frame() -> pd.DataFrame:
    return pd.DataFrame({
        "g": [1, 1, 2, 2, 2],
        "s": pd.Series(["a", None, "", "b", ""], dtype="str"),
        "c": pd.Categorical(["x", "y", None, "x", "x"]),
        "o": pd.Categorical(["x", "y", None, "x", "x"], ordered=True),
        "I": pd.array([1, None, 0, 0, None], dtype="Int64"),
        "B": pd.array([True, None, False, None, False], dtype="boolean"),
        "F": pd.array([1.5, None, 3.0, 2.0, np.nan], dtype="Float64"),
        "t": pd.to_datetime(["2020", None, "2021", "2020", "2020"]).astype("datetime64[ns]"),
        "b": [True, False, True, False, False],
    })


@pytest.mark.parametrize("how", ["cumsum", "cumprod", "cummax", "cummin", "rank", "any", "all"])
@pytest.mark.parametrize("column", COLUMNS)
def test_series_rules(how, column):
    pdf = frame()
    try:
        getattr(pdf.groupby("g")[column], how)()
    except TypeError as err:  # pandas refuses: so must we, with the same type
        with pytest.raises(TypeError):
            getattr(jf.from_pandas(pdf).groupby("g")[column], how)()
        assert str(err)
        return
    assert_matches_pandas(lambda d: getattr(d.groupby("g")[column], how)(), pdf)


@pytest.mark.parametrize("method", ["average", "min", "max", "first", "dense"])
def test_rank_nulls_never_tie(method):
    assert_matches_pandas(lambda d: d.groupby("g")[["o", "I", "B"]].rank(method=method), frame())


@pytest.mark.parametrize("how", ["cummax", "cummin"])
def test_frame_cummax_of_strings_not_implemented(how):
    pdf = frame()[["g", "s", "I"]]
    with pytest.raises(NotImplementedError, match="not implemented for this dtype"):
        getattr(pdf.groupby("g"), how)()
    with pytest.raises(NotImplementedError, match="not implemented for this dtype"):
        getattr(jf.from_pandas(pdf).groupby("g"), how)()
