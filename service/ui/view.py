"""What the viewer shows for one article: the marked-up text and the lists beside it. Pure."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup, escape

from service.exports import ArticleBundle, event_name
from service.schemas import EntityOut, EventOut, StatementOut
from service.ui.marks import Mark, MarkSpan, Node, nest

TYPE_NAMES = {"PER": "person", "ORG": "organisation", "LOC": "place"}
# On equal spans: the statement outside, then the entity, then the event trigger.
_RANK = {"statement": 0, "entity": 1, "event": 2}


def spans(bundle: ArticleBundle) -> tuple[list[MarkSpan], dict[str, dict[str, str]]]:
    """A span per entity mention, event trigger and statement, and each one's attributes."""
    out: list[MarkSpan] = []
    attrs: dict[str, dict[str, str]] = {}
    for e in bundle.entities:
        for m in e.mentions:
            key = f"m{len(out)}"
            out.append(MarkSpan(m.start, m.end, key, _RANK["entity"]))
            attrs[key] = {
                "class": f"ent ent-{e.type}",
                "data-entity-id": str(e.id),
                "title": f"{TYPE_NAMES[e.type]}: {e.name}",
            }
    for ev in bundle.events:
        key = f"e{len(out)}"
        out.append(MarkSpan(ev.trigger.start, ev.trigger.end, key, _RANK["event"]))
        attrs[key] = {
            "class": "ev" + (" neg" if ev.polarity == "negative" else ""),
            "data-event-id": str(ev.id),
            "title": f"event: {event_name(ev)}",
        }
    for s in bundle.sources.items:
        key = f"s{len(out)}"
        out.append(MarkSpan(s.quote.start, s.quote.end, key, _RANK["statement"]))
        attrs[key] = {
            "class": f"st st-{s.kind}",
            "data-statement": str(s.id),
            "title": f"{s.speaker.name} ({s.kind} speech)",
        }
        if s.speaker.entity_id is not None:
            attrs[key]["data-speaker-id"] = str(s.speaker.entity_id)
    return out, attrs


def marked_text(bundle: ArticleBundle) -> Markup:
    """The article text as HTML with one ``<mark>`` per mention, trigger and statement
    (pieces of a cut span carry ``data-part``; all but the first also ``data-continued``)."""
    found, attrs = spans(bundle)
    return _render(nest(bundle.article.text, found), attrs)


def _render(nodes: list[Node], attrs: dict[str, dict[str, str]]) -> Markup:
    html: list[str] = []
    for n in nodes:
        if not isinstance(n, Mark):
            html.append(escape(n.text))
            continue
        items = dict(attrs[n.span.key], **{"data-mark": n.span.key})
        items["tabindex"] = "0" if n.part == 1 else "-1"
        if n.parts > 1:
            items["data-part"] = f"{n.part}/{n.parts}"
            if n.part > 1:
                items["data-continued"] = ""
        rendered = " ".join(f'{k}="{escape(v)}"' for k, v in items.items())
        html.append(f"<mark {rendered}>{_render(n.children, attrs)}</mark>")
    return Markup("".join(html))


def context(bundle: ArticleBundle) -> dict[str, Any]:
    """Everything the fragment template needs."""
    names = {e.id: e.name for e in bundle.entities}
    return {
        "article": bundle.article,
        "text": marked_text(bundle) if bundle.article.status == "done" else None,
        "entities": sorted(bundle.entities, key=lambda e: -e.salience),
        "events": [_event(ev, names) for ev in bundle.events],
        "outlet": bundle.sources.outlet,
        "statements": [_statement(s) for s in bundle.sources.items],
        "type_names": TYPE_NAMES,
        "counts": {
            "mentions": sum(len(e.mentions) for e in bundle.entities),
            "events": len(bundle.events),
            "statements": len(bundle.sources.items),
        },
    }


def place(e: EntityOut) -> str | None:
    geo = e.geo
    if geo is None:
        return None
    parts = []
    if geo.geonameid:
        parts.append(f"GeoNames {geo.geonameid}")
    if geo.country_code:
        parts.append(geo.country_code)
    if geo.lat is not None and geo.lon is not None:
        parts.append(f"{geo.lat:.2f}, {geo.lon:.2f}")
    return " · ".join(parts) or None


def _event(ev: EventOut, names: dict[Any, str]) -> dict[str, Any]:
    flags = []
    if ev.polarity == "negative":
        flags.append("negated")
    if ev.modality != "asserted":
        flags.append(ev.modality)
    date = None
    if ev.date is not None:
        date = ev.date.text
        if ev.date.start and ev.date.end:
            same = ev.date.start == ev.date.end
            span = str(ev.date.start) if same else f"{ev.date.start} – {ev.date.end}"
            date = f"{ev.date.text} ({span})"
    return {
        "id": ev.id,
        "type": f"{ev.type}/{ev.mode}" if ev.mode else ev.type,
        "trigger": ev.trigger.text,
        "flags": flags,
        "participants": [
            {"name": p.name, "role": p.role, "entity_id": p.entity_id} for p in ev.participants
        ],
        "place": ev.location.name if ev.location else None,
        "place_id": ev.location.entity_id if ev.location else None,
        "date": date,
    }


def _statement(s: StatementOut) -> dict[str, Any]:
    return {
        "id": s.id,
        "kind": s.kind,
        "quote": s.quote.text,
        "speaker": s.speaker.name,
        "speaker_type": s.speaker.type,
        "role": s.speaker.role,
        "speaker_id": s.speaker.entity_id,
    }
