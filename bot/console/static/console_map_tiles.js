// 网格哨 指挥台: raster tiles under the grid map, only when MAP_TILE_URL is configured
// (bot/runtime/map_tiles.py; without it this file is not even loaded and nothing is fetched).
//
// XYZ tiles are cut in Web Mercator, so the map series is drawn in the same projection (ECharts
// `projection`, below): a tile's corners then map linearly onto the chart. For the current view
// the covering tiles, at the zoom level whose tiles show closest to their own 256 px, are <img>s in
// a layer under the transparent chart, placed again after every zoom or pan (georoam). They let
// every pointer event through, so hover, colouring and click-through stay the chart's.
(function () {
  "use strict";
  var TILE = 256;
  var MAX_LAT = 85.0511287798;  // Web Mercator's edge: the world is a square there
  var MAX_ZOOM = 18;
  var MAX_TILES = 150;  // a guard against a runaway view, far above a map's ~20 tiles
  var GRID_OPACITY = 0.7;  // the streets show through a grid's colour

  // lon/lat ↔ "world pixels" at zoom 0 (the earth one 256-px tile), y growing southwards.
  function project(point) {
    var lat = Math.max(-MAX_LAT, Math.min(MAX_LAT, point[1])) * Math.PI / 180;
    return [(point[0] + 180) / 360 * TILE,
            (1 - Math.log(Math.tan(lat) + 1 / Math.cos(lat)) / Math.PI) / 2 * TILE];
  }

  function unproject(point) {
    var n = Math.PI * (1 - 2 * point[1] / TILE);
    return [point[0] / TILE * 360 - 180, Math.atan(Math.sinh(n)) * 180 / Math.PI];
  }

  function tileUrl(config, z, x, y) {
    var subdomains = config.subdomains || [];
    var s = subdomains.length ? subdomains[(x + y) % subdomains.length] : "";
    return config.url.replace(/\{s\}/g, s).replace(/\{z\}/g, z).replace(/\{x\}/g, x).replace(/\{y\}/g, y);
  }

  // The chart's view as a linear map from world pixels: screen = (world - origin) * scale, per axis.
  // Read off two steps from a fixed world point with convertToPixel (convertFromPixel cannot be used:
  // with a projection, ECharts 6.1 unprojects the pixel before undoing the view transform).
  function view(chart) {
    var finder = { seriesIndex: 0 };
    var at = [TILE / 2, TILE / 2];  // lon 0, lat 0: any point works, the map is linear in world pixels
    var base = chart.convertToPixel(finder, unproject(at));
    var east = chart.convertToPixel(finder, unproject([at[0] + 1, at[1]]));
    var south = chart.convertToPixel(finder, unproject([at[0], at[1] + 1]));
    if (!base || !east || !south) { return null; }
    var scale = [east[0] - base[0], south[1] - base[1]];
    if (!(scale[0] > 0 && scale[1] > 0)) { return null; }
    return { scale: scale, origin: [at[0] - base[0] / scale[0], at[1] - base[1] / scale[1]] };
  }

  // The tiles [x, y] of zoom level z that cover the chart (none past MAX_TILES).
  function covering(chart, v, perTile, n) {
    var first = [Math.floor(v.origin[0] / perTile), Math.max(0, Math.floor(v.origin[1] / perTile))];
    var last = [Math.floor((v.origin[0] + chart.getWidth() / v.scale[0]) / perTile),
                Math.min(n - 1, Math.floor((v.origin[1] + chart.getHeight() / v.scale[1]) / perTile))];
    var tiles = [];
    for (var x = first[0]; x <= last[0]; x++) {
      for (var y = first[1]; y <= last[1]; y++) { tiles.push([x, y]); }
    }
    return tiles.length <= MAX_TILES ? tiles : [];
  }

  function place(chart, layer, config, shown) {
    var v = view(chart);
    if (!v) { return; }
    var z = Math.max(0, Math.min(MAX_ZOOM, Math.round(Math.log(v.scale[0]) / Math.LN2)));
    var n = Math.pow(2, z);
    var perTile = TILE / n;  // world pixels per tile at zoom z
    // Screen position of a tile edge: whole pixels, each edge computed once, so neighbours meet without a seam.
    function edge(axis, index) { return Math.round((index * perTile - v.origin[axis]) * v.scale[axis]); }
    var wanted = {};
    covering(chart, v, perTile, n).forEach(function (xy) {
      var x = xy[0], y = xy[1], key = z + "/" + x + "/" + y;
      var img = shown[key] || newTile(layer, config, z, x, y);
      img.style.left = edge(0, x) + "px";
      img.style.top = edge(1, y) + "px";
      img.style.width = edge(0, x + 1) - edge(0, x) + "px";
      img.style.height = edge(1, y + 1) - edge(1, y) + "px";
      wanted[key] = img;
    });
    Object.keys(shown).forEach(function (key) {
      if (!wanted[key]) { layer.removeChild(shown[key]); delete shown[key]; }
    });
    Object.keys(wanted).forEach(function (key) { shown[key] = wanted[key]; });
  }

  function newTile(layer, config, z, x, y) {
    var n = Math.pow(2, z);
    var img = document.createElement("img");
    img.className = "map-tile";
    img.alt = "";
    img.decoding = "async";
    // The page's own policy sends no Referer off-site; a provider's browser key (天地图's tk) is
    // bound to the site's domain, so tiles send the origin alone (never the page's path).
    img.referrerPolicy = "strict-origin";
    img.setAttribute("data-tile", z + "/" + x + "/" + y);
    img.addEventListener("error", function () { img.style.visibility = "hidden"; });
    img.src = tileUrl(config, z, ((x % n) + n) % n, y);  // the world repeats east and west
    layer.appendChild(img);
    return img;
  }

  // Call before chart.setOption(option): the map series is drawn in Web Mercator, on a transparent
  // background, its grids translucent.
  function prepare(option) {
    var series = option.series[0];
    series.projection = { project: project, unproject: unproject };
    series.itemStyle = Object.assign({}, series.itemStyle, { opacity: GRID_OPACITY });
    option.backgroundColor = "transparent";
  }

  // Call after chart.setOption(option): the tiles follow the chart from now on.
  function follow(chart, layer, config) {
    var shown = {};
    var pending = false;
    function soon() {
      if (pending) { return; }
      pending = true;
      window.requestAnimationFrame(function () { pending = false; place(chart, layer, config, shown); });
    }
    place(chart, layer, config, shown);
    chart.on("georoam", soon);
    chart.on("restore", soon);
    window.addEventListener("resize", soon);
  }

  window.gridwhistleMapTiles = { prepare: prepare, follow: follow };
})();
