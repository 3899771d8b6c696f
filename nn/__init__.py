"""chaingrad's neural networks on :mod:`autograd`: modules, losses, optimizers, training.

>>> from nn import MLP, fit, make_moons, Adam
>>> X, y = make_moons(20, seed=0)
>>> model = MLP(2, [4, 1], seed=0)
>>> h = fit(model, X, y, loss="hinge", optimizer=Adam(model.parameters(), lr=0.05),
...         epochs=5, progress=False)
>>> len(h.loss)
5
"""

from . import _clash, data, init, losses, metrics, optim  # noqa: F401 (_clash first: explains a foreign autograd)
from .data import (
    make_circles,
    make_moons,
    make_sine,
    make_spirals,
    make_xor,
    one_hot,
    train_test_split,
)
from .draw import draw_network, plot_decision_boundary, plot_history
from .inference import predict
from .layers import ACTIVATIONS, MLP, Layer, Neuron
from .losses import bce, bce_with_logits, hinge, l2, mse, softmax_cross_entropy, sse_half
from .module import Module, functional_call, load
from .optim import SGD, Adagrad, Adam, Optimizer, RMSprop
from .study import init_study
from .train import LOSSES, History, fit

__all__ = [
    "ACTIVATIONS",
    "LOSSES",
    "MLP",
    "SGD",
    "Adagrad",
    "Adam",
    "History",
    "Layer",
    "Module",
    "Neuron",
    "Optimizer",
    "RMSprop",
    "bce",
    "bce_with_logits",
    "data",
    "draw_network",
    "fit",
    "functional_call",
    "hinge",
    "init",
    "init_study",
    "l2",
    "load",
    "losses",
    "make_circles",
    "make_moons",
    "make_sine",
    "make_spirals",
    "make_xor",
    "metrics",
    "mse",
    "one_hot",
    "optim",
    "plot_decision_boundary",
    "plot_history",
    "predict",
    "softmax_cross_entropy",
    "sse_half",
    "train_test_split",
]
