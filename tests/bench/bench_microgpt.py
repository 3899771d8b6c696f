"""W6 benchmark: one training step of a microgpt-sized GPT on scalar autograd engines.

The model is the one of Karpathy's microgpt (Feb 2026), written here from scratch and
generic over the engine: token and position embeddings, RMSNorm, one transformer layer
(causal self-attention with 4 heads, an MLP of 4x width with ReLU), n_embd 16, block
size 16, a vocabulary of the name characters plus one BOS/EOS token (4160 parameters here),
cross-entropy averaged over the positions of one name per step, Adam. The names are
``tests/bench/names.txt`` (made by ``tests/bench/make_names.py``, nothing downloaded).

Engines, each timed on the same documents, one training step = forward over one name,
loss, backward, Adam update:

* ``micro-style``: a ``Value`` written below in microgpt's own style (slots, children
  and local gradients stored on the node, recursive topological sort);
* ``chaingrad``: eager ``autograd.Value``;
* ``compiled``: ``autograd.compile`` of the loss, one compiled function per sequence
  length (embedding rows and one-hot targets are float inputs), cached by length;
* ``micrograd``: micrograd 0.1.0 (``exp``/``log`` added);
* ``torch``: PyTorch 0-d float64 tensors, one thread (if torch imports);
* ``jax``: ``jax.jit`` of the same scalar code (with ``--jax``, if jax is installed).
  Impractical: at 3 positions jax 0.10 traced 82,671 equations in 24 s, lowered them
  in 34 s, and XLA had not finished compiling after 7 minutes (13 GB resident).

Each engine is timed with the cyclic garbage collector in its default state (the
headline) and with ``gc.disable()``; engines are interleaved and the medians of the
repeats are printed, with ratios to micro-style and to micrograd. torch and jax are
imported and timed after the others, so their objects do not change the collector's
work for the pure-Python engines. Before timing, micro-style and chaingrad are
trained 20 steps from the same weights and must agree to 1e-9, and the compiled step
must give eager's loss and gradients (1e-9); every engine's first step (its warm-up)
must give micro-style's first loss (1e-9).

Run: ``.venv/bin/python tests/bench/bench_microgpt.py [--steps N] [--repeat R]``
(needs ``pip install -e '.[bench]'``; ``--no-torch``, ``--no-compile`` skip engines,
``--jax`` adds one; ``--isolated`` also times micro-style and chaingrad each in a fresh
process per repeat, with only its own objects for the collector to walk). Timings on a
shared machine are noisy: read the ratios.
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.setrecursionlimit(20_000)  # the recursive topological sorts (micro-style, micrograd)

N_EMBD = 16
N_HEAD = 4
HEAD_DIM = N_EMBD // N_HEAD
BLOCK_SIZE = 16
MLP_WIDTH = 4 * N_EMBD
INIT_STD = 0.08
SEED = 1234
LR = 1e-2
BETAS = (0.85, 0.99)
ADAM_EPS = 1e-8
RMS_EPS = 1e-5
NAMES = Path(__file__).with_name("names.txt")


# --------------------------------------------------------------------- (a) micro-style
class MicroValue:
    """A scalar node in microgpt's style: children and local gradients on the node."""

    __slots__ = ("_children", "_local_grads", "data", "grad")

    def __init__(
        self,
        data: float,
        children: tuple[MicroValue, ...] = (),
        local_grads: tuple[float, ...] = (),
    ) -> None:
        self.data = data
        self.grad = 0.0
        self._children = children
        self._local_grads = local_grads

    def __add__(self, other: MicroValue | float) -> MicroValue:
        o = other if isinstance(other, MicroValue) else MicroValue(other)
        return MicroValue(self.data + o.data, (self, o), (1.0, 1.0))

    def __mul__(self, other: MicroValue | float) -> MicroValue:
        o = other if isinstance(other, MicroValue) else MicroValue(other)
        return MicroValue(self.data * o.data, (self, o), (o.data, self.data))

    def __pow__(self, k: float) -> MicroValue:
        return MicroValue(self.data**k, (self,), (k * self.data ** (k - 1),))

    def log(self) -> MicroValue:
        return MicroValue(math.log(self.data), (self,), (1.0 / self.data,))

    def exp(self) -> MicroValue:
        e = math.exp(self.data)
        return MicroValue(e, (self,), (e,))

    def relu(self) -> MicroValue:
        d = self.data
        return MicroValue(d if d > 0.0 else 0.0, (self,), (1.0 if d > 0.0 else 0.0,))

    def __neg__(self) -> MicroValue:
        return self * -1.0

    def __radd__(self, other: float) -> MicroValue:
        return self + other

    def __sub__(self, other: MicroValue | float) -> MicroValue:
        return self + (-other)

    def __rsub__(self, other: float) -> MicroValue:
        return other + (-self)

    def __rmul__(self, other: float) -> MicroValue:
        return self * other

    def __truediv__(self, other: MicroValue | float) -> MicroValue:
        return self * other**-1.0

    def __rtruediv__(self, other: float) -> MicroValue:
        return other * self**-1.0

    def backward(self) -> None:
        topo: list[MicroValue] = []
        visited: set[MicroValue] = set()

        def build(v: MicroValue) -> None:
            if v not in visited:
                visited.add(v)
                for child in v._children:
                    build(child)
                topo.append(v)

        build(self)
        self.grad = 1.0
        for v in reversed(topo):
            for child, local_grad in zip(v._children, v._local_grads, strict=True):
                child.grad += local_grad * v.grad


