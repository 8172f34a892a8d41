"""The grid map's optional tiles (MAP_TILE_URL) in a real browser (Playwright + Debian Chromium).

A tile server on loopback (a thread in this test) answers every /tiles/… with one PNG and counts
what it was asked. With MAP_TILE_URL pointing at it the tiles load, lie under the polygons exactly
where Web Mercator puts them (checked against this file's own arithmetic), move with a zoom, and
leave the chart clickable and coloured; without the setting nothing is asked of it.
"""
from __future__ import annotations

import io
import json
import math
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.browser import console_login, live_console

pytestmark = pytest.mark.e2e

TILE = 256


def _png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (TILE, TILE), (200, 220, 200)).save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def tile_server() -> Iterator[tuple[str, list[str], list[str]]]:
    """http://127.0.0.1:<port> serving a PNG for every /tiles/… path; the paths asked and the Referer
    headers sent, in order."""
    png, asked, referers = _png(), [], []

    class Tiles(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 — http.server's name
            asked.append(self.path)
            referers.append(self.headers.get("Referer", ""))
            if not self.path.startswith("/tiles/"):
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Content-Length", str(len(png)))
            self.end_headers()
            self.wfile.write(png)

        def log_message(self, *args):  # quiet test output
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Tiles)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", asked, referers
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def _world(lon: float, lat: float) -> tuple[float, float]:
    """Web Mercator "world pixels" at zoom 0, as the XYZ tile scheme cuts them."""
    phi = math.radians(lat)
    return (lon + 180) / 360 * TILE, (1 - math.log(math.tan(phi) + 1 / math.cos(phi)) / math.pi) / 2 * TILE


def _tiles(page) -> list[dict]:
    return page.evaluate("""() => [...document.querySelectorAll('#grid-map-tiles img')].map(i => {
        const r = i.getBoundingClientRect();
        return {tile: i.dataset.tile, src: i.src, loaded: i.complete && i.naturalWidth > 0,
                left: r.left, top: r.top, width: r.width, height: r.height};
    })""")


def _on_screen(page, lon: float, lat: float) -> tuple[float, float]:
    """Where the chart draws (lon, lat), in page pixels."""
    return tuple(page.evaluate("""([lon, lat]) => {
        const el = document.getElementById('grid-map'), r = el.getBoundingClientRect();
        const p = echarts.getInstanceByDom(el).convertToPixel({seriesIndex: 0}, [lon, lat]);
        return [r.left + p[0], r.top + p[1]];
    }""", [lon, lat]))


def _where_the_tiles_put(tiles: list[dict], lon: float, lat: float) -> tuple[float, float]:
    """Where (lon, lat) lies on the tile images that hold it, in page pixels."""
    for t in tiles:
        z, x, y = map(int, t["tile"].split("/"))
        wx, wy = (c * 2 ** z / TILE for c in _world(lon, lat))  # tile units at zoom z
        if x <= wx < x + 1 and y <= wy < y + 1:
            return t["left"] + (wx - x) * t["width"], t["top"] + (wy - y) * t["height"]
    raise AssertionError(f"no tile holds {lon},{lat}")


def _assert_aligned(page, vertices) -> None:
    tiles = _tiles(page)
    for lon, lat in vertices:
        drawn, tiled = _on_screen(page, lon, lat), _where_the_tiles_put(tiles, lon, lat)
        assert math.dist(drawn, tiled) < 1.5, (lon, lat, drawn, tiled)


def _all_loaded(page) -> None:
    page.wait_for_function("() => { const t = [...document.querySelectorAll('#grid-map-tiles img')];"
                           " return t.length > 0 && t.every(i => i.complete && i.naturalWidth > 0); }")


