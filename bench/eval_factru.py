"""Score the entity layer against the factRuEval-2016 devset.

Usage (from the repo root)::

    .venv/bin/python bench/eval_factru.py [--devset PATH] [--show-errors N]
                                          [--mode plain|registry] [--half tune|held-out|all]

Two modes, both always scored and summarised:

* plain: the engine as ``POST /v1/extract`` with an empty registry;
* registry: each document with a gazetteer (``service/extraction/gazetteer.py``) built from
  the entities the engine found in all the OTHER documents (leave-one-out by document), one
  entry per name with the number of other documents it was seen in; the service's admission
  rule (``gazetteer.admitted``: seen in >= 2 of them, or a person's full name) applies.

The devset is split once, by document, into a tune half (even positions in numeric order)
and a held-out half (odd positions); every mode is reported on both. Tune on the first,
only look at the second: a large gap means rules fitted to examples.

What is scored (see docs/quality.md, section "Entities (factRuEval-2016 devset)"):

* NER: exact (type, start, end) match against gold ``.objects`` mentions. Person/Org/Location
  are PER/ORG/LOC, ``LocOrg`` is scored as LOC, ``Project``/``Facility`` are dropped. A gold
  mention has two acceptable spans: the whole object (all its spans, descriptors included)
  and its name core (descriptors ``org_descr``/``loc_descr``/``job`` left out), because
  factRuEval annotates "движения «Солидарность" (with the descriptor, without the closing
  quote) where a name tagger says "Солидарность". Each gold mention matches at most once.
  Raw natasha (plain NewsNERTagger spans) and the engine (every mention of every entity) are
  scored on the same documents with the same rule.
* Track-1 style (a second figure; the exact-span one above is unchanged): factRuEval's
  track 1 scores token overlap rather than exact spans. Here, per type (LocOrg as LOC),
  each prediction and gold mention is a set of word tokens (punctuation left out); a gold
  mention's name-core tokens are required and its descriptor tokens optional, so a pair
  scores |pred & core| / |core | (pred - descriptors)|: 1 for the name alone or with its
  descriptor, a fraction for a boundary error. Pairs are matched one-to-one, best score
  first; P = sum of scores / predictions, R = sum of scores / gold. This follows the
  published description of the official measure; the official script is not in this
  repository and the figure has not been checked against it: treat it as an estimate.
* Grouping: B-cubed over the predicted mentions that matched a gold mention; the gold cluster
  is the ``.coref`` block of the matched object (objects outside any block are singletons).
* Occupation (the testset calls the field ``Job``, the devset ``Position``: both are read):
  a gold (Who, Position) fact is found when a predicted entity has a mention that
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
from service.extraction.gazetteer import Gazetteer, Known  # noqa: E402
from service.extraction.models import Entity  # noqa: E402
from service.extraction.nlp import Doc, analyze, models  # noqa: E402  (natasha after its loader)
from service.extraction.parsed import from_doc  # noqa: E402
from service.identity import entity_key  # noqa: E402

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
            if len(bits) >= 2 and bits[0] in ("Position", "Job"):  # devset / testset
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


_TOKEN = re.compile(r"\w+")


def _token_ids(text: str) -> tuple[list[int], list[int]]:
    """Starts and stops of the word tokens of ``text`` (punctuation is no token)."""
    hits = list(_TOKEN.finditer(text))
    return [h.start() for h in hits], [h.end() for h in hits]


def _covered(tok: tuple[list[int], list[int]], s: int, e: int) -> frozenset[int]:
    starts, stops = tok
    return frozenset(i for i in range(len(starts)) if starts[i] < e and stops[i] > s)


def track1(
    text: str, preds: list[Pred], gold: list[GoldMention]
) -> dict[str, tuple[float, int, int]]:
    """Per type: (sum of pair scores, predictions, gold) under the token-overlap rule."""
    tok = _token_ids(text)
    out: dict[str, tuple[float, int, int]] = {}
    for kind in KINDS:
        ps = [_covered(tok, s, e) for k, s, e, _ in preds if k == kind]
        gs = []
        for g in gold:
            if g.type == kind:
                full = _covered(tok, *g.full)
                core = _covered(tok, *g.core) if g.core else full
                gs.append((core, full - core))
        pairs = []
        for pi, pt in enumerate(ps):
            for gi, (core, opt) in enumerate(gs):
                if pt & core:
                    pairs.append((len(pt & core) / len(core | (pt - opt)), pi, gi))
        used_p: set[int] = set()
        used_g: set[int] = set()
        total = 0.0
        for q, pi, gi in sorted(pairs, reverse=True):
            if pi not in used_p and gi not in used_g:
                used_p.add(pi)
                used_g.add(gi)
                total += q
        out[kind] = (total, len(ps), len(gs))
    return out


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


@dataclass
class DocScore:
    """Everything one document contributes to the totals, for one engine mode."""

    raw: Counts = field(default_factory=Counts)
    eng: Counts = field(default_factory=Counts)
    raw_groups: list[tuple[str, str]] = field(default_factory=list)
    eng_groups: list[tuple[str, str]] = field(default_factory=list)
    occ: list[int] = field(default_factory=lambda: [0, 0, 0, 0])  # found, total, ok, predicted
    meet: list[int] = field(default_factory=lambda: [0, 0, 0, 0])  # found, total, ok, predicted
    errors: list[str] = field(default_factory=list)
    track1: dict[str, tuple[float, int, int]] = field(default_factory=dict)


def score_doc(
    tag: str, text: str, doc: Doc, entities: list[Entity], gold: Gold, show: int
) -> DocScore:
    out = DocScore()
    vocab = models().morph_vocab
    raw_preds: list[Pred] = []
    for sp in doc.spans:
        sp.normalize(vocab)
        raw_preds.append((sp.type, sp.start, sp.stop, (sp.normal or sp.text).lower()))
    eng_preds: list[Pred] = [(e.type, m.start, m.end, e.key) for e in entities for m in e.mentions]
    rm, em = match(raw_preds, gold.mentions), match(eng_preds, gold.mentions)
    out.raw.add(raw_preds, gold.mentions, rm)
    out.eng.add(eng_preds, gold.mentions, em)
    out.track1 = track1(text, eng_preds, gold.mentions)
    for mm, preds, sink in ((rm, raw_preds, out.raw_groups), (em, eng_preds, out.eng_groups)):
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
        out.occ[1] += 1
        gl = lemmas(pos)
        keys = cluster_keys.get(who, set())
        for k in keys:
            gold_by_key[k].append(gl)
        if any(gl & rl for k in keys for rl in roles.get(k, [])):
            out.occ[0] += 1
        elif show:
            have = {k: e.roles for e in entities for k in keys if e.key == k}
            out.errors.append(f"{tag} occupation missed: {who} {pos!r} have {have}")
    matched_keys = {eng_preds[pi][3] for pi in em if eng_preds[pi][0] == "PER"}
    for e in entities:
        if e.key not in matched_keys:
            continue
        for r, rl in zip(e.roles, roles[e.key], strict=True):
            out.occ[3] += 1
            if any(rl & gl for gl in gold_by_key.get(e.key, [])):
                out.occ[2] += 1
            elif show:
                out.errors.append(f"{tag} role wrong: {e.name} {r!r}")
    # Meeting facts.
    clusters_of_key: dict[str, set[str]] = defaultdict(set)
    for cluster, keys in cluster_keys.items():
        for k in keys:
            clusters_of_key[k].add(cluster)
    parsed = from_doc(doc)
    parsed.attach_entities(entities, 0)
    events = extract_events(parsed, 0, entities, find_dates(parsed, 0, None))
    meetings = [
        set().union(*(clusters_of_key[p.entity] for p in ev.participants))
        for ev in events
        if ev.type == "CONSULT" and len({p.entity for p in ev.participants}) >= 2
    ]

    def finds(pred: set[str], gold_meeting: set[str]) -> bool:
        return len(pred & gold_meeting) >= min(2, len(gold_meeting))

    out.meet[0] += sum(any(finds(m, g) for m in meetings) for g in gold.meetings)
    out.meet[1] += len(gold.meetings)
    out.meet[2] += sum(any(finds(m, g) for g in gold.meetings) for m in meetings)
    out.meet[3] += len(meetings)
    if show:
        matched_gold = set(em.values())
        for pi, p in enumerate(eng_preds):
            if pi not in em:
                out.errors.append(f"{tag} FP {p[0]} {text[p[1] : p[2]]!r} @{p[1]}")
        for gi, g in enumerate(gold.mentions):
            if gi not in matched_gold:
                gs, ge = g.full
                out.errors.append(f"{tag} FN {g.type} {text[gs:ge]!r} @{gs}")
    return out


def split_halves(docs: list[Path]) -> dict[str, list[Path]]:
    """The fixed split: documents in numeric order, even positions tune, odd positions
    held out (scored only). Never change it to suit a result."""
    return {"tune": docs[0::2], "held-out": docs[1::2], "all": docs}


def registry_from_others(names: dict[str, list[Known]], tag: str) -> list[Known]:
    """The registry as the other documents would have filled it: one entry per (type, name
    key) with the number of other documents that had it and every alias seen with it.
    ``gazetteer.admitted`` then applies the service's rule (>= 2 articles, or a full name)."""
    count: dict[tuple[str, str], int] = defaultdict(int)
    shown: dict[tuple[str, str], str] = {}
    aliases: dict[tuple[str, str], dict[str, None]] = defaultdict(dict)
    for other, entries in names.items():
        if other == tag:
            continue
        for k in entries:
            key = (k.type, entity_key(k.name))
            count[key] += 1
            shown.setdefault(key, k.name)
            aliases[key].update(dict.fromkeys(k.aliases))
    return [
        Known(t, shown[(t, k)], tuple(aliases[(t, k)]), articles=n) for (t, k), n in count.items()
    ]


