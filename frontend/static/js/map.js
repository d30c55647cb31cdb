// The maps of living labs, projects and placed feedback (pages/_map.html), drawn with Leaflet
// (window.L, django-leaflet's static copy) from the GeoJSON the page carries. Without tiles
// (no MAP_TILES_URL, or the tile server unreachable) the areas and places still show on a
// plain background. Titles and texts go into the popups as text, never as HTML.
// On a lab's page, who may give feedback picks a place for it: a tap or click on the map, or
// the map's centre (arrow keys move the map) with the button below the form's fields.

const L = window.L;

const STYLES = {
  lab: { color: "#0b4f8a", weight: 2, fillColor: "#0b4f8a", fillOpacity: 0.15 },
  project: { radius: 8, color: "#08365f", weight: 2, fillColor: "#ffd34d", fillOpacity: 1 },
  feedback: { radius: 6, color: "#1b1f24", weight: 2, fillColor: "#ffffff", fillOpacity: 1 },
  chosen: { radius: 9, color: "#a3211a", weight: 3, fillColor: "#a3211a", fillOpacity: 0.6 },
};

function popup(feature, labels) {
  const box = document.createElement("div");
  const kind = document.createElement("p");
  kind.className = "map-popup__kind";
  kind.textContent = labels[feature.properties.kind] || "";
  const link = document.createElement("a");
  link.href = feature.properties.url;
  link.textContent = feature.properties.title;
  box.append(kind, link);
  const note = feature.properties.kind === "project" ? feature.properties.status : feature.properties.summary;
  if (note) {
    const text = document.createElement("p");
    text.textContent = note;
    box.append(text);
  }
  return box;
}

function pickPlaces(map, container, picker, labels) {
  const latitude = document.getElementById(`${picker}-latitude`);
  const longitude = document.getElementById(`${picker}-longitude`);
  if (!latitude || !longitude) return;
  const fieldset = latitude.closest("fieldset");
  const tools = fieldset.querySelector(".place-picker__tools");
  let marker = null;

  function show() {
    const lat = Number.parseFloat(latitude.value.replace(",", "."));
    const lng = Number.parseFloat(longitude.value.replace(",", "."));
    if (marker) marker.remove();
    marker = null;
    if (Number.isFinite(lat) && Number.isFinite(lng)) {
      marker = L.circleMarker([lat, lng], STYLES.chosen).addTo(map).bindTooltip(labels.chosen);
    }
  }
  function choose(latlng) {
    latitude.value = latlng.lat.toFixed(5);
    longitude.value = latlng.lng.toFixed(5);
    show();
  }
  map.on("click", (event) => choose(event.latlng));
  tools.querySelector("[data-place-center]").addEventListener("click", () => choose(map.getCenter()));
  tools.querySelector("[data-place-clear]").addEventListener("click", () => {
    latitude.value = "";
    longitude.value = "";
    show();
  });
  latitude.addEventListener("change", show);
  longitude.addEventListener("change", show);
  tools.hidden = false;
  container.classList.add("map--picker");
  show();
}

function draw(container) {
  const source = document.getElementById(container.dataset.map);
  if (!L || !source) return;
  const data = JSON.parse(source.textContent);
  const labels = {
    lab: container.dataset.lab,
    project: container.dataset.project,
    feedback: container.dataset.feedback,
    chosen: container.dataset.chosen,
  };
  const map = L.map(container, { scrollWheelZoom: false, zoomControl: false });
  L.control.zoom({ zoomInTitle: container.dataset.zoomIn, zoomOutTitle: container.dataset.zoomOut }).addTo(map);
  if (container.dataset.tiles) {
    L.tileLayer(container.dataset.tiles, { maxZoom: 19, attribution: "" }).addTo(map);
    // The attribution as text (Leaflet would insert it as HTML).
    map.attributionControl.setPrefix(false);
    const credit = document.createElement("span");
    credit.textContent = container.dataset.attribution;
    map.attributionControl.getContainer().append(credit);
  } else {
    map.attributionControl.remove();
  }
  const picking = Boolean(container.dataset.picker);
  const layer = L.geoJSON(data, {
    // Where places are picked, the whole map is the picker: a tap anywhere picks a place
    // (the list under the map links what it shows); elsewhere a tap opens a popup.
    style: (feature) => ({ ...(STYLES[feature.properties.kind] || STYLES.lab), interactive: !picking }),
    pointToLayer: (feature, latlng) =>
      L.circleMarker(latlng, { ...(STYLES[feature.properties.kind] || STYLES.project), interactive: !picking }),
    onEachFeature: (feature, shape) => {
      if (!picking) shape.bindPopup(popup(feature, labels));
    },
  }).addTo(map);
  const bounds = layer.getBounds();
  if (bounds.isValid()) {
    map.fitBounds(bounds, { padding: [24, 24], maxZoom: 17 });
  } else {
    map.setView([49.1427, 9.2109], 13); // Heilbronn
  }
  // Leaflet makes the map a focusable region; it gets a name and says what it is.
  container.setAttribute("role", "region");
  container.setAttribute("aria-label", container.dataset.label);
  container.classList.add("map--drawn");
  if (picking) pickPlaces(map, container, container.dataset.picker, labels);
}

for (const container of document.querySelectorAll("[data-map]")) draw(container);
