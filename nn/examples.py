"""The training examples of the books, built with :mod:`nn`: data, models and studies.

* ``dezero_spiral``: the 3-class spiral of DeZero's ``get_spiral()`` (*Deep Learning
  from Scratch 3*, steps 48 and 50), by the book's formula;
* ``train_dezero_spiral``: the book's 2-10-3 sigmoid MLP trained on it with SGD
  (lr 1.0, batches of 30, 300 epochs);
* ``activation_histograms``: the per-layer activations of *Deep Learning from Scratch*
  (book 1, chapter 6): 5 layers of 100 units, weights N(0, std²), no bias.

>>> X, y = dezero_spiral()
>>> len(X), [y.count(k) for k in range(3)]
(300, [100, 100, 100])
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable

from autograd import relu, sigmoid, tanh

from .layers import MLP
from .optim import SGD
from .train import History, fit

__all__ = [
    "ACTIVATION_FUNCTIONS",
    "activation_histograms",
    "dezero_spiral",
    "lecun_normal",
    "train_dezero_spiral",
]


def dezero_spiral(seed: int = 0) -> tuple[list[list[float]], list[int]]:
    """DeZero's ``get_spiral()``: 100 points in each of 3 classes, labels 0, 1, 2.

    Point ``i`` of class ``j`` has radius ``i / 100`` and angle
    ``theta = 4j + 4 i/100 + 0.2 N(0, 1)``; it is ``(r sin theta, r cos theta)``, as in
    the book. The noise comes from Python's ``random`` (seeded), not NumPy's, so the
    points are not the book's own but follow its formula. The order is the book's too:
    class by class (``fit`` shuffles each epoch).

    >>> X, y = dezero_spiral(seed=1)
    >>> X[0], y[0], y[-1]
    ([0.0, 0.0], 0, 2)
    """
    rng = random.Random(seed)
    X: list[list[float]] = []
    y: list[int] = []
    for j in range(3):
        for i in range(100):
            rate = i / 100
            theta = j * 4.0 + 4.0 * rate + rng.gauss(0.0, 1.0) * 0.2
            X.append([rate * math.sin(theta), rate * math.cos(theta)])
            y.append(j)
    return X, y


def lecun_normal(fan_in: int, fan_out: int, rng: random.Random | int | None = None) -> float:
    """N(0, 1 / fan_in): how DeZero's ``Linear`` initialises its weights.

    >>> round(lecun_normal(4, 1, random.Random(0)), 6)
    0.470858
    """
    r = rng if isinstance(rng, random.Random) else random.Random(rng)
    return r.gauss(0.0, math.sqrt(1.0 / fan_in))


def train_dezero_spiral(
    epochs: int = 300, seed: int = 0, *, data_seed: int = 0
) -> tuple[MLP, History]:
    """DeZero steps 48/50: a 2-10-3 sigmoid MLP on :func:`dezero_spiral`, SGD lr 1.0, batch 30.

    Weights N(0, 1/fan_in) as DeZero's, biases 0; the loss is softmax cross-entropy.
    With the defaults (seeds 0, 300 epochs) the last epoch's mean loss is about 0.11 and
    the accuracy about 0.96 (the book reports a loss of about 0.11 too). It takes some
    seconds: ``docs/figures.py`` trains it and the docs load the result.

    >>> model, history = train_dezero_spiral(epochs=2)
    >>> len(history.loss), history.loss[1] < history.loss[0]
    (2, True)
    """
    X, y = dezero_spiral(data_seed)
    model = MLP(2, [10, 3], activation="sigmoid", init=lecun_normal, seed=seed)
    history = fit(
        model,
        X,
        y,
        loss="softmax_cross_entropy",
        optimizer=SGD(model.parameters(), lr=1.0),
        epochs=epochs,
        batch_size=30,
        seed=seed,
        progress=False,
    )
    return model, history


ACTIVATION_FUNCTIONS: dict[str, Callable[[float], float]] = {
    "sigmoid": sigmoid,
    "relu": relu,
    "tanh": tanh,
}


def activation_histograms(
    activation: str,
    std: float | str,
    n_samples: int = 1000,
    *,
    units: int = 100,
    layers: int = 5,
    seed: int = 0,
) -> list[list[float]]:
    """Each hidden layer's outputs for inputs N(0, 1): DLFS 1, chapter 6.

    ``n_samples`` inputs of ``units`` values go through ``layers`` layers of ``units``
    units, weights N(0, std²), no bias, then ``activation`` (``"sigmoid"``, ``"relu"``,
    ``"tanh"``). ``std`` is a number or ``"xavier"`` (1/sqrt(units)) or ``"he"``
    (sqrt(2/units)). Returns one list per layer of its ``n_samples * units`` outputs.
    Plain floats throughout (no graph): the forward pass is all that is studied.

    >>> out = activation_histograms("sigmoid", 0.01, n_samples=5, units=10, layers=2)
    >>> len(out), len(out[0]), all(abs(a - 0.5) < 0.1 for a in out[1])
    (2, 50, True)
    """
    if activation not in ACTIVATION_FUNCTIONS:
        raise ValueError(
            f"activation_histograms: activation must be one of "
            f"{', '.join(ACTIVATION_FUNCTIONS)}, got {activation!r}"
        )
    if std == "xavier":
        scale = math.sqrt(1.0 / units)
    elif std == "he":
        scale = math.sqrt(2.0 / units)
    elif isinstance(std, int | float) and not isinstance(std, bool) and std > 0:
        scale = float(std)
    else:
        raise ValueError(
            f"activation_histograms: std must be a positive number, 'xavier' or 'he', got {std!r}"
        )
    act = ACTIVATION_FUNCTIONS[activation]
    rng = random.Random(seed)
    x = [[rng.gauss(0.0, 1.0) for _ in range(units)] for _ in range(n_samples)]
    result: list[list[float]] = []
    for _ in range(layers):
        # columns[k] holds the weights into unit k
        columns = [[rng.gauss(0.0, scale) for _ in range(units)] for _ in range(units)]
        x = [[act(sum(map(float.__mul__, row, col))) for col in columns] for row in x]
        result.append([a for row in x for a in row])
    return result
