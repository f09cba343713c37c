"""Time expressions, resolved against the article date.

A small hand-written parser: one regular expression per kind of expression over the body
text, longest match wins, then a resolver per kind. The parse is used only for two
context questions (is the clause in the future tense? is a deictic word inside reported
speech dated by the sentence?). natasha's yargy ``DatesExtractor`` was not used: it only
knows absolute dates and costs more than the rest of this module (see docs/events.md).

Rules (documented in docs/events.md):
- a day or month without a year takes the article's year, unless that lies after the
  article date and the clause is not in the future tense: then the previous year;
- ``начало``/``середина``/``конец`` of a year are its first quarter, middle third
  (May-August) and last quarter; of a month, its thirds (1-10, 11-20, 21-end);
- ``в понедельник`` is the most recent Monday on or before the anchor date;
- ``вчера``/``сегодня``/``завтра`` inside a quote or a reported clause are dated by an
  absolute day date in the same sentence (``«... завтра ...», — сказал он 31 августа``),
  otherwise by the article date;
- seasons without a year are the latest one that began on or before the anchor;
  ``зимой 2024 года`` is December 2023 - February 2024;
- anything that needs the article date when there is none, or has no fixed reference
  (``на днях``), is kept with null start/end.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable, Iterable

import msgspec
from natasha.doc import DocToken

from service.extraction.models import DateValue, Span
from service.extraction.parsed import Parsed

_MONTHS: dict[str, int] = {
    "янв": 1,
    "фев": 2,
    "мар": 3,
    "апр": 4,
    "ма": 5,
    "июн": 6,
    "июл": 7,
    "авг": 8,
    "сен": 9,
    "окт": 10,
    "ноя": 11,
    "дек": 12,
}
_MONTH = (
    r"(?:январ[ьяюе]|феврал[ьяюе]|март[ае]?|апрел[ьяюе]|ма[йяюе]|июн[ьяюе]|июл[ьяюе]"
    r"|август[ае]?|сентябр[ьяюе]|октябр[ьяюе]|ноябр[ьяюе]|декабр[ьяюе])"
)
_YEAR_WORD = r"(?:\s*(?:года|году|год|г\.|г\b))"
_B = r"(?<![\w-])"  # a word start: no letter, digit or hyphen before
_E = r"(?![\w-])"
_WEEKDAYS = {
    "понедельник": 0,
    "вторник": 1,
    "среду": 2,
    "четверг": 3,
    "пятницу": 4,
    "субботу": 5,
    "воскресенье": 6,
}
_SEASONS = {"весн": 3, "лет": 6, "осен": 9, "зим": 12}
_DECADE_WORDS = {
    "двадцат": 20,
    "тридцат": 30,
    "сороков": 40,
    "пятидесят": 50,
    "шестидесят": 60,
    "семидесят": 70,
    "восьмидесят": 80,
    "девяност": 90,
}
_DEICTIC_DAYS = {"позавчера": -2, "вчера": -1, "сегодня": 0, "завтра": 1, "послезавтра": 2}
_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
_SPEECH = re.compile(
    r"(?:сказал|заявил|сообщил|рассказал|отметил|подчеркнул|уверял|уверил|говорил|пояснил"
    r"|добавил|написал|уточнил|заверил|признал)\w*",
    re.IGNORECASE,
)

Range = tuple[dt.date, dt.date]


class _Ctx(msgspec.Struct):
    """What a resolver may look at: the anchor date and whether the clause is future."""

    anchor: dt.date | None
    future: bool


Resolver = Callable[[re.Match[str], _Ctx], Range | None]


def _g(m: re.Match[str], name: str) -> str:
    """A named group, or "" when the pattern has no such group or it did not match."""
    return m.groupdict().get(name) or ""


def _month(word: str) -> int:
    w = word.lower()
    for stem, number in _MONTHS.items():
        if w.startswith(stem):
            return number
    raise ValueError(word)


def _last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def _month_range(year: int, month: int) -> Range:
    return dt.date(year, month, 1), dt.date(year, month, _last_day(year, month))


def _year_for(month: int, day: int, ctx: _Ctx) -> int | None:
    """The year of a day-month given without one: the article's, or the one before."""
    if ctx.anchor is None:
        return None
    year = ctx.anchor.year
    if not ctx.future and (month, day) > (ctx.anchor.month, ctx.anchor.day):
        year -= 1
    return year


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _r_numeric(m: re.Match[str], ctx: _Ctx) -> Range | None:
    day, month, year = int(_g(m, "d")), int(_g(m, "m")), int(_g(m, "y"))
    if year < 100:
        year += 2000 if year < 50 else 1900
    date = _safe_date(year, month, day)
    return (date, date) if date else None


