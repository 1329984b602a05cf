// The site page's map: the site and its catchment, the window's crimes around it (a dot per police.uk map point,
// larger with more crimes; red when they carry harm) and the working cameras near it. The layers come from the
// page's data-layers attribute (GeoJSON in longitude/latitude), so the map draws without any background tiles.
(function () {
  const el = document.getElementById("site-map");
  if (!el) return;
  const layers = JSON.parse(el.dataset.layers);
  const map = L.map(el);
  if (el.dataset.tiles) {
    L.tileLayer(el.dataset.tiles, { maxZoom: 19, attribution: el.dataset.attribution }).addTo(map);
  }
  // Leaflet reads a string tooltip as HTML: text goes in as a text node, never as markup.
  const text = (value) => {
    const span = document.createElement("span");
    span.textContent = value;
    return span;
  };
  const of = (layer) => ({ type: "FeatureCollection", features: layers.features.filter((f) => f.properties.layer === layer) });
  const catchment = L.geoJSON(of("catchment"), { style: { color: "#e67e22", weight: 2, fillOpacity: 0.12 } }).addTo(map);
  const dots = (layer, colour) => L.geoJSON(of(layer), {
    pointToLayer: (f, latlng) => L.circleMarker(latlng, {
      radius: Math.min(2 + 1.5 * Math.sqrt(f.properties.crimes), 12), color: "#ffffff", weight: 0.5,
      fillColor: colour, fillOpacity: 0.8, className: "site-map-" + layer,
    }).bindTooltip(text(f.properties.crimes + (f.properties.crimes === 1 ? " crime" : " crimes"))),
  }).addTo(map);
  dots("other", "#9a9a9a");
  dots("harm", "#c0392b");
  L.geoJSON(of("camera"), {
    pointToLayer: (f, latlng) => L.circleMarker(latlng, { radius: 5, color: "#1f5fa8", fillOpacity: 1, className: "site-map-camera" })
      .bindTooltip(text("working camera")),
  }).addTo(map);
  L.geoJSON(of("site"), {
    style: { color: "#222222", weight: 2, fill: false },
    pointToLayer: (f, latlng) => L.circleMarker(latlng, { radius: 6, color: "#222222", weight: 2, fill: false, className: "site-map-site" }),
  }).addTo(map);
  map.fitBounds(catchment.getBounds().pad(0.5), { animate: false });
  el.dataset.loaded = String(layers.features.length);
})();