def _prf(found: int, total: int, ok: int, pred: int) -> tuple[float, float, float]:
    r = found / total if total else 0.0
    p = ok / pred if pred else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def report(name: str, scores: list[DocScore], detail: bool) -> None:
    raw, eng = Counts(), Counts()
    occ, meet = [0, 0, 0, 0], [0, 0, 0, 0]
    raw_groups: list[tuple[str, str]] = []
    eng_groups: list[tuple[str, str]] = []
    t1: dict[str, list[float]] = {k: [0.0, 0, 0] for k in KINDS}
    for sc in scores:
        for k, vals in sc.track1.items():
            t1[k] = [a + b for a, b in zip(t1[k], vals, strict=True)]
        for mine, theirs in ((raw, sc.raw), (eng, sc.eng)):
            for attr in ("tp", "pred", "gold"):
                for k, v in getattr(theirs, attr).items():
                    getattr(mine, attr)[k] += v
        occ = [a + b for a, b in zip(occ, sc.occ, strict=True)]
        meet = [a + b for a, b in zip(meet, sc.meet, strict=True)]
        raw_groups += sc.raw_groups
        eng_groups += sc.eng_groups
    if detail:
        print("| system | type | P | R | F1 | pred | gold |")
        print("|---|---|---|---|---|---|---|")
        for sys_name, c in (("raw natasha", raw), ("engine", eng)):
            for kind in (*KINDS, None):
                p, r, f = c.prf(kind)
                k = kind or "micro"
                pr = c.pred[kind] if kind else sum(c.pred.values())
                gd = c.gold[kind] if kind else sum(c.gold.values())
                print(f"| {sys_name} | {k} | {p:.3f} | {r:.3f} | {f:.3f} | {pr} | {gd} |")
        print()
        print("Engine, track-1 style (token overlap, descriptors optional, LocOrg as LOC):")
        print("| type | P | R | F1 |")
        print("|---|---|---|---|")
        for kind in (*KINDS, None):
            p, r, f = _track1_prf(t1, kind)
            print(f"| {kind or 'micro'} | {p:.3f} | {r:.3f} | {f:.3f} |")
        print()
        print("Grouping, B-cubed over matched mentions:")
        print("| system | P | R | F1 | mentions |")
        print("|---|---|---|---|---|")
        for sys_name, pairs in (
            ("raw natasha, same normal form", raw_groups),
            ("engine", eng_groups),
        ):
            p, r, f = bcubed(pairs)
            print(f"| {sys_name} | {p:.3f} | {r:.3f} | {f:.3f} | {len(pairs)} |")
        print()
        print(
            "Occupation: recall {1:.3f} ({3}/{4}), precision {0:.3f} ({5}/{6}), F1 {2:.3f}".format(
                *_prf(*occ), occ[0], occ[1], occ[2], occ[3]
            )
        )
        print(
            "Meeting: recall {1:.3f} ({3}/{4}), precision {0:.3f} ({5}/{6}), F1 {2:.3f}".format(
                *_prf(*meet), meet[0], meet[1], meet[2], meet[3]
            )
        )
        return
    cells = [name, str(len(scores))]
    for kind in ("PER", "ORG", "LOC"):
        p, r, f = eng.prf(kind)
        cells.append(f"{p:.3f} / {r:.3f} / {f:.3f}")
    p, r, f = eng.prf(None)
    cells.append(f"{p:.3f} / {r:.3f} / **{f:.3f}**")
    _, _, rf = raw.prf(None)
    cells.append(f"{rf:.3f}")
    op, orr, of = _prf(*occ)
    cells.append(f"{op:.3f} / {orr:.3f} / {of:.3f}")
    cells.append(f"{_track1_prf(t1, None)[2]:.3f}")
    print("| " + " | ".join(cells) + " |")


