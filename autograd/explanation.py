"""Watch the chain rule happen: step-by-step forward and backward tables, per-node checks,
and a self-contained interactive HTML page.

:func:`explain` returns an :class:`Explanation` of a graph: ``.forward`` (one step per
node, inputs before the nodes that use them) and ``.backward`` (one step per node, each
after every node that uses it, as the chain rule visits them: ``upstream gradient ·
local derivative``, one term per use and their sum at a node used more than once).
:func:`check_nodes` compares every node's gradient with a central difference obtained by
nudging that node alone and recomputing everything downstream of it.

Unlabelled intermediate results used once are written inside the formula of the node
that uses them, as lecture notes do (``f0 = beta0 + omega0·x``); when no intermediate
node has a name, every node gets its own step under a generated name (``v7``, the name
of its box in :func:`autograd.draw`'s DOT output).

>>> from autograd import Value
>>> apple, count, tax = Value(100, label="apple"), Value(2, label="count"), Value(1.1, label="tax")
>>> apples = apple * count
>>> apples.label = "apples"
>>> total = apples * tax
>>> total.label = "total"
>>> expl = explain(total)
>>> print(expl.forward[2].text)
apples = apple·count = 100·2 = 200
>>> print(expl.backward[-1].text)
∂total/∂count = ∂total/∂apples · ∂apples/∂count = 1.1 · 100 = 110
>>> list(round(s.value, 9) for s in expl.backward)
[1.0, 1.1, 200.0, 2.2, 110.0]
"""

from __future__ import annotations

import argparse
import html as _html
import json
import math
import os
import sys
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .engine import contributions, local_partials, topo_order
from .files import write_atomic
from .ops import data_of
from .value import Value

__all__ = [
    "Explanation",
    "NodeCheck",
    "Step",
    "Term",
    "add_explain_command",
    "check_nodes",
    "explain",
    "write_demo_pages",
]

LANGS = ("en", "ko")
#: an unnamed node nested deeper than this in a formula gets its own step (and name)
MAX_FOLD = 6

_WORDS: dict[str, dict[str, str]] = {
    "en": {
        "forward": "Forward pass",
        "backward": "Backward pass",
        "forward_note": "inputs first, each node after the nodes it uses",
        "backward_note": "∂{root}/∂node = Σ upstream gradient · local derivative, one term per use",
        "num": "#",
        "node": "node",
        "op": "op",
        "formula": "formula",
        "value": "value",
        "gradient": "gradient",
        "numeric": "numerical",
        "check": "check",
        "ok": "ok",
        "bad": "MISMATCH",
        "na": "n/a",
        "input": "input",
        "upstream": "upstream gradient",
        "local": "local derivative",
        "contribution": "contribution",
        "use": "use {i} of {n}",
        "prev": "◀ Prev",
        "next": "Next ▶",
        "play": "▶ Play",
        "pause": "❚❚ Pause",
        "keys": "← → keys step, space plays",
        "start": "Press Next (or →) to start the forward pass.",
        "title": "chaingrad: step by step",
        "suspect": "{name}: gradient {grad}, central difference {num}: suspect the partial "
        "derivative of {op!r} ({node}) for its input {i}",
    },
    "ko": {
        "forward": "순전파",
        "backward": "역전파",
        "forward_note": "입력부터, 각 노드는 그 노드가 쓰는 노드 다음에",
        "backward_note": "∂{root}/∂노드 = Σ 상류 기울기 · 국소 미분, 쓰인 곳마다 한 항",
        "num": "#",
        "node": "노드",
        "op": "연산",
        "formula": "식",
        "value": "값",
        "gradient": "기울기",
        "numeric": "수치 미분",
        "check": "검사",
        "ok": "일치",
        "bad": "불일치",
        "na": "없음",
        "input": "입력",
        "upstream": "상류 기울기",
        "local": "국소 미분",
        "contribution": "전달되는 기울기",
        "use": "{n}곳 중 {i}번째",
        "prev": "◀ 이전",
        "next": "다음 ▶",
        "play": "▶ 재생",
        "pause": "❚❚ 멈춤",
        "keys": "← → 키로 한 단계씩, 스페이스로 재생",
        "start": "다음(또는 →)을 누르면 순전파가 시작됩니다.",
        "title": "chaingrad: 한 단계씩",
        "suspect": "{name}: 기울기 {grad}, 수치 미분 {num}: 의심되는 곳은 연산 {op!r} "
        "({node})의 입력 {i}에 대한 국소 미분",
    },
}

# precedence of the formula pieces: + - < * / < unary minus < ** < atoms and calls
_PREC_ADD, _PREC_MUL, _PREC_NEG, _PREC_POW, _PREC_ATOM = 1, 2, 3, 4, 5
_BINARY = {"+": (" + ", _PREC_ADD), "-": (" - ", _PREC_ADD), "*": ("·", _PREC_MUL)}
_BINARY |= {"/": ("/", _PREC_MUL), "**": ("**", _PREC_POW)}


# ------------------------------------------------------------------------ step objects
@dataclass(frozen=True)
class Term:
    """One use of a node in the backward pass: what flows back along that use.

    ``consumer`` is the name of the node whose formula uses it; ``upstream`` is
    ∂root/∂consumer, ``partial`` the local derivative ∂consumer/∂node along this use
    and ``contribution`` the engine's ``partial * upstream`` for this use.
    ``edges`` are the drawn edges (``"v3->o5"``) this use runs along.
    """

    consumer: str
    upstream: float
    partial: float
    contribution: float
    edges: tuple[str, ...]


@dataclass(frozen=True)
class Step:
    """One row of a table: a node, the step kind, the formula text and its numbers.

    ``kind`` is ``"input"`` or ``"op"`` (forward), ``"seed"`` or ``"grad"`` (backward).
    ``symbolic`` and ``numeric`` are the two halves of the formula (``beta0 +
    omega0·x``, ``1 + 0.1·2.3``); ``text`` is the whole line; ``value`` the node's
    value (forward) or ∂root/∂node (backward). ``inputs`` are the names and values the
    formula uses (forward); ``terms`` one :class:`Term` per use (backward).
    ``numeric_grad`` and ``ok`` are set by ``check=True``.
    """

    index: int
    kind: str
    node: Value
    name: str
    op: str
    symbolic: str
    numeric: str
    text: str
    value: float
    inputs: tuple[tuple[str, float], ...] = ()
    terms: tuple[Term, ...] = ()
    numeric_grad: float | None = None
    ok: bool | None = None
    dot_nodes: tuple[str, ...] = ()
    dot_edges: tuple[str, ...] = ()

    @property
    def numbers(self) -> dict[str, float]:
        """The numbers of the step by name: its inputs (forward) or terms (backward)."""
        if self.inputs:
            return dict(self.inputs)
        return {t.consumer: t.contribution for t in self.terms}


