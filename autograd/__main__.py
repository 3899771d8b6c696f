"""The ``chaingrad`` command (also ``python -m autograd``).

* ``chaingrad demo [--out DIR]``: render every worked example to ``DIR/<name>.svg`` and
  print its values and gradients;
* ``chaingrad render NAME [-o FILE] [--edge-values] [--rankdir LR] [--precision 4]`` /
  ``chaingrad render --list``;
* ``chaingrad graph "EXPR" --at x=1.5,y=2 [-o FILE] [--edge-values] [--rankdir LR]
  [--precision 4]``: parse an expression (never eval'd), backprop, print the value and
  gradients, draw the graph;
* ``chaingrad --version``.

The output file's suffix decides the format: ``.svg``, ``.png``, ``.dot`` / ``.gv``.
"""

from __future__ import annotations

from ._clash import exit_if_shadowed

exit_if_shadowed()  # HIPS autograd in place of ours: one line and status 1, before the rest

import argparse  # noqa: E402
import re  # noqa: E402
import sys  # noqa: E402
import unicodedata  # noqa: E402
from collections.abc import Sequence  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import NoReturn  # noqa: E402

from . import __version__  # noqa: E402
from .examples import EXAMPLES, Example  # noqa: E402
from .explanation import add_explain_command, write_demo_pages  # noqa: E402
from .expr import ExpressionError, build_graph, parse_at  # noqa: E402
from .graph import Graph, draw  # noqa: E402
from .ops import data_of  # noqa: E402
from .render import RendererUnavailable  # noqa: E402

__all__ = ["OUTPUT_SUFFIXES", "build_parser", "format_example", "main"]

OUTPUT_SUFFIXES = (".svg", ".png", ".dot", ".gv")
RANKDIRS = ("LR", "RL", "TB", "BT")
DOTS = (".dot", ".gv")

EXIT_CODES = """exit status:
  0  success
  1  the engine refused the computation (log of 0, division by zero, ...), no
     Graphviz renderer is available, the renderer failed, a file could not be
     written, or the 'autograd' package found is not chaingrad's (HIPS autograd)
  2  bad command line or bad input (unknown example, disallowed or malformed
     expression, a number out of range, malformed --at, an output file name not
     ending in .svg, .png, .dot or .gv); nothing is written

The output file's suffix decides the format: .svg (SVG), .png (PNG), .dot or .gv (the
DOT text, needs no Graphviz). An expression that starts with "-" may also go after
"--": chaingrad graph --at x=3 -- "-x**2"."""

ENGINE_ERRORS = (ValueError, ArithmeticError)  # ZeroDivisionError, OverflowError too
_AT_ITEM = re.compile(r"^\s*[^\W\d]\w*\s*=(?!=)")  # "y=2": a --at item, not "y==2"
_VALUE_OPTIONS = frozenset({"--at", "-o", "--output", "--rankdir", "--precision"})
_DASH_HINT = (
    'an expression that starts with "-" goes after "--": chaingrad graph --at x=3 -- "-x**2"'
)


class UsageError(Exception):
    """Bad input from the command line: exit status 2, one line on stderr."""


class _Parser(argparse.ArgumentParser):
    """argparse, with a hint where a leading ``-`` made it take an expression for an option."""

    def error(self, message: str) -> NoReturn:
        dash = "unrecognized arguments: -" in message or "required: EXPR" in message
        if dash and self.prog.endswith(" graph"):
            message = f"{message}; {_DASH_HINT}"
        super().error(message)


def _width(text: str) -> int:
    """Columns ``text`` takes in a terminal: wide (CJK) characters take two."""
    return sum(
        0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1
        for c in text
    )


def _pad(text: str, width: int, right: bool = False) -> str:
    space = " " * max(0, width - _width(text))
    return space + text if right else text + space


def format_example(ex: Example) -> str:
    """A table of an example's root and leaves: value and gradient, columns aligned.

    >>> from autograd import Value
    >>> price, count = Value(100, label="price"), Value(2, label="사과 개수")
    >>> total = price * count
    >>> total.label = "total"
    >>> total.backward()
    >>> leaves = {"price": price, "사과 개수": count}
    >>> print(format_example(Example("apples", "2 apples", total, leaves)))
    apples: 2 apples
      node       value  grad
      total        200     1
      price        100     2
      사과 개수      2   100
    """
    rows = [(ex.root.label or "root", ex.root.data, data_of(ex.root.grad))]
    rows += [(name, v.data, data_of(v.grad)) for name, v in ex.leaves.items()]
    cells = [(name, _num(data), _num(grad)) for name, data, grad in rows]
    header = ("node", "value", "grad")
    widths = [max(_width(row[i]) for row in [header, *cells]) for i in range(3)]
    lines = [f"{ex.name}: {ex.description}"]
    for row in [header, *cells]:
        name = _pad(row[0], widths[0])
        numbers = [_pad(row[k], widths[k], right=True) for k in (1, 2)]
        lines.append(f"  {name}  {numbers[0]}  {numbers[1]}".rstrip())
    return "\n".join(lines)


