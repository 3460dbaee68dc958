"""predicate_pushdown: plan text before/after, must-not-push cases, results with the rule on/off."""

import pandas as pd
import pytest

import jaxframes as jf
from jaxframes.plan.explain import explain
from jaxframes.exec.lower import execute
from lazy_helpers import assert_plan, assert_rule_results, only

RULE = "predicate_pushdown"
LEFT = pd.DataFrame({"k": [1, 2, 3, 1, 2, 4], "a": [0.5, -1.0, 2.0, None, 3.0, -2.0], "v": [1, 2, 3, 4, 5, 6]})
RIGHT = pd.DataFrame({"k": [1, 2, 3, 5], "z": [10, 20, 30, 50], "v": [7, 8, 9, 0]})


def test_through_with_columns():
    lf = jf.from_pandas(LEFT).lazy().with_columns((jf.col("v") * 2).alias("w")).filter(jf.col("a") > 0)
    assert_plan(lf, RULE, """
        WITH_COLUMNS [(col('v') * lit(2)).alias('w')]
          FILTER (col('a') > lit(0))
            SCAN frame columns=*
        """)
    expected = LEFT.assign(w=LEFT.v * 2)
    assert_rule_results(lf, RULE, expected[expected.a > 0])


def test_must_not_push_past_the_column_it_reads():
    lf = jf.from_pandas(LEFT).lazy().with_columns((jf.col("v") * 2).alias("w")).filter(jf.col("w") > 4)
    assert explain(only(lf, RULE)) == explain(lf._plan)
    expected = LEFT.assign(w=LEFT.v * 2)
    assert_rule_results(lf, RULE, expected[expected.w > 4])


def test_through_renaming_select():
    lf = jf.from_pandas(LEFT).lazy().rename(columns={"a": "b"}).filter(jf.col("b") > 0)
    assert_plan(lf, RULE, """
        SELECT [col('k'), col('a').alias('b'), col('v')]
          FILTER (col('a') > lit(0))
            SCAN frame columns=*
        """)
    expected = LEFT.rename(columns={"a": "b"})
    assert_rule_results(lf, RULE, expected[expected.b > 0])


def test_must_not_push_below_limit_or_unique():
    lf = jf.from_pandas(LEFT).lazy().head(3).filter(jf.col("a") > 0)
    assert explain(only(lf, RULE)) == explain(lf._plan)
    assert_rule_results(lf, RULE, LEFT.head(3)[LEFT.head(3).a > 0])
    lf = jf.from_pandas(LEFT).lazy().unique(["k"]).filter(jf.col("a") > 0)
    assert explain(only(lf, RULE)) == explain(lf._plan)
    dedup = LEFT.drop_duplicates(["k"])
    assert_rule_results(lf, RULE, dedup[dedup.a > 0])


def test_through_sort_keeps_labels():
    lf = jf.from_pandas(LEFT).lazy().sort_values("v", ascending=False).filter(jf.col("a") > 0)
    assert_plan(lf, RULE, """
        SORT by=['k'] ascending=[False]
          FILTER (col('a') > lit(0))
            SCAN frame columns=*
        """.replace("'k'", "'v'"))
    s = LEFT.sort_values("v", ascending=False)
    assert_rule_results(lf, RULE, s[s.a > 0])


def _join_then_group(pred):
    left, right = jf.from_pandas(LEFT).lazy(), jf.from_pandas(RIGHT).lazy()
    return left.merge(right, on="k").filter(pred).groupby("k").agg({"z": "sum", "a": "max"})


def test_into_join_sides_when_labels_are_not_observed():
    lf = _join_then_group((jf.col("a") > 0) & (jf.col("z") < 30))
    assert_plan(lf, RULE, """
        GROUP_BY keys=['k'] aggs=[z=sum('z'), a=max('a')] as_index=True
          JOIN how=inner on=['k']
            FILTER (col('a') > lit(0))
              SCAN frame columns=*
            FILTER (col('z') < lit(30))
              SCAN frame columns=*
        """)
    m = LEFT.merge(RIGHT, on="k")
    assert_rule_results(lf, RULE, m[(m.a > 0) & (m.z < 30)].groupby("k").agg({"z": "sum", "a": "max"}))


def test_must_not_push_a_suffixed_column_or_into_a_join_whose_labels_show():
    lf = _join_then_group(jf.col("v_x") > 1)
    assert "FILTER (col('v_x') > lit(1))\n    JOIN" in explain(only(lf, RULE))
    left, right = jf.from_pandas(LEFT).lazy(), jf.from_pandas(RIGHT).lazy()
    lf = left.merge(right, on="k").filter(jf.col("a") > 0)  # merge renumbers rows: labels differ
    assert explain(only(lf, RULE)) == explain(lf._plan)
    m = LEFT.merge(RIGHT, on="k")
    assert_rule_results(lf, RULE, m[m.a > 0])


def test_must_not_push_to_the_null_side_of_a_left_join():
    left, right = jf.from_pandas(LEFT).lazy(), jf.from_pandas(RIGHT).lazy()
    lf = left.merge(right, on="k", how="left").filter(jf.col("z") > 10).groupby("k").agg({"a": "sum"})
    assert "FILTER (col('z') > lit(10))\n    JOIN" in explain(only(lf, RULE))
    m = LEFT.merge(RIGHT, on="k", how="left")
    assert_rule_results(lf, RULE, m[m.z > 10].groupby("k").agg({"a": "sum"}))


