"""The grid map: boundaries drawn per scope, colours from ticket counts, and GeoJSON uploads that are
checked whole (a bad file changes nothing and says why in Chinese)."""
from __future__ import annotations

import io
import json
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.console import boundaries
from models import OrgUnit, Ticket
from tests.console.helpers import csrf_of


def _map_data(page: str, attr: str):
    import html

    return json.loads(html.unescape(re.search(rf'{attr}="([^"]*)"', page).group(1)))


def test_admin_sees_every_grid_coloured_by_open_and_overdue(login_as, make):
    make.ticket("G1", age_hours=2)
    make.ticket("G1", age_hours=50, deadline_in_hours=-2)  # overdue
    make.ticket("G4", age_hours=3)
    c = login_as("admin")
    page = c.get("/console/map").get_data(as_text=True)
    geo = _map_data(page, "data-geo")
    assert sorted(f["properties"]["code"] for f in geo["features"]) == ["G1", "G2", "G3", "G4", "G5"]
    assert all(f["geometry"]["type"] == "Polygon" for f in geo["features"])
    option = _map_data(page, "data-map")
    values = {d["name"]: d["value"] for d in option["series"][0]["data"]}
    assert values["幸福里第一网格"] == 2 and values["光明第一网格"] == 1 and values["幸福里第二网格"] == 0
    links = _map_data(page, "data-links")
    assert re.search(r"/console/tickets\?grid=\d+&state=open", links["幸福里第一网格"])
    overdue = _map_data(c.get("/console/map?measure=overdue").get_data(as_text=True), "data-map")
    assert {d["name"]: d["value"] for d in overdue["series"][0]["data"]}["幸福里第一网格"] == 1
    dash = c.get("/console/dashboard").get_data(as_text=True)
    assert 'id="kpi-overdue">1<' in dash and "在办超期工单" in dash
    assert "vendor/echarts.min.js" in page and "console_map.js" in page


def test_no_tiles_and_no_tile_origin_unless_configured(login_as):
    resp = login_as("admin").get("/console/map")
    page = resp.get_data(as_text=True)
    assert "data-tiles" not in page and "console_map_tiles.js" not in page and "map-attribution" not in page
    assert "img-src 'self' data: blob:;" in resp.headers["Content-Security-Policy"]


def test_configured_tiles_reach_the_page_and_only_the_map_page_csp_allows_their_origins(login_as, svc, monkeypatch):
    monkeypatch.setattr(svc, "settings", svc.settings.with_overrides(
        map_tile_url="https://t{s}.tianditu.gov.cn/vec_w/wmts?TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=k",
        map_tile_subdomains="0,1", map_tile_attribution="审图号：GS(2025)1508号 · 天地图 <b>"))
    c = login_as("admin")
    resp = c.get("/console/map")
    page = resp.get_data(as_text=True)
    tiles = _map_data(page, "data-tiles")
    assert tiles["url"].endswith("&tk=k") and tiles["subdomains"] == ["0", "1"]
    assert "console_map_tiles.js" in page
    assert "审图号：GS(2025)1508号 · 天地图 &lt;b&gt;" in page  # shown in the corner, as text
    csp = resp.headers["Content-Security-Policy"]
    assert "img-src 'self' data: blob: https://t0.tianditu.gov.cn https://t1.tianditu.gov.cn;" in csp
    assert "connect-src" not in csp and "default-src 'self';" in csp  # only images come from there
    assert "tianditu" not in c.get("/console/dashboard").headers["Content-Security-Policy"]


def test_a_grid_leader_sees_only_her_grid(login_as, make):
    make.ticket("G2", age_hours=2)
    page = login_as("wangfang").get("/console/map?measure=hotspots").get_data(as_text=True)
    geo = _map_data(page, "data-geo")
    assert [f["properties"]["code"] for f in geo["features"]] == ["G1"]
    assert "幸福里第二网格" not in page
    assert "上传网格边界" not in page  # grid leaders do not edit the org
    assert login_as("wangfang").get("/console/map/boundaries").status_code == 403


def _upload(c, payload: bytes, name: str = "grids.geojson"):
    token = csrf_of(c, "/console/map/boundaries")
    return c.post("/console/map/boundaries", data={"csrf_token": token, "geojson": (io.BytesIO(payload), name)},
                  content_type="multipart/form-data")


