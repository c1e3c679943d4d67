import pytest
from fastapi.testclient import TestClient

from tests.support.api_app import api_app


@pytest.fixture
def client(engine):
    with TestClient(api_app(), raise_server_exceptions=False) as c:
        yield c
