"""The op table: every primitive's name, forward rule and local partial derivatives.

Each :class:`Op` holds

* ``name``: the label used in ``Value.op`` and in drawn graphs (``"*"``, ``"sin"``, ...);
* ``forward(*floats) -> float``: the value, raising a clear error outside the domain;
* ``partials(*inputs, out) -> tuple``: one local derivative per input;
* code templates (optional, for :mod:`autograd.compiling`): ``fwd_code`` (the forward
  as a Python expression over ``{a}``, ``{b}``, ...), ``partial_code`` (one expression
  per input, over the inputs and ``{out}``), ``vjp_code`` (one expression per input for
  what flows back given the upstream ``{g}``, for ops with a ``vjp``) and ``code_when``
  (the templates apply only if it returns True for the inputs' constants, None for a
  variable input). They may call only the names in :data:`CODE_NAMES`. A template gives
  the same float as the rule wherever it does not raise (the test suite checks it);
  where it raises or gives inf or NaN, the compiled code falls back to the eager engine;
* ``vjp`` (optional, default None): ``vjp(g, need, *inputs, out) -> tuple``, what flows
  back to each input for the upstream gradient ``g``, for ops where computing it
  directly is more accurate or cheaper than ``partial * g`` (``/`` computes ``g / b``,
  not ``(1 / b) * g``, so ``(x / 1e-310) * 1e-310`` has gradient 1.0, not inf).
  ``need[i]`` is False for a constant input: its entry may be None and should not be
  computed (``**`` never computes ``log(a)`` for a constant exponent).

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

__all__ = ["CODE_NAMES", "MANY", "OPS", "Op", "data_of", "times"]

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

    __slots__ = (
        "arity",
        "batch_code",
        "code_when",
        "domain",
        "forward",
        "fwd_code",
        "name",
        "partial_code",
        "partials",
        "vjp",
        "vjp_code",
    )

    def __init__(
        self,
        name: str,
        forward: Callable[..., float],
        partials: Callable[..., Sequence[Any]],
        arity: int,
        domain: Domain = (),
        vjp: Callable[..., Sequence[Any]] | None = None,
        *,
        fwd_code: str | None = None,
        partial_code: tuple[str, ...] | None = None,
        vjp_code: tuple[str, ...] | None = None,
        code_when: Callable[[Sequence[float | None]], bool] | None = None,
    ) -> None:
        self.name = name
        self.forward = forward
        self.partials = partials
        self.arity = arity
        self.domain = domain
        self.vjp = vjp
        #: code templates for :mod:`autograd.compiling` (see :data:`CODE_NAMES`)
        self.fwd_code = fwd_code
        self.partial_code = partial_code
        self.vjp_code = vjp_code
        self.code_when = code_when
        #: array templates ``(forward, partials)`` where the float ones are conditionals
        #: (:mod:`autograd.batching`); they may use ``_where`` (``numpy.where``)
        self.batch_code: tuple[str, tuple[str, ...]] | None = None

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


def _odd(c: float) -> bool:
    return math.isfinite(c) and c % 2.0 == 1.0


def _pow_ieee_f(a: float, c: float) -> float:
    """``a ** c`` with IEEE results instead of exceptions (used inside derivatives only):
    ``0 ** -0.5`` is inf and an overflow is +-inf, as C's ``pow``."""
    try:
        r = a**c
    except ZeroDivisionError:  # 0.0 ** negative
        return -math.inf if (math.copysign(1.0, a) < 0.0 and _odd(c)) else math.inf
    except OverflowError:
        return -math.inf if (a < 0.0 and _odd(c)) else math.inf
    return r if r.__class__ is float else math.nan  # a complex result: negative ** fraction


def _sin_f(x: float, _sin: Callable[[float], float] = math.sin) -> float:
    return _sin(x) if x - x == 0.0 else math.nan  # sin(+-inf) is NaN (IEEE), not an error


