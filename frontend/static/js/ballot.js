// The consultation page: enhances the plain ballot form (which works without scripts) so
// that it is sent as JSON to PUT /api/consultations/{id}/ballot, shows the receipt, and
// lets the voter load and change their ballot. Pairwise comparisons: ballot-pairwise.js;
// opinion maps: ballot-opinion.js.

import { setup as approval } from "./ballot-approval.js";
import { api, clearError, errorField, markField, readJson, showError, showMessage, t, unmarkField } from "./ballot-common.js";
import { setupOpinion } from "./ballot-opinion.js";
import { setupPairwise } from "./ballot-pairwise.js";
import { setup as points } from "./ballot-points.js";
import { setup as ranking } from "./ballot-ranking.js";
import { setup as score } from "./ballot-score.js";

const METHODS = { approval, score, ranking, points };

// The access code from the letter's QR code: into the field, then off the address bar
// (and off the language links) so that it does not stay in the history.
function takeCodeFromAddress(field) {
  const url = new URL(window.location.href);
  if (!url.searchParams.has("code")) return;
  if (field && !field.value) field.value = url.searchParams.get("code");
  url.searchParams.delete("code");
  window.history.replaceState(window.history.state, "", `${url.pathname}${url.search}${url.hash}`);
  for (const link of document.querySelectorAll('a[href*="code="]')) {
    const target = new URL(link.href, window.location.href);
    if (target.origin !== window.location.origin || !target.searchParams.has("code")) continue;
    target.searchParams.delete("code");
    link.href = `${target.pathname}${target.search}${target.hash}`;
  }
}

function accessCode() {
  const field = document.getElementById("access-code");
  return {
    field,
    error: document.getElementById("access-code-error"),
    value: () => (field ? field.value.trim() : ""),
  };
}

function setupBallot(data, access) {
  const form = document.getElementById("ballot-form");
  if (!form || !METHODS[data.method]) return;
  const widget = METHODS[data.method](form, data);
  const submit = document.getElementById("ballot-submit");
  const errorBox = document.getElementById("ballot-error");
  const confirmation = document.getElementById("ballot-confirmation");
  const heading = document.getElementById("confirmation-title");
  const statusLine = document.getElementById("confirmation-status");
  const receipt = document.getElementById("receipt-code");
  const changeButton = document.getElementById("ballot-change");
  const formHeading = document.getElementById("ballot-form-title");
  const formStatus = document.getElementById("ballot-status");

  let markedInput = null;

  function resetErrors() {
    clearError(errorBox);
    formStatus.textContent = "";
    if (access.field) unmarkField(access.field, access.error);
    if (markedInput) {
      markedInput.removeAttribute("aria-invalid");
      const ids = (markedInput.getAttribute("aria-describedby") || "").split(/\s+/).filter((id) => id && id !== errorBox.id);
      markedInput.setAttribute("aria-describedby", ids.join(" "));
      markedInput = null;
    }
  }

  function failed(result) {
    showError(errorBox, result, data.login_url);
    if (access.field && (result.status === 403 || errorField(result.data) === "access_code")) {
      markField(access.field, access.error, errorBox.textContent);
    }
  }

  function showConfirmation(code, status) {
    receipt.textContent = code;
    heading.textContent = t("saved_new");
    statusLine.textContent = status;
    statusLine.hidden = !status;
    confirmation.hidden = false;
    form.hidden = true;
    heading.focus();
  }

  // A voter who has voted before sees the receipt first, the form on "Stimme ändern".
  if (data.current && !confirmation.hidden) form.hidden = true;

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    resetErrors();
    if (access.field && !access.value()) {
      markField(access.field, access.error, t("code_missing"));
      access.field.focus();
      return;
    }
    const collected = widget.collect();
    if (collected.error) {
      showMessage(errorBox, collected.error);
      const field = collected.focus;
      if (collected.invalid && field) {
        // Tie the message to the field it is about.
        markField(field, null, "");
        field.setAttribute("aria-describedby", `${field.getAttribute("aria-describedby") || ""} ${errorBox.id}`.trim());
        markedInput = field;
      }
      field?.focus();
      return;
    }
    const body = { ballot: collected.ballot };
    if (access.value()) body.access_code = access.value();
    submit.disabled = true;
    form.setAttribute("aria-busy", "true");
    const result = await api("PUT", data.api.ballot, { body, form });
    submit.disabled = false;
    form.removeAttribute("aria-busy");
    if (!result.ok) {
      failed(result);
      return;
    }
    const { created, changed } = result.data;
    const status = created ? "" : changed ? t("saved_changed") : t("saved_same");
    showConfirmation(result.data.receipt, status);
  });

  if (changeButton) {
    changeButton.addEventListener("click", async () => {
      resetErrors();
      changeButton.disabled = true;
      const result = await api("GET", data.api.ballot, { code: access.value() });
      changeButton.disabled = false;
      confirmation.hidden = true;
      form.hidden = false;
      if (result.ok) {
        widget.fill(result.data.ballot);
        formStatus.textContent = t("change_loaded");
      } else if (result.status !== 404) {
        failed(result);
      }
      formHeading.focus();
    });
  }
}

function init() {
  const data = readJson("ballot-data", null);
  if (!data) return;
  for (const node of document.querySelectorAll(".js-only")) node.hidden = false;
  for (const node of document.querySelectorAll(".no-js-only")) node.hidden = true;
  const access = accessCode();
  takeCodeFromAddress(access.field);
  if (data.method === "pairwise") setupPairwise(data, access);
  else if (data.method === "opinion") setupOpinion(data, access);
  else setupBallot(data, access);
}

init();
