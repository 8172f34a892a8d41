"""A local conversation archive: the sandbox's stand-in for Tencent's archive servers.

Same shapes as the Finance SDK: records {"seq", "msgid", "publickey_ver", "encrypt_random_key",
"encrypt_chat_msg"} in seq order, the random key encrypted with the corp's RSA public key of that
version (PKCS#1 v1.5, real RSA: the bot opens it with bot.intake.archive.keys exactly as in
production), and the body the message JSON the SDK would return. Only the body's cipher is ours
(AES-256-CBC under SHA-256 of the random key; Tencent's DecryptData is closed source), and the
records live in Redis instead of behind GetChatData's network call, so every process of the
sandbox (web and worker) sees the same archive. Media are kept whole and served in slices.

The key pair is TEST ONLY: archive_test_key.pem is committed so that the sandbox works out of the
box; production refuses ARCHIVE_SOURCE=local and never loads this module.
"""
from __future__ import annotations

import base64
import hashlib
import json
import os
import secrets
import time
from pathlib import Path

import redis
from cryptography.hazmat.primitives import padding as sym_padding
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from bot.intake.archive.errors import ArchiveUnavailable, MediaRefused, RecordUnreadable
from bot.intake.archive.source import EncryptedRecord

TEST_KEY_PATH = Path(__file__).with_name("archive_test_key.pem")
TEST_KEY_VERSION = 1
PREFIX = "gridwhistle:local-archive"
MEDIA_SLICE = 512 * 1024  # GetMediaData hands out files in slices of about this size

# Allocate the next seq and store the record in one step, so a reader never sees seq n+1 before n.
_APPEND_LUA = """
local seq = redis.call('INCR', KEYS[1])
redis.call('ZADD', KEYS[2], seq, cjson.encode({seq = seq, record = ARGV[1]}))
return seq
"""


def sandbox_private_key() -> rsa.RSAPrivateKey:
    return serialization.load_pem_private_key(TEST_KEY_PATH.read_bytes(), password=None)


def key_setting(path: Path = TEST_KEY_PATH, version: int = TEST_KEY_VERSION) -> str:
    """ARCHIVE_PRIVATE_KEY_FILES for the test key."""
    return f"{version}:{path}"


def _body_key(random_key: str) -> bytes:
    return hashlib.sha256(random_key.encode()).digest()


def seal_body(random_key: str, message: dict) -> str:
    padder = sym_padding.PKCS7(128).padder()
    plain = padder.update(json.dumps(message, ensure_ascii=False).encode()) + padder.finalize()
    iv = os.urandom(16)
    encryptor = Cipher(algorithms.AES(_body_key(random_key)), modes.CBC(iv)).encryptor()
    return base64.b64encode(iv + encryptor.update(plain) + encryptor.finalize()).decode()


def seal_random_key(random_key: str, public_key: rsa.RSAPublicKey) -> str:
    return base64.b64encode(public_key.encrypt(random_key.encode(), padding.PKCS1v15())).decode()


def msgid_for(sent_ms: int) -> str:
    """An archive-style msgid: a large number and the send time in seconds."""
    return f"{secrets.randbelow(10 ** 19) + 10 ** 19}_{sent_ms // 1000}"


