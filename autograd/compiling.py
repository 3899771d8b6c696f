"""Trace once, run many: :func:`compile` turns a function of floats into straight-line Python.

``compile(f, example_args=(...))`` calls ``f`` once on Values (the *trace*), and
generates one Python function for the traced graph: the forward pass, then the backward
pass, in the same order and with the same chain rule as the eager engine
(:mod:`autograd.engine`), so the floats are eager's. It is written as a person would
write it by hand: a value used once, and not by the backward pass, goes into the line
that uses it (``t5 = _tanh(x0 * x1 + 0.5)``, three nodes); a value used twice or by a
partial gets its own line; a gradient is the sum of its contributions in the order the
eager engine adds them. The code comes only from the op table (each
:class:`~autograd.ops.Op`'s ``fwd_code`` / ``partial_code`` / ``vjp_code`` templates;
ops without templates, such as a :func:`~autograd.defop`, are called through their
rules) and from the traced graph: variable names are generated, constants are written
as ``repr`` of floats, and labels appear only in comments. ``compiled.source`` shows
the code.

Large graphs (more than ``_TAPE_NODES`` = 100,000 nodes) are not turned into code:
CPython's compiler and the generated source grow with the graph (100,000 nodes of a
chain: 1.8 s and 280 MB; 300,000: 8 s and 1 GB). Above the threshold the
graph becomes a *tape* (:class:`_Tape`): flat arrays of input slots and each node's
op, run by one forward loop (the op's own ``forward``, as eager) and one backward loop
in the eager engine's order doing what :func:`autograd.engine.propagate` does per
node (its inlined ``+ - * tanh``, else the op's ``partials`` or ``vjp``): the same
floats as eager, bit for bit, with compile time and memory linear in the graph
(~2-10 us and ~100 bytes a node after the trace), and calls several times faster than
eager (not as fast as generated code: below the threshold the code stays). A tape's
``source`` is a short listing in comments (the first nodes, then counts), not code.

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
import functools
import itertools
import math
import numbers
import re
import string
from array import array
from collections.abc import Callable, Sequence
from typing import Any, overload

from . import ops as _ops
from .functional import value_and_grad
from .grad_mode import gc_paused, set_grad_enabled
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
    with set_grad_enabled(True), gc_paused():
        out = f(*inputs)
        if not isinstance(out, Value):
            return inputs, out, None
        return inputs, out, _topo_order(out)


def _trace_aux(
    f: Callable[..., Any], xs: Sequence[float], has_aux: bool
) -> tuple[list[Value], Any, list[Value] | None, Any]:
    """:func:`_trace` for ``has_aux``: ``f`` returns ``(loss, aux)``. The order then also
    holds the aux Values the loss doesn't use (after the loss's nodes)."""
    if not has_aux:
        return (*_trace(f, xs), None)
    inputs = [Value(x, label=f"x{i}") for i, x in enumerate(xs)]
    with set_grad_enabled(True), gc_paused():
        result = f(*inputs)
        if not isinstance(result, tuple) or len(result) != 2:
            raise TypeError(
                f"compile(has_aux=True): {_name(f)} must return (loss, aux), got "
                f"{type(result).__name__}"
            )
        out, aux = result
        items = _aux_items(aux, f)
        if not isinstance(out, Value):
            return inputs, out, None, aux
        order = _topo_order(out)
        seen = {id(v) for v in order}
        for item in items:
            if isinstance(item, Value) and id(item) not in seen:
                for v in _topo_order(item):
                    if id(v) not in seen:
                        seen.add(id(v))
                        order.append(v)
        return inputs, out, order, aux


def _aux_items(aux: Any, f: Any) -> list[Any]:
    """The aux as a flat list: a Value or a number, or a list or tuple of them."""
    items = list(aux) if isinstance(aux, list | tuple) else [aux]
    for item in items:
        if not isinstance(item, Value) and (
            isinstance(item, bool) or not isinstance(item, int | float)
        ):
            raise TypeError(
                f"compile(has_aux=True): {_name(f)}'s aux must be a Value or a number, "
                f"or a list or tuple of them; got {type(item).__name__}"
            )
    return items


def _aux_like(aux: Any, flat: list[Any]) -> Any:
    """``flat`` in the shape of the traced aux (one value, a list or a tuple)."""
    if isinstance(aux, list):
        return flat
    if isinstance(aux, tuple):
        return tuple(flat)
    return flat[0]


def _topo_order(root: Value) -> list[Value]:
    """:func:`autograd.engine.topo_order`, the same list, with the inputs read inline (the
    ``parents`` property builds a tuple per visit: half of a large trace's time)."""
    order: list[Value] = []
    done: set[Value] = set()
    stack: list[tuple[Value, bool]] = [(root, False)]
    push = stack.append
    pop = stack.pop
    while stack:
        v, inputs_done = pop()
        if v in done:
            continue
        if inputs_done:
            done.add(v)
            order.append(v)
            continue
        push((v, True))
        if v._op is None:
            continue
        a, b = v._a, v._b
        if b is None:
            if a not in done:
                push((a, False))
        elif b is MANY:
            for p in reversed(a):
                if p.__class__ is not float and p not in done:
                    push((p, False))
        else:
            if b.__class__ is not float and b not in done:
                push((b, False))
            if a.__class__ is not float and a not in done:
                push((a, False))
    return order


def _signature(inputs: list[Value], order: list[Value] | None, out: Any) -> tuple[Any, ...]:
    """The traced structure: per node, its op and its inputs (node numbers or constants)."""
    if order is None:
        return ("constant",)
    index = {id(v): k for k, v in enumerate(order)}
    pos = {id(v): i for i, v in enumerate(inputs)}
    # one int per op and one ("c", x) per constant object, shared by the nodes: a node
    # costs two small tuples (a large graph's signature is kept for check=True)
    op_ids: dict[int, int] = {}
    consts: dict[int, tuple[str, float]] = {}

    def ref(p: Any) -> Any:
        if p.__class__ is not float:
            return index[id(p)]
        c = consts.get(id(p))
        if c is None:
            c = consts[id(p)] = ("c", p)
        return c

    sig: list[Any] = []
    append = sig.append
    for v in order:
        op = v._op
        if op is None:
            append(("in", pos[id(v)]) if id(v) in pos else ("leaf", v.data))
            continue
        a, b = v._a, v._b
        if b is None:
            refs: tuple[Any, ...] = (index[id(a)],)
        elif b is MANY:
            refs = tuple(ref(p) for p in a)
        else:
            refs = (ref(a), ref(b))
        op_id = id(op)
        append((op_ids.setdefault(op_id, op_id), op.name, refs))
    return tuple(sig)


def _node_inputs(v: Value) -> tuple[Any, ...]:
    a, b = v._a, v._b
    if b is None:
        return (a,)
    if b is MANY:
        return tuple(a)
    return (a, b)


def _eager_order(out: Value) -> list[Value]:
    """The order in which :func:`autograd.engine.propagate` visits the interior nodes (so
    each gradient is summed in the same order as eager, to the last bit). Consumers are
    counted from ``out`` down, as :func:`autograd.engine.count_consumers` does: a node
    that only a has_aux Value uses is no consumer here."""
    count: dict[int, int] = {}
    stack = [out]
    while stack:
        v = stack.pop()
        for p in _node_inputs(v):
            if p.__class__ is not float and p._op is not None:
                n = count.get(id(p), 0)
                count[id(p)] = n + 1
                if not n:
                    stack.append(p)
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
    """Parenthesize a substituted template unless it is a name, a number, a call or
    already in parentheses (checked on short code only: long code gets parentheses)."""
    if _is_name(code):
        return code
    if len(code) <= 160 and code[-1] == ")":
        start = code.find("(")
        if (start == 0 or _is_name(code[:start])) and _closes_at_end(code, start):
            return code
    return f"({code})"


def _closes_at_end(code: str, start: int) -> bool:
    """Does the parenthesis at ``start`` close at the end of ``code``?"""
    depth = 0
    for i in range(start, len(code)):
        c = code[i]
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if not depth:
                return i == len(code) - 1
    return False


@functools.cache
def _bare_args(template: str) -> tuple[str, tuple[str, ...]]:
    """``template`` with each placeholder that is a whole call argument (``_tanh({a})``,
    ``_atan2({a}, {b})``) renamed ``{a_}`` (filled in without parentheses), and its
    placeholders."""
    bare = re.sub(r"(?:(?<=\()|(?<=, ))\{([a-z])\}(?=[),])", r"{\1_}", template)
    return bare, tuple(set(_fields(bare)))


def _fill(template: str, refs: list[str], **more: str) -> str:
    """``template`` with the inputs ``refs`` as ``{a}``, ``{b}``, ... and ``more``
    (``out``, ``g``), parenthesized where needed."""
    bare, fields = _bare_args(template)
    d = {}
    for name in fields:
        key = name.rstrip("_")
        raw = more[key] if key in more else refs[ord(key) - 97]
        d[name] = raw if name[-1] == "_" else _wrap(raw)
    return bare.format(**d)


#: the binary templates written with Python's precedence: operator, level (1: ``*``
#: and ``/``, 2: ``+`` and ``-``)
_BINARY = {
    "{a} + {b}": ("+", 2),
    "{a} - {b}": ("-", 2),
    "{a} * {b}": ("*", 1),
    "{a} / {b}": ("/", 1),
}


def _fill_prec(template: str, refs: list[str], precs: list[int]) -> tuple[str, int]:
    """A forward template filled in, and its precedence (0: a name, number, call or
    parenthesized; 1: a product or quotient; 2: a sum or difference; 3: other). The
    binary arithmetic templates take operands without parentheses where Python's
    left-to-right precedence gives the same tree (``a * b + c``, ``a + b + c``)."""
    binary = _BINARY.get(template)
    if binary is None:
        expr = _fill(template, refs)
        return expr, (0 if _wrap(expr) is expr else 3)
    op, level = binary
    a, b = refs
    a = a if precs[0] <= level else f"({a})"
    b = b if precs[1] < level else f"({b})"
    return f"{a} {op} {b}", level


@functools.cache
def _fields(template: str) -> tuple[str, ...]:
    """The placeholders of a template, once per occurrence (``{a} * {a}``: a, a)."""
    return tuple(f for _, f, _, _ in string.Formatter().parse(template) if f)


#: how deep single-use expressions are nested into one line before a value gets a name
#: (CPython's parser allows 200 nested parentheses; a template adds a few)
_MAX_DEPTH = 40
#: how many terms one line sums (a gradient with more contributions takes more lines)
_MAX_TERMS = 32


#: a piece of generated code: (expression, nesting depth, precedence as in _fill_prec)
_Term = tuple[str, int, int]


class _Generator:
    """Builds the source of the straight-line function for one traced graph.

    A value used once, and not by the backward pass, is written into the line that uses
    it (``t5 = _tanh(x0 * x1 + 0.5)``), as a person writes code; a value used twice or
    by a partial gets its own line (``t5``). Likewise backward: a gradient used once is
    written into its use, and a gradient with several contributions is their sum, in
    the order the eager engine adds them. The floats are eager's, operation for
    operation.
    """

    def __init__(
        self,
        inputs: list[Value],
        out: Value,
        order: list[Value],
        nums: tuple[int, ...],
        single: bool,
        aux: Sequence[Value] = (),
    ) -> None:
        self.inputs, self.out, self.order, self.nums = inputs, out, order, nums
        self.single = single  # an int argnums: one gradient, not a tuple
        self.aux = aux  # has_aux: Values returned too, as a third item
        self.names: dict[int, str] = {}
        self.namespace: dict[str, Any] = dict(_ops.CODE_NAMES)
        self.namespace["_Fallback"] = _Fallback
        self.namespace["_float"] = float
        self.namespace["_isfinite"] = math.isfinite
        self.lines: list[str] = []

    def source(self) -> str:
        pos = {id(v): i for i, v in enumerate(self.inputs)}
        wanted = {id(self.inputs[n]) for n in self.nums}
        lines = self.lines
        params = ", ".join(f"x{i}" for i in range(len(self.inputs)))
        lines.append(f"def compiled({params}):")
        if self.inputs:
            check = " or ".join(f"x{i}.__class__ is not _float" for i in range(len(self.inputs)))
            lines.append(f"    if {check}:")
            lines.append("        raise _Fallback")
        needs, templated, pinned = self._analyse(pos, wanted)
        lines.append(
            "    # forward: a line per value used twice or by the backward pass; "
            "values used once are written where they are used"
        )
        names = self.names
        # id -> (expression, nesting depth, precedence as _fill_prec, labels)
        inline: dict[int, tuple[str, int, int, list[str]]] = {}
        for k, v in enumerate(self.order):
            label = f"  label {_comment(v.label)}" if v.label else ""
            if v._op is None:
                if id(v) in pos:
                    names[id(v)] = f"x{pos[id(v)]}"
                else:  # a Value captured from outside f: a constant (its trace-time value)
                    names[id(v)] = f"t{k}"
                    lines.append(f"    t{k} = {_const(v.data)}  # captured leaf{label}")
                continue
            op = v._op
            refs, precs, depth, labels = [], [], 0, []
            for p in _node_inputs(v):
                if p.__class__ is float:
                    refs.append(_const(p))
                    precs.append(0)
                elif id(p) in inline:
                    expr, d, prec, ls = inline.pop(id(p))
                    refs.append(expr)
                    precs.append(prec)
                    depth = max(depth, d)
                    labels.extend(ls)
                else:
                    refs.append(names[id(p)])
                    precs.append(0)
            if templated[id(v)]:
                assert op.fwd_code is not None
                expr, prec = _fill_prec(op.fwd_code, refs, precs)
            else:
                fname = f"_f{k}"
                self.namespace[fname] = op.forward
                expr, prec = f"{fname}({', '.join(refs)})", 0
            if id(v) not in pinned and depth < _MAX_DEPTH:
                if v.label:
                    labels.append(_comment(v.label))
                inline[id(v)] = (expr, depth + 1, prec, labels)
                continue
            names[id(v)] = f"t{k}"
            more = f"  (with labels {', '.join(labels)})" if labels else ""
            lines.append(f"    t{k} = {expr}  # {_comment(op.name)}{label}{more}")
        assert not inline, "every single-use value is used"
        out_name = names[id(self.out)]
        lines.append("    # backward: the chain rule, node by node in the eager engine's order")
        # per node, the contributions to its gradient
        terms: dict[int, list[_Term]] = {}
        if needs[id(self.out)]:
            if self.out._op is None:
                terms[id(self.out)] = [("1.0", 0, 0)]
            else:
                index = {id(v): k for k, v in enumerate(self.order)}
                for v in _eager_order(self.out):
                    if needs[id(v)]:
                        k = index[id(v)]
                        g = ("1.0", 0, 0) if v is self.out else self._sum(k, terms.pop(id(v)))
                        self._backward(v, k, g, needs, terms, templated[id(v)])
        results = []
        for n in self.nums:
            ts = terms.get(id(self.inputs[n]))
            results.append("0.0" if ts is None else self._sum(-n - 1, ts, final=True)[0])
        total = " + ".join([out_name, *[r for r in results if r != "0.0"]])
        lines.append(f"    if not _isfinite({total}):")
        lines.append("        raise _Fallback  # inf or NaN: the eager engine answers")
        grads_out = results[0] if len(results) == 1 and self.single else f"({', '.join(results)},)"
        if self.aux:
            aux_out = "".join(names[id(a)] + ", " for a in self.aux)
            lines.append(f"    return {out_name}, {grads_out}, ({aux_out})")
        else:
            lines.append(f"    return {out_name}, {grads_out}")
        return "\n".join(lines) + "\n"

    def _analyse(
        self, pos: dict[int, int], wanted: set[int]
    ) -> tuple[dict[int, bool], dict[int, bool], set[int]]:
        """Per node: does a gradient flow through it to an input in argnums, is it
        written from its templates, and must it have a name (``pinned``: used more than
        once, by a backward template, or returned)?"""
        needs: dict[int, bool] = {}
        templated: dict[int, bool] = {}
        uses: dict[int, int] = {}
        pinned = {id(self.out), *(id(a) for a in self.aux)}
        for v in self.order:
            if v._op is None:
                needs[id(v)] = id(v) in wanted
                continue
            op = v._op
            args = _node_inputs(v)
            need = tuple(p.__class__ is not float and needs[id(p)] for p in args)
            needs[id(v)] = any(need)
            consts = [p if p.__class__ is float else None for p in args]
            use = (
                id(op) in _BUILTIN
                and op.fwd_code is not None
                and op.partial_code is not None
                and (op.code_when is None or op.code_when(consts))
            )
            templated[id(v)] = use
            fwd = _fields(op.fwd_code) if use and op.fwd_code is not None else None
            backward: set[str] = set()
            if needs[id(v)]:
                if not use:  # called through its rules: every input and the output
                    backward = {*"abcdefghijklmnopqrstuvwxyz"[: len(args)], "out"}
                else:
                    tmpls = op.vjp_code if op.vjp_code is not None else op.partial_code
                    assert tmpls is not None
                    for i, n in enumerate(need):
                        if n:
                            backward.update(_fields(tmpls[i]))
            if "out" in backward:
                pinned.add(id(v))
            # a conditional template (``x if c else y``) evaluates one branch: a value
            # written into the other would not be computed, and its error (eager's
            # answer) would be lost, so the inputs of a conditional get names
            conditional = use and op.fwd_code is not None and " if " in op.fwd_code
            for i, p in enumerate(args):
                if p.__class__ is float or p._op is None:
                    continue
                if conditional:
                    pinned.add(id(p))
                letter = "abcdefghijklmnopqrstuvwxyz"[i] if i < 26 else ""
                uses[id(p)] = uses.get(id(p), 0) + (fwd.count(letter) if fwd is not None else 1)
                if letter in backward or not letter:
                    pinned.add(id(p))
        pinned.update(i for i, n in uses.items() if n != 1)
        return needs, templated, pinned

    def _sum(self, k: int, ts: list[_Term], final: bool = False) -> _Term:
        """A gradient: its one contribution, or the sum of its contributions in the
        order they came (the eager engine's), ``_MAX_TERMS`` to a line. ``final``: an
        input's gradient, which is returned, so it gets a name."""
        if len(ts) == 1 and not (final and not _is_name(ts[0][0])):
            return ts[0]
        name = f"g_t{k}" if k >= 0 else f"g_x{-k - 1}"
        for start in range(0, len(ts), _MAX_TERMS):
            chunk = [
                t if prec <= (2 if start + i == 0 else 1) else f"({t})"
                for i, (t, _, prec) in enumerate(ts[start : start + _MAX_TERMS])
            ]
            if start:
                chunk.insert(0, name)
            self.lines.append(f"    {name} = {' + '.join(chunk)}")
        return name, 0, 0

    def _backward(
        self,
        v: Value,
        k: int,
        g: _Term,
        needs: dict[int, bool],
        terms: dict[int, list[_Term]],
        use: bool,
    ) -> None:
        """Node ``v``'s step of the chain rule: its contributions to its inputs' terms."""
        op = v._op
        assert op is not None
        args = _node_inputs(v)
        need = tuple(p.__class__ is not float and needs[id(p)] for p in args)
        if use:
            tmpls = op.vjp_code if op.vjp_code is not None else op.partial_code
            assert tmpls is not None
            n_uses = sum(
                _fields(tmpls[i]).count("g") if op.vjp_code else 1 for i, n in enumerate(need) if n
            )
        else:
            n_uses = 1
        expr, depth, prec = g
        if not _is_name(expr) and (n_uses > 1 or depth >= _MAX_DEPTH):
            label = f"  label {_comment(v.label)}" if v.label else ""
            self.lines.append(f"    g_t{k} = {expr}  # d out / d {_comment(op.name)}{label}")
            expr, depth, prec = f"g_t{k}", 0, 0
        # inputs written into their consumer have no name: no template here uses them
        refs = [self.ref(p) if p.__class__ is float or id(p) in self.names else "?" for p in args]
        contribs: list[_Term | None] = []
        if use:
            out = self.names.get(id(v), "?")
            for i, n in enumerate(need):
                if not n:
                    contribs.append(None)
                elif op.vjp_code is not None:
                    vjp = _fill(op.vjp_code[i], refs, out=out, g=expr)
                    contribs.append((_wrap(vjp), depth + 1, 0))
                else:
                    assert op.partial_code is not None
                    d = _fill(op.partial_code[i], refs, out=out)
                    if d == "1.0":
                        contribs.append((expr, depth, prec))
                    elif d == "-1.0":
                        contribs.append((f"(-{_wrap(expr)})", depth + 1, 0))
                    else:
                        g_ = expr if prec <= 1 else f"({expr})"
                        contribs.append((f"{g_} * {_wrap(d)}", depth + 1, 1))
        else:
            fname = f"_b_t{k}"
            self.namespace[fname] = _generic_backward(op, need)
            call_args = ", ".join([expr, self.names[id(v)], *refs])
            self.lines.append(f"    c_t{k} = {fname}({call_args})  # {_comment(op.name)}")
            contribs = [(f"c_t{k}[{i}]", 0, 0) if n else None for i, n in enumerate(need)]
        for p, c in zip(args, contribs, strict=True):
            if c is not None:
                terms.setdefault(id(p), []).append(c)

    def ref(self, p: Any) -> str:
        return _const(p) if p.__class__ is float else self.names[id(p)]


def _is_name(code: str) -> bool:
    """A name or a number: used as it is, several times, at no cost."""
    return code.isidentifier() or code.replace("_", "").replace(".", "").isalnum()


#: graphs with more nodes than this run as a tape (see the module docstring); tests
#: lower it to try the tape form on small graphs
_TAPE_NODES = 100_000

# the kinds of backward steps in a tape (the chain rule of propagate, case by case)
_K_ADD, _K_SUB, _K_MUL, _K_TANH, _K_UNARY, _K_UNARY_VJP, _K_BINARY, _K_BINARY_VJP, _K_MANY = range(
    9
)
_NEED1 = (True,)
#: how many forward steps a tape's ``source`` lists
_LISTED = 40


class _Tape:
    """A large traced graph as flat arrays, run by one loop forward and one backward.

    Slots: the interior nodes in topological order first (slot = step number), then the
    leaves and the constants. ``vals`` holds the forward values, ``grads`` the
    gradients; a constant's gradient slot is written to and never read. Each step calls
    the op's own ``forward`` and, backward, does what :func:`autograd.engine.propagate`
    does for that node (its inlined ``+ - * tanh``, else ``partials`` or ``vjp``), in
    the eager engine's order: the same floats as eager, in the same order.
    """

    def __init__(
        self,
        inputs: list[Value],
        out: Value,
        order: list[Value],
        nums: tuple[int, ...],
        single: bool,
        aux: Sequence[Value] = (),
    ) -> None:
        interior = [v for v in order if v._op is not None]
        leaves = [v for v in order if v._op is None]
        n_int = len(interior)
        n_var = n_int + len(leaves)  # slots below this hold Values, the rest constants
        slot = {id(v): k for k, v in enumerate(interior)}
        pos = {id(v): i for i, v in enumerate(inputs)}
        wanted = {id(inputs[n]) for n in nums}
        # the forward values before a call: interior nodes (computed), then the leaves
        # (arguments, and the trace-time values of captured Values), then the constants
        init = [0.0] * n_int
        needs = bytearray(n_int)  # per slot: a gradient to an input in argnums flows here
        self.in_slots: list[tuple[int, int]] = []  # (argument number, slot)
        for v in leaves:
            s = slot[id(v)] = len(init)
            if id(v) in pos:
                self.in_slots.append((pos[id(v)], s))
            init.append(0.0 if id(v) in pos else v.data)
            needs.append(id(v) in wanted)
        consts: dict[int, int] = {}  # id of a constant float in the graph -> its slot

        def const(p: float) -> int:
            s = consts.get(id(p))
            if s is None:
                s = consts[id(p)] = len(init)
                init.append(p)
                needs.append(False)
            return s

        ops: list[Op] = []
        fwd_a, fwd_b = array("q"), array("q")  # b: -1 for a unary node, -2 for an n-ary one
        many: list[tuple[int, ...]] = []  # the input slots of the n-ary nodes
        for k, v in enumerate(interior):
            op = v._op
            assert op is not None
            ops.append(op)
            a, b = v._a, v._b
            if b is None:
                sa = slot[id(a)]
                needs[k] = needs[sa]
                fwd_a.append(sa)
                fwd_b.append(-1)
            elif b is MANY:
                refs = tuple(const(p) if p.__class__ is float else slot[id(p)] for p in a)
                needs[k] = any(needs[s] for s in refs)
                fwd_a.append(len(many))
                fwd_b.append(-2)
                many.append(refs)
            else:
                sa = const(a) if a.__class__ is float else slot[id(a)]
                sb = const(b) if b.__class__ is float else slot[id(b)]
                needs[k] = needs[sa] or needs[sb]
                fwd_a.append(sa)
                fwd_b.append(sb)
        self.size = len(init)
        self.init = init
        self.fwd = ([op.forward for op in ops], fwd_a, fwd_b, many)
        self.out_slot = slot[id(out)]
        self.aux_slots = tuple(slot[id(a)] for a in aux)  # has_aux: returned too

        # the first _LISTED nodes as text, for ``source``
        def show(p: Any) -> str:
            if p.__class__ is float:
                return _const(p)
            if id(p) in pos:
                return f"x{pos[id(p)]}"
            return f"t{slot[id(p)]}" if p._op is not None else _const(p.data)

        listing = []
        for k, v in enumerate(interior[:_LISTED]):
            label = f"  label {_comment(v.label)}" if v.label else ""
            shown = ", ".join(show(p) for p in _node_inputs(v))
            listing.append(f"#   t{k} = {_comment(ops[k].name)}({shown}){label}")
        self.results = tuple(slot.get(id(inputs[n]), -1) for n in nums)  # -1: not in the graph
        self.single = single
        self.n_args = len(inputs)
        del interior, leaves  # the graph is not needed any more

        # backward: the interior nodes in the order of engine.propagate's ready stack
        # (as _eager_order, on slots), those a gradient to an argnums input flows through
        kinds = bytearray()
        bk, ba, bb = array("q"), array("q"), array("q")
        rules: list[Any] = []  # per backward step: the rule it calls, or None
        # per interior slot, its consumers below the output (as count_consumers: a node
        # only a has_aux Value uses is no consumer)
        uses = [0] * n_int
        stack = [self.out_slot] if self.out_slot < n_int else []
        while stack:
            k = stack.pop()
            a, b = fwd_a[k], fwd_b[k]
            for s in (a,) if b == -1 else (many[a] if b == -2 else (a, b)):
                if s < n_int:
                    uses[s] += 1
                    if uses[s] == 1:
                        stack.append(s)
        ready = [self.out_slot] if self.out_slot < n_int else []
        add, mul, sub, tanh = _ops.ADD, _ops.MUL, _ops.SUB, _ops.TANH
        while ready:
            k = ready.pop()
            a, b = fwd_a[k], fwd_b[k]
            ins = (a,) if b == -1 else (many[a] if b == -2 else (a, b))
            for s in ins:
                if s < n_int:
                    n = uses[s] - 1
                    uses[s] = n
                    if not n:
                        ready.append(s)
            if not needs[k]:  # no gradient to an input in argnums flows from here
                continue
            op = ops[k]
            bk.append(k)
            ba.append(a)
            bb.append(b)
            if b == -2:
                kinds.append(_K_MANY)
                rules.append((op, tuple(s < n_var for s in ins)))
            elif b == -1:
                if op is tanh:
                    kinds.append(_K_TANH)
                    rules.append(None)
                elif op.vjp is None:
                    kinds.append(_K_UNARY)
                    rules.append(op.partials)
                else:
                    kinds.append(_K_UNARY_VJP)
                    rules.append(op.vjp)
            elif op is add:
                kinds.append(_K_ADD)
                rules.append(None)
            elif op is mul:
                kinds.append(_K_MUL)
                rules.append(None)
            elif op is sub:
                kinds.append(_K_SUB)
                rules.append(None)
            elif op.vjp is None:
                kinds.append(_K_BINARY)
                rules.append(op.partials)
            else:
                kinds.append(_K_BINARY_VJP)
                rules.append((op.vjp, (a < n_var, b < n_var)))
        self.bwd = (bytes(kinds), bk, ba, bb, rules)
        more = n_int - len(listing)
        self.source = "\n".join(
            [
                f"# autograd.compile, tape form: {len(order)} nodes (more than "
                f"_TAPE_NODES = {_TAPE_NODES}),",
                "# run by autograd.compiling._Tape (a loop over arrays, the ops' own rules)",
                f"# forward, the first {len(listing)} of {n_int} steps:",
                *listing,
                *([f"#   ... {more} more"] if more > 0 else []),
                f"# backward: {len(kinds)} steps in the eager engine's order",
                f"# result: t{self.out_slot} and the gradients of the inputs {list(nums)}",
                "",
            ]
        )

    def __call__(self, *xs: float) -> Any:
        if len(xs) != self.n_args:
            raise _Fallback
        vals = self.init.copy()
        for i, s in self.in_slots:
            x = xs[i]
            if x.__class__ is not float:
                raise _Fallback
            vals[s] = x
        fns, fa, fb, many = self.fwd
        for k, f, a, b in zip(itertools.count(), fns, fa, fb):
            if b >= 0:
                vals[k] = f(vals[a], vals[b])
            elif b == -1:
                vals[k] = f(vals[a])
            else:
                vals[k] = f(*[vals[i] for i in many[a]])
        grads = [0.0] * self.size
        grads[self.out_slot] = 1.0
        kinds, bk, ba, bb, extra = self.bwd
        for kind, k, a, b, rule in zip(kinds, bk, ba, bb, extra, strict=True):
            g = grads[k]
            if g == 0.0 or g - g:  # zero upstream: nothing flows (as eager)
                if g != 0.0:
                    raise _Fallback  # inf or NaN upstream: the eager engine answers
                continue
            if kind == _K_ADD:
                grads[a] += g
                grads[b] += g
            elif kind == _K_MUL:
                grads[a] += vals[b] * g
                grads[b] += vals[a] * g
            elif kind == _K_TANH:
                o = vals[k]
                grads[a] += (1.0 - o * o) * g
            elif kind == _K_SUB:
                grads[a] += g
                grads[b] -= g
            elif kind == _K_UNARY:
                (d,) = rule(vals[a], vals[k])
                grads[a] += d * g
            elif kind == _K_UNARY_VJP:
                grads[a] += rule(g, _NEED1, vals[a], vals[k])[0]
            elif kind == _K_BINARY:
                da, db = rule(vals[a], vals[b], vals[k])
                grads[a] += da * g
                grads[b] += db * g
            elif kind == _K_BINARY_VJP:
                vjp, need = rule
                da, db = vjp(g, need, vals[a], vals[b], vals[k])
                if need[0]:
                    grads[a] += da
                if need[1]:
                    grads[b] += db
            else:
                op, need = rule
                slots = many[a]
                args = [vals[i] for i in slots]
                if op.vjp is None:
                    ds = op.partials(*args, vals[k])
                else:
                    ds = op.vjp(g, need, *args, vals[k])
                    g = 1.0  # the vjp's results are the contributions themselves
                for i, d, n in zip(slots, ds, need, strict=True):
                    if n:
                        grads[i] += d * g
        value = vals[self.out_slot]
        results = [0.0 if s < 0 else grads[s] for s in self.results]
        total = value
        for r in results:
            total += r
        if not math.isfinite(total):
            raise _Fallback  # inf or NaN: the eager engine answers
        grads_out = results[0] if len(results) == 1 and self.single else tuple(results)
        if self.aux_slots:
            return value, grads_out, tuple(vals[s] for s in self.aux_slots)
        return value, grads_out


class Compiled:
    """A traced function as generated straight-line Python; call it with floats.

    ``compiled(*floats)`` gives ``(value, grads)`` as
    :func:`autograd.value_and_grad` does (one float for an int ``argnums``, a tuple
    for a tuple or list). ``source`` is the generated code.
    """

    _fast: Callable[..., Any]

    def __init__(
        self,
        f: Callable[..., Any],
        example_args: Sequence[Any],
        argnums: Argnums = 0,
        check: bool = False,
        has_aux: bool = False,
    ) -> None:
        if not callable(f):
            raise TypeError(f"compile: f must be callable, got {type(f).__name__}")
        if not isinstance(has_aux, bool):
            raise TypeError(f"compile: has_aux must be a bool, got {type(has_aux).__name__}")
        self.has_aux = has_aux
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
        with gc_paused():  # a large trace makes millions of objects, none in a cycle
            self._build(f, xs)

    def _build(self, f: Callable[..., Any], xs: tuple[float, ...]) -> None:
        inputs, out, order, aux = _trace_aux(f, xs, self.has_aux)
        # the traced structure, compared by check=True (kept only then: ~2 tuples a node)
        self._signature = _signature(inputs, order, out) if self.check else ()
        self._aux = aux
        # has_aux: the aux Values are returned by the generated code; numbers are kept here
        self._aux_items = _aux_items(aux, f) if self.has_aux else []
        aux_values = [a for a in self._aux_items if isinstance(a, Value)]
        if order is None:  # f gave a number: no graph to compile
            (value,) = _as_floats([out], f"compile: {_name(f)}'s result")
            zeros = (0.0,) * len(self._nums)
            result: Any = (value, 0.0 if self._single else zeros)
            if self.has_aux:  # the aux can only be inputs or numbers here
                pos = {id(v): i for i, v in enumerate(inputs)}
                picks = [pos[id(a)] for a in aux_values]
                self.source = f"def compiled(*args):\n    return {result!r}\n"
                self._fast = lambda *args: (*result, tuple(args[i] for i in picks))
            else:
                self.source = f"def compiled(*args):\n    return {result!r}\n"
                self._fast = lambda *args: result
            self.nodes = 0
            return
        self.nodes = len(order)
        if self.nodes > _TAPE_NODES:  # a large graph: a tape, no Python compiler
            tape = _Tape(inputs, out, order, self._nums, self._single, aux_values)
            self.source = tape.source
            self._fast = tape
            return
        gen = _Generator(inputs, out, order, self._nums, self._single, aux_values)
        self.source = gen.source()
        namespace = gen.namespace
        exec(builtins.compile(self.source, "<autograd.compile>", "exec"), namespace)
        self._fast = namespace["compiled"]

    def _eager(self, *xs: float) -> Any:
        """The eager engine's answer, shaped as the compiled one."""
        if self.has_aux:
            return self._eager_aux(xs)[0]
        value, grads = self._eager_all(*xs)
        picked = tuple(grads[n] for n in self._nums)
        return value, (picked[0] if self._single else picked)

    def _eager_aux(self, xs: Sequence[float]) -> tuple[Any, tuple[Any, ...]]:
        """has_aux on the eager engine: the result, and the graph's signature."""
        inputs, out, order, aux = _trace_aux(self.f, xs, True)
        sig = _signature(inputs, order, out)
        items = [a.data if isinstance(a, Value) else float(a) for a in _aux_items(aux, self.f)]
        if order is None:
            (value,) = _as_floats([out], f"compile: {_name(self.f)}'s result")
            grads: tuple[float, ...] = (0.0,) * len(self._nums)
        else:
            out.backward()
            value = out.data
            grads = tuple(_as_float(inputs[n].grad) for n in self._nums)
        result = grads[0] if self._single else grads
        return ((value, _aux_like(aux, items)), result), sig

    def _with_aux(self, r: Any) -> Any:
        """The generated code's ``(value, grads, aux Values)`` as ``((value, aux), grads)``."""
        value, grads, vals = r
        it = iter(vals)
        flat = [next(it) if isinstance(a, Value) else float(a) for a in self._aux_items]
        return (value, _aux_like(self._aux, flat)), grads

    def __call__(self, *args: Any) -> Any:
        if self.check:
            return self._checked(args)
        try:
            r = self._fast(*args)
            return self._with_aux(r) if self.has_aux else r
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
                r = self._fast(*xs)
                return self._with_aux(r) if self.has_aux else r
            except Exception:
                pass
        return self._eager(*xs)  # the eager engine: its result, or its clear error

    def _checked(self, args: tuple[Any, ...]) -> Any:
        if len(args) != self.n_args:
            raise TypeError(
                f"compiled {_name(self.f)}: expected {self.n_args} arguments, got {len(args)}"
            )
        xs = _as_floats(args, f"compiled {_name(self.f)}")
        if self.has_aux:
            want, sig = self._eager_aux(xs)
        else:
            inputs, out, order = _trace(self.f, xs)
            sig = _signature(inputs, order, out)
        if sig != self._signature:
            raise CompileCheckError(
                f"compile(check=True): {_name(self.f)} at {list(xs)!r} builds a different "
                "graph than at trace time (Python control flow that depends on .data, or a "
                "captured Value that changed): the compiled code would replay the traced "
                "graph; the compiled result is not the eager one"
            )
        try:
            got = self._fast(*xs)
            if self.has_aux:
                got = self._with_aux(got)
        except Exception:
            got = None
        if not self.has_aux:
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


def _as_float(g: Any) -> float:
    return float(g.data) if isinstance(g, Value) else float(g)


def _flat(r: Any) -> list[float]:
    value, grads = r
    aux: list[float] = []
    if isinstance(value, tuple):  # has_aux: (value, aux)
        value, a = value
        aux = list(a) if isinstance(a, list | tuple) else [a]
    return [value, *aux, *(grads if isinstance(grads, tuple) else (grads,))]


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
    batch: bool = False,
    reduce: str = "sum",
    has_aux: bool = False,
) -> Callable[[Callable[..., Any]], Any]: ...


