"""Reverse-mode differentiation: an iterative topological order and the chain rule.

:func:`topo_order` lists the Values a root depends on, inputs before the nodes that use
them, with an explicit stack (no recursion, so a million-node chain is fine).
:func:`propagate` applies the chain rule ``input.grad += partial * out.grad``: the one
place in chaingrad where it is written. :func:`backward` ties them together.

Semantics (decided): leaves accumulate across backward calls until zeroed (as in
PyTorch); every interior node's ``grad`` shows the latest backward; an exact zero
factor contributes nothing to the chain rule, even times inf or NaN (PyTorch's rule);
each pass holds :data:`LOCK`, so concurrent passes through shared nodes are safe, and
pauses Python's cyclic garbage collector (``gc``) while it runs; with
``create_graph`` the gradient graph is built lean (no ``0.0 + g``, ``g * 1.0``).
:func:`local_partials` and :func:`contributions` read one node with the same code.

>>> from autograd import Value
>>> a = Value(3.0)
>>> (a * a).backward()
>>> (a + a).backward()
>>> a.grad  # 6 from a*a, then 2 from a+a: leaves accumulate
8.0
"""

from __future__ import annotations

import gc
import numbers
import threading
from collections.abc import Iterable
from typing import Any

from . import anomaly as _anomaly
from .ops import ADD, MANY, MUL, RELU, SUB, TANH, times

__all__ = [
    "LOCK",
    "backward",
    "contributions",
    "count_consumers",
    "local_partials",
    "propagate",
    "run",
    "run_plain",
    "topo_order",
]

# Constants inside an op are always exact floats (Value makes sure), so
# ``x.__class__ is not _F`` tells a Value input from a constant one.
_F = float
_NAN = float("nan")
# A backward pass pauses Python's cyclic garbage collector: the pass allocates (floats,
# and Values with create_graph) but frees nothing that only the collector could free, and
# the collector would otherwise rescan the whole live graph again and again while it
# runs. It is switched back on when the pass ends (also on an error), so cycles made
# meanwhile (create_graph) are still collected; if it was off, it stays off.
_gc_isenabled, _gc_disable, _gc_enable = gc.isenabled, gc.disable, gc.enable
# the count given to boundary nodes: it never reaches 0, so they are never processed
_NEVER = 1 << 62


def count_consumers(root: Any) -> None:
    """Pass 1: set ``_n`` of every interior Value below ``root`` to its number of uses.

    Leaves are skipped (backprop needs no bookkeeping for them) and a node whose ``_n``
    is already set (a boundary) is not looked through. Interior grads are reset to 0.0
    on the way: every interior node's grad shows the latest backward. No recursion.
    """
    stack = [root]
    push = stack.append
    pop = stack.pop
    while stack:  # unrolled per input kind, as in propagate (hot loop)
        v = pop()
        v.grad = 0.0
        a = v._a
        b = v._b
        if b is None:
            if a._op is not None:
                n = a._n
                a._n = n + 1
                if not n:
                    push(a)
        elif b is MANY:
            for p in a:
                if p.__class__ is not _F and p._op is not None:
                    n = p._n
                    p._n = n + 1
                    if not n:
                        push(p)
        else:
            if a.__class__ is not _F and a._op is not None:
                n = a._n
                a._n = n + 1
                if not n:
                    push(a)
            if b.__class__ is not _F and b._op is not None:
                n = b._n
                b._n = n + 1
                if not n:
                    push(b)


