"""Browser tests: a real backend (uvicorn, fresh SQLite) driven by Debian's Chromium.

Playwright never downloads a browser here: it launches /usr/bin/chromium
(scripts/ensure-chromium.sh installs it). The page may load nothing but the
loopback server; any other request fails the test.
"""

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import (
    Browser,
    ConsoleMessage,
    Page,
    Request,
    Response,
    sync_playwright,
)

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
PASSWORD = "kata sandi rahasia"
ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class Server:
    url: str
    service_token: str
    env: dict[str, str]

    def file_complaint(self, **body: Any) -> str:
        data = {
            "category": "sampah",
            "description": "Sampah menumpuk di depan gang sudah tiga hari",
            "channel": "telegram",
            "reporter_chat_id": "555001",
            "latitude": -6.1754,
            "longitude": 106.8272,
            **body,
        }
        reply = httpx.post(
            f"{self.url}/api/v1/complaints",
            json=data,
            headers={"Authorization": f"Bearer {self.service_token}"},
            timeout=10,
        )
        assert reply.status_code == 201, reply.text
        ticket: str = reply.json()["ticket_id"]
        return ticket

    def status_of(self, ticket: str) -> str:
        status: str = httpx.get(f"{self.url}/api/v1/complaints/{ticket}", timeout=10).json()[
            "status"
        ]
        return status


def _backend(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(  # noqa: S603 - our own CLI with fixed arguments
        [sys.executable, "-m", "backend", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


@contextmanager
def _running(folder: Path, tile_url: str) -> Iterator[Server]:
    """Migrate a fresh SQLite database, add officers, serve the app on loopback."""
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{folder / 'aduan.db'}",
        "PHOTO_DIR": str(folder / "photos"),
        "CONSOLE_TILE_URL": tile_url,
        "LOG_JSON": "false",
        "LOG_LEVEL": "WARNING",
        "TEST_PASSWORD": PASSWORD,
    }
    env.pop("BACKEND_SERVICE_TOKEN", None)
    _backend(env, "migrate")
    _backend(env, "create-admin", "admin", "--password-env", "TEST_PASSWORD")
    _backend(env, "create-operator", "operator", "--password-env", "TEST_PASSWORD")
    _backend(
        env,
        "create-operator",
        "dlh.jakpus",
        "--role",
        "agency",
        "--unit",
        "dlh-jakpus",
        "--password-env",
        "TEST_PASSWORD",
    )
    token = _backend(env, "create-service-client", "browser-tests").splitlines()[-1]
    log = (folder / "server.log").open("w")
    process = subprocess.Popen(  # noqa: S603 - uvicorn on loopback, our app
        [
            sys.executable,
            "-m",
            "uvicorn",
            "tests.browser.app:create_app",
            "--factory",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert process.poll() is None, (folder / "server.log").read_text()
            assert time.monotonic() < deadline, "backend did not start"
            time.sleep(0.2)
        yield Server(url, token, env)
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The console without map tiles (CONSOLE_TILE_URL empty)."""
    with _running(tmp_path_factory.mktemp("browser"), "") as running:
        yield running


# Tiles from the server itself: any image will do, and nothing leaves this machine.
LOCAL_TILES = "/console/static/leaflet/images/layers.png?z={z}&x={x}&y={y}"


@pytest.fixture(scope="module")
def tiled_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The console with map tiles (served by itself)."""
    with _running(tmp_path_factory.mktemp("browser-tiles"), LOCAL_TILES) as running:
        yield running


# Module scope, not session: while a sync Playwright is open, its event loop is
# the main thread's running loop, and later tests' asyncio.run() would fail.
@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing; run scripts/ensure-chromium.sh")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@dataclass
class Watch:
    """What the page did that a person would notice: errors, alerts, outside requests."""

    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)


@pytest.fixture
def watch() -> Watch:
    return Watch()


@pytest.fixture
def page(browser: Browser, server: Server, watch: Watch) -> Iterator[Page]:
    with _page_on(browser, server, watch) as page:
        yield page


@pytest.fixture
def tiled_page(browser: Browser, tiled_server: Server, watch: Watch) -> Iterator[Page]:
    with _page_on(browser, tiled_server, watch) as page:
        yield page


@contextmanager
def _page_on(browser: Browser, server: Server, watch: Watch) -> Iterator[Page]:
    context = browser.new_context(base_url=server.url, locale="id-ID")
    page = context.new_page()

    def guard(route: Any, request: Request) -> None:
        if request.url.startswith(server.url):
            route.continue_()
        else:
            watch.outside.append(request.url)
            route.abort()

    page.route("**/*", guard)

    def on_console(message: ConsoleMessage) -> None:
        # A page answering 4xx on purpose (a refused form) is not an error;
        # a failing script, style, image or CSP violation is.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            watch.errors.append(message.text)

    def on_response(response: Response) -> None:
        if response.status >= 400 and response.request.resource_type != "document":
            watch.errors.append(f"{response.status} {response.url}")

    page.on("console", on_console)
    page.on("response", on_response)
    page.on("pageerror", lambda exc: watch.errors.append(str(exc)))

    def dismiss(dialog: Any) -> None:
        watch.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", dismiss)
    try:
        yield page
    finally:
        context.close()


def log_in(page: Page, username: str, password: str = PASSWORD) -> None:
    page.goto("/console/login")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk").click()
