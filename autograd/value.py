"""Value: one scalar node of a computation graph, and the functions that build nodes.

A Value holds ``data`` (a float), ``grad`` (a float, or a Value after
``backward(create_graph=True)``), a ``label``, the op that made it and its inputs.
Every operator and method goes through :func:`apply`, which looks the op up in
:mod:`autograd.ops`; a Python number mixed with a Value stays a constant inside the
op (``x * 1.1`` is one ``*`` node whose second input is the float ``1.1``).

>>> x = Value(2.0, label="x")
>>> y = x * x + 3
>>> y.backward()
>>> y.data, x.grad
(7.0, 4.0)
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Sequence
from typing import Any, ClassVar, TypeAlias

from . import ops as _ops
from .engine import backward as _backward
from .engine import run_plain as _run_plain
from .ops import MANY, Op

__all__ = [
    "Value",
    "abs",
    "acos",
    "apply",
    "asin",
    "atan",
    "atan2",
    "clip",
    "cos",
    "cosh",
    "defop",
    "elu",
    "erf",
    "exp",
    "exp2",
    "expm1",
    "gelu",
    "leaky_relu",
    "log",
    "log1p",
    "log2",
    "log10",
    "maximum",
    "minimum",
    "relu",
    "sigmoid",
    "silu",
    "sin",
    "sinh",
    "softplus",
    "sqrt",
    "tan",
    "tanh",
    "zero_grad",
]

Number: TypeAlias = int | float
Operand: TypeAlias = "Value | int | float"


def _real(x: Any, where: str = "Value") -> float | None:
    """``x`` as a float if it is a real number (not a bool), else None.

    An int too large for a float raises OverflowError naming ``where``."""
    if x.__class__ is float:
        return x
    if x.__class__ is not int and (isinstance(x, bool) or not isinstance(x, numbers.Real)):
        return None  # (an exact int skips the slow ABC check: sum() starts with 0)
    try:
        return float(x)
    except OverflowError:
        raise OverflowError(f"{where}: {_short(x)} is too large for a float") from None


def _short(x: Any) -> str:
    """A readable form of a huge number (its digits can be too many to print)."""
    if isinstance(x, int):
        digits = int((x if x >= 0 else -x).bit_length() * 0.30103) + 1
        return f"{'a negative' if x < 0 else 'an'} int of about {digits} digits (~10**{digits - 1})"
    return type(x).__name__


_CONVERSION_HINT = (
    "a Value does not convert to a number implicitly (that would cut the graph): "
    "use autograd.sin(x) or x.sin() to stay in the graph; x.data (or x.item()) for the number"
)


def _cmp_operand(x: Any) -> float | None:
    if isinstance(x, Value):
        return x.data
    return _real(x)


def as_float(x: Any, where: str = "Value") -> float:
    """``x`` as a float, or a TypeError that names ``where`` and the type of ``x``."""
    f = _real(x, where)
    if f is None:
        raise TypeError(
            f"{where}: expected a real number (int or float), got {type(x).__name__}: {x!r}"
        )
    return f


class Value:
    """A scalar in a computation graph.

    >>> a = Value(3, label="a")
    >>> a
    Value(data=3.0, grad=0.0, label='a')
    >>> (a.sin() * 2 + a).item() == 2 * __import__("math").sin(3) + 3
    True
    """

    __slots__ = ("_a", "_b", "_n", "_op", "data", "grad", "label")

    data: float
    grad: Any
    label: str
    _op: Op | None
    _a: Any
    _b: Any
    _n: int  # consumers not yet processed, during a backward pass only (else 0)

    def __init__(self, data: Number, label: str = "") -> None:
        self.data = data if data.__class__ is float else as_float(data)
        if label.__class__ is not str:
            raise TypeError(f"Value: label must be a str, got {type(label).__name__}")
        self.grad = 0.0
        self.label = label
        self._op = None
        self._a = None
        self._b = None
        self._n = 0

    # ----------------------------------------------------------------- graph structure
    @property
    def op(self) -> str:
        """The name of the op that produced this Value (``""`` for a leaf)."""
        return "" if self._op is None else self._op.name

    @property
    def parents(self) -> tuple[Value, ...]:
        """The Values this one was computed from, in argument order."""
        return tuple(p for p in self.inputs if p.__class__ is Value)

    @property
    def inputs(self) -> tuple[Any, ...]:
        """All inputs of the op in argument order: Values and constant floats."""
        b = self._b
        if self._op is None:
            return ()
        if b is MANY:
            return tuple(self._a)
        if b is None:
            return (self._a,)
        return (self._a, b)

    @property
    def is_leaf(self) -> bool:
        """True for a Value that no op produced (an input or a parameter)."""
        return self._op is None

    def item(self) -> float:
        """The number held by this Value (``self.data``), as in PyTorch's ``Tensor.item``."""
        return self.data

    def detach(self) -> Value:
        """A new leaf with the same data (and label), cut from this Value's graph."""
        return Value(self.data, label=self.label)

    def __repr__(self) -> str:
        grad = self.grad
        label = f", label={self.label!r}" if self.label else ""
        return f"Value(data={self.data!r}, grad={grad!r}{label})"

    # A Value never turns into a number implicitly: ``math.sin(x)`` or ``float(x)`` would
    # silently cut the graph. ``x.data`` / ``x.item()`` is the explicit way.
    def _no_conversion(self, *args: Any) -> Any:
        raise TypeError(_CONVERSION_HINT)

    __float__ = __int__ = __index__ = __complex__ = _no_conversion
    __round__ = __trunc__ = __floor__ = __ceil__ = _no_conversion

    def __bool__(self) -> bool:
        raise TypeError(
            "a Value has no truth value: compare its number explicitly, e.g. "
            "`if x.data > 0:` (or `x.item()`)"
        )

    # Ordering compares the numbers and gives a plain bool (not differentiable, as in
    # PyTorch), so max(values), sorted(values) and `if loss < best:` work. ``==`` stays
    # identity: Values are graph nodes, kept in sets and dicts by identity.
    def __lt__(self, other: Any) -> bool:
        o = _cmp_operand(other)
        return NotImplemented if o is None else self.data < o

    def __le__(self, other: Any) -> bool:
        o = _cmp_operand(other)
        return NotImplemented if o is None else self.data <= o

    def __gt__(self, other: Any) -> bool:
        o = _cmp_operand(other)
        return NotImplemented if o is None else self.data > o

    def __ge__(self, other: Any) -> bool:
        o = _cmp_operand(other)
        return NotImplemented if o is None else self.data >= o

    __eq__ = object.__eq__
    __hash__ = object.__hash__

    # ----------------------------------------------------------------------- operators
    # (each generated from its op-table entry below the class: see _binary and _unary)
    __add__: ClassVar[Callable[[Value, Operand], Value]]
    __radd__: ClassVar[Callable[[Value, Operand], Value]]
    __sub__: ClassVar[Callable[[Value, Operand], Value]]
    __rsub__: ClassVar[Callable[[Value, Operand], Value]]
    __mul__: ClassVar[Callable[[Value, Operand], Value]]
    __rmul__: ClassVar[Callable[[Value, Operand], Value]]
    __truediv__: ClassVar[Callable[[Value, Operand], Value]]
    __rtruediv__: ClassVar[Callable[[Value, Operand], Value]]
    __pow__: ClassVar[Callable[[Value, Operand], Value]]
    __rpow__: ClassVar[Callable[[Value, Operand], Value]]
    __neg__: ClassVar[Callable[[Value], Value]]
    __abs__: ClassVar[Callable[[Value], Value]]
    sin: ClassVar[Callable[[Value], Value]]
    cos: ClassVar[Callable[[Value], Value]]
    exp: ClassVar[Callable[[Value], Value]]
    log: ClassVar[Callable[[Value], Value]]
    tanh: ClassVar[Callable[[Value], Value]]
    sigmoid: ClassVar[Callable[[Value], Value]]
    relu: ClassVar[Callable[[Value], Value]]
    abs: ClassVar[Callable[[Value], Value]]
    sqrt: ClassVar[Callable[[Value], Value]]
    softplus: ClassVar[Callable[[Value], Value]]
    # issue 8's primitives (registered below the class, with the module functions)
    tan: ClassVar[Callable[[Value], Value]]
    sinh: ClassVar[Callable[[Value], Value]]
    cosh: ClassVar[Callable[[Value], Value]]
    asin: ClassVar[Callable[[Value], Value]]
    acos: ClassVar[Callable[[Value], Value]]
    atan: ClassVar[Callable[[Value], Value]]
    atan2: ClassVar[Callable[[Value, Operand], Value]]
    log1p: ClassVar[Callable[[Value], Value]]
    expm1: ClassVar[Callable[[Value], Value]]
    log2: ClassVar[Callable[[Value], Value]]
    log10: ClassVar[Callable[[Value], Value]]
    exp2: ClassVar[Callable[[Value], Value]]
    leaky_relu: ClassVar[Callable[..., Value]]
    elu: ClassVar[Callable[..., Value]]
    gelu: ClassVar[Callable[..., Value]]
    silu: ClassVar[Callable[[Value], Value]]
    erf: ClassVar[Callable[[Value], Value]]
    maximum: ClassVar[Callable[[Value, Operand], Value]]
    minimum: ClassVar[Callable[[Value, Operand], Value]]
    clip: ClassVar[Callable[..., Value]]

    def __pos__(self) -> Value:
        return self

    def backward(self, gradient: Any = 1.0, *, create_graph: bool = False) -> None:
        """Backpropagate from this Value, seeded with ``gradient`` (1.0 by default).

        See :func:`autograd.engine.backward` (``create_graph=True`` makes the gradients
        Values, and a reference cycle between each input and its gradient).
        """
        if gradient.__class__ is float and create_graph is False:  # the common call
            _run_plain(self, gradient)
        else:
            _backward(self, gradient, create_graph=create_graph)

    # ----------------------------------------------------- subclassing, copy and pickle
    def __init_subclass__(cls, **kwargs: Any) -> None:
        # The engine's hot paths test ``x.__class__ is Value`` (a subclass instance
        # would silently count as a constant): refuse subclasses at class creation.
        raise TypeError(
            f"Value cannot be subclassed (class {cls.__name__}): the engine identifies "
            "nodes by exact type; wrap a Value in your own class instead "
            "(composition), or define new primitives with autograd.defop"
        )

    def _refuse_copy(self, what: str) -> None:
        if self._op is not None:
            raise TypeError(
                f"cannot {what} a Value produced by an op (an interior node, op "
                f"{self._op.name!r}): copy or pickle the leaves (the parameters, e.g. "
                "copy.deepcopy(model)) and recompute the graph from them"
            )

    def __copy__(self) -> Value:
        # a leaf (a parameter or an input) copies as a new leaf with its data, grad and
        # label; an interior node is refused, as PyTorch refuses to copy a non-leaf
        self._refuse_copy("copy")
        return _restore_leaf(self.data, self.grad, self.label)

    def __reduce_ex__(self, protocol: Any) -> Any:
        # copy.deepcopy and pickle come here: as __copy__, and a grad that is a graph
        # (after backward(create_graph=True)) is refused too, with what to do instead
        self._refuse_copy("copy or pickle")
        grad = self.grad
        if grad.__class__ is Value and grad._op is not None:
            raise TypeError(
                "cannot deep-copy or pickle a Value whose grad is a graph (from "
                "backward(create_graph=True)): set x.grad = x.grad.detach() (or 0.0) first"
            )
        return (_restore_leaf, (self.data, grad, self.label))


