// Shared helpers of the workshop pages: DOM building, translated strings, stored tickets.

// Builds an element; text is always set as text, never parsed as HTML.
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "class") el.className = value;
    else if (name === "text") el.textContent = value;
    else if (name === "dataset") Object.assign(el.dataset, value);
    else if (name.startsWith("on") && typeof value === "function") el.addEventListener(name.slice(2), value);
    else if (value === true) el.setAttribute(name, "");
    else el.setAttribute(name, String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

function readJson(id, fallback) {
  const node = document.getElementById(id);
  if (!node) return fallback;
  try {
    return JSON.parse(node.textContent);
  } catch {
    return fallback;
  }
}

// The page's translated strings, passed in by the template (json_script).
const STRINGS = readJson("workshop-strings", {});

// t("key", {n: 3}) fills {n}; unknown keys show the key, which makes gaps visible.
export function t(key, params = {}) {
  const text = STRINGS[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in params ? String(params[name]) : whole));
}

// German and English both have one/other: "key_one" for 1, "key_other" otherwise.
export function tn(key, n, params = {}) {
  return t(`${key}_${n === 1 ? "one" : "other"}`, { n: formatNumber(n), ...params });
}

export function choices(name) {
  return STRINGS.choices?.[name] ?? {};
}

// A list the page passes with its strings, e.g. the reactions as [[emoji, name], …].
export function stringList(key) {
  return Array.isArray(STRINGS[key]) ? STRINGS[key] : [];
}

// Formatters are made once per language and precision: making one costs more than
// formatting (a board with 500 cards formats thousands of numbers).
const FORMATTERS = new Map();

export function formatNumber(value, digits = 0) {
  const lang = document.documentElement.lang || "de";
  const key = `${lang}:${digits}`;
  if (!FORMATTERS.has(key)) FORMATTERS.set(key, new Intl.NumberFormat(lang, { maximumFractionDigits: digits }));
  return FORMATTERS.get(key).format(value);
}

// The socket's address on this page's host; without a ticket the session is used.
// bundle=1: the client reads "events" frames (several events in one), see docs/protocol.md.
export function wsUrl(path, ticket) {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  const query = ticket ? `?ticket=${encodeURIComponent(ticket)}&bundle=1` : "?bundle=1";
  return `${scheme}//${location.host}${path}${query}`;
}

export function pageData() {
  const app = document.getElementById("workshop-app");
  return app ? { ...app.dataset, element: app } : null;
}

// --- stored join tickets (per workshop code, per slot: "" for people, "projector") ---

function ticketKey(code, slot) {
  return `workshop:${code}${slot ? `:${slot}` : ""}`;
}

export function loadTicket(code, slot = "") {
  try {
    const stored = JSON.parse(localStorage.getItem(ticketKey(code, slot)) || "null");
    return stored && typeof stored.ticket === "string" ? stored : null;
  } catch {
    return null;
  }
}

export function saveTicket(code, data, slot = "") {
  try {
    localStorage.setItem(ticketKey(code, slot), JSON.stringify(data));
  } catch {
    // Private mode without storage: the ticket lives only as long as the page.
  }
}

export function forgetTicket(code, slot = "") {
  try {
    localStorage.removeItem(ticketKey(code, slot));
  } catch {
    // nothing stored
  }
}

export function csrfToken() {
  const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
  if (match) return decodeURIComponent(match[1]);
  const input = document.querySelector("input[name=csrfmiddlewaretoken]");
  return input ? input.value : "";
}

// POST .../join. withSession=false sends no cookies, so a signed-in facilitator's
// projector still joins as a plain observer.
export async function joinWorkshop(url, body, { withSession = true } = {}) {
  // ?lang: the server's messages in the page's language, whatever the browser prefers.
  const address = new URL(url, window.location.href);
  address.searchParams.set("lang", document.documentElement.lang || "de");
  const response = await fetch(address.href, {
    method: "POST",
    credentials: withSession ? "same-origin" : "omit",
    headers: {
      "Content-Type": "application/json",
      Accept: "application/json",
      ...(withSession ? { "X-CSRFToken": csrfToken() } : {}),
    },
    body: JSON.stringify(body),
  });
  let data = null;
  try {
    data = await response.json();
  } catch {
    data = null;
  }
  if (!response.ok) {
    const error = new Error(errorText(data) || `HTTP ${response.status}`);
    error.status = response.status;
    throw error;
  }
  return data;
}

function errorText(data) {
  if (!data || typeof data !== "object") return "";
  if (typeof data.detail === "string") return data.detail;
  return Object.entries(data)
    .map(([field, messages]) => `${field}: ${[].concat(messages).join(" ")}`)
    .join(" ");
}

export function newId() {
  if (globalThis.crypto?.randomUUID) return crypto.randomUUID();
  // Pages served over plain http outside localhost have no randomUUID.
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

// A polite live region that batches messages, so a burst of new cards is one announcement.
export class Announcer {
  constructor(region, delay = 1500) {
    this.region = region;
    this.delay = delay;
    this.batch = new Map();
    this.timer = null;
  }

  // Messages with the same key are merged by compose(list) when the batch is read out.
  add(key, item, compose) {
    if (!this.region) return;
    if (!this.batch.has(key)) this.batch.set(key, { items: [], compose });
    this.batch.get(key).items.push(item);
    if (!this.timer) this.timer = setTimeout(() => this.flush(), this.delay);
  }

  // For direct feedback on one's own action (a dot placed): said at once.
  now(text) {
    if (this.region) this.region.textContent = text;
  }

  say(text) {
    this.add(`say:${text}`, text, (items) => items[0]);
  }

  flush() {
    this.timer = null;
    const parts = [...this.batch.values()].map(({ items, compose }) => compose(items));
    this.batch.clear();
    if (parts.length) this.region.textContent = parts.join(" ");
  }
}