def _r_iso(m: re.Match[str], ctx: _Ctx) -> Range | None:
    date = _safe_date(int(_g(m, "y")), int(_g(m, "m")), int(_g(m, "d")))
    return (date, date) if date else None


def _r_day_month(m: re.Match[str], ctx: _Ctx) -> Range | None:
    month = _month(_g(m, "mon"))
    day = int(_g(m, "d"))
    day2 = int(_g(m, "d2")) if _g(m, "d2") else day
    year = int(_g(m, "y")) if _g(m, "y") else _year_for(month, day, ctx)
    if year is None:
        return None
    first, last = _safe_date(year, month, day), _safe_date(year, month, day2)
    return (first, last) if first and last and first <= last else None


def _r_month(m: re.Match[str], ctx: _Ctx) -> Range | None:
    month = _month(_g(m, "mon"))
    if _g(m, "y"):
        return _month_range(int(_g(m, "y")), month)
    if ctx.anchor is None:
        return None
    year = ctx.anchor.year
    if not ctx.future and month > ctx.anchor.month:
        year -= 1
    return _month_range(year, month)


def _part(first: dt.date, last: dt.date, part: str, by_quarter: bool) -> Range:
    """начало/середина/конец of a period: see the module docstring."""
    p = part.lower()
    if by_quarter:  # a year: quarters at the edges, May-August in the middle
        y = first.year
        if p.startswith("нач"):
            return dt.date(y, 1, 1), dt.date(y, 3, 31)
        if p.startswith("сер"):
            return dt.date(y, 5, 1), dt.date(y, 8, 31)
        return dt.date(y, 10, 1), dt.date(y, 12, 31)
    days = (last - first).days + 1
    third = days // 3
    if p.startswith("нач"):
        return first, first + dt.timedelta(days=third - 1)
    if p.startswith("сер"):
        return first + dt.timedelta(days=third), first + dt.timedelta(days=2 * third - 1)
    return first + dt.timedelta(days=2 * third), last


_REL_SHIFT = {
    "прошл": -1,
    "минувш": -1,
    "позапрошл": -2,
    "эт": 0,
    "текущ": 0,
    "нынешн": 0,
    "следующ": 1,
    "будущ": 1,
    "предстоящ": 1,
}


def _shift(word: str) -> int:
    w = word.lower()
    for stem in sorted(_REL_SHIFT, key=len, reverse=True):
        if w.startswith(stem):
            return _REL_SHIFT[stem]
    return 0


def _week(anchor: dt.date, shift: int) -> Range:
    monday = anchor - dt.timedelta(days=anchor.weekday()) + dt.timedelta(weeks=shift)
    return monday, monday + dt.timedelta(days=6)


def _add_months(year: int, month: int, shift: int) -> tuple[int, int]:
    index = year * 12 + month - 1 + shift
    return index // 12, index % 12 + 1


def _r_part(m: re.Match[str], ctx: _Ctx) -> Range | None:
    part = _g(m, "part")
    if _g(m, "mon"):
        month = _month(_g(m, "mon"))
        if _g(m, "y"):
            year = int(_g(m, "y"))
        elif ctx.anchor is None:
            return None
        else:
            year = ctx.anchor.year - (1 if month > ctx.anchor.month and not ctx.future else 0)
        return _part(*_month_range(year, month), part, by_quarter=False)
    if _g(m, "year"):
        year = int(_g(m, "year"))
        return _part(dt.date(year, 1, 1), dt.date(year, 12, 31), part, by_quarter=True)
    if ctx.anchor is None:
        return None
    shift = _shift(_g(m, "rel")) if _g(m, "rel") else 0
    unit = _g(m, "unit").lower()
    if unit.startswith("год"):
        year = ctx.anchor.year + shift
        return _part(dt.date(year, 1, 1), dt.date(year, 12, 31), part, by_quarter=True)
    if unit.startswith("мес"):
        return _part(
            *_month_range(*_add_months(ctx.anchor.year, ctx.anchor.month, shift)), part, False
        )
    return _part(*_week(ctx.anchor, shift), part, by_quarter=False)


def _r_year(m: re.Match[str], ctx: _Ctx) -> Range | None:
    first = int(_g(m, "y"))
    last = int(_g(m, "y2")) if _g(m, "y2") else first
    if not 1000 <= first <= last <= 2200:
        return None
    return dt.date(first, 1, 1), dt.date(last, 12, 31)


