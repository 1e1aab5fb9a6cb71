"""Open311 fixtures: a client with the router mounted, an api_key, XML helpers."""

import uuid
import xml.etree.ElementTree as ET
from datetime import datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import select, update

from backend import db
from backend.auth import service as auth
from backend.complaints.models import Complaint
from backend.open311.api import PREFIX, router

JAKARTA_PIN = {"lat": "-6.1754", "long": "106.8272"}  # Monas, Gambir


@pytest.fixture
def client(app_client: TestClient) -> TestClient:
    """The backend app with /open311/v2 (mounted here until backend/app.py does it)."""
    app: Any = app_client.app
    if not any(getattr(route, "path", "").startswith(PREFIX) for route in app.routes):
        app.include_router(router)
    return app_client


@pytest.fixture
def api_key(client: TestClient) -> str:
    token = auth.new_token()
    with db.get_sessionmaker().begin() as session:
        auth.register_service_client(session, f"open311-{uuid.uuid4().hex[:6]}", token)
    return token


def parse(reply: Response) -> ET.Element:
    """Our own XML output (trusted), checked for the declaration and well-formedness."""
    assert reply.headers["content-type"] == "text/xml; charset=utf-8"
    assert reply.content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    return ET.fromstring(reply.content)  # noqa: S314 - parsing the server's own output


def children(element: ET.Element) -> list[str]:
    return [child.tag for child in element]


def post_request(client: TestClient, fmt: str = "json", **form: str) -> Response:
    return client.post(f"{PREFIX}/requests.{fmt}", data=form)


def file_request(client: TestClient, api_key: str, **form: str) -> str:
    body = {
        "api_key": api_key,
        "service_code": "sampah",
        "description": "Sampah menumpuk di pinggir jalan",
        **JAKARTA_PIN,
    }
    body.update(form)
    reply = post_request(client, "json", **body)
    assert reply.status_code == 200, reply.text
    ticket: str = reply.json()[0]["service_request_id"]
    return ticket


def set_created_at(ticket: str, moment: datetime) -> None:
    with db.get_sessionmaker().begin() as session:
        session.execute(
            update(Complaint)
            .where(Complaint.ticket_id == ticket)
            .values(created_at=moment, updated_at=moment)
        )


def errors_of(reply: Response) -> list[dict[str, Any]]:
    """The error list in either format, as the JSON form of the specification has it."""
    if reply.headers["content-type"].startswith("text/xml"):
        root = parse(reply)
        assert root.tag == "errors"
        assert all(children(error) == ["code", "description"] for error in root)
        return [
            {"code": int(error.findtext("code", "")), "description": error.findtext("description")}
            for error in root
        ]
    body: list[dict[str, Any]] = reply.json()
    assert isinstance(body, list)
    assert all(set(error) == {"code", "description"} for error in body)
    return body


def stored(ticket: str) -> Complaint:
    """The complaint as stored, read in a short transaction of its own (on SQLite an
    open transaction holds the write lock and would block the app's next request)."""
    with db.get_sessionmaker()() as session:
        complaint = session.scalars(select(Complaint).where(Complaint.ticket_id == ticket)).one()
        session.expunge(complaint)
        return complaint
