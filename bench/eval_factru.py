"""Score the entity layer against the factRuEval-2016 devset.

Usage (from the repo root)::

    .venv/bin/python bench/eval_factru.py [--devset PATH] [--show-errors N]

What is scored (see docs/quality.md, section "Entities (factRuEval-2016 devset)"):

* NER: exact (type, start, end) match against gold ``.objects`` mentions. Person/Org/Location
  are PER/ORG/LOC, ``LocOrg`` is scored as LOC, ``Project``/``Facility`` are dropped. A gold
  mention has two acceptable spans: the whole object (all its spans, descriptors included)
  and its name core (descriptors ``org_descr``/``loc_descr``/``job`` left out), because
  factRuEval annotates "движения «Солидарность" (with the descriptor, without the closing
  quote) where a name tagger says "Солидарность". Each gold mention matches at most once.
  Raw natasha (plain NewsNERTagger spans) and the engine (every mention of every entity) are
  scored on the same documents with the same rule.
* Grouping: B-cubed over the predicted mentions that matched a gold mention; the gold cluster
  is the ``.coref`` block of the matched object (objects outside any block are singletons).
* Occupation: a gold (Who, Position) fact is found when a predicted entity has a mention that
  matches a mention of the Who block and one of its roles shares a content lemma with the
  gold Position text. Precision counts predicted (person, role) pairs whose person matched a
  gold person: such a pair is correct when it matches some gold Occupation of that person.
* Meeting: the engine's meetings are its CONSULT events with at least two participants. A gold
  Meeting (its Participant coref blocks) is found when one such event has participants whose
  entities matched mentions of at least two of its participants (all of them if it has
  fewer). Precision: the share of predicted meetings that find some gold Meeting of their
  document.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from service.extraction.dates import find_dates  # noqa: E402
from service.extraction.entities import extract_entities  # noqa: E402
from service.extraction.events import extract_events  # noqa: E402
from service.extraction.nlp import analyze, models  # noqa: E402
from service.extraction.parsed import from_doc  # noqa: E402

TYPES = {"Person": "PER", "Org": "ORG", "Location": "LOC", "LocOrg": "LOC"}
DESCRIPTORS = {"org_descr", "loc_descr", "job", "prj_descr"}
KINDS = ("PER", "ORG", "LOC")


@dataclass
class GoldMention:
    obj_id: str
    type: str
    full: tuple[int, int]
    core: tuple[int, int] | None


@dataclass
class Gold:
    mentions: list[GoldMention]
    cluster_of: dict[str, str]  # object id -> coref block id
    occupations: list[tuple[str, str]]  # (coref block id, position text)
    spans: dict[str, str] = field(default_factory=dict)
    meetings: list[set[str]] = field(default_factory=list)  # participants' coref block ids


def default_devset() -> Path:
    for base in (ROOT, *ROOT.parents):
        cand = base / "shared" / "corpora" / "factRuEval-2016" / "devset"
        if cand.is_dir():
            return cand
    return ROOT.parent / "shared" / "corpora" / "factRuEval-2016" / "devset"


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines() if path.exists() else []


def load_gold(stem: Path) -> Gold:
    spans: dict[str, list[tuple[str, int, int]]] = defaultdict(list)
    for line in _lines(stem.with_suffix(".spans")):
        head = line.split("#", 1)[0].split()
        if len(head) >= 4:
            sid, kind, start, length = head[0], head[1], int(head[2]), int(head[3])
            spans[sid].append((kind, start, start + length))
    mentions: list[GoldMention] = []
    seen: set[tuple[str, int, int]] = set()
    for line in _lines(stem.with_suffix(".objects")):
        head = line.split("#", 1)[0].split()
        if len(head) < 3 or head[1] not in TYPES:
            continue
        parts = [p for sid in head[2:] for p in spans.get(sid, [])]
        if not parts:
            continue
        full = (min(p[1] for p in parts), max(p[2] for p in parts))
        names = [p for p in parts if p[0] not in DESCRIPTORS]
        core = (min(p[1] for p in names), max(p[2] for p in names)) if names else None
        kind = TYPES[head[1]]
        if (kind, *full) in seen:
            continue
        seen.add((kind, *full))
        mentions.append(GoldMention(head[0], kind, full, core))
    cluster_of: dict[str, str] = {}
    for block in stem.with_suffix(".coref").read_text(encoding="utf-8").split("\n\n"):
        rows = block.strip().splitlines()
        if rows:
            ids = rows[0].split()
            for obj in ids[1:]:
                cluster_of[obj] = ids[0]
    occupations: list[tuple[str, str]] = []
    span_text: dict[str, str] = {}
    for line in _lines(stem.with_suffix(".spans")):
        if "#" in line:
            head, texts = line.split("#", 1)
            tail = texts.split()
            n = int(head.split()[5]) if len(head.split()) > 5 else 1
            span_text[head.split()[0]] = " ".join(tail[n:])
    meetings: list[set[str]] = []
    facts = stem.with_suffix(".facts")
    for block in facts.read_text(encoding="utf-8").split("\n\n") if facts.exists() else []:
        rows = block.strip().splitlines()
        if rows and rows[0].endswith("Meeting"):
            meetings.append({r.split()[1][3:] for r in rows[1:] if r.startswith("Participant obj")})
        if not rows or not rows[0].endswith("Occupation"):
            continue
        who = pos = None
        for row in rows[1:]:
            bits = row.split()
            if len(bits) >= 2 and bits[0] == "Who" and bits[1].startswith("obj"):
                who = bits[1][3:]
            if len(bits) >= 2 and bits[0] == "Position":
                pos = span_text.get(bits[1].removeprefix("span"), " ".join(bits[2:]))
        if who and pos:
            occupations.append((who, pos))
    return Gold(mentions, cluster_of, occupations, meetings=meetings)


Pred = tuple[str, int, int, str]  # type, start, end, entity key


def match(preds: list[Pred], gold: list[GoldMention]) -> dict[int, int]:
    """Pred index -> gold index, one-to-one, full span first, then the name core."""
    by_span: dict[tuple[str, int, int], list[int]] = defaultdict(list)
    for gi, g in enumerate(gold):
        by_span[(g.type, *g.full)].append(gi)
    for gi, g in enumerate(gold):
        if g.core and g.core != g.full:
            by_span[(g.type, *g.core)].append(gi)
    used: set[int] = set()
    out: dict[int, int] = {}
    for pi, (kind, s, e, _) in enumerate(preds):
        for gi in by_span.get((kind, s, e), []):
            if gi not in used:
                used.add(gi)
                out[pi] = gi
                break
    return out


@dataclass
class Counts:
    tp: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    pred: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    gold: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def add(self, preds: list[Pred], gold: list[GoldMention], m: dict[int, int]) -> None:
        for p in preds:
            self.pred[p[0]] += 1
        for g in gold:
            self.gold[g.type] += 1
        for pi in m:
            self.tp[preds[pi][0]] += 1

    def prf(self, kind: str | None) -> tuple[float, float, float]:
        kinds = [kind] if kind else list(KINDS)
        tp = sum(self.tp[k] for k in kinds)
        pr = sum(self.pred[k] for k in kinds)
        gd = sum(self.gold[k] for k in kinds)
        p = tp / pr if pr else 0.0
        r = tp / gd if gd else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def bcubed(pairs: list[tuple[str, str]]) -> tuple[float, float, float]:
    """B-cubed over items given as (predicted cluster, gold cluster)."""
    if not pairs:
        return 0.0, 0.0, 0.0
    pc: dict[str, int] = defaultdict(int)
    gc: dict[str, int] = defaultdict(int)
    both: dict[tuple[str, str], int] = defaultdict(int)
    for p, g in pairs:
        pc[p] += 1
        gc[g] += 1
        both[(p, g)] += 1
    prec = sum(both[(p, g)] / pc[p] for p, g in pairs) / len(pairs)
    rec = sum(both[(p, g)] / gc[g] for p, g in pairs) / len(pairs)
    return prec, rec, 2 * prec * rec / (prec + rec) if prec + rec else 0.0


_WORD = re.compile(r"[А-Яа-яЁёA-Za-z-]+")
STOP = {"и", "в", "на", "по", "с", "за", "от", "до", "для", "о", "об"}


def lemmas(text: str) -> set[str]:
    vocab = models().morph_vocab
    out = set()
    for w in _WORD.findall(text.lower()):
        if w in STOP or len(w) < 3:
            continue
        forms = vocab.parse(w)
        out.add(forms[0].normal if forms else w)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--devset", type=Path, default=default_devset())
    ap.add_argument("--show-errors", type=int, default=0, help="print N error examples per kind")
    ap.add_argument("--limit", type=int, default=0, help="only the first N documents")
    args = ap.parse_args()
    docs = sorted(args.devset.glob("book_*.txt"), key=lambda p: int(p.stem.split("_")[1]))
    if args.limit:
        docs = docs[: args.limit]
    if not docs:
        print(f"no book_*.txt under {args.devset}", file=sys.stderr)
        return 2
    models()
    raw, eng = Counts(), Counts()
    raw_groups: list[tuple[str, str]] = []
    eng_groups: list[tuple[str, str]] = []
    occ_found = occ_total = role_ok = role_total = 0
    meet_found = meet_total = meet_ok = meet_pred = 0
    t_nlp = t_ent = 0.0
    errors: list[str] = []
    for path in docs:
        text = path.read_text(encoding="utf-8")
        gold = load_gold(path.with_suffix(""))
        t0 = time.perf_counter()
        doc = analyze(text)
        t1 = time.perf_counter()
        parsed = from_doc(doc)
        entities = extract_entities(parsed, 0)
        t2 = time.perf_counter()
        t_nlp += t1 - t0
        t_ent += t2 - t1
        vocab = models().morph_vocab
        raw_preds: list[Pred] = []
        for sp in doc.spans:
            sp.normalize(vocab)
            raw_preds.append((sp.type, sp.start, sp.stop, (sp.normal or sp.text).lower()))
        eng_preds: list[Pred] = [
            (e.type, m.start, m.end, e.key) for e in entities for m in e.mentions
        ]
        rm, em = match(raw_preds, gold.mentions), match(eng_preds, gold.mentions)
        raw.add(raw_preds, gold.mentions, rm)
        eng.add(eng_preds, gold.mentions, em)
        tag = path.stem
        for mm, preds, sink in ((rm, raw_preds, raw_groups), (em, eng_preds, eng_groups)):
            for pi, gi in mm.items():
                obj = gold.mentions[gi].obj_id
                sink.append((f"{tag}:{preds[pi][3]}", f"{tag}:{gold.cluster_of.get(obj, obj)}"))
        # Occupation facts.
        cluster_keys: dict[str, set[str]] = defaultdict(set)
        for pi, gi in em.items():
            obj = gold.mentions[gi].obj_id
            cluster_keys[gold.cluster_of.get(obj, obj)].add(eng_preds[pi][3])
        roles = {e.key: [lemmas(r) for r in e.roles] for e in entities}
        gold_by_key: dict[str, list[set[str]]] = defaultdict(list)
        for who, pos in gold.occupations:
            occ_total += 1
            gl = lemmas(pos)
            keys = cluster_keys.get(who, set())
            for k in keys:
                gold_by_key[k].append(gl)
            if any(gl & rl for k in keys for rl in roles.get(k, [])):
                occ_found += 1
            elif len(errors) < args.show_errors * 4:
                errors.append(f"{tag} occupation missed: {who} {pos!r} have {keys}")
        # Meeting facts.
        clusters_of_key: dict[str, set[str]] = defaultdict(set)
        for cluster, keys in cluster_keys.items():
            for k in keys:
                clusters_of_key[k].add(cluster)
        events = extract_events(parsed, 0, entities, find_dates(parsed, 0, None))
        meetings = [
            set().union(*(clusters_of_key[p.entity] for p in ev.participants))
            for ev in events
            if ev.type == "CONSULT" and len({p.entity for p in ev.participants}) >= 2
        ]
        meet_pred += len(meetings)
        meet_total += len(gold.meetings)

        def finds(pred: set[str], gold_meeting: set[str]) -> bool:
            return len(pred & gold_meeting) >= min(2, len(gold_meeting))

        meet_found += sum(any(finds(m, g) for m in meetings) for g in gold.meetings)
        meet_ok += sum(any(finds(m, g) for g in gold.meetings) for m in meetings)
        matched_keys = {eng_preds[pi][3] for pi in em if eng_preds[pi][0] == "PER"}
        for e in entities:
            if e.key not in matched_keys:
                continue
            for rl in roles[e.key]:
                role_total += 1
                if any(rl & gl for gl in gold_by_key.get(e.key, [])):
                    role_ok += 1
        if args.show_errors:
            matched_gold = set(em.values())
            for pi, p in enumerate(eng_preds):
                if pi not in em:
                    errors.append(f"{tag} FP {p[0]} {text[p[1] : p[2]]!r} @{p[1]}")
            for gi, g in enumerate(gold.mentions):
                if gi not in matched_gold:
                    s, e = g.full
                    errors.append(f"{tag} FN {g.type} {text[s:e]!r} @{s}")
    print(f"factRuEval-2016 devset: {len(docs)} documents, {args.devset}")
    print()
    print("| system | type | P | R | F1 | pred | gold |")
    print("|---|---|---|---|---|---|---|")
    for name, c in (("raw natasha", raw), ("engine", eng)):
        for kind in (*KINDS, None):
            p, r, f = c.prf(kind)
            k = kind or "micro"
            pr = c.pred[kind] if kind else sum(c.pred.values())
            gd = c.gold[kind] if kind else sum(c.gold.values())
            print(f"| {name} | {k} | {p:.3f} | {r:.3f} | {f:.3f} | {pr} | {gd} |")
    print()
    print("Grouping, B-cubed over matched mentions:")
    print("| system | P | R | F1 | mentions |")
    print("|---|---|---|---|---|")
    for name, pairs in (("raw natasha, same normal form", raw_groups), ("engine", eng_groups)):
        p, r, f = bcubed(pairs)
        print(f"| {name} | {p:.3f} | {r:.3f} | {f:.3f} | {len(pairs)} |")
    print()
    rec = occ_found / occ_total if occ_total else 0.0
    prec = role_ok / role_total if role_total else 0.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    print(
        f"Occupation: recall {rec:.3f} ({occ_found}/{occ_total}), "
        f"precision {prec:.3f} ({role_ok}/{role_total}), F1 {f1:.3f}"
    )
    m_rec = meet_found / meet_total if meet_total else 0.0
    m_prec = meet_ok / meet_pred if meet_pred else 0.0
    m_f1 = 2 * m_prec * m_rec / (m_prec + m_rec) if m_prec + m_rec else 0.0
    print(
        f"Meeting: recall {m_rec:.3f} ({meet_found}/{meet_total}), "
        f"precision {m_prec:.3f} ({meet_ok}/{meet_pred}), F1 {m_f1:.3f}"
    )
    print(
        f"Time: natasha {t_nlp:.2f} s, entities+roles+geo {t_ent:.2f} s "
        f"(+{100 * t_ent / t_nlp:.1f} %)"
    )
    for line in errors:
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
