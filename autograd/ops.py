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


# =========================================================================================
# More primitives (issue 8): trigonometric and hyperbolic, log/exp variants, activations,
# minimum/maximum and clip. Same contract as above: forward on floats with errors that
# name the op and the value (NaN propagates, +-inf follow IEEE), partials that work on
# floats and on Values, and a test domain away from kinks and edges. Parameters
# (negative_slope, alpha, clip bounds) are ordinary inputs: a number stays a constant
# inside the op, as ``x * 1.1`` does; a Value gets its gradient too.
# =========================================================================================
_LN2 = math.log(2.0)
_INV_LN2 = 1.0 / _LN2
_INV_LN10 = 1.0 / math.log(10.0)
_INV_SQRT2 = 1.0 / math.sqrt(2.0)
_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)
_TWO_OVER_SQRTPI = 2.0 / math.sqrt(math.pi)
_GELU_K0 = math.sqrt(2.0 / math.pi)  # tanh approximation: tanh(K0 (x + K1 x^3))
_GELU_K1 = 0.044715


def _overflow(name: str, x: float) -> OverflowError:
    return OverflowError(f"{name}: result too large for a float, got input {_fmt(x)}")


def _inf_on_overflow(f: Callable[[float], float], odd: bool) -> Callable[[float], float]:
    """``f`` giving +-inf instead of raising OverflowError (partials follow IEEE)."""

    def g(x: float) -> float:
        try:
            return f(x)
        except OverflowError:
            return math.copysign(math.inf, x) if odd else math.inf

    return g


def _dispatch(f: Callable[[float], float], method: str) -> Callable[[Any], Any]:
    """``f(x)`` for a float, ``x.<method>()`` for a Value (partials work on both)."""

    def h(x: Any) -> Any:
        return f(x) if x.__class__ is float else getattr(x, method)()

    h.__name__ = f"_{method}_any"
    return h


_exp_any = _dispatch(_inf_on_overflow(math.exp, odd=False), "exp")
_expm1_any = _dispatch(math.expm1, "expm1")  # only called at x <= 0: no overflow
_sqrt_any = _dispatch(math.sqrt, "sqrt")
_sinh_any = _dispatch(_inf_on_overflow(math.sinh, odd=True), "sinh")
_cosh_any = _dispatch(_inf_on_overflow(math.cosh, odd=False), "cosh")


def _tan_f(x: float) -> float:
    return math.tan(x) if math.isfinite(x) else math.nan  # IEEE: tan(+-inf) is NaN


def _sinh_f(x: float) -> float:
    try:
        return math.sinh(x)
    except OverflowError:
        raise _overflow("sinh", x) from None


def _cosh_f(x: float) -> float:
    try:
        return math.cosh(x)
    except OverflowError:
        raise _overflow("cosh", x) from None


def _expm1_f(x: float) -> float:
    try:
        return math.expm1(x)
    except OverflowError:
        raise _overflow("expm1", x) from None


def _exp2_f(x: float) -> float:
    try:
        return math.pow(2.0, x)
    except OverflowError:
        raise _overflow("exp2", x) from None


def _unit_interval(name: str, f: Callable[[float], float]) -> Callable[[float], float]:
    def g(x: float) -> float:
        if not -1.0 <= x <= 1.0:
            if x != x:
                return x
            raise ValueError(f"{name}: input must be in [-1, 1], got {_fmt(x)}")
        return f(x)

    g.__name__ = f"_{name}_f"
    return g


def _log_like(name: str, f: Callable[[float], float], lower: float) -> Callable[[float], float]:
    def g(x: float) -> float:
        if not x > lower:
            if x != x:
                return x
            raise ValueError(f"{name}: input must be > {lower:g}, got {_fmt(x)}")
        return f(x)

    g.__name__ = f"_{name}_f"
    return g


