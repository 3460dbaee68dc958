"""List columns (lists.py, column.py): conversions from and to pandas, Arrow and Parquet, and
the row operations that carry a list column as payload, against pandas."""

from __future__ import annotations

import jax
import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

import jaxframes as jf
from jaxframes.testing import assert_matches_pandas, assert_one_answer, frame_with_dead_rows

# Every flavour of row: lists of several lengths, an empty list, a missing row.
INTS = pd.Series([[1, 2], None, [], [3], [4, 5, 6]])
OBJECT_LISTS = {
    "ints": INTS,
    "floats": pd.Series([[1.5, np.nan], [], None, [2.0], [0.5]]),
    "ints_with_none": pd.Series([[1, None], [2], None, [], [3]]),
    "strings": pd.Series([["a", "b"], None, [], ["c", None], ["d"]]),
    "bools": pd.Series([[True], [False, True], None, [], [True]]),
    "datetimes": pd.Series([[pd.Timestamp("2020-01-01")], [], None, [pd.Timestamp("1999-12-31")], []]),
    "split": pd.Series(["a b", None, "c", "", "d e f"]).str.split(),
    "no_elements": pd.Series([[], None, [], None, []]),
}
ARROW_LISTS = {
    "int64": pd.Series([[1, 2], None, [], [3, None], [4]], dtype=pd.ArrowDtype(pa.list_(pa.int64()))),
    "string": pd.Series([["a", None], [], None, ["b"], ["c", "d"]], dtype=pd.ArrowDtype(pa.list_(pa.string()))),
    "large_double": pd.Series([[1.5], None, [], [2.5, None], [0.0]],
                              dtype=pd.ArrowDtype(pa.large_list(pa.float64()))),
}
ALL = {**OBJECT_LISTS, **{f"arrow_{k}": v for k, v in ARROW_LISTS.items()}}
LIVE = np.array([True, False, True, False, True])


def same_missing(pdf: pd.DataFrame) -> pd.DataFrame:
    """Missing rows of object list columns as None. A list column shows its missing rows one
    way (None; NaN for a split of 'str'); pandas mixes None and NaN in one object column when
    merge/concat/shift add missing rows (merge and concat add NaN, shift adds None)."""
    out = pdf.copy()
    for name in out.columns:
        if out[name].dtype == object:
            out[name] = out[name].astype(object).where(out[name].notna(), None)
    return out


def frame(lists: pd.Series) -> pd.DataFrame:
    index = [10, 11, 12, 13, 14]
    return pd.DataFrame({"l": lists.set_axis(index), "k": [3, 1, 4, 0, 2], "s": list("vwxyz")}, index=index)


@pytest.mark.parametrize("name", list(ALL))
def test_round_trip_keeps_values_dtype_and_missing_rows(name: str) -> None:
    s = ALL[name]
    ours = jf.from_pandas(s)
    pd.testing.assert_series_equal(ours.to_pandas(), s)
    assert str(ours.dtype) == str(s.dtype)
    pd.testing.assert_frame_equal(jf.from_pandas(frame(s)).to_pandas(), frame(s))


@pytest.mark.parametrize("name", ["ints", "strings", "split", "datetimes", "arrow_int64", "arrow_large_double"])
def test_row_operations_carry_list_columns(name: str) -> None:
    pdf = frame(ALL[name])
    for op in (lambda d: d[d["k"] > 1], lambda d: d.iloc[[4, 0, 2]], lambda d: d.loc[[12, 10]],
               lambda d: d.head(2), lambda d: d.tail(3), lambda d: d.sort_values("k"),
               lambda d: d[["l"]], lambda d: d["l"], lambda d: d.reset_index(),
               lambda d: d.isna(), lambda d: d.count()):
        assert_matches_pandas(op, pdf)
    shifted = jf.from_pandas(pdf).shift(1).to_pandas()
    pd.testing.assert_frame_equal(same_missing(shifted), same_missing(pdf.shift(1)))


@pytest.mark.parametrize("name", ["ints", "strings", "arrow_int64"])
def test_filtered_frames_dead_rows_and_paths(name: str) -> None:
    twin = frame_with_dead_rows(frame(ALL[name]), LIVE)
    assert_one_answer(lambda d: d.sort_values("k"), twin, paths=("eager", "jit"))
    assert_one_answer(lambda d: d[d["k"] > 2], twin)
    assert_one_answer(lambda d: d.head(2), twin, paths=("eager", "jit"))


