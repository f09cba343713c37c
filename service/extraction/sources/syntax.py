"""Noun phrases, subjects and source places on the parse: who a cue belongs to."""

from __future__ import annotations

import re

from service.extraction import speech as lx
from service.extraction.models import SpeakerType
from service.extraction.parsed import Tok
from service.extraction.sources.base import Ctx, _is_speech, _needs_place, _trim


def _subtree(ctx: Ctx, i: int, skip_rels: tuple[str, ...]) -> set[int]:
    out = {i}
    todo = [i]
    while todo:
        j = todo.pop()
        for c in ctx.children[j]:
            if c in out or ctx.toks[c].rel in skip_rels:
                continue
            out.add(c)
            todo.append(c)
    return out


def _np(ctx: Ctx, i: int) -> tuple[int, int]:
    """Character span of the noun phrase headed by token ``i`` (no clauses, no commas)."""
    toks = ctx.toks
    sub = _subtree(ctx, i, ("acl:relcl", "acl", "parataxis", "advcl", "ccomp", "punct"))
    lo = hi = i
    while lo - 1 in sub:
        lo -= 1
    while hi + 1 in sub:
        hi += 1
    last = ctx.sents[toks[i].sent].last
    # A parenthetical abbreviation or original name right after: «ООН (ФАО)».
    while hi + 1 < last and toks[hi + 1].text == "(":
        close = next((k for k in range(hi + 2, min(last, hi + 10)) if toks[k].text == ")"), -1)
        if close < 0:
            break
        hi = close
    seg = ctx.text[toks[lo].start : toks[hi].stop]
    if seg.count("«") > seg.count("»") and hi + 1 < last and toks[hi + 1].text == "»":
        hi += 1
    if seg.count("»") > seg.count("«") and lo > 0 and toks[lo - 1].text == "«":
        lo -= 1
    s, e = toks[lo].start, toks[hi].stop
    seg = ctx.text[s:e]
    if seg[:1] in '«"' and seg[-1:] in '»"' and seg.count("«") <= 1:
        s, e = s + 1, e - 1
    return _trim(ctx.text, s, e)


def _np_titled(ctx: Ctx, i: int) -> tuple[int, int]:
    """The noun phrase of ``i`` with a name in quotation marks right after it (``газета
    «Ведомости»``): the name is the source's."""
    s, e = _np(ctx, i)
    k = ctx.tok_at(e)
    while k < len(ctx.toks) and ctx.toks[k].stop <= e:
        k += 1
    if k < len(ctx.toks) and ctx.toks[k].start in ctx.quote_close:
        close = ctx.quote_close[ctx.toks[k].start]
        if "\n" not in ctx.text[e:close] and close - e < 60:
            return s, close + 1
    return s, e


def _agrees_with(verb: Tok, noun: Tok) -> bool:
    """Number agreement of a finite verb and its subject candidate (coordination allowed)."""
    vn = verb.feats.get("Number")
    nn = noun.feats.get("Number")
    if not vn or not nn or vn == nn:
        return True
    return vn == "Plur"  # «Лидер и премьер заявили»: a singular conjunct


def _nominative(t: Tok) -> bool:
    nominal = t.pos in ("NOUN", "PROPN", "PRON", "X") or t.lemma in lx.GROUP_WORDS
    return (nominal or _crowd(t)) and t.feats.get("Case", "Nom") == "Nom"


def _crowd(t: Tok) -> bool:
    """A participle used as a noun, naming a group (``присутствующие в зале``): no noun it
    modifies."""
    return (
        t.lemma in lx.CROWD_PARTICIPLES
        and t.feats.get("VerbForm") == "Part"
        and t.feats.get("Number") == "Plur"
        and t.rel not in ("amod", "acl")
    )


def _np_top(ctx: Ctx, i: int) -> int:
    """Climb name parts and appositions to the head of the noun phrase."""
    for _ in range(4):
        t = ctx.toks[i]
        if (
            t.rel in ("flat:name", "flat", "appos", "flat:foreign")
            and t.head >= 0
            and ctx.toks[t.head].pos in ("NOUN", "PROPN", "X")
            and abs(t.head - i) <= 4
        ):
            i = t.head
            continue
        break
    return i


