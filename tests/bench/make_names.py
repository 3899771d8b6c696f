"""Generate ``tests/bench/names.txt``: made-up lowercase first names for bench_microgpt.py.

The names are syllable combinations drawn from a seeded ``random.Random``, so the file
is the same on every machine and nothing is downloaded. Run from the repository root:
``python tests/bench/make_names.py`` (rewrites the file; ``--check`` only compares).
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

PATH = Path(__file__).with_name("names.txt")
COUNT = 3000
SEED = 20260212

# fmt: off
ONSETS = [
    "b", "c", "d", "f", "g", "h", "j", "k", "l", "m", "n", "p", "r", "s", "t", "v", "w",
    "y", "z", "br", "ch", "cl", "dr", "fl", "gr", "jo", "kr", "sh", "st", "th", "tr", "vi",
    "el", "an",
]
# fmt: on
VOWELS = ["a", "e", "i", "o", "u", "a", "e", "i", "o", "a", "y", "ia", "ie", "ea", "ai", "ou"]
CODAS = ["", "", "", "", "", "", "n", "l", "r", "s", "th", "nd", "lla", "nne", "ssa", "x", "m"]
ENDINGS = ["", "", "", "a", "e", "o", "y", "ie", "na", "ra", "el", "on", "an", "ette", "lyn"]


def make_names(count: int = COUNT, seed: int = SEED) -> list[str]:
    """``count`` distinct names of 2 to 12 letters, in the order they were drawn."""
    rng = random.Random(seed)
    seen: set[str] = set()
    names: list[str] = []
    while len(names) < count:
        parts = []
        for _ in range(rng.choice((1, 1, 2, 2, 2, 3))):
            parts.append(rng.choice(ONSETS) + rng.choice(VOWELS) + rng.choice(CODAS))
        name = "".join(parts) + rng.choice(ENDINGS)
        if 2 <= len(name) <= 12 and name not in seen:
            seen.add(name)
            names.append(name)
    return names


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with the file only")
    args = parser.parse_args(argv)
    text = "\n".join(make_names()) + "\n"
    if args.check:
        same = PATH.read_text() == text
        print("names.txt is up to date" if same else "names.txt differs from the generator")
        return 0 if same else 1
    PATH.write_text(text)
    print(f"wrote {PATH} ({len(text)} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
