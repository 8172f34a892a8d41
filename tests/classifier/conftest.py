"""Shared fixtures: one trained model per test session.

Why: training takes a few seconds; every property test can share it. If the operator already
trained instance/model/classifier.joblib on the current corpus (same data hash), reuse it.
"""

from __future__ import annotations

import pytest

from classifier.corpus import CORPUS_PATH, TEST_PATH, data_hash, read_csv
from classifier.model import (
    DEFAULT_MODEL_PATH,
    FORMAT_VERSION,
    ArtifactError,
    digest_path,
    load_artifact,
    read_header,
    train,
)
from classifier.normalize import NORMALIZER_VERSION


@pytest.fixture(scope="session")
def model_path(tmp_path_factory):
    corpus = read_csv(CORPUS_PATH)
    try:
        header = read_header(DEFAULT_MODEL_PATH)
        if (header.get("data_hash") == data_hash(corpus) and header.get("format_version") == FORMAT_VERSION
                and header.get("normalizer_version", 1) == NORMALIZER_VERSION
                and digest_path(DEFAULT_MODEL_PATH).exists()):
            return DEFAULT_MODEL_PATH
    except ArtifactError:
        pass
    path = tmp_path_factory.mktemp("model") / "classifier.joblib"
    train(corpus).save(path)
    return path


@pytest.fixture(scope="session")
def model(model_path):
    return load_artifact(model_path)


@pytest.fixture(scope="session")
def test_split():
    return read_csv(TEST_PATH)
