"""Photos on S3, spoken over real HTTP to moto's server: uploads, presigned POSTs, deletes.

moto (5.x) stores whatever is posted to a presigned POST without evaluating its policy, so
the policy is checked here by reading the signed document itself, and the hostile uploads
that a lax server lets through are shown to be refused (and cleaned up) by ``complete``.
"""

from __future__ import annotations

import base64
import json
import uuid
from collections.abc import Iterator

import boto3
import httpx
import pytest
from moto.server import ThreadedMotoServer
from sqlmodel import select

from khs_crm.integrations import jobqueue
from khs_crm.integrations.storage import S3Storage, get_storage
from khs_crm.models import Photo
from khs_crm.services.photos import images
from tests.security.prod_stack import free_port
from tests.support import databases
from tests.support.api_app import api_app
from tests.support.app_client import AppClient
from tests.support.factories import bearer
from tests.support.photo_files import GPS_IFD, HTML, image_bytes

# Each upload queues its thumbnail, which the job queue's worker thread writes: real commits.
pytestmark = pytest.mark.real_commits


@pytest.fixture(scope="module")
def moto_url() -> Iterator[str]:
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def bucket(moto_url, monkeypatch) -> str:
    """A fresh bucket and the app configured for it (credentials from the environment)."""
    name = f"khs-photos-{uuid.uuid4().hex[:8]}"
    env = {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "KHS_STORAGE_BACKEND": "s3",
        "KHS_S3_BUCKET": name,
        "KHS_S3_ENDPOINT_URL": moto_url,
        "KHS_S3_PREFIX": "tenant-1/",
    }
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("KHS_KEEP_PHOTO_GPS", raising=False)
    s3(moto_url).create_bucket(Bucket=name)
    databases.reset_caches()
    return name


