// Draws the dashboard's charts from the JSON the page embeds (no request, no CDN).
(function () {
  "use strict";
  const data = JSON.parse(document.getElementById("dashboard-data").textContent);
  const colours = { positive: "#16a34a", neutral: "#9ca3af", negative: "#dc2626", unscored: "#d1d5db" };
  const days = data.series.map((p) => p.day);
  const layout = (extra) => Object.assign({
    margin: { l: 48, r: 16, t: 8, b: 40 }, hovermode: "x unified", showlegend: true,
    legend: { orientation: "h", y: -0.2 }, xaxis: { type: "date" },
  }, extra);
  const config = { displaylogo: false, responsive: true };

  function draw(id, traces, extra) {
    const element = document.getElementById(id);
    if (!element) return Promise.resolve(null);
    return Plotly.newPlot(element, traces, layout(extra || {}), config).then(() => {
      element.dataset.drawn = String(traces.length);
      return element;
    });
  }

  // Mentions in a language without a sentiment model, only when the period has some.
  const unscored = data.series.some((p) => p.unscored) ? ["unscored"] : [];
  const volume = ["negative", "neutral", "positive"].concat(unscored).map((s) => ({
    x: days, y: data.series.map((p) => p[s]), name: s === "unscored" ? "not scored" : s,
    type: "scatter", mode: "lines",
    stackgroup: "volume", line: { color: colours[s], width: 1 }, fillcolor: colours[s] + "99",
  }));
  const spikes = {
    x: data.spikes.map((s) => s.day), y: data.spikes.map((s) => s.mentions), name: "spike",
    mode: "markers", type: "scatter", marker: { symbol: "triangle-down", size: 12, color: "#111827" },
    text: data.spikes.map((s) => "spike: " + s.mentions + " (baseline ~" + s.baseline + ")"),
    hoverinfo: "text",
  };
  const main = draw("chart-volume", volume.concat(data.spikes.length ? [spikes] : []),
    { yaxis: { title: "mentions" } });
  draw("chart-net", [{
    x: days, y: data.series.map((p) => p.net), name: "net sentiment", type: "scatter",
    mode: "lines+markers", connectgaps: false, line: { color: "#4f46e5" },
  }], { yaxis: { range: [-1, 1], zeroline: true }, showlegend: false });
  if (data.share_of_voice.length) {
    draw("chart-share", ["negative", "neutral", "positive"].map((s) => ({
      y: data.share_of_voice.map((t) => t.topic), x: data.share_of_voice.map((t) => t[s]),
      name: s, type: "bar", orientation: "h", marker: { color: colours[s] },
    })), { barmode: "stack", hovermode: "y unified", xaxis: { title: "mentions" }, yaxis: { automargin: true } });
  }
  // Zooming the volume chart in time zooms the net sentiment chart with it.
  main.then((element) => {
    if (!element) return;
    element.on("plotly_relayout", (event) => {
      const net = document.getElementById("chart-net");
      if (!net || !net.data) return;
      if (event["xaxis.autorange"]) Plotly.relayout(net, { "xaxis.autorange": true });
      else if (event["xaxis.range[0]"]) {
        Plotly.relayout(net, { "xaxis.range": [event["xaxis.range[0]"], event["xaxis.range[1]"]] });
      }
    });
  });
})();
