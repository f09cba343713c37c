"""``newsmeta``: serve, worker, migrate, extract, keys."""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator, Sequence
from pathlib import Path

import msgspec

from service.settings import Settings, SettingsError, load_settings


def _settings() -> Settings:
    try:
        return load_settings()
    except SettingsError as exc:
        sys.exit(f"newsmeta: {exc}")


def _database(settings: Settings) -> tuple[str, object | None]:
    from service.db import resolve_database_url

    try:
        return resolve_database_url(settings)
    except Exception as exc:
        sys.exit(f"newsmeta: cannot start the embedded database: {exc}")


class Supervisor:
    """Keeps N worker processes running; restarts one that dies; stops them on request."""

    def __init__(self, count: int, database_url: str) -> None:
        self.count = count
        self.env = {**os.environ, "DATABASE_URL": database_url}
        self.procs: list[subprocess.Popen[bytes]] = []
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def _spawn(self) -> subprocess.Popen[bytes]:
        cmd = [sys.executable, "-m", "service.cli", "worker", "--concurrency", "1"]
        return subprocess.Popen(cmd, env=self.env)

    def start(self) -> None:
        self.procs = [self._spawn() for _ in range(self.count)]
        self._thread.start()

    def _watch(self) -> None:
        from service.api.metricsdir import mark_process_dead

        while not self._stopping.wait(1.0):
            for i, proc in enumerate(self.procs):
                # Exit 0 is a requested stop (SIGTERM to the process group); anything else,
                # including kill -9, is a crash: start a replacement.
                if proc.poll() not in (None, 0) and not self._stopping.is_set():
                    print(
                        f"newsmeta: worker {proc.pid} exited ({proc.returncode}); restarting",
                        file=sys.stderr,
                    )
                    mark_process_dead(proc.pid)
                    time.sleep(1.0)
                    self.procs[i] = self._spawn()

    def stop(self, grace: float = 40.0) -> None:
        self._stopping.set()
        for proc in self.procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + grace
        for proc in self.procs:
            try:
                proc.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def trusted_proxies(settings: Settings) -> str | None:
    """uvicorn's ``forwarded_allow_ips``: X-Forwarded-For/-Proto are believed only from
    NEWSMETA_TRUSTED_PROXIES; None turns proxy headers off (uvicorn's own default would
    trust 127.0.0.1, so any client on the machine could choose its address)."""
    trusted = ",".join(x.strip() for x in settings.trusted_proxies.split(",") if x.strip())
    return trusted or None


def cmd_serve(args: argparse.Namespace) -> None:
    import uvicorn

    from service import migrate
    from service.api.metricsdir import MULTIPROC_ENV, remove_multiprocess_dir, use_multiprocess_dir
    from service.logs import configure_logging

    settings = _settings()
    # Before prometheus_client is imported: this process and its workers (which inherit the
    # variable) write metrics there, and /metrics reads them all. A given directory is kept.
    metrics_dir = None if os.environ.get(MULTIPROC_ENV) else use_multiprocess_dir(settings.data_dir)
    from service.api.app import create_app

    configure_logging(settings.log_level, settings.log_format)
    url, embedded = _database(settings)
    workers = Supervisor(args.workers if args.workers is not None else (os.cpu_count() or 1), url)
    # From here on, whatever fails (a migration too), the embedded database is stopped.
    try:
        migrate.upgrade(url)
        if workers.count:
            workers.start()
        # uvicorn re-raises the signal it caught once it has shut down; a no-op handler lets
        # this function go on to stop the workers and the embedded database.
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: None)
        server = uvicorn.Server(
            uvicorn.Config(
                create_app(settings, url),
                host=args.host,
                port=args.port,
                log_config=None,
                access_log=False,
                proxy_headers=trusted_proxies(settings) is not None,
                forwarded_allow_ips=trusted_proxies(settings),
                timeout_graceful_shutdown=30,
            )
        )
        server.run()
    finally:
        workers.stop()
        if embedded is not None:
            embedded.stop()  # type: ignore[attr-defined]
        if metrics_dir is not None:
            remove_multiprocess_dir(metrics_dir)