def test_into_parquet_scan(tmp_path):
    path = tmp_path / "t.parquet"
    LEFT.to_parquet(path)
    lf = jf.scan_parquet(path).filter((jf.col("v") >= 2) & (3.0 > jf.col("a"))).groupby("k").agg({"v": "sum"})
    assert_plan(lf, RULE, f"""
        GROUP_BY keys=['k'] aggs=[v=sum('v')] as_index=True
          SCAN parquet {str(path)!r} columns=* filters=[('v', '>=', 2), ('a', '<', 3.0)]
        """)
    f = LEFT[(LEFT.v >= 2) & (LEFT.a < 3.0)]
    assert_rule_results(lf, RULE, f.groupby("k").agg({"v": "sum"}))


def test_must_not_push_a_float_comparison_onto_a_decimal_column(tmp_path):
    """pyarrow's dataset filter cannot compare decimal128 with a float literal (the read failed);
    the frame compares as pandas' Arrow-backed decimals do."""
    import decimal
    import pyarrow as pa
    import pyarrow.parquet as pq
    path = tmp_path / "d.parquet"
    prices = pa.array([decimal.Decimal("0.04"), decimal.Decimal("0.05"), None, decimal.Decimal("0.07")],
                      pa.decimal128(15, 2))
    pq.write_table(pa.table({"p": prices, "v": [1, 2, 3, 4]}), path)
    lf = jf.scan_parquet(path).filter((jf.col("p") >= 0.05) & (jf.col("v") < 4)).groupby("v").agg({"p": "sum"})
    assert "filters=[('v', '<', 4)]" in explain(only(lf, RULE))
    pdf = pd.read_parquet(path).astype({"p": pd.ArrowDtype(pa.decimal128(15, 2))})  # our model of the column
    got = lf.collect()
    want = pdf[(pdf.p >= 0.05) & (pdf.v < 4)].groupby("v").agg({"p": "sum"})
    assert got.index.tolist() == want.index.tolist() == [2]
    assert [float(x) for x in got.to_pandas()["p"]] == [float(x) for x in want["p"]]


def test_must_not_push_into_parquet_when_labels_show(tmp_path):
    path = tmp_path / "t.parquet"
    LEFT.to_parquet(path)
    lf = jf.scan_parquet(path).filter(jf.col("v") >= 2)
    assert explain(only(lf, RULE)) == explain(lf._plan)
    assert_rule_results(lf, RULE, LEFT[LEFT.v >= 2])


def test_non_boolean_predicate_raises_like_pandas():
    lf = jf.from_pandas(LEFT).lazy().filter(jf.col("v") & jf.col("k"))
    with pytest.raises(KeyError):
        pd.DataFrame(LEFT)[LEFT.v & LEFT.k]
    with pytest.raises(KeyError):
        lf.collect()


# -- answers that depend on the set of rows (expr/row_dependence.py) ----------------------------
NULLS = pd.DataFrame({"t": pd.to_datetime(["2020-01-03", None, "2021-05-07", "2022-02-09"]).as_unit("ns"),
                      "x": [1, -1, 2, 3], "s": ["ab", None, "c", "dddd"], "a": [7, 8, 9, 3], "b": [0, -1, 3, 1]})


@pytest.mark.parametrize("field", ["day", "len"])
def test_must_not_push_below_a_field_whose_dtype_depends_on_nulls(field):
    # pandas computes dt.day / str.len() on all rows: the NaT / None in the dropped row makes it float64
    expr = jf.col("t").dt.day if field == "day" else jf.col("s").str.len()
    lf = jf.from_pandas(NULLS).lazy().with_columns(expr.alias("d")).filter(jf.col("x") > 0)
    assert explain(only(lf, RULE)) == explain(lf._plan)
    full = NULLS.assign(d=NULLS.t.dt.day if field == "day" else NULLS.s.str.len())
    assert full.d.dtype == "float64"
    assert_rule_results(lf, RULE, full[full.x > 0], check_dtype=True)


def test_must_not_split_a_predicate_whose_errors_depend_on_rows():
    lf = (jf.from_pandas(NULLS).lazy().with_columns((jf.col("x") * 2).alias("w"))
          .filter((jf.col("b") >= 0) & ((jf.col("a") ** jf.col("b")) > 0)))
    assert explain(only(lf, RULE)) == explain(lf._plan)
    with pytest.raises(ValueError, match="negative integer powers"):
        NULLS[(NULLS.b >= 0) & (NULLS.a ** NULLS.b > 0)]
    for plan in (only(lf, RULE), lf._plan):
        with pytest.raises(ValueError, match="negative integer powers"):
            execute(plan)


def test_left_join_kept_side_only_when_the_other_side_holds_nulls():
    left = pd.DataFrame({"k": [1, 2, 3], "a": [1.0, -1.0, 2.0]})
    ints, floats = pd.DataFrame({"k": [1, 3], "z": [10, 30]}), pd.DataFrame({"k": [1, 3], "z": [1.5, 3.5]})
    for right, pushed in ((ints, False), (floats, True)):
        lf = (jf.from_pandas(left).lazy().merge(jf.from_pandas(right).lazy(), on="k", how="left")
              .filter(jf.col("a") > 0).groupby("k").agg({"z": "sum"}))
        # pandas joins first: k=2 has no match, so an int z becomes float64 before the filter drops it
        assert ("JOIN how=left on=['k']\n    FILTER" in explain(only(lf, RULE))) == pushed
        m = left.merge(right, on="k", how="left")
        assert_rule_results(lf, RULE, m[m.a > 0].groupby("k").agg({"z": "sum"}))
