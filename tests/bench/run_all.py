"""Every benchmark in one run: the eager engine, the compiled path, microgpt.

Run: ``python tests/bench/run_all.py`` (after ``pip install -e '.[all]'``; torch and jax
are timed when installed). Runs ``bench_engine.py`` (W1 chain, W2 wide, W4 toy model,
W5 no_grad), ``bench_compile.py`` (W4, W5, W3 compiled and batched; compile time and
memory against graph size) and ``bench_microgpt.py --isolated`` (W6) one after
another, each in its own process, and prints their reports. Takes about 7 minutes on
a 2-core machine.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

#: each script and its arguments (bench_microgpt also times micro-style and chaingrad
#: each in fresh processes, with only its own objects on the heap)
SCRIPTS = (("bench_engine.py",), ("bench_compile.py",), ("bench_microgpt.py", "--isolated"))


def main() -> int:
    here = Path(__file__).resolve().parent
    status = 0
    for name, *args in SCRIPTS:
        print(f"==> {name} {' '.join(args)}", flush=True)
        t0 = time.perf_counter()
        run = subprocess.run([sys.executable, str(here / name), *args], check=False)
        print(f"<== {name}: exit {run.returncode}, {time.perf_counter() - t0:.0f} s", flush=True)
        status = status or run.returncode
    return status


if __name__ == "__main__":
    raise SystemExit(main())
