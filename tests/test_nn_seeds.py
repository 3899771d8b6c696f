"""The source documents' neural-network examples, reproduced with nn."""

from __future__ import annotations

import random

import pytest

from autograd import gradcheck
from nn import MLP, SGD, functional_call, init_study, sse_half

# seed 004: the 2-2-2 sigmoid network without bias
X = [0.1, 0.2]
Y = [0.4, 0.6]
W = {"W11": 0.3, "W21": 0.25, "W12": 0.4, "W22": 0.35}
U = {"U11": 0.45, "U21": 0.4, "U12": 0.7, "U22": 0.6}
NAMES = {
    "layers.0.neurons.0.w.0": "W11",
    "layers.0.neurons.0.w.1": "W21",
    "layers.0.neurons.1.w.0": "W12",
    "layers.0.neurons.1.w.1": "W22",
    "layers.1.neurons.0.w.0": "U11",
    "layers.1.neurons.0.w.1": "U21",
    "layers.1.neurons.1.w.0": "U12",
    "layers.1.neurons.1.w.1": "U22",
}
PRINTED_UPDATES = {
    "U11": 0.43703857,
    "U21": 0.38685205,
    "U12": 0.69629578,
    "U22": 0.59624247,
    "W11": 0.29959556,
    "W21": 0.24919112,
    "W12": 0.39964496,
    "W22": 0.34928991,
}


def seed004_model() -> MLP:
    model = MLP(2, [2, 2], activation="sigmoid", output_activation="sigmoid", bias=False)
    model.load_state_dict({name: {**W, **U}[w] for name, w in NAMES.items()})
    return model


def test_seed004_forward_every_printed_number() -> None:
    model = seed004_model()
    h = model.layers[0](X)
    o = model.layers[1](h)
    z = [v.parents[0] for v in h]
    t = [v.parents[0] for v in o]
    assert [v.data for v in z] == pytest.approx([0.08, 0.11], abs=5e-9)
    assert [v.data for v in h] == pytest.approx([0.51998934, 0.52747230], abs=5e-9)
    assert [v.data for v in t] == pytest.approx([0.44498412, 0.68047592], abs=5e-9)
    assert [v.data for v in o] == pytest.approx([0.60944600, 0.66384491], abs=5e-9)
    e1 = sse_half([o[0]], [Y[0]])
    e2 = sse_half([o[1]], [Y[1]])
    assert e1.data == pytest.approx(0.02193381, abs=5e-9)
    assert e2.data == pytest.approx(0.00203809, abs=5e-9)
    assert sse_half(o, Y).data == pytest.approx(0.02397190, abs=5e-9)


def test_seed004_one_sgd_step_gives_every_printed_weight() -> None:
    model = seed004_model()
    loss = sse_half(model(X), Y)
    assert loss.data == pytest.approx(0.02397190, abs=5e-9)
    opt = SGD(model.parameters(), lr=0.5)
    opt.zero_grad()
    loss.backward()
    grads = {NAMES[n]: p.grad for n, p in model.named_parameters()}
    assert grads["U11"] == pytest.approx(0.02592286, abs=5e-9)
    opt.step()
    updated = {NAMES[n]: v for n, v in model.state_dict().items()}
    for name, printed in PRINTED_UPDATES.items():
        assert updated[name] == pytest.approx(printed, abs=5e-9), name


def test_seed001_deep_relu_network_passes_gradcheck() -> None:
    """K=5 hidden layers of D=6 ReLU units, N(0, 1) weights and biases."""
    model = MLP(1, [6] * 5 + [1], activation="relu", init="normal", seed=0)
    rng = random.Random(0)
    for p in model.parameters():  # biases N(0, 1) too, as in the seed
        p.data = rng.gauss(0.0, 1.0)
    params = [p.data for p in model.parameters()]
    x, y = 1.2, 20.0

    def loss(*ps: object) -> object:
        out = functional_call(model, ps, [x])
        return (out - y) ** 2

    assert gradcheck(loss, params, eps=1e-6, atol=1e-4, rtol=1e-4)
    assert model.parameters()[0].data == params[0]  # functional_call restored them


def test_seed001_init_study_normal_explodes_and_he_stays_near_one() -> None:
    normal = init_study(depth=6, width=16, init="normal", n_samples=30, seed=0)
    he = init_study(depth=6, width=16, init="he", n_samples=30, seed=0)
    na, ha = normal["activation_std"], he["activation_std"]
    assert na[-1] > 50 * na[0]  # N(0, 1): grows about sqrt(width / 2) per layer
    assert all(0.1 < s < 10 for s in ha)  # He: stays of order one
    ng, hg = normal["gradient_std"], he["gradient_std"]
    assert ng[0] > 50 * ng[-1]  # gradients explode towards the input
    assert max(hg) / min(hg) < 20


def test_init_study_checks_arguments() -> None:
    with pytest.raises(ValueError, match="depth"):
        init_study(depth=0, width=4)
