"""Backend load on loopback: status lookups and complaint filing, SQLite and PostgreSQL.

Starts the backend (`python -m backend`) on a free port against a fresh
database, then prints, per database:
- status lookups/s with closed-loop clients, and p50/p95 latency with 200
  lookups/s offered open-loop (requests sent on a fixed schedule);
- complaints created/s with closed-loop clients.

Bounded: every phase stops after a fixed time. Usage:
    .venv/bin/python bench/backend_load.py [--seconds 10] [--only sqlite|postgresql]
"""

import argparse
import asyncio
import json
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx
import psycopg

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN = os.environ.get("TEST_POSTGRES_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/test")
OFFERED_RATE = 200
BODY = {
    "category": "jalan_rusak",
    "description": "jalan depan rumah bolong gede bgt min, udah 2 minggu",
    "channel": "telegram",
    "latitude": -6.2446,
    "longitude": 106.8002,
}


class LeanClient:
    """A minimal HTTP/1.1 keep-alive client on asyncio streams.

    httpx costs about a millisecond of CPU a request, which on two cores is
    taken from the server under test; this costs a fraction of that.
    """

    def __init__(self, base: str, headers: dict[str, str], connections: int) -> None:
        host, port = base.removeprefix("http://").split(":")
        self.host, self.port = host, int(port)
        self.headers = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        self.idle: asyncio.Queue[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = (
            asyncio.Queue()
        )
        self.slots = asyncio.Semaphore(connections)

    async def request(
        self, method: str, path: str, body: bytes = b"", extra: str = ""
    ) -> tuple[int, bytes]:
        async with self.slots:
            if self.idle.empty():
                reader, writer = await asyncio.open_connection(self.host, self.port)
            else:
                reader, writer = self.idle.get_nowait()
            head = (
                f"{method} {path} HTTP/1.1\r\nHost: {self.host}\r\n{self.headers}{extra}"
                f"Content-Length: {len(body)}\r\nContent-Type: application/json\r\n\r\n"
            )
            writer.write(head.encode() + body)
            status_line = await reader.readline()
            length = 0
            while (line := await reader.readline()) not in (b"\r\n", b""):
                name, _, value = line.decode().partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            payload = await reader.readexactly(length)
            self.idle.put_nowait((reader, writer))
            return int(status_line.split()[1]), payload

    async def close(self) -> None:
        while not self.idle.empty():
            _, writer = self.idle.get_nowait()
            writer.close()


BODY_BYTES = json.dumps(BODY).encode()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def start_backend(
    database_url: str, token: str, workers: int
) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "BACKEND_SERVICE_TOKEN": token,
        "BACKEND_PORT": str(port),
        "BACKEND_WORKERS": str(workers),
        "PHOTO_DIR": tempfile.mkdtemp(prefix="aduan-bench-photos-"),
        "LOG_LEVEL": "WARNING",
    }
    proc = subprocess.Popen([sys.executable, "-m", "backend"], cwd=ROOT, env=env)  # noqa: S603
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return proc, base
        except httpx.TransportError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("backend did not start")


async def create(client: LeanClient) -> tuple[float, str]:
    start = time.perf_counter()
    status, payload = await client.request(
        "POST", "/api/v1/complaints", BODY_BYTES, f"Idempotency-Key: {uuid.uuid4().hex}\r\n"
    )
    if status != 201:
        raise RuntimeError(f"filing answered {status}: {payload[:200]!r}")
    return time.perf_counter() - start, str(json.loads(payload)["ticket_id"])


async def closed_loop(job, clients: int, seconds: float) -> tuple[int, list[float]]:  # type: ignore[no-untyped-def]
    latencies: list[float] = []
    deadline = time.perf_counter() + seconds

    async def worker() -> None:
        while time.perf_counter() < deadline:
            latencies.append(await job())

    await asyncio.gather(*(worker() for _ in range(clients)))
    return len(latencies), latencies


async def open_loop(job, rate: int, seconds: float) -> list[float]:  # type: ignore[no-untyped-def]
    """Send `rate` requests per second on a schedule, whatever the replies do."""
    tasks = []
    start = time.perf_counter()
    for i in range(int(rate * seconds)):
        delay = start + i / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(job()))
    return list(await asyncio.gather(*tasks))


async def measure(base: str, token: str, seconds: float) -> dict[str, float]:
    c = LeanClient(base, {"Authorization": f"Bearer {token}"}, connections=64)
    tickets = [(await create(c))[1] for _ in range(200)]

    async def create_job() -> float:
        return (await create(c))[0]

    async def lookup_job() -> float:
        start = time.perf_counter()
        status, _ = await c.request("GET", f"/api/v1/complaints/{secrets.choice(tickets)}")
        if status != 200:
            raise RuntimeError(f"lookup answered {status}")
        return time.perf_counter() - start

    created, _ = await closed_loop(create_job, 16, seconds)
    looked_up, _ = await closed_loop(lookup_job, 16, seconds)
    offered = await open_loop(lookup_job, OFFERED_RATE, seconds)
    await c.close()
    return {
        "created_per_s": created / seconds,
        "lookups_per_s": looked_up / seconds,
        "p50_ms": statistics.median(offered) * 1000,
        "p95_ms": percentile(offered, 0.95) * 1000,
    }


def run(name: str, database_url: str, seconds: float, workers: int) -> None:
    token = secrets.token_urlsafe(24)
    proc, base = start_backend(database_url, token, workers)
    try:
        figures = asyncio.run(measure(base, token, seconds))
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    print(
        f"{name:<10} workers={workers}  created/s={figures['created_per_s']:7.1f}  "
        f"lookups/s={figures['lookups_per_s']:7.1f}  "
        f"at {OFFERED_RATE}/s offered: p50={figures['p50_ms']:.1f} ms "
        f"p95={figures['p95_ms']:.1f} ms",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--workers", type=int, default=int(os.environ.get("BACKEND_WORKERS", 2)))
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    args = parser.parse_args()
    if args.only != "postgresql":
        with tempfile.TemporaryDirectory() as tmp:
            run("sqlite", f"sqlite:///{tmp}/bench.db", args.seconds, args.workers)
    if args.only != "sqlite":
        name = f"aduan_bench_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
            try:
                base = PG_ADMIN.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://")
                run("postgresql", f"{base}/{name}", args.seconds, args.workers)
            finally:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
