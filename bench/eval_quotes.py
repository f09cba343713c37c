"""Score the sources extractor on quotes-dev (503 statements in 104 factRuEval-2016 devset docs).

Runs ``extract()`` on every annotated document once, writes predictions in the scorer's JSONL
format and prints the report of ``quotes-dev/score.py`` (the numbers are that script's) for:

* ``tune``     — the first part (40 docs) + every other document of the second part;
* ``heldout``  — the other half of the second part: only ever scored, never read for errors;
* ``all``      — all 503 statements.

Then attribution recall per construction family (gold records grouped by the shape of their
cue, see ``family()``) and per speaker_type, for each part.

    .venv/bin/python bench/eval_quotes.py [--part tune|heldout|all] [--show-errors] [--keep F]

``--show-errors`` lists errors of the tune part only, unless ``--part`` names another.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from service.extraction import extract  # noqa: E402

SHARED = ROOT.parent / "shared"
QUOTES = SHARED / "corpora" / "quotes-dev"
TEXTS = SHARED / "corpora" / "factRuEval-2016" / "devset"

# The split, by document: the first part (README: "Annotated") is tuned on; the second part
# (book_294 on) alternates in document order, even positions tuned on, odd positions held out.
_FIRST = """61 74 93 99 100 105 115 117 124 127 131 142 145 147 151 154 176 179 180 182 188 189
193 194 215 228 247 252 253 256 259 260 261 270 271 278 282 286 288 290"""
FIRST_PART = frozenset(f"book_{n}" for n in _FIRST.split())


def gold_records() -> list[dict[str, object]]:
    lines = (QUOTES / "gold.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def split(docs: list[str]) -> dict[str, list[str]]:
    second = sorted((d for d in docs if d not in FIRST_PART), key=lambda d: int(d[5:]))
    held = set(second[1::2])
    return {
        "tune": [d for d in docs if d not in held],
        "heldout": [d for d in docs if d in held],
        "all": list(docs),
    }


def family(rec: dict[str, object], text: str) -> str:
    """The construction a gold record is an instance of, read off its spans."""
    q0, q1 = rec["quote"]  # type: ignore[misc]
    cue = rec["cue"]
    if cue is None:
        return "no cue (interview, signed)"
    c0, c1 = cue  # type: ignore[misc]
    words = text[c0:c1].lower()
    before = text[max(0, c0 - 12) : c0].lower()
    if re.match(r"(по |согласно|в соответствии)", words) or re.search(r"\bпо\s+$", before):
        return "phrase (по словам, согласно)"
    if re.search(r"\bкак\s+(\w+\s+)?$", before):
        return "как сообщает X"
    if rec["kind"] == "direct":
        return "direct quotation"
    if c0 >= q1:
        gap = text[q1:c0]
        return "anaphoric (Об этом)" if re.search(r"[.!?]\s", gap) else "content, then cue"
    if q0 < c0 < q1:
        return "cue inside the content"
    return "cue, then content"


def predict(docs: list[str]) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for doc in docs:
        text = (TEXTS / f"{doc}.txt").read_text(encoding="utf-8")
        for st in extract(text).sources.items:
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


def _jsonl(path: Path, rows: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    return path


def score(
    tmp: Path,
    name: str,
    gold: list[dict[str, object]],
    pred: Path,
    *flags: str,
    quiet: bool = False,
) -> dict:
    """Run score.py on ``gold``; returns its JSON report (and prints its text unless quiet)."""
    gold_file = _jsonl(tmp / f"gold-{name}.jsonl", gold)
    report = tmp / f"report-{name}.json"
    cmd = [sys.executable, str(QUOTES / "score.py"), "--gold", str(gold_file)]
    cmd += ["--texts", str(TEXTS), "--pred", str(pred), "--json", str(report), *flags]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    if not quiet:
        print(out)
    return json.loads(report.read_text("utf-8"))


def _attr(rep: dict) -> tuple[float, float, float]:
    a = rep["attribution"]
    return a["precision"], a["recall"], a["f1"]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--part", choices=("tune", "heldout", "all"), default="tune")
    ap.add_argument("--show-errors", action="store_true", help="errors of --part")
    ap.add_argument("--keep", type=Path, help="also write the predictions here")
    args = ap.parse_args()
    gold = gold_records()
    docs = list(dict.fromkeys(str(r["doc"]) for r in gold))
    parts = split(docs)
    t0 = time.perf_counter()
    rows = predict(docs)
    elapsed = time.perf_counter() - t0
    texts = {d: (TEXTS / f"{d}.txt").read_text(encoding="utf-8") for d in docs}
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        pred = _jsonl(tmp / "pred.jsonl", rows)
        if args.keep:
            args.keep.write_text(pred.read_text("utf-8"), "utf-8")
        summary = {}
        for name, part_docs in parts.items():
            sel = set(part_docs)
            part_gold = [r for r in gold if r["doc"] in sel]
            print(f"=== {name}: {len(part_docs)} docs, {len(part_gold)} statements")
            flags = ["--show-errors"] if args.show_errors and name == args.part else []
            summary[name] = score(tmp, name, part_gold, pred, *flags)
            fams = Counter(family(r, texts[str(r["doc"])]) for r in part_gold)
            print("attribution recall per construction family:")
            for fam, n in fams.most_common():
                sub = [r for r in part_gold if family(r, texts[str(r["doc"])]) == fam]
                rep = score(tmp, f"{name}-fam", sub, pred, quiet=True)
                print(f"  {fam:30} n={n:<4} R={rep['attribution']['recall']:.3f}")
            print()
    print("attribution   P      R      F1")
    for name, rep in summary.items():
        print(f"{name:10} {_attr(rep)[0]:.3f}  {_attr(rep)[1]:.3f}  {_attr(rep)[2]:.3f}")
    print(f"\n{len(docs)} documents, {len(rows)} predictions, extraction {elapsed:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
