"""The archive channel as configured: where records come from and the keys that open them."""
from __future__ import annotations

from dataclasses import dataclass

import redis

from bot.intake.archive.errors import KeyConfigError
from bot.intake.archive.keys import PrivateKeys
from bot.intake.archive.source import ArchiveSource
from bot.runtime.config import Settings


@dataclass
class ArchiveChannel:
    source: ArchiveSource
    keys: PrivateKeys


def build_archive(settings: Settings, redis_client: redis.Redis) -> ArchiveChannel | None:
    """None when ARCHIVE_SOURCE is empty (the archive is off); KeyConfigError when a key cannot be read."""
    if not settings.archive_source:
        return None
    keys = PrivateKeys.parse(settings.archive_private_key_files)
    if not keys.versions:
        raise KeyConfigError("ARCHIVE_PRIVATE_KEY_FILES lists no key: nothing archived could be opened")
    if settings.archive_source == "local":
        # The sandbox's stand-in for Tencent's servers, only when configured (production refuses "local"
        # in config.py), imported here so that a production process never loads bot.local.
        from bot.local.archive_source import LocalArchiveSource

        return ArchiveChannel(LocalArchiveSource(redis_client), keys)
    # The SDK wrapper loads pydantic and the native library: only a process that pulls pays for it.
    from bot.intake.archive.sdk import SdkArchiveSource

    return ArchiveChannel(SdkArchiveSource(settings.archive_corp, settings.archive_secret,
                                           timeout=settings.archive_sdk_timeout_seconds), keys)
