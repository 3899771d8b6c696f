"""Inference: ``predict`` gives a model's outputs for a batch of inputs as plain numbers.

>>> from nn import MLP
>>> model = MLP(2, [3, 1], seed=0)
>>> out = predict(model, [[0.0, 1.0], [1.0, 0.0]])
>>> len(out), type(out[0]).__name__
(2, 'float')
>>> list(len(row) for row in MLP(2, [3, 2], seed=0).predict([[0.0, 1.0]]))
[2]
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Iterable
from typing import Any

from autograd import Value, no_grad

__all__ = ["plain", "predict"]


def plain(output: Any) -> Any:
    """``output`` with every Value replaced by its float (lists stay lists)."""
    if isinstance(output, Value):
        return output.data
    if isinstance(output, numbers.Real) and not isinstance(output, bool):
        return float(output)
    if isinstance(output, list | tuple):
        return [plain(o) for o in output]
    raise TypeError(f"predict: the model returned {type(output).__name__}, not numbers")


def predict(model: Callable[[Any], Any], X: Iterable[Any]) -> list[Any]:
    """``model(x)`` for every input ``x`` of the batch ``X``, inside :func:`autograd.no_grad`.

    Returns one entry per input: a float for a model with one output (an ``MLP`` whose
    last layer has one neuron), a list of floats for a model with several outputs. No
    graph is recorded and no gradient changes. ``X`` is always a batch: for one input
    ``x`` write ``predict(model, [x])``.
    """
    batch = list(X)
    nin = getattr(model, "nin", None)
    if isinstance(nin, int) and nin > 1 and batch and isinstance(batch[0], numbers.Real | Value):
        raise ValueError(
            f"predict: X must be a batch of inputs (a list of {nin}-number lists), got a "
            f"list of numbers; for one input x write predict(model, [x])"
        )
    with no_grad():
        return [plain(model(x)) for x in batch]
