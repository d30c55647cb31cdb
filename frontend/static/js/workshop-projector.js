// Entry module of workshops/projector.html: large live results, join code and QR code.
// It joins as a screen (an observer that is not counted as a person online) without the
// session, so it never shows hidden results early.

import {
  choices,
  forgetTicket,
  joinWorkshop,
  loadTicket,
  pageData,
  saveTicket,
  t,
  tn,
  wsUrl,
} from "./workshop-common.js";
import { CLOSE_NOT_FOUND, WorkshopClient } from "./workshop-client.js";
import { renderResults } from "./workshop-results.js";
import { BoardState } from "./workshop-state.js";

const SLOT = "projector";
const page = pageData();
const state = new BoardState();
const el = {
  connection: document.getElementById("ws-connection"),
  online: document.getElementById("ws-projector-online"),
  phase: document.getElementById("ws-projector-phase"),
  question: document.getElementById("ws-projector-question"),
  results: document.getElementById("ws-projector-results"),
  noPoll: document.getElementById("ws-projector-none"),
};
let rejoined = false;
let connected = false;

// The poll on screen: the newest open one, else the newest closed one whose results are public.
function currentPoll() {
  const polls = [...state.polls.values()].sort((a, b) => b.id - a.id);
  return (
    polls.find((poll) => poll.state === "open") ||
    polls.find((poll) => poll.state === "closed" && BoardState.resultsPublic(poll)) ||
    null
  );
}

function render() {
  if (!state.loaded) return;
  // The server counts persons only (not this screen); while disconnected the number is old.
  const online = tn("online", state.onlineCount);
  el.online.textContent = connected ? online : t("online_stale", { online });
  el.online.classList.toggle("ws-online--stale", !connected);
  el.phase.textContent = `${t("phase")}: ${choices("phases")[state.workshop.phase] || state.workshop.phase}`;
  const poll = currentPoll();
  el.noPoll.hidden = Boolean(poll);
  el.question.hidden = !poll;
  el.results.hidden = !poll;
  if (!poll) return;
  el.question.textContent = poll.question;
  el.results.dataset.poll = poll.id;
  renderResults(el.results, poll, { forShared: true });
}

function setConnection(status) {
  connected = status !== "offline";
  render();
  el.connection.className = status === "offline" ? "ws-banner ws-banner--offline" : "ws-banner";
  el.connection.textContent = status === "offline" ? t("offline") : "";
}

async function ticket() {
  const stored = loadTicket(page.code, SLOT);
  if (stored) return stored.ticket;
  const joined = await joinWorkshop(
    page.apiJoin,
    { display_name: t("projector_name"), role: "observer", screen: true },
    { withSession: false },
  );
  saveTicket(page.code, { ticket: joined.ticket, participant: joined.participant, role: joined.role }, SLOT);
  return joined.ticket;
}

async function connect() {
  let value;
  try {
    value = await ticket();
  } catch (failure) {
    el.connection.className = "ws-banner ws-banner--offline";
    el.connection.textContent = t("join_failed", { reason: failure.message });
    setTimeout(connect, 5000);
    return;
  }
  const client = new WorkshopClient(wsUrl(page.wsPath, value), {
    snapshot: (snapshot) => {
      connected = true;
      state.load(snapshot);
      render();
    },
    event: (frame) => {
      state.apply(frame);
      render();
    },
    tally: (frame) => {
      state.applyTally(frame);
      render();
    },
    presence: (frame) => {
      state.setOnline(frame.online, frame.count);
      render();
    },
    status: setConnection,
    fatal: (code) => {
      // An expired ticket: join afresh once.
      forgetTicket(page.code, SLOT);
      if (code !== CLOSE_NOT_FOUND && !rejoined) {
        rejoined = true;
        connect();
      } else {
        el.connection.className = "ws-banner ws-banner--offline";
        el.connection.textContent = code === CLOSE_NOT_FOUND ? t("fatal_not_found") : t("fatal_unauthorised");
      }
    },
  });
  client.start();
}

connect();
