"""Metrics on plain numbers: accuracy for binary and multi-class outputs.

A metric is ``fn(predictions, targets) -> float``: ``predictions`` as
:func:`nn.predict` returns them (one float, or one list of floats, per sample) and
``targets`` the matching entries of ``y``. :func:`nn.fit` takes such functions in its
``metrics=`` argument.

>>> binary_accuracy([0.9, 0.2, 0.7], [1, 0, 0])
0.6666666666666666
>>> binary_accuracy([2.5, -1.0], [1, -1], threshold=0.0)
1.0
>>> categorical_accuracy([[0.1, 2.0, -1.0], [3.0, 0.0, 0.0]], [1, 2])
0.5
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Sequence
from typing import Any

__all__ = ["Metric", "accuracy_for_loss", "argmax", "binary_accuracy", "categorical_accuracy"]

Metric = Callable[[list[Any], list[Any]], float]


def _flat(x: Any) -> list[float]:
    if isinstance(x, numbers.Real):
        return [float(x)]
    out: list[float] = []
    for item in x:
        out.extend(_flat(item))
    return out


def argmax(scores: Sequence[float]) -> int:
    """The index of the largest score (the first one on a tie, as numpy and torch)."""
    if not scores:
        raise ValueError("argmax: no scores")
    best = 0
    for i, s in enumerate(scores):
        if s > scores[best]:
            best = i
    return best


def binary_accuracy(
    predictions: Sequence[Any], targets: Sequence[Any], threshold: float = 0.5
) -> float:
    """Fraction of outputs on the same side of ``threshold`` as their targets.

    ``threshold`` is 0.5 for probabilities (sigmoid outputs, ``bce``) and 0.0 for
    scores or logits (``hinge`` with 0/1 or -1/+1 labels, ``bce_with_logits``). Several
    outputs per sample count one by one (multi-label).
    """
    p, t = _flat(predictions), _flat(targets)
    if len(p) != len(t):
        raise ValueError(f"binary_accuracy: {len(p)} predictions but {len(t)} targets")
    if not p:
        raise ValueError("binary_accuracy: no predictions")
    return sum((a > threshold) == (b > threshold) for a, b in zip(p, t, strict=True)) / len(p)


def categorical_accuracy(predictions: Sequence[Any], targets: Sequence[Any]) -> float:
    """Fraction of samples whose largest output is the target class.

    A target is a class index or a row of class probabilities (such as
    :func:`nn.one_hot` gives), whose largest entry is the class.
    """
    if len(predictions) != len(targets):
        raise ValueError(
            f"categorical_accuracy: {len(predictions)} predictions but {len(targets)} targets"
        )
    if not predictions:
        raise ValueError("categorical_accuracy: no predictions")
    hits = 0
    for scores, target in zip(predictions, targets, strict=True):
        if isinstance(scores, numbers.Real):
            raise ValueError(
                "categorical_accuracy: each prediction must be a list of class scores, "
                f"got {scores!r}"
            )
        k = target if isinstance(target, int) else argmax(_flat(target))
        hits += argmax(_flat(scores)) == k
    return hits / len(predictions)


def _binary(threshold: float) -> Metric:
    def metric(predictions: list[Any], targets: list[Any]) -> float:
        return binary_accuracy(predictions, targets, threshold)

    return metric


_FOR_LOSS: dict[str, Metric] = {
    "bce": _binary(0.5),
    "bce_with_logits": _binary(0.0),
    "hinge": _binary(0.0),
    "softmax_cross_entropy": categorical_accuracy,
}


def accuracy_for_loss(loss: Any) -> Metric | None:
    """The accuracy that fits a classification loss (a name or the function), else None.

    ``bce``: output > 0.5; ``bce_with_logits`` and ``hinge``: output > 0;
    ``softmax_cross_entropy``: the largest output. Regression losses have none.
    """
    from . import losses

    if callable(loss):
        names = {
            "bce": losses.bce,
            "bce_with_logits": losses.bce_with_logits,
            "hinge": losses.hinge,
            "softmax_cross_entropy": losses.softmax_cross_entropy,
        }
        loss = next((name for name, fn in names.items() if fn is loss), None)
    return _FOR_LOSS.get(loss) if isinstance(loss, str) else None
