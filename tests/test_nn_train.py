"""fit(): results on the source documents' problems, progress, callbacks, Ctrl-C."""

from __future__ import annotations

import math
import signal
import statistics
from typing import Any

import pytest

from nn import MLP, SGD, Adam, History, fit, make_circles, make_moons, make_sine, make_spirals
from nn.data import train_test_split


def accuracy(model: MLP, X: list[list[float]], y: list[int]) -> float:
    return sum((model(x).data > 0) == (t == 1) for x, t in zip(X, y, strict=True)) / len(X)


def test_moons_reaches_97_percent() -> None:
    X, y = make_moons(100, noise=0.1, seed=0)
    model = MLP(2, [16, 16, 1], seed=0)
    opt = Adam(model.parameters(), lr=0.05)
    fit(model, X, y, loss="hinge", optimizer=opt, epochs=40, progress=False)
    assert accuracy(model, X, y) >= 0.97


def test_sine_fits_to_mse_below_001() -> None:
    X, y = make_sine(40, seed=0)
    model = MLP(1, [5, 5, 5, 1], activation="tanh", seed=0)
    history = fit(
        model, X, y, optimizer=Adam(model.parameters(), lr=0.02), epochs=300, progress=False
    )
    mse = statistics.fmean((model(x).data - t) ** 2 for x, t in zip(X, y, strict=True))
    assert mse < 0.01
    assert history.loss[-1] < 0.01


def test_seed000_per_sample_sgd_reduces_the_loss_on_average() -> None:
    X, y = make_sine(20, noise=0.05, seed=3)
    model = MLP(1, [4, 4, 1], activation="tanh", seed=1)
    history = fit(
        model,
        X,
        y,
        optimizer=SGD(model.parameters(), lr=0.05),
        batch_size=1,
        epochs=60,
        progress=False,
    )
    thirds = [history.loss[i * 20 : (i + 1) * 20] for i in range(3)]
    means = [statistics.fmean(t) for t in thirds]
    assert means[0] > means[1] > means[2]
    assert history.loss[-1] < history.loss[0]


def test_history_and_validation() -> None:
    X, y = make_moons(40, seed=1)
    Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.25, seed=0)
    assert (len(Xtr), len(Xte)) == (30, 10)
    model = MLP(2, [4, 1], output_activation="sigmoid", seed=0)
    h = fit(
        model,
        Xtr,
        ytr,
        loss="bce",
        optimizer=Adam(model.parameters(), lr=0.05),
        epochs=8,
        batch_size=10,
        validation=(Xte, yte),
        progress=False,
    )
    assert isinstance(h, History)
    assert len(h.loss) == len(h.val_loss) == 8
    assert all(math.isfinite(v) for v in h.loss + h.val_loss)


@pytest.mark.parametrize("loss", ["mse", "sse_half", "bce_with_logits", "hinge"])
def test_named_losses_train(loss: str) -> None:
    X, y = make_circles(30, seed=0)
    model = MLP(2, [6, 1], seed=0)
    h = fit(
        model,
        X,
        y,
        loss=loss,
        optimizer=Adam(model.parameters(), lr=0.05),
        epochs=15,
        progress=False,
    )
    assert h.loss[-1] < h.loss[0]


def test_softmax_cross_entropy_with_class_indices() -> None:
    X, y = make_spirals(30, seed=0)
    model = MLP(2, [8, 2], seed=0)
    h = fit(
        model,
        X,
        y,
        loss="softmax_cross_entropy",
        optimizer=Adam(model.parameters(), lr=0.05),
        epochs=15,
        progress=False,
    )
    assert h.loss[-1] < h.loss[0]


def test_callable_loss_and_callback_stop() -> None:
    X, y = [[0.0], [1.0]], [0.0, 1.0]
    model = MLP(1, [1], seed=0)
    seen: list[int] = []

    def callback(epoch: int, history: History) -> bool:
        seen.append(epoch)
        return epoch == 3

    h = fit(
        model, X, y, loss=lambda p, t: (p - t) ** 2, epochs=10, callback=callback, progress=False
    )
    assert seen == [1, 2, 3]
    assert len(h.loss) == 3


