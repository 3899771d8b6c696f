"""chaingrad's engine: scalar reverse-mode automatic differentiation you can see.

>>> from autograd import Value
>>> price, count, tax = Value(100, label="apple"), Value(2, label="count"), Value(1.1, label="tax")
>>> total = price * count * tax
>>> total.backward()
>>> round(total.data, 10), round(price.grad, 10), count.grad, tax.grad
(220.0, 2.2, 110.00000000000001, 200.0)
"""

from __future__ import annotations

from ._clash import warn_if_shadowed
from .anomaly import StaleGraphError, detect_anomaly, is_anomaly_enabled
from .checks import GradcheckError, gradcheck, numeric_grad
from .compiling import CompileCheckError, Compiled, compile
from .engine import backward, contributions, local_partials, topo_order
from .explanation import Explanation, check_nodes, explain
from .functional import grad, hessian, value_and_grad
from .grad_mode import enable_grad, gc_paused, is_grad_enabled, no_grad, set_grad_enabled
from .graph import Graph, draw
from .ops import OPS, Op
from .render import RendererUnavailable
from .symbolic import to_latex, to_sympy
from .value import (
    Value,
    abs,
    acos,
    apply,
    asin,
    atan,
    atan2,
    clip,
    cos,
    cosh,
    defop,
    elu,
    erf,
    exp,
    exp2,
    expm1,
    gelu,
    leaky_relu,
    log,
    log1p,
    log2,
    log10,
    maximum,
    minimum,
    relu,
    sigmoid,
    silu,
    sin,
    sinh,
    softplus,
    sqrt,
    tan,
    tanh,
    zero_grad,
)

__version__ = "0.1.0"

__all__ = [
    "OPS",
    "CompileCheckError",
    "Compiled",
    "Explanation",
    "GradcheckError",
    "Graph",
    "Op",
    "RendererUnavailable",
    "StaleGraphError",
    "Value",
    "abs",
    "acos",
    "apply",
    "asin",
    "atan",
    "atan2",
    "backward",
    "check_nodes",
    "clip",
    "compile",
    "contributions",
    "cos",
    "cosh",
    "defop",
    "detect_anomaly",
    "draw",
    "elu",
    "enable_grad",
    "erf",
    "exp",
    "exp2",
    "explain",
    "expm1",
    "gc_paused",
    "gelu",
    "grad",
    "gradcheck",
    "hessian",
    "is_anomaly_enabled",
    "is_grad_enabled",
    "leaky_relu",
    "local_partials",
    "log",
    "log1p",
    "log2",
    "log10",
    "maximum",
    "minimum",
    "no_grad",
    "numeric_grad",
    "relu",
    "set_grad_enabled",
    "sigmoid",
    "silu",
    "sin",
    "sinh",
    "softplus",
    "sqrt",
    "tan",
    "tanh",
    "to_latex",
    "to_sympy",
    "topo_order",
    "value_and_grad",
    "zero_grad",
]

warn_if_shadowed()
