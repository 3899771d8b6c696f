"""Reverse-mode differentiation: an iterative topological order and the chain rule.

:func:`topo_order` lists the Values a root depends on, inputs before the nodes that use
them, with an explicit stack (no recursion, so a million-node chain is fine).
:func:`propagate` applies the chain rule ``input.grad += partial * out.grad``: the one
place in chaingrad where it is written. :func:`backward` ties them together.

Semantics (decided): leaves accumulate across backward calls until zeroed (as in
PyTorch); every interior node's ``grad`` shows the latest backward.

>>> from autograd import Value
>>> a = Value(3.0)
>>> (a * a).backward()
>>> (a + a).backward()
>>> a.grad  # 6 from a*a, then 2 from a+a: leaves accumulate
8.0
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .ops import MANY

__all__ = [
    "backward",
    "contributions",
    "count_consumers",
    "local_partials",
    "propagate",
    "run",
    "topo_order",
]

# Constants inside an op are always exact floats (Value makes sure), so
# ``x.__class__ is not _F`` tells a Value input from a constant one.
_F = float
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
    chaingrad writes the chain rule. With ``create_graph`` the partials are computed on
    Values, so the gradients are Values connected to the graph.
    """
    cg = create_graph
    # The per-input steps below are unrolled for unary, n-ary and binary nodes: this is
    # the hot loop, and a helper call per edge costs more than the rest of the step.
    ready = [root]
    push = ready.append
    pop = ready.pop
    while ready:
        v = pop()
        op = v._op
        g = v.grad
        a = v._a
        b = v._b
        out = v if cg else v.data
        if b is None:
            (d,) = op.partials(a if cg else a.data, out)
            a.grad += d * g
            if a._op is not None:
                n = a._n - 1
                a._n = n
                if not n:
                    push(a)
        elif b is MANY:
            ds = op.partials(*[p if (cg or p.__class__ is _F) else p.data for p in a], out)
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
            da, db = op.partials(
                a.data if (av and not cg) else a, b.data if (bv and not cg) else b, out
            )
            if av:
                a.grad += da * g
                if a._op is not None:
                    n = a._n - 1
                    a._n = n
                    if not n:
                        push(a)
            if bv:
                b.grad += db * g
                if b._op is not None:
                    n = b._n - 1
                    b._n = n
                    if not n:
                        push(b)


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


def run(root: Any, seed: Any, boundary: Iterable[Any] = (), create_graph: bool = False) -> None:
    """Seed ``root`` with ``seed`` and backpropagate, stopping at ``boundary`` nodes."""
    if root._op is None:
        root.grad += seed  # a leaf accumulates
        return
    boundary = tuple(boundary)
    if root in boundary:
        root.grad = seed
        return
    for w in boundary:
        w._n = _NEVER
    try:
        count_consumers(root)
        root.grad = seed
        propagate(root, create_graph)
    except BaseException:
        _clear_counts(root)  # leaves every count at 0, boundary included
        raise
    finally:
        for w in boundary:
            w._n = 0


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


def backward(root: Any, create_graph: bool = False) -> None:
    """Fill ``grad`` of every Value ``root`` depends on with d(root)/d(that Value).

    The root is seeded with 1.0; with ``create_graph=True`` the gradients are Values
    (the seed is a constant leaf ``Value(1.0)``) so ``x.grad.backward()`` gives second
    derivatives.

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
    seed = root.__class__(1.0, label="seed") if create_graph else 1.0
    run(root, seed, (), create_graph)


def local_partials(v: Any) -> tuple[float | None, ...]:
    """The op's local partial derivatives at ``v``, one per entry of ``v.inputs``.

    A float for each Value input, ``None`` for a constant input (it is not computed);
    ``()`` for a leaf.

    >>> from autograd import Value
    >>> x = Value(3.0)
    >>> local_partials(x * 2.0)
    (2.0, None)
    """
    op = v._op
    if op is None:
        return ()
    inputs = v.inputs
    ds = op.partials(*[p if p.__class__ is _F else p.data for p in inputs], v.data)
    return tuple(
        None if p.__class__ is _F else (d if d.__class__ is _F else float(_data(d)))
        for p, d in zip(inputs, ds, strict=True)
    )


def contributions(v: Any) -> tuple[float | None, ...]:
    """What flows back from ``v`` to each of its inputs in the latest backward pass.

    ``partial x upstream`` per entry of ``v.inputs`` (``None`` for a constant), with
    the same rule as the chain rule in :func:`propagate`; an input used twice gets one
    contribution per use, and its ``grad`` is their sum over all its uses.

    >>> from autograd import Value
    >>> x, y = Value(3.0), Value(5.0)
    >>> f = x * y + x
    >>> f.backward()
    >>> contributions(f.parents[0]), contributions(f), x.grad
    ((5.0, 3.0), (1.0, 1.0), 6.0)
    """
    g = _data(v.grad)
    return tuple(None if d is None else d * g for d in local_partials(v))


def _data(x: Any) -> float:
    return x if x.__class__ is _F else x.data
