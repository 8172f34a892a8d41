"""Console test helpers: logins with a CSRF token."""
from __future__ import annotations

import re

from bot.console.accounts import DEMO_PASSWORD

_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(client, path: str = "/console/login") -> str:
    return _CSRF.search(client.get(path).get_data(as_text=True)).group(1)


def login(client, username: str, password: str = DEMO_PASSWORD):
    token = csrf_of(client)
    return client.post("/console/login", data={"username": username, "password": password, "csrf_token": token})
