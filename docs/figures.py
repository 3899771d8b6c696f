"""Regenerate every drawn example of the lecture notes into ``docs/images/``, SVG and PNG.

Run from the repository root: ``python docs/figures.py`` (``--out DIR`` for another
folder, ``--no-plots`` to skip the trained loss-curve and fit plots, which need
matplotlib, ``--epochs N`` to train them for fewer epochs). It writes:

* the worked examples of :data:`autograd.examples.EXAMPLES` (apple price and apple and
  orange with values forward and gradients back on the edges; toy model, sigmoid, chain
  rule, ``||Wx||^2``);
* the 2-2-2 sigmoid network of the "역전파 이해하기" post before and after one SGD
  step (lr 0.5), each
  weight on its edge to 8 digits, as the notes print them;
* the graphs of the 2nd and 4th derivative of ``tanh`` at x = 1 (``create_graph``);
* the loss curve and the fit of the 1-5-5-5-1 tanh MLP of the "Back Propagation" homework on sine;
* the pictures of the lecture-note tutorials (``notes_*``, see :func:`notes_figures`):
  the weight update with sigma(2.8), the tanh MLPs trained per sample, the
  initialisation study, the deep ReLU network against finite differences, the six
  optimizers;
* for the site's concept and book pages (their own section below): ``f = x*y + x`` with
  per-edge gradients, the four DLFS 1 ch. 6 optimizer paths over the contour plot of
  ``x**2/20 + y**2``, tanh and its first three derivatives (DeZero 35), the activation
  histograms of DLFS 1 ch. 6 (``--samples``, 1000), and DeZero 48/50's spiral classifier:
  trained (``--epochs``), saved as ``dezero_spiral_mlp.json``, its regions and loss.

Each picture is written as ``NAME.svg`` and ``NAME.png``.

>>> sorted(GRAPHS)[:3]
['apple_orange', 'apple_price', 'chain_rule']
"""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from autograd import Graph, Value, draw
from autograd.examples import EXAMPLES
from nn import MLP, SGD, Adagrad, Adam, draw_network, fit, make_sine, plot_history, sse_half
from nn import examples as nx

__all__ = [
    "ACTIVATION_CASES",
    "GRAPHS",
    "main",
    "network_222",
    "tanh_derivative",
]

OUT = Path(__file__).resolve().parent / "images"

# the "역전파 이해하기" post: x, target, W (input i -> hidden j is W_ij), U (hidden i -> output j)
X_222, Y_222 = [0.1, 0.2], [0.4, 0.6]
W_222 = [[0.3, 0.25], [0.4, 0.35]]  # neuron h1: W11, W21; neuron h2: W12, W22
U_222 = [[0.45, 0.4], [0.7, 0.6]]  # neuron o1: U11, U21; neuron o2: U12, U22


def network_222(steps: int = 0) -> MLP:
    """The 2-2-2 sigmoid network without bias of the "역전파 이해하기" post, after
    ``steps`` SGD steps.

    >>> [round(w.data, 8) for w in network_222(1).layers[1].neurons[0].w]
    [0.43703857, 0.38685205]
    """
    model = MLP(2, [2, 2], activation="sigmoid", output_activation="sigmoid", bias=False)
    for layer, rows in zip(model.layers, (W_222, U_222), strict=True):
        for neuron, row in zip(layer.neurons, rows, strict=True):
            for w, value in zip(neuron.w, row, strict=True):
                w.data = value
    optimizer = SGD(model.parameters(), lr=0.5)
    for _ in range(steps):
        optimizer.zero_grad()
        sse_half(model(X_222), Y_222).backward()
        optimizer.step()
    return model


def tanh_derivative(n: int, x: float = 1.0) -> Value:
    """The n-th derivative of ``tanh`` at ``x`` as a graph (DeZero step 35).

    >>> round(tanh_derivative(2).data, 5), round(tanh_derivative(4).data, 5)
    (-0.6397, 0.66509)
    """
    v = Value(x, label="x")
    g: Value = v.tanh()
    g.label = "y"
    for k in range(1, n + 1):
        v.grad = 0.0
        g.backward(create_graph=True)
        if not isinstance(v.grad, Value):
            raise TypeError("tanh_derivative: create_graph gave no graph")
        g = v.grad
        g.label = f"d{k}y/dx{k}" if k > 1 else "dy/dx"
    return g


