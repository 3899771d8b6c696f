"""``fit``: epochs, mini-batches, progress, validation, metrics, Ctrl-C, and a history.

>>> from nn import MLP, SGD
>>> model = MLP(1, [4, 1], seed=0)
>>> X, y = [[0.0], [0.5], [1.0]], [0.0, 0.25, 1.0]
>>> h = fit(model, X, y, optimizer=SGD(model.parameters(), lr=0.1), epochs=20, progress=False)
>>> len(h.loss), h.loss[-1] < h.loss[0]
(20, True)
"""

from __future__ import annotations

import math
import numbers
import random
import signal
import sys
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from autograd import Value, gc_paused, no_grad

from . import losses
from .compiled import CompiledStep
from .inference import plain
from .metrics import Metric, accuracy_for_loss
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
    """The float behind a loss or a metric: ``x.data`` for a Value, else ``float(x)``."""
    return x.data if isinstance(x, Value) else float(x)


@dataclass
class History:
    """What :func:`fit` measured, one entry per epoch.

    ``loss`` is the mean training loss over the epoch's steps; ``accuracy`` is filled
    for classification losses (see :func:`nn.metrics.accuracy_for_loss`) and
    ``metrics[name]`` for each function passed as ``fit(metrics={name: fn})``. Training
    numbers use the outputs computed during the epoch's steps (as Keras does); the
    ``val_`` versions are computed on the validation data after the epoch. ``interrupted``
    is True when Ctrl-C stopped training.
    """

    loss: list[float] = field(default_factory=list)
    val_loss: list[float] = field(default_factory=list)
    accuracy: list[float] = field(default_factory=list)
    val_accuracy: list[float] = field(default_factory=list)
    metrics: dict[str, list[float]] = field(default_factory=dict)
    val_metrics: dict[str, list[float]] = field(default_factory=dict)
    interrupted: bool = False


def _soft_cross_entropy(logits: Any, target: Any) -> Any:
    """softmax_cross_entropy with a class index or a row of class probabilities.

    A one-hot row is the same as its class index; other rows give
    ``-sum(t_k * log softmax(logits)_k)``, as PyTorch's ``cross_entropy`` does.
    """
    if not isinstance(target, list | tuple):
        return losses.softmax_cross_entropy(logits, target)
    if len(target) != len(logits):
        raise ValueError(
            f"softmax_cross_entropy: {len(logits)} class scores but a target row of "
            f"{len(target)} probabilities"
        )
    weights: list[tuple[int, float]] = []
    for k, t in enumerate(target):
        if isinstance(t, bool) or not isinstance(t, numbers.Real) or not math.isfinite(t):
            raise ValueError(f"softmax_cross_entropy: target entries must be numbers, got {t!r}")
        if t != 0:
            weights.append((k, float(t)))
    if len(weights) == 1 and weights[0][1] == 1.0:
        return losses.softmax_cross_entropy(logits, weights[0][0])
    if not weights:
        raise ValueError("softmax_cross_entropy: a target row of all zeros")
    total: Any = 0.0
    for k, t in weights:
        total = total + t * losses.softmax_cross_entropy(logits, k)
    return total


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
    if loss == "softmax_cross_entropy":
        return _soft_cross_entropy
    return fn


def _mean(terms: Sequence[Any]) -> Any:
    total: Any = 0.0
    for term in terms:
        total = total + term
    return total / len(terms)


class _StopFlag:
    """Ctrl-C handling (main thread only): the first press asks to stop after the
    current step and says so in one line; a second press raises KeyboardInterrupt."""

    def __init__(self, notify: Callable[[str], None]) -> None:
        self.stop = False
        self.epoch = self.epochs = self.step = self.steps = 0
        self.in_step = False
        self.pending: str | None = None
        self._notify = notify
        self._old: Any = None

    def __enter__(self) -> _StopFlag:
        if threading.current_thread() is threading.main_thread():
            self._old = signal.signal(signal.SIGINT, self._handle)
        return self

    def _handle(self, signum: int, frame: Any) -> None:
        if self.stop:
            raise KeyboardInterrupt
        self.stop = True
        where = f"epoch {self.epoch}/{self.epochs}, step {self.step}/{self.steps}"
        message = (
            f"fit: Ctrl-C at {where}: stopping after this step"
            if self.in_step
            else f"fit: Ctrl-C after {where}: stopping"
        ) + " (press Ctrl-C again to abort at once)"
        try:  # writing from a signal handler can collide with a write in progress
            self._notify(message)
        except Exception:
            self.pending = message

    def flush(self) -> None:
        """Print the message the handler could not print."""
        if self.pending is not None:
            message, self.pending = self.pending, None
            self._notify(message)

    def __exit__(self, *exc: object) -> None:
        if self._old is not None:
            signal.signal(signal.SIGINT, self._old)


