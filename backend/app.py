"""The backend application: routers of every domain, errors, metrics, health."""

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio
from anyio import to_thread
from fastapi import FastAPI
from fastapi.responses import JSONResponse
from sqlalchemy import text

from backend import jobs, logs, metrics
from backend.agencies.api import router as agencies_router
from backend.auth import service as auth
from backend.auth.api import router as auth_router
from backend.complaints.api import router as complaints_router
from backend.config import get_settings
from backend.console.api import router as console_router
from backend.console.kpi_api import router as console_kpi_router
from backend.console.photos_api import router as console_photos_router
from backend.console.sla_admin_api import router as console_sla_router
from backend.conversations.api import router as conversations_router
from backend.db import get_sessionmaker
from backend.errors import install_error_handlers
from backend.feedback.api import router as feedback_router
from backend.limits import JSON_LIMIT, BodySizeLimitMiddleware
from backend.notifications.api import router as outbox_router
from backend.open311.api import router as open311_router
from backend.photos.api import router as photos_router
from backend.places import service as places
from backend.places.api import router as places_router
from backend.public.api import router as public_router

logger = logging.getLogger(__name__)
DEFAULT_SERVICE_CLIENT = "default"


def register_configured_service_token() -> None:
    """Make BACKEND_SERVICE_TOKEN (the actions' and gateway's) valid, if set."""
    token = get_settings().backend_service_token
    if token is None:
        return
    with get_sessionmaker().begin() as session:
        auth.register_service_client(session, DEFAULT_SERVICE_CLIENT, token.get_secret_value())


@asynccontextmanager
async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
    # Threads for sync routes (anyio's default is 40). Fewer cut GIL contention
    # on PostgreSQL but, with SQLite, also the head-room of requests queued on
    # the write lock: see docs/architecture.md before lowering it.
    to_thread.current_default_thread_limiter().total_tokens = get_settings().backend_threads
    register_configured_service_token()
    places.warm()  # load the polygons and names now, not on a citizen's first message
    interval = get_settings().backend_jobs_interval_seconds
    async with anyio.create_task_group() as tasks:
        if interval > 0:
            tasks.start_soon(jobs.run_forever, interval)
        yield
        tasks.cancel_scope.cancel()


def create_app() -> FastAPI:
    settings = get_settings()
    logs.configure(settings.log_level, settings.log_json)  # also in each uvicorn worker
    app = FastAPI(title="Aduan backend", version="1", lifespan=lifespan)
    install_error_handlers(app)
    app.add_middleware(
        BodySizeLimitMiddleware,
        default_limit=JSON_LIMIT,
        upload_limit=settings.photo_max_bytes + 64 * 1024,
    )
    app.add_middleware(metrics.MetricsMiddleware)
    for router in (
        auth_router,
        agencies_router,
        places_router,  # before complaints: /complaints/nearby is not a ticket
        complaints_router,
        feedback_router,
        photos_router,
        outbox_router,
        conversations_router,
        open311_router,
        console_router,
        console_photos_router,
        console_kpi_router,
        console_sla_router,
        public_router,
    ):
        app.include_router(router)
    app.add_route("/metrics", metrics.metrics_endpoint, include_in_schema=False)

    @app.get("/healthz", tags=["ops"])
    def healthz() -> JSONResponse:
        try:
            with get_sessionmaker()() as session:
                session.execute(text("SELECT 1"))
        except Exception:
            logger.exception("health check: database unreachable")
            return JSONResponse({"status": "unavailable"}, status_code=503)
        return JSONResponse({"status": "ok"})

    return app
