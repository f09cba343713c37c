"""Dump the engine's output for every devset text and the seed, to diff before/after a change.

Run by hand: ``.venv/bin/python bench/dump_extract.py OUT.jsonl [--limit N]``.
One line per document: ``{"doc": name, "extraction": …}`` (msgspec JSON of
``service.extraction.extract``), in file order: the 122 ``book_*.txt`` of the
factRuEval-2016 devset (every text the quality harnesses read), then ``../shared/seed``.
Then ``cmp before.jsonl after.jsonl`` (or ``diff``) says whether anything changed.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import msgspec

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from service.extraction import extract  # noqa: E402

SHARED = REPO.parent / "shared"
SOURCES = [SHARED / "corpora" / "factRuEval-2016" / "devset", SHARED / "seed"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--limit", type=int, default=0, help="only the first N texts")
    args = parser.parse_args()
    files = [f for d in SOURCES for f in sorted(d.glob("*.txt"))]
    if args.limit:
        files = files[: args.limit]
    if not files:
        sys.exit(f"no *.txt under {SOURCES}")
    with args.out.open("wb") as out:
        for f in files:
            result = extract(f.read_text(encoding="utf-8"))
            out.write(msgspec.json.encode({"doc": f.stem, "extraction": result}) + b"\n")
    print(f"{len(files)} documents -> {args.out}")


if __name__ == "__main__":
    main()
