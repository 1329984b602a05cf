// The camera map: cameras are drawn as vector circle markers from the app's own GeoJSON,
// so they show even when no background tiles load (no internet, or no tile URL configured).
(function () {
  const el = document.getElementById("map");
  if (!el) return;
  const centre = el.dataset.centre.split(",").map(Number);
  const map = L.map(el, { preferCanvas: false }).setView(centre, 11);
  if (el.dataset.tiles) {
    L.tileLayer(el.dataset.tiles, { maxZoom: 19, attribution: el.dataset.attribution }).addTo(map);
  }
  const colours = { operational: "#1b7f3b", faulty: "#c0392b", planned: "#2c6fbb", in_storage: "#7f8c8d", decommissioned: "#444" };
  fetch(el.dataset.geojson, { credentials: "same-origin" })
    .then((r) => r.json())
    .then((data) => {
      const layer = L.geoJSON(data, {
        pointToLayer: (feature, latlng) => L.circleMarker(latlng, {
          radius: 6, weight: 1, color: "#222", fillOpacity: 0.85,
          fillColor: colours[feature.properties.status] || "#555",
          className: "camera-marker",
        }),
        onEachFeature: (feature, marker) => {
          const p = feature.properties;
          const link = document.createElement("a");
          link.href = "/cameras/" + p.id;
          link.textContent = p.asset_id + " " + p.name;
          const box = document.createElement("div");
          box.appendChild(link);
          box.appendChild(document.createElement("br"));
          box.appendChild(document.createTextNode(p.location_text + " · " + p.status));
          marker.bindPopup(box);
          // Leaflet reads a string as HTML: every piece of user text goes in as a text node, never markup.
          const tip = document.createElement("span");
          tip.textContent = p.asset_id;
          marker.bindTooltip(tip);
          marker.on("add", () => { const e = marker.getElement(); if (e) e.setAttribute("data-asset-id", p.asset_id); });
        },
      }).addTo(map);
      document.getElementById("map-count").textContent = data.features.length + " cameras shown";
      el.dataset.loaded = String(data.features.length);
      if (data.features.length) map.fitBounds(layer.getBounds(), { maxZoom: 16, padding: [20, 20] });
    });
})();
