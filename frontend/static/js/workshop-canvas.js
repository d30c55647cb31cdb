// The board as a two-dimensional canvas: clusters as labelled areas, cards at their places,
// breakout groups' areas; zoom, pan, drag and drop (mouse, touch, pen) and keyboard moves.
// It draws the same BoardState as the list view (workshop-view.js), which stays the
// accessible and small-screen view; a switch chooses between them.
//
// Moves: while a card is dragged, "card.drag" frames go out at most every DRAG_EVERY_MS
// (transient, shown on other screens from the server's "moving" frames); the drop is one
// "card.move" (or "cluster.move"), which the event log keeps.

import { choices, formatNumber, h, t, tn } from "./workshop-common.js";
import { hasReacted } from "./workshop-cardtools-state.js";
import { reactionList } from "./workshop-cardtools.js";

export const CARD_W = 200;
export const CARD_H = 120;
const DRAG_EVERY_MS = 100;
const KEY_IDLE_MS = 400;
const KEY_STEP = 20;
const KEY_STEP_BIG = 100;
const MOVING_STALE_MS = 2500; // someone else's drag without news for this long is over
const ZOOM_MIN = 0.03;
const ZOOM_MAX = 2.5;
const ZOOM_STEP = 1.25;
const DRAG_THRESHOLD = 5; // px on screen before a press becomes a drag
const PAD = 40; // board units around the content when fitting
const VIEW_KEY = "workshop-board-view";
const WIDE = "(min-width: 768px)";
const GAP = 10;
const LIMIT = 100000; // the server's bound of a coordinate
const LABEL_H = 44; // room for a cluster's label above its cards
const AREA_MIN = 80; // the server's bounds of a cluster's width and height
const AREA_MAX = 20000;

// The canvas's own texts, from <template id="ws-canvas-texts"> (translated by the page).
function readTexts() {
  const texts = new Map();
  const template = document.getElementById("ws-canvas-texts");
  for (const node of template?.content.querySelectorAll("data") || []) texts.set(node.value, node.textContent);
  return texts;
}
const TEXTS = readTexts();

function ct(key, params = {}) {
  const text = TEXTS.get(key) ?? key;
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in params ? String(params[name]) : whole));
}

