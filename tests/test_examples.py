"""The source documents' worked examples: every number DESIGN.md lists."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from autograd import examples
from autograd.examples import EXAMPLES


def test_apple_price() -> None:
    ex = examples.apple_price()
    assert ex.root.data == pytest.approx(220.0)
    g = {k: v.grad for k, v in ex.leaves.items()}
    assert g == pytest.approx({"apple": 2.2, "count": 110.0, "tax": 200.0})


def test_apple_orange() -> None:
    ex = examples.apple_orange()
    assert ex.root.data == pytest.approx(715.0)
    g = {k: v.grad for k, v in ex.leaves.items()}
    assert g == pytest.approx(
        {"apple": 2.2, "apple_count": 110.0, "orange": 3.3, "orange_count": 165.0, "tax": 650.0}
    )


def test_toy_model_loss_and_all_eight_gradients_match_the_hand_written_pass() -> None:
    ex = examples.toy_model()
    assert ex.root.data == pytest.approx(0.1385805664, abs=1e-10)
    ref = examples.toy_model_reference()
    assert len(ex.leaves) == 8
    for name, leaf in ex.leaves.items():
        assert leaf.grad == pytest.approx(ref[name], rel=1e-12), name


def test_sigmoid_from_primitives() -> None:
    ex = examples.sigmoid(0.5)
    ops = []
    node = ex.root
    while node.parents:
        ops.append(node.op)
        node = node.parents[0]
    assert ops == ["/", "+", "exp", "*"]
    y = ex.root.data
    assert y == pytest.approx(1 / (1 + math.exp(-0.5)))
    assert ex.leaves["x"].grad == pytest.approx(y * (1 - y))


@pytest.mark.parametrize("x", [-3.0, 0.0, 2.5])
def test_sigmoid_gradient_is_y_one_minus_y(x: float) -> None:
    ex = examples.sigmoid(x)
    y = ex.root.data
    assert ex.leaves["x"].grad == pytest.approx(y * (1 - y))


def test_chain_rule_exercise() -> None:
    r, t = 1.5, 0.7
    ex = examples.chain_rule(r, t)
    assert ex.leaves["r"].grad == pytest.approx(2 * r * math.sin(t) ** 2)
    assert ex.leaves["t"].grad == pytest.approx((r**2 + 2) * math.sin(2 * t))


def test_wx_norm() -> None:
    ex = examples.wx_norm()
    assert ex.root.data == pytest.approx(0.116)
    g = {k: v.grad for k, v in ex.leaves.items()}
    assert g == pytest.approx(
        {"W11": 0.088, "W12": 0.176, "W21": 0.104, "W22": 0.208, "x1": -0.112, "x2": 0.636}
    )


def test_weight_update_with_sigma_2_8() -> None:
    """Seed 002: dE/dw11 = -(1.5 * sigma'(2.8) * 0.4); lr 0.1 gives w11 = 2.00324."""
    from autograd import Value

    w11 = Value(2.0)
    net = w11 * 0.4 + 4.0 * 0.5
    out = net.sigmoid()
    # E's derivative w.r.t. the output is -(t - o) = -1.5 (the seed's error e1 = 1.5)
    (out * -1.5).backward()
    assert net.data == pytest.approx(2.8)
    assert out.data == pytest.approx(0.943, abs=5e-4)
    assert w11.grad == pytest.approx(-0.0324, abs=5e-4)
    assert w11.data - 0.1 * w11.grad == pytest.approx(2.00324, abs=5e-5)


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_every_example_matches_its_expected_numbers(name: str) -> None:
    ex = EXAMPLES[name]()
    assert ex.name == name
    for key, expected in ex.expected.items():
        actual = ex.leaves[key].grad if key in ex.leaves else ex.root.data
        assert actual == pytest.approx(expected, rel=1e-9, abs=1e-12), key


def test_toy_model_nodes_carry_the_notes_names_and_x_y_are_leaves() -> None:
    from autograd import topo_order

    ex = examples.toy_model()
    nodes = {v.label: v for v in topo_order(ex.root) if v.label}
    for name in ("f0", "h1", "f1", "h2", "f2", "h3", "f3", "l", "x", "y"):
        assert name in nodes, name
    assert nodes["x"].is_leaf
    assert nodes["y"].is_leaf
    assert nodes["x"].data == pytest.approx(2.3)
    assert nodes["y"].data == pytest.approx(2.0)
    assert ex.root is nodes["l"]
    assert nodes["h1"].op == "sin"
    assert nodes["h2"].op == "exp"
    assert nodes["h3"].op == "cos"
    ref = examples.toy_model_reference()
    assert nodes["y"].grad == pytest.approx(-ref["beta3"])  # dl/dy = -2(f3 - y)


def test_fan_out() -> None:
    ex = examples.fan_out()
    assert ex.root.data == pytest.approx(18.0)
    assert ex.leaves["x"].grad == pytest.approx(6.0)
    assert ex.leaves["y"].grad == pytest.approx(3.0)


# ------------------------------------------- the books' examples (issue 13): their numbers
def test_dezero_step24_sphere_and_matyas_at_1_1() -> None:
    ex = examples.sphere()
    assert ex.root.data == pytest.approx(2.0)
    assert (ex.leaves["x"].grad, ex.leaves["y"].grad) == pytest.approx((2.0, 2.0))
    ex = examples.matyas()
    assert ex.root.data == pytest.approx(0.04, abs=1e-15)
    assert ex.leaves["x"].grad == pytest.approx(0.040000000000000036, abs=1e-15)
    assert ex.leaves["y"].grad == pytest.approx(0.040000000000000036, abs=1e-15)


def test_dezero_step24_goldstein_price_at_1_1_is_1876() -> None:
    ex = examples.goldstein_price()
    assert ex.root.data == pytest.approx(1876.0, abs=1e-9)
    assert ex.leaves["x"].grad == pytest.approx(-5376.0, abs=1e-9)
    assert ex.leaves["y"].grad == pytest.approx(8064.0, abs=1e-9)


def test_dezero_step27_taylor_sin_at_pi_over_4_has_the_books_digits() -> None:
    ex = examples.taylor_sin()
    assert ex.root.data == pytest.approx(0.7071064695751781, abs=1e-15)
    assert ex.leaves["x"].grad == pytest.approx(0.7071032148228457, abs=1e-15)
    assert ex.root.data == pytest.approx(math.sin(math.pi / 4), abs=1e-5)
    longer = examples.taylor_sin(threshold=1e-150)
    assert longer.root.data == pytest.approx(math.sin(math.pi / 4), abs=1e-15)
    assert longer.leaves["x"].grad == pytest.approx(math.cos(math.pi / 4), abs=1e-15)


def test_micrograd_video_L_is_minus_8_and_one_step_gives_minus_7_286496() -> None:
    ex = examples.micrograd_L()
    assert ex.root.data == pytest.approx(-8.0)
    grads = {k: v.grad for k, v in ex.leaves.items()}
    assert grads == pytest.approx({"a": 6.0, "b": -4.0, "c": -2.0, "f": 4.0})
    a, b, c, f = (ex.leaves[k].data + 0.01 * ex.leaves[k].grad for k in "abcf")
    assert (a * b + c) * f == pytest.approx(-7.286496, abs=1e-12)


def test_micrograd_video_neuron() -> None:
    ex = examples.micrograd_neuron()
    assert ex.root.data == pytest.approx(0.7071067811865476, abs=1e-15)
    grads = {k: v.grad for k, v in ex.leaves.items()}
    assert grads == pytest.approx(
        {"x1": -1.5, "w1": 1.0, "x2": 0.5, "w2": 0.0, "b": 0.5}, abs=1e-12
    )


def test_micrograd_readme_example() -> None:
    ex = examples.micrograd_readme()
    assert ex.root.data == pytest.approx(24.7041, abs=5e-5)
    assert ex.leaves["a"].grad == pytest.approx(138.8338, abs=5e-5)
    assert ex.leaves["b"].grad == pytest.approx(645.5773, abs=5e-5)


BOOK_EXAMPLES = [
    "sphere",
    "matyas",
    "goldstein_price",
    "taylor_sin",
    "micrograd_L",
    "micrograd_neuron",
    "micrograd_readme",
]


@pytest.mark.parametrize("name", BOOK_EXAMPLES)
def test_book_examples_are_registered_and_their_expected_numbers_hold(name: str) -> None:
    ex = EXAMPLES[name]()
    assert ex.name == name
    assert ex.expected, name
    for key, want in ex.expected.items():
        got = ex.leaves[key].grad if key in ex.leaves else ex.root.data
        assert key in ex.leaves or key == ex.root.label, key
        assert got == pytest.approx(want, rel=1e-12, abs=1e-12), key


@pytest.mark.parametrize("command", ["render", "explain"])
def test_book_examples_work_from_the_command_line(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from autograd.__main__ import main

    out = str(tmp_path / "g.dot")
    args = (
        ["render", "goldstein_price", "-o", out]
        if command == "render"
        else [command, "micrograd_neuron"]
    )
    assert main(args) == 0
    if command == "explain":
        assert "0.7071" in capsys.readouterr().out


def test_book_procedures_in_nn_examples() -> None:
    from nn import examples as nx

    x0, x1 = nx.gradient_descent(0.1)
    assert abs(x0 + 6.111107929e-10) < 1e-18
    assert abs(x1 - 8.148143906e-10) < 1e-18
    assert all(abs(c) > 1e100 for c in nx.gradient_descent(10.0))
    x0, x1 = nx.gradient_descent(1e-10)
    assert abs(x0 + 3.0) < 1e-7
    assert abs(x1 - 4.0) < 1e-7
    ends = {name: path[-1] for name, path in nx.optimizer_paths().items()}
    book = {
        "SGD": (-0.3504, 0.0848),
        "Momentum": (0.8964, 0.0881),
        "AdaGrad": (-0.1202, 0.0),
        "Adam": (0.1360, 0.3182),
    }
    for name, (bx, by) in book.items():
        assert abs(ends[name][0] - bx) < 5e-5, name
        assert abs(ends[name][1] - by) < 5e-5, name
    x0, x1 = nx.rosenbrock_descent(1000)
    assert abs(x0 - 0.6837) < 5e-5
    assert abs(x1 - 0.4660) < 5e-5
    path = nx.newton_minimize()
    for got, want in zip(
        path, [2.0, 1.4545454545, 1.1510467894, 1.0253259290, 1.0009084519], strict=False
    ):
        assert abs(got - want) < 1e-10
    assert abs(path[7] - 1.0) < 1e-15


def test_rosenbrock_and_tanh_derivative_graphs() -> None:
    ex = EXAMPLES["rosenbrock"]()
    assert abs(ex.root.data - 401.0) < 1e-9
    assert abs(ex.leaves["x0"].grad + 2.0) < 1e-12
    assert abs(ex.leaves["x1"].grad - 400.0) < 1e-9
    for name, value, nxt in (("tanh_d2", -0.63970, 0.62163), ("tanh_d4", 0.66509, -5.55689)):
        ex = EXAMPLES[name]()
        assert abs(ex.root.data - value) < 5e-6
        assert abs(ex.leaves["x"].grad - nxt) < 5e-6  # its backward gives the next order
    with pytest.raises(ValueError, match="from 1 to 8"):
        examples.tanh_derivative(9)


def test_tanh_derivative_titles_use_english_ordinals() -> None:
    titles = {n: examples.tanh_derivative(n).description for n in (1, 2, 3, 4, 8)}
    assert "the 1st derivative" in titles[1]
    assert "the 2nd derivative" in titles[2]
    assert "the 3rd derivative" in titles[3]
    assert "the 4th derivative" in titles[4]
    assert "the 8th derivative" in titles[8]
