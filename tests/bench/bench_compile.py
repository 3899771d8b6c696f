"""Compiled-path benchmark: micrograd 0.1.0, eager chaingrad and ``autograd.compile``, one run.

Run: ``python tests/bench/bench_compile.py`` (needs ``pip install -e '.[bench]'``).

* W4 toy model: seed 001's loss and its 8 gradients (the parameters change every call),
  also written by hand on floats and, when jax is installed, as ``jax.jit``;
* W5 sine SGD step: a 1-5-5-5-1 tanh MLP on 4 points of a sine, loss + 76 gradients,
  then an SGD update of the parameters;
* W3 full-batch step of a 2-16-16-1 tanh MLP on 100 moons: eager, compiled, batched
  numpy code from the op table, hand-written numpy and, when jax is installed,
  ``jax.jit`` of the same step written with matrices;
* compile time and peak memory of a chain ``x = tanh(x * 1.0001 + 0.1)`` against its
  size (1e3..1e6 nodes; graphs above 20,000 nodes run as a tape), and of a 65k-node
  MLP loss, each in a fresh process, with the compiled call against eager on it.

Prints the median microseconds per step of each engine over interleaved repeats and the
ratios to micrograd. Timings on a shared machine are noisy: read the ratios, not the
absolute numbers.
"""

from __future__ import annotations

import gc
import itertools
import math
import random
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

import autograd
from autograd import value_and_grad

X_TOY, Y_TOY = 2.3, 2.0
TOY0 = [1.0, 2.0, -3.0, 0.4, 0.1, -0.4, 2.0, 3.0]
SIZES = [1, 5, 5, 5, 1]
POINTS = [(-1.5 + k, math.sin(-1.5 + k)) for k in range(4)]


def _micrograd() -> Any:
    from micrograd.engine import Value as MicroValue

    def unary(fwd: Callable[[float], float], dfn: Callable[[float, float], float]) -> Any:
        def method(self: Any) -> Any:
            out = MicroValue(fwd(self.data), (self,), "f")

            def _backward() -> None:
                self.grad += dfn(self.data, out.data) * out.grad

            out._backward = _backward
            return out

        return method

    MicroValue.tanh = unary(math.tanh, lambda x, y: 1 - y * y)
    MicroValue.exp = unary(math.exp, lambda x, y: y)
    MicroValue.sin = unary(math.sin, lambda x, y: math.cos(x))
    MicroValue.cos = unary(math.cos, lambda x, y: -math.sin(x))
    return MicroValue


def toy(b0: Any, b1: Any, b2: Any, b3: Any, w0: Any, w1: Any, w2: Any, w3: Any) -> Any:
    f = b3 + w3 * (b2 + w2 * (b1 + w1 * (b0 + w0 * X_TOY).sin()).exp()).cos()
    return (f - Y_TOY) ** 2


def toy_by_hand(
    b0: float, b1: float, b2: float, b3: float, w0: float, w1: float, w2: float, w3: float
) -> tuple[float, tuple[float, ...]]:
    """W4 written by hand on floats (the chain rule unrolled): the floor for compiled code."""
    u0 = b0 + w0 * X_TOY
    s0 = math.sin(u0)
    u1 = b1 + w1 * s0
    e1 = math.exp(u1)
    u2 = b2 + w2 * e1
    c2 = math.cos(u2)
    d = b3 + w3 * c2 - Y_TOY
    g = 2.0 * d
    g2 = -g * w3 * math.sin(u2)
    g1 = g2 * w2 * e1
    g0 = g1 * w1 * math.cos(u0)
    return d * d, (g0, g1, g2, g, g0 * X_TOY, g1 * s0, g2 * e1, g * c2)


def _jax_toy() -> Callable[[], Any] | None:
    """jax.jit of W4's value and 8 gradients, when jax is installed (else None)."""
    try:
        import jax
        import jax.numpy as jnp
    except ImportError:
        return None
    jax.config.update("jax_enable_x64", True)

    def f(b0: Any, b1: Any, b2: Any, b3: Any, w0: Any, w1: Any, w2: Any, w3: Any) -> Any:
        v = b3 + w3 * jnp.cos(b2 + w2 * jnp.exp(b1 + w1 * jnp.sin(b0 + w0 * X_TOY)))
        return (v - Y_TOY) ** 2

    vg = jax.jit(jax.value_and_grad(f, argnums=tuple(range(8))))
    args = [jnp.float64(p) for p in TOY0]
    value, _ = vg(*args)  # compile
    want = toy_by_hand(*TOY0)[0]
    assert abs(float(value) - want) <= 1e-12 * abs(want)

    def call() -> Any:
        value, grads = vg(*args)
        return float(value), [float(g) for g in grads]

    return call