# ----------------------------------------------------------------------------- data
def load_docs(path: Path = NAMES) -> list[str]:
    """The names, one per line, in file order."""
    docs = [line.strip() for line in path.read_text().splitlines() if line.strip()]
    if not docs:
        raise SystemExit(f"{path} is empty: run tests/bench/make_names.py")
    return docs


@dataclass
class Vocab:
    chars: str
    bos: int

    @classmethod
    def of(cls, docs: Sequence[str]) -> Vocab:
        chars = "".join(sorted(set("".join(docs))))
        return cls(chars, len(chars))

    @property
    def size(self) -> int:
        return len(self.chars) + 1

    def tokens(self, doc: str, block_size: int) -> list[int]:
        """BOS, the characters, BOS (as end), cut to ``block_size`` + 1 tokens."""
        toks = [self.bos, *(self.chars.index(c) for c in doc), self.bos]
        return toks[: block_size + 1]


# ------------------------------------------------------------------------- the model
SHAPES = {
    "wte": ("vocab", N_EMBD),
    "wpe": ("block", N_EMBD),
    "wq": (N_EMBD, N_EMBD),
    "wk": (N_EMBD, N_EMBD),
    "wv": (N_EMBD, N_EMBD),
    "wo": (N_EMBD, N_EMBD),
    "fc1": (MLP_WIDTH, N_EMBD),
    "fc2": (N_EMBD, MLP_WIDTH),
    "lm_head": ("vocab", N_EMBD),
}
#: the matrices used whole by every step (the embeddings are looked up by row)
DENSE = ("wq", "wk", "wv", "wo", "fc1", "fc2", "lm_head")

Matrix = list[list[Any]]


def init_weights(
    vocab_size: int, block_size: int, seed: int = SEED
) -> dict[str, list[list[float]]]:
    """Gaussian weights (std ``INIT_STD``) from a seeded ``random.Random``, as floats."""
    rng = random.Random(seed)
    dims = {"vocab": vocab_size, "block": block_size}
    out = {}
    for name, (rows, cols) in SHAPES.items():
        n_rows = dims[rows] if isinstance(rows, str) else rows
        out[name] = [[rng.gauss(0.0, INIT_STD) for _ in range(cols)] for _ in range(n_rows)]
    return out


@dataclass
class Ops:
    """What the model needs from an engine besides + - * / ** and unary minus."""

    exp: Callable[[Any], Any]
    log: Callable[[Any], Any]
    relu: Callable[[Any], Any]
    #: the largest of some logits, as a constant (softmax's shift; no gradient)
    shift: Callable[[list[Any]], Any]


def linear(x: list[Any], w: Matrix) -> list[Any]:
    return [sum(wi * xi for wi, xi in zip(row, x, strict=True)) for row in w]


def softmax(ops: Ops, logits: list[Any]) -> list[Any]:
    m = ops.shift(logits)
    exps = [ops.exp(v - m) for v in logits]
    total = sum(exps)
    return [e / total for e in exps]


def rmsnorm(x: list[Any]) -> list[Any]:
    ms = sum(xi * xi for xi in x) / len(x)
    scale = (ms + RMS_EPS) ** -0.5
    return [xi * scale for xi in x]