_BOUNDARY = frozenset({"однако", "а", "но", "хотя", "когда", "если", "где", "который", "чтобы"})


def _subject(ctx: Ctx, v: int, depth: int = 0) -> int:
    """Subject of verb ``v``: an agreeing syntactic subject, else the nearest nominative
    noun phrase in the same clause (left, then right), else the governing verb's subject."""
    t = ctx.toks[v]
    if t.feats.get("VerbForm") == "Part":
        return _participle_agent(ctx, v)
    found = _syntactic_subject(ctx, v)
    if found >= 0:
        return found
    if depth < 2:
        found = _coordinated_subject(ctx, v, depth)
        if found != _UNDECIDED:
            return found
    found = _positional_subject(ctx, v, depth)
    if found != _UNDECIDED:
        return found
    found = _dative_controller(ctx, t)
    if found >= 0:
        return found
    if (
        depth < 2
        and t.rel in ("conj", "xcomp", "advcl")
        and t.head >= 0
        and ctx.toks[t.head].pos == "VERB"
    ):
        return _subject(ctx, t.head, depth + 1)
    return -1


def _dative_controller(ctx: Ctx, t: Tok) -> int:
    """``позволил аналитикам заявлять``, ``дало повод экспертам говорить``: an infinitive's
    speaker is the dative noun of the verb it depends on."""
    if t.feats.get("VerbForm") != "Inf" or t.head < 0:
        return -1
    for c in ctx.children[t.head]:
        ct = ctx.toks[c]
        if c < t.i and ct.pos in ("NOUN", "PROPN") and ct.feats.get("Case") == "Dat":
            if any(ctx.toks[a].rel == "case" for a in ctx.children[c]):
                continue  # «согласно сообщению»: a phrase, not the addressee
            if ct.feats.get("Animacy") == "Anim" or _noun_type(ctx, c) is not None:
                return c
    return -1


_UNDECIDED = -2  # a subject rule that does not apply: the next one is tried


def _participle_agent(ctx: Ctx, v: int) -> int:
    """``обещанный Авелем``: the instrumental agent; ``люди, требующие``: the noun."""
    t = ctx.toks[v]
    for c in ctx.children[v]:
        ct = ctx.toks[c]
        if ct.rel.startswith("obl") and ct.feats.get("Case") == "Ins" and ct.pos != "ADP":
            return c
    if t.rel in ("amod", "acl") and t.head >= 0 and t.feats.get("Voice") != "Pass":
        return t.head
    return -1


def _syntactic_subject(ctx: Ctx, v: int) -> int:
    t = ctx.toks[v]
    for c in ctx.children[v]:
        ct = ctx.toks[c]
        if not (
            ct.rel.startswith("nsubj")
            and ct.sent == t.sent
            and _agrees_with(t, ct)
            and not _quoted_words(ctx, ct)
        ):
            continue
        if c > v:
            ok = _clause_clear(ctx, v, c) and not _comma_between(ctx, v, c)
        else:
            ok = _clause_clear(ctx, c, v) or _insertion_between(ctx, c, v)
        if not ok:
            continue
        if c < v:
            # «Бывший спикер, Нэнси Пелоси, которая ..., отметила», «Конкурент X, Аарон
            # Гринспен, заявил»: the named apposition (set off by commas after a noun)
            clear = _clause_clear(ctx, c, v)
            for a in ctx.children[c]:
                at = ctx.toks[a]
                if at.rel != "appos" or at.pos != "PROPN" or a > v:
                    continue
                if not clear or (ct.pos == "NOUN" and _person_name(ctx, a)):
                    return a
        return _relative_antecedent(ctx, c)
    return -1


def _person_name(ctx: Ctx, a: int) -> bool:
    """A name NER tags as a person (not a titled organisation: «клуб «Спартак»»)."""
    ent = ctx.entity_at(ctx.toks[a].start, ctx.toks[a].stop)
    return ent is not None and ent.type == "PER"


def _quoted_words(ctx: Ctx, t: Tok) -> bool:
    """Inside a quotation that is more than a name: «Интерфакс» or «Новая газета» (short,
    capitalised, a noun) names the subject; a quoted sentence («Все под контролем») does not."""
    q = ctx.in_quote(t.start)
    if q is None:
        return False
    inner = ctx.text[q[0] + 1 : q[1]].strip()
    name = inner[:1].isupper() and len(inner.split()) <= 3 and not _WORD_END.search(inner)
    return not (name and t.pos in ("PROPN", "NOUN", "X"))


