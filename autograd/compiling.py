"""Trace once, run many: :func:`compile` turns a function of floats into straight-line Python.

``compile(f, example_args=(...))`` calls ``f`` once on Values (the *trace*), and
generates one Python function for the traced graph: the forward pass, one line per
node, then the backward pass, one line per edge, in the same order and with the same
chain rule as the eager engine (:mod:`autograd.engine`). The code comes only from the
op table (each :class:`~autograd.ops.Op`'s ``fwd_code`` / ``partial_code`` /
``vjp_code`` templates; ops without templates, such as a :func:`~autograd.defop`, are
called through their rules) and from the traced graph: variable names are generated,
constants are written as ``repr`` of floats, and labels appear only in comments.
``compiled.source`` shows the code.

Semantics (as ``jax.jit``): **the traced structure is frozen**. Python control flow
that depends on ``.data`` (``if x > 0``, a loop until convergence) is decided once, at
trace time, and every later call replays the same graph; Values captured from outside
(a closure, a model's parameters that are not arguments) are constants with their
trace-time value. Every positional argument is an input of the compiled function (the
ones not in ``argnums`` get no gradient). ``check=True`` re-runs ``f`` eagerly on
every call and raises :class:`CompileCheckError` if the structure or the results
differ: use it in tests and while learning.

Results equal the eager engine's (``value_and_grad``): where a template would meet a
special value (a zero upstream gradient times an infinite partial, a domain error, an
overflow) the generated code's result is not finite or it raises, and that call is
answered by the eager engine instead, with its errors and its zero-upstream rule.

>>> from autograd import compile
>>> @compile(example_args=(1.0, 2.0), argnums=(0, 1))
... def f(x, y):
...     return x * y + x.sin()
>>> value, (dx, dy) = f(3.0, 4.0)
>>> round(value, 6), round(dx, 6), dy
(12.14112, 3.010008, 3.0)
"""

from __future__ import annotations

import builtins
import math
import numbers
from collections.abc import Callable, Sequence
from typing import Any, overload

from . import ops as _ops
from .engine import topo_order
from .functional import value_and_grad
from .grad_mode import set_grad_enabled
from .ops import MANY, Op
from .value import Value

__all__ = ["CompileCheckError", "Compiled", "compile"]

Argnums = int | tuple[int, ...] | list[int]

#: the ops whose templates may be used: the built-in table as it is at import time
#: (a user's defop is always called through its rules)
_BUILTIN = frozenset(id(op) for op in _ops.OPS.values())


class CompileCheckError(AssertionError):
    """``check=True`` found that eager and compiled disagree (structure or results)."""


class _Fallback(Exception):
    """Raised inside the generated code: this call is answered by the eager engine."""


def _const(x: float) -> str:
    """A float as Python source: ``repr`` for finite values, names for inf and NaN."""
    if x != x:
        return "_nan"
    if x in (math.inf, -math.inf):
        return "_inf" if x > 0 else "(-_inf)"
    r = repr(float(x))
    return f"({r})" if r.startswith("-") else r


def _comment(text: str) -> str:
    """User text (a label, a defop's name) made safe for a ``#`` comment: ``ascii`` escapes
    newlines, quotes and every non-ASCII character."""
    return ascii(text)


def _check_argnums(argnums: Argnums, n_args: int) -> tuple[int, ...]:
    nums = (argnums,) if isinstance(argnums, int) else argnums
    if isinstance(nums, list):
        nums = tuple(nums)
    if not isinstance(nums, tuple) or not nums:
        raise TypeError("compile: argnums must be an int or a non-empty tuple (or list) of ints")
    out = []
    for n in nums:
        if not isinstance(n, int) or isinstance(n, bool):
            raise TypeError(f"compile: argnums must be ints, got {n!r}")
        if not -n_args <= n < n_args:
            raise ValueError(f"compile: argnums {n} out of range for {n_args} arguments")
        out.append(n % n_args)
    return tuple(out)


