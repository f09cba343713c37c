"""Roles: titles next to a name, nominative, lowercase except proper names."""

from __future__ import annotations

from service.extraction.entities import extract_entities
from service.extraction.models import Entity, Extraction
from service.extraction.parsed import parse


def roles(entities: list[Entity], name: str) -> list[str]:
    return next(e.roles for e in entities if e.name == name)


def test_descriptor_before_the_name(seed: Extraction) -> None:
    assert roles(seed.entities, "Дмитрий Песков") == ["спикер Кремля"]


def test_inflected_descriptor_is_put_in_the_nominative(seed: Extraction) -> None:
    # "с премьером Армении Николом Пашиняном"
    assert roles(seed.entities, "Никол Пашинян") == ["премьер Армении"]
    assert roles(seed.entities, "Реджеп Тайип Эрдоган") == ["президент Турции"]


def test_plural_title_is_distributed_over_coordinated_names(seed: Extraction) -> None:
    # "Президенты Азербайджана и России Ильхам Алиев и Владимир Путин"
    assert roles(seed.entities, "Ильхам Алиев") == ["президент Азербайджана"]
    assert roles(seed.entities, "Владимир Путин") == ["президент России"]


def test_possessive_pronoun_is_resolved_to_the_last_subject(seed: Extraction) -> None:
    # "Путин провел переговоры ... Его помощник Юрий Ушаков"
    assert roles(seed.entities, "Юрий Ушаков") == ["помощник Путина"]


def test_apposition_after_the_name() -> None:
    ents = extract_entities(
        parse("Об этом сообщил Сергей Лавров, министр иностранных дел России, в среду."), 0
    )
    assert roles(ents, "Сергей Лавров") == ["министр иностранных дел России"]


def test_kinship_and_case_mismatch_are_not_roles() -> None:
    ents = extract_entities(
        parse("Его брат Иван Петров приехал. Об этом рассказал журналистам Андрей Смирнов."), 0
    )
    assert roles(ents, "Иван Петров") == []  # kinship
    assert roles(ents, "Андрей Смирнов") == []  # "журналистам" (dative) is not his title


def test_organisations_and_places_have_no_roles(seed: Extraction) -> None:
    assert all(e.roles == [] for e in seed.entities if e.type != "PER")


def roles_in(text: str, name: str) -> list[str]:
    return roles(extract_entities(parse(text), 0), name)


def test_a_genitive_name_has_a_genitive_title() -> None:
    text = "Они требовали отставки мэра Москвы Юрия Лужкова, расследования его деятельности."
    assert roles_in(text, "Юрий Лужков") == ["мэр Москвы"]


def test_titles_of_titles_and_complements_with_prepositions_and_names() -> None:
    assert roles_in(
        "Татьяна Скригонюк, заместитель начальника пресс-службы МЧС по Санкт-Петербургу, "
        "сообщила это.",
        "Татьяна Скригонюк",
    ) == ["заместитель начальника пресс-службы МЧС по Санкт-Петербургу"]
    assert roles_in(
        "Посол Японии в России Масахару Коно будет снят с должности.", "Масахару Коно"
    ) == ["посол Японии в России"]
    assert roles_in(
        "Полузащитник футбольного клуба Челси Фрэнк Лэмпард снялся в фильме.", "Фрэнк Лэмпард"
    ) == ["полузащитник футбольного клуба Челси"]


def test_a_title_after_a_dash_or_a_copula() -> None:
    assert roles_in(
        "Андрей Санников — бывший заместитель министра иностранных дел Беларуси.",
        "Андрей Санников",
    ) == ["бывший заместитель министра иностранных дел Беларуси"]
    assert roles_in("Иван Петров был назначен послом России в Чехии.", "Иван Петров") == [
        "посол России в Чехии"
    ]


def test_a_preposition_is_not_a_title() -> None:
    # "после" has a reading as a form of "посол"
    text = "После поездки Дмитрий Медведев вернулся в Москву."
    assert roles_in(text, "Дмитрий Медведев") == []


def test_two_titles_before_one_name_separated_by_a_comma() -> None:
    text = (
        "В интервью выступил лидер Меджлиса крымско-татарского народа, народный депутат "
        "Украины Мустафа Джемилев."
    )
    assert roles_in(text, "Мустафа Джемилев") == [
        "народный депутат Украины",
        "лидер Меджлиса крымско-татарского народа",
    ]


def test_a_title_whose_complement_holds_another_title_reaches_the_name() -> None:
    ents = extract_entities(
        parse(
            "Министр встретился с заместителем министра иностранных дел Грузии Александром "
            "Налбандовым. Полпред президента РФ в Северо-Кавказском федеральном округе "
            "Александр Хлопонин поздравил его."
        ),
        0,
    )
    assert roles(ents, "Александр Налбандов") == ["заместитель министра иностранных дел Грузии"]
    assert roles(ents, "Александр Хлопонин") == [
        "полпред президента РФ в Северо-Кавказском федеральном округе"
    ]


def test_a_capitalised_title_is_a_title() -> None:
    ents = extract_entities(
        parse(
            "Глава государства Дмитрий Медведев и Председатель Правительства РФ Владимир Путин "
            "выразили соболезнования. Экс-председатель Верховного народного собрания КНДР "
            "Хван Чжан Еп бежал в Сеул."
        ),
        0,
    )
    assert roles(ents, "Владимир Путин") == ["председатель Правительства РФ"]
    assert roles(ents, "Хван Чжан Еп") == ["экс-председатель Верховного народного собрания КНДР"]


def test_a_capitalised_surname_that_is_also_a_noun_is_no_title() -> None:
    # "Волков" also reads "of wolves"; it is the name before "и Олег Кононенко"
    ents = extract_entities(
        parse("На станции останутся космонавты Сергей Волков и Олег Кононенко, которые вернутся."),
        0,
    )
    assert "волк" not in roles(ents, "Олег Кононенко")
