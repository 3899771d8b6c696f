"""Stop ``import nn`` with one clear line when ``autograd`` is not chaingrad's engine.

HIPS autograd (PyPI ``autograd``) uses the same import name; installed after chaingrad
it replaces ``autograd/__init__.py``, and ``from autograd import Value`` would fail with
an unexplained ImportError. Imported first by ``nn/__init__.py``.
"""

from __future__ import annotations

import os
import sys

import autograd

__all__: list[str] = []

if not hasattr(autograd, "Value"):
    try:  # chaingrad's other modules are still there when HIPS overwrote __init__.py
        from autograd._clash import shadowing_message

        _message = shadowing_message(autograd)
    except ImportError:  # HIPS autograd in another folder, earlier on sys.path
        _message = None
    _message = (
        _message
        or f"the 'autograd' package here ({getattr(autograd, '__file__', '?')}) is not "
        "chaingrad's (HIPS autograd?): both use the import name 'autograd'. Fix: pip "
        "uninstall autograd && pip install --force-reinstall chaingrad, or keep the two "
        "in separate virtual environments"
    )
    if os.path.basename(sys.argv[0]) in ("chaingrad", "chaingrad.exe"):
        # the `chaingrad` command (nn._cli): one line and status 1, no traceback
        print(f"chaingrad: error: {_message}", file=sys.stderr)
        raise SystemExit(1)
    raise ImportError(_message)
