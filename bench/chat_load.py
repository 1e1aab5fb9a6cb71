"""Chat load: N Telegram users through the gateway vs. the same turns straight to Rasa.

Starts a fake Telegram Bot API (in this process) and the gateway
(`python -m bot.channels`, its own process) pointed at it. Rasa is the real
server at --rasa-url when it answers, else a stub REST channel in this
process that takes --stub-ms per turn, one turn at a time (as one Rasa
process does). Each user runs complete complaint dialogues:

- pace: next message 3-5 s after the last reply (a citizen's pace);
- saturation: next message at once, for --seconds.

A gateway turn lasts from the webhook POST until the fake Bot API received
every reply of that turn (`sendMessage`); a direct turn is one POST to Rasa's
REST channel. The paths alternate (D G, G D, ... for --rounds) so drifting
background load hits both; each round gives a ratio and the floors are judged
on their median: gateway p95 <= 1.25x direct at pace, gateway throughput
>= 90 % of direct at saturation. Also prints, per path and phase, turns,
p50/p95 latency and turns/s pooled over the rounds, and the gateway's CPU
seconds per turn; --profile prints the gateway's cProfile hot spots.

    .venv/bin/python bench/chat_load.py [--users 50] [--seconds 40] [--rounds 4]
        [--rasa-url URL] [--profile]
"""

import argparse
import asyncio
import json
import os
import pstats
import random
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bot.channels.messages import Reply  # noqa: E402
from bot.channels.telegram import TelegramChannel  # noqa: E402

RENDERER = TelegramChannel(
    "0:render-only",
    httpx.AsyncClient(),
    api_base_url="http://127.0.0.1:9/",
    file_base_url="http://127.0.0.1:9/",
    max_photo_bytes=1,
)
TOKEN = "777:BENCH"  # noqa: S105 - the fake Bot API takes any token
SECRET = secrets.token_hex(16)
DIALOGUE: list[dict[str, Any]] = [
    {"text": "halo min"},
    {"text": "mau lapor"},
    {"text": "sampah numpuk di pinggir jalan udah seminggu tidak diangkut"},
    {"text": "/skip"},  # the "Lewati" button for the photo
    {"location": {"latitude": -6.2446, "longitude": 106.8002}},
    {"text": "/affirm"},  # "Ya, kirim"
]


QUIET = 3.0  # seconds without a reply that end a gateway turn sending fewer than expected


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


async def serve_here(app: Any, port: int) -> tuple[uvicorn.Server, asyncio.Task[None]]:
    """Serve on this event loop, beside the simulated users: a server in a thread
    would wait for the GIL (up to its 5 ms switch interval) on every reply it sees,
    adding to the gateway path only."""
    server = uvicorn.Server(uvicorn.Config(app, port=port, log_level="warning", access_log=False))
    task = asyncio.create_task(server.serve())
    while not server.started:  # noqa: ASYNC110 - uvicorn offers a flag, not an event
        await asyncio.sleep(0.01)
    return server, task


