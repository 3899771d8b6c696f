"""Jupyter shows the pictures inline: a notebook run by nbclient gets image/png for the
plots and image/svg+xml for graphs, with no ``%matplotlib inline``.

Runs when nbformat, nbclient and ipykernel are installed (the ``test`` extra).
"""

from __future__ import annotations

from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")
pytest.importorskip("matplotlib")

ROOT = Path(__file__).resolve().parent.parent

CELLS = {
    "history": "import nn\nnn.plot_history(nn.History(loss=[3.0, 2.0, 1.5]))",
    "boundary": (
        "model = nn.MLP(2, [3, 1], seed=0)\n"
        "nn.plot_decision_boundary(model, [[0.0, 0.0], [1.0, 1.0]], [0, 1], resolution=8)"
    ),
    "graph": (
        "from autograd import Value, draw\n"
        "x = Value(3.0, label='x')\n"
        "f = x * x + x\n"
        "f.backward()\n"
        "draw(f)"
    ),
    "network": "nn.draw_network(model, weights=True)",
}


@pytest.mark.slow
def test_notebook_shows_plots_as_png_and_graphs_as_svg(tmp_path: Path) -> None:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(src) for src in CELLS.values()]
    client = nbclient.NotebookClient(
        nb,
        timeout=60,
        kernel_name="python3",
        resources={"metadata": {"path": str(ROOT)}},
    )
    client.execute()
    outputs = {}
    for name, cell in zip(CELLS, nb.cells, strict=True):
        results = [o for o in cell.outputs if o.output_type == "execute_result"]
        assert len(results) == 1, (name, cell.outputs)
        outputs[name] = results[0].data
    for name in ("history", "boundary"):
        assert "image/png" in outputs[name], (name, list(outputs[name]))
        assert outputs[name]["image/png"]  # base64 text of a non-empty PNG
    for name in ("graph", "network"):
        assert "image/svg+xml" in outputs[name], (name, list(outputs[name]))
        assert "<svg" in outputs[name]["image/svg+xml"]
