"""What every console route shares: templates, security headers, the login and CSRF checks."""

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import Depends, HTTPException, Request, status
from fastapi.responses import HTMLResponse, RedirectResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from starlette.datastructures import FormData, UploadFile

from backend.auth.models import Operator, Role
from backend.config import get_settings
from backend.console import service
from backend.console.models import ConsoleSession
from backend.console.settings import cookie_secure, get_console_settings, tile_origin
from backend.db import SessionDep

HERE = Path(__file__).resolve().parent
PREFIX = "/console"
COOKIE = "aduan_console"
LOGIN_COOKIE = "aduan_console_login"  # double-submit CSRF token of the login form
CSRF_FIELD = "csrf_token"
WIB = timezone(timedelta(hours=7), "WIB")
MAX_FORM_FIELDS = 50

templates = Environment(
    loader=FileSystemLoader(HERE / "templates"),
    autoescape=True,  # every template: citizens' text is shown as text, never as markup
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def wib(value: datetime | None) -> str:
    """A UTC time as Jakarta officers read it: 22/11/2026 16:05 WIB."""
    if value is None:
        return "-"
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(WIB).strftime("%d/%m/%Y %H:%M WIB")


templates.filters["wib"] = wib
templates.globals["prefix"] = PREFIX
templates.globals["csrf_field"] = CSRF_FIELD


def content_security_policy() -> str:
    img = "'self' data:"
    origin = tile_origin(get_console_settings().tile_url)
    if origin:
        img += f" {origin}"
    return (
        "default-src 'self'; script-src 'self'; style-src 'self'; "
        f"img-src {img}; connect-src 'self'; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
    )


def secure_headers(response: HTMLResponse | RedirectResponse) -> None:
    response.headers["Content-Security-Policy"] = content_security_policy()
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["Cache-Control"] = "no-store"


def render(
    name: str,
    context: Mapping[str, Any],
    *,
    console: ConsoleSession | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    operator = service.operator_of(console) if console is not None else None
    page = templates.get_template(name).render(
        operator=operator,
        csrf=console.csrf_token if console is not None else "",
        **context,
    )
    response = HTMLResponse(page, status_code=status_code)
    secure_headers(response)
    return response


def redirect(url: str) -> RedirectResponse:
    response = RedirectResponse(url, status_code=status.HTTP_303_SEE_OTHER)
    secure_headers(response)
    return response


def _secure() -> bool:
    return cookie_secure(get_console_settings().cookie_secure, get_settings().backend_host)


def set_cookie(response: HTMLResponse | RedirectResponse, name: str, value: str) -> None:
    max_age = get_settings().operator_token_ttl_hours * 3600
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        path=PREFIX,
        httponly=True,
        samesite="lax",
        secure=_secure(),
    )


def clear_cookie(response: HTMLResponse | RedirectResponse, name: str) -> None:
    response.delete_cookie(
        name,
        path=PREFIX,
        httponly=True,
        samesite="lax",
        secure=_secure(),
    )


def login_url(request: Request) -> str:
    if request.method != "GET":
        return f"{PREFIX}/login"
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return f"{PREFIX}/login?next={quote(target, safe='')}"


def current_console(request: Request, session: SessionDep) -> ConsoleSession:
    """The logged-in session, or a redirect to the login page (303)."""
    console = service.find(session, request.cookies.get(COOKIE))
    if console is None:
        raise HTTPException(
            status_code=status.HTTP_303_SEE_OTHER,
            detail="login required",
            headers={"Location": login_url(request), "Cache-Control": "no-store"},
        )
    return console


ConsoleDep = Annotated[ConsoleSession, Depends(current_console)]


def current_operator(console: ConsoleDep) -> Operator:
    return service.operator_of(console)


OperatorDep = Annotated[Operator, Depends(current_operator)]


def current_admin(operator: OperatorDep) -> Operator:
    if operator.role is not Role.ADMIN:
        raise HTTPException(status_code=status.HTTP_403_FORBIDDEN, detail="admins only")
    return operator


AdminDep = Annotated[Operator, Depends(current_admin)]


async def checked_form(request: Request, console: ConsoleDep) -> FormData:
    """The POSTed form, once its CSRF token matches the session's; else 403."""
    limit = get_settings().photo_max_bytes
    form = await request.form(max_files=2, max_fields=MAX_FORM_FIELDS, max_part_size=limit + 1)
    given = form.get(CSRF_FIELD)
    if not service.tokens_match(console.csrf_token, given if isinstance(given, str) else None):
        raise HTTPException(status_code=status.HTTP_403_FORBIDDEN, detail="CSRF token missing")
    return form


FormDep = Annotated[FormData, Depends(checked_form)]


async def login_form(request: Request) -> FormData:
    """The login form, before any session: its CSRF token is the double-submit cookie's."""
    form = await request.form(max_files=0, max_fields=10)
    given = form.get(CSRF_FIELD)
    expected = request.cookies.get(LOGIN_COOKIE)
    if not service.tokens_match(expected, given if isinstance(given, str) else None):
        raise HTTPException(status_code=status.HTTP_403_FORBIDDEN, detail="CSRF token missing")
    return form


LoginFormDep = Annotated[FormData, Depends(login_form)]


def text_field(form: FormData, name: str, max_length: int = 5000) -> str:
    value = form.get(name)
    return value.strip()[:max_length] if isinstance(value, str) else ""


def file_field(form: FormData, name: str) -> bytes | None:
    """The bytes of an uploaded file, or None when the field was left empty.

    Blocking read of the spooled file: call it from a sync route (a worker thread).
    """
    value = form.get(name)
    if not isinstance(value, UploadFile) or not value.filename:
        return None
    data = value.file.read(get_settings().photo_max_bytes + 1)
    return data or None
