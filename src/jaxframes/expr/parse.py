"""pandas' expression strings (``DataFrame.query``/``eval``, ``jf.eval``) parsed with Python's
``ast`` into values built from ``jf.col`` expressions, so they run through the same engine as
hand-written expressions, lazily too.

The language is pandas': column names (backticked when they are not identifiers), ``@name`` for
the caller's variables, arithmetic, comparisons (chained ones too), ``and``/``or``/``not`` and
``&``/``|``/``~`` (``&`` and ``|`` bind like ``and``/``or``, as in pandas), ``in``/``not in``
and ``==``/``!=`` against a list (membership), numpy math functions (``sin``, ``log``, ``sqrt``,
...), attribute and method access (``a.str.len()``), and, for ``eval``, assignments (one per
line). The walker works on any values with Python operators: columns come in as ``col(name)``
expressions for frames, and as eager objects for top-level ``jf.eval``.
"""

from __future__ import annotations

import ast
import io
import operator
import re
import tokenize
from dataclasses import dataclass
from typing import Any, Callable, Hashable

import numpy as np
from pandas.errors import UndefinedVariableError

from jaxframes.expr.expr import Expr

LOCAL_PREFIX = "__jf_local_"
BACKTICK_PREFIX = "__jf_backtick_"

UNARY_MATH = ("sin", "cos", "tan", "exp", "log", "expm1", "log1p", "sqrt", "sinh", "cosh", "tanh",
              "arcsin", "arccos", "arctan", "arccosh", "arcsinh", "arctanh", "abs", "log10", "floor", "ceil")

_BINOPS: dict[type, Callable] = {
    ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv, ast.Mod: operator.mod, ast.Pow: operator.pow,
    ast.BitAnd: operator.and_, ast.BitOr: operator.or_, ast.BitXor: operator.xor,
}
_COMPARE: dict[type, Callable] = {
    ast.Eq: operator.eq, ast.NotEq: operator.ne, ast.Lt: operator.lt, ast.LtE: operator.le,
    ast.Gt: operator.gt, ast.GtE: operator.ge,
}


@dataclass(frozen=True)
class Statement:
    """One line of an expression string: ``target`` is None for a plain expression."""

    target: Hashable | None
    value: Any


@dataclass
class Scope:
    """How names resolve. ``column(name)`` gives a column's value (or raises KeyError);
    ``local_vars`` serve ``@name``; ``global_vars`` serve bare names that are no column (only
    top-level ``jf.eval``); ``math(name, value)`` applies a numpy math function to a value."""

    column: Callable[[Hashable], Any]
    local_vars: dict
    global_vars: dict | None
    math: Callable[[str, Any], Any]


def _preprocess(text: str) -> tuple[str, dict[str, Hashable]]:
    """Backticked names -> identifiers; ``@x`` -> a marked identifier; ``&``/``|`` -> and/or."""
    backticks: dict[str, Hashable] = {}

    def quote(match: re.Match) -> str:
        ident = f"{BACKTICK_PREFIX}{len(backticks)}"
        backticks[ident] = match.group(1)
        return ident

    text = re.sub(r"`([^`]*)`", quote, text)
    tokens = list(tokenize.generate_tokens(io.StringIO(text).readline))
    out: list[tuple[int, str]] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.type == tokenize.OP and tok.string == "@":
            if i + 1 >= len(tokens) or tokens[i + 1].type != tokenize.NAME:
                raise SyntaxError("'@' must be followed by a variable name")
            out.append((tokenize.NAME, LOCAL_PREFIX + tokens[i + 1].string))
            i += 2
            continue
        if tok.type == tokenize.OP and tok.string in ("&", "|"):
            out.append((tokenize.NAME, "and" if tok.string == "&" else "or"))
        else:
            out.append((tok.type, tok.string))
        i += 1
    return tokenize.untokenize(out), backticks


def parse(text: str, scope: Scope, allow_assign: bool = True) -> list[Statement]:
    """The statements of ``text`` with their values built in ``scope``."""
    if not isinstance(text, str):
        raise ValueError(f"expr must be a string to be evaluated, {type(text)} given")
    if not text.strip():
        raise ValueError("expr cannot be an empty string")
    source, backticks = _preprocess(text.strip())
    try:
        module = ast.parse(source, mode="exec")
    except SyntaxError as err:
        raise SyntaxError(f"invalid syntax in expression {text!r}: {err.msg}") from None
    body = module.body
    if len(body) > 1 and not all(isinstance(s, ast.Assign) for s in body):
        raise ValueError("Multi-line expressions are only valid if all expressions contain an assignment")
    walker = _Walker(scope, backticks)
    out = []
    for stmt in body:
        if isinstance(stmt, ast.Assign):
            if not allow_assign:
                raise ValueError("cannot assign without a target object")
            if len(stmt.targets) != 1 or not isinstance(stmt.targets[0], ast.Name):
                raise SyntaxError("left hand side of an assignment must be a single name")
            target = walker.name_of(stmt.targets[0].id)
            value = walker.visit(stmt.value)
            walker.assigned[target] = value
            out.append(Statement(target, value))
        elif isinstance(stmt, ast.Expr):
            out.append(Statement(None, walker.visit(stmt.value)))
        else:
            raise NotImplementedError(f"{type(stmt).__name__} statements are not supported in expressions")
    return out


def _is_listlike(value: Any) -> bool:
    return isinstance(value, (list, tuple, set, np.ndarray))


def _negate(value: Any) -> Any:
    return (not value) if isinstance(value, (bool, np.bool_)) else ~value


