"""Start the real action server and Rasa (models/aduan.tar.gz) for end-to-end tests."""

import os
import secrets
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from tests.channels.fakes.server import free_port

ROOT = Path(__file__).resolve().parents[2]
MODEL = ROOT / "models" / "aduan.tar.gz"
RASA_PY = ROOT / ".venv-rasa" / "bin" / "python"


def base_env() -> dict[str, str]:
    """This process's environment without Rasa's or Redis's settings."""
    return {k: v for k, v in os.environ.items() if not k.startswith(("RASA_", "REDIS_"))}


def wait_up(url: str, process: subprocess.Popen[bytes], log: Path, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"{url} exited early:\n{log.read_text()[-3000:]}")
        try:
            if httpx.get(url, timeout=2).status_code < 500:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.5)
    pytest.fail(f"{url} did not come up in {seconds:.0f} s:\n{log.read_text()[-3000:]}")


@contextmanager
def processes(work: Path, env: dict[str, str]) -> Iterator[list[subprocess.Popen[bytes]]]:
    """A list to start processes into; all are stopped on exit."""
    started: list[subprocess.Popen[bytes]] = []
    try:
        yield started
    finally:
        for process in started:
            process.terminate()
        for process in started:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


def start(
    started: list[subprocess.Popen[bytes]], work: Path, name: str, command: list[str],
    env: dict[str, str],
) -> tuple[subprocess.Popen[bytes], Path]:  # fmt: skip
    log = work / f"{name}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(  # noqa: S603 - our own fixed commands
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT
        )
    started.append(process)
    return process, log


@contextmanager
def rasa_and_actions(work: Path, backend_url: str, token: str) -> Iterator[str]:
    """The action server (talking to `backend_url` with `token`) and Rasa; yields Rasa's URL."""
    if not MODEL.exists() or not RASA_PY.exists():
        pytest.fail("this test needs `make rasa-model` (models/aduan.tar.gz, .venv-rasa)")
    rasa_port, actions_port = free_port(), free_port()
    env = base_env() | {
        "BACKEND_URL": backend_url,
        "BACKEND_SERVICE_TOKEN": token,
        "ACTION_SERVER_URL": f"http://127.0.0.1:{actions_port}/webhook",
        "RASA_TRACKER_STORE_URL": f"sqlite:///{work / 'tracker.db'}",
        "RASA_TELEMETRY_ENABLED": "false",
        "PYTHONPATH": str(ROOT),
    }
    actions = [
        str(RASA_PY), "-m", "rasa_sdk", "--actions", "actions", "--port", str(actions_port),
    ]  # fmt: skip
    rasa = [
        str(RASA_PY), "-m", "rasa", "run", "--model", str(MODEL),
        "--endpoints", "bot/endpoints.yml", "--credentials", "bot/credentials.yml",
        "--port", str(rasa_port), "--enable-api",
    ]  # fmt: skip
    with processes(work, env) as started:
        action_server, actions_log = start(started, work, "actions", actions, env)
        rasa_server, rasa_log = start(started, work, "rasa", rasa, env)
        wait_up(f"http://127.0.0.1:{actions_port}/health", action_server, actions_log, 120)
        wait_up(f"http://127.0.0.1:{rasa_port}/", rasa_server, rasa_log, 240)
        yield f"http://127.0.0.1:{rasa_port}"


@contextmanager
def backend(work: Path, **settings: str) -> Iterator[tuple[str, str]]:
    """The backend on a fresh SQLite database `work/aduan.db` (and `settings`, environment
    variables); yields its URL and service token."""
    token = secrets.token_urlsafe(24)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = (
        base_env()
        | {
            "DATABASE_URL": f"sqlite:///{work / 'aduan.db'}",
            "PHOTO_DIR": str(work / "photos"),
            "BACKEND_PORT": str(port),
            "BACKEND_SERVICE_TOKEN": token,
        }
        | settings
    )
    with processes(work, env) as started:
        process, log = start(started, work, "backend", [sys.executable, "-m", "backend"], env)
        wait_up(f"{url}/healthz", process, log, 60)
        yield url, token