def gpt_logits(
    ops: Ops, w: dict[str, Matrix], tok_rows: list[list[Any]], pos_rows: list[list[Any]]
) -> list[list[Any]]:
    """The logits at every position, given each position's token and position rows."""
    keys: list[list[Any]] = []
    values: list[list[Any]] = []
    out = []
    for tok, pos in zip(tok_rows, pos_rows, strict=True):
        x = rmsnorm([t + p for t, p in zip(tok, pos, strict=True)])
        residual = x
        x = rmsnorm(x)
        q = linear(x, w["wq"])
        keys.append(linear(x, w["wk"]))
        values.append(linear(x, w["wv"]))
        attended: list[Any] = []
        for h in range(N_HEAD):
            lo, hi = h * HEAD_DIM, (h + 1) * HEAD_DIM
            qh = q[lo:hi]
            scores = [
                sum(qj * kj for qj, kj in zip(qh, k[lo:hi], strict=True)) / HEAD_DIM**0.5
                for k in keys
            ]
            weights = softmax(ops, scores)
            attended.extend(
                sum(a * v[j] for a, v in zip(weights, values, strict=True)) for j in range(lo, hi)
            )
        x = [a + r for a, r in zip(linear(attended, w["wo"]), residual, strict=True)]
        residual = x
        x = [ops.relu(h) for h in linear(rmsnorm(x), w["fc1"])]
        x = [a + r for a, r in zip(linear(x, w["fc2"]), residual, strict=True)]
        out.append(linear(x, w["lm_head"]))
    return out


def doc_loss(ops: Ops, w: dict[str, Matrix], tokens: list[int]) -> Any:
    """Mean cross-entropy of predicting ``tokens[1:]`` from the tokens before."""
    n = len(tokens) - 1
    tok_rows = [w["wte"][t] for t in tokens[:n]]
    pos_rows = [w["wpe"][p] for p in range(n)]
    logits = gpt_logits(ops, w, tok_rows, pos_rows)
    losses = [-ops.log(softmax(ops, lg)[t]) for lg, t in zip(logits, tokens[1:], strict=True)]
    return (1 / n) * sum(losses)


def onehot_loss(
    ops: Ops,
    w: dict[str, Matrix],
    tok_rows: list[list[Any]],
    pos_rows: list[list[Any]],
    onehots: list[list[Any]],
) -> Any:
    """:func:`doc_loss` with the looked-up rows and one-hot targets given: its graph's
    structure depends only on the length (what ``autograd.compile`` needs)."""
    n = len(tok_rows)
    logits = gpt_logits(ops, w, tok_rows, pos_rows)
    losses = []
    for lg, hot in zip(logits, onehots, strict=True):
        probs = softmax(ops, lg)
        losses.append(-ops.log(sum(o * p for o, p in zip(hot, probs, strict=True))))
    return (1 / n) * sum(losses)


# ---------------------------------------------------------------------------- Adam
@dataclass
class Adam:
    """Adam on a flat list of floats (the same arithmetic for every engine)."""

    n: int
    lr: float = LR
    betas: tuple[float, float] = BETAS
    eps: float = ADAM_EPS
    t: int = 0
    m: list[float] = field(default_factory=list)
    v: list[float] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.m = [0.0] * self.n
        self.v = [0.0] * self.n

    def update(self, data: list[float], grads: Sequence[float]) -> None:
        self.t += 1
        b1, b2 = self.betas
        c1 = 1.0 - b1**self.t
        c2 = 1.0 - b2**self.t
        m, v, lr, eps = self.m, self.v, self.lr, self.eps
        for i, g in enumerate(grads):
            m[i] = b1 * m[i] + (1.0 - b1) * g
            v[i] = b2 * v[i] + (1.0 - b2) * g * g
            data[i] -= lr * (m[i] / c1) / (math.sqrt(v[i] / c2) + eps)


# ------------------------------------------------------------------------ trainers
@dataclass
class StepTimes:
    loss: float
    forward: float
    backward: float
    update: float

    @property
    def total(self) -> float:
        return self.forward + self.backward + self.update


class EagerTrainer:
    """Persistent leaf parameters of one engine, trained one document per step."""

    def __init__(
        self, name: str, leaf: Callable[[float], Any], ops: Ops, vocab: Vocab, block_size: int
    ) -> None:
        self.name = name
        self.ops = ops
        self.vocab = vocab
        self.block_size = block_size
        floats = init_weights(vocab.size, block_size)
        self.w = {k: [[leaf(x) for x in row] for row in mat] for k, mat in floats.items()}
        self.params = [p for mat in self.w.values() for row in mat for p in row]
        self.data = [x for mat in floats.values() for row in mat for x in row]
        self.adam = Adam(len(self.params))

    def loss(self, doc: str) -> Any:
        return doc_loss(self.ops, self.w, self.vocab.tokens(doc, self.block_size))

    def grads(self) -> list[float]:
        return [p.grad for p in self.params]

    def write_back(self) -> None:
        for p, x in zip(self.params, self.data, strict=True):
            p.data = x
            p.grad = 0.0

    def step(self, doc: str) -> StepTimes:
        t0 = time.perf_counter()
        loss = self.loss(doc)
        t1 = time.perf_counter()
        loss.backward()
        t2 = time.perf_counter()
        self.adam.update(self.data, self.grads())
        self.write_back()
        value = self.loss_value(loss)
        del loss
        t3 = time.perf_counter()
        return StepTimes(value, t1 - t0, t2 - t1, t3 - t2)

    def loss_value(self, loss: Any) -> float:
        return float(loss.data)


