import pytest

from khs_crm.settings import ConfigurationError, Settings, get_settings


def test_embedded_defaults(monkeypatch, tmp_path):
    monkeypatch.setenv("KHS_DATA_DIR", str(tmp_path))
    settings = Settings()
    assert settings.database_url == f"sqlite:///{tmp_path / 'khs_crm.db'}"
    assert settings.redis_url == ""
    assert settings.uploads_dir == tmp_path / "uploads"
    assert settings.allowed_origins == ["http://localhost:3000"]
    assert settings.env == "development"


def test_origins_follow_the_public_url(monkeypatch):
    monkeypatch.setenv("KHS_PUBLIC_URL", "https://crm.example.com")
    assert Settings().allowed_origins == ["https://crm.example.com"]


def test_production_refuses_generated_keys_and_local_origins(monkeypatch):
    monkeypatch.setenv("KHS_ENV", "production")
    get_settings.cache_clear()
    try:
        with pytest.raises(ConfigurationError) as info:
            get_settings()
    finally:
        get_settings.cache_clear()
    message = str(info.value)
    assert "KHS_JWT_PRIVATE_KEY_PATH" in message
    assert "KHS_ALLOWED_ORIGINS" in message


def test_production_needs_postgres_for_several_processes(tmp_path):
    settings = Settings(
        env="production",
        app_processes=2,
        redis_url="redis://cache:6379/0",
        jwt_private_key_path=tmp_path / "k",
        jwt_public_key_path=tmp_path / "k.pub",
        allowed_origins=["https://crm.example.com"],
    )
    assert settings.check_production() == [
        "more than one app process needs PostgreSQL (KHS_DATABASE_URL)"
    ]
    settings.database_url = "postgresql://db/khs"
    assert settings.check_production() == []


def test_invalid_env_value_is_rejected(monkeypatch):
    monkeypatch.setenv("KHS_ENV", "staging")
    with pytest.raises(ValueError, match="env"):
        Settings()


@pytest.fixture
def production(monkeypatch, tmp_path):
    """A sound production environment but for what a test sets; returns a fresh reader."""
    sound = {
        "KHS_ENV": "production",
        "KHS_DATABASE_URL": "postgresql://db/khs",
        "KHS_JWT_PRIVATE_KEY_PATH": str(tmp_path / "k"),
        "KHS_JWT_PUBLIC_KEY_PATH": str(tmp_path / "k.pub"),
        "KHS_ALLOWED_ORIGINS": '["https://crm.example.com"]',
    }
    for name, value in sound.items():
        monkeypatch.setenv(name, value)
    for name in ("KHS_REDIS_URL", "KHS_APP_PROCESSES", "GRANIAN_WORKERS"):
        monkeypatch.delenv(name, raising=False)

    def read() -> Settings:
        get_settings.cache_clear()
        return get_settings()

    yield read
    get_settings.cache_clear()


@pytest.mark.parametrize(("variable", "count"), [("KHS_APP_PROCESSES", 2), ("GRANIAN_WORKERS", 3)])
def test_several_processes_need_redis_and_postgres(production, monkeypatch, variable, count):
    """Sign-in limits live in Redis: without it each process would allow its own tries.
    Reflex's server starts GRANIAN_WORKERS processes: they count as app processes too."""
    monkeypatch.setenv(variable, str(count))
    with pytest.raises(ConfigurationError, match="KHS_REDIS_URL"):
        production()
    monkeypatch.setenv("KHS_REDIS_URL", "redis://cache:6379/0")
    assert production().processes == count
    monkeypatch.setenv("KHS_DATABASE_URL", "sqlite:///data/khs.db")
    with pytest.raises(ConfigurationError, match="PostgreSQL"):
        production()
    monkeypatch.setenv("KHS_DATABASE_URL", "postgresql://db/khs")
    monkeypatch.delenv("KHS_REDIS_URL")
    monkeypatch.setenv(variable, "1")
    assert production().redis_url == ""  # one process counts alone, rightly
