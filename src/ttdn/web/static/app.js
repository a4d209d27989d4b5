// TTĐN — charts from live data and small behaviours. No inline script anywhere: pages put chart
// data in <script type="application/json"> blocks, which the browser never executes.
(function () {
  "use strict";
  var locale = document.body.dataset.locale === "en" ? "en-GB" : "vi-VN";
  var dateFmt = new Intl.DateTimeFormat(locale, { day: "2-digit", month: "2-digit", year: "numeric" });
  var hourFmt = new Intl.DateTimeFormat(locale, { day: "2-digit", month: "2-digit", hour: "2-digit", minute: "2-digit" });
  var numFmt = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });
  var palette = ["#b71c1c", "#1565c0", "#2e7d32", "#f9a825", "#6a1b9a", "#00838f", "#ef6c00", "#5d4037", "#546e7a", "#ad1457"];

  function formatX(value, spec) {
    if (spec.xType === "time") { return (spec.hourly ? hourFmt : dateFmt).format(new Date(value)); }
    return String(value);
  }

  function optionFor(spec) {
    var kind = spec.kind || "line";
    var base = {
      color: spec.colors || palette,
      animation: false,
      tooltip: { trigger: kind === "pie" ? "item" : "axis", renderMode: "richText",
                 valueFormatter: function (v) { return v == null ? "—" : numFmt.format(v); } },
      legend: { type: "scroll", bottom: 0 },
      grid: { left: 48, right: 24, top: 24, bottom: 56, containLabel: true },
    };
    if (kind === "pie") {
      base.series = [{ type: "pie", radius: ["35%", "70%"], data: spec.series[0].data.map(function (v, i) { return { name: spec.x[i], value: v }; }) }];
      return base;
    }
    var horizontal = kind === "hbar";
    var category = { type: "category", data: spec.x, axisLabel: { formatter: function (v) { return formatX(v, spec); } } };
    if (horizontal) { category.axisLabel.width = 130; category.axisLabel.overflow = "truncate"; }
    var values = [{ type: "value", min: spec.yMin, max: spec.yMax, axisLabel: { formatter: function (v) { return numFmt.format(v); } } }];
    if (spec.secondAxis) { values.push({ type: "value", min: spec.secondAxis.min, max: spec.secondAxis.max, name: spec.secondAxis.name }); }
    base.xAxis = horizontal ? values[0] : category;
    base.yAxis = horizontal ? Object.assign({}, category, { inverse: true }) : values;
    base.series = spec.series.map(function (s) {
      return { name: s.name, type: (kind === "line" || s.line) ? "line" : "bar", data: s.data, smooth: kind === "line",
               stack: spec.stacked ? "total" : undefined, yAxisIndex: s.axis || 0, showSymbol: false,
               areaStyle: spec.area ? {} : undefined, connectNulls: true };
    });
    return base;
  }

  function drawCharts(root) {
    if (typeof echarts === "undefined") { return; }
    root.querySelectorAll("[data-chart]").forEach(function (el) {
      // the data: a <script type="application/json"> block named by data-chart, or, in parts htmx
      // swaps in (it drops script elements), the data-spec attribute
      var source = document.getElementById(el.dataset.chart);
      var data = el.dataset.spec || (source && source.textContent);
      if (!data || el.dataset.drawn) { return; }
      var spec = JSON.parse(data);
      var chart = echarts.init(el, null, { renderer: "canvas", locale: document.body.dataset.locale === "en" ? "EN" : "EN" });
      chart.setOption(optionFor(spec));
      el.dataset.drawn = "1";
      if (spec.links) {
        chart.on("click", function (p) { var href = spec.links[p.dataIndex]; if (href) { window.location.href = href; } });
      }
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }

  function confirmForms(root) {
    root.querySelectorAll("form[data-confirm]").forEach(function (form) {
      if (form.dataset.confirmBound) { return; }
      form.dataset.confirmBound = "1";
      form.addEventListener("submit", function (event) { if (!window.confirm(form.dataset.confirm)) { event.preventDefault(); } });
    });
  }

  function init(root) { drawCharts(root); confirmForms(root); }
  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:load", function (event) { init(event.target); });
})();
