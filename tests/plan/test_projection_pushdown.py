"""projection_pushdown: scans read only needed columns; unused columns go before sorts and joins."""

import pandas as pd
import pytest

import jaxframes as jf
from jaxframes.plan.explain import explain
from jaxframes.exec.lower import execute
from lazy_helpers import assert_plan, assert_rule_results, only

RULE = "projection_pushdown"
LEFT = pd.DataFrame({"k": [1, 2, 3, 1], "a": [1.0, 2.0, 3.0, 4.0], "v": [1, 2, 3, 4], "x": [9, 9, 9, 9]})
RIGHT = pd.DataFrame({"k": [1, 2, 3], "v": [7, 8, 9], "d": [0.1, 0.2, 0.3], "y": [1, 1, 1]})


def test_scan_columns_and_select_before_sort():
    lf = jf.from_pandas(LEFT).lazy().unique().sort_values("a").select("a")
    assert_plan(lf, RULE, """
        SELECT [col('a')]
          SORT by=['a'] ascending=[True]
            SELECT [col('a')]
              UNIQUE subset=* keep='first'
                SCAN frame columns=*
        """)
    assert_rule_results(lf, RULE, LEFT.drop_duplicates().sort_values("a")[["a"]])


def test_join_keeps_shared_columns_for_suffixes():
    lf = jf.from_pandas(LEFT).lazy().merge(jf.from_pandas(RIGHT).lazy(), on="k").select("v_x", "d")
    assert_plan(lf, RULE, """
        SELECT [col('v_x'), col('d')]
          JOIN how=inner on=['k']
            SCAN frame columns=['k', 'v']
            SCAN frame columns=['k', 'v', 'd']
        """)
    assert_rule_results(lf, RULE, LEFT.merge(RIGHT, on="k")[["v_x", "d"]])


def test_parquet_scan_columns(tmp_path):
    path = tmp_path / "t.parquet"
    LEFT.to_parquet(path)
    lf = jf.scan_parquet(path).filter(jf.col("v") > 1).select((jf.col("a") * 2).alias("b"))
    assert_plan(lf, RULE, f"""
        SELECT [(col('a') * lit(2)).alias('b')]
          FILTER (col('v') > lit(1))
            SCAN parquet {str(path)!r} columns=['a', 'v']
        """)
    f = LEFT[LEFT.v > 1]
    assert_rule_results(lf, RULE, pd.DataFrame({"b": f.a * 2}))


def test_must_not_prune_what_a_unique_or_root_needs():
    lf = jf.from_pandas(LEFT).lazy().unique().filter(jf.col("a") > 1)
    assert explain(only(lf, RULE)) == explain(lf._plan)
    d = LEFT.drop_duplicates()
    assert_rule_results(lf, RULE, d[d.a > 1])


def test_must_not_drop_an_unread_definition_that_may_raise():
    pdf = pd.DataFrame({"a": [7, 8], "b": [1, -1]})
    lf = jf.from_pandas(pdf).lazy().with_columns((jf.col("a") ** jf.col("b")).alias("c")).select("a")
    assert "WITH_COLUMNS [(col('a') ** col('b')).alias('c')]" in explain(only(lf, RULE))
    with pytest.raises(ValueError, match="negative integer powers"):
        pdf.assign(c=pdf.a ** pdf.b)[["a"]]
    for plan in (only(lf, RULE), lf._plan):
        with pytest.raises(ValueError, match="negative integer powers"):
            execute(plan)