class TorchTrainer(EagerTrainer):
    def grads(self) -> list[float]:
        return [0.0 if p.grad is None else p.grad.item() for p in self.params]

    def write_back(self) -> None:
        import torch

        with torch.no_grad():
            for p, x in zip(self.params, self.data, strict=True):
                p.fill_(x)
                p.grad = None

    def loss_value(self, loss: Any) -> float:
        return float(loss.item())


class CompiledTrainer:
    """``autograd.compile`` of :func:`onehot_loss`, one compiled function per length.

    The inputs of a length-``n`` function are the dense matrices, then ``n`` token rows,
    ``n`` position rows and ``n`` one-hot targets (no gradient); the gradients of the
    rows are added into the embeddings' rows."""

    def __init__(self, vocab: Vocab, block_size: int) -> None:
        self.vocab = vocab
        self.block_size = block_size
        floats = init_weights(vocab.size, block_size)
        self.shape = {k: (len(m), len(m[0])) for k, m in floats.items()}
        self.data = [x for mat in floats.values() for row in mat for x in row]
        self.offset: dict[str, int] = {}
        k = 0
        for name, (r, c) in self.shape.items():
            self.offset[name] = k
            k += r * c
        self.dense = [i for name in DENSE for i in self._span(name)]
        self.adam = Adam(len(self.data))
        self.cache: dict[int, Any] = {}
        self.compile_seconds: dict[int, float] = {}

    def _span(self, name: str) -> range:
        r, c = self.shape[name]
        return range(self.offset[name], self.offset[name] + r * c)

    def _row(self, name: str, i: int) -> range:
        c = self.shape[name][1]
        start = self.offset[name] + i * c
        return range(start, start + c)

    def function(self, n: int) -> Any:
        """The compiled loss for ``n`` positions (compiled on first use, then cached)."""
        c = self.cache.get(n)
        if c is None:
            import autograd

            vocab_size = self.vocab.size
            n_dense = len(self.dense)
            shapes = [(name, self.shape[name]) for name in DENSE]

            def f(*xs: Any) -> Any:
                w: dict[str, Matrix] = {}
                k = 0
                for name, (r, cols) in shapes:
                    w[name] = [list(xs[k + i * cols : k + (i + 1) * cols]) for i in range(r)]
                    k += r * cols
                rows = [list(xs[k + i * N_EMBD : k + (i + 1) * N_EMBD]) for i in range(2 * n)]
                k += 2 * n * N_EMBD
                hots = [list(xs[k + i * vocab_size : k + (i + 1) * vocab_size]) for i in range(n)]
                return onehot_loss(AUTOGRAD_OPS, w, rows[:n], rows[n:], hots)

            example = self.arguments(self.vocab.tokens("a" * (n - 1), self.block_size))
            argnums = tuple(range(n_dense + 2 * n * N_EMBD))
            t0 = time.perf_counter()
            c = autograd.compile(f, example_args=example, argnums=argnums)
            self.compile_seconds[n] = time.perf_counter() - t0
            self.cache[n] = c
        return c

    def arguments(self, tokens: list[int]) -> list[float]:
        n = len(tokens) - 1
        d = self.data
        args = [d[i] for i in self.dense]
        for t in tokens[:n]:
            args.extend(d[i] for i in self._row("wte", t))
        for p in range(n):
            args.extend(d[i] for i in self._row("wpe", p))
        size = self.vocab.size
        for t in tokens[1:]:
            hot = [0.0] * size
            hot[t] = 1.0
            args.extend(hot)
        return args

    def loss_and_grads(self, doc: str) -> tuple[float, list[float]]:
        """The loss and the gradient of every parameter (in ``self.data``'s order)."""
        tokens = self.vocab.tokens(doc, self.block_size)
        loss, g = self.function(len(tokens) - 1)(*self.arguments(tokens))
        return loss, self.scatter(tokens, g)

    def scatter(self, tokens: list[int], g: Sequence[float]) -> list[float]:
        """The gradients of a compiled call (dense matrices, then the looked-up rows) as
        gradients of every parameter: each row's added into its embedding row."""
        n = len(tokens) - 1
        grads = [0.0] * len(self.data)
        for i, gi in zip(self.dense, g, strict=False):
            grads[i] = gi
        k = len(self.dense)
        for t in tokens[:n]:
            for i in self._row("wte", t):
                grads[i] += g[k]
                k += 1
        for p in range(n):
            for i in self._row("wpe", p):
                grads[i] += g[k]
                k += 1
        return grads

    def step(self, doc: str) -> StepTimes:
        t0 = time.perf_counter()
        loss, grads = self.loss_and_grads(doc)
        t1 = time.perf_counter()
        self.adam.update(self.data, grads)
        t2 = time.perf_counter()
        return StepTimes(loss, t1 - t0, 0.0, t2 - t1)


