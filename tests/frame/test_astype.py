"""astype over every dtype pair of the test grid: pandas' result, or pandas' exception type."""

import numpy as np
import pytest

from frames import DTYPES, NULLS, make_frame
from jaxframes.testing import assert_matches_pandas

TARGETS = DTYPES + ("float", "int")





@pytest.mark.parametrize("nulls", NULLS)
@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("source", DTYPES)
def test_astype_pairs(source, target, nulls):
    pdf = make_frame([source], n=7, nulls=nulls)
    assert_matches_pandas(lambda d: d.astype(target), pdf)
    assert_matches_pandas(lambda d: d["c0"].astype(target), pdf)


@pytest.mark.parametrize("n", [0, 1000])
def test_astype_sizes_and_filtered(n):
    pdf = make_frame(["int64", "float64", "Int64", "boolean"], n=n, nulls="some")
    assert_matches_pandas(lambda d: d.astype("float64"), pdf)
    assert_matches_pandas(lambda d: d[np.arange(n) % 3 == 0].astype("Float64"), pdf)


def test_astype_dict_and_errors():
    pdf = make_frame(["int64", "float64", "str"], n=7, nulls="some")
    for op in (lambda d: d.astype({"c0": "float32"}), lambda d: d.astype({"zz": "int64"}),
               lambda d: d.astype("int64", errors="ignore"), lambda d: d.astype("int64", errors="bad"),
               lambda d: d.astype("not a dtype")):
        assert_matches_pandas(op, pdf)
