"""Pictures of networks and training: the network diagram, loss curves, decision boundary.

:func:`draw_network` returns the same :class:`autograd.Graph` as ``autograd.draw``:
inputs, a bias node per layer and neurons as nodes, layer by layer; edge width grows
with ``|w|``, colour gives the sign (blue positive, red negative), as in seed 000.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from autograd.graph import Graph, escape

from .layers import MLP
from .train import History

__all__ = ["draw_network", "plot_decision_boundary", "plot_history"]

POSITIVE, NEGATIVE = "#2b6cb0", "#c0392b"


def draw_network(model: MLP, *, precision: int = 3, rankdir: str = "LR") -> Graph:
    """The network diagram of an :class:`nn.MLP` (see module docstring)."""
    if not isinstance(model, MLP):
        raise TypeError(f"draw_network: expected an MLP, got {type(model).__name__}")
    weights = [abs(w.data) for p in model.layers for n in p.neurons for w in n.w]
    biases = [abs(n.b.data) for p in model.layers for n in p.neurons if n.b is not None]
    biggest = max([*weights, *biases, 1e-12])
    lines = [
        "digraph network {",
        f"  rankdir={rankdir};",
        "  splines=line; nodesep=0.15; ranksep=1.2;",
        '  node [fontname="Helvetica", fontsize=10, shape=circle, style=filled, width=0.45];',
    ]
    prev = [f"x{i}" for i in range(model.nin)]
    lines.append("  subgraph layer_in { rank=same;")
    lines += [f'    {name} [label="x{i}", fillcolor="#cfe8ff"];' for i, name in enumerate(prev)]
    lines.append("  }")
    edges: list[str] = []
    for li, layer in enumerate(model.layers):
        names = [f"l{li}n{j}" for j in range(layer.nout)]
        has_bias = layer.neurons[0].b is not None
        lines.append(f"  subgraph layer_{li} {{ rank=same;")
        act = escape(layer.activation or "linear")
        for name in names:
            lines.append(f'    {name} [label="{act}", fillcolor="#f2f2f2", fontsize=8];')
        lines.append("  }")
        if has_bias:
            lines.append(f'  b{li} [label="1", shape=square, fillcolor="#ffe08a", width=0.3];')
        for j, neuron in enumerate(layer.neurons):
            sources = list(zip(prev, neuron.w, strict=True))
            if neuron.b is not None:
                sources.append((f"b{li}", neuron.b))
            for src, w in sources:
                width = 0.3 + 4.0 * abs(w.data) / biggest
                color = POSITIVE if w.data >= 0 else NEGATIVE
                tip = escape(format(w.data, f".{precision}g"))
                edges.append(
                    f'  {src} -> {names[j]} [penwidth={width:.3f}, color="{color}", '
                    f'arrowsize=0.4, tooltip="{tip}"];'
                )
        prev = names
    lines += edges
    lines.append("}")
    return Graph("\n".join(lines) + "\n", title="network")


def _figure(figsize: tuple[float, float]) -> Any:
    """A matplotlib Figure made without pyplot: no global state, no GUI backend needed."""
    try:
        from matplotlib.figure import Figure
    except ImportError:
        raise ImportError("plotting needs matplotlib: pip install 'chaingrad[plot]'") from None
    return Figure(figsize=figsize)


def plot_history(history: History) -> Any:
    """Loss (and validation loss) per epoch; returns the matplotlib Figure."""
    fig = _figure((5, 3.2))
    ax = fig.subplots()
    epochs = range(1, len(history.loss) + 1)
    ax.plot(epochs, history.loss, label="loss")
    if history.val_loss:
        ax.plot(range(1, len(history.val_loss) + 1), history.val_loss, label="val_loss")
    ax.set_xlabel("epoch")
    ax.set_ylabel("loss")
    ax.legend()
    fig.tight_layout()
    return fig


def plot_decision_boundary(
    model: MLP, X: Sequence[Sequence[float]], y: Sequence[int], *, resolution: int = 60
) -> Any:
    """Points coloured by class over the model's decision regions (2-D inputs)."""
    if model.nin != 2:
        raise ValueError(f"plot_decision_boundary needs a model with 2 inputs, got {model.nin}")
    fig = _figure((4.5, 4))
    xs = [p[0] for p in X]
    ys = [p[1] for p in X]
    x0, x1 = min(xs) - 0.5, max(xs) + 0.5
    y0, y1 = min(ys) - 0.5, max(ys) + 0.5
    gx = [x0 + (x1 - x0) * i / (resolution - 1) for i in range(resolution)]
    gy = [y0 + (y1 - y0) * j / (resolution - 1) for j in range(resolution)]
    zz = [[_score(model, model([a, b])) for a in gx] for b in gy]
    ax = fig.subplots()
    ax.contourf(gx, gy, zz, levels=[-1e300, 0.0, 1e300], colors=["#f9d0c4", "#c6dbef"], alpha=0.8)
    ax.scatter(
        xs,
        ys,
        c=[POSITIVE if c == 1 else NEGATIVE for c in y],
        s=14,
        edgecolors="k",
        linewidths=0.3,
    )
    fig.tight_layout()
    return fig


def _score(model: MLP, out: Any) -> float:
    """One score, > 0 for class 1: the output (minus 0.5 after a sigmoid), or for two
    outputs their difference."""
    if isinstance(out, list):
        score: float = out[1].data - out[0].data if len(out) == 2 else out[0].data
        return score
    threshold = 0.5 if model.output_activation == "sigmoid" else 0.0
    value: float = out.data
    return value - threshold