def _num(x: float) -> str:
    return format(x, ".10g")


def _check_output(output: str) -> None:
    suffix = Path(output).suffix.lower()
    if suffix not in OUTPUT_SUFFIXES:
        raise UsageError(
            f"-o: the file name's suffix decides the format; use .svg, .png, .dot or .gv, "
            f"got {output!r}"
        )


def _save(graph: Graph, output: str) -> str:
    """Write ``graph`` in the format of ``output``'s suffix (``Graph.save``); return the path."""
    return str(graph.save(output))


def _cmd_demo(args: argparse.Namespace) -> int:
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for name, build in EXAMPLES.items():
        ex = build()
        path = draw(ex.root).save(out / f"{name}.svg")
        print(format_example(ex))
        print(f"  -> {path}")
        print()
    for page in write_demo_pages(out):  # the step-by-step pages (autograd.explain)
        print(f"  -> {page}")
    return 0


def _cmd_render(args: argparse.Namespace) -> int:
    if args.list:
        for name in EXAMPLES:
            print(name)
        return 0
    if args.name is None:
        raise UsageError("render: give an example NAME (see 'chaingrad render --list')")
    if args.name not in EXAMPLES:
        raise UsageError(
            f"render: unknown example {args.name!r}; choose one of {', '.join(EXAMPLES)}"
        )
    output = args.output or f"{args.name}.svg"
    _check_output(output)
    ex = EXAMPLES[args.name]()
    graph = draw(
        ex.root, edge_values=args.edge_values, rankdir=args.rankdir, precision=args.precision
    )
    print(f"wrote {_save(graph, output)}")
    return 0


def _cmd_graph(args: argparse.Namespace) -> int:
    if args.dot and args.output is not None and Path(args.output).suffix.lower() not in DOTS:
        raise UsageError(f"--dot writes DOT text; use a .dot file name, not {args.output!r}")
    output = args.output or ("graph.dot" if args.dot else "graph.svg")
    _check_output(output)
    try:
        at = parse_at(",".join(args.at)) if args.at else {}
        built = build_graph(args.expr, at)
    except ExpressionError as exc:
        raise UsageError(str(exc)) from None
    built.root.backward()
    graph = draw(
        built.root, edge_values=args.edge_values, rankdir=args.rankdir, precision=args.precision
    )
    path = _save(graph, output)  # render and write before printing anything
    print(f"value: {_num(built.root.data)}")
    for name, leaf in built.variables.items():
        print(f"d/d{name}: {_num(data_of(leaf.grad))}")
    print(f"wrote {path}")
    return 0


