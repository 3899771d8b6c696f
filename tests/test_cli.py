"""The command line: ``chaingrad`` / ``python -m autograd``, run as a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from autograd.examples import EXAMPLES

ROOT = Path(__file__).resolve().parents[1]


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "autograd", *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=cwd,
        env=env,
    )


def test_demo_renders_every_example_and_prints_the_table(tmp_path: Path) -> None:
    proc = run_cli("demo", "--out", "out", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    for name in ("apple_price", "apple_orange", "toy_model", "sigmoid", "chain_rule"):
        assert f"{name}:" in proc.stdout
        svg = tmp_path / "out" / f"{name}.svg"
        ET.parse(svg)  # parses as XML
    assert sorted(p.stem for p in (tmp_path / "out").glob("*.svg")) == sorted(EXAMPLES)
    assert "0.1385805664" in proc.stdout
    assert "2.2" in proc.stdout


def test_demo_default_folder(tmp_path: Path) -> None:
    proc = run_cli("demo", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "chaingrad-demo" / "apple_price.svg").is_file()


def test_render_list_prints_only_names(tmp_path: Path) -> None:
    proc = run_cli("render", "--list", cwd=tmp_path)
    assert proc.returncode == 0
    assert proc.stdout.splitlines() == list(EXAMPLES)


def test_render_one_example_with_edge_values(tmp_path: Path) -> None:
    proc = run_cli("render", "apple_price", "-o", "apple.svg", "--edge-values", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    text = (tmp_path / "apple.svg").read_text()
    for number in ("220", "2.2", "110", "200"):
        assert f">{number}<" in text or f"{number}</text>" in text


def test_render_errors(tmp_path: Path) -> None:
    proc = run_cli("render", "nope", "-o", "x.svg", cwd=tmp_path)
    assert proc.returncode == 2
    assert "unknown example 'nope'" in proc.stderr
    proc = run_cli("render", "apple_price", cwd=tmp_path)
    assert proc.returncode == 2
    assert "-o FILE" in proc.stderr
    assert list(tmp_path.iterdir()) == []


def test_graph_prints_value_and_gradients_and_writes_svg(tmp_path: Path) -> None:
    proc = run_cli("graph", "(x + y)**2", "--at", "x=1,y=2", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0] == "value: 9"
    assert lines[1:3] == ["d/dx: 6", "d/dy: 6"]
    ET.parse(tmp_path / "graph.svg")


def test_graph_dot_output(tmp_path: Path) -> None:
    proc = run_cli("graph", "sin(x) * x", "--at", "x=1.5", "--dot", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "graph.dot").read_text().startswith("digraph")
    proc = run_cli(
        "graph", "sigmoid(x)", "--at", "x=0", "-o", "s.svg", "--edge-values", cwd=tmp_path
    )
    assert proc.returncode == 0, proc.stderr
    assert "d/dx: 0.25" in proc.stdout
    ET.parse(tmp_path / "s.svg")


BAD_EXPRESSIONS = [
    ("x.real", "attribute access"),
    ("x[0]", "subscripts"),
    ("(lambda: 1)()", "lambda"),
    ("[x for x in y]", "comprehensions"),
    ("'abc'", "strings"),
    ("__import__('os')", "__import__"),
    ("open('f')", "unknown function 'open'"),
    ("foo(x)", "unknown function 'foo'"),
    ("x + z", "variable 'z' has no value"),
    ("x +* 2", "syntax error at column"),
    ("(x + 1", "syntax error at column"),
]


@pytest.mark.parametrize(("expr", "message"), BAD_EXPRESSIONS)
def test_graph_bad_expressions(expr: str, message: str, tmp_path: Path) -> None:
    proc = run_cli("graph", expr, "--at", "x=1,y=2", cwd=tmp_path)
    assert proc.returncode == 2
    assert message in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    assert proc.stdout == ""
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("at", "message"),
    [("x", "malformed --at"), ("x=abc", "not a number"), ("x=1,,y=2", "malformed --at")],
)
def test_graph_malformed_at(at: str, message: str, tmp_path: Path) -> None:
    proc = run_cli("graph", "x * 2", "--at", at, cwd=tmp_path)
    assert proc.returncode == 2
    assert message in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    assert list(tmp_path.iterdir()) == []


def test_graph_missing_at(tmp_path: Path) -> None:
    proc = run_cli("graph", "x * 2", cwd=tmp_path)
    assert proc.returncode == 2
    assert "variable 'x' has no value" in proc.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("expr", "message"),
    [
        ("log(x)", "log: input must be > 0, got 0.0"),
        ("1 / x", "/: division by zero"),
        ("exp(x + 1000)", "exp: result too large"),
    ],
)
def test_graph_engine_errors_exit_1(expr: str, message: str, tmp_path: Path) -> None:
    proc = run_cli("graph", expr, "--at", "x=0", cwd=tmp_path)
    assert proc.returncode == 1
    assert message in proc.stderr
    assert list(tmp_path.iterdir()) == []


def test_help_everywhere_documents_exit_codes(tmp_path: Path) -> None:
    for args in ([], ["demo"], ["render"], ["graph"]):
        proc = run_cli(*args, "--help", cwd=tmp_path)
        assert proc.returncode == 0
        assert "exit status" in proc.stdout
        assert "usage" in proc.stdout


def test_no_command_is_a_usage_error(tmp_path: Path) -> None:
    proc = run_cli(cwd=tmp_path)
    assert proc.returncode == 2
    assert "usage" in proc.stderr
