"""/api photos on the local-folder backend: roles, uploads, hostile files, files, sync."""

from __future__ import annotations

import io
import uuid
from pathlib import Path

import pytest
from PIL import Image
from sqlmodel import select

from khs_crm.integrations import jobqueue
from khs_crm.models import ActivityAction, ActivityLog, Photo
from khs_crm.services.photos import images
from khs_crm.services.photos import store as photos_store
from khs_crm.services.photos import thumbs as photos_thumbs
from tests.support.databases import sqlite_only
from tests.support.factories import bearer, make_job
from tests.support.photo_files import GPS_IFD, HTML, hostile_files, image_bytes

pytestmark = pytest.mark.usefixtures("uploads", "drained")

ROLES = ["owner", "admin", "worker_a", "worker_b", "anonymous"]


def auth(cast, role: str) -> dict[str, str]:
    return {} if role == "anonymous" else bearer(getattr(cast, role))


def upload(client, cast, role="worker_a", *, data=None, photo_id=None, job=None, **form):
    files = {
        "file": (
            form.pop("filename", "site.jpg"),
            image_bytes() if data is None else data,
            "image/jpeg",
        )
    }
    fields = {"id": str(photo_id or uuid.uuid4()), **form}
    job_id = (job or cast.job).id
    return client.post(
        f"/api/jobs/{job_id}/photos", files=files, data=fields, headers=auth(cast, role)
    )


def stored_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def originals(folder: Path) -> list[Path]:
    """The uploaded files, not their thumbnails (.webp), which the background job may have
    written already."""
    return [p for p in stored_files(folder) if p.suffix != ".webp"]


def settle(client, cast, photo_id) -> dict:
    assert jobqueue.get_queue().join(20)
    response = client.get(f"/api/photos/{photo_id}", headers=bearer(cast.owner))
    return response.json()["data"]


@pytest.fixture
def photo(client, cast) -> dict:
    response = upload(client, cast, caption="Kitchen wall", tag="before")
    assert response.status_code == 201, response.text
    return settle(client, cast, response.json()["data"]["id"])


ROUTES = [
    ("get", "/api/jobs/{job}/photos", {"worker_b": 404}),
    ("post", "/api/jobs/{job}/photos", {"default": 201, "worker_b": 404}),
    ("post", "/api/jobs/{job}/photos/presign", {"default": 409, "worker_b": 404}),
    ("post", "/api/photos/{photo}/complete", {"default": 404, "worker_a": 200}),
    ("get", "/api/photos/{photo}", {"worker_b": 404}),
    ("get", "/api/photos/{photo}/file", {"worker_b": 404}),
    ("get", "/api/photos/{photo}/thumbnail", {"worker_b": 404}),
    ("put", "/api/photos/{photo}", {"worker_b": 404}),
    ("delete", "/api/photos/{photo}", {"worker_a": 403, "worker_b": 404}),
]


@sqlite_only
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "path", "expected"), ROUTES)
def test_role_matrix(client, cast, photo, role, method, path, expected):
    url = path.format(job=cast.job.id, photo=photo["id"])
    kwargs: dict = {"headers": auth(cast, role)}
    if path.endswith("/photos") and method == "post":
        kwargs["files"] = {"file": ("a.jpg", image_bytes(), "image/jpeg")}
        kwargs["data"] = {"id": str(uuid.uuid4())}
    elif path.endswith("presign"):
        kwargs["json"] = {"id": str(uuid.uuid4()), "contentType": "image/jpeg", "size": 1000}
    elif method == "put":
        kwargs["json"] = {"caption": "Changed"}
    response = client.request(method, url, **kwargs)
    want = 401 if role == "anonymous" else expected.get(role, expected.get("default", 200))
    assert response.status_code == want, response.text


