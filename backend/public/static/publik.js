// Public page: complaints per kelurahan as a choropleth. No tiles, no pins: polygons and counts only.
(function () {
  "use strict";
  var el = document.getElementById("peta");
  if (!el || typeof L === "undefined") {
    return;
  }
  var COLOURS = ["#eef4fb", "#c6dbef", "#9ecae1", "#4292c6", "#08519c", "#08306b"];

  // Class i of n uses a shade spread over the whole scale: the busiest class is always the darkest.
  function shade(i, n) {
    var top = COLOURS.length - 1;
    return COLOURS[n <= 1 ? top : 1 + Math.round((i * (top - 1)) / (n - 1))];
  }

  function colourOf(count, breaks) {
    if (!count) {
      return COLOURS[0];
    }
    for (var i = 0; i < breaks.length; i++) {
      if (count <= breaks[i]) {
        return shade(i, breaks.length);
      }
    }
    return COLOURS[COLOURS.length - 1];
  }

  function legend(breaks) {
    var list = document.getElementById("peta-legenda");
    var items = [["0", COLOURS[0]]];
    var low = 1;
    breaks.forEach(function (high, i) {
      items.push([low === high ? String(high) : low + "–" + high, shade(i, breaks.length)]);
      low = high + 1;
    });
    items.forEach(function (item) {
      var li = document.createElement("li");
      var swatch = document.createElement("span");
      swatch.className = "swatch";
      swatch.style.background = item[1];
      li.appendChild(swatch);
      li.appendChild(document.createTextNode(" " + item[0] + " laporan"));
      list.appendChild(li);
    });
  }

  var map = L.map(el, { scrollWheelZoom: false, attributionControl: false }).setView([-6.22, 106.84], 11);
  el.classList.add("no-tiles");
  fetch(el.dataset.src, { credentials: "omit" })
    .then(function (response) {
      if (!response.ok) {
        throw new Error("map data " + response.status);
      }
      return response.json();
    })
    .then(function (data) {
      var breaks = data.breaks || [];
      var layer = L.geoJSON(data, {
        style: function (feature) {
          return {
            fillColor: colourOf(feature.properties.jumlah, breaks),
            fillOpacity: 0.85,
            color: "#5b6875",
            weight: 0.6,
          };
        },
        onEachFeature: function (feature, shape) {
          var p = feature.properties;
          shape.bindTooltip(p.nama + " (" + p.kecamatan + "): " + p.jumlah + " laporan");
        },
      }).addTo(map);
      el.dataset.loaded = String(layer.getLayers().length);
      legend(breaks);
    })
    .catch(function (error) {
      el.dataset.error = String(error);
    });
})();
