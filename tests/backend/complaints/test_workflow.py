import pytest

from backend.complaints import workflow
from backend.complaints.models import Status

S = Status
ALLOWED = {
    (S.MENUNGGU, S.KOORDINASI),
    (S.MENUNGGU, S.DISPOSISI),
    (S.MENUNGGU, S.DITOLAK),
    (S.KOORDINASI, S.DISPOSISI),
    (S.KOORDINASI, S.DITOLAK),
    (S.DISPOSISI, S.PROSES),
    (S.DISPOSISI, S.DISPOSISI),
    (S.DISPOSISI, S.DITOLAK),
    (S.PROSES, S.SELESAI),
    (S.PROSES, S.DISPOSISI),
    (S.SELESAI, S.PROSES),
}


@pytest.mark.parametrize("old", list(Status))
@pytest.mark.parametrize("new", list(Status))
def test_is_allowed_matches_the_contract(old: Status, new: Status) -> None:
    assert workflow.is_allowed(old, new) == ((old, new) in ALLOWED)


def test_ditolak_is_final() -> None:
    assert workflow.allowed_moves(Status.DITOLAK) == []
