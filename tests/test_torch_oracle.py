"""Optional: random graphs compared with PyTorch float64 (skipped without torch)."""

from __future__ import annotations

import math
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from autograd import Value

from .strategies import evaluate, expressions

torch = pytest.importorskip("torch")

N = 3


@given(expressions(N), st.tuples(*[st.floats(-2.0, 2.0) for _ in range(N)]))
def test_random_graphs_agree_with_torch(expr: Any, xs: tuple[float, ...]) -> None:
    vs = [Value(x) for x in xs]
    out = evaluate(expr, vs)
    if not isinstance(out, Value):
        return
    out.backward()
    ts = [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in xs]
    tout = evaluate(expr, _TorchOps.wrap(ts))
    tout.value.backward()
    assert math.isclose(out.data, tout.value.item(), rel_tol=1e-12, abs_tol=1e-12)
    for v, t in zip(vs, ts, strict=True):
        tg = 0.0 if t.grad is None else t.grad.item()
        assert math.isclose(v.grad, tg, rel_tol=1e-9, abs_tol=1e-12)


class _TorchOps:
    """A thin wrapper giving torch tensors the method names the strategies call."""

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

    def softplus(self) -> _TorchOps:
        return _TorchOps(torch.nn.functional.softplus(self.value))