def n_mlp_params() -> int:
    return sum((n_in + 1) * n_out for n_in, n_out in itertools.pairwise(SIZES))


def mlp_loss(*ps: Any) -> Any:
    """Sum of squared errors of the 1-5-5-5-1 tanh MLP (linear output) on POINTS."""
    return mlp_loss_of(SIZES, [([x], y) for x, y in POINTS])(*ps)


def _eager_step(mvalue: Any) -> Callable[[Callable[..., Any], list[float]], Any]:
    """A training-loop step with persistent leaf parameters (micrograd style)."""

    def run(f: Callable[..., Any], params: list[float]) -> Any:
        vs = [mvalue(p) for p in params]
        loss = f(*vs)
        loss.backward()
        return loss.data, [v.grad for v in vs]

    return run


def bench(
    steps: dict[str, Callable[[], Any]], n: int | dict[str, int], repeat: int = 7
) -> dict[str, float]:
    """Median microseconds per call, engines interleaved. Each engine's block starts with
    a collected heap: micrograd's graphs are reference cycles that only the collector
    frees, and left over they would make the next engine's collections walk them.
    ``n``: calls per block, for every engine or per engine (a fast engine runs more
    calls in its block, so that one block is not a single call of a millisecond)."""
    times: dict[str, list[float]] = {k: [] for k in steps}
    for _ in range(repeat):
        for name, step in steps.items():
            calls = n if isinstance(n, int) else n[name]
            gc.collect()
            t0 = time.perf_counter()
            for _ in range(calls):
                step()
            times[name].append((time.perf_counter() - t0) / calls * 1e6)
    return {k: statistics.median(v) for k, v in times.items()}


def workloads() -> None:
    micro = _micrograd()
    mstep = _eager_step(micro)
    cstep = _eager_step(autograd.Value)
    toy_c = autograd.compile(toy, example_args=TOY0, argnums=tuple(range(8)))
    nparam = n_mlp_params()
    w0 = [0.1 * math.sin(1.7 * i + 0.3) for i in range(nparam)]
    mlp_c = autograd.compile(mlp_loss, example_args=w0, argnums=tuple(range(nparam)))
    toy_vg = value_and_grad(toy, argnums=tuple(range(8)))
    lr = 0.01

    def sgd(run: Callable[[list[float]], Any], params: list[float]) -> Callable[[], None]:
        def step() -> None:
            _, grads = run(params)
            for i, g in enumerate(grads):
                params[i] -= lr * g

        return step

    # sanity: same numbers from every engine before timing
    lv, gv = toy_c(*TOY0)
    lm, gm = mstep(toy, TOY0)
    assert abs(lv - lm) <= 1e-12 * abs(lm)
    assert all(abs(a - b) <= 1e-9 * (1 + abs(b)) for a, b in zip(gv, gm, strict=True))
    lh, gh = toy_by_hand(*TOY0)
    assert abs(lh - lm) <= 1e-12 * abs(lm)
    assert all(abs(a - b) <= 1e-9 * (1 + abs(b)) for a, b in zip(gh, gm, strict=True))
    jax_toy = _jax_toy()
    rows = []
    w4 = bench(
        {
            "micrograd": lambda: mstep(toy, TOY0),
            "eager": lambda: cstep(toy, TOY0),
            "eager value_and_grad": lambda: toy_vg(*TOY0),
            "compiled": lambda: toy_c(*TOY0),
            "hand-written floats": lambda: toy_by_hand(*TOY0),
            **({"jax.jit": jax_toy} if jax_toy is not None else {}),
        },
        n=2000,
    )
    rows.append(("W4 toy model, loss + 8 grads", w4))
    pm, pe, pc = list(w0), list(w0), list(w0)
    w5 = bench(
        {
            "micrograd": sgd(lambda p: mstep(mlp_loss, p), pm),
            "eager": sgd(lambda p: cstep(mlp_loss, p), pe),
            "compiled": sgd(lambda p: mlp_c(*p), pc),
        },
        n=100,
    )
    rows.append((f"W5 1-5-5-5-1 tanh MLP, 4 points, {nparam} grads, one SGD step", w5))
    rows.append(("W3 2-16-16-1 tanh MLP, 100 moons, one full-batch SGD step", w3(mstep, cstep)))
    for title, med in rows:
        print(title)
        for name, us in med.items():
            ratio = med["micrograd"] / us
            print(f"  {name:<22} {us:>10.2f} us   {ratio:>6.1f}x micrograd")


