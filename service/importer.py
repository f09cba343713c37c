"""``newsmeta import``: bulk-submit raw article files or JSONL through the HTTP API.

Items go to ``POST /v1/articles/batch`` in batches (at most 1,000 items or 32 MiB). The API is
idempotent (the same text or ``external_id`` again answers ``200`` with the known article),
so running the same import twice never stores anything twice. A state file records each
answered item (by a SHA-256 of what was sent) so that a rerun after an interruption skips
them without sending them again; it is removed when an import completes.

Also :class:`Progress`, the progress display ``newsmeta extract`` shares: a bar on a terminal,
plain lines otherwise, always on stderr.
"""

from __future__ import annotations

import hashlib
import os
import re
import sys
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any

import httpx
import msgspec

JSONL_SUFFIXES = {".jsonl", ".ndjson"}
MAX_BATCH_ITEMS = 1000
MAX_BATCH_BYTES = 32 * 1024 * 1024
DEFAULT_URL = "http://127.0.0.1:8000"

EXIT_OK, EXIT_REJECTED, EXIT_ABORTED, EXIT_INTERRUPTED = 0, 1, 2, 130


class ImportAborted(Exception):
    """The server cannot take the import now (unreachable, refused the key, ...)."""


# --- progress ----------------------------------------------------------------------------


class Progress:
    """``done/total`` on stderr: a rich bar on a terminal, else a plain line every few
    seconds and one at the end."""

    def __init__(
        self,
        total: int,
        label: str,
        *,
        unit: str = "items",
        stream: IO[str] | None = None,
        every: float = 2.0,
    ) -> None:
        self.total = total
        self.label = label
        self.unit = unit
        self.stream = stream or sys.stderr
        self.every = every
        self.done = 0
        self.note = ""
        self.started = time.monotonic()
        self._last = 0.0
        self._bar: Any = None
        self._task: Any = None
        if _isatty(self.stream):
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                TaskProgressColumn,
                TextColumn,
                TimeElapsedColumn,
                TimeRemainingColumn,
            )
            from rich.progress import Progress as Bar

            self._bar = Bar(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TaskProgressColumn(),
                TimeElapsedColumn(),
                TimeRemainingColumn(),
                TextColumn("{task.fields[note]}"),
                console=Console(file=self.stream),
            )
            self._bar.start()
            self._task = self._bar.add_task(label, total=total, note="")

    def advance(self, n: int = 1, note: str | None = None) -> None:
        self.done += n
        if note is not None:
            self.note = note
        if self._bar is not None:
            self._bar.update(self._task, completed=self.done, note=self.note)
            return
        now = time.monotonic()
        if now - self._last >= self.every:
            self._line()
            self._last = now

    def close(self) -> None:
        if self._bar is not None:
            self._bar.update(self._task, completed=self.done, note=self.note)
            self._bar.stop()
            return
        self._line()

    def _line(self) -> None:
        elapsed = max(time.monotonic() - self.started, 1e-9)
        pct = f" ({100 * self.done / self.total:.0f}%)" if self.total else ""
        note = f", {self.note}" if self.note else ""
        rate = self.done / elapsed
        print(
            f"{self.label}: {self.done}/{self.total} {self.unit}{pct}{note},"
            f" {rate:.1f} {self.unit}/s, {elapsed:.0f} s",
            file=self.stream,
            flush=True,
        )

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def _isatty(stream: IO[str]) -> bool:
    try:
        return stream.isatty() and os.environ.get("TERM") != "dumb"
    except (AttributeError, ValueError):
        return False


# --- reading the inputs ------------------------------------------------------------------


class Item(msgspec.Struct):
    source: str  # a file, or FILE:LINE for JSONL
    payload: bytes | None  # the JSON object to send; None when it cannot be read
    error: str | None = None

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.payload or b"").hexdigest()


def _files(path: Path) -> list[Path]:
    if path.is_dir():
        return sorted(
            p
            for p in path.rglob("*")
            if p.is_file() and not any(part.startswith(".") for part in p.relative_to(path).parts)
        )
    return [path]


def _is_jsonl(path: Path, force: bool) -> bool:
    return force or path.suffix.lower() in JSONL_SUFFIXES


def count_items(paths: Sequence[Path], jsonl: bool = False) -> int:
    total = 0
    for path in paths:
        for f in _files(path):
            if _is_jsonl(f, jsonl):
                with f.open("rb") as fh:
                    total += sum(1 for line in fh if line.strip())
            else:
                total += 1
    return total


def read_items(paths: Sequence[Path], jsonl: bool = False) -> Iterator[Item]:
    for path in paths:
        for f in _files(path):
            if _is_jsonl(f, jsonl):
                yield from _jsonl_items(f)
            else:
                yield _raw_item(f)