@overload
def compile(
    f: Callable[..., Any],
    *,
    example_args: Sequence[Any],
    argnums: Argnums = 0,
    check: bool = False,
    batch: bool = False,
    reduce: str = "sum",
    has_aux: bool = False,
) -> Any: ...


def compile(  # the name the design asks for (as jax.jit); the module is "compiling"
    f: Callable[..., Any] | None = None,
    *,
    example_args: Sequence[Any],
    argnums: Argnums = 0,
    check: bool = False,
    batch: bool = False,
    reduce: str = "sum",
    has_aux: bool = False,
) -> Any:
    """Trace ``f`` once at ``example_args`` and return a :class:`Compiled` function of floats.

    Also a decorator factory: ``@compile(example_args=(1.0, 2.0))``. ``argnums`` as in
    :func:`autograd.value_and_grad`. The graph is frozen at trace time (see the module
    docstring); ``check=True`` compares every call with the eager engine.
    ``has_aux=True`` (as in JAX): ``f`` returns ``(loss, aux)``, aux a Value or number
    or a list or tuple of them, and the result is ``((value, aux_floats), grads)``.
    ``batch=True`` returns a :class:`autograd.batching.BatchCompiled`: numpy code over
    a batch of samples, giving the loss summed over them (``reduce="mean"``: the mean)
    and its gradients (needs numpy).

    >>> from autograd import compile
    >>> c = compile(lambda x: x * x * x, example_args=(1.0,))
    >>> c(2.0)
    (8.0, 12.0)
    >>> print(c.source.splitlines()[4])
        t1 = x0 * x0  # '*'
    """
    if not isinstance(batch, bool):
        raise TypeError(f"compile: batch must be a bool, got {type(batch).__name__}")
    if reduce not in ("sum", "mean"):
        raise ValueError(f"compile: reduce must be 'sum' or 'mean', got {reduce!r}")
    if reduce != "sum" and not batch:
        raise ValueError("compile: reduce applies to batch=True only")

    def build(g: Callable[..., Any]) -> Any:
        if batch:
            from .batching import BatchCompiled

            return BatchCompiled(g, example_args, argnums, check, reduce, has_aux)
        return Compiled(g, example_args, argnums, check, has_aux)

    if f is None:
        return build
    return build(f)