def propagate(root: Any, create_graph: bool = False) -> None:
    """Pass 2: the chain rule from ``root`` down, each node once all its consumers are done.

    ``input.grad += partial * out.grad`` for every input of every node: the one place
    chaingrad writes the chain rule (with :func:`autograd.ops.times` for one edge, and
    an op's optional ``vjp`` where it computes the product more accurately). An exact
    zero factor contributes nothing, even times inf or NaN (as PyTorch). With
    ``create_graph`` the partials are computed on Values, so the gradients are Values
    connected to the graph.
    """
    if create_graph:
        _propagate_graph(root)
        return
    # The per-input steps below are unrolled for unary, n-ary and binary nodes: this is
    # the hot loop, and a helper call per edge costs more than the rest of the step.
    # A node whose upstream g is 0 contributes nothing (its partials are not even
    # computed); an infinite or NaN g goes through _slow_node (0 x inf = 0 per edge).
    ready = [root]
    push = ready.append
    pop = ready.pop
    while ready:
        v = pop()
        op = v._op
        g = v.grad
        a = v._a
        b = v._b
        if g == 0.0 or g - g:  # zero upstream, or inf/NaN: the rare paths
            if g != 0.0:
                _slow_node(v, op, g, a, b)
            _release(a, b, push)  # only the bookkeeping: nothing else flows
        elif b is None:
            if op is TANH:  # inlined: TANH.partials, 1 - out**2 (the same float)
                o = v.data
                a.grad += (1.0 - o * o) * g
            elif op is RELU:  # inlined: RELU.partials (1 above 0, 0 at or below, NaN at NaN)
                x = a.data
                a.grad += (1.0 if x > 0.0 else (0.0 if x <= 0.0 else _NAN)) * g
            elif op.vjp is None:
                (d,) = op.partials(a.data, v.data)
                a.grad += d * g
            else:
                a.grad += op.vjp(g, _NEED1, a.data, v.data)[0]
            if a._op is not None:
                n = a._n - 1
                a._n = n
                if not n:
                    push(a)
        elif b is MANY:
            if op.vjp is None:
                ds = op.partials(*[p if p.__class__ is _F else p.data for p in a], v.data)
            else:
                need = tuple(p.__class__ is not _F for p in a)
                args = [p.data if n else p for p, n in zip(a, need, strict=True)]
                ds = op.vjp(g, need, *args, v.data)
                g = 1.0  # the vjp's results are the contributions themselves
            for p, d in zip(a, ds, strict=True):
                if p.__class__ is not _F:
                    p.grad += d * g
                    if p._op is not None:
                        n = p._n - 1
                        p._n = n
                        if not n:
                            push(p)
        else:
            av = a.__class__ is not _F
            bv = b.__class__ is not _F
            # + - * inlined (the same floats as their rows in the op table, which
            # tests/test_engine.py checks): a call per node is most of its cost
            if op is ADD:
                if av:
                    a.grad += g
                if bv:
                    b.grad += g
            elif op is MUL:
                if av:
                    a.grad += (b.data if bv else b) * g
                if bv:
                    b.grad += (a.data if av else a) * g
            elif op is SUB:
                if av:
                    a.grad += g
                if bv:
                    b.grad -= g
            elif op.vjp is None:
                da, db = op.partials(a.data if av else a, b.data if bv else b, v.data)
                if av:
                    a.grad += da * g
                if bv:
                    b.grad += db * g
            else:
                da, db = op.vjp(g, _NEED2[av][bv], a.data if av else a, b.data if bv else b, v.data)
                if av:
                    a.grad += da
                if bv:
                    b.grad += db
            if av and a._op is not None:
                n = a._n - 1
                a._n = n
                if not n:
                    push(a)
            if bv and b._op is not None:
                n = b._n - 1
                b._n = n
                if not n:
                    push(b)


def _release(a: Any, b: Any, push: Any) -> None:
    """The bookkeeping of one node in :func:`propagate`: its interior inputs have one
    consumer fewer to wait for; those with none left are ready."""
    inputs = (a,) if b is None else (a if b is MANY else (a, b))
    for p in inputs:
        if p.__class__ is not _F and p._op is not None:
            n = p._n - 1
            p._n = n
            if not n:
                push(p)


_NEED1 = (True,)
_NEED2 = (((False, False), (False, True)), ((True, False), (True, True)))


def _edge_contributions(v: Any, g: Any, cg: bool) -> list[Any]:
    """What flows from ``v`` (upstream ``g``) to each entry of ``v.inputs``: the chain
    rule for one node, used by the rare paths of :func:`propagate`, by the
    ``create_graph`` pass and by :func:`contributions`. None for a constant input;
    the float 0.0 where nothing flows."""
    op = v._op
    inputs = v.inputs
    need = tuple(p.__class__ is not _F for p in inputs)
    if g.__class__ is _F and g == 0.0:
        return [0.0 if n else None for n in need]
    args = [p if (cg or not n) else p.data for p, n in zip(inputs, need, strict=True)]
    out = v if cg else v.data
    # a vjp is used for finite g (and on Values); for an infinite/NaN g the result is
    # +-inf, 0 or NaN anyway, and partial x g with the zero rule says which
    if op.vjp is not None and (cg or g - g == 0.0):
        cs = op.vjp(g, need, *args, out)
    else:
        cs = [
            times(d, g) if n else None for d, n in zip(op.partials(*args, out), need, strict=True)
        ]
    return [c if n else None for c, n in zip(cs, need, strict=True)]


