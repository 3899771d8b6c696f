"""Smoke test of tests/bench/bench_microgpt.py: two training steps, micro-style = chaingrad.

The benchmark is not collected by pytest (tests/bench is excluded); this imports it by
path and trains its microgpt-style model two steps on a block size of 4 in both its
reference ``Value`` and eager chaingrad, without timing anything.
"""

from __future__ import annotations

import importlib.util
import math
import sys
from pathlib import Path
from types import ModuleType

BENCH = Path(__file__).parent / "bench" / "bench_microgpt.py"


def _load() -> ModuleType:
    name = "bench_microgpt_under_test"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, BENCH)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up by name
    limit = sys.getrecursionlimit()  # the benchmark raises it for its recursive sorts:
    try:  # put it back, so that the rest of the test run keeps the default
        spec.loader.exec_module(module)
    finally:
        sys.setrecursionlimit(limit)
    return module


def test_two_steps_agree() -> None:
    bench = _load()
    docs = bench.load_docs()
    micro, eager = bench.check_agreement(docs, steps=2, block_size=4, verbose=False)
    assert len(micro) == len(eager) == 2
    for a, b in zip(micro, eager, strict=True):
        assert math.isfinite(a)
        assert math.isfinite(b)
        assert abs(a - b) <= 1e-9
