"""Drawing a computation graph: a graphviz.Digraph, DOT text, SVG, PNG, files, Jupyter.

:func:`draw` returns a :class:`Graph`. Each Value is a box showing its label (when
set), data and grad; each op is a small separate ellipse named by the op table, with
constants written into it and a placeholder ``□`` for each Value input (``□ * 1.1``,
``1 / □``, ``□ - 2``). Leaves, interior nodes and the root have different fill colours.
The graph is built with the ``graphviz`` package (``Graph.digraph``); node names come
from traversal order, so the same graph always gives byte-identical DOT.

>>> from autograd import Value
>>> x = Value(2.0, label="x")
>>> y = x * 3
>>> y.backward()
>>> g = draw(y)
>>> g.source.count("->"), "□ * 3" in g.source, "grad 3" in g.source
(2, True, True)
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import graphviz

from .engine import contributions, topo_order
from .files import write_atomic
from .ops import data_of
from .render import INSTALL_HINT, RendererUnavailable, render_png, render_svg
from .value import Value

__all__ = ["SUFFIXES", "Graph", "draw", "escape", "op_label", "to_dot", "trace", "visible"]

GRAD_COLOR = "#c0392b"
COLORS = {"leaf": "#cfe8ff", "interior": "#f2f2f2", "root": "#ffe08a", "op": "#ffffff"}
PLACEHOLDER = "□"
#: The file suffixes :meth:`Graph.save` understands, and what each one writes.
SUFFIXES = {".svg": "SVG", ".png": "PNG", ".dot": "DOT text", ".gv": "DOT text"}
INFIX = {"+": "+", "-": "-", "*": "*", "/": "/", "**": "**"}
#: Layout budget: a graph whose long edges would make Graphviz's ``dot`` place more than
#: this many virtual nodes draws those edges' sources again next to their far consumers,
#: and past it, edge labels become external labels (``xlabel``), which cost no layout.
MAX_VIRTUAL = 1000
#: Graph attributes that bound the work of ``dot``'s ranking and crossing minimisation.
LAYOUT_LIMITS = {"nslimit": "20", "nslimit1": "20", "mclimit": "0.5"}

_UNSAFE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_NAMED = {"\t": "\\t", "\r": "\\r"}


def _show(m: re.Match[str]) -> str:
    c = m.group()
    if c in _NAMED:
        return _NAMED[c]
    n = ord(c)
    return f"\\x{n:02x}" if n < 0x100 else f"\\u{n:04x}"


def visible(text: str) -> str:
    """``text`` with control characters and lone surrogates shown as escapes.

    Newlines stay (they break lines); everything XML cannot hold becomes visible.

    >>> print(visible("a\\x01b\\tc\\udcff"))
    a\\x01b\\tc\\udcff
    """
    return _UNSAFE.sub(_show, text)


def escape(text: str) -> str:
    """``text`` as the inside of a DOT double-quoted label that renders exactly as written.

    Backslashes and quotes are escaped, newlines become line breaks, control characters
    and lone surrogates are shown visibly (see :func:`visible`).

    >>> print(escape('a"b\\\\c'))
    a\\"b\\\\c
    """
    return _dot_text(text).replace('"', '\\"')


def _dot_text(text: str) -> str:
    """Label text for the graphviz package: backslashes literal, newlines line breaks."""
    return visible(text).replace("\\", "\\\\").replace("\n", "\\n")


def _label(text: str) -> str:
    label: str = graphviz.nohtml(_dot_text(text))  # a str subclass: never an HTML label
    return label


def _num(x: Any, precision: int) -> str:
    return format(float(data_of(x)), f".{precision}g")


def _operand(x: Any, precision: int) -> str:
    if isinstance(x, Value):
        return PLACEHOLDER
    text = _num(x, precision)
    return f"({text})" if text.startswith("-") else text


def op_label(v: Value, precision: int = 4) -> str:
    """The op node's text: the op name, with any constants and ``□`` for each Value.

    An op without constants shows its name alone (``*``, ``sin``); infix ops with a
    constant show both sides, negative constants in parentheses, and spaces around the op.

    >>> from autograd import Value
    >>> x = Value(2.0)
    >>> op_label(x * 1.1), op_label(1 / x), op_label(x - -2), op_label(x.sin())
    ('□ * 1.1', '1 / □', '□ - (-2)', 'sin')
    """
    name = v.op
    inputs = v.inputs
    if all(isinstance(i, Value) for i in inputs):
        return INFIX.get(name, name)
    if len(inputs) == 2 and name in INFIX:
        a, b = inputs
        return f"{_operand(a, precision)} {INFIX[name]} {_operand(b, precision)}"
    args = (PLACEHOLDER if isinstance(i, Value) else _num(i, precision) for i in inputs)
    return f"{name}({', '.join(args)})"  # in a call, -2 needs no parentheses


def _value_label(v: Value, grads: bool, precision: int) -> str:
    lines = [v.label] if v.label else []
    lines.append(f"data {_num(v.data, precision)}")
    if grads:
        lines.append(f"grad {_num(v.grad, precision)}")
    return "\n".join(lines)


def trace(root: Value, max_nodes: int = 1000) -> list[Value]:
    """The Values of ``root``'s graph in topological order, or a ValueError if too many."""
    if not isinstance(root, Value):
        raise TypeError(f"draw: expected a Value, got {type(root).__name__}")
    if isinstance(max_nodes, bool) or not isinstance(max_nodes, int) or max_nodes < 1:
        raise ValueError(f"draw: max_nodes must be a positive int, got {max_nodes!r}")
    values = topo_order(root)
    n = len(values) + sum(1 for v in values if v.op)
    if n > max_nodes:
        raise ValueError(
            f"draw: the graph has {n} nodes ({len(values)} Values and {n - len(values)} ops), "
            f"more than max_nodes={max_nodes}; pass max_nodes={n} (or more) to draw it anyway"
        )
    return values


