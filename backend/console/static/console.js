// Aduan console: the complaint map. Leaflet is vendored; tiles are optional.
(function () {
  "use strict";
  var el = document.getElementById("map");
  if (!el || typeof L === "undefined") {
    return;
  }
  var lat = parseFloat(el.dataset.lat);
  var lon = parseFloat(el.dataset.lon);
  if (!isFinite(lat) || !isFinite(lon)) {
    return;
  }
  var map = L.map(el, { scrollWheelZoom: false }).setView([lat, lon], 17);
  if (el.dataset.tiles) {
    L.tileLayer(el.dataset.tiles, {
      maxZoom: 19,
      attribution: el.dataset.attribution || "",
    }).addTo(map);
  } else {
    el.classList.add("no-tiles");
  }
  L.marker([lat, lon], { title: el.dataset.label || "" }).addTo(map);
  L.circle([lat, lon], { radius: 30, weight: 1 }).addTo(map);
})();
