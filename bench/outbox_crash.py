"""Kill the gateway with SIGKILL at random moments while it delivers status news.

Each trial queues `--news` status news (one per chat) in the real backend's outbox,
kills the gateway (`python -m bot.channels`, a subprocess) at a uniformly random
moment in the first `--window` seconds after, starts it again, waits until the
backend has every news as sent, and counts what the fake Telegram Bot API of
tests/channels/fakes (its own process) received: each news once (delivered), more
than once (duplicated) or never (lost). It prints those counts after `--trials`
trials (200). `--latency` delays the fake's answers (the network back from
Telegram), which is the window no gateway can close.

`--baseline REV` runs the same trials on another revision (checked out into a
temporary git worktree, backend and gateway both) and prints the ratio of
duplicates. The backend runs with a lease of `--lease` seconds (60 in production)
so that a trial need not wait a minute for the messages a dead gateway held.

    .venv/bin/python bench/outbox_crash.py --baseline c65e2bd
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from backend.complaints.models import Channel, Reporter  # noqa: E402
from backend.notifications.models import DeliveryState, OutboxMessage  # noqa: E402
from tests.channels.fakes.server import free_port  # noqa: E402

BOT_TOKEN = "123456:BENCH-token"  # noqa: S105 - the fake's, local only
SERVICE_TOKEN = "bench-service-token"  # noqa: S105 - a throwaway backend's
FIRST_CHAT = 9100
NOTE = re.compile(r"bench-[a-z]+-\d+-\d+")

# Runs the backend of a given tree with a short lease. The lease is a module
# constant in every revision, so it is set here rather than through a setting.
BACKEND = """
import sys
from datetime import timedelta

import uvicorn

from backend.notifications import service as outbox

outbox.LEASE = timedelta(seconds=float(sys.argv[1]))
from backend.__main__ import migrate
from backend.app import create_app

migrate()
uvicorn.run(create_app(), host="127.0.0.1", port=int(sys.argv[2]), log_level="warning",
            access_log=False, log_config=None)
"""

# The fake Bot API in its own process (in the bench's, it would wait for the GIL),
# answering after `latency` seconds, with the texts it was sent at /_sent.
TELEGRAM = """
import asyncio
import sys

import uvicorn

from tests.channels.fakes import telegram

fake = telegram.FakeTelegram(sys.argv[1])
app = telegram.build_app(fake)
latency = float(sys.argv[3])


@app.get("/_sent")
def sent() -> list[str]:
    return [str(p.get("text", "")) for p in fake.called("sendMessage")]


@app.post("/_reset")
def reset() -> None:
    fake.reset()


async def delayed(scope, receive, send):
    async def answer(message):
        if message["type"] == "http.response.start" and scope["path"].startswith("/bot"):
            await asyncio.sleep(latency)
        await send(message)

    await app(scope, receive, answer)


uvicorn.run(delayed, host="127.0.0.1", port=int(sys.argv[2]), log_level="warning",
            access_log=False)
