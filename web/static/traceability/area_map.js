/* Raw-material areas on a Leaflet map (vendored in /static/vendor/leaflet/).
   Shows the entity's areas (from the json_script block "areas-data") and lets the user draw a new one
   (or redraw the one being edited, whose GeoJSON is already in the form's textarea):
   clicks add the corners of an outline ("Finish outline" closes it) or, in point mode, one click
   places a point. The GeoJSON is written into the form's textarea, which also works without
   JavaScript (paste or upload). No inline scripts: the CSP allows only 'self'. */
(function () {
  "use strict";

  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  function round(n) {
    return Math.round(n * 1e7) / 1e7;
  }

  function lngLat(latlng) {
    return [round(latlng.lng), round(latlng.lat)];
  }

  function popupText(props) {
    var parts = [props.name];
    if (props.kind) parts.push(props.kind);
    if (props.crop) parts.push(props.crop);
    if (props.area_ha) parts.push(props.area_ha + " ha");
    return parts.join(" · ");
  }

  ready(function () {
    var el = document.getElementById("area-map");
    if (!el || typeof L === "undefined") return;

    var map = L.map(el, { scrollWheelZoom: false }).setView([16.0, 106.0], 5);
    L.tileLayer(el.dataset.tileUrl, { maxZoom: 19, attribution: el.dataset.attribution || "" }).addTo(map);

    var dataEl = document.getElementById("areas-data");
    var data = dataEl ? JSON.parse(dataEl.textContent) : { type: "FeatureCollection", features: [] };
    var existing = L.geoJSON(data, {
      style: function () {
        return { color: "#1f6f43", weight: 2, fillOpacity: 0.25 };
      },
      onEachFeature: function (feature, layer) {
        // bindPopup with a DOM text node: names are user input, never parsed as HTML.
        var node = document.createElement("span");
        node.textContent = popupText(feature.properties || {});
        layer.bindPopup(node);
      },
    }).addTo(map);
    if (data.features && data.features.length) {
      map.fitBounds(existing.getBounds(), { maxZoom: 16, padding: [16, 16] });
    }

    var form = document.querySelector("[data-area-draw]");
    var textarea = document.querySelector("[data-area-geometry]");
    if (!form || !textarea) return;
    form.hidden = false;

    var finishBtn = form.querySelector("[data-area-finish]");
    var clearBtn = form.querySelector("[data-area-clear]");
    var drawn = L.layerGroup().addTo(map);
    var vertices = [];
    var finished = false;

    function mode() {
      var checked = form.querySelector("input[name=draw_mode]:checked");
      return checked ? checked.value : "polygon";
    }

    function write(geometry) {
      textarea.value = geometry ? JSON.stringify(geometry) : "";
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
    }

    function redraw() {
      drawn.clearLayers();
      if (!vertices.length) return;
      var style = { color: "#c9962b", weight: 3 };
      if (mode() === "point") {
        drawn.addLayer(L.marker(vertices[0]));
      } else if (finished) {
        drawn.addLayer(L.polygon(vertices, style));
      } else {
        drawn.addLayer(L.polyline(vertices, style));
        vertices.forEach(function (v) {
          drawn.addLayer(L.circleMarker(v, { radius: 4, color: "#c9962b" }));
        });
      }
      finishBtn.disabled = mode() !== "polygon" || finished || vertices.length < 3;
    }

    function clear() {
      vertices = [];
      finished = false;
      write(null);
      redraw();
      finishBtn.disabled = mode() !== "polygon";
    }

    map.on("click", function (e) {
      if (mode() === "point") {
        vertices = [e.latlng];
        write({ type: "Point", coordinates: lngLat(e.latlng) });
      } else {
        if (finished) {
          vertices = [];
          finished = false;
        }
        // A new outline replaces the form's GeoJSON (an area being edited, pasted, or sent back):
        // the form never keeps an outline the map no longer shows.
        if (!vertices.length) write(null);
        vertices.push(e.latlng);
      }
      redraw();
    });

    finishBtn.addEventListener("click", function () {
      if (vertices.length < 3) return;
      var ring = vertices.map(lngLat);
      ring.push(ring[0]);
      finished = true;
      write({ type: "Polygon", coordinates: [ring] });
      redraw();
    });
    clearBtn.addEventListener("click", clear);
    form.querySelectorAll("input[name=draw_mode]").forEach(function (radio) {
      radio.addEventListener("change", clear);
    });

    // A form sent back with errors, or the edit page of an area, holds its GeoJSON: show it on the map.
    if (textarea.value.trim()) {
      try {
        var kept = L.geoJSON(JSON.parse(textarea.value), { style: { color: "#c9962b", weight: 3 } });
        kept.addTo(drawn);
        map.fitBounds(kept.getBounds(), { maxZoom: 16, padding: [16, 16] });
      } catch (err) {
        /* not GeoJSON: the form shows the server's message */
      }
    }
    finishBtn.disabled = true;
  });
})();
