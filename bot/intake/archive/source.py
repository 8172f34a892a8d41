"""What an archive source is: Tencent's Finance SDK in production, a local stand-in in the sandbox.

Both speak the SDK's shapes: GetChatData returns {"errcode", "errmsg", "chatdata": [{"seq", "msgid",
"publickey_ver", "encrypt_random_key", "encrypt_chat_msg"}]}; the random key is RSA-encrypted
(PKCS#1 v1.5) with the corp's public key of that version, and DecryptData opens the body with the
random key into the message JSON. Only the network pull and the body decryption differ between
the two; the RSA step (bot.intake.archive.keys) and everything after are the same code.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from bot.intake.archive.errors import ArchiveUnavailable


@dataclass(frozen=True)
class EncryptedRecord:
    seq: int
    msgid: str
    publickey_ver: int
    encrypt_random_key: str = ""
    encrypt_chat_msg: str = ""


class ArchiveSource(Protocol):
    def get_chat_data(self, seq: int, limit: int) -> list[EncryptedRecord]:
        """Records with seq above `seq`, at most `limit`, in seq order; ArchiveUnavailable on failure."""

    def decrypt_data(self, random_key: str, encrypt_chat_msg: str) -> dict:
        """The message JSON; RecordUnreadable("body") when it does not open."""

    def get_media(self, sdkfileid: str, max_bytes: int) -> bytes:
        """A media file's bytes, pulled in slices; MediaUnavailable / MediaRefused."""


def records_from_json(payload: object) -> list[EncryptedRecord]:
    """GetChatData's JSON as records; a malformed answer is the source's failure, not a message's."""
    if not isinstance(payload, dict):
        raise ArchiveUnavailable("GetChatData answered something that is not a JSON object")
    if payload.get("errcode", 0) != 0:
        raise ArchiveUnavailable(f"GetChatData errcode {payload.get('errcode')}", code=payload.get("errcode"))
    items = payload.get("chatdata") or []
    if not isinstance(items, list):
        raise ArchiveUnavailable("GetChatData chatdata is not a list")
    records = []
    for item in items:
        try:
            records.append(EncryptedRecord(
                seq=int(item["seq"]), msgid=str(item["msgid"]), publickey_ver=int(item.get("publickey_ver", 0)),
                encrypt_random_key=str(item.get("encrypt_random_key") or ""),
                encrypt_chat_msg=str(item.get("encrypt_chat_msg") or "")))
        except (KeyError, TypeError, ValueError, AttributeError):
            raise ArchiveUnavailable("GetChatData returned a record without seq or msgid") from None
    return sorted(records, key=lambda r: r.seq)