def backpropagated(root: Value) -> bool:
    """True when ``root``'s grad is set: a backward pass has run from it.

    ``backward()`` seeds the root with 1.0 (or the given gradient); a fresh Value's grad
    is 0.0. This is what ``draw(grads=None)`` uses to decide whether to show gradients.
    """
    g = root.grad
    return isinstance(g, Value) or g != 0.0


# ------------------------------------------------------------------ collapsing sums
def _uses(values: list[Value]) -> dict[int, int]:
    uses: dict[int, int] = {}
    for v in values:
        for p in v.parents:
            uses[id(p)] = uses.get(id(p), 0) + 1
    return uses


def _weighted_sums(
    values: list[Value], root: Value
) -> tuple[dict[int, list[tuple[Value, int]]], set[int]]:
    """Each weighted sum ``Σ w·x + b`` as its top node's id -> the (node, input) edges
    that enter it from outside, and the ids of the inner nodes it absorbs (``+`` and
    ``*`` nodes used once and unlabelled)."""
    uses = _uses(values)

    def inner(v: Value) -> bool:
        return v is not root and not v.label and uses.get(id(v), 0) == 1

    groups: dict[int, list[tuple[Value, int]]] = {}
    absorbed: set[int] = set()
    for top in reversed(values):  # from the root down: the outermost sum wins
        if top.op != "+" or id(top) in absorbed:
            continue
        entries: list[tuple[Value, int]] = []
        members: list[Value] = []
        products = 0
        stack = [top]
        while stack:
            node = stack.pop()
            members.append(node)
            for k, inp in enumerate(node.inputs):
                if not isinstance(inp, Value):
                    continue
                if inp.op == "+" and inner(inp) and node.op == "+":
                    stack.append(inp)
                elif inp.op == "*" and inner(inp) and node.op == "+" and len(inp.inputs) == 2:
                    products += 1
                    stack.append(inp)
                else:
                    entries.append((node, k))
        if products >= 1 and len(members) >= 3:
            groups[id(top)] = entries
            absorbed.update(id(m) for m in members if m is not top)
    return groups, absorbed


# ------------------------------------------------------------------------- layout
def _cost(span: int, edge_values: bool, grads: bool) -> int:
    """Virtual nodes ``dot`` places for an edge whose op sits ``span`` ranks after the
    source's next rank: one per rank crossed; edge labels double every rank and add a
    label node per edge, and gradients draw a second edge."""
    if not edge_values:
        return max(0, span)
    return (2 * max(0, span) + 1) * (2 if grads else 1)


