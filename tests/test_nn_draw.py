"""Network pictures: parameter labels, draw_network, inline figures."""

from __future__ import annotations

import itertools
import re
import xml.etree.ElementTree as ET
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import nn
from autograd import Graph, draw, topo_order
from autograd.render import RendererUnavailable, available_renderer
from nn import MLP, SGD, Layer, Neuron, draw_network, mse, sse_half

SVG = "{http://www.w3.org/2000/svg}"
X, Y = [0.1, 0.2], [0.4, 0.6]
# seed 004: weight name -> (layer, neuron, input), W_ij: input i -> hidden j
WEIGHTS = {
    "W11": (0, 0, 0, 0.3),
    "W21": (0, 0, 1, 0.25),
    "W12": (0, 1, 0, 0.4),
    "W22": (0, 1, 1, 0.35),
    "U11": (1, 0, 0, 0.45),
    "U21": (1, 0, 1, 0.4),
    "U12": (1, 1, 0, 0.7),
    "U22": (1, 1, 1, 0.6),
}
PRINTED_UPDATES = {
    "U11": 0.43703857,
    "U21": 0.38685205,
    "U12": 0.69629578,
    "U22": 0.59624247,
    "W11": 0.29959556,
    "W21": 0.24919112,
    "W12": 0.39964496,
    "W22": 0.34928991,
}
NODE_ID = {0: ["x1", "x2"], 1: ["L1n1", "L1n2"], 2: ["L2n1", "L2n2"]}


def seed004(steps: int = 0) -> MLP:
    model = MLP(2, [2, 2], activation="sigmoid", output_activation="sigmoid", bias=False)
    for layer, j, i, w in WEIGHTS.values():
        model.layers[layer].neurons[j].w[i].data = w
    opt = SGD(model.parameters(), lr=0.5)
    for _ in range(steps):
        opt.zero_grad()
        sse_half(model(X), Y).backward()
        opt.step()
    return model


def edge_weight_labels(source: str) -> dict[tuple[str, str], str]:
    """(tail, head) -> the number printed on that edge (weights=True)."""
    found = {}
    for tail, head, text in re.findall(r"(\w+) -> (\w+) \[.*?headlabel=\"?([-0-9.e+]+)", source):
        found[(tail, head)] = text
    return found


def svg_root(g: Graph) -> ET.Element:
    try:
        available_renderer()
    except RendererUnavailable:
        pytest.skip("no Graphviz renderer")
    return ET.fromstring(g.svg())


# --- item 1: parameters carry their position as a label --------------------------------


def test_parameter_labels_are_positional_and_1_based() -> None:
    model = MLP(2, [3, 1], seed=0)
    labels = [p.label for p in model.parameters()]
    assert labels[:3] == ["L1.n1.w1", "L1.n1.w2", "L1.n1.b"]
    assert labels[-4:] == ["L2.n1.w1", "L2.n1.w2", "L2.n1.w3", "L2.n1.b"]
    assert len(set(labels)) == len(labels) == model.num_parameters()
    assert [p.label for p in Layer(2, 2).parameters()] == [
        "n1.w1",
        "n1.w2",
        "n1.b",
        "n2.w1",
        "n2.w2",
        "n2.b",
    ]
    assert [p.label for p in Neuron(3, bias=False).parameters()] == ["w1", "w2", "w3"]
    # the dotted names of named_parameters() are unchanged
    assert next(iter(model.named_parameters()))[0] == "layers.0.neurons.0.w.0"


def test_loss_graph_names_every_weight() -> None:
    model = MLP(2, [2, 1], seed=1)
    loss = mse(model([0.5, -1.0]), 1.0)
    loss.backward()
    source = draw(loss).source
    for p in model.parameters():
        assert f'"{p.label}\\ndata' in source or f"{p.label}\\ndata" in source, p.label
    # the labels survive save/load and a state_dict round trip
    again = nn.MLP(2, [2, 1], seed=5)
    again.load_state_dict(model.state_dict())
    assert [p.label for p in again.parameters()] == [p.label for p in model.parameters()]


# --- item 2: draw_network -------------------------------------------------------------


