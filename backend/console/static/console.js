// Aduan console maps. Leaflet is vendored; without a tile URL the map shows the pin alone.
(function () {
  "use strict";
  if (typeof L === "undefined") {
    return;
  }
  var JAKARTA = [-6.2, 106.83];

  function baseMap(el, center, zoom) {
    var map = L.map(el, { scrollWheelZoom: false }).setView(center, zoom);
    if (el.dataset.tiles) {
      L.tileLayer(el.dataset.tiles, { maxZoom: 19, attribution: el.dataset.attribution || "" }).addTo(map);
    } else {
      el.classList.add("no-tiles");
    }
    return map;
  }

  // Complaint page: the reported pin.
  var shown = document.getElementById("map");
  if (shown) {
    var lat = parseFloat(shown.dataset.lat);
    var lon = parseFloat(shown.dataset.lon);
    if (isFinite(lat) && isFinite(lon)) {
      var map = baseMap(shown, [lat, lon], 17);
      L.marker([lat, lon], { title: shown.dataset.label || "" }).addTo(map);
      L.circle([lat, lon], { radius: 30, weight: 1 }).addTo(map);
    }
  }

  // Walk-in desk: click to set the pin. Only useful with tiles, so only shown with them.
  var pick = document.getElementById("pick-map");
  if (pick && pick.dataset.tiles) {
    var form = pick.closest("form");
    var latField = form.querySelector("input[name=latitude]");
    var lonField = form.querySelector("input[name=longitude]");
    var value = document.getElementById("pick-value");
    pick.hidden = false;
    document.getElementById("pick-hint").hidden = false;
    var start = [parseFloat(latField.value), parseFloat(lonField.value)];
    var has = isFinite(start[0]) && isFinite(start[1]);
    var pickMap = baseMap(pick, has ? start : JAKARTA, has ? 17 : 11);
    var marker = has ? L.marker(start).addTo(pickMap) : null;
    pickMap.on("click", function (event) {
      var p = event.latlng;
      latField.value = p.lat.toFixed(6);
      lonField.value = p.lng.toFixed(6);
      value.textContent = "Titik: " + latField.value + ", " + lonField.value;
      if (marker) {
        marker.setLatLng(p);
      } else {
        marker = L.marker(p).addTo(pickMap);
      }
    });
  }
})();