class BotApi:
    """Fake Bot API on the bench's loop; wakes the user waiting for its chat's n-th reply."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.counts: dict[int, int] = defaultdict(int)
        self.last: dict[int, float] = {}  # when each chat's latest reply arrived
        self.waiters: dict[int, tuple[int, asyncio.Future[float]]] = {}

    def wait(self, chat: int, count: int) -> asyncio.Future[float]:
        future: asyncio.Future[float] = self.loop.create_future()
        if self.counts[chat] >= count:
            future.set_result(time.perf_counter())
        else:
            self.waiters[chat] = (count, future)
        return future

    def _sent(self, chat: int) -> None:
        self.counts[chat] += 1
        self.last[chat] = time.perf_counter()
        waiter = self.waiters.get(chat)
        if waiter and self.counts[chat] >= waiter[0]:
            del self.waiters[chat]
            _resolve(waiter[1], time.perf_counter())

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        """A bare ASGI app, so the fake costs little next to the gateway it measures."""
        if scope["type"] == "lifespan":
            while True:
                event = await receive()
                if event["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                else:
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        body = b""
        while True:
            event = await receive()
            body += event.get("body", b"")
            if not event.get("more_body"):
                break
        method = scope["path"].rsplit("/", 1)[-1]
        result: Any = True
        if method == "getMe":
            result = {"id": 1, "is_bot": True, "first_name": "Aduan", "username": "bench_bot"}
        elif method == "sendMessage":
            params = json.loads(body)
            chat = int(params["chat_id"])
            self._sent(chat)
            result = {
                "message_id": 1,
                "date": int(time.time()),
                "chat": {"id": chat, "type": "private"},
                "text": params["text"],
            }
        payload = json.dumps({"ok": True, "result": result}).encode()
        headers = [(b"content-type", b"application/json")]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": payload})


def _resolve(future: asyncio.Future[float], value: float) -> None:
    if not future.done():
        future.set_result(value)


def stub_rasa(delay: float) -> FastAPI:
    app = FastAPI()
    one_at_a_time = asyncio.Lock()

    @app.post("/webhooks/rest/webhook")
    async def webhook(request: Request) -> JSONResponse:
        body = await request.json()
        async with one_at_a_time:
            await asyncio.sleep(delay)
        replies = [{"recipient_id": body["sender"], "text": "Baik, dicatat."}]
        if body["message"].startswith("/share_location"):
            replies.append({"recipient_id": body["sender"], "text": "Ada foto?"})
        return JSONResponse(replies)

    return app


def rasa_message(turn: dict[str, Any]) -> str:
    if "location" in turn:
        place = turn["location"]
        return (
            f'/share_location{{"latitude": {place["latitude"]}, "longitude": {place["longitude"]}}}'
        )
    return str(turn["text"])


Turn = Callable[[int, int, int], Awaitable[float]]


async def run_users(
    users: int, turn: Turn, pace: bool, seconds: float
) -> tuple[list[float], float]:
    """Pace: one dialogue per user. Saturation: dialogues back to back until the
    deadline; only turns finished by then count (no tail of stragglers)."""
    latencies: list[float] = []
    started = time.perf_counter()
    deadline = started + seconds

    async def user(n: int) -> None:
        dialogue = 0
        if pace:  # citizens do not all start typing in the same millisecond
            await asyncio.sleep(random.uniform(0.0, 4.0))
        while True:
            for index in range(len(DIALOGUE)):
                took = await turn(n, dialogue, index)
                if not pace and time.perf_counter() > deadline:
                    return
                latencies.append(took)
                if pace:
                    await asyncio.sleep(random.uniform(3.0, 5.0))
            dialogue += 1
            if pace:
                return

    await asyncio.gather(*(user(n) for n in range(users)))
    return latencies, (time.perf_counter() - started) if pace else seconds


@dataclass
class Comparison:
    median: float
    ratios: list[float]


def summary(latencies: list[float], elapsed: float) -> dict[str, float]:
    cuts = statistics.quantiles(latencies, n=100)
    return {
        "turns": len(latencies),
        "p50_ms": cuts[49] * 1000,
        "p95_ms": cuts[94] * 1000,
        "turns_per_s": len(latencies) / elapsed,
    }


def report(name: str, latencies: list[float], elapsed: float) -> dict[str, float]:
    row = summary(latencies, elapsed)
    print(
        f"{name:<24} turns {row['turns']:>6}  p50 {row['p50_ms']:8.1f} ms  "
        f"p95 {row['p95_ms']:8.1f} ms  {row['turns_per_s']:8.1f} turns/s"
    )
    return row


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument(
        "--seconds", type=float, default=40.0, help="saturation time per path, over all rounds"
    )
    parser.add_argument("--rasa-url", default=os.environ.get("RASA_URL", ""))
    parser.add_argument("--stub-ms", type=float, default=20.0)
    parser.add_argument("--skip-pace", action="store_true")
    parser.add_argument(
        "--rounds", type=int, default=4, help="alternations of the two paths (D G, G D, ...)"
    )
    parser.add_argument(
        "--profile", action="store_true", help="cProfile the gateway and print its hot spots"
    )
    parser.add_argument("--serve-stub", type=int, metavar="PORT", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_stub:
        stub_app = stub_rasa(args.stub_ms / 1000)
        uvicorn.run(stub_app, port=args.serve_stub, log_level="warning", access_log=False)
        return 0

    loop = asyncio.new_event_loop()
    bot_api = BotApi(loop)
    bot_port = free_port()
    bot_server, bot_task = loop.run_until_complete(serve_here(bot_api, bot_port))
    rasa_url = args.rasa_url
    if rasa_url:
        try:
            httpx.get(rasa_url, timeout=3).raise_for_status()
            print(f"Rasa: real server at {rasa_url}")
        except httpx.HTTPError:
            print(f"Rasa at {rasa_url} does not answer; using the stub")
            rasa_url = ""
    stub: subprocess.Popen[bytes] | None = None
    if not rasa_url:
        port = free_port()
        command = [
            sys.executable,
            __file__,
            "--serve-stub",
            str(port),
            "--stub-ms",
            str(args.stub_ms),
        ]
        stub = subprocess.Popen(command, cwd=ROOT)  # noqa: S603
        rasa_url = f"http://127.0.0.1:{port}"
        print(f"Rasa: stub process, {args.stub_ms:g} ms per turn, one turn at a time")

    gateway_port = free_port()
    workdir = Path(tempfile.mkdtemp(prefix="chat-load-"))
    env = os.environ | {
        "GATEWAY_PORT": str(gateway_port),
        "RASA_URL": rasa_url,
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_WEBHOOK_SECRET": SECRET,
        "TELEGRAM_PUBLIC_URL": "https://bench.invalid",
        "TELEGRAM_API_BASE_URL": f"http://127.0.0.1:{bot_port}/bot",
        "TELEGRAM_FILE_BASE_URL": f"http://127.0.0.1:{bot_port}/file/bot",
        "GATEWAY_DB_PATH": str(workdir / "gateway.db"),
        "FLOOD_MAX_PER_MINUTE": "100000",  # simulated users type at machine speed
        "LOG_LEVEL": "WARNING",
    }
    profile = workdir / "gateway.prof"
    if args.profile:
        env["GATEWAY_PROFILE"] = str(profile)
    env.pop("REDIS_URL", None)
    gateway = subprocess.Popen([sys.executable, "-m", "bot.channels"], cwd=ROOT, env=env)  # noqa: S603
    try:
        gateway_up = up(f"http://127.0.0.1:{gateway_port}/healthz")
        if not (
            loop.run_until_complete(gateway_up) and loop.run_until_complete(up(rasa_url, True))
        ):
            print("gateway or Rasa stub did not start", file=sys.stderr)
            return 2
        args.gateway_pid = gateway.pid
        return loop.run_until_complete(phases(args, bot_api, rasa_url, gateway_port))
    finally:
        for process in (gateway, stub):
            if process is not None:
                process.terminate()
                process.wait(timeout=20)
        bot_server.should_exit = True
        loop.run_until_complete(bot_task)
        loop.close()
        if args.profile:
            print_profile(profile)


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of a process (Linux /proc), or None elsewhere."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def up(url: str, post: bool = False) -> bool:
    """Wait for a server, on the loop (the fake Bot API must answer the gateway's start)."""
    async with httpx.AsyncClient(timeout=30) as http:
        for _ in range(300):
            try:
                if post:
                    body = {"sender": "up", "message": "hi"}
                    await http.post(f"{url}/webhooks/rest/webhook", json=body)
                    return True
                if (await http.get(url)).is_success:
                    return True
            except httpx.TransportError:
                await asyncio.sleep(0.1)
    return False


async def phases(args: argparse.Namespace, bot_api: BotApi, rasa_url: str, port: int) -> int:
    # Idle connections go before uvicorn's 5 s keep-alive closes them (no stale reuse).
    limits = httpx.Limits(max_connections=args.users * 2, keepalive_expiry=2.0)
    async with httpx.AsyncClient(timeout=60, limits=limits) as http:
        return await _phases(args, http, bot_api, rasa_url, port)


async def _phases(
    args: argparse.Namespace, http: httpx.AsyncClient, bot_api: BotApi, rasa_url: str, port: int
) -> int:
    run_id = secrets.token_hex(3)
    expected: dict[tuple[int, int], int] = {}  # (user, turn) -> replies Rasa gave directly
    update_ids = iter(range(1, 10**9))
    sent_so_far: dict[int, int] = defaultdict(int)
    mismatched = 0

    async def direct(user: int, dialogue: int, index: int) -> float:
        start = time.perf_counter()
        reply = await http.post(
            f"{rasa_url}/webhooks/rest/webhook",
            json={
                "sender": f"bench-{run_id}-{user}-{dialogue}",
                "message": rasa_message(DIALOGUE[index]),
            },
        )
        took = time.perf_counter() - start
        # How many Telegram messages the gateway makes of these replies.
        replies = Reply.merge_location_requests([Reply.from_rasa(r) for r in reply.json()])
        expected[(user, index)] = sum(len(RENDERER.render(r)) for r in replies) or 1
        return took

    async def via_gateway(user: int, dialogue: int, index: int) -> float:
        chat = 10_000_000 + user * 1000 + dialogue + int(run_id, 16) * 100_000 % 10**8
        turn = DIALOGUE[index]
        message: dict[str, Any] = {
            "message_id": index + 1,
            "date": int(time.time()),
            "chat": {"id": chat, "type": "private", "first_name": "Bench"},
            "from": {"id": chat, "is_bot": False, "first_name": "Bench"},
        }
        message.update(turn)
        sent_so_far[chat] += expected.get((user, index), 1)
        done = bot_api.wait(chat, sent_so_far[chat])
        start = time.perf_counter()
        response = await http.post(
            f"http://127.0.0.1:{port}/telegram/webhook",
            json={"update_id": next(update_ids), "message": message},
            headers={"X-Telegram-Bot-Api-Secret-Token": SECRET},
        )
        response.raise_for_status()
        return await finished(chat, done, start)

    async def finished(chat: int, done: asyncio.Future[float], start: float) -> float:
        """When the turn's last reply arrived. The count to wait for comes from the
        direct path's same turn; if the gateway's dialogue took another branch (a
        nearby report offered on one path only) it sends fewer: after QUIET seconds
        without a new reply the turn ends at its last reply, and it is counted."""
        nonlocal mismatched
        deadline = start + 60
        while True:
            try:
                return await asyncio.wait_for(asyncio.shield(done), QUIET) - start
            except TimeoutError:
                last = bot_api.last.get(chat, 0.0)
                quiet = time.perf_counter() - last >= QUIET
                if (last > start and quiet) or time.perf_counter() > deadline:
                    bot_api.waiters.pop(chat, None)
                    sent_so_far[chat] = bot_api.counts[chat]
                    mismatched += 1
                    return last - start if last > start else 60.0

    async def compare(phase: str, pace: bool) -> Comparison:
        """Alternate the paths (D G, G D, ...) so drifting background load hits both;
        each round gives one ratio, and the floors are judged on their median."""
        nonlocal run_id
        pooled: dict[str, tuple[list[float], float]] = {"direct": ([], 0.0), "gateway": ([], 0.0)}
        ratios: list[float] = []
        cpu = 0.0
        for round_ in range(args.rounds):
            order = ("direct", "gateway") if round_ % 2 == 0 else ("gateway", "direct")
            rows: dict[str, dict[str, float]] = {}
            for path in order:
                run_id = secrets.token_hex(3)
                before = cpu_seconds(args.gateway_pid) or 0.0
                turn = direct if path == "direct" else via_gateway
                latencies, elapsed = await run_users(
                    args.users, turn, pace, args.seconds / args.rounds
                )
                if path == "gateway":
                    cpu += (cpu_seconds(args.gateway_pid) or 0.0) - before
                pooled[path] = (pooled[path][0] + latencies, pooled[path][1] + elapsed)
                rows[path] = summary(latencies, elapsed)
            if pace:
                ratios.append(rows["gateway"]["p95_ms"] / rows["direct"]["p95_ms"])
                what = f"p95 {rows['direct']['p95_ms']:.0f} / {rows['gateway']['p95_ms']:.0f} ms"
            else:
                ratios.append(rows["gateway"]["turns_per_s"] / rows["direct"]["turns_per_s"])
                what = (
                    f"{rows['direct']['turns_per_s']:.1f} / "
                    f"{rows['gateway']['turns_per_s']:.1f} turns/s"
                )
            print(f"  {phase} round {round_ + 1}: direct / gateway {what}: {ratios[-1]:.2f}")
        report(f"direct Rasa, {phase}", *pooled["direct"])
        gateway_row = report(f"gateway, {phase}", *pooled["gateway"])
        if cpu:
            print(f"  gateway CPU per turn: {cpu / gateway_row['turns'] * 1000:.2f} ms")
        return Comparison(statistics.median(ratios), ratios)

    print(f"{args.users} users, dialogue of {len(DIALOGUE)} turns, {args.rounds} rounds per phase")
    ok = True
    if not args.skip_pace:
        pace = await compare("pace", pace=True)
        ok &= pace.median <= 1.25
        print(f"pace p95 gateway/direct, median of rounds: {pace.median:.2f}x (floor <= 1.25x)")
    saturation = await compare("saturation", pace=False)
    ok &= saturation.median >= 0.9
    print(
        f"saturation throughput gateway/direct, median of rounds: {saturation.median:.0%} "
        "(floor >= 90 %)"
    )
    if mismatched:
        print(f"gateway turns that took another dialogue branch than direct: {mismatched}")
    print("floors met" if ok else "FLOORS NOT MET")
    return 0 if ok else 1


def print_profile(path: Path, limit: int = 30) -> None:
    """The gateway's hottest functions (own time), from GATEWAY_PROFILE's dump."""
    if not path.exists():
        print("no profile written (the gateway did not stop cleanly)")
        return
    print(f"gateway profile (cProfile, own time; whole run incl. start-up): {path}")
    pstats.Stats(str(path)).sort_stats("tottime").print_stats(limit)


if __name__ == "__main__":
    sys.exit(main())
