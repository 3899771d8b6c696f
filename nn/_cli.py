"""The ``chaingrad`` command's entry point: :func:`autograd.__main__.main`, reached
through ``nn`` so that a foreign ``autograd`` package (HIPS autograd installed over or
before chaingrad, e.g. with an editable install) is explained in one line instead of
``No module named 'autograd.__main__'`` (``nn/_clash.py`` runs first)."""

from __future__ import annotations

from autograd.__main__ import main

__all__ = ["main"]