def _slow_node(v: Any, op: Any, g: float, a: Any, b: Any) -> None:
    """The chain rule for a node whose upstream gradient is inf or NaN (float pass)."""
    inputs = (a,) if b is None else (tuple(a) if b is MANY else (a, b))
    for p, c in zip(inputs, _edge_contributions(v, g, False), strict=True):
        if c is not None:
            p.grad += c


def _propagate_graph(root: Any) -> None:
    """The ``create_graph`` pass: gradients as Values, lean (no ``0.0 + g`` for the first
    contribution, no ``* 1.0``, negation for ``* -1.0``); leaves still accumulate."""
    ready = [root]
    while ready:
        v = ready.pop()
        g = v.grad
        for p, c in zip(v.inputs, _edge_contributions(v, g, True), strict=True):
            if c is None:
                continue
            if c.__class__ is not _F or c != 0.0:
                pg = p.grad
                p.grad = c if (pg.__class__ is _F and pg == 0.0) else pg + c
            if p._op is not None:
                n = p._n - 1
                p._n = n
                if not n:
                    ready.append(p)


def _clear_counts(root: Any) -> None:
    """Reset ``_n`` below ``root`` after a pass that failed half-way."""
    seen = {root}
    stack = [root]
    while stack:
        v = stack.pop()
        v._n = 0
        for p in v.parents:
            if p not in seen:
                seen.add(p)
                stack.append(p)


#: Held during every backward pass (and by the functional API around its pass): the
#: per-pass consumer counts live on the nodes, so two passes through shared nodes at
#: once would corrupt each other. Reentrant, so a pass may start another one.
LOCK = threading.RLock()


def run(root: Any, seed: Any, boundary: Iterable[Any] = (), create_graph: bool = False) -> None:
    """Seed ``root`` with ``seed`` and backpropagate, stopping at ``boundary`` nodes."""
    boundary = tuple(boundary)
    if not boundary and create_graph is False:
        run_plain(root, seed)
        return
    with LOCK:
        if _anomaly.ENABLED:
            _anomaly.check_graph(root)
        if root._op is None:
            root.grad += seed  # a leaf accumulates
            return
        if root in boundary:
            root.grad = seed
            return
        for w in boundary:
            w._n = _NEVER
        paused = _gc_isenabled()
        if paused:
            _gc_disable()
        try:
            count_consumers(root)
            root.grad = seed
            propagate(root, create_graph)
        except BaseException:
            _clear_counts(root)  # leaves every count at 0, boundary included
            raise
        finally:
            if paused:
                _gc_enable()
            for w in boundary:
                w._n = 0


def run_plain(root: Any, seed: float) -> None:
    """:func:`run` without boundary nodes nor ``create_graph``: the common
    ``loss.backward()``, kept short because small graphs (a training step) pay it per
    call."""
    with LOCK:
        if _anomaly.ENABLED:
            _anomaly.check_graph(root)
        if root._op is None:
            root.grad += seed  # a leaf accumulates
            return
        paused = _gc_isenabled()  # see :data:`_gc_isenabled`
        if paused:
            _gc_disable()
        try:
            count_consumers(root)
            root.grad = seed
            propagate(root)
        except BaseException:
            _clear_counts(root)
            raise
        finally:
            if paused:
                _gc_enable()


def topo_order(root: Any) -> list[Any]:
    """Every Value ``root`` depends on, each after all of its inputs (leaves included).

    For drawing and inspection; iterative, so any depth works.
    """
    order: list[Any] = []
    done: set[Any] = set()
    stack: list[tuple[Any, bool]] = [(root, False)]
    while stack:
        v, inputs_done = stack.pop()
        if v in done:
            continue
        if inputs_done:
            done.add(v)
            order.append(v)
            continue
        stack.append((v, True))
        for p in reversed(v.parents):
            if p not in done:
                stack.append((p, False))
    return order


