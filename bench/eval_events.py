"""Score the event extractor on events-dev (40 factRuEval-2016 devset documents).

Runs ``extract()`` on every annotated document, writes predictions in the scorer's JSONL
format and reports typed / untyped detection, participants on matched events, polarity and
modality accuracy and recall per type — for the whole set, the tune half and the held-out
half. The whole-set numbers are checked against ``events-dev/score.py`` (run as a
subprocess); the harness fails if they differ.

The split is by document and fixed here (stratified by event type, 10 eventless documents
shared out evenly). Tune on the tune half; read only its errors (``--show-errors``); the
held-out half is only scored.

    .venv/bin/python bench/eval_events.py [--show-errors] [--keep PRED.jsonl]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from service.extraction import extract  # noqa: E402

SHARED = ROOT.parent / "shared"
EVENTS = SHARED / "corpora" / "events-dev"
TEXTS = SHARED / "corpora" / "factRuEval-2016" / "devset"

TUNE = [
    "book_61",
    "book_93",
    "book_99",
    "book_105",
    "book_145",
    "book_147",
    "book_151",
    "book_176",
    "book_179",
    "book_182",
    "book_188",
    "book_194",
    "book_252",
    "book_256",
    "book_259",
    "book_260",
    "book_261",
    "book_278",
    "book_288",
    "book_290",
]
HELD_OUT = [
    "book_74",
    "book_100",
    "book_115",
    "book_117",
    "book_124",
    "book_127",
    "book_131",
    "book_142",
    "book_154",
    "book_180",
    "book_189",
    "book_193",
    "book_215",
    "book_228",
    "book_247",
    "book_253",
    "book_270",
    "book_271",
    "book_282",
    "book_286",
]


def scorer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("events_score", EVENTS / "score.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load_jsonl(path: Path) -> list[dict[str, object]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def predict(docs: list[str]) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for doc in docs:
        text = (TEXTS / f"{doc}.txt").read_text(encoding="utf-8")
        for ev in extract(text).events:
            rows.append(
                {
                    "doc": doc,
                    "type": ev.type,
                    "polarity": ev.polarity,
                    "modality": ev.modality,
                    "trigger": [ev.trigger.start, ev.trigger.end],
                    "trigger_text": ev.trigger.text,
                    "sentence": [ev.sentence.start, ev.sentence.end],
                    "participants": [
                        {"name": p.name, "role": p.role, "linked": p.entity is not None}
                        for p in ev.participants
                    ],
                }
            )
    return rows


def measure(sc: ModuleType, gold: list[dict], pred: list[dict]) -> dict[str, object]:
    """The scorer's own functions over one subset of documents."""
    typed = sc.match(gold, pred, typed=True)
    untyped = sc.match(gold, pred, typed=False)
    n = len(typed)
    per_gold = Counter(g["type"] for g in gold)
    hit = Counter(gold[i]["type"] for i, _ in typed)
    return {
        "typed": sc.prf(len(typed), len(pred), len(gold)),
        "untyped": sc.prf(len(untyped), len(pred), len(gold)),
        "participants": sc.participant_f1(gold, pred, typed),
        "polarity": sum(gold[i]["polarity"] == pred[j]["polarity"] for i, j in typed) / n
        if n
        else 0.0,
        "modality": sum(gold[i]["modality"] == pred[j]["modality"] for i, j in typed) / n
        if n
        else 0.0,
        "recall": {t: hit[t] / per_gold[t] for t in sorted(per_gold)},
        "n": (len(gold), len(pred), n),
    }


def show(name: str, m: dict[str, object]) -> None:
    g, p, tp = m["n"]  # type: ignore[misc]
    t, u, pa = m["typed"], m["untyped"], m["participants"]
    print(
        f"{name:9} typed P {t[0]:.3f} R {t[1]:.3f} F1 {t[2]:.3f} | untyped F1 {u[2]:.3f}"
        f" | participants P {pa[0]:.3f} R {pa[1]:.3f} F1 {pa[2]:.3f}"
        f" | polarity {m['polarity']:.3f} modality {m['modality']:.3f}"
        f"  (gold {g}, pred {p}, tp {tp})"
    )
    recall = m["recall"]
    print("          recall " + " ".join(f"{k} {v:.2f}" for k, v in recall.items()))  # type: ignore[union-attr]


