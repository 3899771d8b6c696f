"""Pictures of networks and training: the network diagram, loss curves, decision boundary.

:func:`draw_network` returns the same :class:`autograd.Graph` as ``autograd.draw``
(built with the ``graphviz`` package): inputs ``x1, x2, ...``, hidden neurons ``h1,
h2, ...`` and outputs ``o1, o2, ...`` (1-based, as the lecture notes write them), one
bias node per layer at the bottom of the column before it; edge width grows with
``|w|``, colour gives the sign (blue positive, red negative), as in the "Back Propagation" homework.

:func:`plot_history` and :func:`plot_decision_boundary` return a :class:`Figure`: a
matplotlib Figure that also shows itself inline in Jupyter (no ``%matplotlib inline``).
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise
from typing import Any

import graphviz

from autograd import Value, no_grad
from autograd.graph import Graph

from .layers import MLP
from .metrics import argmax
from .train import History

__all__ = ["draw_network", "plot_decision_boundary", "plot_history"]

POSITIVE, NEGATIVE = "#2b6cb0", "#c0392b"
FILL = {"input": "#cfe8ff", "hidden": "#f2f2f2", "output": "#ffe08a", "bias": "#fff3c4"}


def _fmt(x: float, precision: int) -> str:
    return format(x, f".{precision}g")


def _neuron_names(model: MLP) -> list[list[str]]:
    """Display names per layer: ``h1, h2`` (or ``h1.1, h1.2, h2.1`` with several hidden
    layers) and ``o1, o2`` for the output layer."""
    hidden = len(model.layers) - 1
    names = []
    for li, layer in enumerate(model.layers, 1):
        if li == len(model.layers):
            names.append([f"o{j}" for j in range(1, layer.nout + 1)])
        elif hidden == 1:
            names.append([f"h{j}" for j in range(1, layer.nout + 1)])
        else:
            names.append([f"h{li}.{j}" for j in range(1, layer.nout + 1)])
    return names


def _forward(model: MLP, x: Sequence[Any]) -> list[list[float]]:
    """Every layer's outputs for input ``x``, as floats (nothing recorded)."""
    with no_grad():
        out: Sequence[Any] = list(x) if not isinstance(x, Value | int | float) else [x]
        if len(out) != model.nin:
            raise ValueError(f"draw_network: x has {len(out)} values, the model {model.nin} inputs")
        values = []
        for layer in model.layers:
            out = layer(out)
            values.append([v.data for v in out])
    return values


def draw_network(
    model: MLP,
    *,
    weights: bool = False,
    x: Sequence[float] | None = None,
    legend: bool = True,
    precision: int = 4,
    rankdir: str = "LR",
) -> Graph:
    """The network diagram of an :class:`nn.MLP` (see the module docstring).

    ``weights`` prints each weight on its edge (``precision`` significant digits);
    ``x`` (one input sample) adds each input's value and each neuron's output under its
    name and activation; ``legend`` explains colour and width below the picture.

    >>> model = MLP(2, [2, 2], activation="sigmoid", output_activation="sigmoid", bias=False)
    >>> g = draw_network(model, weights=True, x=[0.1, 0.2])
    >>> all(name in g.source for name in ("x1", "x2", "h1", "h2", "o1", "o2"))
    True
    """
    if not isinstance(model, MLP):
        raise TypeError(f"draw_network: expected an MLP, got {type(model).__name__}")
    if rankdir not in ("LR", "RL", "TB", "BT"):
        raise ValueError(f"draw_network: rankdir must be LR, RL, TB or BT, got {rankdir!r}")
    if not isinstance(precision, int) or isinstance(precision, bool) or not 1 <= precision <= 17:
        raise ValueError(f"draw_network: precision must be an int from 1 to 17, got {precision!r}")
    outputs = _forward(model, x) if x is not None else None
    params = [w.data for p in model.layers for n in p.neurons for w in n.parameters()]
    biggest = max([abs(w) for w in params] + [1e-12])
    dg = graphviz.Digraph(
        "network",
        graph_attr={
            "rankdir": rankdir,
            "splines": "line",
            "nodesep": "1.0" if weights else "0.15",
            "ranksep": "2.6" if weights else "1.2",
            "fontname": "Helvetica",
        },
        node_attr={"fontname": "Helvetica", "fontsize": "12", "style": "filled"},
        edge_attr={"fontname": "Helvetica", "fontsize": "11", "arrowsize": "0.6"},
    )
    columns: list[list[str]] = [[f"x{i}" for i in range(1, model.nin + 1)]]
    labels = {}
    for i, name in enumerate(columns[0]):
        labels[name] = name if x is None else f"{name}\\n{_fmt(_as_float(x, i), precision)}"
    kinds = dict.fromkeys(columns[0], "input")
    names = _neuron_names(model)
    for li, (layer, layer_names) in enumerate(zip(model.layers, names, strict=True)):
        ids = [f"L{li + 1}n{j}" for j in range(1, layer.nout + 1)]
        act = layer.activation or "linear"
        for j, (node, shown) in enumerate(zip(ids, layer_names, strict=True)):
            text = f"{shown}\\n{act}"
            if outputs is not None:
                text += f"\\n{_fmt(outputs[li][j], precision)}"
            labels[node] = text
            kinds[node] = "output" if li == len(model.layers) - 1 else "hidden"
        columns.append(ids)
    bias_of = {}
    for li, layer in enumerate(model.layers):
        if layer.neurons[0].b is not None:
            bias_of[li] = f"b{li + 1}"
    for ci, column in enumerate(columns):
        members = list(column)
        if ci in bias_of:  # layer ci+1's bias sits at the bottom of column ci
            members.append(bias_of[ci])
        with dg.subgraph(name=f"column{ci}") as sub:
            sub.attr(rank="same")
            for node in column:
                shape = "circle" if kinds[node] == "input" and x is None else "ellipse"
                sub.node(node, label=labels[node], shape=shape, fillcolor=FILL[kinds[node]])
            if ci in bias_of:
                sub.node(
                    bias_of[ci],
                    label="1",
                    shape="square",
                    width="0.3",
                    fillcolor=FILL["bias"],
                    tooltip=f"bias input of layer {ci + 1}",
                )
            for a, b in pairwise(members):  # keep the column's order
                sub.edge(a, b, style="invis")
    for li, layer in enumerate(model.layers):
        for j, neuron in enumerate(layer.neurons):
            sources: list[tuple[str, Value]] = list(zip(columns[li], neuron.w, strict=True))
            if neuron.b is not None:
                sources.append((bias_of[li], neuron.b))
            for src, w in sources:
                attrs = {
                    "penwidth": f"{0.3 + 4.0 * abs(w.data) / biggest:.3f}",
                    "color": POSITIVE if w.data >= 0 else NEGATIVE,
                    "tooltip": f"{w.label or 'w'} = {_fmt(w.data, precision)}",
                }
                if weights:  # beside the edge near its head, where edges are apart
                    attrs["headlabel"] = _fmt(w.data, precision)
                    attrs["labeldistance"] = "5"
                    attrs["labelangle"] = "-20"
                    attrs["labelfontcolor"] = attrs["color"]
                dg.edge(src, columns[li + 1][j], **attrs)
    if legend:
        dg.attr(
            label=(
                "edges: blue w > 0, red w < 0; line width ∝ |w| "
                f"(widest: |w| = {_fmt(biggest, min(precision, 3))})"
            ),
            labelloc="b",
            fontsize="11",
        )
    return Graph(dg.source, title="network")


