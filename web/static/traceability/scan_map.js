/* "Show on a map" on the scan page: the raw-material areas of the lot on a Leaflet map, loaded only
   when the visitor asks (the vendored Leaflet is ~40 KB gzipped: not on a 3G first load). The areas
   come from the json_script block "scan-areas"; names are drawn as text, never as HTML. */
(function () {
  "use strict";
  var button = document.querySelector("[data-scan-map]");
  var box = document.getElementById("scan-map");
  var dataEl = document.getElementById("scan-areas");
  if (!button || !box || !dataEl) return;
  button.hidden = false;

  function load(tag, attrs) {
    return new Promise(function (resolve, reject) {
      var el = document.createElement(tag);
      Object.keys(attrs).forEach(function (k) { el.setAttribute(k, attrs[k]); });
      el.onload = resolve;
      el.onerror = reject;
      document.head.appendChild(el);
    });
  }

  button.addEventListener("click", function () {
    button.disabled = true;
    Promise.all([
      load("link", { rel: "stylesheet", href: button.dataset.css }),
      load("script", { src: button.dataset.js }),
    ]).then(function () {
      box.hidden = false;
      button.hidden = true;
      var map = L.map(box, { scrollWheelZoom: false });
      L.tileLayer(box.dataset.tileUrl, { maxZoom: 19, attribution: box.dataset.attribution || "" }).addTo(map);
      var layer = L.geoJSON(JSON.parse(dataEl.textContent), {
        style: function () { return { color: "#1f6f43", weight: 2, fillOpacity: 0.25 }; },
        pointToLayer: function (_f, latlng) { return L.circleMarker(latlng, { radius: 8 }); },
        onEachFeature: function (feature, l) {
          var node = document.createElement("span");
          node.textContent = (feature.properties || {}).name || "";
          l.bindPopup(node);
        },
      }).addTo(map);
      map.fitBounds(layer.getBounds(), { maxZoom: 15, padding: [16, 16] });
    }).catch(function () { button.disabled = false; });
  });
})();
