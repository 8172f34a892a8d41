"""Console login throttle: a progressive delay per address and per account name, kept in Redis.

Why a delay and not a lock: five wrong passwords used to lock an account for 15 minutes, so anyone
could keep its owner out by typing her name. Now each address and each submitted account name gets
a few free attempts, then must wait 1, 2, 4, … seconds between attempts (capped). The wait is
told to the browser (429 + Retry-After), never slept on the server: a sleeping thread would be a
cheaper way to exhaust the web workers than guessing.

The owner is not locked out by someone else's guessing: a browser that has logged in to an account
carries a signed device cookie for it, and with that cookie the account's delay does not apply (the
address delay still does). A guesser has no such cookie.

Every attempt is counted when it is admitted, atomically (one Lua script), so a hundred parallel
guesses cannot all slip through before the first failure is written; a successful login takes
its own attempt back. The account key is a hash of the submitted name, so an unknown name is
throttled exactly like a real one (nothing tells them apart) and no raw name sits in Redis.
Times come from the app's clock (tests move it); keys expire after the window either way.
"""
from __future__ import annotations

import hashlib
import logging
import math
from dataclasses import dataclass

import redis
from itsdangerous import BadSignature, URLSafeTimedSerializer

log = logging.getLogger(__name__)

WINDOW_SECONDS = 15 * 60  # attempts older than this are forgotten


@dataclass(frozen=True)
class Policy:
    """After `free` attempts within the window, the next one waits 1, 2, 4, … s, at most `cap_seconds`."""

    free: int
    cap_seconds: int


# An office behind one NAT address shares its budget, so the address gets more free attempts; an
# account's cap stays short so its owner on a new device never waits long.
ADDRESS = Policy(free=10, cap_seconds=15 * 60)
ACCOUNT = Policy(free=5, cap_seconds=60)

DEVICE_COOKIE = "gw_device"
DEVICE_MAX_AGE = 180 * 24 * 3600
_DEVICE_SALT = "gridwhistle.console.device"

# KEYS: the counters to check and count. ARGV[1] now (ms), ARGV[2] window (ms), then (free, cap in ms)
# per key. Whole milliseconds, so every number is exact in Lua's doubles and in tostring().
# Returns 0 (admitted; every key counted this attempt) or the milliseconds still to wait (nothing counted).
_ADMIT_LUA = """
local now, window = tonumber(ARGV[1]), tonumber(ARGV[2])
local counts, wait = {}, 0
for i, key in ipairs(KEYS) do
  local n = tonumber(redis.call('HGET', key, 'n') or '0')
  local last = tonumber(redis.call('HGET', key, 'last') or '0')
  if now - last > window then n = 0 end
  counts[i] = n
  local free, cap = tonumber(ARGV[1 + 2 * i]), tonumber(ARGV[2 + 2 * i])
  if n >= free then
    local left = math.min(1000 * 2 ^ (n - free), cap) - (now - last)
    if left > wait then wait = left end
  end
end
if wait > 0 then return wait end
for i, key in ipairs(KEYS) do
  redis.call('HSET', key, 'n', counts[i] + 1, 'last', now)
  redis.call('PEXPIRE', key, window)
end
return 0
"""


def _address_key(address: str) -> str:
    return f"gridwhistle:login:addr:{address[:64]}"


def account_tag(username: str) -> str:
    """What Redis and the device cookie hold instead of the name."""
    return hashlib.sha256(username.encode("utf-8")).hexdigest()[:24]


def _account_key(username: str) -> str:
    return f"gridwhistle:login:acct:{account_tag(username)}"


class LoginThrottle:
    def __init__(self, redis_client: redis.Redis, secret_key: str):
        self.redis = redis_client
        self.devices = URLSafeTimedSerializer(secret_key, salt=_DEVICE_SALT)

    def admit(self, address: str, username: str, now: float, *, known_device: bool) -> int:
        """0 if this attempt may check a password (and it is counted), else whole seconds to wait."""
        keys, args = [_address_key(address)], [ADDRESS.free, ADDRESS.cap_seconds * 1000]
        if not known_device:
            keys.append(_account_key(username))
            args += [ACCOUNT.free, ACCOUNT.cap_seconds * 1000]
        try:
            script = self.redis.register_script(_ADMIT_LUA)
            left = int(script(keys=keys, args=[int(now * 1000), WINDOW_SECONDS * 1000, *args])) / 1000
        except redis.RedisError:
            # Sessions live in Redis too, so no login would work anyway; the password check still runs.
            log.warning("redis unavailable: console login not throttled")
            return 0
        if left > 0:
            log.info("console login throttled for %.0f s", left)
        return math.ceil(left) if left > 0 else 0

    def succeeded(self, address: str, username: str) -> None:
        """A right password: the account starts afresh and the address gets this attempt back."""
        try:
            pipe = self.redis.pipeline()
            pipe.delete(_account_key(username))
            pipe.hincrby(_address_key(address), "n", -1)
            pipe.expire(_address_key(address), WINDOW_SECONDS)  # never a key without an expiry
            pipe.execute()
        except redis.RedisError:
            pass

    def device_token(self, username: str) -> str:
        """The cookie value that marks this browser as one the account's owner logged in from."""
        return self.devices.dumps(account_tag(username))

    def is_known_device(self, token: str | None, username: str) -> bool:
        if not token:
            return False
        try:
            return self.devices.loads(token, max_age=DEVICE_MAX_AGE) == account_tag(username)
        except BadSignature:
            return False