def chain(n: int) -> Callable[[Any], Any]:
    def f(x: Any) -> Any:
        for _ in range(n):
            x = (x * 1.0001 + 0.1).tanh()
        return x

    return f


#: compile_scaling's graphs: chains of about 1e3 .. 1e6 nodes (3 nodes a step; 19,999
#: is just below the tape threshold, 30,001 just above), then the 65k-node MLP loss
SCALING_CHAINS = (333, 3333, 6666, 10000, 33333, 100000, 333333)
MLP_SIZES = [2, 16, 16, 1]
MLP_POINTS = 100


def w3_sample(*a: Any) -> Any:
    """W3's loss at one point: the 2-16-16-1 MLP's squared error; the parameters first,
    then the point's x0, x1 and target (the function ``compile(batch=True)`` traces)."""
    n = len(a) - 3
    return mlp_loss_of(MLP_SIZES, [([a[n], a[n + 1]], a[n + 2])])(*a[:n])


def w3_numpy(points: list[tuple[list[float], float]]) -> Callable[[list[float]], Any]:
    """W3 written by hand with numpy matrices: a reference, not a contender."""
    import numpy as np

    A = np.array([x for x, _ in points]).T  # 2 x N
    T = np.array([t for _, t in points])

    def step(ps: list[float]) -> Any:
        p = np.array(ps)
        k, Ws, bs = 0, [], []
        for n_in, n_out in itertools.pairwise(MLP_SIZES):
            m = p[k : k + n_out * (n_in + 1)].reshape(n_out, n_in + 1)
            Ws.append(m[:, :n_in])
            bs.append(m[:, n_in:])
            k += n_out * (n_in + 1)
        h1 = np.tanh(Ws[0] @ A + bs[0])
        h2 = np.tanh(Ws[1] @ h1 + bs[1])
        d = (Ws[2] @ h2 + bs[2])[0] - T
        g_out = 2.0 * d[None, :]
        g_h2 = (Ws[2].T @ g_out) * (1.0 - h2 * h2)
        g_h1 = (Ws[1].T @ g_h2) * (1.0 - h1 * h1)
        grads = [
            np.hstack([g @ h.T, g.sum(axis=1, keepdims=True)]).ravel()
            for g, h in ((g_h1, A), (g_h2, h1), (g_out, h2))
        ]
        return float(d @ d), np.concatenate(grads)

    return step


def w3_jax(
    points: list[tuple[list[float], float]], lr: float
) -> tuple[Callable[[list[float]], Any], Callable[[list[float]], Callable[[], None]]] | None:
    """W3 as ``jax.jit`` of vectorised (matrix) code, when jax is installed (else None):
    the reference of the issue's stretch goal, not a contender. Returns the loss and
    gradients on a list (for the sanity check) and a maker of the timed step: the
    parameters stay a jax array and the SGD update runs inside the jitted function
    (converting 337 floats in and out costs ~0.5 ms, ten times jax's own step)."""
    try:
        import jax
        import jax.numpy as jnp
    except ImportError:
        return None
    jax.config.update("jax_enable_x64", True)
    A = jnp.array([x for x, _ in points]).T  # 2 x N
    T = jnp.array([t for _, t in points])
    shapes = list(itertools.pairwise(MLP_SIZES))

    def loss(p: Any) -> Any:
        k, h = 0, A
        for layer, (n_in, n_out) in enumerate(shapes):
            m = p[k : k + n_out * (n_in + 1)].reshape(n_out, n_in + 1)
            k += n_out * (n_in + 1)
            z = m[:, :n_in] @ h + m[:, n_in:]
            h = jnp.tanh(z) if layer < len(shapes) - 1 else z
        d = h[0] - T
        return d @ d

    vg = jax.jit(jax.value_and_grad(loss))

    @jax.jit
    def sgd_step(p: Any) -> Any:
        return p - lr * jax.grad(loss)(p)

    def value_and_grads(ps: list[float]) -> Any:
        value, g = vg(jnp.array(ps))
        return float(value), g.tolist()

    def timed(p0: list[float]) -> Callable[[], None]:
        state = [sgd_step(jnp.array(p0))]  # compiled here, not in the timing

        def step() -> None:
            state[0] = sgd_step(state[0]).block_until_ready()

        return step

    return value_and_grads, timed


