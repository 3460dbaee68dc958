"""projection_fusion: stacked projections merge, identity selects vanish; must-not cases."""

import pandas as pd
import pytest

import jaxframes as jf
from jaxframes.plan.explain import explain
from jaxframes.exec.lower import execute
from lazy_helpers import assert_plan, assert_rule_results, only

RULE = "projection_fusion"
DF = pd.DataFrame({"a": [1, 2, 3], "b": [0.5, 1.5, 2.5]})


def test_select_over_with_columns():
    lf = jf.from_pandas(DF).lazy().with_columns((jf.col("a") + 1).alias("c")).select("c", "a")
    assert_plan(lf, RULE, """
        SELECT [(col('a') + lit(1)).alias('c'), col('a')]
          SCAN frame columns=*
        """)
    assert_rule_results(lf, RULE, DF.assign(c=DF.a + 1)[["c", "a"]])


def test_independent_with_columns_and_identity_select():
    lf = (jf.from_pandas(DF).lazy().with_columns((jf.col("a") + 1).alias("c"))
          .with_columns((jf.col("b") * 2).alias("d")).select("a", "b", "c", "d"))
    assert_plan(lf, RULE, """
        SELECT [col('a'), col('b'), (col('a') + lit(1)).alias('c'), (col('b') * lit(2)).alias('d')]
          SCAN frame columns=*
        """)
    assert_rule_results(lf, RULE, DF.assign(c=DF.a + 1, d=DF.b * 2))
    lf = jf.from_pandas(DF).lazy().with_columns((jf.col("a") + 1).alias("c")).with_columns((jf.col("b") * 2).alias("d"))
    assert_plan(lf, RULE, """
        WITH_COLUMNS [(col('a') + lit(1)).alias('c'), (col('b') * lit(2)).alias('d')]
          SCAN frame columns=*
        """)
    lf = jf.from_pandas(DF).lazy().select("a", "b").filter(jf.col("a") > 1)
    assert_plan(lf, RULE, """
        FILTER (col('a') > lit(1))
          SCAN frame columns=*
        """)


def test_must_not_fuse_dependent_with_columns_or_inline_twice_used_column():
    lf = jf.from_pandas(DF).lazy().with_columns((jf.col("a") + 1).alias("c")).with_columns((jf.col("c") * 2).alias("d"))
    assert explain(only(lf, RULE)) == explain(lf._plan)
    assert_rule_results(lf, RULE, DF.assign(c=DF.a + 1).assign(d=lambda d: d.c * 2))
    lf = jf.from_pandas(DF).lazy().select((jf.col("a") + 1).alias("c")).select((jf.col("c") * jf.col("c")).alias("e"))
    assert explain(only(lf, RULE)) == explain(lf._plan)


def test_must_not_fuse_away_an_unread_definition_that_may_raise():
    pdf = pd.DataFrame({"a": [7, 8], "b": [1, -1]})
    lf = jf.from_pandas(pdf).lazy().with_columns((jf.col("a") ** jf.col("b")).alias("c")).select("a")
    assert explain(only(lf, RULE)) == explain(lf._plan)
    with pytest.raises(ValueError, match="negative integer powers"):
        execute(only(lf, RULE))
