"""The photo store's one interface on both backends: local files, and S3 against a local fake (moto).

moto's server mode runs an S3-compatible endpoint on 127.0.0.1, so the boto3 path (bucket
creation, put, get, a missing key, an unreachable endpoint) is exercised without the internet.
"""
from __future__ import annotations

import socket

import pytest

from bot.intake.photo_store import (
    LocalPhotoStore, PhotoMissing, PhotoStoreError, S3PhotoStore, build_photo_store, photo_key,
)
from bot.runtime.config import ConfigError, Settings


@pytest.fixture(params=["local", "s3"])
def store(request, tmp_path):
    if request.param == "local":
        return LocalPhotoStore(tmp_path / "photos")
    endpoint = request.getfixturevalue("moto_endpoint")
    return S3PhotoStore(endpoint, f"photos-{tmp_path.name[-20:].lower().replace('_', '-')}", "test", "test",
                        "us-east-1", timeout=5)


def test_put_then_get_returns_the_same_bytes(store):
    key = photo_key(7, "ab" * 32, "jpg")
    store.put(key, b"\xff\xd8\xffjpeg bytes", "image/jpeg")
    store.put(key, b"\xff\xd8\xffjpeg bytes", "image/jpeg")  # idempotent: a retried job writes again
    assert store.get(key) == b"\xff\xd8\xffjpeg bytes"
    assert key == "photos/7-abababababababab.jpg"


def test_a_missing_key_is_photo_missing(store):
    with pytest.raises(PhotoMissing):
        store.get("photos/404-none.jpg")


def test_keys_cannot_walk_out_of_the_store(store):
    for bad in ("../etc/passwd", "/abs", "photos/../../x", "Photos/UPPER"):
        with pytest.raises(ValueError):
            store.put(bad, b"x", "image/jpeg")


def test_an_unreachable_s3_endpoint_is_a_store_error_to_retry():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # nothing listens here once closed
    store = S3PhotoStore(f"http://127.0.0.1:{port}", "photos", "k", "s", "us-east-1", timeout=1)
    with pytest.raises(PhotoStoreError):
        store.put("photos/1-x.jpg", b"x", "image/jpeg")


def test_settings_choose_the_store(tmp_path, moto_endpoint):
    assert isinstance(build_photo_store(Settings(photo_dir=str(tmp_path))), LocalPhotoStore)
    s3 = Settings(photo_store="s3", photo_s3_endpoint_url=moto_endpoint, photo_s3_bucket="gw-photos").validated()
    assert isinstance(build_photo_store(s3), S3PhotoStore)
    with pytest.raises(ConfigError, match="PHOTO_S3_ENDPOINT_URL"):
        Settings(photo_store="s3").validated()
    with pytest.raises(ConfigError, match="PHOTO_STORE"):
        Settings(photo_store="ftp").validated()
