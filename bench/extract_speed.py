"""Extraction speed: the full engine against raw natasha on the same texts, same run.

Run by hand: ``.venv/bin/python bench/extract_speed.py [--devset PATH] [--repeat N]
[--registry N]``.
Each round times raw natasha (segment+morph+syntax+NER, natasha's own ``Doc`` calls) and the
engine (``service.extraction.extract``) over all texts, alternating which goes first, after a
warm-up round; the reported figure is the median round, in CPU seconds of the process (not
wall time: on a shared machine that varies with other jobs). Peak RSS is the process maximum.

CPU seconds of the process count every thread. Importing ``service.extraction`` gives numpy's
OpenBLAS one thread (``natasha_loader.py``) unless ``OPENBLAS_NUM_THREADS`` is set, and both
contenders run in this process with that setting: with natasha's default thread pool a
spinning second BLAS thread made both 1.6-8x dearer, by how loaded the machine was, which
is what the figures measured before (docs/performance.md, engine speed).

``--registry N`` adds a third contender, the engine with a gazetteer of N synthetic registry
names (what the worker passes in): persons made of every first name and surname annotated in
the devset (``.spans``), each with its bare surname as an alias, and the devset's
organisation and place names, all admitted (two articles each). Many of them occur in the
texts, so the gazetteer finds and adds mentions: the cost measured includes that work.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from service.extraction import extract  # noqa: E402
from service.extraction.gazetteer import Gazetteer, Known  # noqa: E402
from service.extraction.nlp import Doc, analyze, models  # noqa: E402  (natasha's Doc)

DEFAULT_DEVSET = REPO.parent / "shared" / "corpora" / "factRuEval-2016" / "devset"


def _cpu_model() -> str:
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True, check=False).stdout
    except OSError:
        return platform.processor() or "unknown"
    for line in out.splitlines():
        if line.startswith("Model name:"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def _time(run: Callable[[str], object], texts: list[str]) -> float:
    """CPU seconds of this process: other jobs on a shared machine do not count (wall time
    there varied by 2x between rounds)."""
    start = time.process_time()
    for text in texts:
        run(text)
    return time.process_time() - start


def raw_natasha(text: str) -> Doc:
    """natasha as its documentation runs it. (The engine's ``analyze`` differs: it cuts
    sentences over 300 tokens, none in the devset, and feeds NER the tokens it has.)"""
    m = models()
    doc = Doc(text)
    doc.segment(m.segmenter)
    doc.tag_morph(m.morph)
    doc.parse_syntax(m.syntax)
    doc.tag_ner(m.ner)
    return doc


def synthetic_registry(devset: Path, size: int) -> list[Known]:
    """``size`` registry entries built from the name parts annotated in the devset."""
    parts: dict[str, set[str]] = {"name": set(), "surname": set(), "org_name": set()}
    parts["loc_name"] = set()
    for spans in devset.glob("*.spans"):
        for line in spans.read_text(encoding="utf-8").splitlines():
            head, _, tail = line.partition("#")
            bits = head.split()
            if len(bits) >= 6 and bits[1] in parts:
                words = tail.split()[int(bits[5]) :]
                text = " ".join(words)
                if text[:1].isupper():
                    parts[bits[1]].add(text)
    out = [Known("ORG", n, (), articles=2) for n in sorted(parts["org_name"])]
    out += [Known("LOC", n, (), articles=2) for n in sorted(parts["loc_name"])]
    firsts, lasts = sorted(parts["name"]), sorted(parts["surname"])
    for last in lasts:
        for first in firsts:
            if len(out) >= size:
                return out
            out.append(Known("PER", f"{first} {last}", (last,), articles=2))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--devset", type=Path, default=DEFAULT_DEVSET)
    parser.add_argument("--repeat", type=int, default=3, help="timed rounds per contender")
    parser.add_argument(
        "--registry", type=int, default=0, help="also time the engine with N registry names"
    )
    parser.add_argument("--limit", type=int, default=0, help="only the first N texts")
    args = parser.parse_args()
    files = sorted(args.devset.glob("*.txt"))
    if args.limit:
        files = files[: args.limit]
    if not files:
        sys.exit(f"no *.txt under {args.devset}")
    texts = [f.read_text(encoding="utf-8") for f in files]
    chars = sum(len(t) for t in texts)
    models()
    contenders: dict[str, Callable[[str], object]] = {
        "raw natasha (segment+morph+syntax+NER)": raw_natasha,
        "engine (service.extraction.extract)": extract,
    }
    if args.registry:
        entries = synthetic_registry(args.devset, args.registry)
        t0 = time.perf_counter()
        gazetteer = Gazetteer.build(entries)
        built = time.perf_counter() - t0
        print(
            f"gazetteer: {len(entries):,} registry entries, {gazetteer.size:,} names, "
            f"built in {built:.1f} s"
        )
        contenders[f"engine + gazetteer of {len(entries):,} entries"] = lambda text: extract(
            text, gazetteer=gazetteer
        )
    for run in contenders.values():  # warm-up: caches, lazy imports
        _time(run, texts[: min(50, len(texts))])
    times: dict[str, list[float]] = {name: [] for name in contenders}
    names = list(contenders)
    for round_ in range(args.repeat):
        order = names if round_ % 2 == 0 else names[::-1]  # alternate who goes first
        for name in order:
            times[name].append(_time(contenders[name], texts))
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    raw = statistics.median(times[names[0]])
    engine = statistics.median(times[names[1]])
    rows = []
    for name in names:
        t = statistics.median(times[name])
        rows.append(
            f"| {name} | {len(texts) / t:.1f} | {chars / t:,.0f} | {t:.2f} | {t / raw:.2f}× |"
        )
    print(f"texts: {len(texts)} from {args.devset}, {chars:,} chars; rounds: {args.repeat}")
    print(
        f"machine: {_cpu_model()}, {len(os.sched_getaffinity(0))} cores, "
        f"load average {os.getloadavg()[0]:.1f}; "
        f"OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS')}"
    )
    print()
    print("| contender | docs/s | chars/s | CPU s per round (median) | × raw natasha |")
    print("|---|---|---|---|---|")
    print("\n".join(rows))
    print()
    if args.registry:
        with_gazetteer = statistics.median(times[names[2]])
        print(
            f"engine + gazetteer vs engine, whole rounds: "
            f"{100 * (with_gazetteer / engine - 1):+.1f} % (within the noise of a shared machine)"
        )
        # The matcher alone, on the same parsed texts: what the gazetteer adds to an extraction
        # (the mentions it adds then go through the same grouping as any other).
        docs = [analyze(text) for text in texts]
        inputs = [
            (d.tokens, {d.tokens.index(s.tokens[0]) for s in d.sents if s.tokens}) for d in docs
        ]
        rounds = []
        for _ in range(5):
            start = time.process_time()
            for tokens, sentence_starts in inputs:
                gazetteer.find(tokens, sentence_starts, set())
            rounds.append(time.process_time() - start)
        match = statistics.median(rounds)
        print(
            f"gazetteer matching alone: {match:.3f} CPU s per round = "
            f"{100 * match / engine:.2f} % of engine time"
        )
    print(f"peak RSS: {peak_kib / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