def test_names_are_1_based_like_the_lecture_notes() -> None:
    g = draw_network(seed004())
    for name in ("x1", "x2", "h1", "h2", "o1", "o2"):
        assert re.search(rf'label="?{name}(\\n|"| )', g.source), name
    assert "x0" not in g.source
    assert "h0" not in g.source
    deep = draw_network(MLP(1, [2, 2, 1], seed=0)).source
    assert all(f'"{n}\\ntanh"' in deep for n in ("h1.1", "h1.2", "h2.1", "h2.2"))
    assert '"o1\\nlinear"' in deep


@pytest.mark.parametrize(("steps", "expected"), [(0, None), (1, PRINTED_UPDATES)])
def test_weights_on_edges_match_the_notes(steps: int, expected: dict[str, float] | None) -> None:
    g = draw_network(seed004(steps), weights=True, precision=8)
    labels = edge_weight_labels(g.source)
    assert len(labels) == 8
    for name, (layer, j, i, w) in WEIGHTS.items():
        shown = float(labels[(NODE_ID[layer][i], NODE_ID[layer + 1][j])])
        want = w if expected is None else expected[name]
        assert shown == pytest.approx(want, abs=5e-9), name
    if expected is not None:  # the step changed every weight
        assert all(
            float(labels[(NODE_ID[layer][i], NODE_ID[layer + 1][j])]) != pytest.approx(w)
            for layer, j, i, w in WEIGHTS.values()
        )


def test_without_weights_no_numbers_on_edges() -> None:
    assert "headlabel" not in draw_network(seed004()).source


def test_output_values_for_an_input() -> None:
    model = seed004()
    g = draw_network(model, x=X, precision=8)
    o = model(X)
    assert "0.1" in g.source
    assert "x1\\n0.1" in g.source
    for k, v in enumerate(o, 1):
        assert f"o{k}\\nsigmoid\\n{format(v.data, '.8g')}" in g.source
    assert f"{o[0].data:.8f}" == "0.60944600"  # seed 004's o1
    assert "h1\\nsigmoid\\n0.51998934" in g.source
    with pytest.raises(ValueError, match="x has 3 values"):
        draw_network(model, x=[1.0, 2.0, 3.0])


def test_bias_nodes_one_per_layer_at_the_bottom_of_each_column() -> None:
    model = MLP(2, [3, 2, 1], seed=0)
    g = draw_network(model)
    root = svg_root(g)
    ys: dict[str, float] = {}
    xs: dict[str, float] = {}
    for node in root.iter(f"{SVG}g"):
        if node.get("class") != "node":
            continue
        title = node.find(f"{SVG}title")
        text = next(node.iter(f"{SVG}text"), None)
        assert title is not None
        assert text is not None
        ys[str(title.text)] = float(text.get("y", "nan"))
        xs[str(title.text)] = float(text.get("x", "nan"))
    assert sorted(n for n in ys if n.startswith("b")) == ["b1", "b2", "b3"]
    columns = [["x1", "x2"], ["L1n1", "L1n2", "L1n3"], ["L2n1", "L2n2"]]
    for k, column in enumerate(columns, 1):
        bias = f"b{k}"
        assert all(ys[bias] > ys[n] for n in column), (bias, column)  # below (SVG y is down)
        assert all(abs(xs[bias] - xs[n]) < 30 for n in column)  # in the same column
        assert all(ys[a] < ys[b] for a, b in itertools.pairwise(column))  # in order
    edges = [e for e in root.iter(f"{SVG}g") if e.get("class") == "edge"]
    assert len(edges) == model.num_parameters()  # the ordering edges are invisible


def test_legend_explains_colour_and_width() -> None:
    model = MLP(2, [2, 1], seed=0)
    g = draw_network(model)
    assert "blue w > 0, red w < 0" in g.source
    assert "line width ∝ |w|" in g.source
    biggest = max(abs(p.data) for p in model.parameters())
    assert f"|w| = {biggest:.3g}" in g.source
    texts = " ".join(t.text or "" for t in svg_root(g).iter(f"{SVG}text"))
    assert "blue w > 0" in texts
    assert "line width" in texts
    assert "line width" not in draw_network(model, legend=False).source


def test_bad_arguments() -> None:
    with pytest.raises(TypeError, match="expected an MLP"):
        draw_network(Layer(2, 2))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="rankdir"):
        draw_network(seed004(), rankdir="XY")
    with pytest.raises(ValueError, match="precision"):
        draw_network(seed004(), precision=0)


