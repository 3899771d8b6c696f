"""Anomaly mode: catch a graph whose ``.data`` was changed after the forward pass.

The chain rule reads each node's ``data`` (and its inputs') at backward time. If
``x.data`` is changed between forward and backward, the gradients belong to a graph
whose values no longer match (``y = x * x; x.data = 3.0; y.backward()`` would give 6,
the slope at 3, for a ``y`` computed at 2). Inside :func:`detect_anomaly` every backward
first recomputes each node from its inputs' current data and raises
:class:`StaleGraphError` naming the first node that no longer matches (the role of
PyTorch's version counter and ``torch.autograd.detect_anomaly``). Off by default: the
check costs one forward pass per backward. The switch is process-wide.

>>> from autograd import Value
>>> x = Value(2.0, label="x")
>>> y = x * x
>>> x.data = 3.0
>>> with detect_anomaly():
...     y.backward()  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
autograd.anomaly.StaleGraphError: backward: node * (inputs: x, x) holds 4.0 but its op gives 9.0 ...
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

__all__ = ["StaleGraphError", "check_graph", "detect_anomaly", "is_anomaly_enabled"]

#: True inside :func:`detect_anomaly` (read by the engine once per backward pass).
ENABLED = False


class StaleGraphError(RuntimeError):
    """A node's data no longer matches its op applied to its inputs' data."""


def is_anomaly_enabled() -> bool:
    """True inside :func:`detect_anomaly`."""
    return ENABLED


@contextlib.contextmanager
def detect_anomaly(enabled: bool = True) -> Iterator[None]:
    """Check every graph before backpropagating through it (context manager or decorator)."""
    global ENABLED
    if not isinstance(enabled, bool):
        raise TypeError(f"detect_anomaly: enabled must be a bool, got {type(enabled).__name__}")
    previous = ENABLED
    ENABLED = enabled
    try:
        yield
    finally:
        ENABLED = previous


def _same(x: float, y: float) -> bool:
    return x == y or (x != x and y != y)


def check_graph(root: Any) -> None:
    """Raise :class:`StaleGraphError` if any node below ``root`` no longer matches its
    op applied to its inputs' current data (iterative, any depth)."""
    seen = {id(root)}
    stack = [root]
    while stack:
        v = stack.pop()
        op = v._op
        if op is None:
            continue
        inputs = v.inputs
        floats = [p if p.__class__ is float else p.data for p in inputs]
        try:
            now = op.forward(*floats)
        except (ArithmeticError, ValueError) as e:
            now_text = f"fails ({e})"
        else:
            now_text = "" if _same(now, v.data) else f"gives {now!r}"
        if now_text:
            names = ", ".join(
                repr(p) if p.__class__ is float else (p.label or p.op or "leaf") for p in inputs
            )
            label = f" {v.label!r}" if v.label else ""
            raise StaleGraphError(
                f"backward: node {op.name}{label} (inputs: {names}) holds {v.data!r} but "
                f"its op {now_text} on its inputs' current data: a .data was changed "
                "after the forward pass; recompute the graph before calling backward"
            )
        for p in inputs:
            if p.__class__ is not float and id(p) not in seen:
                seen.add(id(p))
                stack.append(p)