def _cos_f(x: float, _cos: Callable[[float], float] = math.cos) -> float:
    return _cos(x) if x - x == 0.0 else math.nan


# ------------------------------------------- helpers that work on floats and on Values


def _sigmoid(x: Any) -> Any:
    return _sigmoid_f(x) if x.__class__ is float else x.sigmoid()


def times(d: Any, g: Any) -> Any:
    """One edge of the chain rule: the partial ``d`` times the upstream gradient ``g``.

    The rule (decided, as PyTorch): an exact zero factor contributes nothing, even
    times an infinite or NaN factor (``0 * inf`` is 0 here, not NaN). On Values
    (``create_graph``) no node is made for ``* 1.0`` and ``* -1.0`` becomes a negation,
    so gradient graphs stay lean. Returns the float 0.0 for "nothing flows".

    >>> times(0.0, math.inf), times(math.inf, 0.0), times(2.0, 3.0)
    (0.0, 0.0, 6.0)
    """
    if d.__class__ is float:
        if d == 1.0:
            return g
        if d == 0.0:
            return 0.0
        if g.__class__ is float:
            return d * g if g != 0.0 else 0.0
        if d == -1.0:
            return -g
        gd = g.data
        if gd == 0.0 and d - d != 0.0:  # 0 x inf or 0 x NaN
            return 0.0
        return g * d
    if g.__class__ is float:  # d is a Value
        if g == 0.0:
            return 0.0
        if g == 1.0:
            return d
        if g == -1.0:
            return -d
        if d.data == 0.0 and g - g != 0.0:
            return 0.0
        return d * g
    dd = d.data
    gd = g.data
    if (dd == 0.0 and gd - gd != 0.0) or (gd == 0.0 and dd - dd != 0.0):
        return 0.0
    return d * g


def _neg(x: Any) -> Any:
    return -x if x.__class__ is not float or x != 0.0 else 0.0


def _powd(a: Any, c: Any) -> Any:
    """``a ** c`` inside a derivative: IEEE on floats, a ``**`` node on Values that gives
    inf (not an error) for ``0 ** negative``, so a partial stays a function of its inputs
    at every point, 0 included (this is what keeps higher derivatives of ``x**3`` at 0)."""
    if a.__class__ is float and c.__class__ is float:
        return _pow_ieee_f(a, c)
    from .value import apply  # here: value imports this module

    return apply(_POW_D, a, c)


def _pow_d(a: Any, b: Any, out: Any, need_a: bool, need_b: bool) -> tuple[Any, Any]:
    """The two partials of ``a ** b``, each computed only if needed (None otherwise).

    d/da = b a**(b-1): 0.0 for b == 0, 1.0 for b == 1, 2a for b == 2 (exactly; these
    hold at every a), otherwise computed with IEEE pow: at a == 0 it is 0 for b > 1 and
    inf for 0 < b < 1, and still a function of ``a`` under create_graph (so the second
    derivative of x**2 at 0 is 2, and of x**1.5 at 0 is inf). d/db = a**b log(a) for
    a > 0, 0 at a == 0, NaN for a negative base. A NaN input gives NaN partials.
    """
    ad = a if a.__class__ is float else a.data
    bd = b if b.__class__ is float else b.data
    da = db = None
    if need_a:
        if b.__class__ is float and bd == 0.0:  # a**0 == 1 for every a
            da = 0.0
        elif b.__class__ is float and bd == 1.0:
            da = 1.0
        elif b.__class__ is float and bd == 2.0:
            da = 2.0 * a if a.__class__ is float else a * 2.0
        elif ad == 0.0 and bd == 0.0:  # a Value exponent at 0 ** 0: decided 0
            da = 0.0
        else:
            # times: at a Value b == 0 a**(b-1) may overflow to inf, and 0 x inf is 0
            # (d/da is 0 at b == 0, decided), not NaN
            d = _powd(a, b - 1.0)
            da = times(b, d) if bd == 0.0 else b * d
    if need_b:
        if ad > 0.0:
            db = out * (math.log(a) if a.__class__ is float else a.log())
        elif ad == 0.0 and bd == bd:
            db = 0.0  # 0 ** b is 0 for every b > 0 (decided at b == 0 too)
        else:
            db = math.nan  # negative base, or NaN
    return da, db