def _hide_tqdm(monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    real_import = builtins.__import__

    def no_tqdm(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "tqdm" or name.startswith("tqdm."):
            raise ImportError("no tqdm")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_tqdm)


@pytest.mark.parametrize(
    ("epochs", "expected"),
    [
        (5, [1, 2, 3, 4, 5]),
        (20, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 14, 16, 18, 20]),
        (100, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100]),
        (25, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 15, 18, 21, 24, 25]),
    ],
)
def test_progress_lines_without_tqdm_cadence_and_stream(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    epochs: int,
    expected: list[int],
) -> None:
    _hide_tqdm(monkeypatch)
    h = fit(MLP(1, [1]), [[0.0], [1.0]], [1.0, 0.0], epochs=epochs, progress=True)
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert [int(line.split()[1].split("/")[0]) for line in lines] == expected
    assert all(line.split()[1].endswith(f"/{epochs}") for line in lines)
    last = lines[-1].split()
    assert last[2] == "loss"
    assert float(last[3]) == pytest.approx(h.loss[-1], rel=1e-5)


def test_progress_lines_show_accuracy_and_validation(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _hide_tqdm(monkeypatch)
    X, y = make_moons(20, seed=0)
    fit(MLP(2, [3, 1]), X, y, loss="hinge", epochs=2, validation=(X, y), progress=True)
    line = capsys.readouterr().err.splitlines()[-1]
    assert line.startswith("epoch 2/2  loss ")
    for word in ("accuracy", "val_loss", "val_accuracy"):
        assert f" {word} " in line


def test_progress_false_prints_nothing_without_tqdm(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _hide_tqdm(monkeypatch)
    fit(MLP(1, [1]), [[0.0]], [1.0], epochs=30, progress=False)
    assert capsys.readouterr() == ("", "")


def test_progress_bar_with_tqdm(capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("tqdm")
    fit(MLP(1, [1]), [[0.0]], [1.0], epochs=3, progress=True)
    captured = capsys.readouterr()
    assert "3/3" in captured.err
    assert "loss" in captured.err
    assert captured.out == ""


def test_progress_bar_shows_the_loss_of_the_epoch_it_counts(
    capsys: pytest.CaptureFixture[str],
) -> None:
    pytest.importorskip("tqdm")
    import re

    h = fit(MLP(1, [2, 1]), [[0.0], [1.0]], [1.0, 0.0], epochs=4, progress=True)
    frames = re.split(r"[\r\n]", capsys.readouterr().err)
    shown = [
        (int(m.group(1)), m.group(2))
        for frame in frames
        if (m := re.search(r"(\d+)/4 .*loss ([-+.\de]+)", frame))
    ]
    assert shown, frames
    assert shown[-1][0] == 4
    for epoch, text in shown:
        assert text == f"{h.loss[epoch - 1]:.6g}", (epoch, text, h.loss)


def test_progress_uses_tqdm_auto(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys
    import types

    events: list[tuple[str, Any]] = []

    class FakeBar:
        def __init__(self, **kwargs: Any) -> None:
            events.append(("init", kwargs))
            self.n, self.postfix = 0, ""

        def set_postfix_str(self, text: str, refresh: bool = True) -> None:
            self.postfix = text
            if refresh:
                events.append(("draw", (self.n, self.postfix)))

        def update(self, n: int = 1) -> None:
            self.n += n
            events.append(("draw", (self.n, self.postfix)))

        def write(self, text: str, file: Any = None) -> None:
            events.append(("write", text))

        def close(self) -> None:
            events.append(("close", None))

    fake = types.ModuleType("tqdm.auto")
    fake.tqdm = FakeBar  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "tqdm.auto", fake)
    h = fit(MLP(1, [1]), [[0.0]], [1.0], epochs=3, progress=True)
    assert events[0] == ("init", {"total": 3, "unit": "epoch", "file": sys.stderr})
    draws = [payload for kind, payload in events if kind == "draw"]
    assert [n for n, _ in draws] == [1, 2, 3]
    for n, text in draws:
        assert text == f"loss {h.loss[n - 1]:.6g}"
    assert events[-1] == ("close", None)


def test_progress_false_prints_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    fit(MLP(1, [1]), [[0.0]], [1.0], epochs=5, progress=False)
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == ""


def test_ctrl_c_stops_after_the_current_step_and_returns_the_history() -> None:
    calls = 0

    def loss(p: Any, t: Any) -> Any:
        nonlocal calls
        calls += 1
        if calls == 5:
            signal.raise_signal(signal.SIGINT)
        return (p - t) ** 2

    X, y = [[0.0], [1.0]], [0.0, 1.0]
    before = signal.getsignal(signal.SIGINT)  # SIG_IGN when pytest runs as a background job
    h = fit(MLP(1, [1]), X, y, loss=loss, epochs=100, batch_size=1, progress=False)
    assert h.interrupted
    assert len(h.loss) == 3  # epochs 1-2 done, epoch 3 stopped after its first step
    assert signal.getsignal(signal.SIGINT) is before  # fit puts the handler back


def test_ctrl_c_between_epochs_stops_before_the_next_one(
    capsys: pytest.CaptureFixture[str],
) -> None:
    def press_ctrl_c(epoch: int, history: History) -> None:
        if epoch == 3:
            signal.raise_signal(signal.SIGINT)

    X, y = [[0.0], [1.0]], [0.0, 1.0]
    h = fit(MLP(1, [1]), X, y, epochs=100, batch_size=1, callback=press_ctrl_c, progress=False)
    assert h.interrupted
    assert len(h.loss) == 3
    err = capsys.readouterr().err.splitlines()
    assert err == [
        "fit: Ctrl-C after epoch 3/100, step 2/2: stopping (press Ctrl-C again to abort at once)"
    ]


def test_ctrl_c_message_names_the_epoch_and_step(capsys: pytest.CaptureFixture[str]) -> None:
    calls = 0

    def loss(p: Any, t: Any) -> Any:
        nonlocal calls
        calls += 1
        if calls == 4:  # epoch 2, step 1 of 3 (batch_size=1, three samples)
            signal.raise_signal(signal.SIGINT)
        return (p - t) ** 2

    X, y = [[0.0], [0.5], [1.0]], [0.0, 0.5, 1.0]
    h = fit(MLP(1, [1]), X, y, loss=loss, epochs=10, batch_size=1, progress=False)
    assert len(h.loss) == 2
    assert capsys.readouterr().err.splitlines() == [
        "fit: Ctrl-C at epoch 2/10, step 1/3: stopping after this step "
        "(press Ctrl-C again to abort at once)"
    ]


def test_fit_argument_errors() -> None:
    model = MLP(1, [1])
    with pytest.raises(ValueError, match="2 inputs but 1 targets"):
        fit(model, [[0.0], [1.0]], [0.0], progress=False)
    with pytest.raises(ValueError, match="unknown loss"):
        fit(model, [[0.0]], [0.0], loss="l1", progress=False)
    with pytest.raises(ValueError, match="batch_size"):
        fit(model, [[0.0]], [0.0], batch_size=0, progress=False)


def test_gc_state_is_restored() -> None:
    import gc

    assert gc.isenabled()
    fit(MLP(1, [1]), [[0.0]], [0.0], epochs=1, progress=False)
    assert gc.isenabled()


def test_datasets_are_seeded() -> None:
    for make in (make_moons, make_circles, make_spirals):
        X1, y1 = make(50, seed=4)
        X2, y2 = make(50, seed=4)
        X3, _ = make(50, seed=5)
        assert (X1, y1) == (X2, y2)
        assert X1 != X3
        assert sorted(set(y1)) == [0, 1]
        assert all(len(x) == 2 and all(isinstance(c, float) for c in x) for x in X1)
    X, y = make_sine(10)
    assert X[0] == [pytest.approx(-math.pi)]
    assert y[0] == pytest.approx(0.0, abs=1e-12)
    with pytest.raises(ValueError, match="n must be"):
        make_moons(1)


def test_fit_takes_numpy_arrays_as_lists() -> None:
    """X, y and validation as numpy arrays train exactly as the same data as lists."""
    np = pytest.importorskip("numpy")
    X, y = make_moons(20, seed=0)
    a, b = MLP(2, [4, 1], seed=0), MLP(2, [4, 1], seed=0)
    ha = fit(a, X, y, loss="mse", epochs=2, progress=False, validation=(X, y))
    hb = fit(
        b,
        np.array(X),
        np.array(y),
        loss="mse",
        epochs=2,
        progress=False,
        validation=(np.array(X), np.array(y)),
    )
    assert a.state_dict() == b.state_dict()  # the same floats, operation for operation
    assert ha.loss == hb.loss
