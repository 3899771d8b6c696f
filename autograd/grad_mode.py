"""Turning graph recording off and on (:func:`no_grad`, :func:`enable_grad`), and
Python's cyclic garbage collector off for a training loop (:func:`gc_paused`).

Inside ``no_grad()`` every op computes its number as usual but returns a new leaf
Value: no graph is recorded, nothing is kept alive, and evaluation is faster (as
DeZero's step 18 and PyTorch's ``torch.no_grad``). Both work as context managers and
as decorators, and nest. The switch is process-wide (not per thread).

>>> from autograd import Value, no_grad
>>> x = Value(2.0)
>>> with no_grad():
...     y = x * x + 1
>>> y.data, y.is_leaf, is_grad_enabled()
(5.0, True, True)
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

from . import value as _value

__all__ = ["enable_grad", "gc_paused", "is_grad_enabled", "no_grad", "set_grad_enabled"]


def is_grad_enabled() -> bool:
    """True when ops record the graph (the default), False inside :func:`no_grad`."""
    return _value._RECORDING


@contextlib.contextmanager
def set_grad_enabled(mode: bool) -> Iterator[None]:
    """Record the graph (``True``) or not (``False``) inside the block, then restore."""
    if not isinstance(mode, bool):
        raise TypeError(f"set_grad_enabled: mode must be a bool, got {type(mode).__name__}")
    previous = _value._RECORDING
    _value._RECORDING = mode
    try:
        yield
    finally:
        _value._RECORDING = previous


def no_grad() -> contextlib.AbstractContextManager[None]:
    """Compute without recording a graph (context manager or decorator).

    >>> from autograd import Value
    >>> @no_grad()
    ... def evaluate(x):
    ...     return (x * 3).data
    >>> evaluate(Value(2.0))
    6.0
    """
    return set_grad_enabled(False)


def enable_grad() -> contextlib.AbstractContextManager[None]:
    """Record the graph again inside a :func:`no_grad` block."""
    return set_grad_enabled(True)


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off inside the block (context manager or
    decorator), then back in its previous state, also after an error.

    A forward pass makes one object per node, and while they pile up the collector
    walks all of them again and again: in a training loop it can take half the time
    (``nn.fit`` and every ``backward`` pause it already). chaingrad's graphs have no
    reference cycles, so reference counting frees them and nothing is lost, except
    with ``backward(create_graph=True)``: its gradient graphs hold cycles that only the
    collector frees, so don't pause it around code that uses ``create_graph``.

    >>> import gc
    >>> from autograd import gc_paused
    >>> with gc_paused():
    ...     print(gc.isenabled())
    False
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
