import pytest
from fastapi.testclient import TestClient

from khs_crm.api import create_api


@pytest.fixture
def client(engine):
    with TestClient(create_api(), raise_server_exceptions=False) as c:
        yield c