function shorten(text, max = 60) {
  const flat = String(text || "").replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function clamp(value, low, high) {
  return Math.min(high, Math.max(low, value));
}

// Whether a key press belongs to a text field (then it is not a board shortcut).
function typing(target) {
  return target instanceof HTMLElement && target.closest("input, textarea, select, [contenteditable]");
}

function groupList(groups) {
  if (!groups) return [];
  if (groups instanceof Map) return [...groups.values()];
  if (Array.isArray(groups)) return groups;
  return Object.values(groups);
}

export class BoardCanvas {
  constructor(view, root) {
    this.view = view;
    this.root = root;
    this.viewport = root.querySelector(".wc-viewport");
    this.layer = root.querySelector(".wc-layer");
    this.menu = root.querySelector(".wc-menu");
    this.zoomLabel = root.querySelector(".wc-zoom");
    this.switchEl = document.querySelector(".wc-switch");
    this.list = document.getElementById("ws-board");
    this.zoom = 1;
    this.panX = 0;
    this.panY = 0;
    this.touched = false; // the user zoomed or panned: no automatic fit any more
    this.cardEls = new Map();
    this.clusterEls = new Map();
    this.groupEls = new Map();
    this.cardPos = new Map(); // card id -> {x, y} as drawn (stored place or a laid-out one)
    this.clusterPos = new Map(); // cluster id -> {x, y, w, h}
    this.moving = new Map(); // card id -> {x, y, at}: someone else is dragging it
    this.settling = new Map(); // card id -> {x, y}: dropped here, waiting for its event
    this.sizing = new Map(); // cluster id -> {w, h}: resized here, waiting for its event
    this.drag = null; // the pointer drag or keyboard move in progress
    this.pointers = new Map(); // pointer id -> {x, y} on the background (pan, pinch)
    this.spaceDown = false;
    this.menuCard = null;
    this.lastDragSent = 0;
    this.dragTimer = null;
    this.mode = null;
    this.wire();
    view.onRender(() => this.render());
    view.onEventApplied((frame, note) => this.onEvent(frame, note));
    this.sweepTimer = setInterval(() => this.sweepMoving(), 1000);
    this.setMode(this.storedMode(), { save: false });
  }

  // --- the list/canvas switch -------------------------------------------------------

  storedMode() {
    try {
      const stored = localStorage.getItem(VIEW_KEY);
      if (stored === "canvas" || stored === "list") return stored;
    } catch {
      // no storage: choose by screen width
    }
    return window.matchMedia(WIDE).matches ? "canvas" : "list";
  }

  setMode(mode, { save = true } = {}) {
    this.mode = mode;
    this.root.hidden = mode !== "canvas";
    if (this.list) this.list.hidden = mode === "canvas";
    if (this.switchEl) {
      this.switchEl.hidden = false;
      for (const button of this.switchEl.querySelectorAll("button")) {
        button.setAttribute("aria-pressed", String(button.dataset.view === mode));
      }
    }
    if (save) {
      try {
        localStorage.setItem(VIEW_KEY, mode);
      } catch {
        // the choice lasts as long as the page
      }
    }
    if (mode === "canvas") {
      this.render();
      if (!this.touched) requestAnimationFrame(() => this.fit());
    } else {
      this.closeMenu(false);
      if (this.state.loaded) this.view.render(); // the list is not drawn while hidden
    }
  }

  // --- wiring ------------------------------------------------------------------------

  wire() {
    for (const button of this.switchEl?.querySelectorAll("button") || []) {
      button.addEventListener("click", () => this.setMode(button.dataset.view));
    }
    for (const button of this.root.querySelectorAll("[data-zoom]")) {
      button.addEventListener("click", () => {
        const how = button.dataset.zoom;
        if (how === "fit") this.fit();
        else this.zoomBy(how === "in" ? ZOOM_STEP : 1 / ZOOM_STEP);
      });
    }
    const vp = this.viewport;
    vp.addEventListener("pointerdown", (event) => this.pointerDown(event));
    vp.addEventListener("pointermove", (event) => this.pointerMove(event));
    vp.addEventListener("pointerup", (event) => this.pointerUp(event, false));
    vp.addEventListener("pointercancel", (event) => this.pointerUp(event, true));
    vp.addEventListener("lostpointercapture", (event) => {
      // Touch starts captured by the card itself; only losing the viewport's capture ends a drag.
      if (event.target === vp) this.pointerUp(event, true);
    });
    vp.addEventListener(
      "wheel",
      (event) => {
        if (!event.ctrlKey && !event.metaKey) return; // a plain wheel scrolls the page
        event.preventDefault();
        const [x, y] = this.local(event);
        this.gesture(true);
        clearTimeout(this.wheelTimer);
        this.wheelTimer = setTimeout(() => this.gesture(false), 250);
        this.zoomAt(this.zoom * Math.exp(-event.deltaY / 300), x, y);
      },
      { passive: false },
    );
    vp.addEventListener("keydown", (event) => this.keyDown(event));
    vp.addEventListener("keyup", (event) => {
      if (event.key === " ") this.spaceDown = false;
    });
    vp.addEventListener("focusin", (event) => this.revealFocused(event.target));
    this.menu.addEventListener("keydown", (event) => {
      if (event.key === "Escape") {
        event.preventDefault();
        event.stopPropagation();
        this.closeMenu(true);
      }
    });
    this.menu.addEventListener("focusout", () => {
      // Checked after the event: a redrawn menu (a reaction counted) puts the focus back itself.
      setTimeout(() => {
        if (!this.menu.contains(document.activeElement)) this.closeMenu(false);
      }, 0);
    });
    window.addEventListener("resize", () => {
      if (!this.touched && this.mode === "canvas") this.fit();
    });
  }

  // Viewport coordinates of a pointer event.
  local(event) {
    const rect = this.viewport.getBoundingClientRect();
    return [event.clientX - rect.left, event.clientY - rect.top];
  }

  toBoard(x, y) {
    return [(x - this.panX) / this.zoom, (y - this.panY) / this.zoom];
  }

  // --- state -> DOM ------------------------------------------------------------------

  get state() {
    return this.view.state;
  }

  mayMove(card) {
    const state = this.state;
    if (!state.boardOpen) return false;
    return state.isFacilitator || !card.locked;
  }

  // Changing a card's cluster is clustering: its author, or whoever may manage clusters.
  mayRecluster(card) {
    return this.mayMove(card) && (this.state.mayCluster || this.view.isMine(card));
  }

  get mayMoveClusters() {
    return this.state.mayCluster;
  }

  // Stored places, and places for what has none yet (0, 0 from before the canvas): cards
  // of a cluster in a grid inside it, the others in rows below the clusters. The same on
  // every screen, as it follows from the state alone.
  layout() {
    const state = this.state;
    this.clusterPos.clear();
    const clusters = [...state.clusters.values()].sort((a, b) => a.id - b.id);
    let nextX = 0;
    let seenOrigin = false;
    for (const cluster of clusters) {
      const w = cluster.w || 480;
      const hgt = cluster.h || 360;
      let { x, y } = cluster;
      if (!x && !y) {
        if (seenOrigin) x = nextX;
        seenOrigin = true;
      }
      this.clusterPos.set(cluster.id, { x: x || 0, y: y || 0, w, h: hgt });
      nextX = Math.max(nextX, (x || 0) + w + PAD);
    }
    let bottom = 0;
    for (const area of this.clusterPos.values()) bottom = Math.max(bottom, area.y + area.h);
    this.cardPos.clear();
    const inCluster = new Map();
    let loose = 0;
    const cards = [...state.cards.values()].sort((a, b) => a.id - b.id);
    for (const card of cards) {
      if (card.x || card.y) {
        this.cardPos.set(card.id, { x: card.x, y: card.y });
        continue;
      }
      const area = card.cluster ? this.clusterPos.get(card.cluster) : null;
      if (area) {
        const index = inCluster.get(card.cluster) || 0;
        inCluster.set(card.cluster, index + 1);
        const cols = Math.max(1, Math.floor((area.w - GAP) / (CARD_W + GAP)));
        this.cardPos.set(card.id, {
          x: area.x + GAP + (index % cols) * (CARD_W + GAP),
          y: area.y + LABEL_H + Math.floor(index / cols) * (CARD_H + GAP),
        });
      } else {
        const cols = 6;
        this.cardPos.set(card.id, {
          x: (loose % cols) * (CARD_W + GAP * 2),
          y: (bottom ? bottom + PAD : 0) + Math.floor(loose / cols) * (CARD_H + GAP * 2),
        });
        loose += 1;
      }
    }
  }

  // Where a card is drawn now: my drag, my drop waiting for its event, someone's drag, its place.
  placeOf(id) {
    if (this.drag?.kind === "card" && this.drag.id === id && this.drag.active) return this.drag;
    if (this.drag?.kind === "cluster" && this.drag.active && this.drag.cards.has(id)) {
      const start = this.drag.cards.get(id);
      return { x: start.x + this.drag.x - this.drag.startX, y: start.y + this.drag.y - this.drag.startY };
    }
    return this.settling.get(id) || this.moving.get(id) || this.cardPos.get(id) || { x: 0, y: 0 };
  }

  areaOf(id) {
    const area = this.clusterPos.get(id);
    if (area && this.drag?.kind === "cluster" && this.drag.id === id && this.drag.active) {
      return { ...area, x: this.drag.x, y: this.drag.y };
    }
    if (area && this.drag?.kind === "resize" && this.drag.id === id && this.drag.active) {
      // A resize drags the area's bottom-right corner: x and y of the drag are its size.
      return { ...area, w: this.drag.x, h: this.drag.y };
    }
    const size = this.sizing.get(id);
    return area && size ? { ...area, ...size } : area;
  }

  render() {
    if (!this.state.loaded || this.mode !== "canvas") return;
    this.layout();
    this.renderGroups();
    this.renderClusters();
    this.renderCards();
    this.refreshMenu();
    this.applyTransform();
    if (!this.touched && !this.fitted && this.state.cards.size + this.state.clusters.size > 0) {
      requestAnimationFrame(() => this.fit());
    }
  }

  renderGroups() {
    const groups = groupList(this.state.groups).filter((g) => g && typeof g.x === "number");
    const ids = new Set(groups.map((g) => g.id));
    for (const [id, el] of this.groupEls) {
      if (!ids.has(id)) {
        el.remove();
        this.groupEls.delete(id);
      }
    }
    for (const group of groups) {
      let el = this.groupEls.get(group.id);
      if (!el) {
        el = h("div", { class: "wc-group", dataset: { group: group.id } }, h("span", { class: "wc-group__label" }));
        this.groupEls.set(group.id, el);
        this.layer.prepend(el);
      }
      el.firstChild.textContent = ct("group_label", { name: group.name });
      Object.assign(el.style, {
        transform: `translate(${group.x}px, ${group.y}px)`,
        width: `${group.w || 1200}px`,
        height: `${group.h || 800}px`,
      });
    }
  }

  renderClusters() {
    const counts = new Map();
    for (const card of this.state.cards.values()) {
      if (card.cluster) counts.set(card.cluster, (counts.get(card.cluster) || 0) + 1);
    }
    for (const [id, entry] of this.clusterEls) {
      if (!this.state.clusters.has(id)) {
        entry.el.remove();
        this.clusterEls.delete(id);
      }
    }
    const movable = this.mayMoveClusters;
    for (const cluster of this.state.clusters.values()) {
      let entry = this.clusterEls.get(cluster.id);
      if (!entry) {
        const label = h("button", { type: "button", class: "wc-cluster__label", dataset: { cluster: cluster.id } });
        const resize = h("button", { type: "button", class: "wc-cluster__resize", dataset: { cluster: cluster.id } });
        const el = h("div", { class: "wc-cluster", dataset: { cluster: cluster.id } }, label, resize);
        entry = { el, label, resize, sig: null, place: null };
        this.clusterEls.set(cluster.id, entry);
        const firstCard = this.layer.querySelector(".wc-card");
        this.layer.insertBefore(el, firstCard);
      }
      const n = counts.get(cluster.id) || 0;
      const sig = `${cluster.title}|${n}|${movable}`;
      if (entry.sig !== sig) {
        entry.sig = sig;
        entry.label.textContent = `${cluster.title} (${formatNumber(n)})`;
        entry.label.setAttribute("aria-label", ct("cluster_label", { title: cluster.title, cards: tn("cards", n) }));
        entry.label.setAttribute("aria-disabled", String(!movable));
        entry.resize.hidden = !movable;
        entry.resize.setAttribute("aria-label", ct("cluster_resize", { title: cluster.title }));
      }
      this.placeCluster(entry, this.areaOf(cluster.id));
    }
  }

  placeCluster(entry, area) {
    const place = `${area.x},${area.y},${area.w},${area.h}`;
    if (entry.place === place) return;
    entry.place = place;
    entry.el.style.transform = `translate(${area.x}px, ${area.y}px)`;
    entry.el.style.width = `${area.w}px`;
    entry.el.style.height = `${area.h}px`;
  }

  renderCards() {
    const state = this.state;
    for (const [id, entry] of this.cardEls) {
      if (!state.cards.has(id)) {
        if (entry.el.contains(document.activeElement)) this.viewport.focus({ preventScroll: true });
        entry.el.remove();
        this.cardEls.delete(id);
      }
    }
    const hideAuthors = state.workshop.hide_authors;
    for (const card of state.cards.values()) {
      let entry = this.cardEls.get(card.id);
      if (!entry) entry = this.createCard(card);
      const movable = this.mayMove(card);
      const cluster = card.cluster ? state.clusters.get(card.cluster) : null;
      const sig = JSON.stringify([
        card.text,
        card.color,
        cluster?.title ?? null,
        card.likes,
        card.reactions,
        card.pinned,
        card.locked,
        card.hidden,
        card.private,
        hideAuthors ? null : card.author_name,
        movable,
        this.hasMenu(card),
      ]);
      if (entry.sig !== sig) {
        entry.sig = sig;
        this.fillCard(entry, card, cluster, movable);
      }
      this.placeCard(entry, this.placeOf(card.id));
    }
  }

  createCard(card) {
    const text = h("p", { class: "wc-card__text" });
    const meta = h("p", { class: "wc-card__meta" });
    const menuButton = h("button", {
      type: "button",
      class: "wc-card__menu",
      "aria-expanded": "false",
      "aria-haspopup": "true",
      text: ct("actions"),
    });
    menuButton.addEventListener("click", () => this.openMenu(card.id));
    const el = h(
      "article",
      { class: "wc-card", tabindex: "0", dataset: { card: card.id } },
      text,
      meta,
      menuButton,
    );
    const entry = { el, text, meta, menuButton, sig: null, place: null };
    this.cardEls.set(card.id, entry);
    this.layer.append(el);
    return entry;
  }

  fillCard(entry, card, cluster, movable) {
    entry.el.className = `wc-card ws-card--${card.color}`;
    entry.el.classList.toggle("wc-card--locked", Boolean(card.locked));
    entry.el.classList.toggle("wc-card--hidden", Boolean(card.hidden));
    entry.el.classList.toggle("wc-card--private", Boolean(card.private));
    entry.el.classList.toggle("wc-card--pinned", Boolean(card.pinned));
    entry.el.classList.toggle("wc-card--fixed", !movable);
    entry.text.textContent = card.text;
    const where = cluster ? ct("in_cluster", { title: cluster.title }) : ct("no_cluster");
    entry.el.setAttribute("aria-label", `${ct("card_label", { text: shorten(card.text, 120) })}, ${where}`);
    const meta = [];
    for (const flag of ["pinned", "locked", "hidden", "private"]) {
      if (card[flag]) meta.push(h("span", { class: `wc-badge wc-badge--${flag}`, text: ct(flag) }));
    }
    if (card.likes) meta.push(h("span", { class: "wc-count", text: tn("likes", card.likes) }));
    for (const [emoji, count] of Object.entries(card.reactions || {})) {
      if (count > 0) meta.push(h("span", { class: "wc-count", text: `${emoji} ${formatNumber(count)}` }));
    }
    entry.meta.replaceChildren(...meta);
    entry.menuButton.hidden = !this.hasMenu(card);
    entry.menuButton.setAttribute("aria-label", ct("actions_card", { text: shorten(card.text, 40) }));
  }

  placeCard(entry, place) {
    const key = `${place.x},${place.y}`;
    if (entry.place === key) return;
    entry.place = key;
    entry.el.style.transform = `translate(${place.x}px, ${place.y}px)`;
  }

  placeCardById(id) {
    const entry = this.cardEls.get(id);
    if (entry) this.placeCard(entry, this.placeOf(id));
  }

  // --- zoom and pan ------------------------------------------------------------------

  applyTransform() {
    this.layer.style.transform = `translate(${this.panX}px, ${this.panY}px) scale(${this.zoom})`;
    const lang = document.documentElement.lang || "de";
    const text = new Intl.NumberFormat(lang, { style: "percent", maximumFractionDigits: 0 }).format(this.zoom);
    if (this.zoomLabel && this.zoomLabel.textContent !== text) this.zoomLabel.textContent = text;
  }

  zoomAt(zoom, x, y) {
    const next = clamp(zoom, ZOOM_MIN, ZOOM_MAX);
    const [bx, by] = this.toBoard(x, y);
    this.zoom = next;
    this.panX = x - bx * next;
    this.panY = y - by * next;
    this.touched = true;
    this.applyTransform();
  }

  zoomBy(factor) {
    this.zoomAt(this.zoom * factor, this.viewport.clientWidth / 2, this.viewport.clientHeight / 2);
  }

  panBy(dx, dy) {
    this.panX += dx;
    this.panY += dy;
    this.touched = true;
    this.applyTransform();
  }

  bounds() {
    let box = null;
    const add = (x, y, w, hgt) => {
      if (!box) box = { x0: x, y0: y, x1: x + w, y1: y + hgt };
      else {
        box.x0 = Math.min(box.x0, x);
        box.y0 = Math.min(box.y0, y);
        box.x1 = Math.max(box.x1, x + w);
        box.y1 = Math.max(box.y1, y + hgt);
      }
    };
    for (const area of this.clusterPos.values()) add(area.x, area.y, area.w, area.h);
    for (const place of this.cardPos.values()) add(place.x, place.y, CARD_W, CARD_H);
    for (const group of groupList(this.state.groups)) {
      if (group && typeof group.x === "number") add(group.x, group.y, group.w || 0, group.h || 0);
    }
    return box && { x: box.x0, y: box.y0, w: box.x1 - box.x0, h: box.y1 - box.y0 };
  }

  // Shows a board rectangle whole and centred, at most at maxZoom.
  showRect(rect, maxZoom = 1) {
    const vw = this.viewport.clientWidth;
    const vh = this.viewport.clientHeight;
    if (!vw || !vh) return false;
    const zoom = clamp(Math.min(vw / (rect.w + PAD * 2), vh / (rect.h + PAD * 2), maxZoom), ZOOM_MIN, ZOOM_MAX);
    this.zoom = zoom;
    this.panX = vw / 2 - (rect.x + rect.w / 2) * zoom;
    this.panY = vh / 2 - (rect.y + rect.h / 2) * zoom;
    this.applyTransform();
    return true;
  }

  fit() {
    if (this.mode !== "canvas") return;
    this.layout();
    const box = this.bounds();
    // An empty board is not "fitted": the first cards still get the whole view.
    if (this.showRect(box || { x: 0, y: 0, w: 800, h: 500 }, 1) && box) this.fitted = true;
  }

  // Brings a card, cluster, group or the whole board into view ("follow me").
  focusTarget(kind, id) {
    if (this.mode !== "canvas") {
      const selector =
        kind === "card" ? `#karte-${Number(id)}` : kind === "cluster" ? `.ws-cluster[data-cluster="${Number(id)}"]` : null;
      const el = selector && document.querySelector(selector);
      el?.scrollIntoView({ block: "center", behavior: "smooth" });
      return Boolean(el);
    }
    this.root.scrollIntoView?.({ block: "nearest" });
    this.layout();
    let rect = null;
    if (kind === "card" && this.state.cards.has(id)) rect = { ...this.placeOf(id), w: CARD_W, h: CARD_H };
    else if (kind === "cluster" && this.clusterPos.has(id)) rect = this.clusterPos.get(id);
    else if (kind === "group") {
      const group = groupList(this.state.groups).find((g) => g?.id === id);
      if (group && typeof group.x === "number") rect = { x: group.x, y: group.y, w: group.w, h: group.h };
    }
    if (!rect) {
      this.fit();
      return kind === "board";
    }
    this.touched = true;
    this.showRect(rect, 1.25);
    return true;
  }

  // Marks a card, cluster or group for a moment (what the facilitator points to).
  highlight(kind, id, ms = 3000) {
    const els = [];
    if (kind === "card") els.push(this.cardEls.get(id)?.el, document.getElementById(`karte-${id}`));
    if (kind === "cluster") {
      els.push(this.clusterEls.get(id)?.el, document.querySelector(`.ws-cluster[data-cluster="${Number(id)}"]`));
    }
    if (kind === "group") els.push(this.groupEls.get(id));
    for (const el of els) {
      if (!el) continue;
      el.classList.add("wc-highlight");
      setTimeout(() => el.classList.remove("wc-highlight"), ms);
    }
  }

  // Keeps a focused card or label inside the visible part of the board.
  revealFocused(target) {
    const item = target.closest?.(".wc-card, .wc-cluster__label");
    // Only keyboard focus: a press with the mouse or a finger must not move the view under it.
    if (!item || this.mode !== "canvas" || !item.matches(":focus-visible")) return;
    const vp = this.viewport.getBoundingClientRect();
    const rect = item.getBoundingClientRect();
    let dx = 0;
    let dy = 0;
    if (rect.left < vp.left) dx = vp.left - rect.left + 16;
    else if (rect.right > vp.right) dx = vp.right - rect.right - 16;
    if (rect.top < vp.top) dy = vp.top - rect.top + 16;
    else if (rect.bottom > vp.bottom) dy = vp.bottom - rect.bottom - 16;
    if (dx || dy) this.panBy(dx, dy);
  }

  // --- pointer: drag cards and clusters, pan and pinch the background ------------------

  // During a pan or pinch the layer is its own compositor layer, so each frame only moves
  // a picture of it; afterwards it is drawn once, sharp, at the new scale.
  gesture(on) {
    this.layer.classList.toggle("wc-layer--gesture", on);
  }

  pointerDown(event) {
    if (event.button !== 0 && event.pointerType === "mouse") return;
    if (event.target.closest(".wc-menu")) return;
    this.closeMenu(false);
    const cardEl = event.target.closest(".wc-card");
    const labelEl = event.target.closest(".wc-cluster__label");
    const [x, y] = this.local(event);
    if (!this.spaceDown && cardEl) {
      const card = this.state.cards.get(Number(cardEl.dataset.card));
      if (card && this.mayMove(card) && !this.drag) {
        const place = this.placeOf(card.id);
        this.startDrag(event, { kind: "card", id: card.id, x: place.x, y: place.y, px: x, py: y });
        return;
      }
    }
    const resizeEl = event.target.closest(".wc-cluster__resize");
    if (!this.spaceDown && resizeEl && this.mayMoveClusters && !this.drag) {
      const id = Number(resizeEl.dataset.cluster);
      const area = this.areaOf(id);
      if (area) {
        this.startDrag(event, { kind: "resize", id, x: area.w, y: area.h, px: x, py: y });
        return;
      }
    }
    if (!this.spaceDown && labelEl && this.mayMoveClusters && !this.drag) {
      const id = Number(labelEl.dataset.cluster);
      const area = this.clusterPos.get(id);
      if (area) {
        const cards = new Map();
        for (const card of this.state.cards.values()) if (card.cluster === id) cards.set(card.id, this.placeOf(card.id));
        this.startDrag(event, { kind: "cluster", id, x: area.x, y: area.y, px: x, py: y, cards });
        return;
      }
    }
    // The background (or anything with space held): pan, and with two fingers pinch.
    event.preventDefault();
    this.gesture(true);
    this.viewport.setPointerCapture?.(event.pointerId);
    this.pointers.set(event.pointerId, { x, y });
    this.pinch = null;
    if (this.pointers.size === 2) {
      const [a, b] = [...this.pointers.values()];
      this.pinch = { distance: Math.hypot(a.x - b.x, a.y - b.y) || 1, zoom: this.zoom, mid: [(a.x + b.x) / 2, (a.y + b.y) / 2] };
    }
  }

  // The pointer is captured once the press becomes a drag, so that a press on a card's
  // button (touch lands there often) stays a click.
  startDrag(event, drag) {
    this.drag = {
      ...drag,
      onButton: Boolean(event.target.closest("button")) && drag.kind === "card",
      pointer: event.pointerId,
      startX: drag.x,
      startY: drag.y,
      active: false,
      source: "pointer",
    };
  }

  pointerMove(event) {
    const [x, y] = this.local(event);
    const drag = this.drag;
    if (drag && drag.source === "pointer" && drag.pointer === event.pointerId) {
      const dx = x - drag.px;
      const dy = y - drag.py;
      if (!drag.active && Math.hypot(dx, dy) < DRAG_THRESHOLD) return;
      event.preventDefault();
      if (!drag.active) {
        drag.active = true;
        this.viewport.setPointerCapture?.(event.pointerId);
        this.dragElement()?.classList.add("wc-dragging");
      }
      drag.x = Math.round(drag.startX + dx / this.zoom);
      drag.y = Math.round(drag.startY + dy / this.zoom);
      if (drag.kind === "resize") [drag.x, drag.y] = [clamp(drag.x, AREA_MIN, AREA_MAX), clamp(drag.y, AREA_MIN, AREA_MAX)];
      this.showDrag();
      return;
    }
    const previous = this.pointers.get(event.pointerId);
    if (!previous) return;
    event.preventDefault();
    this.pointers.set(event.pointerId, { x, y });
    if (this.pointers.size >= 2 && this.pinch) {
      const [a, b] = [...this.pointers.values()];
      const mid = [(a.x + b.x) / 2, (a.y + b.y) / 2];
      this.panBy(mid[0] - this.pinch.mid[0], mid[1] - this.pinch.mid[1]);
      this.pinch.mid = mid;
      const distance = Math.hypot(a.x - b.x, a.y - b.y) || 1;
      this.zoomAt((this.pinch.zoom * distance) / this.pinch.distance, mid[0], mid[1]);
    } else if (this.pointers.size === 1) {
      this.panBy(x - previous.x, y - previous.y);
    }
  }

  pointerUp(event, cancelled) {
    const drag = this.drag;
    if (drag && drag.source === "pointer" && drag.pointer === event.pointerId) {
      this.drag = null;
      this.dragElement(drag)?.classList.remove("wc-dragging");
      if (!drag.active) {
        // A press without movement: a click, which focuses the card or label.
        if (!cancelled && !drag.onButton) {
          const entry = drag.kind === "card" ? this.cardEls.get(drag.id) : this.clusterEls.get(drag.id);
          (drag.kind === "card" ? entry?.el : drag.kind === "resize" ? entry?.resize : entry?.label)?.focus();
        }
        return;
      }
      if (cancelled) this.cancelMove(drag);
      else this.commit(drag);
      return;
    }
    this.pointers.delete(event.pointerId);
    if (this.pointers.size < 2) this.pinch = null;
    if (this.pointers.size === 0) this.gesture(false);
  }

  dragElement(drag = this.drag) {
    if (!drag) return null;
    return drag.kind === "card" ? this.cardEls.get(drag.id)?.el : this.clusterEls.get(drag.id)?.el;
  }

  // Draws the drag in progress and sends its position now and then.
  showDrag() {
    const drag = this.drag;
    if (drag.kind === "card") {
      this.placeCardById(drag.id);
    } else {
      const entry = this.clusterEls.get(drag.id);
      if (entry) this.placeCluster(entry, this.areaOf(drag.id));
      for (const id of drag.cards?.keys() ?? []) this.placeCardById(id);
    }
    this.sendDrag();
  }

  sendDrag(force = false) {
    const drag = this.drag;
    if (!drag || drag.kind !== "card") return;
    const now = performance.now();
    const wait = DRAG_EVERY_MS - (now - this.lastDragSent);
    if (!force && wait > 0) {
      // The last position is sent when the time has come, not lost.
      if (!this.dragTimer) this.dragTimer = setTimeout(() => {
        this.dragTimer = null;
        this.sendDrag();
      }, wait);
      return;
    }
    clearTimeout(this.dragTimer);
    this.dragTimer = null;
    this.lastDragSent = now;
    this.view.client.sendTransient?.("card.drag", { card: drag.id, x: drag.x, y: drag.y });
  }

  // The cluster whose area holds a point (the smallest, if areas overlap); null if none.
  clusterAt(x, y, except = null) {
    let best = null;
    for (const [id, area] of this.clusterPos) {
      if (id === except) continue;
      if (x >= area.x && x <= area.x + area.w && y >= area.y && y <= area.y + area.h) {
        if (!best || area.w * area.h < best.area) best = { id, area: area.w * area.h };
      }
    }
    return best ? best.id : null;
  }

  // The drop: one card.move or cluster.move; the card stays where it was dropped until the
  // event arrives (or goes back if the server refuses).
  async commit(drag) {
    clearTimeout(this.dragTimer);
    this.dragTimer = null;
    if (drag.x === drag.startX && drag.y === drag.startY) return;
    if (drag.kind === "card") {
      const card = this.state.cards.get(drag.id);
      if (!card) return;
      // Without the right to cluster, the card keeps its cluster wherever it lands.
      const cluster = this.mayRecluster(card) ? this.clusterAt(drag.x + CARD_W / 2, drag.y + CARD_H / 2) : undefined;
      this.moveCard(drag.id, drag.x, drag.y, cluster);
    } else if (drag.kind === "resize") {
      this.resizeCluster(drag.id, drag.x, drag.y);
    } else {
      for (const [id, start] of drag.cards) {
        this.settling.set(id, { x: start.x + drag.x - drag.startX, y: start.y + drag.y - drag.startY });
      }
      const area = this.clusterPos.get(drag.id);
      if (area) Object.assign(area, { x: drag.x, y: drag.y });
      const cluster = this.state.clusters.get(drag.id);
      const before = cluster ? { x: cluster.x, y: cluster.y } : null;
      if (cluster) Object.assign(cluster, { x: drag.x, y: drag.y }); // shown at once; the event confirms
      const ack = await this.view.command("cluster.move", { cluster: drag.id, x: drag.x, y: drag.y }, this.view.el.error);
      if (!ack && cluster && before && cluster.x === drag.x && cluster.y === drag.y) Object.assign(cluster, before);
      this.settleAfter(ack, [...drag.cards.keys()]);
    }
  }

  // The new size is drawn at once (``sizing``) and until its event comes or it is refused.
  async resizeCluster(id, w, h) {
    const area = this.clusterPos.get(id);
    if (!area) return;
    const size = { w: clamp(Math.round(w), AREA_MIN, AREA_MAX), h: clamp(Math.round(h), AREA_MIN, AREA_MAX) };
    this.sizing.set(id, size);
    this.render();
    const ack = await this.view.command("cluster.move", { cluster: id, x: area.x, y: area.y, ...size }, this.view.el.error);
    if (!ack || (typeof ack.seq === "number" && this.view.client.seq !== null && this.view.client.seq >= ack.seq)) {
      this.sizing.delete(id);
      this.render();
    }
  }

  async moveCard(id, x, y, cluster) {
    const place = { x: Math.round(clamp(x, -LIMIT, LIMIT)), y: Math.round(clamp(y, -LIMIT, LIMIT)) };
    this.settling.set(id, place);
    this.placeCardById(id);
    const fields = { card: id, ...place };
    if (cluster !== undefined) fields.cluster = cluster;
    const ack = await this.view.command("card.move", fields, this.view.el.error);
    this.settleAfter(ack, [id]);
  }

  settleAfter(ack, ids) {
    // Refused, or acknowledged with its event already applied: draw from the state again.
    if (!ack || (typeof ack.seq === "number" && this.view.client.seq !== null && this.view.client.seq >= ack.seq)) {
      for (const id of ids) this.settling.delete(id);
      this.render();
    }
  }

  cancelMove(drag) {
    clearTimeout(this.dragTimer);
    this.dragTimer = null;
    if (drag.kind === "card") {
      // Other screens go back to the stored place too.
      this.view.client.sendTransient?.("card.drag", { card: drag.id, x: drag.startX, y: drag.startY });
    }
    this.render();
  }

  // --- keyboard ----------------------------------------------------------------------

  keyDown(event) {
    if (typing(event.target) || event.altKey) return;
    const cardEl = event.target.closest?.(".wc-card");
    const onCard = cardEl && event.target === cardEl;
    const labelEl = event.target.closest?.(".wc-cluster__label");
    const resizeEl = event.target.closest?.(".wc-cluster__resize");
    const arrows = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
    if (event.key === " " && !onCard && !labelEl && event.target === this.viewport) {
      this.spaceDown = true;
      event.preventDefault();
      return;
    }
    if (event.key in arrows && !event.ctrlKey && !event.metaKey) {
      const [dx, dy] = arrows[event.key];
      const step = event.shiftKey ? KEY_STEP_BIG : KEY_STEP;
      if (onCard) {
        const card = this.state.cards.get(Number(cardEl.dataset.card));
        if (card && this.mayMove(card)) {
          event.preventDefault();
          this.keyMove("card", card.id, dx * step, dy * step);
        }
      } else if (labelEl) {
        if (this.mayMoveClusters) {
          event.preventDefault();
          this.keyMove("cluster", Number(labelEl.dataset.cluster), dx * step, dy * step);
        }
      } else if (resizeEl) {
        if (this.mayMoveClusters) {
          event.preventDefault();
          this.keyMove("resize", Number(resizeEl.dataset.cluster), dx * step, dy * step);
        }
      } else if (event.target === this.viewport) {
        event.preventDefault();
        this.panBy(-dx * step * 2, -dy * step * 2);
      }
      return;
    }
    if (event.key === "Escape" && this.drag) {
      event.preventDefault();
      const drag = this.drag;
      this.drag = null;
      clearTimeout(this.keyTimer);
      this.dragElement(drag)?.classList.remove("wc-dragging");
      this.cancelMove(drag);
      this.view.announcer.now(ct("move_cancelled"));
      return;
    }
    if (onCard && (event.key === "Enter" || event.key === "m")) {
      const card = this.state.cards.get(Number(cardEl.dataset.card));
      if (card && this.hasMenu(card)) {
        event.preventDefault();
        this.openMenu(card.id);
      }
      return;
    }
    if (event.ctrlKey || event.metaKey) return;
    if (event.key === "+" || event.key === "=") {
      event.preventDefault();
      this.zoomBy(ZOOM_STEP);
    } else if (event.key === "-") {
      event.preventDefault();
      this.zoomBy(1 / ZOOM_STEP);
    } else if (event.key === "0") {
      event.preventDefault();
      this.fit();
    }
  }

  // Arrow keys move step by step (drag frames meanwhile); the move is sent once the keys
  // rest for KEY_IDLE_MS.
  keyMove(kind, id, dx, dy) {
    let drag = this.drag;
    if (!drag || drag.source !== "keys" || drag.kind !== kind || drag.id !== id) {
      if (drag?.source === "keys") this.finishKeys();
      if (this.drag) return; // a pointer drag is under way
      let start;
      const cards = new Map();
      if (kind === "card") start = this.placeOf(id);
      else if (kind === "resize") {
        const area = this.areaOf(id);
        start = area && { x: area.w, y: area.h };
      } else {
        start = this.clusterPos.get(id);
        for (const card of this.state.cards.values()) if (card.cluster === id) cards.set(card.id, this.placeOf(card.id));
      }
      if (!start) return;
      drag = { kind, id, x: start.x, y: start.y, startX: start.x, startY: start.y, cards, active: true, source: "keys" };
      this.drag = drag;
      this.dragElement()?.classList.add("wc-dragging");
    }
    drag.x += dx;
    drag.y += dy;
    if (kind === "resize") [drag.x, drag.y] = [clamp(drag.x, AREA_MIN, AREA_MAX), clamp(drag.y, AREA_MIN, AREA_MAX)];
    this.showDrag();
    this.revealFocused(document.activeElement);
    clearTimeout(this.keyTimer);
    this.keyTimer = setTimeout(() => this.finishKeys(), KEY_IDLE_MS);
  }

  finishKeys() {
    clearTimeout(this.keyTimer);
    const drag = this.drag;
    if (!drag || drag.source !== "keys") return;
    this.drag = null;
    this.dragElement(drag)?.classList.remove("wc-dragging");
    this.commit(drag);
  }

  // --- a card's menu: move to a cluster, react, like; the facilitator's card tools ------

  mayMoveTo(card) {
    return this.mayRecluster(card) && this.state.clusters.size > 0;
  }

  mayReact(card) {
    return this.state.mayComment && !card.private;
  }

  mayUseTools(card) {
    return this.state.isFacilitator && this.state.boardOpen && !card.private;
  }

  hasMenu(card) {
    return this.mayMoveTo(card) || this.mayReact(card) || this.mayUseTools(card);
  }

  openMenu(cardId) {
    const card = this.state.cards.get(cardId);
    const entry = this.cardEls.get(cardId);
    if (!card || !entry || !this.hasMenu(card)) return;
    this.closeMenu(false);
    this.menuCard = cardId;
    entry.menuButton.setAttribute("aria-expanded", "true");
    this.view.showError(this.menuError, "");
    this.fillMenu(card);
    this.menu.hidden = false;
    // Next to the card, inside the visible board.
    const place = this.placeOf(cardId);
    const vw = this.viewport.clientWidth;
    const vh = this.viewport.clientHeight;
    const left = clamp(this.panX + place.x * this.zoom, 4, Math.max(4, vw - this.menu.offsetWidth - 4));
    const top = clamp(this.panY + (place.y + CARD_H) * this.zoom, 4, Math.max(4, vh - this.menu.offsetHeight - 4));
    this.menu.style.left = `${left}px`;
    this.menu.style.top = `${top}px`;
    this.menu.querySelector("button")?.focus({ preventScroll: true });
  }

  // The menu's contents for this card as it is now; redrawn when the card changes while
  // the menu is open (focus stays on the control with the same key).
  fillMenu(card) {
    const state = this.state;
    const mine = reactionList().map(([emoji]) => hasReacted(state, card.id, emoji));
    this.menuSig = this.menuSignature(card);
    const focused = this.menu.contains(document.activeElement) ? document.activeElement.dataset.key : null;
    this.menuError ??= h("p", { class: "form-error", role: "alert", hidden: true });
    const error = this.menuError;
    const send = (type, fields) => this.view.command(type, { card: card.id, ...fields }, error);
    const sections = [];
    if (this.mayMoveTo(card)) {
      const choose = (clusterId) => {
        this.closeMenu(false);
        this.cardEls.get(card.id)?.el.focus({ preventScroll: true });
        this.moveToCluster(card.id, clusterId);
      };
      const clusters = [...state.clusters.values()].sort((a, b) => a.id - b.id);
      const items = clusters.map((cluster) =>
        h("li", {}, h("button", {
          type: "button",
          text: cluster.title,
          "aria-current": card.cluster === cluster.id ? "true" : null,
          dataset: { key: `cluster-${cluster.id}` },
          onclick: () => choose(cluster.id),
        })),
      );
      items.push(h("li", {}, h("button", {
        type: "button",
        text: ct("move_none"),
        "aria-current": card.cluster ? null : "true",
        dataset: { key: "cluster-none" },
        onclick: () => choose(null),
      })));
      sections.push(h("p", { class: "wc-menu__title", text: ct("move_to_card", { text: shorten(card.text, 40) }) }));
      sections.push(h("ul", {}, items));
    }
    if (this.mayReact(card)) {
      const buttons = reactionList().map(([emoji, name], index) => {
        const count = card.reactions?.[emoji] || 0;
        return h(
          "button",
          {
            type: "button",
            class: "ws-reaction",
            "aria-pressed": String(mine[index]),
            "aria-label": t("reaction_button", { name, n: formatNumber(count) }),
            dataset: { key: `react-${emoji}` },
            onclick: () => send("card.react", { emoji, on: !mine[index] }),
          },
          h("span", { "aria-hidden": "true", text: `${emoji} ${formatNumber(count)}` }),
        );
      });
      const liked = state.myLikes.has(card.id);
      buttons.push(h("button", {
        type: "button",
        class: "ws-like",
        "aria-pressed": String(liked),
        dataset: { key: "like" },
        text: `${t("like")} (${formatNumber(card.likes || 0)})`,
        onclick: () => send(liked ? "card.unlike" : "card.like", {}),
      }));
      sections.push(h("div", { class: "ws-reactions wc-menu__row", role: "group", "aria-label": t("reactions_label") }, buttons));
    }
    if (this.mayUseTools(card)) {
      const toggle = (flag, label) => h("button", {
        type: "button",
        class: "ws-small ws-toggle",
        "aria-pressed": String(Boolean(card[flag])),
        dataset: { key: flag },
        text: label,
        onclick: () => send("card.set", { [flag]: !card[flag] }),
      });
      const colorId = `wc-menu-color-${card.id}`;
      const color = h(
        "select",
        { id: colorId, dataset: { key: "color" } },
        Object.entries(choices("colors")).map(([value, label]) => h("option", { value, text: label, selected: value === card.color })),
      );
      color.addEventListener("change", () => send("card.set", { color: color.value }));
      sections.push(
        h("div", { class: "wc-menu__row", role: "group", "aria-label": t("card_menu") },
          toggle("locked", t("card_lock")), toggle("pinned", t("card_pin")), toggle("hidden", t("card_hide"))),
        h("p", { class: "wc-menu__row" }, h("label", { for: colorId, text: t("card_color") }), " ", color),
      );
    }
    this.menu.setAttribute("aria-label", ct("actions_card", { text: shorten(card.text, 40) }));
    this.menu.replaceChildren(
      ...sections,
      error,
      h("button", { type: "button", class: "ws-secondary ws-small", text: ct("menu_close"), dataset: { key: "close" }, onclick: () => this.closeMenu(true) }),
    );
    if (focused) this.menu.querySelector(`[data-key="${CSS.escape(focused)}"]`)?.focus({ preventScroll: true });
  }

  // While the menu is open: its card changed (a reaction counted, a lock) or went away.
  refreshMenu() {
    if (this.menu.hidden || this.menuCard === null) return;
    const card = this.state.cards.get(this.menuCard);
    if (!card || !this.hasMenu(card)) {
      this.closeMenu(false);
      return;
    }
    if (this.menuSignature(card) !== this.menuSig) this.fillMenu(card);
  }

  menuSignature(card) {
    const state = this.state;
    const mine = reactionList().map(([emoji]) => hasReacted(state, card.id, emoji));
    const clusters = [...state.clusters.values()].map((c) => [c.id, c.title]);
    return JSON.stringify([card, mine, state.myLikes.has(card.id), this.hasMenu(card), state.isFacilitator, clusters]);
  }

  closeMenu(returnFocus) {
    if (this.menu.hidden) return;
    const entry = this.cardEls.get(this.menuCard);
    this.menu.hidden = true;
    this.menu.replaceChildren();
    this.menuCard = null;
    entry?.menuButton.setAttribute("aria-expanded", "false");
    if (returnFocus) entry?.menuButton.focus({ preventScroll: true });
  }

  // A free place in the cluster's area (after its cards), or outside every area.
  moveToCluster(cardId, clusterId) {
    this.layout();
    if (clusterId === null) {
      const place = this.placeOf(cardId);
      if (this.clusterAt(place.x + CARD_W / 2, place.y + CARD_H / 2) === null) {
        this.moveCard(cardId, place.x, place.y, null);
        return;
      }
      let right = 0;
      for (const area of this.clusterPos.values()) right = Math.max(right, area.x + area.w);
      this.moveCard(cardId, right + PAD, place.y, null);
      return;
    }
    const area = this.clusterPos.get(clusterId);
    if (!area) return;
    const taken = [...this.state.cards.values()].filter((c) => c.cluster === clusterId && c.id !== cardId);
    const cols = Math.max(1, Math.floor((area.w - GAP) / (CARD_W + GAP)));
    const free = (x, y) =>
      !taken.some((other) => {
        const at = this.placeOf(other.id);
        return Math.abs(at.x - x) < CARD_W && Math.abs(at.y - y) < CARD_H;
      });
    for (let index = 0; index < 200; index += 1) {
      const x = area.x + GAP + (index % cols) * (CARD_W + GAP);
      const y = area.y + LABEL_H + Math.floor(index / cols) * (CARD_H + GAP);
      if (free(x, y) || index === 199) {
        // The centre must land inside the area for the server to agree on the cluster.
        const cy = Math.min(y, area.y + area.h - CARD_H / 2 - 1);
        this.moveCard(cardId, x, cy, clusterId);
        return;
      }
    }
  }

  // --- other screens ---------------------------------------------------------------------

  // Someone is dragging: shown at once, without touching the state.
  showMoving(frame) {
    const me = this.state.you?.id;
    const now = performance.now();
    for (const item of frame.cards || []) {
      if (item.by !== undefined && item.by === me) continue;
      if (this.drag?.kind === "card" && this.drag.id === item.id) continue;
      this.moving.set(item.id, { x: item.x, y: item.y, at: now });
      if (this.mode === "canvas") this.placeCardById(item.id);
    }
  }

  sweepMoving() {
    const now = performance.now();
    for (const [id, place] of this.moving) {
      if (now - place.at > MOVING_STALE_MS) {
        this.moving.delete(id);
        if (this.mode === "canvas") this.placeCardById(id);
      }
    }
  }

  onEvent(frame, note) {
    const data = frame.data || {};
    if (frame.name === "card.moved") {
      this.moving.delete(data.id);
      this.settling.delete(data.id);
    }
    if (frame.name === "cluster.moved") {
      for (const card of data.cards || []) this.settling.delete(card.id);
      this.sizing.delete(data.id);
    }
    if (note.moved) {
      const { card, from, to } = note.moved;
      const text = shorten(card.text);
      let said;
      if (to && to !== from) said = ct("moved_to", { text, title: this.state.clusters.get(to)?.title ?? "" });
      else if (!to && from) said = ct("moved_out", { text });
      else said = ct("moved", { text });
      this.view.announcer.add("moves", said, (items) => items.slice(-3).join(" "));
    }
    if (note.clusterMoved) {
      const said = ct(note.resized ? "cluster_resized" : "cluster_moved", { title: note.clusterMoved.title });
      this.view.announcer.add("moves", said, (items) => items.slice(-3).join(" "));
    }
  }
}

export function attachCanvas(view) {
  const root = document.getElementById("ws-canvas");
  if (!root) return null;
  return new BoardCanvas(view, root);
}