def _example(name: str, **options: Any) -> Callable[[], Graph]:
    return lambda: draw(EXAMPLES[name]().root, **options)


GRAPHS: dict[str, Callable[[], Graph]] = {
    **{name: _example(name) for name in EXAMPLES},
    "apple_price": _example("apple_price", edge_values=True),
    "apple_orange": _example("apple_orange", edge_values=True),
    "toy_model": _example("toy_model", wrap=6),  # rows of 6 ranks: about 16:9, for a slide
    "network_222_before": lambda: draw_network(network_222(0), weights=True, x=X_222, precision=8),
    "network_222_after": lambda: draw_network(network_222(1), weights=True, x=X_222, precision=8),
    "tanh_d2": lambda: draw(tanh_derivative(2), grads=False, rankdir="TB"),
    "tanh_d4": lambda: draw(tanh_derivative(4), grads=False, rankdir="TB", max_nodes=5000),
}


def _plots(out: Path, epochs: int) -> list[Path]:
    """The loss curve and the fit of the seed-000 1-5-5-5-1 tanh network on sine
    (full batch, Adam lr 0.02, as measured in the README)."""
    from nn.figure import Figure

    X, y = make_sine(40, seed=0)
    model = MLP(1, [5, 5, 5, 1], activation="tanh", seed=0)
    history = fit(
        model,
        X,
        y,
        loss="mse",
        optimizer=Adam(model.parameters(), lr=0.02),
        epochs=epochs,
        progress=False,
    )
    fit_fig = Figure(figsize=(5, 3.2))
    ax = fit_fig.subplots()
    xs = [-math.pi + 2 * math.pi * i / 199 for i in range(200)]
    ax.plot(xs, [model([x]).data for x in xs], label="network")
    ax.scatter([p[0] for p in X], y, s=12, color="k", label="data")
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    ax.legend()
    fit_fig.tight_layout()
    written = []
    for name, fig in (("sine_loss", plot_history(history)), ("sine_fit", fit_fig)):
        for suffix in (".svg", ".png"):
            path = out / f"{name}{suffix}"
            fig.savefig(path, metadata={"Date": None} if suffix == ".svg" else None)
            written.append(path)
    return written


# ===================================== docs site (issue 13): concepts and book tutorials
# fan_out_edges: the branch-node rule (Concepts); dezero_spiral_*: DeZero steps 48/50;
# dlfs_activations_*: DLFS 1 ch. 6 activation histograms; dlfs_optimizers: the four
# trajectories over the contour plot; dezero_tanh_plot: tanh and its first derivatives.

SPIRAL_MODEL = "dezero_spiral_mlp.json"  # the trained 2-10-3 MLP, loaded by the tutorial

ACTIVATION_CASES = {  # name -> (activation, weight std), as in DLFS 1 ch. 6
    "dlfs_activations_sigmoid_std1": ("sigmoid", 1.0),
    "dlfs_activations_sigmoid_std001": ("sigmoid", 0.01),
    "dlfs_activations_sigmoid_xavier": ("sigmoid", "xavier"),
    "dlfs_activations_relu_he": ("relu", "he"),
}


GRAPHS["fan_out_edges"] = lambda: draw(EXAMPLES["fan_out"]().root, edge_values=True)
for _name in ("sphere", "matyas", "goldstein_price", "taylor_sin", "micrograd_readme"):
    GRAPHS.pop(_name)  # large graphs the site does not show: `chaingrad render NAME` draws them


# ============================================================================ lecture notes
# The pictures of the lecture-note tutorials (docs/tutorials/notes-*.md). Each function
# below writes its pictures and returns their paths; main() calls notes_figures().
# The checks in them (raise RuntimeError) are the facts the pages state about each
# picture, so running this script (tests/test_figures.py does) asserts them.