def _as_float(x: Any, i: int) -> float:
    item = x[i] if not isinstance(x, Value | int | float) else x
    return float(item.data if isinstance(item, Value) else item)


def _figure(figsize: tuple[float, float]) -> Any:
    """An :class:`nn.figure.Figure` (made without pyplot: no global state, no GUI
    backend needed; shown inline by Jupyter)."""
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        raise ImportError("plotting needs matplotlib: pip install 'chaingrad[plot]'") from None
    from .figure import Figure

    return Figure(figsize=figsize)


def plot_history(history: History) -> Any:
    """Loss (and validation loss) per epoch, as an :class:`nn.figure.Figure` (a matplotlib
    Figure that Jupyter shows inline)."""
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


#: region and point colours per class for more than two classes (light, dark)
CLASS_COLORS = (
    ("#c6dbef", "#2b6cb0"),
    ("#f9d0c4", "#c0392b"),
    ("#c7e9c0", "#238b45"),
    ("#fdd0a2", "#d94801"),
    ("#dadaeb", "#6a51a3"),
    ("#f2f2f2", "#525252"),
)


def plot_decision_boundary(
    model: MLP, X: Sequence[Sequence[float]], y: Sequence[int], *, resolution: int = 60
) -> Any:
    """Points coloured by class over the model's decision regions (2-D inputs), as an
    :class:`nn.figure.Figure` (a matplotlib Figure that Jupyter shows inline).

    One output: class 1 where it is above 0 (above 0.5 after a sigmoid); two outputs:
    where the second is larger. More outputs (up to 6): each region is the class with the
    largest output (softmax classification), and ``y`` holds class indices."""
    if model.nin != 2:
        raise ValueError(f"plot_decision_boundary needs a model with 2 inputs, got {model.nin}")
    fig = _figure((4.5, 4))
    xs = [p[0] for p in X]
    ys = [p[1] for p in X]
    x0, x1 = min(xs) - 0.5, max(xs) + 0.5
    y0, y1 = min(ys) - 0.5, max(ys) + 0.5
    gx = [x0 + (x1 - x0) * i / (resolution - 1) for i in range(resolution)]
    gy = [y0 + (y1 - y0) * j / (resolution - 1) for j in range(resolution)]
    ax = fig.subplots()
    k = model.layers[-1].nout
    if k > 2:
        if k > len(CLASS_COLORS):
            raise ValueError(
                f"plot_decision_boundary draws up to {len(CLASS_COLORS)} classes, "
                f"the model has {k} outputs"
            )
        with no_grad():
            # the class the accuracy of softmax_cross_entropy counts: the largest output
            zz = [[float(argmax(_floats(model([a, b])))) for a in gx] for b in gy]
        levels = [c - 0.5 for c in range(k + 1)]
        ax.contourf(gx, gy, zz, levels=levels, colors=[c[0] for c in CLASS_COLORS[:k]])
        point_colors = [CLASS_COLORS[int(c)][1] for c in y]
    else:
        zz = [[_score(model, model([a, b])) for a in gx] for b in gy]
        ax.contourf(
            gx, gy, zz, levels=[-1e300, 0.0, 1e300], colors=["#f9d0c4", "#c6dbef"], alpha=0.8
        )
        point_colors = [POSITIVE if c == 1 else NEGATIVE for c in y]
    ax.scatter(xs, ys, c=point_colors, s=14, edgecolors="k", linewidths=0.3)
    fig.tight_layout()
    return fig


def _floats(out: Any) -> list[float]:
    return [o.data if isinstance(o, Value) else o for o in out]


def _score(model: MLP, out: Any) -> float:
    """One score, > 0 for class 1: the output (minus 0.5 after a sigmoid), or for two
    outputs their difference."""
    if isinstance(out, list):
        score: float = out[1].data - out[0].data if len(out) == 2 else out[0].data
        return score
    threshold = 0.5 if model.output_activation == "sigmoid" else 0.0
    value: float = out.data
    return value - threshold