_WORD_END = re.compile(r"[.!?,:;]")


def _coordinated_subject(ctx: Ctx, v: int, depth: int) -> int:
    """«Алиев заявил, что ..., и назвал»: the subject of the agreeing verb it is coordinated
    with."""
    t = ctx.toks[v]
    sent = ctx.sents[t.sent]
    if v <= sent.first or ctx.toks[v - 1].low != "и":
        return _UNDECIDED
    for k in range(v - 2, sent.first - 1, -1):
        kt = ctx.toks[k]
        if kt.text in (".", ";", ":"):
            break
        if (
            kt.pos == "VERB"
            and kt.feats.get("VerbForm") == "Fin"
            and all(kt.feats.get(f) == t.feats.get(f) for f in ("Number", "Gender", "Tense"))
        ):
            return _subject(ctx, k, depth + 1)
    return _UNDECIDED


def _positional_subject(ctx: Ctx, v: int, depth: int) -> int:
    """Leftwards within the clause: the nearest agreeing nominative noun phrase."""
    t = ctx.toks[v]
    sent = ctx.sents[t.sent]
    k = v - 1
    while k >= sent.first:
        kt = ctx.toks[k]
        if kt.text in (".", ";", ":", "!", "?") or kt.low in _BOUNDARY:
            break
        if kt.pos in ("VERB", "AUX") and kt.feats.get("VerbForm") == "Fin":
            coordinated = t.rel == "conj" or ctx.toks[v - 1].low == "и"
            if not coordinated:
                break
            same = all(kt.feats.get(f) == t.feats.get(f) for f in ("Number", "Gender"))
            if same and depth < 2:
                return _subject(ctx, k, depth + 1)
            k -= 1  # a subordinate clause inside the coordination: skip its verb
            continue
        if (
            _nominative(kt)
            and _agrees_with(t, kt)
            and not _quoted_words(ctx, kt)
            and (k == 0 or ctx.toks[k - 1].pos != "ADP")
            and kt.lemma not in ("это", "что", "то", "себя")
        ):
            return _relative_antecedent(ctx, _np_top(ctx, k))
        k -= 1
    return _UNDECIDED


def _insertion_between(ctx: Ctx, a: int, b: int) -> bool:
    """Subject ``a`` and verb ``b`` are separated only by a comma-enclosed participial or
    relative insertion (``Врачи, лечащие больную, говорят``; ``Партия, которая ..., обещает``)."""
    if b - a < 3 or ctx.toks[b - 1].text != ",":
        return False
    k = a + 1
    while k < b and ctx.toks[k].rel in ("flat:name", "flat", "appos", "amod", "nmod", "det"):
        k += 1  # the rest of the subject's noun phrase
    if k >= b - 1 or ctx.toks[k].text != ",":
        return False
    return not any(
        ctx.toks[j].text in (".", ";", ":", "!", "?", "«", "»") or ctx.toks[j].text in lx.DASHES
        for j in range(k + 1, b - 1)
    )


def _comma_between(ctx: Ctx, a: int, b: int) -> bool:
    return any(ctx.toks[k].text == "," for k in range(a + 1, b))


def _clause_clear(ctx: Ctx, a: int, b: int) -> bool:
    """No finite verb or clause boundary between tokens ``a`` and ``b``."""
    for k in range(a + 1, b):
        kt = ctx.toks[k]
        if kt.text in (".", ";", ":") or kt.low in _BOUNDARY:
            return False
        if kt.pos in ("VERB", "AUX") and kt.feats.get("VerbForm") == "Fin":
            return False
    return True


def _relative_antecedent(ctx: Ctx, i: int) -> int:
    """``закон, согласно которому`` / ``люди, которые требовали``: the noun, not the pronoun."""
    if ctx.toks[i].lemma != "который":
        return i
    j = i
    for _ in range(4):
        t = ctx.toks[j]
        if t.rel == "acl:relcl" and t.head >= 0:
            return _typed_antecedent(ctx, t.head, ctx.toks[i])
        if t.head < 0:
            break
        j = t.head
    return i


