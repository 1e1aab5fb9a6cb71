"""Structured (JSON) logs. Records carry ids such as ticket and channel, never
chat ids, phone numbers, names or message text at INFO and above."""

import logging
import sys

from pythonjsonlogger.json import JsonFormatter

_HANDLER_NAME = "aduan"


def configure(level: str = "INFO", json: bool = True) -> None:
    handler = logging.StreamHandler(sys.stderr)
    if json:
        handler.setFormatter(
            JsonFormatter(
                "%(asctime)s %(levelname)s %(name)s %(message)s",
                rename_fields={"levelname": "level", "asctime": "time"},
            )
        )
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    handler.set_name(_HANDLER_NAME)
    root = logging.getLogger()
    # Replace only our own handler: others (a test runner's, say) stay.
    root.handlers[:] = [h for h in root.handlers if h.get_name() != _HANDLER_NAME] + [handler]
    root.setLevel(level.upper())
    # Uvicorn's access log prints raw paths, which can hold a chat id: keep it off.
    logging.getLogger("uvicorn.access").disabled = True
    # HTTP clients log every URL at INFO, and ours can hold a chat id.
    for name in ("httpx", "httpx2", "httpcore"):
        logging.getLogger(name).setLevel(logging.WARNING)
