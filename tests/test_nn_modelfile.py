"""Model files against hostile input (issue 7) and parameter labels (issue 8)."""

from __future__ import annotations

import json
import math
import os
import threading
import tracemalloc
from pathlib import Path
from typing import Any

import pytest

import nn
from nn import MLP, load
from nn.modelfile import FORMAT, FORMAT_VERSION


def _document(**changes: Any) -> dict[str, Any]:
    model = MLP(2, [2, 1], seed=0)
    doc: dict[str, Any] = {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "class": "MLP",
        "config": model.config(),
        "parameters": model.state_dict(),
    }
    doc.update(changes)
    return doc


def _write(tmp_path: Path, text: str, name: str = "model.json") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _rejects(path: Path, match: str) -> None:
    with pytest.raises(ValueError, match=match) as info:
        load(path)
    assert str(path) in str(info.value)


def _peak_bytes(path: Path) -> int:
    tracemalloc.start()
    try:
        with pytest.raises(ValueError, match="parameters but the file lists"):
            load(path)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


# ------------------------------------------------------- architecture before building
def test_huge_architecture_in_a_tiny_file_is_rejected_before_building(tmp_path: Path) -> None:
    doc = _document(config={"nin": 1000, "nouts": [1000, 1000]})
    path = _write(tmp_path, json.dumps(doc))
    assert path.stat().st_size < 1000
    _rejects(path, r"has 2,002,000 parameters but the file lists 9")
    assert _peak_bytes(path) < 200_000  # building it took 618 MB


def test_out_of_memory_architecture_is_rejected_before_building(tmp_path: Path) -> None:
    path = _write(tmp_path, json.dumps(_document(config={"nin": 100000, "nouts": [100000]})))
    _rejects(path, r"has 10,000,100,000 parameters but the file lists 9")
    assert _peak_bytes(path) < 200_000


def test_load_allocates_a_small_multiple_of_the_file_size(tmp_path: Path) -> None:
    path = MLP(20, [30, 30, 1], seed=0).save(tmp_path / "m.json")
    size = path.stat().st_size
    tracemalloc.start()
    try:
        model = load(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert model.num_parameters() == 1591
    assert peak < 20 * size, (peak, size)


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ({"nin": 0, "nouts": [1]}, r"'nin' must be an int between 1"),
        ({"nin": 10**12, "nouts": [1]}, r"'nin' must be an int between 1"),
        ({"nin": 2, "nouts": []}, r"'nouts' must be a non-empty list"),
        ({"nin": 2, "nouts": 3}, r"'nouts' must be a non-empty list"),
        ({"nin": 2, "nouts": [2, "1"]}, r"'nouts\[1\]' must be an int"),
        ({"nin": 2, "nouts": [2, 1], "bias": "yes"}, r"'bias' must be true or false"),
        ({"nin": 2.0, "nouts": [2, 1]}, r"'nin' must be an int"),
    ],
)
def test_bad_architecture_is_named(tmp_path: Path, config: dict[str, Any], message: str) -> None:
    _rejects(_write(tmp_path, json.dumps(_document(config=config))), message)


def test_unknown_config_key_is_a_value_error(tmp_path: Path) -> None:
    config = {**MLP(2, [2, 1]).config(), "colour": "red"}
    _rejects(_write(tmp_path, json.dumps(_document(config=config))), "colour")


# ----------------------------------------------------------------- hostile JSON
def test_deeply_nested_json_is_a_value_error(tmp_path: Path) -> None:
    _rejects(_write(tmp_path, "[" * 100_000 + "]" * 100_000), "nested too deeply")


