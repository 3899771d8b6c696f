"""Shared test set-up: chaingrad's hypothesis profiles, ``chaingrad-dev`` (quick) and
``chaingrad-ci`` (thorough, derandomized), from :mod:`autograd.testing`.

The profile comes from ``HYPOTHESIS_PROFILE``; under CI (``CI`` set) it is
``chaingrad-ci``, else ``chaingrad-dev``. ``dev`` and ``ci`` are kept as aliases.
"""

from __future__ import annotations

import os

from hypothesis import settings

import autograd.testing  # noqa: F401  (registers the chaingrad-dev / chaingrad-ci profiles)

pytest_plugins = ["pytester"]

settings.register_profile("dev", parent=settings.get_profile("chaingrad-dev"))
settings.register_profile("ci", parent=settings.get_profile("chaingrad-ci"))
settings.load_profile(
    os.environ.get(
        "HYPOTHESIS_PROFILE", "chaingrad-ci" if os.environ.get("CI") else "chaingrad-dev"
    )
)
