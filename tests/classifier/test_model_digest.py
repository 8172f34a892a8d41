"""The artifact is trusted by a digest kept outside it, checked before anything is unpickled.

The header's own checksum proves nothing against someone who rewrites the file: they rewrite the
header too. The detached digest (`classifier.joblib.sha256`, written at training) or a digest pinned
in the settings must match the whole file first.
"""
from __future__ import annotations

import hashlib
import io
import json
import pickle
import shutil
import struct
from pathlib import Path

import pytest

from classifier.model import MAGIC, ArtifactError, digest_path, load_artifact


class _Touch:
    """A pickle that, when loaded, creates a file: proof that unpickling happened."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (Path.touch, (self.marker,))


def _evil_artifact(good: Path, marker: Path) -> bytes:
    """A file with a valid magic and a header whose own checksum matches its (hostile) payload."""
    raw = good.read_bytes()
    (n,) = struct.unpack(">I", raw[len(MAGIC):len(MAGIC) + 4])
    header = json.loads(raw[len(MAGIC) + 4:len(MAGIC) + 4 + n])
    buf = io.BytesIO()
    pickle.dump({"features": _Touch(marker), "intent_head": 1, "category_head": 2}, buf)
    payload = buf.getvalue()
    header["payload_sha256"] = hashlib.sha256(payload).hexdigest()
    hbytes = json.dumps(header).encode()
    return MAGIC + struct.pack(">I", len(hbytes)) + hbytes + payload


@pytest.fixture
def copied(tmp_path, model_path) -> Path:
    path = tmp_path / "classifier.joblib"
    shutil.copy(model_path, path)
    shutil.copy(digest_path(model_path), digest_path(path))
    return path


def test_training_writes_a_detached_digest_of_the_whole_file(model_path):
    written = digest_path(model_path).read_text().split()
    assert written[0] == hashlib.sha256(model_path.read_bytes()).hexdigest()
    assert written[1] == model_path.name  # `sha256sum -c` reads it


def test_a_rewritten_artifact_is_refused_before_any_unpickling(copied, tmp_path):
    marker = tmp_path / "unpickled"
    copied.write_bytes(_evil_artifact(copied, marker))
    with pytest.raises(ArtifactError, match="digest"):
        load_artifact(copied)
    assert not marker.exists()


def test_an_artifact_without_its_digest_is_refused(copied, tmp_path):
    marker = tmp_path / "unpickled"
    copied.write_bytes(_evil_artifact(copied, marker))
    digest_path(copied).unlink()
    with pytest.raises(ArtifactError, match="classifier.joblib.sha256"):
        load_artifact(copied)
    assert not marker.exists()


def test_a_pinned_digest_wins_over_the_file_beside_the_artifact(copied, tmp_path):
    marker = tmp_path / "unpickled"
    evil = _evil_artifact(copied, marker)
    copied.write_bytes(evil)  # whoever rewrote the artifact rewrote its digest file too
    digest_path(copied).write_text(f"{hashlib.sha256(evil).hexdigest()}  {copied.name}\n")
    pinned = hashlib.sha256(b"the artifact the operator deployed").hexdigest()
    with pytest.raises(ArtifactError, match="pinned"):
        load_artifact(copied, expected_sha256=pinned)
    assert not marker.exists()


def test_the_right_digest_loads(copied, model_path):
    pinned = hashlib.sha256(model_path.read_bytes()).hexdigest()
    assert load_artifact(copied).predict("3号楼下水道堵了").intent == "complaint"
    assert load_artifact(copied, expected_sha256=pinned.upper()).metadata["format"] == "gridwhistle-classifier"


def test_a_model_trained_under_another_normaliser_is_refused(copied):
    """The features are computed on normalize()'s output: a model from an older normaliser (no field
    = version 1) would misread what the new one maps differently, so it must be retrained."""
    from classifier.normalize import NORMALIZER_VERSION

    raw = copied.read_bytes()
    (n,) = struct.unpack(">I", raw[len(MAGIC):len(MAGIC) + 4])
    header = json.loads(raw[len(MAGIC) + 4:len(MAGIC) + 4 + n])
    assert header["normalizer_version"] == NORMALIZER_VERSION
    del header["normalizer_version"]
    hbytes = json.dumps(header).encode()
    stale = MAGIC + struct.pack(">I", len(hbytes)) + hbytes + raw[len(MAGIC) + 4 + n:]
    copied.write_bytes(stale)
    digest_path(copied).write_text(f"{hashlib.sha256(stale).hexdigest()}  {copied.name}\n")
    with pytest.raises(ArtifactError) as err:
        load_artifact(copied)
    assert err.value.reason == "stale normalizer"
