"""The command line: ``chaingrad`` / ``python -m autograd``, run as a subprocess."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest

import autograd
from autograd.__main__ import format_example, main
from autograd.examples import EXAMPLES, Example
from autograd.graph import Graph

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


Run = Callable[..., "subprocess.CompletedProcess[str]"]


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Run:
    """``main(argv)`` in this process (fast), in ``tmp_path``; same result type as run_cli."""
    monkeypatch.chdir(tmp_path)

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        try:
            code = main(list(args))
        except SystemExit as exc:  # argparse's own errors, --version
            code = exc.code if isinstance(exc.code, int) else 1
        out = capsys.readouterr()
        return subprocess.CompletedProcess(list(args), code, out.out, out.err)

    return run


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
    proc = run_cli("render", cwd=tmp_path)
    assert proc.returncode == 2
    assert "give an example NAME" in proc.stderr
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


def one_line_error(proc: subprocess.CompletedProcess[str]) -> str:
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    return lines[0]


@pytest.mark.parametrize(
    "args",
    [
        ["x*y", "--at", "x=1", "y=2"],
        ["x*y", "--at", "x=1,", "y=2"],
        ["--at", "x=1", "y=2", "x*y"],
    ],
)
def test_at_items_separated_by_spaces_say_use_commas(
    args: list[str], cli: Run, tmp_path: Path
) -> None:
    line = one_line_error(cli("graph", *args))
    assert line == "chaingrad: error: separate variables with commas: --at x=1,y=2"
    assert list(tmp_path.iterdir()) == []


def test_at_items_instead_of_the_expression(cli: Run) -> None:
    line = one_line_error(cli("graph", "--at", "x=1", "y=2"))
    assert "separate variables with commas: --at x=1,y=2 (and give the expression" in line


def test_at_may_be_repeated(cli: Run) -> None:
    proc = cli("graph", "x*y", "--at", "x=1", "--at", "y=2", "-o", "g.dot")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[:3] == ["value: 2", "d/dx: 2", "d/dy: 1"]


@pytest.mark.parametrize(
    "args",
    [
        ["-x**2", "--at", "x=3", "-o", "g.dot"],
        ["--at", "x=3", "-o", "g.dot", "-x**2"],
        ["--at", "x=3", "-o", "g.dot", "--", "-x**2"],
    ],
)
def test_an_expression_may_start_with_a_minus(args: list[str], cli: Run) -> None:
    proc = cli("graph", *args)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == ["value: -9", "d/dx: -6", "wrote g.dot"]


def test_when_argparse_refuses_a_dash_word_the_error_says_use_double_dash(
    cli: Run, tmp_path: Path
) -> None:
    proc = cli("graph", "-x**2", "y", "--at", "x=1")
    assert proc.returncode == 2
    assert 'goes after "--": chaingrad graph --at x=3 -- "-x**2"' in proc.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("expr", "at", "message"),
    [
        ("x^2", "x=3", "^ is not a power in Python: use x**2"),
        ("2x", "x=3", "did you mean 2*x?"),
        ("1e999 * x", "x=1", "number 1e999 at column 1 is out of range"),
        ("x", "x=1e309", "--at: x=1e309 is out of range"),
        ("x", "x=-1e309", "--at: x=-1e309 is out of range"),
        ("x", "x=nan", "--at: x=nan is not a finite number"),
        ("x * y", "x=1,\uff58=2,y=1", "given twice"),
    ],
)
def test_typos_and_out_of_range_get_one_clear_line(
    expr: str, at: str, message: str, cli: Run, tmp_path: Path
) -> None:
    line = one_line_error(cli("graph", expr, "--at", at))
    assert line.startswith("chaingrad: error: ")
    assert message in line
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("expr", "at"),
    [("x * y", "x=\u22123,y=1"), ("\u22123 * y + 0 * x", "x=1,y=1")],
)
def test_a_unicode_minus_is_a_minus(expr: str, at: str, cli: Run) -> None:
    proc = cli("graph", expr, "--at", at, "-o", "g.dot")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[0] == "value: -3"


@pytest.mark.parametrize(("expr", "at"), [("\uff58 * x", "x=2"), ("x * x", "\uff58=2")])
def test_nfkc_twins_are_one_variable_both_ways(expr: str, at: str, cli: Run) -> None:
    proc = cli("graph", expr, "--at", at, "-o", "g.dot")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == ["value: 4", "d/dx: 4", "wrote g.dot"]


def test_gradients_print_in_the_order_the_variables_appear(cli: Run) -> None:
    proc = cli("graph", "z*y + x", "--at", "x=1,y=2,z=3", "-o", "g.dot")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[1:4] == ["d/dz: 2", "d/dy: 3", "d/dx: 1"]


def test_typo_messages_from_the_real_command(tmp_path: Path) -> None:
    """The same messages through a real process (the in-process tests cover the rest)."""
    line = one_line_error(run_cli("graph", "x*y", "--at", "x=1", "y=2", cwd=tmp_path))
    assert line == "chaingrad: error: separate variables with commas: --at x=1,y=2"
    line = one_line_error(run_cli("graph", "x^2", "--at", "x=\u22123", cwd=tmp_path))
    assert line == "chaingrad: error: ^ is not a power in Python: use x**2"
    proc = run_cli("graph", "-x**2", "--at", "x=3", "-o", "g.dot", cwd=tmp_path)
    assert proc.stdout.splitlines() == ["value: -9", "d/dx: -6", "wrote g.dot"], proc.stderr


def test_version(tmp_path: Path) -> None:
    proc = run_cli("--version", cwd=tmp_path)
    assert proc.returncode == 0
    assert proc.stdout.strip() == f"chaingrad {autograd.__version__}"


def test_render_without_o_writes_name_svg(tmp_path: Path) -> None:
    proc = run_cli("render", "apple_price", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "wrote apple_price.svg"
    ET.parse(tmp_path / "apple_price.svg")


@pytest.mark.parametrize(
    "args",
    [
        ["graph", "x / 3", "--at", "x=1", "-o", "g.dot"],
        ["render", "wx_norm", "-o", "g.dot"],
    ],
)
def test_rankdir_and_precision(args: list[str], cli: Run, tmp_path: Path) -> None:
    proc = cli(*args, "--rankdir", "TB", "--precision", "2")
    assert proc.returncode == 0, proc.stderr
    dot = (tmp_path / "g.dot").read_text()
    assert re.search(r"\brankdir=TB\b", dot)
    assert "0.33" in dot or "0.12" in dot  # 2 significant digits
    assert "0.333" not in dot
    assert "0.116" not in dot
    proc = cli(*args, "--precision", "18")
    assert proc.returncode == 2
    assert "from 1 to 17" in proc.stderr
    proc = cli(*args, "--rankdir", "XY")
    assert proc.returncode == 2
    assert "invalid choice" in proc.stderr


@pytest.mark.parametrize("suffix", [".dot", ".gv", ".DOT"])
def test_the_suffix_decides_dot(suffix: str, cli: Run, tmp_path: Path) -> None:
    proc = cli("graph", "x**2", "--at", "x=3", "-o", f"g{suffix}")
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / f"g{suffix}").read_text().startswith("digraph")


def test_the_suffix_decides_png(tmp_path: Path) -> None:
    if not hasattr(Graph, "png"):
        pytest.skip("Graph.png() is not in this build")
    proc = run_cli("graph", "x**2", "--at", "x=3", "-o", "g.png", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "g.png").read_bytes().startswith(b"\x89PNG\r\n\x1a\n")


@pytest.mark.parametrize("args", [["graph", "x**2", "--at", "x=3"], ["render", "apple_price"]])
@pytest.mark.parametrize("name", ["g.pdf", "g", "g.svg.txt"])
def test_a_bad_suffix_is_exit_2_listing_the_valid_ones(
    args: list[str], name: str, cli: Run, tmp_path: Path
) -> None:
    line = one_line_error(cli(*args, "-o", name))
    assert ".svg, .png, .dot or .gv" in line
    assert repr(name) in line
    assert list(tmp_path.iterdir()) == []


def _display_width(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def test_demo_table_columns_line_up_whatever_the_names() -> None:
    from autograd import Value

    leaves = {
        "x": Value(1e-300, label="x"),
        "a_rather_long_parameter_name": Value(-123456.789012, label="a"),
        "가중치": Value(2.5, label="w"),
    }
    root = leaves["x"] * leaves["a_rather_long_parameter_name"] + leaves["가중치"]
    root.backward()
    table = format_example(Example("t", "test", root, leaves)).splitlines()[1:]
    assert len(table) == 5
    # every row's value and grad columns end at the same display column
    ends = {_display_width(line) for line in table}
    assert len(ends) == 1, table
    value_ends = set()
    for line in table:
        head = line.rstrip().rsplit(" ", 1)[0].rstrip()
        value_ends.add(_display_width(head))
    assert len(value_ends) == 1, table


@pytest.mark.parametrize("name", ["g.svg", "g.png"])
def test_dot_flag_conflicting_with_the_suffix_is_refused(
    name: str, cli: Run, tmp_path: Path
) -> None:
    line = one_line_error(cli("graph", "x", "--at", "x=1", "--dot", "-o", name))
    assert "--dot writes DOT text" in line
    assert list(tmp_path.iterdir()) == []


def test_the_cli_module_doctests_run() -> None:
    """pytest's --doctest-modules skips __main__.py; run its examples here."""
    import doctest

    import autograd.__main__ as cli_module

    result = doctest.testmod(cli_module)
    assert result.attempted > 0
    assert result.failed == 0
