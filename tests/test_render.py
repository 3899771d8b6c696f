"""Rendering: PNG output (signature, size), time limits on both renderers, Korean text."""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
from typing import Any

import pytest

import autograd.render as render
from autograd import Value, draw, examples
from autograd.render import RenderTimeout, render_png, render_svg

RENDERERS = ["wasi"] + (["dot"] if shutil.which("dot") else [])
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(params=RENDERERS)
def renderer(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("CHAINGRAD_RENDERER", request.param)
    return str(request.param)


def png_size(png: bytes) -> tuple[int, int]:
    assert png.startswith(PNG_SIGNATURE)
    assert png[12:16] == b"IHDR"
    width, height = struct.unpack(">II", png[16:24])
    return width, height


def svg_size_pt(svg: str) -> tuple[float, float]:
    m = re.search(r'<svg width="([\d.]+)pt" height="([\d.]+)pt"', svg)
    assert m is not None
    return float(m.group(1)), float(m.group(2))


@pytest.mark.parametrize(("scale", "dpi"), [(1.0, 72.0), (2.0, 96.0), (0.5, 150.0)])
def test_png_has_the_requested_size(renderer: str, scale: float, dpi: float) -> None:
    g = draw(examples.apple_price().root, edge_values=True)
    w_pt, h_pt = svg_size_pt(g.svg())
    width, height = png_size(g.png(scale=scale, dpi=dpi))
    assert width == pytest.approx(w_pt / 72 * dpi * scale, abs=2)
    assert height == pytest.approx(h_pt / 72 * dpi * scale, abs=2)


def test_png_options_are_checked() -> None:
    g = draw(Value(1.0))
    with pytest.raises(ValueError, match="scale"):
        g.png(scale=0)
    with pytest.raises(ValueError, match="dpi"):
        g.png(dpi=-1)
    with pytest.raises(ValueError, match="timeout"):
        render_svg("digraph { a }", timeout=0)


def test_png_from_svg_in_process_has_the_exact_size() -> None:
    svg = render_svg("digraph { a -> b }", "wasi")
    w_pt, h_pt = svg_size_pt(svg)
    png = render.svg_to_png(svg, scale=3.0, dpi=72.0)
    assert png_size(png) == (round(w_pt * 3), round(h_pt * 3))


def test_korean_labels_render(renderer: str) -> None:
    v = Value(100, label="사과")
    svg = draw(v * 2).svg()
    assert "사과" in svg
    assert png_size(render_png(draw(v * 2).source))[0] > 10


class _FireNow:
    """A threading.Timer stand-in that runs its function at once (the time limit hit)."""

    def __init__(self, interval: float, function: Any) -> None:
        self.function = function
        self.daemon = True

    def start(self) -> None:
        self.function()

    def cancel(self) -> None:
        pass


def test_wasi_render_stops_at_its_time_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(render.threading, "Timer", _FireNow)
    with pytest.raises(RenderTimeout, match=r"graphviz \(wasi\) did not finish .* 30 s"):
        render_svg("digraph { a -> b }", "wasi")
    monkeypatch.undo()
    assert "<svg" in render_svg("digraph { a -> b }", "wasi")  # a fresh instance next time


def test_dot_render_stops_at_its_time_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    def slow(*args: Any, **kwargs: Any) -> Any:
        raise subprocess.TimeoutExpired(args[0], kwargs["timeout"])

    monkeypatch.setattr(render.shutil, "which", lambda name: "/usr/bin/dot")
    monkeypatch.setattr(render.subprocess, "run", slow)
    with pytest.raises(RenderTimeout, match=r"graphviz \(dot\) did not finish .* 7 s"):
        render_svg("digraph { a -> b }", "dot", timeout=7)
    with pytest.raises(RenderTimeout):
        render_png("digraph { a -> b }", renderer="dot")


def test_huge_png_is_scaled_down_to_fit_in_memory() -> None:
    svg = re.sub(
        r'<svg width="[\d.]+pt"', '<svg width="620000pt"', render_svg("digraph { a -> b }", "wasi")
    )
    assert 'width="620000pt"' in svg
    width, height = png_size(render.svg_to_png(svg, scale=2.0))
    assert width <= render.MAX_SIDE
    assert width * height <= render.MAX_PIXELS
