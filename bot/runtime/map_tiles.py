"""The console map's optional raster tiles (MAP_TILE_URL): what a usable XYZ template is, and the
origins a browser fetches its tiles from (the console's CSP img-src allows exactly those).

The server never fetches a tile: the browser does, from the template with {z}/{x}/{y} filled in
and {s} replaced by one of MAP_TILE_SUBDOMAINS. A provider key in the query (天地图's tk) reaches
the browser with the template, as the provider's browser keys expect.
"""
from __future__ import annotations

import re
from urllib.parse import urlsplit

PLACEHOLDERS = ("{z}", "{x}", "{y}")
_ANY_PLACEHOLDER = re.compile(r"\{[^}]*\}")
_SUBDOMAIN = re.compile(r"[A-Za-z0-9-]{1,63}")
# A character that would end a CSP source expression or the header itself.
_UNSAFE_IN_ORIGIN = re.compile(r"[\s;,'\"\\]")


def subdomain_list(subdomains: str) -> list[str]:
    return [s.strip() for s in subdomains.split(",") if s.strip()]


def _shown(url: str) -> str:
    """The template as an error may quote it: without its query, which may hold the provider's key."""
    path, mark, _ = url.partition("?")
    return repr(path + (mark and "?…"))


def problem(url: str, subdomains: str) -> str | None:
    """Why MAP_TILE_URL (with MAP_TILE_SUBDOMAINS) cannot be used, in a sentence naming them; None if it can."""
    shown = _shown(url)
    if not url.startswith(("https://", "http://")):
        return f"MAP_TILE_URL must start with https:// or http://, got {shown}"
    missing = [p for p in PLACEHOLDERS if p not in url]
    if missing:
        return f"MAP_TILE_URL must contain {{z}}, {{x}} and {{y}} (missing {' '.join(missing)}), got {shown}"
    unknown = sorted(set(_ANY_PLACEHOLDER.findall(url)) - {*PLACEHOLDERS, "{s}"})
    if unknown:
        return f"MAP_TILE_URL may use only {{z}} {{x}} {{y}} {{s}}, not {' '.join(unknown)}"
    names = subdomain_list(subdomains)
    if not all(_SUBDOMAIN.fullmatch(n) for n in names):
        return f"MAP_TILE_SUBDOMAINS must list letters/digits, comma-separated (e.g. 0,1,2), got {subdomains!r}"
    if "{s}" in url and not names:
        return "MAP_TILE_URL uses {s}: set MAP_TILE_SUBDOMAINS (comma-separated, e.g. 0,1,2,3,4,5,6,7)"
    host = urlsplit(url.replace("{s}", "a")).netloc
    if not host or _ANY_PLACEHOLDER.search(host) or _UNSAFE_IN_ORIGIN.search(host) or "@" in host:
        return f"MAP_TILE_URL's host must be a plain host name (only {{s}} may stand in it), got {shown}"
    return None


def origins(url: str, subdomains: str) -> tuple[str, ...]:
    """scheme://host[:port] of every tile a browser may load (one per subdomain when {s} is used)."""
    names = subdomain_list(subdomains) if "{s}" in url else [""]
    found = []
    for name in names:
        parts = urlsplit(url.replace("{s}", name))
        found.append(f"{parts.scheme}://{parts.netloc}")
    return tuple(dict.fromkeys(found))
