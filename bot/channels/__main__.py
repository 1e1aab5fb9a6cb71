"""`python -m bot.channels`: start the gateway on GATEWAY_HOST:GATEWAY_PORT."""

import importlib.util
import logging
import sys

import uvicorn

from bot.channels.app import create_app
from bot.channels.config import get_settings


def _remember_missing_sniffio() -> None:
    """httpcore tries `import sniffio` on every request; without the package each try
    searches the whole import path again (about 0.3 ms a request). Record the miss once.
    """
    if importlib.util.find_spec("sniffio") is None:
        sys.modules["sniffio"] = None  # type: ignore[assignment]


def main() -> None:
    _remember_missing_sniffio()
    settings = get_settings()
    logging.basicConfig(
        level=settings.log_level.upper(),
        format="%(asctime)s %(levelname)s %(name)s %(message)s",
    )
    # httpx logs every request URL at INFO, and Telegram's URLs hold the bot token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("telegram").setLevel(logging.WARNING)
    uvicorn.run(
        create_app(settings),
        host=settings.gateway_host,
        port=settings.gateway_port,
        log_level=settings.log_level.lower(),
        access_log=False,
    )


if __name__ == "__main__":
    main()