def test_tiles_load_under_the_polygons_aligned_and_follow_a_zoom(browser, tmp_path, model_path, tile_server):
    tiles_at, asked, referers = tile_server
    with live_console(tmp_path / "map.db", model_path, boundaries=True,
                      map_tile_url=tiles_at + "/tiles/{s}/{z}/{x}/{y}.png", map_tile_subdomains="a,b",
                      map_tile_attribution="© 测试底图") as (url, _):
        context, page, errors = console_login(browser, url, "admin", viewport=(1280, 900))
        page.goto(f"{url}/console/map")
        page.wait_for_selector("#grid-map[data-drawn='1'] canvas")
        _all_loaded(page)
        tiles = _tiles(page)
        assert asked and all(p.startswith(("/tiles/a/", "/tiles/b/")) for p in asked)
        assert set(referers) == {f"{url}/"}  # the console's origin (a browser key's domain), never the page's path
        assert len(tiles) <= 40 and len({t["tile"].split("/")[0] for t in tiles}) == 1  # one zoom level
        chart = page.locator("#grid-map").bounding_box()
        for t in tiles:  # each tile overlaps the chart, and together they cover it
            assert t["left"] < chart["x"] + chart["width"] and t["left"] + t["width"] > chart["x"]
            assert t["top"] < chart["y"] + chart["height"] and t["top"] + t["height"] > chart["y"]
        assert min(t["left"] for t in tiles) <= chart["x"] and min(t["top"] for t in tiles) <= chart["y"]
        assert max(t["left"] + t["width"] for t in tiles) >= chart["x"] + chart["width"]
        assert max(t["top"] + t["height"] for t in tiles) >= chart["y"] + chart["height"]
        assert page.inner_text(".map-attribution") == "© 测试底图"

        geo = json.loads(page.get_attribute("#grid-map", "data-geo"))
        vertices = [tuple(p) for f in geo["features"] for p in f["geometry"]["coordinates"][0]]
        _assert_aligned(page, vertices)

        # The chart is over the tiles, transparent between grids, coloured but see-through on them.
        first = geo["features"][0]["geometry"]["coordinates"][0]
        inside = (sum(p[0] for p in first[:-1]) / (len(first) - 1), sum(p[1] for p in first[:-1]) / (len(first) - 1))
        ix, iy = _on_screen(page, *inside)
        assert page.evaluate("([x, y]) => document.elementFromPoint(x, y).tagName", [ix, iy]) == "CANVAS"
        alpha = """([x, y]) => { const c = document.querySelector('#grid-map canvas'), r = c.getBoundingClientRect();
            return c.getContext('2d').getImageData(Math.round(x - r.left), Math.round(y - r.top), 1, 1).data[3]; }"""
        assert 120 < page.evaluate(alpha, [ix, iy]) < 230
        assert page.evaluate(alpha, [chart["x"] + chart["width"] - 30, chart["y"] + chart["height"] / 2]) == 0

        # A zoom moves the tiles (and swaps the level when it has to); they stay aligned.
        before = {t["tile"]: (t["left"], t["top"], t["width"]) for t in tiles}
        page.mouse.move(ix, iy)
        for _ in range(3):
            page.mouse.wheel(0, -300)
        page.wait_for_function("(before) => [...document.querySelectorAll('#grid-map-tiles img')].some(i => {"
                               " const r = i.getBoundingClientRect(), b = before[i.dataset.tile];"
                               " return !b || Math.abs(b[0] - r.left) > 5 || Math.abs(b[2] - r.width) > 5; })",
                               arg=before)
        page.wait_for_timeout(100)  # the frame the tiles are placed in
        _all_loaded(page)
        _assert_aligned(page, vertices)

        # 还原 (restore) puts the view, and the tiles, back where they were.
        page.evaluate("() => echarts.getInstanceByDom(document.getElementById('grid-map'))"
                      ".dispatchAction({type: 'restore'})")
        page.wait_for_function("(before) => { const t = [...document.querySelectorAll('#grid-map-tiles img')];"
                               " return t.length === Object.keys(before).length && t.every(i => {"
                               " const r = i.getBoundingClientRect(), b = before[i.dataset.tile];"
                               " return b && Math.abs(b[0] - r.left) < 1 && Math.abs(b[1] - r.top) < 1; }); }",
                               arg=before)

        # A click on a grid still opens its tickets.
        gx, gy = _on_screen(page, *inside)
        page.mouse.click(gx, gy)
        page.wait_for_url("**/console/tickets?grid=*")
        assert errors == []
        context.close()


def test_without_the_setting_no_tile_is_requested(browser, tmp_path, model_path, tile_server):
    _, asked, _ = tile_server
    with live_console(tmp_path / "map.db", model_path, boundaries=True) as (url, _):
        context, page, errors = console_login(browser, url, "admin")
        elsewhere: list[str] = []
        page.on("request", lambda r: None if r.url.startswith(url) else elsewhere.append(r.url))
        page.goto(f"{url}/console/map")
        page.wait_for_selector("#grid-map[data-drawn='1'] canvas")
        page.mouse.move(640, 500)
        page.mouse.wheel(0, -300)
        page.wait_for_timeout(300)
        assert page.locator("#grid-map-tiles, img.map-tile").count() == 0
        assert elsewhere == [] and asked == []
        assert errors == []
        context.close()