def _check_metrics(metrics: Mapping[str, Metric] | None) -> dict[str, Metric]:
    if metrics is None:
        return {}
    if not isinstance(metrics, Mapping):
        raise TypeError(
            f"fit: metrics must be a dict {{name: fn(predictions, targets)}}, "
            f"got {type(metrics).__name__}"
        )
    for name, fn in metrics.items():
        if not isinstance(name, str) or not callable(fn):
            raise TypeError(
                f"fit: metrics must map names to functions fn(predictions, targets), "
                f"got {name!r}: {fn!r}"
            )
    return dict(metrics)


def _as_lists(data: Any) -> Any:
    """A numpy array (anything with ``tolist``) as nested lists of Python numbers; other
    data as it is."""
    tolist = getattr(data, "tolist", None)
    return tolist() if callable(tolist) and not isinstance(data, list | tuple) else data


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
    metrics: Mapping[str, Metric] | None = None,
    progress: bool = True,
    callback: Callable[[int, History], Any] | None = None,
    compile: bool | str = False,
) -> History:
    """Train ``model`` on ``(X, y)``; return the :class:`History`.

    Each step backpropagates the mean loss of a batch and calls ``optimizer.step()``.
    ``batch_size=None`` is the full batch (GD), ``1`` per-sample SGD. ``loss`` is a name
    from ``LOSSES`` or ``(prediction, target) -> Value``; for ``"hinge"`` 0/1 labels
    become -1/+1; ``"softmax_cross_entropy"`` takes class indices or one-hot rows.

    History records the loss, the accuracy for classification losses (``bce``: output >
    0.5; ``bce_with_logits``, ``hinge``: output > 0; ``softmax_cross_entropy``: largest
    output) and every ``metrics={name: fn(predictions, targets) -> float}``, with
    ``val_`` versions when ``validation=(X_val, y_val)`` is given.

    Progress goes to stderr: a ``tqdm.auto`` bar when tqdm is installed, else one line
    per epoch for the first 10 epochs and then one per 10% of the epochs; nothing with
    ``progress=False``. ``callback(epoch, history)`` runs after each epoch and stops
    training by returning True. Ctrl-C stops after the current step (one line says so)
    and returns the history; a second Ctrl-C raises KeyboardInterrupt at once.

    ``compile=True`` traces one sample's loss once (:func:`autograd.compile`) and runs
    each step as generated code, sample by sample; ``compile="batch"`` runs the whole
    batch at once with numpy. Both give the eager step's numbers (up to the order of the
    sums) many times faster; the model's graph must not depend on the data's values
    (see :mod:`nn.compiled`).
    """
    X, y = _as_lists(X), _as_lists(y)  # numpy arrays too: as Python numbers
    if validation is not None:
        validation = (_as_lists(validation[0]), _as_lists(validation[1]))
    if len(X) != len(y):
        raise ValueError(f"fit: {len(X)} inputs but {len(y)} targets")
    if len(X) == 0:
        raise ValueError("fit: no training data")
    if not isinstance(epochs, int) or epochs < 0:
        raise ValueError(f"fit: epochs must be an int >= 0, got {epochs!r}")
    if batch_size is not None and (not isinstance(batch_size, int) or batch_size < 1):
        raise ValueError(f"fit: batch_size must be None or an int >= 1, got {batch_size!r}")
    if validation is not None and len(validation[0]) != len(validation[1]):
        raise ValueError(
            f"fit: validation has {len(validation[0])} inputs but {len(validation[1])} targets"
        )
    if compile not in (False, True, "batch") or compile.__class__ not in (bool, str):
        raise ValueError(f"fit: compile must be False, True or 'batch', got {compile!r}")
    scores = _check_metrics(metrics)
    fn = _loss_fn(loss)
    step = (
        CompiledStep(model, X, y, fn, loss if isinstance(loss, str) else None, compile)
        if compile
        else None
    )
    acc = accuracy_for_loss(loss)
    opt = optimizer if optimizer is not None else SGD(model.parameters(), lr=0.01)
    size = len(X) if batch_size is None else min(batch_size, len(X))
    bar = _progress_bar(epochs) if progress else None
    # Graphs are acyclic, so reference counting frees them; the cyclic collector would
    # only rescan every live node again and again (60% of the time on moons).
    try:
        with gc_paused():
            history = _train(
                model,
                X,
                y,
                fn,
                opt,
                _Plan(epochs, size, shuffle, seed, validation, acc, scores),
                bar,
                callback,
                step,
            )
    finally:
        if bar is not None and not isinstance(bar, _Lines):
            bar.close()
    return history


@dataclass
class _Plan:
    epochs: int
    size: int
    shuffle: bool
    seed: int
    validation: tuple[Sequence[Any], Sequence[Any]] | None
    accuracy: Metric | None
    metrics: dict[str, Metric]


def _record(
    history: History, prefix: str, plan: _Plan, predictions: list[Any], targets: list[Any]
) -> None:
    """Append the accuracy and the metrics of one epoch (``prefix`` "" or "val_")."""
    if not predictions:
        return
    if plan.accuracy is not None:
        getattr(history, prefix + "accuracy").append(plan.accuracy(predictions, targets))
    table = history.val_metrics if prefix else history.metrics
    for name, metric in plan.metrics.items():
        table.setdefault(name, []).append(_number(metric(predictions, targets)))


