"""Benchmark of the Rasa assistant: training, NLU scores, latency, saturation.

Run it with the Rasa environment (it trains and talks to Rasa):

    .venv-rasa/bin/python bench/assistant.py                 # start everything
    .venv-rasa/bin/python bench/assistant.py --model models/aduan.tar.gz \
        --rasa-workers 2 --redis-url redis://127.0.0.1:6379/5

It prints:
1. training time (a fresh `rasa train` into var/bench/, unless --model);
2. the blind sets' figures (tests/rasa/evaluate_nlu.py: intent macro-F1, category
   top 1, emergency recall, per set);
3. per-turn latency p50/p95 through Rasa's REST channel, actions and backend
   included, at a citizen's pace: 50 conversations, each sending its next
   message 3-5 s after the last reply;
4. saturation: turns per second with closed-loop clients that send as fast
   as replies come.

Everything is bounded (fixed conversations, fixed durations, timeouts) and
stays on 127.0.0.1: the backend, the action server and Rasa it starts listen
on loopback only, and given URLs must be loopback too. What it starts, it
stops. Floors (issue 3): p95 <= 150 ms at a citizen's pace; >= 30 turns/s.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import aiohttp

ROOT = Path(__file__).resolve().parents[1]
RASA_VENV = ROOT / ".venv-rasa" / "bin"
MAIN_PYTHON = ROOT / ".venv" / "bin" / "python"
WORK = ROOT / "var" / "bench"

# What a citizen types: a first message with the problem, no photo (these
# categories do not need one), a place, confirmation, then a status question.
PROBLEMS = [
    "sampah numpuk di depan gang udh seminggu ga diangkut",
    "got mampet udh 3 hari bau bgt",
    "lampu jalan mati di gang kami, gelap banget",
    "parkir liar di depan sekolah bikin macet tiap pagi",
    "PKL numpuk di trotoar stasiun",
    "air pam mati dari kemarin sore",
    "banjir sedengkul di jalan depan rumah",
    "pohon gede miring mau roboh ke jalan",
]
KELURAHAN = [
    "Tebet Timur",
    "Cipete Utara",
    "Kampung Melayu",
    "Pela Mampang",
    "Kebon Jeruk",
    "Cempaka Putih Timur",
    "Duren Sawit",
    "Pademangan Timur",
    "Kalibata",
    "Rawamangun",
]


def conversation(rng: random.Random) -> list[str]:
    return [
        rng.choice(["halo min", "selamat pagi", "assalamualaikum"]),
        rng.choice(PROBLEMS),
        "/skip",
        f"di kelurahan {rng.choice(KELURAHAN)} rt 0{rng.randint(1, 9)}",
        rng.choice(["ok kirim", "iya", "kirim"]),
        "laporan saya gimana kabarnya",
    ]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def loopback(url: str) -> str:
    host = urlsplit(url).hostname
    if host not in {"127.0.0.1", "localhost", "::1"}:
        raise SystemExit(f"refusing a non-loopback URL: {url}")
    return url.rstrip("/")


class Processes:
    """Starts the services the bench needs and stops them all at the end."""

    def __init__(self, log_dir: Path) -> None:
        self.log_dir = log_dir
        self.started: list[subprocess.Popen[bytes]] = []

    def start(self, name: str, args: list[str], env: dict[str, str]) -> None:
        log = (self.log_dir / f"{name}.log").open("wb")
        process = subprocess.Popen(  # noqa: S603 - fixed argument lists
            args, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.started.append(process)

    def stop(self) -> None:
        for process in reversed(self.started):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.started:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)


async def wait_until_up(url: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    async with aiohttp.ClientSession() as session:
        while time.monotonic() < deadline:
            # asyncio.TimeoutError is not OSError on Python 3.10.
            with contextlib.suppress(aiohttp.ClientError, OSError, asyncio.TimeoutError):  # noqa: UP041
                async with session.get(url, timeout=aiohttp.ClientTimeout(total=2)) as response:
                    if response.status == 200:
                        return
            await asyncio.sleep(1)
    raise SystemExit(f"{url} did not come up within {seconds:.0f} s")


def base_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RASA_", "SANIC_", "REDIS_"))}
    env.update({"RASA_TELEMETRY_ENABLED": "false", "PYTHONPATH": str(ROOT)})
    return env


def train(out: Path) -> float:
    started = time.perf_counter()
    subprocess.run(  # noqa: S603 - fixed arguments
        [
            str(RASA_VENV / "rasa"),
            "train",
            "--config",
            "bot/config.yml",
            "--domain",
            "bot/domain",
            "--data",
            "bot/data",
            "nlu_data",
            "--out",
            str(out),
            "--fixed-model-name",
            "bench",
            "--force",
            "--quiet",
        ],
        cwd=ROOT,
        env=base_env(),
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return time.perf_counter() - started


def nlu_scores(model: Path) -> dict[str, dict[str, float]]:
    out = WORK / "nlu_scores.json"
    subprocess.run(  # noqa: S603 - fixed arguments
        [
            str(RASA_VENV / "python"),
            "tests/rasa/evaluate_nlu.py",
            "--model",
            str(model),
            "--no-floors",
            "--json",
            str(out),
        ],
        cwd=ROOT,
        env=base_env(),
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    scores: dict[str, dict[str, float]] = json.loads(out.read_text())
    return scores


async def send(session: aiohttp.ClientSession, rasa: str, sender: str, text: str) -> float:
    started = time.perf_counter()
    async with session.post(
        f"{rasa}/webhooks/rest/webhook",
        json={"sender": sender, "message": text},
        timeout=aiohttp.ClientTimeout(total=30),
    ) as response:
        await response.read()
        if response.status != 200:
            raise RuntimeError(f"Rasa answered {response.status}")
    return time.perf_counter() - started


async def citizen_pace(rasa: str, conversations: int, seed: int) -> list[float]:
    rng = random.Random(seed)
    latencies: list[float] = []

    async def one(index: int, session: aiohttp.ClientSession) -> None:
        sender = f"web:bench-pace-{seed}-{index}"
        await asyncio.sleep(rng.uniform(0, 4))  # citizens do not start in step
        for text in conversation(rng):
            latencies.append(await send(session, rasa, sender, text))
            await asyncio.sleep(rng.uniform(3, 5))

    connector = aiohttp.TCPConnector(limit=conversations)
    async with aiohttp.ClientSession(connector=connector) as session:
        await asyncio.gather(*(one(i, session) for i in range(conversations)))
    return latencies


async def saturation(rasa: str, clients: int, seconds: float, seed: int) -> tuple[int, list[float]]:
    rng = random.Random(seed)
    latencies: list[float] = []
    deadline = time.monotonic() + seconds

    async def client(index: int, session: aiohttp.ClientSession) -> None:
        round_ = 0
        while time.monotonic() < deadline:
            sender = f"web:bench-sat-{seed}-{index}-{round_}"
            for text in conversation(rng):
                if time.monotonic() >= deadline:
                    return
                latencies.append(await send(session, rasa, sender, text))
            round_ += 1

    connector = aiohttp.TCPConnector(limit=clients)
    async with aiohttp.ClientSession(connector=connector) as session:
        started = time.monotonic()
        await asyncio.gather(*(client(i, session) for i in range(clients)))
        elapsed = time.monotonic() - started
    return round(len(latencies) / elapsed, 1), latencies


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


@contextlib.contextmanager
def services(args: argparse.Namespace, model: Path) -> Iterator[str]:
    """Yields Rasa's URL, with the backend and action server behind it."""
    if args.rasa_url:
        yield loopback(args.rasa_url)
        return
    processes = Processes(WORK)
    try:
        env = base_env()
        token = args.service_token or secrets.token_urlsafe(24)
        if args.backend_url:
            backend = loopback(args.backend_url)
        else:
            port = free_port()
            backend = f"http://127.0.0.1:{port}"
            processes.start(
                "backend",
                [str(MAIN_PYTHON), "-m", "backend"],
                {
                    **env,
                    "DATABASE_URL": f"sqlite:///{WORK / 'backend.db'}",
                    "BACKEND_HOST": "127.0.0.1",
                    "BACKEND_PORT": str(port),
                    "BACKEND_SERVICE_TOKEN": token,
                    "PHOTO_DIR": str(WORK / "photos"),
                    "LOG_LEVEL": "WARNING",
                },
            )
        actions_port = free_port()
        processes.start(
            "actions",
            [str(RASA_VENV / "python"), "-m", "rasa_sdk", "--actions", "actions"]
            + ["--port", str(actions_port)],
            {
                **env,
                "BACKEND_URL": backend,
                "BACKEND_SERVICE_TOKEN": token,
                "SANIC_HOST": "127.0.0.1",
            },
        )
        rasa_port = free_port()
        rasa_env = {
            **env,
            "ACTION_SERVER_URL": f"http://127.0.0.1:{actions_port}/webhook",
            "RASA_TRACKER_STORE_URL": args.tracker_url or f"sqlite:///{WORK / 'tracker.db'}",
            "SANIC_WORKERS": str(args.rasa_workers),
        }
        endpoints = "bot/endpoints.yml"
        if args.redis_url:
            rasa_env["REDIS_URL"] = args.redis_url
            endpoints = "bot/endpoints.redis.yml"
        processes.start(
            "rasa",
            [str(RASA_VENV / "rasa"), "run", "--model", str(model), "--endpoints", endpoints]
            + ["--credentials", "bot/credentials.yml", "--interface", "127.0.0.1"]
            + ["--port", str(rasa_port), "--enable-api"],
            rasa_env,
        )
        rasa = f"http://127.0.0.1:{rasa_port}"
        asyncio.run(wait_until_up(f"{backend}/healthz", 120))
        asyncio.run(wait_until_up(f"http://127.0.0.1:{actions_port}/health", 120))
        asyncio.run(wait_until_up(f"{rasa}/status", 300))
        yield rasa
    finally:
        processes.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", help="use this model instead of training one")
    parser.add_argument("--rasa-url", help="a running Rasa (loopback); nothing is started")
    parser.add_argument("--backend-url", help="a running backend (loopback)")
    parser.add_argument("--service-token", help="the backend's service token, with --backend-url")
    parser.add_argument("--rasa-workers", type=int, default=1, help="SANIC_WORKERS for Rasa")
    parser.add_argument("--redis-url", help="Redis lock store (needed for more than one worker)")
    parser.add_argument("--tracker-url", help="tracker store URL (default: SQLite in var/bench)")
    parser.add_argument("--conversations", type=int, default=50)
    parser.add_argument("--clients", type=int, default=10, help="closed-loop clients")
    parser.add_argument("--seconds", type=float, default=30.0, help="saturation run length")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    if args.rasa_workers > 1 and not (args.redis_url or args.rasa_url):
        parser.error("more than one Rasa worker needs --redis-url (Rasa's lock store)")
    args.conversations = min(args.conversations, 500)
    args.seconds = min(args.seconds, 300.0)

    WORK.mkdir(parents=True, exist_ok=True)
    for stale in ("backend.db", "tracker.db"):
        (WORK / stale).unlink(missing_ok=True)
    out = sys.stdout
    if args.model:
        model = Path(args.model)
        out.write("training: skipped (--model)\n")
    else:
        seconds = train(WORK / "model")
        model = WORK / "model" / "bench.tar.gz"
        out.write(f"training: {seconds:.0f} s (rasa train, NLU and dialogue)\n")
    out.flush()
    for name, scores in nlu_scores(model).items():
        out.write(
            f"NLU on blind set {name} ({scores['messages']:.0f} messages): intent macro-F1 "
            f"{scores['intent_macro_f1']:.3f}, category top 1 {scores['category_top1']:.3f}, "
            f"emergency recall {scores['emergency_recall']:.3f}\n"
        )
    out.flush()
    with services(args, model) as rasa:
        asyncio.run(send_warmup(rasa))
        pace = asyncio.run(citizen_pace(rasa, args.conversations, args.seed))
        out.write(
            f"citizen pace ({args.conversations} conversations, 3-5 s between messages): "
            f"{len(pace)} turns, p50 {percentile(pace, 0.5) * 1000:.0f} ms, "
            f"p95 {percentile(pace, 0.95) * 1000:.0f} ms, "
            f"max {max(pace) * 1000:.0f} ms\n"
        )
        out.flush()
        rate, sat = asyncio.run(saturation(rasa, args.clients, args.seconds, args.seed + 1))
        out.write(
            f"saturation ({args.clients} closed-loop clients, {args.seconds:.0f} s, "
            f"{args.rasa_workers} Rasa worker(s)): {rate} turns/s, "
            f"p50 {statistics.median(sat) * 1000:.0f} ms, "
            f"p95 {percentile(sat, 0.95) * 1000:.0f} ms\n"
        )
    return 0


async def send_warmup(rasa: str) -> None:
    async with aiohttp.ClientSession() as session:
        for text in ("halo", "mau lapor", "batal"):
            await send(session, rasa, "web:bench-warmup", text)


if __name__ == "__main__":
    sys.exit(main())