"""


@dataclass
class Tally:
    trials: int = 0
    interrupted: int = 0  # kills that hit news claimed and not yet reported
    news: int = 0
    once: int = 0
    duplicated: int = 0
    lost: int = 0


def wait_until(check: object, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not check():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out waiting for {what}")
        time.sleep(0.02)


def answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=1.0).status_code == 200
    except httpx.HTTPError:
        return False


class Stack:
    """The backend and the gateway of one source tree, against the fake Telegram."""

    def __init__(self, tree: Path, workdir: Path, telegram_url: str, lease: float) -> None:
        self.tree = tree
        self.workdir = workdir
        self.telegram_url = telegram_url
        self.lease = lease
        self.database = workdir / "aduan.db"
        self.backend_port = free_port()
        self.gateway_port = free_port()
        self.backend: subprocess.Popen[bytes] | None = None
        self.gateway: subprocess.Popen[bytes] | None = None
        self.engine = create_engine(
            f"sqlite:///{self.database}", connect_args={"timeout": 30, "check_same_thread": False}
        )

    def _env(self) -> dict[str, str]:
        keep = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "TZ")}
        return {
            **keep,
            "PYTHONPATH": str(self.tree),
            "DATABASE_URL": f"sqlite:///{self.database}",
            "PHOTO_DIR": str(self.workdir / "photos"),
            "BACKEND_SERVICE_TOKEN": SERVICE_TOKEN,
            "BACKEND_JOBS_INTERVAL_SECONDS": "0",
            "BACKEND_URL": f"http://127.0.0.1:{self.backend_port}",
            "GATEWAY_HOST": "127.0.0.1",
            "GATEWAY_PORT": str(self.gateway_port),
            "GATEWAY_DB_PATH": str(self.workdir / "gateway.db"),
            "TELEGRAM_BOT_TOKEN": BOT_TOKEN,
            "TELEGRAM_API_BASE_URL": f"{self.telegram_url}/bot",
            "TELEGRAM_FILE_BASE_URL": f"{self.telegram_url}/file/bot",
            "TELEGRAM_PUBLIC_URL": "https://bench.invalid",
            "TELEGRAM_WEBHOOK_SECRET": "bench-webhook-secret",
            "OUTBOX_POLL_SECONDS": "0.05",
            "RASA_URL": "http://127.0.0.1:9",
            "REDIS_URL": "",
            "WEB_CHAT_ENABLED": "false",
            "LOG_LEVEL": "WARNING",
            "LOG_JSON": "false",
        }

    def _spawn(self, *args: str) -> subprocess.Popen[bytes]:
        log = open(self.workdir / "processes.log", "ab")  # noqa: SIM115 - kept for the process
        return subprocess.Popen(  # noqa: S603 - our own interpreter and code
            [sys.executable, *args], cwd=self.workdir, env=self._env(), stdout=log, stderr=log
        )

    def start(self) -> None:
        self.backend = self._spawn("-c", BACKEND, str(self.lease), str(self.backend_port))
        wait_until(
            lambda: answers(f"http://127.0.0.1:{self.backend_port}/healthz"), 60, "the backend"
        )
        with Session(self.engine) as session, session.begin():
            for k in range(100):
                session.add(Reporter(channel=Channel.TELEGRAM, chat_id=str(FIRST_CHAT + k)))
        self.start_gateway()

    def start_gateway(self) -> None:
        self.gateway = self._spawn("-m", "bot.channels")
        wait_until(
            lambda: answers(f"http://127.0.0.1:{self.gateway_port}/healthz"), 60, "the gateway"
        )

    def kill_gateway(self) -> None:
        assert self.gateway is not None  # noqa: S101
        self.gateway.send_signal(signal.SIGKILL)
        self.gateway.wait()

    def stop(self) -> None:
        for process in (self.gateway, self.backend):
            if process is not None and process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    process.kill()
        self.engine.dispose()

    def queue(self, notes: list[str]) -> list[int]:
        """One status news per chat, in one transaction (like a move with supporters)."""
        with Session(self.engine) as session, session.begin():
            reporters = session.scalars(select(Reporter.id).order_by(Reporter.id)).all()
            messages = [
                OutboxMessage(
                    reporter_id=reporters[k],
                    kind="status_news",
                    payload={
                        "ticket_id": "JKT-7K3M-Q9XA",
                        "status": "proses",
                        "status_label": "Sedang ditindaklanjuti",
                        "note": note,
                    },
                )
                for k, note in enumerate(notes)
            ]
            session.add_all(messages)
            session.flush()
            return [m.id for m in messages]

    def states(self, ids: list[int]) -> list[tuple[DeliveryState, int]]:
        with Session(self.engine) as session:
            rows = session.execute(
                select(OutboxMessage.state, OutboxMessage.attempts).where(OutboxMessage.id.in_(ids))
            ).all()
            return [(state, attempts) for state, attempts in rows]


@contextlib.contextmanager
def checked_out(revision: str) -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="aduan-baseline-"))
    subprocess.run(  # noqa: S603
        ["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", str(folder), revision],  # noqa: S607
        check=True,
    )
    try:
        yield folder
    finally:
        subprocess.run(  # noqa: S603
            ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(folder)],  # noqa: S607
            check=False,
        )


class FakeTelegram:
    """The fake Bot API process and what it received."""

    def __init__(self, latency: float) -> None:
        port = free_port()
        self.url = f"http://127.0.0.1:{port}"
        self._process = subprocess.Popen(  # noqa: S603 - our own interpreter and code
            [sys.executable, "-c", TELEGRAM, BOT_TOKEN, str(port), str(latency)],
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        wait_until(lambda: answers(f"{self.url}/_sent"), 60, "the fake Telegram")

    def received(self) -> Counter[str]:
        notes: Counter[str] = Counter()
        for text in httpx.get(f"{self.url}/_sent", timeout=10).json():
            notes.update(NOTE.findall(text))
        return notes

    def reset(self) -> None:
        httpx.post(f"{self.url}/_reset", timeout=10)

    def stop(self) -> None:
        self._process.terminate()
        self._process.wait(timeout=15)


def delivery_seconds(stack: Stack, label: str, count: int) -> float:
    """How long the news of one trial take to be sent, without a kill."""
    started = time.monotonic()
    ids = stack.queue([f"bench-{label}-0-{k}" for k in range(count)])
    wait_until(lambda: all(s is DeliveryState.SENT for s, _ in stack.states(ids)), 30, "a delivery")
    return time.monotonic() - started


def run(
    tree: Path, label: str, fake: FakeTelegram, args: argparse.Namespace, window: float | None
) -> tuple[Tally, float]:
    fake.reset()
    rng = random.Random(args.seed)
    tally = Tally()
    with tempfile.TemporaryDirectory(prefix=f"outbox-crash-{label}-") as workdir:
        stack = Stack(tree, Path(workdir), fake.url, args.lease)
        try:
            stack.start()
            if window is None:
                spans = [delivery_seconds(stack, label, args.news) for _ in range(5)]
                window = 1.5 * max(spans)
            fake.reset()
            for trial in range(1, args.trials + 1):
                notes = [f"bench-{label}-{trial}-{k}" for k in range(args.news)]
                ids = stack.queue(notes)
                time.sleep(rng.uniform(0, window))
                stack.kill_gateway()
                if any(s is not DeliveryState.SENT and n > 0 for s, n in stack.states(ids)):
                    tally.interrupted += 1
                stack.start_gateway()
                with contextlib.suppress(TimeoutError):
                    wait_until(
                        lambda ids=ids: all(  # type: ignore[misc]
                            s is DeliveryState.SENT for s, _ in stack.states(ids)
                        ),
                        args.lease + 30,
                        "the news of a trial",
                    )
                counts = fake.received()
                tally.trials += 1
                tally.news += len(notes)
                tally.once += sum(counts[n] == 1 for n in notes)
                tally.duplicated += sum(counts[n] > 1 for n in notes)
                tally.lost += sum(counts[n] == 0 for n in notes)
                if trial % 20 == 0:
                    print(f"  {label}: {trial} trials", file=sys.stderr, flush=True)  # noqa: T201
        finally:
            stack.stop()
    return tally, window


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--trials", type=int, default=200)
    parser.add_argument("--news", type=int, default=5, help="status news queued per trial")
    parser.add_argument("--lease", type=float, default=1.0, help="outbox lease, seconds")
    parser.add_argument(
        "--window", type=float, help="kill within this many seconds (default: 1.5x a delivery)"
    )
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument(
        "--latency", type=float, default=0.0, help="the fake Telegram answers after this, s"
    )
    parser.add_argument("--baseline", help="a git revision to run the same trials on")
    args = parser.parse_args()

    fake = FakeTelegram(args.latency)
    results: list[tuple[str, Tally]] = []
    try:
        tally, window = run(ROOT, "tree", fake, args, args.window)
        results.append(("this tree", tally))
        if args.baseline:
            with checked_out(args.baseline) as folder:
                base, _ = run(folder, "base", fake, args, window)
            results.append((f"baseline {args.baseline}", base))
    finally:
        fake.stop()

    print(  # noqa: T201
        f"outbox crash bench: {args.trials} trials, {args.news} status news each, gateway "
        f"killed (SIGKILL) at a random moment in the first {window * 1000:.0f} ms after "
        f"they were queued, then restarted; lease {args.lease:g} s; Telegram answers "
        f"after {args.latency * 1000:.0f} ms"
    )
    print(  # noqa: T201
        f"{'':24} {'trials':>6} {'interrupted':>11} {'news':>5} {'once':>5} "
        f"{'duplicated':>10} {'lost':>5}"
    )
    for name, t in results:
        print(  # noqa: T201
            f"{name:24} {t.trials:6} {t.interrupted:11} {t.news:5} {t.once:5} "
            f"{t.duplicated:10} {t.lost:5}"
        )
    if len(results) == 2:
        new, old = results[0][1].duplicated, results[1][1].duplicated
        ratio = f"{old / new:.1f}x" if new else "inf (none with this tree)"
        print(f"duplicates, baseline / this tree: {old} / {new} = {ratio}")  # noqa: T201


if __name__ == "__main__":
    main()
