"""The ``chaingrad`` command (also ``python -m autograd``).

* ``chaingrad demo [--out DIR]``: render every worked example to ``DIR/<name>.svg`` and
  print its values and gradients;
* ``chaingrad render NAME -o FILE [--edge-values]`` / ``chaingrad render --list``;
* ``chaingrad graph "EXPR" --at x=1.5,y=2 [-o FILE] [--dot] [--edge-values]``: parse an
  expression (never eval'd), backprop, print the value and gradients, draw the graph.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from .examples import EXAMPLES, Example
from .explanation import add_explain_command, write_demo_pages
from .expr import ExpressionError, build_graph, parse_at
from .files import write_atomic
from .graph import draw
from .ops import data_of
from .render import RendererUnavailable

__all__ = ["build_parser", "format_example", "main"]

EXIT_CODES = """exit status:
  0  success
  1  the engine refused the computation (log of 0, division by zero, ...), no
     Graphviz renderer is available, the renderer failed, or a file could not be
     written
  2  bad command line or bad input (unknown example, disallowed or malformed
     expression, malformed --at); nothing is written"""

ENGINE_ERRORS = (ValueError, ArithmeticError)  # ZeroDivisionError, OverflowError too


class UsageError(Exception):
    """Bad input from the command line: exit status 2, one line on stderr."""


def format_example(ex: Example) -> str:
    """A readable table of an example's root and leaves: value and gradient."""
    rows = [(ex.root.label or "root", ex.root.data, ex.root.grad)]
    rows += [(name, v.data, v.grad) for name, v in ex.leaves.items()]
    width = max(len(r[0]) for r in rows)
    lines = [f"{ex.name}: {ex.description}", f"  {'node':<{width}}  {'value':>14}  {'grad':>14}"]
    for name, data, grad in rows:
        lines.append(f"  {name:<{width}}  {data:>14.10g}  {data_of(grad):>14.10g}")
    return "\n".join(lines)


def _num(x: float) -> str:
    return format(x, ".10g")


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
    if args.output is None:
        raise UsageError("render: give the output file with -o FILE")
    ex = EXAMPLES[args.name]()
    path = draw(ex.root, edge_values=args.edge_values).save(args.output)
    print(f"wrote {path}")
    return 0


def _cmd_graph(args: argparse.Namespace) -> int:
    try:
        at = parse_at(args.at) if args.at is not None else {}
        built = build_graph(args.expr, at)
    except ExpressionError as exc:
        raise UsageError(str(exc)) from None
    output = args.output or ("graph.dot" if args.dot else "graph.svg")
    if Path(output).suffix.lower() not in (".svg", ".dot", ".gv"):
        raise UsageError(f"-o: file name must end in .svg or .dot, got {output!r}")
    if args.dot and Path(output).suffix.lower() == ".svg":
        raise UsageError(f"--dot writes DOT text; use a .dot file name, not {output!r}")
    built.root.backward()
    graph = draw(built.root, edge_values=args.edge_values)
    text = graph.source if args.dot else graph.svg()  # render before printing anything
    print(f"value: {_num(built.root.data)}")
    for name, leaf in built.variables.items():
        print(f"d/d{name}: {_num(data_of(leaf.grad))}")
    path = write_atomic(output, text)
    print(f"wrote {path}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argparse parser of the ``chaingrad`` command."""
    common = {"epilog": EXIT_CODES, "formatter_class": argparse.RawDescriptionHelpFormatter}
    parser = argparse.ArgumentParser(
        prog="chaingrad",
        description="chaingrad: scalar reverse-mode autodiff you can see.",
        **common,  # type: ignore[arg-type]
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    demo = sub.add_parser(
        "demo",
        help="render every worked example to SVG and print values and gradients",
        description="Render every worked example of the source documents (apple price, "
        "toy model, sigmoid, chain rule, ...) to DIR/<name>.svg and print a table of "
        "values and gradients.",
        **common,  # type: ignore[arg-type]
    )
    demo.add_argument("--out", metavar="DIR", default="chaingrad-demo", help="output folder")
    demo.set_defaults(func=_cmd_demo)

    render = sub.add_parser(
        "render",
        help="render one worked example",
        description="Render one worked example (after backward) to an SVG or DOT file.",
        **common,  # type: ignore[arg-type]
    )
    render.add_argument("name", nargs="?", metavar="NAME", help="example name (see --list)")
    render.add_argument("-o", "--output", metavar="FILE", help="output .svg or .dot file")
    render.add_argument("--edge-values", action="store_true", help="values and grads on edges")
    render.add_argument("--list", action="store_true", help="print the example names")
    render.set_defaults(func=_cmd_render)

    graph = sub.add_parser(
        "graph",
        help="differentiate and draw an expression",
        description="Parse EXPR (numbers, variables, + - * / **, unary minus, parentheses, "
        "and sin cos exp log tanh sigmoid relu abs sqrt softplus), evaluate it at --at, "
        "backprop, print the value and every variable's gradient, and draw the graph. "
        'Example: chaingrad graph "(x + y)**2" --at x=1,y=2',
        **common,  # type: ignore[arg-type]
    )
    graph.add_argument("expr", metavar="EXPR", help="the expression, quoted")
    graph.add_argument("--at", metavar="x=1.5,y=2", help="the variables' values")
    graph.add_argument("-o", "--output", metavar="FILE", help="output file (default graph.svg)")
    graph.add_argument("--dot", action="store_true", help="write DOT text instead of SVG")
    graph.add_argument("--edge-values", action="store_true", help="values and grads on edges")
    graph.set_defaults(func=_cmd_graph)
    add_explain_command(sub, common)  # chaingrad explain (autograd/explanation.py)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``chaingrad`` command line; return its exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except UsageError as exc:
        print(f"chaingrad: error: {exc}", file=sys.stderr)
        return 2
    except (RendererUnavailable, OSError) as exc:
        print(f"chaingrad: error: {exc}", file=sys.stderr)
        return 1
    except ENGINE_ERRORS as exc:
        print(f"chaingrad: error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
