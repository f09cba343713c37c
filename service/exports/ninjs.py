"""IPTC ninjs (News in JSON) 3.1 and 2.2 of one article; schemas in ../shared/standards/ninjs/.

3.1 is built first; 2.2 is the same item with the 2.x property names (all lower case) and
without what 2.2 lacks (event ids).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, Literal

from service.exports import (
    ArticleBundle,
    article_uri,
    body_text,
    entity_uri,
    event_name,
    event_uri,
    geonames_uri,
    most_salient,
    word_count,
)
from service.schemas import EntityOut

Version = Literal["3.1", "2.2"]
SCHEMA_URI = {
    "3.1": "http://www.iptc.org/std/ninjs/ninjs-schema_3.1.json#",
    "2.2": "http://www.iptc.org/std/ninjs/ninjs-schema_2.2.json#",
}
_TO_22 = {
    "representationType": "representationtype",
    "firstCreated": "firstcreated",
    "versionCreated": "versioncreated",
    "contentCreated": "contentcreated",
    "contentType": "contenttype",
    "charCount": "charcount",
    "wordCount": "wordcount",
    "infoSources": "infosources",
    "altIds": "altids",
    "geoJSON": "geojson",
}


def to_ninjs(bundle: ArticleBundle, version: Version = "3.1") -> dict[str, Any]:
    item = _ninjs_31(bundle)
    return item if version == "3.1" else _as_22(item)


def _timestamp(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def _ninjs_31(bundle: ArticleBundle) -> dict[str, Any]:
    a = bundle.article
    body = body_text(a.text)
    item: dict[str, Any] = {
        "uri": article_uri(a.id),
        "standard": {"name": "ninjs", "version": "3.1", "schema": SCHEMA_URI["3.1"]},
        "type": "text",
        "representationType": "full",
        "language": a.language,
        "firstCreated": _timestamp(a.created_at),
        "versionCreated": _timestamp(a.processed_at or a.updated_at),
    }
    if a.published_at is not None:
        # ninjs wants a date-time; the article gives a day: its start, in UTC.
        item["contentCreated"] = f"{a.published_at.isoformat()}T00:00:00Z"
    if a.title:
        item["headlines"] = [{"role": "main", "value": a.title}]
    item["bodies"] = [
        {
            "role": "main",
            "contentType": "text/plain",
            "charCount": len(body),
            "wordCount": word_count(body),
            "value": body,
        }
    ]
    about = most_salient(bundle.entities)
    for field, kind in (("people", "PER"), ("organisations", "ORG"), ("places", "LOC")):
        found = [_entity(e, about) for e in bundle.entities if e.type == kind]
        if found:
            item[field] = found
    if bundle.events:
        item["events"] = [
            {
                "id": str(ev.id),
                "name": event_name(ev),
                "rel": "mentions",
                "uri": event_uri(ev.id),
                "literal": ev.type,
            }
            for ev in bundle.events
        ]
    sources = _info_sources(bundle)
    if sources:
        item["infoSources"] = sources
    alt = [{"role": "newsmeta", "value": str(a.id)}]
    if a.url:
        alt.append({"role": "url", "value": a.url})
    if a.external_id:
        alt.append({"role": "external-id", "value": a.external_id})
    item["altIds"] = alt
    return item


def _entity(e: EntityOut, about: uuid.UUID | None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "name": e.name,
        "rel": "about" if e.id == about else "mentions",
        "uri": entity_uri(e.id),
    }
    geo = e.geo
    if e.type == "LOC" and geo is not None and (geo.geonameid or geo.lat is not None):
        point = (
            {"type": "Point", "coordinates": [geo.lon, geo.lat]}
            if geo.lat is not None and geo.lon is not None
            else None
        )
        feature: dict[str, Any] = {
            "type": "Feature",
            "geometry": point,
            "properties": {"geonameid": geo.geonameid, "country_code": geo.country_code},
        }
        if geo.geonameid:
            feature["id"] = geonames_uri(geo.geonameid)
        out["geoJSON"] = feature
    return out


def _info_sources(bundle: ArticleBundle) -> list[dict[str, Any]]:
    """The outlet (publisher), then each quoted or cited speaker once, in order of first
    statement: ``quoted`` when any of their statements is direct or mixed, else ``cited``."""
    out: list[dict[str, Any]] = []
    outlet = bundle.sources.outlet
    if outlet is not None:
        entry = {"name": outlet.name, "role": "publisher"}
        if outlet.domain:
            entry["literal"] = outlet.domain
        out.append(entry)
    speakers: dict[object, dict[str, Any]] = {}
    for s in bundle.sources.items:
        key = s.speaker.entity_id or (s.speaker.name, s.speaker.type)
        role = "cited" if s.kind == "indirect" else "quoted"
        if key in speakers:
            if role == "quoted":
                speakers[key]["role"] = role
            continue
        entry = {"name": s.speaker.name, "role": role}
        if s.speaker.entity_id:
            entry["uri"] = entity_uri(s.speaker.entity_id)
        speakers[key] = entry
    return out + list(speakers.values())


def _as_22(item: dict[str, Any]) -> dict[str, Any]:
    def rename(value: Any, inside_geojson: bool = False) -> Any:
        if isinstance(value, list):
            return [rename(v, inside_geojson) for v in value]
        if isinstance(value, dict) and not inside_geojson:
            return {_TO_22.get(k, k): rename(v, k == "geoJSON") for k, v in value.items()}
        return value

    out: dict[str, Any] = rename(item)
    out["standard"] = {"name": "ninjs", "version": "2.2", "schema": SCHEMA_URI["2.2"]}
    for event in out.get("events", []):
        event.pop("id", None)  # 2.2 events have no id; the uri carries it
    return out
