// The console's side column: each tool is a <details> fold; remember which ones the
// facilitator opened or closed (per browser), and open a fold when a link leads into it.
const KEY = "ws-folds";

function load() {
  try {
    return JSON.parse(localStorage.getItem(KEY)) || {};
  } catch {
    return {};
  }
}

function save(states) {
  try {
    localStorage.setItem(KEY, JSON.stringify(states));
  } catch {
    // Private mode or full storage: the folds simply start as designed next time.
  }
}

function openFoldsAround(target) {
  for (let el = target?.closest("details"); el; el = el.parentElement?.closest("details")) el.open = true;
}

function init() {
  const folds = document.querySelectorAll("details.ws-fold[data-fold]");
  const states = load();
  for (const fold of folds) {
    const key = fold.dataset.fold;
    if (typeof states[key] === "boolean") fold.open = states[key];
    fold.addEventListener("toggle", () => {
      const now = load();
      now[key] = fold.open;
      save(now);
    });
  }
  const fromHash = () => {
    const id = decodeURIComponent(location.hash.slice(1));
    if (id) openFoldsAround(document.getElementById(id));
  };
  window.addEventListener("hashchange", fromHash);
  fromHash();
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
else init();