def _pow_partials(a: Any, b: Any, out: Any) -> tuple[Any, Any]:
    """d(a**b)/da and d(a**b)/db: see :func:`_pow_d`."""
    return _pow_d(a, b, out, True, True)


def _pow_vjp(g: Any, need: Sequence[bool], a: Any, b: Any, out: Any) -> tuple[Any, Any]:
    if b == 2.0 and not need[1] and a.__class__ is float and g.__class__ is float:
        return 2.0 * a * g if g != 0.0 else 0.0, None  # x**2 on floats: the hot case
    da, db = _pow_d(a, b, out, need[0], need[1])
    return (None if da is None else times(da, g)), (None if db is None else times(db, g))


def _div_partials(a: Any, b: Any, out: Any) -> tuple[Any, Any]:
    return 1.0 / b, -out / b


def _div_vjp(g: Any, need: Sequence[bool], a: Any, b: Any, out: Any) -> tuple[Any, Any]:
    """``g / b`` and ``-(g * out) / b``: dividing the upstream gradient (not multiplying it
    by ``1 / b``) keeps ``(x / 1e-310) * 1e-310`` at gradient 1.0 instead of inf."""
    if b.__class__ is float and b == 1.0:
        q = g
    elif b.__class__ is float and b == -1.0:
        q = -g
    else:
        q = g / b
    if not need[1]:
        return q, None
    # -(g * out) / b, in this order as torch: 0 / 5e-324 gets d/db -0.0 (not 0 * inf),
    # inf / inf gets NaN (its value is NaN), and no intermediate overflows needlessly
    if out.__class__ is float and g.__class__ is float and b.__class__ is float:
        return q, -(out * g) / b
    return q, _neg(times(out, g) / b)


def _relu_d(a: Any, out: Any) -> tuple[float]:
    x = data_of(a)
    return (1.0 if x > 0.0 else (0.0 if x <= 0.0 else math.nan),)  # relu'(0) = 0


def _abs_d(a: Any, out: Any) -> tuple[float]:
    x = data_of(a)
    return (1.0 if x > 0.0 else (-1.0 if x < 0.0 else (0.0 if x == 0.0 else math.nan)),)


def _sqrt_d(x: Any, out: Any) -> tuple[Any]:
    if data_of(out) != 0.0:
        return (0.5 / out,)
    if x.__class__ is float:
        return (math.copysign(math.inf, out),)  # IEEE 0.5 / sqrt(+-0.0): +-inf
    # inf, and still a function of x (create_graph); -inf at -0.0 as on floats
    return ((0.5 if math.copysign(1.0, data_of(out)) > 0.0 else -0.5) * _powd(x, -0.5),)


# the ``**`` used inside derivatives: IEEE results at 0 and on overflow (not in OPS)
_POW_D = Op("**", _pow_ieee_f, _pow_partials, 2, vjp=_pow_vjp)

