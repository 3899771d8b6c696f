"""Safe arithmetic expressions for ``chaingrad graph``: parsed with :mod:`ast`, never eval'd.

Allowed: numbers, the constants ``pi`` and ``e``, variable names, ``+ - * / **``, unary
minus and plus, parentheses, and calls of the functions in :data:`FUNCTIONS` (most take
one argument; ``atan2 maximum minimum`` two, ``leaky_relu elu`` one or two, ``clip``
three; ``gelu_tanh(x)`` is ``gelu(x, approximate="tanh")``).
Anything else is an :class:`ExpressionError` that names the problem (and the column).

>>> v = build_graph("(x + y)**2", {"x": 1.0, "y": 2.0})
>>> v.root.data, [leaf.label for leaf in v.variables.values()]
(9.0, ['x', 'y'])
"""

from __future__ import annotations

import ast
import math
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from . import ops as _ops
from . import value as _value
from .ops import Op
from .value import Value, apply

__all__ = [
    "ARGUMENTS",
    "CONSTANTS",
    "FUNCTIONS",
    "BuiltGraph",
    "ExpressionError",
    "build_graph",
    "parse",
    "parse_at",
]

FUNCTIONS: dict[str, Callable[..., Any]] = {
    name: getattr(_value, name)
    for name in (
        *("sin", "cos", "exp", "log", "tanh", "sigmoid", "relu", "abs", "sqrt", "softplus"),
        *("tan", "sinh", "cosh", "asin", "acos", "atan", "atan2", "log1p", "expm1", "log2"),
        *("log10", "exp2", "leaky_relu", "elu", "gelu", "silu", "erf", "maximum", "minimum"),
        "clip",
    )
}
FUNCTIONS["gelu_tanh"] = lambda x: _value.gelu(x, approximate="tanh")
#: how many arguments a function takes (fewest, most), where not exactly one
ARGUMENTS: dict[str, tuple[int, int]] = {
    **dict.fromkeys(("atan2", "maximum", "minimum"), (2, 2)),
    **dict.fromkeys(("leaky_relu", "elu"), (1, 2)),
    "clip": (3, 3),
}
#: named constants
CONSTANTS: dict[str, float] = {"pi": math.pi, "e": math.e}
_BINARY: dict[type[ast.operator], Op] = {
    ast.Add: _ops.ADD,
    ast.Sub: _ops.SUB,
    ast.Mult: _ops.MUL,
    ast.Div: _ops.DIV,
    ast.Pow: _ops.POW,
}
_DESCRIBE = {
    ast.Attribute: "attribute access",
    ast.Subscript: "subscripts",
    ast.Lambda: "lambdas",
    ast.ListComp: "comprehensions",
    ast.SetComp: "comprehensions",
    ast.DictComp: "comprehensions",
    ast.GeneratorExp: "comprehensions",
    ast.Compare: "comparisons",
    ast.BoolOp: "boolean operators",
    ast.IfExp: "conditional expressions",
    ast.List: "lists",
    ast.Tuple: "tuples",
    ast.Dict: "dicts",
    ast.Set: "sets",
    ast.JoinedStr: "strings",
    ast.NamedExpr: "assignments",
    ast.Starred: "starred arguments",
    ast.Await: "await",
}
MAX_LENGTH = 10_000
MINUS_SIGN = "\u2212"  # U+2212, what word processors and PDFs give for "-": read as "-"
_JUXTAPOSED = re.compile(r"(?<![\w.])(\d[\d_]*(?:\.\d*)?)([^\W\d]\w*)")
_RANGE_HINT = "the largest float is about 1.8e308"


class ExpressionError(ValueError):
    """An expression or ``--at`` value that is not allowed; says what and where."""


def _where(node: ast.AST) -> str:
    col = getattr(node, "col_offset", None)
    return f" at column {col + 1}" if col is not None else ""


def _reject(node: ast.AST, what: str) -> ExpressionError:
    return ExpressionError(f"not allowed: {what}{_where(node)}")


