"""The two H2O db-benchmark blockers: groupby(as_index=False).apply (Series rows, scalars) and
named aggregation with 'size'; and median/std through the group-stats kernel on filtered
frames (dead rows must not count) against pandas."""

import numpy as np
import pandas as pd
import pytest

import jaxframes as jf
from jaxframes.testing import frame_with_dead_rows

DF = pd.DataFrame({"a": [1, 1, 2, 3, 3, 3], "b": [5, 5, 6, 6, 7, 7],
                   "v1": [1.0, 2, 3, 4, np.nan, 7], "v2": [2.0, 1, 3, 5, 5, 9]})


def test_apply_as_index_false_series_rows():
    want = DF.groupby(["a", "b"], as_index=False, sort=False).apply(
        lambda x: pd.Series({"r2": x["v1"].sum() * 2.0, "q": x["v2"].max()}))
    got = jf.DataFrame(DF).groupby(["a", "b"], as_index=False, sort=False).apply(
        lambda x: jf.Series({"r2": x["v1"].sum() * 2.0, "q": x["v2"].max()}))
    pd.testing.assert_frame_equal(got.to_pandas(), want)


def test_apply_as_index_false_scalars():
    want = DF.groupby("a", as_index=False).apply(lambda x: x["v2"].sum())
    got = jf.DataFrame(DF).groupby("a", as_index=False).apply(lambda x: x["v2"].sum())
    pd.testing.assert_frame_equal(got.to_pandas(), want)


def test_apply_as_index_false_frames_not_supported():
    with pytest.raises(NotImplementedError, match=r"groupby\(as_index=False\).apply with a function returning frames"):
        jf.DataFrame(DF).groupby("a", as_index=False).apply(lambda x: x.head(1))


def test_named_aggregation_with_size():
    for kwargs in ({"v3": ("v1", "sum"), "v1": ("v1", "size")}, {"n": ("v2", "size")}):
        want = DF.groupby(["a", "b"], as_index=False, sort=False, dropna=False).agg(**kwargs)
        got = jf.DataFrame(DF).groupby(["a", "b"], as_index=False, sort=False, dropna=False).agg(**kwargs)
        pd.testing.assert_frame_equal(got.to_pandas(), want)
    pd.testing.assert_frame_equal(jf.DataFrame(DF).groupby("a").agg({"v1": ["sum", "size"]}).to_pandas(),
                                  DF.groupby("a").agg({"v1": ["sum", "size"]}))


@pytest.mark.parametrize("key", ["a", "k"])  # small int domain (dense slots); wide (sorted grouping)
def test_median_std_var_on_filtered_frames(key):
    rng = np.random.default_rng(5)
    pdf = pd.DataFrame({"a": rng.integers(0, 6, 400), "k": rng.integers(0, 10**12, 400) % 37 * 10**10,
                        "v": rng.normal(size=400), "f": rng.random(400).astype("float32")})
    pdf.loc[::9, "v"] = np.nan
    live = rng.random(400) > 0.3
    pdf.loc[~live, "v"] = 1e9  # dead rows that would move every median and std
    twin = frame_with_dead_rows(pdf, live)
    frame, want_frame = twin.ours, twin.theirs
    got = frame.groupby(key).agg({"v": ["median", "std", "var"], "f": ["median", "std"]}).to_pandas()
    want = want_frame.groupby(key).agg({"v": ["median", "std", "var"], "f": ["median", "std"]})
    pd.testing.assert_frame_equal(got, want, check_exact=False, rtol=1e-6)