def w3(mstep: Any, cstep: Any) -> dict[str, float]:
    """W3: micrograd, eager, compiled (a 65k-node graph: the tape form), batched numpy
    code from the op table, and hand-written numpy; one SGD step each."""
    import numpy as np

    import nn

    X, y = nn.data.make_moons(MLP_POINTS, noise=0.1, seed=0)
    points = [(list(x), float(t)) for x, t in zip(X, y, strict=True)]
    loss = mlp_loss_of(MLP_SIZES, points)
    n = sum((a + 1) * b for a, b in itertools.pairwise(MLP_SIZES))
    p0 = [0.3 * math.sin(1.7 * i + 0.3) for i in range(n)]
    nums = tuple(range(n))
    t0 = time.perf_counter()
    scalar = autograd.compile(loss, example_args=p0, argnums=nums)
    t_scalar = time.perf_counter() - t0
    t0 = time.perf_counter()
    batch = autograd.compile(
        w3_sample, example_args=(*p0, *points[0][0], points[0][1]), argnums=nums, batch=True
    )
    cols = [np.array([x[0] for x, _ in points]), np.array([x[1] for x, _ in points])]
    cols.append(np.array([t for _, t in points]))
    batch(*p0, *cols)  # generates the code for this combination of batched arguments
    t_batch = time.perf_counter() - t0
    hand = w3_numpy(points)
    # lr for a loss summed over 100 points: the fast engines take up to 1,000 steps here,
    # and at 0.01 plain SGD diverges (overflow, then every engine would time NaNs)
    lr = 1e-3
    jax_w3 = w3_jax(points, lr)
    # sanity: every engine gives micrograd's numbers
    lm, gm = mstep(loss, p0)
    for name, (lv, gv) in {
        "compiled": scalar(*p0),
        "batched": batch(*p0, *cols),
        "numpy": hand(p0),
        **({"jax.jit": jax_w3[0](p0)} if jax_w3 is not None else {}),
    }.items():
        assert abs(lv - lm) <= 1e-9 * abs(lm), name
        assert all(abs(a - b) <= 1e-9 * (1 + abs(b)) for a, b in zip(gv, gm, strict=True)), name
    form = "tape" if "tape form" in scalar.source else "code"
    print(
        f"W3: compiled graph {scalar.nodes} nodes ({form} form) in {t_scalar:.2f} s; "
        f"batched {batch.nodes} nodes in {t_batch:.2f} s"
    )
    trained: list[list[float]] = []

    def sgd(run: Callable[[list[float]], Any]) -> Callable[[], None]:
        params = list(p0)
        trained.append(params)

        def step() -> None:
            _, grads = run(params)
            for i, g in enumerate(grads):
                params[i] -= lr * g

        return step

    result = bench(
        {
            "micrograd": sgd(lambda p: mstep(loss, p)),
            "eager": sgd(lambda p: cstep(loss, p)),
            "compiled": sgd(lambda p: scalar(*p)),
            "batched (numpy)": sgd(lambda p: batch(*p, *cols)),
            "hand-written numpy": sgd(hand),
            **({"jax.jit, vectorised": jax_w3[1](p0)} if jax_w3 is not None else {}),
        },
        # one call of micrograd or eager takes 40-500 ms; the others run 20-200 calls
        n={
            "micrograd": 1,
            "eager": 1,
            "compiled": 20,
            "batched (numpy)": 50,
            "hand-written numpy": 200,
            "jax.jit, vectorised": 500,
        },
        repeat=5,
    )
    # every engine timed steps on finite numbers (a NaN step would be no measurement)
    assert all(math.isfinite(x) for params in trained for x in params)
    return result