class JaxTrainer:
    """``jax.jit(jax.value_and_grad)`` of the same scalar code, one function per length."""

    def __init__(self, vocab: Vocab, block_size: int) -> None:
        import jax

        jax.config.update("jax_enable_x64", True)
        self.inner = CompiledTrainer(vocab, block_size)
        self.cache: dict[int, Any] = {}
        self.compile_seconds: dict[int, float] = {}

    def function(self, n: int) -> Any:
        c = self.cache.get(n)
        if c is None:
            import jax
            import jax.numpy as jnp

            inner = self.inner
            vocab_size = inner.vocab.size
            shapes = [(name, inner.shape[name]) for name in DENSE]
            ops = Ops(
                exp=jnp.exp,
                log=jnp.log,
                relu=lambda x: jnp.maximum(x, 0.0),
                shift=lambda xs: jax.lax.stop_gradient(jnp.max(jnp.stack(xs))),
            )

            def f(params: Any, consts: Any) -> Any:
                xs = list(params) + list(consts)
                w: dict[str, Matrix] = {}
                k = 0
                for name, (r, cols) in shapes:
                    w[name] = [xs[k + i * cols : k + (i + 1) * cols] for i in range(r)]
                    k += r * cols
                rows = [xs[k + i * N_EMBD : k + (i + 1) * N_EMBD] for i in range(2 * n)]
                k += 2 * n * N_EMBD
                hots = [xs[k + i * vocab_size : k + (i + 1) * vocab_size] for i in range(n)]
                return onehot_loss(ops, w, rows[:n], rows[n:], hots)

            c = jax.jit(jax.value_and_grad(f))
            tokens = inner.vocab.tokens("a" * (n - 1), inner.block_size)
            t0 = time.perf_counter()
            self._call(c, tokens)
            self.compile_seconds[n] = time.perf_counter() - t0
            self.cache[n] = c
        return c

    def _call(self, c: Any, tokens: list[int]) -> tuple[float, list[float]]:
        import numpy as np

        args = self.inner.arguments(tokens)
        k = len(args) - (len(tokens) - 1) * self.inner.vocab.size
        loss, g = c(np.array(args[:k]), np.array(args[k:]))
        return float(loss), np.asarray(g).tolist()

    def step(self, doc: str) -> StepTimes:
        inner = self.inner
        t0 = time.perf_counter()
        tokens = inner.vocab.tokens(doc, inner.block_size)
        loss, g = self._call(self.function(len(tokens) - 1), tokens)
        grads = inner.scatter(tokens, g)
        t1 = time.perf_counter()
        inner.adam.update(inner.data, grads)
        t2 = time.perf_counter()
        return StepTimes(loss, t1 - t0, 0.0, t2 - t1)


# -------------------------------------------------------------------------- engines
def _max_data(xs: list[Any]) -> float:
    return max(x.data for x in xs)


MICRO_OPS = Ops(exp=MicroValue.exp, log=MicroValue.log, relu=MicroValue.relu, shift=_max_data)


def _autograd_ops() -> Ops:
    import autograd

    V = autograd.Value
    return Ops(exp=V.exp, log=V.log, relu=V.relu, shift=_max_data)


AUTOGRAD_OPS = _autograd_ops()


def micrograd_value() -> Any:
    """micrograd 0.1.0's Value with ``exp`` and ``log`` added (as bench_compile.py does)."""
    from micrograd.engine import Value as MG

    def unary(fwd: Callable[[float], float], dfn: Callable[[float, float], float]) -> Any:
        def method(self: Any) -> Any:
            out = MG(fwd(self.data), (self,), "f")

            def _backward() -> None:
                self.grad += dfn(self.data, out.data) * out.grad

            out._backward = _backward
            return out

        return method

    MG.exp = unary(math.exp, lambda x, y: y)
    MG.log = unary(math.log, lambda x, y: 1.0 / x)
    return MG