def _save_figure(fig: Any, out: Path, name: str) -> list[Path]:
    """Write ``fig`` as NAME.svg and NAME.png; the SVG is byte-for-byte reproducible
    (no date, fixed ids), so regenerating an unchanged picture changes no file."""
    import matplotlib

    written = []
    for suffix in (".svg", ".png"):
        path = out / f"{name}{suffix}"
        if suffix == ".svg":
            with matplotlib.rc_context({"svg.hashsalt": "chaingrad"}):
                fig.savefig(path, metadata={"Date": None})
        else:
            fig.savefig(path, dpi=110)
        written.append(path)
    return written


def weight_update_graph() -> Value:
    """The weight update with sigma(2.8) of "Backpropagation" (김선녕): the graph of
    ``o = sigmoid(w11·0.4 + 4.0·0.5)`` backpropagated with dE/do = -e1 = -1.5.

    >>> round(weight_update_graph().inputs[0].data, 4)  # o = sigmoid(2.8)
    0.9427
    """
    w11 = Value(2.0, label="w11")
    w21 = Value(4.0, label="w21")
    o1, o2 = Value(0.4, label="o_j=1"), Value(0.5, label="o_j=2")
    s = w11 * o1 + w21 * o2
    s.label = "sum"
    o = s.sigmoid()
    o.label = "o"
    loss = o * -1.5
    loss.label = "-e1·o (∂E/∂o = -1.5)"
    loss.backward()
    return loss


def dataset_1d(n: int = 60, seed: int = 0) -> tuple[list[list[float]], list[float]]:
    """The 1-D data set of the tanh-MLP tutorial: y = sin(1.5x) + 0.3x + noise on [-3, 3].

    >>> X, y = dataset_1d()
    >>> len(X), len(y), X[0]
    (60, 60, [-3.0])
    """
    import random

    rng = random.Random(seed)
    xs = [-3.0 + 6.0 * i / (n - 1) for i in range(n)]
    return [[x] for x in xs], [math.sin(1.5 * x) + 0.3 * x + rng.gauss(0.0, 0.1) for x in xs]


def _fit_and_loss(
    model: MLP, X: list[list[float]], y: list[float], history: Any, title: str, test: Any = None
) -> Any:
    from nn.figure import Figure

    fig = Figure(figsize=(9, 3.4))
    ax_fit, ax_loss = fig.subplots(1, 2)
    lo, hi = min(p[0] for p in X), max(p[0] for p in X)
    xs = [lo + (hi - lo) * i / 199 for i in range(200)]
    ax_fit.plot(xs, [model([x]).data for x in xs], label="network", color="#2b6cb0")
    ax_fit.scatter([p[0] for p in X], y, s=14, color="k", label="train")
    if test is not None:
        ax_fit.scatter(
            [p[0] for p in test[0]], test[1], s=18, color="#c0392b", marker="x", label="test"
        )
    ax_fit.set_xlabel("x")
    ax_fit.set_ylabel("y")
    ax_fit.set_title(title)
    ax_fit.legend(fontsize=9)
    ax_loss.plot(range(1, len(history.loss) + 1), history.loss, color="#2b6cb0")
    ax_loss.set_yscale("log")
    ax_loss.set_xlabel("epoch")
    ax_loss.set_ylabel("training loss (MSE)")
    ax_loss.set_title("loss per epoch")
    fig.tight_layout()
    return fig


def _train_per_sample(
    sizes: list[int], X: list[list[float]], y: list[float], epochs: int
) -> tuple[MLP, Any]:
    """A 1-input tanh MLP trained one sample at a time (SGD, lr 0.01, MSE), as the
    homework does; a RuntimeError if the loss did not decrease."""
    model = MLP(1, sizes, activation="tanh", seed=0)
    h = fit(
        model,
        X,
        y,
        loss="mse",
        optimizer=SGD(model.parameters(), lr=0.01),
        batch_size=1,
        epochs=epochs,
        progress=False,
    )
    if h.loss[-1] >= h.loss[0]:
        name = "-".join(map(str, [1, *sizes]))
        raise RuntimeError(f"tanh {name}: loss did not decrease ({h.loss[0]} -> {h.loss[-1]})")
    return model, h