def test_upload_stores_the_file_and_answers_with_the_photo(client, session, cast, uploads):
    photo_id = uuid.uuid4()
    data = image_bytes("JPEG", (640, 480))
    response = upload(
        client, cast, data=data, photo_id=photo_id, caption=" Beam ", tag="issue",
        takenAt="2026-11-20T09:30:00-06:00",
    )  # fmt: skip
    assert response.status_code == 201, response.text
    body = response.json()["data"]
    assert set(body) == {
        "id", "jobId", "caption", "tag", "contentType", "size", "width", "height", "takenAt",
        "uploadedBy", "version", "createdAt", "updatedAt", "fileUrl", "thumbnailUrl",
    }  # fmt: skip
    assert body["id"] == str(photo_id) and body["jobId"] == str(cast.job.id)
    assert (body["caption"], body["tag"], body["contentType"]) == ("Beam", "issue", "image/jpeg")
    assert (body["width"], body["height"], body["size"]) == (640, 480, len(data))
    assert body["takenAt"].startswith("2026-11-20T15:30:00")
    assert body["uploadedBy"] == str(cast.worker_a.id) and body["version"] > 0
    assert body["fileUrl"] == f"/api/photos/{photo_id}/file" and body["thumbnailUrl"] is None
    (stored,) = originals(uploads)
    assert stored.relative_to(uploads).parts[:2] == ("photos", str(cast.job.id))
    assert stored.name.startswith(f"{photo_id}-") and stored.suffix == ".jpg"
    # The thumbnail job runs beside the request and may already have logged its housekeeping.
    actions = [r.action for r in session.exec(select(ActivityLog)).all()]
    assert [a for a in actions if a != ActivityAction.housekeeping] == ["create"]


def test_the_file_is_served_inline_with_safe_headers(client, cast, photo):
    response = client.get(f"/api/photos/{photo['id']}/file", headers=bearer(cast.worker_a))
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/jpeg"
    assert response.headers["content-disposition"] == f'inline; filename="photo-{photo["id"]}.jpg"'
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "sandbox" in response.headers["content-security-policy"]
    assert int(response.headers["content-length"]) == photo["size"] == len(response.content)
    with Image.open(io.BytesIO(response.content)) as image:
        assert image.size == (640, 480)


def test_thumbnail_is_made_off_the_request_path(client, session, cast, photo):
    assert photo["thumbnailUrl"] == f"/api/photos/{photo['id']}/thumbnail"
    response = client.get(photo["thumbnailUrl"], headers=bearer(cast.worker_a))
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/webp"
    assert response.headers["content-disposition"] == f'inline; filename="photo-{photo["id"]}.webp"'
    with Image.open(io.BytesIO(response.content)) as image:
        assert image.format == "WEBP" and image.size == (400, 300)
    row = session.get(Photo, uuid.UUID(photo["id"]))
    assert row.thumbnail_status == "ready" and photo["version"] > 1
    actions = session.exec(select(ActivityLog.action).where(ActivityLog.entity_id == row.id)).all()
    assert actions == ["create", "housekeeping"]


def test_same_id_and_bytes_again_is_the_same_photo(client, session, cast, uploads):
    photo_id, data = uuid.uuid4(), image_bytes()
    first = upload(client, cast, data=data, photo_id=photo_id)
    again = upload(client, cast, "owner", data=data, photo_id=photo_id, caption="retry")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["data"]["id"] == str(photo_id)
    assert again.json()["data"]["caption"] == ""  # the first upload stands
    assert len(session.exec(select(Photo)).all()) == 1
    assert jobqueue.get_queue().join(20)
    assert len(stored_files(uploads)) == 2  # one photo, one thumbnail


def test_same_id_with_other_bytes_or_on_another_job_is_409(client, session, cast):
    photo_id = uuid.uuid4()
    assert upload(client, cast, photo_id=photo_id).status_code == 201
    other = upload(client, cast, photo_id=photo_id, data=image_bytes(color="blue"))
    assert other.status_code == 409 and other.json()["error"]["code"] == "CONFLICT"
    second_job = make_job(session, cast.customer, title="Bathroom", crew=[cast.worker_a])
    moved = upload(client, cast, photo_id=photo_id, job=second_job)
    assert moved.status_code == 409
    assert len(session.exec(select(Photo)).all()) == 1


@sqlite_only
@pytest.mark.parametrize("name", sorted(hostile_files()))
def test_hostile_files_are_422_and_leave_nothing(client, session, cast, uploads, name):
    response = upload(client, cast, data=hostile_files()[name], filename="evil.jpg")
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["code"] == "VALIDATION_ERROR" and error["details"][0]["field"] == "file"
    assert session.exec(select(Photo)).all() == [] and stored_files(uploads) == []


def test_zero_bytes_is_422(client, session, cast, uploads):
    response = upload(client, cast, data=b"", filename="empty.jpg")
    assert response.status_code == 422
    assert "empty" in response.json()["error"]["message"]