def to_digraph(
    root: Value,
    *,
    grads: bool | None = None,
    edge_values: bool = False,
    rankdir: str = "LR",
    precision: int = 4,
    max_nodes: int = 1000,
    collapse: bool = False,
    wrap: int | None = None,
) -> graphviz.Digraph:
    """A :class:`graphviz.Digraph` of ``root``'s computation graph (see :func:`draw`)."""
    if rankdir not in ("LR", "RL", "TB", "BT"):
        raise ValueError(f"draw: rankdir must be LR, RL, TB or BT, got {rankdir!r}")
    if wrap is not None:
        if isinstance(wrap, bool) or not isinstance(wrap, int) or wrap < 2:
            raise ValueError(f"draw: wrap must be an int >= 2 or None, got {wrap!r}")
        if rankdir != "LR":
            raise ValueError(
                f"draw: wrap lays out rows left to right; use rankdir='LR', got {rankdir!r}"
            )
    if isinstance(precision, bool) or not isinstance(precision, int) or not 1 <= precision <= 17:
        raise ValueError(f"draw: precision must be an int from 1 to 17, got {precision!r}")
    if grads is not None and not isinstance(grads, bool):
        raise TypeError(f"draw: grads must be True, False or None, got {grads!r}")
    values = trace(root, max_nodes)
    show_grads = backpropagated(root) if grads is None else grads
    names = {id(v): f"v{i}" for i, v in enumerate(values)}
    groups, hidden = _weighted_sums(values, root) if collapse else ({}, set())

    dg = graphviz.Digraph("chaingrad")
    dg.attr(rankdir=rankdir, **LAYOUT_LIMITS)
    dg.attr("node", fontname="Helvetica", fontsize="11")
    dg.attr("edge", fontname="Helvetica", fontsize="10", color="#555555")

    # Every edge into each drawn op node, in drawing order: (source, node, input index).
    entering: dict[int, list[tuple[Value, Value, int]]] = {}
    rank: dict[int, int] = {}  # dot's rank of each drawn Value; its op node is one before
    for v in values:
        if id(v) in hidden:
            continue
        if id(v) in groups:
            entering[id(v)] = [(n.inputs[k], n, k) for n, k in groups[id(v)]]
        else:
            entering[id(v)] = [(p, v, k) for k, p in enumerate(v.inputs) if isinstance(p, Value)]
        rank[id(v)] = max((rank[id(p)] + 2 for p, _, _ in entering[id(v)]), default=0)
    # A long edge costs dot one virtual node per rank it crosses (more with labels), so
    # a Value used far away many times (x + x + ... + x) costs O(uses x depth). Past
    # MAX_VIRTUAL, the longest edges start from a copy of their source drawn beside the op.
    spans = [
        (rank[id(v)] - 2 - rank[id(p)], id(v), j)
        for v in values
        if id(v) in entering
        for j, (p, _, _) in enumerate(entering[id(v)])
    ]
    total = sum(_cost(span, edge_values, show_grads) for span, _, _ in spans)
    copied: set[tuple[int, int]] = set()
    for span, vid, j in sorted(spans, key=lambda t: -t[0]):
        if total <= MAX_VIRTUAL or span <= 1:
            break
        copied.add((vid, j))  # the copy sits next to the op: span 0
        total -= _cost(span, edge_values, show_grads) - _cost(0, edge_values, show_grads)
    # Edge labels double every rank; past the budget they become external labels
    # (xlabel), placed after layout at no layout cost.
    label_key = "xlabel" if edge_values and total > MAX_VIRTUAL else "label"

    for v in values:
        if id(v) in hidden:
            continue
        kind = "root" if v is root else ("leaf" if v.is_leaf else "interior")
        dg.node(
            names[id(v)],
            _label(_value_label(v, show_grads, precision)),
            shape="box",
            style="rounded,filled",
            fillcolor=COLORS[kind],
            **{"class": kind},
        )
    copies: dict[int, int] = {}
    flows: dict[int, tuple[float | None, ...]] = {}
    for i, v in enumerate(values):
        if v.is_leaf or id(v) in hidden:
            continue
        if id(v) in groups:
            text = _sum_label(v, groups[id(v)], hidden, precision)
        else:
            text = op_label(v, precision)
        dg.node(
            f"o{i}",
            _label(text),
            shape="ellipse",
            style="filled",
            fillcolor=COLORS["op"],
            fontsize="10",
            width="0.3",
            height="0.3",
            margin="0.02",
            **{"class": "op"},
        )
        for j, (src, node, k) in enumerate(entering[id(v)]):
            tail = names[id(src)]
            if (id(v), j) in copied:  # the source drawn again beside this op
                copies[id(src)] = copies.get(id(src), 0) + 1
                tail = f"{names[id(src)]}c{copies[id(src)]}"
                dg.node(
                    tail,
                    _label(_copy_label(src, show_grads, precision)),
                    shape="box",
                    style="rounded,dashed",
                    color="#888888",
                    fontcolor="#555555",
                    **{"class": "copy"},
                )
            _edge(
                dg,
                tail,
                f"o{i}",
                src,
                node,
                k,
                show_grads,
                edge_values,
                precision,
                label_key,
                flows,
            )
        dg.edge(f"o{i}", names[id(v)])
    if wrap is not None:
        _wrap_rows(dg, values, names, rank, wrap)
    return dg