def parse(text: str) -> ast.expr:
    """Parse and check ``text``; return the expression's AST (nothing is evaluated).

    A Unicode minus sign (U+2212) reads as ``-``; names are NFKC-normalized (as Python
    itself reads them), so fullwidth ``\\uff58`` and ``x`` are the same variable.

    >>> ast.unparse(parse("\u2212\uff58**2"))
    '-x ** 2'
    """
    if len(text) > MAX_LENGTH:
        raise ExpressionError(f"expression too long ({len(text)} characters, max {MAX_LENGTH})")
    source = text.strip().replace(MINUS_SIGN, "-")
    if not source:
        raise ExpressionError("empty expression")
    try:
        tree = ast.parse(source, mode="eval")
    except SyntaxError as exc:
        col = f" at column {exc.offset}" if exc.offset else ""
        juxtaposed = _JUXTAPOSED.search(source)
        if juxtaposed:
            number, name = juxtaposed.groups()
            raise ExpressionError(f"syntax error{col}: did you mean {number}*{name}?") from None
        raise ExpressionError(f"syntax error{col}: {exc.msg}") from None
    except (RecursionError, MemoryError):
        raise ExpressionError("expression too deeply nested") from None
    _check(tree.body, source)
    return tree.body


def _check_number(node: ast.Constant, source: str) -> None:
    """A numeric literal must be a finite float: ``1e999`` is refused, not read as inf."""
    assert isinstance(node.value, int | float)  # the caller checked
    try:
        finite = math.isfinite(float(node.value))
    except OverflowError:
        finite = False
    if not finite:
        text = ast.get_source_segment(source, node) or repr(node.value)
        if len(text) > 40:
            text = f"{text[:20]}...{text[-10:]} ({len(text)} characters)"
        raise ExpressionError(f"number {text}{_where(node)} is out of range ({_RANGE_HINT})")


def _check(root: ast.expr, source: str = "") -> None:
    stack: list[ast.AST] = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Constant):
            if isinstance(node.value, bool) or not isinstance(node.value, int | float):
                kind = "strings" if isinstance(node.value, str | bytes) else "constants like this"
                raise _reject(node, kind)
            _check_number(node, source)
        elif isinstance(node, ast.Name):
            if node.id.startswith("__"):
                raise ExpressionError(f"name {node.id!r} is not allowed{_where(node)}")
        elif isinstance(node, ast.BinOp):
            if isinstance(node.op, ast.BitXor):
                # the text as typed with ** for ^: "-x^2" -> "-x**2", which is what was meant
                typed = ast.get_source_segment(source, node) or ast.unparse(node)
                raise ExpressionError(f"^ is not a power in Python: use {typed.replace('^', '**')}")
            if type(node.op) not in _BINARY:
                raise ExpressionError(
                    f"operator {type(node.op).__name__} is not allowed{_where(node)}; "
                    "use + - * / **"
                )
            stack += [node.left, node.right]
        elif isinstance(node, ast.UnaryOp):
            if not isinstance(node.op, ast.USub | ast.UAdd):
                raise ExpressionError(f"operator {type(node.op).__name__} is not allowed")
            stack.append(node.operand)
        elif isinstance(node, ast.Call):
            func = node.func
            if not isinstance(func, ast.Name):
                raise _reject(func, _DESCRIBE.get(type(func), "calls of expressions"))
            if func.id not in FUNCTIONS:
                raise ExpressionError(
                    f"unknown function {func.id!r}{_where(func)}; allowed: {', '.join(FUNCTIONS)}"
                )
            if node.keywords:
                hint = "gelu_tanh(x) is the tanh form" if func.id == "gelu" else "pass by position"
                raise ExpressionError(
                    f"{func.id}() takes no keyword arguments{_where(node)}; {hint}"
                )
            fewest, most = ARGUMENTS.get(func.id, (1, 1))
            if not fewest <= len(node.args) <= most:
                if most == 1:
                    takes = "exactly one argument"
                elif fewest == most:
                    takes = f"exactly {fewest} arguments"
                else:
                    takes = f"{fewest} or {most} arguments"
                raise ExpressionError(f"{func.id}() takes {takes}{_where(node)}")
            stack.extend(node.args)
        else:
            raise _reject(node, _DESCRIBE.get(type(node), f"{type(node).__name__} expressions"))