def test_network_dot_is_deterministic() -> None:
    a = draw_network(MLP(2, [4, 4, 1], seed=3), weights=True, x=[0.5, -1.0]).source
    b = draw_network(MLP(2, [4, 4, 1], seed=3), weights=True, x=[0.5, -1.0]).source
    assert a == b


# --- item 3: figures show themselves in Jupyter ---------------------------------------


def test_plots_are_figures_with_png_repr() -> None:
    pytest.importorskip("matplotlib")
    from matplotlib.figure import Figure as MatplotlibFigure

    from nn.figure import Figure

    fig = nn.plot_history(nn.History(loss=[3.0, 2.0, 1.5], val_loss=[3.5, 2.5, 2.0]))
    model = MLP(2, [3, 1], seed=0)
    fig2 = nn.plot_decision_boundary(model, [[0.0, 0.0], [1.0, 1.0]], [0, 1], resolution=8)
    for f in (fig, fig2):
        assert isinstance(f, Figure)
        assert isinstance(f, MatplotlibFigure)
        png = f._repr_png_()
        assert png[:8] == b"\x89PNG\r\n\x1a\n"
        assert len(png) > 1000
    assert [line.get_label() for line in fig.axes[0].get_lines()] == ["loss", "val_loss"]


def test_noop_free_network_graph_counts() -> None:
    # Neuron without bias, 2 inputs: w1*x1 + w2*x2 then the activation (no +0 start)
    n = Neuron(2, activation="tanh", bias=False)
    out: Any = n([0.5, 2.0])
    assert [v.op for v in topo_order(out) if v.op] == ["*", "*", "+", "tanh"]


@given(
    nin=st.integers(1, 4),
    sizes=st.lists(st.integers(1, 4), min_size=1, max_size=3),
    bias=st.booleans(),
)
def test_every_parameter_label_is_unique_and_positional(
    nin: int, sizes: list[int], bias: bool
) -> None:
    model = MLP(nin, sizes, bias=bias, seed=0)
    labels = [p.label for p in model.parameters()]
    assert len(set(labels)) == len(labels)
    fanin = [nin, *sizes]
    for i, layer in enumerate(model.layers):
        for j, neuron in enumerate(layer.neurons):
            expected = [f"L{i + 1}.n{j + 1}.w{k}" for k in range(1, fanin[i] + 1)]
            assert [w.label for w in neuron.w] == expected
            if bias:
                assert neuron.b is not None
                assert neuron.b.label == f"L{i + 1}.n{j + 1}.b"


def test_decision_boundary_of_three_classes_is_the_argmax() -> None:
    """Three outputs: each region is the class with the largest output (not the first
    output's sign), and each point has its class's colour."""
    pytest.importorskip("matplotlib")
    from matplotlib.colors import to_hex

    from nn.draw import CLASS_COLORS

    # a linear 2-3 model: class 0 scores x, class 1 scores -x, class 2 scores 2y - 1
    model = MLP(2, [3], seed=0)
    rows = [((1.0, 0.0), 0.0), ((-1.0, 0.0), 0.0), ((0.0, 2.0), -1.0)]
    for neuron, (w, b) in zip(model.layers[0].neurons, rows, strict=True):
        neuron.w[0].data, neuron.w[1].data = w
        neuron.b.data = b
    X = [[2.0, 0.0], [-2.0, 0.0], [0.0, 3.0]]
    fig = nn.plot_decision_boundary(model, X, [0, 1, 2], resolution=41)
    ax = fig.axes[0]
    (contour,) = [c for c in ax.collections if hasattr(c, "levels")]
    assert list(contour.levels) == [-0.5, 0.5, 1.5, 2.5]
    # the filled bands: (2.4, -0.4) lies in class 0's, (-2.4, -0.4) in 1's, (0, 3.4) in 2's
    from matplotlib.path import Path

    def band(point: tuple[float, float]) -> list[int]:
        return [
            k
            for k, segs in enumerate(contour.allsegs)
            if any(Path(s).contains_point(point) for s in segs)
        ]

    assert band((2.4, -0.4)) == [0]
    assert band((-2.4, -0.4)) == [1]
    assert band((0.0, 3.4)) == [2]
    points = ax.collections[-1]
    colors = [to_hex(c) for c in points.get_facecolors()]
    assert colors == [CLASS_COLORS[k][1] for k in (0, 1, 2)]
