"""The article viewer in a real browser: marks match the API, nothing leaves the machine."""

from __future__ import annotations

import os
from typing import Any

import httpx

from tests.ui.conftest import Live, OpenPage

SCREENSHOT = os.environ.get("NEWSMETA_SCREENSHOT")


async def api(live: Live, path: str) -> Any:
    async with httpx.AsyncClient(base_url=live.url, timeout=30) as client:
        r = await client.get(path, headers={"Authorization": f"Bearer {live.read_key}"})
        assert r.status_code == 200, r.text
        return r.json()


async def seed_results(live: Live) -> dict[str, Any]:
    base = f"/v1/articles/{live.seed_id}"
    return {
        "entities": (await api(live, f"{base}/entities?limit=500"))["items"],
        "events": (await api(live, f"{base}/events?limit=500"))["items"],
        "sources": await api(live, f"{base}/sources?limit=500"),
    }


async def wait_ready(opened: Any) -> None:
    await opened.page.wait_for_selector("body[data-ready=true]", timeout=30_000)


async def test_the_viewer_asks_for_a_key_when_keys_are_on(live: Live, open_page: OpenPage) -> None:
    opened = await open_page(f"{live.url}/ui/articles/{live.seed_id}")
    page = opened.page

    await page.wait_for_selector("#key-form:not([hidden])")
    assert await page.locator("#text").count() == 0  # no data without a key
    await page.fill("#key-input", live.read_key)
    await page.press("#key-input", "Enter")
    await wait_ready(opened)
    assert await page.locator("#key-form").is_hidden()

    assert await page.locator("#text mark").count() > 0
    stored = await page.evaluate("sessionStorage.getItem('newsmeta.key')")
    assert stored == live.read_key
    assert await page.evaluate("localStorage.length") == 0
    assert await page.evaluate("document.cookie") == ""


async def test_the_viewer_marks_every_mention_event_and_statement_of_the_seed(
    live: Live, open_page: OpenPage
) -> None:
    opened = await open_page(
        f"{live.url}/ui/articles/{live.seed_id}",
        key=live.read_key,
        viewport={"width": 1280, "height": 900},
    )
    await wait_ready(opened)
    page = opened.page
    results = await seed_results(live)
    text = (await api(live, f"/v1/articles/{live.seed_id}"))["text"]

    # One mark per mention / event / statement; a mark cut into pieces counts once.
    def whole(attribute: str) -> str:
        return f"#text mark[{attribute}]:not([data-continued])"

    mentions = sum(len(e["mentions"]) for e in results["entities"])
    assert await page.locator(whole("data-entity-id")).count() == mentions
    assert await page.locator(whole("data-event-id")).count() == len(results["events"])
    assert await page.locator(whole("data-statement")).count() == len(results["sources"]["items"])
    for e in results["entities"]:
        marks = page.locator(f'#text mark[data-entity-id="{e["id"]}"]:not([data-continued])')
        assert await marks.count() == len(e["mentions"]), e["name"]
    # The text in the page is the article's text, character for character.
    assert await page.locator("#text").text_content() == text
    # Each mark holds the text of its span.
    for ev in results["events"]:
        mark = page.locator(f'#text mark[data-event-id="{ev["id"]}"]')
        assert "".join(await mark.all_text_contents()) == ev["trigger"]["text"]
    for s in results["sources"]["items"]:
        mark = page.locator(f'#text mark[data-statement="{s["id"]}"]')
        assert "".join(await mark.all_text_contents()) == s["quote"]["text"]

    # Beside the text: every entity, event and statement listed.
    assert await page.locator("#entities li").count() == len(results["entities"])
    assert await page.locator("#events li").count() == len(results["events"])
    assert await page.locator("#sources li").count() == len(results["sources"]["items"])
    assert "moscowtimes.ru" in await page.locator("aside").inner_text()
    for ev in results["events"]:
        item = await page.locator(f'#events li[data-event-id="{ev["id"]}"]').inner_text()
        assert ev["type"] in item and ev["trigger"]["text"] in item
        assert ("negated" in item) == (ev["polarity"] == "negative"), item
        assert ("hypothetical" in item) == (ev["modality"] == "hypothetical"), item
        for p in ev["participants"]:
            assert p["name"] in item
        if ev["location"]:
            assert ev["location"]["name"] in item
        if ev["date"]:
            assert ev["date"]["text"] in item
    for e in results["entities"]:
        item = await page.locator(f'#entities li[data-entity-id="{e["id"]}"]').inner_text()
        assert all(role in item for role in e["roles"]), item
        if e["geo"] and e["geo"]["geonameid"]:
            assert str(e["geo"]["geonameid"]) in item
    for st in results["sources"]["items"]:
        item = await page.locator(f'#sources li[data-statement="{st["id"]}"]').inner_text()
        assert st["speaker"]["name"] in item and st["quote"]["text"] in item

    assert opened.outside == [], f"requests left the machine: {opened.outside}"
    assert all(url.startswith(live.url) for url in opened.requests), opened.requests
    assert opened.failed == []


