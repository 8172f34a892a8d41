"""The district's grids on a map (网格地图), coloured by open tickets, overdue tickets or hot spots,
and the upload of grid boundaries as GeoJSON.

The polygons are drawn by ECharts (registerMap with the grids' GeoJSON) on a plain background: no
online tiles, unless MAP_TILE_URL is configured (then the browser lays that provider's tiles under
them, static/console_map_tiles.js; the server never fetches one). The same scope as every page: the grids the viewer sees (a grid leader: hers;
a department: the grids its tickets come from), figures from viewer.ticket_clause(). Each grid's
tickets are one click away (the ticket list filtered by grid), and the figures are also a table.
"""
from __future__ import annotations

import json
import logging

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from sqlalchemy import func, select
from werkzeug.exceptions import RequestEntityTooLarge

from bot.console import auth, boundaries, stats, views
from bot.runtime import map_tiles
from bot.runtime.services import services
from handlers.policy import ORG_EDIT_ROLES
from models import OrgUnit, Ticket
from models.state_machine import OPEN_STATES

log = logging.getLogger(__name__)
bp = Blueprint("grid_map", __name__)

MEASURES = {"open": "在办工单", "overdue": "超期工单", "hotspots": "近7天热点"}
HOTSPOT_DAYS = 7


def _counts(db, scope, now, measure: str) -> dict[int, int]:
    if measure == "hotspots":
        clusters, _ = views.scope_clusters(db, scope, now, HOTSPOT_DAYS)
        out: dict[int, int] = {}
        for c in clusters:
            if c.grid_id is not None:
                out[c.grid_id] = out.get(c.grid_id, 0) + 1
        return out
    conds = [scope, Ticket.state.in_(OPEN_STATES), Ticket.grid_id.is_not(None)]
    if measure == "overdue":
        conds.append(stats.overdue_clause(now))
    return dict(db.execute(select(Ticket.grid_id, func.count()).where(*conds).group_by(Ticket.grid_id)).all())


def _tiles(settings) -> dict | None:
    """The tile layer the page draws (None: none), and its origins let through the page's CSP img-src."""
    if not settings.map_tiles_usable:
        return None
    views.allow_images_from(map_tiles.origins(settings.map_tile_url, settings.map_tile_subdomains))
    return {"url": settings.map_tile_url, "subdomains": map_tiles.subdomain_list(settings.map_tile_subdomains),
            "attribution": settings.map_tile_attribution}


def _ticket_link(grid_id: int, measure: str) -> str:
    if measure == "overdue":
        return url_for("console.tickets", grid=grid_id, overdue=1)
    if measure == "open":
        return url_for("console.tickets", grid=grid_id, state="open")
    return url_for("console.tickets", grid=grid_id)


@bp.get("/map")
@auth.login_required
def index():
    svc, viewer = services(), g.viewer
    measure = request.args.get("measure", "open")
    measure = measure if measure in MEASURES else "open"
    now = svc.clock.now()
    with svc.db.session() as db:
        counts = _counts(db, viewer.ticket_clause(), now, measure)
        visible = set(viewer.grid_ids) | set(counts)
        grids = [u for u in db.execute(select(OrgUnit).where(OrgUnit.kind == "grid").order_by(OrgUnit.code)).scalars()
                 if u.id in visible]
        parents = {u.id: u.name for u in db.execute(select(OrgUnit).where(OrgUnit.kind == "community")).scalars()}
    features, rows = [], []
    for u in grids:
        value = int(counts.get(u.id, 0))
        link = _ticket_link(u.id, measure)
        rows.append({"name": u.name, "code": u.code, "community": parents.get(u.parent_id, ""), "value": value,
                     "link": link, "drawn": bool(u.boundary)})
        if u.boundary:
            features.append({"type": "Feature", "properties": {"name": u.name, "code": u.code},
                             "geometry": json.loads(u.boundary)})
    peak = max((r["value"] for r in rows), default=0)
    option = {
        "animation": False,
        "title": {"text": f"网格地图 · {MEASURES[measure]}", "left": 8, "top": 4, "textStyle": {"fontSize": 14}},
        "toolbox": {"right": 8, "feature": {"saveAsImage": {"title": "保存为图片", "name": "网格地图", "pixelRatio": 2},
                                             "restore": {"title": "还原"}}},
        "tooltip": {"trigger": "item", "formatter": "{b}<br/>" + MEASURES[measure] + "：{c}"},
        "visualMap": {"type": "continuous", "min": 0, "max": max(peak, 1), "left": 8, "bottom": 8,
                      "text": ["多", "少"], "calculable": True,
                      "inRange": {"color": ["#e0f2fe", "#fbbf24", "#dc2626"] if measure != "open"
                                  else ["#dbeafe", "#60a5fa", "#1d4ed8"]}},
        "series": [{"name": MEASURES[measure], "type": "map", "map": "district", "roam": True,
                    "aspectScale": 0.78, "selectedMode": False,
                    "label": {"show": True, "fontSize": 12, "formatter": "{b}\n{c}", "color": "#0f172a",
                              "textBorderColor": "#ffffff", "textBorderWidth": 3},
                    "emphasis": {"label": {"show": True}, "itemStyle": {"areaColor": "#a7f3d0"}},
                    "itemStyle": {"borderColor": "#334155", "borderWidth": 1},
                    "data": [{"name": r["name"], "value": r["value"]} for r in rows if r["drawn"]]}],
    }
    views.allow_chart_styles()
    geo = {"type": "FeatureCollection", "features": features}
    return render_template("console/map.html", option=option, geo=geo, rows=rows, measure=measure,
                           measures=MEASURES, links={r["name"]: r["link"] for r in rows},
                           charts_page=True, tiles=_tiles(svc.settings),
                           may_upload=viewer.holds_any(ORG_EDIT_ROLES))


@bp.route("/map/boundaries", methods=["GET", "POST"])
@auth.login_required
def upload():
    auth.require_roles(ORG_EDIT_ROLES)
    viewer = g.viewer
    svc = services()
    error, status = None, 200
    with svc.db.session() as db:
        grids = {u.code: u for u in db.execute(select(OrgUnit).where(OrgUnit.kind == "grid")).scalars()
                 if viewer.is_admin or u.id in viewer.grid_ids}
        if request.method == "POST":
            try:  # the body limit for this page is views.LARGE_UPLOADS
                file = request.files.get("geojson")
                raw = file.read(boundaries.MAX_BYTES + 1) if file is not None else b""
                parsed = boundaries.parse(raw, set(grids))
            except RequestEntityTooLarge:  # a streamed body without a length, found too big while reading
                error, status = boundaries.too_large(request.content_length or 0), 400
            except boundaries.BoundaryError as err:
                error, status = str(err), 400
            else:
                for code, geometry in parsed.boundaries.items():
                    grids[code].boundary = geometry
                db.commit()
                log.info("grid boundaries uploaded: %d grids by account %s", len(parsed.boundaries), viewer.account_id)
                flash(f"已更新 {len(parsed.boundaries)} 个网格的边界。", "ok")
                return redirect(url_for("console.grid_map.index"), 303)
        listed = sorted(grids.values(), key=lambda u: u.code)
        return render_template("console/map_upload.html", grids=listed, error=error,
                               max_mb=boundaries.MAX_BYTES // 1024 // 1024), status
