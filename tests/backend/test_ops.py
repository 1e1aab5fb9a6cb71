import logging

import pytest
from fastapi.testclient import TestClient

from tests.backend.factories import file_complaint


def test_healthz_answers_when_the_database_does(app_client: TestClient) -> None:
    assert app_client.get("/healthz").json() == {"status": "ok"}


def test_metrics_use_route_templates_not_raw_paths(app_client: TestClient) -> None:
    app_client.get("/api/v1/complaints/JKT-0000-0000")
    text = app_client.get("/metrics").text
    assert 'route="/api/v1/complaints/{ticket_id}"' in text
    assert "JKT-0000-0000" not in text


def test_openapi_document_is_served(app_client: TestClient) -> None:
    paths = app_client.get("/openapi.json").json()["paths"]
    assert "/api/v1/complaints" in paths


def test_categories_are_the_contracts_nineteen(app_client: TestClient) -> None:
    categories = app_client.get("/api/v1/categories").json()["categories"]
    assert len(categories) == 19
    assert categories[0]["code"] == "sampah"
    assert categories[-1] == {
        "code": "lainnya",
        "label": "Lainnya",
        "agency_code": "crm",
        "photo_required": False,
    }


def test_logs_carry_no_personal_data(
    app_client: TestClient, service_headers: dict[str, str], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    ticket = file_complaint(
        app_client, service_headers, reporter_chat_id="6281234567890", reporter_name="Siti"
    )["ticket_id"]
    app_client.get("/api/v1/reporters/whatsapp/6281234567890/complaints", headers=service_headers)
    logged = "\n".join(str(vars(record)) for record in caplog.records)
    assert ticket in logged  # the filing is logged, by ticket
    assert "6281234567890" not in logged
    assert "Siti" not in logged
    assert "sampah numpuk" not in logged


def test_huge_json_bodies_are_refused_unread(
    app_client: TestClient, service_headers: dict[str, str]
) -> None:
    huge = b'{"description": "' + b"x" * (2 * 1024 * 1024) + b'"}'
    reply = app_client.post(
        "/api/v1/complaints",
        content=huge,
        headers={**service_headers, "Content-Type": "application/json"},
    )
    assert reply.status_code == 413
    assert reply.json()["code"] == "payload_too_large"


def test_huge_chunked_bodies_are_refused(
    app_client: TestClient, service_headers: dict[str, str]
) -> None:
    def chunks():  # type: ignore[no-untyped-def]
        for _ in range(40):
            yield b"x" * 65536

    reply = app_client.post(
        "/api/v1/complaints",
        content=chunks(),
        headers={**service_headers, "Content-Type": "application/json"},
    )
    assert reply.status_code == 413
