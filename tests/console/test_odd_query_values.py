"""Query strings a probe sends to the console: out-of-range dates, odd digits, CR/LF in `next`.

Each page answers normally with the odd value dropped (as any value that does not parse is), never a 500.
"""
from __future__ import annotations

import pytest

from tests.console.helpers import csrf_of

ODD = ["0001-01-01", "9999-12-31", "0000-00-00", "²", "２０２６-１１-２２", "1-1-1"]


@pytest.mark.parametrize("value", ODD)
def test_odd_dates_are_dropped_on_every_page(login_as, make, value):
    make.ticket("G1")
    c = login_as("admin")
    for path in ("/console/tickets", "/console/dashboard", "/console/tickets/export.csv",
                 "/console/tickets/export.xlsx"):
        for query in ({"from": value}, {"to": value}, {"from": value, "to": value}):
            resp = c.get(path, query_string=query)
            assert resp.status_code == 200, (path, query, resp.status_code)


@pytest.mark.parametrize("month", ["0001-01", "9999-12", "0000-13", "²-1", "2026-²"])
def test_odd_ranking_months_mean_this_month(login_as, month):
    resp = login_as("admin").get("/console/ranking", query_string={"month": month})
    assert resp.status_code == 200


@pytest.mark.parametrize("field", ["page", "per_page", "grid", "community", "department"])
def test_superscript_digits_in_numbers_are_dropped(login_as, field):
    resp = login_as("admin").get("/console/tickets", query_string={field: "²"})
    assert resp.status_code == 200


def test_superscript_days_on_hot_spots(login_as):
    assert login_as("admin").get("/console/hotspots", query_string={"days": "²"}).status_code == 200


@pytest.mark.parametrize("target", ["/console/tickets\r\nSet-Cookie: x=1", "/console/\nx", "/console/\x00",
                                    "/console/tickets\t"])
def test_control_characters_in_next_fall_back_to_the_dashboard(app, console, target):
    c = app.test_client()
    resp = c.post("/console/login", data={"username": "admin", "password": "demo1234",
                                          "csrf_token": csrf_of(c), "next": target})
    assert resp.status_code == 302 and resp.location.endswith("/console/dashboard")
    assert "x=1" not in resp.headers.get("Set-Cookie", "")