def _typed_antecedent(ctx: Ctx, n: int, rel_pron: Tok) -> int:
    """``сторонники лунных проектов, которые``: the parser may hang the clause on the last
    genitive; the head noun it depends on is the antecedent when the pronoun agrees with it
    and not with the genitive."""
    t = ctx.toks[n]
    if t.rel != "nmod" or t.head < 0 or _noun_type(ctx, n) is not None:
        return n
    head = ctx.toks[head_i := t.head]
    number = rel_pron.feats.get("Number")
    if _noun_type(ctx, head_i) is not None and head.feats.get("Number") == number:
        return head_i
    return n


def _place_source(ctx: Ctx, v: int) -> int:
    """``пояснили в милиции``, ``говорится в докладе``: the named source place."""
    for c in ctx.children[v]:
        ct = ctx.toks[c]
        if not ct.rel.startswith("obl") or ct.pos not in ("NOUN", "PROPN", "PRON", "DET"):
            continue
        preps = [ctx.toks[k].low for k in ctx.children[c] if ctx.toks[k].rel == "case"]
        place = c
        if _needs_place(ctx.toks[v]):  # «заявление, в котором говорится»
            place = _relative_antecedent(ctx, c)
        if ctx.toks[place].pos not in ("NOUN", "PROPN"):
            continue
        if any(p in ("в", "на", "из") for p in preps) and _noun_type(ctx, place) is not None:
            return place
    return -1


def _noun_type(ctx: Ctx, i: int) -> SpeakerType | None:
    t = ctx.toks[i]
    lemma = t.lemma
    ent = ctx.entity_at(t.start, t.stop)
    if ent is not None:
        if ent.type == "PER":
            return "person"
        if _is_media_name(ent.name) or _is_media_name(t.text):
            return "media"
        return "organization"
    if "-" in lemma and not _known_noun(lemma):  # «интернет-издание», «пресс-секретарь»
        lemma = lemma.rsplit("-", 1)[1]
    if lemma in lx.MEDIA_NOUNS or _is_media_name(t.text):
        return "media"
    if lemma in lx.DOCUMENT_NOUNS:
        return "document"
    if lemma in lx.ORG_NOUNS:
        return "organization"
    if lemma in lx.ANONYMOUS_NOUNS or _crowd(t):
        return "anonymous"
    if lemma in lx.PERSON_TITLES:
        return "person"
    return None


def _known_noun(lemma: str) -> bool:
    lexicons = (lx.MEDIA_NOUNS, lx.DOCUMENT_NOUNS, lx.ORG_NOUNS, lx.ANONYMOUS_NOUNS)
    return any(lemma in words for words in (*lexicons, lx.PERSON_TITLES))


def _is_media_name(name: str) -> bool:
    low = name.lower().strip('«»"')
    for lead in ("the ", "иа ", "ia "):  # «The Guardian», «ИА Regnum»
        low = low.removeprefix(lead)
    if re.search(r"\.(ru|com|ua|net|org|su|рф)\b", low):
        return True
    for m in lx.MEDIA_NAMES:
        if low == m or low.startswith(m + " ") or (len(m) >= 4 and low.startswith(m)):
            return True
    return False


def _clause_end(ctx: Ctx, start: int, cue: int, stop: int) -> int:
    """Token index where reported content starting at token ``start`` ends (exclusive)."""
    toks = ctx.toks
    j = start
    while j < stop:
        t = toks[j]
        if t.text in (";",):
            return j
        if t.text == ":" and j + 1 < stop and toks[j + 1].text in '«“„"':
            return j
        if t.text == "," or t.text in lx.DASHES:
            k = j + 1
            while k < stop and (toks[k].text in lx.DASHES or toks[k].text == ","):
                k += 1
            if k < stop:
                nt = toks[k]
                # «..., — сказал X», «..., как сообщил X», «..., уточняет газета»
                if _is_speech(nt) and k != cue and _subject_after(ctx, k):
                    return j
                if nt.low == "как" and k + 1 < stop and _is_speech(toks[k + 1]):
                    return j
                if nt.low in ("и", "а") and k + 1 < stop and _conj_of(ctx, k + 1, cue):
                    return j
                if nt.low in _AUTHOR_TURN or _second_source(ctx, k, stop):
                    return j
                if nt.pos in ("VERB", "AUX") and _governs(ctx, k, cue):
                    return j  # «X, полагая, что Y, нанял Z»: the clause the cue hangs on
                if nt.feats.get("VerbForm") == "Conv" and (
                    nt.head == cue or (nt.head >= 0 and _governs(ctx, nt.head, cue))
                ):
                    return j  # «заявил, что Y, добавив …»: the speaker's next act
        if t.low == "и" and j + 1 < stop and _conj_of(ctx, j + 1, cue):
            return j
        j += 1
    return stop