def tanh_mlps(out: Path, epochs: int) -> list[Path]:
    """The tanh MLPs of "Back Propagation" (Homework #3, 박찬호), trained per sample with
    SGD: 1-4-8-4-2-1 on :func:`dataset_1d` (70/30 split) and 1-5-5-5-1 on sine."""
    from nn import train_test_split

    written: list[Path] = []
    X, y = dataset_1d()
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.3, seed=0)
    model, h = _train_per_sample([4, 8, 4, 2, 1], X_tr, y_tr, epochs)
    train_mse = sum((model(x).data - t) ** 2 for x, t in zip(X_tr, y_tr, strict=True)) / len(X_tr)
    test_mse = sum((model(x).data - t) ** 2 for x, t in zip(X_te, y_te, strict=True)) / len(X_te)
    if epochs >= 300 and not test_mse < 2 * train_mse < 0.1:  # the page: test fits as well
        raise RuntimeError(f"tanh 1-4-8-4-2-1: train MSE {train_mse}, test MSE {test_mse}")
    fig = _fit_and_loss(model, X_tr, y_tr, h, "1-4-8-4-2-1 tanh, per-sample SGD", test=(X_te, y_te))
    written += _save_figure(fig, out, "notes_tanh_1d")
    graph = draw_network(model)
    written += [graph.save(out / "notes_tanh_1d_network.svg")]
    written.append(graph.save(out / "notes_tanh_1d_network.png", scale=1.25))
    Xs, ys = make_sine(40, seed=0)
    model, h = _train_per_sample([5, 5, 5, 1], Xs, ys, epochs)
    if epochs >= 300 and not h.loss[-1] < 0.02:  # the page: 300 epochs are enough
        raise RuntimeError(f"tanh 1-5-5-5-1: loss {h.loss[-1]} after {epochs} epochs")
    written += _save_figure(
        _fit_and_loss(model, Xs, ys, h, "1-5-5-5-1 tanh on sin(x), per-sample SGD"),
        out,
        "notes_tanh_sine",
    )
    return written


def init_study_plot(out: Path, n_samples: int = 2) -> list[Path]:
    """The initialisation study of "Chapter 7" (III. Initialization): per-layer std of
    activations and gradients, N(0, 1) against He, 5x8 and 50x80 (nn.init_study)."""
    from nn import init_study
    from nn.figure import Figure

    fig = Figure(figsize=(9, 3.6))
    ax_a, ax_g = fig.subplots(1, 2)
    styles = {"normal": ("#c0392b", "N(0, 1)"), "he": ("#2b6cb0", "He, N(0, 2/fan_in)")}
    for depth, width, dash, n in ((5, 8, "--", 100), (50, 80, "-", n_samples)):
        for init, (color, name) in styles.items():
            r = init_study(depth=depth, width=width, init=init, n_samples=n, seed=0)
            act, grad = r["activation_std"], r["gradient_std"]
            layers = range(1, depth + 1)
            label = f"{name}, {depth}x{width}"
            ax_a.plot(layers, act, dash, color=color, label=label, marker=".", markersize=4)
            ax_g.plot(layers, grad, dash, color=color, label=label, marker=".", markersize=4)
            growth = (act[-1] / act[0]) ** (1 / (depth - 1))  # per layer: about 6
            exploded = act[-1] > 1e30 * act[0] and grad[0] > 1e70 and 5 < growth < 7.5
            if depth == 50 and init == "normal" and not exploded:
                raise RuntimeError(f"init study: N(0, 1) 50x80 did not explode: {act}")
            if depth == 50 and init == "he" and not all(0.1 < s < 10 for s in act + grad):
                raise RuntimeError(f"init study: He 50x80 left [0.1, 10]: {act} {grad}")
    for ax, what in ((ax_a, "std of activations"), (ax_g, "std of dloss/dpre-activation")):
        ax.set_yscale("log")
        ax.set_xlabel("hidden layer")
        ax.set_ylabel(what)
        ax.grid(True, which="major", alpha=0.3)
    ax_a.legend(fontsize=8)
    fig.tight_layout()
    return _save_figure(fig, out, "notes_init_study")


