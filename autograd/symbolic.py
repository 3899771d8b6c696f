"""A graph as a formula: :func:`to_sympy` and :func:`to_latex` (needs the ``symbolic`` extra).

Each leaf becomes a SymPy symbol named by its label (unlabelled leaves get ``v0``,
``v1``, ... in the order the graph reaches them); constants inside ops stay numbers;
each op maps to the SymPy function of the same mathematics. Teachers use it to show a
graph's formula on a slide, and its symbolic gradient to check backprop.

>>> from autograd import Value
>>> x, y = Value(2.0, label="x"), Value(3.0, label="y")
>>> to_sympy((x * y + x.sin()) ** 2)
(x*y + sin(x))**2
>>> to_latex(x / y)
'\\\\frac{x}{y}'
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from typing import Any

from .engine import topo_order
from .value import Value

__all__ = ["symbols", "to_latex", "to_sympy"]


def _sympy() -> Any:
    try:
        import sympy
    except ImportError:
        raise ImportError(
            "to_sympy needs SymPy: pip install 'chaingrad[symbolic]' (or pip install sympy)"
        ) from None
    return sympy


def _rules(sp: Any) -> dict[str, Callable[..., Any]]:
    """Op name -> SymPy expression of its inputs (the mathematics of the op table)."""
    half = sp.Rational(1, 2)
    return {
        "+": lambda a, b: a + b,
        "-": lambda a, b: a - b,
        "*": lambda a, b: a * b,
        "/": lambda a, b: a / b,
        "**": lambda a, b: a**b,
        "neg": lambda a: -a,
        "id": lambda a: a,
        "sin": sp.sin,
        "cos": sp.cos,
        "tan": sp.tan,
        "exp": sp.exp,
        "log": sp.log,
        "sqrt": sp.sqrt,
        "abs": sp.Abs,
        "tanh": sp.tanh,
        "sinh": sp.sinh,
        "cosh": sp.cosh,
        "asin": sp.asin,
        "acos": sp.acos,
        "atan": sp.atan,
        "atan2": sp.atan2,
        "erf": sp.erf,
        "log1p": lambda a: sp.log(1 + a),
        "expm1": lambda a: sp.exp(a) - 1,
        "log2": lambda a: sp.log(a, 2),
        "log10": lambda a: sp.log(a, 10),
        "exp2": lambda a: 2**a,
        "sigmoid": lambda a: 1 / (1 + sp.exp(-a)),
        "softplus": lambda a: sp.log(1 + sp.exp(a)),
        "silu": lambda a: a / (1 + sp.exp(-a)),
        "gelu": lambda a: a * (1 + sp.erf(a / sp.sqrt(2))) * half,
        "gelu_tanh": lambda a: half * a * (1 + sp.tanh(sp.sqrt(2 / sp.pi) * (a + a**3 * 0.044715))),
        "relu": lambda a: sp.Max(a, 0),
        "leaky_relu": lambda a, slope: sp.Max(a, 0) + slope * sp.Min(a, 0),
        "elu": lambda a, alpha: sp.Piecewise((a, a > 0), (alpha * (sp.exp(a) - 1), True)),
        "clip": lambda a, lo, hi: sp.Min(sp.Max(a, lo), hi),
        "maximum": sp.Max,
        "minimum": sp.Min,
    }


def symbols(root: Value, variables: Iterable[Value] | None = None) -> dict[Value, Any]:
    """The SymPy symbol of every leaf of ``root``'s graph (or of each of ``variables``
    that the graph uses), keyed by the leaf."""
    sp = _sympy()
    chosen = None if variables is None else {id(v) for v in variables}
    result: dict[Value, Any] = {}
    unnamed = 0
    for v in topo_order(root):
        if v.is_leaf and (chosen is None or id(v) in chosen):
            name = v.label
            if not name:
                name = f"v{unnamed}"
                unnamed += 1
            result[v] = sp.Symbol(name, real=True)
    return result


def to_sympy(
    root: Value, *, variables: Iterable[Value] | None = None, exact_constants: bool = True
) -> Any:
    """``root``'s graph as a SymPy expression in its leaves' names.

    Constants inside ops become SymPy numbers; with ``exact_constants`` a float that is
    a short decimal (``2.3``, ``0.5``) becomes the exact rational SymPy prints as such.
    A leaf's symbol is its label; two leaves with the same label are a ValueError.
    ``variables`` keeps only those leaves as symbols: every other leaf becomes its
    number (e.g. the seeds of a ``create_graph`` gradient, or parameters held fixed).

    >>> from autograd import Value
    >>> w, b = Value(0.5, label="w"), Value(0.1, label="b")
    >>> to_sympy((w * 2.3 + b).tanh())
    tanh(b + 23*w/10)
    """
    if not isinstance(root, Value):
        raise TypeError(f"to_sympy: expected a Value, got {type(root).__name__}")
    sp = _sympy()
    rules = _rules(sp)
    leaves = symbols(root, variables)
    names: dict[str, Value] = {}
    for leaf, sym in leaves.items():
        other = names.setdefault(sym.name, leaf)
        if other is not leaf:
            raise ValueError(f"to_sympy: two different leaves are both labelled {sym.name!r}")

    def const(c: float) -> Any:
        if math.isfinite(c) and c == int(c):
            return sp.Integer(int(c))  # 2.0 -> 2 either way: (f - 2)**2, not (f - 2.0)**2.0
        return sp.nsimplify(c, rational=True) if exact_constants else sp.Float(c)

    exprs: dict[Value, Any] = dict(leaves)
    for v in topo_order(root):
        if v.is_leaf:
            if v not in exprs:
                exprs[v] = const(v.data)
            continue
        rule = rules.get(v.op)
        if rule is None:
            raise ValueError(f"to_sympy: no symbolic form for the op {v.op!r}")
        args = [exprs[i] if isinstance(i, Value) else const(i) for i in v.inputs]
        exprs[v] = rule(*args)
    return exprs[root]


def to_latex(root: Value, **options: Any) -> str:
    """LaTeX of ``root``'s formula (:func:`to_sympy`, then ``sympy.latex``), for slides."""
    sp = _sympy()
    latex: str = sp.latex(to_sympy(root), **options)
    return latex
