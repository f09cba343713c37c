"""Participants that are no named entity: described groups (``полиция``, ``протестующие``,
``неизвестный мужчина``, ``134 журналиста``), named by their phrase in the nominative.

A noun argument of an event is a group when its head is a group word of the lexicon, or an
animate plural noun (``журналисты``, ``рабочие``), or carries a number. The name is the head in
the nominative (its number kept), the adjectives before it agreeing with it, and a genitive
complement after it as written (``сотрудники уголовного розыска``, ``руководство Vestas``);
with a number the phrase is kept as written (``134 журналиста``: the count is the point),
except a count in words read in an oblique case (``двух активистов`` → ``два активиста``).
"""

from __future__ import annotations

from collections.abc import Callable

import pymorphy3

from service.extraction.lexicon import GROUP_NOUNS, NOT_GROUPS, QUANTITY_NOUNS
from service.extraction.morph import parses
from service.extraction.parsed import Tok
from service.extraction.roles import inflect

_CASES = {"Nom": "nomn", "Gen": "gent", "Dat": "datv", "Acc": "accs", "Ins": "ablt", "Loc": "loct"}
_NAME_TAGS = {"Name", "Surn", "Patr", "Geox", "Orgn", "Abbr"}

_APPROXIMATE = {"около", "более", "менее", "до", "свыше", "почти", "примерно", "порядка"}

Kids = Callable[[Tok], list[Tok]]
Lemma = Callable[[Tok], str]


def _parse(token: Tok, lemma: str) -> pymorphy3.analyzer.Parse | None:
    """The pymorphy reading of ``token`` with its lemma and, when known, its case/number."""
    feats = token.feats or {}
    want_case = _CASES.get(feats.get("Case", ""))
    want_num = {"Sing": "sing", "Plur": "plur"}.get(feats.get("Number", ""))
    best = None
    for p in parses(token.text.lower()):
        if p.normal_form.replace("ё", "е") != lemma:
            continue
        if p.tag.POS == "NOUN" and _NAME_TAGS & set(p.tag.grammemes):
            continue  # a name reading; ``украинскими`` (Geox) is still an adjective
        if (want_case is None or p.tag.case == want_case) and (
            want_num is None or p.tag.number == want_num
        ):
            return p
        best = best or p
    return best


def is_group(token: Tok, lemma: Lemma, kids: Kids) -> bool:
    """Does this argument head describe people (a group, or someone unnamed)?"""
    lem = lemma(token)
    if lem in NOT_GROUPS or token.pos not in ("NOUN", "ADJ", "VERB", "PROPN"):
        return False
    if lem in GROUP_NOUNS:
        return True
    if lem in QUANTITY_NOUNS:  # ``тысячи сторонников``, ``группа протестующих``
        return any(k.rel == "nmod" and is_group(k, lemma, kids) for k in kids(token))
    if token.pos != "NOUN":
        return False
    if any(k.rel.startswith("nummod") for k in kids(token)):
        return True
    if any(lemma(k) in GROUP_NOUNS for k in kids(token) if k.rel == "amod"):
        return True  # ``неизвестный мужчина``
    p = _parse(token, lem)
    return p is not None and "anim" in p.tag


def _nominative_surname(token: Tok, number: str) -> str:
    for p in parses(token.text.lower()):
        if {"Surn", "Name"} & set(p.tag.grammemes):
            form = inflect(p, {"nomn", number})
            if form:
                return form.capitalize()
    return token.text


def _nominative(token: Tok, lem: str, number: str, gender: str | None) -> str:
    p = _parse(token, lem)
    if p is None:
        return token.text
    want = {"nomn", number} | ({gender} if gender and number == "sing" else set())
    return inflect(p, want) or token.text


_SMALL_COUNTS = {"один": 1, "одна": 1, "два": 2, "две": 2, "оба": 2, "три": 3, "четыре": 4}


def _counted_nominative(number: Tok, head: Tok) -> str:
    """``двух активистов``, ``трем журналистам`` → ``два активиста``, ``три журналиста``: a
    count in words read in an oblique case, put in the nominative. Digits and counts already
    nominative stay as written (``84 журналиста``)."""
    written = f"{number.text} {head.text}"
    if number.text.isdigit() or (number.feats or {}).get("Case", "") in ("", "Nom"):
        return written
    nums = [p for p in parses(number.text.lower()) if "NUMR" in p.tag]
    numeral = (inflect(nums[0], {"nomn"}) or "") if nums else ""
    noun = next((p for p in parses(head.text.lower()) if "NOUN" in p.tag), None)
    if not numeral or noun is None:
        return written
    value = _SMALL_COUNTS.get(numeral, 5)
    agreed = noun.inflect({"nomn", "sing" if value == 1 else "plur"})
    agreed = agreed.make_agree_with_number(value) if agreed else None
    if agreed is None:
        return written
    if numeral in ("два", "две"):
        numeral = "две" if noun.tag.gender == "femn" else "два"
    return f"{numeral} {agreed.word}"


