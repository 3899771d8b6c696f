"""Optimizers with PyTorch's update rules and defaults: SGD, Adagrad, RMSprop, Adam.

Each works on ``p.data`` from ``p.grad`` for the parameters it was given. GD is SGD on
the full batch; the lecture notes' Momentum is ``SGD(momentum=0.9)``.

>>> from autograd import Value
>>> w = Value(1.0)
>>> opt = SGD([w], lr=0.1)
>>> (w * w).backward()
>>> opt.step()
>>> round(w.data, 10)
0.8
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from autograd import Value
from autograd.ops import data_of

__all__ = ["SGD", "Adagrad", "Adam", "Optimizer", "RMSprop"]


def _check(name: str, value: float, low: float = 0.0) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not value >= low:
        raise ValueError(f"{name} must be a number >= {low}, got {value!r}")
    return float(value)


class Optimizer:
    """Base class: holds the parameters, per-parameter state and hyperparameters."""

    def __init__(self, params: Iterable[Value], **hyper: Any) -> None:
        self.params = list(params)
        if not self.params:
            raise ValueError(f"{type(self).__name__}: got an empty parameter list")
        for p in self.params:
            if not isinstance(p, Value):
                raise TypeError(
                    f"{type(self).__name__}: parameters must be Values, got {type(p).__name__}"
                )
        self.hyper = hyper
        self.state: dict[str, list[float]] = {}
        self.steps = 0

    def _buffer(self, name: str) -> list[float]:
        if name not in self.state:
            self.state[name] = [0.0] * len(self.params)
        return self.state[name]

    def zero_grad(self) -> None:
        """Set every parameter's grad to 0.0."""
        for p in self.params:
            p.grad = 0.0

    def step(self) -> None:
        """Update every parameter once from its grad."""
        self.steps += 1
        self._update([float(data_of(p.grad)) for p in self.params])

    def _update(self, grads: list[float]) -> None:  # pragma: no cover - abstract
        raise TypeError(f"{type(self).__name__} does not define an update rule")

    def state_dict(self) -> dict[str, Any]:
        """Hyperparameters, step count and buffers (plain JSON-able data)."""
        return {
            "type": type(self).__name__,
            "hyper": dict(self.hyper),
            "steps": self.steps,
            "state": {k: list(v) for k, v in self.state.items()},
        }

    def load_state_dict(self, state: dict[str, Any]) -> None:
        """Restore what :meth:`state_dict` returned; nothing changes if it does not fit."""
        if state.get("type") != type(self).__name__:
            raise ValueError(
                f"load_state_dict: state is for {state.get('type')!r}, not {type(self).__name__}"
            )
        buffers = state.get("state", {})
        for name, values in buffers.items():
            if len(values) != len(self.params):
                raise ValueError(
                    f"load_state_dict: buffer {name!r} has {len(values)} entries for "
                    f"{len(self.params)} parameters"
                )
        self.hyper = dict(state.get("hyper", self.hyper))
        self.steps = int(state.get("steps", 0))
        self.state = {k: [float(x) for x in v] for k, v in buffers.items()}


class SGD(Optimizer):
    """Stochastic gradient descent, as ``torch.optim.SGD`` (dampening 0).

    ``g = grad + weight_decay * p``; with momentum ``b = momentum * b + g`` (``b = g`` on
    the first step) and ``g = g + momentum * b`` if nesterov else ``g = b``;
    then ``p = p - lr * g``.
    """

    def __init__(
        self,
        params: Iterable[Value],
        lr: float,
        momentum: float = 0.0,
        nesterov: bool = False,
        weight_decay: float = 0.0,
    ) -> None:
        _check("lr", lr)
        _check("momentum", momentum)
        _check("weight_decay", weight_decay)
        if nesterov and momentum <= 0:
            raise ValueError("nesterov momentum requires momentum > 0")
        super().__init__(
            params, lr=lr, momentum=momentum, nesterov=nesterov, weight_decay=weight_decay
        )

    def _update(self, grads: list[float]) -> None:
        h = self.hyper
        lr, mom, wd, nesterov = h["lr"], h["momentum"], h["weight_decay"], h["nesterov"]
        buf = self._buffer("momentum_buffer") if mom else None
        for i, (p, g) in enumerate(zip(self.params, grads, strict=True)):
            if wd:
                g += wd * p.data
            if buf is not None:
                buf[i] = g if self.steps == 1 else mom * buf[i] + g
                g = g + mom * buf[i] if nesterov else buf[i]
            p.data -= lr * g


