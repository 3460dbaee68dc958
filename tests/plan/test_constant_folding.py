"""constant_folding: literals fold, true filters vanish; must-not cases keep the plan."""

import pandas as pd

import jaxframes as jf
from jaxframes.plan.explain import explain
from jaxframes.plan.optimizer.constant_folding import fold
from lazy_helpers import assert_plan, assert_rule_results, only

RULE = "constant_folding"
DF = pd.DataFrame({"a": [1, 5, 7, 9], "f": [0.5, 1.5, -2.0, 4.0]}, dtype=None).astype({"a": "int32"})


def test_folds_arithmetic_and_removes_true_filter():
    lf = (jf.from_pandas(DF).lazy().filter(jf.col("a") > jf.lit(2) * 3).filter(jf.lit(1) < 2)
          .with_columns((jf.col("a") + (jf.lit(1) + 2)).alias("b")))
    assert_plan(lf, RULE, """
        WITH_COLUMNS [(col('a') + lit(3)).alias('b')]
          FILTER (col('a') > lit(6))
            SCAN frame columns=*
        """)
    out = DF[DF.a > 6].assign(b=lambda d: d.a + 3)
    assert out.b.dtype == "int32"  # Python scalars stay weak: the column dtype is kept
    assert_rule_results(lf, RULE, out)


def test_must_not_fold_int64_overflow_or_strings():
    big = jf.lit(2**62) * 4
    assert fold(big).same(big)  # int64 would wrap: left for the eager engine to reject
    assert fold(jf.lit(2**62) * 1).same(jf.lit(2**62))
    lf = jf.from_pandas(DF).lazy().with_columns((jf.lit("p") + jf.lit("q")).alias("s"))
    assert explain(only(lf, RULE)) == explain(lf._plan)


def test_keeps_output_name():
    lf = jf.from_pandas(DF).lazy().select(jf.col("f") * (jf.lit(1.0) + 1.0))
    assert_plan(lf, RULE, """
        SELECT [(col('f') * lit(2.0))]
          SCAN frame columns=*
        """)
    assert_rule_results(lf, RULE, pd.DataFrame({"f": DF.f * 2.0}))