def _as_floats(args: Sequence[Any], where: str) -> tuple[float, ...]:
    result = []
    for i, a in enumerate(args):
        if isinstance(a, bool) or not isinstance(a, numbers.Real):
            raise TypeError(
                f"{where}: argument {i} must be a real number, got {type(a).__name__}: {a!r}"
            )
        result.append(float(a))
    return tuple(result)


def _trace(
    f: Callable[..., Any], xs: Sequence[float]
) -> tuple[list[Value], Any, list[Value] | None]:
    """Call ``f`` on fresh leaf Values: the inputs, the output and its topological order."""
    inputs = [Value(x, label=f"x{i}") for i, x in enumerate(xs)]
    with set_grad_enabled(True):
        out = f(*inputs)
    if not isinstance(out, Value):
        return inputs, out, None
    return inputs, out, topo_order(out)


def _signature(inputs: list[Value], order: list[Value] | None, out: Any) -> tuple[Any, ...]:
    """The traced structure: per node, its op and its inputs (node numbers or constants)."""
    if order is None:
        return ("constant",)
    index = {id(v): k for k, v in enumerate(order)}
    pos = {id(v): i for i, v in enumerate(inputs)}
    sig: list[Any] = []
    for v in order:
        if v._op is None:
            sig.append(("in", pos[id(v)]) if id(v) in pos else ("leaf", v.data))
        else:
            refs = tuple(
                ("c", p) if p.__class__ is float else index[id(p)] for p in _node_inputs(v)
            )
            sig.append((id(v._op), v._op.name, refs))
    return tuple(sig)


def _node_inputs(v: Value) -> tuple[Any, ...]:
    a, b = v._a, v._b
    if b is None:
        return (a,)
    if b is MANY:
        return tuple(a)
    return (a, b)


def _eager_order(order: list[Value], out: Value) -> list[Value]:
    """The order in which :func:`autograd.engine.propagate` visits the interior nodes (so
    each gradient is summed in the same order as eager, to the last bit)."""
    count: dict[int, int] = {}
    for v in order:
        if v._op is not None:
            for p in _node_inputs(v):
                if p.__class__ is not float and p._op is not None:
                    count[id(p)] = count.get(id(p), 0) + 1
    visit = []
    ready = [out]
    while ready:
        v = ready.pop()
        visit.append(v)
        for p in _node_inputs(v):
            if p.__class__ is not float and p._op is not None:
                n = count[id(p)] - 1
                count[id(p)] = n
                if not n:
                    ready.append(p)
    return visit


def _generic_backward(op: Op, need: tuple[bool, ...]) -> Callable[..., Any]:
    """The chain rule of one node whose op has no templates, as eager's hot loop does it."""
    zeros = tuple(0.0 if n else None for n in need)

    def backward(g: float, out: float, *args: float) -> Any:
        if g == 0.0:
            return zeros
        if g - g != 0.0:
            raise _Fallback
        if op.vjp is None:
            return tuple(
                d * g if n else None for d, n in zip(op.partials(*args, out), need, strict=True)
            )
        return op.vjp(g, need, *args, out)

    return backward


def _wrap(code: str) -> str:
    """Parenthesize a substituted template unless it is a name or a number."""
    return code if code.replace("_", "").replace(".", "").isalnum() else f"({code})"