@pytest.mark.parametrize("extra", [1, 1024 * 1024 + 1])
def test_oversized_is_413_in_the_envelope(client, session, cast, uploads, extra):
    data = b"\xff\xd8\xff" + b"\x00" * (images.MAX_PHOTO_BYTES + extra - 3)
    response = upload(client, cast, data=data)
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "PAYLOAD_TOO_LARGE"
    assert session.exec(select(Photo)).all() == [] and stored_files(uploads) == []


def test_a_polyglot_is_kept_only_as_an_image(client, cast):
    data = image_bytes() + HTML  # a whole JPEG with a page glued on after it
    response = upload(client, cast, data=data, filename="page.html")
    assert response.status_code == 201
    served = client.get(response.json()["data"]["fileUrl"], headers=bearer(cast.owner))
    assert served.headers["content-type"] == "image/jpeg"
    assert served.headers["x-content-type-options"] == "nosniff"
    assert served.headers["content-disposition"].endswith('.jpg"')
    assert "sandbox" in served.headers["content-security-policy"]


def test_the_file_name_never_reaches_the_key(client, cast, uploads):
    photo_id = uuid.uuid4()
    response = upload(client, cast, photo_id=photo_id, filename="../../etc/passwd.jpg")
    assert response.status_code == 201
    (stored,) = originals(uploads)
    assert "passwd" not in str(stored) and ".." not in stored.relative_to(uploads).parts
    assert not (uploads.parent.parent / "etc").exists()
    png = upload(client, cast, data=image_bytes("PNG"), filename="x.jpg")
    assert png.json()["data"]["contentType"] == "image/png"


@sqlite_only
@pytest.mark.parametrize(
    ("form", "field"),
    [
        ({"id": "not-a-uuid"}, "id"),
        ({"tag": "selfie"}, "tag"),
        ({"caption": "x" * 501}, "caption"),
        ({"takenAt": "yesterday"}, "takenAt"),
    ],
)
def test_bad_fields_are_422(client, session, cast, form, field):
    fields = {"id": str(uuid.uuid4()), **form}
    response = client.post(
        f"/api/jobs/{cast.job.id}/photos",
        files={"file": ("a.jpg", image_bytes(), "image/jpeg")},
        data=fields,
        headers=bearer(cast.owner),
    )
    assert response.status_code == 422, response.text
    assert field in [d["field"] for d in response.json()["error"]["details"]]
    assert session.exec(select(Photo)).all() == []


def test_missing_file_or_id_is_422(client, cast):
    url, owner = f"/api/jobs/{cast.job.id}/photos", bearer(cast.owner)
    no_file = client.post(url, data={"id": str(uuid.uuid4())}, headers=owner)
    no_id = client.post(url, files={"file": ("a.jpg", image_bytes())}, headers=owner)
    assert (no_file.status_code, no_id.status_code) == (422, 422)


def test_gps_is_stripped_from_what_is_served(client, cast):
    response = upload(client, cast, data=image_bytes(gps=True))
    served = client.get(response.json()["data"]["fileUrl"], headers=bearer(cast.owner)).content
    with Image.open(io.BytesIO(served)) as image:
        assert dict(image.getexif().get_ifd(GPS_IFD)) == {}
    assert b"GPSLatitude" not in served


def test_the_owner_may_keep_gps(client, cast, monkeypatch):
    monkeypatch.setenv("KHS_KEEP_PHOTO_GPS", "true")
    from tests.support.databases import reset_caches

    reset_caches()
    data = image_bytes(gps=True)
    response = upload(client, cast, data=data)
    served = client.get(response.json()["data"]["fileUrl"], headers=bearer(cast.owner)).content
    assert served == data


@pytest.mark.parametrize(("fmt", "content_type"), [("PNG", "image/png"), ("WEBP", "image/webp")])
def test_png_and_webp(client, cast, fmt, content_type):
    response = upload(client, cast, data=image_bytes(fmt, (300, 200)))
    assert response.status_code == 201
    body = settle(client, cast, response.json()["data"]["id"])
    assert (body["contentType"], body["width"], body["height"]) == (content_type, 300, 200)
    assert body["thumbnailUrl"] is not None


def test_heic_is_accepted_and_thumbnailed(client, cast):
    response = upload(client, cast, data=image_bytes("HEIF", (320, 240)), filename="IMG.HEIC")
    assert response.status_code == 201, response.text
    body = settle(client, cast, response.json()["data"]["id"])
    assert (body["contentType"], body["width"]) == ("image/heic", 320)
    assert body["thumbnailUrl"] is not None
    served = client.get(body["fileUrl"], headers=bearer(cast.owner))
    assert served.headers["content-disposition"].endswith('.heic"')


