"""Settings of the gateway process, read from the environment (and `.env`)."""

from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    # HTTP server
    gateway_host: str = "127.0.0.1"
    gateway_port: int = 8080
    gateway_trusted_proxies: str = Field(
        default="",
        description="Comma-separated proxy IPs/networks whose X-Forwarded-For and "
        "X-Forwarded-Proto are believed; empty => the direct peer is the client",
    )

    gateway_max_body_bytes: int = Field(
        default=4 * 1024 * 1024,
        description="Cap of every request body but a web chat photo's, refused with 413 "
        "before it is parsed or its signature checked (Meta batches up to 1,000 updates)",
    )

    # Where the rest of Aduan lives
    rasa_url: str = "http://127.0.0.1:5005"
    rasa_timeout_seconds: float = 30.0
    rasa_max_concurrency: int = Field(
        default=16, description="Turns in flight to Rasa at once (more wait in the gateway)"
    )
    rasa_parse_timeout_seconds: float = Field(
        default=1.5,
        description="Limit on the emergency check of a handed-off chat's text (Rasa's NLU)",
    )
    rasa_retry_base_seconds: float = Field(
        default=0.5, description="Back-off before retrying a message Rasa never received"
    )
    backend_url: str = "http://127.0.0.1:8000"
    backend_service_token: SecretStr | None = None

    # Telegram (CONTRACT.md section 7)
    telegram_api_base_url: str = "https://api.telegram.org/bot"
    telegram_file_base_url: str = "https://api.telegram.org/file/bot"
    telegram_bot_token: SecretStr | None = None
    telegram_webhook_secret: SecretStr | None = None
    telegram_public_url: str | None = Field(
        default=None,
        description="Public https base URL of the gateway; set => webhook mode, else polling",
    )

    # WhatsApp Cloud API (CONTRACT.md section 7)
    whatsapp_api_base_url: str = "https://graph.facebook.com/v21.0"
    whatsapp_access_token: SecretStr | None = None
    whatsapp_app_secret: SecretStr | None = None
    whatsapp_verify_token: SecretStr | None = None
    whatsapp_phone_number_id: str | None = None
    whatsapp_status_template: str | None = Field(
        default=None,
        description="Template for news outside the 24-hour window: {{1}} ticket, {{2}} text",
    )
    whatsapp_template_language: str = "id"

    # Pipeline
    redis_url: str | None = Field(default=None, description="Set => de-duplicate in Redis")
    gateway_db_path: Path = PROJECT_ROOT / "var" / "gateway.db"
    dedupe_ttl_seconds: int = 7 * 24 * 3600
    flood_max_per_minute: int = 20
    typing_delay_seconds: float = Field(
        default=0.8, description="Show 'typing…' only when an answer takes longer than this"
    )
    photo_max_bytes: int = 10 * 1024 * 1024
    outbound_timeout_seconds: float = 20.0

    outbox_poll_seconds: float = Field(
        default=5.0, description="How often to claim the backend's outbox; 0 turns it off"
    )

    web_chat_enabled: bool = True
    web_flood_max_per_address: int = Field(
        default=40, description="Web chat messages accepted per client address per minute"
    )

    log_level: str = "INFO"
    log_json: bool = True


@lru_cache
def get_settings() -> Settings:
    return Settings()