def group_name(
    token: Tok, tokens: list[Tok], index: dict[int, int], lemma: Lemma, kids: Kids
) -> str:
    """The nominative phrase naming the group headed by ``token``."""
    here = index[token.i]
    numbers = [k for k in kids(token) if k.rel.startswith("nummod")]
    if numbers:  # ``более 1000 человек``: as written
        return _counted_name(token, numbers, tokens, index, kids)
    lem = lemma(token)
    if lem in QUANTITY_NOUNS:  # the count in the nominative, its people as written
        counted = _quantity_name(token, lem, tokens, index, kids)
        if counted is not None:
            return counted
    head = _parse(token, lem)
    number = head.tag.number if head is not None and head.tag.number else "plur"
    gender = head.tag.gender if head is not None else None
    words: list[str] = []
    j = here - 1
    while j >= 0 and tokens[j].rel == "amod" and tokens[j].head == token.i:
        words.insert(0, _nominative(tokens[j], lemma(tokens[j]), number, gender).lower())
        j -= 1
    head_word = _nominative(token, lem, number, gender)
    words.append(head_word if token.text.isupper() and len(token.text) > 1 else head_word.lower())
    # A name in apposition (``братья Ямадаевы``), in the nominative plural.
    k = here + 1
    names = []
    while k < len(tokens) and tokens[k].head == token.i and tokens[k].pos == "PROPN":
        names.append(_nominative_surname(tokens[k], number))
        k += 1
    if names:
        return " ".join([*words, *names])
    end = _genitive_chain(token, tokens, index, kids, k - 1)
    words.extend(t.text for t in tokens[k : end + 1])
    return " ".join(words)


def _counted_name(
    token: Tok, numbers: list[Tok], tokens: list[Tok], index: dict[int, int], kids: Kids
) -> str:
    """A group with a number, as written (``около 30 рабочих``, ``10 членов азербайджанской
    диаспоры``), but a count in words in the nominative (``двух активистов``)."""
    first = min(index[n.i] for n in numbers)
    for n in numbers:
        first = min([first, *(index[k.i] for k in kids(n) if k.rel == "advmod")])
    if first and tokens[first - 1].text.lower() in _APPROXIMATE:
        first -= 1  # ``около 30 рабочих``
    end = index[token.i]  # and a genitive complement: ``10 членов азербайджанской диаспоры``
    while end + 1 < len(tokens) and tokens[end + 1].pos in ("ADJ", "NOUN", "PROPN"):
        nxt = tokens[end + 1]
        if nxt.rel not in ("nmod", "amod", "flat", "flat:name") or index.get(nxt.head) is None:
            break
        end += 1
    phrase = tokens[first : end + 1]
    if len(numbers) == 1 and phrase[0] is numbers[0] and phrase[-1] is token:
        return _counted_nominative(numbers[0], token)
    return " ".join(t.text for t in phrase)


def _quantity_name(
    token: Tok, lem: str, tokens: list[Tok], index: dict[int, int], kids: Kids
) -> str | None:
    """``группа активистов``, ``десятки журналистов``: the count noun in the nominative, its
    people as written; None when the count names no people after it."""
    here = index[token.i]
    people = [k for k in kids(token) if k.rel == "nmod" and index[k.i] > here]
    if not people:
        return None
    end = index[people[0].i]
    while end + 1 < len(tokens) and (
        tokens[end + 1].rel in ("nmod", "amod", "flat", "flat:name", "conj", "cc")
        and tokens[end + 1].pos not in ("PUNCT", "ADP")
    ):
        end += 1
    number = "plur" if (token.feats or {}).get("Number") == "Plur" else "sing"
    count = _nominative(token, lem, number, None).lower()
    return " ".join([count, *(t.text for t in tokens[here + 1 : end + 1])])


def _genitive_chain(
    token: Tok, tokens: list[Tok], index: dict[int, int], kids: Kids, end: int
) -> int:
    """Where the genitive complements of ``token`` end, each one's own genitive included
    (``организаторы захвата завода Visteon``, ``сотрудники мэрии Москвы``); ``end`` is the
    last word of the phrase so far. Up to three links, each within four words, no comma or
    preposition between."""
    for _ in range(3):
        genitive = [
            c
            for c in kids(token)
            if c.rel == "nmod" and (c.feats or {}).get("Case") == "Gen" and index[c.i] > end
        ]
        if not genitive:
            return end
        stop = index[genitive[0].i]
        if stop > end + 4 or any(t.pos in ("PUNCT", "ADP") for t in tokens[end + 1 : stop + 1]):
            return end
        end = stop
        while end + 1 < len(tokens) and tokens[end + 1].rel in ("flat", "flat:name", "amod"):
            end += 1
        if (
            end + 1 < len(tokens)
            and tokens[end + 1].pos == "PROPN"
            and tokens[end + 1].head == genitive[0].i
        ):
            end += 1  # ``завода Visteon``: a name in apposition
        token = genitive[0]
    return end


def is_person_name(token: Tok) -> bool:
    """A capitalised word pymorphy knows as a first name or surname (the recogniser missed)."""
    if not token.text[:1].isupper() or (token.feats or {}).get("Animacy") != "Anim":
        return False
    return any({"Name", "Surn"} & set(p.tag.grammemes) for p in parses(token.text.lower()))
