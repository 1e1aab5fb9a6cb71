"""The app the browser tests serve: the backend with the console mounted."""

from fastapi import FastAPI
from fastapi.routing import iter_route_contexts

from backend.app import create_app as create_backend_app


def create_app() -> FastAPI:
    from backend.console.api import router

    app = create_backend_app()
    if not any(c.path.startswith("/console") for c in iter_route_contexts(app.routes)):
        app.include_router(router)  # until backend.app mounts the console itself
    return app
