"""Regenerate every drawn example of the lecture notes into ``docs/images/``, SVG and PNG.

Run from the repository root: ``python docs/figures.py`` (``--out DIR`` for another
folder, ``--no-plots`` to skip the trained loss-curve and fit plots, which need
matplotlib, ``--epochs N`` to train them for fewer epochs). It writes:

* the worked examples of :data:`autograd.examples.EXAMPLES` (apple price and apple and
  orange with values forward and gradients back on the edges; toy model, sigmoid, chain
  rule, ``||Wx||^2``);
* the 2-2-2 sigmoid network of seed 004 before and after one SGD step (lr 0.5), each
  weight on its edge to 8 digits, as the notes print them;
* the graphs of the 2nd and 4th derivative of ``tanh`` at x = 1 (``create_graph``);
* the loss curve and the fit of the 1-5-5-5-1 tanh MLP of seed 000 on sine.

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
from nn import MLP, SGD, Adam, draw_network, fit, make_sine, plot_history, sse_half

__all__ = ["GRAPHS", "main", "network_222", "tanh_derivative"]

OUT = Path(__file__).resolve().parent / "images"

# seed 004: x, target, W (input i -> hidden j is W_ij) and U (hidden i -> output j)
X_222, Y_222 = [0.1, 0.2], [0.4, 0.6]
W_222 = [[0.3, 0.25], [0.4, 0.35]]  # neuron h1: W11, W21; neuron h2: W12, W22
U_222 = [[0.45, 0.4], [0.7, 0.6]]  # neuron o1: U11, U21; neuron o2: U12, U22


def network_222(steps: int = 0) -> MLP:
    """The 2-2-2 sigmoid network without bias of seed 004, after ``steps`` SGD steps.

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


def main(argv: list[str] | None = None) -> int:
    """Write every picture; print one line per file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT, help="output folder (docs/images)")
    parser.add_argument("--no-plots", action="store_true", help="skip the matplotlib plots")
    parser.add_argument("--epochs", type=int, default=300, help="training epochs for the plots")
    args = parser.parse_args(argv)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    png = hasattr(Graph, "png")
    if not png:
        print("note: this autograd.Graph has no .png(); writing SVG only for graphs")
    for name, make in GRAPHS.items():
        graph = make()
        written.append(graph.save(out / f"{name}.svg"))
        if png:
            written.append(graph.save(out / f"{name}.png"))
    if not args.no_plots:
        written += _plots(out, args.epochs)
    for path in written:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
