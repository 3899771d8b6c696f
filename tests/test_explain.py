"""autograd.explain: step-by-step tables, per-node checks, the HTML page and the CLI."""

from __future__ import annotations

import math
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd
from autograd import Value, defop, examples, topo_order
from autograd.explanation import Explanation, _width, check_nodes, explain
from tests.strategies import evaluate, expressions

# --------------------------------------------------------------- the toy model


def notes_backward() -> dict[str, float]:
    """The lecture notes' hand-written pass ("Backpropagation <Toy model>"), line by line."""
    beta0, beta1, beta2, beta3 = 1.0, 2.0, -3.0, 0.4
    omega0, omega1, omega2, omega3 = 0.1, -0.4, 2.0, 3.0
    x, y = 2.3, 2.0
    f0 = beta0 + omega0 * x
    h1 = math.sin(f0)
    f1 = beta1 + omega1 * h1
    h2 = math.exp(f1)
    f2 = beta2 + omega2 * h2
    h3 = math.cos(f2)
    f3 = beta3 + omega3 * h3
    dldf3 = 2 * (f3 - y)
    dldh3 = omega3 * dldf3
    dldf2 = -math.sin(f2) * dldh3
    dldh2 = omega2 * dldf2
    dldf1 = math.exp(f1) * dldh2
    dldh1 = omega1 * dldf1
    dldf0 = math.cos(f0) * dldh1
    return {
        "f3": dldf3,
        "h3": dldh3,
        "f2": dldf2,
        "h2": dldh2,
        "f1": dldf1,
        "h1": dldh1,
        "f0": dldf0,
        "beta3": 2 * (f3 - y),
        "omega3": h3 * 2 * (f3 - y),
        "beta2": dldf2,
        "omega2": h2 * dldf2,
        "beta1": dldf1,
        "omega1": h1 * dldf1,
        "beta0": dldf0,
        "omega0": x * dldf0,
    }


def test_toy_backward_reproduces_the_notes_step_by_step() -> None:
    expl = explain(examples.toy_model().root)
    ref = notes_backward()
    by_name = {s.name: s for s in expl.backward}
    for name, value in ref.items():
        assert by_name[name].value == pytest.approx(value, rel=1e-10, abs=1e-12), name
        # each dldfk/dldhk is one upstream gradient times one local derivative
        (term,) = by_name[name].terms
        assert term.upstream * term.partial == pytest.approx(value, rel=1e-10), name
    chain = [s.name for s in expl.backward if re.fullmatch(r"[fh]\d", s.name)]
    assert chain == ["f3", "h3", "f2", "h2", "f1", "h1", "f0"]  # the notes' order
    # each step comes after every step that uses its node
    pos = {s.name: s.index for s in expl.backward}
    for s in expl.backward:
        for t in s.terms:
            assert pos[t.consumer] < s.index


def test_toy_steps_read_like_the_notes() -> None:
    expl = explain(examples.toy_model().root)
    forward = [s.name for s in expl.forward if s.kind == "op"]
    assert forward == ["f0", "h1", "f1", "h2", "f2", "h3", "f3", "l"]
    f0 = next(s for s in expl.forward if s.name == "f0")
    assert f0.text == "f0 = beta0 + omega0·x = 1 + 0.1·2.3 = 1.23"
    assert dict(f0.inputs) == pytest.approx({"beta0": 1.0, "omega0": 0.1, "x": 2.3})
    h3 = next(s for s in expl.backward if s.name == "h3")
    assert h3.text == "∂l/∂h3 = ∂l/∂f3 · ∂f3/∂h3 = 0.7445 · 3 = 2.234"
    f3 = next(s for s in expl.backward if s.name == "f3")
    assert f3.text == "∂l/∂f3 = ∂l/∂l · ∂l/∂f3 = 1 · 0.7445 = 0.7445"  # 2*(f3 - y)
    assert expl.backward[0].text == "∂l/∂l = 1"
    assert [s.kind for s in expl.steps()] == ["input"] * 3 + ["op", "op"] + [
        s.kind for s in list(expl.steps())[5:]
    ]


