"""`python -m bot.channels`: start the gateway on GATEWAY_HOST:GATEWAY_PORT."""

import cProfile
import importlib.util
import logging
import os
import signal
import sys

import uvicorn
from pythonjsonlogger.json import JsonFormatter

from bot.channels.app import create_app
from bot.channels.config import Settings, get_settings


def _remember_missing_sniffio() -> None:
    """httpcore tries `import sniffio` on every request; without the package each try
    searches the whole import path again (about 0.3 ms a request). Record the miss once.
    """
    if importlib.util.find_spec("sniffio") is None:
        sys.modules["sniffio"] = None  # type: ignore[assignment]


def _configure_logging(level: str, json: bool) -> None:
    """JSON lines with the records' context (channel, outbox id); never chat ids or text."""
    handler = logging.StreamHandler(sys.stderr)
    layout = "%(asctime)s %(levelname)s %(name)s %(message)s"
    if json:
        fields = {"levelname": "level", "asctime": "time"}
        handler.setFormatter(JsonFormatter(layout, rename_fields=fields))
    else:
        handler.setFormatter(logging.Formatter(layout))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # httpx logs every request URL at INFO, and Telegram's URLs hold the bot token.
    for name in ("httpx", "httpcore", "telegram"):
        logging.getLogger(name).setLevel(logging.WARNING)


def main() -> None:
    _remember_missing_sniffio()
    settings = get_settings()
    _configure_logging(settings.log_level, settings.log_json)
    # GATEWAY_PROFILE=<file>: cProfile the whole process, stats written on a clean stop
    # (bench/chat_load.py --profile reads them). Costs CPU: never in production.
    profile_path = os.environ.get("GATEWAY_PROFILE")
    if not profile_path:
        _serve(settings)
        return
    # uvicorn re-raises the stopping signal after its shutdown; with this handler in
    # place (restored by uvicorn) that no longer kills the process before the dump.
    signal.signal(signal.SIGTERM, lambda *_: None)
    profiler = cProfile.Profile()
    try:
        profiler.runcall(_serve, settings)
    finally:
        profiler.dump_stats(profile_path)


def _serve(settings: Settings) -> None:
    uvicorn.run(
        create_app(settings),
        host=settings.gateway_host,
        port=settings.gateway_port,
        log_level=settings.log_level.lower(),
        log_config=None,  # keep the handler above
        access_log=False,  # raw paths; and who wrote when is no one's business
        # X-Forwarded-* only from GATEWAY_TRUSTED_PROXIES (create_app); uvicorn would
        # otherwise believe any local process (a flood limit per address depends on it).
        proxy_headers=False,
    )


if __name__ == "__main__":
    main()