class LocalArchiveSource:
    def __init__(self, redis_client: redis.Redis, public_key: rsa.RSAPublicKey | None = None,
                 version: int = TEST_KEY_VERSION):
        self.redis = redis_client
        self.public_key = public_key or sandbox_private_key().public_key()
        self.version = version
        self._append = redis_client.register_script(_APPEND_LUA)

    # -- writing (what WeCom's servers do when a member posts) -------------------------------------
    def record(self, message: dict, *, public_key: rsa.RSAPublicKey | None = None, version: int | None = None,
               body: str | None = None) -> int:
        """Archive one message (the SDK's JSON); returns its seq. `body` overrides the sealed body
        (a test's body that does not decrypt); public_key/version seal with another key."""
        random_key = secrets.token_hex(16)
        record = {
            "msgid": message["msgid"], "publickey_ver": self.version if version is None else version,
            "encrypt_random_key": seal_random_key(random_key, public_key or self.public_key),
            "encrypt_chat_msg": seal_body(random_key, message) if body is None else body,
        }
        return int(self._append(keys=[f"{PREFIX}:seq", f"{PREFIX}:records"], args=[json.dumps(record)]))

    def text(self, room_id: str, sender: str, content: str, *, msgid: str | None = None,
             sent_ms: int | None = None) -> dict:
        sent_ms = sent_ms or int(time.time() * 1000)
        return {"msgid": msgid or msgid_for(sent_ms), "action": "send", "from": sender, "tolist": [],
                "roomid": room_id, "msgtime": sent_ms, "msgtype": "text", "text": {"content": content}}

    def continue_after(self, seq: int) -> None:
        """Number the next record after seq at least (a fresh Redis behind a database that remembers)."""
        key = f"{PREFIX}:seq"
        current = int(self.redis.get(key) or 0)
        if current < seq:
            self.redis.set(key, seq)

    def add_media(self, data: bytes) -> str:
        file_id = base64.b64encode(secrets.token_bytes(24)).decode()
        self.redis.hset(f"{PREFIX}:media", file_id, data)
        return file_id

    # -- reading (what the Finance SDK does for the bot) ---------------------------------------
    def get_chat_data(self, seq: int, limit: int) -> list[EncryptedRecord]:
        try:
            rows = self.redis.zrangebyscore(f"{PREFIX}:records", f"({seq}", "+inf", start=0, num=limit)
        except redis.RedisError as exc:
            raise ArchiveUnavailable(f"local archive unreachable ({type(exc).__name__})", code=10001) from None
        records = []
        for row in rows:
            wrapped = json.loads(row)
            item = json.loads(wrapped["record"])
            records.append(EncryptedRecord(seq=int(wrapped["seq"]), msgid=item["msgid"],
                                           publickey_ver=int(item["publickey_ver"]),
                                           encrypt_random_key=item["encrypt_random_key"],
                                           encrypt_chat_msg=item["encrypt_chat_msg"]))
        return records

    def decrypt_data(self, random_key: str, encrypt_chat_msg: str) -> dict:
        try:
            raw = base64.b64decode(encrypt_chat_msg, validate=True)
            iv, sealed = raw[:16], raw[16:]
            if len(iv) != 16 or not sealed or len(sealed) % 16:
                raise ValueError("not whole AES blocks")
            decryptor = Cipher(algorithms.AES(_body_key(random_key)), modes.CBC(iv)).decryptor()
            unpadder = sym_padding.PKCS7(128).unpadder()
            plain = unpadder.update(decryptor.update(sealed) + decryptor.finalize()) + unpadder.finalize()
            data = json.loads(plain)
        except (ValueError, UnicodeDecodeError):
            # What the SDK reports for a body that does not open: 10008 (DecryptMsg error).
            raise RecordUnreadable("body", "DecryptData returned SDK error 10008 (DecryptMsg错误)", code=10008) from None
        if not isinstance(data, dict):
            raise RecordUnreadable("not_json", "the decrypted body is not a JSON object")
        return data

    def get_media(self, sdkfileid: str, max_bytes: int) -> bytes:
        data = self.redis.hget(f"{PREFIX}:media", sdkfileid)
        if data is None:
            raise MediaRefused("GetMediaData returned SDK error 10005 (fileid错误)", code=10005)
        out = bytearray()
        for start in range(0, len(data), MEDIA_SLICE):  # slice by slice, as GetMediaData hands them out
            out += data[start:start + MEDIA_SLICE]
            if len(out) > max_bytes:
                raise MediaRefused("too_large")
        return bytes(out)

    def clear(self) -> None:
        self.redis.delete(f"{PREFIX}:seq", f"{PREFIX}:records", f"{PREFIX}:media")
