"""Memory of the office's photo batch: ten photos of ~15 MB each, read up front or in turn.

    .venv/bin/python -m benchmarks.office_batch_memory

Reflex's ``/_upload`` leaves each file of the batch in a temporary file (Starlette spools
past 1 MB to disk); what the batch then costs depends on how the handler reads them. Each
strategy runs in a fresh process (SQLite and local storage in a temporary folder) and stores
the same ten photos through ``services/photos/batch.upload_photos``; the process reports its
peak RSS above the RSS just before the batch (``VmHWM``, reset first) and the peak of Python's
own allocations (tracemalloc). ``upfront`` is how the handler read them before (every file
into memory, then the batch); ``in-turn`` is how it reads them now.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import tracemalloc

FILES = 10
MB = 1_000_000


def _noise_jpeg(path: str) -> None:
    """A photo-sized JPEG that does not compress: ~15 MB of 3,250 × 2,430 noise."""
    from PIL import Image

    pixels = os.urandom(3250 * 2430 * 3)
    Image.frombytes("RGB", (3250, 2430), pixels).save(path, "JPEG", quality=100)


def _status(field: str) -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    raise RuntimeError(field)


def run(strategy: str, photos: str) -> None:
    data_dir = tempfile.mkdtemp(prefix="khs-batch-")
    os.environ["KHS_DATA_DIR"] = data_dir
    os.environ["KHS_DATABASE_URL"] = f"sqlite:///{data_dir}/bench.db"
    from tests.support import databases

    databases.migrate(os.environ["KHS_DATABASE_URL"])
    databases.reset_caches()
    from khs_crm.db import session_scope
    from khs_crm.integrations import jobqueue
    from khs_crm.models import Role
    from khs_crm.services.photos.batch import PhotoFile, upload_photos
    from tests.support.factories import make_customer, make_job, make_user

    spooled = []
    for i in range(FILES):
        file = tempfile.SpooledTemporaryFile(max_size=1024 * 1024)  # noqa: SIM115 (as Starlette)
        with open(os.path.join(photos, f"p{i}.jpg"), "rb") as source:
            shutil.copyfileobj(source, file)
        spooled.append(file)
    sizes = [file.seek(0, 2) for file in spooled]
    for file in spooled:
        file.seek(0)
    with session_scope() as session:
        owner = make_user(session, Role.owner)
        job = make_job(session, make_customer(session))
        owner_id, job_id = owner.id, job.id
    with open("/proc/self/clear_refs", "w") as clear:
        clear.write("5")  # reset VmHWM to the current RSS
    before = _status("VmRSS")
    tracemalloc.start()
    if strategy == "upfront":
        files = [PhotoFile.of(f"p{i}.jpg", f.read(16 * 1024 * 1024)) for i, f in enumerate(spooled)]
    else:
        files = [PhotoFile(f"p{i}.jpg", f) for i, f in enumerate(spooled)]
    with session_scope() as session:
        from khs_crm.models import User

        outcome = upload_photos(
            session,
            job_id=job_id,
            files=files,
            tag="",
            caption="",
            actor=session.get(User, owner_id),
        )
    _, python_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    peak = _status("VmHWM")
    jobqueue.get_queue().join(120)
    assert len(outcome.stored) == FILES, outcome.refused
    print(
        f"| {strategy} | {min(sizes) / MB:.1f}–{max(sizes) / MB:.1f} MB each "
        f"| {peak - before:.0f} MB | {python_peak / 2**20:.0f} MB |"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--strategy", choices=["upfront", "in-turn"])
    parser.add_argument("--photos")
    args = parser.parse_args()
    if args.strategy:
        run(args.strategy, args.photos)
        return
    photos = tempfile.mkdtemp(prefix="khs-batch-photos-")
    for i in range(FILES):  # made here, so the measured processes never hold them whole
        _noise_jpeg(os.path.join(photos, f"p{i}.jpg"))
    print("| reading | files | peak RSS above the RSS before the batch | peak Python allocations |")
    print("| --- | --- | --- | --- |")
    for strategy in ("upfront", "in-turn"):
        subprocess.run(
            [
                sys.executable,
                "-m",
                "benchmarks.office_batch_memory",
                "--strategy",
                strategy,
                "--photos",
                photos,
            ],
            check=True,
        )


if __name__ == "__main__":
    main()
