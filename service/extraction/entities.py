"""Entities: natasha NER spans cleaned up and grouped into one entity per referent.

Steps, each a small function:

1. ``_raw_mentions``: natasha spans, edge punctuation trimmed, ``X (Y)`` split into two
   mentions of one referent (an abbreviation or a foreign spelling in parentheses).
2. ``_fix_types``: phenomena where the model is reliably wrong (supranational unions and
   the Kremlin are organisations; "Сеть"/"СМИ" are not entities; plural surnames name a
   family, not a person).
3. ``_extend_orgs``: "Конгресса" + "США" -> "Конгресса США"; "мэрии" + "Москвы" ->
   "мэрии Москвы" (factRuEval marks an organisation with its genitive place as one name).
4. ``_group``: inflected and surname-only mentions under the full name, abbreviations
   under their expansion, coordinated first names sharing one plural surname split.
5. roles (``roles.py``), places (``geo.py``) and salience.
"""

from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources

from natasha import Doc
from natasha.doc import DocToken
from natasha.norm import normalize, syntax_normalize

from service.extraction.gazetteer import Gazetteer, Known, read_lexicon
from service.extraction.geo import resolve
from service.extraction.models import Entity, EntityType, TextSpan
from service.extraction.morph import declined_a_stem, nominative_phrase, parses
from service.extraction.nlp import models
from service.extraction.parsed import Parsed
from service.extraction.places import (
    chain_places,
    domain_zone,
    facilities,
    facility_names,
    monuments,
    only_place,
    place_lexicon,
    places_in_names,
    skipped_places,
)
from service.extraction.roles import (
    RoleMention,
    find_roles,
    inflect,
    is_plural_surname,
    parse_best,
)


@dataclass
class Mention:
    type: str
    start: int  # body offsets
    stop: int
    tokens: list[DocToken]
    normal: str = ""
    alias_of: int | None = None  # index of the mention this one abbreviates / translates
    name_hint: str | None = None  # canonical name decided by a rule (e.g. shared surname)
    sent: int = 0
    members: list[int] = field(default_factory=list)


_EDGE = "«»\"„“”'()[]•,;:—–- "
# Lemmas the model tags as LOC but that name organisations (unions, alliances, the Kremlin).
_ORG_LEMMAS = {
    "ес",
    "евросоюз",
    "европейский союз",
    "еврокомиссия",
    "европейская комиссия",
    "нато",
    "оон",
    "снг",
    "одкб",
    "шос",
    "брикс",
    "асеан",
    "опек",
    "кремль",
}
# Capitalised common nouns the model takes for names: the internet ("в Сети"), the media.
_NOT_ENTITIES = {"сеть", "сми", "всемирная паутина"}
# Heads that turn a following genitive place into an organisation: "мэрия Москвы".
_ORG_HEADS = {
    "мэрия",
    "правительство",
    "администрация",
    "парламент",
    "министерство",
    "минфин",
    "минобороны",
    "мид",
    "посольство",
    "консульство",
    "представительство",
    "пресс-служба",
    "прокуратура",
    "полиция",
    "армия",
    "генштаб",
    "сенат",
    "конгресс",
    "сборная",
    "сборный",
    "делегация",
    "комиссия",
    "канцелярия",
    "разведка",
    "командование",
    "кабинет",
    "экипаж",
    "орган",
    "команда",
}
# Nouns that name a kind of organisation; "движение «Солидарность»": the quoted words are
# its name. Legal forms ("ОАО «Газпром»") are checked on the surface form instead.
_ORG_DESCRIPTORS = {
    "компания",
    "авиакомпания",
    "телекомпания",
    "госкорпорация",
    "корпорация",
    "концерн",
    "холдинг",
    "банк",
    "фонд",
    "партия",
    "движение",
    "организация",
    "объединение",
    "ассоциация",
    "союз",
    "профсоюз",
    "блок",
    "коалиция",
    "институт",
    "университет",
    "академия",
    "центр",
    "агентство",
    "газета",
    "журнал",
    "еженедельник",
    "издание",
    "издательство",
    "телеканал",
    "канал",
    "радиостанция",
    "группа",
    "клуб",
    "команда",
    "театр",
    "завод",
    "фабрика",
    "комбинат",
    "фирма",
    "служба",
    "общество",
    "предприятие",
    "студия",
    "оператор",
    "ансамбль",
    "оркестр",
    "музей",
    "федерация",
    "комитет",
}
# Words around a media name: "сообщает «Коммерсант»", "корреспондент «Известий»".
_MEDIA_CUES = {
    "сообщать",
    "писать",
    "передавать",
    "цитировать",
    "обозреватель",
    "редакция",
}
_LEGAL_FORMS = {"ОАО", "ЗАО", "ООО", "ПАО", "АО", "ГУП", "ФГУП", "МУП", "ГУ", "НКО", "АНО"}
_QUOTE_CUES = _ORG_DESCRIPTORS | _MEDIA_CUES
_QUOTED = re.compile(r"«([^«»\n]{2,80})»")
# Bodies a country or city adjective names as an organisation: "японское правительство".
_NATIONAL_HEADS = {
    "правительство",
    "мид",
    "парламент",
    "ведомство",
    "министерство",
    "делегация",
    "посольство",
}
_PLACE_ADJ = re.compile(r"^[а-яё]+[сц]к(?:ий|ого|ому|им|ом|ая|ой|ую|ое|ие|их|ими)$")
_LEXICON_PREFIXES = {w[:3] for w in _ORG_LEMMAS | _NOT_ENTITIES}
_HEAD_PREFIXES = {w[:3] for w in _ORG_HEADS}
_DESCRIPTOR_PREFIXES = {w[:3] for w in _ORG_DESCRIPTORS}
_NATIONAL_PREFIXES = {w[:3] for w in _NATIONAL_HEADS}
_FUNCTION_WORDS = {"и", "по", "в", "на", "для", "при", "с", "о", "of", "and", "the", "for"}
_ACRONYM = re.compile(r"^[A-ZА-ЯЁ][A-ZА-ЯЁ0-9&-]{1,7}$")
_CYR = re.compile(r"[А-Яа-яЁё]")


def _tokens_in(doc: Doc, start: int, stop: int, starts: list[int]) -> list[DocToken]:
    """The tokens wholly inside ``[start, stop)``; ``starts`` are the (sorted) token starts.

    A bisection, not a scan of every token: per mention, that scan made a long article
    quadratic (a 300 KB text spent 6 of its 16 s here)."""
    tokens = doc.tokens
    out = []
    i = bisect.bisect_left(starts, start)
    while i < len(tokens) and tokens[i].start < stop:
        if tokens[i].stop <= stop:
            out.append(tokens[i])
        i += 1
    return out


def _trim(text: str, start: int, stop: int) -> tuple[int, int]:
    """Drop edge punctuation, keeping quotes that are balanced inside the span."""
    while start < stop and text[start] in _EDGE:
        if text[start] == "«" and "»" in text[start:stop]:
            break
        start += 1
    while stop > start and text[stop - 1] in _EDGE:
        if text[stop - 1] == "»" and "«" in text[start:stop]:
            break
        if text[stop - 1] == ")" and "(" in text[start:stop]:
            break
        stop -= 1
    return start, stop


def _is_acronym(word: str) -> bool:
    return bool(_ACRONYM.match(word))


def _initials(name: str) -> str:
    words = re.findall(r"[\w-]+", name)
    return "".join(w[0] for w in words if w.lower() not in _FUNCTION_WORDS).upper()


def _same_referent(outer: str, inner: str) -> bool:
    """``outer (inner)``: an abbreviation of, or the foreign spelling of, the outer name."""
    if _is_acronym(inner):
        if _is_acronym(outer):
            return False  # "ООН (ФАО)": two organisations
        ini = _initials(outer)
        return inner.upper() in ini or ini in inner.upper() or inner[0] == ini[:1]
    return bool(_CYR.search(outer)) != bool(_CYR.search(inner))  # Cyrillic vs Latin spelling


