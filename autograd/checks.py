"""Finite-difference checking: compare backprop with central differences.

>>> from autograd import sin
>>> gradcheck(lambda x, y: sin(x) * y, [0.5, 2.0])
True
>>> gradcheck(lambda x: x.relu(), [0.0])  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
autograd.checks.GradcheckError: gradcheck: 1 of 1 partial derivatives disagree (...)
 input  value  analytic  numeric  difference
 x0     0      0         0.5      0.5         <-- mismatch
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

from .functional import value_and_grad
from .value import Value, as_float

__all__ = ["GradcheckError", "gradcheck", "numeric_grad"]


class GradcheckError(AssertionError):
    """Backprop and finite differences disagree; the message is a table of both."""


def _eval(f: Callable[..., Any], xs: Sequence[float]) -> float:
    out = f(*[Value(x) for x in xs])
    return out.data if isinstance(out, Value) else as_float(out, "gradcheck: f's result")


def numeric_grad(f: Callable[..., Any], inputs: Sequence[float], eps: float = 1e-6) -> list[float]:
    """Central differences ``(f(x+eps) - f(x-eps)) / (2 eps)`` for every input."""
    xs = [as_float(x, "gradcheck") for x in inputs]
    result = []
    for i in range(len(xs)):
        hi = list(xs)
        lo = list(xs)
        hi[i] += eps
        lo[i] -= eps
        result.append((_eval(f, hi) - _eval(f, lo)) / (2.0 * eps))
    return result


def _table(rows: list[list[str]]) -> str:
    widths = [max(len(r[c]) for r in rows) for c in range(len(rows[0]))]
    return "\n".join(
        " " + "  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)).rstrip()
        for r in rows
    )


def gradcheck(
    f: Callable[..., Any],
    inputs: Sequence[float],
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
) -> bool:
    """True if backprop agrees with central differences at ``inputs``; else raise.

    A partial passes when ``|analytic - numeric| <= atol + rtol * |numeric|``. On any
    mismatch :class:`GradcheckError` is raised with a table of every input's analytic
    and numeric derivative and their difference.
    """
    xs = [as_float(x, "gradcheck") for x in inputs]
    if not xs:
        raise ValueError("gradcheck: inputs must not be empty")
    if not eps > 0:
        raise ValueError(f"gradcheck: eps must be > 0, got {eps!r}")
    _, analytic = value_and_grad(f, tuple(range(len(xs))))(*xs)
    numeric = numeric_grad(f, xs, eps)
    rows = [["input", "value", "analytic", "numeric", "difference", ""]]
    bad = 0
    for i, (x, a, n) in enumerate(zip(xs, analytic, numeric, strict=True)):
        diff = abs(a - n)
        ok = diff <= atol + rtol * abs(n) or (math.isnan(a) and math.isnan(n))
        bad += not ok
        row = [f"x{i}", f"{x:.6g}", f"{a:.6g}", f"{n:.6g}", f"{diff:.3g}"]
        rows.append([*row, "" if ok else "<-- mismatch"])
    if bad:
        raise GradcheckError(
            f"gradcheck: {bad} of {len(xs)} partial derivatives disagree "
            f"(eps={eps}, atol={atol}, rtol={rtol})\n{_table(rows)}"
        )
    return True