_new = object.__new__


def _restore_leaf(data: float, grad: Any, label: str) -> Value:
    """Rebuild a leaf from :meth:`Value.__reduce_ex__` (copy, deepcopy and pickle)."""
    v = Value(data, label=label)
    v.grad = grad
    return v


#: False inside :func:`autograd.no_grad` (see :mod:`autograd.grad_mode`): ops then
#: return leaves holding the result and record no graph.
_RECORDING = True


def _node(data: float, op: Op, a: Any, b: Any) -> Value:
    v = _new(Value)
    v.data = data
    v.grad = 0.0
    v.label = ""
    v._op = op
    v._a = a
    v._b = b
    v._n = 0
    return v


def apply(op: Op, *args: Any) -> Value:
    """Apply ``op`` to its inputs (Values and numbers; at least one Value): a new node.

    Numbers stay constants inside the node. This is what every operator and method
    does; it is also how a new primitive (see :func:`defop`) builds its nodes.
    """
    if not any(a.__class__ is Value for a in args):
        raise TypeError(f"{op.name}: expected at least one Value input")
    items = tuple(a if a.__class__ is Value else as_float(a, op.name) for a in args)
    floats = [a.data if a.__class__ is Value else a for a in items]
    out = op.forward(*floats)
    if not _RECORDING:  # inside no_grad()
        return Value(out)
    if len(items) == 1:
        return _node(out, op, items[0], None)
    if len(items) == 2:
        return _node(out, op, items[0], items[1])
    return _node(out, op, items, MANY)


