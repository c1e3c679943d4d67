"""File storage behind one interface: a local folder or an S3 (or S3-compatible) bucket.

Keys are always made by the server (``photos/<jobId>/<photoId>-<nonce>.jpg``); nothing here
ever builds a key from a user's file name. Objects written through the app are encrypted at
rest on S3 (SSE-S3, AES256); direct browser uploads use a presigned POST whose policy pins the
key, the content type, the exact size and the same encryption.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Protocol

from khs_crm.settings import Settings, get_settings

CHUNK = 64 * 1024
SSE = "AES256"


@dataclass(frozen=True)
class ObjectInfo:
    """What storage knows about an object (``content_type`` may be empty on a local folder)."""

    size: int
    content_type: str = ""


@dataclass(frozen=True)
class PresignedPost:
    """A form a browser posts a file to, straight to the bucket: ``url`` plus ``fields``."""

    url: str
    fields: dict[str, str]


class Storage(Protocol):
    def put(self, key: str, data: bytes, content_type: str) -> None: ...
    def get(self, key: str) -> bytes: ...
    def delete(self, key: str) -> None: ...
    def ping(self) -> bool: ...
    def head(self, key: str) -> ObjectInfo | None: ...
    def exists(self, key: str) -> bool: ...
    def copy(self, source: str, target: str, content_type: str) -> None: ...
    def move(self, source: str, target: str, content_type: str) -> None: ...
    def iter_bytes(self, key: str) -> Iterator[bytes]: ...
    def presigned_post(
        self, key: str, *, content_type: str, size: int, expires_in: int
    ) -> PresignedPost | None: ...


class LocalStorage:
    """Files under one folder; keys are server-made, never taken from user input."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()

    def _path(self, key: str) -> Path:
        path = (self.root / key).resolve()
        if not path.is_relative_to(self.root) or path == self.root:
            raise ValueError("storage key escapes the storage folder")
        return path

    def put(self, key: str, data: bytes, content_type: str) -> None:
        """Write the object atomically (temporary file, then rename)."""
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
        tmp.write_bytes(data)
        tmp.replace(path)

    def get(self, key: str) -> bytes:
        """The object's bytes; FileNotFoundError when it is missing."""
        return self._path(key).read_bytes()

    def delete(self, key: str) -> None:
        """Remove the object; a missing one is not an error."""
        self._path(key).unlink(missing_ok=True)

    def ping(self) -> bool:
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            probe = self.root / f".probe-{uuid.uuid4().hex}"
            probe.write_bytes(b"ok")
            probe.unlink()
            return True
        except OSError:
            return False

    def head(self, key: str) -> ObjectInfo | None:
        """Size of the object, or None when it does not exist."""
        path = self._path(key)
        return ObjectInfo(path.stat().st_size) if path.is_file() else None

    def exists(self, key: str) -> bool:
        return self.head(key) is not None

    def copy(self, source: str, target: str, content_type: str) -> None:
        """Copy an object to a new key (atomically at the target)."""
        self.put(target, self.get(source), content_type)

    def move(self, source: str, target: str, content_type: str) -> None:
        """Move an object to a new key (a rename on the same disk)."""
        path = self._path(target)
        path.parent.mkdir(parents=True, exist_ok=True)
        os.replace(self._path(source), path)

    def iter_bytes(self, key: str) -> Iterator[bytes]:
        """The object in chunks, read lazily (for streaming responses)."""
        with self._path(key).open("rb") as handle:
            while chunk := handle.read(CHUNK):
                yield chunk

    def presigned_post(
        self, key: str, *, content_type: str, size: int, expires_in: int
    ) -> PresignedPost | None:
        """A local folder cannot take uploads that bypass the app: always None."""
        return None


class S3Storage:
    """Objects in an S3 (or S3-compatible) bucket, encrypted at rest.

    Credentials come from the environment (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, a
    profile, or an instance role): boto3's default chain, never from settings files.
    """

    def __init__(self, settings: Settings) -> None:
        import boto3
        from botocore.config import Config

        self.bucket = settings.s3_bucket
        self.prefix = settings.s3_prefix
        self.client = boto3.client(
            "s3",
            region_name=settings.s3_region,
            endpoint_url=settings.s3_endpoint_url or None,
            config=Config(signature_version="s3v4", retries={"mode": "standard"}),
        )

    def _key(self, key: str) -> str:
        return self.prefix + key

    def put(self, key: str, data: bytes, content_type: str) -> None:
        """Write the object, encrypted at rest."""
        self.client.put_object(
            Bucket=self.bucket,
            Key=self._key(key),
            Body=data,
            ContentType=content_type,
            ServerSideEncryption=SSE,
        )

    def get(self, key: str) -> bytes:
        """The object's bytes; botocore's ClientError (NoSuchKey) when it is missing."""
        return self.client.get_object(Bucket=self.bucket, Key=self._key(key))["Body"].read()

    def delete(self, key: str) -> None:
        """Remove the object; a missing one is not an error (S3 semantics)."""
        self.client.delete_object(Bucket=self.bucket, Key=self._key(key))

    def ping(self) -> bool:
        try:
            self.client.head_bucket(Bucket=self.bucket)
            return True
        except Exception:
            return False

    def head(self, key: str) -> ObjectInfo | None:
        """Size and content type of the object, or None when it does not exist."""
        from botocore.exceptions import ClientError

        try:
            meta = self.client.head_object(Bucket=self.bucket, Key=self._key(key))
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return None
            raise
        return ObjectInfo(int(meta["ContentLength"]), meta.get("ContentType", ""))

    def exists(self, key: str) -> bool:
        return self.head(key) is not None

    def copy(self, source: str, target: str, content_type: str) -> None:
        """Server-side copy (no bytes through the app), re-encrypted, with a new type."""
        self.client.copy_object(
            Bucket=self.bucket,
            Key=self._key(target),
            CopySource={"Bucket": self.bucket, "Key": self._key(source)},
            ContentType=content_type,
            MetadataDirective="REPLACE",
            ServerSideEncryption=SSE,
        )

    def move(self, source: str, target: str, content_type: str) -> None:
        """Copy, then delete the source (S3 has no rename)."""
        self.copy(source, target, content_type)
        self.delete(source)

    def iter_bytes(self, key: str) -> Iterator[bytes]:
        """The object in chunks, streamed from the bucket."""
        body = self.client.get_object(Bucket=self.bucket, Key=self._key(key))["Body"]
        try:
            yield from body.iter_chunks(CHUNK)
        finally:
            body.close()

    def presigned_post(
        self, key: str, *, content_type: str, size: int, expires_in: int
    ) -> PresignedPost:
        """A POST form for exactly this key, content type, size (bytes) and encryption."""
        fields = {"Content-Type": content_type, "x-amz-server-side-encryption": SSE}
        conditions: list = [
            {"Content-Type": content_type},
            {"x-amz-server-side-encryption": SSE},
            ["content-length-range", size, size],
        ]
        post = self.client.generate_presigned_post(
            Bucket=self.bucket,
            Key=self._key(key),
            Fields=fields,
            Conditions=conditions,
            ExpiresIn=expires_in,
        )
        return PresignedPost(post["url"], dict(post["fields"]))


@lru_cache
def get_storage() -> Storage:
    """Return the configured storage backend."""
    settings = get_settings()
    if settings.storage_backend == "s3":
        return S3Storage(settings)
    assert settings.uploads_dir is not None
    return LocalStorage(settings.uploads_dir)