def _precision(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if not 1 <= value <= 17:
        raise argparse.ArgumentTypeError(f"must be an integer from 1 to 17, got {text!r}")
    return value


def _drawing_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--edge-values", action="store_true", help="values and grads on edges")
    parser.add_argument(
        "--rankdir", choices=RANKDIRS, default="LR", help="layout direction (default LR)"
    )
    parser.add_argument(
        "--precision",
        type=_precision,
        default=4,
        metavar="N",
        help="significant digits in the picture, 1 to 17 (default 4)",
    )


def build_parser() -> argparse.ArgumentParser:
    """The argparse parser of the ``chaingrad`` command."""
    common = {"epilog": EXIT_CODES, "formatter_class": argparse.RawDescriptionHelpFormatter}
    parser = _Parser(
        prog="chaingrad",
        description="chaingrad: scalar reverse-mode autodiff you can see.",
        **common,  # type: ignore[arg-type]
    )
    parser.add_argument("--version", action="version", version=f"chaingrad {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    demo = sub.add_parser(
        "demo",
        help="render every worked example to SVG and print values and gradients",
        description="Render every worked example of the lecture notes (the apple price of "
        "'Machine Learning: Backpropagation', the toy model of 'Chapter 7 Code Total', "
        "the sigmoid, the chain-rule exercise, ...) to DIR/<name>.svg and print a table "
        "of values and gradients.",
        **common,  # type: ignore[arg-type]
    )
    demo.add_argument("--out", metavar="DIR", default="chaingrad-demo", help="output folder")
    demo.set_defaults(func=_cmd_demo)

    render = sub.add_parser(
        "render",
        help="render one worked example",
        description="Render one worked example (after backward) to a file: the suffix "
        "decides the format (.svg, .png, .dot, .gv); default NAME.svg.",
        **common,  # type: ignore[arg-type]
    )
    render.add_argument("name", nargs="?", metavar="NAME", help="example name (see --list)")
    render.add_argument(
        "-o", "--output", metavar="FILE", help="output .svg, .png, .dot or .gv (default NAME.svg)"
    )
    _drawing_options(render)
    render.add_argument("--list", action="store_true", help="print the example names")
    render.set_defaults(func=_cmd_render)

    graph = sub.add_parser(
        "graph",
        help="differentiate and draw an expression",
        description="Parse EXPR (numbers, variables, + - * / **, unary minus, parentheses, "
        "and sin cos exp log tanh sigmoid relu abs sqrt softplus), evaluate it at --at, "
        "backprop, print the value and every variable's gradient (in the order the "
        "variables appear), and draw the graph. "
        'Example: chaingrad graph "(x + y)**2" --at x=1,y=2',
        **common,  # type: ignore[arg-type]
    )
    graph.add_argument("expr", metavar="EXPR", help="the expression, quoted")
    graph.add_argument(
        "--at", metavar="x=1.5,y=2", action="append", help="the variables' values, comma-separated"
    )
    graph.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="output .svg, .png, .dot or .gv (default graph.svg)",
    )
    graph.add_argument("--dot", action="store_true", help="same as -o graph.dot (DOT text)")
    _drawing_options(graph)
    graph.set_defaults(func=_cmd_graph)
    add_explain_command(sub, common)  # chaingrad explain (autograd/explanation.py)
    return parser


def _leading_minus_expression(argv: list[str]) -> list[str]:
    """``graph "-x**2" --at x=3``: move the expression after ``--`` so argparse reads it.

    Only for ``graph``, only when no other positional argument and no ``--`` is there, and
    only for a word that is not one of ``graph``'s options (``-h``, ``-o...``, ``--...``).
    """
    if not argv or argv[0] != "graph" or "--" in argv:
        return argv
    rest = argv[1:]
    positional: list[int] = []
    dashed: list[int] = []
    i = 0
    while i < len(rest):
        word = rest[i]
        if word in _VALUE_OPTIONS:
            i += 2
            continue
        if word.startswith(("--", "-o", "-h")):
            pass
        elif word.startswith("-") and len(word) > 1:
            dashed.append(i)
        else:
            positional.append(i)
        i += 1
    if positional or len(dashed) != 1:
        return argv
    j = dashed[0]
    return ["graph", *rest[:j], *rest[j + 1 :], "--", rest[j]]


def _stray_at_items(args: argparse.Namespace, extras: list[str]) -> str | None:
    """``--at x=1 y=2``: the one-line message with the ``--at`` the user meant, else None."""
    if getattr(args, "command", None) != "graph" or not args.at:
        return None
    words = ([args.expr] if args.expr is not None else []) + extras
    stray = [w for w in words if _AT_ITEM.match(w)]
    others = [w for w in words if not _AT_ITEM.match(w)]
    if not stray or len(others) > 1:
        return None  # nothing stray, or something else is wrong too: argparse's message
    items = [p.strip().strip(",") for p in [*args.at, *stray]]
    meant = ",".join(p for p in items if p)
    tail = "" if others else ' (and give the expression, e.g. "x*y")'
    return f"separate variables with commas: --at {meant}{tail}"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``chaingrad`` command line; return its exit status."""
    words = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    args, extras = parser.parse_known_args(_leading_minus_expression(words))
    try:
        stray = _stray_at_items(args, extras)
        if stray is not None:
            raise UsageError(stray)
        if extras:
            hint = f"; {_DASH_HINT}" if any(e.startswith("-") for e in extras) else ""
            parser.error(f"unrecognized arguments: {' '.join(extras)}{hint}")
        return int(args.func(args))
    except UsageError as exc:
        print(f"chaingrad: error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # `chaingrad demo | head`: stop quietly
        sys.stderr.close()
        return 1
    except (RendererUnavailable, OSError) as exc:
        print(f"chaingrad: error: {exc}", file=sys.stderr)
        return 1
    except ENGINE_ERRORS as exc:
        print(f"chaingrad: error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
