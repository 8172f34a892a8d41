// 网格哨 指挥台: the grid map. Registers the grids' GeoJSON with ECharts, draws the option the
// server built (bot/console/grid_map.py), and opens a grid's tickets when it is clicked. With
// MAP_TILE_URL configured the page carries data-tiles and console_map_tiles.js lays tiles under it.
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var el = document.getElementById("grid-map");
  if (!el || !window.echarts) { return; }
  var option, geo, links, tiles;
  try {
    option = JSON.parse(el.getAttribute("data-map"));
    geo = JSON.parse(el.getAttribute("data-geo"));
    links = JSON.parse(el.getAttribute("data-links"));
    tiles = el.hasAttribute("data-tiles") ? JSON.parse(el.getAttribute("data-tiles")) : null;
  } catch (e) { return; }
  var tileLayer = tiles && window.gridwhistleMapTiles ? document.getElementById("grid-map-tiles") : null;
  window.echarts.registerMap("district", geo);
  var chart = window.echarts.init(el, null, { renderer: "canvas", locale: "ZH" });
  if (tileLayer) { window.gridwhistleMapTiles.prepare(option); }
  chart.setOption(option);
  el.setAttribute("data-drawn", "1");
  chart.on("click", function (params) {
    var link = links[params.name];
    if (link) { window.location.href = link; }
  });
  window.addEventListener("resize", function () { chart.resize(); });
  if (tileLayer) { window.gridwhistleMapTiles.follow(chart, tileLayer, tiles); }
});
