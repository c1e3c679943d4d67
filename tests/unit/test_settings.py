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


def test_production_refuses_several_processes_without_redis(monkeypatch, tmp_path):
    """Sign-in limits live in Redis: without it each process would allow its own tries."""
    production = {
        "KHS_ENV": "production",
        "KHS_DATABASE_URL": "postgresql://db/khs",
        "KHS_JWT_PRIVATE_KEY_PATH": str(tmp_path / "k"),
        "KHS_JWT_PUBLIC_KEY_PATH": str(tmp_path / "k.pub"),
        "KHS_ALLOWED_ORIGINS": '["https://crm.example.com"]',
        "KHS_APP_PROCESSES": "2",
    }
    for name, value in production.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("KHS_REDIS_URL", raising=False)
    get_settings.cache_clear()
    try:
        with pytest.raises(ConfigurationError, match="KHS_REDIS_URL"):
            get_settings()
        monkeypatch.setenv("KHS_REDIS_URL", "redis://cache:6379/0")
        get_settings.cache_clear()
        assert get_settings().app_processes == 2
        monkeypatch.delenv("KHS_REDIS_URL")
        monkeypatch.setenv("KHS_APP_PROCESSES", "1")
        get_settings.cache_clear()
        assert get_settings().redis_url == ""  # one process counts alone, rightly
    finally:
        get_settings.cache_clear()


def test_invalid_env_value_is_rejected(monkeypatch):
    monkeypatch.setenv("KHS_ENV", "staging")
    with pytest.raises(ValueError, match="env"):
        Settings()


def test_granian_workers_count_as_app_processes(monkeypatch, tmp_path):
    """Reflex's server starts GRANIAN_WORKERS processes: the same rules hold for them."""
    production = {
        "KHS_ENV": "production",
        "KHS_DATABASE_URL": "postgresql://db/khs",
        "KHS_JWT_PRIVATE_KEY_PATH": str(tmp_path / "k"),
        "KHS_JWT_PUBLIC_KEY_PATH": str(tmp_path / "k.pub"),
        "KHS_ALLOWED_ORIGINS": '["https://crm.example.com"]',
        "GRANIAN_WORKERS": "3",
    }
    for name, value in production.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("KHS_REDIS_URL", raising=False)
    monkeypatch.delenv("KHS_APP_PROCESSES", raising=False)
    get_settings.cache_clear()
    try:
        with pytest.raises(ConfigurationError, match="KHS_REDIS_URL"):
            get_settings()
        monkeypatch.setenv("KHS_REDIS_URL", "redis://cache:6379/0")
        get_settings.cache_clear()
        assert get_settings().processes == 3
        monkeypatch.setenv("KHS_DATABASE_URL", "sqlite:///data/khs.db")
        get_settings.cache_clear()
        with pytest.raises(ConfigurationError, match="PostgreSQL"):
            get_settings()
    finally:
        get_settings.cache_clear()
