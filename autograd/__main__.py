"""The ``chaingrad`` command (also ``python -m autograd``).

``chaingrad demo`` prints every worked example of the source documents with its values
and gradients.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from .examples import EXAMPLES, Example

__all__ = ["format_example", "main"]

EXIT_CODES = """exit status:
  0  success
  1  the engine refused the computation (log of 0, division by zero, ...) or a
     renderer failed
  2  bad command line or bad input (unknown example, malformed expression)"""


def format_example(ex: Example) -> str:
    """A readable table of an example's root and leaves: value and gradient."""
    rows = [(ex.root.label or "root", ex.root.data, ex.root.grad)]
    rows += [(name, v.data, v.grad) for name, v in ex.leaves.items()]
    width = max(len(r[0]) for r in rows)
    lines = [f"{ex.name}: {ex.description}", f"  {'node':<{width}}  {'value':>14}  {'grad':>14}"]
    for name, data, grad in rows:
        lines.append(f"  {name:<{width}}  {data:>14.10g}  {float(grad):>14.10g}")
    return "\n".join(lines)


def _cmd_demo(args: argparse.Namespace) -> int:
    for build in EXAMPLES.values():
        print(format_example(build()))
        print()
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argparse parser of the ``chaingrad`` command."""
    parser = argparse.ArgumentParser(
        prog="chaingrad",
        description="chaingrad: scalar reverse-mode autodiff you can see.",
        epilog=EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    demo = sub.add_parser(
        "demo",
        help="print every worked example with its values and gradients",
        description="Print every worked example of the source documents "
        "(apple price, toy model, sigmoid, chain rule, ...) with values and gradients.",
        epilog=EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    demo.set_defaults(func=_cmd_demo)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``chaingrad`` command line; return its exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