class _Generator:
    """Builds the source of the straight-line function for one traced graph."""

    def __init__(
        self,
        inputs: list[Value],
        out: Value,
        order: list[Value],
        nums: tuple[int, ...],
        single: bool,
    ) -> None:
        self.inputs, self.out, self.order, self.nums = inputs, out, order, nums
        self.single = single  # an int argnums: one gradient, not a tuple
        self.names: dict[int, str] = {}
        self.namespace: dict[str, Any] = dict(_ops.CODE_NAMES)
        self.namespace["_Fallback"] = _Fallback
        self.namespace["_float"] = float
        self.namespace["_isfinite"] = math.isfinite

    def ref(self, p: Any) -> str:
        return _const(p) if p.__class__ is float else self.names[id(p)]

    def source(self) -> str:
        pos = {id(v): i for i, v in enumerate(self.inputs)}
        wanted = {id(self.inputs[n]) for n in self.nums}
        needs: dict[int, bool] = {}
        lines: list[str] = []
        params = ", ".join(f"x{i}" for i in range(len(self.inputs)))
        lines.append(f"def compiled({params}):")
        if self.inputs:
            check = " or ".join(f"x{i}.__class__ is not _float" for i in range(len(self.inputs)))
            lines.append(f"    if {check}:")
            lines.append("        raise _Fallback")
        lines.append("    # forward: one line per node")
        templated: dict[int, bool] = {}
        for k, v in enumerate(self.order):
            label = f"  label {_comment(v.label)}" if v.label else ""
            if v._op is None:
                if id(v) in pos:
                    self.names[id(v)] = f"x{pos[id(v)]}"
                    needs[id(v)] = id(v) in wanted
                else:  # a Value captured from outside f: a constant (its trace-time value)
                    name = f"t{k}"
                    self.names[id(v)] = name
                    needs[id(v)] = False
                    lines.append(f"    {name} = {_const(v.data)}  # captured leaf{label}")
                continue
            op = v._op
            args = _node_inputs(v)
            needs[id(v)] = any(p.__class__ is not float and needs[id(p)] for p in args)
            name = f"t{k}"
            self.names[id(v)] = name
            refs = [self.ref(p) for p in args]
            consts = [p if p.__class__ is float else None for p in args]
            use = (
                id(op) in _BUILTIN
                and op.fwd_code is not None
                and op.partial_code is not None
                and (op.code_when is None or op.code_when(consts))
            )
            templated[id(v)] = use
            if use:
                assert op.fwd_code is not None
                expr = op.fwd_code.format(**self._subst(refs))
            else:
                fname = f"_f{k}"
                self.namespace[fname] = op.forward
                expr = f"{fname}({', '.join(refs)})"
            lines.append(f"    {name} = {expr}  # {_comment(op.name)}{label}")
        out_name = self.names[id(self.out)]
        lines.append("    # backward: the chain rule, node by node in the eager engine's order")
        grads: dict[int, str] = {}
        if needs[id(self.out)]:
            grads[id(self.out)] = "g_" + out_name
            lines.append(f"    g_{out_name} = 1.0")
            for v in _eager_order(self.order, self.out) if self.out._op is not None else ():
                if not needs[id(v)]:
                    continue
                lines.extend(self._backward_lines(v, needs, grads, templated[id(v)]))
        results = []
        for n in self.nums:
            x = self.inputs[n]
            results.append(grads.get(id(x), "0.0"))
        total = " + ".join([out_name, *[r for r in results if r != "0.0"]])
        lines.append(f"    if not _isfinite({total}):")
        lines.append("        raise _Fallback  # inf or NaN: the eager engine answers")
        if len(results) == 1 and self.single:
            lines.append(f"    return {out_name}, {results[0]}")
        else:
            lines.append(f"    return {out_name}, ({', '.join(results)},)")
        return "\n".join(lines) + "\n"

    def _subst(self, refs: list[str], **more: str) -> dict[str, str]:
        keys = "abcdefghijklmnopqrstuvwxyz"
        d = {keys[i]: _wrap(r) for i, r in enumerate(refs)}
        d.update(more)
        return d

    def _backward_lines(
        self, v: Value, needs: dict[int, bool], grads: dict[int, str], use: bool
    ) -> list[str]:
        op = v._op
        assert op is not None
        args = _node_inputs(v)
        g = grads[id(v)]
        name = self.names[id(v)]
        label = f"  label {_comment(v.label)}" if v.label else ""
        lines = [f"    # {name} = {_comment(op.name)}{label}"]
        need = tuple(p.__class__ is not float and needs[id(p)] for p in args)
        contribs: list[str | None] = []
        if use:
            refs = self._subst([self.ref(p) for p in args], out=name, g=g)
            for i, n in enumerate(need):
                if not n:
                    contribs.append(None)
                    continue
                if op.vjp_code is not None:
                    contribs.append(_wrap(op.vjp_code[i].format(**refs)))
                    continue
                assert op.partial_code is not None
                d = op.partial_code[i].format(**refs)
                if d == "1.0":
                    contribs.append(g)
                elif d == "-1.0":
                    contribs.append(f"(-{g})")
                else:
                    contribs.append(f"{g} * {_wrap(d)}")
        else:
            fname = f"_b_{name}"
            self.namespace[fname] = _generic_backward(op, need)
            call_args = ", ".join([g, name, *[self.ref(p) for p in args]])
            lines.append(f"    c_{name} = {fname}({call_args})")
            contribs = [f"c_{name}[{i}]" if n else None for i, n in enumerate(need)]
        for p, c in zip(args, contribs, strict=True):
            if c is None:
                continue
            if id(p) in grads:
                lines.append(f"    {grads[id(p)]} += {c}")
            else:
                gp = "g_" + self.names[id(p)]
                grads[id(p)] = gp
                lines.append(f"    {gp} = {c}")
        return lines


