"""Which expressions let the SET of rows decide their answer (dtype, or whether they raise).

pandas decides some results from all the rows an operation sees: ``dt.day`` and ``str.len()``
are int without a null and float64 with one, ``int ** int`` raises on one negative exponent,
``astype('int64')`` raises on one NaN, ``where`` turns int into float64 when one row is masked,
an aggregation reads every row. An optimizer rule that changes which rows such an expression
sees (a filter or limit pushed below it, a filter fused into its predicate) or drops it unread
(while pandas computed it, and raised) would change the answer. Rules ask ``rows_decide``
before such a move, and move nothing when it says True.

The test is a whitelist of expressions KNOWN to be row-independent (each row's value, the
dtype and any error follow from the dtypes and that row alone); everything else counts as
row-dependent, so a new expression kind is safe by default and only loses an optimization.
"""

from __future__ import annotations

from typing import Any

from jaxframes.expr.expr import Expr

_SAFE_OPS = {"col", "lit", "alias", "is_null", "is_not_null", "is_in", "unary"}
_SAFE_BINARY = {"add", "sub", "mul", "truediv", "eq", "ne", "lt", "le", "gt", "ge", "and_", "or_", "xor"}
# string methods whose result dtype (str or bool) does not depend on nulls
_SAFE_STR = {"lower", "upper", "strip", "lstrip", "rstrip", "title", "capitalize", "casefold", "swapcase",
             "contains", "startswith", "endswith", "match", "fullmatch", "slice", "replace", "zfill", "pad",
             "isdigit", "isalpha", "isalnum", "isspace", "islower", "isupper", "isnumeric", "isdecimal",
             "istitle"}
_SAFE_DT = {"normalize", "floor", "ceil", "round"}


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _safe_binary(expr: Expr) -> bool:
    name = expr.params[0]
    if name in _SAFE_BINARY:
        return True
    right = expr.children[1]
    if right.op != "lit" or not _number(right.params[0]):
        return False  # a column divisor/exponent: zero or negative values decide the answer
    value = right.params[0]
    if name in ("floordiv", "mod"):
        return value != 0
    if name == "pow":
        return value >= 0 or isinstance(value, float)
    return False


def _safe_node(expr: Expr) -> bool:
    op = expr.op
    if op in _SAFE_OPS:
        return True
    if op == "binary":
        return _safe_binary(expr)
    if op == "str":
        return expr.params[0] in _SAFE_STR
    if op == "dt":
        return expr.params[0] in _SAFE_DT or str(expr.params[0]).startswith("is_")
    return False  # cast, fill_null, when, agg, and anything new


def rows_decide(expr: Expr) -> bool:
    """True when evaluating ``expr`` over a different set of rows could change its dtype or
    whether it raises (not only the values of the rows that differ)."""
    return not all(_safe_node(e) for e in expr.walk())


def any_rows_decide(exprs: Any) -> bool:
    return any(rows_decide(e) for e in exprs)
