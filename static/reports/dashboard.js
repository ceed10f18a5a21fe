/* Compliance dashboard charts (Apache ECharts). The figures come from the page's
   <script type="application/json" id="report-chart-data"> (Django's json_script), the same
   figures as the tables on the page; no inline script, so a strict CSP can forbid them. */
(function () {
  "use strict";
  var source = document.getElementById("report-chart-data");
  if (!source || typeof echarts === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  var font = { fontFamily: "'Noto Sans CJK SC', 'Source Han Sans SC', 'Microsoft YaHei', sans-serif" };
  var charts = [];

  function chart(id, option) {
    var node = document.getElementById(id);
    if (!node) {
      return;
    }
    var instance = echarts.init(node, null, { renderer: "svg", locale: "ZH" });
    option.textStyle = font;
    option.animation = false;
    instance.setOption(option);
    charts.push(instance);
  }

  chart("chart-bars", {
    title: { text: data.bars_title, left: "center", textStyle: { fontSize: 14 } },
    tooltip: { trigger: "axis", valueFormatter: function (v) { return v + "%"; } },
    grid: { left: 40, right: 16, top: 40, bottom: 70 },
    xAxis: {
      type: "category",
      data: data.bars.map(function (b) { return b.name; }),
      axisLabel: { interval: 0, rotate: 40, fontSize: 11 }
    },
    yAxis: { type: "value", min: 0, max: 100, name: "%" },
    series: [{
      type: "bar",
      name: data.labels.share,
      data: data.bars.map(function (b) { return b.share; }),
      itemStyle: { color: "#1f5fa8" },
      label: { show: data.bars.length <= 14, position: "top", fontSize: 10 }
    }]
  });

  chart("chart-trend", {
    title: { text: data.labels.trend, left: "center", textStyle: { fontSize: 14 } },
    tooltip: { trigger: "axis", valueFormatter: function (v) { return v + "%"; } },
    grid: { left: 40, right: 16, top: 40, bottom: 30 },
    xAxis: { type: "category", data: data.trend.map(function (t) { return String(t.year); }) },
    yAxis: { type: "value", min: 0, max: 100, name: "%" },
    series: [{
      type: "line",
      name: data.labels.share,
      data: data.trend.map(function (t) { return t.share; }),
      itemStyle: { color: "#1f7a3a" },
      label: { show: true, position: "top", fontSize: 10 }
    }]
  });

  var split = data.split;
  chart("chart-split", {
    title: { text: data.labels.split, left: "center", textStyle: { fontSize: 14 } },
    tooltip: { trigger: "item" },
    legend: { bottom: 0 },
    series: [{
      type: "pie",
      radius: ["35%", "62%"],
      center: ["50%", "50%"],
      label: { formatter: "{c}" },
      data: [
        { name: split.labels[0], value: split.public_only, itemStyle: { color: "#c77700" } },
        { name: split.labels[1], value: split.professional_only, itemStyle: { color: "#1f5fa8" } },
        { name: split.labels[2], value: split.both, itemStyle: { color: "#b3261e" } }
      ]
    }]
  });

  window.addEventListener("resize", function () {
    charts.forEach(function (c) { c.resize(); });
  });
}());
