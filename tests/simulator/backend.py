"""The backend as the simulator sees it: earlier complaints in, what the chat left behind out."""

import sqlite3
from pathlib import Path
from typing import Any

import httpx

from tests.backend.factories import complaint_body

LIVE = ("waiting", "open")


class Backend:
    def __init__(self, url: str, token: str, database: Path) -> None:
        self._http = httpx.Client(
            base_url=url, timeout=30, headers={"Authorization": f"Bearer {token}"}
        )
        self._database = database

    def _db(self) -> sqlite3.Connection:
        return sqlite3.connect(self._database, timeout=30)

    def create_earlier(self, chat_id: int, earlier: dict[str, Any]) -> None:
        """An earlier complaint of this chat with the script's ticket and status."""
        body = complaint_body(
            category=earlier.get("category", "sampah"),
            reporter_chat_id=str(chat_id),
            description="laporan sebelumnya dari percakapan ini",
        )
        response = self._http.post("/api/v1/complaints", json=body)
        response.raise_for_status()
        with self._db() as db:
            db.execute(
                "UPDATE complaints SET ticket_id = ?, status = ? WHERE ticket_id = ?",
                (
                    earlier["ticket"],
                    earlier.get("status", "menunggu"),
                    response.json()["ticket_id"],
                ),
            )

    def complaints(self, chat_id: int) -> list[dict[str, Any]]:
        with self._db() as db:
            rows = db.execute(
                "SELECT c.ticket_id, c.category_code, c.kelurahan, c.status FROM complaints c "
                "JOIN reporters r ON c.reporter_id = r.id "
                "WHERE r.channel = 'telegram' AND r.chat_id = ? ORDER BY c.id",
                (str(chat_id),),
            ).fetchall()
        keys = ("ticket", "category", "kelurahan", "status")
        return [dict(zip(keys, row, strict=True)) for row in rows]

    def handoff(self, chat_id: int) -> bool:
        with self._db() as db:
            (count,) = db.execute(
                "SELECT count(*) FROM conversations v JOIN reporters r ON v.reporter_id = r.id "
                "WHERE r.channel = 'telegram' AND r.chat_id = ? AND v.state IN (?, ?)",
                (str(chat_id), *LIVE),
            ).fetchone()
        return bool(count)
