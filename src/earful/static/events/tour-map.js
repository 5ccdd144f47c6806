/* The tour map: Leaflet (served from XStatic-Leaflet) draws one marker per located stop,
   styled by phase, with a popup linking the stop page. The stops come embedded in the page
   (json_script), so there is no extra request; without JavaScript the list stands alone. */
(function () {
  "use strict";

  function popup(stop) {
    var box = document.createElement("div");
    box.className = "stop-popup";
    var link = document.createElement("a");
    link.href = stop.url;
    link.textContent = stop.venue;
    var title = document.createElement("strong");
    title.appendChild(link);
    box.appendChild(title);
    [stop.place, stop.when, stop.next ? "Next stop" : stop.phase_label].forEach(function (text) {
      if (!text) return;
      var line = document.createElement("div");
      line.textContent = text;
      box.appendChild(line);
    });
    return box;
  }

  function draw(container) {
    var source = document.getElementById(container.getAttribute("data-tour-map"));
    if (!source || !window.L) return;
    var data = JSON.parse(source.textContent);
    if (!data.stops.length) return;
    container.hidden = false;
    var legend = container.parentNode.querySelector(".legend");
    if (legend) legend.hidden = false;
    var map = L.map(container, { scrollWheelZoom: false });
    L.tileLayer(data.tiles, { attribution: data.attribution, maxZoom: 19 }).addTo(map);
    var points = [];
    var seen = {}; // a venue visited twice: fan its markers out so each can be clicked
    data.stops.forEach(function (stop) {
      var classes = "stop-marker phase-" + stop.phase + (stop.next ? " next" : "");
      var size = stop.phase === "live" || stop.next ? 22 : 16;
      var place = stop.lat.toFixed(5) + "," + stop.lon.toFixed(5);
      var shift = (seen[place] = (seen[place] || 0) + 1) - 1;
      var marker = L.marker([stop.lat, stop.lon], {
        icon: L.divIcon({
          className: classes,
          iconSize: [size, size],
          iconAnchor: [size / 2 - shift * 14, size / 2],
          popupAnchor: [shift * 14, -size / 2],
          html: "",
        }),
        title: stop.venue + " · " + (stop.next ? "Next stop" : stop.phase_label),
        alt: stop.venue,
        riseOnHover: true,
        zIndexOffset: stop.phase === "live" ? 1000 : stop.next ? 500 : 0,
      });
      marker.bindPopup(popup(stop));
      marker.addTo(map);
      points.push([stop.lat, stop.lon]);
    });
    if (points.length === 1) {
      map.setView(points[0], data.zoom);
    } else {
      map.fitBounds(points, { padding: [28, 28], maxZoom: data.zoom });
    }
    container.setAttribute("data-markers", String(points.length));
  }

  document.querySelectorAll("[data-tour-map]").forEach(draw);
})();