class Compiled:
    """A traced function as generated straight-line Python; call it with floats.

    ``compiled(*floats)`` gives ``(value, grads)`` as
    :func:`autograd.value_and_grad` does (one float for an int ``argnums``, a tuple
    for a tuple or list). ``source`` is the generated code.
    """

    def __init__(
        self,
        f: Callable[..., Any],
        example_args: Sequence[Any],
        argnums: Argnums = 0,
        check: bool = False,
    ) -> None:
        if not callable(f):
            raise TypeError(f"compile: f must be callable, got {type(f).__name__}")
        if isinstance(example_args, (str, bytes)) or not isinstance(example_args, Sequence):
            raise TypeError(
                "compile: example_args must be a tuple of numbers, "
                f"got {type(example_args).__name__}"
            )
        if not isinstance(check, bool):
            raise TypeError(f"compile: check must be a bool, got {type(check).__name__}")
        xs = _as_floats(example_args, "compile: example_args")
        if not xs:
            raise ValueError("compile: example_args must hold at least one number")
        self.f = f
        self.argnums = argnums
        self.check = check
        self.n_args = len(xs)
        self._nums = _check_argnums(argnums, len(xs))
        self._single = isinstance(argnums, int)
        # every argument is a Value in the trace, so eager gets them all as Values too
        self._eager_all = value_and_grad(f, tuple(range(len(xs))))
        inputs, out, order = _trace(f, xs)
        self._signature = _signature(inputs, order, out)
        if order is None:  # f gave a number: no graph to compile
            (value,) = _as_floats([out], f"compile: {_name(f)}'s result")
            zeros = (0.0,) * len(self._nums)
            result = (value, 0.0 if self._single else zeros)
            self.source = f"def compiled(*args):\n    return {result!r}\n"
            self._fast: Callable[..., Any] = lambda *args: result
            self.nodes = 0
            return
        gen = _Generator(inputs, out, order, self._nums, self._single)
        self.source = gen.source()
        self.nodes = len(order)
        namespace = gen.namespace
        exec(builtins.compile(self.source, "<autograd.compile>", "exec"), namespace)
        self._fast = namespace["compiled"]

    def _eager(self, *xs: float) -> Any:
        """The eager engine's answer, shaped as the compiled one."""
        value, grads = self._eager_all(*xs)
        picked = tuple(grads[n] for n in self._nums)
        return value, (picked[0] if self._single else picked)

    def __call__(self, *args: Any) -> Any:
        if self.check:
            return self._checked(args)
        try:
            return self._fast(*args)
        except Exception:
            pass
        return self._recover(args)

    def _recover(self, args: tuple[Any, ...]) -> Any:
        if len(args) != self.n_args:
            raise TypeError(
                f"compiled {_name(self.f)}: expected {self.n_args} arguments, got {len(args)}"
            )
        xs = _as_floats(args, f"compiled {_name(self.f)}")
        if xs != args or any(a.__class__ is not float for a in args):
            try:
                return self._fast(*xs)
            except Exception:
                pass
        return self._eager(*xs)  # the eager engine: its result, or its clear error

    def _checked(self, args: tuple[Any, ...]) -> Any:
        if len(args) != self.n_args:
            raise TypeError(
                f"compiled {_name(self.f)}: expected {self.n_args} arguments, got {len(args)}"
            )
        xs = _as_floats(args, f"compiled {_name(self.f)}")
        inputs, out, order = _trace(self.f, xs)
        if _signature(inputs, order, out) != self._signature:
            raise CompileCheckError(
                f"compile(check=True): {_name(self.f)} at {list(xs)!r} builds a different "
                "graph than at trace time (Python control flow that depends on .data, or a "
                "captured Value that changed): the compiled code would replay the traced "
                "graph; the compiled result is not the eager one"
            )
        try:
            got = self._fast(*xs)
        except Exception:
            got = None
        want = self._eager(*xs)
        if got is not None and not _close(got, want):
            raise CompileCheckError(
                f"compile(check=True): {_name(self.f)} at {list(xs)!r}: compiled {got!r} "
                f"but eager {want!r}"
            )
        return want

    def __repr__(self) -> str:
        return f"<Compiled {_name(self.f)}: {self.nodes} nodes, argnums={self.argnums!r}>"


