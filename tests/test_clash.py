"""The HIPS `autograd` clash: every entry point explains it in one line.

When HIPS autograd (PyPI ``autograd``) is installed after chaingrad, its
``autograd/__init__.py`` replaces ours while our other modules stay in the folder.
The fast tests rebuild exactly that folder in a temporary directory, first on
``sys.path``; the slow one installs both packages into a fresh venv.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from autograd import _clash

ROOT = Path(__file__).resolve().parents[1]
FIX = "pip uninstall autograd && pip install --force-reinstall chaingrad"
HIPS_INIT = '''"""A stand-in for HIPS autograd's __init__.py (no numpy needed)."""
def grad(fun, argnum=0):
    return fun
'''


def run(args: list[str], path: list[Path], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(map(str, path))}
    return subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, timeout=60, cwd=cwd, env=env
    )


@pytest.fixture
def merged(tmp_path: Path) -> Path:
    """site/autograd: chaingrad's modules with HIPS's __init__.py written over ours."""
    site = tmp_path / "site"
    shutil.copytree(
        ROOT / "autograd", site / "autograd", ignore=shutil.ignore_patterns("__pycache__")
    )
    (site / "autograd" / "__init__.py").write_text(HIPS_INIT)
    return site


def test_cli_says_the_clash_in_one_line(merged: Path, tmp_path: Path) -> None:
    proc = run(["-m", "autograd", "demo"], [merged, ROOT], tmp_path)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("chaingrad: error: the 'autograd' package here (")
    assert "not chaingrad's" in lines[0]
    assert FIX in lines[0]
    assert not (tmp_path / "chaingrad-demo").exists()


def test_nn_raises_one_explained_import_error(merged: Path, tmp_path: Path) -> None:
    proc = run(["-c", "from nn import MLP"], [merged, ROOT], tmp_path)
    assert proc.returncode == 1
    last = proc.stderr.strip().splitlines()[-1]
    assert last.startswith("ImportError: the 'autograd' package here (")
    assert str(merged / "autograd") in last
    assert FIX in last


def test_nn_explains_even_a_foreign_autograd_without_our_modules(tmp_path: Path) -> None:
    """HIPS autograd in its own folder earlier on sys.path (e.g. an editable chaingrad)."""
    hips = tmp_path / "hips"
    (hips / "autograd").mkdir(parents=True)
    (hips / "autograd" / "__init__.py").write_text(HIPS_INIT)
    proc = run(["-c", "from nn import MLP"], [hips, ROOT], tmp_path)
    assert proc.returncode == 1
    last = proc.stderr.strip().splitlines()[-1]
    assert last.startswith("ImportError: the 'autograd' package here (")
    assert FIX in last


def test_the_command_explains_a_foreign_autograd_earlier_on_the_path(tmp_path: Path) -> None:
    """An editable chaingrad with HIPS autograd in site-packages: `autograd.__main__`
    does not exist there, so the `chaingrad` script enters through nn (nn._cli)."""
    hips = tmp_path / "hips"
    (hips / "autograd").mkdir(parents=True)
    (hips / "autograd" / "__init__.py").write_text(HIPS_INIT)
    script = "import sys; sys.argv[0] = 'chaingrad'; from nn._cli import main; sys.exit(main())"
    proc = run(["-c", script], [hips, ROOT], tmp_path)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("chaingrad: error: the 'autograd' package here (")
    assert FIX in lines[0]


def test_the_command_runs_through_nn() -> None:
    from nn import _cli

    assert _cli.main is __import__("autograd.__main__", fromlist=["main"]).main


def test_our_own_autograd_is_recognised() -> None:
    import autograd

    assert _clash.is_chaingrad(autograd)
    assert _clash.shadowing_message() is None
    _clash.exit_if_shadowed()  # does not exit


def pip(*args: str, python: Path) -> subprocess.CompletedProcess[str]:
    """This environment's pip, installing into ``python``'s environment (pip >= 22.3)."""
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            *args,
            "--disable-pip-version-check",
            "-q",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.slow
def test_in_a_venv_with_chaingrad_then_hips_autograd(tmp_path: Path) -> None:
    """pip install chaingrad (from this checkout), then pip install autograd: both explained.

    About 15 s: the venv has no pip of its own (this environment's pip installs into
    it), chaingrad goes in without its dependencies (the clash checks run before
    anything needs them), and HIPS autograd's numpy is this environment's when it has one.
    """
    venv = tmp_path / "venv"
    subprocess.run(
        [sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=60
    )
    python = venv / "bin" / "python"
    wheels = tmp_path / "wheels"
    got = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--no-deps",
            "-q",
            "-d",
            str(wheels),
            "--disable-pip-version-check",
            "autograd",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    if got.returncode != 0:
        last = (got.stderr.strip().splitlines() or ["?"])[-1]
        pytest.skip(f"pip cannot get HIPS autograd from the index: {last}")
    done = pip("install", "--no-deps", str(ROOT), python=python)
    assert done.returncode == 0, done.stderr
    site = next((venv / "lib").glob("python3*/site-packages"))
    licenses = list(site.glob("chaingrad-*.dist-info/licenses/LICENSE"))
    assert len(licenses) == 1  # the wheel built from this checkout ships the LICENSE
    numpy = importlib.util.find_spec("numpy")
    if numpy is not None and numpy.origin is not None:  # lend it: no 20 MB download
        (site / "lend_numpy.pth").write_text(str(Path(numpy.origin).parents[1]) + "\n")
        done = pip("install", "--no-deps", *map(str, wheels.iterdir()), python=python)
    else:
        done = pip("install", *map(str, wheels.iterdir()), python=python)
    assert done.returncode == 0, done.stderr
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}

    cli = subprocess.run(
        [str(venv / "bin" / "chaingrad"), "demo"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=60,
    )
    assert cli.returncode == 1, cli.stdout + cli.stderr
    lines = cli.stderr.strip().splitlines()
    assert len(lines) == 1, cli.stderr
    assert "is HIPS autograd" in lines[0]
    assert FIX in lines[0]

    nn = subprocess.run(
        [str(python), "-c", "from nn import MLP"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=60,
    )
    assert nn.returncode == 1
    last = nn.stderr.strip().splitlines()[-1]
    assert last.startswith("ImportError: the 'autograd' package here (")
    assert "is HIPS autograd" in last
    assert FIX in last
