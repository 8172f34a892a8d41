"""Settings: embedded defaults with nothing set; clear errors that name a bad setting."""
from __future__ import annotations

import re

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
    ({"CONVERSATION_QUESTION_MINUTES": "0"}, "CONVERSATION_QUESTION_MINUTES"),
    ({"CONVERSATION_AGREEMENT_MINUTES": "5000"}, "CONVERSATION_AGREEMENT_MINUTES"),
    ({"CONVERSATION_CONTINUATION_MINUTES": "30", "CONVERSATION_SAME_PROBLEM_MINUTES": "10"},
     "CONVERSATION_SAME_PROBLEM_MINUTES"),
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


TIANDITU = ("https://t{s}.tianditu.gov.cn/vec_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=vec"
            "&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=browserkey")


def test_no_map_tiles_unless_configured():
    assert not Settings.from_env({}).map_tiles_usable


def test_a_tianditu_tile_template_is_accepted_with_its_subdomains_as_origins():
    from bot.runtime import map_tiles

    s = Settings.from_env({"MAP_TILE_URL": TIANDITU, "MAP_TILE_SUBDOMAINS": "0,1,2,3,4,5,6,7",
                           "MAP_TILE_ATTRIBUTION": "© 天地图"})
    assert s.map_tiles_usable
    assert map_tiles.origins(s.map_tile_url, s.map_tile_subdomains) == tuple(
        f"https://t{n}.tianditu.gov.cn" for n in range(8))
    assert map_tiles.origins("http://127.0.0.1:8123/tiles/{z}/{x}/{y}.png", "") == ("http://127.0.0.1:8123",)


BAD_TILE_SETTINGS = [
    ({"MAP_TILE_URL": "ftp://tiles.example/{z}/{x}/{y}.png"}, "must start with https:// or http://"),
    ({"MAP_TILE_URL": "tiles.example/{z}/{x}/{y}.png"}, "must start with https:// or http://"),
    ({"MAP_TILE_URL": "https://tiles.example/{z}/{x}.png"}, r"missing \{y\}"),
    ({"MAP_TILE_URL": "https://tiles.example/{z}/{x}/{y}{r}.png"}, r"not \{r\}"),
    ({"MAP_TILE_URL": "https://t{s}.example/{z}/{x}/{y}.png"}, "set MAP_TILE_SUBDOMAINS"),
    ({"MAP_TILE_URL": "https://t{s}.example/{z}/{x}/{y}.png", "MAP_TILE_SUBDOMAINS": "a;b"}, "MAP_TILE_SUBDOMAINS"),
    ({"MAP_TILE_URL": "https://{z}.example/{z}/{x}/{y}.png"}, "plain host name"),
    ({"MAP_TILE_URL": "https://tiles.example;img-src */{z}/{x}/{y}.png"}, "plain host name"),
]


@pytest.mark.parametrize("env, says", BAD_TILE_SETTINGS)
def test_a_bad_tile_template_stops_a_production_start(env, says):
    from tests.production import production

    good = production(Settings(database_url="postgresql+psycopg2://u@db/gw", redis_url="redis://db:6379/0"))
    good.validated()  # everything else is fine for production
    with pytest.raises(ConfigError, match=says):
        good.with_overrides(map_tile_url=env["MAP_TILE_URL"], map_tile_subdomains=env.get("MAP_TILE_SUBDOMAINS", ""))


@pytest.mark.parametrize("env, says", BAD_TILE_SETTINGS)
def test_a_bad_tile_template_is_ignored_with_a_warning_in_development(env, says, caplog):
    with caplog.at_level("WARNING", logger="bot.runtime.config"):
        s = Settings.from_env(env)
    assert not s.map_tiles_usable
    assert any(re.search(says, r.getMessage()) and "draws no tiles" in r.getMessage() for r in caplog.records)


def test_a_tile_template_error_never_quotes_the_key_in_its_query():
    from tests.production import production

    good = production(Settings(database_url="postgresql+psycopg2://u@db/gw", redis_url="redis://db:6379/0"))
    with pytest.raises(ConfigError, match="MAP_TILE_URL") as refused:
        good.with_overrides(map_tile_url=TIANDITU.replace("{x}", "{col}"), map_tile_subdomains="0,1")
    assert "browserkey" not in str(refused.value) and "tianditu.gov.cn/vec_w/wmts?…" in str(refused.value)
