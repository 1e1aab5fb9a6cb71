"""Public routes: `/` (to the public page), `/publik`, its map data and its static files."""

import mimetypes
from pathlib import Path

from fastapi import APIRouter, HTTPException, Request, Response, status
from fastapi.responses import HTMLResponse, RedirectResponse
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined

from backend.console.web import HERE as CONSOLE_DIR
from backend.console.web import wib
from backend.db import SessionDep, utcnow
from backend.kpi import view
from backend.public import service

PREFIX = "/publik"
HERE = Path(__file__).resolve().parent
STATIC = HERE / "static"
STATIC_FILES = {path.name: path for path in STATIC.iterdir() if path.is_file()}
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; "
    "object-src 'none'"
)

router = APIRouter(tags=["public"], include_in_schema=False)
templates = Environment(
    # The figures partial is the console's own: one template for both pages.
    loader=ChoiceLoader(
        [FileSystemLoader(HERE / "templates"), FileSystemLoader(CONSOLE_DIR / "templates")]
    ),
    autoescape=True,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
templates.filters["wib"] = wib


def _headers(response: Response, max_age: int) -> Response:
    response.headers["Content-Security-Policy"] = CSP
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["Cache-Control"] = f"public, max-age={max_age}"
    return response


@router.get("/")
def root() -> RedirectResponse:
    return RedirectResponse(PREFIX, status_code=status.HTTP_307_TEMPORARY_REDIRECT)


@router.get(PREFIX)
def public_page(request: Request, session: SessionDep) -> Response:
    days = service.days_of(request.query_params.get("hari", ""))
    page = service.page(session, days, utcnow())
    html = templates.get_template("publik.html").render(
        p=page, v=page.figures, fmt=view, choices=service.DAY_CHOICES
    )
    return _headers(HTMLResponse(html), service.CACHE_SECONDS)


@router.get(f"{PREFIX}/peta.geojson")
def choropleth(request: Request, session: SessionDep) -> Response:
    days = service.days_of(request.query_params.get("hari", ""))
    body = service.choropleth(session, days, utcnow())
    return _headers(Response(body, media_type="application/geo+json"), service.CACHE_SECONDS)


@router.get(f"{PREFIX}/static/{{name}}")
def static_file(name: str) -> Response:
    path = STATIC_FILES.get(name)  # only files that ship: no path tricks
    if path is None:
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND)
    media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return _headers(Response(path.read_bytes(), media_type=media_type), 3600)
