"""Engine benchmark: chaingrad against micrograd 0.1.0 (and torch if installed), one run.

Run: ``python tests/bench/bench_engine.py`` (after ``pip install -e '.[bench]'``).

Workloads:

* W1 chain: ``x = tanh(x*1.0001 + 0.1)`` 100,000 times, then backward;
* W2 wide: sum of 200,000 products of leaves, then backward;
* W4 toy model: seed 001's loss and its 8 gradients, 20,000 times;
* W5 no_grad (chaingrad alone): ``nn.MLP(2, [16, 16, 1])`` evaluated on 100 points
  with the graph recorded and inside ``autograd.no_grad()`` (issue 8's target: >= 2x).
  ``--no-grad`` runs only this one (micrograd not needed).

Prints the median seconds of each engine, the ratio micrograd / chaingrad, and the
bytes per node (tracemalloc, after the forward pass, over the op nodes built).
micrograd lacks tanh, exp, sin and cos: they are added below in its own closure style.
If PyTorch is installed it is timed too, on float64 scalar tensors (its memory lives
outside Python's allocator, so no bytes per node for it).
"""

from __future__ import annotations

import argparse
import contextlib
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


def _torch() -> Any:
    import torch

    def make(x: float) -> Any:
        return torch.tensor(x, dtype=torch.float64, requires_grad=True)

    return make


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
    zero = None if hasattr(b0, "requires_grad") else 0.0  # torch's grads: a tensor or None
    total = 0.0
    loss = None
    for _ in range(n):
        f = b3 + w3 * (b2 + w2_ * (b1 + w1_ * (b0 + w0 * 2.3).sin()).exp()).cos()
        loss = (f - 2.0) ** 2
        loss.backward()
        for p in params:
            total += p.grad
            p.grad = zero
    assert loss is not None
    assert math.isfinite(getattr(total, "data", total))
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
    assert leaf.grad is None or math.isfinite(getattr(leaf.grad, "data", leaf.grad))
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


def w5_no_grad(repeat: int) -> tuple[float, float]:
    """Median seconds to evaluate MLP(2, [16, 16, 1]) on 100 points: recording, no_grad.

    Runs interleaved so that drift on the machine hits both; the outputs must agree.
    """
    import random

    from nn import MLP

    model = MLP(2, [16, 16, 1], seed=0)
    rng = random.Random(0)
    points = [[rng.uniform(-1.0, 1.0), rng.uniform(-1.0, 1.0)] for _ in range(100)]

    def evaluate() -> list[float]:
        return [model(x).data for x in points]

    def evaluate_no_grad() -> list[float]:
        with autograd.no_grad():
            return evaluate()

    assert evaluate() == evaluate_no_grad()
    recorded: list[float] = []
    no_grad: list[float] = []
    for _ in range(repeat):
        for fn, times in ((evaluate, recorded), (evaluate_no_grad, no_grad)):
            gc.collect()
            t = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t)
    return statistics.median(recorded), statistics.median(no_grad)


def _print_w5(repeat: int) -> None:
    rec, ng = w5_no_grad(max(repeat, 15))
    print(
        f"W5 no_grad: MLP(2,[16,16,1]) on 100 points: recording {rec:.4f} s, "
        f"no_grad {ng:.4f} s, {rec / ng:.1f}x faster (target >= 2x)"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7, help="runs per workload (median)")
    parser.add_argument("--no-grad", action="store_true", help="run only W5 (no micrograd)")
    args = parser.parse_args(argv)
    if args.no_grad:
        _print_w5(args.repeat)
        return 0
    engines: dict[str, Any] = {"chaingrad": autograd.Value}
    try:
        engines["micrograd"] = _micrograd()
    except ImportError:
        print("micrograd not installed: pip install -e '.[bench]'", file=sys.stderr)
        return 2
    # torch is imported last: its many Python objects make every later full GC pass
    # (and so micrograd and chaingrad) slower, which would blur their comparison
    meds: dict[str, dict[str, float]] = {name: {} for name in WORKLOADS}
    for name, (_, fn, nb) in WORKLOADS.items():
        runs: dict[str, list[float]] = {ename: [] for ename in engines}
        for _ in range(args.repeat):  # interleaved, so drift on the machine hits both
            for ename, value_cls in engines.items():
                runs[ename].append(run_once(value_cls, fn, nb))
        for ename, times in runs.items():
            meds[name][ename] = statistics.median(times)
    bc, bm = bytes_per_node(engines["chaingrad"]), bytes_per_node(engines["micrograd"])
    has_torch = False
    with contextlib.suppress(ImportError):
        torch_value = _torch()
        has_torch = True
        for name, (_, fn, nb) in WORKLOADS.items():
            runs = [run_once(torch_value, fn, nb) for _ in range(args.repeat)]
            meds[name]["torch"] = statistics.median(runs)
    print(f"Python {sys.version.split()[0]}, median of {args.repeat} runs, seconds")
    header = f"{'workload':<10} {'chaingrad':>10} {'micrograd':>10} {'speed-up':>9}"
    print(header + (f" {'torch':>10} {'speed-up':>9}" if has_torch else ""))
    for name, med in meds.items():
        ratio = med["micrograd"] / med["chaingrad"]
        line = f"{name:<10} {med['chaingrad']:>10.3f} {med['micrograd']:>10.3f} {ratio:>8.1f}x"
        if has_torch:
            line += f" {med['torch']:>10.3f} {med['torch'] / med['chaingrad']:>8.1f}x"
        print(line)
    print(f"{'bytes/node':<10} {bc:>10.0f} {bm:>10.0f} {bm / bc:>8.1f}x")
    _print_w5(args.repeat)
    return 0


if __name__ == "__main__":
    sys.exit(main())