def _train(
    model: Module,
    X: Sequence[Any],
    y: Sequence[Any],
    fn: Callable[[Any, Any], Any],
    opt: Optimizer,
    plan: _Plan,
    bar: Any,
    callback: Callable[[int, History], Any] | None,
    compiled: CompiledStep | None = None,
) -> History:
    rng = random.Random(plan.seed)
    order = list(range(len(X)))
    history = History()
    tracking = plan.accuracy is not None or bool(plan.metrics)
    with _StopFlag(lambda text: _say(bar, text)) as flag:
        flag.epochs = plan.epochs
        flag.steps = math.ceil(len(order) / plan.size)
        for epoch in range(1, plan.epochs + 1):
            if flag.stop:  # Ctrl-C came between two epochs (in the callback, say)
                flag.flush()
                history.interrupted = True
                break
            flag.epoch = epoch
            if plan.shuffle:
                rng.shuffle(order)
            total, seen = 0.0, 0
            predictions: list[Any] = []
            targets: list[Any] = []
            for step, start in enumerate(range(0, len(order), plan.size), start=1):
                flag.step, flag.in_step = step, True
                idx = order[start : start + plan.size]
                if compiled is not None:  # the generated code sets every grad
                    step_loss, step_predictions = compiled(idx, tracking)
                    opt.step()
                else:
                    outputs = [model(X[i]) for i in idx]
                    batch_loss = _mean([fn(out, y[i]) for out, i in zip(outputs, idx, strict=True)])
                    opt.zero_grad()
                    if isinstance(batch_loss, Value):
                        batch_loss.backward()
                    opt.step()
                    step_loss = _number(batch_loss)
                    step_predictions = [plain(out) for out in outputs] if tracking else []
                flag.in_step = False
                total += step_loss * len(idx)
                seen += len(idx)
                if tracking:
                    predictions.extend(step_predictions)
                    targets.extend(y[i] for i in idx)
                if flag.stop:
                    break
            flag.flush()
            history.loss.append(total / seen)
            _record(history, "", plan, predictions, targets)
            if plan.validation is not None and len(plan.validation[0]):
                _validate(model, fn, plan, history)
            _report(bar, epoch, plan.epochs, history, last=flag.stop)
            if flag.stop:
                history.interrupted = True
                break
            if callback is not None and callback(epoch, history) is True:
                break
    return history


def _validate(model: Module, fn: Callable[[Any, Any], Any], plan: _Plan, history: History) -> None:
    assert plan.validation is not None
    Xv, yv = list(plan.validation[0]), list(plan.validation[1])
    with no_grad():
        outputs = [model(x) for x in Xv]
        history.val_loss.append(
            _number(_mean([fn(out, t) for out, t in zip(outputs, yv, strict=True)]))
        )
    _record(history, "val_", plan, [plain(out) for out in outputs], yv)


class _Lines:
    """Progress without tqdm: lines on stderr."""


def _progress_bar(epochs: int) -> Any:
    try:
        from tqdm.auto import tqdm
    except ImportError:
        return _Lines()
    return tqdm(total=epochs, unit="epoch", file=sys.stderr)


def _say(bar: Any, text: str) -> None:
    """One line on stderr, above the progress bar if there is one."""
    if bar is not None and not isinstance(bar, _Lines):
        bar.write(text, file=sys.stderr)
    else:
        print(text, file=sys.stderr, flush=True)


def _summary(history: History) -> str:
    parts = [f"loss {history.loss[-1]:.6g}"]
    if history.accuracy:
        parts.append(f"accuracy {history.accuracy[-1]:.4g}")
    parts += [f"{name} {values[-1]:.6g}" for name, values in history.metrics.items() if values]
    if history.val_loss:
        parts.append(f"val_loss {history.val_loss[-1]:.6g}")
    if history.val_accuracy:
        parts.append(f"val_accuracy {history.val_accuracy[-1]:.4g}")
    parts += [
        f"val_{name} {values[-1]:.6g}" for name, values in history.val_metrics.items() if values
    ]
    return "  ".join(parts)


def _line_due(epoch: int, epochs: int) -> bool:
    """Without tqdm: a line for epochs 1-10, then every 10% of the epochs, and the last."""
    return epoch <= 10 or epoch % max(1, math.ceil(epochs / 10)) == 0 or epoch == epochs


def _report(bar: Any, epoch: int, epochs: int, history: History, last: bool) -> None:
    if bar is None:
        return
    text = _summary(history)
    if isinstance(bar, _Lines):
        if last or _line_due(epoch, epochs):
            print(f"epoch {epoch}/{epochs}  {text}", file=sys.stderr, flush=True)
        return
    # Set the text first, then advance: whenever tqdm draws, the count and the loss
    # belong to the same epoch.
    bar.set_postfix_str(text, refresh=False)
    bar.update(1)
