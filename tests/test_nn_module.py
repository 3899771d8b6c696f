"""nn modules: parameter names and order, state dicts, layers, initialisers."""

from __future__ import annotations

import math
import random
import statistics

import pytest

from autograd import Value
from nn import MLP, Layer, Neuron, init


def test_named_parameters_order_and_names() -> None:
    model = MLP(2, [2, 1], seed=0)
    names = [n for n, _ in model.named_parameters()]
    assert names == [
        "layers.0.neurons.0.w.0",
        "layers.0.neurons.0.w.1",
        "layers.0.neurons.0.b",
        "layers.0.neurons.1.w.0",
        "layers.0.neurons.1.w.1",
        "layers.0.neurons.1.b",
        "layers.1.neurons.0.w.0",
        "layers.1.neurons.0.w.1",
        "layers.1.neurons.0.b",
    ]
    assert model.parameters() == [v for _, v in model.named_parameters()]
    assert model.num_parameters() == 9


def test_no_bias() -> None:
    model = MLP(2, [3, 1], bias=False)
    assert model.num_parameters() == 9
    assert not any(n.endswith(".b") for n, _ in model.named_parameters())


def test_zero_grad() -> None:
    model = MLP(2, [3, 1])
    model([1.0, 2.0]).backward()
    assert any(p.grad != 0 for p in model.parameters())
    model.zero_grad()
    assert all(p.grad == 0.0 for p in model.parameters())


def test_state_dict_round_trip() -> None:
    a, b = MLP(2, [3, 1], seed=1), MLP(2, [3, 1], seed=2)
    assert a.state_dict() != b.state_dict()
    b.load_state_dict(a.state_dict())
    assert a.state_dict() == b.state_dict()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.pop("layers.0.neurons.0.b"), "missing key 'layers.0.neurons.0.b'"),
        (lambda d: d.update({"layers.9.x": 1.0}), "unexpected key 'layers.9.x'"),
        (
            lambda d: d.update({"layers.1.neurons.0.b": "x"}),
            "'layers.1.neurons.0.b' must be a number",
        ),
        (
            lambda d: d.update({"layers.1.neurons.0.b": None}),
            "'layers.1.neurons.0.b' must be a number",
        ),
        (
            lambda d: d.update({"layers.1.neurons.0.b": True}),
            "'layers.1.neurons.0.b' must be a number",
        ),
    ],
)
def test_load_state_dict_errors_change_nothing(change: object, message: str) -> None:
    model = MLP(2, [3, 1], seed=1)
    before = model.state_dict()
    bad = dict.fromkeys(before, 0.5)
    change(bad)  # type: ignore[operator]
    with pytest.raises(ValueError, match=message):
        model.load_state_dict(bad)
    assert model.state_dict() == before


def test_load_state_dict_non_strict() -> None:
    model = MLP(2, [1])
    model.load_state_dict({"layers.0.neurons.0.b": 3.0, "other": 1.0}, strict=False)
    assert model.layers[0].neurons[0].b.data == 3.0  # type: ignore[union-attr]


def test_layer_returns_a_list_even_for_one_output() -> None:
    out = Layer(3, 1)([1.0, 2.0, 3.0])
    assert isinstance(out, list)
    assert len(out) == 1


def test_mlp_output_type() -> None:
    assert isinstance(MLP(2, [3, 1])([1.0, 2.0]), Value)
    out = MLP(2, [3, 2])([1.0, 2.0])
    assert isinstance(out, list)
    assert len(out) == 2


