"""Saving and loading models, the network drawing, plots and the torch export."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import nn
from autograd import Graph
from nn import MLP, fit, load, make_moons


def test_save_load_round_trip_is_exact(tmp_path: Path) -> None:
    model = MLP(2, [3, 2], activation="relu", output_activation="sigmoid", seed=7)
    model.load_state_dict({k: v / 3 for k, v in model.state_dict().items()})
    path = model.save(tmp_path / "m.json")
    again = load(path)
    assert isinstance(again, MLP)
    assert again.state_dict() == model.state_dict()  # exact float equality on purpose
    assert again.config() == model.config()
    assert [p.name for p in tmp_path.iterdir()] == ["m.json"]


def test_save_is_json_with_a_version_and_never_pickle(tmp_path: Path) -> None:
    path = MLP(1, [1]).save(tmp_path / "m.json")
    doc = json.loads(path.read_text())
    assert doc["format"] == "chaingrad.nn"
    assert doc["version"] == 1
    assert doc["class"] == "MLP"


HEADER = '{"format": "chaingrad.nn", "version": 1, '


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"format": "chaingrad.nn", "vers', "corrupt or truncated"),
        ("", "corrupt or truncated"),
        ('{"hello": 1}', "not a chaingrad model file"),
        ("[1, 2]", "not a chaingrad model file"),
        ('{"format": "chaingrad.nn", "version": 99, "class": "MLP"}', "version 99 is newer"),
        (
            HEADER + '"class": "Zzz", "config": {}, "parameters": {}}',
            "unknown model class",
        ),
        (
            '{"format": "chaingrad.nn", "version": 1, "class": "MLP", '
            '"config": {"nin": 1, "nouts": [1]}, "parameters": {"layers.0.neurons.0.w.0": "x", '
            '"layers.0.neurons.0.b": 0.0}}',
            "must be a number",
        ),
        (
            '{"format": "chaingrad.nn", "version": 1, "class": "MLP", '
            '"config": {"nin": 1, "nouts": [1]}, "parameters": {"layers.0.neurons.0.w.0": 1.0, '
            '"layers.0.neurons.0.x": 0.0}}',
            "missing key",
        ),
        (
            '{"format": "chaingrad.nn", "version": 1, "class": "MLP", '
            '"config": {"nin": 1, "nouts": [1]}, "parameters": {}}',
            "has 2 parameters but the file lists 0",
        ),
    ],
)
def test_bad_files_name_the_file_and_the_problem(
    tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content)
    with pytest.raises(ValueError, match=message) as info:
        load(path)
    assert "bad.json" in str(info.value)


def test_binary_file(tmp_path: Path) -> None:
    path = tmp_path / "bin.json"
    path.write_bytes(b"\x80\x81\xff")
    with pytest.raises(ValueError, match=r"bin\.json"):
        load(path)


def test_save_into_a_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="does not exist"):
        MLP(1, [1]).save(tmp_path / "nope" / "m.json")


def test_draw_network() -> None:
    model = MLP(2, [3, 1], seed=0)
    g = nn.draw_network(model)
    assert isinstance(g, Graph)
    root = ET.fromstring(g.svg())
    svg = "{http://www.w3.org/2000/svg}"
    nodes = [e for e in root.iter(f"{svg}g") if e.get("class") == "node"]
    edges = [e for e in root.iter(f"{svg}g") if e.get("class") == "edge"]
    assert len(nodes) == 2 + 3 + 1 + 2  # inputs, neurons, one bias node per layer
    assert len(edges) == model.num_parameters()
    widths = [float(w) for w in re.findall(r"penwidth=\"?([0-9.]+)", g.source)]
    assert max(widths) == pytest.approx(4.3)
    assert "#c0392b" in g.source  # a negative weight
    assert "#2b6cb0" in g.source  # a positive weight


def test_plots() -> None:
    pytest.importorskip("matplotlib")
    X, y = make_moons(20, seed=0)
    model = MLP(2, [4, 1], seed=0)
    h = fit(model, X, y, loss="hinge", epochs=3, progress=False)
    fig = nn.plot_history(h)
    assert fig.axes[0].get_xlabel() == "epoch"
    fig2 = nn.plot_decision_boundary(model, X, y, resolution=10)
    assert fig2.axes


def test_plot_without_matplotlib(monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    real_import = builtins.__import__

    def no_mpl(name: str, *args: object, **kwargs: object) -> object:
        if name.startswith("matplotlib"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(builtins, "__import__", no_mpl)
    with pytest.raises(ImportError, match=r"pip install 'chaingrad\[plot\]'"):
        nn.plot_history(nn.History(loss=[1.0]))


def test_to_torch_agrees_to_1e_12() -> None:
    torch = pytest.importorskip("torch")
    model = MLP(3, [5, 4, 2], activation="tanh", output_activation="sigmoid", seed=2)
    tmodel = model.to_torch()
    for x in ([0.1, -0.5, 2.0], [1.0, 1.0, -1.0]):
        ours = [v.data for v in model(x)]
        theirs = tmodel(torch.tensor(x, dtype=torch.float64)).tolist()
        assert ours == pytest.approx(theirs, abs=1e-12)
    relu = MLP(2, [3, 1], activation="relu", bias=False, seed=1)
    assert relu([0.3, 0.4]).data == pytest.approx(
        relu.to_torch()(torch.tensor([0.3, 0.4], dtype=torch.float64)).item(), abs=1e-12
    )
