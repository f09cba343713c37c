"""The viewer's routes over HTTP: public pages without data, data behind the read key.

The browser behaviour (marks, highlighting, the key prompt) is in tests/ui/.
"""

from __future__ import annotations

import re

import httpx

from service.worker.runner import Worker
from tests.api.conftest import assert_problem, get_all, submit, submit_raw
from tests.conftest import drain


async def test_the_pages_load_without_a_key_and_forbid_other_origins(
    anonymous: httpx.AsyncClient,
) -> None:
    for path in ("/ui", "/ui/articles/00000000-0000-4000-8000-000000000000"):
        r = await anonymous.get(path)
        assert r.status_code == 200, path
        assert r.headers["content-type"].startswith("text/html")
        csp = r.headers["content-security-policy"]
        assert "default-src 'none'" in csp and "script-src 'self'" in csp
        assert '<script src="/ui/static/ui.js"' in r.text
        assert "https://" not in r.text and "http://" not in r.text


async def test_the_static_assets_are_served_by_the_service(anonymous: httpx.AsyncClient) -> None:
    js = await anonymous.get("/ui/static/ui.js")
    css = await anonymous.get("/ui/static/ui.css")

    assert js.status_code == css.status_code == 200
    assert "javascript" in js.headers["content-type"]
    assert css.headers["content-type"].startswith("text/css")
    assert "sessionStorage" in js.text and "localStorage" not in js.text
    assert "@import" not in css.text and "url(" not in css.text


async def test_the_data_fragment_needs_a_read_key(
    anonymous: httpx.AsyncClient, client: httpx.AsyncClient
) -> None:
    article = await submit(client, "Песков ничего не сказал.")

    assert_problem(await anonymous.get(f"/ui/articles/{article['id']}/fragment"), 401)
    assert_problem(
        await client.get("/ui/articles/00000000-0000-4000-8000-000000000000/fragment"), 404
    )


async def test_the_fragment_of_the_seed_has_one_mark_per_mention_event_and_statement(
    client: httpx.AsyncClient, worker: Worker, seed_text: str
) -> None:
    r = await submit_raw(client, seed_text)
    await drain(worker)
    article_id = r.json()["id"]

    html = (await client.get(f"/ui/articles/{article_id}/fragment")).text

    entities = await get_all(client, f"/v1/articles/{article_id}/entities")
    events = await get_all(client, f"/v1/articles/{article_id}/events")
    sources = await get_all(client, f"/v1/articles/{article_id}/sources")
    text = html.split('<article id="text"', 1)[1].split("</article>", 1)[0]
    whole = re.findall(r"<mark ([^>]*)>", text)
    whole = [m for m in whole if "data-continued" not in m]
    assert sum("data-entity-id" in m for m in whole) == sum(len(e["mentions"]) for e in entities)
    assert sum("data-event-id" in m for m in whole) == len(events)
    assert sum("data-statement" in m for m in whole) == len(sources)
    assert f'data-mentions="{sum(len(e["mentions"]) for e in entities)}"' in html


async def test_article_text_and_title_are_escaped(
    client: httpx.AsyncClient, worker: Worker
) -> None:
    text = 'Путин сказал: «<script>alert(1)</script> & <img src=x onerror="alert(2)">».'
    article = await submit(client, text, title="<b>Заголовок</b>")
    await drain(worker)

    html = (await client.get(f"/ui/articles/{article['id']}/fragment")).text

    assert "<script>" not in html and "<img" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;img" in html
    assert "&lt;b&gt;Заголовок&lt;/b&gt;" in html


async def test_an_unprocessed_article_shows_its_status_without_text(
    client: httpx.AsyncClient,
) -> None:
    article = await submit(client, "Песков ничего не сказал.")

    html = (await client.get(f"/ui/articles/{article['id']}/fragment")).text

    assert 'data-status="queued"' in html
    assert 'id="text"' not in html


async def test_the_viewer_is_not_part_of_the_api_schema(anonymous: httpx.AsyncClient) -> None:
    paths = (await anonymous.get("/schema/openapi.json")).json()["paths"]

    assert not [p for p in paths if p.startswith("/ui")]
    assert "/v1/articles/{article_id}/ninjs" in paths
    assert "/v1/articles/{article_id}/jsonld" in paths
