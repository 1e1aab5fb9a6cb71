"""Web chat sessions: a secret the server issues per chat, kept in an HttpOnly cookie.

The secret is a web chat's only credential. The chat id (the `web:<uuid>` sender
that Rasa, the backend and the outbox know) is derived from it with SHA-256, so a
chat id (an officer sees it, a tracker holds it) cannot be turned back into the
secret: holding one reads no news and posts as no one. Nothing is stored per
session, so any gateway replica, and a restarted one, knows every chat.

The cookie is `HttpOnly` (the page's script never sees it), `SameSite=Strict`
(another site cannot post with it), limited to `/web/api`, and `Secure` when the
page was served over https (directly, or by a proxy named in
`GATEWAY_TRUSTED_PROXIES`). It never travels in a URL.
"""

import hashlib
import re
import secrets
import uuid

from starlette.requests import Request
from starlette.responses import Response

COOKIE = "aduan_chat"
COOKIE_PATH = "/web/api"
MAX_AGE_SECONDS = 365 * 24 * 3600  # refreshed on every page load
_SECRET = re.compile(r"[A-Za-z0-9_-]{43}")  # secrets.token_urlsafe(32)


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def chat_id(secret: str) -> str:
    """The chat's public id: one way from the secret, a uuid as web chat ids always were."""
    digest = hashlib.sha256(b"aduan-web-chat:" + secret.encode("ascii")).digest()
    return str(uuid.UUID(bytes=digest[:16], version=4))


def secret_of(request: Request) -> str | None:
    secret = request.cookies.get(COOKIE, "")
    return secret if _SECRET.fullmatch(secret) else None


def chat_of(request: Request) -> str | None:
    """The chat id of the request's session; None without a well-formed secret."""
    secret = secret_of(request)
    return chat_id(secret) if secret is not None else None


def keep(request: Request, response: Response, secret: str) -> None:
    response.set_cookie(
        COOKIE,
        secret,
        max_age=MAX_AGE_SECONDS,
        path=COOKIE_PATH,
        secure=request.url.scheme == "https",
        httponly=True,
        samesite="strict",
    )


def client_address(request: Request) -> str:
    """The direct peer, or the client a trusted proxy names (create_app wires that)."""
    return request.client.host if request.client else "unknown"
