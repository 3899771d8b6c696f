"""``fit``: epochs, mini-batches, progress, validation, Ctrl-C, and a loss history.

>>> from nn import MLP, SGD
>>> model = MLP(1, [4, 1], seed=0)
>>> X, y = [[0.0], [0.5], [1.0]], [0.0, 0.25, 1.0]
>>> h = fit(model, X, y, optimizer=SGD(model.parameters(), lr=0.1), epochs=20, progress=False)
>>> len(h.loss), h.loss[-1] < h.loss[0]
(20, True)
"""

from __future__ import annotations

import gc
import math
import random
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from autograd import Value

from . import losses
from .module import Module
from .optim import SGD, Optimizer

__all__ = ["LOSSES", "History", "fit"]

LOSSES: dict[str, Callable[[Any, Any], Any]] = {
    "mse": losses.mse,
    "sse_half": losses.sse_half,
    "bce": losses.bce,
    "bce_with_logits": losses.bce_with_logits,
    "hinge": losses.hinge,
    "softmax_cross_entropy": losses.softmax_cross_entropy,
}


def _number(x: Any) -> float:
    """The float behind a loss: ``x.data`` for a Value, else ``float(x)``."""
    return x.data if isinstance(x, Value) else float(x)


@dataclass
class History:
    """Per-epoch mean training loss (``loss``) and validation loss (``val_loss``)."""

    loss: list[float] = field(default_factory=list)
    val_loss: list[float] = field(default_factory=list)
    interrupted: bool = False


def _loss_fn(loss: str | Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
    if callable(loss):
        return loss
    if loss not in LOSSES:
        raise ValueError(f"unknown loss {loss!r}; valid: {', '.join(LOSSES)} or a callable")
    fn = LOSSES[loss]
    if loss == "hinge":
        return lambda pred, target: fn(
            pred, [2 * t - 1 if t in (0, 1) else t for t in losses._flat(target)]
        )
    return fn


def _mean_loss(
    model: Module, fn: Callable[[Any, Any], Any], X: Sequence[Any], y: Sequence[Any]
) -> Any:
    total: Any = 0.0
    for xi, yi in zip(X, y, strict=True):
        total = total + fn(model(xi), yi)
    return total / len(X)


class _StopFlag:
    """Turns Ctrl-C into a flag checked between steps (main thread only)."""

    def __init__(self) -> None:
        self.stop = False
        self._old: Any = None

    def __enter__(self) -> _StopFlag:
        if threading.current_thread() is threading.main_thread():
            self._old = signal.signal(signal.SIGINT, self._handle)
        return self

    def _handle(self, signum: int, frame: Any) -> None:
        self.stop = True

    def __exit__(self, *exc: object) -> None:
        if self._old is not None:
            signal.signal(signal.SIGINT, self._old)


def fit(
    model: Module,
    X: Sequence[Any],
    y: Sequence[Any],
    *,
    loss: str | Callable[[Any, Any], Any] = "mse",
    optimizer: Optimizer | None = None,
    epochs: int = 100,
    batch_size: int | None = None,
    shuffle: bool = True,
    seed: int = 0,
    validation: tuple[Sequence[Any], Sequence[Any]] | None = None,
    progress: bool = True,
    callback: Callable[[int, History], Any] | None = None,
) -> History:
    """Train ``model`` on ``(X, y)``; return the :class:`History`.

    Each step backpropagates the mean loss of a batch and calls ``optimizer.step()``.
    ``batch_size=None`` is the full batch (GD), ``1`` per-sample SGD. ``loss`` is a name
    from ``LOSSES`` or ``(prediction, target) -> Value``; for ``"hinge"`` 0/1 labels
    become -1/+1. ``callback(epoch, history)`` runs after each epoch and stops
    training by returning True. Ctrl-C stops after the current step.
    """
    if len(X) != len(y):
        raise ValueError(f"fit: {len(X)} inputs but {len(y)} targets")
    if not X:
        raise ValueError("fit: no training data")
    if not isinstance(epochs, int) or epochs < 0:
        raise ValueError(f"fit: epochs must be an int >= 0, got {epochs!r}")
    if batch_size is not None and (not isinstance(batch_size, int) or batch_size < 1):
        raise ValueError(f"fit: batch_size must be None or an int >= 1, got {batch_size!r}")
    fn = _loss_fn(loss)
    opt = optimizer if optimizer is not None else SGD(model.parameters(), lr=0.01)
    size = len(X) if batch_size is None else min(batch_size, len(X))
    bar = _progress_bar(epochs) if progress else None
    # Graphs are acyclic, so reference counting frees them; the cyclic collector would
    # only rescan every live node again and again (60% of the time on moons).
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        history = _train(
            model, X, y, fn, opt, epochs, size, shuffle, seed, validation, bar, callback
        )
    finally:
        if gc_was_enabled:
            gc.enable()
        if bar is not None and hasattr(bar, "close"):
            bar.close()
    return history


def _train(
    model: Module,
    X: Sequence[Any],
    y: Sequence[Any],
    fn: Callable[[Any, Any], Any],
    opt: Optimizer,
    epochs: int,
    size: int,
    shuffle: bool,
    seed: int,
    validation: tuple[Sequence[Any], Sequence[Any]] | None,
    bar: Any,
    callback: Callable[[int, History], Any] | None,
) -> History:
    rng = random.Random(seed)
    order = list(range(len(X)))
    history = History()
    with _StopFlag() as flag:
        for epoch in range(1, epochs + 1):
            if shuffle:
                rng.shuffle(order)
            total, seen = 0.0, 0
            for start in range(0, len(order), size):
                idx = order[start : start + size]
                batch_loss = _mean_loss(model, fn, [X[i] for i in idx], [y[i] for i in idx])
                opt.zero_grad()
                if isinstance(batch_loss, Value):
                    batch_loss.backward()
                opt.step()
                total += _number(batch_loss) * len(idx)
                seen += len(idx)
                if flag.stop:
                    break
            history.loss.append(total / seen)
            if validation is not None:
                history.val_loss.append(
                    _number(_mean_loss(model, fn, validation[0], validation[1]))
                )
            _report(bar, epoch, epochs, history)
            if flag.stop:
                history.interrupted = True
                break
            if callback is not None and callback(epoch, history) is True:
                break
    return history


def _progress_bar(epochs: int) -> Any:
    try:
        from tqdm import tqdm
    except ImportError:
        return "lines"
    return tqdm(total=epochs, unit="epoch", file=sys.stderr)


def _report(bar: Any, epoch: int, epochs: int, history: History) -> None:
    if bar is None:
        return
    text = f"loss {history.loss[-1]:.6g}"
    if history.val_loss:
        text += f"  val_loss {history.val_loss[-1]:.6g}"
    if isinstance(bar, str):  # no tqdm: a line per 10% of the epochs
        step = max(1, math.ceil(epochs / 10))
        if epoch % step == 0 or epoch == epochs:
            print(f"epoch {epoch}/{epochs}  {text}", flush=True)
        return
    bar.set_postfix_str(text)
    bar.update(1)