def parse_at(text: str) -> dict[str, float]:
    """Parse ``--at`` text like ``x=1.5,y=2`` into ``{"x": 1.5, "y": 2.0}``.

    Names are NFKC-normalized as Python normalizes the expression's names (fullwidth
    ``\\uff58`` is ``x``); a Unicode minus sign (U+2212) is a minus; a number must be finite.

    >>> parse_at("x=1.5, \uff59=\u22122")
    {'x': 1.5, 'y': -2.0}
    """
    values: dict[str, float] = {}
    spelled: dict[str, str] = {}
    if not text.strip():
        raise ExpressionError("--at is empty; give values like x=1.5,y=2")
    for item in text.split(","):
        given, sep, number = item.partition("=")
        given, number = given.strip(), number.strip().replace(MINUS_SIGN, "-")
        if not sep or not given or not number:
            raise ExpressionError(f"malformed --at item {item.strip()!r}; expected name=number")
        name = unicodedata.normalize("NFKC", given)
        if not name.isidentifier() or name.startswith("__"):
            raise ExpressionError(f"--at: {given!r} is not a variable name")
        if name in FUNCTIONS:
            raise ExpressionError(f"--at: {given!r} is a function name, not a variable")
        if name in CONSTANTS:
            raise ExpressionError(
                f"--at: {given!r} is a constant ({CONSTANTS[name]!r}), not a variable"
            )
        if name in values:
            same = "" if spelled[name] == given else f" (as {spelled[name]!r}: the same name)"
            raise ExpressionError(f"--at: {given!r} is given twice{same}")
        try:
            value = float(number)
        except ValueError:
            raise ExpressionError(f"--at: {given}={number!r} is not a number") from None
        if math.isnan(value) or (math.isinf(value) and "inf" in number.lower()):
            raise ExpressionError(f"--at: {given}={number} is not a finite number")
        if math.isinf(value):
            raise ExpressionError(f"--at: {given}={number} is out of range ({_RANGE_HINT})")
        values[name] = value
        spelled[name] = given
    return values


@dataclass
class BuiltGraph:
    """The result of :func:`build_graph`: the root and one leaf per variable."""

    root: Value
    variables: dict[str, Value]


def _evaluate(node: ast.expr, leaves: dict[str, Value]) -> Any:
    """Evaluate a checked AST. Recursion depth is bounded by the parser's own limit."""
    if isinstance(node, ast.Constant):
        assert isinstance(node.value, int | float)  # _check allows nothing else
        try:
            return float(node.value)
        except OverflowError:
            raise ExpressionError(f"number too large{_where(node)}") from None
    if isinstance(node, ast.Name):
        if node.id in CONSTANTS:
            return CONSTANTS[node.id]
        if node.id in FUNCTIONS:
            raise ExpressionError(f"{node.id!r} is a function; call it as {node.id}(...)")
        if node.id not in leaves:
            raise ExpressionError(f"variable {node.id!r} has no value; add it to --at")
        return leaves[node.id]
    if isinstance(node, ast.BinOp):
        op = _BINARY[type(node.op)]
        left = _evaluate(node.left, leaves)
        right = _evaluate(node.right, leaves)
        if isinstance(left, float) and isinstance(right, float):
            return op.forward(left, right)  # two constants: the engine's checks, no node
        return apply(op, left, right)
    if isinstance(node, ast.UnaryOp):
        operand = _evaluate(node.operand, leaves)
        if isinstance(node.op, ast.UAdd):
            return operand
        return _ops.NEG.forward(operand) if isinstance(operand, float) else apply(_ops.NEG, operand)
    if isinstance(node, ast.Call):
        assert isinstance(node.func, ast.Name)
        return FUNCTIONS[node.func.id](*[_evaluate(arg, leaves) for arg in node.args])
    raise _reject(node, type(node).__name__)  # pragma: no cover - _check rejects first


def build_graph(text: str, at: dict[str, float]) -> BuiltGraph:
    """Parse ``text``, make one leaf per variable (values from ``at``) and build the graph.

    ``variables`` lists the expression's variables in the order they first appear in
    the text, then any others given in ``at`` (gradient 0).

    Raises :class:`ExpressionError` for a disallowed expression or missing variable,
    and the engine's own ValueError / ZeroDivisionError / OverflowError (naming the op
    and value) for a computation it refuses.
    """
    tree = parse(text)
    functions = {id(n.func) for n in ast.walk(tree) if isinstance(n, ast.Call)}
    names = sorted(
        (n for n in ast.walk(tree) if isinstance(n, ast.Name) and id(n) not in functions),
        key=lambda n: (n.lineno, n.col_offset),
    )  # in the order they appear in the text
    variables: dict[str, Value] = {}
    for node in names:
        if node.id in FUNCTIONS or node.id in CONSTANTS:
            continue
        if node.id not in at:
            raise ExpressionError(f"variable {node.id!r} has no value; add it to --at")
        variables.setdefault(node.id, Value(at[node.id], label=node.id))
    for name, number in at.items():  # given but unused: gradient 0
        variables.setdefault(name, Value(number, label=name))
    try:
        root = _evaluate(tree, variables)
    except RecursionError:
        raise ExpressionError("expression too deeply nested") from None
    if not isinstance(root, Value):
        raise ExpressionError("the expression uses no variables: there is nothing to differentiate")
    return BuiltGraph(root, variables)
