"""Model files: :func:`save_model` writes JSON atomically, :func:`load` reads it defensively.

A model file is JSON: ``format``, ``version``, ``class``, ``config`` (the constructor
arguments), ``parameters`` (``{dotted_name: float}``) and, when any parameter has one,
``labels`` (``{dotted_name: label}``, the names the pictures show). Nothing is pickled
or evaluated.

:func:`load` treats the file as untrusted: it refuses anything that is not a regular
file (a FIFO or a device would be read forever), reads at most ``max_bytes``, rejects
deep nesting, huge or non-finite numbers, and checks that the architecture the file asks
for has exactly as many parameters as the file lists **before** building the model, so
a small file cannot make it allocate much more than a small multiple of its own size.
Every problem is a ValueError that names the file.

>>> import tempfile, os
>>> from nn import MLP
>>> with tempfile.TemporaryDirectory() as folder:
...     path = MLP(2, [2, 1], seed=0).save(os.path.join(folder, "m.json"))
...     type(load(path)).__name__
'MLP'
"""

from __future__ import annotations

import json
import math
import os
import re
import stat
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from autograd.files import write_atomic

if TYPE_CHECKING:
    from .module import Module

__all__ = ["FORMAT", "FORMAT_VERSION", "MAX_BYTES", "load", "register", "save_model"]

FORMAT = "chaingrad.nn"
FORMAT_VERSION = 1
MAX_BYTES = 64 * 1024 * 1024
"""The default cap on a model file's size (64 MiB, about a million parameters)."""

_REGISTRY: dict[str, type[Module]] = {}
_MAX_INT_DIGITS = 18
_MAX_NUMBER_CHARS = 64
_MAX_SIZE = 10**9  # the largest layer size a file may ask for


def register(cls: type[Module]) -> type[Module]:
    """Class decorator: make a Module subclass loadable by :func:`load`."""
    _REGISTRY[cls.__name__] = cls
    return cls


class _Reject(ValueError):
    """A problem found while parsing; :func:`load` adds the file name."""


def save_model(model: Module, path: str | os.PathLike[str]) -> Path:
    """Write ``model``'s architecture, parameters and labels as JSON, atomically.

    A NaN or infinite parameter is a ValueError naming it (JSON has no NaN).
    """
    named = list(model.named_parameters())
    for name, value in named:
        if not math.isfinite(value.data):
            raise ValueError(
                f"save: parameter {name!r} is {value.data!r}; a model file holds only "
                "finite numbers (JSON has no NaN or infinity)"
            )
    document: dict[str, Any] = {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "class": type(model).__name__,
        "config": model.config(),
        "parameters": {name: value.data for name, value in named},
    }
    labels = {name: value.label for name, value in named if value.label}
    if labels:
        document["labels"] = labels
    return write_atomic(path, json.dumps(document, indent=1, allow_nan=False) + "\n")


def _read_capped(path: str | os.PathLike[str], where: str, max_bytes: int) -> bytes:
    """The bytes of a regular file of at most ``max_bytes``; anything else is refused."""
    kind = _kind(os.stat(path).st_mode)
    if kind is not None:
        raise ValueError(f"{where}: not a regular file ({kind}); refusing to read it")
    # O_NONBLOCK: if a FIFO is swapped in after the check, opening it does not hang.
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    with open(fd, "rb", closefd=True) as f:
        info = os.fstat(f.fileno())
        kind = _kind(info.st_mode)
        if kind is not None:
            raise ValueError(f"{where}: not a regular file ({kind}); refusing to read it")
        if info.st_size > max_bytes:
            raise ValueError(
                f"{where}: model file is {info.st_size} bytes, more than the "
                f"{max_bytes}-byte limit (pass max_bytes= to allow it)"
            )
        chunks: list[bytes] = []
        total = 0
        want = info.st_size + 1  # the whole file at once; small reads if it grows
        while chunk := f.read(min(want, max_bytes + 1 - total)):
            want = 1 << 16
            chunks.append(chunk)
            total += len(chunk)
            if total > max_bytes:
                raise ValueError(f"{where}: model file grew past the {max_bytes}-byte limit")
    return b"".join(chunks)


def _kind(mode: int) -> str | None:
    """None for a regular file, else what the path is."""
    if stat.S_ISREG(mode):
        return None
    for test, name in (
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    ):
        if test(mode):
            return name
    return "not a regular file"


def _parse_int(text: str) -> int:
    digits = len(text.lstrip("-"))
    if digits > _MAX_INT_DIGITS:
        raise _Reject(f"integer with {digits} digits is out of range")
    return int(text)


def _parse_float(text: str) -> float:
    if len(text) > _MAX_NUMBER_CHARS:
        raise _Reject(f"number with {len(text)} characters is out of range")
    number = float(text)
    if not math.isfinite(number):
        raise _Reject(f"number {text} is out of range for a float")
    return number


def _parse_constant(text: str) -> float:
    raise _Reject(f"{text} is not allowed: parameters must be finite numbers")


#: the deepest nesting of arrays and objects a model file may have (it needs about 4);
#: checked before parsing, so that json's recursive parser never goes deep, whatever
#: the program's recursion limit
_MAX_NESTING = 64
_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')


def _check_nesting(text: str) -> None:
    depth = 0
    for token in _TOKENS.finditer(text):
        c = token.group()
        if c in "[{":
            depth += 1
            if depth > _MAX_NESTING:
                raise _Reject(f"corrupt model file (JSON nested too deeply: over {_MAX_NESTING})")
        elif c in "]}":
            depth -= 1


