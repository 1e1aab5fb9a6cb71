"""Work a complaint to `selesai` through the operator API."""

from fastapi.testclient import TestClient

from tests.conftest import Headers


def move(client: TestClient, headers: Headers, ticket: str, to: str, note: str = "") -> None:
    reply = client.post(
        f"/api/v1/complaints/{ticket}/transitions", json={"to": to, "note": note}, headers=headers
    )
    assert reply.status_code == 200, reply.text


def resolve(client: TestClient, headers: Headers, ticket: str) -> None:
    move(client, headers, ticket, "disposisi")
    move(client, headers, ticket, "proses")
    move(client, headers, ticket, "selesai", note="Sampah sudah diangkut")