def _binary(op: Op, reflected: bool = False) -> Callable[[Value, Any], Any]:
    """``self <op> other`` (or ``other <op> self``) as a method.

    This is :func:`apply` specialised to two inputs, with the node built inline (the
    same steps as :func:`_node`): operators are the hot path of graph building.
    """
    forward = op.forward
    name = op.name

    def method(self: Value, other: Any) -> Any:
        v = _new(Value)
        if other.__class__ is not Value:
            if other.__class__ is not float:
                other = _real(other, name)
                if other is None:
                    return NotImplemented
            if reflected:
                v.data = forward(other, self.data)
                v._a = other
                v._b = self
            else:
                v.data = forward(self.data, other)
                v._a = self
                v._b = other
        else:
            v.data = forward(self.data, other.data)
            v._a = self
            v._b = other
        v.grad = 0.0
        v.label = ""
        v._n = 0
        if _RECORDING:
            v._op = op
        else:  # inside no_grad(): a leaf holding the number, no graph kept
            v._op = v._a = v._b = None
        return v

    method.__name__ = method.__qualname__ = f"Value.{op.name}"
    return method


def _unary(op: Op) -> Callable[[Value], Value]:
    forward = op.forward

    def method(self: Value) -> Value:
        v = _new(Value)
        v.data = forward(self.data)
        v.grad = 0.0
        v.label = ""
        v._b = None
        v._n = 0
        if _RECORDING:
            v._op = op
            v._a = self
        else:  # inside no_grad()
            v._op = v._a = None
        return v

    method.__name__ = method.__qualname__ = f"Value.{op.name}"
    method.__doc__ = f"{op.name}(self): see ``autograd.ops.OPS[{op.name!r}]``."
    return method


