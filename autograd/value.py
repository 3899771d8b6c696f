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
    "apply",
    "cos",
    "defop",
    "exp",
    "log",
    "relu",
    "sigmoid",
    "sin",
    "softplus",
    "sqrt",
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
    if isinstance(x, bool) or not isinstance(x, numbers.Real):
        return None
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