def s3(moto_url: str):
    return boto3.client(
        "s3",
        endpoint_url=moto_url,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


@pytest.fixture
def client(bucket, engine) -> Iterator[AppClient]:
    with AppClient(api_app(), raise_server_exceptions=False) as c:
        yield c
    assert jobqueue.get_queue().join(20)
    jobqueue.stop_all()


def keys(moto_url: str, bucket: str) -> list[str]:
    listed = s3(moto_url).list_objects_v2(Bucket=bucket)
    return sorted(o["Key"] for o in listed.get("Contents", []))


def presign(client, cast, user=None, **body):
    body = {"id": str(uuid.uuid4()), "contentType": "image/jpeg", "size": 1000, **body}
    return client.post(
        f"/api/jobs/{cast.job.id}/photos/presign", json=body, headers=bearer(user or cast.worker_a)
    )


def post_form(form: dict, data: bytes, content_type: str = "image/jpeg") -> httpx.Response:
    """What the browser does: a multipart POST of the fields, then the file, to the bucket."""
    files = {"file": ("IMG_0001.jpg", data, content_type)}
    return httpx.post(form["url"], data=form["fields"], files=files, timeout=10)


def test_the_storage_is_s3(client):
    assert isinstance(get_storage(), S3Storage) and get_storage().ping()


def test_upload_through_the_app_lands_encrypted_in_the_bucket(client, cast, moto_url, bucket):
    response = client.post(
        f"/api/jobs/{cast.job.id}/photos",
        files={"file": ("../../etc/passwd.jpg", image_bytes(gps=True), "image/jpeg")},
        data={"id": str(uuid.uuid4()), "tag": "after"},
        headers=bearer(cast.worker_a),
    )
    assert response.status_code == 201, response.text
    photo = response.json()["data"]
    assert jobqueue.get_queue().join(20)
    stored = keys(moto_url, bucket)
    prefix = f"tenant-1/photos/{cast.job.id}/{photo['id']}-"
    assert len(stored) == 2 and stored[0].startswith(prefix) and stored[0].endswith(".jpg")
    assert stored[1].startswith(f"tenant-1/thumbs/{cast.job.id}/{photo['id']}-")
    assert not any("passwd" in key for key in stored)
    head = s3(moto_url).head_object(Bucket=bucket, Key=stored[0])
    assert head["ServerSideEncryption"] == "AES256" and head["ContentType"] == "image/jpeg"
    served = client.get(photo["fileUrl"], headers=bearer(cast.owner))
    assert served.status_code == 200 and served.headers["content-type"] == "image/jpeg"
    assert b"GPSLatitude" not in served.content and len(served.content) == photo["size"]
    thumb = client.get(f"/api/photos/{photo['id']}/thumbnail", headers=bearer(cast.owner))
    assert thumb.headers["content-type"] == "image/webp"


def test_presigned_post_policy_pins_key_type_size_and_encryption(client, cast, bucket):
    photo_id = str(uuid.uuid4())
    response = presign(client, cast, id=photo_id, contentType="image/png", size=4321)
    assert response.status_code == 201, response.text
    form = response.json()["data"]
    assert form["completeUrl"] == f"/api/photos/{photo_id}/complete" and form["photo"] is None
    key = f"tenant-1/quarantine/{cast.worker_a.id}/{photo_id}.upload"
    assert form["fields"]["key"] == key
    policy = json.loads(base64.b64decode(form["fields"]["policy"]))
    conditions = policy["conditions"]
    assert ["content-length-range", 4321, 4321] in conditions
    assert {"Content-Type": "image/png"} in conditions
    assert {"key": key} in conditions and {"bucket": bucket} in conditions
    assert {"x-amz-server-side-encryption": "AES256"} in conditions
    assert form["fields"]["x-amz-algorithm"] == "AWS4-HMAC-SHA256"
    assert policy["expiration"] and form["expiresAt"]


def test_presign_refuses_bad_requests(client, cast, moto_url, bucket):
    too_big = presign(client, cast, size=images.MAX_PHOTO_BYTES + 1)
    assert too_big.status_code == 413
    assert too_big.json()["error"]["code"] == "PAYLOAD_TOO_LARGE"
    for body in ({"contentType": "image/gif"}, {"contentType": "text/html"}, {"size": 0}):
        assert presign(client, cast, **body).status_code == 422
    assert presign(client, cast, tag="selfie").status_code == 422
    assert presign(client, cast, fileName="../../x.jpg").status_code == 422
    assert keys(moto_url, bucket) == []


def test_presigned_upload_then_complete(client, session, cast, moto_url, bucket):
    data = image_bytes("JPEG", (800, 600), gps=True)
    photo_id = str(uuid.uuid4())
    form = presign(
        client, cast, id=photo_id, size=len(data), caption="Footings", tag="progress",
        takenAt="2026-11-24T08:00:00Z",
    ).json()["data"]  # fmt: skip
    early = client.post(f"/api/photos/{photo_id}/complete", headers=bearer(cast.worker_a))
    assert early.status_code == 409  # nothing uploaded yet; the ticket stays
    assert session.exec(select(Photo)).all() == []
    assert post_form(form, data).status_code == 204
    assert session.exec(select(Photo)).all() == []  # no row before complete
    done = client.post(f"/api/photos/{photo_id}/complete", headers=bearer(cast.worker_a))
    assert done.status_code == 201, done.text
    photo = done.json()["data"]
    assert (photo["caption"], photo["width"], photo["takenAt"][:10]) == (
        "Footings",
        800,
        "2026-11-24",
    )
    assert jobqueue.get_queue().join(20)
    stored = keys(moto_url, bucket)
    assert not any("quarantine" in key for key in stored)
    assert [k.split("/")[1] for k in stored] == ["photos", "thumbs"]
    served = client.get(photo["fileUrl"], headers=bearer(cast.owner)).content
    assert b"GPSLatitude" not in served
    again = client.post(f"/api/photos/{photo_id}/complete", headers=bearer(cast.worker_a))
    assert again.status_code == 200 and again.json()["data"]["id"] == photo_id
    retry = presign(client, cast, id=photo_id, size=len(data))
    assert retry.status_code == 200 and retry.json()["data"]["photo"]["id"] == photo_id
    assert retry.json()["data"]["url"] is None


def test_an_unchanged_file_is_copied_out_of_quarantine(client, cast, moto_url, bucket):
    data = image_bytes("PNG", (64, 64))
    form = presign(client, cast, contentType="image/png", size=len(data)).json()["data"]
    assert post_form(form, data, "image/png").status_code == 204
    photo_id = form["completeUrl"].split("/")[3]
    done = client.post(form["completeUrl"], headers=bearer(cast.worker_a))
    assert done.status_code == 201
    served = client.get(f"/api/photos/{photo_id}/file", headers=bearer(cast.owner))
    assert served.content == data and served.headers["content-type"] == "image/png"


@pytest.mark.parametrize(
    ("declared", "sent", "status"),
    [
        ("image/jpeg", "larger", 422),  # more bytes than the policy allows
        ("image/jpeg", "oversized", 413),  # beyond 15 MB
        ("image/png", "jpeg", 422),  # another type than announced
        ("image/jpeg", "html", 422),  # not an image at all
        ("image/jpeg", "gif", 422),
    ],
)
def test_complete_refuses_what_the_policy_forbids(
    client, session, cast, moto_url, bucket, declared, sent, status
):
    jpeg = image_bytes("JPEG", (64, 48))
    payloads = {
        "larger": jpeg + b"\x00" * 100,
        "oversized": jpeg + b"\x00" * images.MAX_PHOTO_BYTES,
        "jpeg": jpeg,
        "html": (b"\xff\xd8\xff\xe0" + HTML).ljust(len(jpeg), b" "),
        "gif": image_bytes("GIF", (32, 32), mode="P").ljust(len(jpeg), b"\x00"),
    }
    form = presign(client, cast, contentType=declared, size=len(jpeg)).json()["data"]
    assert post_form(form, payloads[sent], declared).status_code == 204  # moto lets it in
    response = client.post(form["completeUrl"], headers=bearer(cast.worker_a))
    assert response.status_code == status, response.text
    assert session.exec(select(Photo)).all() == []
    assert keys(moto_url, bucket) == []  # the upload and its ticket are gone
    retry = client.post(form["completeUrl"], headers=bearer(cast.worker_a))
    assert retry.status_code == 404


def test_only_the_uploader_completes_and_only_visible_jobs_presign(client, cast):
    data = image_bytes()
    assert presign(client, cast, cast.worker_b).status_code == 404
    form = presign(client, cast, size=len(data)).json()["data"]
    assert post_form(form, data).status_code == 204
    for user in (cast.worker_b, cast.owner):
        assert client.post(form["completeUrl"], headers=bearer(user)).status_code == 404
    assert client.post(form["completeUrl"]).status_code == 401
    assert client.post(form["completeUrl"], headers=bearer(cast.worker_a)).status_code == 201


@pytest.mark.parametrize("role", ["owner", "admin", "worker_a"])
def test_presign_for_each_role_that_sees_the_job(client, cast, role):
    assert presign(client, cast, getattr(cast, role)).status_code == 201


def test_delete_removes_the_objects(client, session, cast, moto_url, bucket):
    response = client.post(
        f"/api/jobs/{cast.job.id}/photos",
        files={"file": ("a.webp", image_bytes("WEBP"), "image/webp")},
        data={"id": str(uuid.uuid4())},
        headers=bearer(cast.worker_a),
    )
    photo = response.json()["data"]
    assert jobqueue.get_queue().join(20)
    assert len(keys(moto_url, bucket)) == 2
    deleted = client.delete(f"/api/photos/{photo['id']}", headers=bearer(cast.owner))
    assert deleted.status_code == 200
    assert keys(moto_url, bucket) == []
    assert client.get(photo["fileUrl"], headers=bearer(cast.owner)).status_code == 404


def test_a_gps_check_on_the_served_bytes(client, cast):
    from io import BytesIO

    from PIL import Image

    response = client.post(
        f"/api/jobs/{cast.job.id}/photos",
        files={"file": ("a.heic", image_bytes("HEIF", gps=True), "image/heic")},
        data={"id": str(uuid.uuid4())},
        headers=bearer(cast.worker_a),
    )
    served = client.get(response.json()["data"]["fileUrl"], headers=bearer(cast.owner))
    with Image.open(BytesIO(served.content)) as image:
        assert dict(image.getexif().get_ifd(GPS_IFD)) == {}
