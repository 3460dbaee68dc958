"""cse: a repeated subexpression becomes one hidden column; single uses are left alone."""

import pandas as pd

import jaxframes as jf
from jaxframes.plan.explain import explain
from lazy_helpers import assert_plan, assert_rule_results, only

RULE = "cse"
DF = pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": [4.0, 5.0, -6.0]})
S = jf.col("a") + jf.col("b")


def test_select_hoists_repeated_subexpression():
    lf = jf.from_pandas(DF).lazy().select((S * 2).alias("x"), (S - 1).alias("y"))
    assert_plan(lf, RULE, """
        SELECT [(col('__cse_0') * lit(2)).alias('x'), (col('__cse_0') - lit(1)).alias('y')]
          WITH_COLUMNS [(col('a') + col('b')).alias('__cse_0')]
            SCAN frame columns=*
        """)
    s = DF.a + DF.b
    assert_rule_results(lf, RULE, pd.DataFrame({"x": s * 2, "y": s - 1}))


def test_with_columns_keeps_schema():
    lf = jf.from_pandas(DF).lazy().with_columns((S * 2).alias("x"), S.abs().alias("a"))
    assert_plan(lf, RULE, """
        SELECT [col('a'), col('b'), col('x')]
          WITH_COLUMNS [(col('__cse_0') * lit(2)).alias('x'), abs(col('__cse_0')).alias('a')]
            WITH_COLUMNS [(col('a') + col('b')).alias('__cse_0')]
              SCAN frame columns=*
        """)
    s = DF.a + DF.b
    assert_rule_results(lf, RULE, DF.assign(a=s.abs(), x=s * 2)[["a", "b", "x"]])


def test_must_not_hoist_single_use_or_bare_columns():
    lf = jf.from_pandas(DF).lazy().select((S * 2).alias("x"), jf.col("a"), (jf.col("a") * 3).alias("y"))
    assert explain(only(lf, RULE)) == explain(lf._plan)
