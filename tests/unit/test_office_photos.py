"""Several photos at once from the office's job page: the service that stores a batch, the
state handler the upload button calls, and what the page says about refused files.

Real database (SQLite and PostgreSQL), real local storage, real thumbnail queue.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from sqlmodel import select

from khs_crm.db import session_scope
from khs_crm.integrations import jobqueue
from khs_crm.models import ActivityLog, Photo
from khs_crm.services.core.errors import NotFound, ValidationFailed
from khs_crm.services.photos.batch import MAX_BATCH_FILES, PhotoFile, upload_photos
from khs_crm.services.photos.images import MAX_PHOTO_BYTES
from khs_crm.state.office.job_activity import JobActivityState
from khs_crm.state.office.job_photos import JobPhotosState
from tests.support.photo_files import image_bytes
from tests.support.uploads import uploaded
from tests.unit.test_office_state import call, root_state, signed_in, sub

pytestmark = pytest.mark.usefixtures("uploads", "drained")

NOT_A_PHOTO = "This file is not a photo: only JPEG, PNG, WebP or HEIC images are accepted."
TOO_BIG = "A photo may be at most 15 MB."


def photo_files(folder: Path) -> list[str]:
    """The stored photos (not thumbnails), as storage keys."""
    root = folder / "photos"
    files = root.rglob("*") if root.exists() else []
    return sorted(p.relative_to(folder).as_posix() for p in files if p.is_file())


def mixed_batch() -> list[PhotoFile]:
    return [
        PhotoFile.of("kitchen.jpg", image_bytes("JPEG", (640, 480))),
        PhotoFile.of("photo.txt", b"Gate code 1234, dog in the yard."),
        PhotoFile.of("deck.png", image_bytes("PNG", (320, 240))),
        PhotoFile.of("huge.jpg", b"\xff\xd8\xff" + b"\x00" * MAX_PHOTO_BYTES),
    ]


def test_a_mixed_batch_keeps_the_photos_and_names_the_refused_files(session, cast, uploads):
    with session_scope() as unit:  # one unit of work, as the page's event handler runs it
        outcome = upload_photos(
            unit,
            job_id=cast.job.id,
            files=mixed_batch(),
            tag="before",
            caption=" Kitchen wall ",
            actor=cast.owner,
        )

    assert outcome.refused == [f"photo.txt: {NOT_A_PHOTO}", f"huge.jpg: {TOO_BIG}"]
    rows = session.exec(select(Photo).order_by(Photo.content_type)).all()
    assert {p.id for p in rows} == {p.id for p in outcome.stored}
    assert [(p.content_type, p.width, p.height) for p in rows] == [
        ("image/jpeg", 640, 480),
        ("image/png", 320, 240),
    ]
    for photo in rows:
        assert photo.id.version == 4 and photo.job_id == cast.job.id
        assert (photo.tag, photo.caption, photo.uploaded_by) == (
            "before",
            "Kitchen wall",
            cast.owner.id,
        )
        assert photo.storage_key.startswith(f"photos/{cast.job.id}/{photo.id}-")
    assert photo_files(uploads) == sorted(p.storage_key for p in rows)
    created = session.exec(
        select(ActivityLog).where(ActivityLog.entity == "photo", ActivityLog.action == "create")
    ).all()
    assert sorted(a.entity_id for a in created) == sorted(p.id for p in rows)

    assert jobqueue.get_queue().join(20)  # thumbnails were queued as for the upload route
    for photo in rows:
        session.refresh(photo)
        assert photo.thumbnail_status == "ready"


@pytest.mark.parametrize(
    ("who", "files", "tag", "error"),
    [
        ("worker_b", 1, "progress", NotFound),  # not on this job: it does not exist for them
        ("owner", 0, "progress", ValidationFailed),
        ("owner", MAX_BATCH_FILES + 1, "progress", ValidationFailed),
        ("owner", 1, "sideways", ValidationFailed),
    ],
)
def test_a_batch_that_breaks_a_rule_stores_nothing(session, cast, uploads, who, files, tag, error):
    batch = [PhotoFile.of(f"p{i}.jpg", image_bytes("JPEG", (32, 24))) for i in range(files)]
    with pytest.raises(error):
        upload_photos(
            session, job_id=cast.job.id, files=batch, tag=tag, caption="", actor=getattr(cast, who)
        )
    assert session.exec(select(Photo)).all() == []
    assert photo_files(uploads) == []


def test_a_worker_on_the_job_may_add_a_batch(session, cast):
    batch = [PhotoFile.of("wall.webp", image_bytes("WEBP", (64, 48)))]
    outcome = upload_photos(
        session, job_id=cast.job.id, files=batch, tag="", caption="", actor=cast.worker_a
    )
    assert [(p.tag, p.uploaded_by) for p in outcome.stored] == [("progress", cast.worker_a.id)]


def test_the_upload_button_reports_each_file_and_shows_the_new_photos(session, cast, uploads):
    state = sub(root_state(signed_in(session, cast.owner), f"/jobs/{cast.job.id}"), JobPhotosState)
    files = [uploaded(f.read(), f.name) for f in mixed_batch()]

    call(JobPhotosState.begin_upload, state)  # the form's first event: it waits and says so
    assert state.sending and state.sent_percent == 0
    call(JobPhotosState.upload_progress, state, {"loaded": 512, "total": 1024, "progress": 0.5})
    assert state.sent_percent == 50
    call(JobPhotosState.upload_progress, state, {"progress": "not a number"})
    assert state.sent_percent == 50
    result = call(JobPhotosState.upload, state, files, {"tag": "after", "caption": "Done"})
    assert not state.sending

    events = result if isinstance(result, list) else [result]
    assert events[0] is JobActivityState.refresh
    # The page looks again for thumbnails only while some are still being made.
    pending = any(p["thumbnailPending"] for p in state.photos)
    assert (JobPhotosState.watch_thumbnails in events) == pending
    assert state.notice == "2 photos uploaded." and state.error == ""
    assert state.refused == [f"photo.txt: {NOT_A_PHOTO}", f"huge.jpg: {TOO_BIG}"]
    assert [(p["tag"], p["caption"]) for p in state.photos] == [("after", "Done")] * 2
    assert [pair["after"]["id"] for pair in state.pairs] == [p["id"] for p in state.photos]
    assert len(photo_files(uploads)) == 2


def test_a_batch_of_only_bad_files_says_so_and_uploads_nothing(session, cast):
    state = sub(root_state(signed_in(session, cast.owner), f"/jobs/{cast.job.id}"), JobPhotosState)
    files = [uploaded(b"not a photo", "photo.txt")]
    call(JobPhotosState.begin_upload, state)
    call(JobPhotosState.upload, state, files, {"tag": "progress", "caption": ""})
    assert state.notice == "" and state.refused == [f"photo.txt: {NOT_A_PHOTO}"]
    assert not state.sending  # the form takes a new batch after a refused one too
    assert state.photos == [] and session.exec(select(Photo)).all() == []


def test_files_the_picker_turns_away_are_named_with_the_reason(session, cast):
    state = sub(root_state(signed_in(session, cast.owner), f"/jobs/{cast.job.id}"), JobPhotosState)
    state.refused = ["old.txt: an earlier batch"]
    call(
        JobPhotosState.rejected,
        state,
        [
            {"name": "notes.txt", "codes": ["file-invalid-type"]},
            {"name": "pano.jpg", "codes": ["file-too-large"]},
        ],
    )
    assert state.error == (
        "Not added: notes.txt: not a JPEG, PNG, WebP or HEIC image; pano.jpg: larger than 15 MB."
    )
    assert state.refused == []
    eleven = [{"name": f"p{i}.jpg", "codes": ["too-many-files"]} for i in range(11)]
    call(JobPhotosState.rejected, state, eleven)
    assert state.error == "Choose at most 10 photos at once."


def test_work_after_the_commit_waits_for_the_whole_unit_not_a_savepoint(engine):
    from sqlmodel import Session

    from khs_crm.db import after_commit

    ran: list[str] = []
    with Session(engine) as unit:
        after_commit(unit, lambda: ran.append("queued"))
        with unit.begin_nested():
            pass
        assert ran == []  # a savepoint's release is not the commit
        unit.commit()
    assert ran == ["queued"]


class _Watched(io.BytesIO):
    """A chosen file that notes how many photos were already stored when it was read."""

    def __init__(self, data: bytes, folder: Path, seen: list[int]) -> None:
        super().__init__(data)
        self.folder, self.seen = folder, seen

    def read(self, size: int | None = -1) -> bytes:
        self.seen.append(len(photo_files(self.folder)))
        return super().read(size)


def test_a_batch_reads_each_file_only_when_its_turn_comes(session, cast, uploads):
    """A batch costs the memory of one photo: file n is read after n - 1 are stored."""
    seen: list[int] = []
    batch = [
        PhotoFile(f"p{i}.jpg", _Watched(image_bytes("JPEG", (64, 48)), uploads, seen))
        for i in range(4)
    ]
    with session_scope() as unit:
        outcome = upload_photos(
            unit, job_id=cast.job.id, files=batch, tag="", caption="", actor=cast.owner
        )
    assert len(outcome.stored) == 4
    assert seen == [0, 1, 2, 3]
