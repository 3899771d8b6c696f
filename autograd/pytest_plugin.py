"""chaingrad's pytest plugin (entry point ``pytest11``, name ``chaingrad``).

Registers the hypothesis profiles ``chaingrad-dev`` and ``chaingrad-ci`` (select one
with ``pytest --hypothesis-profile=chaingrad-ci``; none is loaded for you) and
provides the fixture ``gradcheck``::

    def test_my_op(gradcheck):
        gradcheck(lambda x: my_op(x), [0.5], order=2)  # one point
        gradcheck.op(my_op, domain=(-3.0, 3.0))  # a hypothesis search over the domain

Without hypothesis installed the plugin stays out of the way and the fixture skips.
Disable it with ``-p no:chaingrad``.
"""

from __future__ import annotations

from collections.abc import Sequence
from types import ModuleType
from typing import Any

import pytest

__all__ = ["GradCheck", "gradcheck"]

_testing: ModuleType | None
try:
    from . import testing as _testing  # registers the profiles
except ImportError:  # hypothesis is not installed
    _testing = None


class GradCheck:
    """What the ``gradcheck`` fixture gives: the checks of :mod:`autograd.testing`."""

    def __init__(self, testing: ModuleType) -> None:
        self._testing = testing

    def __call__(self, f: Any, inputs: Sequence[Any], order: int = 1, **kwargs: Any) -> None:
        """:func:`autograd.testing.assert_gradients_close` at one point."""
        self._testing.assert_gradients_close(f, inputs, order, **kwargs)

    def op(
        self,
        op: Any,
        order: int = 2,
        domain: Any = None,
        max_examples: int | None = None,
        **kwargs: Any,
    ) -> None:
        """:func:`autograd.testing.check_op`: a hypothesis search over the op's domain."""
        self._testing.check_op(op, order, domain, max_examples, **kwargs)


@pytest.fixture
def gradcheck() -> GradCheck:
    """Gradient checks: ``gradcheck(f, inputs, order=1)`` and ``gradcheck.op(op, ...)``."""
    if _testing is None:
        pytest.skip("the gradcheck fixture needs hypothesis: pip install 'chaingrad[test]'")
    return GradCheck(_testing)
