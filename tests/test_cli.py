"""The command line: ``chaingrad`` / ``python -m autograd``."""

from __future__ import annotations

import subprocess
import sys

import pytest

from autograd.__main__ import main


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "autograd", *args], capture_output=True, text=True, timeout=120
    )


def test_demo_prints_every_example_with_values_and_gradients(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["demo"]) == 0
    out = capsys.readouterr().out
    for name in ("apple_price", "apple_orange", "toy_model", "sigmoid", "chain_rule"):
        assert f"{name}:" in out
    assert "0.1385805664" in out
    assert "2.2" in out


def test_python_dash_m_runs_and_help_documents_exit_codes() -> None:
    proc = run_cli("--help")
    assert proc.returncode == 0
    assert "exit status" in proc.stdout
    proc = run_cli("demo", "--help")
    assert proc.returncode == 0
    assert "exit status" in proc.stdout


def test_no_command_is_a_usage_error() -> None:
    proc = run_cli()
    assert proc.returncode == 2
    assert "usage" in proc.stderr