class _Walker:
    def __init__(self, scope: Scope, backticks: dict[str, Hashable]):
        self.scope, self.backticks = scope, backticks
        self.assigned: dict[Hashable, Any] = {}

    def name_of(self, ident: str) -> Hashable:
        if ident.startswith(LOCAL_PREFIX):
            raise SyntaxError("cannot assign to a local variable ('@' name)")
        return self.backticks.get(ident, ident)

    def visit(self, node: ast.AST) -> Any:
        method = getattr(self, f"visit_{type(node).__name__}", None)
        if method is None:
            raise NotImplementedError(f"'{type(node).__name__}' nodes are not supported in expressions")
        return method(node)

    def visit_Constant(self, node: ast.Constant) -> Any:
        return node.value

    def visit_List(self, node: ast.List) -> Any:
        return [self.visit(e) for e in node.elts]

    def visit_Tuple(self, node: ast.Tuple) -> Any:
        return tuple(self.visit(e) for e in node.elts)

    def visit_Name(self, node: ast.Name) -> Any:
        ident = node.id
        if ident.startswith(LOCAL_PREFIX):
            name = ident[len(LOCAL_PREFIX):]
            if name in self.scope.local_vars:
                return self.scope.local_vars[name]
            raise UndefinedVariableError(name, is_local=True)
        name = self.backticks.get(ident, ident)
        if name in self.assigned:
            return self.assigned[name]
        try:
            return self.scope.column(name)
        except KeyError:
            pass
        if self.scope.global_vars is not None and name in self.scope.global_vars:
            return self.scope.global_vars[name]
        raise UndefinedVariableError(name)

    def visit_BinOp(self, node: ast.BinOp) -> Any:
        fn = _BINOPS.get(type(node.op))
        if fn is None:
            raise NotImplementedError(f"operator {type(node.op).__name__} is not supported in expressions")
        return fn(self.visit(node.left), self.visit(node.right))

    def visit_UnaryOp(self, node: ast.UnaryOp) -> Any:
        value = self.visit(node.operand)
        if isinstance(node.op, ast.USub):
            return -value
        if isinstance(node.op, ast.UAdd):
            return value
        return _negate(value)  # Not, Invert

    def visit_BoolOp(self, node: ast.BoolOp) -> Any:
        fn = operator.and_ if isinstance(node.op, ast.And) else operator.or_
        values = [self.visit(v) for v in node.values]
        out = values[0]
        for v in values[1:]:
            out = fn(out, v)
        return out

    def visit_Compare(self, node: ast.Compare) -> Any:
        left = self.visit(node.left)
        result = None
        for op, right_node in zip(node.ops, node.comparators):
            right = self.visit(right_node)
            part = self._compare(op, left, right)
            result = part if result is None else result & part
            left = right
        return result

    def _compare(self, op: ast.cmpop, left: Any, right: Any) -> Any:
        if isinstance(op, (ast.In, ast.NotIn, ast.Eq, ast.NotEq)) and _is_listlike(right) \
                and not _is_listlike(left):
            if not hasattr(left, "isin"):
                found = left in right
                return found if isinstance(op, (ast.In, ast.Eq)) else not found
            found = left.isin(list(right))
            return found if isinstance(op, (ast.In, ast.Eq)) else ~found
        if isinstance(op, (ast.In, ast.NotIn)):
            if hasattr(right, "isin") and not hasattr(left, "isin"):
                raise NotImplementedError("'scalar in column' is not supported; write column == scalar")
            found = left.isin(right) if hasattr(left, "isin") else left in right
            return found if isinstance(op, ast.In) else _negate(found)
        fn = _COMPARE.get(type(op))
        if fn is None:
            raise NotImplementedError(f"comparison {type(op).__name__} is not supported in expressions")
        return fn(left, right)

    def visit_Attribute(self, node: ast.Attribute) -> Any:
        return getattr(self.visit(node.value), node.attr)

    def visit_Subscript(self, node: ast.Subscript) -> Any:
        return self.visit(node.value)[self.visit(node.slice)]

    def visit_Call(self, node: ast.Call) -> Any:
        args = [self.visit(a) for a in node.args]
        kwargs = {k.arg: self.visit(k.value) for k in node.keywords}
        func = node.func
        if isinstance(func, ast.Name) and not func.id.startswith(LOCAL_PREFIX) \
                and func.id not in self.assigned and func.id in UNARY_MATH + ("arctan2",):
            if kwargs:
                raise TypeError(f"{func.id}() takes no keyword arguments in expressions")
            if func.id == "arctan2":
                if len(args) != 2:
                    raise TypeError("arctan2() takes exactly 2 arguments")
                return self.scope.math("arctan2", tuple(args))
            if len(args) != 1:
                raise TypeError(f"{func.id}() takes exactly 1 argument ({len(args)} given)")
            return self.scope.math(func.id, args[0])
        target = self.visit(func)
        if not callable(target):
            raise TypeError(f"{ast.unparse(func)!r} is not callable")
        return target(*args, **kwargs)


def math_expr(name: str, value: Any) -> Any:
    """A numpy math function on an expression (a ``math`` node), or on a scalar."""
    if isinstance(value, tuple):  # arctan2
        if any(isinstance(v, Expr) for v in value):
            raise NotImplementedError("arctan2 of columns in expressions")
        return np.arctan2(*value)
    if isinstance(value, Expr):
        return Expr("math", (value,), (name,))
    return getattr(np, name)(value)
