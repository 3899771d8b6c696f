"""The `autograd` name clash: HIPS autograd installs a top-level `autograd` package too."""

from __future__ import annotations

import warnings
from importlib import metadata

__all__ = ["other_owners", "warn_if_shadowed"]

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