@dataclass(frozen=True)
class NodeCheck:
    """The per-node check of one Value: its gradient against a central difference.

    ``culprit`` names the op whose local partial is suspect when this node disagrees
    while every node using it agrees (so the error enters exactly here).
    """

    node: Value
    name: str
    grad: float
    numeric: float | None
    ok: bool | None
    culprit: str | None = None
    suspects: tuple[tuple[str, str, int], ...] = ()  # (op, drawn node name, input number)


# ------------------------------------------------------------------ text helpers
def _width(text: str) -> int:
    """Terminal columns of ``text``: East Asian wide and fullwidth characters take two."""
    return sum(
        0
        if unicodedata.combining(c)
        else (2 if unicodedata.east_asian_width(c) in ("W", "F") else 1)
        for c in text
    )


def _pad(text: str, width: int, right: bool = False) -> str:
    fill = " " * max(0, width - _width(text))
    return fill + text if right else text + fill


def _table(headers: list[str], rows: list[list[str]], right: set[int]) -> list[str]:
    widths = [max(_width(r[i]) for r in [headers, *rows]) for i in range(len(headers))]

    def line(cells: list[str]) -> str:
        parts = [_pad(c, widths[i], i in right) for i, c in enumerate(cells)]
        return "  ".join(parts).rstrip()

    out = [line(headers), "  ".join("-" * w for w in widths)]
    out += [line(r) for r in rows]
    return out


def _fmt(x: float, precision: int) -> str:
    return format(x, f".{precision}g")


@dataclass
class _Expr:
    sym: str
    num: str
    prec: int  # precedence of the symbolic text
    nprec: int  # precedence of the numeric text (a negative number binds like unary minus)


def _number(x: float, precision: int) -> _Expr:
    text = _fmt(x, precision)
    prec = _PREC_NEG if text.startswith("-") else _PREC_ATOM
    return _Expr(text, text, prec, prec)


def _needs(child: int, op: str, prec: int, right: bool) -> bool:
    if op == "**":
        return child < _PREC_ATOM if right else child <= _PREC_POW
    if right:  # a - (b + c), a / (b·c), a + (-3)
        return child < prec or (child == prec and op in ("-", "/")) or child == _PREC_NEG
    return child < prec


def _par(text: str, need: bool) -> str:
    return f"({text})" if need else text


def _combine(op: str, args: list[_Expr]) -> _Expr:
    """The formula of ``op`` applied to ``args``, parenthesised only where needed."""
    if op in _BINARY and len(args) == 2:
        sep, prec = _BINARY[op]
        a, b = args
        sym = _par(a.sym, _needs(a.prec, op, prec, False)) + sep
        sym += _par(b.sym, _needs(b.prec, op, prec, True))
        num = _par(a.num, _needs(a.nprec, op, prec, False)) + sep
        # 2 + (-0.4·0.9463): a right operand whose numbers start with a minus sign
        minus = op != "**" and b.num.startswith("-")
        num += _par(b.num, minus or _needs(b.nprec, op, prec, True))
        return _Expr(sym, num, prec, prec)
    if op == "neg" and len(args) == 1:
        (a,) = args
        sym = "-" + _par(a.sym, a.prec < _PREC_POW)
        return _Expr(sym, "-" + _par(a.num, a.nprec < _PREC_POW), _PREC_NEG, _PREC_NEG)
    syms = ", ".join(a.sym for a in args)
    nums = ", ".join(a.num for a in args)
    return _Expr(f"{op}({syms})", f"{op}({nums})", _PREC_ATOM, _PREC_ATOM)


# ------------------------------------------------------------------ the explanation
def _ensure_backward(root: Value) -> None:
    """Backpropagate from ``root`` unless its gradient already shows a pass from it."""
    if not isinstance(root, Value):
        raise TypeError(f"explain: expected a Value, got {type(root).__name__}")
    if not root.is_leaf and data_of(root.grad) != 1.0:
        root.backward()


def _uses(order: list[Value]) -> dict[int, list[tuple[Value, int]]]:
    """For every Value, the (consumer, input position) pairs that use it."""
    uses: dict[int, list[tuple[Value, int]]] = {id(v): [] for v in order}
    for v in order:
        for j, p in enumerate(v.inputs):
            if isinstance(p, Value):
                uses[id(p)].append((v, j))
    return uses


