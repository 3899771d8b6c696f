"""Engine benchmark: chaingrad against micrograd 0.1.0 (and torch if installed), one run.

Run: ``python tests/bench/bench_engine.py`` (after ``pip install -e '.[bench]'``).

Workloads:

* W1 chain: ``x = tanh(x*1.0001 + 0.1)`` 100,000 times, then backward;
* W2 wide: sum of 200,000 products of leaves, then backward;
* W4 toy model: seed 001's loss and its 8 gradients, 20,000 times.

Prints the median seconds of each engine, the ratio micrograd / chaingrad, and the
bytes per node (tracemalloc, after the forward pass, over the op nodes built).
micrograd lacks tanh, exp, sin and cos: they are added below in its own closure style.
"""

from __future__ import annotations

import argparse
import gc
import math
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

import autograd

sys.setrecursionlimit(10_000_000)  # micrograd's recursive topological sort


def _micrograd() -> Any:
    from micrograd.engine import Value as MicroValue

    def unary(name: str, fwd: Callable[[float], float], dfn: Callable[[float, float], float]):
        def method(self: Any) -> Any:
            out = MicroValue(fwd(self.data), (self,), name)

            def _backward() -> None:
                self.grad += dfn(self.data, out.data) * out.grad

            out._backward = _backward
            return out

        return method

    MicroValue.tanh = unary("tanh", math.tanh, lambda x, y: 1 - y * y)
    MicroValue.exp = unary("exp", math.exp, lambda x, y: y)
    MicroValue.sin = unary("sin", math.sin, lambda x, y: math.cos(x))
    MicroValue.cos = unary("cos", math.cos, lambda x, y: -math.sin(x))
    return MicroValue


def w1(value_cls: Any, n: int = 100_000) -> tuple[Any, Any]:
    x0 = value_cls(0.5)
    x = x0
    for _ in range(n):
        x = (x * 1.0001 + 0.1).tanh()
    return x, x0


def w2(value_cls: Any, n: int = 200_000) -> tuple[Any, Any]:
    a = [value_cls(i * 1e-6) for i in range(n)]
    b = [value_cls(1.0 - i * 1e-6) for i in range(n)]
    return sum(x * y for x, y in zip(a, b, strict=True)), a[0]


def w4(value_cls: Any, n: int = 20_000) -> tuple[Any, Any]:
    """A training-loop step: parameters persist; build the loss, backward, read, zero."""
    params = [value_cls(v) for v in (1.0, 2.0, -3.0, 0.4, 0.1, -0.4, 2.0, 3.0)]
    b0, b1, b2, b3, w0, w1_, w2_, w3 = params
    total = 0.0
    loss = None
    for _ in range(n):
        f = b3 + w3 * (b2 + w2_ * (b1 + w1_ * (b0 + w0 * 2.3).sin()).exp()).cos()
        loss = (f - 2.0) ** 2
        loss.backward()
        for p in params:
            total += p.grad
            p.grad = 0.0
    assert loss is not None
    assert math.isfinite(total)
    return loss, b0


WORKLOADS: dict[str, tuple[str, Callable[[Any], tuple[Any, Any]], bool]] = {
    "W1 chain": ("x = tanh(x*1.0001 + 0.1) x100k, backward", w1, True),
    "W2 wide": ("sum of 200k products of leaves, backward", w2, True),
    "W4 toy": ("toy model loss + 8 grads, x20k", w4, False),
}


def run_once(value_cls: Any, fn: Callable[[Any], tuple[Any, Any]], needs_backward: bool) -> float:
    gc.collect()
    t = time.perf_counter()
    root, leaf = fn(value_cls)
    if needs_backward:
        root.backward()
    dt = time.perf_counter() - t
    assert math.isfinite(float(leaf.grad))
    del root, leaf
    return dt


def bytes_per_node(value_cls: Any) -> float:
    """Traced bytes held by the W1 graph after its forward pass, per op node."""
    n = 20_000
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    root, _ = w1(value_cls, n)
    used = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    del root
    return used / (3 * n)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs per workload (median)")
    args = parser.parse_args(argv)
    engines: dict[str, Any] = {"chaingrad": autograd.Value}
    try:
        engines["micrograd"] = _micrograd()
    except ImportError:
        print("micrograd not installed: pip install -e '.[bench]'", file=sys.stderr)
        return 2
    print(f"Python {sys.version.split()[0]}, median of {args.repeat} runs, seconds")
    print(f"{'workload':<10} {'chaingrad':>10} {'micrograd':>10} {'speed-up':>9}")
    for name, (_, fn, nb) in WORKLOADS.items():
        med = {}
        for ename, value_cls in engines.items():
            med[ename] = statistics.median(run_once(value_cls, fn, nb) for _ in range(args.repeat))
        ratio = med["micrograd"] / med["chaingrad"]
        print(f"{name:<10} {med['chaingrad']:>10.3f} {med['micrograd']:>10.3f} {ratio:>8.1f}x")
    bc, bm = bytes_per_node(engines["chaingrad"]), bytes_per_node(engines["micrograd"])
    print(f"{'bytes/node':<10} {bc:>10.0f} {bm:>10.0f} {bm / bc:>8.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
