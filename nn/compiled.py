"""The compiled training step of ``fit(compile=True | "batch")``.

One sample's loss, ``loss(model(x), target)``, is traced once with the model's
parameters and the sample's inputs as arguments (:func:`autograd.compile`; the model's
output comes back as ``has_aux``), and every step then runs the generated code:
sample by sample (``compile=True``) or, with numpy, over the whole batch at once
(``"batch"``). The step's loss is the mean over the batch and each parameter's grad the
mean of the samples' gradients, as the eager step computes them (the same numbers up to
the order of the sums).

Targets: the loss may treat targets differently by value (``bce`` keeps one log for a
label of exactly 0 or 1, ``softmax_cross_entropy`` takes a class index), so targets are
constants of the trace and one function is compiled per distinct target; with more than
:data:`MAX_TARGET_KEYS` distinct targets (regression) and a loss that takes any number
(``mse``, ``sse_half``, ``bce``, ``bce_with_logits``), targets are arguments instead.

Frozen structure: the model's graph must not depend on the data's values (Python ``if``
on ``.data``), as in ``jax.jit``; every ``nn`` layer qualifies.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Sequence
from typing import Any

import autograd

from .module import Module, functional_call

__all__ = ["MAX_TARGET_KEYS", "CompiledStep"]

#: above this many distinct targets, targets are arguments of the compiled step (when the
#: loss allows it) rather than one compiled function each
MAX_TARGET_KEYS = 16

#: losses whose graph has the same structure for every target value given as a Value
_TARGET_FREE = ("mse", "sse_half", "bce", "bce_with_logits")


def _key(target: Any) -> Any:
    if isinstance(target, list | tuple):
        return tuple(_key(t) for t in target)
    return (type(target).__name__, target)


def _is_number(t: Any) -> bool:
    return isinstance(t, int | float) and not isinstance(t, bool)


class CompiledStep:
    """``step(indices)`` sets every parameter's grad to the batch's mean gradient and
    returns ``(mean loss, predictions)``; see the module docstring."""

    def __init__(
        self,
        model: Module,
        X: Sequence[Any],
        y: Sequence[Any],
        loss_fn: Callable[[Any, Any], Any],
        loss_name: str | None,
        mode: bool | str,
    ) -> None:
        self.model, self.X, self.y, self.loss_fn = model, X, y, loss_fn
        self.batch = mode == "batch"
        self.params = model.parameters()
        self.n = len(self.params)
        self.seq = not isinstance(X[0], numbers.Real)  # a row of features (list, array)
        self.nin = len(X[0]) if self.seq else 1
        for i, x in enumerate(X):
            seq = not isinstance(x, numbers.Real)
            if seq != self.seq or (len(x) if seq else 1) != self.nin:
                raise ValueError(
                    f"fit(compile=...): input {i} has a different shape than input 0 "
                    "(the compiled step needs inputs of one shape)"
                )
        keys = {_key(t) for t in y}
        numeric = all(
            _is_number(t) or (isinstance(t, list | tuple) and all(map(_is_number, t))) for t in y
        )
        self.targets_as_args = len(keys) > MAX_TARGET_KEYS and numeric and loss_name in _TARGET_FREE
        self.tlen = 0
        if self.targets_as_args:
            t0 = y[0]
            self.tseq = isinstance(t0, list | tuple)
            self.tlen = len(t0) if self.tseq else 1
        self.cache: dict[Any, Any] = {}
        if self.batch:
            import numpy

            self.np = numpy
            self.Xcols = numpy.array(
                [list(x) if self.seq else [x] for x in X], dtype=numpy.float64
            ).T.copy()
            if self.targets_as_args:
                self.ycols = numpy.array(
                    [list(t) if self.tseq else [t] for t in y], dtype=numpy.float64
                ).T.copy()

    def _sample_fn(self, target: Any) -> Callable[..., Any]:
        n, nin, model, loss_fn = self.n, self.nin, self.model, self.loss_fn
        seq, as_args = self.seq, self.targets_as_args

        def sample(*a: Any) -> Any:
            xs = list(a[n : n + nin])
            out = functional_call(model, a[:n], xs if seq else xs[0])
            if as_args:
                ts = list(a[n + nin :])
                t = ts if self.tseq else ts[0]
            else:
                t = target
            return loss_fn(out, t), out

        return sample

    def _compiled(self, i: int) -> Any:
        key = None if self.targets_as_args else _key(self.y[i])
        c = self.cache.get(key)
        if c is None:
            example = (*self._param_floats(), *self._inputs(i), *self._targets(i))
            c = autograd.compile(
                self._sample_fn(self.y[i]),
                example_args=example,
                argnums=tuple(range(self.n)),
                has_aux=True,
                batch=self.batch,
            )
            self.cache[key] = c
        return c

    def _param_floats(self) -> list[float]:
        return [p.data for p in self.params]

    def _inputs(self, i: int) -> list[float]:
        x = self.X[i]
        return [float(v) for v in x] if self.seq else [float(x)]

    def _targets(self, i: int) -> list[float]:
        if not self.targets_as_args:
            return []
        t = self.y[i]
        return [float(v) for v in t] if self.tseq else [float(t)]

    def __call__(self, idx: Sequence[int], want_predictions: bool) -> tuple[float, list[Any]]:
        ps = self._param_floats()
        total = 0.0
        sums = [0.0] * self.n
        preds: dict[int, Any] = {}
        if self.batch:
            groups: dict[Any, list[int]] = {}
            for i in idx:
                groups.setdefault(None if self.targets_as_args else _key(self.y[i]), []).append(i)
            for members in groups.values():
                c = self._compiled(members[0])
                cols = [self.Xcols[k][members] for k in range(self.nin)]
                if self.targets_as_args:
                    cols += [self.ycols[k][members] for k in range(self.tlen)]
                (value, out), grads = c(*ps, *cols)
                total += value
                for j, g in enumerate(grads):
                    sums[j] += g
                if want_predictions:
                    for row, i in enumerate(members):
                        preds[i] = (
                            [float(o[row]) for o in out]
                            if isinstance(out, list | tuple)
                            else float(out[row])
                        )
        else:
            for i in idx:
                c = self._compiled(i)
                (value, out), grads = c(*ps, *self._inputs(i), *self._targets(i))
                total += value
                for j, g in enumerate(grads):
                    sums[j] += g
                if want_predictions:
                    preds[i] = list(out) if isinstance(out, list | tuple) else out
        m = len(idx)
        for p, g in zip(self.params, sums, strict=True):
            p.grad = g / m
        return total / m, [preds[i] for i in idx] if want_predictions else []
