"""Events over the dependency parse, typed with PLOVER through a curated lemma lexicon.

One pass per sentence. Verbs come first: a lexicon verb is a trigger; a light verb
(``провести``) with a lexicon noun as object makes one event of the noun's type with the
verb's clause (``провести переговоры``); an occurrence verb (``состояться``) does the same
with a lexicon noun as subject. Lexicon nouns left over are triggers of their own when the
text ties them to someone or somewhere (``визит Путина``, ``рейд в Екатеринбурге``).
Arguments are read off the tree, then mapped to the entities whose mentions overlap them.
The natasha parse is noisy, so each step has a small linear fallback; see docs/events.md.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from service.extraction import pronouns
from service.extraction.event_groups import group_name, is_group, is_person_name
from service.extraction.lexicon import (
    ACT_NOUNS,
    AID_GOODS,
    ANAPHORIC_DETS,
    ANNOUNCE_VERBS,
    BELIEF_VERBS,
    BLOCKABLE_NOUNS,
    CASE_NOUNS,
    CLAIM_NOUNS,
    COUNT_HEADS,
    DEATH_VERBS,
    DECISION_NOUNS,
    FIRING_LEMMAS,
    FRAMING_TYPES,
    GROUP_NOUNS,
    INTENT_WORDS,
    LIGHT_SUBJECT_VERBS,
    LIGHT_VERBS,
    MODE_HINTS,
    NAME_DESCRIPTORS,
    NEGATING_HEADS,
    NEGATING_VERBS,
    PARTICIPANT_HEADS,
    PERSON_OBJECT_VERBS,
    PHRASES,
    PRAISE_WORDS,
    PRESS_NOUNS,
    PROTESTER_NOUNS,
    QUANTITY_NOUNS,
    REPORTED_CUES,
    SETTING_PREPS,
    SPEECH_VERBS,
    SUPPLY_LEMMAS,
    TERRITORY_NOUNS,
    TITLE_SYNONYMS,
    TRIGGERS,
    WRAPPER_NOUNS,
    Sense,
    words,
)
from service.extraction.models import (
    DateValue,
    Entity,
    Event,
    EventLocation,
    Modality,
    Participant,
    ParticipantRole,
    Polarity,
    Span,
    Trigger,
)
from service.extraction.parsed import Parsed, Sent, Tok

_PLACE_PREPS = words("в во на над под у около возле близ вблизи из под")
_AGAINST_PREPS = words("по против на над")
_WITH_PREPS = words("с со между")
# ``по``/``на`` name a victim only for violence, threats, blame and demands (``удар по``,
# ``напали на``, ``жалоба на``, ``настаивать на``) and a seizure (``арест на имущество``);
# after an arrest or a ban they say where or why (``задержан на границе``, ``арестован по
# решению суда``). ``против`` names one for any victim type.
_AGAINST_TYPES = {
    "по": words("ASSAULT THREATEN ACCUSE REQUEST"),
    "на": words("ASSAULT THREATEN ACCUSE REQUEST"),
    "над": words("ASSAULT THREATEN ACCUSE"),
}
# Prepositions of an oblique that still names a party to the event (not a place or a cause).
_ADDRESSEE_PREPS = words("к у")  # whom a request is made of
_PARTNER_PREPS = words("к у от перед для через")
_CORE_RELS = words("conj appos flat flat:name flat:foreign fixed")
_CLAUSE_RELS = words("acl acl:relcl parataxis ccomp advcl csubj punct")
_SUBJECT_RELS = words("nsubj nsubj:pass")
# Verbs an infinitive hangs from (``начала бить``): the infinitive shares their subject.
_PHASE_VERBS = words("""начать начинать стать продолжить продолжать прекратить перестать мочь смочь
    хотеть собираться пытаться попытаться решить""")
# Events whose object is the one it is done to (rather than a partner).
_VICTIM_TYPES = words("ASSAULT COERCE THREATEN ACCUSE SANCTION PROTEST REJECT REQUEST AID SUPPORT")
# The paths by which a framing event governs its content (D3): complements, not conjuncts.
_FRAMED_RELS = words("xcomp ccomp obj iobj nmod obl advcl acl csubj")
_NAMING_VERBS = words("назвать называть")
_FUTURE_AUX = words("буду будешь будет будем будете будут")
_THIRD_PERSON = words("он она они")  # an actor the text names, even when we cannot resolve it
# Verbs whose doer is a dative (``полиции удалось задержать``).
_EXPERIENCER_VERBS = words("удаться удаваться прийтись приходиться предстоять")
_PLACE_RELATIVES = words("где куда")
_MAX_CLIMB = 4
_MAX_LOCATION_DISTANCE = 12  # tokens, for the linear fallback


class _Sent:
    """One sentence of the parse view with the walks the rules need (tokens are ``Tok``s of
    ``parsed.py``; ``index`` is a token's position in the sentence)."""

    def __init__(self, parsed: Parsed, sent: Sent) -> None:
        self.parsed = parsed
        self.toks = parsed.toks
        self.children = parsed.children
        self.first, self.last = sent.first, sent.last
        self.start, self.stop = sent.start, sent.stop
        self.text = parsed.text[sent.start : sent.stop]
        self.tokens: list[Tok] = parsed.toks[sent.first : sent.last]
        self.index: dict[int, int] = {t.i: t.i - sent.first for t in self.tokens}

    def kids(self, token: Tok, *rels: str) -> list[Tok]:
        found = [self.toks[k] for k in self.children[token.i] if self.first <= k < self.last]
        return [t for t in found if t.rel in rels] if rels else found

    def head(self, token: Tok) -> Tok | None:
        if token.head == token.i or not self.first <= token.head < self.last:
            return None
        return self.toks[token.head]

    def ancestors(self, token: Tok) -> Iterator[Tok]:
        seen = {token.i}
        current = self.head(token)
        while current is not None and current.i not in seen:
            yield current
            seen.add(current.i)
            current = self.head(current)

    def subtree(self, token: Tok, skip: frozenset[str] = _CLAUSE_RELS) -> list[Tok]:
        # The parser can return a cycle (a token whose head chain comes back to it): visit
        # each token once, or the walk never ends.
        out, stack, seen = [], [token], {token.i}
        while stack:
            node = stack.pop()
            out.append(node)
            for kid in self.kids(node):
                if kid.rel not in skip and kid.i not in seen:
                    seen.add(kid.i)
                    stack.append(kid)
        return out


_Lemmas = Callable[[Tok], str]


def _lemma(token: Tok) -> str:
    """The parse view's lemma (lowercased, ё → е; the word itself for function words)."""
    return token.lemma


class _EntityIndex:
    """Which entity a token belongs to (the parse view's mentions), and which person a
    pronoun or a title refers to."""

    def __init__(self, parsed: Parsed) -> None:
        self.parsed = parsed
        self.spans = parsed.mentions  # (start, end, entity), body-relative, sorted
        # title keys (``президент``, ``президент|росс``) -> persons introduced with that title
        self.titled: dict[str, list[tuple[int, Entity]]] = {}
        self._full_names: list[Entity] | None = None
        self._learn_roles()

    def _learn_roles(self) -> None:
        """The titles the entity step tied to a person (``Медведев, президент России``): a
        later ``российский президент`` refers to him, as with a title before the name."""
        first: dict[str, tuple[int, Entity]] = {}
        for start, _, entity in self.spans:
            if entity.type == "PER" and entity.roles:
                first.setdefault(entity.key, (start, entity))
        for start, entity in first.values():
            for role in entity.roles:
                head, *mods = _fold(role).split() or [""]
                for key in _title_keys(head, mods)[1:]:  # ``президент|росс``, not a bare title
                    self.titled.setdefault(key, []).append((start, entity))

    def learn_titles(self, s: _Sent, lemma: _Lemmas) -> None:
        """Remember ``президент России Дмитрий Медведев``: a later bare ``президент`` or
        ``российский президент`` refers to him."""
        for i, token in enumerate(s.tokens):
            entity = self.of(token)
            if entity is None or entity.type != "PER" or (i and self.of(s.tokens[i - 1])):
                continue
            words: list[Tok] = []
            for j in range(i - 1, max(-1, i - 5), -1):
                prev = s.tokens[j]
                if prev.pos in ("PUNCT", "VERB", "ADP", "CCONJ", "SCONJ") or self.of(prev):
                    break
                words.append(prev)
            titles = [w for w in words if w.pos == "NOUN"]
            if not titles:
                continue
            head = titles[-1]  # the first noun of the phrase is the title
            mods = [w for w in words if w is not head]
            for key in _title_keys(lemma(head), [lemma(m) for m in mods]):
                self.titled.setdefault(key, []).append((token.start, entity))

    def titled_person(self, head: str, mods: list[str], position: int) -> Entity | None:
        """The person last introduced before ``position`` with this title and modifier."""
        keys = _title_keys(head, mods)[1:] or [head]
        for key in keys:
            seen = [(p, e) for p, e in self.titled.get(key, []) if p < position]
            if seen:
                return max(seen, key=lambda pe: pe[0])[1]
        if mods:  # a lead's ``глава японского МИДа`` before the article names him
            later = {e.key: e for k in keys for p, e in self.titled.get(k, []) if p > position}
            return next(iter(later.values())) if len(later) == 1 else None
        people = {e.key: e for _, e in self.titled.get(head, [])}
        return next(iter(people.values())) if len(people) == 1 else None

    def institution(self, noun: str) -> Entity | None:
        """The one organisation of the article named with this noun (``правительство`` or
        ``его правительство`` after ``японское правительство``), if only one is."""
        orgs = {
            e.key: e for _, _, e in self.spans if e.type == "ORG" and noun in _fold(e.name).split()
        }
        return next(iter(orgs.values())) if len(orgs) == 1 else None

    def person_before(self, position: int, gender: str) -> Entity | None:
        """What ``он``/``она`` at ``position`` refers to (the resolver sources share)."""
        found = pronouns.person_before(self.parsed, position, gender)
        return found[1] if found else None

    def canonical(self, entity: Entity) -> Entity:
        """The person a one-word person entity stands for (``Михаэль`` after ``Михаэль
        Шумахер``): the only person in the article whose full name has that word."""
        if entity.type != "PER" or len(entity.name.split()) > 1:
            return entity
        if self._full_names is None:
            people = {e.key: e for _, _, e in self.spans if e.type == "PER"}
            self._full_names = [e for e in people.values() if len(e.name.split()) > 1]
        word = _fold(entity.name)
        full = [e for e in self._full_names if word in _fold(e.name).split()]
        return full[0] if len(full) == 1 else entity

    def of(self, token: Tok) -> Entity | None:
        return self.parsed.entity_at(token.start, token.stop)


def _fold(name: str) -> str:
    return name.casefold().replace("ё", "е")


def _title_keys(head: str, mods: list[str]) -> list[str]:
    """``президент`` + ``россия``/``российский`` → ``президент``, ``президент|росс``: a
    country's noun and adjective share their first letters."""
    head = TITLE_SYNONYMS.get(head, head)
    return [head, *(f"{head}|{m[:4]}" for m in mods if len(m) > 3)]


def _case(s: _Sent, token: Tok, lemma: _Lemmas) -> str:
    """The preposition of a nominal (``в``, ``с``, ``в отношении``), or ``""``."""
    for kid in s.kids(token, "case"):
        fixed = [k.low for k in s.kids(kid, "fixed")]
        return " ".join([lemma(kid), *fixed])
    return ""


def _negated(s: _Sent, token: Tok, lemma: _Lemmas) -> bool:
    if any(lemma(k) in ("не", "ни") for k in s.kids(token, "advmod", "advmod:neg", "discourse")):
        return True
    head = s.head(token)
    if head is None:
        return False
    if token.rel == "xcomp" and _negated(s, head, lemma):  # ``не стал встречаться``
        return True
    if token.rel in ("nmod", "obl", "obj") and lemma(head) in NEGATING_HEADS:
        return True  # ``отсутствие контактов``, ``отказ от переговоров``
    return lemma(head) in NEGATING_VERBS or _case(s, token, lemma) == "без"


def _future_marked(s: _Sent, token: Tok, lemma: _Lemmas) -> bool:
    feats = token.feats or {}
    if feats.get("Tense") == "Fut" or feats.get("Mood") in ("Cnd", "Imp"):
        return True
    for kid in s.kids(token):
        kf = kid.feats or {}
        if kid.rel.startswith("aux") and (kf.get("Tense") == "Fut" or kid.low in _FUTURE_AUX):
            return True  # ``будет снят``, ``будут вести``
        if kid.rel in ("advmod", "discourse", "aux", "mark") and lemma(kid) in (
            "ли",
            "бы",
            "если",
            "чтобы",
        ):
            return True
    return False


def _modality(s: _Sent, pred: Tok, trigger: Tok, lemma: _Lemmas, quoted: bool) -> Modality:
    if _future_marked(s, pred, lemma):
        return "hypothetical"
    if pred.pos == "NOUN":  # a noun event takes the mood of the verb it stands in
        verb = next((a for a in _clause_ancestors(s, pred) if a.pos in ("VERB", "AUX")), None)
        if verb is not None and _future_marked(s, verb, lemma):
            return "hypothetical"
        if pred.rel in _SUBJECT_RELS and verb is not None and lemma(verb) in INTENT_WORDS:
            return "hypothetical"  # ``визит ожидается в мае``, ``встреча планируется``
    if any(lemma(k) in INTENT_WORDS for k in s.kids(trigger, "amod", "acl")):
        return "hypothetical"  # ``запланированный визит``, ``предстоящие переговоры``
    reported = quoted or _as_someone_says(s, lemma)
    node = pred
    for _ in range(_MAX_CLIMB):
        if node.rel in ("conj", "parataxis", "root", "nsubj", "nsubj:pass", "acl:relcl", "acl"):
            break  # a subject, or a relative or participle clause, asserts on its own
        anc = _effective_head(s, node, lemma)
        if anc is None:
            break
        if lemma(anc) in INTENT_WORDS:
            return "hypothetical"
        framing = lemma(anc) in SPEECH_VERBS or lemma(anc) in BELIEF_VERBS
        about = _case(s, node, lemma) in ("о", "об")  # ``сообщила о задержании``
        if framing and (node.rel in ("ccomp", "xcomp", "parataxis", "obj") or about):
            reported = True
        node = anc
    root = node
    if any(lemma(k) in SPEECH_VERBS for k in s.kids(root, "parataxis")):
        reported = True  # ``«...», — сказал он``
    if _has_reported_cue(s):
        reported = True
    return "reported" if reported else "asserted"


def _clause_ancestors(s: _Sent, token: Tok) -> Iterator[Tok]:
    """The ancestors of ``token`` up to the edge of its relative or participle clause."""
    node = token
    for anc in s.ancestors(token):
        if node.rel in ("acl:relcl", "acl"):
            return
        yield anc
        node = anc


def _has_reported_cue(s: _Sent) -> bool:
    """``по словам``, ``якобы``, ``как сообщили``: whole words of the sentence, so that a cue
    never matches inside another word."""
    text = f" {' '.join(t.low for t in s.tokens)} ".replace("ё", "е")
    cues = (f" {c[:-1]}" if c.endswith("*") else f" {c} " for c in REPORTED_CUES)
    return any(cue in text for cue in cues)


def _as_someone_says(s: _Sent, lemma: _Lemmas) -> bool:
    """``Как рассказывает Ямадаев, …``: an attribution clause frames the whole sentence."""
    return any(
        a.low == "как" and b.pos == "VERB" and lemma(b) in SPEECH_VERBS
        for a, b in zip(s.tokens, s.tokens[1:], strict=False)
    )


def _phase_head(s: _Sent, token: Tok, lemma: _Lemmas) -> Tok | None:
    """A phase/modal verb right before an infinitive (``начала бить``), whatever the parse."""
    i = s.index[token.i]
    for j in (i - 1, i - 2):
        if j >= 0:
            prev = s.tokens[j]
            if prev.pos in ("VERB", "AUX") and lemma(prev) in _PHASE_VERBS:
                return prev
    return None


def _effective_head(s: _Sent, token: Tok, lemma: _Lemmas) -> Tok | None:
    if token.rel == "xcomp" or (token.feats or {}).get("VerbForm") == "Inf":
        phase = _phase_head(s, token, lemma)
        if phase is not None:
            return phase
    return s.head(token)


def _agent_arg(s: _Sent, pred: Tok, lemma: _Lemmas) -> tuple[Tok, bool] | None:
    """The subject argument (token, is-patient), climbing to a controller if unexpressed."""
    node = pred
    for _ in range(_MAX_CLIMB):
        for kid in s.kids(node, *_SUBJECT_RELS):
            passive = kid.rel == "nsubj:pass" or (node.feats or {}).get("Voice") == "Pass"
            return kid, passive
        if node is not pred and lemma(node) in _EXPERIENCER_VERBS:
            for kid in s.kids(node, "iobj", "obl"):  # ``полиции удалось задержать``
                if (kid.feats or {}).get("Case") == "Dat" and not _case(s, kid, lemma):
                    return kid, False
        host = _relative_host(s, node, lemma)
        if host is not None:  # ``приехал в Китай, где встретился с …``
            node = host
            continue
        head = _effective_head(s, node, lemma)
        if head is None:
            break
        if node.rel == "acl":  # a participle: its noun is the doer (or the done-to)
            return head, (node.feats or {}).get("Voice") == "Pass"
        if node.rel == "ccomp" and lemma(head) in SPEECH_VERBS:
            # ``Кан сообщил, что будет вести переговоры``: the speaker is the dropped subject
            said = _speaker_subject(s, node, head)
            return (said, False) if said is not None else _subject_before(s, pred)
        climbs = node.rel in ("xcomp", "conj", "advcl", "nmod", "obl")
        climbs = climbs or (node.rel == "csubj" and lemma(head) in _EXPERIENCER_VERBS)
        if not climbs and head is s.head(node):
            break
        node = head
    return _subject_before(s, pred)


def _relative_host(s: _Sent, clause: Tok, lemma: _Lemmas) -> Tok | None:
    """The verb of the clause a ``где``/``куда`` clause hangs from by its place noun: the
    place clause shares its subject (``прибыл в Москву, где провёл переговоры``)."""
    if clause.rel != "acl:relcl" or not any(
        lemma(k) in _PLACE_RELATIVES for k in s.kids(clause, "advmod")
    ):
        return None
    place = s.head(clause)
    verb = s.head(place) if place is not None else None
    return verb if verb is not None and verb.pos in ("VERB", "AUX") else None


def _speaker_subject(s: _Sent, clause: Tok, speech: Tok) -> Tok | None:
    """The subject of ``speech`` when ``clause`` (its complement) has none and agrees with
    it in number: not an impersonal plural (``сообщил, что задержали …``)."""
    if _subject_before(s, clause) is not None:
        return None
    subjects = s.kids(speech, "nsubj")
    if not subjects:
        return None
    verbs = [clause, *s.kids(clause, "aux", "aux:pass")]
    numbers = {v.feats.get("Number") for v in verbs} - {None}
    said = subjects[0]
    return said if numbers <= {said.feats.get("Number", "Sing")} else None


def _subject_before(s: _Sent, pred: Tok) -> tuple[Tok, bool] | None:
    """Linear fallback: a nominative (or counted) nominal just before the verb, in its clause,
    when the parser hung the subject elsewhere (``134 журналиста находятся в тюрьмах``)."""
    if pred.pos not in ("VERB", "AUX"):
        return None
    i = s.index[pred.i]
    for j in range(i - 1, max(-1, i - 10), -1):
        tok = s.tokens[j]
        feats = tok.feats or {}
        infinitive = tok.pos in ("VERB", "AUX") and feats.get("VerbForm") == "Inf"
        if tok.pos in ("PUNCT", "SCONJ", "CCONJ") or (tok.pos == "VERB" and not infinitive):
            return None
        if tok.pos not in ("NOUN", "PROPN", "PRON") or tok.rel.startswith("flat"):
            continue
        counted = any(k.rel.startswith("nummod") for k in s.kids(tok))
        if feats.get("Case") == "Nom" or counted:
            return tok, (pred.feats or {}).get("Voice") == "Pass"
    return None


def _entities_in(
    s: _Sent, arg: Tok, ents: _EntityIndex, exclude: Entity | None, secondary_ok: bool = True
) -> list[Entity]:
    """Entities an argument stands for: its head and coordinated/appositive names first,
    genitive modifiers (``премьер Армении``) only when nothing else is named."""
    core: list[Entity] = []
    secondary: list[Entity] = []
    stack: list[tuple[Tok, bool]] = [(arg, False)]
    members: set[int] = set()
    while stack:
        node, via_mod = stack.pop()
        members.add(node.i)
        entity = ents.of(node)
        title_only = via_mod and entity is not None and entity.type != "PER"
        if title_only and _in_persons_title(s, node, ents):
            entity = None  # ``президента России Медведева``: Russia qualifies his title
        if entity is not None and entity is not exclude:
            (secondary if via_mod else core).append(entity)
        for kid in s.kids(node):
            if kid.rel in _CLAUSE_RELS or kid.rel == "case" or kid.i in members:
                continue  # members: a cyclic parse must not make this walk endless
            stack.append((kid, via_mod or kid.rel not in _CORE_RELS))
    # A name the parser hung elsewhere but standing inside the argument's stretch of text.
    positions = [s.index[m] for m in members]
    for token in s.tokens[min(positions) : max(positions) + 1]:
        if token.i not in members:
            entity = ents.of(token)
            if entity is not None and entity.type == "PER" and entity is not exclude:
                core.append(entity)
    # ``премьер Армении`` names a person, not Armenia; ``решение Вашингтона`` names Washington
    polity_ok = arg.pos == "NOUN" and (arg.feats or {}).get("Animacy") != "Anim"
    kinds = ("PER", "ORG", "LOC") if polity_ok else ("PER", "ORG")
    chosen = core or [e for e in secondary if e.type in kinds and secondary_ok]
    unique: dict[str, Entity] = {}
    for entity in chosen:
        unique.setdefault(entity.key, entity)
    return list(unique.values())


def _in_persons_title(s: _Sent, node: Tok, ents: _EntityIndex) -> bool:
    """``президента России Дмитрия Медведева``, ``министром обороны России Сердюковым``: the
    polity only qualifies a named person's title; the person is the participant."""
    title = s.head(node)
    for _ in range(2):
        if title is None or ents.of(title) is not None:
            return False
        named = [ents.of(k) for k in s.kids(title) if k is not node]
        if any(e is not None and e.type == "PER" for e in named):
            return True
        title = s.head(title)
    return False


def _location(
    s: _Sent,
    roots: Iterable[Tok],
    anchor: Tok,
    ents: _EntityIndex,
    lemma: _Lemmas,
    nearby: bool = True,
) -> Entity | None:
    """A LOC named in a place oblique under the predicate, else nearby in the sentence."""

    def place(token: Tok) -> Entity | None:
        if _case(s, token, lemma) not in _PLACE_PREPS:
            return None
        for cand in [token, *s.kids(token, "amod", "flat", "flat:name", "appos")]:
            entity = ents.of(cand)
            if entity is not None and entity.type == "LOC":
                return entity
        return None

    for root in roots:
        for token in s.subtree(root, _CLAUSE_RELS | {"xcomp", "conj"}):
            found = place(token)
            if found is not None:
                return found
    if not nearby:
        return None
    here = s.index[anchor.i]
    best: tuple[int, Entity] | None = None
    for i, token in enumerate(s.tokens):
        found = place(token)
        near = found is not None and abs(i - here) <= _MAX_LOCATION_DISTANCE
        if near and found is not None and (best is None or abs(i - here) < best[0]):
            best = (abs(i - here), found)
    return best[1] if best else None


def _date(
    s: _Sent,
    pred: Tok,
    dates: list[DateValue],
    offset: int,
    quotes: list[tuple[int, int]],
) -> DateValue | None:
    """The time expression attached to the predicate, else the nearest in the sentence;
    a date inside a quote dates the quoted events, one outside dates the narration."""

    def quoted(position: int) -> bool:
        return any(a <= position < b for a, b in quotes)

    inside = [d for d in dates if d.span is not None and s.start <= d.span.start - offset < s.stop]
    same = [d for d in inside if d.span and quoted(d.span.start - offset) == quoted(pred.start)]
    inside = same or inside
    if not inside:
        return None

    def tokens_of(d: DateValue) -> list[Tok]:
        assert d.span is not None
        a, b = d.span.start - offset, d.span.end - offset
        return [t for t in s.tokens if t.start < b and a < t.stop]

    def distance(d: DateValue) -> int:
        assert d.span is not None
        return abs(d.span.start - offset - pred.start)

    attached = [
        d for d in inside if any(pred.i in {a.i for a in s.ancestors(t)} for t in tokens_of(d))
    ]
    return min(attached or inside, key=distance)


def _role(s: _Sent, arg: Tok, sense: Sense, lemma: _Lemmas) -> ParticipantRole | None:
    """The role of a non-subject argument, or None when it is no participant."""
    if arg.rel in ("amod", "det"):
        return None  # ``с рабочей поездкой``: a modifier, whatever its case
    prep = _case(s, arg, lemma)
    if prep == "по" and lemma(arg) in CASE_NOUNS:
        return None  # ``арестованы по делу X``: what the case is about, not a party
    case = (arg.feats or {}).get("Case")
    if arg.rel in ("obj", "iobj") and not prep:
        return "patient" if sense.type in _VICTIM_TYPES else "other"
    head = s.head(arg)
    passive = head is not None and (head.feats or {}).get("Voice") == "Pass"
    if not prep and case == "Ins" and (passive or (head is not None and head.pos == "NOUN")):
        return "agent"  # ``задержан полицией``, ``захват территории армией``
    if prep in ("с", "со") and lemma(arg) == "сторона":
        return "agent"  # ``репрессии со стороны руководства``: the genitive is the doer
    if prep == "в отношении" or (prep == "в" and lemma(arg) == "отношение"):
        return "patient"  # ``проверка в отношении депутата``
    if prep in _WITH_PREPS:
        return "other"
    seized = prep == "на" and sense.mode == "seize"
    if prep in _AGAINST_PREPS and (sense.type in _AGAINST_TYPES.get(prep, _VICTIM_TYPES) or seized):
        return "patient"
    if arg.rel == "nmod" and not prep:  # ``визит Путина``, ``задержание журналиста``
        if (arg.feats or {}).get("Case") == "Gen":
            return "patient" if sense.type in ("ASSAULT", "COERCE", "SANCTION") else "agent"
        return "patient" if (arg.feats or {}).get("Case") == "Dat" else None
    if arg.rel in ("obl", "nmod", "iobj") and prep in _PARTNER_PREPS:
        return "other"  # ``обратился к президенту``, ``попросил защиты у полиции``
    return None


def _institution_obliques(s: _Sent, verb: Tok, lemma: _Lemmas, ents: _EntityIndex) -> list[Tok]:
    """``в полиции задержали``, ``в МИД осудили``: an impersonal plural verb (no subject) whose
    ``в``/``на`` oblique is an organisation or an institution noun names who acted."""
    feats = verb.feats or {}
    if feats.get("Number") != "Plur" or feats.get("Voice") == "Pass" or s.kids(verb, "nsubj"):
        return []
    if any(k.rel == "aux:pass" for k in s.kids(verb)):
        return []
    found = []
    for kid in s.kids(verb, "obl"):
        if _case(s, kid, lemma) not in ("в", "во", "на"):
            continue
        entity = ents.of(kid)
        institution = lemma(kid) in GROUP_NOUNS and (kid.feats or {}).get("Animacy") != "Anim"
        if (entity is not None and entity.type == "ORG") or (entity is None and institution):
            found.append(kid)
    return found


def _nested_arguments(
    s: _Sent, root: Tok, sense: Sense, lemma: _Lemmas
) -> list[tuple[Tok, ParticipantRole]]:
    """Arguments the parser hangs one level too deep: the dative owner of a body part hit
    (``выстрелил в спину Петрову``) and the partner of talks about something (``переговоры о
    мире с Россией``)."""
    out: list[tuple[Tok, ParticipantRole]] = []
    for kid in s.kids(root, "obl", "nmod"):
        prep = _case(s, kid, lemma)
        for sub in s.kids(kid, "iobj", "nmod", "obl"):
            sub_prep = _case(s, sub, lemma)
            dative = not sub_prep and (sub.feats or {}).get("Case") == "Dat"
            if sense.type == "ASSAULT" and prep in ("в", "по") and dative:
                out.append((sub, "patient"))
            about = prep in ("о", "об", "обо")
            if (
                sense.type in ("CONSULT", "AGREE", "COOPERATE")
                and about
                and sub_prep in _WITH_PREPS
            ):
                out.append((sub, "other"))
    return out


def _layoff(s: _Sent, roots: list[Tok], parts: dict[str, Participant]) -> bool:
    """No one fires, and those let go are a count of people (D6)."""
    if any(p.role == "agent" for p in parts.values()):
        return False
    return any(any(n.rel.startswith("nummod") for n in s.kids(k)) for r in roots for k in s.kids(r))


def _announcer(s: _Sent, noun: Tok, lemma: _Lemmas) -> Tok | None:
    """Who announces or decides an act of their own (``объявил о введении санкций``, ``принял
    решение о высылке``, ``заявил о поддержке``, D2): the subject of that verb does the act."""
    if noun.rel == "nmod" and _case(s, noun, lemma) == "":
        noun = s.head(noun) or noun  # ``о введении санкций``: the act noun's own head
    if _case(s, noun, lemma) not in ("о", "об"):
        return None
    head = s.head(noun)
    if head is not None and head.pos == "NOUN" and lemma(head) in DECISION_NOUNS:
        head = s.head(head)  # ``принял решение о …``
    if head is None or head.pos not in ("VERB", "AUX"):
        return None
    if lemma(head) not in ANNOUNCE_VERBS and lemma(head) not in LIGHT_VERBS | {"принять"}:
        return None
    subject = _agent_arg(s, head, lemma)
    return subject[0] if subject is not None and not subject[1] else None


def _mode(s: _Sent, sense: Sense, tokens: Iterable[Tok], lemma: _Lemmas) -> str | None:
    """The lexicon mode, refined by a telling dependent (``удар беспилотника``: drone)."""
    for token in tokens:
        for kid in s.kids(token):
            hint = MODE_HINTS.get(lemma(kid))
            if hint is not None and hint[0] == sense.type:
                return hint[1]
    return sense.mode


class _Candidate:
    def __init__(
        self,
        sense: Sense,
        trigger: Tok,
        pred: Tok,
        nouns: list[Tok],
        affirmed: bool = False,
    ) -> None:
        self.sense = sense
        self.trigger = trigger  # the word reported as the trigger
        self.pred = pred  # the clause head: polarity, mood, subject
        self.nouns = nouns  # event nouns whose dependents are arguments too
        self.affirmed = affirmed  # ``не пустили``: the negation is the act itself (D13)


def _noun_objects(s: _Sent, verb: Tok, rels: tuple[str, ...], lemma: _Lemmas) -> list[Tok]:
    """Lexicon nouns among the verb's ``rels`` dependents, with their coordinated ones."""
    found: list[Tok] = []
    kids = s.kids(verb, *rels)
    # ``совершить попытку покушения``: the attempt wraps the event noun.
    kids += [n for k in kids if lemma(k) in WRAPPER_NOUNS for n in s.kids(k, "nmod")]
    for kid in kids:
        if kid.pos == "NOUN" and _noun_sense(s, kid, lemma) is not None:
            found.append(kid)
            found.extend(c for c in s.kids(kid, "conj") if lemma(c) in TRIGGERS)
    return found


def _noun_sense(s: _Sent, noun: Tok, lemma: _Lemmas) -> Sense | None:
    """A lexicon noun, or a noun made an event by its modifier (``протестная акция``)."""
    sense = TRIGGERS.get(lemma(noun))
    if sense is not None:
        return sense
    for kid in s.kids(noun, "amod"):
        phrase = PHRASES.get((lemma(noun), lemma(kid)))
        if phrase is not None:
            return phrase
    return None


def _sense_of(s: _Sent, noun: Tok, lemma: _Lemmas) -> Sense:
    sense = _noun_sense(s, noun, lemma)
    assert sense is not None  # only called on nouns ``_noun_objects`` found
    return sense


def _has_agent(s: _Sent, token: Tok) -> bool:
    """A passive participle with its doer in the instrumental (``захваченным Союзом``)."""
    return any(
        (k.feats or {}).get("Case") == "Ins" and not s.kids(k, "case")
        for k in s.kids(token, "obl", "obl:agent", "nmod", "iobj")
    )


def _naming(s: _Sent, token: Tok, lemma: _Lemmas, ents: _EntityIndex) -> Sense | None:
    """``назвал X «Y»`` evaluates X (D2): ACCUSE, or SUPPORT for a praising label; only when X
    is an actor or an actor's act or policy (D26) and a label follows."""
    objs = s.kids(token, "obj")
    if not objs:
        return None
    obj = objs[0]
    actor = ents.of(obj) is not None or lemma(obj) in ACT_NOUNS or lemma(obj) in TRIGGERS
    if not actor:
        return None
    labels = [
        k
        for k in s.kids(token)
        if k is not obj
        and k.rel in ("xcomp", "obl", "nmod", "advcl", "ccomp", "parataxis", "conj")
        and (k.pos in ("ADJ", "NOUN") or (k.feats or {}).get("Case") == "Ins")
        and s.index[k.i] > s.index[obj.i]
    ]
    if not labels:
        return None
    praise = any(lemma(t) in PRAISE_WORDS for lab in labels for t in s.subtree(lab, _CLAUSE_RELS))
    return Sense("SUPPORT" if praise else "ACCUSE", None)


def _actor_like(token: Tok, lemma: _Lemmas, ents: _EntityIndex, s: _Sent) -> bool:
    """A person, group or polity, not a thing: what an attack or expulsion needs."""
    entity = ents.of(token)
    if entity is not None:
        return True
    if lemma(token) in BLOCKABLE_NOUNS:
        return True
    if (token.feats or {}).get("Animacy") == "Anim" and token.pos == "PROPN":
        return True
    return token.pos == "PRON" or is_group(token, lemma, s.kids)


def _nominative_name(token: Tok, lemma: _Lemmas) -> str:
    """``Обамы`` → ``Обама``: the lemma, capitalised like a name."""
    return lemma(token).capitalize() if token.text[:1].isupper() else token.text


def _titled(s: _Sent, arg: Tok, lemma: _Lemmas, ents: _EntityIndex) -> Entity | None:
    """A singular title (``российский президент``, ``глава японского МИДа``) that names a
    person the article introduced with it."""
    if arg.pos != "NOUN" or (arg.feats or {}).get("Number") != "Sing":
        return None
    if (arg.feats or {}).get("Animacy") != "Anim" or s.kids(arg, "nummod", "nummod:gov"):
        return None  # ``134 журналиста`` are people counted, not the titled one
    mods = [lemma(k) for k in s.kids(arg) if k.rel in ("amod", "nmod") and not s.kids(k, "case")]
    mods += [lemma(g) for k in s.kids(arg, "nmod") for g in s.kids(k, "amod")]
    return ents.titled_person(lemma(arg), mods, arg.start)


def _described_name(s: _Sent, arg: Tok, entity: Entity, lemma: _Lemmas) -> str:
    """A quoted name keeps the kind noun before it (``газеты «Правда»`` → ``газета
    «Правда»``): the kind says what the name is."""
    i = s.index[arg.i]
    if lemma(arg) not in NAME_DESCRIPTORS or entity.type != "ORG" or i + 1 >= len(s.tokens):
        return entity.name
    if s.tokens[i + 1].text not in ("«", '"', "“") or "«" in entity.name:
        return entity.name
    return f"{lemma(arg)} «{entity.name}»"


_POSSESSIVES = {"его", "ее", "её", "их", "свой"}


def _bare_institution(s: _Sent, arg: Tok, lemma: _Lemmas, ents: _EntityIndex) -> Entity | None:
    """A bare or possessed institution noun (``правительство``, ``его правительство``) is the
    organisation the article named with it, when it named only one."""
    if arg.pos != "NOUN" or not is_group(arg, lemma, s.kids):
        return None
    if any(
        k.rel not in ("det", "case", "punct", "cc")
        or (k.rel == "det" and lemma(k) not in _POSSESSIVES)
        for k in s.kids(arg)
    ):
        return None
    return ents.institution(lemma(arg))


def _plural_antecedent(
    s: _Sent, pron: Tok, lemma: _Lemmas, ents: _EntityIndex
) -> str | list[Entity] | None:
    """What ``они`` refers to: the nearest plural group noun in the nominative, or the nearest
    subject coordinating named actors (``Путин и Си прибыли … Они провели``), in this or the
    previous sentence."""
    parsed = s.parsed
    sent_no = pron.sent
    for j in range(pron.i - 1, -1, -1):
        tok = parsed.toks[j]
        if tok.sent < sent_no - 1:
            return None
        other = s if tok.sent == sent_no else _Sent(parsed, parsed.sents[tok.sent])
        if tok.rel in _SUBJECT_RELS and other.kids(tok, "conj"):
            named = [ents.of(t) for t in [tok, *other.kids(tok, "conj")]]
            if all(e is not None for e in named):
                return [e for e in named if e is not None]
        if tok.pos != "NOUN" or tok.feats.get("Number") != "Plur" or ents.of(tok) is not None:
            continue
        if tok.feats.get("Case") != "Nom":
            continue
        if is_group(tok, lemma, other.kids):
            return group_name(tok, other.tokens, other.index, lemma, other.kids)
    return None


def _before_comma(s: _Sent, token: Tok) -> Tok | None:
    """The nominal right before the comma that opens ``token``'s clause (``брат, на которого``):
    the parser does not always attach a relative clause to its noun."""
    i = s.index[token.i] - 1
    while i >= 0 and s.tokens[i].pos == "ADP":
        i -= 1
    if i < 1 or s.tokens[i].text != ",":
        return None
    i -= 1
    if s.tokens[i].text == ")":  # ``блогера Петрова (Petrov), который``: skip the gloss
        while i > 0 and s.tokens[i].text != "(":
            i -= 1
        i -= 1
    noun = s.tokens[max(i, 0)]
    while noun.rel in ("flat", "flat:name", "flat:foreign") and s.head(noun) is not None:
        noun = s.head(noun)  # type: ignore[assignment]
    return noun


def _agrees(pron: Tok, noun: Tok) -> bool:
    """``который`` agrees with its noun in number (and gender in the singular)."""
    a, b = pron.feats or {}, noun.feats or {}
    for feat in ("Number", "Gender"):
        if a.get(feat) and b.get(feat) and a[feat] != b[feat]:
            return feat == "Gender" and a.get("Number") == "Plur"
    return True


def _antecedent(s: _Sent, pron: Tok) -> Tok | None:
    """The noun a ``который`` clause is about: the parser's head of the relative clause when
    it agrees, else the nominal right before the comma (``авторов и блогера Петрова, который``)."""
    clause = next((a for a in s.ancestors(pron) if a.rel == "acl:relcl"), None)
    noun = s.head(clause) if clause is not None else None
    if noun is not None and _agrees(pron, noun):
        return noun
    near = _before_comma(s, pron)
    if near is not None and (noun is None or _agrees(pron, near)):
        return near
    return noun


def _protesters_act(s: _Sent, token: Tok, lemma: _Lemmas) -> _Candidate | None:
    """``Протестующие перекрыли дорогу``: a clause whose subject names protesters is a
    protest (D30), whatever its verb, unless the verb only says something."""
    if token.pos != "VERB" or (token.feats or {}).get("VerbForm") not in ("Fin", None):
        return None
    if lemma(token) in SPEECH_VERBS:
        return None
    for subj in s.kids(token, "nsubj"):
        heads = [subj, *(k for k in s.kids(subj, "nmod") if lemma(subj) in QUANTITY_NOUNS)]
        heads += [k for h in list(heads) for k in s.kids(h, "amod")]  # ``бастующие шахтеры``
        if any(lemma(h) in PROTESTER_NOUNS for h in heads):
            return _Candidate(Sense("PROTEST", "demonstrate"), token, token, [])
    return None


def _protest_sign(s: _Sent, token: Tok, lemma: _Lemmas) -> bool:
    """``… в знак протеста``: whatever the act, it is a protest (D30)."""
    return any(
        lemma(k) == "знак" and any(lemma(c) == "протест" for c in s.kids(k)) for k in s.kids(token)
    )


def _participle_as_noun(s: _Sent, token: Tok) -> bool:
    """``задержанных`` as a noun, or a passive participle counting people, not an act (D20)."""
    feats = token.feats or {}
    if feats.get("VerbForm") != "Part":
        return False
    head = s.head(token)
    if token.rel in ("nsubj", "nsubj:pass", "obj", "iobj", "obl", "nmod") or (
        token.rel == "conj" and head is not None and head.pos not in ("VERB", "AUX")
    ):
        return True  # ``задержанных``: a participle used as a noun
    # ``арестованных в Китае журналистов``: a count, no act (D20)
    return (
        feats.get("Voice") == "Pass" and token.rel in ("amod", "acl") and not _has_agent(s, token)
    )


def _phrase(s: _Sent, token: Tok, lemma: _Lemmas) -> tuple[Sense | None, Tok] | None:
    """The lexicon phrase the verb makes with a dependent (``нанести удар``, ``взять под
    стражу``), as (sense, dependent); a None sense is a phrase that is no event."""
    near = [*s.kids(token), *(g for k in s.kids(token, "obj") for g in s.kids(k, "nmod"))]
    for kid in near:
        phrase = (lemma(token), lemma(kid))
        if phrase in PHRASES:
            return PHRASES[phrase], kid
    return None


def _phrase_candidate(token: Tok, sense: Sense, kid: Tok, lemma: _Lemmas) -> _Candidate:
    # The noun of a light-verb construction is the trigger (D28): ``нанести удар``;
    # a verb + preposition idiom keeps the verb (``взять под стражу``).
    on_noun = sense.on_dependent or (kid.pos == "NOUN" and lemma(kid) in TRIGGERS)
    nouns = [kid] if kid.pos == "NOUN" else []
    affirmed = lemma(kid) == "не"
    return _Candidate(sense, kid if on_noun else token, token, nouns, affirmed)


def _light_candidate(s: _Sent, token: Tok, lemma: _Lemmas) -> _Candidate | None:
    """A light verb with a lexicon noun (``провести переговоры``, ``переговоры состоялись``):
    one event of the noun's type, triggered by the noun."""
    lem = lemma(token)
    nouns: list[Tok] = []
    if lem in LIGHT_VERBS:
        nouns = _noun_objects(s, token, ("obj", "nsubj:pass"), lemma)
    if not nouns and (lem in LIGHT_SUBJECT_VERBS or lem in NEGATING_VERBS):
        nouns = _noun_objects(s, token, ("nsubj",), lemma)
    if not nouns:
        return None
    return _Candidate(_sense_of(s, nouns[0], lemma), nouns[0], token, nouns)


def _objects(s: _Sent, token: Tok) -> list[Tok]:
    head = s.head(token)
    if token.rel in ("amod", "acl") and (token.feats or {}).get("Voice") == "Pass" and head:
        return [head]  # ``островам, захваченным Союзом``: the noun is what it was done to
    return s.kids(token, "obj")


def _wrong_object(
    s: _Sent, token: Tok, sense: Sense, objs: list[Tok], lemma: _Lemmas, ents: _EntityIndex
) -> bool:
    """Lexicon verbs whose object shows they name no event of their type here."""
    if not objs:
        return False
    obj = objs[0]
    if lemma(token) in PERSON_OBJECT_VERBS and not _actor_like(obj, lemma, ents, s):
        return True  # ``ликвидировать реформу``, ``заблокировать колёса``
    if sense.type == "REJECT" and lemma(obj) in CLAIM_NOUNS:
        return True  # ``отверг обвинения``: a denial is a statement (D14)
    if sense.type in ("SUPPORT", "ACCUSE") and token.pos == "VERB":
        return not (
            _actor_like(obj, lemma, ents, s)
            or lemma(obj) in ACT_NOUNS
            or lemma(obj) in TRIGGERS
            or any(ents.of(k) is not None for k in s.kids(obj, "nmod"))
        )  # praise or blame of a thing (``похвалил роман``) is none (D26)
    return False


def _refined_sense(
    s: _Sent, token: Tok, sense: Sense, objs: list[Tok], lemma: _Lemmas, ents: _EntityIndex
) -> Sense:
    """The lexicon sense, narrowed by what the verb takes: a seized territory, a passive
    ``осуждён``."""
    if sense.type == "COERCE" and sense.mode == "seize" and objs:
        target = ents.of(objs[0])
        if (target is not None and target.type == "LOC") or lemma(objs[0]) in TERRITORY_NOUNS:
            sense = Sense("ASSAULT", "seize")  # conquest of territory (D24)
    if lemma(token) in ("осудить", "осуждать") and (
        (token.feats or {}).get("Voice") == "Pass"
        or any(k.rel == "aux:pass" for k in s.kids(token))
    ):
        sense = Sense("SANCTION", "convict")  # ``осуждён за измену`` (D5)
    return sense


def _verb_candidate(s: _Sent, token: Tok, lemma: _Lemmas, ents: _EntityIndex) -> _Candidate | None:
    if _participle_as_noun(s, token):
        return None
    if _protest_sign(s, token, lemma):
        return _Candidate(Sense("PROTEST", "demonstrate"), token, token, [])
    phrase = _phrase(s, token, lemma)
    if phrase is not None:
        sense, kid = phrase
        return _phrase_candidate(token, sense, kid, lemma) if sense is not None else None
    if lemma(token) in _NAMING_VERBS:
        named = _naming(s, token, lemma, ents)
        return _Candidate(named, token, token, []) if named else None
    light = _light_candidate(s, token, lemma)
    if light is not None:
        return light
    found = TRIGGERS.get(lemma(token))
    if found is None:
        return _protesters_act(s, token, lemma)
    objs = _objects(s, token)
    if _wrong_object(s, token, found, objs, lemma, ents):
        return None
    sense = _refined_sense(s, token, found, objs, lemma, ents)
    # ``отменять визиты``, ``обсудили санкции``: what is cancelled or discussed is part of this
    # event (D3); ``разогнали митинг`` leaves the rally an event of its own.
    absorbs = sense.type in FRAMING_TYPES or sense.type == "CONSULT"
    nouns = _noun_objects(s, token, ("obj",), lemma) if absorbs else []
    return _Candidate(sense, token, token, nouns)


class _Participants:
    """An event's participants in order of discovery, keyed by entity or by group name."""

    def __init__(
        self, s: _Sent, sense: Sense, lemma: _Lemmas, ents: _EntityIndex, location: Entity | None
    ) -> None:
        self.s = s
        self.sense = sense
        self.lemma = lemma
        self.ents = ents
        self.location = location
        self.parts: dict[str, Participant] = {}

    def add(self, arg: Tok, role: ParticipantRole) -> None:
        """Add whom ``arg`` names in ``role``: entities, a group, or a name left unlinked."""
        s, lemma = self.s, self.lemma
        # ``на полях саммита ШОС`` is a setting, not a participant: only direct arguments
        # may name one through a genitive modifier.
        prep = _case(s, arg, lemma)
        addressee = self.sense.type == "REQUEST" and prep in _ADDRESSEE_PREPS  # ``к властям``
        direct = role != "other" or prep in _WITH_PREPS or addressee
        stand_ins = self._stand_ins(arg)
        if stand_ins is not None:
            for token in stand_ins:
                self.add(token, role)
            return
        found = _entities_in(s, arg, self.ents, self.location, secondary_ok=False)
        if not found:
            found = self._unlinked(arg, role, direct)
        self._add_entities(arg, role, found)

    def _stand_ins(self, arg: Tok) -> list[Tok] | None:
        """The words that name the participant when ``arg`` only points at them, else None."""
        s, word = self.s, self.lemma(arg)
        if word == "который":  # ``брат, на которого … совершено покушение``
            noun = _antecedent(s, arg)
            named = noun is not None and noun is not arg and noun.pos in ("NOUN", "PROPN")
            return [noun] if named and noun is not None else []
        if arg.pos == "ADV":  # ``задержаны более 10 членов``: the count's people
            counted = [k for k in s.kids(arg) if any(n.rel.startswith("nummod") for n in s.kids(k))]
            if counted:
                return counted[:1]
        if word in ("сторона", "отношение"):  # ``со стороны полиции``, ``в отношении X``
            return s.kids(arg, "nmod")
        return None

    def _unlinked(self, arg: Tok, role: ParticipantRole, direct: bool) -> list[Entity]:
        """Whom ``arg`` names when no mention overlaps it; groups and bare names go in directly."""
        s, lemma, ents = self.s, self.lemma, self.ents
        if arg.pos == "PRON" and lemma(arg) == "они" and direct:
            return self._plural_pronoun(arg, role)
        agreement = pronouns.AGREEMENT.get(lemma(arg))
        if arg.pos == "PRON" and agreement and agreement[1] == "Sing":
            person = ents.person_before(arg.start, agreement[0])
            return [person] if person is not None else []
        if (titled := _titled(s, arg, lemma, ents)) is not None:
            return [titled]
        if (org := _bare_institution(s, arg, lemma, ents)) is not None:
            return [org]
        if is_group(arg, lemma, s.kids):
            # ``полиция``, ``сотрудники розыска``: a participant that is no entity; only as a
            # direct argument (``в 24 странах`` is a setting, not a partner)
            if direct:
                self._add_groups(arg, role)
            return []
        if arg.pos == "PROPN" and is_person_name(arg):
            # a person's name the recogniser missed: keep it, unlinked
            names = [arg, *s.kids(arg, "flat:name", "flat")]
            self._add_named(" ".join(_nominative_name(t, lemma) for t in names), role)
            return []
        return _entities_in(s, arg, ents, self.location, secondary_ok=direct)

    def _plural_pronoun(self, arg: Tok, role: ParticipantRole) -> list[Entity]:
        """``они содержатся …``: the people last named in the plural, here or just before."""
        group = _plural_antecedent(self.s, arg, self.lemma, self.ents)
        if isinstance(group, str):
            self._add_named(group, role)
            return []
        return group or []

    def _add_groups(self, arg: Tok, role: ParticipantRole) -> None:
        """A group noun and the group nouns coordinated with it (``журналисты и активисты``)."""
        s, lemma = self.s, self.lemma
        for member in [arg, *s.kids(arg, "conj")]:
            if member is arg or (self.ents.of(member) is None and is_group(member, lemma, s.kids)):
                self._add_named(group_name(member, s.tokens, s.index, lemma, s.kids), role)

    def _add_named(self, name: str, role: ParticipantRole) -> None:
        self.parts.setdefault("g:" + name.lower(), Participant(None, name, role))

    def _add_entities(self, arg: Tok, role: ParticipantRole, found: list[Entity]) -> None:
        s, lemma = self.s, self.lemma
        place = _case(s, arg, lemma) in _PLACE_PREPS and role == "other"
        place = place or self.sense.mode == "visit"  # the visited city is where, not who
        for entity in found:
            if place and entity.type == "LOC":
                continue  # ``в Эфиопии``, ``к Кронштадтскому бульвару``: where, not who
            entity = self.ents.canonical(entity)
            if entity.key not in self.parts:
                name = _described_name(s, arg, entity, lemma)
                self.parts[entity.key] = Participant(entity.key, name, role)


def _not_an_event(s: _Sent, cand: _Candidate, roots: list[Tok], lemma: _Lemmas) -> bool:
    """Trigger words that, in this frame, are a statistic, commerce or a judgement."""
    trigger = cand.trigger
    top = s.head(trigger) if trigger.pos == "NOUN" else None
    if top is not None and lemma(top) in COUNT_HEADS:
        return True  # ``количество арестов``: a statistic (D20)
    if lemma(trigger) in SUPPLY_LEMMAS and not any(
        lemma(t) in AID_GOODS for r in roots for t in s.subtree(r)
    ):
        return True  # supplies of goods are commerce (D23)
    return cand.sense.type == "CONCEDE" and any(
        (k.feats or {}).get("Case") == "Ins" and k.pos in ("ADJ", "NOUN")
        for r in roots
        for k in s.kids(r)
    )  # ``признать X территорией``: to deem, not to concede


def _add_participation(s: _Sent, trigger: Tok, lemma: _Lemmas, people: _Participants) -> None:
    """The agent named above the trigger: ``участники акции протеста``, ``участвовали в …``."""
    holder_of = trigger
    for _ in range(2):  # ``участники акции протеста``, ``организаторы забастовки``
        above = s.head(holder_of) if holder_of.rel in ("nmod", "obl") else None
        if above is None:
            return
        if lemma(above) in PARTICIPANT_HEADS and holder_of.rel == "nmod":
            people.add(above, "agent")
            return
        if lemma(above) == "участвовать" or lemma(above) == "участие":
            # ``приняли участие в марше протеста``, ``участвовали в забастовке``
            verb = s.head(above) if lemma(above) == "участие" else above
            joined = _agent_arg(s, verb, lemma) if verb is not None else None
            if joined is not None:
                people.add(joined[0], "agent")
            return
        holder_of = above


def _add_noun_holders(s: _Sent, cand: _Candidate, lemma: _Lemmas, people: _Participants) -> None:
    """An event noun's agent through the word governing it: one intending or announcing it."""
    pred = cand.pred
    holder = s.head(pred) if pred.pos == "NOUN" and pred.rel in ("obl", "obj", "nmod") else None
    if holder is None:
        return
    setting = _case(s, pred, lemma) in SETTING_PREPS  # ``накануне визита X``
    if lemma(holder) in INTENT_WORDS and not cand.nouns and not setting:
        # ``готов к диалогу``, ``намерен добиться встречи``: the one ready does it (D21)
        subject = _agent_arg(s, holder, lemma)
        if subject is not None:
            people.add(subject[0], "agent")
    announcer = _announcer(s, pred, lemma) if not setting else None
    if announcer is not None:  # ``объявил о введении санкций``, ``принял решение о высылке``
        people.add(announcer, "agent")


def _add_subject(s: _Sent, cand: _Candidate, lemma: _Lemmas, people: _Participants) -> bool:
    """A verb's subject as agent (patient when it undergoes); True when it is a bare pronoun."""
    pred = cand.pred
    subject = _agent_arg(s, pred, lemma)
    if subject is None or subject[0] in cand.nouns:
        return False
    victim = subject[1] or lemma(pred) in DEATH_VERBS  # ``скончался от ран``
    people.add(subject[0], "patient" if victim else "agent")
    return lemma(subject[0]) in _THIRD_PERSON


def _add_arguments(
    s: _Sent, cand: _Candidate, roots: list[Tok], lemma: _Lemmas, people: _Participants
) -> None:
    """The dependents of the predicate and its event nouns, each in the role its case gives."""
    for root in roots:
        for kid in s.kids(root):
            if kid in cand.nouns or kid.rel in _SUBJECT_RELS:
                continue
            role = _role(s, kid, cand.sense, lemma)
            if role is not None:
                people.add(kid, role)
        for kid, role in _nested_arguments(s, root, cand.sense, lemma):
            people.add(kid, role)


def _not_reported(
    s: _Sent,
    cand: _Candidate,
    roots: list[Tok],
    lemma: _Lemmas,
    parts: dict[str, Participant],
    located: bool,
    pronoun_subject: bool,
) -> bool:
    """Candidates that, once their arguments are known, are no event the text reports."""
    if cand.sense.type == "CONSULT" and any(
        lemma(k) in PRESS_NOUNS and _case(s, k, lemma) in _WITH_PREPS
        for r in roots
        for k in s.kids(r)
    ):
        return True  # an interview or press meeting is no consultation (D19)
    if lemma(cand.trigger) in FIRING_LEMMAS and _layoff(s, roots, parts):
        return True  # ``увольнение 625 человек``: layoffs are commerce (D6)
    if not parts and not located and not pronoun_subject:
        return True  # an event names someone or somewhere; a bare noun refers, not reports
    pred = cand.pred
    return (
        pred.pos == "NOUN"
        and not parts
        and any(lemma(k) in ANAPHORIC_DETS for k in s.kids(pred, "det", "amod"))
    )  # ``эта поездка``: a reference back (D17)


def _event(
    s: _Sent,
    cand: _Candidate,
    lemma: _Lemmas,
    ents: _EntityIndex,
    dates: list[DateValue],
    offset: int,
    quotes: list[tuple[int, int]],
) -> Event | None:
    sense, pred, trigger = cand.sense, cand.pred, cand.trigger
    roots = [pred, *cand.nouns]
    # A bare noun needs its own dependents to count: no guessing from the rest of the sentence.
    location = _location(s, roots, trigger, ents, lemma, nearby=pred.pos != "NOUN")
    if _not_an_event(s, cand, roots, lemma):
        return None
    people = _Participants(s, sense, lemma, ents, location)
    _add_participation(s, trigger, lemma, people)
    _add_noun_holders(s, cand, lemma, people)
    pronoun_subject = pred.pos != "NOUN" and _add_subject(s, cand, lemma, people)
    if pred.pos != "NOUN" and not people.parts:
        for kid in _institution_obliques(s, pred, lemma, ents):
            people.add(kid, "agent")  # ``в МИД Франции осудили …``: the institution acts
    _add_arguments(s, cand, roots, lemma, people)
    parts = people.parts
    if _not_reported(s, cand, roots, lemma, parts, location is not None, pronoun_subject):
        return None
    quoted = any(a <= trigger.start < b for a, b in quotes)
    negated = not cand.affirmed and any(_negated(s, r, lemma) for r in roots)
    polarity: Polarity = "negative" if negated else "positive"
    return Event(
        type=sense.type,
        mode=_mode(s, sense, roots, lemma),
        polarity=polarity,
        modality=_modality(s, pred, trigger, lemma, quoted),
        trigger=Trigger(
            trigger.start + offset, trigger.stop + offset, trigger.text, lemma(trigger)
        ),
        participants=list(parts.values()),
        location=EventLocation(location.key, location.name) if location else None,
        date=_date(s, pred, dates, offset, quotes),
        sentence=Span(s.start + offset, s.stop + offset),
    )


def _unframed(s: _Sent, cands: list[_Candidate], lemma: _Lemmas) -> list[_Candidate]:
    """Drop what a framing event governs (D3: the requested, condemned, refused, punished-for
    act is part of it) and a purpose clause folded into an event of its own type (D18)."""
    owner: dict[int, _Candidate] = {}
    for cand in cands:
        for token in (cand.pred, cand.trigger, *cand.nouns):
            owner.setdefault(token.i, cand)
    kept = []
    for cand in cands:
        node, framed = cand.trigger if cand.pred.pos == "NOUN" else cand.pred, False
        for _ in range(_MAX_CLIMB):
            head = _effective_head(s, node, lemma)
            # coordinated objects share their frame: ``отменять мероприятия и визиты``
            through_conj = node.rel == "conj" and head is not None and head.pos == "NOUN"
            if head is None or (node.rel not in _FRAMED_RELS and not through_conj):
                break
            frame = owner.get(head.i)
            if frame is not None and frame is not cand:
                about = _case(s, node, lemma) in ("о", "об", "обо", "про")
                purpose = node.rel in ("advcl", "xcomp") and frame.sense.type == cand.sense.type
                framed = frame.sense.type in FRAMING_TYPES or about or purpose
                break
            node = head
        if not framed:
            kept.append(cand)
    return kept


def extract_events(
    parsed: Parsed, offset: int, entities: list[Entity], dates: list[DateValue]
) -> list[Event]:
    """Events of the body; ``entities``/``dates`` carry offsets into the full text."""
    lemma = _lemma
    if entities and not parsed.mentions:
        parsed.attach_entities(entities, offset)
    ents = _EntityIndex(parsed)
    quotes = parsed.quote_regions()
    events: list[Event] = []
    sents = [_Sent(parsed, sent) for sent in parsed.sents]
    for s in sents:
        ents.learn_titles(s, lemma)
    for s in sents:
        used: set[int] = set()
        cands: list[_Candidate] = []
        for token in s.tokens:
            if token.pos in ("VERB", "AUX"):
                cand = _verb_candidate(s, token, lemma, ents)
                if cand is not None:
                    cands.append(cand)
                    used.update(n.i for n in cand.nouns)
        for token in s.tokens:
            if (
                token.pos == "NOUN"
                and token.i not in used
                and ents.of(token) is None  # ``Шанхайская организация сотрудничества``
                and lemma(token) in TRIGGERS
            ):
                cands.append(_Candidate(TRIGGERS[lemma(token)], token, token, []))
            elif token.pos == "NOUN" and token.i not in used:
                # ``судебный процесс``, ``уголовное дело``: a noun made an event by its modifier
                for kid in s.kids(token, "amod"):
                    sense = PHRASES.get((lemma(token), lemma(kid)))
                    if sense is not None:
                        cands.append(_Candidate(sense, token, token, []))
                        break
        cands.sort(key=lambda c: c.trigger.start)
        for cand in _unframed(s, cands, lemma):
            event = _event(s, cand, lemma, ents, dates, offset, quotes)
            if event is not None:
                events.append(event)
    return events
