"""filter_fusion: stacked boolean filters become one conjunction; non-boolean ones must not."""

import numpy as np
import pandas as pd
import pytest

import jaxframes as jf
from jaxframes.plan.explain import explain
from lazy_helpers import assert_plan, assert_rule_results, only

RULE = "filter_fusion"
DF = pd.DataFrame({"a": [1.0, np.nan, 3.0, 4.0], "m": pd.array([True, None, False, True], dtype="boolean"),
                   "i": [1, 2, 3, 4]})


def test_fuses_with_nullable_booleans():
    lf = jf.from_pandas(DF).lazy().filter(jf.col("a") > 0).filter(jf.col("m"))
    assert_plan(lf, RULE, """
        FILTER ((col('a') > lit(0)) & col('m'))
          SCAN frame columns=*
        """)
    step = DF[DF.a > 0]
    assert_rule_results(lf, RULE, step[step.m.fillna(False)])


def test_integer_predicate_raises_like_pandas_with_and_without_the_rule():
    lf = jf.from_pandas(DF).lazy().filter(jf.col("a") > 0).filter(jf.col("i"))
    with pytest.raises(KeyError):
        DF[DF.a > 0][DF.i]
    with pytest.raises(KeyError):
        lf.collect(optimize=False)
    with pytest.raises(KeyError):
        only(lf, RULE)


def test_must_not_fuse_filters_split_by_a_projection():
    lf = jf.from_pandas(DF).lazy().filter(jf.col("a") > 0).with_columns((jf.col("i") * 2).alias("j")).filter(jf.col("j") > 4)
    assert explain(only(lf, RULE)) == explain(lf._plan)
    step = DF[DF.a > 0].assign(j=lambda d: d.i * 2)
    assert_rule_results(lf, RULE, step[step.j > 4])


def test_must_not_fuse_a_predicate_whose_errors_depend_on_rows():
    pdf = pd.DataFrame({"a": [7, 8, 9, 3], "b": [0, 2, 3, -1]})
    lf = jf.from_pandas(pdf).lazy().filter(jf.col("b") >= 0).filter((jf.col("a") ** jf.col("b")) > 8)
    assert explain(only(lf, RULE)) == explain(lf._plan)  # fused, a ** b would see b = -1


def test_unfused_predicate_sees_only_the_rows_pandas_sees():
    pdf = pd.DataFrame({"a": [7, 8, 9, 3], "b": [0, 2, 3, -1]})
    lf = jf.from_pandas(pdf).lazy().filter(jf.col("b") >= 0).filter((jf.col("a") ** jf.col("b")) > 8)
    kept = pdf[pdf.b >= 0]
    assert_rule_results(lf, RULE, kept[kept.a ** kept.b > 8])
