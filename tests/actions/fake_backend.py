"""A local stand-in for the backend's HTTP API (loopback only).

Each test scripts the answers it needs; every request is recorded so tests
can check the body, the headers and how many times a call was retried.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestServer


@dataclass
class Recorded:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: Any


Reply = tuple[int, Any]


@dataclass
class FakeBackend:
    """routes: "METHOD /path" -> list of replies, served in order (the last one repeats)."""

    routes: dict[str, list[Reply] | Callable[[Recorded], Reply]] = field(default_factory=dict)
    requests: list[Recorded] = field(default_factory=list)

    def calls(self, method: str, path_prefix: str) -> list[Recorded]:
        return [r for r in self.requests if r.method == method and r.path.startswith(path_prefix)]

    async def _handle(self, request: web.Request) -> web.Response:
        raw = await request.read()
        recorded = Recorded(
            method=request.method,
            path=request.path,
            query=dict(request.query),
            headers=dict(request.headers),
            body=json.loads(raw) if raw else None,
        )
        self.requests.append(recorded)
        key = f"{request.method} {request.path}"
        route = self.routes.get(key)
        if route is None:
            return web.json_response({"detail": "not found", "code": "no_route"}, status=404)
        if callable(route):
            status, body = route(recorded)
        else:
            status, body = route.pop(0) if len(route) > 1 else route[0]
        return web.json_response(body, status=status)

    def server(self) -> TestServer:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._handle)
        return TestServer(app, host="127.0.0.1")


def complaint_view(**overrides: Any) -> dict[str, Any]:
    view = {
        "ticket_id": "JKT-7K3M-Q9XA",
        "category": "saluran_air",
        "category_label": "Saluran Air",
        "status": "menunggu",
        "status_label": "Menunggu",
        "ditindaklanjuti": False,
        "agency": None,
        "kelurahan": "Pela Mampang",
        "kecamatan": "Mampang Prapatan",
        "kota": "Kota Administrasi Jakarta Selatan",
        "created_at": "2026-11-20T03:00:00+00:00",
        "updated_at": "2026-11-21T04:30:00+00:00",
        "latest_note": None,
        "public_notes": [],
    }
    view.update(overrides)
    return view
