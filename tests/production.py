"""Settings that behave as production for one test, on the test's own database and Redis.

`Settings.validated()` (run by from_env) insists on real services and non-demo secrets; a test
of what production refuses or sets needs only `env="production"` and non-demo secrets, so this
builds the object directly and keeps the test's backend.
"""
from __future__ import annotations

from dataclasses import replace

from bot.runtime.config import Settings

REAL_AES_KEY = "UHJvZHVjdGlvbktleUZvclRlc3RzT25seTEyMzQ1Njc"  # 43 chars, not the demo key


def production(settings: Settings) -> Settings:
    return replace(
        settings, env="production", secret_key="a-real-secret-for-this-test",
        wecom_token="RealWecomToken", wecom_aes_key=REAL_AES_KEY, wecom_corp_id="wwrealcorp",
        wecom_secret="real-secret", robot_token="RealRobotToken", robot_aes_key=REAL_AES_KEY,
        wechat_token="RealWechatToken", wechat_aes_key=REAL_AES_KEY, wechat_app_id="wxrealapp",
        wechat_secret="real-secret",
    )