class Explanation:
    """The forward and backward steps of a graph: tables, Markdown, an HTML stepper.

    Build it with :func:`explain`. ``str(expl)`` gives the two aligned tables,
    :meth:`to_markdown` the same as Markdown, :meth:`steps` every step object,
    :meth:`html` / :meth:`save` the interactive page. In Jupyter it shows the page.
    """

    def __init__(
        self,
        root: Value,
        *,
        names: Mapping[Value, str] | None = None,
        precision: int = 4,
        lang: str = "en",
        check: bool = False,
    ) -> None:
        if not isinstance(precision, int) or isinstance(precision, bool) or precision < 1:
            raise ValueError(f"explain: precision must be an int >= 1, got {precision!r}")
        if precision > 17:
            raise ValueError(f"explain: precision must be at most 17, got {precision!r}")
        if lang not in LANGS:
            raise ValueError(f"explain: lang must be one of {', '.join(LANGS)}, got {lang!r}")
        if names is not None and not isinstance(names, Mapping):
            raise TypeError(f"explain: names must map Values to str, got {type(names).__name__}")
        _ensure_backward(root)
        self.root = root
        self.precision = precision
        self.lang = lang
        self.checked = bool(check)
        self._words = _WORDS[lang]
        order = topo_order(root)
        self._order = order
        self._dot = {id(v): f"v{i}" for i, v in enumerate(order)}
        uses = _uses(order)
        self._uses = uses
        given = {id(v): n for v, n in (names or {}).items()}
        for v, n in (names or {}).items():
            if not isinstance(v, Value) or not isinstance(n, str) or not n:
                raise TypeError(
                    f"explain: names must map Values to non-empty str, got {v!r}: {n!r}"
                )
        interior_named = any(
            (v.label or id(v) in given) for v in order if not v.is_leaf and v is not root
        )
        named: dict[int, str] = {}
        depth: dict[int, int] = {}  # how deep the folded formula of each node nests
        for v in order:
            d = 1 + max((depth[id(p)] for p in v.parents), default=0)
            keep = (
                v is root
                or v.is_leaf
                or bool(v.label)
                or id(v) in given
                or len(uses[id(v)]) > 1
                or not interior_named
                or d > MAX_FOLD
            )
            depth[id(v)] = 0 if keep else d
            if keep:
                named[id(v)] = given.get(id(v)) or v.label or self._dot[id(v)]
        # two nodes may carry the same label: tell them apart by their drawn name
        counts: dict[str, int] = {}
        for n in named.values():
            counts[n] = counts.get(n, 0) + 1
        for k, n in list(named.items()):
            if counts[n] > 1:
                named[k] = f"{n}[{self._dot[k]}]"
        self._named = named
        self.forward: list[Step] = self._forward_steps()
        checks = {id(c.node): c for c in check_nodes(root, names=None)} if check else {}
        self._checks = checks
        self.backward: list[Step] = self._backward_steps(checks)

    # -------------------------------------------------------------- building steps
    def name(self, v: Value) -> str:
        """The name a Value has in this explanation (its folded formula if unnamed)."""
        n = self._named.get(id(v))
        return n if n is not None else self._expr(v).sym

    def _expr(self, v: Value) -> _Expr:
        n = self._named.get(id(v))
        if n is not None:
            num = _number(v.data, self.precision)
            return _Expr(n, num.num, _PREC_ATOM, num.nprec)
        return self._formula(v)

    def _formula(self, v: Value) -> _Expr:
        """``v``'s op applied to its inputs, unnamed single-use inputs written inline."""
        args = [
            self._expr(p) if isinstance(p, Value) else _number(p, self.precision) for p in v.inputs
        ]
        return _combine(v.op, args)

    def _folded(self, v: Value) -> list[Value]:
        """The unnamed nodes written inside ``v``'s formula, in reading order."""
        out: list[Value] = []
        stack = [p for p in reversed(v.inputs) if isinstance(p, Value)]
        while stack:
            p = stack.pop()
            if id(p) not in self._named:
                out.append(p)
                stack.extend(q for q in reversed(p.inputs) if isinstance(q, Value))
        return out

    def _leaf_inputs(self, v: Value) -> list[Value]:
        """The named nodes ``v``'s formula reads, in the order they appear."""
        out: list[Value] = []
        for p in v.inputs:
            if not isinstance(p, Value):
                continue
            if id(p) in self._named:
                if all(p is not q for q in out):
                    out.append(p)
            else:
                out.extend(q for q in self._leaf_inputs(p) if all(q is not r for r in out))
        return out

    def _forward_steps(self) -> list[Step]:
        steps: list[Step] = []
        done: set[int] = set()
        p = self.precision

        def add_input(v: Value) -> None:
            name = self._named[id(v)]
            num = _fmt(v.data, p)
            dot = self._dot[id(v)]
            steps.append(
                Step(
                    len(steps) + 1,
                    "input",
                    v,
                    name,
                    "",
                    name,
                    num,
                    f"{name} = {num}",
                    v.data,
                    dot_nodes=(dot,),
                )
            )
            done.add(id(v))

        for v in self._order:
            if id(v) not in self._named or v.is_leaf:
                continue
            ins = self._leaf_inputs(v)
            for q in ins:
                if q.is_leaf and id(q) not in done:
                    add_input(q)
            name = self._named[id(v)]
            e = self._formula(v)
            folded = self._folded(v)
            value = _fmt(v.data, p)
            text = f"{name} = {e.sym} = {e.num} = {value}"
            if e.num == value:
                text = f"{name} = {e.sym} = {value}"
            dot_nodes = [self._dot[id(v)], f"o{self._dot[id(v)][1:]}"]
            edges = [
                f"{self._dot[id(q)]}->o{self._dot[id(w)][1:]}"
                for w in [v, *folded]
                for q in w.parents
            ]
            edges += [f"o{self._dot[id(w)][1:]}->{self._dot[id(w)]}" for w in [v, *folded]]
            for w in folded:
                dot_nodes += [self._dot[id(w)], f"o{self._dot[id(w)][1:]}"]
            steps.append(
                Step(
                    len(steps) + 1,
                    "op",
                    v,
                    name,
                    self._op_text(v),
                    e.sym,
                    e.num,
                    text,
                    v.data,
                    inputs=tuple((self._named[id(q)], q.data) for q in ins),
                    dot_nodes=tuple(dot_nodes),
                    dot_edges=tuple(edges),
                )
            )
            done.add(id(v))
        for v in self._order:  # a graph that is a single leaf
            if v.is_leaf and id(v) not in done:
                add_input(v)
        return steps

    def _op_text(self, v: Value) -> str:
        ops = [v.op] + [w.op for w in self._folded(v)]
        return " ".join(dict.fromkeys(ops))

    def _terms(self, v: Value) -> list[Term]:
        """One term per use of the named node ``v`` by a named node's formula."""
        terms: list[Term] = []
        for consumer, j in self._uses[id(v)]:
            partial = _partial(consumer, j)
            contribution = _contribution(consumer, j)
            edges = [f"{self._dot[id(v)]}->o{self._dot[id(consumer)][1:]}"]
            w = consumer
            while id(w) not in self._named:  # walk up through folded nodes
                edges.append(f"o{self._dot[id(w)][1:]}->{self._dot[id(w)]}")
                (up, k), *_ = self._uses[id(w)]
                partial *= _partial(up, k)
                edges.append(f"{self._dot[id(w)]}->o{self._dot[id(up)][1:]}")
                w = up
            edges.append(f"o{self._dot[id(w)][1:]}->{self._dot[id(w)]}")
            terms.append(
                Term(
                    self._named[id(w)], float(data_of(w.grad)), partial, contribution, tuple(edges)
                )
            )
        return terms

    def _backward_order(self) -> list[Value]:
        """Named nodes, each once every named node using it is done (breadth first)."""
        named = [v for v in self._order if id(v) in self._named]
        consumers: dict[int, set[int]] = {id(v): set() for v in named}
        for v in named:
            for t in self._terms_consumers(v):
                consumers[id(v)].add(t)
        remaining = {k: len(c) for k, c in consumers.items()}
        out: list[Value] = []
        queue = [self.root]
        seen = {id(self.root)}
        while queue:
            v = queue.pop(0)
            out.append(v)
            for q in self._leaf_inputs(v):
                remaining[id(q)] -= 1
                if remaining[id(q)] == 0 and id(q) not in seen:
                    seen.add(id(q))
                    queue.append(q)
        return out

    def _terms_consumers(self, v: Value) -> set[int]:
        out: set[int] = set()
        for consumer, _ in self._uses[id(v)]:
            w = consumer
            while id(w) not in self._named:
                w = self._uses[id(w)][0][0]
            out.add(id(w))
        return out

    def _backward_steps(self, checks: Mapping[int, NodeCheck]) -> list[Step]:
        steps: list[Step] = []
        p = self.precision
        r = self._named[id(self.root)]
        for v in self._backward_order():
            name = self._named[id(v)]
            grad_name = f"∂{r}/∂{name}"
            dot = self._dot[id(v)]
            c = checks.get(id(v))
            extra: dict[str, Any] = {}
            if c is not None:
                extra = {"numeric_grad": c.numeric, "ok": c.ok}
            if v is self.root:
                steps.append(
                    Step(
                        len(steps) + 1,
                        "seed",
                        v,
                        name,
                        v.op,
                        grad_name,
                        "1",
                        f"{grad_name} = 1",
                        1.0,
                        dot_nodes=(dot,),
                        **extra,
                    )
                )
                continue
            terms = self._terms(v)
            total = math.fsum(t.contribution for t in terms)
            syms = [f"∂{r}/∂{t.consumer} · ∂{t.consumer}/∂{name}" for t in terms]
            nums = [f"{_fmt(t.upstream, p)} · {_paren(_fmt(t.partial, p))}" for t in terms]
            sym = " + ".join(syms)
            num = " + ".join(nums)
            text = f"{grad_name} = {sym} = {num}"
            if len(terms) > 1:
                text += " = " + " + ".join(_paren(_fmt(t.contribution, p)) for t in terms)
            text += f" = {_fmt(total, p)}"
            edges = tuple(e for t in terms for e in t.edges)
            steps.append(
                Step(
                    len(steps) + 1,
                    "grad",
                    v,
                    name,
                    v.op,
                    sym,
                    num,
                    text,
                    total,
                    terms=tuple(terms),
                    dot_nodes=(dot,),
                    dot_edges=edges,
                    **extra,
                )
            )
        return steps

    # ------------------------------------------------------------------ outputs
    def steps(self) -> Iterator[Step]:
        """Every step: the forward pass, then the backward pass."""
        yield from self.forward
        yield from self.backward

    def _rows(self) -> tuple[list[str], list[list[str]], list[str], list[list[str]]]:
        w = self._words
        p = self.precision
        fh = [w["num"], w["node"], w["formula"], w["value"]]
        frows = [[str(s.index), s.name, s.text, _fmt(s.value, p)] for s in self.forward]
        bh = [w["num"], w["node"], f"{w['upstream']} · {w['local']}", w["gradient"]]
        if self.checked:
            bh += [w["numeric"], w["check"]]
        brows = []
        for s in self.backward:
            row = [str(s.index), s.name, s.text, _fmt(s.value, p)]
            if self.checked:
                num = w["na"] if s.numeric_grad is None else _fmt(s.numeric_grad, p)
                ok = w["na"] if s.ok is None else (w["ok"] if s.ok else w["bad"])
                row += [num, ok]
            brows.append(row)
        return fh, frows, bh, brows

    def _notes(self) -> list[str]:
        w = self._words
        out = []
        for c in self._checks.values():
            for op, node, i in c.suspects:
                name = self._named.get(id(c.node)) or c.name
                num = _fmt(c.numeric or 0.0, 6)
                out.append(
                    w["suspect"].format(
                        name=name, grad=_fmt(c.grad, 6), num=num, op=op, node=node, i=i
                    )
                )
        return out

    def __str__(self) -> str:
        w = self._words
        fh, frows, bh, brows = self._rows()
        root = self._named[id(self.root)]
        lines = [f"{w['forward']} ({w['forward_note']})"]
        lines += _table(fh, frows, {0, 3})
        lines += ["", f"{w['backward']} ({w['backward_note'].format(root=root)})"]
        lines += _table(bh, brows, {0, 3, 4} if self.checked else {0, 3})
        lines += self._notes()
        return "\n".join(lines)

    def __repr__(self) -> str:
        return (
            f"<Explanation of {self._named[id(self.root)]!r}: {len(self.forward)} forward "
            f"steps, {len(self.backward)} backward steps>"
        )

    def _repr_pretty_(self, p: Any, cycle: bool) -> None:
        p.text(str(self))

    def to_markdown(self) -> str:
        """Both tables as GitHub-flavoured Markdown."""
        w = self._words
        fh, frows, bh, brows = self._rows()
        root = self._named[id(self.root)]

        def md(headers: list[str], rows: list[list[str]]) -> list[str]:
            def cell(c: str) -> str:
                return c.replace("|", "\\|")

            out = ["| " + " | ".join(cell(h) for h in headers) + " |"]
            out.append("|" + "|".join("---" for _ in headers) + "|")
            out += ["| " + " | ".join(cell(c) for c in r) + " |" for r in rows]
            return out

        lines = [f"### {w['forward']}", "", f"{w['forward_note']}", ""]
        lines += md(fh, frows)
        lines += ["", f"### {w['backward']}", "", w["backward_note"].format(root=root), ""]
        lines += md(bh, brows)
        notes = self._notes()
        if notes:
            lines += ["", *notes]
        return "\n".join(lines) + "\n"

    # --------------------------------------------------------------------- the page
    def page_steps(self) -> list[dict[str, Any]]:
        """The steps of the HTML page, as the page's script receives them (JSON-ready).

        Forward: one per forward step. Backward: one per use of each node (its edge
        lights up with ``partial \u00d7 upstream = contribution``); the node's gradient
        fills in with the last of its uses.
        """
        p = self.precision
        w = self._words
        out: list[dict[str, Any]] = []
        nf = len(self.forward)
        for s in self.forward:
            out.append(
                {
                    "phase": "forward",
                    "label": f"{w['forward']} {s.index}/{nf}",
                    "formula": s.text,
                    "lit": list(s.dot_nodes),
                    "litEdges": list(s.dot_edges),
                    "showData": [n for n in s.dot_nodes if n.startswith("v")],
                    "showGrad": [],
                    "edgeLabels": [],
                    "node": self._dot[id(s.node)],
                    "value": _fmt(s.value, p),
                }
            )
        nb = len(self.backward)
        shown: set[str] = set()
        for s in self.backward:
            dot = self._dot[id(s.node)]
            label = f"{w['backward']} {s.index}/{nb}"
            if not s.terms:
                out.append(
                    {
                        "phase": "backward",
                        "label": label,
                        "formula": s.text,
                        "lit": [dot],
                        "litEdges": [],
                        "showData": [],
                        "showGrad": [dot],
                        "edgeLabels": [],
                        "node": dot,
                        "value": _fmt(s.value, p),
                    }
                )
                continue
            n = len(s.terms)
            r = self._named[id(self.root)]
            for i, t in enumerate(s.terms, 1):
                last = i == n
                # folded nodes along this use get their grad when the first use passes
                passing = [e.split("->")[1] for e in t.edges]
                newly = [
                    x
                    for x in passing
                    if x.startswith("v") and x not in shown and x != self._dot_of_name(t.consumer)
                ]
                shown.update(newly)
                text = (
                    f"{_paren(_fmt(t.partial, p))} \u00d7 {_paren(_fmt(t.upstream, p))} = "
                    f"{_fmt(t.contribution, p)}"
                )
                formula = (
                    s.text
                    if last
                    else (
                        f"∂{r}/∂{s.name} ← ∂{r}/∂{t.consumer} · ∂{t.consumer}/∂{s.name} = "
                        f"{_fmt(t.upstream, p)} · {_paren(_fmt(t.partial, p))} = "
                        f"{_fmt(t.contribution, p)} ({w['use'].format(i=i, n=n)})"
                    )
                )
                out.append(
                    {
                        "phase": "backward",
                        "label": f"{label}" + (f" ({w['use'].format(i=i, n=n)})" if n > 1 else ""),
                        "formula": formula,
                        "lit": [dot],
                        "litEdges": list(t.edges),
                        "showData": [],
                        "showGrad": ([dot] if last else []) + [x for x in newly if x != dot],
                        "edgeLabels": [
                            {"edge": t.edges[0], "text": text, "short": _fmt(t.contribution, p)}
                        ],
                        "node": dot,
                        "value": _fmt(s.value, p) if last else "",
                    }
                )
        return out

    def _dot_of_name(self, name: str) -> str:
        for k, n in self._named.items():
            if n == name:
                return self._dot[k]
        return ""

    def html(self) -> str:
        """The interactive page: one self-contained HTML document (nothing to download)."""
        from .graph import draw

        svg = draw(self.root, precision=self.precision).svg()
        start = svg.find("<svg")
        svg = svg[start:] if start >= 0 else svg
        return _page(self, svg)

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the page (:meth:`html`) to ``path`` (``.html`` or ``.htm``) atomically."""
        if Path(path).suffix.lower() not in (".html", ".htm"):
            raise ValueError(f"save: file name must end in .html, got {str(path)!r}")
        return write_atomic(path, self.html())

    def _repr_html_(self) -> str | None:
        from .render import RendererUnavailable

        try:
            page = self.html()
        except RendererUnavailable:
            return None  # Jupyter falls back to the text tables
        return (
            f'<iframe srcdoc="{_html.escape(page, quote=True)}" '
            'style="width:100%;height:640px;border:1px solid #ddd" '
            'sandbox="allow-scripts"></iframe>'
        )


def _paren(text: str) -> str:
    return f"({text})" if text.startswith("-") else text


def _partial(consumer: Value, j: int) -> float:
    d = local_partials(consumer)[j]
    assert d is not None  # only Value inputs are asked for
    return d


def _contribution(consumer: Value, j: int) -> float:
    c = contributions(consumer)[j]
    assert c is not None
    return c


def explain(
    root: Value,
    *,
    names: Mapping[Value, str] | None = None,
    precision: int = 4,
    lang: str = "en",
    check: bool = False,
) -> Explanation:
    """Explain ``root``'s graph step by step (backpropagating first if not done).

    "Done" means ``root.grad`` is 1, as after ``root.backward()``; otherwise
    ``root.backward()`` runs first (leaves accumulate, as with any backward). The tables
    show this backward pass: a leaf's value is the sum of its terms.

    ``names`` maps Values to the names used in the formulas (default: each Value's
    label, else ``v<i>``, the name of its box in the drawing); ``precision`` is the
    number of significant digits shown; ``lang`` is ``"en"`` or ``"ko"``; ``check``
    adds each node's numerical derivative (see :func:`check_nodes`).

    >>> from autograd import Value
    >>> x, y = Value(3.0, label="x"), Value(5.0, label="y")
    >>> q = x * y
    >>> q.label = "q"
    >>> f = q + x
    >>> f.label = "f"
    >>> print(explain(f).backward[-2].text)
    ∂f/∂x = ∂f/∂q · ∂q/∂x + ∂f/∂f · ∂f/∂x = 1 · 5 + 1 · 1 = 5 + 1 = 6
    """
    return Explanation(root, names=names, precision=precision, lang=lang, check=check)


# ------------------------------------------------------------------ per-node check
def _downstream(order: list[Value], index: dict[int, int], uses: Any, start: int) -> list[int]:
    """Indices of the nodes that depend on node ``start``, in topological order."""
    hit: set[int] = set()
    stack = [order[start]]
    while stack:
        v = stack.pop()
        for c, _ in uses[id(v)]:
            k = index[id(c)]
            if k not in hit:
                hit.add(k)
                stack.append(c)
    return sorted(hit)


def _recompute(
    order: list[Value], index: dict[int, int], start: int, x: float, down: list[int]
) -> float:
    """The root's value with node ``start`` set to ``x``, from the op table on floats."""
    vals = {start: x}
    for i in down:
        v = order[i]
        args = [(vals.get(index[id(p)], p.data) if isinstance(p, Value) else p) for p in v.inputs]
        op = v._op
        assert op is not None
        vals[i] = op.forward(*args)
    return vals[len(order) - 1]