def cmd_worker(args: argparse.Namespace) -> None:
    from service.logs import configure_logging
    from service.worker.runner import serve_worker

    settings = _settings()
    configure_logging(settings.log_level, settings.log_format)
    url, embedded = _database(settings)
    if args.concurrency == 1:
        status = 0
        try:
            status = asyncio.run(serve_worker(url, settings))
        finally:
            if embedded is not None:
                embedded.stop()  # type: ignore[attr-defined]
        # A thread still extracting (grace period over, or hung) must not hold the exit;
        # a nonzero status makes the supervisor start a replacement.
        os._exit(status)
    workers = Supervisor(args.concurrency, url)
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    workers.start()
    stop.wait()
    workers.stop()
    if embedded is not None:
        embedded.stop()  # type: ignore[attr-defined]


def cmd_migrate(args: argparse.Namespace) -> None:
    from service import migrate

    settings = _settings()
    url, embedded = _database(settings)
    try:
        if args.action == "upgrade":
            migrate.upgrade(url, args.revision or "head")
        elif args.action == "downgrade":
            if not args.revision:
                sys.exit("newsmeta: migrate downgrade needs a revision, e.g. 'base' or '-1'")
            migrate.downgrade(url, args.revision)
        else:
            migrate.current(url)
    finally:
        if embedded is not None:
            embedded.stop()  # type: ignore[attr-defined]


