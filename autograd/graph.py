"""Drawing a computation graph: DOT text, SVG, files and Jupyter display.

:func:`draw` returns a :class:`Graph`. Each Value is a box showing its label (when
set), data and grad; each op is a small separate ellipse named by the op table
(``*``, ``sin``, ...), with constants written into it (``*1.1``, ``+1``, ``1/``).
Leaves, interior nodes and the root have different fill colours. Node names come from
traversal order, so the same graph always gives byte-identical DOT.

>>> from autograd import Value
>>> x = Value(2.0, label="x")
>>> y = x * 3
>>> y.backward()
>>> g = draw(y)
>>> g.source.count("->"), "*3" in g.source, "grad 3" in g.source
(2, True, True)
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from .engine import topo_order
from .files import write_atomic
from .ops import data_of
from .render import INSTALL_HINT, RendererUnavailable, render_svg
from .value import Value

__all__ = ["Graph", "draw", "escape", "op_label", "to_dot", "trace"]

GRAD_COLOR = "#c0392b"
COLORS = {"leaf": "#cfe8ff", "interior": "#f2f2f2", "root": "#ffe08a", "op": "#ffffff"}


def escape(text: str) -> str:
    """``text`` as the inside of a DOT double-quoted label that renders exactly as written.

    >>> print(escape('a"b\\\\c'))
    a\\"b\\\\c
    """
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "")


def _num(x: Any, precision: int) -> str:
    return format(float(data_of(x)), f".{precision}g")


def op_label(v: Value, precision: int = 4) -> str:
    """The op node's text: the op name with any constants in argument order.

    ``x * 1.1`` gives ``*1.1``, ``1 / x`` gives ``1/``, ``sin(x)`` gives ``sin``; a
    named op shows its arguments: ``leaky_relu(x, 0.1)`` gives ``leaky_relu(·, 0.1)``.
    """
    name = v.op
    inputs = v.inputs
    consts = [i for i in inputs if not isinstance(i, Value)]
    if not consts:
        return name
    if len(inputs) == 2 and not name.isidentifier():  # an operator symbol: *1.1, 1/
        a, b = inputs
        if isinstance(b, Value):
            return f"{_num(a, precision)}{name}"
        return f"{name}{_num(b, precision)}"
    args = ", ".join("·" if isinstance(i, Value) else _num(i, precision) for i in inputs)
    return f"{name}({args})"


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
    if not isinstance(max_nodes, int) or max_nodes < 1:
        raise ValueError(f"draw: max_nodes must be a positive int, got {max_nodes!r}")
    values = topo_order(root)
    n = len(values) + sum(1 for v in values if v.op)
    if n > max_nodes:
        raise ValueError(
            f"draw: the graph has {n} nodes ({len(values)} Values and {n - len(values)} ops), "
            f"more than max_nodes={max_nodes}; pass max_nodes={n} (or more) to draw it anyway"
        )
    return values


def to_dot(
    root: Value,
    *,
    grads: bool = True,
    edge_values: bool = False,
    rankdir: str = "LR",
    precision: int = 4,
    max_nodes: int = 1000,
) -> str:
    """DOT text for ``root``'s computation graph (see :func:`draw`)."""
    if rankdir not in ("LR", "RL", "TB", "BT"):
        raise ValueError(f"draw: rankdir must be LR, RL, TB or BT, got {rankdir!r}")
    if not isinstance(precision, int) or not 1 <= precision <= 17:
        raise ValueError(f"draw: precision must be an int from 1 to 17, got {precision!r}")
    values = trace(root, max_nodes)
    names = {id(v): f"v{i}" for i, v in enumerate(values)}
    lines = [
        "digraph chaingrad {",
        f"  rankdir={rankdir};",
        '  node [fontname="Helvetica", fontsize=11];',
        '  edge [fontname="Helvetica", fontsize=10, color="#555555"];',
    ]
    for i, v in enumerate(values):
        kind = "root" if v is root else ("leaf" if v.is_leaf else "interior")
        label = escape(_value_label(v, grads, precision))
        lines.append(
            f'  v{i} [label="{label}", shape=box, style="rounded,filled", '
            f'fillcolor="{COLORS[kind]}", class="{kind}"];'
        )
    for i, v in enumerate(values):
        if v.is_leaf:
            continue
        lines.append(
            f'  o{i} [label="{escape(op_label(v, precision))}", shape=ellipse, '
            f'style=filled, fillcolor="{COLORS["op"]}", fontsize=10, width=0.3, height=0.3, '
            f'margin=0.02, class="op"];'
        )
        for p in v.parents:
            if edge_values:  # the value going forward, the gradient coming back (red)
                lines.append(f'  {names[id(p)]} -> o{i} [label="{_num(p.data, precision)}"];')
                lines.append(
                    f'  {names[id(p)]} -> o{i} [label="{_num(p.grad, precision)}", dir=back, '
                    f'color="{GRAD_COLOR}", fontcolor="{GRAD_COLOR}", style=dashed];'
                )
            else:
                lines.append(f"  {names[id(p)]} -> o{i};")
        lines.append(f"  o{i} -> v{i};")
    lines.append("}")
    return "\n".join(lines) + "\n"


class Graph:
    """A drawn computation graph: ``.source`` (DOT), ``.svg()``, ``.save(path)``.

    In Jupyter it shows itself inline as SVG; without any renderer, as text with a
    one-line hint.
    """

    def __init__(self, source: str, title: str = "graph") -> None:
        self.source = source
        self.title = title
        self._svg: str | None = None

    def svg(self) -> str:
        """The SVG document as a str (rendered once, then cached)."""
        if self._svg is None:
            self._svg = render_svg(self.source)
        return self._svg

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write ``.svg`` (rendered) or ``.dot`` (the source) atomically; return the path."""
        suffix = Path(path).suffix.lower()
        if suffix == ".svg":
            return write_atomic(path, self.svg())
        if suffix in (".dot", ".gv"):
            return write_atomic(path, self.source)
        raise ValueError(f"save: file name must end in .svg or .dot, got {str(path)!r}")

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
    grads: bool = True,
    edge_values: bool = False,
    rankdir: str = "LR",
    precision: int = 4,
    max_nodes: int = 1000,
) -> Graph:
    """Draw ``root``'s computation graph.

    ``grads`` shows each Value's gradient; ``edge_values`` draws each input edge twice:
    the forward value on a black arrow (above) and the gradient flowing back on a red
    dashed arrow (below), as the lecture notes draw the apple-price graph; ``precision``
    is the number of significant digits; a graph with more than ``max_nodes`` nodes
    (Values plus ops) is a ValueError.
    """
    source = to_dot(
        root,
        grads=grads,
        edge_values=edge_values,
        rankdir=rankdir,
        precision=precision,
        max_nodes=max_nodes,
    )
    return Graph(source, title=root.label or "graph")
