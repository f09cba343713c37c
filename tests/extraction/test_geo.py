"""Places: offline GeoNames resolution; ambiguous or non-places stay null."""

from __future__ import annotations

from service.extraction.geo import resolve
from service.extraction.models import Extraction


def geo_of(seed: Extraction, name: str):  # type: ignore[no-untyped-def]
    return next(e.geo for e in seed.entities if e.name == name)


def test_countries_resolve_with_capital_coordinates(seed: Extraction) -> None:
    az = geo_of(seed, "Азербайджан")
    assert az is not None
    assert (az.geonameid, az.country_code, az.feature) == (587116, "AZ", "country")
    assert round(az.lat) == 40 and round(az.lon) == 50  # Baku
    assert resolve("США").country_code == "US"  # type: ignore[union-attr]
    assert resolve("Россия").geonameid == resolve("РФ").geonameid == 2017370  # type: ignore[union-attr]


def test_cities_resolve_from_cyrillic_alternate_names(seed: Extraction) -> None:
    grozny = geo_of(seed, "Грозный")
    assert grozny is not None
    assert (grozny.geonameid, grozny.country_code, grozny.feature) == (558418, "RU", "city")
    assert geo_of(seed, "Екатеринбург").geonameid == 1486209  # type: ignore[union-attr]
    assert geo_of(seed, "Баку").country_code == "AZ"  # type: ignore[union-attr]


def test_region_points_at_its_centre_without_an_id(seed: Extraction) -> None:
    odesa = geo_of(seed, "Одесская область")
    assert odesa is not None
    assert (odesa.geonameid, odesa.country_code, odesa.feature) == (None, "UA", "region")


def test_unknown_or_historical_places_are_null(seed: Extraction) -> None:
    assert geo_of(seed, "СССР") is None
    assert resolve("Неведомск") is None


def test_people_and_organisations_have_no_geo(seed: Extraction) -> None:
    assert all(e.geo is None for e in seed.entities if e.type != "LOC")
