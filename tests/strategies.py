"""A thin import: the test strategies are public now, in :mod:`autograd.testing`.

Kept so that ``from .strategies import ...`` in older tests still works; new tests
import from ``autograd.testing`` directly.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from autograd.testing import Expression, expressions, graphs, special_floats, values
from autograd.testing import floats_in as op_inputs

__all__ = [
    "central_diff",
    "evaluate",
    "expressions",
    "graphs",
    "op_inputs",
    "special_floats",
    "values",
]


def evaluate(expr: Expression, inputs: Sequence[Any]) -> Any:
    """``expr.evaluate(inputs)`` (the old helper's name)."""
    return expr.evaluate(inputs)


def central_diff(f: Callable[..., float], xs: Sequence[float], i: int, eps: float = 1e-6) -> float:
    """(f(x + eps e_i) - f(x - eps e_i)) / (2 eps)."""
    hi, lo = list(xs), list(xs)
    hi[i] += eps
    lo[i] -= eps
    return (f(*hi) - f(*lo)) / (2 * eps)
