"""What can go wrong pulling the archive, sorted by what the puller does about it."""
from __future__ import annotations


class ArchiveError(Exception):
    """Base: `code` is the SDK's error code when it gave one (10001 network, 10008 DecryptMsg …)."""

    def __init__(self, message: str, code: int | None = None):
        super().__init__(message)
        self.code = code


class ArchiveUnavailable(ArchiveError):
    """The pull itself failed (network, timeout, IP not allowed, SDK call failed): try again next tick,
    the cursor stays where it is, nothing is skipped."""


class RecordUnreadable(ArchiveError):
    """One record cannot be opened (no key of its version, the key does not fit, the body does not
    decrypt or is not JSON): the record is parked and retried; the others go on."""

    def __init__(self, reason: str, message: str, code: int | None = None):
        super().__init__(message, code)
        self.reason = reason  # no_key, wrong_key, body, not_json


class MediaUnavailable(ArchiveError):
    """A photo could not be fetched now (network); the photo job retries it."""


class MediaRefused(ArchiveError):
    """A photo can never be fetched (unknown sdkfileid, expired, too large)."""


class KeyConfigError(ArchiveError):
    """ARCHIVE_PRIVATE_KEY_FILES names a key that cannot be read or is not an RSA private key.
    The message names the version and where it was looked for, never the key itself."""
