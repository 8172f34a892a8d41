"""Resident text is shown in the console as text, never as markup (XSS)."""
from __future__ import annotations

EVIL = '<script>alert("x")</script><img src=x onerror=alert(1)>下水道堵了'


def test_ticket_text_is_escaped_in_list_and_detail(login_as, make):
    ticket_id = make.ticket("G1", text=EVIL, place="<b>3号楼</b>")
    c = login_as("admin")
    for page in (c.get("/console/tickets"), c.get(f"/console/tickets/{ticket_id}")):
        html = page.get_data(as_text=True)
        assert page.status_code == 200
        assert "<script>alert" not in html and "<img src=x" not in html and "<b>3号楼</b>" not in html
    assert "&lt;script&gt;" in c.get(f"/console/tickets/{ticket_id}").get_data(as_text=True)