def _name(f: Any) -> str:
    return str(getattr(f, "__name__", type(f).__name__))


def _flat(r: Any) -> list[float]:
    value, grads = r
    return [value, *(grads if isinstance(grads, tuple) else (grads,))]


def _close(got: Any, want: Any, rel: float = 1e-12) -> bool:
    for a, b in zip(_flat(got), _flat(want), strict=True):
        if a == b or (a != a and b != b):
            continue
        if not abs(a - b) <= rel * max(abs(a), abs(b)):
            return False
    return True


@overload
def compile(
    f: None = None,
    *,
    example_args: Sequence[Any],
    argnums: Argnums = 0,
    check: bool = False,
) -> Callable[[Callable[..., Any]], Compiled]: ...


@overload
def compile(
    f: Callable[..., Any],
    *,
    example_args: Sequence[Any],
    argnums: Argnums = 0,
    check: bool = False,
) -> Compiled: ...


def compile(  # the name the design asks for (as jax.jit); the module is "compiling"
    f: Callable[..., Any] | None = None,
    *,
    example_args: Sequence[Any],
    argnums: Argnums = 0,
    check: bool = False,
) -> Compiled | Callable[[Callable[..., Any]], Compiled]:
    """Trace ``f`` once at ``example_args`` and return a :class:`Compiled` function of floats.

    Also a decorator factory: ``@compile(example_args=(1.0, 2.0))``. ``argnums`` as in
    :func:`autograd.value_and_grad`. The graph is frozen at trace time (see the module
    docstring); ``check=True`` compares every call with the eager engine.

    >>> from autograd import compile
    >>> c = compile(lambda x: x * x * x, example_args=(1.0,))
    >>> c(2.0)
    (8.0, 12.0)
    >>> print(c.source.splitlines()[4])
        t1 = x0 * x0  # '*'
    """
    if f is None:

        def decorate(g: Callable[..., Any]) -> Compiled:
            return Compiled(g, example_args, argnums, check)

        return decorate
    return Compiled(f, example_args, argnums, check)
