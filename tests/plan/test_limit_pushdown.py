"""limit_pushdown: head(n) moves below row-local projections into the scan; never below a filter or sort."""

import pandas as pd

import jaxframes as jf
from jaxframes.plan.explain import explain
from lazy_helpers import assert_plan, assert_rule_results, only

RULE = "limit_pushdown"
DF = pd.DataFrame({"a": [5, 3, 1, 4, 2], "b": [1.0, 2.0, 3.0, 4.0, 5.0]})


def test_into_scan_through_with_columns():
    lf = jf.from_pandas(DF).lazy().with_columns((jf.col("a") * 2).alias("c")).head(4).head(2)
    assert_plan(lf, RULE, """
        WITH_COLUMNS [(col('a') * lit(2)).alias('c')]
          SCAN frame columns=* n_rows=2
        """)
    assert_rule_results(lf, RULE, DF.assign(c=DF.a * 2).head(2))


def test_must_not_push_below_sort_or_filter():
    lf = jf.from_pandas(DF).lazy().sort_values("a").head(2)
    assert explain(only(lf, RULE)) == explain(lf._plan)
    assert_rule_results(lf, RULE, DF.sort_values("a").head(2))
    lf = jf.from_pandas(DF).lazy().filter(jf.col("a") > 2).head(2)
    assert explain(only(lf, RULE)) == explain(lf._plan)
    assert_rule_results(lf, RULE, DF[DF.a > 2].head(2))


def test_must_not_push_below_a_field_whose_dtype_depends_on_nulls():
    pdf = pd.DataFrame({"t": pd.to_datetime(["2020-01-03", "2021-05-07", None]).as_unit("ns")})
    lf = jf.from_pandas(pdf).lazy().with_columns(jf.col("t").dt.day.alias("d")).head(2)
    assert explain(only(lf, RULE)) == explain(lf._plan)
    expected = pdf.assign(d=pdf.t.dt.day).head(2)
    assert expected.d.dtype == "float64"  # decided by the NaT in row 2, before head
    assert_rule_results(lf, RULE, expected)
