// The planner map: hotspot cells shaded by density, hotspot peaks, candidate sites and existing cameras, all
// drawn from the app's own GeoJSON so the map works without background tiles. A click puts the clicked point into
// the "Add a candidate site" form (drawing a site by hand); a click on a candidate site picks it for the capital
// bid (ticks its box in the ranking, which the "Capital bid with the sites picked" form sends), and again unpicks it.
(function () {
  const el = document.getElementById("siting-map");
  if (!el) return;
  const map = L.map(el).setView(el.dataset.centre.split(",").map(Number), 12);
  if (el.dataset.tiles) {
    L.tileLayer(el.dataset.tiles, { maxZoom: 19, attribution: el.dataset.attribution }).addTo(map);
  }
  const bounds = L.latLngBounds([]);
  // Leaflet reads a string tooltip as HTML: user text (a site's name) goes in as a text node, never as markup.
  const text = (value) => {
    const span = document.createElement("span");
    span.textContent = value;
    return span;
  };
  const load = (url) => fetch(url, { credentials: "same-origin" }).then((r) => r.json());
  Promise.all([load(el.dataset.hotspots), load(el.dataset.sites), load(el.dataset.cameras)]).then(([hot, sites, cams]) => {
    const note = document.getElementById("siting-map-note");
    if (note && hot.error) {
      note.textContent = "No hotspot layer: " + hot.error;
      note.hidden = false;
    }
    const top = hot.max_density || 1;
    L.geoJSON(hot, {
      filter: (f) => f.properties.kind === "cell",
      style: (f) => ({ stroke: false, fillColor: "#d7301f", fillOpacity: 0.1 + 0.6 * (f.properties.density / top) }),
    }).addTo(map);
    const peakLayer = L.geoJSON(hot, {
      filter: (f) => f.properties.kind === "peak",
      pointToLayer: (f, latlng) => L.circleMarker(latlng, { radius: 5, color: "#7f0000", fillOpacity: 1, className: "hotspot-peak" })
        .bindTooltip(text(f.properties.name + (f.properties.place ? " — " + f.properties.place : ""))),
    }).addTo(map);
    const box = (f) => document.getElementById("pick-" + f.properties.id);
    const look = (f) => {
      const picked = box(f) && box(f).checked;
      return { color: "#1f4e79", weight: picked ? 4 : 2, fillColor: picked ? "#f0a030" : "#1f4e79", fillOpacity: picked ? 0.8 : 0.2 };
    };
    const siteLayer = L.geoJSON(sites, {
      style: look,
      pointToLayer: (f, latlng) => L.circleMarker(latlng, { radius: 8, bubblingMouseEvents: false, className: "candidate-site", ...look(f) }),
      onEachFeature: (f, layer) => {
        layer.options.bubblingMouseEvents = false;
        layer.bindTooltip(text(f.properties.name));
        const show = () => {
          layer.setStyle(look(f));
          const pick = box(f);
          layer.getElement()?.classList.toggle("picked", Boolean(pick && pick.checked));
        };
        layer.on("click", () => {
          const pick = box(f);
          if (!pick) return; // not in the ranking (the ranking could not be computed)
          pick.checked = !pick.checked;
          show();
        });
        layer.on("add", show);
        const pick = box(f);
        if (pick) pick.addEventListener("change", show);
      },
    }).addTo(map);
    L.geoJSON(cams, {
      filter: (f) => f.properties.status === "operational",
      pointToLayer: (f, latlng) => L.circleMarker(latlng, { radius: 3, color: "#1b7f3b", fillOpacity: 1 }),
    }).addTo(map);
    // Show the sites and the hotspot peaks: where the planner's decisions are.
    if (sites.features.length) bounds.extend(siteLayer.getBounds());
    if (peakLayer.getLayers().length) bounds.extend(peakLayer.getBounds());
    if (bounds.isValid()) map.fitBounds(bounds, { maxZoom: 16, padding: [30, 30], animate: false });
    el.dataset.loaded = String(sites.features.length);
  });
  map.on("click", (e) => {
    const lon = document.getElementById("longitude");
    const lat = document.getElementById("latitude");
    if (!lon || !lat) return;
    lon.value = e.latlng.lng.toFixed(6);
    lat.value = e.latlng.lat.toFixed(6);
    document.getElementById("name").focus();
  });
})();
