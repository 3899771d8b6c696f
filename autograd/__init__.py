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
from .engine import backward, contributions, local_partials, topo_order
from .functional import grad, hessian, value_and_grad
from .grad_mode import enable_grad, is_grad_enabled, no_grad, set_grad_enabled
from .graph import Graph, draw
from .ops import OPS, Op
from .render import RendererUnavailable
from .value import (
    Value,
    abs,
    apply,
    cos,
    defop,
    exp,
    log,
    relu,
    sigmoid,
    sin,
    softplus,
    sqrt,
    tanh,
    zero_grad,
)

__version__ = "0.1.0"

__all__ = [
    "OPS",
    "GradcheckError",
    "Graph",
    "Op",
    "RendererUnavailable",
    "StaleGraphError",
    "Value",
    "abs",
    "apply",
    "backward",
    "contributions",
    "cos",
    "defop",
    "detect_anomaly",
    "draw",
    "enable_grad",
    "exp",
    "grad",
    "gradcheck",
    "hessian",
    "is_anomaly_enabled",
    "is_grad_enabled",
    "local_partials",
    "log",
    "no_grad",
    "numeric_grad",
    "relu",
    "set_grad_enabled",
    "sigmoid",
    "sin",
    "softplus",
    "sqrt",
    "tanh",
    "topo_order",
    "value_and_grad",
    "zero_grad",
]

warn_if_shadowed()