def backward(root: Any, gradient: Any = 1.0, *, create_graph: bool = False) -> None:
    """Fill ``grad`` of every Value ``root`` depends on with d(root)/d(that Value).

    ``gradient`` seeds the root (1.0 by default; as PyTorch's ``backward(gradient)``,
    ``loss.backward(2.0)`` gives twice the gradients). Leaves accumulate (``+=``) across
    calls; interior nodes show the latest pass. With ``create_graph=True`` the
    gradients are Values (the seed becomes a leaf ``Value(gradient)``), so
    ``x.grad.backward()`` gives second derivatives. This makes a reference cycle
    between each input and its gradient graph (``x.grad`` depends on ``x``), as in
    PyTorch: such graphs are freed by Python's cyclic collector, not at once, so do not
    turn the collector off around code that uses ``create_graph`` (or set
    ``x.grad = 0.0`` when done). The functional API (:func:`autograd.grad`, ...)
    leaves no cycle behind.

    >>> from autograd import Value
    >>> x = Value(3.0)
    >>> (x**3).backward(create_graph=True)
    >>> g = x.grad
    >>> x.grad = 0.0
    >>> g.backward()
    >>> g.data, x.grad
    (27.0, 18.0)
    """
    if not hasattr(root, "_op"):
        raise TypeError(f"backward: expected a Value, got {type(root).__name__}")
    if gradient.__class__ is _F and create_graph is False:  # the common call: no checks
        seed = gradient
    elif create_graph.__class__ is not bool:
        raise TypeError(f"backward: create_graph must be a bool, got {type(create_graph).__name__}")
    elif hasattr(gradient, "_op"):  # a Value seed
        seed = gradient if create_graph else gradient.data
    else:
        if isinstance(gradient, bool) or not isinstance(gradient, numbers.Real):
            raise TypeError(
                "backward: gradient must be a real number or a Value, "
                f"got {type(gradient).__name__}: {gradient!r}"
            )
        seed = float(gradient)
        if create_graph:
            seed = root.__class__(seed, label="seed")
    run(root, seed, (), create_graph)


def local_partials(v: Any) -> tuple[float | None, ...]:
    """The op's local partial derivatives at ``v``, one per entry of ``v.inputs``.

    A float for each Value input, ``None`` for a constant input (it is not computed);
    ``()`` for a leaf. Computed from the op table as the chain rule does: a partial that
    overflows is +-inf, never an exception.

    >>> from autograd import Value
    >>> x = Value(3.0)
    >>> local_partials(x * 2.0)
    (2.0, None)
    >>> local_partials(Value(1e-300) ** -1.0)
    (-inf, None)
    """
    op = v._op
    if op is None:
        return ()
    inputs = v.inputs
    need = tuple(p.__class__ is not _F for p in inputs)
    args = [p.data if n else p for p, n in zip(inputs, need, strict=True)]
    # an op's vjp with upstream 1.0 gives its partials, computing only the needed ones
    ds = op.partials(*args, v.data) if op.vjp is None else op.vjp(1.0, need, *args, v.data)
    return tuple(_data(d) if n else None for d, n in zip(ds, need, strict=True))


def contributions(v: Any) -> tuple[float | None, ...]:
    """What flows back from ``v`` to each of its inputs in the latest backward pass.

    ``partial x upstream`` per entry of ``v.inputs`` (``None`` for a constant),
    computed by the same code as the chain rule in :func:`propagate` (so an exact zero
    factor gives 0.0, even times inf, and ``/`` divides the upstream gradient); an
    input used twice gets one contribution per use, and its ``grad`` is their sum over
    all its uses.

    >>> from autograd import Value
    >>> x, y = Value(3.0), Value(5.0)
    >>> f = x * y + x
    >>> f.backward()
    >>> contributions(f.parents[0]), contributions(f), x.grad
    ((5.0, 3.0), (1.0, 1.0), 6.0)
    """
    if v._op is None:
        return ()
    g = _data(v.grad)
    return tuple(None if c is None else _data(c) for c in _edge_contributions(v, g, False))


def _data(x: Any) -> float:
    return x if x.__class__ is _F else float(x.data if hasattr(x, "_op") else x)