def mlp_loss_of(sizes: list[int], points: list[tuple[list[float], float]]) -> Any:
    """Sum of squared errors of a tanh MLP (linear output) with layer ``sizes`` on
    ``points``, as a function of the parameters (per neuron: its weights, then its bias)."""

    def loss(*ps: Any) -> Any:
        total: Any = 0.0
        for x, y in points:
            h: list[Any] = list(x)
            k = 0
            for layer, (n_in, n_out) in enumerate(itertools.pairwise(sizes)):
                nxt = []
                for _ in range(n_out):
                    s = ps[k + n_in]  # bias
                    for i in range(n_in):
                        s = s + ps[k + i] * h[i]
                    k += n_in + 1
                    nxt.append(s.tanh() if layer < len(sizes) - 2 else s)
                h = nxt
            d = h[0] - y
            total = d * d + total
        return total

    return loss


def _scaling_case(kind: str, size: int) -> tuple[Callable[..., Any], tuple[float, ...], Any]:
    if kind == "chain":
        return chain(size), (0.5,), 0
    rng = random.Random(0)
    points = [([rng.uniform(-1, 1), rng.uniform(-1, 1)], rng.uniform(-1, 1)) for _ in range(size)]
    n = sum((a + 1) * b for a, b in itertools.pairwise(MLP_SIZES))
    params = tuple(0.1 * math.sin(1.7 * i + 0.3) for i in range(n))
    return mlp_loss_of(MLP_SIZES, points), params, tuple(range(n))


def scaling_one(kind: str, size: int) -> None:
    """One row of compile_scaling, in this (fresh) process: prints it as JSON."""
    import json
    import resource

    f, args, nums = _scaling_case(kind, size)
    gc.collect()
    t0 = time.perf_counter()
    c = autograd.compile(f, example_args=args, argnums=nums)
    t_compile = time.perf_counter() - t0
    peak_mb = _peak_mb(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    repeat = max(1, min(5, 200_000 // c.nodes))
    vg = value_and_grad(f, nums)
    c(*args)  # warm-up
    calls, eagers = [], []
    for _ in range(repeat):
        t0 = time.perf_counter()
        got = c(*args)
        calls.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        want = vg(*args)
        eagers.append(time.perf_counter() - t0)
    assert got == want, (got, want)  # the same floats, bit for bit
    form = "tape" if c.source.startswith("# autograd.compile, tape form") else "code"
    row = [kind, c.nodes, form, t_compile, peak_mb, min(calls), min(eagers)]
    print(json.dumps(row))


def _peak_mb(maxrss_mb: float) -> float:
    """This process's peak resident memory: Linux's VmHWM, which starts afresh at exec
    (``ru_maxrss`` keeps the parent's size at fork: a large parent inflates it)."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024  # kB
    except OSError:
        pass
    return maxrss_mb


def compile_scaling() -> None:
    """Compile time, peak memory and call time against graph size, each size in a fresh
    process (so the peak RSS is that size's: interpreter and imports included)."""
    import json
    import os
    import subprocess

    here = os.path.dirname(os.path.abspath(__file__))
    print("compile time and peak memory against graph size (a fresh process per size)")
    print("  chain: x = tanh(x*1.0001 + 0.1), 3 nodes a step; mlp: 2-16-16-1 tanh MLP,")
    print(f"  squared error summed over {MLP_POINTS} points, the parameters as arguments")
    print(
        f"  {'graph':<6} {'nodes':>8} {'form':>5} {'compile s':>10} {'peak MB':>8} "
        f"{'call ms':>9} {'eager ms':>9} {'eager/call':>10}"
    )
    cases = [("chain", n) for n in SCALING_CHAINS] + [("mlp", MLP_POINTS)]
    for kind, size in cases:
        code = (
            f"import sys; sys.path.insert(0, {here!r}); import bench_compile; "
            f"bench_compile.scaling_one({kind!r}, {size!r})"
        )
        run = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )
        kind_, nodes, form, t_compile, peak_mb, t_call, t_eager = json.loads(
            run.stdout.splitlines()[-1]
        )
        print(
            f"  {kind_:<6} {nodes:>8} {form:>5} {t_compile:>10.2f} {peak_mb:>8.0f} "
            f"{t_call * 1e3:>9.2f} {t_eager * 1e3:>9.2f} {t_eager / t_call:>9.1f}x"
        )


def main() -> int:
    sys.setrecursionlimit(100_000)  # micrograd's recursive topological sort (only here:
    # importing this module, as a test does, must not change the interpreter's limit)
    try:
        import micrograd  # noqa: F401
    except ImportError:
        print("micrograd not installed: pip install -e '.[bench]'", file=sys.stderr)
        return 1
    gc.collect()
    workloads()
    compile_scaling()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