def test_apple_price_backward_shows_the_textbook_numbers() -> None:
    expl = explain(examples.apple_price().root)
    values = {s.name: s.value for s in expl.backward}
    assert values == pytest.approx(
        {"total": 1.0, "apples": 1.1, "tax": 200.0, "apple": 2.2, "count": 110.0}
    )
    texts = [s.text.rsplit(" = ", 1)[1] for s in expl.backward]
    assert texts == ["1", "1.1", "200", "2.2", "110"]


def test_fan_out_shows_one_term_per_use_and_their_sum() -> None:
    expl = explain(examples.fan_out().root)
    x = next(s for s in expl.backward if s.name == "x")
    assert [t.consumer for t in x.terms] == ["q", "f"]
    assert [t.contribution for t in x.terms] == pytest.approx([5.0, 1.0])
    assert x.text.endswith("= 1 · 5 + 1 · 1 = 5 + 1 = 6")
    assert x.value == pytest.approx(6.0)
    assert "5 + 1 = 6" in str(expl)


def test_node_used_twice_by_the_same_op() -> None:
    x = Value(3.0, label="x")
    y = x * x
    y.label = "y"
    expl = explain(y)
    (step,) = [s for s in expl.backward if s.name == "x"]
    assert len(step.terms) == 2
    assert step.value == pytest.approx(6.0)
    assert step.text == "∂y/∂x = ∂y/∂y · ∂y/∂x + ∂y/∂y · ∂y/∂x = 1 · 3 + 1 · 3 = 3 + 3 = 6"


# --------------------------------------------------------------- names and folding


def test_unlabelled_graph_gets_a_step_per_node_named_like_the_drawing() -> None:
    a, b = Value(1.0), Value(2.0)
    f = (a + b) ** 2
    expl = explain(f)
    assert [s.name for s in expl.forward] == ["v0", "v1", "v2", "v3"]
    order = topo_order(f)
    assert [s.node for s in expl.forward] == order
    assert expl.forward[2].text == "v2 = v0 + v1 = 1 + 2 = 3"
    assert expl.forward[3].text == "v3 = v2**2 = 3**2 = 9"
    source = autograd.draw(f).source
    assert all(f"\t{s.name} [" in source for s in expl.forward)  # v<i> is the drawn box


def test_names_mapping_overrides_labels() -> None:
    ex = examples.apple_price()
    apples = ex.root.parents[0]
    expl = explain(ex.root, names={ex.root: "L", apples: "사과값"})
    assert expl.backward[0].text == "∂L/∂L = 1"
    assert expl.backward[1].name == "사과값"
    with pytest.raises(TypeError, match="names"):
        explain(ex.root, names={ex.root: 3})  # type: ignore[dict-item]


def test_duplicate_labels_are_told_apart() -> None:
    a, b = Value(1.0, label="w"), Value(2.0, label="w")
    f = a * b
    names = [s.name for s in explain(f).forward]
    assert len(set(names)) == len(names)


def test_formula_parentheses() -> None:
    x = Value(2.0, label="x")
    n = Value(-3.0, label="n")
    f = (x - (n + 1.0)) * -x
    f.label = "f"  # a labelled intermediate node: the unlabelled ones are folded
    g = f.sin()
    step = explain(g).forward[-2]
    assert step.name == "f"
    assert step.symbolic == "(x - (n + 1))·(-x)"
    assert step.numeric == "(2 - (-3 + 1))·(-2)"
    assert step.op == "* - + neg"


def test_bad_arguments() -> None:
    v = examples.apple_price().root
    with pytest.raises(ValueError, match="lang"):
        explain(v, lang="fr")
    with pytest.raises(ValueError, match="precision"):
        explain(v, precision=0)
    with pytest.raises(TypeError, match="Value"):
        explain(3.0)  # type: ignore[arg-type]


