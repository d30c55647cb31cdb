// Opinion map: answer the shown statement (agree, disagree, pass) and get the next one,
// propose an own statement, and swap in the map the server recounts every few seconds.

import { api, clearError, errorField, markField, sendText, showError, t, unmarkField } from "./ballot-common.js";

const REFRESH_MS = 5000;

export function setupOpinion(data, access) {
  const form = document.getElementById("statement-form");
  if (form) setupAnswers(form, data, access);
  setupStatement(data, access);
  watchMap(data);
}

function setupAnswers(form, data, access) {
  const card = document.getElementById("statement-card");
  const text = document.getElementById("statement-text");
  const progress = document.getElementById("statement-progress");
  const idField = document.getElementById("statement-id");
  const done = document.getElementById("statement-done");
  const status = document.getElementById("statement-status");
  const errorBox = document.getElementById("statement-error");
  let busy = false;

  function show(next) {
    if (!next.statement) {
      card.hidden = true;
      done.hidden = false;
      done.textContent = next.total ? t("statements_done") : t("statements_none");
      idField.value = "";
      return;
    }
    idField.value = next.statement.id;
    text.textContent = next.statement.text;
    progress.textContent = t("statements_progress", { done: next.answered, total: next.total });
    card.hidden = false;
    done.hidden = true;
  }

  function failed(result) {
    showError(errorBox, result, data.login_url);
    if (access.field && (result.status === 403 || errorField(result.data) === "access_code")) {
      markField(access.field, access.error, errorBox.textContent);
    }
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (busy) return;
    clearError(errorBox);
    if (access.field) unmarkField(access.field, access.error);
    if (access.field && !access.value()) {
      markField(access.field, access.error, t("code_missing"));
      access.field.focus();
      return;
    }
    const value = Number(event.submitter?.value);
    const statement = Number(idField.value);
    if (!statement || ![1, -1, 0].includes(value)) return;
    busy = true;
    form.setAttribute("aria-busy", "true");
    try {
      const body = { statement, value };
      if (access.value()) body.access_code = access.value();
      const result = await api("POST", data.api.answers, { body, form });
      if (!result.ok) {
        failed(result);
        return;
      }
      show(result.data);
      // Focus stays on the pressed button; the live region reads the next statement.
      // (When none is left, the text below the card says so; the live region only confirms.)
      status.textContent = result.data.statement
        ? `${t("statement_saved")} ${t("statement_next", { text: result.data.statement.text })}`
        : t("statement_saved");
      // The pressed button is gone with the card: focus goes to the text that says why.
      if (!result.data.statement) done.focus();
    } finally {
      busy = false;
      form.removeAttribute("aria-busy");
    }
  });
}

function setupStatement(data, access) {
  const form = document.getElementById("new-statement-form");
  if (!form) return;
  // The code is taken from the answer form's field above; the copy here is for pages without scripts.
  const ownCode = form.querySelector(".proposal-code");
  if (ownCode && access.field) ownCode.hidden = true;
  sendText(form, {
    field: form.querySelector('[name="text"]'),
    errorBox: document.getElementById("new-statement-error"),
    status: document.getElementById("new-statement-status"),
    access,
    url: data.api.statements,
    loginUrl: data.login_url,
    missing: t("statement_missing"),
    body: (text) => ({ text }),
    sent: () => t("statement_sent"),
  });
}

// The map is drawn by the server (one drawing, also without scripts); while the page is in
// view it fetches the drawing again every few seconds and swaps it in.
function watchMap(data) {
  const section = document.getElementById("opinion-map");
  if (!section || !data.accepting) return;
  const url = section.dataset.refresh;
  async function refresh() {
    if (document.hidden) return;
    let response;
    try {
      response = await fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } });
    } catch {
      return; // offline for a moment: the next turn tries again
    }
    if (!response.ok) return;
    const html = await response.text();
    const current = document.getElementById("opinion-map-content");
    const fresh = new DOMParser().parseFromString(html, "text/html").getElementById("opinion-map-content");
    if (current && fresh) current.replaceWith(document.importNode(fresh, true));
  }
  window.setInterval(refresh, REFRESH_MS);
  document.addEventListener("visibilitychange", () => {
    if (!document.hidden) refresh();
  });
}
