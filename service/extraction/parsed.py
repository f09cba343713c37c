"""One parse view of an article body, built once and handed to every extraction step.

natasha's ``Doc`` gives tokens with string ids per sentence; the rules want plain indexes:
tokens with offsets, lemma, POS, feats, head and relation as integers into one list,
sentences (split at paragraph breaks), children, the quotation pairs of the text (the one
quote detector of the wing) and, once entities are known, the entity mention at a token.
Lemmas are computed here once (and cached on natasha's token and in the vocabulary).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from natasha import Doc

from service.extraction.models import Entity
from service.extraction.nlp import analyze, models

# Opening mark -> its closing mark. ``“`` closes ``„`` and opens ``“…”``.
QUOTE_PAIRS: dict[str, str] = {"«": "»", "“": "”", "„": "“", '"': '"'}
_QUOTE_MARKS = frozenset('«»“”„"\n')
# Words the tagger takes for nouns though they are gerunds of saying verbs.
_GERUND_FIXES: dict[str, str] = {"ссылаясь": "ссылаться", "сославшись": "сослаться"}
_LEMMATIZED = frozenset({"VERB", "NOUN", "PROPN", "ADJ", "AUX", "PRON", "DET"})


@dataclass(slots=True)
class Tok:
    i: int
    start: int
    stop: int
    text: str
    low: str  # lowercased, ё → е
    lemma: str  # lowercased, ё → е; the word itself for function words
    pos: str
    feats: dict[str, str]
    head: int  # token index or -1
    rel: str
    sent: int


@dataclass(slots=True)
class Sent:
    start: int
    stop: int
    first: int  # token index range [first, last)
    last: int


@dataclass(slots=True)
class Parsed:
    """The body as every step sees it; offsets are into the body (``doc.text``)."""

    doc: Doc  # natasha's document, for steps that still walk its tokens
    text: str
    toks: list[Tok]
    sents: list[Sent]
    children: list[list[int]]
    quotes: list[tuple[int, int]]  # top-level quotation pairs: (open mark, close mark)
    quote_opens: list[int] = field(default_factory=list)
    quote_close: dict[int, int] = field(default_factory=dict)
    mentions: list[tuple[int, int, Entity]] = field(default_factory=list)  # body-relative
    mention_starts: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.quote_opens = [o for o, _ in self.quotes]
        self.quote_close = dict(self.quotes)

    # ------------------------------------------------------------ lookups

    def tok_at(self, pos: int) -> int:
        """Index of the first token starting at or after ``pos``."""
        lo, hi = 0, len(self.toks)
        while lo < hi:
            mid = (lo + hi) // 2
            if self.toks[mid].start < pos:
                lo = mid + 1
            else:
                hi = mid
        return lo

    def in_quote(self, pos: int) -> tuple[int, int] | None:
        """The quotation pair whose marks enclose ``pos`` (marks themselves excluded)."""
        k = bisect.bisect_left(self.quote_opens, pos) - 1  # the last pair opened before pos
        if k >= 0 and pos < self.quotes[k][1]:
            return self.quotes[k]
        return None

    def quotes_within(self, s: int, e: int) -> list[tuple[int, int]]:
        """Quotation pairs opening in ``[s, e)``."""
        lo = bisect.bisect_left(self.quote_opens, s)
        hi = bisect.bisect_left(self.quote_opens, e)
        return self.quotes[lo:hi]

    def quote_regions(self) -> list[tuple[int, int]]:
        """Quotations as end-exclusive character spans, marks included."""
        return [(o, c + 1) for o, c in self.quotes]

    def entity_at(self, s: int, e: int) -> Entity | None:
        """The entity whose mention overlaps the characters ``[s, e)``."""
        k = bisect.bisect_left(self.mention_starts, e) - 1  # the last mention starting before e
        found = None
        while k >= 0:
            ms, me, ent = self.mentions[k]
            if me > s:
                found = ent  # keep walking: the first overlapping mention wins
            elif ms < s - 300:  # mentions are short: nothing further back can overlap
                break
            k -= 1
        return found

    def attach_entities(self, entities: list[Entity], offset: int) -> None:
        """Record the entity mentions (offsets into the full text, ``offset`` = body start)."""
        self.mentions = sorted(
            ((m.start - offset, m.end - offset, e) for e in entities for m in e.mentions),
            key=lambda x: (x[0], x[1]),
        )
        self.mention_starts = [ms for ms, _, _ in self.mentions]


# ---------------------------------------------------------------- building


def parse(text: str) -> Parsed:
    """Analyse ``text`` (an article body) once."""
    return from_doc(analyze(text))


def from_doc(doc: Doc) -> Parsed:
    vocab = models().morph_vocab
    toks: list[Tok] = []
    bounds: set[int] = set()  # token indices where natasha starts a sentence
    for sent in doc.sents:
        first = len(toks)
        bounds.add(first)
        ids = {t.id: first + k for k, t in enumerate(sent.tokens)}
        for t in sent.tokens:
            feats = dict(t.feats or {})
            low = t.text.lower().replace("ё", "е")
            lemma = low
            pos = t.pos or ""
            if pos in _LEMMATIZED:
                if t.lemma is None:  # natasha's slot: the other steps read it too
                    t.lemmatize(vocab)
                lemma = (t.lemma or low).lower().replace("ё", "е")
            if low in _GERUND_FIXES and pos != "VERB":
                pos, lemma = "VERB", _GERUND_FIXES[low]
                feats = {"VerbForm": "Conv", "Aspect": "Imp"}
            head, rel = ids.get(t.head_id, -1), t.rel or ""
            tok = Tok(len(toks), t.start, t.stop, t.text, low, lemma, pos, feats, head, rel, 0)
            toks.append(tok)
    sents = _sentences(doc.text, toks, bounds)
    children: list[list[int]] = [[] for _ in toks]
    for t in toks:
        if 0 <= t.head < len(toks) and t.head != t.i:
            children[t.head].append(t.i)
    return Parsed(doc, doc.text, toks, sents, children, quote_pairs(doc.text))


def _sentences(text: str, toks: list[Tok], starts: set[int]) -> list[Sent]:
    """natasha's sentences, split at paragraph breaks and joined where natasha split after an
    abbreviation (``2010 г. цены``: a lowercase start continues the sentence)."""
    sents: list[Sent] = []
    for t in toks:
        para = t.i > 0 and "\n" in text[toks[t.i - 1].stop : t.start]
        new = t.i == 0 or para or (t.i in starts and not t.text[:1].islower())
        if new:
            sents.append(Sent(t.start, t.stop, t.i, t.i + 1))
        else:
            sents[-1].stop, sents[-1].last = t.stop, t.i + 1
        t.sent = len(sents) - 1
    return sents


def quote_pairs(text: str) -> list[tuple[int, int]]:
    """Top-level quotation pairs (positions of the two marks). Marks nest (``«…„…“…»``); a
    straight ``"`` opens only at the top level and closes the innermost ``"``; an unclosed
    mark is dropped at its paragraph end. Linear in the text."""
    pairs: list[tuple[int, int]] = []
    stack: list[tuple[str, int]] = []
    for i, ch in enumerate(text):
        if ch not in _QUOTE_MARKS:
            continue
        if ch == "\n":
            stack.clear()
            continue
        if stack and ch == QUOTE_PAIRS[stack[-1][0]]:
            _, pos = stack.pop()
            if not stack:
                pairs.append((pos, i))
            continue
        if ch in QUOTE_PAIRS and (ch != '"' or not stack):
            stack.append((ch, i))
    return pairs
