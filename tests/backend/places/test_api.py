"""Place routes over HTTP: reverse geocoding and search, with 422 for bad input."""

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

REVERSE = "/api/v1/places/reverse"
SEARCH = "/api/v1/places/search"


def test_reverse_of_monas_is_gambir(app_client: TestClient) -> None:
    reply = app_client.get(REVERSE, params={"lat": "-6.1754", "lon": "106.8272"})
    assert reply.status_code == 200
    assert reply.json() == {
        "inside_jakarta": True,
        "kelurahan_code": "31.71.01.1001",
        "kelurahan": "Gambir",
        "kecamatan_code": "31.71.01",
        "kecamatan": "Gambir",
        "kota_code": "31.71",
        "kota": "Jakarta Pusat",
    }


def test_reverse_outside_jakarta_has_nulls(app_client: TestClient) -> None:
    reply = app_client.get(REVERSE, params={"lat": "-6.4025", "lon": "106.7942"})  # Depok
    assert reply.status_code == 200
    body = reply.json()
    assert body.pop("inside_jakarta") is False
    assert set(body.values()) == {None}


@pytest.mark.parametrize(
    "params",
    [
        {"lat": "nan", "lon": "106.8"},
        {"lat": "-6.2", "lon": "inf"},
        {"lat": "91", "lon": "106.8"},
        {"lat": "-6.2", "lon": "-180.5"},
        {"lat": "abc", "lon": "106.8"},
        {"lat": "", "lon": "106.8"},
        {"lat": "-6.2"},
        {},
    ],
)
def test_reverse_with_invalid_coordinates_is_422(
    app_client: TestClient, params: dict[str, str]
) -> None:
    reply = app_client.get(REVERSE, params=params)
    assert reply.status_code == 422
    assert reply.json()["code"] == "invalid"
    assert reply.json()["detail"]


def test_search_returns_candidates_and_clear_flag(app_client: TestClient) -> None:
    reply = app_client.get(SEARCH, params={"q": "kel. cipinang muara jaktim"})
    assert reply.status_code == 200
    body = reply.json()
    assert body["clear"] is True
    first = body["candidates"][0]
    assert first["kelurahan_code"] == "31.75.03.1006"
    assert {"kelurahan", "kecamatan", "kota", "latitude", "longitude", "score"} <= set(first)


def test_search_of_a_whole_typed_address_is_clear(app_client: TestClient) -> None:
    q = "jl. kenanga no 12, rt 04/rw 09, kel. Pondok Labu, Cilandak"
    body = app_client.get(SEARCH, params={"q": q}).json()
    assert body["clear"] is True
    assert body["candidates"][0]["kelurahan"] == "Pondok Labu"


def test_search_with_several_candidates_is_not_clear(app_client: TestClient) -> None:
    body = app_client.get(SEARCH, params={"q": "depan stasiun tebet"}).json()
    assert body["clear"] is False
    assert len(body["candidates"]) >= 2


def test_search_without_a_place_has_no_candidates(app_client: TestClient) -> None:
    body = app_client.get(SEARCH, params={"q": "harga cabe berapa"}).json()
    assert body == {"candidates": [], "clear": False}


@pytest.mark.parametrize("q", ["", "   ", "x" * 501])
def test_search_with_empty_or_too_long_q_is_422(app_client: TestClient, q: str) -> None:
    reply = app_client.get(SEARCH, params={"q": q})
    assert reply.status_code == 422
    assert set(reply.json()) == {"detail", "code"}


def test_search_accepts_a_full_length_address(app_client: TestClient) -> None:
    q = ("jl. cipinang muara raya gang h. naim rt 03 rw 05 kel. cipinang muara " * 8)[:500]
    body = app_client.get(SEARCH, params={"q": q}).json()
    assert body["candidates"][0]["kelurahan"] == "Cipinang Muara"


def test_search_without_q_is_422(app_client: TestClient) -> None:
    assert app_client.get(SEARCH).status_code == 422


coordinate_text = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.text(max_size=30),
)


# The routes read no state, so one client can serve every example.
@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lat=coordinate_text, lon=coordinate_text)
def test_reverse_answers_200_or_422_for_any_input(
    app_client: TestClient, lat: str, lon: str
) -> None:
    reply = app_client.get(REVERSE, params={"lat": lat, "lon": lon})
    assert reply.status_code in (200, 422)
    assert isinstance(reply.json(), dict)


# No deadline: this checks answers, not speed (the first search loads the index,
# and a busy machine made one example take 216 ms against the 200 ms default).
@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(q=st.text(max_size=550))
def test_search_answers_200_or_422_for_any_text(app_client: TestClient, q: str) -> None:
    reply = app_client.get(SEARCH, params={"q": q})
    assert reply.status_code in (200, 422)
    if reply.status_code == 200:
        assert len(reply.json()["candidates"]) <= 5
