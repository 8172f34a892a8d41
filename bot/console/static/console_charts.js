// 网格哨 指挥台: draws every [data-chart] element with Apache ECharts (static/vendor/echarts.min.js).
// The server built each option (bot/console/charts.py); this only hands it over, keeps the charts
// sized with the window, and opens every table before printing (the figures on paper, too).
(function () {
  "use strict";
  var charts = [];

  function draw(el) {
    if (!window.echarts) { return; }
    var option;
    try { option = JSON.parse(el.getAttribute("data-chart")); } catch (e) { return; }
    el.style.height = (parseInt(el.getAttribute("data-height"), 10) || 320) + "px";
    var chart = window.echarts.init(el, null, { renderer: "canvas", locale: "ZH" });
    chart.setOption(option);
    el.setAttribute("data-drawn", "1");
    charts.push(chart);
    return chart;
  }

  window.gridwhistleCharts = { draw: draw, all: charts };

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-chart]").forEach(draw);
    window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
    window.addEventListener("beforeprint", function () {
      document.querySelectorAll("details.figures").forEach(function (d) { d.open = true; });
      charts.forEach(function (c) { c.resize(); });
    });
  });
})();
