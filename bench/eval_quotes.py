"""Score the sources extractor on quotes-dev (40 factRuEval-2016 devset documents).

Runs ``extract()`` on every annotated document, writes predictions in the scorer's JSONL
format to a temporary file and prints the report of ``quotes-dev/score.py``.

    .venv/bin/python bench/eval_quotes.py [--show-errors] [--keep PRED.jsonl]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from service.extraction import extract  # noqa: E402

SHARED = ROOT.parent / "shared"
QUOTES = SHARED / "corpora" / "quotes-dev"
TEXTS = SHARED / "corpora" / "factRuEval-2016" / "devset"


def gold_docs() -> list[str]:
    docs: list[str] = []
    for line in (QUOTES / "gold.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            doc = json.loads(line)["doc"]
            if doc not in docs:
                docs.append(doc)
    return docs


def predict(docs: list[str]) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for doc in docs:
        text = (TEXTS / f"{doc}.txt").read_text(encoding="utf-8")
        result = extract(text)
        for st in result.sources.items:
            m = st.speaker.mention
            rows.append(
                {
                    "doc": doc,
                    "quote": [st.quote.start, st.quote.end],
                    "speaker": [m.start, m.end] if m else None,
                    "speaker_name": st.speaker.name,
                    "speaker_type": st.speaker.type,
                    "kind": st.kind,
                    "cue": [st.cue.start, st.cue.end] if st.cue else None,
                }
            )
    return rows


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--show-errors", action="store_true")
    ap.add_argument("--keep", type=Path, help="also write the predictions here")
    args = ap.parse_args()
    docs = gold_docs()
    t0 = time.perf_counter()
    rows = predict(docs)
    elapsed = time.perf_counter() - t0
    with tempfile.TemporaryDirectory() as tmp:
        pred = Path(tmp) / "pred.jsonl"
        body = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
        pred.write_text(body, encoding="utf-8")
        if args.keep:
            args.keep.write_text(body, encoding="utf-8")
        cmd = [
            sys.executable,
            str(QUOTES / "score.py"),
            "--gold",
            str(QUOTES / "gold.jsonl"),
            "--texts",
            str(TEXTS),
            "--pred",
            str(pred),
        ]
        if args.show_errors:
            cmd.append("--show-errors")
        rc = subprocess.run(cmd, check=False).returncode
    print(f"\n{len(docs)} documents, {len(rows)} predictions, extraction {elapsed:.1f} s")
    return rc


if __name__ == "__main__":
    raise SystemExit(main())
