"""Loss functions on Values (or lists of Values) and plain-number targets.

>>> from autograd import Value
>>> round(mse([Value(1.0), Value(2.0)], [0.0, 0.0]).data, 6)
2.5
>>> round(sse_half([Value(0.60944600)], [0.4]).data, 8)
0.02193381

No loss adds a node that does nothing: a mean over one item is not divided by 1, a
target of 0 is not subtracted, a label of 1 does not multiply.

>>> p = Value(2.0)
>>> loss = mse(p, 0.0)
>>> loss.op, loss.parents[0] is p
('**', True)
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
    """``terms[0] + terms[1] + ...`` without a leading ``0 +`` node."""
    total = terms[0]
    for t in terms[1:]:
        total = total + t
    return total


def _mean(terms: Sequence[Any]) -> Any:
    """The mean of ``terms``; one term is returned as it is (no ``/1`` node)."""
    total = _sum(terms)
    return total if len(terms) == 1 else total / len(terms)


def _is(x: Any, number: float) -> bool:
    """Whether ``x`` is a plain number (not a Value) equal to ``number``."""
    return isinstance(x, int | float) and not isinstance(x, bool) and x == number


def _diff(a: Any, b: Any) -> Any:
    """``a - b``, or ``a`` itself when ``b`` is the constant 0 (no ``-0`` node)."""
    return a if _is(b, 0) else a - b


def mse(pred: Any, target: Any) -> Any:
    """Mean over outputs (and samples) of ``(pred - target)**2``."""
    pairs = _pairs(pred, target, "mse")
    return _mean([_diff(p, t) ** 2 for p, t in pairs])


def sse_half(pred: Any, target: Any) -> Any:
    """``sum of 1/2 (target - pred)**2`` (the lecture notes' E, the "역전파 이해하기" post)."""
    pairs = _pairs(pred, target, "sse_half")
    return _sum([0.5 * (p**2 if _is(t, 0) else (t - p) ** 2) for p, t in pairs])


def _log_clamped(p: Any) -> Any:
    """log(p), floored at -100 as PyTorch's BCELoss does (then its gradient is 0)."""
    if isinstance(p, Value):
        return p.log() if p.data > math.exp(-100) else -100.0
    return math.log(p) if p > math.exp(-100) else -100.0


def bce(prob: Any, target: Any) -> Any:
    """Binary cross-entropy of probabilities, mean over items; logs floored at -100."""
    pairs = _pairs(prob, target, "bce")
    loss = _mean([-_bce_term(p, t) for p, t in pairs])
    if not isinstance(loss, Value) and any(isinstance(p, Value) for p, _ in pairs):
        return Value(loss)  # every log floored: a constant, gradient 0 (as in PyTorch)
    return loss


def _bce_term(p: Any, t: Any) -> Any:
    """``t log p + (1 - t) log(1 - p)``; a target of exactly 1 or 0 keeps one log."""
    if _is(t, 1):
        return _log_clamped(p)
    if _is(t, 0):
        return _log_clamped(1 - p)
    return t * _log_clamped(p) + (1 - t) * _log_clamped(1 - p)


def bce_with_logits(logit: Any, target: Any) -> Any:
    """Binary cross-entropy of logits, stable for any logit: softplus(z) - t*z, mean."""
    pairs = _pairs(logit, target, "bce_with_logits")
    terms = []
    for z, t in pairs:
        sp = z.softplus() if isinstance(z, Value) else math.log1p(math.exp(z))
        terms.append(sp if _is(t, 0) else sp - z if _is(t, 1) else sp - t * z)
    return _mean(terms)


def softmax_cross_entropy(logits: Any, class_index: Any) -> Any:
    """``-log softmax(logits)[class_index]`` with a stable log-sum-exp.

    ``logits`` is one list of class scores with an int ``class_index``, or a list of
    such lists with a list of indices (then the mean).
    """
    if logits and isinstance(logits[0], list | tuple):
        if isinstance(class_index, int) or len(logits) != len(class_index):
            raise ValueError("softmax_cross_entropy: one class index per list of logits")
        losses = [softmax_cross_entropy(lg, k) for lg, k in zip(logits, class_index, strict=True)]
        return _mean(losses)
    scores = _flat(logits)
    if isinstance(class_index, bool) or not isinstance(class_index, int):
        raise ValueError(f"softmax_cross_entropy: class index must be an int, got {class_index!r}")
    if not 0 <= class_index < len(scores):
        raise ValueError(
            f"softmax_cross_entropy: class index {class_index} out of range for "
            f"{len(scores)} classes"
        )
    m = max(s.data if isinstance(s, Value) else float(s) for s in scores)
    exps = [_diff(s, m).exp() if isinstance(s, Value) else math.exp(s - m) for s in scores]
    total = _sum(exps)
    log_total = total.log() if isinstance(total, Value) else math.log(total)
    lse = log_total if m == 0 else log_total + m
    return lse - scores[class_index]


def hinge(score: Any, label: Any) -> Any:
    """micrograd's max-margin loss ``relu(1 - label * score)``, mean; labels are -1 or +1."""
    pairs = _pairs(score, label, "hinge")
    for _, y in pairs:
        if y not in (-1, 1):
            raise ValueError(f"hinge: labels must be -1 or +1, got {y!r}")
    terms = [
        ((1 - s if y == 1 else 1 + s).relu() if isinstance(s, Value) else max(0.0, 1 - y * s))
        for s, y in pairs
    ]
    return _mean(terms)


def l2(parameters: Sequence[Value], alpha: float) -> Any:
    """``alpha * sum(p**2)``: L2 regularisation over ``parameters``."""
    params = list(parameters)
    if not params:
        raise ValueError("l2: no parameters")
    total = _sum([p * p for p in params])
    return total if _is(alpha, 1) else alpha * total
