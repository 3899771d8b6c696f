"""The initialisation study of the "Chapter 7 Code Total" notes: how activations and
gradients grow or shrink.

>>> r = init_study(depth=3, width=4, init="he", n_samples=10, seed=0)
>>> len(r["activation_std"]), len(r["gradient_std"])
(3, 3)
"""

from __future__ import annotations

import random
import statistics
from typing import Any

from autograd import Value

from . import init as _init
from .layers import MLP

__all__ = ["init_study"]


def init_study(
    depth: int,
    width: int,
    init: str | _init.Initializer = "he",
    n_samples: int = 100,
    seed: int = 0,
) -> dict[str, list[float]]:
    """Per-layer std of activations and of gradients in a ReLU network at initialisation.

    A network with 1 input, ``depth`` hidden ReLU layers of ``width`` units, and 1
    linear output, weights from ``init``, biases 0 (as in the "Chapter 7 Code Total"
    notes). For ``n_samples``
    inputs x ~ N(0, 1) and the loss ``(f - 0)**2``: ``activation_std[k]`` is the std of
    hidden layer k's outputs, ``gradient_std[k]`` the std of d loss / d (its
    pre-activations). With ``"normal"`` (N(0, 1)) both explode with depth; with
    ``"he"`` (N(0, 2/fan_in)) they stay of the same order.
    """
    if depth < 1 or width < 1 or n_samples < 2:
        raise ValueError("init_study: depth and width must be >= 1 and n_samples >= 2")
    model = MLP(1, [width] * depth + [1], activation="relu", init=init, seed=seed)
    rng = random.Random(seed + 1)
    acts: list[list[float]] = [[] for _ in range(depth)]
    grads: list[list[float]] = [[] for _ in range(depth)]
    for _ in range(n_samples):
        h: list[Any] = [Value(rng.gauss(0.0, 1.0))]
        pre: list[list[Value]] = []
        for k, layer in enumerate(model.layers[:-1]):
            out = layer(h)  # relu(z) nodes; z is each one's input
            pre.append([o.parents[0] for o in out])
            acts[k].extend(o.data for o in out)
            h = out
        f = model.layers[-1](h)[0]
        (f * f).backward()
        for k in range(depth):
            grads[k].extend(z.grad for z in pre[k])
    return {
        "activation_std": [statistics.pstdev(a) for a in acts],
        "gradient_std": [statistics.pstdev(g) for g in grads],
    }
