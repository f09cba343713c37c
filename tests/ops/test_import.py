"""``newsmeta import`` (the real CLI against a real ``newsmeta serve``) and extract progress."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest

from service.importer import EXIT_INTERRUPTED, run_import
from service.store import keys
from tests.conftest import DEVSET, REPO, devset_texts
from tests.ops.conftest import NEWSMETA, Server, cli_env


def run_cli(
    *args: str, env: dict[str, str], timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*NEWSMETA, *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=timeout
    )


def summary_of(done: subprocess.CompletedProcess[str]) -> dict[str, Any]:
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture
def articles_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "articles"
    (folder / "nested").mkdir(parents=True)
    for i, text in enumerate(devset_texts(12)):
        where = folder / "nested" if i % 3 == 0 else folder
        (where / f"a{i:02}.txt").write_text(text, encoding="utf-8")
    (folder / "empty.txt").write_text("  \n", encoding="utf-8")
    (folder / "latin1.txt").write_bytes("Москва".encode("cp1251"))
    (folder / ".hidden").write_text("not an article", encoding="utf-8")
    return folder


async def test_import_a_folder_then_again(
    api_server: Server, pool: asyncpg.Pool, articles_dir: Path, tmp_path: Path
) -> None:
    _, secret = await keys.create(pool, "write", "import")
    env = cli_env(api_server.env["DATABASE_URL"], tmp_path / "data")
    args = ["import", str(articles_dir), "--url", api_server.url, "--batch-size", "5"]

    done = run_cli(*args, "--key", secret, "--json", env=env)
    assert done.returncode == 1, done.stderr  # two files were rejected
    s = summary_of(done)
    assert (s["submitted"], s["duplicates"], s["rejected"]) == (12, 0, 2), s
    reasons = {r["reason"]: r for r in s["reasons"]}
    assert set(reasons) == {"the file is empty", "the file is not UTF-8 text"}
    assert reasons["the file is empty"]["example"].endswith("empty.txt")
    # Not a terminal: plain progress lines on stderr, the last one complete.
    assert "import: 14/14 items (100%)" in done.stderr
    assert secret not in done.stdout + done.stderr
    assert await pool.fetchval("SELECT count(*) FROM articles") == 12
    # The state file is gone after a complete run.
    assert not list((tmp_path / "data" / "imports").glob("*"))

    # Again, with the key from the environment and the readable summary: all duplicates.
    done = run_cli(*args, env={**env, "NEWSMETA_API_KEY": secret})
    assert done.returncode == 1
    assert "submitted          0" in done.stdout, done.stdout
    assert "duplicates        12" in done.stdout
    assert "× the file is empty" in done.stdout
    assert await pool.fetchval("SELECT count(*) FROM articles") == 12


async def test_import_jsonl_with_rejections(
    api_server: Server, pool: asyncpg.Pool, tmp_path: Path
) -> None:
    _, secret = await keys.create(pool, "write", "import")
    texts = devset_texts(4)
    lines = [
        json.dumps({"text": texts[0], "external_id": "ext-1", "title": "Первая"}),
        json.dumps(texts[1]),  # a bare string is a text
        "",
        "{not json",
        json.dumps({"text": texts[2], "language": "en"}),
        json.dumps({"text": texts[3], "unknown_field": 1}),
        json.dumps({"text": texts[0] + " ", "external_id": "ext-1"}),  # same external_id
    ]
    path = tmp_path / "articles.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    done = run_cli(
        "import", str(path), "--url", api_server.url, "--key", secret, "--json",
        env=cli_env(api_server.env["DATABASE_URL"], tmp_path / "data"),
    )  # fmt: skip
    s = summary_of(done)
    assert (s["submitted"], s["duplicates"], s["rejected"]) == (2, 1, 3), s
    reasons = " | ".join(r["reason"] for r in s["reasons"])
    assert "not JSON" in reasons and "'en'" in reasons and "unknown_field" in reasons, reasons
    examples = {r["example"] for r in s["reasons"]}
    assert f"{path}:4" in examples
    titled = await pool.fetchval("SELECT title FROM articles WHERE external_id = 'ext-1'")
    assert titled == "Первая"


class Interrupting(httpx.HTTPTransport):
    """The real HTTP transport, until Ctrl-C arrives before request number ``after + 1``."""

    def __init__(self, after: int) -> None:
        super().__init__()
        self.after = after
        self.sent = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if self.sent == self.after:
            raise KeyboardInterrupt
        self.sent += 1
        return super().handle_request(request)


async def test_an_interrupted_import_resumes_without_resending(
    api_server: Server, pool: asyncpg.Pool, tmp_path: Path
) -> None:
    _, secret = await keys.create(pool, "write", "import")
    folder = tmp_path / "many"
    folder.mkdir()
    files = sorted(DEVSET.glob("book_*.txt"))[:20]
    for f in files:
        (folder / f.name).write_bytes(f.read_bytes())
    state = tmp_path / "import.state"

    # Interrupted after two batches of 4.
    status, summary = run_import(
        [folder],
        url=api_server.url,
        key=secret,
        state_file=state,
        batch_size=4,
        transport=Interrupting(after=2),
    )
    assert status == EXIT_INTERRUPTED
    assert summary.submitted == 8 and summary.outcome == "interrupted"
    assert state.exists()
    assert await pool.fetchval("SELECT count(*) FROM articles") == 8

    # The same command resumes: the 8 answered ones are not sent again.
    env = cli_env(api_server.env["DATABASE_URL"], tmp_path / "data")
    done = run_cli(
        "import", str(folder), "--url", api_server.url, "--key", secret, "--batch-size", "4",
        "--state", str(state), "--json", env=env,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    s = summary_of(done)
    assert (s["submitted"], s["duplicates"], s["rejected"], s["resumed"]) == (20, 0, 0, 8), s
    assert await pool.fetchval("SELECT count(*) FROM articles") == 20
    assert not state.exists()


async def test_import_stops_cleanly_on_a_bad_key_or_no_server(
    api_server: Server, articles_dir: Path, tmp_path: Path
) -> None:
    env = cli_env(api_server.env["DATABASE_URL"], tmp_path / "data")
    done = run_cli(
        "import", str(articles_dir), "--url", api_server.url, "--key", "nm_wrong", env=env
    )
    assert done.returncode == 2
    assert "refused the key (401)" in done.stdout
    assert "run the same command again" in done.stderr


def test_extract_many_files_shows_progress(tmp_path: Path) -> None:
    paths = []
    for i, text in enumerate(devset_texts(3)):
        p = tmp_path / f"{i}.txt"
        p.write_text(text, encoding="utf-8")
        paths.append(str(p))
    done = run_cli("extract", "--jsonl", *paths, env=cli_env("postgresql://unused", tmp_path))
    assert done.returncode == 0, done.stderr
    assert len(done.stdout.splitlines()) == 3
    assert "extract: 3/3 files (100%)" in done.stderr
