"""The worked examples of the source documents, built with chaingrad.

Each builder returns an :class:`Example`: the root Value and the named leaves,
after ``backward()``. ``EXAMPLES`` maps each example's name to its builder. Every
intermediate result the documents name carries that name as its label, so
:func:`autograd.explain` reads like the documents.

The documents, by their titles: the lecture notes "Backpropagation" (Machine Learning,
김선녕: apple price, the sigmoid as a graph, ``||W x||^2``), "Chapter 7, I.
Backpropagation <Toy model>" (the toy model), and Lecture 13 "인공신경망(ANN)과
손실함수, 역전파법" of the 양재 AI School 인공지능 캠프 (the chain-rule exercise, the
sigmoid).

The famous examples of the books (*Deep Learning from Scratch 3*, which builds DeZero,
and Andrej Karpathy's micrograd video and README) are here too, with the numbers of the
books' own code: ``sphere``, ``matyas``, ``goldstein_price`` (step 24), ``taylor_sin``
(step 27), ``rosenbrock`` (step 28), ``tanh_d2``/``tanh_d4`` (step 35),
``micrograd_L``, ``micrograd_neuron`` and ``micrograd_readme``.

>>> ex = apple_price()
>>> round(ex.root.data, 9), round(ex.leaves["apple"].grad, 9), round(ex.leaves["tax"].grad, 9)
(220.0, 2.2, 200.0)
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

from .value import Value

__all__ = [
    "EXAMPLES",
    "Example",
    "apple_orange",
    "apple_price",
    "chain_rule",
    "fan_out",
    "goldstein_price",
    "matyas",
    "micrograd_L",
    "micrograd_neuron",
    "micrograd_readme",
    "rosenbrock",
    "sigmoid",
    "sphere",
    "tanh_derivative",
    "taylor_sin",
    "toy_model",
    "toy_model_reference",
    "wx_norm",
]


@dataclass
class Example:
    """A worked example: its name, a one-line description, root and named leaves."""

    name: str
    description: str
    root: Value
    leaves: dict[str, Value]
    expected: dict[str, float] = field(default_factory=dict)


def _leaves(**values: float) -> dict[str, Value]:
    return {name: Value(v, label=name) for name, v in values.items()}


def apple_price() -> Example:
    """Lecture notes "Backpropagation" (Machine Learning): 2 apples at 100 won, 10% tax.

    220 won; d/d(apple) = 2.2, d/d(count) = 110, d/d(tax) = 200.
    """
    p = _leaves(apple=100, count=2, tax=1.1)
    cost = p["apple"] * p["count"]
    cost.label = "apples"
    total = cost * p["tax"]
    total.label = "total"
    total.backward()
    return Example(
        "apple_price",
        '2 apples at 100 won, 10% tax (lecture notes "Backpropagation")',
        total,
        p,
        {"total": 220.0, "apple": 2.2, "count": 110.0, "tax": 200.0},
    )


def apple_orange() -> Example:
    """Lecture notes "Backpropagation": 2 apples at 100 and 3 oranges at 150, 10% tax: 715."""
    p = _leaves(apple=100, apple_count=2, orange=150, orange_count=3, tax=1.1)
    apples = p["apple"] * p["apple_count"]
    apples.label = "apples"
    oranges = p["orange"] * p["orange_count"]
    oranges.label = "oranges"
    subtotal = apples + oranges
    subtotal.label = "subtotal"
    total = subtotal * p["tax"]
    total.label = "total"
    total.backward()
    return Example(
        "apple_orange",
        '2 apples at 100 and 3 oranges at 150 won, 10% tax (lecture notes "Backpropagation")',
        total,
        p,
        {
            "total": 715.0,
            "apple": 2.2,
            "apple_count": 110.0,
            "orange": 3.3,
            "orange_count": 165.0,
            "tax": 650.0,
        },
    )


TOY_PARAMS = {
    "beta0": 1.0,
    "beta1": 2.0,
    "beta2": -3.0,
    "beta3": 0.4,
    "omega0": 0.1,
    "omega1": -0.4,
    "omega2": 2.0,
    "omega3": 3.0,
}
TOY_X, TOY_Y = 2.3, 2.0


def toy_model_reference(x: float = TOY_X, y: float = TOY_Y) -> dict[str, float]:
    """The hand-written forward and backward pass of "Backpropagation <Toy model>", on floats."""
    beta0, beta1, beta2, beta3 = (TOY_PARAMS[f"beta{i}"] for i in range(4))
    omega0, omega1, omega2, omega3 = (TOY_PARAMS[f"omega{i}"] for i in range(4))
    f0 = beta0 + omega0 * x
    h1 = math.sin(f0)
    f1 = beta1 + omega1 * h1
    h2 = math.exp(f1)
    f2 = beta2 + omega2 * h2
    h3 = math.cos(f2)
    f3 = beta3 + omega3 * h3
    loss = (f3 - y) ** 2
    dldf3 = 2 * (f3 - y)
    dldh3 = omega3 * dldf3
    dldf2 = -math.sin(f2) * dldh3
    dldh2 = omega2 * dldf2
    dldf1 = math.exp(f1) * dldh2
    dldh1 = omega1 * dldf1
    dldf0 = math.cos(f0) * dldh1
    return {
        "loss": loss,
        "beta3": 2 * (f3 - y),
        "omega3": h3 * 2 * (f3 - y),
        "beta2": dldf2,
        "omega2": h2 * dldf2,
        "beta1": dldf1,
        "omega1": h1 * dldf1,
        "beta0": dldf0,
        "omega0": x * dldf0,
    }


def toy_model() -> Example:
    """ "Chapter 7, I. Backpropagation <Toy model>": f = b3 + w3 cos(b2 + w2 exp(b1 + w1 sin(b0
    + w0 x))), loss (f - y)**2, with the notes' names f0, h1, f1, h2, f2, h3, f3 and l.

    ``leaves`` holds the eight parameters; x and y are labelled leaves of the graph too.
    """
    p = _leaves(**TOY_PARAMS)
    x, y = Value(TOY_X, label="x"), Value(TOY_Y, label="y")
    f0 = p["beta0"] + p["omega0"] * x
    f0.label = "f0"
    h1 = f0.sin()
    h1.label = "h1"
    f1 = p["beta1"] + p["omega1"] * h1
    f1.label = "f1"
    h2 = f1.exp()
    h2.label = "h2"
    f2 = p["beta2"] + p["omega2"] * h2
    f2.label = "f2"
    h3 = f2.cos()
    h3.label = "h3"
    f3 = p["beta3"] + p["omega3"] * h3
    f3.label = "f3"
    loss = (f3 - y) ** 2
    loss.label = "l"
    loss.backward()
    return Example(
        "toy_model",
        'toy model at x=2.3, y=2.0, loss (f - y)**2 (lecture notes "Backpropagation <Toy model>")',
        loss,
        p,
        toy_model_reference(),
    )


def sigmoid(x: float = 0.5) -> Example:
    """Sigmoid from primitive nodes x -> *-1 -> exp -> +1 -> 1/x ("Backpropagation", Lecture 13)."""
    p = _leaves(x=x)
    y = 1 / ((p["x"] * -1).exp() + 1)
    y.label = "y"
    y.backward()
    s = 1 / (1 + math.exp(-x))
    return Example(
        "sigmoid",
        f"sigmoid as a graph of primitives at x={x}; dy/dx = y(1-y)",
        y,
        p,
        {"y": s, "x": s * (1 - s)},
    )


def chain_rule(r: float = 1.5, t: float = 0.7) -> Example:
    """Lecture 13 "인공신경망(ANN)과 손실함수, 역전파법": u = x**2 + 2y.

    x = r sin t, y = sin(t)**2: du/dr = 2 r sin^2 t, du/dt = (r^2 + 2) sin 2t.
    """
    p = _leaves(r=r, t=t)
    x = p["r"] * p["t"].sin()
    x.label = "x"
    y = p["t"].sin() ** 2
    y.label = "y"
    u = x**2 + 2 * y
    u.label = "u"
    u.backward()
    return Example(
        "chain_rule",
        f"u = x^2 + 2y, x = r sin t, y = sin^2 t at r={r}, t={t} (Lecture 13)",
        u,
        p,
        {
            "u": (r * math.sin(t)) ** 2 + 2 * math.sin(t) ** 2,
            "r": 2 * r * math.sin(t) ** 2,
            "t": (r**2 + 2) * math.sin(2 * t),
        },
    )


def wx_norm() -> Example:
    """Lecture notes "Backpropagation": f = ||W x||^2 at W = [[.1, .5], [-.3, .8]], x = [.2, .4]."""
    p = _leaves(W11=0.1, W12=0.5, W21=-0.3, W22=0.8, x1=0.2, x2=0.4)
    q1 = p["W11"] * p["x1"] + p["W12"] * p["x2"]
    q1.label = "q1"
    q2 = p["W21"] * p["x1"] + p["W22"] * p["x2"]
    q2.label = "q2"
    f = q1**2 + q2**2
    f.label = "f"
    f.backward()
    return Example(
        "wx_norm",
        'f = ||W x||^2 for a 2x2 W (lecture notes "Backpropagation")',
        f,
        p,
        {
            "f": 0.116,
            "W11": 0.088,
            "W12": 0.176,
            "W21": 0.104,
            "W22": 0.208,
            "x1": -0.112,
            "x2": 0.636,
        },
    )


def fan_out(x: float = 3.0, y: float = 5.0) -> Example:
    """A node used twice: f = q + x with q = x*y; df/dx = y + 1 is the sum of two terms."""
    p = _leaves(x=x, y=y)
    q = p["x"] * p["y"]
    q.label = "q"
    f = q + p["x"]
    f.label = "f"
    f.backward()
    return Example(
        "fan_out",
        f"f = x*y + x at x={x}, y={y}: x is used twice, df/dx = y + 1 sums both uses",
        f,
        p,
        {"f": x * y + x, "x": y + 1, "y": x},
    )


# ------------------------------------------------------- the books: DeZero and micrograd
def sphere(x: float = 1.0, y: float = 1.0) -> Example:
    """DeZero step 24: z = x**2 + y**2 at (1, 1): z = 2, gradients 2 and 2."""
    p = _leaves(x=x, y=y)
    z = p["x"] ** 2 + p["y"] ** 2
    z.label = "z"
    z.backward()
    return Example(
        "sphere",
        "DeZero step 24: sphere x^2 + y^2 at (1, 1)",
        z,
        p,
        {"z": x * x + y * y, "x": 2 * x, "y": 2 * y},
    )


def matyas(x: float = 1.0, y: float = 1.0) -> Example:
    """DeZero step 24: z = 0.26 (x**2 + y**2) - 0.48 x y at (1, 1): gradients 0.04, 0.04."""
    p = _leaves(x=x, y=y)
    z = 0.26 * (p["x"] ** 2 + p["y"] ** 2) - 0.48 * p["x"] * p["y"]
    z.label = "z"
    z.backward()
    return Example(
        "matyas",
        "DeZero step 24: matyas at (1, 1)",
        z,
        p,
        {
            "z": 0.26 * (x * x + y * y) - 0.48 * x * y,
            "x": 0.52 * x - 0.48 * y,
            "y": 0.52 * y - 0.48 * x,
        },
    )


def goldstein_price(x: float = 1.0, y: float = 1.0) -> Example:
    """DeZero step 24: the Goldstein-Price function at (1, 1): 1876, gradients -5376, 8064.

    >>> ex = goldstein_price()
    >>> ex.root.data, ex.leaves["x"].grad, ex.leaves["y"].grad
    (1876.0, -5376.0, 8064.0)
    """
    p = _leaves(x=x, y=y)
    a, b = p["x"], p["y"]
    left = 1 + (a + b + 1) ** 2 * (19 - 14 * a + 3 * a**2 - 14 * b + 6 * a * b + 3 * b**2)
    left.label = "left"
    right = 30 + (2 * a - 3 * b) ** 2 * (18 - 32 * a + 12 * a**2 + 48 * b - 36 * a * b + 27 * b**2)
    right.label = "right"
    z = left * right
    z.label = "z"
    z.backward()
    expected = {"z": 1876.0, "x": -5376.0, "y": 8064.0} if (x, y) == (1.0, 1.0) else {}
    return Example(
        "goldstein_price", "DeZero step 24: Goldstein-Price at (1, 1) = 1876", z, p, expected
    )


def taylor_sin(x: float = math.pi / 4, threshold: float = 1e-4) -> Example:
    """DeZero step 27: sin x as its Taylor series, terms added until one is below threshold.

    At pi/4: 0.7071064695751781, gradient 0.7071032148228457 (the book's numbers).

    >>> ex = taylor_sin()
    >>> ex.root.data, ex.leaves["x"].grad
    (0.7071064695751781, 0.7071032148228457)
    """
    p = _leaves(x=x)
    y: Value | float = 0.0
    for i in range(100_000):
        term = (-1) ** i / math.factorial(2 * i + 1) * p["x"] ** (2 * i + 1)
        term.label = f"term{i}"
        y = y + term
        if abs(term.data) < threshold:
            break
    if not isinstance(y, Value):  # pragma: no cover (the loop runs at least once)
        raise TypeError("taylor_sin: no term")
    y.label = "y"
    y.backward()
    expected = (
        {"y": 0.7071064695751781, "x": 0.7071032148228457}
        if (x, threshold) == (math.pi / 4, 1e-4)
        else {}
    )
    return Example("taylor_sin", "DeZero step 27: Taylor series of sin at pi/4", y, p, expected)


def micrograd_L() -> Example:
    """micrograd's video: L = (a*b + c) * f = -8; gradients a 6, b -4, c -2, f 4."""
    p = _leaves(a=2.0, b=-3.0, c=10.0, f=-2.0)
    e = p["a"] * p["b"]
    e.label = "e"
    d = e + p["c"]
    d.label = "d"
    L = d * p["f"]
    L.label = "L"
    L.backward()
    return Example(
        "micrograd_L",
        "micrograd's video: L = (a*b + c)*f = -8",
        L,
        p,
        {"L": -8.0, "a": 6.0, "b": -4.0, "c": -2.0, "f": 4.0},
    )


def micrograd_neuron() -> Example:
    """micrograd's video: o = tanh(x1 w1 + x2 w2 + b) = 0.7071067811865476.

    Gradients x1 -1.5, w1 1, x2 0.5, w2 0, b 0.5.
    """
    p = _leaves(x1=2.0, x2=0.0, w1=-3.0, w2=1.0, b=6.8813735870195432)
    x1w1 = p["x1"] * p["w1"]
    x1w1.label = "x1*w1"
    x2w2 = p["x2"] * p["w2"]
    x2w2.label = "x2*w2"
    x1w1x2w2 = x1w1 + x2w2
    x1w1x2w2.label = "x1*w1 + x2*w2"
    n = x1w1x2w2 + p["b"]
    n.label = "n"
    o = n.tanh()
    o.label = "o"
    o.backward()
    return Example(
        "micrograd_neuron",
        "micrograd's video: one tanh neuron, o = 0.7071",
        o,
        p,
        {"o": 0.7071067811865476, "x1": -1.5, "w1": 1.0, "x2": 0.5, "w2": 0.0, "b": 0.5},
    )


def micrograd_readme() -> Example:
    """micrograd's README example: g = 24.7041, dg/da = 138.8338, dg/db = 645.5773."""
    p = _leaves(a=-4.0, b=2.0)
    a, b = p["a"], p["b"]
    c = a + b
    d = a * b + b**3
    c += c + 1
    c += 1 + c + (-a)
    d += d * 2 + (b + a).relu()
    d += 3 * d + (b - a).relu()
    e = c - d
    f = e**2
    g = f / 2.0
    g += 10.0 / f
    g.label = "g"
    g.backward()
    return Example(
        "micrograd_readme",
        "micrograd's README: g = 24.7041",
        g,
        p,
        {"g": 24.70408163265306, "a": 138.83381924198252, "b": 645.5772594752186},
    )


def rosenbrock(x0: float = 0.0, x1: float = 2.0) -> Example:
    """DeZero step 28: y = 100 (x1 - x0**2)**2 + (x0 - 1)**2 at (0, 2): 401, gradients
    -2 and 400 (the start of the book's gradient descent)."""
    p = _leaves(x0=x0, x1=x1)
    y = 100 * (p["x1"] - p["x0"] ** 2) ** 2 + (p["x0"] - 1) ** 2
    y.label = "y"
    y.backward()
    return Example(
        "rosenbrock",
        "DeZero step 28: the Rosenbrock function at (0, 2)",
        y,
        p,
        {
            "y": 100 * (x1 - x0**2) ** 2 + (x0 - 1) ** 2,
            "x0": -400 * x0 * (x1 - x0**2) + 2 * (x0 - 1),
            "x1": 200 * (x1 - x0**2),
        },
    )


def tanh_derivative(n: int = 2, x: float = 1.0) -> Example:
    """DeZero step 35: the graph of the n-th derivative of tanh at x (``create_graph``).

    Its value is the n-th derivative (0.41997, -0.63970, 0.62163, 0.66509, ... for
    n = 1, 2, 3, 4); after its own backward, ``x.grad`` is the (n+1)-th.
    """
    if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= 8:
        raise ValueError(f"tanh_derivative: n must be an int from 1 to 8, got {n!r}")
    leaf = Value(x, label="x")
    y = leaf.tanh()
    for _ in range(n):
        leaf.grad = 0.0
        y.backward(create_graph=True)
        y = leaf.grad
    y.label = f"d{n}y/dx{n}"
    leaf.grad = 0.0
    y.backward()
    suffix = {1: "st", 2: "nd", 3: "rd"}.get(n, "th")
    return Example(
        f"tanh_d{n}",
        f"DeZero step 35: the graph of the {n}{suffix} derivative of tanh at x = {x}",
        y,
        {"x": leaf},
    )


EXAMPLES: dict[str, Callable[[], Example]] = {
    "apple_price": apple_price,
    "apple_orange": apple_orange,
    "toy_model": toy_model,
    "sigmoid": sigmoid,
    "chain_rule": chain_rule,
    "wx_norm": wx_norm,
    "fan_out": fan_out,
    "sphere": sphere,
    "matyas": matyas,
    "goldstein_price": goldstein_price,
    "taylor_sin": taylor_sin,
    "micrograd_L": micrograd_L,
    "micrograd_neuron": micrograd_neuron,
    "micrograd_readme": micrograd_readme,
    "rosenbrock": rosenbrock,
    "tanh_d2": lambda: tanh_derivative(2),
    "tanh_d4": lambda: tanh_derivative(4),
}