# ------------------------------------------------------------------------- the table
ADD = Op("+", operator.add, lambda a, b, out: (1.0, 1.0), 2, (_ANY, _ANY))
SUB = Op("-", operator.sub, lambda a, b, out: (1.0, -1.0), 2, (_ANY, _ANY))
MUL = Op("*", operator.mul, lambda a, b, out: (b, a), 2, (_ANY, _ANY))
DIV = Op("/", _div_f, _div_partials, 2, (_ANY, _NONZERO), vjp=_div_vjp)
POW = Op(
    "**",
    _pow_f,
    _pow_partials,
    2,
    (((0.1, 5.0),), ((-3.0, 3.0),)),
    vjp=_pow_vjp,
)
NEG = Op("neg", operator.neg, lambda a, out: (-1.0,), 1, (_ANY,))
SIN = Op(
    "sin",
    _sin_f,
    lambda a, out: (
        (math.cos(a) if a - a == 0.0 else math.nan) if a.__class__ is float else a.cos(),
    ),
    1,
    (_ANY,),
)
COS = Op(
    "cos",
    _cos_f,
    lambda a, out: (
        (-math.sin(a) if a - a == 0.0 else math.nan) if a.__class__ is float else -a.sin(),
    ),
    1,
    (_ANY,),
)
EXP = Op("exp", _exp_f, lambda a, out: (out,), 1, (_ANY,))


def _log_vjp(g: Any, need: Sequence[bool], a: Any, out: Any) -> tuple[Any]:
    """``g / a``, not ``(1 / a) * g``: 1/a overflows to inf for a tiny ``a`` (below
    ~5.6e-309) where the product is finite (``softplus(log(x))'`` at 1e-310 is 1.0)."""
    return (g / a,)


