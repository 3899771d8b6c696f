"""Optimizers: PyTorch's update rules, checked by hand and (if installed) against torch."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import pytest

from autograd import Value
from nn import SGD, Adagrad, Adam, RMSprop
from nn.optim import Optimizer


def quad_grads(ps: list[Value]) -> None:
    """Loss sum((p - i)**2 * (i + 1)) so each parameter has its own gradient."""
    for p in ps:
        p.grad = 0.0
    loss = sum(((p - i) ** 2) * (i + 1) for i, p in enumerate(ps))
    assert isinstance(loss, Value)
    loss.backward()


CONFIGS: list[tuple[str, Callable[[list[Value]], Optimizer], dict[str, Any]]] = [
    ("SGD", lambda ps: SGD(ps, lr=0.05), {"lr": 0.05}),
    ("SGD", lambda ps: SGD(ps, lr=0.05, momentum=0.9), {"lr": 0.05, "momentum": 0.9}),
    (
        "SGD",
        lambda ps: SGD(ps, lr=0.05, momentum=0.9, nesterov=True, weight_decay=0.01),
        {"lr": 0.05, "momentum": 0.9, "nesterov": True, "weight_decay": 0.01},
    ),
    ("Adagrad", lambda ps: Adagrad(ps, lr=0.1), {"lr": 0.1}),
    ("RMSprop", lambda ps: RMSprop(ps), {}),
    ("RMSprop", lambda ps: RMSprop(ps, lr=0.01, momentum=0.5), {"lr": 0.01, "momentum": 0.5}),
    ("Adam", lambda ps: Adam(ps), {}),
    ("Adam", lambda ps: Adam(ps, lr=0.05, weight_decay=0.1), {"lr": 0.05, "weight_decay": 0.1}),
]


def test_sgd_by_hand() -> None:
    p = Value(1.0)
    opt = SGD([p], lr=0.1, momentum=0.9)
    for expected in (0.8, 0.46):  # grads 2 then 1.6: buf 2, then 0.9*2 + 1.6 = 3.4
        p.grad = 0.0
        (p * p).backward()
        opt.step()
        assert p.data == pytest.approx(expected)


def test_adam_first_step_moves_by_lr() -> None:
    p = Value(1.0)
    opt = Adam([p], lr=0.01)
    (p * p).backward()
    opt.step()
    assert p.data == pytest.approx(1.0 - 0.01, rel=1e-6)


def test_adagrad_and_rmsprop_by_hand() -> None:
    p = Value(1.0)
    opt = Adagrad([p], lr=0.1)
    (p * p).backward()
    opt.step()
    assert p.data == pytest.approx(1.0 - 0.1 * 2 / (2 + 1e-10))
    q = Value(1.0)
    rms = RMSprop([q], lr=0.01, alpha=0.9)
    (q * q).backward()
    rms.step()
    assert q.data == pytest.approx(1.0 - 0.01 * 2 / (math.sqrt(0.1 * 4) + 1e-8))


@pytest.mark.parametrize(("name", "make", "kwargs"), CONFIGS)
def test_ten_steps_match_torch(
    name: str, make: Callable[[list[Value]], Optimizer], kwargs: dict[str, Any]
) -> None:
    torch = pytest.importorskip("torch")
    start = [0.5, -1.0, 2.0]
    ps = [Value(x) for x in start]
    opt = make(ps)
    tp = torch.tensor(start, dtype=torch.float64, requires_grad=True)
    topt = getattr(torch.optim, name)([tp], **kwargs)
    weights = torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64)
    targets = torch.tensor([0.0, 1.0, 2.0], dtype=torch.float64)
    for _ in range(10):
        quad_grads(ps)
        opt.step()
        topt.zero_grad()
        (((tp - targets) ** 2) * weights).sum().backward()
        topt.step()
    assert [p.data for p in ps] == pytest.approx(tp.detach().tolist(), rel=1e-12, abs=1e-12)


@pytest.mark.parametrize(("name", "make", "kwargs"), CONFIGS)
def test_every_optimizer_reduces_the_loss(
    name: str, make: Callable[[list[Value]], Optimizer], kwargs: dict[str, Any]
) -> None:
    ps = [Value(x) for x in (0.5, -1.0, 2.0)]
    opt = make(ps)

    def loss() -> float:
        return sum(((p.data - i) ** 2) * (i + 1) for i, p in enumerate(ps))

    before = loss()
    for _ in range(20):
        quad_grads(ps)
        opt.step()
    assert loss() < before


def test_state_dict_round_trip() -> None:
    ps = [Value(1.0), Value(2.0)]
    opt = Adam(ps, lr=0.1)
    quad_grads(ps)
    opt.step()
    state = opt.state_dict()
    qs = [Value(p.data) for p in ps]
    other = Adam(qs, lr=0.1)
    other.load_state_dict(state)
    quad_grads(ps)
    quad_grads(qs)
    opt.step()
    other.step()
    assert [p.data for p in ps] == [q.data for q in qs]
    with pytest.raises(ValueError, match="state is for 'Adam'"):
        SGD(ps, lr=0.1).load_state_dict(state)


def test_bad_hyperparameters() -> None:
    p = [Value(1.0)]
    with pytest.raises(ValueError, match="lr"):
        SGD(p, lr=-1.0)
    with pytest.raises(ValueError, match="nesterov"):
        SGD(p, lr=0.1, nesterov=True)
    with pytest.raises(ValueError, match="betas"):
        Adam(p, betas=(0.9, 1.0))
    with pytest.raises(ValueError, match="empty parameter list"):
        Adam([])
    with pytest.raises(TypeError, match="Values"):
        SGD([1.0], lr=0.1)  # type: ignore[list-item]


def test_zero_grad() -> None:
    p = Value(1.0)
    opt = SGD([p], lr=0.1)
    (p * 3).backward()
    opt.zero_grad()
    assert p.grad == 0.0
