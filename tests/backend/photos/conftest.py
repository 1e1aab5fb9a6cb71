"""The console's fixtures (logged-in officers), for the publish toggle's tests."""

from tests.backend.console.conftest import (  # noqa: F401 - fixtures
    _forget_console_sessions,
    anonymous,
    console_app,
    officer,
    png,
)
