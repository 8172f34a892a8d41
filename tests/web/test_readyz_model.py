"""/readyz says why the model will not load when its file does not match its digest (and loads nothing)."""
from __future__ import annotations

import hashlib
import shutil
from dataclasses import replace

from bot.app import create_app
from classifier.model import digest_path


def _ready(settings):
    app = create_app(settings)
    try:
        return app.test_client().get("/readyz")
    finally:
        app.extensions["gridwhistle"].db.dispose()


def test_readyz_reports_an_altered_model(settings, app, model_path, tmp_path):
    altered = tmp_path / "classifier.joblib"
    data = bytearray(model_path.read_bytes())
    data[-10] ^= 0xFF
    altered.write_bytes(bytes(data))
    shutil.copy(digest_path(model_path), digest_path(altered))
    resp = _ready(replace(settings, classifier_model_path=str(altered)))
    assert resp.status_code == 503
    assert resp.get_json()["checks"]["model"] == "digest mismatch"


def test_readyz_reports_a_model_without_its_digest(settings, app, model_path, tmp_path):
    bare = tmp_path / "classifier.joblib"
    shutil.copy(model_path, bare)
    resp = _ready(replace(settings, classifier_model_path=str(bare)))
    assert resp.status_code == 503 and resp.get_json()["checks"]["model"] == "no digest"


def test_a_pinned_digest_in_the_settings_is_what_counts(settings, app, model_path):
    right = hashlib.sha256(model_path.read_bytes()).hexdigest()
    assert _ready(replace(settings, classifier_model_sha256=right)).get_json()["checks"]["model"] == "ok"
    wrong = _ready(replace(settings, classifier_model_sha256="0" * 64))
    assert wrong.status_code == 503 and wrong.get_json()["checks"]["model"] == "digest mismatch"
