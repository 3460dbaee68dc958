"""rows_decide: which expressions let the set of rows decide their dtype or errors (the
optimizer's legality test for moving filters and limits, and for dropping unread columns)."""

import pytest

import jaxframes as jf
from jaxframes.expr.row_dependence import rows_decide

a, b, s, t = jf.col("a"), jf.col("b"), jf.col("s"), jf.col("t")


@pytest.mark.parametrize("expr", [
    a + b, a * 2 - b, a / b, a > 1, (a > 1) & (b < 2), -a, a.is_null(), a.is_in([1, 2]), a // 2, a % 3,
    a ** 2, a ** 0.5, s.str.lower(), s.str.contains("x"), t.dt.is_month_start, t.dt.normalize(), a.alias("z"),
], ids=repr)
def test_row_independent(expr):
    assert not rows_decide(expr)


@pytest.mark.parametrize("expr", [
    a // b, a % b, a // 0, a ** b, a ** -1, 2 ** a, a.cast("int64"), a.fill_null(0), s.str.len(), t.dt.day,
    jf.when(a > 0).then(a), a.sum(), a - a.mean(), (a ** b) > 0,
], ids=repr)
def test_row_dependent(expr):
    assert rows_decide(expr)