def test_empty_frames() -> None:
    """A filter that keeps no row keeps the list dtype (an empty pandas object column converts
    to 'str', as every empty object column does: no value says it held lists)."""
    assert_matches_pandas(lambda d: d[d["k"] > 100], frame(INTS))
    # pandas' explode of no rows is an object column; ours keeps the element dtype
    exploded = jf.from_pandas(frame(ALL["strings"])).pipe(lambda d: d[d["k"] > 100]).explode("l")
    assert len(exploded) == 0 and str(exploded.dtypes["l"]) == "str"
    empty = pd.Series([], dtype=pd.ArrowDtype(pa.list_(pa.int64())))
    assert_matches_pandas(lambda d: d, empty)
    assert_matches_pandas(lambda d: d.list.len(), empty.iloc[:0], check_dtype=False)


@pytest.mark.parametrize("name", ["ints", "strings", "arrow_string"])
def test_concat_stacks_children(name: str) -> None:
    pdf = frame(ALL[name])
    other = frame(ALL[name]).iloc[::-1]
    mine = jf.from_pandas(pdf)
    ours = jf.concat([mine[mine["k"] > 1], jf.from_pandas(other)])
    pd.testing.assert_frame_equal(ours.to_pandas(), pd.concat([pdf[pdf["k"] > 1], other]))
    # a part without the column contributes missing rows; beside an object list column's None,
    # pandas' NaN for them is a second missing marker, which a list column cannot hold (refused;
    # tests/test_concat.py::test_list_column_absent_from_an_input)
    if name in OBJECT_LISTS and pdf["l"].isna().any():
        with pytest.raises(NotImplementedError, match="list column 'l', absent from some inputs"):
            jf.concat([mine, jf.from_pandas(pdf[["k"]])], ignore_index=True)
        return
    ours = jf.concat([mine, jf.from_pandas(pdf[["k"]])], ignore_index=True)
    want = pd.concat([pdf, pdf[["k"]]], ignore_index=True)
    pd.testing.assert_frame_equal(same_missing(ours.to_pandas()), same_missing(want))


def test_merge_carries_a_list_column_as_payload() -> None:
    left = frame(ALL["strings"])
    right = pd.DataFrame({"k": [0, 1, 2, 9], "r": [["p"], ["q", "r"], [], None]})
    for how in ("left", "outer"):
        ours = jf.from_pandas(left).merge(jf.from_pandas(right), on="k", how=how)
        pd.testing.assert_frame_equal(same_missing(ours.to_pandas()), same_missing(left.merge(right, on="k", how=how)))


def test_repr_and_to_string_match_pandas() -> None:
    for s in (ALL["ints"], ALL["arrow_int64"], ALL["split"]):
        pdf = frame(s)
        assert repr(jf.from_pandas(pdf)) == repr(pdf)
        assert jf.from_pandas(pdf).to_string() == pdf.to_string()


def test_jit_passes_list_columns_through() -> None:
    ours = jf.from_pandas(frame(INTS))
    out = jax.jit(lambda d: d[d["k"] >= 2])(ours)
    pdf = frame(INTS)
    pd.testing.assert_frame_equal(out.to_pandas(), pdf[pdf["k"] >= 2])


def test_mixed_object_columns_still_raise() -> None:
    with pytest.raises(NotImplementedError, match="mixing lists with other values"):
        jf.from_pandas(pd.Series([[1], 2]))
    with pytest.raises(NotImplementedError, match="tuples/arrays"):
        jf.from_pandas(pd.Series([(1, 2), (3,)]))
    with pytest.raises(TypeError, match="column 'l'"):
        jf.from_pandas(pd.DataFrame({"l": [[1, "a"], [2]]}))