def _asin_d(x: Any, out: Any) -> tuple[Any]:
    # 1/sqrt(1 - x^2), with (1-x)(1+x) against cancellation. At |x| = 1 it is +inf
    # (IEEE, as torch), written x*x*inf so that on Values the second derivative
    # 2x*inf is the right infinity too (asin'' = x (1-x^2)^(-3/2): +inf at 1, -inf at -1)
    xd = data_of(x)
    if xd == 1.0 or xd == -1.0:
        return (x * x * math.inf,)
    return (1.0 / _sqrt_any((1.0 - x) * (1.0 + x)),)


def _acos_d(x: Any, out: Any) -> tuple[Any]:
    # -asin'(x): -inf at |x| = 1, and acos'' = -asin'' (-inf at 1, +inf at -1)
    xd = data_of(x)
    if xd == 1.0 or xd == -1.0:
        return (x * x * -math.inf,)
    return (-1.0 / _sqrt_any((1.0 - x) * (1.0 + x)),)


def _atan2_partials(y: Any, x: Any, out: Any) -> tuple[Any, Any]:
    """d atan2(y, x)/dy = x / (x^2 + y^2), d/dx = -y / (x^2 + y^2).

    At (0, 0), where atan2 has no derivative, both are 0.0 as torch (which zeroes the
    infinite 1/(x^2 + y^2) there); so are the second partials (torch: NaN). With an
    infinite input both are 0.0, their limit (torch: NaN). On floats ``hypot`` keeps
    huge and tiny finite inputs from overflowing or underflowing.
    """
    yd, xd = data_of(y), data_of(x)
    if yd != yd or xd != xd:
        return math.nan, math.nan
    r = math.hypot(xd, yd)
    if r == 0.0 or r == math.inf:
        return 0.0, 0.0
    if y.__class__ is float and x.__class__ is float:
        return x / r / r, -y / r / r
    r2 = x * x + y * y
    return x / r2, -y / r2


def _leaky_relu_f(x: float, slope: float) -> float:
    return x if x > 0.0 else slope * x


def _leaky_relu_partials(x: Any, slope: Any, out: Any) -> tuple[Any, Any]:
    # leaky_relu'(0) = slope, as torch (x > 0 takes the identity branch only)
    return (1.0, 0.0) if data_of(x) > 0.0 else (slope, x)


def _elu_f(x: float, alpha: float) -> float:
    return x if x > 0.0 else alpha * math.expm1(x)  # expm1(x <= 0) never overflows


def _elu_partials(x: Any, alpha: Any, out: Any) -> tuple[Any, Any]:
    # elu'(0) = alpha (the left branch at 0, as torch)
    if data_of(x) > 0.0:
        return 1.0, 0.0
    return alpha * _exp_any(x), _expm1_any(x)


def _gelu_f(x: float) -> float:
    # x Phi(x) with Phi(x) = erfc(-x/sqrt 2)/2: no cancellation for negative x
    if x == -math.inf:
        return -0.0  # the limit (x Phi(x) -> 0); -inf * 0.0 would be NaN
    return 0.5 * x * math.erfc(-x * _INV_SQRT2)


def _limit_at_inf(xd: float) -> float:
    """An activation's derivative at +-inf or NaN: 1 at +inf, 0 at -inf, NaN for NaN."""
    return xd if xd != xd else (1.0 if xd > 0.0 else 0.0)


def _gelu_d(x: Any, out: Any) -> tuple[Any]:
    # Phi(x) + x phi(x); at +-inf its limit (1 or 0; torch gives NaN)
    xd = data_of(x)
    if not math.isfinite(xd):
        return (_limit_at_inf(xd),)
    if x.__class__ is float:
        return (0.5 * math.erfc(-x * _INV_SQRT2) + x * _INV_SQRT_2PI * math.exp(-0.5 * x * x),)
    return (0.5 + 0.5 * (x * _INV_SQRT2).erf() + x * _INV_SQRT_2PI * (-0.5 * x * x).exp(),)


