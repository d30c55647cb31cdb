// Pairwise comparison (wiki survey): two big buttons and "kann mich nicht entscheiden";
// each answer is sent and the next pair loaded. Plus the form for an own proposal.

import { api, clearError, errorField, markField, sendText, showError, t, tn, unmarkField } from "./ballot-common.js";

export function setupPairwise(data, access) {
  const form = document.getElementById("pair-form");
  if (!form) return;
  const pairBox = document.getElementById("pair");
  const skipRow = document.getElementById("pair-skip-row");
  const startRow = document.getElementById("pair-start-row");
  const status = document.getElementById("pair-status");
  const errorBox = document.getElementById("pair-error");
  const leftButton = document.getElementById("pair-left");
  const fields = {
    leftId: document.getElementById("pair-left-id"),
    rightId: document.getElementById("pair-right-id"),
    requestId: document.getElementById("pair-request-id"),
    leftTitle: document.getElementById("pair-left-title"),
    leftSummary: document.getElementById("pair-left-summary"),
    rightTitle: document.getElementById("pair-right-title"),
    rightSummary: document.getElementById("pair-right-summary"),
  };
  let pair = fields.leftId.value
    ? {
        left: { id: Number(fields.leftId.value), title: fields.leftTitle.textContent },
        right: { id: Number(fields.rightId.value), title: fields.rightTitle.textContent },
        request_id: fields.requestId.value,
      }
    : null;
  let answered = 0;
  let busy = false;

  function show(next) {
    pair = next;
    fields.leftId.value = next.left.id;
    fields.rightId.value = next.right.id;
    fields.requestId.value = next.request_id;
    fields.leftTitle.textContent = next.left.title;
    fields.leftSummary.textContent = next.left.summary || "";
    fields.rightTitle.textContent = next.right.title;
    fields.rightSummary.textContent = next.right.summary || "";
    pairBox.hidden = false;
    skipRow.hidden = false;
    if (startRow) startRow.hidden = true;
  }

  function failed(result) {
    showError(errorBox, result, data.login_url);
    if (access.field && (result.status === 403 || errorField(result.data) === "access_code")) {
      markField(access.field, access.error, errorBox.textContent);
    }
  }

  async function loadNext() {
    const result = await api("GET", data.api.pairs_next, { code: access.value() });
    if (!result.ok) {
      failed(result);
      return false;
    }
    show(result.data);
    return true;
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
    const choice = event.submitter?.value;
    busy = true;
    form.setAttribute("aria-busy", "true");
    try {
      if (choice && pair) {
        // The pair's id goes with every try of this answer: a retry after an error counts once.
        const body = { left: pair.left.id, right: pair.right.id, choice };
        if (pair.request_id) body.id = pair.request_id;
        if (access.value()) body.access_code = access.value();
        const result = await api("POST", data.api.pairs, { body, form });
        if (!result.ok) {
          failed(result);
          return;
        }
        answered += 1;
      }
      const starting = !pair;
      if (!(await loadNext())) return;
      const shown = t("pair_shown", { left: pair.left.title, right: pair.right.title });
      if (starting) {
        leftButton.focus();
        status.textContent = shown;
      } else {
        // Focus stays on the pressed button; its text is now the new measure, and the live region says so.
        status.textContent = `${t("pair_saved")} ${shown} ${tn("pair_count", answered)}`;
      }
    } finally {
      busy = false;
      form.removeAttribute("aria-busy");
    }
  });

  setupProposal(data, access);
}

function setupProposal(data, access) {
  const form = document.getElementById("proposal-form");
  if (!form) return;
  // The code is taken from the comparison's field above; the copy here is for pages without scripts.
  const ownCode = form.querySelector(".proposal-code");
  if (ownCode) ownCode.hidden = true;
  const descriptionField = form.querySelector('[name="description"]');
  sendText(form, {
    field: form.querySelector('[name="title"]'),
    errorBox: document.getElementById("proposal-error"),
    status: document.getElementById("proposal-status"),
    access,
    url: data.api.proposals,
    loginUrl: data.login_url,
    missing: t("proposal_missing"),
    body: (title) => ({ title, description: descriptionField.value.trim() }),
    sent: (title) => t("proposal_sent", { title }),
  });
}
