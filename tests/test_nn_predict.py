"""predict, accuracy and metrics in History, one-hot targets (issue 8, module habits)."""

from __future__ import annotations

import math
from typing import Any

import pytest

import nn
from autograd import Value, is_grad_enabled
from nn import MLP, SGD, Adam, fit, make_moons, make_spirals, one_hot, predict
from nn.metrics import accuracy_for_loss, argmax, binary_accuracy, categorical_accuracy


# ----------------------------------------------------------------------- predict
def test_predict_single_output_gives_floats_equal_to_the_model() -> None:
    model = MLP(2, [4, 1], seed=0)
    X = [[0.1, 0.2], [-1.0, 3.0], [0.0, 0.0]]
    out = predict(model, X)
    assert all(type(v) is float for v in out)
    assert out == pytest.approx([model(x).data for x in X], abs=1e-15)
    assert model.predict(X) == pytest.approx(out, abs=1e-15)


def test_predict_multi_output_gives_lists_of_floats() -> None:
    model = MLP(2, [4, 3], seed=1)
    out = predict(model, [[0.5, -0.5], [1.0, 2.0]])
    assert [len(row) for row in out] == [3, 3]
    assert all(type(v) is float for row in out for v in row)
    assert out[1] == pytest.approx([v.data for v in model([1.0, 2.0])], abs=1e-15)


def test_predict_records_no_graph_and_leaves_grads_alone() -> None:
    model = MLP(2, [3, 1], seed=0)
    for p in model.parameters():
        p.grad = 0.25
    seen: list[bool] = []

    def wrapped(x: Any) -> Any:
        out = model(x)
        seen.append(is_grad_enabled())
        assert out.is_leaf  # no_grad: ops return leaves
        return out

    predict(wrapped, [[1.0, 2.0], [3.0, 4.0]])
    assert seen == [False, False]
    assert is_grad_enabled()
    assert all(p.grad == 0.25 for p in model.parameters())


def test_predict_for_one_input_model_takes_a_list_of_numbers() -> None:
    model = MLP(1, [3, 1], seed=0)
    assert predict(model, [0.5, 1.0]) == pytest.approx(predict(model, [[0.5], [1.0]]), abs=0)


def test_predict_says_x_must_be_a_batch() -> None:
    with pytest.raises(ValueError, match=r"for one input x write predict\(model, \[x\]\)"):
        predict(MLP(2, [1]), [0.5, 1.0])


def test_predict_rejects_outputs_that_are_not_numbers() -> None:
    with pytest.raises(TypeError, match="the model returned str"):
        predict(lambda x: "no", [[1.0]])


# ----------------------------------------------------------------------- metrics
def test_metric_functions() -> None:
    assert binary_accuracy([0.9, 0.2, 0.7, 0.4], [1, 0, 0, 1]) == pytest.approx(0.5)
    assert binary_accuracy([[0.9, 0.2]], [[1, 1]]) == pytest.approx(0.5)
    assert binary_accuracy([-0.1, 0.3], [-1, 1], threshold=0.0) == pytest.approx(1.0)
    assert binary_accuracy([-0.1, 0.3], [0, 1], threshold=0.0) == pytest.approx(1.0)
    assert categorical_accuracy([[0.0, 1.0], [2.0, 1.0]], [[0.0, 1.0], [0.0, 1.0]]) == 0.5
    assert argmax([1.0, 3.0, 3.0]) == 1  # the first on a tie
    with pytest.raises(ValueError, match="3 predictions but 2 targets"):
        binary_accuracy([1.0, 2.0, 3.0], [1, 0])
    with pytest.raises(ValueError, match="list of class scores"):
        categorical_accuracy([0.3], [1])


@pytest.mark.parametrize(
    ("loss", "threshold"),
    [("bce", 0.5), ("bce_with_logits", 0.0), ("hinge", 0.0), (nn.hinge, 0.0), (nn.bce, 0.5)],
)
def test_accuracy_for_binary_losses(loss: Any, threshold: float) -> None:
    metric = accuracy_for_loss(loss)
    assert metric is not None
    just_above, just_below = threshold + 1e-9, threshold - 1e-9
    assert metric([just_above, just_below], [1, 0]) == pytest.approx(1.0)


@pytest.mark.parametrize("loss", ["mse", "sse_half", nn.mse, lambda p, t: (p - t) ** 2])
def test_regression_losses_have_no_accuracy(loss: Any) -> None:
    assert accuracy_for_loss(loss) is None


# ------------------------------------------------------------- history and fit
def test_history_accuracy_for_hinge_matches_predict() -> None:
    X, y = make_moons(40, seed=0)
    model = MLP(2, [8, 1], seed=0)
    h = fit(
        model,
        X,
        y,
        loss="hinge",
        optimizer=Adam(model.parameters(), lr=0.05),
        epochs=6,
        validation=(X, y),
        progress=False,
    )
    assert len(h.accuracy) == len(h.val_accuracy) == 6
    # full batch: epoch k+1's training outputs come from the model validated after epoch k
    assert h.accuracy[1:] == pytest.approx(h.val_accuracy[:-1], abs=1e-12)
    expected = binary_accuracy(predict(model, X), y, threshold=0.0)
    assert h.val_accuracy[-1] == pytest.approx(expected, abs=1e-12)
    assert h.val_accuracy[-1] > 0.75