def deep_relu_check_plot(out: Path) -> list[Path]:
    """Backprop against finite differences for every parameter of the deep ReLU network
    of "Chapter 7" (II. Backpropagation): K = 5 hidden layers of 6 units, N(0, 1)."""
    import random

    from autograd import numeric_grad
    from nn import functional_call
    from nn.figure import Figure

    model = MLP(1, [6] * 5 + [1], activation="relu", init="normal", seed=0)
    rng = random.Random(0)
    for layer in model.layers:  # biases N(0, 1) too, as in the notes and the page
        for neuron in layer.neurons:
            if neuron.b is not None:
                neuron.b.data = rng.gauss(0.0, 1.0)
    params = model.parameters()
    loss = (model([1.2]) - 20.0) ** 2
    loss.backward()
    backprop = [p.grad for p in params]
    numeric = numeric_grad(
        lambda *ps: (functional_call(model, ps, [1.2]) - 20.0) ** 2, [p.data for p in params]
    )
    worst = max(abs(a - b) / (1e-4 + abs(b)) for a, b in zip(backprop, numeric, strict=True))
    if worst > 1e-4:
        raise RuntimeError(f"deep ReLU: backprop and finite differences differ ({worst})")
    fig = Figure(figsize=(4.6, 4.2))
    ax = fig.subplots()
    lim = max(abs(g) for g in numeric) * 1.1
    ax.plot([-lim, lim], [-lim, lim], color="0.7", linewidth=1)
    ax.scatter(numeric, backprop, s=12, color="#2b6cb0")
    ax.set_xlabel("finite differences")
    ax.set_ylabel("backprop")
    ax.set_title(f"{len(params)} parameters of a 1-6-6-6-6-6-1 ReLU net")
    fig.tight_layout()
    return _save_figure(fig, out, "notes_deep_relu_check")


def optimizer_curves(out: Path, epochs: int) -> list[Path]:
    """The six optimizers of Lecture 13 (김도경) on one problem: a 2-8-8-1 MLP on 40
    moons with the logistic loss (bce_with_logits); GD is the full batch, SGD batches
    of 4, the others the full batch. Loss per epoch."""
    from nn import RMSprop, make_moons
    from nn.figure import Figure

    X, y = make_moons(40, seed=0)
    runs: dict[str, tuple[Callable[[list[Value]], Any], int | None]] = {
        "GD (lr 0.5)": (lambda ps: SGD(ps, lr=0.5), None),
        "SGD (lr 0.1, batch 4)": (lambda ps: SGD(ps, lr=0.1), 4),
        "Momentum (lr 0.1, 0.9)": (lambda ps: SGD(ps, lr=0.1, momentum=0.9), None),
        "AdaGrad (lr 0.1)": (lambda ps: Adagrad(ps, lr=0.1), None),
        "RMSProp (lr 0.01)": (lambda ps: RMSprop(ps, lr=0.01), None),
        "Adam (lr 0.02)": (lambda ps: Adam(ps, lr=0.02), None),
    }
    fig = Figure(figsize=(6, 3.8))
    ax = fig.subplots()
    final = {}
    for name, (make, batch) in runs.items():
        model = MLP(2, [8, 8, 1], seed=0)
        h = fit(
            model,
            X,
            y,
            loss="bce_with_logits",
            optimizer=make(model.parameters()),
            batch_size=batch,
            epochs=epochs,
            progress=False,
        )
        if h.loss[-1] >= h.loss[0]:
            raise RuntimeError(f"optimizers: {name} did not lower the loss")
        final[name.split()[0]] = h.loss[-1]
        adaptive = name.split()[0] in ("AdaGrad", "RMSProp", "Adam")
        if epochs >= 100 and adaptive and h.accuracy[-1] != 1.0:  # the page: exact fit
            raise RuntimeError(f"optimizers: {name} accuracy {h.accuracy[-1]}")
        ax.plot(range(1, len(h.loss) + 1), h.loss, label=name)
    if epochs >= 100 and not max(final[k] for k in ("AdaGrad", "RMSProp", "Adam")) < 0.1 < min(
        final[k] for k in ("GD", "SGD", "Momentum")
    ):
        raise RuntimeError(f"optimizers: the adaptive ones are not ahead after {epochs}: {final}")
    ax.set_yscale("log")
    ax.set_xlabel("epoch")
    ax.set_ylabel("training loss (logistic)")
    ax.set_title("2-8-8-1 MLP on 40 moons")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return _save_figure(fig, out, "notes_optimizers")