def test_backpropagates_if_not_done_and_not_twice() -> None:
    x = Value(2.0, label="x")
    y = x * x
    expl = explain(y)
    assert x.grad == pytest.approx(4.0)
    explain(y)
    assert x.grad == pytest.approx(4.0)  # not accumulated again
    assert expl.backward[-1].value == pytest.approx(4.0)


def test_precision() -> None:
    expl = explain(examples.toy_model().root, precision=8)
    h3 = next(s for s in expl.backward if s.name == "h3")
    ref = notes_backward()
    assert h3.text == f"∂l/∂h3 = ∂l/∂f3 · ∂f3/∂h3 = {ref['f3']:.8g} · 3 = {ref['h3']:.8g}"
    assert len(f"{ref['h3']:.8g}".replace(".", "")) == 8


# --------------------------------------------------------------- tables


def test_tables_are_aligned_in_korean_with_double_width_characters() -> None:
    text = str(explain(examples.apple_price().root, lang="ko"))
    for word in ("순전파", "역전파", "국소 미분", "상류 기울기", "노드", "기울기"):
        assert word in text
    forward, backward = text.split("\n\n")
    for table in (forward, backward):
        lines = table.splitlines()[1:]  # heading, then header, rule and rows
        widths = {_width(line) for line in lines}
        assert len(widths) == 1, lines  # the right-aligned last column ends in one place
    assert _width("순전파") == 6
    assert _width("x·y") == 3


def test_markdown() -> None:
    md = explain(examples.apple_price().root).to_markdown()
    assert "### Forward pass" in md
    assert "### Backward pass" in md
    rows = [line for line in md.splitlines() if line.startswith("| ")]
    assert len(rows) == 2 + 5 + 5  # two header rows, five nodes each
    assert "| 4 | apple | ∂total/∂apple = ∂total/∂apples · ∂apples/∂apple" in md


def test_steps_are_forward_then_backward() -> None:
    expl = explain(examples.fan_out().root)
    steps = list(expl.steps())
    assert steps == [*expl.forward, *expl.backward]
    assert {s.kind for s in expl.forward} == {"input", "op"}
    assert next(s.kind for s in expl.backward) == "seed"
    assert steps[2].numbers == {"x": 3.0, "y": 5.0}
    assert repr(expl) == "<Explanation of 'f': 4 forward steps, 4 backward steps>"


@settings(max_examples=40, deadline=None)
@given(expressions(2), st.lists(st.floats(-2, 2), min_size=2, max_size=2), st.booleans())
def test_every_step_agrees_with_the_engine(expr: Any, xs: list[float], label: bool) -> None:
    inputs = [Value(v, label=f"x{i}") for i, v in enumerate(xs)]
    root = evaluate(expr, inputs)
    if not isinstance(root, Value) or root.is_leaf:
        return
    if label:  # label some interior nodes: the others are folded into formulas
        for i, v in enumerate(topo_order(root)[:-1]):
            if not v.is_leaf and i % 2:
                v.label = f"n{i}"
    expl = explain(root)
    for s in expl.backward:
        assert s.value == pytest.approx(s.node.grad, rel=1e-9, abs=1e-12)
        for t in s.terms:
            assert t.upstream * t.partial == pytest.approx(t.contribution, rel=1e-9, abs=1e-12)
    assert len(expl.backward) == len(expl.forward)


# --------------------------------------------------------------- per-node check


def test_check_nodes_agrees_everywhere_on_the_examples() -> None:
    for name, build in examples.EXAMPLES.items():
        results = check_nodes(build().root)
        assert all(r.ok for r in results), name