def _raw_item(path: Path) -> Item:
    try:
        text = path.read_bytes().decode("utf-8").removeprefix("\ufeff")
    except OSError as exc:
        return Item(str(path), None, f"cannot read the file: {exc.strerror or exc}")
    except UnicodeDecodeError:
        return Item(str(path), None, "the file is not UTF-8 text")
    if not text.strip():
        return Item(str(path), None, "the file is empty")
    return Item(str(path), msgspec.json.encode({"text": text}))


def _jsonl_items(path: Path) -> Iterator[Item]:
    with path.open("rb") as fh:
        for number, line in enumerate(fh, 1):
            if not line.strip():
                continue
            source = f"{path}:{number}"
            try:
                value = msgspec.json.decode(line)
            except msgspec.DecodeError as exc:
                yield Item(source, None, f"the line is not JSON ({exc})")
                continue
            if isinstance(value, str):
                value = {"text": value}
            if not isinstance(value, dict):
                yield Item(source, None, "the line is not a JSON object with a 'text' field")
                continue
            yield Item(source, msgspec.json.encode(value))


# --- state -------------------------------------------------------------------------------


class Answer(msgspec.Struct, array_like=True):
    digest: str
    status: int
    reason: str | None = None


def default_state_file(data_dir: str, url: str, paths: Sequence[Path]) -> Path:
    """One state file per (server, inputs): rerunning the same command finds it."""
    ident = "\0".join([url.rstrip("/"), *sorted(str(p.resolve()) for p in paths)])
    name = hashlib.sha256(ident.encode("utf-8")).hexdigest()[:16]
    return Path(data_dir) / "imports" / f"{name}.jsonl"


class State:
    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.answers: dict[str, Answer] = {}
        if path is not None and path.exists():
            with path.open("rb") as fh:
                for line in fh:
                    try:
                        answer = msgspec.json.decode(line, type=Answer)
                    except msgspec.DecodeError:
                        continue  # a line cut short by an interruption
                    self.answers[answer.digest] = answer
        self._fh: IO[bytes] | None = None

    def record(self, answers: Iterable[Answer]) -> None:
        if self.path is None:
            return
        if self._fh is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._fh = self.path.open("ab")
        self._fh.write(b"".join(msgspec.json.encode(a) + b"\n" for a in answers))
        self._fh.flush()

    def close(self, *, remove: bool) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None
        if remove and self.path is not None:
            self.path.unlink(missing_ok=True)


# --- summary -----------------------------------------------------------------------------

_ITEM_PREFIX = re.compile(r"^item \d+:\s*")


class Summary:
    def __init__(self) -> None:
        self.submitted = 0
        self.duplicates = 0
        self.rejected = 0
        self.resumed = 0
        self.reasons: Counter[str] = Counter()
        self.examples: dict[str, str] = {}
        self.started = time.monotonic()
        self.outcome = "complete"

    def add(self, source: str, status: int, reason: str | None) -> None:
        if status == 202:
            self.submitted += 1
        elif status == 200:
            self.duplicates += 1
        else:
            self.rejected += 1
            why = _ITEM_PREFIX.sub("", reason or f"HTTP {status}")
            self.reasons[why] += 1
            self.examples.setdefault(why, source)

    def as_dict(self) -> dict[str, Any]:
        return {
            "outcome": self.outcome,
            "submitted": self.submitted,
            "duplicates": self.duplicates,
            "rejected": self.rejected,
            "resumed": self.resumed,
            "reasons": [
                {"reason": r, "count": n, "example": self.examples[r]}
                for r, n in self.reasons.most_common()
            ],
            "seconds": round(time.monotonic() - self.started, 3),
        }

    def render(self) -> str:
        d = self.as_dict()
        lines = [
            f"import {self.outcome} in {d['seconds']:.1f} s",
            f"  submitted   {self.submitted:>8}  new articles, queued for extraction",
            f"  duplicates  {self.duplicates:>8}  already known (same text or external_id)",
            f"  rejected    {self.rejected:>8}",
        ]
        for r in d["reasons"]:
            lines.append(f"    {r['count']:>6} × {r['reason']}  (e.g. {r['example']})")
        if self.resumed:
            lines.append(f"  ({self.resumed} of these were answered in an earlier run)")
        return "\n".join(lines)


# --- the import --------------------------------------------------------------------------


