"""Archive settings: the keys by version from files or the environment, refused clearly, never shown."""
from __future__ import annotations

import pytest

from bot.intake.archive.errors import KeyConfigError
from bot.intake.archive.keys import PrivateKeys
from bot.local.archive_source import TEST_KEY_PATH, seal_random_key, sandbox_private_key
from bot.runtime.config import ConfigError, Settings

PEM = TEST_KEY_PATH.read_text()


def test_keys_come_from_files_and_the_environment_by_version():
    keys = PrivateKeys.parse(f"1:{TEST_KEY_PATH},3:env:ARCHIVE_KEY_V3", {"ARCHIVE_KEY_V3": PEM})
    assert keys.versions == [1, 3]
    sealed = seal_random_key("a1b2c3", sandbox_private_key().public_key())
    assert keys.open_random_key(3, sealed) == "a1b2c3"
    assert PEM[40:80] not in repr(keys)


@pytest.mark.parametrize("listing,env,words", [
    ("1:/nonexistent/key.pem", {}, "version 1: cannot read /nonexistent/key.pem"),
    ("2:env:MISSING", {}, "version 2: environment variable MISSING is empty"),
    ("1:env:NOT_A_KEY", {"NOT_A_KEY": "-----BEGIN RSA PRIVATE KEY-----\nnope\n"}, "not an unencrypted PEM"),
])
def test_a_key_that_cannot_be_read_is_named_never_shown(listing, env, words):
    with pytest.raises(KeyConfigError) as caught:
        PrivateKeys.parse(listing, env)
    assert words in str(caught.value) and "nope" not in str(caught.value)


def test_settings_refuse_malformed_archive_configuration():
    base = {"ARCHIVE_SOURCE": "sdk", "ARCHIVE_SECRET": "s3cr3t-archive", "ARCHIVE_PRIVATE_KEY_FILES": "1:/k.pem"}
    s = Settings.from_env(base, load_dotenv_file=False)
    assert s.archive_corp == s.wecom_corp_id and "s3cr3t-archive" not in repr(s)
    for change, words in [({"ARCHIVE_SOURCE": "tencent"}, "ARCHIVE_SOURCE must be"),
                          ({"ARCHIVE_SECRET": ""}, "needs ARCHIVE_SECRET"),
                          ({"ARCHIVE_PRIVATE_KEY_FILES": "v1:/k.pem"}, "version:path"),
                          ({"ARCHIVE_BATCH_SIZE": "5000"}, "1..1000"),
                          ({"ARCHIVE_PULL_INTERVAL_SECONDS": "0"}, "above 0")]:
        with pytest.raises(ConfigError, match=words):
            Settings.from_env({**base, **change}, load_dotenv_file=False)


def test_production_never_uses_the_local_stand_in():
    with pytest.raises(ConfigError, match="production uses sdk"):
        Settings(archive_source="local", archive_private_key_files=f"1:{TEST_KEY_PATH}", env="production").validated()


def test_a_key_file_that_went_missing_stops_the_pull_with_a_clear_error(app, svc, archive, settings):
    from tests.intake.archive.conftest import pull

    svc.use_settings(settings.with_overrides(archive_private_key_files="1:/gone/archive_v1.pem"))
    archive.record(archive.text("chat-g1", "zhangdaye", "大家好"))
    result = pull(app)
    assert result.error == "archive key version 1: cannot read /gone/archive_v1.pem (FileNotFoundError)"
    svc.use_settings(settings)
    assert pull(app).accepted == 1  # nothing was skipped meanwhile
