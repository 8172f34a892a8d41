"""Which URLs the bot may fetch or post to on WeCom's say-so: exact configured origins only (no SSRF).

A callback hands us URLs (an image's download URL, a robot's response_url). Anyone who can forge
or replay a callback could point them anywhere, including at services inside our own network, so
a URL is used only when its scheme, host and port equal one of the configured origins, it carries
no user info, and (for response_url) its path is WeCom's. Redirects are never followed.
"""
from __future__ import annotations

from urllib.parse import urlsplit

DEFAULT_PORTS = {"http": 80, "https": 443}
RESPONSE_PATH = "/cgi-bin/aibot/response"


def _origin(url: str) -> tuple[str, str, int] | None:
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname or parts.username or parts.password:
        return None
    return parts.scheme, parts.hostname.lower(), port or DEFAULT_PORTS[parts.scheme]


def allowed(url: str, origins: tuple[str, ...] | list[str], path_prefix: str = "") -> bool:
    """True when url is on one of the origins (scheme://host[:port]) and under path_prefix."""
    if not isinstance(url, str) or not url.isascii() or any(c in url for c in "\\\r\n\t "):
        return False
    found = _origin(url)
    if found is None or not any(found == _origin(o) for o in origins):
        return False
    return urlsplit(url).path.startswith(path_prefix)