def _r_decade(m: re.Match[str], ctx: _Ctx) -> Range | None:
    if _g(m, "word"):
        stem = next(s for s in _DECADE_WORDS if _g(m, "word").lower().startswith(s))
        value = _DECADE_WORDS[stem]
    else:
        value = int(_g(m, "dec"))
    if value >= 100:
        start = value
    else:  # two digits: the latest such decade not after the anchor (or 20th century)
        start = 1900 + value
        if ctx.anchor is not None and 2000 + value <= ctx.anchor.year:
            start = 2000 + value
    if start % 10:
        return None
    return dt.date(start, 1, 1), dt.date(start + 9, 12, 31)


def _roman(text: str) -> int:
    total = 0
    for char, following in zip(text, [*text[1:], ""], strict=True):
        value = _ROMAN[char]
        total += -value if following and _ROMAN[following] > value else value
    return total


def _r_century(m: re.Match[str], ctx: _Ctx) -> Range | None:
    raw = _g(m, "c")
    number = int(raw) if raw.isdigit() else _roman(raw.upper())
    if not 1 <= number <= 22:
        return None
    return dt.date((number - 1) * 100 + 1, 1, 1), dt.date(number * 100, 12, 31)


def _r_deictic(m: re.Match[str], ctx: _Ctx) -> Range | None:
    if ctx.anchor is None:
        return None
    word = _g(m, "w").lower()
    if word == "накануне":
        if _g(m, "tail"):  # ``накануне выборов``: the eve of something unnamed here
            return None
        day = ctx.anchor - dt.timedelta(days=1)
    else:
        day = ctx.anchor + dt.timedelta(days=_DEICTIC_DAYS[word])
    return day, day


def _r_rel_week(m: re.Match[str], ctx: _Ctx) -> Range | None:
    if ctx.anchor is None:
        return None
    return _week(ctx.anchor, _shift(_g(m, "rel")))


def _r_rel_unit(m: re.Match[str], ctx: _Ctx) -> Range | None:
    if ctx.anchor is None:
        return None
    shift = _shift(_g(m, "rel"))
    if _g(m, "unit").lower().startswith("год"):
        year = ctx.anchor.year + shift
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    return _month_range(*_add_months(ctx.anchor.year, ctx.anchor.month, shift))


def _r_weekday(m: re.Match[str], ctx: _Ctx) -> Range | None:
    if ctx.anchor is None:
        return None
    target = _WEEKDAYS[_g(m, "wd").lower()]
    back = (ctx.anchor.weekday() - target) % 7
    if _g(m, "rel") and _shift(_g(m, "rel")) < 0 and back == 0:
        back = 7
    if ctx.future or (_g(m, "rel") and _shift(_g(m, "rel")) > 0):
        day = ctx.anchor + dt.timedelta(days=(target - ctx.anchor.weekday()) % 7 or 7)
    else:
        day = ctx.anchor - dt.timedelta(days=back)
    return day, day


def _r_season(m: re.Match[str], ctx: _Ctx) -> Range | None:
    stem = next(s for s in _SEASONS if _g(m, "s").lower().startswith(s))
    month = _SEASONS[stem]
    if _g(m, "y"):
        year = int(_g(m, "y")) - (1 if month == 12 else 0)
    elif ctx.anchor is None:
        return None
    else:
        year = ctx.anchor.year
        if dt.date(year, month, 1) > ctx.anchor:
            year -= 1
        shift = _shift(_g(m, "rel")) if _g(m, "rel") else 0
        if ctx.future and not _g(m, "rel"):
            shift = 0 if dt.date(year, month, 1) <= ctx.anchor < _season_end(year, month) else 1
        year += shift
    return dt.date(year, month, 1), _season_end(year, month)


def _season_end(year: int, month: int) -> dt.date:
    end_year, end_month = _add_months(year, month, 2)
    return dt.date(end_year, end_month, _last_day(end_year, end_month))


_UNIT_DAYS = {"д": 1, "сут": 1, "нед": 7, "мес": 30, "год": 365, "лет": 365}
_NUMBER_WORDS = {"два": 2, "две": 2, "три": 3, "четыре": 4, "пять": 5, "шесть": 6, "десять": 10}


