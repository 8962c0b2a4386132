/* Outlets and destinations on a Leaflet map (vendored in /static/vendor/leaflet/).
   Each [data-places-map] box names a json_script block (data-markers) holding a GeoJSON
   FeatureCollection of points {kind: "destination"|"outlet"|"here", name, label, url}; an optional
   block (data-route) holds the suggested route as [[lat, lon], ...] drawn as a line.
   With data-pick, a click on the map writes the position into the form's inputs
   [data-map-lat] / [data-map-lon], which stay usable by hand without JavaScript.
   Names are user input: popups are built as DOM text, never parsed as HTML. No inline scripts: the
   CSP allows only 'self'. */
(function () {
  "use strict";

  var COLOURS = { destination: "#1f6f43", outlet: "#b5521b", here: "#c9962b" };

  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  function readJson(id) {
    var el = id ? document.getElementById(id) : null;
    return el ? JSON.parse(el.textContent) : null;
  }

  function popup(props) {
    var box = document.createElement("span");
    var name = document.createElement(props.url ? "a" : "strong");
    name.textContent = props.name || "";
    if (props.url) name.setAttribute("href", props.url);
    box.appendChild(name);
    if (props.label) {
      box.appendChild(document.createElement("br"));
      box.appendChild(document.createTextNode(props.label));
    }
    return box;
  }

  function round(n) {
    return (Math.round(n * 1e6) / 1e6).toFixed(6);
  }

  function setUp(el) {
    var map = L.map(el, { scrollWheelZoom: false }).setView([16.0, 106.0], 5);
    L.tileLayer(el.dataset.tileUrl, { maxZoom: 19, attribution: el.dataset.attribution || "" }).addTo(map);
    var data = readJson(el.dataset.markers) || { type: "FeatureCollection", features: [] };
    var layer = L.geoJSON(data, {
      pointToLayer: function (feature, latlng) {
        var kind = (feature.properties || {}).kind || "outlet";
        return L.circleMarker(latlng, {
          radius: kind === "here" ? 11 : 8,
          color: "#ffffff",
          weight: 2,
          fillColor: COLOURS[kind] || COLOURS.outlet,
          fillOpacity: 0.95,
          className: "places-marker places-marker-" + kind,
        });
      },
      onEachFeature: function (feature, l) {
        l.bindPopup(popup(feature.properties || {}));
      },
    }).addTo(map);
    var route = readJson(el.dataset.route);
    if (route && route.length > 1) {
      L.polyline(route, { color: "#c9962b", weight: 3, dashArray: "6 6", className: "places-route" }).addTo(map);
    }
    if (data.features && data.features.length) {
      map.fitBounds(layer.getBounds(), { maxZoom: 14, padding: [24, 24] });
    }
    el.dataset.ready = "1";

    if (el.dataset.pick === undefined) return;
    var lat = document.querySelector("[data-map-lat]");
    var lon = document.querySelector("[data-map-lon]");
    if (!lat || !lon) return;
    var chosen = null;
    function show(latlng, pan) {
      if (chosen) chosen.setLatLng(latlng);
      else chosen = L.circleMarker(latlng, { radius: 10, color: "#c9962b", weight: 3, className: "places-marker places-marker-picked" }).addTo(map);
      if (pan) map.setView(latlng, Math.max(map.getZoom(), 13));
    }
    var start = [parseFloat(lat.value), parseFloat(lon.value)];
    if (isFinite(start[0]) && isFinite(start[1])) show(start, true);
    map.on("click", function (e) {
      lat.value = round(e.latlng.lat);
      lon.value = round(e.latlng.lng);
      lat.dispatchEvent(new Event("input", { bubbles: true }));
      show(e.latlng, false);
    });
  }

  ready(function () {
    if (typeof L === "undefined") return;
    document.querySelectorAll("[data-places-map]").forEach(setUp);
  });
})();