def _wrap_rows(
    dg: graphviz.Digraph,
    values: list[Value],
    names: dict[int, str],
    rank: dict[int, int],
    wrap: int,
) -> None:
    """Lay the ops and computed Values out in rows of ``wrap`` ranks, top to bottom.

    The graph turns to ``rankdir=TB``; each row is one ``rank=same`` group, so within a
    row the chain reads left to right; leaves (and copies) stay free and sit above the
    op they feed, as the lecture notes draw parameters.
    """
    dg.attr(rankdir="TB", newrank="true")
    rows: dict[int, list[str]] = {}
    for i, v in enumerate(values):
        if id(v) not in rank or v.is_leaf:
            continue
        for name, r in ((f"o{i}", rank[id(v)] - 1), (names[id(v)], rank[id(v)])):
            rows.setdefault(r // wrap, []).append(name)
    for row, members in sorted(rows.items()):
        with dg.subgraph(name=f"row{row}") as sg:
            sg.attr(rank="same")
            for name in members:
                sg.node(name)


def _sum_label(
    top: Value, entries: list[tuple[Value, int]], hidden: set[int], precision: int
) -> str:
    """``Σ w·x`` with ``+ b`` for Value addends, the constant addends, and a second line
    with the constant factors (``x: 0.5, -1``), so that no number is hidden."""
    text = "Σ w·x" + (" + b" if any(n.op == "+" for n, _ in entries) else "")
    factors: list[str] = []
    addend = 0.0
    stack: list[Any] = [top]
    while stack:  # depth first, inputs left to right: the order of the source code
        node = stack.pop()
        if not isinstance(node, Value):
            factors.append(_num(node, precision))
            continue
        for inp in reversed(node.inputs):
            if isinstance(inp, Value):
                if id(inp) in hidden:
                    stack.append(inp)
            elif node.op == "*":
                stack.append(inp)
            else:
                addend += inp
    if addend:
        text += f" + {_num(addend, precision)}" if addend > 0 else f" - {_num(-addend, precision)}"
    return text + (f"\nx: {', '.join(factors)}" if factors else "")


def _copy_label(v: Value, grads: bool, precision: int) -> str:
    """A copy of a Value drawn beside a far consumer: its label, or its data, marked."""
    return f"{v.label or 'data ' + _num(v.data, precision)} (again)"


def _edge(
    dg: graphviz.Digraph,
    tail: str,
    head: str,
    src: Value,
    node: Value,
    k: int,
    grads: bool,
    edge_values: bool,
    precision: int,
    label_key: str,
    flows: dict[int, tuple[float | None, ...]],
) -> None:
    if not edge_values:
        dg.edge(tail, head)
        return
    # the value going forward (black, above) and what flows back along this very edge
    # (red, below): partial x upstream, so a node's grad is the sum over its edges
    dg.edge(tail, head, **{label_key: _label(_num(src.data, precision))})
    if grads:
        if id(node) not in flows:  # once per node, not once per edge
            flows[id(node)] = contributions(node)
        flow = flows[id(node)][k]
        text = _num(flow if flow is not None else 0.0, precision)
        dg.edge(
            tail,
            head,
            **{label_key: _label(text)},
            dir="back",
            color=GRAD_COLOR,
            fontcolor=GRAD_COLOR,
            style="dashed",
        )


def to_dot(root: Value, **options: Any) -> str:
    """DOT text for ``root``'s computation graph; ``options`` as for :func:`draw`."""
    return str(to_digraph(root, **options).source)


class Graph:
    """A drawn computation graph: ``.digraph``, ``.source`` (DOT), ``.svg()``, ``.png()``,
    ``.save(path)``.

    Built from a :class:`graphviz.Digraph` (restyle it through ``.digraph``: the DOT
    text, SVG and PNG follow) or from DOT text. In Jupyter it shows itself inline as SVG;
    without any renderer, as text with a one-line hint.
    """

    def __init__(self, source: str | graphviz.Digraph, title: str = "graph") -> None:
        if isinstance(source, graphviz.Digraph):
            self._digraph: graphviz.Digraph | None = source
            self._source = ""
        elif isinstance(source, str):
            self._digraph = None
            self._source = source
        else:
            raise TypeError(f"Graph: expected DOT text or a graphviz.Digraph, got {source!r}")
        self.title = title
        self._svg: tuple[str, str] | None = None

    @property
    def digraph(self) -> graphviz.Digraph:
        """The :class:`graphviz.Digraph` this graph is built from (restyle it freely)."""
        if self._digraph is None:
            raise AttributeError("this Graph was made from DOT text: it has no digraph")
        return self._digraph

    @property
    def source(self) -> str:
        """The DOT text (deterministic: the same graph gives the same text)."""
        return self._source if self._digraph is None else str(self._digraph.source)

    def svg(self) -> str:
        """The SVG document as a str (rendered once per source, then cached)."""
        source = self.source
        if self._svg is None or self._svg[0] != source:
            self._svg = (source, render_svg(source))
        return self._svg[1]

    def png(self, *, scale: float = 2.0, dpi: float = 96.0) -> bytes:
        """The picture as PNG bytes, ``scale * dpi / 72`` pixels per point of the SVG.

        The system ``dot`` draws it when it is the renderer; otherwise the SVG is
        rasterised in-process (resvg). The default is twice screen size, sharp on slides.
        """
        return render_png(self.source, scale=scale, dpi=dpi)

    def save(self, path: str | os.PathLike[str], *, scale: float = 2.0, dpi: float = 96.0) -> Path:
        """Write the file the suffix names, atomically; return the path.

        ``.svg`` (rendered), ``.png`` (rendered; ``scale``/``dpi`` as for :meth:`png`),
        ``.dot`` or ``.gv`` (the DOT text); any other suffix is a ValueError.
        """
        suffix = Path(path).suffix.lower()
        writers: dict[str, Callable[[], str | bytes]] = {
            ".svg": self.svg,
            ".png": lambda: self.png(scale=scale, dpi=dpi),
            ".dot": lambda: self.source,
            ".gv": lambda: self.source,
        }
        if suffix not in writers:
            raise ValueError(
                f"save: file name must end in {', '.join(SUFFIXES)}, got {str(path)!r}"
            )
        return write_atomic(path, writers[suffix]())

    def __repr__(self) -> str:
        nodes = sum(
            1 for line in self.source.splitlines() if "[label=" in line and "->" not in line
        )
        return f"<Graph {self.title!r}: {nodes} nodes>"

    def _repr_mimebundle_(
        self, include: Any = None, exclude: Any = None, **kwargs: Any
    ) -> dict[str, str]:
        try:
            return {"image/svg+xml": self.svg(), "text/plain": repr(self)}
        except RendererUnavailable:
            return {"text/plain": f"{self!r}\n(no Graphviz renderer: {INSTALL_HINT})"}


def draw(
    root: Value,
    *,
    grads: bool | None = None,
    edge_values: bool = False,
    rankdir: str = "LR",
    precision: int = 4,
    max_nodes: int = 1000,
    collapse: bool = False,
    wrap: int | None = None,
) -> Graph:
    """Draw ``root``'s computation graph.

    ``grads`` shows each Value's gradient: ``None`` (the default) shows them when
    ``root`` has been backpropagated (its grad is not 0.0, see :func:`backpropagated`),
    so a graph drawn before ``backward()`` shows no misleading "grad 0". With
    ``edge_values`` each input edge carries the forward value (black, above) and, when
    gradients are shown, what flows back along that edge (red dashed, below:
    ``partial x upstream``, so a Value's grad is the sum over its outgoing edges).
    ``collapse`` draws each weighted sum ``Σ w·x + b`` (a tree of ``+`` over products,
    inner nodes used once and unlabelled) as one op node. ``wrap=n`` lays a long graph
    out in rows of ``n`` ranks (an op or a Value each), top to bottom, with the leaves
    above the ops they feed: the toy model fits a slide with ``wrap=8``. ``precision`` is the number
    of significant digits; a graph with more than ``max_nodes`` nodes (Values plus ops)
    is a ValueError.
    """
    dg = to_digraph(
        root,
        grads=grads,
        edge_values=edge_values,
        rankdir=rankdir,
        precision=precision,
        max_nodes=max_nodes,
        collapse=collapse,
        wrap=wrap,
    )
    return Graph(dg, title=root.label or "graph")