def cmd_extract(args: argparse.Namespace) -> None:
    from service.api.extractpool import run_extraction
    from service.schemas import ExtractIn

    status = 0
    for name in _with_progress(args.files or ["-"], "extract", "files"):
        try:
            data = sys.stdin.buffer.read() if name == "-" else Path(name).read_bytes()
            text = data.decode("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            print(f"newsmeta extract: {name}: {exc}", file=sys.stderr)
            status = 1
            continue
        if not text.strip():
            print(f"newsmeta extract: {name}: empty text", file=sys.stderr)
            status = 1
            continue
        out = msgspec.json.encode(run_extraction(ExtractIn(text=text)))
        if args.jsonl:
            sys.stdout.buffer.write(out + b"\n")
        else:
            sys.stdout.buffer.write(msgspec.json.format(out, indent=2) + b"\n")
        sys.stdout.flush()
    sys.exit(status)


def _with_progress(names: list[str], label: str, unit: str) -> Iterator[str]:
    """Progress on stderr (a bar on a terminal, plain lines otherwise) for two or more."""
    if len(names) < 2:
        yield from names
        return
    from service.importer import Progress

    with Progress(len(names), label, unit=unit) as progress:
        for name in names:
            yield name
            progress.advance()


def cmd_import(args: argparse.Namespace) -> None:
    from service.importer import EXIT_OK, EXIT_REJECTED, default_state_file, run_import

    settings = _settings()
    paths = [Path(p) for p in args.paths]
    key = args.key or os.environ.get("NEWSMETA_API_KEY") or None
    state_file = (
        None
        if args.no_state
        else Path(args.state)
        if args.state
        else default_state_file(settings.data_dir, args.url, paths)
    )
    try:
        status, summary = run_import(
            paths,
            url=args.url,
            key=key,
            state_file=state_file,
            jsonl=args.jsonl,
            batch_size=args.batch_size,
        )
    except FileNotFoundError as exc:
        sys.exit(f"newsmeta import: {exc}")
    if args.json:
        print(msgspec.json.encode(summary.as_dict()).decode())
    else:
        print(summary.render())
    if status not in (EXIT_OK, EXIT_REJECTED):
        kept = state_file is not None and state_file.exists()
        print(
            "newsmeta import: not finished; run the same command again to resume"
            + (f" (progress is kept in {state_file})" if kept else ""),
            file=sys.stderr,
        )
    sys.exit(status)


def cmd_keys(args: argparse.Namespace) -> None:
    from service.db import create_pool
    from service.store import keys

    key_id = None
    if args.action == "revoke":
        try:
            key_id = uuid.UUID(args.id)
        except ValueError:
            sys.exit(f"newsmeta: {args.id!r} is not a key id; 'newsmeta keys list' shows them")
    settings = _settings()
    url, embedded = _database(settings)

    async def run() -> None:
        pool = await create_pool(url, min_size=1, max_size=1)
        try:
            if args.action == "create":
                key, secret = await keys.create(pool, args.scope, args.name)
                print(secret)
                print(
                    f"id {key.id}, scope {key.scope}: store this key now; it is not shown again",
                    file=sys.stderr,
                )
            elif args.action == "list":
                for k in await keys.list_keys(pool):
                    state = f"revoked {k.revoked_at:%Y-%m-%d}" if k.revoked_at else "active"
                    print(f"{k.id}  {k.scope:<5}  nm_{k.prefix}…  {state}  {k.name or ''}".rstrip())
            elif args.action == "revoke":
                assert key_id is not None
                if not await keys.revoke(pool, key_id):
                    sys.exit(f"newsmeta: no key {args.id}")
                print(f"revoked {args.id}")
        finally:
            await pool.close()

    try:
        asyncio.run(run())
    finally:
        if embedded is not None:
            embedded.stop()  # type: ignore[attr-defined]


def cmd_openapi(args: argparse.Namespace) -> None:
    from service.api.app import create_app

    app = create_app(load_settings({}), "postgresql://unused")
    document = msgspec.json.format(msgspec.json.encode(app.openapi_schema.to_schema()), indent=2)
    if args.output:
        Path(args.output).write_bytes(document + b"\n")
    else:
        sys.stdout.buffer.write(document + b"\n")


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="newsmeta", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="API plus extraction workers (migrates first)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument(
        "--workers", type=int, default=None, help="worker processes (default: one per core)"
    )
    serve.set_defaults(func=cmd_serve)

    worker = sub.add_parser("worker", help="extraction workers only")
    worker.add_argument("--concurrency", type=int, default=1, help="worker processes")
    worker.set_defaults(func=cmd_worker)

    mig = sub.add_parser("migrate", help="apply or roll back database migrations")
    mig.add_argument(
        "action", nargs="?", default="upgrade", choices=["upgrade", "downgrade", "current"]
    )
    mig.add_argument("revision", nargs="?")
    mig.set_defaults(func=cmd_migrate)

    ext = sub.add_parser("extract", help="extract from raw article files offline (no database)")
    ext.add_argument("files", nargs="*", help="files in the raw format; '-' or none reads stdin")
    ext.add_argument("--jsonl", action="store_true", help="one JSON line per file")
    ext.set_defaults(func=cmd_extract)

    imp = sub.add_parser(
        "import",
        help="bulk-submit raw article files or JSONL through the API (resumable)",
        description=(
            "Submits each raw article file (folders are walked) or each line of a .jsonl/.ndjson"
            " file (objects as for POST /v1/articles) via POST /v1/articles/batch. Known"
            " articles answer as duplicates, so it is safe to run again; an interrupted run"
            " resumes from a state file under NEWSMETA_DATA_DIR/imports."
        ),
    )
    imp.add_argument("paths", nargs="+", metavar="PATH", help="files or folders")
    imp.add_argument(
        "--url",
        default=os.environ.get("NEWSMETA_URL", "http://127.0.0.1:8000"),
        help="the API (default: $NEWSMETA_URL or http://127.0.0.1:8000)",
    )
    imp.add_argument("--key", help="API key with scope write (default: $NEWSMETA_API_KEY)")
    imp.add_argument("--jsonl", action="store_true", help="read every file as JSONL")
    imp.add_argument(
        "--batch-size", type=int, default=500, help="items per request (1-1000; default 500)"
    )
    imp.add_argument("--state", help="state file (default: one per server and inputs)")
    imp.add_argument("--no-state", action="store_true", help="keep no state file")
    imp.add_argument("--json", action="store_true", help="print the summary as JSON")
    imp.set_defaults(func=cmd_import)

    spec = sub.add_parser("openapi", help="print the OpenAPI document the app serves")
    spec.add_argument("--output", help="write to this file instead of stdout")
    spec.set_defaults(func=cmd_openapi)

    k = sub.add_parser("keys", help="API keys")
    ksub = k.add_subparsers(dest="action", required=True)
    create = ksub.add_parser("create", help="print a new key once")
    create.add_argument("--scope", choices=["read", "write", "admin"], required=True)
    create.add_argument("--name")
    ksub.add_parser("list", help="list keys (never their secrets)")
    revoke = ksub.add_parser("revoke", help="revoke a key by id")
    revoke.add_argument("id")
    k.set_defaults(func=cmd_keys)
    return p


def main(argv: Sequence[str] | None = None) -> None:
    args = parser().parse_args(argv)
    args.func(args)


if __name__ == "__main__":
    main()
