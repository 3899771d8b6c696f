"""The op table: every primitive's name, forward rule and local partial derivatives.

Each :class:`Op` holds

* ``name``: the label used in ``Value.op`` and in drawn graphs (``"*"``, ``"sin"``, ...);
* ``forward(*floats) -> float``: the value, raising a clear error outside the domain;
* ``partials(*inputs, out) -> tuple``: one local derivative per input.

Partials are written with operators and the dispatching helpers below, so the same
rule works on floats (ordinary backward) and on Values (``create_graph=True``, which is
what makes higher-order derivatives work). The chain rule itself is written once, in
:mod:`autograd.engine`.

``domain`` keeps, next to each rule, the intervals per input on which the test suite
checks the partials against finite differences (away from kinks and domain edges).

>>> MUL.forward(3.0, 4.0), MUL.partials(3.0, 4.0, 12.0)
(12.0, (4.0, 3.0))
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Sequence
from typing import Any

__all__ = ["MANY", "OPS", "Op", "data_of"]

Interval = tuple[float, float]
Domain = tuple[tuple[Interval, ...], ...]

_ANY: tuple[Interval, ...] = ((-10.0, 10.0),)
_POS: tuple[Interval, ...] = ((0.05, 10.0),)
_NONZERO: tuple[Interval, ...] = ((-10.0, -0.1), (0.1, 10.0))


class _Many:
    """Marker in ``Value._b``: the op has three or more inputs, kept as a tuple in ``_a``."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "MANY"


MANY = _Many()


class Op:
    """One primitive operation: name, arity, forward on floats and local partials."""

    __slots__ = ("arity", "domain", "forward", "name", "partials")

    def __init__(
        self,
        name: str,
        forward: Callable[..., float],
        partials: Callable[..., Sequence[Any]],
        arity: int,
        domain: Domain = (),
    ) -> None:
        self.name = name
        self.forward = forward
        self.partials = partials
        self.arity = arity
        self.domain = domain

    def __repr__(self) -> str:
        return f"Op({self.name!r}, arity={self.arity})"


def data_of(x: Any) -> float:
    """The float behind ``x``: ``x.data`` for a Value, ``x`` itself for a number."""
    return x if x.__class__ is float else x.data


def _fmt(x: float) -> str:
    return repr(float(x))


# ---------------------------------------------------------------- stable scalar kernels
def _sigmoid_f(x: float) -> float:
    if x >= 0.0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)  # x < 0: exp(x) < 1, never overflows
    return e / (1.0 + e)


def _softplus_f(x: float) -> float:
    # log(1 + e^x) = max(x, 0) + log1p(e^-|x|): finite for every finite x
    return max(x, 0.0) + math.log1p(math.exp(-abs(x)))


def _exp_f(x: float) -> float:
    try:
        return math.exp(x)
    except OverflowError:
        raise OverflowError(f"exp: result too large for a float, got input {_fmt(x)}") from None


def _log_f(x: float) -> float:
    if not x > 0.0:
        if x != x:  # NaN propagates
            return x
        raise ValueError(f"log: input must be > 0, got {_fmt(x)}")
    return math.log(x)


def _sqrt_f(x: float) -> float:
    if x < 0.0:
        raise ValueError(f"sqrt: input must be >= 0, got {_fmt(x)}")
    return math.sqrt(x)


def _div_f(a: float, b: float) -> float:
    if b == 0.0:
        raise ZeroDivisionError(f"/: division by zero ({_fmt(a)} / {_fmt(b)})")
    return a / b


def _pow_f(a: float, b: float) -> float:
    if a == 0.0 and b < 0.0:
        raise ZeroDivisionError(f"**: 0.0 cannot be raised to a negative power ({_fmt(b)})")
    if a < 0.0 and b != b // 1 and math.isfinite(b):
        raise ValueError(f"**: negative base {_fmt(a)} with non-integer exponent {_fmt(b)}")
    try:
        return float(a**b)
    except OverflowError:
        raise OverflowError(f"**: result too large for a float ({_fmt(a)} ** {_fmt(b)})") from None