for _name, _op in (
    ("add", _ops.ADD),
    ("sub", _ops.SUB),
    ("mul", _ops.MUL),
    ("truediv", _ops.DIV),
    ("pow", _ops.POW),
):
    setattr(Value, f"__{_name}__", _binary(_op))
    setattr(Value, f"__r{_name}__", _binary(_op, reflected=True))
for _name, _op in (("neg", _ops.NEG), ("abs", _ops.ABS)):
    setattr(Value, f"__{_name}__", _unary(_op))
_FUNCTIONS = (
    _ops.SIN,
    _ops.COS,
    _ops.EXP,
    _ops.LOG,
    _ops.TANH,
    _ops.SIGMOID,
    _ops.RELU,
    _ops.ABS,
    _ops.SQRT,
    _ops.SOFTPLUS,
    # issue 8 (gelu, atan2, leaky_relu, elu, maximum, minimum, clip take more arguments:
    # they are registered with their module functions below)
    *(_ops.TAN, _ops.SINH, _ops.COSH, _ops.ASIN, _ops.ACOS, _ops.ATAN, _ops.LOG1P),
    *(_ops.EXPM1, _ops.LOG2, _ops.LOG10, _ops.EXP2, _ops.SILU, _ops.ERF),
)
for _op in _FUNCTIONS:
    setattr(Value, _op.name, _unary(_op))


def _function(op: Op) -> Callable[[Any], Any]:
    method = getattr(Value, op.name)
    forward = op.forward

    def fn(x: Any) -> Any:
        if x.__class__ is Value:
            return method(x)
        return forward(as_float(x, op.name))

    fn.__name__ = fn.__qualname__ = op.name
    fn.__doc__ = (
        f"{op.name}(x): a Value node for a Value, a float for a number.\n\n"
        f"Forward and derivative: see ``autograd.ops.OPS[{op.name!r}]``."
    )
    return fn


