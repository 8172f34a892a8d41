"""Exports (issue #16 item 4): residents' phone, ID and door numbers masked unless an admin asks
explicitly (refused to anyone else, audited when granted); never cached (Cache-Control: no-store)."""
from __future__ import annotations

import io

from openpyxl import load_workbook
from sqlalchemy import select

from models import AuditEntry

TEXT = "5号楼2单元501下水道堵了，电话13912345678，身份证370202199001011234"
SECRETS = ("13912345678", "501", "370202199001011234")


def test_export_masks_contacts_and_is_not_cached(login_as, make):
    make.ticket("G1", text=TEXT, place="5号楼2单元501")
    c = login_as("wangfang")
    for fmt in ("csv", "xlsx"):
        resp = c.get(f"/console/tickets/export.{fmt}")
        assert resp.status_code == 200
        assert "no-store" in resp.headers["Cache-Control"]
        body = (resp.get_data(as_text=True) if fmt == "csv"
                else "\n".join(str(v) for row in load_workbook(io.BytesIO(resp.data)).active.values for v in row))
        assert "下水道堵了" in body and "139****5678" in body
        assert not any(secret in body for secret in SECRETS), fmt


def test_contacts_only_for_an_admin_who_asks_and_audited(login_as, make, svc):
    make.ticket("G1", text=TEXT)
    assert login_as("wangfang").get("/console/tickets/export.csv?contacts=1").status_code == 403
    with svc.db.session() as s:
        assert s.execute(select(AuditEntry)).first() is None
    resp = login_as("admin").get("/console/tickets/export.csv?contacts=1")
    assert resp.status_code == 200 and "13912345678" in resp.get_data(as_text=True)
    assert "13912345678" not in login_as("admin").get("/console/tickets/export.csv").get_data(as_text=True)
    with svc.db.session() as s:
        entries = s.execute(select(AuditEntry.action, AuditEntry.detail)).all()
    assert [a for a, _ in entries] == ["export_contacts"] and "rows=1" in entries[0][1]