def test_heic_without_a_decoder_is_stored_without_a_thumbnail(client, session, cast, monkeypatch):
    monkeypatch.setattr(images, "HEIF_AVAILABLE", False)
    response = upload(client, cast, data=image_bytes("HEIF", (320, 240)))
    assert response.status_code == 201
    body = settle(client, cast, response.json()["data"]["id"])
    assert (body["width"], body["height"], body["thumbnailUrl"]) == (None, None, None)
    assert session.get(Photo, uuid.UUID(body["id"])).thumbnail_status == "unavailable"


def test_a_failed_row_write_leaves_no_file(client, session, cast, uploads, monkeypatch):
    def broken(*_args, **_kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(photos_store, "_insert", broken)
    response = upload(client, cast)
    assert response.status_code == 500
    assert stored_files(uploads) == [] and session.exec(select(Photo)).all() == []


def test_list_in_the_order_taken_with_a_tag_filter(client, cast):
    for when, tag in (("2026-11-03T10:00:00Z", "after"), ("2026-11-01T10:00:00Z", "before")):
        upload(client, cast, tag=tag, takenAt=when)
    url = f"/api/jobs/{cast.job.id}/photos"
    page = client.get(url, headers=bearer(cast.worker_a)).json()
    assert [p["tag"] for p in page["data"]] == ["before", "after"]
    assert page["pagination"] == {"page": 1, "pageSize": 25, "total": 2, "totalPages": 1}
    only = client.get(url, params={"tag": "after"}, headers=bearer(cast.owner)).json()["data"]
    assert [p["tag"] for p in only] == ["after"]
    assert client.get(url, params={"tag": "nope"}, headers=bearer(cast.owner)).status_code == 422


def test_update_caption_and_tag_with_if_match(client, session, cast, photo):
    url = f"/api/photos/{photo['id']}"
    stale = client.put(url, json={"caption": "x"}, headers={**bearer(cast.owner), "If-Match": "1"})
    assert stale.status_code == 412
    response = client.put(
        url, json={"caption": "After demo", "tag": "progress"}, headers=bearer(cast.worker_a)
    )
    data = response.json()["data"]
    assert (data["caption"], data["tag"]) == ("After demo", "progress")
    assert data["version"] > photo["version"]
    for bad in ({"tag": "nope"}, {"caption": None}, {"contentType": "text/html"}):
        assert client.put(url, json=bad, headers=bearer(cast.owner)).status_code == 422


def test_delete_is_office_only_soft_and_removes_the_files(client, session, cast, photo, uploads):
    assert len(stored_files(uploads)) == 2  # the photo and its thumbnail
    url = f"/api/photos/{photo['id']}"
    assert client.delete(url, headers=bearer(cast.worker_a)).status_code == 403
    response = client.delete(url, headers=bearer(cast.admin))
    assert response.status_code == 200 and response.json()["data"]["deletedAt"]
    assert stored_files(uploads) == []
    session.expire_all()
    row = session.get(Photo, uuid.UUID(photo["id"]))
    assert row.deleted_at is not None and row.version > photo["version"]
    assert client.get(f"{url}/file", headers=bearer(cast.owner)).status_code == 404
    listed = client.get(f"/api/jobs/{cast.job.id}/photos", headers=bearer(cast.owner))
    assert listed.json()["data"] == []
    again = upload(client, cast, photo_id=photo["id"])
    assert again.status_code == 409


def test_photos_of_a_deleted_job_are_out_of_reach(client, cast, photo):
    assert client.delete(f"/api/jobs/{cast.job.id}", headers=bearer(cast.owner)).status_code == 200
    owner = bearer(cast.owner)
    assert client.get(f"/api/photos/{photo['id']}/file", headers=owner).status_code == 404
    assert upload(client, cast, "owner").status_code == 404


def test_photos_reach_devices_through_sync(client, cast, photo):
    pulled = client.get("/api/sync/pull", params={"cursor": 0}, headers=bearer(cast.worker_a))
    changes = [c for c in pulled.json()["data"]["changes"] if c["entity"] == "photo"]
    assert [(c["entityId"], c["action"]) for c in changes] == [(photo["id"], "upsert")]
    assert changes[0]["version"] == photo["version"]
    hidden = client.get("/api/sync/pull", params={"cursor": 0}, headers=bearer(cast.worker_b))
    assert all(c["entity"] != "photo" for c in hidden.json()["data"]["changes"])


def _push(client, user, op) -> dict:
    body = {"clientId": "device-1", "operations": [op]}
    response = client.post("/api/sync/push", json=body, headers=bearer(user))
    return response.json()["data"]["results"][0]


def test_sync_push_changes_captions_and_only_the_office_deletes(client, session, cast, photo):
    def op(action, seq, changes=None):
        return {
            "opId": str(uuid.uuid4()), "seq": seq, "entity": "photo", "entityId": photo["id"],
            "action": action, "changes": changes or {}, "baseVersion": photo["version"],
        }  # fmt: skip

    changed = _push(client, cast.worker_a, op("update", 1, {"caption": "From the truck"}))
    assert changed["status"] == "applied", changed
    assert _push(client, cast.worker_a, op("delete", 2))["status"] == "rejected"
    assert _push(client, cast.worker_a, op("create", 3, {"caption": "x"}))["status"] == "rejected"
    assert _push(client, cast.owner, op("delete", 1))["status"] == "applied"
    session.expire_all()
    row = session.get(Photo, uuid.UUID(photo["id"]))
    assert row.caption == "From the truck" and row.deleted_at is not None


@pytest.mark.redis
def test_thumbnails_through_the_redis_queue(redis_url, client, cast):
    assert isinstance(jobqueue.get_queue(), jobqueue.RedisQueue)
    response = upload(client, cast)
    body = settle(client, cast, response.json()["data"]["id"])
    assert body["thumbnailUrl"] is not None


def test_pending_thumbnails_are_asked_for_again(client, session, cast, photo):
    row = session.get(Photo, uuid.UUID(photo["id"]))
    row.thumbnail_status, row.thumbnail_key = "pending", None
    session.add(row)
    session.commit()
    assert photos_thumbs.requeue_pending(session) == 1
    assert settle(client, cast, photo["id"])["thumbnailUrl"] is not None


def test_a_failing_job_does_not_stop_the_queue():
    ran: list[int] = []

    def flaky(payload: dict) -> None:
        if payload["n"] == 1:
            raise RuntimeError("boom")
        ran.append(payload["n"])

    jobqueue.register("test.flaky", flaky)
    for n in (1, 2):
        jobqueue.enqueue("test.flaky", {"n": n})
    assert jobqueue.get_queue().join(10) and ran == [2]


@pytest.mark.parametrize("same_bytes", [True, False])
def test_two_uploads_of_one_id_at_once(engine, cast, uploads, monkeypatch, same_bytes):
    import threading

    from sqlmodel import Session

    from khs_crm.services.core.errors import Conflict
    from khs_crm.services.photos import service as photo_service

    barrier = threading.Barrier(2, timeout=10)
    real_inspect = photos_store.inspect_image

    def both_past_the_check(data: bytes):
        barrier.wait()  # both requests have seen "no such photo yet"
        return real_inspect(data)

    monkeypatch.setattr(photos_store, "inspect_image", both_past_the_check)
    meta = photo_service.PhotoMeta(id=uuid.uuid4())
    payloads = [image_bytes(), image_bytes() if same_bytes else image_bytes(color="blue")]
    outcomes: list[object] = []

    def run(data: bytes) -> None:
        with Session(engine, expire_on_commit=False) as s:
            try:
                stored = photo_service.upload_photo(
                    s, job_id=cast.job.id, meta=meta, data=data, actor=cast.worker_a
                )
                s.commit()  # the upload route's boundary
                outcomes.append(stored.created)
            except Conflict as exc:
                outcomes.append(exc)

    threads = [threading.Thread(target=run, args=(data,)) for data in payloads]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert jobqueue.get_queue().join(20)
    if same_bytes:
        assert sorted(outcomes, key=str) == [False, True]
    else:
        created = [o for o in outcomes if o is True]
        refused = [o for o in outcomes if isinstance(o, Conflict)]
        assert (len(outcomes), len(created), len(refused)) == (2, 1, 1)
    with Session(engine) as s:
        (row,) = s.exec(select(Photo)).all()
    photos_on_disk = [p for p in stored_files(uploads) if p.parts[-3] == "photos"]
    assert [p.relative_to(uploads).as_posix() for p in photos_on_disk] == [row.storage_key]
