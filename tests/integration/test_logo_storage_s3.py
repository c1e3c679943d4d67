"""The company's logo on S3 (moto's server over real HTTP): stored under the one fixed key
(behind the tenant's prefix), encrypted at rest, served to the office and printed on the PDF
from the bucket, and deleted from it when the owner removes it."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from pypdf import PdfReader

from khs_crm.integrations.storage import S3Storage, get_storage
from khs_crm.services.money import logo
from tests.integration.test_photo_storage_s3 import bucket, keys, moto_url, s3  # noqa: F401
from tests.support.api_app import api_app
from tests.support.app_client import AppClient
from tests.support.factories import bearer
from tests.support.photo_files import image_bytes


@pytest.fixture
def client(bucket, engine) -> Iterator[AppClient]:  # noqa: F811 (bucket: the fixture)
    with AppClient(api_app(), raise_server_exceptions=False) as c:
        yield c


def test_the_logo_lives_in_the_bucket_under_its_one_key(client, session, cast, moto_url, bucket):  # noqa: F811
    assert isinstance(get_storage(), S3Storage)
    logo.save_logo(session, data=image_bytes("JPEG", (900, 300)), actor=cast.owner)
    session.commit()
    key = "tenant-1/" + logo.LOGO_KEY
    assert keys(moto_url, bucket) == [key]
    head = s3(moto_url).head_object(Bucket=bucket, Key=key)
    assert head["ServerSideEncryption"] == "AES256" and head["ContentType"] == "image/png"

    served = client.get("/api/company/logo", headers=bearer(cast.owner))
    assert served.status_code == 200 and served.content == logo.logo_bytes()
    job = cast.job
    made = client.post(
        f"/api/jobs/{job.id}/estimates",
        json={
            "lines": [{"kind": "labor", "description": "Demo", "quantity": "1", "unitPrice": "5"}]
        },
        headers=bearer(cast.owner),
    ).json()["data"]
    pdf = client.get(f"/api/estimates/{made['id']}/pdf", headers=bearer(cast.owner)).content
    assert len(PdfReader(io.BytesIO(pdf)).pages[0].images) == 1

    logo.remove_logo(session, actor=cast.owner)
    session.commit()
    assert keys(moto_url, bucket) == []
    assert client.get("/api/company/logo", headers=bearer(cast.owner)).status_code == 404