class Adagrad(Optimizer):
    """Adagrad, as ``torch.optim.Adagrad``: ``s += g**2``; ``p -= lr * g / (sqrt(s) + eps)``."""

    def __init__(self, params: Iterable[Value], lr: float = 0.01, eps: float = 1e-10) -> None:
        _check("lr", lr)
        _check("eps", eps)
        super().__init__(params, lr=lr, eps=eps)

    def _update(self, grads: list[float]) -> None:
        lr, eps = self.hyper["lr"], self.hyper["eps"]
        s = self._buffer("sum")
        for i, (p, g) in enumerate(zip(self.params, grads, strict=True)):
            s[i] += g * g
            p.data -= lr * g / (math.sqrt(s[i]) + eps)


class RMSprop(Optimizer):
    """RMSprop, as ``torch.optim.RMSprop`` (not centered).

    ``v = alpha * v + (1 - alpha) * g**2``; ``d = g / (sqrt(v) + eps)``; with momentum
    ``b = momentum * b + d`` and ``p -= lr * b``, else ``p -= lr * d``.
    """

    def __init__(
        self,
        params: Iterable[Value],
        lr: float = 0.01,
        alpha: float = 0.99,
        eps: float = 1e-8,
        momentum: float = 0.0,
    ) -> None:
        _check("lr", lr)
        _check("alpha", alpha)
        _check("eps", eps)
        _check("momentum", momentum)
        super().__init__(params, lr=lr, alpha=alpha, eps=eps, momentum=momentum)

    def _update(self, grads: list[float]) -> None:
        h = self.hyper
        lr, alpha, eps, mom = h["lr"], h["alpha"], h["eps"], h["momentum"]
        v = self._buffer("square_avg")
        buf = self._buffer("momentum_buffer") if mom else None
        for i, (p, g) in enumerate(zip(self.params, grads, strict=True)):
            v[i] = alpha * v[i] + (1 - alpha) * g * g
            d = g / (math.sqrt(v[i]) + eps)
            if buf is not None:
                buf[i] = mom * buf[i] + d
                d = buf[i]
            p.data -= lr * d


class Adam(Optimizer):
    """Adam, as ``torch.optim.Adam`` (weight decay added to the gradient, not AdamW).

    ``g = grad + weight_decay * p``; ``m = b1 m + (1-b1) g``; ``v = b2 v + (1-b2) g**2``;
    ``p -= lr / (1 - b1**t) * m / (sqrt(v) / sqrt(1 - b2**t) + eps)``.
    """

    def __init__(
        self,
        params: Iterable[Value],
        lr: float = 0.001,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
    ) -> None:
        _check("lr", lr)
        _check("eps", eps)
        _check("weight_decay", weight_decay)
        b1, b2 = betas
        if not (0.0 <= b1 < 1.0 and 0.0 <= b2 < 1.0):
            raise ValueError(f"betas must be in [0, 1), got {betas!r}")
        super().__init__(params, lr=lr, betas=(b1, b2), eps=eps, weight_decay=weight_decay)

    def _update(self, grads: list[float]) -> None:
        h = self.hyper
        lr, (b1, b2), eps, wd = h["lr"], h["betas"], h["eps"], h["weight_decay"]
        m, v = self._buffer("exp_avg"), self._buffer("exp_avg_sq")
        t = self.steps
        step_size = lr / (1 - b1**t)
        root_bc2 = math.sqrt(1 - b2**t)
        for i, (p, g) in enumerate(zip(self.params, grads, strict=True)):
            if wd:
                g += wd * p.data
            m[i] = b1 * m[i] + (1 - b1) * g
            v[i] = b2 * v[i] + (1 - b2) * g * g
            p.data -= step_size * m[i] / (math.sqrt(v[i]) / root_bc2 + eps)
