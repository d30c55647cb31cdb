// Entry module of workshops/join.html: join with a display name, keep the ticket, go to the board.

import { h, joinWorkshop, loadTicket, pageData, saveTicket, t } from "./workshop-common.js";

const page = pageData();
const form = document.getElementById("ws-join-form");
const error = document.getElementById("ws-join-error");
const stored = loadTicket(page.code);

if (stored) {
  const box = document.getElementById("ws-continue");
  box.querySelector("p").replaceChildren(
    h("a", { href: page.boardUrl, class: "ws-button-link", text: t("continue_as", { name: stored.name }) }),
  );
  box.hidden = false;
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const input = form.elements.display_name;
  const name = input.value.trim();
  error.hidden = true;
  if (!name) {
    input.setAttribute("aria-invalid", "true");
    error.textContent = t("name_missing");
    error.hidden = false;
    input.focus();
    return;
  }
  input.removeAttribute("aria-invalid");
  const role = form.elements.observer.checked ? "observer" : "expert";
  const button = form.querySelector("button[type=submit]");
  button.disabled = true;
  try {
    const joined = await joinWorkshop(page.apiJoin, { display_name: name, role });
    saveTicket(page.code, { ticket: joined.ticket, participant: joined.participant, role: joined.role, name });
    location.assign(page.boardUrl);
  } catch (failure) {
    error.textContent = failure.status === 409 ? t("join_closed") : t("join_failed", { reason: failure.message });
    error.hidden = false;
    button.disabled = false;
    input.focus();
  }
});

// Ready to join: the button was disabled until this handler was in place.
form.querySelector('button[type="submit"]').disabled = false;