def _gelu_tanh_f(x: float) -> float:
    # 0.5 x (1 + tanh(u)) = x sigmoid(2u), u = K0 (x + K1 x^3): no cancellation
    if x == -math.inf:
        return -0.0
    return x * _sigmoid_f(2.0 * _GELU_K0 * (x + _GELU_K1 * x * x * x))


def _gelu_tanh_d(x: Any, out: Any) -> tuple[Any]:
    # s + x s (1 - s) 2u' with s = sigmoid(2u), u' = K0 (1 + 3 K1 x^2)
    xd = data_of(x)
    if not math.isfinite(xd):
        return (_limit_at_inf(xd),)
    sd = _sigmoid_f(2.0 * _GELU_K0 * (xd + _GELU_K1 * xd * xd * xd))
    ss = sd * (1.0 - sd)
    if ss == 0.0:  # saturated: exactly 0 or 1 (and no 0 * inf for huge x)
        return (sd,)
    if x.__class__ is float:
        return (sd + x * ss * 2.0 * _GELU_K0 * (1.0 + 3.0 * _GELU_K1 * x * x),)
    s = (2.0 * _GELU_K0 * (x + _GELU_K1 * x * x * x)).sigmoid()
    return (s + x * s * (1.0 - s) * (2.0 * _GELU_K0) * (1.0 + 3.0 * _GELU_K1 * x * x),)


def _silu_f(x: float) -> float:
    if x == -math.inf:
        return -0.0  # the limit; -inf * 0.0 would be NaN
    return x * _sigmoid_f(x)


def _silu_d(x: Any, out: Any) -> tuple[Any]:
    # s + x s (1 - s) = s + out (1 - s), s = sigmoid(x); at +-inf its limit (1 or 0)
    xd = data_of(x)
    if not math.isfinite(xd):
        return (_limit_at_inf(xd),)
    s = _sigmoid(x)
    return (s + out * (1.0 - s),)


def _erf_d(x: Any, out: Any) -> tuple[Any]:
    return (_TWO_OVER_SQRTPI * _exp_any(-(x * x)),)


def _maximum_f(a: float, b: float) -> float:
    if a != a or b != b:
        return math.nan  # NaN propagates (torch.maximum, numpy.maximum)
    return b if a < b else a  # a tie (0.0 and -0.0 too) gives a, as torch


def _minimum_f(a: float, b: float) -> float:
    if a != a or b != b:
        return math.nan
    return b if a > b else a


def _maximum_partials(a: Any, b: Any, out: Any) -> tuple[float, float]:
    # The larger input gets 1, the other 0. At a tie each gets 0.5, as torch.maximum
    # (the average of the two one-sided choices, so maximum(x, x) has derivative 1).
    # With a NaN input both get 1, as torch's rule gives (the output is NaN anyway).
    ad, bd = data_of(a), data_of(b)
    if ad == bd:
        return 0.5, 0.5
    return (0.0 if ad < bd else 1.0), (0.0 if ad > bd else 1.0)


def _minimum_partials(a: Any, b: Any, out: Any) -> tuple[float, float]:
    # the smaller input gets 1, the other 0; a tie gives 0.5 each; NaN: 1 each (torch)
    ad, bd = data_of(a), data_of(b)
    if ad == bd:
        return 0.5, 0.5
    return (0.0 if ad > bd else 1.0), (0.0 if ad < bd else 1.0)


def _clip_f(x: float, lo: float, hi: float) -> float:
    if lo > hi:
        raise ValueError(f"clip: lo must be <= hi, got lo={_fmt(lo)}, hi={_fmt(hi)}")
    if lo != lo or hi != hi:
        return math.nan
    if x < lo:
        return lo
    if x > hi:
        return hi
    return x  # also NaN: NaN propagates