async def test_hovering_an_entity_lights_its_mentions_and_quotes(
    live: Live, open_page: OpenPage
) -> None:
    opened = await open_page(
        f"{live.url}/ui/articles/{live.seed_id}",
        key=live.read_key,
        viewport={"width": 1280, "height": 860},
    )
    await wait_ready(opened)
    page = opened.page
    assert await page.locator("#key-form").is_hidden()
    results = await seed_results(live)
    peskov = next(e for e in results["entities"] if e["name"] == "Дмитрий Песков")
    quotes = [s for s in results["sources"]["items"] if s["speaker"]["entity_id"] == peskov["id"]]
    assert quotes

    await page.hover(f'#entities li[data-entity-id="{peskov["id"]}"]')

    lit_mentions = page.locator(f'#text mark.lit[data-entity-id="{peskov["id"]}"]')
    assert await lit_mentions.count() == len(peskov["mentions"])
    lit_quotes = page.locator(f'#text mark.lit[data-speaker-id="{peskov["id"]}"]')
    assert await lit_quotes.count() >= len(quotes)
    others = page.locator(f'#text mark.lit[data-entity-id]:not([data-entity-id="{peskov["id"]}"])')
    assert await others.count() == 0
    if SCREENSHOT:  # the README's picture: NEWSMETA_SCREENSHOT=docs/viewer.png
        await page.screenshot(path=SCREENSHOT)

    # Hovering a mention in the text does the same; clicking pins it.
    putin = next(e for e in results["entities"] if e["name"] == "Владимир Путин")
    first = page.locator(f'#text mark[data-entity-id="{putin["id"]}"]').first
    await first.click()
    await page.mouse.move(1, 1)
    lit = page.locator(f'#text mark.lit[data-entity-id="{putin["id"]}"]')
    assert await lit.count() == len(putin["mentions"])
    assert await page.locator(f'#text mark.lit[data-entity-id="{peskov["id"]}"]').count() == 0


async def test_marks_and_list_items_are_reachable_by_keyboard(
    live: Live, open_page: OpenPage
) -> None:
    opened = await open_page(f"{live.url}/ui/articles/{live.seed_id}", key=live.read_key)
    await wait_ready(opened)
    page = opened.page

    item = page.locator("#entities li").first
    await item.focus()
    entity_id = await item.get_attribute("data-entity-id")
    assert await page.locator(f'#text mark.lit[data-entity-id="{entity_id}"]').count() > 0
    focusable = await page.evaluate(
        "[...document.querySelectorAll('#text mark:not([data-continued]), aside li')]"
        ".every(e => e.tabIndex === 0)"
    )
    assert focusable


async def test_the_index_lists_articles_and_processes_a_pasted_one(
    live: Live, open_page: OpenPage
) -> None:
    opened = await open_page(f"{live.url}/ui", key=live.write_key)
    page = opened.page
    await page.wait_for_selector("#articles:not([hidden])")
    assert await page.locator(f'#articles a[href="/ui/articles/{live.seed_id}"]').count() == 1

    await page.fill(
        "#paste-text",
        "date 2025-10-01 Министр финансов Антон Силуанов заявил, что бюджет будет исполнен."
        " (example.org)",
    )
    await page.click("#paste-form button")
    await page.wait_for_url(f"{live.url}/ui/articles/*", timeout=60_000)
    await wait_ready(opened)

    names = await page.locator("#entities li strong").all_text_contents()
    assert "Антон Силуанов" in names
    assert await page.locator("#sources li").count() == 1
    assert opened.outside == []


async def test_a_read_key_cannot_submit_and_the_page_says_why(
    live: Live, open_page: OpenPage
) -> None:
    opened = await open_page(f"{live.url}/ui", key=live.read_key)
    page = opened.page
    await page.wait_for_selector("#articles:not([hidden])")

    await page.fill("#paste-text", "Песков ничего не сказал.")
    await page.click("#paste-form button")

    await page.wait_for_selector("#key-form:not([hidden])")
    assert "scope 'read'" in await page.locator("#key-message").inner_text()


async def test_ui_pages_load_no_outside_resource_and_forbid_it(live: Live) -> None:
    async with httpx.AsyncClient(base_url=live.url) as client:
        for path in ("/ui", f"/ui/articles/{live.seed_id}"):
            r = await client.get(path)
            assert r.status_code == 200
            assert "default-src 'none'" in r.headers["content-security-policy"]
            assert "http://" not in r.text and "https://" not in r.text
        fragment = await client.get(f"/ui/articles/{live.seed_id}/fragment")
        assert fragment.status_code == 401
        assert fragment.headers["content-type"].startswith("application/problem+json")