class Importer:
    def __init__(
        self,
        url: str,
        key: str | None,
        *,
        batch_size: int = 500,
        transport: httpx.BaseTransport | None = None,
        retries: int = 5,
        max_wait: float = 60.0,
    ) -> None:
        headers = {"Content-Type": "application/json", "User-Agent": "newsmeta-import"}
        if key:
            headers["Authorization"] = f"Bearer {key}"
        self.client = httpx.Client(
            base_url=url.rstrip("/"), headers=headers, timeout=300.0, transport=transport
        )
        self.batch_size = max(1, min(batch_size, MAX_BATCH_ITEMS))
        self.retries = retries
        self.max_wait = max_wait

    def close(self) -> None:
        self.client.close()

    def run(
        self, items: Iterable[Item], state: State, summary: Summary, progress: Progress
    ) -> None:
        batch: list[Item] = []
        size = 0
        for item in items:
            if item.payload is None:
                summary.add(item.source, 0, item.error)
                progress.advance(note=_note(summary))
                continue
            known = state.answers.get(item.digest)
            if known is not None:
                summary.add(item.source, known.status, known.reason)
                summary.resumed += 1
                progress.advance(note=_note(summary))
                continue
            if batch and (
                len(batch) >= self.batch_size or size + len(item.payload) > MAX_BATCH_BYTES
            ):
                self._send(batch, state, summary, progress)
                batch, size = [], 0
            batch.append(item)
            size += len(item.payload) + 1
        if batch:
            self._send(batch, state, summary, progress)

    def _send(self, batch: list[Item], state: State, summary: Summary, progress: Progress) -> None:
        body = b"[" + b",".join(i.payload or b"" for i in batch) + b"]"
        r = self._post(body)
        if r.status_code == 413 and len(batch) > 1:  # the server takes fewer: halve
            half = len(batch) // 2
            self._send(batch[:half], state, summary, progress)
            self._send(batch[half:], state, summary, progress)
            return
        if r.status_code != 200:
            raise ImportAborted(f"the server answered {r.status_code}: {_detail(r)}")
        results = r.json()["items"]
        answers = []
        for item, result in zip(batch, results, strict=True):
            reason = (result.get("error") or {}).get("detail")
            answers.append(Answer(item.digest, result["status"], reason))
            summary.add(item.source, result["status"], reason)
        state.record(answers)
        progress.advance(len(batch), note=_note(summary))

    def _post(self, body: bytes) -> httpx.Response:
        failures = 0
        while True:
            try:
                r = self.client.post("/v1/articles/batch", content=body)
            except httpx.TransportError as exc:
                failures += 1
                if failures > self.retries:
                    raise ImportAborted(f"cannot reach {self.client.base_url}: {exc}") from None
                time.sleep(min(self.max_wait, 0.5 * 2**failures))
                continue
            if r.status_code in (401, 403):
                raise ImportAborted(f"the server refused the key ({r.status_code}): {_detail(r)}")
            if r.status_code == 429 or (
                r.status_code in (502, 503, 504) and failures < self.retries
            ):
                failures += r.status_code != 429
                time.sleep(min(self.max_wait, _retry_after(r)))
                continue
            return r


def _retry_after(r: httpx.Response) -> float:
    try:
        return max(0.1, float(r.headers.get("retry-after", "5")))
    except ValueError:
        return 5.0


def _detail(r: httpx.Response) -> str:
    try:
        return str(r.json().get("detail") or r.text[:200])
    except ValueError:
        return r.text[:200]


def _note(summary: Summary) -> str:
    return f"{summary.submitted} new, {summary.duplicates} dup, {summary.rejected} rejected"


def run_import(
    paths: Sequence[Path],
    *,
    url: str,
    key: str | None,
    state_file: Path | None,
    jsonl: bool = False,
    batch_size: int = 500,
    transport: httpx.BaseTransport | None = None,
    stream: IO[str] | None = None,
) -> tuple[int, Summary]:
    """Import; returns (exit status, summary). The state file survives unless complete."""
    summary = Summary()
    missing = [p for p in paths if not p.exists()]
    if missing:
        raise FileNotFoundError(f"no such file or directory: {missing[0]}")
    total = count_items(paths, jsonl)
    state = State(state_file)
    importer = Importer(url, key, batch_size=batch_size, transport=transport)
    progress = Progress(total, "import", stream=stream)
    status = EXIT_OK
    try:
        importer.run(read_items(paths, jsonl), state, summary, progress)
    except ImportAborted as exc:
        summary.outcome = f"stopped: {exc}"
        status = EXIT_ABORTED
    except KeyboardInterrupt:
        summary.outcome = "interrupted"
        status = EXIT_INTERRUPTED
    finally:
        progress.close()
        importer.close()
        state.close(remove=status == EXIT_OK)
    if status == EXIT_OK and summary.rejected:
        status = EXIT_REJECTED
    return status, summary