def test_deeply_nested_json_is_rejected_whatever_the_recursion_limit(tmp_path: Path) -> None:
    """A program that raised sys.setrecursionlimit (a benchmark did) let json's C
    parser recurse 100,000 deep and crash the interpreter; the nesting is checked first
    now. In a subprocess, so that a regression fails this test, not the whole run."""
    import subprocess
    import sys

    path = _write(tmp_path, "[" * 100_000 + "]" * 100_000)
    code = (
        "import sys, nn\n"
        "sys.setrecursionlimit(1_000_000)\n"
        "try:\n"
        f"    nn.load({str(path)!r})\n"
        "except ValueError as e:\n"
        "    print(e)\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert "nested too deeply" in run.stdout


def test_400_digit_integer_is_a_value_error(tmp_path: Path) -> None:
    doc = json.dumps(_document(config={"nin": 2, "nouts": [2, 1]}))
    doc = doc.replace('"nin": 2', '"nin": ' + "9" * 400)
    _rejects(_write(tmp_path, doc), "integer with 400 digits")


def test_400_digit_integer_parameter_is_a_value_error(tmp_path: Path) -> None:
    doc = _document()
    doc["parameters"]["layers.0.neurons.0.b"] = 0
    text = json.dumps(doc).replace(
        '"layers.0.neurons.0.b": 0', '"layers.0.neurons.0.b": ' + "7" * 400
    )
    _rejects(_write(tmp_path, text), "integer with 400 digits")


def test_5000_digit_numbers_are_a_value_error(tmp_path: Path) -> None:
    doc = _document()
    doc["parameters"]["layers.0.neurons.0.b"] = 0
    for number in ("1" * 5000, "0." + "1" * 5000, "1" * 5000 + ".5"):
        text = json.dumps(doc).replace(
            '"layers.0.neurons.0.b": 0', f'"layers.0.neurons.0.b": {number}'
        )
        _rejects(_write(tmp_path, text), "out of range")


def test_class_as_a_list_is_a_value_error(tmp_path: Path) -> None:
    _rejects(_write(tmp_path, json.dumps(_document(**{"class": []}))), "model class must be a name")


@pytest.mark.parametrize("version", [-1, 0, 2, 10**6, "1", 1.0, True, None])
def test_negative_or_unknown_version_is_rejected(tmp_path: Path, version: Any) -> None:
    _rejects(_write(tmp_path, json.dumps(_document(version=version))), "version")


# -------------------------------------------------------------------- NaN and inf
@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_save_refuses_nan_and_inf_naming_the_parameter(tmp_path: Path, bad: float) -> None:
    model = MLP(2, [2, 1], seed=0)
    model.layers[1].neurons[0].w[1].data = bad
    with pytest.raises(ValueError, match=r"'layers\.1\.neurons\.0\.w\.1' is (nan|inf|-inf)"):
        model.save(tmp_path / "m.json")
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize("token", ["NaN", "Infinity", "-Infinity", "1e999", "-1e400"])
def test_load_rejects_nan_and_inf(tmp_path: Path, token: str) -> None:
    doc = _document()
    doc["parameters"]["layers.0.neurons.0.b"] = 0.5
    text = json.dumps(doc).replace(
        '"layers.0.neurons.0.b": 0.5', f'"layers.0.neurons.0.b": {token}'
    )
    _rejects(_write(tmp_path, text), "finite|out of range")


# ------------------------------------------------------------- not a regular file
@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs os.mkfifo")
def test_fifo_is_refused_not_read_forever(tmp_path: Path) -> None:
    fifo = tmp_path / "model.json"
    os.mkfifo(fifo)
    result: list[BaseException | None] = []

    def attempt() -> None:
        try:
            load(fifo)
            result.append(None)
        except BaseException as exc:
            result.append(exc)

    worker = threading.Thread(target=attempt, daemon=True)
    worker.start()
    worker.join(timeout=60)
    if worker.is_alive():  # unblock the reader so that the test run can end
        with open(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK), "w"):
            pass
        pytest.fail("load blocked on a FIFO")
    assert isinstance(result[0], ValueError)
    assert "a FIFO" in str(result[0])
    assert str(fifo) in str(result[0])


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_device_path_is_refused() -> None:
    with pytest.raises(ValueError, match=r"/dev/zero: not a regular file \(a character device\)"):
        load("/dev/zero")


def test_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="a folder"):
        load(tmp_path)


