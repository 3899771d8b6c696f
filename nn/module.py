"""Module: parameters found by walking attributes, PyTorch-style names and state dicts.

A Module's parameters are the Values among its public attributes, in definition order,
walking into sub-Modules and lists of them; names are dotted paths such as
``layers.0.neurons.1.w.0``.

>>> from autograd import Value
>>> class Line(Module):
...     def __init__(self) -> None:
...         self.w = [Value(2.0), Value(3.0)]
...         self.b = Value(1.0)
>>> line = Line()
>>> list(name for name, _ in line.named_parameters())
['w.0', 'w.1', 'b']
>>> line.state_dict()
{'w.0': 2.0, 'w.1': 3.0, 'b': 1.0}
"""

from __future__ import annotations

import numbers
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from autograd import Value

from .modelfile import FORMAT, FORMAT_VERSION, load, register, save_model

__all__ = ["FORMAT", "FORMAT_VERSION", "Module", "functional_call", "load", "register"]


def _walk(obj: Any, prefix: str) -> Iterator[tuple[str, Any, Any, Any]]:
    """Yield (name, container, key, Value) for every Value below ``obj``."""
    if isinstance(obj, Module):
        items: list[tuple[Any, Any]] = [
            (k, v) for k, v in vars(obj).items() if not k.startswith("_")
        ]
    elif isinstance(obj, list | tuple):
        items = list(enumerate(obj))
    else:
        return
    for key, value in items:
        name = f"{prefix}{key}"
        if isinstance(value, Value):
            yield name, obj, key, value
        elif isinstance(value, Module | list | tuple):
            yield from _walk(value, name + ".")


class Module:
    """Base class of everything in :mod:`nn` that holds parameters."""

    def __call__(self, *args: Any) -> Any:
        raise TypeError(f"{type(self).__name__} does not define __call__")

    def named_parameters(self) -> Iterator[tuple[str, Value]]:
        """``(dotted_name, Value)`` for every parameter, each Value once."""
        seen: set[int] = set()
        for name, _, _, value in _walk(self, ""):
            if id(value) not in seen:
                seen.add(id(value))
                yield name, value

    def parameters(self) -> list[Value]:
        """Every parameter Value, in :meth:`named_parameters` order."""
        return [v for _, v in self.named_parameters()]

    def zero_grad(self) -> None:
        """Set every parameter's grad to 0.0."""
        for p in self.parameters():
            p.grad = 0.0

    def num_parameters(self) -> int:
        """How many scalar parameters the module has."""
        return sum(1 for _ in self.named_parameters())

    def state_dict(self) -> dict[str, float]:
        """``{dotted_name: float}`` for every parameter."""
        return {name: v.data for name, v in self.named_parameters()}

    def load_state_dict(self, state: Mapping[str, Any], strict: bool = True) -> None:
        """Set parameters from ``state``; nothing changes if any entry is bad.

        With ``strict`` a missing or unexpected key is a ValueError naming it; a
        non-numeric value is always a ValueError naming its key.
        """
        if not isinstance(state, Mapping):
            raise TypeError(f"load_state_dict: expected a mapping, got {type(state).__name__}")
        params = dict(self.named_parameters())
        if strict:
            missing = [k for k in params if k not in state]
            if missing:
                raise ValueError(f"load_state_dict: missing key {missing[0]!r}")
            unexpected = [k for k in state if k not in params]
            if unexpected:
                raise ValueError(f"load_state_dict: unexpected key {unexpected[0]!r}")
        updates: list[tuple[Value, float]] = []
        for key, raw in state.items():
            if key not in params:
                continue
            if isinstance(raw, bool) or not isinstance(raw, numbers.Real):
                raise ValueError(
                    f"load_state_dict: value for {key!r} must be a number, "
                    f"got {type(raw).__name__}: {raw!r}"
                )
            updates.append((params[key], float(raw)))
        for param, number in updates:
            param.data = number

    # ------------------------------------------------------------------ saving
    def config(self) -> dict[str, Any]:
        """The constructor arguments that rebuild this module (for :meth:`save`)."""
        raise TypeError(
            f"{type(self).__name__} cannot be saved: it does not describe its architecture "
            "(override config())"
        )

    @classmethod
    def count_parameters(cls, config: Mapping[str, Any]) -> int | None:
        """How many parameters ``cls(**config)`` has, without building it (None: unknown).

        :func:`load` compares this with the number of parameters a file lists before it
        builds anything; override it in a registered Module so that a hostile file cannot
        make :func:`load` build a huge model.
        """
        return None

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the architecture, every parameter and its label as JSON, atomically.

        Floats round-trip exactly (JSON holds ``repr(float)``); nothing is pickled. A NaN
        or infinite parameter is a ValueError naming it.
        """
        return save_model(self, path)

    # -------------------------------------------------------------- inference
    def predict(self, X: Iterable[Any]) -> list[Any]:
        """The model's outputs for a batch of inputs as plain numbers; see :func:`nn.predict`."""
        from .inference import predict

        return predict(self, X)


def functional_call(model: Module, parameters: Sequence[Any], *args: Any) -> Any:
    """Call ``model(*args)`` with its parameters replaced by ``parameters`` (in order).

    Lets :func:`autograd.gradcheck` or :func:`autograd.grad` treat the parameters as
    function inputs; the model's own parameters are restored afterwards.
    """
    # one entry per distinct parameter, with every place that holds it (a parameter
    # shared by two layers is replaced in both)
    places: dict[int, tuple[Any, list[tuple[Any, Any]]]] = {}
    for _, container, key, value in _walk(model, ""):
        places.setdefault(id(value), (value, []))[1].append((container, key))
    slots = list(places.values())
    if len(parameters) != len(slots):
        raise ValueError(
            f"functional_call: expected {len(slots)} parameters, got {len(parameters)}"
        )

    def put(container: Any, key: Any, value: Any) -> None:
        if isinstance(container, Module):
            setattr(container, key, value)
        elif isinstance(container, list):
            container[key] = value
        else:  # pragma: no cover - tuples of parameters are not used by nn
            raise TypeError("functional_call: parameters inside tuples cannot be replaced")

    try:
        for (_, where), new in zip(slots, parameters, strict=True):
            value = new if isinstance(new, Value) else Value(new)
            for container, key in where:
                put(container, key, value)
        return model(*args)
    finally:
        for old, where in slots:
            for container, key in where:
                put(container, key, old)
