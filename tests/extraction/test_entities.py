"""Entities: one per referent, canonical nominative names, types the model gets wrong fixed."""

from __future__ import annotations

import math

from service.extraction.entities import extract_entities
from service.extraction.models import Entity, Extraction
from service.extraction.nlp import analyze


def by_name(entities: list[Entity], name: str) -> Entity:
    found = [e for e in entities if e.name == name]
    assert len(found) == 1, [e.name for e in entities]
    return found[0]


def entities_of(text: str) -> list[Entity]:
    return extract_entities(analyze(text), 0)


def test_surname_and_inflected_mentions_sit_under_the_full_name(seed: Extraction) -> None:
    putin = by_name(seed.entities, "Владимир Путин")
    assert putin.type == "PER"
    assert {m.text for m in putin.mentions} == {"Владимир Путин", "Путин"}
    aliyev = by_name(seed.entities, "Ильхам Алиев")
    assert "Алиева" in {m.text for m in aliyev.mentions}
    assert aliyev.mention_count == len(aliyev.mentions) >= 5
    assert "Алиев" in aliyev.aliases


def test_inflected_names_are_nominative(seed: Extraction) -> None:
    names = {e.name for e in seed.entities}
    assert {"Никол Пашинян", "Реджеп Тайип Эрдоган", "Москва", "Одесская область"} <= names


def test_brothers_sharing_one_plural_surname_are_two_persons(seed: Extraction) -> None:
    # "братья Зияддин и Гусейн Сафаровы": two people, each with the surname in the singular.
    assert by_name(seed.entities, "Зияддин Сафаров").type == "PER"
    assert by_name(seed.entities, "Гусейн Сафаров").type == "PER"
    # "Тела Сафаровых" names the family: it is not a third person (factRuEval does the same).
    assert not any("Сафаровых" in e.name or e.name == "Сафаровы" for e in seed.entities)


def test_abbreviation_in_parentheses_is_one_entity_with_an_alias(seed: Extraction) -> None:
    sco = by_name(seed.entities, "Шанхайская организация сотрудничества")
    assert sco.type == "ORG"
    assert sco.aliases == ["ШОС"]
    texts = [m.text for m in sco.mentions]
    # the name and the abbreviation are separate mentions, without the parentheses
    assert texts == ["Шанхайской организации сотрудничества", "ШОС", "ШОС"]


def test_abbreviation_later_in_text_joins_its_expansion() -> None:
    ents = entities_of(
        "Министры стран Европейского союза встретились в Брюсселе. "
        "Решение ЕС вступит в силу в марте."
    )
    eu = by_name(ents, "Европейский союз")
    assert eu.type == "ORG"
    assert "ЕС" in [m.text for m in eu.mentions]


def test_kremlin_is_an_organisation_and_the_net_is_no_entity(seed: Extraction) -> None:
    assert by_name(seed.entities, "Кремль").type == "ORG"
    assert not any(m.text == "Сети" for e in seed.entities for m in e.mentions)


def test_organisation_takes_its_genitive_country() -> None:
    ents = entities_of("Конгресс США одобрил закон, сообщила мэрия Москвы.")
    assert by_name(ents, "Конгресс США").type == "ORG"
    assert by_name(ents, "мэрия Москвы").type == "ORG"
    # the country stays an entity of its own
    assert by_name(ents, "США").type == "LOC"


def test_mentions_point_into_the_submitted_text(seed_text: str, seed: Extraction) -> None:
    for e in seed.entities:
        for m in e.mentions:
            assert seed_text[m.start : m.end] == m.text


def test_keys_follow_first_mention_and_salience_sums_to_one(seed: Extraction) -> None:
    assert [e.key for e in seed.entities] == [f"e{i}" for i in range(1, len(seed.entities) + 1)]
    firsts = [e.mentions[0].start for e in seed.entities]
    assert firsts == sorted(firsts)
    assert math.isclose(sum(e.salience for e in seed.entities), 1.0, abs_tol=1e-6)
    assert all(0 <= e.salience <= 1 for e in seed.entities)


def test_headline_people_are_the_most_salient(seed: Extraction) -> None:
    top = sorted(seed.entities, key=lambda e: -e.salience)[:3]
    assert {"Ильхам Алиев", "Владимир Путин"} <= {e.name for e in top}


def test_is_deterministic(seed_text: str) -> None:
    from service.extraction import extract

    a, b = extract(seed_text), extract(seed_text)
    assert a.entities == b.entities
