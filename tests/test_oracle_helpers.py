"""The oracle helpers hold tests to what they state: values, or ``raises=`` an exception."""

import numpy as np
import pandas as pd
import pytest

from jaxframes.testing import assert_matches_pandas, assert_one_answer, frame_with_dead_rows

PDF = pd.DataFrame({"a": [1, 2, 3], "b": [1, -1, 2]})


def test_both_raising_is_not_a_pass_when_values_were_expected():
    with pytest.raises(AssertionError, match="expected values; pass raises=ValueError"):
        assert_matches_pandas(lambda d: d["a"] ** d["b"], PDF)


def test_raises_needs_pandas_to_raise_it_and_ours_to_raise_the_same_type():
    assert_matches_pandas(lambda d: d["a"] ** d["b"], PDF, raises=ValueError, match="negative integer powers")
    with pytest.raises(AssertionError, match="pandas returned a result"):
        assert_matches_pandas(lambda d: d["a"] + d["b"], PDF, raises=ValueError)
    with pytest.raises(AssertionError, match="not the expected TypeError"):
        assert_matches_pandas(lambda d: d["a"] ** d["b"], PDF, raises=TypeError)
    with pytest.raises(AssertionError, match="does not match"):
        assert_matches_pandas(lambda d: d["a"] ** d["b"], PDF, raises=ValueError, match="no such text")


def test_one_answer_names_the_path_that_differs():
    data = frame_with_dead_rows(pd.DataFrame({"a": [1.0, np.nan, 3.0]}), [True, False, True])
    assert_one_answer(lambda f: f[f["a"] > 1], data)
    # jit_dtypes states a dtype that jit does not give: only the jit path fails, and says so
    with pytest.raises(AssertionError, match=r"not one answer:\n\[jit\]"):
        assert_one_answer(lambda f: f.assign(c=f["a"] * 2), data, paths=("eager", "jit"), jit_dtypes={"c": "float32"})
    with pytest.raises(AssertionError, match="the test expected ValueError"):
        assert_one_answer(lambda f: f, data, raises=ValueError)
