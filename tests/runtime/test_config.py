"""Settings: embedded defaults with nothing set; clear errors that name a bad setting."""
from __future__ import annotations

import pytest

from bot.runtime.config import ConfigError, Settings


def test_nothing_configured_runs_embedded():
    s = Settings.from_env({})
    assert s.effective_database_url.startswith("sqlite:///") and s.effective_database_url.endswith("gridwhistle.db")
    assert s.redis_url == "" and s.effective_job_mode == "inprocess"


def test_redis_url_switches_to_rq_workers():
    s = Settings.from_env({"REDIS_URL": "redis://127.0.0.1:6379/0"})
    assert s.effective_job_mode == "rq"


@pytest.mark.parametrize("env, named", [
    ({"WECOM_AES_KEY": "too-short"}, "WECOM_AES_KEY"),
    ({"ROBOT_AES_KEY": "!" * 43}, "ROBOT_AES_KEY"),
    ({"WECOM_AGENT_ID": "abc"}, "WECOM_AGENT_ID"),
    ({"MAX_BODY_BYTES": "64k"}, "MAX_BODY_BYTES"),
    ({"SANDBOX": "maybe"}, "SANDBOX"),
    ({"WECOM_API_BASE_URL": "qyapi.weixin.qq.com"}, "WECOM_API_BASE_URL"),
    ({"JOB_MODE": "celery"}, "JOB_MODE"),
    ({"JOB_MODE": "rq"}, "REDIS_URL"),
    ({"WORKING_HOURS": "nine to five"}, "WORKING_HOURS"),
    ({"DUPLICATE_SIMILARITY": "high"}, "DUPLICATE_SIMILARITY"),
])
def test_malformed_settings_name_themselves(env, named):
    with pytest.raises(ConfigError, match=named):
        Settings.from_env(env)


def test_production_refuses_demo_credentials_and_embedded_services():
    with pytest.raises(ConfigError, match="must be set in production"):
        Settings.from_env({"GRIDWHISTLE_ENV": "production"})


def test_create_app_fails_at_start_with_the_setting_named(monkeypatch):
    from bot.app import create_app

    monkeypatch.setenv("WECOM_AES_KEY", "nope")
    with pytest.raises(ConfigError, match="WECOM_AES_KEY"):
        create_app()


def test_platform_style_postgres_urls_use_the_installed_driver():
    # Hosting platforms hand out postgres:// or postgresql://; SQLAlchemy alone would want psycopg 3.
    for given in ("postgres://u:p@db:5432/gw", "postgresql://u:p@db:5432/gw"):
        assert Settings(database_url=given).effective_database_url == "postgresql+psycopg2://u:p@db:5432/gw"
    assert Settings(database_url="postgresql+psycopg2://u@db/gw").effective_database_url == "postgresql+psycopg2://u@db/gw"