def test_check_finds_and_names_a_wrong_partial() -> None:
    bad = defop("bad_cube", lambda a: a**3, lambda a, out: (2 * a**2,))  # should be 3a^2
    x = Value(1.5, label="x")
    h = bad(x.sin())
    h.label = "h"
    f = h * 2.0
    f.label = "f"
    results = {r.name: r for r in check_nodes(f)}
    assert results["f"].ok
    assert results["h"].ok
    assert not results["x"].ok
    wrong = [r for r in results.values() if r.culprit]
    assert len(wrong) == 1
    assert "'bad_cube'" in (wrong[0].culprit or "")
    # the culprit is sin(x), the node bad_cube uses; its true gradient is 2·3 sin(x)^2
    assert wrong[0].node is h.parents[0]
    assert wrong[0].numeric == pytest.approx(6 * math.sin(1.5) ** 2, rel=1e-6)
    assert wrong[0].grad == pytest.approx(4 * math.sin(1.5) ** 2, rel=1e-12)
    table = str(explain(f, check=True))
    assert "MISMATCH" in table
    assert "bad_cube" in table
    assert "numerical" in table
    step = next(s for s in explain(f, check=True).backward if s.name == "x")
    assert step.ok is False
    assert step.numeric_grad == pytest.approx(2 * 3 * math.sin(1.5) ** 2 * math.cos(1.5))


def test_check_recomputes_only_downstream_of_the_nudged_node() -> None:
    # nudging h must not re-evaluate log(x) below it: x is at the edge of log's domain
    x = Value(1e-7, label="x")
    h = x.log()
    h.label = "h"
    f = h * h
    f.label = "f"
    by = {r.name: r for r in check_nodes(f)}
    assert by["h"].ok
    assert by["f"].ok
    assert by["h"].numeric == pytest.approx(2 * h.data, rel=1e-6)


def test_check_with_a_domain_error_reports_no_number() -> None:
    x = Value(0.0, label="x")
    f = x.sqrt() + 1.0
    by = {r.name: r for r in check_nodes(f)}
    assert by["x"].numeric is None
    assert by["x"].ok is None


# --------------------------------------------------------------- the page


def test_html_is_one_self_contained_file(tmp_path: Path) -> None:
    expl = explain(examples.toy_model().root, lang="ko")
    page = expl.html()
    assert page.startswith("<!DOCTYPE html>")
    assert "<svg" in page
    assert "<script>" in page
    assert "<style>" in page
    assert re.findall(r"""(?:src|href)\s*=\s*["'](?!data:|#)""", page) == []
    assert "@import" not in page
    assert "url(" not in page
    assert "다음" in page
    assert "역전파" in page
    assert '<html lang="ko">' in page
    path = expl.save(tmp_path / "toy.html")
    assert path.read_text(encoding="utf-8") == page
    with pytest.raises(ValueError, match=r"\.html"):
        expl.save(tmp_path / "toy.svg")


def test_page_steps_walk_forward_then_every_use_backward() -> None:
    expl = explain(examples.fan_out().root)
    steps = expl.page_steps()
    phases = [s["phase"] for s in steps]
    assert phases == ["forward"] * 4 + ["backward"] * 5  # x's two uses are two steps
    first_use, second_use = steps[-2:]  # the backward order is f, q, x, y: x is 7 and 8
    x_steps = [s for s in steps if s["phase"] == "backward" and s["node"] == "v0"]
    assert len(x_steps) == 2
    assert x_steps[0]["showGrad"] == []  # the grad fills in with the last use only
    assert x_steps[1]["showGrad"] == ["v0"]
    assert x_steps[1]["formula"].endswith("= 5 + 1 = 6")
    assert x_steps[0]["edgeLabels"][0]["text"] == "5 \u00d7 1 = 5"
    assert first_use
    assert second_use


def test_jupyter_display_is_the_page_in_an_iframe() -> None:
    expl = explain(examples.apple_price().root)
    out = expl._repr_html_()
    assert out is not None
    assert out.startswith("<iframe srcdoc=")

    class Printer:
        text_out = ""

        def text(self, s: str) -> None:
            self.text_out += s

    p = Printer()
    expl._repr_pretty_(p, False)
    assert p.text_out == str(expl)


def test_jupyter_falls_back_to_tables_without_a_renderer(monkeypatch: pytest.MonkeyPatch) -> None:
    from autograd import graph

    def unavailable(self: Any) -> str:
        raise autograd.RendererUnavailable("none")

    monkeypatch.setattr(graph.Graph, "svg", unavailable)
    assert explain(examples.apple_price().root)._repr_html_() is None