def _clip_partials(x: Any, lo: Any, hi: Any, out: Any) -> tuple[float, float, float]:
    # x gets 1 on the closed interval lo <= x <= hi (at a bound too, as torch.clamp)
    # and 0 outside; a bound gets 1 where it is the output strictly (x < lo, x > hi)
    xd, ld, hd = data_of(x), data_of(lo), data_of(hi)
    return (
        1.0 if ld <= xd <= hd else 0.0,
        1.0 if xd < ld else 0.0,
        1.0 if xd > hd else 0.0,
    )


_SMALL: tuple[Interval, ...] = ((-0.5, 0.5),)
_TAN: tuple[Interval, ...] = ((-1.3, 1.3), (1.85, 4.4))  # away from +-pi/2, 3pi/2
_FAR_FROM_SMALL: tuple[Interval, ...] = ((-10.0, -1.0), (1.0, 10.0))  # no ties with _SMALL

TAN = Op("tan", _tan_f, lambda a, out: (1.0 + out * out,), 1, (_TAN,))
SINH = Op("sinh", _sinh_f, lambda a, out: (_cosh_any(a),), 1, (_ANY,))
COSH = Op("cosh", _cosh_f, lambda a, out: (_sinh_any(a),), 1, (_ANY,))
ASIN = Op("asin", _unit_interval("asin", math.asin), _asin_d, 1, (((-0.95, 0.95),),))
ACOS = Op("acos", _unit_interval("acos", math.acos), _acos_d, 1, (((-0.95, 0.95),),))
ATAN = Op("atan", math.atan, lambda a, out: (1.0 / (1.0 + a * a),), 1, (_ANY,))
ATAN2 = Op("atan2", math.atan2, _atan2_partials, 2, (_NONZERO, _ANY))  # y, x; no branch cut
LOG1P = Op(
    "log1p",
    _log_like("log1p", math.log1p, -1.0),
    lambda a, out: (1.0 / (1.0 + a),),
    1,
    (((-0.95, 10.0),),),
)
EXPM1 = Op("expm1", _expm1_f, lambda a, out: (_exp_any(a),), 1, (_ANY,))
LOG2 = Op("log2", _log_like("log2", math.log2, 0.0), lambda a, out: (_INV_LN2 / a,), 1, (_POS,))
LOG10 = Op(
    "log10", _log_like("log10", math.log10, 0.0), lambda a, out: (_INV_LN10 / a,), 1, (_POS,)
)
EXP2 = Op("exp2", _exp2_f, lambda a, out: (out * _LN2,), 1, (_ANY,))
LEAKY_RELU = Op("leaky_relu", _leaky_relu_f, _leaky_relu_partials, 2, (_NONZERO, _SMALL))
ELU = Op("elu", _elu_f, _elu_partials, 2, (_NONZERO, ((0.1, 3.0),)))
GELU = Op("gelu", _gelu_f, _gelu_d, 1, (_ANY,))
GELU_TANH = Op("gelu_tanh", _gelu_tanh_f, _gelu_tanh_d, 1, (_ANY,))
SILU = Op("silu", _silu_f, _silu_d, 1, (_ANY,))
ERF = Op("erf", math.erf, _erf_d, 1, (_ANY,))
MAXIMUM = Op("maximum", _maximum_f, _maximum_partials, 2, (_FAR_FROM_SMALL, _SMALL))
MINIMUM = Op("minimum", _minimum_f, _minimum_partials, 2, (_FAR_FROM_SMALL, _SMALL))
CLIP = Op(
    "clip",
    _clip_f,
    _clip_partials,
    3,
    (((-10.0, -2.5), (-1.5, 1.5), (2.5, 10.0)), ((-2.2, -1.8),), ((1.8, 2.2),)),
)

OPS.update(
    (op.name, op)
    for op in (
        *(TAN, SINH, COSH, ASIN, ACOS, ATAN, ATAN2, LOG1P, EXPM1, LOG2, LOG10, EXP2),
        *(LEAKY_RELU, ELU, GELU, GELU_TANH, SILU, ERF, MAXIMUM, MINIMUM, CLIP),
    )
)
