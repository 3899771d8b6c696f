"""Optional: random graphs compared with PyTorch float64 (skipped without torch)."""

from __future__ import annotations

import math
from typing import Any

import pytest
from hypothesis import given

from autograd import OPS
from autograd.testing import BuiltGraph, graphs

torch = pytest.importorskip("torch")

N = 3


@given(graphs(N, ops=sorted(OPS)))
def test_random_graphs_agree_with_torch(g: BuiltGraph) -> None:
    out, vs, xs = g.output, g.inputs, g.xs
    out.backward()
    ts = [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in xs]
    tout = g.expression.evaluate(_TorchOps.wrap(ts))
    tout.value.backward()
    assert math.isclose(out.data, tout.value.item(), rel_tol=1e-12, abs_tol=1e-12)
    for v, t in zip(vs, ts, strict=True):
        tg = 0.0 if t.grad is None else t.grad.item()
        assert math.isclose(v.grad, tg, rel_tol=1e-9, abs_tol=1e-12)


class _TorchOps:
    """A thin wrapper giving torch tensors the method names an Expression calls."""

    def __init__(self, value: Any) -> None:
        self.value = value

    @classmethod
    def wrap(cls, ts: list[Any]) -> list[_TorchOps]:
        return [cls(t) for t in ts]

    @staticmethod
    def _v(x: Any) -> Any:
        return x.value if isinstance(x, _TorchOps) else x

    def __add__(self, o: Any) -> _TorchOps:
        return _TorchOps(self.value + self._v(o))

    def __radd__(self, o: Any) -> _TorchOps:
        return _TorchOps(self._v(o) + self.value)

    def __sub__(self, o: Any) -> _TorchOps:
        return _TorchOps(self.value - self._v(o))

    def __rsub__(self, o: Any) -> _TorchOps:
        return _TorchOps(self._v(o) - self.value)

    def __mul__(self, o: Any) -> _TorchOps:
        return _TorchOps(self.value * self._v(o))

    def __rmul__(self, o: Any) -> _TorchOps:
        return _TorchOps(self._v(o) * self.value)

    def __truediv__(self, o: Any) -> _TorchOps:
        return _TorchOps(self.value / self._v(o))

    def __rtruediv__(self, o: Any) -> _TorchOps:
        return _TorchOps(self._v(o) / self.value)

    def __pow__(self, o: Any) -> _TorchOps:
        return _TorchOps(self.value ** self._v(o))

    def __rpow__(self, o: Any) -> _TorchOps:
        return _TorchOps(self._v(o) ** self.value)

    def __neg__(self) -> _TorchOps:
        return _TorchOps(-self.value)

    def sin(self) -> _TorchOps:
        return _TorchOps(torch.sin(self.value))

    def cos(self) -> _TorchOps:
        return _TorchOps(torch.cos(self.value))

    def tanh(self) -> _TorchOps:
        return _TorchOps(torch.tanh(self.value))

    def sigmoid(self) -> _TorchOps:
        return _TorchOps(torch.sigmoid(self.value))

    def exp(self) -> _TorchOps:
        return _TorchOps(torch.exp(self.value))

    def log(self) -> _TorchOps:
        return _TorchOps(torch.log(self.value))

    def sqrt(self) -> _TorchOps:
        return _TorchOps(torch.sqrt(self.value))

    def __getattr__(self, name: str) -> Any:
        # ops added later (tan, sinh, ...): torch's function of the same name
        fn = getattr(torch, name)
        return lambda: _TorchOps(fn(self.value))

    def relu(self) -> _TorchOps:
        return _TorchOps(torch.relu(self.value))

    def abs(self) -> _TorchOps:
        return _TorchOps(torch.abs(self.value))

    def softplus(self) -> _TorchOps:
        return _TorchOps(torch.nn.functional.softplus(self.value))
