"""Settings of the backend process, read from the environment (and `.env`)."""

from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from backend.conversations import office_hours

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    # Database
    database_url: str = Field(
        default=f"sqlite:///{PROJECT_ROOT / 'var' / 'aduan.db'}",
        description="SQLAlchemy URL; postgresql+psycopg://... in production",
    )
    database_pool_size: int = 10

    # HTTP server
    backend_host: str = "127.0.0.1"
    backend_port: int = 8000
    backend_workers: int = 2
    backend_threads: int = Field(default=40, ge=1, le=200, description="threads per worker")

    # Auth
    backend_service_token: SecretStr | None = Field(
        default=None,
        description="Bearer token of the actions and gateway; registered at start-up",
    )
    operator_token_ttl_hours: int = 12
    login_max_failures: int = Field(
        default=5, description="wrong passwords for one username from one address before a lock"
    )
    login_max_failures_per_address: int = Field(
        default=20, description="wrong logins from one address, any username, before a lock"
    )
    login_lockout_minutes: int = 15

    # Photos
    photo_dir: Path = PROJECT_ROOT / "var" / "photos"
    photo_max_bytes: int = 10 * 1024 * 1024
    photo_max_pixels: int = 40_000_000

    # Places: what counts as the same problem reported again
    duplicate_radius_m: float = Field(default=50.0, gt=0, le=5000)
    duplicate_window_days: int = Field(default=14, gt=0)

    # Periodic jobs (handoff timeouts, SLA escalation); 0 turns them off
    backend_jobs_interval_seconds: float = Field(default=30.0, ge=0)

    # Human handoff: when officers answer chats, and how long a chat may wait
    handoff_office_hours: str = Field(
        default="mon-fri 08:00-16:00",
        description='days and hours in Asia/Jakarta, e.g. "mon-fri 08:00-16:00"',
    )
    handoff_take_timeout_minutes: int = Field(default=15, ge=1, le=24 * 60)
    # A taken chat with no message from either side for this long goes back to the bot
    handoff_idle_minutes: int = Field(default=60, ge=1, le=7 * 24 * 60)

    @field_validator("handoff_office_hours")
    @classmethod
    def _office_hours_readable(cls, value: str) -> str:
        office_hours.parse(value)  # fail at start-up, not on a citizen's request
        return value

    # Logging
    log_level: str = "INFO"
    log_json: bool = True


@lru_cache
def get_settings() -> Settings:
    return Settings()