def test_history_accuracy_for_bce_with_sigmoid_outputs() -> None:
    X, y = make_moons(30, seed=2)
    model = MLP(2, [6, 1], output_activation="sigmoid", seed=0)
    h = fit(
        model,
        X,
        y,
        loss="bce",
        optimizer=Adam(model.parameters(), lr=0.05),
        epochs=5,
        validation=(X, y),
        progress=False,
    )
    expected = sum((p > 0.5) == (t == 1) for p, t in zip(predict(model, X), y, strict=True))
    assert h.val_accuracy[-1] == pytest.approx(expected / len(y), abs=1e-12)


def test_no_accuracy_for_mse() -> None:
    h = fit(MLP(1, [1]), [[0.0], [1.0]], [0.0, 1.0], epochs=3, progress=False)
    assert h.accuracy == []
    assert h.val_accuracy == []
    assert h.metrics == {}


def test_multiclass_accuracy_with_indices_and_one_hot_agree() -> None:
    X, y = make_spirals(60, classes=3, turns=0.6, seed=0)
    histories = []
    for targets in (y, one_hot(y, 3)):
        model = MLP(2, [8, 3], seed=0)
        histories.append(
            fit(
                model,
                X,
                targets,
                loss="softmax_cross_entropy",
                optimizer=Adam(model.parameters(), lr=0.05),
                epochs=8,
                batch_size=20,
                validation=(X, targets),
                progress=False,
            )
        )
        final = categorical_accuracy(predict(model, X), y)
        assert histories[-1].val_accuracy[-1] == pytest.approx(final, abs=1e-12)
    by_index, by_one_hot = histories
    assert by_one_hot.loss == pytest.approx(by_index.loss, rel=1e-12)
    assert by_one_hot.accuracy == pytest.approx(by_index.accuracy, abs=1e-12)
    assert by_index.loss[-1] < by_index.loss[0]


def test_soft_targets_follow_pytorch_cross_entropy() -> None:
    model = MLP(2, [3], activation=None, seed=0)
    x, target = [0.3, -0.7], [0.2, 0.5, 0.3]
    logits = [v.data for v in model(x)]
    lse = math.log(sum(math.exp(v) for v in logits))
    expected = -sum(t * (v - lse) for t, v in zip(target, logits, strict=True))
    h = fit(
        model,
        [x],
        [target],
        loss="softmax_cross_entropy",
        optimizer=SGD(model.parameters(), lr=1e-3),
        epochs=1,
        progress=False,
    )
    assert h.loss[0] == pytest.approx(expected, rel=1e-12)


def test_bad_one_hot_rows_are_named() -> None:
    model = MLP(2, [3], seed=0)
    with pytest.raises(ValueError, match="3 class scores but a target row of 2"):
        fit(model, [[0.0, 0.0]], [[1.0, 0.0]], loss="softmax_cross_entropy", progress=False)
    with pytest.raises(ValueError, match="all zeros"):
        fit(model, [[0.0, 0.0]], [[0, 0, 0]], loss="softmax_cross_entropy", progress=False)


def test_metrics_are_recorded_with_validation_versions() -> None:
    calls: list[tuple[list[Any], list[Any]]] = []

    def mae(predictions: list[Any], targets: list[Any]) -> float:
        calls.append((predictions, targets))
        return sum(abs(p - t) for p, t in zip(predictions, targets, strict=True)) / len(targets)

    X, y = [[0.0], [0.5], [1.0]], [0.0, 0.5, 1.0]
    model = MLP(1, [4, 1], seed=0)
    h = fit(
        model,
        X,
        y,
        optimizer=Adam(model.parameters(), lr=0.05),
        epochs=4,
        batch_size=2,
        metrics={"mae": mae, "worst": lambda p, t: Value(max(p))},
        validation=(X[:2], y[:2]),
        progress=False,
    )
    assert list(h.metrics) == ["mae", "worst"]
    assert len(h.metrics["mae"]) == len(h.val_metrics["mae"]) == 4
    assert all(type(v) is float for v in h.metrics["worst"])
    train_preds, train_targets = calls[-2]
    assert sorted(train_targets) == sorted(y)  # every sample once, in the epoch's order
    assert all(type(p) is float for p in train_preds)
    val_preds, val_targets = calls[-1]
    assert val_targets == y[:2]
    assert val_preds == pytest.approx(predict(model, X[:2]), abs=1e-15)
    assert h.val_metrics["mae"][-1] == pytest.approx(
        sum(abs(p - t) for p, t in zip(val_preds, y[:2], strict=True)) / 2, abs=1e-15
    )


def test_bad_metrics_argument() -> None:
    with pytest.raises(TypeError, match=r"fit: metrics must be a dict"):
        fit(MLP(1, [1]), [[0.0]], [0.0], metrics=[len], progress=False)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="fit: metrics must map names to functions"):
        fit(MLP(1, [1]), [[0.0]], [0.0], metrics={"x": 3}, progress=False)  # type: ignore[dict-item]