def make_trainer(name: str, vocab: Vocab, block_size: int) -> Any:
    if name == "micro-style":
        return EagerTrainer(name, MicroValue, MICRO_OPS, vocab, block_size)
    if name == "chaingrad":
        import autograd

        return EagerTrainer(name, autograd.Value, AUTOGRAD_OPS, vocab, block_size)
    if name == "compiled":
        return CompiledTrainer(vocab, block_size)
    if name == "micrograd":
        mg = micrograd_value()
        ops = Ops(exp=mg.exp, log=mg.log, relu=mg.relu, shift=_max_data)
        return EagerTrainer(name, mg, ops, vocab, block_size)
    if name == "torch":
        import torch

        torch.set_num_threads(1)

        def leaf(x: float) -> Any:
            return torch.tensor(x, dtype=torch.float64, requires_grad=True)

        ops = Ops(
            exp=torch.exp,
            log=torch.log,
            relu=torch.relu,
            shift=lambda xs: max(x.item() for x in xs),
        )
        return TorchTrainer(name, leaf, ops, vocab, block_size)
    if name == "jax":
        return JaxTrainer(vocab, block_size)
    raise ValueError(name)


# -------------------------------------------------------------------- correctness
def check_agreement(
    docs: Sequence[str], steps: int = 20, block_size: int = BLOCK_SIZE, verbose: bool = True
) -> tuple[list[float], list[float]]:
    """Train micro-style and chaingrad ``steps`` steps from the same weights on the same
    documents; their losses must agree to 1e-9. Returns both loss curves."""
    vocab = Vocab.of(docs)
    a = make_trainer("micro-style", vocab, block_size)
    b = make_trainer("chaingrad", vocab, block_size)
    la, lb = [], []
    for k in range(steps):
        doc = docs[k % len(docs)]
        la.append(a.step(doc).loss)
        lb.append(b.step(doc).loss)
    worst = max(abs(x - y) for x, y in zip(la, lb, strict=True))
    final_a, final_b = a.loss(docs[steps % len(docs)]).data, b.loss(docs[steps % len(docs)]).data
    worst_param = max(abs(x - y) for x, y in zip(a.data, b.data, strict=True))
    if verbose:
        print(
            f"check: {steps} steps, loss {la[0]:.6f} -> {la[-1]:.6f} (micro-style) "
            f"vs {lb[-1]:.6f} (chaingrad); max |loss diff| over the steps {worst:.2e}, "
            f"loss after {steps} steps {final_a:.15f} vs {final_b:.15f} "
            f"(diff {abs(final_a - final_b):.2e}), max |param diff| {worst_param:.2e}"
        )
    assert worst <= 1e-9, f"micro-style and chaingrad losses differ by {worst}"
    assert abs(final_a - final_b) <= 1e-9, (final_a, final_b)
    assert all(math.isfinite(x) for x in la + lb)
    return la, lb


def check_compiled(docs: Sequence[str], steps: int = 3) -> float:
    """The compiled loss and gradients equal eager chaingrad's (1e-9) on ``steps`` steps."""
    vocab = Vocab.of(docs)
    eager = make_trainer("chaingrad", vocab, BLOCK_SIZE)
    comp = make_trainer("compiled", vocab, BLOCK_SIZE)
    worst = 0.0
    for k in range(steps):
        doc = docs[k]
        loss = eager.loss(doc)
        loss.backward()
        ge = eager.grads()
        lc, gc_ = comp.loss_and_grads(doc)
        worst = max(worst, abs(lc - loss.data), *(abs(x - y) for x, y in zip(ge, gc_, strict=True)))
        eager.adam.update(eager.data, ge)
        eager.write_back()
        comp.adam.update(comp.data, gc_)
    print(
        f"check: compiled vs eager chaingrad, {steps} steps: "
        f"max |diff| of loss and grads {worst:.2e}"
    )
    assert worst <= 1e-9, worst
    return worst


# ----------------------------------------------------------------------- timing
def time_block(trainer: Any, docs: Sequence[str], collector: bool) -> tuple[float, float, float]:
    """Mean seconds per step (total, forward, backward) over ``docs``, collector on or off."""
    gc.collect()
    was = gc.isenabled()
    if not collector:
        gc.disable()
    try:
        tot = fwd = bwd = 0.0
        t0 = time.perf_counter()
        for doc in docs:
            st = trainer.step(doc)
            fwd += st.forward
            bwd += st.backward
        tot = time.perf_counter() - t0
    finally:
        if was:
            gc.enable()
    n = len(docs)
    return tot / n, fwd / n, bwd / n


def run_timings(
    trainers: dict[str, Any], docs: Sequence[str], steps: int, repeat: int, start: int
) -> dict[tuple[str, bool], list[tuple[float, float, float]]]:
    """Interleaved repeats: each repeat times every engine on the same ``steps`` documents,
    with the collector on and off (in alternating order)."""
    results: dict[tuple[str, bool], list[tuple[float, float, float]]] = {}
    for r in range(repeat):
        block = [docs[(start + r * steps + i) % len(docs)] for i in range(steps)]
        modes = (True, False) if r % 2 == 0 else (False, True)
        for name, trainer in trainers.items():
            for collector in modes:
                results.setdefault((name, collector), []).append(
                    time_block(trainer, block, collector)
                )
    return results


