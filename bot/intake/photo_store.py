"""Where photos are kept: one small interface, local files by default, S3-compatible storage by config.

    store = build_photo_store(settings)
    store.put(key, data, content_type)   # idempotent: the same key again overwrites the same bytes
    store.get(key) -> bytes               # PhotoMissing if it is not there

Keys are made by the caller (`photo_key`): they carry no personal data, only the photo's id and
a content hash. Anything that keeps pictures (the robot's downloads, the conversation archive's
media) stores them here and reads them back through the console's signed links; nothing hands a
storage URL to a browser.

Local files live under PHOTO_DIR (default instance/photos), written atomically (temp file +
rename). PHOTO_STORE=s3 puts them in a bucket of any S3-compatible service (MinIO in production)
through boto3; the bucket is created on first use if it does not exist.
"""
from __future__ import annotations

import logging
import os
import re
import tempfile
import threading
from pathlib import Path
from typing import Protocol

from bot.runtime.config import Settings

log = logging.getLogger(__name__)

_KEY = re.compile(r"[a-z0-9][a-z0-9/_.-]{0,199}")
# Every key starts with this folder, so a local store's own files are all under root/PHOTO_FOLDER.
PHOTO_FOLDER = "photos"


class PhotoMissing(Exception):
    """No photo is stored under this key."""


class PhotoStoreError(Exception):
    """The store could not be reached or refused the operation (the caller retries later)."""


class PhotoStore(Protocol):
    def put(self, key: str, data: bytes, content_type: str) -> None: ...

    def get(self, key: str) -> bytes: ...


def photo_key(photo_id: int, sha256: str, extension: str, variant: str = "") -> str:
    """photos/<id>-<hash prefix>[.<variant>].<ext>: unique, guess-proof, free of personal data."""
    suffix = f".{variant}" if variant else ""
    return f"{PHOTO_FOLDER}/{photo_id}-{sha256[:16]}{suffix}.{extension}"


def _checked(key: str) -> str:
    # Keys are ours, but a store that takes a path must never be walked out of.
    if not _KEY.fullmatch(key) or ".." in key:
        raise ValueError("bad photo key")
    return key


class LocalPhotoStore:
    def __init__(self, root: Path):
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        return self.root / _checked(key)

    def put(self, key: str, data: bytes, content_type: str) -> None:
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".part-")
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            os.replace(tmp, path)
        except OSError as exc:
            raise PhotoStoreError(f"local store: {type(exc).__name__}") from exc

    def get(self, key: str) -> bytes:
        try:
            return self._path(key).read_bytes()
        except FileNotFoundError:
            raise PhotoMissing(key) from None
        except OSError as exc:
            raise PhotoStoreError(f"local store: {type(exc).__name__}") from exc


class S3PhotoStore:
    """Any S3-compatible object store (MinIO, Ceph, COS, S3) through boto3."""

    def __init__(self, endpoint_url: str, bucket: str, access_key: str, secret_key: str, region: str,
                 timeout: float = 10):
        # Imported here, not at the top: boto3 takes ~0.3 s to import and only PHOTO_STORE=s3 needs it.
        import boto3
        from botocore.config import Config

        self.bucket = bucket
        self.client = boto3.client(
            "s3", endpoint_url=endpoint_url, aws_access_key_id=access_key or None,
            aws_secret_access_key=secret_key or None, region_name=region,
            config=Config(connect_timeout=timeout, read_timeout=timeout, retries={"max_attempts": 2},
                          s3={"addressing_style": "path"}),
        )
        self._bucket_ready = False
        self._lock = threading.Lock()

    def _errors(self):
        from botocore.exceptions import BotoCoreError, ClientError  # noqa: PLC0415 — with boto3, see __init__

        return BotoCoreError, ClientError

    def _ensure_bucket(self) -> None:
        if self._bucket_ready:
            return
        boto_error, client_error = self._errors()
        with self._lock:
            try:
                self.client.head_bucket(Bucket=self.bucket)
            except client_error:
                try:
                    self.client.create_bucket(Bucket=self.bucket)
                except client_error as exc:
                    code = exc.response.get("Error", {}).get("Code", "")
                    if code not in ("BucketAlreadyOwnedByYou", "BucketAlreadyExists"):
                        raise PhotoStoreError(f"s3 bucket: {code}") from exc
            except boto_error as exc:
                raise PhotoStoreError(f"s3: {type(exc).__name__}") from exc
            self._bucket_ready = True

    def put(self, key: str, data: bytes, content_type: str) -> None:
        boto_error, client_error = self._errors()
        self._ensure_bucket()
        try:
            self.client.put_object(Bucket=self.bucket, Key=_checked(key), Body=data, ContentType=content_type)
        except (boto_error, client_error) as exc:
            raise PhotoStoreError(f"s3 put: {type(exc).__name__}") from exc

    def get(self, key: str) -> bytes:
        boto_error, client_error = self._errors()
        try:
            return self.client.get_object(Bucket=self.bucket, Key=_checked(key))["Body"].read()
        except client_error as exc:
            if exc.response.get("Error", {}).get("Code") in ("NoSuchKey", "404", "NoSuchBucket"):
                raise PhotoMissing(key) from None
            raise PhotoStoreError(f"s3 get: {type(exc).__name__}") from exc
        except boto_error as exc:
            raise PhotoStoreError(f"s3 get: {type(exc).__name__}") from exc


def build_photo_store(settings: Settings) -> PhotoStore:
    if settings.photo_store == "s3":
        return S3PhotoStore(settings.photo_s3_endpoint_url, settings.photo_s3_bucket, settings.photo_s3_access_key,
                            settings.photo_s3_secret_key, settings.photo_s3_region, settings.api_timeout_seconds)
    return LocalPhotoStore(settings.photo_directory)
