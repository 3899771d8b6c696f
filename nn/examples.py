"""The training examples of the books, built with :mod:`nn`: data, models and studies.

* ``dezero_spiral``: the 3-class spiral of DeZero's ``get_spiral()`` (*Deep Learning
  from Scratch 3*, steps 48 and 50), by the book's formula;
* ``train_dezero_spiral``: the book's 2-10-3 sigmoid MLP trained on it with SGD
  (lr 1.0, batches of 30, 300 epochs);
* ``gradient_descent``: *Deep Learning from Scratch* (book 1, chapter 4): x0² + x1² from
  (-3, 4), 100 steps, for a learning rate (0.1 converges, 10 diverges, 1e-10 stays);
* ``optimizer_paths``: book 1, chapter 6: SGD, Momentum, AdaGrad and Adam (and
  RMSProp) on x²/20 + y² from (-7, 2), 30 updates each;
* ``rosenbrock_descent``: DeZero step 28: gradient descent on Rosenbrock from (0, 2);
* ``newton_minimize``: DeZero steps 29 and 33: Newton's method on x⁴ - 2x² from 2, with
  the second derivative from ``grad(grad(f))``;
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

from autograd import Value, examples, grad, relu, sigmoid, tanh

from .layers import MLP
from .optim import SGD, Adagrad, Adam, Optimizer, RMSprop
from .train import History, fit

__all__ = [
    "ACTIVATION_FUNCTIONS",
    "OPTIMIZERS_DLFS6",
    "activation_histograms",
    "dezero_spiral",
    "gradient_descent",
    "lecun_normal",
    "newton_minimize",
    "optimizer_paths",
    "rosenbrock_descent",
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


def gradient_descent(lr: float, steps: int = 100) -> tuple[float, float]:
    """Book 1, chapter 4: ``steps`` of gradient descent on x0² + x1² from (-3, 4).

    >>> tuple(f"{c:.3g}" for c in gradient_descent(0.1))
    ('-6.11e-10', '8.15e-10')
    """
    x0, x1 = Value(-3.0, label="x0"), Value(4.0, label="x1")
    optimizer = SGD([x0, x1], lr=lr)
    for _ in range(steps):
        optimizer.zero_grad()
        (x0**2 + x1**2).backward()
        optimizer.step()
    return x0.data, x1.data


#: Book 1, chapter 6's optimizers with the book's learning rates (and RMSProp).
OPTIMIZERS_DLFS6: dict[str, Callable[[list[Value]], Optimizer]] = {
    "SGD": lambda p: SGD(p, lr=0.95),
    "Momentum": lambda p: SGD(p, lr=0.1, momentum=0.9),
    "AdaGrad": lambda p: Adagrad(p, lr=1.5),
    "Adam": lambda p: Adam(p, lr=0.3),
    "RMSProp": lambda p: RMSprop(p, lr=0.1),
}


def optimizer_paths(steps: int = 30) -> dict[str, list[tuple[float, float]]]:
    """Book 1, chapter 6: each optimizer's path on x²/20 + y² from (-7, 2).

    >>> adam = optimizer_paths()["Adam"]
    >>> tuple(round(c, 4) for c in adam[-1])
    (0.136, 0.3182)
    """
    paths = {}
    for name, make in OPTIMIZERS_DLFS6.items():
        x, y = Value(-7.0, label="x"), Value(2.0, label="y")
        optimizer = make([x, y])
        path = [(x.data, y.data)]
        for _ in range(steps):
            optimizer.zero_grad()
            (x**2 / 20 + y**2).backward()
            optimizer.step()
            path.append((x.data, y.data))
        paths[name] = path
    return paths


def rosenbrock_descent(iterations: int = 1000, lr: float = 0.001) -> tuple[float, float]:
    """DeZero step 28: gradient descent on Rosenbrock from (0, 2).

    >>> tuple(round(c, 4) for c in rosenbrock_descent(1000))
    (0.6837, 0.466)
    """
    start = examples.rosenbrock()
    x0, x1 = start.leaves["x0"], start.leaves["x1"]
    for _ in range(iterations):
        x0.grad = x1.grad = 0.0
        y = 100 * (x1 - x0**2) ** 2 + (x0 - 1) ** 2
        y.backward()
        x0.data -= lr * x0.grad
        x1.data -= lr * x1.grad
    return x0.data, x1.data


def newton_minimize(x: float = 2.0, iterations: int = 7) -> list[float]:
    """DeZero steps 29 and 33: Newton's method on x⁴ - 2x², x ← x - f'(x)/f''(x).

    >>> tuple(f"{v:.10f}" for v in newton_minimize()[:4])
    ('2.0000000000', '1.4545454545', '1.1510467894', '1.0253259290')
    """

    def f(v: Value) -> Value:
        return v**4 - 2 * v**2

    df, d2f = grad(f), grad(grad(f))
    path = [x]
    for _ in range(iterations):
        x = x - df(x) / d2f(x)
        path.append(x)
    return path
