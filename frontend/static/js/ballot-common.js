// Shared helpers of the consultation pages: page data, translated strings, DOM building, API calls.

export function readJson(id, fallback) {
  const node = document.getElementById(id);
  if (!node) return fallback;
  try {
    return JSON.parse(node.textContent);
  } catch {
    return fallback;
  }
}

// Texts come from the template (json_script) in the page's language.
const STRINGS = readJson("ballot-strings", {});

// t("key", {n: 3}) fills {n}; an unknown key shows the key itself, which makes gaps visible.
export function t(key, params = {}) {
  const text = STRINGS[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in params ? String(params[name]) : whole));
}

export function tn(key, n, params = {}) {
  return t(`${key}_${n === 1 ? "one" : "other"}`, { n: formatNumber(n), ...params });
}

function language() {
  return document.documentElement.lang || "de";
}

export function formatNumber(value) {
  return new Intl.NumberFormat(language(), { maximumFractionDigits: 2 }).format(value);
}

export function formatMoney(value) {
  const whole = Number.isInteger(value);
  return new Intl.NumberFormat(language(), {
    style: "currency",
    currency: "EUR",
    minimumFractionDigits: whole ? 0 : 2,
    maximumFractionDigits: whole ? 0 : 2,
  }).format(value);
}

// Builds an element; text is always set as text, never parsed as HTML.
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "class") el.className = value;
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

function csrfToken(form) {
  const field = form?.querySelector('input[name="csrfmiddlewaretoken"]');
  if (field) return field.value;
  const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
  return match ? decodeURIComponent(match[1]) : "";
}

// The server's messages in the page's language, whatever the browser or an earlier choice says.
export function inPageLanguage(url) {
  const address = new URL(url, window.location.href);
  address.searchParams.set("lang", language());
  return address.origin === window.location.origin ? `${address.pathname}${address.search}` : address.href;
}

// One REST call: {ok, status, data}. status 0 means the server was not reached.
export async function api(method, url, { body, code, form } = {}) {
  const headers = { Accept: "application/json", "X-CSRFToken": csrfToken(form) };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (code) headers["X-Access-Code"] = code;
  let response;
  try {
    response = await fetch(inPageLanguage(url), {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "same-origin",
    });
  } catch {
    return { ok: false, status: 0, data: null };
  }
  let data = null;
  if ((response.headers.get("Content-Type") || "").includes("json")) {
    try {
      data = await response.json();
    } catch {
      data = null;
    }
  }
  return { ok: response.ok, status: response.status, data };
}

// The server's own words: {"detail": "..."} or {"field": ["...", ...]}.
export function serverDetail(data) {
  if (!data || typeof data !== "object") return "";
  if (typeof data.detail === "string") return data.detail;
  return Object.values(data)
    .flat()
    .filter((item) => typeof item === "string")
    .join(" ");
}

export function errorField(data) {
  if (!data || typeof data !== "object" || typeof data.detail === "string") return null;
  return Object.keys(data)[0] || null;
}

function leadText(status) {
  if (status === 0) return t("network_error");
  if (status >= 500) return t("error_500");
  if ([400, 401, 403, 404, 409, 429].includes(status)) return t(`error_${status}`);
  return t("submit_failed");
}

// Fills an error box (role=alert) with what went wrong; 401 gets a link to sign in.
export function showError(box, result, loginUrl) {
  box.hidden = false;
  box.replaceChildren();
  const lead = h("p", {}, leadText(result.status));
  if (result.status === 401 && loginUrl) lead.append(" ", h("a", { href: loginUrl }, t("login")));
  box.append(lead);
  const detail = serverDetail(result.data);
  if (detail && result.status !== 401) box.append(h("p", { class: "ballot-error__detail" }, t("server_says", { detail })));
}

export function showMessage(box, text) {
  box.hidden = false;
  box.replaceChildren(h("p", {}, text));
}

export function clearError(box) {
  box.hidden = true;
  box.replaceChildren();
}

// A message tied to one field: aria-invalid plus the message in the field's description.
export function markField(field, messageNode, text) {
  field.setAttribute("aria-invalid", "true");
  if (messageNode) {
    messageNode.textContent = text;
    messageNode.hidden = false;
    const ids = new Set((field.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean));
    ids.add(messageNode.id);
    field.setAttribute("aria-describedby", [...ids].join(" "));
  }
}

export function unmarkField(field, messageNode) {
  field.removeAttribute("aria-invalid");
  if (messageNode) {
    messageNode.hidden = true;
    messageNode.textContent = "";
  }
}

// A participant's short text sent to the API (a pairwise proposal, an opinion map's
// statement): the text must not be empty, the access code (when asked) is taken from the
// ballot's own field, and the form says what became of it.
export function sendText(form, { field, errorBox, status, access, url, loginUrl, missing, body, sent }) {
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearError(errorBox);
    status.textContent = "";
    field.removeAttribute("aria-invalid");
    const text = field.value.trim();
    if (!text) {
      field.setAttribute("aria-invalid", "true");
      errorBox.hidden = false;
      errorBox.textContent = missing;
      field.focus();
      return;
    }
    if (access.field && !access.value()) {
      markField(access.field, access.error, t("code_missing"));
      access.field.focus();
      return;
    }
    const payload = body(text);
    if (access.value()) payload.access_code = access.value();
    const result = await api("POST", url, { body: payload, form });
    if (!result.ok) {
      showError(errorBox, result, loginUrl);
      return;
    }
    status.textContent = sent(text);
    form.reset();
  });
}
