import pytest
from fastapi.testclient import TestClient

from khs_crm.api import create_api
from tests.support.databases import reset_caches


def test_health_ok_without_redis(client):
    response = client.get("/api/health")
    assert response.status_code == 200
    data = response.json()["data"]
    assert data | {"lastBackupAgeHours": None, "backupOverdue": None} == {
        "status": "ok",
        "database": "ok",
        "redis": "disabled",
        "storage": "ok",
        "lastBackupAgeHours": None,
        "backupOverdue": None,
        "jobQueueDepth": 0,
    }


@pytest.mark.redis
def test_health_ok_with_real_redis(engine, redis_url):
    with TestClient(create_api()) as client:
        assert client.get("/api/health").json()["data"]["redis"] == "ok"


def test_health_503_when_redis_is_down(engine, monkeypatch):
    monkeypatch.setenv("KHS_REDIS_URL", "redis://127.0.0.1:1/0")
    reset_caches()
    with TestClient(create_api()) as client:
        response = client.get("/api/health")
    assert response.status_code == 503
    assert response.json()["data"]["redis"] == "down"
    assert response.json()["data"]["status"] == "degraded"


def test_health_503_when_database_is_down(monkeypatch):
    monkeypatch.setenv("KHS_DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none")
    reset_caches()
    with TestClient(create_api()) as client:
        response = client.get("/api/health")
    reset_caches()
    assert response.status_code == 503
    assert response.json()["data"]["database"] == "down"


def test_unknown_api_path_is_json_404(client):
    response = client.get("/api/no/such/thing")
    assert response.status_code == 404
    assert response.json() == {
        "error": {"code": "NOT_FOUND", "message": "Not found.", "details": []}
    }


def test_wrong_method_is_405_in_the_envelope(client):
    response = client.post("/api/health")
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "METHOD_NOT_ALLOWED"


def test_each_app_lists_its_own_methods_at_a_path_asked_about_again():
    """What a path allows is kept once found (envelope.allowed_methods): asked again, the
    answer is the same, and another app with other routes at that path gets its own."""
    from fastapi import FastAPI

    from khs_crm.api.envelope import install_error_handlers

    def app_serving(*methods: str) -> TestClient:
        app = FastAPI()
        install_error_handlers(app)
        app.add_api_route("/things/{thing}", lambda thing: {"thing": thing}, methods=list(methods))
        return TestClient(app)

    reads, writes = app_serving("GET"), app_serving("PUT", "POST")
    for _ in range(2):
        assert reads.delete("/things/1").headers["allow"] == "GET"
        assert writes.delete("/things/1").headers["allow"] == "POST, PUT"
        assert writes.delete("/things/2").headers["allow"] == "POST, PUT"