def notes_figures(out: Path, epochs: int, plots: bool = True) -> list[Path]:
    """Every picture of the lecture-note tutorials (graphs always, plots if ``plots``)."""
    written: list[Path] = []
    graph = draw(weight_update_graph(), edge_values=True)
    written.append(graph.save(out / "notes_weight_update.svg"))
    written.append(graph.save(out / "notes_weight_update.png", scale=1.25))
    if plots:
        written += tanh_mlps(out, epochs)
        written += init_study_plot(out)
        written += deep_relu_check_plot(out)
        written += optimizer_curves(out, max(2, epochs // 3))
    return written


def _argmax(outputs: Any) -> int:
    values = [o.data for o in outputs]
    return values.index(max(values))


def _book_plots(out: Path, epochs: int, samples: int) -> list[Path]:
    """The book tutorials' plots (matplotlib): optimizers, tanh, activations, spiral."""
    from autograd import grad, no_grad, tanh
    from nn import load
    from nn.examples import activation_histograms, dezero_spiral, train_dezero_spiral
    from nn.figure import Figure

    written: list[Path] = []

    # DLFS 1 ch. 6: four optimizers over the contour plot of x^2/20 + y^2
    fig = Figure(figsize=(8, 6))
    axes = fig.subplots(2, 2)
    n = 120
    xs = [-10 + 20 * i / (n - 1) for i in range(n)]
    ys = [-5 + 10 * j / (n - 1) for j in range(n)]
    zs = [[x * x / 20 + y * y for x in xs] for y in ys]
    paths = nx.optimizer_paths()  # the book's learning rates (nn.examples)
    labels = {"SGD": "SGD lr=0.95", "Momentum": "Momentum lr=0.1", "AdaGrad": "AdaGrad lr=1.5"}
    labels["Adam"] = "Adam lr=0.3"
    for ax, (name, label) in zip(axes.flat, labels.items(), strict=True):
        path = paths[name]
        ax.contour(xs, ys, zs, levels=[0.5, 1, 2, 4, 8, 16], colors="#bbbbbb", linewidths=0.8)
        ax.plot([p[0] for p in path], [p[1] for p in path], "o-", color="#d62728", ms=3, lw=1)
        ax.plot([0], [0], "+", color="k", ms=10)
        end = path[-1]
        ax.set_title(f"{label}: ends at ({end[0]:.4f}, {end[1]:.4f})", fontsize=10)
        ax.set_xlim(-10, 10)
        ax.set_ylim(-5, 5)
        ax.set_xlabel("x")
        ax.set_ylabel("y")
    fig.tight_layout()
    written += _save_figure(fig, out, "dlfs_optimizers")

    # DeZero step 35: tanh and its first three derivatives
    fig = Figure(figsize=(6, 3.8))
    ax = fig.subplots()
    grid = [-4 + 8 * i / 399 for i in range(400)]
    f: Callable[[float], float] = tanh
    for k, name in enumerate(("tanh(x)", "1st derivative", "2nd derivative", "3rd derivative")):
        ax.plot(grid, [f(t) for t in grid], label=name, lw=1.6 if k == 0 else 1.2)
        f = grad(f)
    ax.set_xlabel("x")
    ax.set_ylim(-2.2, 1.6)
    ax.axhline(0, color="#cccccc", lw=0.6)
    ax.legend(loc="lower right")
    fig.tight_layout()
    written += _save_figure(fig, out, "dezero_tanh_plot")

    # DLFS 1 ch. 6: activation histograms, 5 layers of 100 units
    for name, (act, std) in ACTIVATION_CASES.items():
        layers = activation_histograms(act, std, n_samples=samples)
        fig = Figure(figsize=(10, 2.4))
        axes = fig.subplots(1, len(layers), sharey=True)
        top = 1.0 if act == "sigmoid" else max(max(layer) for layer in layers)
        for i, (ax, values) in enumerate(zip(axes, layers, strict=True)):
            values = [v for v in values if act != "relu" or v > 0]  # the book drops ReLU's 0s
            ax.hist(values, bins=30, range=(0.0, top), color="#1f77b4")
            ax.set_title(f"layer {i + 1}", fontsize=10)
            ax.set_xlabel("activation")
            if i == 0:
                ax.set_ylabel("count")
        label = std if isinstance(std, str) else f"std {std:g}"
        fig.suptitle(f"{act}, weights {label}: {samples} samples, 100 units a layer", fontsize=11)
        fig.tight_layout()
        written += _save_figure(fig, out, name)

    # DeZero steps 48/50: the spiral, the 2-10-3 sigmoid MLP, SGD lr 1.0, batch 30
    model, history = train_dezero_spiral(epochs=epochs)
    written.append(model.save(out / SPIRAL_MODEL))
    model = load(out / SPIRAL_MODEL)
    X, y = dezero_spiral()
    # three classes: colour each grid point by the largest output (nn.plot_decision_boundary
    # draws two classes only)
    colours = ["#d62728", "#1f77b4", "#2ca02c"]
    fig = Figure(figsize=(5, 4.6))
    ax = fig.subplots()
    m = 150
    grid = [-1.1 + 2.2 * i / (m - 1) for i in range(m)]
    with no_grad():
        cls = [[_argmax(model([a, b])) for a in grid] for b in grid]
    ax.contourf(grid, grid, cls, levels=[-0.5, 0.5, 1.5, 2.5], colors=colours, alpha=0.2)
    for k in range(3):
        pts = [p for p, c in zip(X, y, strict=True) if c == k]
        ax.scatter(
            [p[0] for p in pts],
            [p[1] for p in pts],
            s=14,
            color=colours[k],
            edgecolors="k",
            linewidths=0.3,
            label=f"class {k}",
        )
    ax.set_aspect("equal")
    ax.legend(loc="upper right", fontsize=8)
    ax.set_title(
        f"after {epochs} epochs: loss {history.loss[-1]:.3f}, accuracy {history.accuracy[-1]:.3f}",
        fontsize=10,
    )
    fig.tight_layout()
    written += _save_figure(fig, out, "dezero_spiral_boundary")
    fig = plot_history(history)
    written += _save_figure(fig, out, "dezero_spiral_loss")
    return written


def main(argv: list[str] | None = None) -> int:
    """Write every picture; print one line per file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT, help="output folder (docs/images)")
    parser.add_argument("--no-plots", action="store_true", help="skip the matplotlib plots")
    parser.add_argument("--epochs", type=int, default=300, help="training epochs for the plots")
    parser.add_argument(
        "--samples", type=int, default=1000, help="samples of the activation histograms"
    )
    args = parser.parse_args(argv)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for name, make in GRAPHS.items():
        graph = make()
        written.append(graph.save(out / f"{name}.svg"))
        written.append(graph.save(out / f"{name}.png"))
    if not args.no_plots:
        written += _plots(out, args.epochs)
        written += _book_plots(out, args.epochs, args.samples)
    written += notes_figures(out, args.epochs, plots=not args.no_plots)
    for path in written:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