def check_nodes(
    root: Value,
    *,
    eps: float = 1e-6,
    rtol: float = 1e-4,
    atol: float = 1e-6,
    names: Mapping[Value, str] | None = None,
) -> list[NodeCheck]:
    """Check every node's ∂root/∂node against a central difference (backprops if needed).

    Each node in turn is nudged by ``±eps·max(1, |value|)`` while every other node
    keeps its value; everything downstream of it is recomputed with the op table's
    forward functions. A node passes when ``|grad - numeric| <= atol + rtol·max(|grad|,
    |numeric|)``. When a node fails while every node using it passes, the op that
    uses it has a wrong local partial: ``culprit`` names it.

    >>> from autograd import Value, defop
    >>> bad = defop("bad_square", lambda a: a * a, lambda a, out: (a,))  # should be 2a
    >>> x = Value(3.0, label="x")
    >>> y = bad(x) + 1
    >>> {c.name: c.ok for c in check_nodes(y)}
    {'x': False, 'v1': True, 'v2': True}
    >>> print(check_nodes(y)[0].culprit)  # doctest: +NORMALIZE_WHITESPACE
    x: gradient 3, central difference 6: suspect the partial derivative of
    'bad_square' (v1) for its input 1
    """
    _ensure_backward(root)
    order = topo_order(root)
    given = {id(v): n for v, n in (names or {}).items()}
    uses = _uses(order)
    index = {id(v): i for i, v in enumerate(order)}
    last = len(order) - 1
    grads: dict[int, float] = {}
    for v in order:
        if v is root:
            grads[id(v)] = 1.0
        else:
            grads[id(v)] = math.fsum(_contribution(c, j) for c, j in uses[id(v)])
    results: dict[int, NodeCheck] = {}
    numeric: dict[int, float | None] = {}
    for i, v in enumerate(order):
        down = _downstream(order, index, uses, i)
        h = eps * max(1.0, abs(v.data))
        try:
            if i == last:
                num: float | None = 1.0
            elif last not in down:
                num = 0.0
            else:
                hi = _recompute(order, index, i, v.data + h, down)
                lo = _recompute(order, index, i, v.data - h, down)
                num = (hi - lo) / (2.0 * h)
                if not math.isfinite(num):
                    num = None
        except (ValueError, ArithmeticError):
            num = None
        numeric[id(v)] = num
    ok: dict[int, bool | None] = {}
    for v in order:
        n = numeric[id(v)]
        g = grads[id(v)]
        ok[id(v)] = None if n is None else abs(g - n) <= atol + rtol * max(abs(g), abs(n))
    for i, v in enumerate(order):
        name = given.get(id(v)) or v.label or f"v{i}"
        culprit = None
        suspects: tuple[tuple[str, str, int], ...] = ()
        if ok[id(v)] is False and all(ok[id(c)] is not False for c, _ in uses[id(v)]):
            suspects = tuple((c.op, f"v{index[id(c)]}", j + 1) for c, j in uses[id(v)])
            texts = [
                f"the partial derivative of {op!r} ({node}) for its input {i}"
                for op, node, i in suspects
            ]
            culprit = (
                f"{name}: gradient {_fmt(grads[id(v)], 6)}, central difference "
                f"{_fmt(numeric[id(v)] or 0.0, 6)}: suspect {' or '.join(texts)}"
            )
        results[id(v)] = NodeCheck(
            v, name, grads[id(v)], numeric[id(v)], ok[id(v)], culprit, suspects
        )
    return [results[id(v)] for v in order]