def _r_ago(m: re.Match[str], ctx: _Ctx) -> Range | None:
    if ctx.anchor is None:
        return None
    raw = (_g(m, "n") or "1").lower()
    count = int(raw) if raw.isdigit() else _NUMBER_WORDS.get(raw, 1)
    unit = _g(m, "unit").lower()
    per = next(v for k, v in _UNIT_DAYS.items() if unit.startswith(k))
    if per >= 365:
        year = ctx.anchor.year - count
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    if per == 30:
        return _month_range(*_add_months(ctx.anchor.year, ctx.anchor.month, -count))
    day = ctx.anchor - dt.timedelta(days=count * per)
    return day, day


def _r_none(m: re.Match[str], ctx: _Ctx) -> Range | None:
    return None


_REL = (
    r"(?P<rel>прошл\w*|позапрошл\w*|минувш\w*|эт\w+|текущ\w*|нынешн\w*|следующ\w*|будущ\w*"
    r"|предстоящ\w*)"
)
_PATTERNS: list[tuple[str, Resolver, bool]] = [
    # (regex, resolver, deictic: dated by context rather than by the calendar)
    (r"(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4}|\d{2})", _r_numeric, False),
    (r"(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})", _r_iso, False),
    (
        rf"(?P<d>\d{{1,2}})(?:\s*[-–—]\s*(?P<d2>\d{{1,2}}))?\s+(?P<mon>{_MONTH})"
        rf"(?:\s+(?P<y>\d{{4}}){_YEAR_WORD}?)?",
        _r_day_month,
        False,
    ),
    (
        rf"(?:в\s+)?(?P<part>начале|середине|конце)\s+(?:(?P<mon>{_MONTH})(?:\s+(?P<y>\d{{4}})"
        rf"{_YEAR_WORD}?)?|(?P<year>\d{{4}}){_YEAR_WORD}|(?:{_REL}\s+)?(?P<unit>года|месяца|недели))",
        _r_part,
        False,
    ),
    (
        rf"(?:(?:в|во|с|до|к|после|по)\s+)?(?P<mon>{_MONTH})\s+(?P<y>\d{{4}}){_YEAR_WORD}?",
        _r_month,
        False,
    ),
    (rf"(?:в|во|с|до|к|после)\s+(?P<mon>{_MONTH})", _r_month, False),
    (
        r"(?:(?:в|с|до|к|после)\s+)?(?P<y>\d{4})(?:\s*[-–—]\s*(?P<y2>\d{4}))?"
        r"\s*(?:году|года|год|годах|годы|годов|гг\.|г\.)",
        _r_year,
        False,
    ),
    (
        r"(?:в\s+)?(?:(?P<dec>\d{2}|\d{4})-?(?:е|х|ые|ых)|(?P<word>(?:двадцат|тридцат|сороков"
        r"|пятидесят|шестидесят|семидесят|восьмидесят|девяност)(?:ые|ых)))"
        r"(?:\s+(?:годы|годах|годов|гг\.))?",
        _r_decade,
        False,
    ),
    (r"(?:в\s+)?(?P<c>[IVXLC]{1,5}|\d{1,2})\s+(?:веке|века|век)", _r_century, False),
    (
        r"(?P<w>позавчера|вчера|сегодня|послезавтра|завтра)",
        _r_deictic,
        True,
    ),
    (
        # ``накануне`` alone is the day before; ``накануне выборов`` is the eve of an event.
        r"(?P<w>накануне)(?P<tail>\s+(?!в\s|на\s)[а-яё]+(?:ов|ей|ий|ия|ы|и|а))?",
        _r_deictic,
        True,
    ),
    (rf"(?:на|в)\s+{_REL}\s+неделе", _r_rel_week, True),
    (rf"в\s+{_REL}\s+(?P<unit>году|месяце)", _r_rel_unit, True),
    (
        rf"(?:в|во)\s+(?:{_REL}\s+)?(?P<wd>понедельник|вторник|среду|четверг|пятницу|субботу"
        r"|воскресенье)",
        _r_weekday,
        True,
    ),
    (
        rf"(?:{_REL}\s+)?(?P<s>весной|летом|осенью|зимой)(?:\s+(?P<y>\d{{4}}){_YEAR_WORD}?)?",
        _r_season,
        True,
    ),
    (
        r"(?:(?P<n>\d{1,3}|два|две|три|четыре|пять|шесть|десять)\s+)?(?P<unit>дн\w*|день|сутки"
        r"|недел\w+|месяц\w*|год\w*|лет)\s+назад",
        _r_ago,
        True,
    ),
    (
        r"на\s+днях|в\s+ближайшее\s+время|в\s+ближайшие\s+(?:дни|недели|месяцы|годы)"
        r"|в\s+скором\s+времени",
        _r_none,
        True,
    ),
]
_COMPILED: list[tuple[re.Pattern[str], Resolver, bool]] = [
    (re.compile(_B + f"(?:{pattern})" + _E, re.IGNORECASE), resolver, deictic)
    for pattern, resolver, deictic in _PATTERNS
]
# Cheap pre-check: no digit and none of these words means no time expression.
_TRIGGER = re.compile(
    r"\d|январ|феврал|март|апрел|\bма[йяюе]\b|июн|июл|август|сентябр|октябр|ноябр|декабр"
    r"|вчера|сегодня|завтра|накануне|недел|году|месяц|понедельник|вторник|сред|четверг"
    r"|пятниц|суббот|воскресен|весн|лет|осен|зим|днях|ближайш|скором|век|десят|сороков"
    r"|девяност",
    re.IGNORECASE,
)


