"""Hypothesis strategies shared by the tests: op inputs and random expression graphs."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

from hypothesis import strategies as st

from autograd import Op

__all__ = ["central_diff", "evaluate", "expressions", "op_inputs"]


def _interval(lo: float, hi: float) -> st.SearchStrategy[float]:
    return st.floats(lo, hi, allow_nan=False, allow_infinity=False)


def op_inputs(op: Op) -> st.SearchStrategy[tuple[float, ...]]:
    """Inputs inside the op's test domain (kept next to the op in the op table)."""
    return st.tuples(*(st.one_of(*(_interval(lo, hi) for lo, hi in iv)) for iv in op.domain))


def central_diff(f: Callable[..., float], xs: Sequence[float], i: int, eps: float = 1e-6) -> float:
    """(f(x + eps e_i) - f(x - eps e_i)) / (2 eps)."""
    hi, lo = list(xs), list(xs)
    hi[i] += eps
    lo[i] -= eps
    return (f(*hi) - f(*lo)) / (2 * eps)


# ------------------------------------------------------------ random expression graphs
# An expression is a nested tuple: ("x", i) an input, ("c", v) a constant,
# (unary, e) or (binary, e1, e2). Identical subtrees evaluate to the same node, so
# repeated subtrees become shared subexpressions (fan-out) in the graph.
UNARY: dict[str, Callable[[Any], Any]] = {
    "sin": lambda a: a.sin() if hasattr(a, "sin") else math.sin(a),
    "cos": lambda a: a.cos() if hasattr(a, "cos") else math.cos(a),
    "tanh": lambda a: a.tanh() if hasattr(a, "tanh") else math.tanh(a),
    "sigmoid": lambda a: a.sigmoid() if hasattr(a, "sigmoid") else 1 / (1 + math.exp(-a)),
    "neg": lambda a: -a,
    "square": lambda a: a**2,
    "exp_tanh": lambda a: a.tanh().exp() if hasattr(a, "tanh") else math.exp(math.tanh(a)),
    "log1psq": lambda a: (a * a + 1.0).log() if hasattr(a, "log") else math.log(a * a + 1.0),
    "sqrt1psq": lambda a: (a * a + 1.0).sqrt() if hasattr(a, "sqrt") else math.sqrt(a * a + 1.0),
    "softplus": lambda a: a.softplus() if hasattr(a, "softplus") else math.log1p(math.exp(a)),
}
BINARY: dict[str, Callable[[Any, Any], Any]] = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "/": lambda a, b: a / (b * b + 1.0),
}


def expressions(n_inputs: int) -> st.SearchStrategy[Any]:
    """Random expression trees over ``n_inputs`` inputs, with repeated subtrees."""
    leaves = st.one_of(
        st.tuples(st.just("x"), st.integers(0, n_inputs - 1)),
        st.tuples(st.just("c"), st.sampled_from([0.5, 2.0, -1.5])),
    )

    def extend(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
        return st.one_of(
            st.tuples(st.sampled_from(sorted(UNARY)), children),
            st.tuples(st.sampled_from(sorted(BINARY)), children, children),
            # the same subtree twice: a shared subexpression
            children.flatmap(
                lambda c: st.tuples(st.sampled_from(sorted(BINARY)), st.just(c), st.just(c))
            ),
        )

    return st.recursive(leaves, extend, max_leaves=10)


def evaluate(expr: Any, inputs: Sequence[Any], cache: dict[Any, Any] | None = None) -> Any:
    """Evaluate an expression on floats or Values; equal subtrees share one node."""
    cache = {} if cache is None else cache
    if expr in cache:
        return cache[expr]
    kind = expr[0]
    if kind == "x":
        result = inputs[expr[1]]
    elif kind == "c":
        result = expr[1]
    elif kind in UNARY:
        result = UNARY[kind](evaluate(expr[1], inputs, cache))
    else:
        result = BINARY[kind](evaluate(expr[1], inputs, cache), evaluate(expr[2], inputs, cache))
    cache[expr] = result
    return result
