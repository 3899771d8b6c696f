"""The documentation site builds with ``mkdocs build --strict`` (with the docs extra).

One build (module fixture) serves every check: no warning, each navigation section has
its pages in English and Korean, the API reference documents every public name, and the
site needs no network (no CDN, no MathJax).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import autograd
import nn

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    pytest.importorskip("mkdocs")
    pytest.importorskip("material")
    pytest.importorskip("mkdocs_static_i18n")
    pytest.importorskip("mkdocstrings")
    site = tmp_path_factory.mktemp("docs") / "site"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return site, proc.stdout + proc.stderr


def test_site_builds_strict_without_warnings(build: tuple[Path, str]) -> None:
    site, log = build
    assert "WARNING" not in log
    assert (site / "index.html").is_file()
    assert (site / "ko" / "index.html").is_file()  # the Korean pages
    assert (site / "ko" / "tutorials" / "dezero-tanh" / "index.html").is_file()


SECTIONS = {
    "Getting started": ["getting-started"],
    "Tutorials": [
        "tutorials/dlfs-optimizers",
        "tutorials/dezero-tanh",
        "tutorials/dlfs-activations",
        "tutorials/dezero-spiral",
    ],
    "Concepts": [
        "concepts/ops",
        "concepts/chain-rule",
        "concepts/repeated-backward",
        "concepts/higher-order",
        "concepts/gradient-checking",
        "concepts/initialisation",
        "concepts/optimizers",
    ],
    "How-to": [
        "howto/draw-for-slides",
        "howto/png",
        "howto/jupyter",
        "howto/explain",
        "howto/save-load",
        "howto/pytorch",
        "howto/compile",
    ],
    "API reference": ["reference/autograd", "reference/autograd-engine", "reference/nn"],
    "Changelog": ["changelog"],
}


@pytest.mark.parametrize("section", list(SECTIONS))
def test_each_section_has_its_pages_in_english_and_korean(
    build: tuple[Path, str], section: str
) -> None:
    site, _ = build
    home = (site / "index.html").read_text(encoding="utf-8")
    assert f">{section}<" in home or f"> {section} <" in home or section in home
    for page in SECTIONS[section]:
        assert (site / page / "index.html").is_file(), page
        assert (site / "ko" / page / "index.html").is_file(), page


def test_korean_tutorials_are_translated_not_fallbacks(build: tuple[Path, str]) -> None:
    site, _ = build
    for page in ("tutorials/dlfs-activations", "tutorials/dezero-spiral"):
        html = (site / "ko" / page / "index.html").read_text(encoding="utf-8")
        assert "활성화" in html or "스파이럴" in html, page


def test_api_reference_documents_every_public_name(build: tuple[Path, str]) -> None:
    """Every name of ``autograd.__all__`` and ``nn.__all__`` has an entry: its own heading
    (``autograd.grad``, or in its module's page, ``nn.optim.SGD``) or, for the functions
    generated from the op table, a row of the table (``autograd.sin(x)``)."""
    site, _ = build
    reference = "".join(
        p.read_text(encoding="utf-8") for p in (site / "reference").glob("*/index.html")
    )
    ids = set(re.findall(r'id="([A-Za-z_0-9.]+)"', reference))

    def documented(package: str, name: str) -> bool:
        in_module = any(
            i.startswith(f"{package}.") and i.endswith(f".{name}") and i.count(".") == 2
            for i in ids
        )
        return f"{package}.{name}" in ids or in_module or f"{package}.{name}(" in reference

    assert [n for n in autograd.__all__ if not documented("autograd", n)] == []
    assert [n for n in nn.__all__ if not documented("nn", n)] == []
    assert "autograd.sin(x)" in reference  # the table of generated functions


def test_changelog_page_includes_the_changelog(build: tuple[Path, str]) -> None:
    site, _ = build
    html = (site / "changelog" / "index.html").read_text(encoding="utf-8")
    assert "Unreleased" in html
    assert "Keep a Changelog" in html


def test_site_loads_nothing_from_the_network(build: tuple[Path, str]) -> None:
    site, _ = build
    remote = re.compile(r'<(?:script|link)[^>]+(?:src|href)="(?:https?:)?//')
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert not remote.search(text), page
        assert "mathjax" not in text.lower(), page
