"""Crafted multi-article cases for the corpus-wide registry, processed by the real extractor."""

from __future__ import annotations

from typing import Any

import httpx

from service.worker.runner import Worker
from tests.conftest import drain

TEXT_PLAIN = {"Content-Type": "text/plain; charset=utf-8"}

PESKOV_BAKU = (
    "date 2025-09-03 Пресс-секретарь президента Дмитрий Песков заявил журналистам, что "
    "Владимир Путин проведет переговоры с Ильхамом Алиевым в Баку. «Встреча состоится в "
    "ближайшие дни», — сказал Песков. (ria.ru)"
)
PESKOV_SCO = (
    "date 2025-09-05 Песков сообщил, что Путин примет участие в саммите ШОС. «Президент готов "
    "к диалогу», — отметил Песков. (tass.ru)"
)
SCO_EXPANDED = (
    "date 2025-09-06 Лидеры стран Шанхайской организации сотрудничества собрались в Тяньцзине. "
    "Гейдар Алиев когда-то посещал этот город, напомнил историк Игорь Петров. (interfax.ru)"
)
ODESA = (
    "date 2025-07-10 В Одесской области российские войска нанесли удар по порту. Губернатор "
    "Одесской области Олег Кипер сообщил о пострадавших. В Одессе объявлена воздушная тревога. "
    "(kyivindependent.com)"
)
MFA_SHORT = (
    "date 2025-06-20 МИД России выразил протест в связи с задержанием журналистов в Баку. "
    "Официальный представитель МИД России Мария Захарова заявила, что Москва не будет вводить "
    "санкции против Азербайджана. «Мы надеемся на диалог», — сказала Захарова. (ria.ru)"
)
MFA_LONG = (
    "date 2025-06-25 Министерство иностранных дел Российской Федерации обвинило Украину в ударе "
    "по Одесской области. Как сообщает агентство Reuters, ракеты попали в склад. Захарова "
    "сказала, что ответ последует. (tass.ru)"
)


async def ingest(client: httpx.AsyncClient, worker: Worker, *texts: str) -> list[str]:
    """Submit raw articles one by one, process each before the next; their ids in order."""
    ids = []
    for text in texts:
        r = await client.post("/v1/articles", content=text.encode(), headers=TEXT_PLAIN)
        assert r.status_code == 202, r.text
        ids.append(r.json()["id"])
        assert await drain(worker) == 1
    return ids


async def get_all(client: httpx.AsyncClient, path: str, **params: Any) -> list[dict[str, Any]]:
    """Every item of a paged list, following next_cursor."""
    items: list[dict[str, Any]] = []
    cursor = None
    while True:
        r = await client.get(path, params={**params, **({"cursor": cursor} if cursor else {})})
        assert r.status_code == 200, r.text
        page = r.json()
        items += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            return items


async def find(client: httpx.AsyncClient, q: str, type: str) -> list[dict[str, Any]]:
    return await get_all(client, "/v1/entities", q=q, type=type)


async def one(client: httpx.AsyncClient, q: str, type: str) -> dict[str, Any]:
    found = await find(client, q, type)
    assert len(found) == 1, found
    return found[0]
