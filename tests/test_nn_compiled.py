"""fit(compile=True | "batch"): the compiled step trains as the eager step does."""

from __future__ import annotations

from typing import Any

import pytest

import nn
from nn import compiled as nn_compiled

pytest.importorskip("numpy")


def _train(compile: Any, loss: str = "mse", batch_size: int | None = None, **kw: Any) -> Any:
    model = nn.MLP(2, [8, 8, 1], seed=0)
    X, y = kw.pop("data", None) or nn.data.make_moons(60, noise=0.1, seed=0)
    opt = kw.pop("opt", None) or nn.Adam(model.parameters(), lr=0.02)
    h = nn.fit(
        model,
        X,
        y,
        loss=loss,
        optimizer=opt,
        epochs=10,
        batch_size=batch_size,
        progress=False,
        compile=compile,
        **kw,
    )
    return model, h


def _same(a: Any, b: Any, tol: float = 1e-10) -> None:
    (ma, ha), (mb, hb) = a, b
    for p, q in zip(ma.parameters(), mb.parameters(), strict=True):
        assert p.data == pytest.approx(q.data, rel=tol, abs=tol)
    assert ha.loss == pytest.approx(hb.loss, rel=tol, abs=tol)
    assert ha.accuracy == hb.accuracy


@pytest.mark.parametrize("mode", [True, "batch"])
@pytest.mark.parametrize(
    ("loss", "batch_size"),
    [("mse", None), ("bce_with_logits", 8), ("hinge", 1), ("sse_half", 25)],
)
def test_compiled_training_equals_eager_after_10_epochs(
    mode: Any, loss: str, batch_size: Any
) -> None:
    _same(_train(mode, loss, batch_size), _train(False, loss, batch_size))


@pytest.mark.parametrize("mode", [True, "batch"])
def test_multi_class_softmax_and_validation(mode: Any) -> None:
    X, labels = nn.data.make_spirals(30, classes=3, seed=0)
    k = max(labels) + 1

    def run(c: Any) -> Any:
        model = nn.MLP(2, [6, k], seed=1)
        h = nn.fit(
            model,
            X,
            labels,
            loss="softmax_cross_entropy",
            optimizer=nn.SGD(model.parameters(), lr=0.1),
            epochs=10,
            batch_size=10,
            validation=(X[:5], labels[:5]),
            progress=False,
            compile=c,
        )
        return model, h

    a, b = run(mode), run(False)
    _same(a, b)
    assert a[1].val_loss == pytest.approx(b[1].val_loss, rel=1e-10)


@pytest.mark.parametrize("mode", [True, "batch"])
def test_regression_targets_become_arguments(mode: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(nn_compiled, "MAX_TARGET_KEYS", 4)
    X, y = nn.data.make_sine(30, seed=0)

    def run(c: Any) -> Any:
        model = nn.MLP(1, [6, 1], seed=2)
        h = nn.fit(
            model,
            X,
            y,
            loss="mse",
            optimizer=nn.SGD(model.parameters(), lr=0.05),
            epochs=10,
            batch_size=7,
            progress=False,
            compile=c,
        )
        return model, h

    _same(run(mode), run(False))


def test_bad_compile_argument() -> None:
    model = nn.MLP(2, [2, 1], seed=0)
    for bad in ("fast", 1, None):
        with pytest.raises(ValueError, match="compile must be"):
            nn.fit(model, [[0.0, 1.0]], [1.0], epochs=1, progress=False, compile=bad)
    with pytest.raises(ValueError, match="shape"):
        nn.fit(model, [[0.0, 1.0], [1.0]], [1.0, 0.0], epochs=1, progress=False, compile=True)