# ------------------------------------------- helpers that work on floats and on Values


def _sigmoid(x: Any) -> Any:
    return _sigmoid_f(x) if x.__class__ is float else x.sigmoid()


def _pow_partials(a: Any, b: Any, out: Any) -> tuple[Any, Any]:
    """d(a**b)/da = b a**(b-1) and d(a**b)/db = a**b log(a), with the edge cases
    decided: at a == 0 no division by zero (d/da is 0, 1 or inf; d/db is 0), and
    d/db is NaN for a negative base."""
    ad = a if a.__class__ is float else a.data
    if ad == 0.0:
        bd = b if b.__class__ is float else b.data
        if bd == 0.0 or bd > 1.0:
            return 0.0, 0.0
        return (1.0 if bd == 1.0 else math.inf), 0.0  # 0 < b < 1: infinite (documented)
    da = b * a ** (b - 1.0)
    if ad < 0.0:
        return da, math.nan
    return da, out * (math.log(a) if a.__class__ is float else a.log())


def _sqrt_d(x: Any, out: Any) -> tuple[Any]:
    return (0.5 / out,) if data_of(out) != 0.0 else (math.inf,)


# ------------------------------------------------------------------------- the table
ADD = Op("+", operator.add, lambda a, b, out: (1.0, 1.0), 2, (_ANY, _ANY))
SUB = Op("-", operator.sub, lambda a, b, out: (1.0, -1.0), 2, (_ANY, _ANY))
MUL = Op("*", operator.mul, lambda a, b, out: (b, a), 2, (_ANY, _ANY))
DIV = Op("/", _div_f, lambda a, b, out: (1.0 / b, -out / b), 2, (_ANY, _NONZERO))
POW = Op(
    "**",
    _pow_f,
    _pow_partials,
    2,
    (((0.1, 5.0),), ((-3.0, 3.0),)),
)
NEG = Op("neg", operator.neg, lambda a, out: (-1.0,), 1, (_ANY,))
SIN = Op(
    "sin",
    math.sin,
    lambda a, out: (math.cos(a) if a.__class__ is float else a.cos(),),
    1,
    (_ANY,),
)
COS = Op(
    "cos",
    math.cos,
    lambda a, out: (-math.sin(a) if a.__class__ is float else -a.sin(),),
    1,
    (_ANY,),
)
EXP = Op("exp", _exp_f, lambda a, out: (out,), 1, (_ANY,))
LOG = Op("log", _log_f, lambda a, out: (1.0 / a,), 1, (_POS,))
TANH = Op("tanh", math.tanh, lambda a, out: (1.0 - out * out,), 1, (_ANY,))
SIGMOID = Op("sigmoid", _sigmoid_f, lambda a, out: (out * (1.0 - out),), 1, (_ANY,))
RELU = Op(
    "relu",
    lambda a: a if a > 0.0 else 0.0,
    lambda a, out: (1.0 if data_of(a) > 0.0 else 0.0,),  # relu'(0) = 0
    1,
    (_NONZERO,),
)
ABS = Op(
    "abs",
    abs,
    lambda a, out: (1.0 if data_of(a) > 0.0 else (-1.0 if data_of(a) < 0.0 else 0.0),),
    1,
    (_NONZERO,),  # abs'(0) = 0
)
SQRT = Op("sqrt", _sqrt_f, _sqrt_d, 1, (_POS,))
SOFTPLUS = Op("softplus", _softplus_f, lambda a, out: (_sigmoid(a),), 1, (_ANY,))
IDENTITY = Op("id", lambda a: a, lambda a, out: (1.0,), 1, (_ANY,))

#: Every built-in primitive, by name.
OPS: dict[str, Op] = {
    op.name: op
    for op in (
        *(ADD, SUB, MUL, DIV, POW, NEG, SIN, COS, EXP, LOG, TANH, SIGMOID),
        *(RELU, ABS, SQRT, SOFTPLUS, IDENTITY),
    )
}
