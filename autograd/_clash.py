"""The `autograd` name clash: HIPS autograd installs a top-level `autograd` package too.

Two situations:

* chaingrad installed after HIPS autograd: our ``autograd/__init__.py`` wins and
  :func:`warn_if_shadowed` warns once at import;
* HIPS autograd installed after chaingrad (or earlier on ``sys.path``): ``import autograd``
  gives HIPS autograd, and chaingrad's entry points (the CLI, ``nn``) must say so in one
  line with the fix instead of failing with an unexplained ImportError:
  :func:`shadowing_message`, :func:`exit_if_shadowed`.
"""

from __future__ import annotations

import importlib
import sys
import warnings
from importlib import metadata
from types import ModuleType

__all__ = [
    "FIX",
    "exit_if_shadowed",
    "is_chaingrad",
    "other_owners",
    "shadowing_message",
    "warn_if_shadowed",
]

FIX = (
    "pip uninstall autograd && pip install --force-reinstall chaingrad, "
    "or keep the two in separate virtual environments"
)

_warned = False


def other_owners() -> list[str]:
    """Installed distributions other than chaingrad that provide `autograd`."""
    try:
        owners = metadata.packages_distributions().get("autograd", [])
    except Exception:  # a broken installed distribution must not break our import
        return []
    return sorted({d for d in owners if d.lower().replace("_", "-") != "chaingrad"})


def warn_if_shadowed() -> None:
    """Warn once (UserWarning) if another distribution also installs `autograd`."""
    global _warned
    others = other_owners()
    if others and not _warned:
        _warned = True
        warnings.warn(
            f"another installed distribution also provides the 'autograd' package "
            f"({', '.join(others)}); it and chaingrad overwrite each other's files. "
            f"Use separate virtual environments (see chaingrad's README).",
            UserWarning,
            stacklevel=3,
        )


def is_chaingrad(module: ModuleType) -> bool:
    """True if ``module`` (an imported ``autograd``) is chaingrad's engine."""
    return isinstance(getattr(module, "Value", None), type) and callable(
        getattr(module, "draw", None)
    )


def _hips_version() -> str | None:
    try:
        return metadata.version("autograd")
    except Exception:  # not installed, or broken metadata
        return None


def shadowing_message(module: ModuleType | None = None) -> str | None:
    """One line explaining the clash if the importable ``autograd`` is not chaingrad's.

    ``module`` defaults to the imported ``autograd`` package; returns
    None when it is chaingrad's own package.
    """
    if module is None:
        module = importlib.import_module("autograd")  # already imported: we live inside it
    if is_chaingrad(module):
        return None
    where = getattr(module, "__file__", None) or "?"
    version = _hips_version()
    what = f"HIPS autograd {version}" if version else "another package (HIPS autograd?)"
    return (
        f"the 'autograd' package here ({where}) is {what}, not chaingrad's: both use the "
        f"import name 'autograd'. Fix: {FIX}"
    )


def exit_if_shadowed() -> None:
    """For the CLI: print the clash in one line on stderr and exit with status 1."""
    message = shadowing_message()
    if message is not None:
        print(f"chaingrad: error: {message}", file=sys.stderr)
        raise SystemExit(1)