def _decode(data: bytes, where: str) -> Any:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise ValueError(f"{where}: not a chaingrad model file (not UTF-8 text)") from None
    try:
        _check_nesting(text)
        return json.loads(
            text,
            parse_int=_parse_int,
            parse_float=_parse_float,
            parse_constant=_parse_constant,
        )
    except _Reject as exc:
        raise ValueError(f"{where}: {exc}") from None
    except json.JSONDecodeError as exc:
        raise ValueError(f"{where}: corrupt or truncated model file ({exc})") from None
    except RecursionError:
        raise ValueError(f"{where}: corrupt model file (JSON nested too deeply)") from None


def _size(config: Mapping[str, Any], key: str) -> int:
    n = config.get(key)
    if type(n) is not int or not 1 <= n <= _MAX_SIZE:
        raise _Reject(f"config {key!r} must be an int between 1 and {_MAX_SIZE}, got {n!r}")
    return n


def _bias(config: Mapping[str, Any]) -> int:
    bias = config.get("bias", True)
    if type(bias) is not bool:
        raise _Reject(f"config 'bias' must be true or false, got {bias!r}")
    return int(bias)


def _count_neuron(config: Mapping[str, Any]) -> int:
    return _size(config, "nin") + _bias(config)


def _count_layer(config: Mapping[str, Any]) -> int:
    return _size(config, "nout") * (_size(config, "nin") + _bias(config))


def _count_mlp(config: Mapping[str, Any]) -> int:
    nouts = config.get("nouts")
    if not isinstance(nouts, list) or not nouts:
        raise _Reject(f"config 'nouts' must be a non-empty list of layer sizes, got {nouts!r}")
    sizes = [_size(config, "nin")]
    for i in range(len(nouts)):
        sizes.append(_size({f"nouts[{i}]": nouts[i]}, f"nouts[{i}]"))
    bias = _bias(config)
    return sum(sizes[i + 1] * (sizes[i] + bias) for i in range(len(nouts)))


_BUILTIN_COUNTS: dict[str, Callable[[Mapping[str, Any]], int]] = {
    "nn.layers.Neuron": _count_neuron,
    "nn.layers.Layer": _count_layer,
    "nn.layers.MLP": _count_mlp,
}


def _planned_parameters(cls: type[Module], config: Mapping[str, Any]) -> int | None:
    """How many parameters ``cls(**config)`` would have, computed without building it."""
    builtin = _BUILTIN_COUNTS.get(f"{cls.__module__}.{cls.__qualname__}")
    if builtin is not None:
        return builtin(config)
    counter = getattr(cls, "count_parameters", None)
    return None if counter is None else counter(config)


def _describe(name: str, config: Mapping[str, Any]) -> str:
    args = ", ".join(f"{k}={v!r}" for k, v in config.items())
    return f"{name}({args})" if len(args) < 200 else f"{name}(...)"


def load(path: str | os.PathLike[str], *, max_bytes: int = MAX_BYTES) -> Module:
    """Rebuild a model written by :meth:`Module.save <nn.Module.save>`.

    A corrupt, truncated, foreign, oversized or future-version file, a file that is
    not a regular file, and a file whose architecture does not match the parameters
    it lists are each a ValueError naming the file and the problem. Parameter labels
    saved in the file are restored (files without labels load too).
    """
    where = str(path)
    doc = _decode(_read_capped(path, where, max_bytes), where)
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise ValueError(f"{where}: not a chaingrad model file (no format {FORMAT!r})")
    version = doc.get("version")
    if type(version) is not int:
        raise ValueError(f"{where}: model file has no valid version (got {version!r})")
    if version > FORMAT_VERSION:
        raise ValueError(
            f"{where}: model file version {version} is newer than this chaingrad "
            f"understands ({FORMAT_VERSION}); upgrade chaingrad"
        )
    if version < 1:
        raise ValueError(f"{where}: unknown model file version {version}")
    name = doc.get("class")
    if not isinstance(name, str):
        raise ValueError(f"{where}: the model class must be a name, got {name!r}")
    cls = _REGISTRY.get(name)
    if cls is None:
        raise ValueError(f"{where}: unknown model class {name!r}")
    config, params = doc.get("config"), doc.get("parameters")
    if not isinstance(config, dict) or not isinstance(params, dict):
        raise ValueError(f"{where}: model file lacks its config or parameters")
    labels = doc.get("labels", {})
    if not isinstance(labels, dict) or not all(isinstance(v, str) for v in labels.values()):
        raise ValueError(f"{where}: 'labels' must map parameter names to strings")
    try:
        planned = _planned_parameters(cls, config)
    except _Reject as exc:
        raise ValueError(f"{where}: {exc}") from None
    if planned is not None and planned != len(params):
        raise ValueError(
            f"{where}: {_describe(name, config)} has {planned:,} parameters but the file "
            f"lists {len(params):,}"
        )
    try:
        model = cls(**config)
        model.load_state_dict(params)
    except (TypeError, ValueError, OverflowError) as exc:
        raise ValueError(f"{where}: {exc}") from None
    if labels:
        named = dict(model.named_parameters())
        unknown = [k for k in labels if k not in named]
        if unknown:
            raise ValueError(f"{where}: label for unknown parameter {unknown[0]!r}")
        for key, label in labels.items():
            named[key].label = label
    return model
