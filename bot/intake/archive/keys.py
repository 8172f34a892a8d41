"""The corp's RSA private keys, by the publickey_ver WeCom stamps on every archived record.

ARCHIVE_PRIVATE_KEY_FILES lists "version:path" (a PEM file) or "version:env:NAME" (the PEM text in
an environment variable), comma-separated. After a key rotation in the admin console, keep the old
version listed until every record encrypted with it has been pulled. The keys are never logged and
never shown in a repr; errors name the version and where it was looked for, nothing else.
"""
from __future__ import annotations

import base64
import binascii
import os
from collections.abc import Mapping
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from bot.intake.archive.errors import KeyConfigError, RecordUnreadable


class PrivateKeys:
    def __init__(self, keys: Mapping[int, rsa.RSAPrivateKey]):
        self._keys = dict(keys)

    def __repr__(self) -> str:
        return f"PrivateKeys(versions={sorted(self._keys)})"

    @property
    def versions(self) -> list[int]:
        return sorted(self._keys)

    @classmethod
    def parse(cls, listing: str, environ: Mapping[str, str] | None = None) -> PrivateKeys:
        environ = os.environ if environ is None else environ
        keys = {}
        for entry in filter(None, (e.strip() for e in listing.split(","))):
            version_text, _, where = entry.partition(":")
            version = int(version_text)
            if where.startswith("env:"):
                name = where[4:]
                pem = environ.get(name)
                if not pem:
                    raise KeyConfigError(f"archive key version {version}: environment variable {name} is empty")
                keys[version] = _load(pem.encode(), version, f"environment variable {name}")
            else:
                path = Path(where)
                try:
                    data = path.read_bytes()
                except OSError as exc:
                    raise KeyConfigError(f"archive key version {version}: cannot read {path} "
                                         f"({type(exc).__name__})") from None
                keys[version] = _load(data, version, str(path))
        return cls(keys)

    def open_random_key(self, version: int, encrypt_random_key: str) -> str:
        """The record's random key: base64, then RSA PKCS#1 v1.5 with the key of its version."""
        key = self._keys.get(version)
        if key is None:
            raise RecordUnreadable("no_key", f"no private key for publickey_ver {version} "
                                             f"(configured: {self.versions or 'none'})")
        try:
            sealed = base64.b64decode(encrypt_random_key, validate=True)
            opened = key.decrypt(sealed, padding.PKCS1v15())
            return opened.decode("ascii")
        except (binascii.Error, ValueError, UnicodeDecodeError):
            raise RecordUnreadable("wrong_key", f"the private key of publickey_ver {version} does not open "
                                                "this record's random key") from None


def _load(data: bytes, version: int, where: str) -> rsa.RSAPrivateKey:
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError):
        raise KeyConfigError(f"archive key version {version}: {where} is not an unencrypted PEM private key") from None
    if not isinstance(key, rsa.RSAPrivateKey):
        raise KeyConfigError(f"archive key version {version}: {where} is not an RSA key")
    return key
