"""The optimizer driver: the schema is checked on the final plan, and a rule that changes it is
named (found by replaying the rules with a check after each)."""

import pandas as pd
import pytest

import jaxframes as jf
from jaxframes.plan import optimizer
from jaxframes.plan import nodes as N
from jaxframes.plan.optimizer import OptimizerError, optimize

DF = pd.DataFrame({"a": [1, 2, 3], "b": [4.0, 5.0, -6.0], "c": [7, 8, 9]})


def _plan():
    return jf.from_pandas(DF).lazy().filter(jf.col("a") > jf.lit(0) + jf.lit(1)).select((jf.col("a") * 2).alias("x"), jf.col("b"))._plan


def _with_rule(monkeypatch, name, rule):
    monkeypatch.setattr(optimizer, "RULES", optimizer.RULES + [(name, rule)])
    monkeypatch.setattr(optimizer, "RULE_NAMES", optimizer.RULE_NAMES + (name,))


def test_a_rule_that_changes_the_schema_is_named(monkeypatch):
    def drop_b(plan):  # a broken rule: projects a column away
        if isinstance(plan, N.Select) and len(plan.exprs) == 2:
            return plan.replace(exprs=plan.exprs[:1])
        return plan
    _with_rule(monkeypatch, "drop_b", drop_b)
    with pytest.raises(OptimizerError, match="optimizer rule 'drop_b' changed the schema"):
        optimize(_plan())


def test_a_rule_whose_plan_cannot_be_typed_raises_at_that_rule(monkeypatch):
    def bad_column(plan):
        if isinstance(plan, N.Select) and len(plan.exprs) == 2:
            return plan.replace(exprs=(jf.col("nope"),) + plan.exprs[1:])
        return plan
    _with_rule(monkeypatch, "bad_column", bad_column)
    with pytest.raises(KeyError, match="nope"):
        optimize(_plan())


def test_schema_is_evaluated_for_the_original_and_the_final_plan_only(monkeypatch):
    seen = []
    real = optimizer._schema_list
    monkeypatch.setattr(optimizer, "_schema_list", lambda plan: seen.append(plan) or real(plan))
    plan = _plan()
    out = optimize(plan)
    assert out is not plan  # projection pushdown prunes the scan
    assert seen == [plan, out]
    pd.testing.assert_frame_equal(_collect(out), _want())


def _collect(plan):
    from jaxframes.exec.lower import execute
    return execute(plan).to_pandas()


def _want():
    d = DF[DF.a > 1]
    return pd.DataFrame({"x": d.a * 2, "b": d.b})


def test_unchanged_plan_is_returned_as_is():
    plan = jf.from_pandas(DF).lazy()._plan
    assert optimize(plan) is plan


def test_node_key_is_computed_once_and_replace_gives_a_fresh_one():
    plan = _plan()
    assert plan.key is plan.key
    other = plan.replace(exprs=plan.exprs[:1])
    assert other is not plan and other.key != plan.key