def _governs(ctx: Ctx, k: int, cue: int) -> bool:
    """Token ``k`` is an ancestor of the cue: the cue sits in a relative, participial or
    adverbial clause of ``k``, so the content cannot run on into ``k``'s clause."""
    i = cue
    for _ in range(8):
        i = ctx.toks[i].head if i >= 0 else -1
        if i < 0:
            return False
        if i == k:
            return True
    return False


_AUTHOR_TURN = frozenset({"после", "однако", "хотя", "тогда"})


def _second_source(ctx: Ctx, k: int, stop: int) -> bool:
    """``X считает, что A, а Y (со ссылкой на Z) заявляет, что B``: a contrasting source
    with its own speech verb ends the first content."""
    toks = ctx.toks
    if toks[k].low not in ("а", "но"):
        return False
    for m in range(k + 1, min(stop, k + 14)):
        t = toks[m]
        if t.low in lx.COMPLEMENTIZERS or t.text in ".;:!?":
            return False
        if _is_speech(t) and t.feats.get("VerbForm") == "Fin":
            return k < _subject(ctx, m) < m
    return False


def _conj_of(ctx: Ctx, i: int, cue: int) -> bool:
    """Token ``i`` is a second predicate of the cue's subject (``заявил, что ..., и назвал``)."""
    t, c = ctx.toks[i], ctx.toks[cue]
    if t.pos != "VERB" or t.feats.get("VerbForm") != "Fin":
        return False
    if t.head == cue and t.rel == "conj":
        return True
    return all(t.feats.get(f) == c.feats.get(f) for f in ("Number", "Gender", "Tense"))


def _subject_after(ctx: Ctx, v: int) -> bool:
    subj = _subject(ctx, v)
    return subj > v or subj < 0


def _cites_source(ctx: Ctx, j: int, stop: int) -> bool:
    """The noun phrase from ``j`` names a source (outlet, agency, person, document)."""
    if j >= len(ctx.toks):
        return False
    for k in range(j, min(stop + 3, ctx.sents[ctx.toks[j].sent].last)):
        t = ctx.toks[k]
        if t.pos in ("NOUN", "PROPN"):
            return _noun_type(ctx, k) is not None
    return False


def _speaker_tok(ctx: Ctx, v: Tok) -> int:
    if v.lemma in lx.FROM_DOCUMENT:  # «из отчёта следует»; not «рейс, следовавший из города»
        src = _place_source(ctx, v.i) if v.feats.get("VerbForm") == "Fin" else -1
        return src if src >= 0 and _noun_type(ctx, src) in ("document", "media") else -1
    if _needs_place(v):  # «в докладе отмечается»: the place (or «контрактом»: the agent)
        if v.feats.get("VerbForm") == "Part":
            agent = _subject(ctx, v.i)
            if agent >= 0:
                return agent
        return _place_source(ctx, v.i)
    spk = _subject(ctx, v.i)
    if spk < 0:
        spk = _place_source(ctx, v.i)
    return spk


def _fallback_speaker(ctx: Ctx, v: Tok) -> int:
    """Elided subject: the nearest preceding nominative noun subject (this or last sentence)."""
    if v.feats.get("Number") == "Plur" and v.feats.get("Tense") == "Pres":
        return -1  # ``говорят, что``: indefinite-personal, no source
    sent_i = v.sent
    lo = ctx.sents[max(0, sent_i - 1)].first
    for k in range(v.i - 1, lo - 1, -1):
        t = ctx.toks[k]
        if t.rel.startswith("nsubj") and t.pos in ("NOUN", "PROPN", "PRON"):
            if ctx.in_quote(t.start):
                continue
            return _relative_antecedent(ctx, k)
    return -1