def _raw_mentions(doc: Doc) -> list[Mention]:
    text = doc.text
    starts = [t.start for t in doc.tokens]
    out: list[Mention] = []
    for span in doc.spans:
        start, stop = _trim(text, span.start, span.stop)
        if start >= stop or domain_zone(text, start):
            continue
        piece = text[start:stop]
        paren = re.search(r"\s*\(([^()]+)\)$", piece)
        if paren and paren.start() > 0:
            o_start, o_stop = _trim(text, start, start + paren.start())
            i_start, i_stop = _trim(text, start + paren.start(1), start + paren.end(1))
            outer = Mention(span.type, o_start, o_stop, _tokens_in(doc, o_start, o_stop, starts))
            inner = Mention(span.type, i_start, i_stop, _tokens_in(doc, i_start, i_stop, starts))
            out.append(outer)
            if _same_referent(text[o_start:o_stop], text[i_start:i_stop]):
                inner.alias_of = len(out) - 1
            out.append(inner)
            continue
        out.append(Mention(span.type, start, stop, _tokens_in(doc, start, stop, starts)))
        # "Союз координационных советов (СКС)" where the tagger stopped before "(СКС)".
        after = re.match(r"\s*\(([A-ZА-ЯЁ][A-ZА-ЯЁ0-9&-]{1,7})\)", text[stop:])
        if after and span.type == "ORG" and _same_referent(piece, after.group(1)):
            a_start = stop + after.start(1)
            a_stop = stop + after.end(1)
            if not any(s.start <= a_start < s.stop for s in doc.spans):
                out.append(
                    Mention(
                        "ORG",
                        a_start,
                        a_stop,
                        _tokens_in(doc, a_start, a_stop, starts),
                        alias_of=len(out) - 1,
                    )
                )
    return [m for m in out if m.tokens]


def _lem(tok: DocToken) -> str:
    """Lemma on demand: lemmatising every token would cost more than the tagger."""
    if tok.lemma is None:
        tok.lemmatize(models().morph_vocab)
    return (tok.lemma or tok.text).lower()


def _lemma(m: Mention) -> str:
    return " ".join(_lem(t) for t in m.tokens)


def _fix_types(mentions: list[Mention]) -> list[Mention]:
    out: list[Mention] = []
    remap: dict[int, int] = {}
    for i, m in enumerate(mentions):
        # lemmatise only what might be in a lexicon: the prefix test is cheap
        lemma = _lemma(m) if m.tokens[0].text[:3].lower() in _LEXICON_PREFIXES else ""
        if lemma in _NOT_ENTITIES:
            continue
        if m.type == "LOC" and lemma in _ORG_LEMMAS:
            m.type = "ORG"
        if m.type == "PER" and _plural_surname_only(m):
            continue  # "Тела Сафаровых", "Ямадаевых": a family, not one person
        remap[i] = len(out)
        out.append(m)
    for m in out:
        if m.alias_of is not None:
            m.alias_of = remap.get(m.alias_of)
    return out


_PROPER_TAGS = ("Geox", "Orgn", "Name", "Surn", "Abbr", "Trad")


def _proper_reading(word: str) -> bool:
    return any(g in p.tag for p in parses(word) for g in _PROPER_TAGS)


# Nouns naming a thing or a work: the name after them ("шаттл «Дискавери»", "телескопа
# Хаббл", "статье «…»") is no organisation. After a facility noun ("аэропорту
# «Домодедово»") the name is a place: data/facilities.txt, places.facilities.
_THING_NOUNS = {
    "шаттл",
    "челнок",
    "корабль",
    "телескоп",
    "спутник",
    "самолёт",
    "самолет",
    "лайнер",
    "вертолёт",
    "вертолет",
    "ракета",
    "судно",
    "яхта",
    "крейсер",
    "авианосец",
    "ледокол",
    "фильм",
    "книга",
    "статья",
    "роман",
    "песня",
    "альбом",
    "спектакль",
    "сериал",
    "полёт",
    "полет",
    "запуск",
}
_THING_PREFIXES = {w[:3] for w in _THING_NOUNS}


_OPENING = ("«", '"', "„", "“")


def _thing_names(doc: Doc) -> tuple[set[str], set[int]]:
    """Lemmas and token starts of the names that follow a thing noun: "шаттле «Дискавери»",
    "телескопа Хаббл", and a quoted title after its author or outlet ("в статье Частного
    корреспондента «Жара продолжается»")."""
    tokens = doc.tokens
    keys: set[str] = set()
    inside: set[int] = set()
    for i, noun in enumerate(tokens[:-1]):
        if noun.text[:3].lower() not in _THING_PREFIXES or _lem(noun) not in _THING_NOUNS:
            continue
        k = i + 1
        if tokens[k].text[:1].isupper():  # the author or outlet before a quoted title
            k = next(
                (j for j in range(k + 1, min(k + 4, len(tokens))) if tokens[j].pos == "PUNCT"), k
            )
        if tokens[k].text in _OPENING:
            end = next(
                (j for j in range(k + 1, min(k + 16, len(tokens))) if tokens[j].text in '»"“”'), k
            )
            name = tokens[k + 1 : end]
        else:
            name = tokens[i + 1 : i + 2] if tokens[i + 1].text[:1].isupper() else []
        if name:
            keys.add(" ".join(_lem(t) for t in name))
            inside.update(t.start for t in name)
    return keys, inside