def show_errors(sc: ModuleType, gold: list[dict], pred: list[dict]) -> None:
    """Misses, false alarms and participant differences on the tune half only."""
    texts = {d: (TEXTS / f"{d}.txt").read_text(encoding="utf-8") for d in TUNE}
    gold = [g for g in gold if g["doc"] in TUNE]
    pred = [p for p in pred if p["doc"] in TUNE]
    typed = sc.match(gold, pred, typed=True)
    mg, mp = {i for i, _ in typed}, {j for _, j in typed}

    def sent(rec: dict) -> str:
        s = rec.get("sentence") or rec["trigger"]
        return " ".join(texts[rec["doc"]][s[0] : s[1]].split())

    def names(rec: dict) -> str:
        return ", ".join(f"{a['name']}/{a.get('role', '?')}" for a in rec["participants"])

    def word(rec: dict) -> str:
        return texts[rec["doc"]][rec["trigger"][0] : rec["trigger"][1]]

    for i, g in enumerate(gold):
        if i not in mg:
            print(f"MISS {g['doc']} {g['type']} «{word(g)}» [{names(g)}] {g['modality']}")
            print(f"     {sent(g)}")
    for j, p in enumerate(pred):
        if j not in mp:
            print(f"FP   {p['doc']} {p['type']} «{word(p)}» [{names(p)}] {p['modality']}")
            print(f"     {sent(p)}")
    for i, j in typed:
        g, p = gold[i], pred[j]
        gn = sorted(a["name"] for a in g["participants"])
        pn = sorted(a["name"] for a in p["participants"])
        flags = []
        if gn != pn:
            flags.append(f"parts gold [{names(g)}] pred [{names(p)}]")
        if g["modality"] != p["modality"]:
            flags.append(f"modality gold {g['modality']} pred {p['modality']}")
        if g["polarity"] != p["polarity"]:
            flags.append(f"polarity gold {g['polarity']} pred {p['polarity']}")
        if flags:
            print(f"DIFF {g['doc']} {g['type']} «{word(g)}» " + "; ".join(flags))
            print(f"     {sent(g)}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--show-errors", action="store_true", help="errors of the tune half")
    ap.add_argument("--keep", type=Path, help="also write the predictions here")
    args = ap.parse_args()
    docs = [ln.strip() for ln in (EVENTS / "docs.txt").read_text().splitlines() if ln.strip()]
    assert sorted(docs) == sorted(TUNE + HELD_OUT), "the split must cover docs.txt exactly"
    sc = scorer()
    gold = load_jsonl(EVENTS / "gold.jsonl")
    t0 = time.perf_counter()
    pred = predict(docs)
    elapsed = time.perf_counter() - t0
    whole = measure(sc, gold, pred)
    with tempfile.TemporaryDirectory() as tmp:
        pred_path, report = Path(tmp) / "pred.jsonl", Path(tmp) / "report.json"
        body = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in pred)
        pred_path.write_text(body, encoding="utf-8")
        if args.keep:
            args.keep.write_text(body, encoding="utf-8")
        cmd = [sys.executable, str(EVENTS / "score.py"), "--gold", str(EVENTS / "gold.jsonl")]
        cmd += ["--docs", str(EVENTS / "docs.txt"), "--pred", str(pred_path)]
        out = subprocess.run([*cmd, "--json", str(report)], capture_output=True, text=True)
        if out.returncode != 0:
            print(out.stdout, out.stderr)
            return 1
        official = json.loads(report.read_text(encoding="utf-8"))
    mine = (whole["typed"][2], whole["untyped"][2], whole["participants"][2])  # type: ignore[index]
    theirs = (
        official["typed"]["f1"],
        official["untyped"]["f1"],
        official["participants"]["f1"],
    )
    if any(abs(a - b) > 1e-9 for a, b in zip(mine, theirs, strict=True)):
        print(f"harness {mine} differs from score.py {theirs}")
        return 1
    if args.show_errors:
        show_errors(sc, gold, pred)
    print(out.stdout.rstrip())
    print()
    for name, half in (("tune", TUNE), ("held-out", HELD_OUT)):
        show(
            name,
            measure(
                sc, [g for g in gold if g["doc"] in half], [p for p in pred if p["doc"] in half]
            ),
        )
    show("all", whole)
    print(f"({len(docs)} documents in {elapsed:.1f} s; whole-set numbers equal score.py's)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
