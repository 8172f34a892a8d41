"""With the sandbox running (what `make run` starts), the front door links it."""
from __future__ import annotations

import requests


def test_root_links_the_sandbox_console_and_walkthrough(live):
    base, _ = live
    resp = requests.get(base + "/", timeout=10)
    assert resp.status_code == 200
    page = resp.text
    for href in ('href="/sandbox', 'href="/console/', 'href="/walkthrough"'):
        assert href in page
    assert requests.get(base + "/sandbox", timeout=10).status_code == 200