def _drop_things(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """Organisations the tagger saw in the names of things: every mention of a name used
    after a thing noun goes (the shuttle is "«Дискавери»" again without the noun), and any
    inside such a name."""
    if not any(m.type == "ORG" for m in mentions):
        return mentions
    keys, inside = _thing_names(doc)
    kept = [
        m
        for m in mentions
        if m.type != "ORG"
        or (_lemma(m) not in keys and not all(t.start in inside for t in m.tokens))
    ]
    if len(kept) == len(mentions):
        return mentions
    return _relist(mentions, kept)


def _adjective_only(doc: Doc, m: Mention, index: dict[int, int]) -> bool:
    tok = m.tokens[0]
    i = index.get(tok.start)
    if m.type != "ORG" or len(m.tokens) != 1 or tok.pos != "ADJ" or i is None:
        return False
    nxt = doc.tokens[i + 1] if i + 1 < len(doc.tokens) else None
    if nxt is None or nxt.pos != "NOUN" or not nxt.text.islower():
        return False
    return not _proper_reading(tok.text.lower())


def _drop_adjectives(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """ "Воскресное заседание": a one-word ORG that is a common adjective qualifying the noun
    after it (no proper-noun reading in the dictionary) is no name."""
    index = {t.start: i for i, t in enumerate(doc.tokens)}
    kept = [m for m in mentions if not _adjective_only(doc, m, index)]
    if len(kept) == len(mentions):
        return mentions
    return _relist(mentions, kept)


def _relist(old: list[Mention], new: list[Mention]) -> list[Mention]:
    """``new`` (a reordered/filtered ``old`` plus new mentions) with ``alias_of`` re-pointed."""
    pos = {id(m): k for k, m in enumerate(new)}
    target = {
        id(m): old[m.alias_of] for m in old if m.alias_of is not None and m.alias_of < len(old)
    }
    for m in new:
        t = target.get(id(m))
        m.alias_of = pos.get(id(t)) if t is not None else None
    return new


def _quoted_orgs(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """ "движение «Солидарность»", "ОАО «Газпром»", "сообщает «Коммерсант»": the quoted words
    after an organisation noun, a legal form or a media cue name an organisation. The name
    is the quoted part (the descriptor is not part of it, as in factRuEval)."""
    text = doc.text
    if "«" not in text:
        return mentions
    starts = [t.start for t in doc.tokens]
    out = list(mentions)
    added: list[Mention] = []
    names: list[Mention] = []
    for q in _QUOTED.finditer(text):
        cued = _cued_quote(doc, q, starts)
        placed = _place_quoted(doc, out, cued, q.end(), starts) if cued else None
        if placed is None:
            continue
        keep, is_new, drop = placed
        if is_new:
            added.append(keep)
        out = [m for m in out if id(m) not in drop]
        names.append(keep)
    for m in names:
        added += _repeats(doc, m, out + added, starts)
    if not added and len(out) == len(mentions):
        return mentions
    out = sorted(out + added, key=lambda m: (m.start, -m.stop))
    return _relist(mentions, out)


def _cued_quote(doc: Doc, q: re.Match[str], starts: list[int]) -> tuple[int, int, DocToken] | None:
    """The quoted name's span and the word before it, when that word cues an organisation
    (an organisation noun, a legal form, a media verb)."""
    text, tokens = doc.text, doc.tokens
    n_start, n_stop = _trim(text, q.start(1), q.end(1))
    name = text[n_start:n_stop]
    if not name or not (name[0].isupper() or name[0].isdigit()) or len(name.split()) > 6:
        return None
    i = bisect.bisect_left(starts, q.start())
    if i == 0 or i >= len(tokens) or tokens[i].start != q.start():
        return None
    cue = tokens[i - 1]
    if cue.text not in _LEGAL_FORMS and (
        cue.pos not in ("NOUN", "VERB") or _lem(cue) not in _QUOTE_CUES
    ):
        return None
    return n_start, n_stop, cue


def _place_quoted(
    doc: Doc,
    out: list[Mention],
    cued: tuple[int, int, DocToken],
    q_end: int,
    starts: list[int],
) -> tuple[Mention, bool, set[int]] | None:
    """The ORG mention of a cued quoted name (an existing one retyped and reshaped, or a new
    one), whether it is new, and the ids of the mentions it replaces; None when the name
    crosses another mention."""
    n_start, n_stop, cue = cued
    whole = [m for m in out if m.start <= cue.start and m.stop in (q_end, n_stop)]
    # "Русской службе «Голоса Америки»": a name of its own around the quoted one stays,
    # the quoted organisation is added inside it
    outer = bool(whole) and whole[0].start < cue.start
    if outer:
        whole = []
    crossing = [
        m
        for m in out
        if m not in whole
        and (m.start < n_start < m.stop or m.start < n_stop < m.stop)
        and not (outer and m.start <= cue.start and m.stop >= n_stop)
    ]
    name_tokens = _tokens_in(doc, n_start, n_stop, starts)
    if crossing or not name_tokens:
        return None
    inside = [m for m in out if n_start <= m.start and m.stop <= n_stop]
    keep = (
        whole[0]
        if whole
        else next((m for m in inside if (m.start, m.stop) == (n_start, n_stop)), None)
    )
    is_new = keep is None
    if keep is None:
        keep = Mention("ORG", n_start, n_stop, name_tokens)
    keep.type, keep.start, keep.stop, keep.tokens = "ORG", n_start, n_stop, name_tokens
    drop = {id(m) for m in whole[1:] + inside if m is not keep and m.type != "LOC"}
    return keep, is_new, drop


def _repeats(doc: Doc, name: Mention, mentions: list[Mention], starts: list[int]) -> list[Mention]:
    """Later bare uses of a name established by its quotes ("«Голоса Америки»" ... "Голос
    Америки:"), in any case form: each word's stem, then the lemmas must agree."""
    text = doc.text
    words = [t.text for t in name.tokens]
    if not words or len(words) > 6 or not all(w[0].isalnum() for w in words):
        return []
    key = [_lem(t) for t in name.tokens]
    stems = [re.escape(w[: max(3, len(w) - 2)]) + r"\w{0,3}" for w in words]
    pattern = re.compile(r"(?<!\w)" + r"\s+".join(stems) + r"(?!\w)")
    taken = {(m.start, m.stop): m for m in mentions}
    out: list[Mention] = []
    for hit in pattern.finditer(text):
        s, e = hit.span()
        if (s, e) == (name.start, name.stop):
            continue
        same = taken.get((s, e))
        if same is not None:
            same.type = "ORG"
            continue
        if any(m.start < e and s < m.stop and not (s <= m.start and m.stop <= e) for m in mentions):
            continue  # part of a longer name
        toks = _tokens_in(doc, s, e, starts)
        if len(toks) != len(key) or [_lem(t) for t in toks] != key:
            continue
        out.append(Mention("ORG", s, e, toks))
        taken[(s, e)] = out[-1]
    return out


def _spread_orgs(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """An organisation named once is named everywhere in the article: every other use of
    a capitalised ORG name or acronym ("World Fashion Channel", "WFC", "МИДа"), in any case
    form (equal lemmas), is a mention where the tagger missed it. Only text outside other
    mentions is added (or around whole ones: "Банка России" around the place), so a
    same-span mention of another type keeps its type. Names of things were dropped before
    (``_drop_things``): a shuttle does not spread. One pass over the tokens."""
    names = _spreading_names(mentions)
    if not names:
        return mentions
    tokens = doc.tokens
    owner = _token_owners(doc, mentions)
    added: list[Mention] = []
    i = 0
    while i < len(tokens):
        keys = names.get(tokens[i].text[:3]) if tokens[i].text[:1].isupper() else None
        j = next((i + len(k) for k in keys or () if _names_at(tokens, i, k, owner)), i)
        if j > i:
            added.append(Mention("ORG", tokens[i].start, tokens[j - 1].stop, tokens[i:j]))
        i = max(j, i + 1)
    if not added:
        return mentions
    old = mentions + added
    return _relist(old, sorted(old, key=lambda m: (m.start, -m.stop)))


def _spreading_names(mentions: list[Mention]) -> dict[str, list[tuple[str, ...]]]:
    """Lemma tuples of the capitalised ORG names, longest first, by their first 3 letters."""
    names: dict[str, set[tuple[str, ...]]] = {}
    for m in mentions:
        words = [t.text for t in m.tokens]
        if m.type != "ORG" or not words[0][:1].isupper() or len(words) > 6:
            continue
        if all(w[:1].isalnum() for w in words):
            names.setdefault(words[0][:3], set()).add(tuple(_lem(t) for t in m.tokens))
    return {k: sorted(v, key=len, reverse=True) for k, v in names.items()}


def _token_owners(doc: Doc, mentions: list[Mention]) -> dict[int, tuple[int, int]]:
    """Token index -> (first, last) token index of the longest mention holding it."""
    index = {t.start: i for i, t in enumerate(doc.tokens)}
    owner: dict[int, tuple[int, int]] = {}
    for m in mentions:
        first, last = index.get(m.tokens[0].start), index.get(m.tokens[-1].start)
        if first is None or last is None:
            continue
        for k in range(first, last + 1):
            have = owner.get(k)
            if have is None or have[1] - have[0] < last - first:
                owner[k] = (first, last)
    return owner


def _names_at(
    tokens: list[DocToken], i: int, key: tuple[str, ...], owner: dict[int, tuple[int, int]]
) -> bool:
    """Do the tokens from ``i`` spell ``key``, outside mentions or around whole ones?"""
    j = i + len(key)
    if j > len(tokens):
        return False
    for k in range(i, j):
        span = owner.get(k)
        if span is not None and (span[0] < i or span[1] >= j or span == (i, j - 1)):
            return False
    return all(_lem(t) == w for t, w in zip(tokens[i:j], key, strict=True))


def _plural_surname_only(m: Mention) -> bool:
    if len(m.tokens) != 1:
        return False
    return is_plural_surname(m.tokens[0])


def _is_gen(tok: DocToken) -> bool:
    return (tok.feats or {}).get("Case") == "Gen"


# "собрания района Отрадное", "мэрии города Сочи": a division noun links a body to its place.
_DIVISIONS = {"район", "город", "область", "округ", "край", "поселение", "посёлок", "село"}


def _division_after(
    doc: Doc, m: Mention, by_start: dict[int, Mention], index: dict[int, int]
) -> list[DocToken] | None:
    """The tokens of ``района Отрадное`` after an ORG: a lowercase genitive division noun and
    the place (any case: the name of a district is often left in the nominative)."""
    i = index.get(m.tokens[-1].start, len(doc.tokens)) + 1
    if i >= len(doc.tokens) - 1:
        return None
    noun = doc.tokens[i]
    if not noun.text.islower() or not _is_gen(noun) or _lem(noun) not in _DIVISIONS:
        return None
    place = by_start.get(doc.tokens[i + 1].start)
    if place is None or place.type != "LOC" or doc.text[m.stop : noun.start].strip():
        return None
    return [noun, *place.tokens]


def _extend_orgs(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """Add "ORG + genitive place/org" and "org head + genitive place" mentions."""
    _extend_by_genitive(doc, mentions)
    extra = _heads_before_genitives(doc, mentions)
    extra += _national_bodies(doc, mentions + extra)
    extra += _bare_teams(doc, mentions + extra)
    extra += _numbered_expeditions(doc, mentions + extra)
    extra += _person_bodies(doc, mentions + extra)
    extra += _member_bodies(doc, mentions + extra)
    _extend_by_preposition(doc, mentions + extra)
    _extend_by_topic(doc, mentions + extra)
    _extend_by_field(doc, mentions + extra)
    _extend_by_place_adjective(doc, mentions + extra)
    _extend_by_relational_adjectives(doc, mentions + extra)
    _extend_by_members(doc, mentions)
    if not extra:
        return mentions
    return _relist(mentions, sorted(mentions + extra, key=lambda m: (m.start, -m.stop)))


def _extend_by_genitive(doc: Doc, mentions: list[Mention]) -> None:
    """An ORG takes the division or the genitive place/org right after it."""
    text = doc.text
    by_start = {m.start: m for m in mentions if m.type in ("LOC", "ORG")}
    ordered = sorted(mentions, key=lambda m: -m.start)  # right to left: chains build up
    index = {t.start: i for i, t in enumerate(doc.tokens)}
    for m in ordered:
        if m.type != "ORG" or m.alias_of is not None:
            continue
        gap = re.match(r"[ \t]+", text[m.stop :])
        nxt = by_start.get(m.stop + (gap.end() if gap else 0)) if gap else None
        division = _division_after(doc, m, by_start, index)
        if division is not None:
            m.tokens, m.stop = [*m.tokens, *division], division[-1].stop
            by_start[m.start] = m
        elif nxt is not None and nxt.tokens and _is_gen(nxt.tokens[0]):
            # the head alone is not the name in factRuEval: "Конгресса" -> "Конгресса США"
            m.stop = nxt.stop
            m.tokens = m.tokens + nxt.tokens
            by_start[m.start] = m


def _heads_before_genitives(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """New ORG mentions of an organisation head before a genitive place or org
    ("посольство России")."""
    tokens = doc.tokens
    index = {t.start: i for i, t in enumerate(tokens)}
    taken = {(m.start, m.stop) for m in mentions}
    extra: list[Mention] = []
    for m in mentions:
        if m.type not in ("LOC", "ORG") or not _is_gen(m.tokens[0]):
            continue
        i = index.get(m.tokens[0].start)
        if i is None or i == 0:
            continue
        head = tokens[i - 1]
        if head.pos not in ("NOUN", "PROPN", "ADJ") or head.text[:3].lower() not in _HEAD_PREFIXES:
            continue
        inside = any(o.type == "ORG" and o.start <= head.start < o.stop for o in mentions)
        if not inside and _lem(head) in _ORG_HEADS and (head.start, m.stop) not in taken:
            extra.append(Mention("ORG", head.start, m.stop, [head, *m.tokens]))
            taken.add((head.start, m.stop))
    return extra


# "ГУ МЧС России по Санкт-Петербургу", "Следственный комитет при прокуратуре", "Совет при
# Президенте РФ": a territorial division or an attachment is part of the body's name.
_PREP_TAIL = re.compile(r"[ \t]+(по|при)[ \t]+")
_ATTACHED_TO = {
    "президент",
    "прокуратура",
    "правительство",
    "министерство",
    "мэрия",
    "губернатор",
    "архитектор",
    "председатель",
    "администрация",
}


def _attached_head(tokens: list[DocToken], i: int) -> int | None:
    """Index of the office after "при", over up to two lowercase adjectives ("при главном
    архитекторе"), or None."""
    k = i
    while k < len(tokens) - 1 and k - i < 2 and tokens[k].pos == "ADJ" and tokens[k].text.islower():
        k += 1
    if tokens[k].pos in ("NOUN", "PROPN") and _lem(tokens[k]) in _ATTACHED_TO:
        return k
    return None


def _extend_by_preposition(doc: Doc, mentions: list[Mention]) -> None:
    text = doc.text
    tokens = doc.tokens
    index = {t.start: i for i, t in enumerate(tokens)}
    by_start: dict[int, Mention] = {}
    for o in mentions:
        by_start.setdefault(o.start, o)
    ends = {(o.stop, o.start) for o in mentions if o.type == "ORG"}
    for m in mentions:
        if m.type != "ORG" or m.alias_of is not None:
            continue
        if any(stop == m.stop and start < m.start for stop, start in ends):
            continue  # the outer name ("ГУ МЧС России") takes the tail, not "МЧС России"
        tail = _PREP_TAIL.match(text, m.stop)
        if tail is None:
            continue
        i = index.get(tail.end())
        if i is None:
            continue
        nxt = by_start.get(tail.end())
        if tail.group(1) == "по":
            if nxt is None or nxt.type != "LOC" or (nxt.tokens[0].feats or {}).get("Case") != "Dat":
                continue
            stop = nxt.stop
            more = re.match(r"[ \t]+и[ \t]+", text[stop:])
            j = index.get(stop + more.end()) if more else None
            if j is not None and tokens[j].text[:1].isupper() and _is_dat(tokens[j]):
                stop = tokens[j].stop
        elif nxt is not None and nxt.type in ("ORG", "PER"):
            stop = nxt.stop
        elif (k := _attached_head(tokens, i)) is not None:
            stop = tokens[k].stop
            after = by_start.get(stop + 1)
            if after is not None and after.type in ("LOC", "ORG"):
                head = after.tokens[0]
                if _is_gen(head) or (head.text.isupper() and not (head.feats or {}).get("Case")):
                    stop = after.stop
        else:
            continue
        starts = [t.start for t in tokens]
        m.tokens = _tokens_in(doc, m.start, stop, starts)
        m.stop = stop


# "Совет при Президенте по развитию информационного общества", "Комиссия по атомной
# энергии": a council, committee or agency is named with its remit, "по" + a dative noun
# phrase and its genitive complements. Datives that start an adverbial are no remit.
_REMIT_HEADS = {
    "совет",
    "комитет",
    "комиссия",
    "агентство",
    "управление",
    "департамент",
    "служба",
    "инспекция",
    "центр",
    "фонд",
}
_NO_REMIT = {
    "итог",
    "данные",
    "мнение",
    "оценка",
    "информация",
    "сведение",
    "слово",
    "результат",
    "прогноз",
    "просьба",
    "инициатива",
    "решение",
    "приказ",
    "распоряжение",
    "указание",
    "поручение",
    "требование",
    "приглашение",
    "причина",
    "случай",
    "повод",
    "телефон",
    "телевидение",
    "радио",
    "время",
    "факт",
    "подсчёт",
    "подсчет",
}


def _extend_by_topic(doc: Doc, mentions: list[Mention]) -> None:
    tokens = doc.tokens
    index = {t.start: i for i, t in enumerate(tokens)}
    taken = {m.start for m in mentions}
    for m in mentions:
        i = index.get(m.tokens[-1].start)
        if m.type != "ORG" or i is None or i + 2 >= len(tokens) or tokens[i + 1].text != "по":
            continue
        if _lem(m.tokens[0]) not in _REMIT_HEADS:
            continue
        k = i + 2
        while k < len(tokens) and k - i < 5 and tokens[k].pos == "ADJ" and _is_dat(tokens[k]):
            k += 1
        noun = tokens[k] if k < len(tokens) else None
        if noun is None or noun.pos != "NOUN" or not _is_dat(noun) or not noun.text.islower():
            continue
        if noun.start in taken or _lem(noun) in _NO_REMIT:
            continue
        k += 1
        while k < len(tokens) and k - i < 9 and tokens[k].text.islower() and _is_gen(tokens[k]):
            if tokens[k].pos not in ("ADJ", "NOUN"):
                break
            k += 1
        m.tokens = [*m.tokens, *tokens[i + 1 : k]]
        m.stop = tokens[k - 1].stop


def _extend_by_place_adjective(doc: Doc, mentions: list[Mention]) -> None:
    """ "мюнхенской Баварии": a lowercase place adjective agreeing with an unquoted one-word
    organisation name right after it is part of the name (where the club or body is from)."""
    tokens = doc.tokens
    index = {t.start: i for i, t in enumerate(tokens)}
    covered = {t.start for m in mentions for t in m.tokens}
    for m in mentions:
        i = index.get(m.start)
        if m.type != "ORG" or len(m.tokens) != 1 or not i or not m.tokens[0].text[:1].isupper():
            continue
        adj = tokens[i - 1]
        if adj.start in covered or not _PLACE_ADJ.match(adj.text) or adj.pos != "ADJ":
            continue
        if (adj.feats or {}).get("Case") != (m.tokens[0].feats or {}).get("Case"):
            continue
        m.start, m.tokens = adj.start, [adj, *m.tokens]


# Adjectives before a body's head that say which one it is by time, not by kind.
_NOT_OF_NAME = {"бывший", "нынешний", "прежний", "будущий", "данный", "тот", "этот", "весь"}


def _relational(tok: DocToken) -> bool:
    """A lowercase adjective with no qualitative reading ("антимонопольной", not "новой")."""
    if tok.pos != "ADJ" or not tok.text.islower() or _lem(tok) in _NOT_OF_NAME:
        return False
    if (tok.feats or {}).get("VerbForm") == "Part":
        return False
    return not any("Qual" in p.tag for p in parses(tok.text))


# A ministry is named by its field, a lowercase genitive noun phrase: "министерства
# иностранных дел", "министерство экономического развития".
_FIELD_HEADS = {"министерство", "департамент"}


def _extend_by_field(doc: Doc, mentions: list[Mention]) -> None:
    """A ministry or department ending its mention takes its field (adjectives + one noun)."""
    tokens = doc.tokens
    index = {t.start: i for i, t in enumerate(tokens)}
    taken = {m.start for m in mentions}
    for m in mentions:
        i = index.get(m.tokens[-1].start)
        if m.type != "ORG" or i is None or _lem(m.tokens[-1]) not in _FIELD_HEADS:
            continue
        k = i + 1
        while k < len(tokens) and k - i < 4 and tokens[k].text.islower() and _is_gen(tokens[k]):
            if tokens[k].pos not in ("ADJ", "NOUN") or tokens[k].start in taken:
                break
            k += 1
            if tokens[k - 1].pos == "NOUN":
                break
        if k > i + 1 and tokens[k - 1].pos == "NOUN":
            m.tokens = [*m.tokens, *tokens[i + 1 : k]]
            m.stop = tokens[k - 1].stop


@lru_cache(maxsize=20_000)
def _forms(word: str) -> frozenset[tuple[str | None, str | None]]:
    """(case, number) of every dictionary reading: agreement the tagger may have missed."""
    return frozenset((p.tag.case, p.tag.number) for p in parses(word))


def _extend_by_relational_adjectives(doc: Doc, mentions: list[Mention]) -> None:
    """ "антимонопольной комиссии Европейского союза", "государственной Комиссии по атомной
    энергии": relational adjectives agreeing with the head a body's name starts with
    (lowercase, or a capitalised council/committee/agency) are part of the name."""
    tokens = doc.tokens
    index = {t.start: i for i, t in enumerate(tokens)}
    covered = {t.start for m in mentions for t in m.tokens}
    for m in mentions:
        head, i = m.tokens[0], index.get(m.start)
        if m.type != "ORG" or not i or head.pos not in ("NOUN", "PROPN"):
            continue
        if not head.text.islower() and _lem(head) not in _REMIT_HEADS:
            continue  # "государственной Комиссии по атомной энергии"
        forms = _forms(head.text.lower())
        k = i
        while k > 0 and i - k < 2 and tokens[k - 1].start not in covered:
            adj = tokens[k - 1]
            if not _relational(adj) or not forms & _forms(adj.text):
                break
            k -= 1
        if k < i:
            m.start, m.tokens = tokens[k].start, [*tokens[k:i], *m.tokens]


# A council, committee or union named by whom it gathers: "Координационный совет
# пострадавших соинвесторов", "Комитет солдатских матерей": the lowercase genitive is part
# of the name when the tagger ends it at the head.
_MEMBER_HEADS = {"совет", "комитет", "союз", "ассоциация", "объединение", "движение", "общество"}


def _modifier(tok: DocToken) -> bool:
    return tok.pos == "ADJ" or (tok.feats or {}).get("VerbForm") == "Part"


def _extend_by_members(doc: Doc, mentions: list[Mention]) -> None:
    tokens = doc.tokens
    index = {t.start: i for i, t in enumerate(tokens)}
    taken = {m.start for m in mentions}
    for m in mentions:
        last = m.tokens[-1]
        i = index.get(last.start)
        if m.type != "ORG" or i is None or not last.text.islower() or i + 1 >= len(tokens):
            continue
        if _lem(last) not in _MEMBER_HEADS:
            continue
        k = i + 1
        while k < len(tokens) and k - i <= 2 and _is_gen(tokens[k]) and _modifier(tokens[k]):
            k += 1
        noun = tokens[k] if k < len(tokens) else None
        if noun is None or noun.pos != "NOUN" or not noun.text.islower() or not _is_gen(noun):
            continue
        feats = noun.feats or {}
        if noun.start in taken or feats.get("Number") != "Plur" or feats.get("Animacy") != "Anim":
            continue  # people gathered: an animate plural ("соинвесторов", "матерей")
        m.tokens = [*m.tokens, *tokens[i + 1 : k + 1]]
        m.stop = noun.stop


# A union named only by whom it gathers, with no name at all: "профсоюз игроков", "союз
# журналистов", "ассоциация юристов".
_GATHERING_HEADS = {"профсоюз", "союз", "ассоциация", "гильдия"}


def _member_bodies(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    tokens = doc.tokens
    covered = {t.start for m in mentions for t in m.tokens}
    out: list[Mention] = []
    for i, head in enumerate(tokens[:-1]):
        if not head.text.islower() or head.start in covered or head.pos != "NOUN":
            continue
        if _lem(head) not in _GATHERING_HEADS:
            continue
        k = i + 1
        while k < len(tokens) - 1 and k - i <= 2 and _is_gen(tokens[k]) and _modifier(tokens[k]):
            k += 1
        noun, feats = tokens[k], tokens[k].feats or {}
        if noun.pos != "NOUN" or not noun.text.islower() or not _is_gen(noun):
            continue
        if noun.start in covered or (feats.get("Number"), feats.get("Animacy")) != ("Plur", "Anim"):
            continue
        out.append(Mention("ORG", head.start, noun.stop, list(tokens[i : k + 1])))
    return out


def _is_dat(tok: DocToken) -> bool:
    return (tok.feats or {}).get("Case") == "Dat"


# Bodies named after the person or office they serve: "пресс-служба Кадырова", "кабинета
# Нетаньяху", "администрация президента Обамы", "канцелярия правительства Израиля".
_PERSON_BODIES = {
    "пресс-служба",
    "администрация",
    "канцелярия",
    "кабинет",
    "аппарат",
    "секретариат",
    "офис",
}
_OFFICE_TITLES = {"президент", "премьер-министр", "премьер", "губернатор", "мэр", "правительство"}


def _person_bodies(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    tokens = doc.tokens
    index = {t.start: i for i, t in enumerate(tokens)}
    taken = {(m.start, m.stop) for m in mentions}
    out: list[Mention] = []
    for m in mentions:
        i = index.get(m.start)
        if not i or (m.type == "ORG" and m.tokens[0].text[:1].isupper()):
            continue  # only bodies built from a head ("правительства Израиля") chain on
        k = i - 1
        if m.type != "ORG" and _is_gen(tokens[k]) and _lem(tokens[k]) in _OFFICE_TITLES:
            k -= 1  # "администрация президента Обамы"
        elif m.type == "LOC" or not _is_gen(m.tokens[0]):
            continue
        head = tokens[k] if k >= 0 else None
        if head is None or head.pos != "NOUN" or _lem(head) not in _PERSON_BODIES:
            continue
        inside = any(o.type == "ORG" and o.start <= head.start < o.stop for o in mentions)
        if not inside and (head.start, m.stop) not in taken:
            out.append(Mention("ORG", head.start, m.stop, list(tokens[k:i]) + m.tokens))
            taken.add((head.start, m.stop))
    return out


def _bare_teams(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """ "тренер сборной", "в сборной": the substantivised "сборная" names one team, the
    country's; with a genitive name after it, the head rule above already made the ORG."""
    tokens = doc.tokens
    by_start = {m.start: m for m in mentions}
    covered = {t.start for m in mentions for t in m.tokens}
    out: list[Mention] = []
    for i, tok in enumerate(tokens):
        if not tok.text.lower().startswith("сборн") or _lem(tok) not in ("сборная", "сборный"):
            continue
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        after = tokens[i + 2] if i + 2 < len(tokens) else None
        last = i
        if nxt is not None and nxt.text.islower() and _lem(nxt) == "команда":
            last = i + 1  # "сборной команды" names the team as well
            if after is not None and (after.text[:1].isupper() or _is_gen(after)):
                team = by_start.get(nxt.start)  # "сборной команды России" joins the body
                if team is not None and team.type == "ORG" and tok.start not in covered:
                    team.start, team.tokens = tok.start, [tok, *team.tokens]
                continue
        elif nxt is not None and (nxt.text[:1].isupper() or nxt.pos in ("NOUN", "PROPN")):
            continue  # "сборной США", "сборной игроков": a name or a noun it qualifies
        if tok.start not in covered and tokens[last].start not in covered:
            out.append(Mention("ORG", tok.start, tokens[last].stop, list(tokens[i : last + 1])))
    return out


_ORDINAL = re.compile(r"^\d+-?(?:й|я|ой|ая|го|ого|ей|ую|ю)$")


def _is_ordinal(tok: DocToken) -> bool:
    if _ORDINAL.match(tok.text):
        return True
    return tok.pos == "ADJ" and parse_best(tok.text.lower(), "Anum") is not None


def _numbered_expeditions(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """ "13-й долговременной экспедиции", "семнадцатой экспедиции МКС": a numbered
    expedition is a crew, an organisation (with the station it works on)."""
    tokens = doc.tokens
    by_start = {m.start: m for m in mentions}
    covered = {t.start for m in mentions for t in m.tokens}
    out: list[Mention] = []
    for i, tok in enumerate(tokens):
        if not tok.text.lower().startswith("экспедици") or i == 0:
            continue
        k = i - 1
        while k > 0 and i - k < 3 and _modifier(tokens[k]) and not _is_ordinal(tokens[k]):
            k -= 1
        if not _is_ordinal(tokens[k]) or tokens[k].start in covered:
            continue
        stop, toks = tok.stop, list(tokens[k : i + 1])
        nxt = by_start.get(tok.stop + 1)
        if nxt is not None and nxt.type in ("LOC", "ORG") and _is_gen(nxt.tokens[0]):
            stop, toks = nxt.stop, toks + nxt.tokens
        out.append(Mention("ORG", tokens[k].start, stop, toks))
    return out


def _national_bodies(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """ "японское правительство", "японского дипломатического ведомства", "американских
    властей": a place adjective, maybe with other adjectives, before a state body names that
    body (an ORG mention of the head alone grows left)."""
    tokens = doc.tokens
    starts = {m.start: m for m in mentions}
    covered = [(m.start, m.stop) for m in mentions]
    out: list[Mention] = []
    for i in range(1, len(tokens)):
        head = tokens[i]
        if head.text[:3].lower() not in _NATIONAL_PREFIXES or tokens[i - 1].pos != "ADJ":
            continue
        if head.pos not in ("NOUN", "PROPN") or _lem(head) not in _NATIONAL_HEADS:
            continue
        k = i - 1
        while k > 0 and i - k < 3 and tokens[k - 1].pos == "ADJ":
            k -= 1
        first = next((j for j in range(k, i) if _PLACE_ADJ.match(tokens[j].text.lower())), None)
        if first is None:
            continue
        adj = tokens[first]
        loc = starts.get(adj.start)
        if loc is not None and loc.type == "LOC" and loc.stop == adj.stop and first == i - 1:
            # "Кипрское правительство" where the tagger took the adjective for a place
            if not any(s <= head.start < e for s, e in covered):
                loc.type, loc.stop, loc.tokens = "ORG", head.stop, [adj, head]
            continue
        if any(s <= adj.start < e for s, e in covered):
            continue
        org = starts.get(head.start)
        if org is not None:
            if org.type == "ORG" and org.stop == head.stop:
                org.start, org.tokens = adj.start, [*tokens[first:i], *org.tokens]
            continue
        if any(s <= head.start < e for s, e in covered):
            continue
        out.append(Mention("ORG", adj.start, head.stop, list(tokens[first : i + 1])))
    return out


@cache
def _lexicon() -> Gazetteer:
    """Organisations known by name (``data/organizations.txt``), matched like registry names."""
    text = resources.files("service.extraction").joinpath("data/organizations.txt").read_text()
    return Gazetteer.build(read_lexicon(text, "ORG"))


def _known(doc: Doc, mentions: list[Mention], gazetteer: Gazetteer) -> list[Mention]:
    """Mentions of names the registry knows that the tagger missed (``gazetteer.py``)."""
    tokens = doc.tokens
    index = {t.start: i for i, t in enumerate(tokens)}
    taken = {index[t.start] for m in mentions for t in m.tokens if t.start in index}
    sentence_starts = {index[s.tokens[0].start] for s in doc.sents if s.tokens}
    found = gazetteer.find(tokens, sentence_starts, taken)
    found = [f for f in found if not domain_zone(doc.text, tokens[f.first].start)]
    if not found:
        return mentions
    extra = [
        Mention(f.type, tokens[f.first].start, tokens[f.last].stop, tokens[f.first : f.last + 1])
        for f in found
    ]
    return _relist(mentions, sorted(mentions + extra, key=lambda m: (m.start, -m.stop)))


def _known_org(tokens: list[DocToken]) -> bool:
    """Do ``tokens`` spell an organisation of the lexicon ("Белый дом")?"""
    return bool(_lexicon().find(tokens, {0}, set()))


def _lexicon_types(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """A person or place span that is an organisation of the lexicon is that organisation:
    "рассказал Викиновостям" (PER), "Белый дом получил" (LOC); a person span that starts
    with one is split: "оператор Аль-Джазиры Сами аль-Хадж" -> ORG + PER."""
    lexicon = _lexicon()
    opens = {s.tokens[0].start for s in doc.sents if s.tokens}
    out: list[Mention] = []
    for m in mentions:
        if m.type == "ORG" or m.alias_of is not None:
            out.append(m)
            continue
        starts = {0} if m.tokens[0].start in opens else set()
        whole = lexicon.find(m.tokens, starts, set())
        if whole and (whole[0].first, whole[0].last) == (0, len(m.tokens) - 1):
            if m.type == "PER" or not _after_place_preposition(doc, m):
                m.type = "ORG"  # "в Белом доме" is the building
        elif m.type == "PER" and len(m.tokens) > 2:
            m = _split_off_org(m, lexicon, starts, out)
        out.append(m)
    if len(out) == len(mentions):
        return mentions
    return _relist(mentions, out)


_PLACE_PREPOSITIONS = {"в", "во", "на", "у", "около", "возле", "перед", "над", "под", "к", "ко"}


def _after_place_preposition(doc: Doc, m: Mention) -> bool:
    before = doc.text[max(0, m.start - 8) : m.start].split()
    return bool(before) and before[-1].lower() in _PLACE_PREPOSITIONS


def _split_off_org(m: Mention, lexicon: Gazetteer, starts: set[int], out: list[Mention]) -> Mention:
    """The person after a leading lexicon organisation; the organisation goes to ``out``."""
    for cut in range(1, len(m.tokens) - 1):
        rest = m.tokens[cut:]
        if not rest[0].text[:1].isupper():
            continue
        found = lexicon.find(m.tokens, starts, set(range(cut, len(m.tokens))))
        if found and (found[0].first, found[0].last) == (0, cut - 1):
            head = m.tokens[:cut]
            out.append(Mention("ORG", head[0].start, head[-1].stop, head, sent=m.sent))
            m.start, m.tokens = rest[0].start, rest  # the same object: aliases keep pointing
            return m
    return m


def _places(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """Names of ``data/places.txt``: tagger mentions retyped LOC, missed ones added."""
    tokens = doc.tokens
    for m in mentions:  # "Царицыно": a place in every reading is no person
        if m.type == "PER" and len(m.tokens) == 1 and only_place(m.tokens[0].text):
            m.type = "LOC"
    missed = place_lexicon(doc, mentions)
    missed += [(i, i) for i in skipped_places(doc, mentions) + places_in_names(doc, mentions)]
    if not missed:
        return mentions
    extra = [
        Mention("LOC", tokens[a].start, tokens[b].stop, list(tokens[a : b + 1])) for a, b in missed
    ]
    return _relist(mentions, sorted(mentions + extra, key=lambda m: (m.start, -m.stop)))


def _monuments(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    tokens = doc.tokens
    spans = {(m.start, m.stop) for m in mentions}
    extra = [
        Mention("LOC", tokens[a].start, tokens[b].stop, list(tokens[a : b + 1]))
        for a, b in monuments(doc, mentions, _lem)
        if (tokens[a].start, tokens[b].stop) not in spans
    ]
    if not extra:
        return mentions
    return _relist(mentions, sorted(mentions + extra, key=lambda m: (m.start, -m.stop)))


def _own_surnames(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """A person the article named in full is found again by the surname alone where the
    tagger missed it ("Виктор Бут" ... "Буту предъявили обвинения" opening a sentence):
    the article's own full names are a gazetteer (same precision rule as the registry's)."""
    own = [
        Known("PER", doc.text[m.start : m.stop], (m.tokens[-1].text,))
        for m in mentions
        if m.type == "PER" and len(m.tokens) >= 2 and m.tokens[-1].text[:1].isupper()
    ]
    gazetteer = Gazetteer.build(own) if own else None
    if gazetteer is None or not gazetteer.size:
        return mentions
    old = {id(m) for m in mentions}
    found = _known(doc, mentions, gazetteer)
    kept = [m for m in found if id(m) in old or not _plural_surname_only(m)]
    return kept if len(kept) == len(found) else _relist(found, kept)


# A Latin-script name in Russian text that the tagger skipped is an organisation when
# something says so: an organisation noun before it ("телеканала World Fashion Channel"),
# or the organisation it spells in parentheses ("«Фольксваген» (Volkswagen)"); bare Latin
# words are mostly products ("Windows", "Android"), and so are all-capitals ones ("STS-124").
_LATIN_RUN = re.compile(
    r"(?<![\w@/.:-])[A-Za-z0-9][\w&'-]*"
    r"(?:[ \t]+(?:(?:of|and|the|to|for|de)[ \t]+)?[A-Z0-9][\w&'-]*)*"
)
_LATIN_LINKS = {"of", "and", "the", "to", "for", "de"}  # lowercase words inside a run
_LATIN_WORD = re.compile(r"^(?=.*[A-Z])[A-Za-z0-9&'-]+$")


def _latin_owner(text: str, start: int, mentions: list[Mention]) -> int | None:
    """The ORG just before "(" that the Latin name spells: "«Фольксваген» (Volkswagen)"."""
    before = text[:start].rstrip()
    if not before.endswith("("):
        return None
    for k, m in enumerate(mentions):
        if m.type == "ORG" and 0 <= len(before) - 1 - m.stop <= 2:
            return k
    return None


def _after_descriptor(doc: Doc, start: int, index: dict[int, int]) -> bool:
    i = index.get(start)
    if not i:
        return False
    prev = doc.tokens[i - 1]
    return prev.text in _LEGAL_FORMS or (
        prev.text[:3].lower() in _DESCRIPTOR_PREFIXES and _lem(prev) in _ORG_DESCRIPTORS
    )


def _latin_hits(text: str, mentions: list[Mention]) -> list[tuple[int, int, str]]:
    """Runs of capitalised Latin words outside every mention, links and addresses left out."""
    spans = sorted((m.start, m.stop) for m in mentions)
    hits: list[tuple[int, int, str]] = []
    for hit in _LATIN_RUN.finditer(text):
        words = hit.group().split()
        if not all(_LATIN_WORD.match(w) or w in _LATIN_LINKS for w in words):
            continue
        if re.match(r"[.@/]\w", text[hit.end() : hit.end() + 2]):
            continue  # a domain, an address, a path
        k = bisect.bisect_left(spans, (hit.end(), hit.end()))
        if not any(hit.start() < e for _, e in spans[:k]):
            hits.append((hit.start(), hit.end(), hit.group()))
    return hits


def _latin_orgs(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    text = doc.text
    if not re.search("[A-Z]", text):
        return mentions
    starts = [t.start for t in doc.tokens]
    index = {t.start: i for i, t in enumerate(doc.tokens)}
    hits = _latin_hits(text, mentions)
    owners = {s: _latin_owner(text, s, mentions) for s, _, _ in hits}
    names = {n for s, _, n in hits if owners[s] is not None or _after_descriptor(doc, s, index)}
    extra = [
        Mention("ORG", s, e, _tokens_in(doc, s, e, starts), alias_of=owners[s])
        for s, e, name in hits
        if name in names
    ]
    extra = [m for m in extra if m.tokens]
    if not extra:
        return mentions
    old = mentions + extra  # alias_of of the new ones points into ``mentions``
    return _relist(old, sorted(old, key=lambda m: (m.start, -m.stop)))


def _normal(m: Mention) -> str:
    vocab = models().morph_vocab
    if m.name_hint:
        return m.name_hint
    if m.type == "ORG":
        cut = next((i for i, t in enumerate(m.tokens) if i and t.pos == "ADP"), None)
        if cut is not None:
            # a complement after a preposition keeps its case in the nominative name:
            # "совета при главном архитекторе" -> "совет при главном архитекторе"
            before = Mention(m.type, m.start, m.tokens[cut - 1].stop, m.tokens[:cut])
            return _normal(before) + _as_written(m.tokens[cut - 1 :])
        if len(m.tokens) > 1 and m.tokens[0].text[0].islower():
            # "мэрии Москвы" -> "мэрия Москвы", "японского правительства" -> "японское
            # правительство": the head noun and its adjectives, the rest as written
            head = next((i for i, t in enumerate(m.tokens) if t.pos in ("NOUN", "PROPN")), 0)
            return nominative_phrase([(t.text, t.feats or {}) for t in m.tokens], head)
        return str(syntax_normalize(vocab, m.tokens))
    name = str(normalize(vocab, m.tokens))
    if m.type == "PER":
        name = " ".join(_person_word(w, t) for w, t in zip(name.split(), m.tokens, strict=False))
    return name


def _as_written(tokens: list[DocToken]) -> str:
    """The text after ``tokens[0]`` with the spaces between the tokens as they were."""
    return "".join(" " * (t.start - prev.stop) + t.text for prev, t in itertools.pairwise(tokens))


def _person_word(word: str, tok: DocToken) -> str:
    """natasha leaves plural surnames alone ("Сафаровых"): make them singular nominative;
    and names it does not know ("Маехары"): decline them back when they end in ``-а``."""
    if not is_plural_surname(tok):
        if word.lower() != tok.text.lower() or not tok.text[:1].isupper():
            return word
        # only the genitive in -ы: a name in -у, -е, -ой may be indeclinable (``Шойгу``)
        lemma = declined_a_stem(tok.text) if tok.text.endswith("ы") else None
        return lemma.capitalize() if lemma else word
    best = parse_best(word, "Surn")
    if best is None:
        return word
    form = inflect(best, {"nomn", "sing", "masc"}) or inflect(best, {"nomn", "sing"})
    return form.capitalize() if form else word


def _split_shared_surname(doc: Doc, mentions: list[Mention]) -> None:
    """ "Зияддин и Гусейн Сафаровы": two persons, both "Сафаров"."""
    text = doc.text
    for a, b in itertools.pairwise(mentions):
        if a.type != "PER" or b.type != "PER" or len(a.tokens) != 1 or len(b.tokens) < 2:
            continue
        if not re.fullmatch(r"\s+и\s+", text[a.stop : b.start]):
            continue
        if not is_plural_surname(b.tokens[-1]):
            continue
        b.normal = _normal(b)
        surname = b.normal.split()[-1]
        a.name_hint = f"{_normal(a)} {surname}"


@dataclass
class _Group:
    type: str
    mentions: list[int]
    names: list[str]


def _group(mentions: list[Mention]) -> list[_Group]:
    groups: list[_Group] = []
    owner: dict[int, int] = {}
    by_name: dict[tuple[str, str], int] = {}
    for i, m in enumerate(mentions):
        key = (m.type, m.normal.lower())
        if m.alias_of is not None and m.alias_of in owner:
            g = owner[m.alias_of]
        elif key in by_name:
            g = by_name[key]
        else:
            g = len(groups)
            groups.append(_Group(m.type, [], []))
        groups[g].mentions.append(i)
        if m.normal not in groups[g].names:
            groups[g].names.append(m.normal)
        owner[i] = g
        by_name.setdefault(key, g)
    _merge_short_names(groups, mentions)
    return [g for g in groups if g.mentions]


def _merge_short_names(groups: list[_Group], mentions: list[Mention]) -> None:
    """Surname-only persons join the one full name ending with it; acronyms their expansion."""
    for g in groups:
        if not g.mentions:
            continue
        name = max(g.names, key=lambda n: len(n.split()))
        words = name.split()
        owners: list[_Group] = []
        for h in groups:
            if h is g or not h.mentions or h.type != g.type:
                continue
            full = max(h.names, key=lambda n: len(n.split()))
            if g.type == "PER" and len(words) == 1 and len(full.split()) > 1:
                if full.split()[-1].lower() == words[0].lower():
                    owners.append(h)
            elif (
                g.type == "ORG"
                and len(words) == 1
                and _is_acronym(words[0])
                and len(full.split()) > 1
                and _initials(full) == words[0].upper()
            ):
                owners.append(h)
        if len(owners) == 1:
            h = owners[0]
            h.mentions = sorted(h.mentions + g.mentions)
            h.names += [n for n in g.names if n not in h.names]
            g.mentions = []


def _canonical(g: _Group, mentions: list[Mention]) -> str:
    # The longest non-acronym name; an expansion beats its abbreviation.
    names = [n for n in g.names if not _is_acronym(n)] or g.names
    return max(names, key=lambda n: (len(n.split()), -names.index(n)))


def _salience(groups: list[_Group], mentions: list[Mention], length: int) -> list[float]:
    """Mentions weigh 1, plus 1 in the first sentence (the lead), plus up to 0.5 early on."""
    raw = []
    for g in groups:
        w = 0.0
        for i in g.mentions:
            m = mentions[i]
            w += 1.0 + (1.0 if m.sent == 0 else 0.0) + 0.5 * (1 - m.start / max(length, 1))
        raw.append(w)
    total = sum(raw) or 1.0
    sal = [round(w / total, 4) for w in raw]
    if sal:  # rounding residue onto the top entity so the article sums to exactly 1
        top = max(range(len(sal)), key=sal.__getitem__)
        sal[top] = round(sal[top] + 1.0 - sum(sal), 4)
    return sal


def _sentence_index(doc: Doc, mentions: list[Mention]) -> None:
    bounds = [(s.start, s.stop) for s in doc.sents]
    for m in mentions:
        for k, (s, e) in enumerate(bounds):
            if s <= m.start < e:
                m.sent = k
                break


def extract_entities(
    parsed: Parsed, offset: int, gazetteer: Gazetteer | None = None
) -> list[Entity]:
    """Group NER spans of the body into entities; offsets shifted by ``offset``.
    With a ``gazetteer``, names it knows are found where the tagger missed them."""
    doc = parsed.doc
    mentions = _mentions(doc, gazetteer)
    groups = _group(mentions)
    groups.sort(key=lambda g: mentions[g.mentions[0]].start)
    salience = _salience(groups, mentions, len(doc.text))
    group_of = {i: k for k, g in enumerate(groups) for i in g.mentions}
    names = [_canonical(g, mentions) for g in groups]
    role_mentions = [
        RoleMention(m.start, m.stop, m.type, group_of[i], names[group_of[i]])
        for i, m in enumerate(mentions)
        if i in group_of
    ]
    roles = find_roles(doc, role_mentions, len(groups))
    return [
        _entity(n, g, mentions, names[n - 1], sal, roles[n - 1], doc.text, offset)
        for n, (g, sal) in enumerate(zip(groups, salience, strict=True), 1)
    ]


def _mentions(doc: Doc, gazetteer: Gazetteer | None) -> list[Mention]:
    """The tagger's spans, corrected and completed step by step, each with its normal form."""
    mentions = _raw_mentions(doc)
    mentions = _fix_types(mentions)
    mentions = _places(doc, mentions)
    mentions = _lexicon_types(doc, mentions)
    mentions = _drop_things(doc, mentions)
    mentions = _drop_adjectives(doc, mentions)
    mentions = _known(doc, mentions, _lexicon())
    if gazetteer is not None and gazetteer.size:
        mentions = _known(doc, mentions, gazetteer)
    mentions = _own_surnames(doc, mentions)
    mentions = _quoted_orgs(doc, mentions)
    mentions = _latin_orgs(doc, mentions)
    mentions = _spread_orgs(doc, mentions)
    facilities(doc, mentions, _lem)
    chain_places(doc, mentions, _lem)
    mentions = _monuments(doc, mentions)
    mentions = _extend_orgs(doc, mentions)
    facility_names(mentions, _lem, _known_org)
    _sentence_index(doc, mentions)
    _split_shared_surname(doc, mentions)
    for m in mentions:
        m.normal = _normal(m)
    return mentions


def _entity(
    n: int,
    g: _Group,
    mentions: list[Mention],
    name: str,
    salience: float,
    roles: list[str],
    text: str,
    offset: int,
) -> Entity:
    etype: EntityType = g.type  # type: ignore[assignment]
    spans = sorted({(mentions[i].start, mentions[i].stop) for i in g.mentions})
    return Entity(
        key=f"e{n}",
        type=etype,
        name=name,
        salience=salience,
        mention_count=len(spans),
        roles=roles,
        geo=resolve(name, g.names) if etype == "LOC" else None,
        mentions=[TextSpan(s + offset, e + offset, text[s:e]) for s, e in spans],
        aliases=[a for a in g.names if a != name],
    )