def _track1_prf(t1: dict[str, list[float]], kind: str | None) -> tuple[float, float, float]:
    kinds = [kind] if kind else list(KINDS)
    q = sum(t1[k][0] for k in kinds)
    pred = sum(t1[k][1] for k in kinds)
    gold = sum(t1[k][2] for k in kinds)
    p = q / pred if pred else 0.0
    r = q / gold if gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--devset", type=Path, default=default_devset())
    ap.add_argument("--show-errors", type=int, default=0, help="print N error examples per kind")
    ap.add_argument("--limit", type=int, default=0, help="only the first N documents")
    ap.add_argument(
        "--half",
        choices=("tune", "held-out", "all"),
        default="all",
        help="which half the detailed tables and errors cover (summary: all halves)",
    )
    ap.add_argument(
        "--mode",
        choices=("plain", "registry"),
        default="plain",
        help="which mode the detailed tables and errors cover (summary: both modes)",
    )
    args = ap.parse_args()
    docs = sorted(args.devset.glob("book_*.txt"), key=lambda p: int(p.stem.split("_")[1]))
    if args.limit:
        docs = docs[: args.limit]
    if not docs:
        print(f"no book_*.txt under {args.devset}", file=sys.stderr)
        return 2
    models()
    halves = split_halves(docs)
    shown = {p.stem for p in halves[args.half]}
    t_nlp = t_ent = t_gaz = 0.0
    parsed: dict[str, tuple[str, Doc, Gold]] = {}
    names: dict[str, list[Known]] = {}
    scores: dict[str, dict[str, DocScore]] = {"plain": {}, "registry": {}}
    for path in docs:
        text = path.read_text(encoding="utf-8")
        gold = load_gold(path.with_suffix(""))
        t0 = time.perf_counter()
        doc = analyze(text)
        t1 = time.perf_counter()
        entities = extract_entities(from_doc(doc), 0)
        t2 = time.perf_counter()
        t_nlp += t1 - t0
        t_ent += t2 - t1
        parsed[path.stem] = (text, doc, gold)
        names[path.stem] = [Known(e.type, e.name, tuple(e.aliases)) for e in entities]
        show = args.show_errors if args.mode == "plain" and path.stem in shown else 0
        scores["plain"][path.stem] = score_doc(path.stem, text, doc, entities, gold, show)
    # Registry mode: each document with a gazetteer built from all the other documents.
    sizes = []
    for tag, (text, doc, gold) in parsed.items():
        gazetteer = Gazetteer.build(registry_from_others(names, tag))
        sizes.append(gazetteer.size)
        t0 = time.perf_counter()
        entities = extract_entities(from_doc(doc), 0, gazetteer)
        t_gaz += time.perf_counter() - t0
        show = args.show_errors if args.mode == "registry" and tag in shown else 0
        scores["registry"][tag] = score_doc(tag, text, doc, entities, gold, show)
    print(f"factRuEval-2016 devset: {len(docs)} documents, {args.devset}")
    print(
        f"halves (fixed): tune = even positions in numeric order ({len(halves['tune'])}), "
        f"held-out = odd positions ({len(halves['held-out'])})"
    )
    print(
        "registry mode: gazetteer from the entities the engine found in the other documents "
        f"(leave-one-out; {min(sizes)}-{max(sizes)} names admitted)"
    )
    print()
    print(f"Detail: mode {args.mode}, half {args.half}")
    print()
    report("", [scores[args.mode][p.stem] for p in halves[args.half]], detail=True)
    print()
    print("Summary (engine; P / R / F1):")
    print()
    print(
        "| mode, half | docs | PER | ORG | LOC | micro | raw natasha micro F1 | Occupation "
        "| track-1 style micro F1 |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for mode in ("plain", "registry"):
        for half in ("tune", "held-out", "all"):
            report(f"{mode}, {half}", [scores[mode][p.stem] for p in halves[half]], False)
    for half in ("tune", "held-out", "all"):
        delta = []
        for what in ("pred", "tp"):
            n = [
                sum(sum(getattr(scores[mode][p.stem].eng, what).values()) for p in halves[half])
                for mode in ("plain", "registry")
            ]
            delta.append(n[1] - n[0])
        print(f"registry vs plain, {half}: {delta[0]:+d} mentions predicted, {delta[1]:+d} correct")
    print()
    print(
        f"Time: natasha {t_nlp:.2f} s, entities+roles+geo {t_ent:.2f} s "
        f"(+{100 * t_ent / t_nlp:.1f} %); with the gazetteer {t_gaz:.2f} s"
    )
    errors = [e for p in halves[args.half] for e in scores[args.mode][p.stem].errors]
    for kind in ("FP", "FN", "occupation missed", "role wrong"):
        picked = [e for e in errors if f" {kind}" in e][: args.show_errors]
        for line in picked:
            print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
