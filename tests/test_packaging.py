"""Packaging facts: typing markers, lint, and the `autograd` name-clash warning."""

from __future__ import annotations

import importlib
import re
import shutil
import subprocess
import sys
import tomllib
import warnings
from importlib import metadata
from pathlib import Path

import pytest

import autograd
from autograd import _clash

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("package", ["autograd", "nn"])
def test_py_typed(package: str) -> None:
    assert (ROOT / package / "py.typed").is_file()


def test_every_public_module_declares_all() -> None:
    for path in sorted((ROOT / "autograd").glob("*.py")):
        if path.name.startswith("_") and path.name not in ("__init__.py", "__main__.py"):
            continue
        text = path.read_text()
        assert "__all__" in text, path.name
        assert text.lstrip().startswith('"""'), f"{path.name} has no module docstring"


def test_clash_warning_when_another_distribution_provides_autograd(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(
        _clash.metadata,
        "packages_distributions",
        lambda: {"autograd": ["autograd", "chaingrad"], "nn": ["chaingrad"]},
    )
    monkeypatch.setattr(_clash, "_warned", False)
    assert _clash.other_owners() == ["autograd"]
    with pytest.warns(UserWarning, match="autograd"):
        _clash.warn_if_shadowed()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _clash.warn_if_shadowed()  # once only


def test_no_warning_when_chaingrad_is_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        _clash.metadata, "packages_distributions", lambda: {"autograd": ["chaingrad"]}
    )
    monkeypatch.setattr(_clash, "_warned", False)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _clash.warn_if_shadowed()


def test_import_is_quiet_here() -> None:
    proc = subprocess.run(
        [sys.executable, "-W", "error", "-c", "import autograd, nn"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stderr
    assert importlib.import_module("autograd") is autograd


@pytest.mark.parametrize("args", [["check", "."], ["format", "--check", "."]])
def test_ruff_is_clean(args: list[str]) -> None:
    ruff = shutil.which("ruff") or str(Path(sys.executable).parent / "ruff")
    if not Path(ruff).exists():
        pytest.skip("ruff is not installed (pip install -e '.[test]')")
    proc = subprocess.run([ruff, *args], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_mypy_strict_is_clean() -> None:
    mypy = Path(sys.executable).parent / "mypy"
    if not mypy.exists():
        pytest.skip("mypy is not installed (pip install -e '.[test]')")
    proc = subprocess.run([str(mypy)], capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_license_is_mit_and_shipped_in_wheel_and_sdist() -> None:
    assert (ROOT / "LICENSE").read_text().startswith("MIT License\n")
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert config["project"]["license"] == "MIT"
    assert config["project"]["license-files"] == ["LICENSE"]  # -> dist-info/licenses/
    assert "LICENSE" in config["tool"]["hatch"]["build"]["targets"]["sdist"]["include"]


def test_the_version_lives_in_one_place() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert "version" not in config["project"]
    assert "version" in config["project"]["dynamic"]
    assert config["tool"]["hatch"]["version"]["path"] == "autograd/__init__.py"
    text = (ROOT / "autograd" / "__init__.py").read_text()
    found = re.findall(r'^__version__ = "([^"]+)"$', text, flags=re.M)  # what hatch reads
    assert found == [autograd.__version__]
    assert re.fullmatch(r"\d+\.\d+\.\d+", autograd.__version__)
    try:
        installed = metadata.version("chaingrad")
    except metadata.PackageNotFoundError:
        pytest.skip("chaingrad is not installed (pip install -e .)")
    assert installed == autograd.__version__
