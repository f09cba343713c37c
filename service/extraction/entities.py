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
from functools import cache
from importlib import resources

from natasha import Doc
from natasha.doc import DocToken
from natasha.norm import normalize, syntax_normalize

from service.extraction.gazetteer import Gazetteer, read_lexicon
from service.extraction.geo import resolve
from service.extraction.models import Entity, EntityType, TextSpan
from service.extraction.morph import declined_a_stem, nominative_phrase
from service.extraction.nlp import models
from service.extraction.parsed import Parsed
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
        if start >= stop:
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
    tokens = doc.tokens
    starts = [t.start for t in tokens]
    out = list(mentions)
    added: list[Mention] = []
    names: list[Mention] = []
    for q in _QUOTED.finditer(text):
        n_start, n_stop = _trim(text, q.start(1), q.end(1))
        name = text[n_start:n_stop]
        if not name or not (name[0].isupper() or name[0].isdigit()) or len(name.split()) > 6:
            continue
        i = bisect.bisect_left(starts, q.start())
        if i == 0 or i >= len(tokens) or tokens[i].start != q.start():
            continue
        cue = tokens[i - 1]
        if cue.text not in _LEGAL_FORMS and (
            cue.pos not in ("NOUN", "VERB") or _lem(cue) not in _QUOTE_CUES
        ):
            continue
        whole = [m for m in out if m.start <= cue.start and m.stop in (q.end(), n_stop)]
        if whole and whole[0].start < cue.start:
            # "Русской службе «Голоса Америки»": a name of its own around the quoted one;
            # it stays, the quoted organisation is added inside it
            whole = []
            outer = True
        else:
            outer = False
        crossing = [
            m
            for m in out
            if m not in whole
            and (m.start < n_start < m.stop or m.start < n_stop < m.stop)
            and not (outer and m.start <= cue.start and m.stop >= n_stop)
        ]
        if crossing:
            continue
        inside = [m for m in out if n_start <= m.start and m.stop <= n_stop]
        name_tokens = _tokens_in(doc, n_start, n_stop, starts)
        if not name_tokens:
            continue
        keep = (
            whole[0]
            if whole
            else next((m for m in inside if (m.start, m.stop) == (n_start, n_stop)), None)
        )
        if keep is None:
            keep = Mention("ORG", n_start, n_stop, name_tokens)
            added.append(keep)
        keep.type, keep.start, keep.stop, keep.tokens = "ORG", n_start, n_stop, name_tokens
        drop = {id(m) for m in whole[1:] + inside if m is not keep and m.type != "LOC"}
        out = [m for m in out if id(m) not in drop]
        names.append(keep)
    for m in names:
        added += _repeats(doc, m, out + added, starts)
    if not added and len(out) == len(mentions):
        return mentions
    out = sorted(out + added, key=lambda m: (m.start, -m.stop))
    return _relist(mentions, out)


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


def _plural_surname_only(m: Mention) -> bool:
    if len(m.tokens) != 1:
        return False
    return is_plural_surname(m.tokens[0])


def _is_gen(tok: DocToken) -> bool:
    return (tok.feats or {}).get("Case") == "Gen"


def _extend_orgs(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """Add "ORG + genitive place/org" and "org head + genitive place" mentions."""
    text = doc.text
    by_start = {m.start: m for m in mentions if m.type in ("LOC", "ORG")}
    ordered = sorted(mentions, key=lambda m: -m.start)  # right to left: chains build up
    extra: list[Mention] = []
    for m in ordered:
        if m.type != "ORG" or m.alias_of is not None:
            continue
        gap = re.match(r"[ \t]+", text[m.stop :])
        nxt = by_start.get(m.stop + (gap.end() if gap else 0)) if gap else None
        if nxt is not None and nxt.tokens and _is_gen(nxt.tokens[0]):
            # the head alone is not the name in factRuEval: "Конгресса" -> "Конгресса США"
            m.stop = nxt.stop
            m.tokens = m.tokens + nxt.tokens
            by_start[m.start] = m
    tokens = doc.tokens
    index = {t.start: i for i, t in enumerate(tokens)}
    taken = {(m.start, m.stop) for m in mentions}
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
    extra += _national_bodies(doc, mentions + extra)
    extra += _person_bodies(doc, mentions + extra)
    _extend_by_preposition(doc, mentions + extra)
    _extend_by_members(doc, mentions)
    if not extra:
        return mentions
    return _relist(mentions, sorted(mentions + extra, key=lambda m: (m.start, -m.stop)))


# "ГУ МЧС России по Санкт-Петербургу", "Следственный комитет при прокуратуре", "Совет при
# Президенте РФ": a territorial division or an attachment is part of the body's name.
_PREP_TAIL = re.compile(r"[ \t]+(по|при)[ \t]+")
_ATTACHED_TO = {"президент", "прокуратура", "правительство", "министерство", "мэрия", "губернатор"}


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
        elif tokens[i].pos in ("NOUN", "PROPN") and _lem(tokens[i]) in _ATTACHED_TO:
            stop = tokens[i].stop
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
    if not found:
        return mentions
    extra = [
        Mention(f.type, tokens[f.first].start, tokens[f.last].stop, tokens[f.first : f.last + 1])
        for f in found
    ]
    return _relist(mentions, sorted(mentions + extra, key=lambda m: (m.start, -m.stop)))


# A Latin-script name in Russian text that the tagger skipped is an organisation when
# something says so: an organisation noun before it ("телеканала World Fashion Channel"),
# or the organisation it spells in parentheses ("«Фольксваген» (Volkswagen)"); bare Latin
# words are mostly products ("Windows", "Android"), and so are all-capitals ones ("STS-124").
_LATIN_RUN = re.compile(
    r"(?<![\w@/.:-])[A-Za-z0-9][\w&'-]*"
    r"(?:[ \t]+(?:(?:of|and|the|to|for|de)[ \t]+)?[A-Z0-9][\w&'-]*)*"
)
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
        if not all(_LATIN_WORD.match(w) or w in _FUNCTION_WORDS for w in words):
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
    mentions = _raw_mentions(doc)
    mentions = _fix_types(mentions)
    mentions = _known(doc, mentions, _lexicon())
    if gazetteer is not None and gazetteer.size:
        mentions = _known(doc, mentions, gazetteer)
    mentions = _quoted_orgs(doc, mentions)
    mentions = _latin_orgs(doc, mentions)
    mentions = _extend_orgs(doc, mentions)
    _sentence_index(doc, mentions)
    _split_shared_surname(doc, mentions)
    for m in mentions:
        m.normal = _normal(m)
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
    text = doc.text
    entities: list[Entity] = []
    for n, (g, sal) in enumerate(zip(groups, salience, strict=True), 1):
        name = names[n - 1]
        etype: EntityType = g.type  # type: ignore[assignment]
        ms = sorted({(mentions[i].start, mentions[i].stop) for i in g.mentions})
        entities.append(
            Entity(
                key=f"e{n}",
                type=etype,
                name=name,
                salience=sal,
                mention_count=len(ms),
                roles=roles[n - 1],
                geo=resolve(name, g.names) if etype == "LOC" else None,
                mentions=[TextSpan(s + offset, e + offset, text[s:e]) for s, e in ms],
                aliases=[a for a in g.names if a != name],
            )
        )
    return entities