def test_file_over_the_size_cap_is_refused(tmp_path: Path) -> None:
    path = MLP(2, [2, 1], seed=0).save(tmp_path / "m.json")
    with pytest.raises(ValueError, match="byte limit"):
        load(path, max_bytes=100)
    assert isinstance(load(path, max_bytes=10_000), MLP)


def test_missing_file_is_file_not_found(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        load(tmp_path / "nope.json")


# ------------------------------------------------------------------------- labels
def test_labels_are_saved_and_restored(tmp_path: Path) -> None:
    model = MLP(2, [2, 1], seed=0)
    for i, p in enumerate(model.parameters()):
        p.label = f"p{i + 1}"
    model.layers[0].neurons[1].w[0].label = "L1.n2.w1"
    path = model.save(tmp_path / "m.json")
    doc = json.loads(path.read_text())
    assert doc["labels"]["layers.0.neurons.1.w.0"] == "L1.n2.w1"
    again = load(path)
    assert [p.label for p in again.parameters()] == [p.label for p in model.parameters()]
    assert nn.draw_network(again).source == nn.draw_network(model).source


def test_file_without_labels_loads(tmp_path: Path) -> None:
    doc = _document()
    doc.pop("labels", None)
    again = load(_write(tmp_path, json.dumps(doc)))
    fresh = MLP(2, [2, 1], seed=0)
    assert [p.label for p in again.parameters()] == [p.label for p in fresh.parameters()]


def test_unlabelled_parameters_write_no_labels_entry(tmp_path: Path) -> None:
    model = MLP(1, [1], seed=0)
    for p in model.parameters():
        p.label = ""
    doc = json.loads(model.save(tmp_path / "m.json").read_text())
    assert "labels" not in doc


@pytest.mark.parametrize(
    ("labels", "message"),
    [
        ([1, 2], "'labels' must map"),
        ({"layers.0.neurons.0.b": 3}, "'labels' must map"),
        ({"layers.9.neurons.0.b": "x"}, "label for unknown parameter 'layers.9"),
    ],
)
def test_bad_labels_are_named(tmp_path: Path, labels: Any, message: str) -> None:
    _rejects(_write(tmp_path, json.dumps(_document(labels=labels))), message)


@pytest.mark.parametrize(
    ("name", "config", "planned"),
    [
        ("Neuron", {"nin": 10**6}, "1,000,001"),
        ("Neuron", {"nin": 10**6, "bias": False}, "1,000,000"),
        ("Layer", {"nin": 1000, "nout": 1000}, "1,001,000"),
        (
            "MLP",
            {"nin": 10**9, "nouts": [10**9, 10**9], "bias": False},
            "2,000,000,000,000,000,000",
        ),
    ],
)
def test_every_builtin_class_is_checked_before_building(
    tmp_path: Path, name: str, config: dict[str, Any], planned: str
) -> None:
    doc = _document(**{"class": name, "config": config, "parameters": {"w.0": 1.0}})
    path = _write(tmp_path, json.dumps(doc))
    _rejects(path, f"has {planned} parameters but the file lists 1")
    assert _peak_bytes(path) < 200_000


def test_a_registered_class_can_declare_its_size(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from autograd import Value
    from nn import modelfile
    from nn.module import Module, register

    monkeypatch.setattr(modelfile, "_REGISTRY", dict(modelfile._REGISTRY))  # undone after

    @register
    class Row(Module):
        def __init__(self, n: int) -> None:
            self.w = [Value(0.0) for _ in range(n)]

        def config(self) -> dict[str, Any]:
            return {"n": len(self.w)}

        @classmethod
        def count_parameters(cls, config: Any) -> int | None:
            return int(config["n"])

    path = Row(3).save(tmp_path / "row.json")
    assert load(path).num_parameters() == 3
    doc = json.loads(path.read_text())
    doc["config"]["n"] = 10**9
    _rejects(_write(tmp_path, json.dumps(doc)), "has 1,000,000,000 parameters but the file lists 3")