LOG = Op("log", _log_f, lambda a, out: (1.0 / a,), 1, (_POS,), vjp=_log_vjp)
TANH = Op("tanh", math.tanh, lambda a, out: (1.0 - out * out,), 1, (_ANY,))
SIGMOID = Op("sigmoid", _sigmoid_f, lambda a, out: (out * (1.0 - out),), 1, (_ANY,))
RELU = Op(
    "relu",
    lambda a: 0.0 if a <= 0.0 else a,  # relu(NaN) is NaN (IEEE, as PyTorch)
    _relu_d,  # relu'(0) = 0; NaN at NaN
    1,
    (_NONZERO,),
)
ABS = Op(
    "abs",
    abs,
    _abs_d,
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
    # on Values: x / (x^2 + y^2) with both scaled by the constant r (the same function
    # of x and y, so higher derivatives are unchanged), so that x^2 + y^2 neither
    # underflows to 0 (tiny inputs) nor overflows to inf (huge inputs)
    xs, ys = x / r, y / r
    r2 = (xs * xs + ys * ys) * r
    return xs / r2, -ys / r2


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
LOG2 = Op(
    "log2",
    _log_like("log2", math.log2, 0.0),
    lambda a, out: (_INV_LN2 / a,),
    1,
    (_POS,),
    vjp=lambda g, need, a, out: ((g * _INV_LN2) / a,),  # divide g, as log's vjp
)
LOG10 = Op(
    "log10",
    _log_like("log10", math.log10, 0.0),
    lambda a, out: (_INV_LN10 / a,),
    1,
    (_POS,),
    vjp=lambda g, need, a, out: ((g * _INV_LN10) / a,),
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


# =========================================================================================
# Code templates (issue 11): the same rules as Python expressions, for the compiled path
# (:mod:`autograd.compiling`). ``{a}``, ``{b}`` are the inputs, ``{out}`` the op's value,
# ``{g}`` the upstream gradient. Each template computes the same floats, in the same
# order, as the rule above it; where the rule has a special case (an exact 0 or inf) the
# template may raise or give inf/NaN instead, and the compiled code then falls back to
# the eager engine for that call. Ops without templates are called through their rules.
# =========================================================================================


def _bounds_in_order(lo: float, hi: float) -> bool:
    """For clip's template: True, or ``ValueError`` for ``lo > hi`` (then the eager
    engine answers the call, with its own error). A NaN result could be swallowed
    further on (``nan ** 0.0`` is 1.0), an error can't."""
    if lo > hi:
        raise ValueError("clip: lo must be <= hi")
    return True


#: The only names a code template may call (bound in the generated code's namespace).
CODE_NAMES: dict[str, Any] = {
    "_sin": math.sin,
    "_cos": math.cos,
    "_exp": math.exp,
    "_log": math.log,
    "_tanh": math.tanh,
    "_sqrt": math.sqrt,
    "_atan": math.atan,
    "_tan": math.tan,
    "_sinh": math.sinh,
    "_cosh": math.cosh,
    "_expm1": math.expm1,
    "_pow": math.pow,
    "_asin": math.asin,
    "_acos": math.acos,
    "_atan2": math.atan2,
    "_hypot": math.hypot,
    "_log1p": math.log1p,
    "_log2": math.log2,
    "_log10": math.log10,
    "_erf": math.erf,
    "_erfc": math.erfc,
    "_sigmoid": _sigmoid_f,
    "_softplus": _softplus_f,
    "_bounds_in_order": _bounds_in_order,
    "_nan": math.nan,
    "_inf": math.inf,
}


def _set_code(
    op: Op,
    fwd: str,
    partials: tuple[str, ...],
    vjp: tuple[str, ...] | None = None,
    when: Callable[[Sequence[float | None]], bool] | None = None,
) -> None:
    op.fwd_code, op.partial_code, op.vjp_code, op.code_when = fwd, partials, vjp, when


def _integer_exponent(consts: Sequence[float | None]) -> bool:
    """``**`` is templated for a constant, finite, integer exponent only (``x ** 2``):
    then ``a ** b`` is never complex and d/db is never needed."""
    b = consts[1]
    return b is not None and math.isfinite(b) and b == b // 1.0


_set_code(ADD, "{a} + {b}", ("1.0", "1.0"))
_set_code(SUB, "{a} - {b}", ("1.0", "-1.0"))
_set_code(MUL, "{a} * {b}", ("{b}", "{a}"))
_set_code(DIV, "{a} / {b}", ("1.0 / {b}", "-{out} / {b}"), ("{g} / {b}", "-({out} * {g}) / {b}"))
_set_code(
    POW, "{a} ** {b}", ("{b} * {a} ** ({b} - 1.0)", "{out} * _log({a})"), when=_integer_exponent
)
_set_code(NEG, "-{a}", ("-1.0",))
_set_code(SIN, "_sin({a})", ("_cos({a})",))
_set_code(COS, "_cos({a})", ("-_sin({a})",))
_set_code(EXP, "_exp({a})", ("{out}",))
# the vjp divides g by a (as LOG's vjp): g * (1.0 / a) would differ in the last bit
_set_code(LOG, "_log({a})", ("1.0 / {a}",), ("{g} / {a}",))
_set_code(TANH, "_tanh({a})", ("1.0 - {out} * {out}",))
_set_code(SIGMOID, "_sigmoid({a})", ("{out} * (1.0 - {out})",))
_set_code(
    RELU, "(0.0 if {a} <= 0.0 else {a})", ("(1.0 if {a} > 0.0 else (0.0 if {a} <= 0.0 else _nan))",)
)
_set_code(
    ABS,
    "abs({a})",
    ("(1.0 if {a} > 0.0 else (-1.0 if {a} < 0.0 else (0.0 if {a} == 0.0 else _nan)))",),
)
_set_code(SQRT, "_sqrt({a})", ("0.5 / {out}",))
_set_code(SOFTPLUS, "_softplus({a})", ("_sigmoid({a})",))
_set_code(IDENTITY, "{a}", ("1.0",))
_set_code(ATAN, "_atan({a})", ("1.0 / (1.0 + {a} * {a})",))
_set_code(TAN, "_tan({a})", ("1.0 + {out} * {out}",))
_set_code(SINH, "_sinh({a})", ("_cosh({a})",))
_set_code(COSH, "_cosh({a})", ("_sinh({a})",))
_set_code(EXPM1, "_expm1({a})", ("_exp({a})",))
_set_code(EXP2, "_pow(2.0, {a})", (f"{{out}} * {_LN2!r}",))
_set_code(
    LEAKY_RELU,
    "({a} if {a} > 0.0 else {b} * {a})",
    ("(1.0 if {a} > 0.0 else {b})", "(0.0 if {a} > 0.0 else {a})"),
)
_set_code(
    MAXIMUM,
    "(_nan if {a} != {a} or {b} != {b} else ({b} if {a} < {b} else {a}))",
    (
        "(0.5 if {a} == {b} else (0.0 if {a} < {b} else 1.0))",
        "(0.5 if {a} == {b} else (0.0 if {a} > {b} else 1.0))",
    ),
)
_set_code(
    MINIMUM,
    "(_nan if {a} != {a} or {b} != {b} else ({b} if {a} > {b} else {a}))",
    (
        "(0.5 if {a} == {b} else (0.0 if {a} > {b} else 1.0))",
        "(0.5 if {a} == {b} else (0.0 if {a} < {b} else 1.0))",
    ),
)

# ------------------------------------------------------------ issue 8's ops (issue 11)
# asin, acos: the domain check is math's own (ValueError outside [-1, 1], NaN passes);
# at |x| = 1 the partial's (1 - x)(1 + x) is 0 and the template raises ZeroDivisionError
# where the rule gives +-inf: the eager engine answers
_set_code(ASIN, "_asin({a})", ("1.0 / _sqrt((1.0 - {a}) * (1.0 + {a}))",))
_set_code(ACOS, "_acos({a})", ("-1.0 / _sqrt((1.0 - {a}) * (1.0 + {a}))",))
# atan2(y, x): x / r / r and -y / r / r with r = hypot(x, y), as the rule on floats. At
# r == 0 the template raises (the rule: 0.0); at r == inf it gives NaN for an infinite
# input and +-0.0 for huge finite ones (the rule: 0.0, the same number)
_set_code(
    ATAN2,
    "_atan2({a}, {b})",
    (
        "{b} / _hypot({b}, {a}) / _hypot({b}, {a})",
        "-{a} / _hypot({b}, {a}) / _hypot({b}, {a})",
    ),
)
# log1p, log2, log10: math's domain errors are the rules' (x <= -1, x <= 0; NaN passes)
_set_code(LOG1P, "_log1p({a})", ("1.0 / (1.0 + {a})",))
_set_code(LOG2, "_log2({a})", (f"{_INV_LN2!r} / {{a}}",), (f"({{g}} * {_INV_LN2!r}) / {{a}}",))
_set_code(LOG10, "_log10({a})", (f"{_INV_LN10!r} / {{a}}",), (f"({{g}} * {_INV_LN10!r}) / {{a}}",))
# elu(x, alpha): the rule's two branches (alpha * expm1(x) at x <= 0 and at NaN)
_set_code(
    ELU,
    "({a} if {a} > 0.0 else {b} * _expm1({a}))",
    ("(1.0 if {a} > 0.0 else {b} * _exp({a}))", "(0.0 if {a} > 0.0 else _expm1({a}))"),
)
# gelu: 0.5 x erfc(-x / sqrt 2) and Phi(x) + x phi(x); at x = +-inf the templates give
# NaN (-inf * 0.0, inf * 0.0) where the rules give the limits: the eager engine answers
_set_code(
    GELU,
    f"0.5 * {{a}} * _erfc(-{{a}} * {_INV_SQRT2!r})",
    (
        f"0.5 * _erfc(-{{a}} * {_INV_SQRT2!r})"
        f" + {{a}} * {_INV_SQRT_2PI!r} * _exp(-0.5 * {{a}} * {{a}})",
    ),
)
# gelu_tanh: x s and s + x (s (1 - s)) 2 K0 (1 + 3 K1 x^2), s = sigmoid(2 K0 (x + K1 x^3)).
# Where s (1 - s) == 0 the rule returns s: the template gives s + x * 0.0 * ..., the same
# float, or NaN when x * x overflows (0.0 * inf); at x = +-inf it gives NaN
_GELU_S = f"_sigmoid(2.0 * {_GELU_K0!r} * ({{a}} + {_GELU_K1!r} * {{a}} * {{a}} * {{a}}))"
_set_code(
    GELU_TANH,
    f"{{a}} * {_GELU_S}",
    (
        f"{_GELU_S} + {{a}} * ({_GELU_S} * (1.0 - {_GELU_S})) * 2.0 * {_GELU_K0!r}"
        f" * (1.0 + 3.0 * {_GELU_K1!r} * {{a}} * {{a}})",
    ),
)
# silu: x sigmoid(x) and s + out (1 - s); at x = +-inf NaN (the rules: the limits)
_set_code(SILU, "{a} * _sigmoid({a})", ("_sigmoid({a}) + {out} * (1.0 - _sigmoid({a}))",))
_set_code(ERF, "_erf({a})", (f"{_TWO_OVER_SQRTPI!r} * _exp(-({{a}} * {{a}}))",))
# clip(x, lo, hi): lo > hi raises (the eager engine answers with its ValueError); a NaN
# bound gives NaN, as the rule; then the rule's branches
_set_code(
    CLIP,
    "(_bounds_in_order({b}, {c}) and "
    "(_nan if not {b} <= {c} else ({b} if {a} < {b} else ({c} if {a} > {c} else {a}))))",
    (
        "(1.0 if {b} <= {a} <= {c} else 0.0)",
        "(1.0 if {a} < {b} else 0.0)",
        "(1.0 if {a} > {c} else 0.0)",
    ),
)


# =========================================================================================
# Array templates (batched compiled code, :mod:`autograd.batching`): only for ops whose
# float templates above are Python conditionals, which arrays can't take. The same rule
# element by element, with ``_where(cond, then, else)`` (``numpy.where``) for ``if``;
# every other templated op's float template runs on arrays as it is.
# =========================================================================================

RELU.batch_code = (
    "_where({a} <= 0.0, 0.0, {a})",
    ("_where({a} > 0.0, 1.0, _where({a} <= 0.0, 0.0, _nan))",),
)
ABS.batch_code = (
    "abs({a})",
    ("_where({a} > 0.0, 1.0, _where({a} < 0.0, -1.0, _where({a} == 0.0, 0.0, _nan)))",),
)
LEAKY_RELU.batch_code = (
    "_where({a} > 0.0, {a}, {b} * {a})",
    ("_where({a} > 0.0, 1.0, {b})", "_where({a} > 0.0, 0.0, {a})"),
)
MAXIMUM.batch_code = (
    "_where(({a} != {a}) | ({b} != {b}), _nan, _where({a} < {b}, {b}, {a}))",
    (
        "_where({a} == {b}, 0.5, _where({a} < {b}, 0.0, 1.0))",
        "_where({a} == {b}, 0.5, _where({a} > {b}, 0.0, 1.0))",
    ),
)
MINIMUM.batch_code = (
    "_where(({a} != {a}) | ({b} != {b}), _nan, _where({a} > {b}, {b}, {a}))",
    (
        "_where({a} == {b}, 0.5, _where({a} > {b}, 0.0, 1.0))",
        "_where({a} == {b}, 0.5, _where({a} < {b}, 0.0, 1.0))",
    ),
)
ELU.batch_code = (
    "_where({a} > 0.0, {a}, {b} * _expm1({a}))",
    ("_where({a} > 0.0, 1.0, {b} * _exp({a}))", "_where({a} > 0.0, 0.0, _expm1({a}))"),
)
CLIP.batch_code = (
    "(_bounds_in_order({b}, {c}) and "
    "_where({b} <= {c}, _where({a} < {b}, {b}, _where({a} > {c}, {c}, {a})), _nan))",
    (
        "_where(({b} <= {a}) & ({a} <= {c}), 1.0, 0.0)",
        "_where({a} < {b}, 1.0, 0.0)",
        "_where({a} > {c}, 1.0, 0.0)",
    ),
)