sin = _function(_ops.SIN)
cos = _function(_ops.COS)
exp = _function(_ops.EXP)
log = _function(_ops.LOG)
tanh = _function(_ops.TANH)
sigmoid = _function(_ops.SIGMOID)
relu = _function(_ops.RELU)
abs = _function(_ops.ABS)
sqrt = _function(_ops.SQRT)
softplus = _function(_ops.SOFTPLUS)
tan = _function(_ops.TAN)
sinh = _function(_ops.SINH)
cosh = _function(_ops.COSH)
asin = _function(_ops.ASIN)
acos = _function(_ops.ACOS)
atan = _function(_ops.ATAN)
log1p = _function(_ops.LOG1P)
expm1 = _function(_ops.EXPM1)
log2 = _function(_ops.LOG2)
log10 = _function(_ops.LOG10)
exp2 = _function(_ops.EXP2)
silu = _function(_ops.SILU)
erf = _function(_ops.ERF)


# -------------------------------------- issue 8: functions that take more than one input
def _call(op: Op, *args: Any) -> Any:
    """``op`` on ``args``: a node if any input is a Value, else the float."""
    for a in args:
        if a.__class__ is Value:
            return apply(op, *args)
    return op.forward(*(as_float(a, op.name) for a in args))


def atan2(y: Operand, x: Operand) -> Any:
    """The angle of the point (x, y) in [-pi, pi], as ``math.atan2(y, x)``.

    d/dy = x / (x^2 + y^2), d/dx = -y / (x^2 + y^2); both 0.0 at (0, 0), as torch.

    >>> atan2(1.0, -1.0) == 3 * math.pi / 4
    True
    >>> atan2(Value(1.0), 1.0).op
    'atan2'
    """
    return _call(_ops.ATAN2, y, x)


def maximum(a: Operand, b: Operand) -> Any:
    """The larger of ``a`` and ``b`` (NaN if either is NaN), as ``torch.maximum``.

    The derivative goes to the larger input; at a tie each input gets 0.5, as torch
    (so ``maximum(x, x)`` has derivative 1). Python's ``max(values)`` also works on
    Values (it returns the largest Value itself, by ``.data``).

    >>> x = Value(2.0)
    >>> y = maximum(x, 0.0)
    >>> y.backward()
    >>> y.data, x.grad
    (2.0, 1.0)
    """
    return _call(_ops.MAXIMUM, a, b)


def minimum(a: Operand, b: Operand) -> Any:
    """The smaller of ``a`` and ``b`` (NaN if either is NaN), as ``torch.minimum``.

    The derivative goes to the smaller input; at a tie each input gets 0.5.

    >>> minimum(2.0, -1)
    -1.0
    """
    return _call(_ops.MINIMUM, a, b)


def leaky_relu(x: Operand, negative_slope: Operand = 0.01) -> Any:
    """``x`` for x > 0, ``negative_slope * x`` otherwise (torch's leaky_relu).

    A number slope is a constant inside the op (one node, drawn with the slope); a
    Value slope is learned too (PReLU). The derivative at 0 is the slope, as torch.

    >>> leaky_relu(-2.0), leaky_relu(-2.0, 0.5), leaky_relu(3.0)
    (-0.02, -1.0, 3.0)
    """
    return _call(_ops.LEAKY_RELU, x, negative_slope)


def elu(x: Operand, alpha: Operand = 1.0) -> Any:
    """``x`` for x > 0, ``alpha * (exp(x) - 1)`` otherwise (torch's elu).

    The derivative at 0 is ``alpha`` (the left branch, as torch).

    >>> elu(1.5), round(elu(-1.0), 6)
    (1.5, -0.632121)
    """
    return _call(_ops.ELU, x, alpha)


def gelu(x: Operand, approximate: str = "none") -> Any:
    """``x * Phi(x)`` (Phi: the standard normal CDF), as ``torch.nn.functional.gelu``.

    ``approximate="none"`` (the default, as torch) is the exact erf form;
    ``approximate="tanh"`` is ``0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))``, an
    op of its own (``gelu_tanh`` in drawings).

    >>> round(gelu(1.0), 6), round(gelu(1.0, approximate="tanh"), 6)
    (0.841345, 0.841192)
    """
    if approximate == "none":
        op = _ops.GELU
    elif approximate == "tanh":
        op = _ops.GELU_TANH
    else:
        raise ValueError(f"gelu: approximate must be 'none' or 'tanh', got {approximate!r}")
    return _call(op, x)


