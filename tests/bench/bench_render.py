"""Render time against graph size and shape, for both renderers (a benchmark, not a test).

    .venv/bin/python tests/bench/bench_render.py [--renderers wasi,dot] [--sizes 50,250,500]

Shapes: chain (sin after sin), fan-out (x + x + ... + x: one Value used by every op),
fan-in (x1 + x2 + ... + xn), the loss of nn.MLP(2, [4, 4, 1]) on one sample (and
collapsed). Each is drawn with and without ``edge_values``; a render that hits the
time limit is shown as ``>limit``. Timings on a shared machine are noisy.
"""

from __future__ import annotations

import argparse
import shutil
import time
from collections.abc import Callable

from autograd import Value, draw
from autograd.render import RenderTimeout, render_svg


def chain(n: int) -> Value:
    y = Value(0.5, label="x")
    for _ in range(n):
        y = y.sin()
    return y


def fan_out(n: int) -> Value:
    x = Value(1.0, label="x")
    y = x
    for _ in range(n - 1):
        y = y + x
    return y


def fan_in(n: int) -> Value:
    y = Value(1.0, label="x1")
    for i in range(2, n + 1):
        y = y + Value(float(i), label=f"x{i}")
    return y


def mlp_loss(_n: int) -> Value:
    import nn

    model = nn.MLP(2, [4, 4, 1])
    out = model([0.5, -1.0])
    out = out[0] if isinstance(out, list) else out
    return (out - 1.0) ** 2


SHAPES: dict[str, Callable[[int], Value]] = {
    "chain": chain,
    "fan-out": fan_out,
    "fan-in": fan_in,
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--renderers", default="wasi,dot")
    parser.add_argument("--sizes", default="50,100,250,499")
    parser.add_argument("--timeout", type=float, default=30.0)
    args = parser.parse_args()
    renderers = [r for r in args.renderers.split(",") if r != "dot" or shutil.which("dot")]
    render_svg("digraph { a -> b }", "wasi")  # load the wasm module once, outside the timing
    print("| shape | terms | nodes | edge_values | " + " | ".join(renderers) + " |")
    print("|---|---|---|---|" + "---|" * len(renderers))
    cases: list[tuple[str, int, Callable[[int], Value], bool]] = [
        (name, n, build, False)
        for name, build in SHAPES.items()
        for n in map(int, args.sizes.split(","))
    ]
    cases += [("mlp loss", 1, mlp_loss, False), ("mlp loss collapsed", 1, mlp_loss, True)]
    for name, n, build, collapse in cases:
        for ev in (False, True):
            root = build(n)
            root.backward()
            g = draw(root, edge_values=ev, collapse=collapse, max_nodes=10_000)
            nodes = g.source.count(" [label=")
            cells = []
            for r in renderers:
                t = time.perf_counter()
                try:
                    render_svg(g.source, r, timeout=args.timeout)
                    cells.append(f"{time.perf_counter() - t:.2f} s")
                except RenderTimeout:
                    cells.append(f">{args.timeout:g} s")
            print(f"| {name} | {n} | {nodes} | {ev} | " + " | ".join(cells) + " |", flush=True)


if __name__ == "__main__":
    main()