def median3(xs: list[tuple[float, float, float]]) -> tuple[float, float, float]:
    return (
        statistics.median(x[0] for x in xs),
        statistics.median(x[1] for x in xs),
        statistics.median(x[2] for x in xs),
    )


def print_table(meds: dict[tuple[str, bool], tuple[float, float, float]], names: list[str]) -> None:
    print()
    print(
        f"{'engine':<12} {'step ms':>9} {'fwd ms':>8} {'bwd ms':>8} {'x micro-style':>14} "
        f"{'x micrograd':>12} | {'gc off ms':>9} {'fwd ms':>8} {'bwd ms':>8} "
        f"{'x micro-style':>14} {'x micrograd':>12}"
    )
    for name in names:
        cells = []
        for collector in (True, False):
            t = meds.get((name, collector))
            if t is None:
                cells.append(" " * 66)
                continue
            b = meds.get(("micro-style", collector))
            m = meds.get(("micrograd", collector))
            ra = f"{b[0] / t[0]:.2f}x" if b else "-"
            rm = f"{m[0] / t[0]:.2f}x" if m else "-"
            bwd = f"{t[2] * 1e3:8.1f}" if t[2] else f"{'-':>8}"
            cells.append(f"{t[0] * 1e3:9.1f} {t[1] * 1e3:8.1f} {bwd} {ra:>14} {rm:>12}")
        print(f"{name:<12} {cells[0]} | {cells[1]}")
    print("(step = forward + backward + Adam; 'x' = how many times faster than that engine;")
    print(" compiled/jax: fwd = the whole loss-and-gradients call)")


def length_counts(docs: Sequence[str], vocab: Vocab, steps: int) -> list[int]:
    return [len(vocab.tokens(docs[k % len(docs)], BLOCK_SIZE)) - 1 for k in range(steps)]


def print_compile(
    trainer: Any, docs: Sequence[str], vocab: Vocab, steady: float, label: str
) -> None:
    secs = trainer.compile_seconds
    print()
    print(f"{label}: compile time per sequence length (first use of a length)")
    for n in sorted(secs):
        nodes = getattr(trainer.cache[n], "nodes", None)
        extra = f" {nodes:>8} nodes" if nodes is not None else ""
        print(f"  length {n:>2}: {secs[n]:7.2f} s{extra}")
    print(f"  steady state (cache warm): {steady * 1e3:.1f} ms/step")
    for horizon in (20, 100, 1000):
        lengths = set(length_counts(docs, vocab, horizon))
        missing = [n for n in lengths if n not in secs]
        total = sum(secs[n] for n in lengths if n in secs)
        note = f" (lengths {missing} not compiled: not counted)" if missing else ""
        amort = steady + total / horizon
        print(
            f"  over the first {horizon:>4} steps: {len(lengths):>2} lengths, "
            f"compile {total:6.1f} s, "
            f"{amort * 1e3:8.1f} ms/step amortised{note}"
        )


def child(name: str, start: int, steps: int, warm: int) -> None:
    """``--child``: time one engine in this fresh process, print the times as JSON."""
    docs = load_docs()
    trainer = make_trainer(name, Vocab.of(docs), BLOCK_SIZE)
    for k in range(warm):
        trainer.step(docs[(start - warm + k) % len(docs)])
    block = [docs[(start + i) % len(docs)] for i in range(steps)]
    print(
        json.dumps(
            {"on": time_block(trainer, block, True), "off": time_block(trainer, block, False)}
        )
    )


def run_isolated(
    names: Sequence[str], steps: int, repeat: int, start: int, warm: int
) -> dict[tuple[str, bool], tuple[float, float, float]]:
    """Each engine in a fresh process per repeat (only its own objects on the heap, as in
    a training script of its own); engines interleaved; medians."""
    results: dict[tuple[str, bool], list[tuple[float, float, float]]] = {}
    for r in range(repeat):
        for name in names:
            cmd = [sys.executable, __file__, "--child", name, "--steps", str(steps)]
            cmd += ["--child-start", str(start + r * steps), "--warm", str(warm)]
            out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
            got = json.loads(out.strip().splitlines()[-1])
            for collector, key in ((True, "on"), (False, "off")):
                results.setdefault((name, collector), []).append(tuple(got[key]))
    return {k: median3(v) for k, v in results.items()}