def clip(x: Operand, lo: Operand | None = None, hi: Operand | None = None) -> Any:
    """``x`` limited to ``[lo, hi]`` (``None``: no bound on that side), as ``torch.clamp``.

    The derivative is 1 for lo <= x <= hi (at a bound too, as torch) and 0 outside.
    Number bounds are constants inside the op; a Value bound gets derivative 1 where
    it is the output (x < lo, x > hi).

    >>> clip(5.0, 0, 1), clip(-5.0, 0, 1), clip(0.25, hi=1.0)
    (1.0, 0.0, 0.25)
    """
    if lo is None and hi is None:
        raise ValueError("clip: give lo, hi or both")
    return _call(_ops.CLIP, x, -math.inf if lo is None else lo, math.inf if hi is None else hi)


for _fn in (atan2, maximum, minimum, leaky_relu, elu, gelu, clip):
    setattr(Value, _fn.__name__, _fn)


def defop(
    name: str,
    forward: Callable[..., float],
    partials: Callable[..., Sequence[Any]],
) -> Callable[..., Any]:
    """Define a new primitive from user code; return the function that applies it.

    ``forward(*floats) -> float`` computes the value; ``partials(*inputs, out)`` returns
    one local derivative per input, written with operators and autograd functions so
    that it works on floats and on Values (then higher-order derivatives work too).

    >>> import math
    >>> cube = defop("cube", lambda x: x**3, lambda x, out: (3 * x**2,))
    >>> x = Value(2.0)
    >>> y = cube(x)
    >>> y.backward()
    >>> y.data, x.grad, cube(3)
    (8.0, 12.0, 27.0)
    """
    if not isinstance(name, str) or not name:
        raise ValueError("defop: name must be a non-empty string")
    if name in _ops.OPS:
        # a graph node is read by its op's name (to_sympy, to_latex, explain, drawings):
        # a user op called "sin" would be taken for the built-in sin there
        raise ValueError(f"defop: {name!r} is the name of a built-in op; choose another name")
    if not callable(forward) or not callable(partials):
        raise TypeError("defop: forward and partials must be callables")

    def checked_forward(*xs: float) -> float:
        result = forward(*xs)
        f = _real(result)
        if f is None:
            raise TypeError(
                f"{name}: forward must return a real number, got {type(result).__name__}"
            )
        return f

    def checked_partials(*xs: Any) -> Sequence[Any]:
        ds = partials(*xs)
        if not isinstance(ds, (tuple, list)):
            raise TypeError(
                f"{name}: partials must return a tuple with one derivative per input, "
                f"got {type(ds).__name__}: {ds!r}"
            )
        if len(ds) != len(xs) - 1:
            raise ValueError(
                f"{name}: partials returned {len(ds)} derivatives for {len(xs) - 1} inputs"
            )
        checked = []
        for i, d in enumerate(ds):
            if d.__class__ is not float and d.__class__ is not Value:
                f = _real(d, name)
                if f is None:
                    raise TypeError(
                        f"{name}: partial {i} must be a number or a Value, "
                        f"got {type(d).__name__}: {d!r}"
                    )
                d = f
            checked.append(d)
        return checked

    ops: dict[int, Op] = {}

    def fn(*args: Any) -> Any:
        if not args:
            raise TypeError(f"{name}: expected at least one input")
        if not any(a.__class__ is Value for a in args):
            return checked_forward(*(as_float(a, name) for a in args))
        op = ops.get(len(args))
        if op is None:
            op = ops[len(args)] = Op(name, checked_forward, checked_partials, len(args))
        return apply(op, *args)

    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = f"User-defined primitive {name!r} (see autograd.defop)."
    return fn


def zero_grad(values: Any) -> None:
    """Set ``grad`` to 0.0 on every Value in ``values`` (leaves accumulate until then)."""
    if isinstance(values, Value):
        values.grad = 0.0
        return
    for v in values:
        if not isinstance(v, Value):
            raise TypeError(f"zero_grad: expected Values, got {type(v).__name__}")
        v.grad = 0.0
