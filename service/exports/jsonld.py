"""schema.org JSON-LD of one article: a ``NewsArticle`` with its entities and quotations."""

from __future__ import annotations

import uuid
from typing import Any

from service.exports import (
    ArticleBundle,
    article_uri,
    body_text,
    entity_uri,
    geonames_uri,
    most_salient,
    statement_uri,
    word_count,
)
from service.schemas import EntityOut, SpeakerOut

MEDIA_TYPE = "application/ld+json"
_TYPES = {"PER": "Person", "ORG": "Organization", "LOC": "Place"}
# Who can be a Quotation's creator (schema.org: Person or Organization).
_SPEAKER_TYPES = {
    "person": "Person",
    "anonymous": "Person",
    "organization": "Organization",
    "media": "Organization",
}


def to_jsonld(bundle: ArticleBundle) -> dict[str, Any]:
    a = bundle.article
    body = body_text(a.text)
    doc: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "@id": article_uri(a.id),
        "identifier": str(a.id),
        "inLanguage": a.language,
        "dateCreated": a.created_at.isoformat(),
    }
    if a.title:
        doc["headline"] = a.title
    if a.url:
        doc["url"] = a.url
    if a.published_at is not None:
        doc["datePublished"] = a.published_at.isoformat()
    outlet = bundle.sources.outlet
    if outlet is not None:
        publisher: dict[str, Any] = {"@type": "Organization", "name": outlet.name}
        if outlet.domain:
            publisher["url"] = f"https://{outlet.domain}/"
        doc["publisher"] = publisher
    doc["articleBody"] = body
    doc["wordCount"] = word_count(body)
    about = most_salient(bundle.entities)
    nodes = {e.id: _entity(e) for e in bundle.entities}
    doc["about"] = [nodes[i] for i in nodes if i == about]
    doc["mentions"] = [node for i, node in nodes.items() if i != about]
    quotations = [_quotation(s.id, s.quote.text, s.speaker, nodes) for s in bundle.sources.items]
    if quotations:
        doc["hasPart"] = quotations
    return doc


def _entity(e: EntityOut) -> dict[str, Any]:
    node: dict[str, Any] = {"@type": _TYPES[e.type], "@id": entity_uri(e.id), "name": e.name}
    if e.roles:
        node["jobTitle" if e.type == "PER" else "description"] = "; ".join(e.roles)
    geo = e.geo
    if e.type == "LOC" and geo is not None:
        if geo.lat is not None and geo.lon is not None:
            node["geo"] = {"@type": "GeoCoordinates", "latitude": geo.lat, "longitude": geo.lon}
        if geo.geonameid:
            node["sameAs"] = geonames_uri(geo.geonameid)
        if geo.country_code:
            node["address"] = {"@type": "PostalAddress", "addressCountry": geo.country_code}
    return node


def _quotation(
    statement_id: uuid.UUID,
    text: str,
    speaker: SpeakerOut,
    nodes: dict[uuid.UUID, dict[str, Any]],
) -> dict[str, Any]:
    quote: dict[str, Any] = {
        "@type": "Quotation",
        "@id": statement_uri(statement_id),
        "text": text,
    }
    if speaker.entity_id is not None and speaker.entity_id in nodes:
        node = nodes[speaker.entity_id]
        # A place that speaks (``Азербайджан заявил``) is its government: an Organization.
        kind = node["@type"] if node["@type"] != "Place" else "Organization"
        creator: dict[str, Any] = {"@type": kind, "@id": node["@id"], "name": node["name"]}
    elif speaker.type in _SPEAKER_TYPES:
        creator = {"@type": _SPEAKER_TYPES[speaker.type], "name": speaker.name}
    else:  # a document speaks: the quotation is based on it
        quote["isBasedOn"] = {"@type": "CreativeWork", "name": speaker.name}
        return quote
    if speaker.role:
        creator["description"] = speaker.role
    quote["creator"] = creator
    return quote
