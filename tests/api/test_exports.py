"""ninjs (3.1 and 2.2) and schema.org JSON-LD exports of processed articles.

ninjs items are validated against IPTC's own schema files in ../shared/standards/ninjs/, with
formats (uri, date-time) checked.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import jsonschema
import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from service.worker.runner import Worker
from tests.api.conftest import assert_problem, get_all, submit, submit_raw
from tests.conftest import SHARED, drain

NINJS = SHARED / "standards" / "ninjs"
# The ninjs schemas refer to https://geojson.org/schema/GeoJSON.json for places, which cannot
# be fetched here (no network in tests). This is its Point and Feature part, after RFC 7946.
_POSITION = {"type": "array", "minItems": 2, "items": {"type": "number"}}
_POINT = {
    "type": "object",
    "required": ["type", "coordinates"],
    "properties": {"type": {"const": "Point"}, "coordinates": _POSITION},
}
GEOJSON_SUBSET = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://geojson.org/schema/GeoJSON.json",
    "oneOf": [
        _POINT,
        {
            "type": "object",
            "required": ["type", "properties", "geometry"],
            "properties": {
                "type": {"const": "Feature"},
                "id": {"oneOf": [{"type": "number"}, {"type": "string"}]},
                "properties": {"oneOf": [{"type": "null"}, {"type": "object"}]},
                "geometry": {"oneOf": [{"type": "null"}, _POINT]},
            },
        },
    ],
}
QUIET_TEXT = (
    "Министр финансов Антон Силуанов заявил, что бюджет будет исполнен. «Мы справимся», — "
    "сказал Силуанов журналистам в Москве."
)


def ninjs_validator(version: str) -> Draft202012Validator:
    schema = json.loads((NINJS / f"ninjs-schema_{version}.json").read_text(encoding="utf-8"))
    assert jsonschema.validators.validator_for(schema) is Draft202012Validator
    registry: Registry = Registry().with_resource(
        GEOJSON_SUBSET["$id"], Resource.from_contents(GEOJSON_SUBSET)
    )
    return Draft202012Validator(
        schema, registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER
    )


def assert_valid_ninjs(item: dict[str, Any], version: str) -> None:
    errors = sorted(ninjs_validator(version).iter_errors(item), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors)


@pytest.fixture
async def seed_id(client: httpx.AsyncClient, worker: Worker, seed_text: str) -> str:
    r = await submit_raw(client, seed_text)
    assert r.status_code == 202, r.text
    assert await drain(worker) == 1
    return str(r.json()["id"])


async def results_of(client: httpx.AsyncClient, article_id: str) -> dict[str, Any]:
    sources = await client.get(f"/v1/articles/{article_id}/sources", params={"limit": 500})
    return {
        "entities": await get_all(client, f"/v1/articles/{article_id}/entities"),
        "events": await get_all(client, f"/v1/articles/{article_id}/events"),
        "sources": sources.json(),
    }


@pytest.mark.parametrize("version", ["2.2", "3.1"])
def test_the_validator_accepts_iptcs_examples_and_rejects_the_other_versions_names(
    version: str,
) -> None:
    other = {"2.2": "3.1", "3.1": "2.2"}[version]
    for example in sorted((NINJS / "examples").glob(f"{version}_*.json")):
        assert_valid_ninjs(json.loads(example.read_text(encoding="utf-8")), version)
    # 3.1 says versionCreated, 2.2 versioncreated: the schemas are strict about names.
    wrong = json.loads((NINJS / "examples" / f"{other}_004_simple_text_article.json").read_text())
    assert list(ninjs_validator(version).iter_errors(wrong))


@pytest.mark.parametrize("version", ["3.1", "2.2"])
async def test_the_seed_as_ninjs_is_valid_against_iptcs_schema(
    client: httpx.AsyncClient, seed_id: str, version: str
) -> None:
    params = {"version": version} if version != "3.1" else {}
    r = await client.get(f"/v1/articles/{seed_id}/ninjs", params=params)

    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/json")
    item = r.json()
    assert_valid_ninjs(item, version)
    assert item["uri"] == f"urn:newsmeta:article:{seed_id}"
    assert item["type"] == "text"
    assert item["language"] == "ru"
    assert item["standard"]["version"] == version
    created = "contentCreated" if version == "3.1" else "contentcreated"
    assert item[created] == "2025-09-03T00:00:00Z"
    assert "headlines" not in item  # the raw seed has no title


async def test_the_seed_ninjs_carries_body_entities_events_and_sources(
    client: httpx.AsyncClient, seed_id: str, seed_text: str
) -> None:
    item = (await client.get(f"/v1/articles/{seed_id}/ninjs")).json()
    api = await results_of(client, seed_id)

    (body,) = item["bodies"]
    assert body["contentType"] == "text/plain"
    assert body["value"].startswith("Президенты Азербайджана и России")
    assert body["value"].endswith("в составе СССР.")  # no date header, no (outlet) trailer
    assert body["value"] in seed_text
    assert body["charCount"] == len(body["value"])
    assert 300 < body["wordCount"] < 400

    by_type = {"PER": "people", "ORG": "organisations", "LOC": "places"}
    for e in api["entities"]:
        listed = [
            x for x in item[by_type[e["type"]]] if x["uri"] == f"urn:newsmeta:entity:{e['id']}"
        ]
        assert len(listed) == 1, e
        assert listed[0]["name"] == e["name"]
    assert sum(len(item[k]) for k in by_type.values()) == len(api["entities"])
    rels = [x["rel"] for k in by_type.values() for x in item[k]]
    assert rels.count("about") == 1 and set(rels) == {"about", "mentions"}
    top = max(api["entities"], key=lambda e: e["salience"])
    assert [x["name"] for k in by_type.values() for x in item[k] if x["rel"] == "about"] == [
        top["name"]
    ]

    baku = next(x for x in item["places"] if x["name"] == "Баку")
    geo = next(e for e in api["entities"] if e["name"] == "Баку")["geo"]
    assert baku["geoJSON"]["geometry"] == {"type": "Point", "coordinates": [geo["lon"], geo["lat"]]}
    assert baku["geoJSON"]["id"] == f"https://sws.geonames.org/{geo['geonameid']}/"

    assert len(item["events"]) == len(api["events"])
    for ninjs_event, event in zip(item["events"], api["events"], strict=True):
        assert ninjs_event["uri"] == f"urn:newsmeta:event:{event['id']}"
        assert event["type"] in ninjs_event["name"]
        assert event["trigger"]["text"] in ninjs_event["name"]
        assert ("negated" in ninjs_event["name"]) == (event["polarity"] == "negative")

    outlet, *speakers = item["infoSources"]
    assert outlet == {"name": "moscowtimes.ru", "role": "publisher", "literal": "moscowtimes.ru"}
    names = {s["speaker"]["name"] for s in api["sources"]["items"]}
    assert {s["name"] for s in speakers} == names
    peskov = next(s for s in speakers if s["name"] == "Дмитрий Песков")
    assert peskov["role"] == "quoted"
    assert peskov["uri"].startswith("urn:newsmeta:entity:")


@pytest.mark.parametrize("version", ["3.1", "2.2"])
async def test_an_article_without_date_or_title_is_valid_ninjs_too(
    client: httpx.AsyncClient, worker: Worker, version: str
) -> None:
    article = await submit(client, QUIET_TEXT)
    assert await drain(worker) == 1

    r = await client.get(f"/v1/articles/{article['id']}/ninjs", params={"version": version})

    assert r.status_code == 200, r.text
    item = r.json()
    assert_valid_ninjs(item, version)
    assert not {"contentCreated", "contentcreated", "headlines"} & set(item)
    assert [p["name"] for p in item["people"]] == ["Антон Силуанов"]
    sources = item["infoSources" if version == "3.1" else "infosources"]
    assert [s["name"] for s in sources] == ["Антон Силуанов"]  # no outlet given


@pytest.mark.parametrize("version", ["3.1", "2.2"])
async def test_title_url_and_external_id_go_to_headline_and_alternative_ids(
    client: httpx.AsyncClient, worker: Worker, version: str
) -> None:
    article = await submit(
        client,
        QUIET_TEXT,
        title="Силуанов: бюджет будет исполнен",
        url="https://example.org/news/1",
        external_id="wire-1",
        outlet="example.org",
        published_at="2025-10-01",
    )
    await drain(worker)

    item = (await client.get(f"/v1/articles/{article['id']}/ninjs?version={version}")).json()

    assert_valid_ninjs(item, version)
    assert item["headlines"] == [{"role": "main", "value": "Силуанов: бюджет будет исполнен"}]
    alt = {a["role"]: a["value"] for a in item["altIds" if version == "3.1" else "altids"]}
    assert alt == {
        "newsmeta": article["id"],
        "url": "https://example.org/news/1",
        "external-id": "wire-1",
    }


async def test_exports_of_an_unprocessed_article_are_a_conflict(client: httpx.AsyncClient) -> None:
    article = await submit(client, QUIET_TEXT)

    for path in ("ninjs", "jsonld"):
        r = await client.get(f"/v1/articles/{article['id']}/{path}")
        assert_problem(r, 409, "queued")


async def test_exports_of_an_unknown_article_are_not_found(client: httpx.AsyncClient) -> None:
    for path in ("ninjs", "jsonld"):
        r = await client.get(f"/v1/articles/00000000-0000-4000-8000-000000000000/{path}")
        assert_problem(r, 404)


async def test_an_unknown_ninjs_version_is_refused(client: httpx.AsyncClient, seed_id: str) -> None:
    r = await client.get(f"/v1/articles/{seed_id}/ninjs", params={"version": "1.0"})

    assert 400 <= r.status_code < 500
    assert r.headers["content-type"].startswith("application/problem+json")
    assert "version" in r.text


async def test_exports_need_a_key(anonymous: httpx.AsyncClient, seed_id: str) -> None:
    for path in ("ninjs", "jsonld"):
        assert_problem(await anonymous.get(f"/v1/articles/{seed_id}/{path}"), 401)


async def test_the_seed_as_json_ld_is_a_news_article_with_entities_and_quotations(
    client: httpx.AsyncClient, seed_id: str
) -> None:
    r = await client.get(f"/v1/articles/{seed_id}/jsonld")
    api = await results_of(client, seed_id)

    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/ld+json")
    doc = r.json()
    assert doc["@context"] == "https://schema.org"
    assert doc["@type"] == "NewsArticle"
    assert doc["@id"] == f"urn:newsmeta:article:{seed_id}"
    assert doc["datePublished"] == "2025-09-03"
    assert doc["inLanguage"] == "ru"
    assert doc["publisher"] == {
        "@type": "Organization",
        "name": "moscowtimes.ru",
        "url": "https://moscowtimes.ru/",
    }
    assert doc["articleBody"].startswith("Президенты Азербайджана")

    nodes = doc["about"] + doc["mentions"]
    assert len(doc["about"]) == 1
    assert sorted(n["@id"] for n in nodes) == sorted(
        f"urn:newsmeta:entity:{e['id']}" for e in api["entities"]
    )
    types = {"PER": "Person", "ORG": "Organization", "LOC": "Place"}
    for e in api["entities"]:
        node = next(n for n in nodes if n["@id"].endswith(e["id"]))
        assert node["@type"] == types[e["type"]] and node["name"] == e["name"]
        if e["geo"] and e["geo"]["lat"] is not None:
            assert node["geo"] == {
                "@type": "GeoCoordinates",
                "latitude": e["geo"]["lat"],
                "longitude": e["geo"]["lon"],
            }
    assert any("geo" in n for n in nodes if n["name"] == "Баку")

    quotations = doc["hasPart"]
    statements = api["sources"]["items"]
    assert [q["@type"] for q in quotations] == ["Quotation"] * len(statements)
    assert [q["text"] for q in quotations] == [s["quote"]["text"] for s in statements]
    for q, s in zip(quotations, statements, strict=True):
        if s["speaker"]["type"] == "document":  # «В Сети появилось видео, как …»
            assert q["isBasedOn"] == {"@type": "CreativeWork", "name": s["speaker"]["name"]}
            continue
        assert q["creator"]["name"] == s["speaker"]["name"]
        if s["speaker"]["entity_id"]:
            assert q["creator"]["@id"] == f"urn:newsmeta:entity:{s['speaker']['entity_id']}"
    peskov = [q for q in quotations if q.get("creator", {}).get("name") == "Дмитрий Песков"]
    assert peskov and all(q["creator"]["@type"] == "Person" for q in peskov)


async def test_json_ld_of_an_article_without_date_title_or_outlet_leaves_them_out(
    client: httpx.AsyncClient, worker: Worker
) -> None:
    article = await submit(client, QUIET_TEXT)
    await drain(worker)

    doc = (await client.get(f"/v1/articles/{article['id']}/jsonld")).json()

    assert not {"datePublished", "headline", "publisher", "url"} & set(doc)
    assert [n["name"] for n in doc["about"] + doc["mentions"] if n["@type"] == "Person"] == [
        "Антон Силуанов"
    ]
