import pytest

from tests.support.api_app import api_app
from tests.support.app_client import AppClient


@pytest.fixture
def client(engine):
    """The REST app in-process, run in the test's own thread (tests/support/app_client.py)."""
    with AppClient(api_app(), raise_server_exceptions=False) as c:
        yield c
