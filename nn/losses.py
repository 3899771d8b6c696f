"""Loss functions on Values (or lists of Values) and plain-number targets.

>>> from autograd import Value
>>> round(mse([Value(1.0), Value(2.0)], [0.0, 0.0]).data, 6)
2.5
>>> round(sse_half([Value(0.60944600)], [0.4]).data, 8)
0.02193381
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from autograd import Value

__all__ = [
    "bce",
    "bce_with_logits",
    "hinge",
    "l2",
    "mse",
    "softmax_cross_entropy",
    "sse_half",
]


def _flat(x: Any) -> list[Any]:
    if isinstance(x, Value | int | float):
        return [x]
    out: list[Any] = []
    for item in x:
        out.extend(_flat(item))
    return out


def _pairs(pred: Any, target: Any, name: str) -> list[tuple[Any, Any]]:
    p, t = _flat(pred), _flat(target)
    if len(p) != len(t):
        raise ValueError(f"{name}: {len(p)} predictions but {len(t)} targets")
    if not p:
        raise ValueError(f"{name}: no predictions")
    return list(zip(p, t, strict=True))


def _sum(terms: Sequence[Any]) -> Any:
    total = terms[0]
    for t in terms[1:]:
        total = total + t
    return total


def mse(pred: Any, target: Any) -> Any:
    """Mean over outputs (and samples) of ``(pred - target)**2``."""
    pairs = _pairs(pred, target, "mse")
    return _sum([(p - t) ** 2 for p, t in pairs]) / len(pairs)


def sse_half(pred: Any, target: Any) -> Any:
    """``sum of 1/2 (target - pred)**2`` (the lecture notes' E, seed 004)."""
    pairs = _pairs(pred, target, "sse_half")
    return _sum([0.5 * (t - p) ** 2 for p, t in pairs])


def _log_clamped(p: Any) -> Any:
    """log(p), floored at -100 as PyTorch's BCELoss does (then its gradient is 0)."""
    if isinstance(p, Value):
        return p.log() if p.data > math.exp(-100) else -100.0
    return math.log(p) if p > math.exp(-100) else -100.0


def bce(prob: Any, target: Any) -> Any:
    """Binary cross-entropy of probabilities, mean over items; logs floored at -100."""
    pairs = _pairs(prob, target, "bce")
    terms = [-(t * _log_clamped(p) + (1 - t) * _log_clamped(1 - p)) for p, t in pairs]
    return _sum(terms) / len(pairs)


def bce_with_logits(logit: Any, target: Any) -> Any:
    """Binary cross-entropy of logits, stable for any logit: softplus(z) - t*z, mean."""
    pairs = _pairs(logit, target, "bce_with_logits")
    terms = [
        (z.softplus() if isinstance(z, Value) else math.log1p(math.exp(z))) - t * z
        for z, t in pairs
    ]
    return _sum(terms) / len(pairs)


def softmax_cross_entropy(logits: Any, class_index: Any) -> Any:
    """``-log softmax(logits)[class_index]`` with a stable log-sum-exp.

    ``logits`` is one list of class scores with an int ``class_index``, or a list of
    such lists with a list of indices (then the mean).
    """
    if logits and isinstance(logits[0], list | tuple):
        if isinstance(class_index, int) or len(logits) != len(class_index):
            raise ValueError("softmax_cross_entropy: one class index per list of logits")
        losses = [softmax_cross_entropy(lg, k) for lg, k in zip(logits, class_index, strict=True)]
        return _sum(losses) / len(losses)
    scores = _flat(logits)
    if isinstance(class_index, bool) or not isinstance(class_index, int):
        raise ValueError(f"softmax_cross_entropy: class index must be an int, got {class_index!r}")
    if not 0 <= class_index < len(scores):
        raise ValueError(
            f"softmax_cross_entropy: class index {class_index} out of range for "
            f"{len(scores)} classes"
        )
    m = max(s.data if isinstance(s, Value) else float(s) for s in scores)
    exps = [(s - m).exp() if isinstance(s, Value) else math.exp(s - m) for s in scores]
    total = _sum(exps)
    lse = (total.log() if isinstance(total, Value) else math.log(total)) + m
    return lse - scores[class_index]


def hinge(score: Any, label: Any) -> Any:
    """micrograd's max-margin loss ``relu(1 - label * score)``, mean; labels are -1 or +1."""
    pairs = _pairs(score, label, "hinge")
    for _, y in pairs:
        if y not in (-1, 1):
            raise ValueError(f"hinge: labels must be -1 or +1, got {y!r}")
    terms = [(1 - y * s).relu() if isinstance(s, Value) else max(0.0, 1 - y * s) for s, y in pairs]
    return _sum(terms) / len(pairs)


def l2(parameters: Sequence[Value], alpha: float) -> Any:
    """``alpha * sum(p**2)``: L2 regularisation over ``parameters``."""
    params = list(parameters)
    if not params:
        raise ValueError("l2: no parameters")
    return alpha * _sum([p * p for p in params])
