"""docs/figures.py regenerates every drawn example into a folder: SVG that parses, PNG
with the PNG signature."""

from __future__ import annotations

import runpy
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from autograd import Graph

ROOT = Path(__file__).resolve().parent.parent
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
EXPECTED = [
    "apple_price",
    "apple_orange",
    "toy_model",
    "sigmoid",
    "chain_rule",
    "network_222_before",
    "network_222_after",
    "tanh_d2",
    "tanh_d4",
]


@pytest.mark.slow
def test_figures_script_writes_every_picture(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("matplotlib")
    script = runpy.run_path(str(ROOT / "docs" / "figures.py"), run_name="figures")
    assert script["main"](["--out", str(tmp_path), "--epochs", "3", "--samples", "10"]) == 0
    printed = capsys.readouterr().out
    names = [*EXPECTED, "sine_loss", "sine_fit"]
    png_for_graphs = hasattr(Graph, "png")
    assert ("no .png()" in printed) is not png_for_graphs
    for name in names:
        svg = tmp_path / f"{name}.svg"
        assert svg.exists(), name
        root = ET.parse(svg).getroot()
        assert root.tag == "{http://www.w3.org/2000/svg}svg", name
        png = tmp_path / f"{name}.png"
        if png_for_graphs or name.startswith("sine_"):
            assert png.read_bytes()[:8] == PNG_SIGNATURE, name
    after = (tmp_path / "network_222_after.svg").read_text(encoding="utf-8")
    for weight in ("0.43703857", "0.38685205", "0.69629578", "0.59624247", "0.29959556"):
        assert weight in after  # seed 004's printed updates, on their edges
    assert "d4y/dx4" in (tmp_path / "tanh_d4.svg").read_text(encoding="utf-8")


def test_committed_images_exist_and_parse() -> None:
    folder = ROOT / "docs" / "images"
    for name in EXPECTED:
        ET.parse(folder / f"{name}.svg")
    for png in folder.glob("*.png"):
        assert png.read_bytes()[:8] == PNG_SIGNATURE, png.name
