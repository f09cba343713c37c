"""The command line scripts rely on: ``newsmeta extract`` and ``newsmeta keys``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import asyncpg
import httpx

from tests.conftest import DEVSET, SEED
from tests.system.conftest import newsmeta_env, run_newsmeta


def _spans_slice_back(text: str, out: dict[str, Any]) -> None:
    for entity in out["entities"]:
        for m in entity["mentions"]:
            assert text[m["start"] : m["end"]] == m["text"], (entity["name"], m)
    for event in out["events"]:
        t = event["trigger"]
        assert text[t["start"] : t["end"]] == t["text"]
    for item in out["sources"]["items"]:
        q = item["quote"]
        assert text[q["start"] : q["end"]] == q["text"]


def test_extract_prints_the_extraction_of_a_file_and_of_stdin_in_order(seed_text: str) -> None:
    env = newsmeta_env()  # no database at all
    single = run_newsmeta(["extract", str(SEED)], env)
    assert single.returncode == 0, single.stderr.decode()
    out = json.loads(single.stdout)
    assert set(out) >= {"article", "entities", "events", "sources"}
    assert out["article"]["outlet"] == "moscowtimes.ru"
    assert out["article"]["published_at"] == "2025-09-03"
    names = {e["name"] for e in out["entities"]}
    assert "Владимир Путин" in names
    _spans_slice_back(seed_text, out)

    other = sorted(DEVSET.glob("book_*.txt"))[0]
    lines = run_newsmeta(["extract", "--jsonl", str(other), "-"], env, stdin=seed_text.encode())
    assert lines.returncode == 0, lines.stderr.decode()
    first, second, *rest = lines.stdout.decode().splitlines()
    assert rest == []
    assert json.loads(second) == out, "stdin, second, is the seed, like the file"
    assert json.loads(first) != out
    _spans_slice_back(other.read_text(encoding="utf-8"), json.loads(first))


def test_extract_of_a_missing_file_fails_with_a_message(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-article.txt"
    done = run_newsmeta(["extract", str(missing)], newsmeta_env())
    assert done.returncode != 0
    assert done.stdout == b""
    assert "no-such-article.txt" in done.stderr.decode()


async def test_keys_create_list_revoke(
    pool: asyncpg.Pool, anonymous: httpx.AsyncClient, database_url: str
) -> None:
    env = newsmeta_env(DATABASE_URL=database_url)

    created = run_newsmeta(["keys", "create", "--scope", "read", "--name", "cli test"], env)
    assert created.returncode == 0, created.stderr.decode()
    [secret] = created.stdout.decode().split()
    key_id = await pool.fetchval("SELECT id::text FROM api_keys WHERE name = 'cli test'")
    assert key_id in created.stderr.decode()

    r = await anonymous.get("/v1/articles", headers={"Authorization": f"Bearer {secret}"})
    assert r.status_code == 200, r.text
    r = await anonymous.get("/v1/articles", headers={"X-API-Key": secret})
    assert r.status_code == 200, r.text
    assert (await anonymous.get("/v1/articles")).status_code == 401

    listed = run_newsmeta(["keys", "list"], env)
    assert listed.returncode == 0, listed.stderr.decode()
    [line] = [ln for ln in listed.stdout.decode().splitlines() if key_id in ln]
    assert "read" in line and "active" in line and "cli test" in line
    assert secret not in listed.stdout.decode() + listed.stderr.decode()

    revoked = run_newsmeta(["keys", "revoke", key_id], env)
    assert revoked.returncode == 0, revoked.stderr.decode()
    r = await anonymous.get("/v1/articles", headers={"Authorization": f"Bearer {secret}"})
    assert r.status_code == 401, r.text
    listed = run_newsmeta(["keys", "list"], env)
    [line] = [ln for ln in listed.stdout.decode().splitlines() if key_id in ln]
    assert "revoked" in line

    unknown = run_newsmeta(["keys", "revoke", "00000000-0000-0000-0000-000000000000"], env)
    assert unknown.returncode != 0
    assert "no key" in unknown.stderr.decode()