def test_explanation_is_exported() -> None:
    assert autograd.explain is explain
    assert autograd.check_nodes is check_nodes
    assert isinstance(explain(examples.fan_out().root), Explanation)


# --------------------------------------------------------------- command line


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    root = Path(__file__).resolve().parents[1]
    return subprocess.run(
        [sys.executable, "-m", "autograd", *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=cwd,
        env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"},
    )


def test_cli_explain_expression_with_check_and_html(tmp_path: Path) -> None:
    proc = run_cli(
        "explain", "x*y + x", "--at", "x=3,y=5", "--check", "--html", "p.html", cwd=tmp_path
    )
    assert proc.returncode == 0, proc.stderr
    assert "∂f/∂x = ∂f/∂v2 · ∂v2/∂x + ∂f/∂f · ∂f/∂x = 1 · 5 + 1 · 1 = 5 + 1 = 6" in proc.stdout
    assert "numerical" in proc.stdout
    assert (tmp_path / "p.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_cli_explain_example_in_korean(tmp_path: Path) -> None:
    proc = run_cli("explain", "apple_price", "--lang", "ko", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "역전파" in proc.stdout
    assert "∂total/∂apple" in proc.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("explain", "x +", "--at", "x=1"), "syntax error"),
        (("explain", "x + y", "--at", "x=1"), "'y' has no value"),
        (("explain", "__import__('os')", "--at", "x=1"), "unknown function"),
        (("explain", "x", "--at", "x=1", "--html", "out.svg"), ".html"),
    ],
)
def test_cli_explain_bad_input(tmp_path: Path, args: tuple[str, ...], message: str) -> None:
    proc = run_cli(*args, cwd=tmp_path)
    assert proc.returncode == 2
    assert message in proc.stderr
    assert list(tmp_path.iterdir()) == []


def test_cli_explain_engine_error_exits_1(tmp_path: Path) -> None:
    proc = run_cli("explain", "log(x)", "--at", "x=-1", cwd=tmp_path)
    assert proc.returncode == 1
    assert "log" in proc.stderr


def test_demo_writes_the_two_pages(tmp_path: Path) -> None:
    proc = run_cli("demo", "--out", "out", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    for name in ("apple_price", "toy_model"):
        page = (tmp_path / "out" / f"{name}.html").read_text(encoding="utf-8")
        assert "cg-steps" in page


def test_a_single_leaf() -> None:
    x = Value(3.0, label="x")
    expl = explain(x)
    assert [s.text for s in expl.steps()] == ["x = 3", "∂x/∂x = 1"]


def test_deep_unlabelled_chains_are_cut_into_readable_steps() -> None:
    from autograd.explanation import MAX_FOLD

    h = Value(0.1, label="a")
    for i in range(200):
        h = h.sin()
        if i == 3:
            h.label = "mid"  # one labelled node: the others are folded, but not too deep
    expl = explain(h)
    assert all(s.text.count("sin(") <= 2 * (MAX_FOLD + 1) for s in expl.forward)
    assert expl.backward[-1].value == pytest.approx(_chain_grad(0.1, 200), rel=1e-9)


def _chain_grad(x: float, n: int) -> float:
    g = 1.0
    for _ in range(n):
        g *= math.cos(x)
        x = math.sin(x)
    return g


def test_korean_check_note_names_the_op() -> None:
    bad = defop("bad_double", lambda a: 2 * a, lambda a, out: (3.0,))
    x = Value(1.0, label="x")
    f = bad(x)
    f.label = "f"
    text = str(explain(f, lang="ko", check=True))
    assert "불일치" in text
    assert "'bad_double'" in text
    assert "국소 미분" in text.splitlines()[-1]
    (c,) = [c for c in check_nodes(f) if c.suspects]
    assert c.suspects == (("bad_double", "v1", 1),)