# -- what cannot apply to lists refuses, never answers wrongly -------------------------------------
@pytest.mark.parametrize("op, error, match", [
    (lambda d: d.groupby("l").size(), TypeError, "unhashable type: 'list'"),
    (lambda d: d.drop_duplicates(), TypeError, "unhashable type: 'list'"),
    (lambda d: d["l"].unique(), TypeError, "unhashable type: 'list'"),
    (lambda d: d["l"].nunique(), TypeError, "unhashable type: 'list'"),
    (lambda d: d.merge(d, on="l"), TypeError, "unhashable type: 'list'"),
])
def test_hashing_a_list_column_raises_as_pandas(op, error, match) -> None:
    assert_matches_pandas(op, frame(INTS), raises=error, match=match)


@pytest.mark.parametrize("op, match", [
    (lambda d: d.sort_values("l"), "list column"),
    (lambda d: d["l"].sum(), "list column"),
    (lambda d: d["l"].min(), "list column"),
    (lambda d: d["l"].cumsum(), "list column"),
    (lambda d: d.fillna(0), "object"),
    (lambda d: d.where(d["k"] > 1), "object"),
])
def test_unsupported_list_operations_raise_naming_lists(op, match) -> None:
    with pytest.raises((TypeError, NotImplementedError), match=match):
        op(jf.from_pandas(frame(INTS)))


def test_arithmetic_on_lists_raises() -> None:
    with pytest.raises((TypeError, NotImplementedError), match="object"):
        jf.from_pandas(frame(INTS))["l"] + 1
    with pytest.raises((TypeError, NotImplementedError), match="object"):
        jf.from_pandas(frame(INTS))["l"] == 1


# -- Arrow and Parquet --------------------------------------------------------------------------
ARROW_TABLE = pa.table({
    "a": pa.array([[1, 2], None, [], [4]]),
    "b": pa.array([["x"], ["y", None], [], None]),
    "c": pa.array([[1.5, None], [], None, [2.0]]),
    "d": pa.array([[1, None], [3], [], None], pa.large_list(pa.int32())),
    "k": [1, 2, 3, 4],
})


def test_from_arrow_matches_table_to_pandas() -> None:
    pd.testing.assert_frame_equal(jf.from_arrow(ARROW_TABLE).to_pandas(), ARROW_TABLE.to_pandas())
    sliced = ARROW_TABLE.slice(1, 3)  # offsets into the whole child array
    pd.testing.assert_frame_equal(jf.from_arrow(sliced).to_pandas(), sliced.to_pandas())


@pytest.mark.parametrize("name", ["ints", "strings", "floats", "arrow_int64", "arrow_string"])
def test_to_arrow_matches_pandas_conversion(name: str) -> None:
    pdf = frame(ALL[name])
    ours = jf.from_pandas(pdf)
    assert ours.to_arrow().equals(pa.Table.from_pandas(pdf))
    live = pdf["k"] > 1
    assert ours[ours["k"] > 1].to_arrow().equals(pa.Table.from_pandas(pdf[live]))


def test_parquet_round_trip(tmp_path) -> None:
    pdf = frame(ALL["strings"]).assign(n=ALL["ints"].set_axis(frame(INTS).index))
    path = tmp_path / "lists.parquet"
    pdf.to_parquet(path)
    pd.testing.assert_frame_equal(jf.read_parquet(path).to_pandas(), pd.read_parquet(path))
    ours_path = tmp_path / "ours.parquet"
    jf.from_pandas(pdf).to_parquet(ours_path)
    pd.testing.assert_frame_equal(pd.read_parquet(ours_path), pd.read_parquet(path))
    lazy = jf.scan_parquet(path).filter(jf.col("k") > 1).collect()
    full = pd.read_parquet(path)
    pd.testing.assert_frame_equal(lazy.to_pandas(), full[full["k"] > 1])


def test_rows_added_by_merge_concat_reindex_are_nan_as_in_pandas() -> None:
    left = pd.DataFrame({"k": [1, 2, 3], "l": [["a"], ["b", "c"], []]})
    right = pd.DataFrame({"k": [1, 2, 9], "r": [["p"], [], ["q"]]})
    for how in ("left", "outer"):
        assert_matches_pandas(lambda d, how=how: d.merge(jf.from_pandas(right) if isinstance(d, jf.DataFrame)
                                                         else right, on="k", how=how), left)
    assert_matches_pandas(lambda d: (jf if isinstance(d, jf.DataFrame) else pd).concat([d, d[["k"]]]), left)
    assert_matches_pandas(lambda d: d.reindex([0, 2, 5]), left)
