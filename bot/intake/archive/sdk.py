"""Tencent's Finance SDK (libWeWorkFinanceSdk_C.so) through the pinned `pywecomarchive` wrapper.

Why this wrapper (requirements.txt pins it): it bundles the same Linux x86_64 library as the
alternative `pyweworkfinance` (identical SHA-256), frees every native buffer it allocates, turns
each SDK error code into a typed exception without credentials in the message, and never logs.
`pyweworkfinance` logs the corp secret, the decrypted random key and the message body at DEBUG and
attaches its own stdout handler at import; we cannot let that near residents' messages.

What the native library does, measured on this machine (tests/intake/archive/test_sdk.py):
- `Init` only stores the corp id and secret: a wrong corp id returns 0 and opens no connection;
  the SDK reports a wrong corp id or secret on the first GetChatData (it fetches a token then).
- `GetChatData` resolves qyapi.weixin.qq.com; with no network it returns 10001 (network error).
- `DecryptData` ABORTS THE PROCESS (an uncaught std::out_of_range) when the body is shorter than
  14 characters; a longer body that does not open returns 10008. So a body is checked here before
  it ever reaches the library.
- One SDK handle is not safe across threads: calls go through one lock per source.
"""
from __future__ import annotations

import base64
import binascii
import logging
import threading

from pydantic import TypeAdapter
from pywecomarchive import SdkCallError, SdkError, SdkLoadError, WecomArchiveSdk

from bot.intake.archive.errors import (
    ArchiveUnavailable,
    MediaRefused,
    MediaUnavailable,
    RecordUnreadable,
)
from bot.intake.archive.source import EncryptedRecord

log = logging.getLogger(__name__)
AS_DICT = TypeAdapter(dict)
# Error codes worth another try later: network, parse (a cut-off answer), system call, IP not
# allowed yet, expired data window, TLS; see https://developer.work.weixin.qq.com/document/path/91552
RETRYABLE = {10001, 10002, 10003, 10009, 10011}
# DecryptData reads past the end of a body shorter than this (the process dies): never pass one.
MIN_BODY = 24


class SdkArchiveSource:
    def __init__(self, corp_id: str, secret: str, *, timeout: int = 10, library_path: str | None = None):
        self._corp_id, self._secret = corp_id, secret
        self._timeout, self._library_path = timeout, library_path
        self._sdk: WecomArchiveSdk | None = None
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"SdkArchiveSource(corp_id={self._corp_id!r})"

    def _handle(self) -> WecomArchiveSdk:
        if self._sdk is None:
            try:
                self._sdk = WecomArchiveSdk(self._corp_id, self._secret, timeout=self._timeout,
                                            library_path=self._library_path)
            except SdkLoadError as exc:
                raise ArchiveUnavailable(f"the Finance SDK library did not load: {exc}") from None
            except SdkCallError as exc:
                raise ArchiveUnavailable(f"the Finance SDK's Init failed with error {exc.code} ({exc.message})",
                                         code=exc.code) from None
        return self._sdk

    def get_chat_data(self, seq: int, limit: int) -> list[EncryptedRecord]:
        with self._lock:
            try:
                answer = self._handle().get_chat_data(seq=seq, limit=limit)
            except SdkCallError as exc:
                raise ArchiveUnavailable(describe(exc), code=exc.code) from None
            except SdkError as exc:
                raise ArchiveUnavailable(f"GetChatData failed: {type(exc).__name__}") from None
        return sorted((EncryptedRecord(seq=r.seq, msgid=r.msgid, publickey_ver=r.publickey_ver,
                                       encrypt_random_key=r.encrypt_random_key, encrypt_chat_msg=r.encrypt_chat_msg)
                       for r in answer.chatdata), key=lambda r: r.seq)

    def decrypt_data(self, random_key: str, encrypt_chat_msg: str) -> dict:
        check_body(encrypt_chat_msg)
        with self._lock:
            try:
                return self._handle().decrypt_data(random_key, encrypt_chat_msg, adapter=AS_DICT)
            except SdkCallError as exc:
                raise RecordUnreadable("body", describe(exc), code=exc.code) from None
            except SdkError as exc:
                raise RecordUnreadable("not_json", f"DecryptData: {type(exc).__name__}") from None

    def get_media(self, sdkfileid: str, max_bytes: int) -> bytes:
        data = bytearray()
        with self._lock:
            try:
                for chunk in self._handle().iter_media_data(sdkfileid):
                    data += chunk.data
                    if len(data) > max_bytes:
                        raise MediaRefused("too_large")
            except SdkCallError as exc:
                if exc.code in RETRYABLE:
                    raise MediaUnavailable(describe(exc), code=exc.code) from None
                raise MediaRefused(describe(exc), code=exc.code) from None
            except SdkError as exc:
                raise MediaUnavailable(f"GetMediaData: {type(exc).__name__}") from None
        return bytes(data)

    def close(self) -> None:
        with self._lock:
            if self._sdk is not None:
                self._sdk.close()
                self._sdk = None


def describe(exc: SdkCallError) -> str:
    """The SDK's own words for an error code, for logs and the console: operation, code, meaning."""
    return f"{exc.operation} returned SDK error {exc.code} ({exc.message})"


def check_body(encrypt_chat_msg: str) -> None:
    """Only a plausible body reaches DecryptData (a short one crashes the native library)."""
    if not isinstance(encrypt_chat_msg, str) or len(encrypt_chat_msg) < MIN_BODY:
        raise RecordUnreadable("body", "encrypt_chat_msg is missing or too short to be a message")
    try:
        base64.b64decode(encrypt_chat_msg, validate=True)
    except (binascii.Error, ValueError):
        raise RecordUnreadable("body", "encrypt_chat_msg is not base64") from None