# ------------------------------------------------------------------ the page
_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI","Noto Sans KR","Malgun Gothic",
sans-serif;margin:16px;color:#222;background:#fff}
h1{font-size:18px;margin:0 0 8px}
#graph{overflow:auto;border:1px solid #ddd;border-radius:6px;padding:8px;background:#fff}
#graph svg{max-width:none;height:auto}
#bar{margin:10px 0;display:flex;gap:8px;align-items:center;flex-wrap:wrap}
button{font-size:15px;padding:6px 14px;border-radius:6px;border:1px solid #888;
background:#f6f6f6;cursor:pointer}
button:disabled{opacity:.45;cursor:default}
#counter{font-weight:600;min-width:12em}
#hint{color:#777;font-size:13px}
#formula{font-family:"DejaVu Sans Mono",Menlo,Consolas,monospace;font-size:17px;
padding:10px 12px;background:#fbf7e9;border-left:4px solid #e0a800;border-radius:4px;
min-height:1.4em;white-space:pre-wrap}
.cg-hidden{visibility:hidden}
.node.cg-lit path,.node.cg-lit ellipse,.node.cg-lit polygon{stroke:#e67e22;stroke-width:3}
.node.cg-done path,.node.cg-done ellipse{stroke:#2e86c1;stroke-width:1.6}
.edge.cg-lit path{stroke:#e67e22;stroke-width:3}
.edge.cg-lit polygon{stroke:#e67e22;fill:#e67e22}
.node.cg-lit text{font-weight:bold}
text.cg-elabel{font-family:Helvetica,Arial,sans-serif;font-size:10px;fill:#c0392b;
paint-order:stroke;stroke:#fff;stroke-width:3px}
text.cg-elabel.cg-current{font-size:13px;font-weight:bold;stroke-width:0}
rect.cg-card{fill:#fff;stroke:#c0392b;stroke-width:1}
"""

_JS = r"""
(function(){
"use strict";
var STEPS = JSON.parse(document.getElementById("cg-steps").textContent);
var WORDS = JSON.parse(document.getElementById("cg-words").textContent);
var svg = document.querySelector("#graph svg");
var byTitle = {};
Array.prototype.forEach.call(svg.querySelectorAll("g.node, g.edge"), function(g){
  var t = g.querySelector("title"); if (!t) return;
  var key = t.textContent.trim();
  (byTitle[key] = byTitle[key] || []).push(g);
});
function els(name){ return byTitle[name] || []; }
function texts(name, prefix){
  var out = [];
  els(name).forEach(function(g){
    Array.prototype.forEach.call(g.querySelectorAll("text"), function(t){
      if (t.textContent.indexOf(prefix) === 0) out.push(t);
    });
  });
  return out;
}
var dataTexts = [], gradTexts = [];
Object.keys(byTitle).forEach(function(k){
  if (k.charAt(0) !== "v" || k.indexOf("->") >= 0) return;
  texts(k, "data ").forEach(function(t){ dataTexts.push(t); });
  texts(k, "grad ").forEach(function(t){ gradTexts.push(t); });
});
function show(ts){ ts.forEach(function(t){ t.classList.remove("cg-hidden"); }); }
function mark(gs, cls){
  gs.forEach(function(g){ g.classList.remove("cg-done"); g.classList.add(cls); });
}
var labels = [];
function edgeLabel(name, text, current){
  var g = els(name)[0]; if (!g) return;
  var path = g.querySelector("path"); if (!path) return;
  var L = path.getTotalLength(), pt = path.getPointAtLength(L / 2);
  var t = document.createElementNS("http://www.w3.org/2000/svg", "text");
  t.setAttribute("x", pt.x); t.setAttribute("y", pt.y - (current ? 9 : 4));
  t.setAttribute("text-anchor", "middle");
  t.setAttribute("class", "cg-elabel" + (current ? " cg-current" : ""));
  t.setAttribute("data-edge", name);
  t.textContent = text;
  g.parentNode.appendChild(t); labels.push(t);
  if (current){  // a white card under the current label keeps it legible over boxes
    var b = t.getBBox();
    var r = document.createElementNS("http://www.w3.org/2000/svg", "rect");
    r.setAttribute("x", b.x - 3); r.setAttribute("y", b.y - 1);
    r.setAttribute("width", b.width + 6); r.setAttribute("height", b.height + 2);
    r.setAttribute("rx", 3); r.setAttribute("class", "cg-card");
    g.parentNode.insertBefore(r, t); labels.push(r);
    dodge(t, r);
  } else {
    dodge(t, t);
  }
}
function overlaps(a, b){
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}
function dodge(t, r){  // move the label (and its card) until it covers no box
  var boxes = Array.prototype.map.call(svg.querySelectorAll("g.node"), function(g){
    return g.getBBox(); });
  labels.forEach(function(l){ if (l !== t && l !== r) boxes.push(l.getBBox()); });
  var area = svg.querySelector("g.graph > polygon").getBBox();
  var x0 = Number(t.getAttribute("x")), y0 = Number(t.getAttribute("y"));
  var rx0 = Number(r.getAttribute("x")), ry0 = Number(r.getAttribute("y"));
  function place(dx, dy){
    t.setAttribute("x", x0 + dx); t.setAttribute("y", y0 + dy);
    if (r !== t){ r.setAttribute("x", rx0 + dx); r.setAttribute("y", ry0 + dy); }
  }
  var shifts = [0, 40, -40, 80, -80];
  for (var k = 0; k < 50; k++){
    var dy = (k % 2 ? 1 : -1) * 2 * Math.ceil(k / 2);
    for (var j = 0; j < shifts.length; j++){
      place(shifts[j], dy);
      var b = r.getBBox();
      var inside = b.x >= area.x && b.y >= area.y && b.x + b.width <= area.x + area.width &&
        b.y + b.height <= area.y + area.height;
      if (inside && !boxes.some(function(n){ return overlaps(b, n); })) return;
    }
  }
  place(0, 0);
}
function pad(top){  // room above the graph for the labels
  var vb = svg.getAttribute("viewBox").split(/[ ,]+/).map(Number);
  svg.setAttribute("viewBox", [vb[0], vb[1] - top, vb[2], vb[3] + top].join(" "));
  var h = svg.getAttribute("height");
  if (h) svg.setAttribute("height", (parseFloat(h) + top) + "pt");
  var bg = svg.querySelector("g.graph > polygon");
  if (bg){
    var pts = bg.getAttribute("points").split(" ").map(function(p){
      return p.split(",").map(Number); });
    var ys = pts.map(function(p){ return p[1]; }), top0 = Math.min.apply(null, ys);
    bg.setAttribute("points", pts.map(function(p){
      return p[0] + "," + (p[1] === top0 ? p[1] - top : p[1]); }).join(" "));
  }
}
pad(24);
var pos = -1, timer = null;
var prev = document.getElementById("prev"), next = document.getElementById("next");
var play = document.getElementById("play");
function render(){
  dataTexts.forEach(function(t){ t.classList.add("cg-hidden"); });
  gradTexts.forEach(function(t){ t.classList.add("cg-hidden"); });
  labels.forEach(function(t){ t.parentNode.removeChild(t); }); labels = [];
  Array.prototype.forEach.call(svg.querySelectorAll(".cg-lit, .cg-done"), function(g){
    g.classList.remove("cg-lit"); g.classList.remove("cg-done");
  });
  for (var i = 0; i <= pos; i++){
    var s = STEPS[i], cur = (i === pos);
    s.showData.forEach(function(n){ show(texts(n, "data ")); });
    s.showGrad.forEach(function(n){ show(texts(n, "grad ")); });
    s.edgeLabels.forEach(function(e){ edgeLabel(e.edge, cur ? e.text : e.short, cur); });
    if (!cur) s.lit.forEach(function(n){ mark(els(n), "cg-done"); });
  }
  var s = STEPS[pos];
  if (s){
    s.lit.forEach(function(n){ mark(els(n), "cg-lit"); });
    s.litEdges.forEach(function(n){ mark(els(n), "cg-lit"); });
    var first = els(s.lit[0])[0], box = document.getElementById("graph");
    if (first){  // keep the current node in view: scroll the graph, not the page
      var r = first.getBoundingClientRect(), c = box.getBoundingClientRect();
      box.scrollLeft += (r.left + r.width / 2) - (c.left + c.width / 2);
    }
  }
  document.getElementById("formula").textContent = s ? s.formula : WORDS.start;
  document.getElementById("counter").textContent = s ? s.label : "";
  document.body.setAttribute("data-step", String(pos));
  document.body.setAttribute("data-phase", s ? s.phase : "start");
  prev.disabled = pos < 0; next.disabled = pos >= STEPS.length - 1;
}
function go(k){
  if (k < -1 || k > STEPS.length - 1) return;
  pos = k; render();
}
function stop(){ if (timer){ clearInterval(timer); timer = null; } play.textContent = WORDS.play; }
function toggle(){
  if (timer){ stop(); return; }
  if (pos >= STEPS.length - 1) go(-1);
  play.textContent = WORDS.pause;
  timer = setInterval(function(){ if (pos >= STEPS.length - 1) stop(); else go(pos + 1); }, 1100);
}
prev.addEventListener("click", function(){ stop(); go(pos - 1); });
next.addEventListener("click", function(){ stop(); go(pos + 1); });
play.addEventListener("click", toggle);
document.addEventListener("keydown", function(e){
  if (e.key === "ArrowRight"){ stop(); go(pos + 1); e.preventDefault(); }
  else if (e.key === "ArrowLeft"){ stop(); go(pos - 1); e.preventDefault(); }
  else if (e.key === " "){ toggle(); e.preventDefault(); }
});
render();
})();
"""


def _json_script(data: Any) -> str:
    # JSON inside <script type="application/json">: escape "<" so "</script>" cannot occur
    return json.dumps(data, ensure_ascii=False).replace("<", "\\u003c")


def _page(expl: Explanation, svg: str) -> str:
    w = expl._words
    root = expl._named[id(expl.root)]
    steps = expl.page_steps()
    words = {"play": w["play"], "pause": w["pause"], "start": w["start"]}
    title = f"{w['title']}: {root}"
    tables = _html.escape(str(expl))
    return f"""<!DOCTYPE html>
<html lang="{expl.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_html.escape(title)}</title>
<style>{_CSS}</style>
</head>
<body data-step="-1" data-phase="start">
<h1>{_html.escape(title)}</h1>
<div id="graph">{svg}</div>
<div id="bar">
<button id="prev" type="button">{_html.escape(w["prev"])}</button>
<button id="next" type="button">{_html.escape(w["next"])}</button>
<button id="play" type="button">{_html.escape(w["play"])}</button>
<span id="counter"></span>
<span id="hint">{_html.escape(w["keys"])}</span>
</div>
<div id="formula"></div>
<details><summary>{_html.escape(w["forward"])} / {_html.escape(w["backward"])}</summary>
<pre>{tables}</pre></details>
<script type="application/json" id="cg-steps">{_json_script(steps)}</script>
<script type="application/json" id="cg-words">{_json_script(words)}</script>
<script>{_JS}</script>
</body>
</html>
"""


# ------------------------------------------------------------------ command line
def _example_names() -> list[str]:
    from .examples import EXAMPLES

    return list(EXAMPLES)


def add_explain_command(sub: Any, common: Mapping[str, Any]) -> None:
    """Add ``chaingrad explain`` to the CLI's subparsers (called by ``build_parser``)."""
    p = sub.add_parser(
        "explain",
        help="print the forward and backward steps of an expression or example",
        description="Print the forward pass and the backward pass (chain rule) step by step "
        "for EXPR at --at (same expressions as 'graph'), or for a worked example by name "
        f"({', '.join(_example_names())}); --html writes the interactive page. "
        'Example: chaingrad explain "(x + y)**2" --at x=1,y=2 --check',
        **common,
    )
    p.add_argument("expr", metavar="EXPR|EXAMPLE", help="the expression, quoted, or an example")
    p.add_argument("--at", metavar="x=1.5,y=2", help="the variables' values")
    p.add_argument("--check", action="store_true", help="numerical check of every node")
    p.add_argument("--html", metavar="FILE", help="also write the interactive page (.html)")
    p.add_argument("--lang", choices=LANGS, default="en", help="language of the tables")
    p.add_argument("--precision", type=int, default=4, help="significant digits (default 4)")
    p.set_defaults(func=_cmd_explain)


def _usage(message: str) -> int:
    print(f"chaingrad: error: {message}", file=sys.stderr)
    return 2


def _cmd_explain(args: argparse.Namespace) -> int:
    from .examples import EXAMPLES
    from .expr import ExpressionError, build_graph, parse_at

    if not 1 <= args.precision <= 17:
        return _usage(f"--precision must be from 1 to 17, got {args.precision}")
    if args.html is not None and Path(args.html).suffix.lower() not in (".html", ".htm"):
        return _usage(f"--html: file name must end in .html, got {args.html!r}")
    variables: dict[str, Value] = {}
    if args.expr in EXAMPLES and args.at is None:
        root = EXAMPLES[args.expr]().root
    else:
        try:
            at = parse_at(args.at) if args.at is not None else {}
            built = build_graph(args.expr, at)
        except ExpressionError as exc:
            return _usage(str(exc))
        root, variables = built.root, built.variables
    names = {root: "f"} if not root.label and "f" not in variables else None  # ∂f/∂x
    expl = explain(root, names=names, precision=args.precision, lang=args.lang, check=args.check)
    page = expl.html() if args.html is not None else None  # render before printing
    print(expl)
    if page is not None:
        print(f"wrote {write_atomic(args.html, page)}")
    return 0


def write_demo_pages(out: str | os.PathLike[str], lang: str = "en") -> list[Path]:
    """Write ``apple_price.html`` and ``toy_model.html`` into ``out`` (for ``chaingrad demo``)."""
    from .examples import EXAMPLES

    paths = []
    for name in ("apple_price", "toy_model"):
        paths.append(explain(EXAMPLES[name]().root, lang=lang).save(Path(out) / f"{name}.html"))
    return paths
