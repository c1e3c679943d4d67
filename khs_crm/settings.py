"""One Settings object, read from KHS_* environment variables."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DATA_DIR = Path("data")


class Settings(BaseSettings):
    """Runtime configuration. Every field maps to ``KHS_<NAME>``."""

    model_config = SettingsConfigDict(env_prefix="KHS_", extra="ignore")

    env: Literal["development", "production"] = "development"
    data_dir: Path = DATA_DIR
    database_url: str = ""
    redis_url: str = ""
    port: int = 3000
    backend_port: int = 8000
    public_url: str = ""
    allowed_origins: list[str] = Field(default_factory=list)
    timezone: str = "America/Chicago"
    app_processes: int = 1
    # Reflex's production server starts GRANIAN_WORKERS processes when that is set: they are
    # app processes too, whatever KHS_APP_PROCESSES says.
    granian_workers: int = Field(default=1, ge=1, validation_alias="GRANIAN_WORKERS")

    storage_backend: Literal["local", "s3"] = "local"
    uploads_dir: Path | None = None
    s3_bucket: str = ""
    s3_region: str = "us-east-1"
    s3_endpoint_url: str = ""
    s3_prefix: str = ""
    keep_photo_gps: bool = False  # serve photos with their EXIF/XMP GPS position
    image_decodes: int = Field(default=2, ge=1)  # photo decodes at once per process

    jwt_private_key_path: Path | None = None
    jwt_public_key_path: Path | None = None
    jwt_issuer: str = "khs-crm"
    jwt_audience: str = "khs-crm-api"
    access_token_minutes: int = 15
    refresh_token_days: int = 30
    session_days: int = 30
    session_idle_hours: int = 72

    login_attempts_per_minute: int = 5
    login_ip_attempts_per_minute: int = 30
    api_calls_per_minute: int = 100
    trusted_proxies: list[str] = Field(default_factory=list)
    bcrypt_rounds: int = 12
    sentry_dsn: str = ""

    # Operations (README.md, "Operations"; docs/operations.md)
    backup_dir: Path | None = None  # default: <data_dir>/backups
    backup_warn_hours: int = Field(default=48, ge=1)  # the owner is warned past this age
    pg_bin_dir: Path | None = None  # folder of pg_dump/pg_restore/psql matching the server
    metrics_token: str = ""  # bearer token for /metrics; empty: /metrics answers 404
    telemetry_errors_per_minute: int = Field(default=30, ge=1)  # per client address

    @model_validator(mode="after")
    def _fill_defaults(self) -> Settings:
        if not self.database_url:
            self.database_url = f"sqlite:///{self.data_dir / 'khs_crm.db'}"
        if self.uploads_dir is None:
            self.uploads_dir = self.data_dir / "uploads"
        if self.backup_dir is None:
            self.backup_dir = self.data_dir / "backups"
        if not self.public_url:
            self.public_url = f"http://localhost:{self.port}"
        if not self.allowed_origins:
            self.allowed_origins = [self.public_url.rstrip("/")]
        return self

    @property
    def processes(self) -> int:
        """How many app processes share the database and the limits."""
        return max(self.app_processes, self.granian_workers)

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def generated_keys(self) -> bool:
        return self.jwt_private_key_path is None

    @property
    def private_key_path(self) -> Path:
        return self.jwt_private_key_path or self.data_dir / "jwt_private.pem"

    @property
    def public_key_path(self) -> Path:
        return self.jwt_public_key_path or self.data_dir / "jwt_public.pem"

    def check_production(self) -> list[str]:
        """Return the reasons this configuration is unsafe for production (empty when fine)."""
        problems: list[str] = []
        if self.env != "production":
            return problems
        if self.jwt_private_key_path is None or self.jwt_public_key_path is None:
            problems.append(
                "KHS_JWT_PRIVATE_KEY_PATH and KHS_JWT_PUBLIC_KEY_PATH must name real keys"
            )
        if self.is_sqlite and self.processes > 1:
            problems.append("more than one app process needs PostgreSQL (KHS_DATABASE_URL)")
        if not self.redis_url and self.processes > 1:
            problems.append(
                "more than one app process needs Redis (KHS_REDIS_URL): without it each"
                " process counts sign-in attempts on its own"
            )
        if any(o.startswith("http://localhost") for o in self.allowed_origins):
            problems.append("KHS_ALLOWED_ORIGINS must list the real public origin")
        if self.storage_backend == "s3" and not self.s3_bucket:
            problems.append("KHS_S3_BUCKET is required with KHS_STORAGE_BACKEND=s3")
        return problems


class ConfigurationError(RuntimeError):
    """Raised when the settings cannot be used as given."""


@lru_cache
def get_settings() -> Settings:
    """Return the process-wide settings, validated for the chosen environment."""
    settings = Settings()
    problems = settings.check_production()
    if problems:
        raise ConfigurationError("Refusing to start in production: " + "; ".join(problems))
    return settings