def _square(code, lon=117.3, lat=39.2, kind="Polygon"):
    ring = [[lon, lat], [lon + 0.01, lat], [lon + 0.01, lat + 0.01], [lon, lat + 0.01], [lon, lat]]
    coords = [ring] if kind == "Polygon" else [[ring]]
    return {"type": "Feature", "properties": {"code": code}, "geometry": {"type": kind, "coordinates": coords}}


def _boundaries(svc) -> dict[str, str | None]:
    with svc.db.session() as s:
        return {u.code: u.boundary for u in s.execute(select(OrgUnit).where(OrgUnit.kind == "grid")).scalars()}


def test_upload_replaces_the_named_grids(login_as, console):
    before = _boundaries(console)
    c = login_as("admin")
    doc = {"type": "FeatureCollection", "features": [_square("G1"), _square("G2", kind="MultiPolygon")]}
    resp = _upload(c, json.dumps(doc).encode())
    assert resp.status_code == 303
    after = _boundaries(console)
    assert json.loads(after["G1"])["coordinates"][0][0] == [117.3, 39.2]
    assert json.loads(after["G2"])["type"] == "MultiPolygon"
    assert after["G3"] == before["G3"]  # not in the file: kept


@pytest.mark.parametrize("payload, words", [
    (b"not json", "不是有效的 GeoJSON"),
    (json.dumps({"type": "Feature"}).encode(), "FeatureCollection"),
    (json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"code": "G1"}, "geometry": {"type": "Point", "coordinates": [1, 2]}}]}).encode(),
     "只接受面"),
    (json.dumps({"type": "FeatureCollection", "features": [_square("G1"), _square("G9")]}).encode(), "没有这个网格"),
    (json.dumps({"type": "FeatureCollection", "features": [{**_square("G1"), "properties": {}}]}).encode(), "缺少网格编码"),
    (json.dumps({"type": "FeatureCollection", "features": [_square("G1"), _square("G1")]}).encode(), "出现了两次"),
    (json.dumps({"type": "FeatureCollection", "features": [_square("G1", lon=500)]}).encode(), "超出经纬度范围"),
])
def test_a_bad_file_is_refused_whole_with_a_chinese_reason(login_as, console, payload, words):
    before = _boundaries(console)
    resp = _upload(login_as("admin"), payload)
    page = resp.get_data(as_text=True)
    assert resp.status_code == 400 and words in page and "未做任何修改" in page
    assert _boundaries(console) == before


def test_too_big_a_file_is_refused_with_a_chinese_page(login_as, console):
    from bot.console.views import LARGE_UPLOADS

    assert LARGE_UPLOADS["console.grid_map.upload"] > boundaries.MAX_BYTES
    before = _boundaries(console)
    c = login_as("admin")
    just_over = _upload(c, b" " * (boundaries.MAX_BYTES + 10))  # the form fits, the file does not
    assert just_over.status_code == 400 and "文件太大" in just_over.get_data(as_text=True)
    far_over = _upload(c, b" " * (boundaries.MAX_BYTES + 200 * 1024))  # refused before it is read
    assert far_over.status_code == 413 and "文件太大" in far_over.get_data(as_text=True)
    assert _boundaries(console) == before


def test_community_staff_upload_only_their_own_grids(login_as, console):
    before = _boundaries(console)
    c = login_as("huangshuji")  # 幸福里社区: G1, G2
    resp = _upload(c, json.dumps({"type": "FeatureCollection", "features": [_square("G1"), _square("G4")]}).encode())
    assert resp.status_code == 400 and "不在您的管辖范围内" in resp.get_data(as_text=True)
    assert _boundaries(console) == before
    assert _upload(c, json.dumps({"type": "FeatureCollection", "features": [_square("G2")]}).encode()).status_code == 303


def test_unclosed_rings_are_refused():
    doc = {"type": "FeatureCollection", "features": [_square("G1")]}
    doc["features"][0]["geometry"]["coordinates"][0][-1] = [0, 0]
    with pytest.raises(boundaries.BoundaryError, match="没有闭合"):
        boundaries.parse(json.dumps(doc).encode(), {"G1"})


def test_a_ticket_the_sweep_whistled_up_for_lateness_stays_overdue(login_as, make, console):
    tid = make.ticket("G3", age_hours=30, deadline_in_hours=40, department="water")  # a new deadline, not yet due
    with console.db.session() as s:
        s.get(Ticket, tid).missed_deadline_at = make.now - timedelta(hours=6)  # what the sweep records
        s.commit()
    page = login_as("admin").get("/console/dashboard").get_data(as_text=True)
    assert 'id="kpi-overdue">1<' in page
    assert re.search(r"<td>区水务局</td><td>1</td>", page)