def test_wrong_number_of_inputs() -> None:
    with pytest.raises(ValueError, match="expected 2 inputs, got 3"):
        MLP(2, [1])([1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="expected 3 inputs, got 1"):
        Neuron(3)([1.0])


def test_unknown_activation_lists_the_valid_ones() -> None:
    with pytest.raises(ValueError, match=r"'relu'.*'tanh'.*'sigmoid'"):
        MLP(2, [1], activation="swish")
    with pytest.raises(ValueError, match="unknown activation"):
        Neuron(2, activation="gelu")


@pytest.mark.parametrize("activation", [None, "linear", "relu", "tanh", "sigmoid"])
def test_activations(activation: str | None) -> None:
    n = Neuron(1, activation=activation, init=lambda fi, fo, r: 2.0)
    out = n([0.5]).data
    expected = {
        None: 1.0,
        "linear": 1.0,
        "relu": 1.0,
        "tanh": math.tanh(1.0),
        "sigmoid": 1 / (1 + math.exp(-1.0)),
    }
    assert out == pytest.approx(expected[activation])


def test_repr_is_a_summary() -> None:
    text = repr(MLP(1, [4, 8, 1], activation="tanh"))
    assert "1 -> 4 -> 8 -> 1" in text
    assert "tanh" in text
    assert "linear" in text
    assert "parameters: 57" in text


def test_bad_sizes() -> None:
    with pytest.raises(ValueError, match="nouts"):
        MLP(2, [])
    with pytest.raises(ValueError, match="nin"):
        MLP(0, [1])


def test_same_seed_same_model_different_seed_different_model() -> None:
    assert MLP(3, [4, 1], seed=5).state_dict() == MLP(3, [4, 1], seed=5).state_dict()
    assert MLP(3, [4, 1], seed=5).state_dict() != MLP(3, [4, 1], seed=6).state_dict()
    r1, r2 = random.Random(3), random.Random(3)
    assert Neuron(4, rng=r1).state_dict() == Neuron(4, rng=r2).state_dict()


@pytest.mark.parametrize(
    ("name", "variance"),
    [
        ("uniform", 1 / 3),
        ("normal", 1.0),
        ("xavier_uniform", 2 / (8 + 4)),
        ("xavier", 2 / (8 + 4)),
        ("xavier_normal", 2 / (8 + 4)),
        ("he_normal", 2 / 8),
        ("he", 2 / 8),
        ("he_uniform", 2 / 8),
    ],
)
def test_initializer_variances(name: str, variance: float) -> None:
    fn = init.get(name)
    rng = random.Random(0)
    samples = [fn(8, 4, rng) for _ in range(20_000)]
    assert statistics.fmean(samples) == pytest.approx(0.0, abs=0.02 * math.sqrt(variance) * 3)
    assert statistics.pvariance(samples) == pytest.approx(variance, rel=0.05)


def test_init_by_name_or_callable() -> None:
    model = MLP(2, [2], init=lambda fan_in, fan_out, rng: 0.25)
    assert all(p.data in (0.25, 0.0) for p in model.parameters())
    with pytest.raises(ValueError, match="unknown init"):
        MLP(2, [2], init="zeros")
    with pytest.raises(TypeError, match="rng"):
        init.as_rng("seed")  # type: ignore[arg-type]


# ------------------------------------------------------------------ copy and pickle
def test_deepcopy_gives_an_independent_model() -> None:
    import copy

    from nn import SGD, fit

    model = MLP(2, [4, 1], seed=0)
    model([0.5, -0.5]).backward()  # grads and a finished graph must not matter
    before = model.state_dict()
    twin = copy.deepcopy(model)
    assert twin.state_dict() == before  # exact copies of the floats
    assert not {id(p) for p in twin.parameters()} & {id(p) for p in model.parameters()}
    assert [p.grad for p in twin.parameters()] == [p.grad for p in model.parameters()]
    X, y = [[0.0, 1.0], [1.0, 0.0]], [1.0, -1.0]
    fit(twin, X, y, optimizer=SGD(twin.parameters(), lr=0.1), epochs=5, progress=False)
    assert model.state_dict() == before
    assert twin.state_dict() != before
    assert twin([0.3, 0.3]).data == pytest.approx(twin.predict([[0.3, 0.3]])[0], abs=1e-15)


def test_deepcopy_of_a_large_model() -> None:
    import copy

    model = MLP(30, [60, 60, 1], seed=0)
    twin = copy.deepcopy(model)
    assert twin.num_parameters() == model.num_parameters() == 5581
    twin.parameters()[-1].data += 1.0
    assert model.parameters()[-1].data != twin.parameters()[-1].data


def test_deepcopy_keeps_shared_parameters_shared() -> None:
    import copy

    from nn import Module

    class Tied(Module):
        def __init__(self) -> None:
            self.w = Value(2.0)
            self.again = [self.w]

        def __call__(self, x: float) -> Value:
            return self.w * x + self.again[0]

    twin = copy.deepcopy(Tied())
    assert twin.w is twin.again[0]
    assert twin.num_parameters() == 1


def test_pickle_round_trip_of_a_model() -> None:
    import pickle

    model = MLP(3, [4, 2], activation="relu", output_activation="sigmoid", seed=5)
    again = pickle.loads(pickle.dumps(model))
    assert again.state_dict() == model.state_dict()
    assert again.predict([[0.1, 0.2, 0.3]])[0] == pytest.approx(
        model.predict([[0.1, 0.2, 0.3]])[0], abs=1e-15
    )


def test_functional_call_replaces_a_shared_parameter_everywhere() -> None:
    """A weight tied between two layers is one parameter: functional_call puts the new
    value in both places (and the old one back in both)."""
    from nn.module import functional_call

    model = MLP(1, [1, 1], seed=0)
    assert model.layers[0].activation == "tanh"
    assert model.layers[1].activation is None  # linear output
    tied = model.layers[0].neurons[0].w[0]
    model.layers[1].neurons[0].w[0] = tied
    assert len(list(model.parameters())) == 3  # w (tied), b0, b1
    b0, b1 = model.layers[0].neurons[0].b.data, model.layers[1].neurons[0].b.data
    w = 0.7
    out = functional_call(model, [w, b0, b1], [2.0])
    assert out.data == pytest.approx(w * math.tanh(w * 2.0 + b0) + b1, rel=1e-15)
    assert model.layers[0].neurons[0].w[0] is tied  # restored in both places
    assert model.layers[1].neurons[0].w[0] is tied