def warm_up(name: str, trainer: Any, doc: str, want: float) -> None:
    """One untimed step from the initial weights: its loss must be micro-style's."""
    got = trainer.step(doc).loss
    assert abs(got - want) <= 1e-9, f"{name}: first loss {got!r}, micro-style {want!r}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=3, help="training steps per timed block")
    parser.add_argument("--repeat", type=int, default=9, help="interleaved repeats (median)")
    parser.add_argument("--no-compile", action="store_true", help="skip autograd.compile")
    parser.add_argument("--no-torch", action="store_true", help="skip PyTorch")
    parser.add_argument(
        "--jax", action="store_true", help="also jax.jit (if installed; slow to compile)"
    )
    parser.add_argument(
        "--compile-lengths", default="all", help="'all' or e.g. '4,8': lengths to compile"
    )
    parser.add_argument(
        "--isolated",
        action="store_true",
        help="also time micro-style and chaingrad each in fresh processes",
    )
    parser.add_argument("--warm", type=int, default=12, help="warm-up steps per fresh process")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--child-start", type=int, default=1000, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child, args.child_start, args.steps, args.warm)
        return 0

    docs = load_docs()
    vocab = Vocab.of(docs)
    n_params = sum(len(r) for m in init_weights(vocab.size, BLOCK_SIZE).values() for r in m)
    lengths = length_counts(docs, vocab, len(docs))
    print(
        f"microgpt W6: {len(docs)} names, vocab {vocab.size}, {n_params} parameters, "
        f"n_embd {N_EMBD}, {N_HEAD} heads, block {BLOCK_SIZE}, mean length "
        f"{statistics.mean(lengths):.2f} positions; Python {sys.version.split()[0]}, "
        f"gc thresholds {gc.get_threshold()}"
    )
    first_loss = check_agreement(docs)[0][0]

    names = ["micro-style", "chaingrad", "micrograd"]
    trainers = {n: make_trainer(n, vocab, BLOCK_SIZE) for n in names}
    timed_docs = [docs[(1000 + i) % len(docs)] for i in range(args.steps * args.repeat)]
    comp = None
    if not args.no_compile:
        check_compiled(docs)
        comp = make_trainer("compiled", vocab, BLOCK_SIZE)
        if args.compile_lengths == "all":
            wanted = sorted(set(lengths))
        else:
            wanted = sorted({int(x) for x in args.compile_lengths.split(",")})
        for n in wanted:
            comp.function(n)
            print(
                f"  compiled length {n}: {comp.compile_seconds[n]:.2f} s, "
                f"{comp.cache[n].nodes} nodes",
                flush=True,
            )
        ok = all(len(vocab.tokens(d, BLOCK_SIZE)) - 1 in comp.cache for d in timed_docs)
        if ok:
            trainers["compiled"] = comp
            names.append("compiled")
        else:
            print("  (timed documents need lengths not compiled: compiled not timed)")
    for name, t in trainers.items():  # warm-up, and the same first loss as micro-style
        warm_up(name, t, docs[0], first_loss)
    t0 = time.perf_counter()
    res = run_timings(trainers, docs, args.steps, args.repeat, 1000)
    meds = {k: median3(v) for k, v in res.items()}
    print(f"(pure-Python engines timed in {time.perf_counter() - t0:.0f} s)")

    late: dict[str, Any] = {}
    if not args.no_torch:
        try:
            late["torch"] = make_trainer("torch", vocab, BLOCK_SIZE)
        except ImportError as e:
            print(f"torch skipped: {e}")
    jax_t = None
    if args.jax:
        try:
            jax_t = make_trainer("jax", vocab, BLOCK_SIZE)
        except ImportError:
            print("jax not installed: skipped")
    if jax_t is not None:
        for n in sorted({len(vocab.tokens(d, BLOCK_SIZE)) - 1 for d in timed_docs}):
            jax_t.function(n)
            print(f"  jax: jit of length {n}: {jax_t.compile_seconds[n]:.2f} s", flush=True)
        late["jax"] = jax_t
    if late:
        for name, t in late.items():
            warm_up(name, t, docs[0], first_loss)
        res2 = run_timings(late, docs, args.steps, args.repeat, 1000)
        meds.update({k: median3(v) for k, v in res2.items()})
        names.extend(late)
    print_table(meds, names)
    if args.isolated:
        solo = ["micro-style", "chaingrad"]
        print()
        print(f"each engine in a fresh process per repeat ({args.warm} warm-up steps each):")
        print_table(run_isolated(solo, args.steps, args.repeat, 1000, args.warm), solo)
    if comp is not None and ("compiled", True) in meds:
        print_compile(comp, docs, vocab, meds[("compiled", True)][0], "compiled chaingrad")
    if jax_t is not None:
        print_compile(jax_t, docs, vocab, meds[("jax", True)][0], "jax.jit")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
