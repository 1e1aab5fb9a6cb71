"""The backend's command line: first admin and service tokens."""

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.__main__ import main
from backend.auth import service as auth
from backend.auth.models import Operator, Role


def test_create_admin_reads_the_password_from_the_environment(
    session: Session, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("FIRST_ADMIN_PASSWORD", "a long enough secret")
    main(["create-admin", "kepala", "--password-env", "FIRST_ADMIN_PASSWORD"])
    admin = session.scalars(select(Operator).where(Operator.username == "kepala")).one()
    assert admin.role is Role.ADMIN
    assert admin.password_hash != "a long enough secret"
    assert "created admin kepala" in capsys.readouterr().out


def test_create_admin_refuses_a_short_password(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FIRST_ADMIN_PASSWORD", "short")
    with pytest.raises(SystemExit, match="at least"):
        main(["create-admin", "kepala", "--password-env", "FIRST_ADMIN_PASSWORD"])
    assert session.scalars(select(Operator)).all() == []


def test_create_service_client_prints_a_working_token(
    session: Session, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["create-service-client", "gateway"])
    token = capsys.readouterr().out.strip()
    assert auth.service_client_for(session, token) is not None