class _Match(msgspec.Struct):
    start: int
    end: int
    match: re.Match[str]
    resolver: Resolver
    deictic: bool


def _scan(text: str) -> list[_Match]:
    """All matches, longest first among overlapping ones, in text order."""
    found: list[_Match] = []
    for pattern, resolver, deictic in _COMPILED:
        for m in pattern.finditer(text):
            found.append(_Match(m.start(), m.end(), m, resolver, deictic))
    found.sort(key=lambda x: (-(x.end - x.start), x.start))
    taken: list[_Match] = []
    for cand in found:
        if all(cand.end <= t.start or cand.start >= t.end for t in taken):
            taken.append(cand)
    taken.sort(key=lambda x: x.start)
    return taken


def _inside(position: int, regions: Iterable[tuple[int, int]]) -> bool:
    return any(a <= position < b for a, b in regions)


def _is_future(doc_tokens: list[DocToken], start: int, by_id: dict[str, DocToken]) -> bool:
    """Whether the clause around the token at ``start`` speaks of the future."""
    token = next((t for t in doc_tokens if t.start <= start < t.stop), None)
    for _ in range(4):
        if token is None:
            return False
        if token.pos in ("VERB", "AUX"):
            break
        token = by_id.get(token.head_id)
    if token is None or token.pos not in ("VERB", "AUX"):
        return False
    if token.feats.get("Tense") == "Fut":
        return True
    return any(
        t.head_id == token.id and t.pos == "AUX" and t.feats.get("Tense") == "Fut"
        for t in doc_tokens
    )


def find_dates(parsed: Parsed, offset: int, published_at: dt.date | None) -> list[DateValue]:
    """Every time expression in the body, spans shifted by ``offset``."""
    doc = parsed.doc
    text = doc.text
    if not _TRIGGER.search(text):
        return []
    matches = _scan(text)
    if not matches:
        return []
    quotes = parsed.quote_regions()
    results: dict[int, DateValue] = {}
    sents = list(doc.sents)

    def sentence_of(position: int) -> object | None:
        return next((s for s in sents if s.start <= position < s.stop), None)

    def resolve(item: _Match, anchor: dt.date | None) -> DateValue:
        sent = sentence_of(item.start)
        future = False
        if sent is not None:
            tokens = sent.tokens  # type: ignore[attr-defined]
            future = _is_future(tokens, item.start, {t.id: t for t in tokens})
        value = item.resolver(item.match, _Ctx(anchor=anchor, future=future))
        first, last = value if value else (None, None)
        return DateValue(
            text=text[item.start : item.end],
            start=first,
            end=last,
            span=Span(item.start + offset, item.end + offset),
        )

    for item in matches:
        if not item.deictic:
            results[item.start] = resolve(item, published_at)
    for item in matches:
        if item.deictic:
            context = _context_anchor(item, matches, results, quotes, sentence_of(item.start), text)
            results[item.start] = resolve(item, context or published_at)
    return [results[m.start] for m in matches]


def _context_anchor(
    item: _Match,
    matches: list[_Match],
    results: dict[int, DateValue],
    quotes: list[tuple[int, int]],
    sent: object | None,
    text: str,
) -> dt.date | None:
    """The day a deictic word in reported speech refers from, when the sentence dates it."""
    if sent is None:
        return None
    s_start, s_stop = sent.start, sent.stop  # type: ignore[attr-defined]
    quoted = _inside(item.start, quotes)
    if not quoted and not _SPEECH.search(text, s_start, s_stop):
        return None
    for other in matches:
        if other.deictic or not s_start <= other.start < s_stop:
            continue
        if quoted and _inside(other.start, quotes):
            continue
        value = results[other.start]
        if value.start is not None and value.start == value.end:
            return value.start
    return None
