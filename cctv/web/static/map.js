// The camera map (signed in: /map; anyone: /public). Cameras are vector circle markers from the app's own GeoJSON,
// and the context layers (council boundary, wards, towns, police.uk streets) come from the app too
// (data-context), so the map says where it is with no internet. Background tiles are added only once one tile
// has loaded: with no tile server answering, the map makes one probe request, not a stream of failing ones.
(function () {
  const el = document.getElementById("map");
  if (!el) return;
  const centre = el.dataset.centre.split(",").map(Number);
  const map = L.map(el, { preferCanvas: false }).setView(centre, 11);
  const isPublic = el.dataset.public === "1";
  const note = document.getElementById("map-note");

  function say(text) { if (note) note.textContent = text; }

  // One tile for the centre at zoom 11 (the slippy-map numbering every tile server uses).
  function probeUrl(template) {
    const z = 11, lat = centre[0] * Math.PI / 180, n = Math.pow(2, z);
    const x = Math.floor((centre[1] + 180) / 360 * n);
    const y = Math.floor((1 - Math.log(Math.tan(lat) + 1 / Math.cos(lat)) / Math.PI) / 2 * n);
    return template.replace("{s}", "a").replace("{z}", z).replace("{x}", x).replace("{y}", y).replace("{r}", "");
  }

  if (el.dataset.tiles) {
    const probe = new Image();
    probe.onload = () => {
      L.tileLayer(el.dataset.tiles, { maxZoom: 19, attribution: el.dataset.attribution }).addTo(map);
      el.dataset.tilesState = "loaded";
    };
    probe.onerror = () => {
      el.dataset.tilesState = "unavailable";
      say("No background map could be loaded: the council's own layers are shown instead.");
    };
    probe.src = probeUrl(el.dataset.tiles);
  } else {
    el.dataset.tilesState = "none";
  }

  // Labels are text nodes inside a div icon: a place name is never read as markup.
  function label(feature, latlng) {
    const span = document.createElement("span");
    span.textContent = feature.properties.label;
    return L.marker(latlng, {
      interactive: false, keyboard: false,
      icon: L.divIcon({ className: "map-label map-label-" + feature.properties.layer, html: span, iconSize: null }),
    });
  }

  const groups = { boundary: L.layerGroup(), ward: L.layerGroup(), town: L.layerGroup(), street: L.layerGroup() };
  const minZoom = { boundary: 0, ward: 12, town: 0, street: 15 };  // streets crowd the map until close in
  function showByZoom() {
    el.dataset.zoom = String(map.getZoom());
    Object.keys(groups).forEach((name) => {
      const wanted = map.getZoom() >= minZoom[name];
      if (wanted && !map.hasLayer(groups[name])) groups[name].addTo(map);
      if (!wanted && map.hasLayer(groups[name])) map.removeLayer(groups[name]);
    });
  }
  if (el.dataset.context) {
    fetch(el.dataset.context, { credentials: "same-origin" })
      .then((r) => r.json())
      .then((data) => {
        data.features.forEach((feature) => {
          const p = feature.properties, group = groups[p.layer];
          if (!group) return;
          if (feature.geometry.type === "Point") {
            const [lon, lat] = feature.geometry.coordinates;
            group.addLayer(label(feature, L.latLng(lat, lon)));
          } else {
            group.addLayer(L.geoJSON(feature, { interactive: false, style: { className: "map-outline map-outline-" + p.layer } }));
            if (p.label && p.label_at) group.addLayer(label(feature, L.latLng(p.label_at[1], p.label_at[0])));
          }
        });
        el.dataset.contextState = "loaded";
        el.dataset.contextCount = String(data.features.length);
        showByZoom();
        map.on("zoomend", showByZoom);
      });
  }

  const colours = { operational: "#1b7f3b", faulty: "#c0392b", planned: "#2c6fbb", in_storage: "#7f8c8d", decommissioned: "#444" };
  function popup(p) {
    const box = document.createElement("div");
    if (isPublic) {
      const name = document.createElement("strong");
      name.textContent = p.ref + " " + p.name;
      box.appendChild(name);
      [p.location, p.purpose ? "Purpose: " + p.purpose : "", "Data controller: " + p.data_controller].forEach((line) => {
        if (!line) return;
        box.appendChild(document.createElement("br"));
        box.appendChild(document.createTextNode(line));
      });
      return box;
    }
    const link = document.createElement("a");
    link.href = "/cameras/" + p.id;
    link.textContent = p.asset_id + " " + p.name;
    box.appendChild(link);
    box.appendChild(document.createElement("br"));
    box.appendChild(document.createTextNode(p.location_text + " · " + p.status));
    return box;
  }
  fetch(el.dataset.geojson, { credentials: "same-origin" })
    .then((r) => r.json())
    .then((data) => {
      const layer = L.geoJSON(data, {
        pointToLayer: (feature, latlng) => L.circleMarker(latlng, {
          radius: 6, weight: 1, color: "#222", fillOpacity: 0.85,
          fillColor: isPublic ? "#1b5e9b" : (colours[feature.properties.status] || "#555"),
          className: "camera-marker",
        }),
        onEachFeature: (feature, marker) => {
          const p = feature.properties;
          const ref = isPublic ? p.ref : p.asset_id;
          // Leaflet reads a string as HTML: every piece of user text goes in as a text node, never markup.
          marker.bindPopup(popup(p));
          const tip = document.createElement("span");
          tip.textContent = ref;
          marker.bindTooltip(tip);
          marker.on("add", () => { const e = marker.getElement(); if (e) e.setAttribute("data-asset-id", ref); });
        },
      }).addTo(map);
      document.getElementById("map-count").textContent = data.features.length + " cameras shown";
      el.dataset.loaded = String(data.features.length);
      if (data.features.length) map.fitBounds(layer.getBounds(), { maxZoom: 16, padding: [20, 20] });
    });
})();
