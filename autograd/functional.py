"""JAX-shaped functional API: :func:`grad`, :func:`value_and_grad`, :func:`hessian`.

``f`` takes and returns scalars (floats or Values). With an int ``argnums`` the result
is one float; with a tuple (or list), a tuple of floats. Keyword arguments are passed
through to ``f`` unchanged (and not differentiated). The transforms record the graph
they need even inside :func:`autograd.no_grad` (as ``torch.func.grad``; a global switch
would otherwise turn every gradient into a silent 0.0). The transforms nest to any order,
because when they are called with Values (from an outer transform) they build the
gradient as a graph instead of a number.

A call never changes a Value created outside it: the ``.grad`` of every Value that
``f`` reaches (closure-captured weights, a model's parameters) is the same after the
call as before, and no reference cycle is left behind.

>>> import math
>>> from autograd import sin
>>> round(grad(grad(grad(sin)))(1.0) + math.cos(1.0), 12)
0.0
>>> value_and_grad(lambda x, y: x * y, argnums=(0, 1))(3.0, 4.0)
(12.0, (4.0, 3.0))
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from . import ops as _ops
from .engine import LOCK, run
from .grad_mode import set_grad_enabled
from .value import Value, _node, as_float

__all__ = ["grad", "hessian", "value_and_grad"]

Argnums = int | tuple[int, ...] | list[int]


def _check_argnums(argnums: Argnums, where: str) -> tuple[int, ...]:
    nums = (argnums,) if isinstance(argnums, int) else argnums
    if isinstance(nums, list):
        nums = tuple(nums)
    if not isinstance(nums, tuple) or not nums:
        raise TypeError(f"{where}: argnums must be an int or a non-empty tuple (or list) of ints")
    for n in nums:
        if not isinstance(n, int) or isinstance(n, bool):
            raise TypeError(f"{where}: argnums must be ints, got {n!r}")
    return nums


def _reachable(out: Value, boundary: list[Value]) -> list[Value]:
    """Every Value ``out`` depends on, not looking past the boundary nodes."""
    stop = {id(w) for w in boundary}
    seen = {id(out)}
    nodes = [out]
    stack = [out]
    while stack:
        v = stack.pop()
        if id(v) in stop:
            continue
        for p in v.inputs:
            if p.__class__ is Value and id(p) not in seen:
                seen.add(id(p))
                nodes.append(p)
                stack.append(p)
    return nodes


class _Active(threading.local):
    """Ids of the argument nodes of the transforms running in this thread: an inner
    transform whose ``f`` reaches one of them (a closure over an outer transform's
    argument, ``grad(lambda y: grad(lambda x: x * y)(2.0))``) must build its gradient
    as a graph, or the outer transform would see a constant and silently give 0."""

    def __init__(self) -> None:
        self.ids: dict[int, int] = {}


_ACTIVE = _Active()


def _vg(
    f: Callable[..., Any],
    nums: tuple[int, ...],
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
    where: str,
) -> Any:
    """Value of f and gradients w.r.t. args[nums]: Values if any arg is a Value, else floats."""
    for n in nums:
        if not -len(args) <= n < len(args):
            raise ValueError(f"{where}: argnums {n} out of range for {len(args)} arguments")
    nums = tuple(n % len(args) for n in nums)
    nested = any(isinstance(a, Value) for a in args)
    inner: list[Any] = list(args)
    boundary: list[Value] = []
    for i, a in enumerate(args):
        if isinstance(a, Value):
            # a new node standing for the outer Value: backprop stops there, so nothing
            # outside this call (the outer graph's leaves) is touched
            w = _node(a.data, _ops.IDENTITY, a, None)
            boundary.append(w)
            inner[i] = w
        elif i in nums:
            inner[i] = Value(as_float(a, where))
    active = _ACTIVE.ids
    mine = [id(v) for v in inner if isinstance(v, Value)]
    for k in mine:
        active[k] = active.get(k, 0) + 1
    try:
        with set_grad_enabled(True):  # a transform records even inside no_grad(), as JAX
            out = f(*inner, **kwargs)
    finally:
        for k in mine:
            if active[k] == 1:
                del active[k]
            else:
                active[k] -= 1
    if not isinstance(out, Value):
        value = as_float(out, f"{where}: f's result")
        return value, [0.0] * len(nums)
    with LOCK, set_grad_enabled(True):  # no other pass between saving and restoring grads
        # Values that f reached but did not create here (closure-captured weights, a
        # model's parameters) would be changed by the pass: save every grad the pass
        # can touch and put it back afterwards. This also leaves the nodes made here
        # without gradient graphs, so no reference cycle outlives the call.
        reached = _reachable(out, boundary)
        saved = [(v, v.grad) for v in reached]
        if not nested and active and any(id(v) in active for v in reached):
            nested = True  # f closes over an outer transform's argument: keep the graph
        for w in boundary:
            w.grad = 0.0
        try:
            run(out, Value(1.0, label="seed") if nested else 1.0, boundary, create_graph=nested)
            grads = [inner[n].grad for n in nums]
        finally:
            for v, g in saved:
                v.grad = g
            for n in nums:
                inner[n].grad = 0.0
    if nested:
        return out, grads
    return out.data, [g.data if isinstance(g, Value) else g for g in grads]


def value_and_grad(f: Callable[..., Any], argnums: Argnums = 0) -> Callable[..., Any]:
    """``f`` and its gradient together: ``(value, grad)``.

    >>> value_and_grad(lambda x: x**2)(3.0)
    (9.0, 6.0)
    """
    nums = _check_argnums(argnums, "value_and_grad")

    def wrapped(*args: Any, **kwargs: Any) -> Any:
        value, grads = _vg(f, nums, args, kwargs, "value_and_grad")
        return value, (grads[0] if isinstance(argnums, int) else tuple(grads))

    return wrapped


def grad(f: Callable[..., Any], argnums: Argnums = 0) -> Callable[..., Any]:
    """The gradient of scalar ``f`` with respect to ``args[argnums]``.

    >>> grad(lambda x, y: x * y + y, argnums=1)(3.0, 4.0)
    4.0
    """
    nums = _check_argnums(argnums, "grad")

    def wrapped(*args: Any, **kwargs: Any) -> Any:
        _, grads = _vg(f, nums, args, kwargs, "grad")
        return grads[0] if isinstance(argnums, int) else tuple(grads)

    return wrapped


def hessian(f: Callable[..., Any], argnums: Argnums = 0) -> Callable[..., Any]:
    """Second derivatives: one float for an int argnums, else ``H[i][j] = d2f/dxi dxj``.

    >>> hessian(lambda x, y: x * x * y, argnums=(0, 1))(3.0, 2.0)
    ((4.0, 6.0), (6.0, 0.0))
    """
    nums = _check_argnums(argnums, "hessian")
    if isinstance(argnums, int):
        return grad(grad(f, argnums), argnums)

    def wrapped(*args: Any, **kwargs: Any) -> Any:
        rows = []
        for i in range(len(nums)):

            def gi(*a: Any, i: int = i, **kw: Any) -> Any:
                return grad(f, nums)(*a, **kw)[i]

            rows.append(grad(gi, nums)(*args, **kwargs))
        return tuple(rows)

    return wrapped
