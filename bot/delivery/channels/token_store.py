"""Access tokens shared by every process through Redis, refreshed by one process at a time.

WeChat hands out one access token per app; fetching a new one (in the Official Account) makes
the old one die within minutes, and gettoken itself is rate limited. wechatpy's RedisStorage
shares the token but has no lock, so N gunicorn/RQ processes waking up to an expired token
would all refetch. Here a redis-py Lock serialises the refresh: the winner fetches, the others
wait for the lock and then read the token the winner stored.

The same path covers wechatpy's own "40001/40014/42001 → refetch and retry once" logic, because
that logic calls ``fetch_access_token()``, which the mixin below routes through the lock.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

import requests
from redis import Redis
from redis.exceptions import LockError
from redis.lock import Lock
from wechatpy.exceptions import WeChatClientException
from wechatpy.session.redisstorage import RedisStorage

from bot.delivery.channels.errors import TransientError

logger = logging.getLogger(__name__)

__all__ = ["TOKEN_ERRCODES", "LockedTokenClientMixin", "SharedTokenStorage"]

# errcodes after which wechatpy refetches the token and retries the call once.
TOKEN_ERRCODES = frozenset({40001, 40014, 42001})


class SharedTokenStorage(RedisStorage):
    """wechatpy session storage on Redis, plus the TTL read and refresh lock the clients need."""

    def __init__(
        self,
        redis: Redis,
        prefix: str = "gridwhistle:wechat",
        lock_timeout: float = 15.0,
        lock_wait: float = 20.0,
    ) -> None:
        super().__init__(redis, prefix)
        # A crashed refresher frees the lock after lock_timeout.
        self.lock_timeout = lock_timeout
        self.lock_wait = lock_wait  # how long a process waits for another's refresh

    def ttl(self, key: str) -> float:
        """Seconds the stored value has left; 0 if missing or without expiry."""
        remaining = self.redis.pttl(self.key_name(key))
        return remaining / 1000 if remaining and remaining > 0 else 0.0

    def refresh_lock(self, key: str) -> Lock:
        return self.redis.lock(
            self.key_name(key) + ":refresh-lock",
            timeout=self.lock_timeout,
            blocking_timeout=self.lock_wait,
        )


class LockedTokenClientMixin:
    """Mix into a wechatpy client (before the client class) to refresh tokens under the lock.

    The client must set ``self.session`` to a SharedTokenStorage and implement
    :meth:`token_request` returning the gettoken URL and query parameters.
    """

    REFRESH_MARGIN_SECONDS = 60  # same margin wechatpy uses

    # Provided by wechatpy's BaseWeChatClient.
    session: SharedTokenStorage
    access_token_key: str
    timeout: float | None
    _http: requests.Session
    expires_at: int | None

    def __init__(self, base_url: str, app_id: str, secret: str, session: SharedTokenStorage,
                 timeout: float) -> None:
        """Point the client at base_url (the real API, or the local fake) before wechatpy starts."""
        self.base_url = base_url.rstrip("/")
        self.API_BASE_URL = f"{self.base_url}/cgi-bin/"
        super().__init__(app_id, secret, session=session, timeout=timeout)

    def token_request(self) -> tuple[str, dict[str, str]]:
        raise NotImplementedError

    @property
    def _token_local(self) -> threading.local:
        local = self.__dict__.get("_token_local_storage")
        if local is None:
            local = self.__dict__["_token_local_storage"] = threading.local()
        return local

    @property
    def access_token(self) -> str:
        """The shared token; refreshed (once, across processes) when it is near expiry."""
        token = self.session.get(self.access_token_key)
        if (
            token
            and self.session.ttl(self.access_token_key) > self.REFRESH_MARGIN_SECONDS
        ):
            return token
        return self._refresh(stale=token)

    def refresh_rejected(self, stale: str) -> str:
        """A token to retry with after a call outside wechatpy (a media download) was refused
        `stale` with 40001/40014/42001: fetched once across processes, or another's newer one."""
        return self._refresh(stale=stale)

    def fetch_access_token(self) -> dict[str, Any]:
        """Called by wechatpy after 40001/40014/42001: refresh unless another process just did."""
        stale = getattr(self._token_local, "stale", None)
        if stale is None:
            stale = self.session.get(self.access_token_key)
        token = self._refresh(stale=stale)
        return {"access_token": token}

    def _refresh(self, stale: str | None) -> str:
        key = self.access_token_key
        lock = self.session.refresh_lock(key)
        acquired = lock.acquire()
        try:
            current = self.session.get(key)
            if (
                current
                and current != stale
                and self.session.ttl(key) > self.REFRESH_MARGIN_SECONDS
            ):
                return current  # another process refreshed while we waited
            if not acquired:
                raise TransientError("access token refresh lock busy")
            return self._fetch_from_server()
        finally:
            if acquired:
                try:
                    lock.release()
                except LockError:  # lock expired under a slow fetch; harmless
                    logger.warning("token refresh lock was lost before release")

    def _fetch_from_server(self) -> str:
        """wechatpy's _fetch_access_token without a timeout is unsafe; this one passes it."""
        url, params = self.token_request()
        logger.info("fetching access token for app %s", getattr(self, "appid", "?"))
        res = self._http.get(url, params=params, timeout=self.timeout)
        try:
            res.raise_for_status()
        except requests.RequestException as exc:
            raise WeChatClientException(
                None, None, client=self, request=exc.request, response=exc.response
            ) from None
        result = res.json()
        if result.get("errcode"):
            raise WeChatClientException(
                result["errcode"],
                result.get("errmsg"),
                client=self,
                request=res.request,
                response=res,
            )
        expires_in = int(result.get("expires_in", 7200))
        self.session.set(self.access_token_key, result["access_token"], expires_in)
        self.expires_at = int(time.time()) + expires_in
        return str(result["access_token"])

    def _handle_result(
        self,
        res: Any,
        method: Any = None,
        url: Any = None,
        result_processor: Any = None,
        **kwargs: Any,
    ) -> Any:
        """Remember which token failed (so the refresh can tell if someone already replaced it)
        and allow wechatpy's token retry only once: 1.8.18 would otherwise recurse forever."""
        result = res if isinstance(res, dict) else self._decode_result(res)  # type: ignore[attr-defined]
        errcode = result.get("errcode") if isinstance(result, dict) else None
        if errcode is None or int(errcode) not in TOKEN_ERRCODES:
            return super()._handle_result(res, method, url, result_processor, **kwargs)  # type: ignore[misc]
        local = self._token_local
        if getattr(local, "retrying", False):
            raise WeChatClientException(
                int(errcode), result.get("errmsg"), client=self, response=res
            )
        local.retrying = True
        local.stale = (kwargs.get("params") or {}).get("access_token")
        try:
            return super()._handle_result(res, method, url, result_processor, **kwargs)  # type: ignore[misc]
        finally:
            local.retrying = False
            local.stale = None
