// Entry module of workshops/projector.html: what the facilitator puts on the wall
// (workshop.projector_view, event projector.changed): the board, the current poll, the
// word cloud, the Q&A, the timer or the agenda; the join code, link and QR code always
// in the footer. It joins as a screen (an observer that is not counted as a person
// online) without the session, so it never shows hidden results or hidden cards.

import { choices, forgetTicket, h, joinWorkshop, loadTicket, pageData, saveTicket, t, tn, wsUrl } from "./workshop-common.js";
import { CLOSE_NOT_FOUND, WorkshopClient } from "./workshop-client.js";
import { renderResults } from "./workshop-results.js";
import { BoardState } from "./workshop-state.js";

// The word cloud and the Q&A as the audience module draws them for shared screens; the
// projector draws its own simpler ones should that module fail to load.
const audience = await import("./workshop-audience.js").catch(() => null);

const SLOT = "projector";
const VIEWS = ["board", "poll", "words", "qa", "timer", "agenda"];
const REACTIONS = ["👍", "❤️", "💡", "❓", "🎉", "⚠️"];
const QUESTIONS_SHOWN = 8;
const WORDS_SHOWN = 50;
// The board's type: as large as fits the stage, from BOARD_SCALE_MAX down to BOARD_SCALE_MIN.
const BOARD_SCALE_MAX = 2;
const BOARD_SCALE_MIN = 0.45;

const page = pageData();
const state = new BoardState();
const app = page.element;
const P = (() => {
  try {
    return JSON.parse(document.getElementById("projector-strings").textContent);
  } catch {
    return {};
  }
})();
const el = {
  connection: document.getElementById("ws-connection"),
  online: document.getElementById("ws-projector-online"),
  phase: document.getElementById("ws-projector-phase"),
  viewNow: document.getElementById("ws-projector-view-now"),
  stage: app.querySelector(".ws-projector__stage"),
  views: [...app.querySelectorAll(".ws-pview")],
  board: document.getElementById("ws-projector-board"),
  boardEmpty: document.getElementById("ws-projector-board-empty"),
  question: document.getElementById("ws-projector-question"),
  results: document.getElementById("ws-projector-results"),
  noPoll: document.getElementById("ws-projector-none"),
  words: document.getElementById("ws-projector-words"),
  wordsTitle: document.getElementById("ws-projector-words-title"),
  wordsNone: document.getElementById("ws-projector-words-none"),
  qa: document.getElementById("ws-projector-qa"),
  timer: document.getElementById("ws-projector-timer"),
  timerState: document.getElementById("ws-projector-timer-state"),
  groupTimers: document.getElementById("ws-projector-group-timers"),
  miniTimer: document.getElementById("ws-projector-mini-timer"),
  miniClock: document.getElementById("ws-projector-mini-clock"),
  agenda: document.getElementById("ws-projector-agenda"),
  agendaEmpty: document.getElementById("ws-projector-agenda-empty"),
};

// What the projector keeps beside the board state: the tools and the Q&A.
const extra = {
  view: VIEWS.includes(app.dataset.view) ? app.dataset.view : "board",
  timers: new Map(), // group id (null = plenary) -> timer
  clockOffset: 0, // server clock minus this clock, in ms
  agenda: { items: [], current: null },
  questions: new Map(),
  groups: new Map(),
};
let rejoined = false;
let connected = false;
let ticking = null;

function p(key, params = {}) {
  const text = P[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in params ? String(params[name]) : whole));
}

function pn(key, n, params = {}) {
  return p(`${key}_${n === 1 ? "one" : "other"}`, { n, ...params });
}

// The poll on screen: the newest open one, else the newest closed one whose results are public.
function currentPoll(kind = null) {
  const polls = [...state.polls.values()]
    .filter((poll) => (kind ? poll.kind === kind : poll.kind !== "words"))
    .sort((a, b) => b.id - a.id);
  return (
    polls.find((poll) => poll.state === "open") ||
    polls.find((poll) => poll.state === "closed" && BoardState.resultsPublic(poll)) ||
    null
  );
}

// --- the board: clusters as areas with their cards, type as large as the stage allows ---

function cardCounts(card) {
  const parts = [];
  if (card.likes) parts.push(h("span", { class: "ws-pcard__count", text: `♥ ${card.likes}` }));
  const reactions = card.reactions || {};
  for (const emoji of REACTIONS) {
    if (reactions[emoji]) parts.push(h("span", { class: "ws-pcard__count", text: `${emoji} ${reactions[emoji]}` }));
  }
  return parts.length ? h("p", { class: "ws-pcard__counts" }, parts) : null;
}

function cardItem(card) {
  return h(
    "li",
    { class: `ws-pcard ws-card--${card.color || "yellow"}${card.pinned ? " ws-pcard--pinned" : ""}`, dataset: { card: card.id } },
    h("p", { class: "ws-pcard__text", text: card.text }),
    cardCounts(card),
  );
}

const byPlace = (a, b) => (a.y ?? 0) - (b.y ?? 0) || (a.x ?? 0) - (b.x ?? 0) || a.id - b.id;

function clusterArea(title, cards, id = null, group = null) {
  return h(
    "section",
    { class: "ws-pcluster", dataset: id ? { cluster: id } : {}, "aria-label": title },
    group ? h("p", { class: "ws-pcluster__group", text: p("timer_group", { name: group.name }) }) : null,
    h(
      "h3",
      { class: "ws-pcluster__title" },
      h("span", { class: "ws-pcluster__name", text: title }),
      h("span", { class: "ws-pcluster__count", text: tn("cards", cards.length) }),
    ),
    h("ul", { class: "ws-pcards" }, cards.sort(byPlace).map(cardItem)),
  );
}

function renderBoard() {
  const cards = [...state.cards.values()].filter((card) => !card.private && !card.hidden);
  const clusters = [...state.clusters.values()].sort(byPlace);
  const known = new Set(clusters.map((cluster) => cluster.id));
  const areas = clusters.map((cluster) =>
    clusterArea(
      cluster.title,
      cards.filter((card) => card.cluster === cluster.id),
      cluster.id,
      cluster.group ? extra.groups.get(cluster.group) : null,
    ),
  );
  const loose = cards.filter((card) => !known.has(card.cluster));
  if (loose.length) areas.push(clusterArea(p("no_cluster"), loose));
  el.boardEmpty.hidden = cards.length > 0 || clusters.length > 0;
  el.board.replaceChildren(...areas);
  fitBoard();
}

// Largest type at which the board fits the stage without scrolling.
function fitBoard() {
  if (extra.view !== "board") return;
  let scale = BOARD_SCALE_MAX;
  el.board.style.setProperty("--pscale", scale);
  const overflowing = () =>
    el.board.scrollHeight > el.board.clientHeight + 1 || el.board.scrollWidth > el.board.clientWidth + 1;
  while (overflowing() && scale > BOARD_SCALE_MIN) {
    scale = Math.max(BOARD_SCALE_MIN, scale - (scale > 1 ? 0.1 : 0.05));
    el.board.style.setProperty("--pscale", scale.toFixed(2));
  }
}

// --- the word cloud and the Q&A ---

function renderWords() {
  const poll = currentPoll("words");
  el.wordsTitle.textContent = poll ? poll.question : P.views?.words || "";
  el.wordsNone.hidden = Boolean(poll);
  el.words.hidden = !poll;
  if (!poll) return;
  if (audience?.renderWordCloud) {
    audience.renderWordCloud(el.words, poll, { forShared: true });
    return;
  }
  const rows = poll && BoardState.resultsPublic(poll) ? poll.tally?.options || [] : [];
  if (!rows.length) {
    el.words.replaceChildren(h("p", { class: "ws-projector__none", text: poll && !BoardState.resultsPublic(poll) ? t("results_hidden") : p("no_words") }));
    return;
  }
  const shown = [...rows].sort((a, b) => b.value - a.value || String(a.word).localeCompare(b.word)).slice(0, WORDS_SHOWN);
  const max = Math.max(...shown.map((row) => row.value), 1);
  // Biggest words in the middle: alternate them left and right of the first.
  const ordered = [];
  shown.forEach((row, index) => (index % 2 ? ordered.push(row) : ordered.unshift(row)));
  const list = h("ul", { class: "ws-pwords__list" });
  for (const row of ordered) {
    const item = h("li", { class: "ws-pwords__word", text: row.word, title: tn("votes", row.value) });
    item.style.setProperty("--weight", (0.25 + 0.75 * (row.value / max)).toFixed(2));
    item.append(h("span", { class: "visually-hidden", text: ` (${row.value})` }));
    list.append(item);
  }
  el.words.replaceChildren(list);
}

function renderQuestions() {
  if (audience?.renderQuestions) {
    audience.renderQuestions(el.qa, extra.questions, { limit: QUESTIONS_SHOWN });
    return;
  }
  const questions = [...extra.questions.values()]
    .filter((q) => !q.hidden)
    .sort((a, b) => Number(a.answered) - Number(b.answered) || b.votes - a.votes || a.id - b.id)
    .slice(0, QUESTIONS_SHOWN);
  if (!questions.length) {
    el.qa.replaceChildren(h("p", { class: "ws-projector__none", text: p("no_questions") }));
    return;
  }
  el.qa.replaceChildren(
    h(
      "ol",
      { class: "ws-pqa__list" },
      questions.map((q) =>
        h(
          "li",
          { class: `ws-pqa__item${q.answered ? " ws-pqa__item--answered" : ""}`, dataset: { question: q.id } },
          h("span", { class: "ws-pqa__votes", text: pn("votes", q.votes || 0) }),
          h("span", { class: "ws-pqa__text", text: q.text }),
          q.answered ? h("span", { class: "ws-pqa__answered", text: p("answered") }) : null,
        ),
      ),
    ),
  );
}

// --- timer and agenda ---

function remainingMs(timer) {
  if (!timer) return 0;
  if (timer.state === "running" && timer.ends_at) return Math.max(0, timer.ends_at - (Date.now() + extra.clockOffset));
  return timer.remaining_ms || 0;
}

function clock(ms) {
  const seconds = Math.ceil(ms / 1000);
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  return `${m}:${String(s).padStart(2, "0")}`;
}

function timerStateText(timer) {
  if (!timer || timer.state === "stopped") return p("timer_idle");
  if (timer.state === "running" && remainingMs(timer) === 0) return p("timer_over");
  return timer.state === "paused" ? p("timer_paused") : p("timer_running");
}

function renderTimer() {
  const plenary = extra.timers.get(null);
  const active = plenary && plenary.state !== "stopped";
  el.timer.textContent = active ? clock(remainingMs(plenary)) : "–:––";
  el.timer.classList.toggle("ws-ptimer--over", Boolean(active && remainingMs(plenary) === 0));
  el.timer.classList.toggle("ws-ptimer--paused", plenary?.state === "paused");
  const stateText = timerStateText(plenary);
  if (el.timerState.textContent !== stateText) el.timerState.textContent = stateText;
  const groups = [...extra.timers.entries()].filter(([group, timer]) => group !== null && timer.state !== "stopped");
  el.groupTimers.replaceChildren(
    ...groups.map(([group, timer]) =>
      h(
        "li",
        {},
        h("span", { text: p("timer_group", { name: extra.groups.get(group)?.name ?? group }) }),
        " ",
        h("span", { class: "ws-ptimer__group-clock", text: clock(remainingMs(timer)) }),
      ),
    ),
  );
  el.miniTimer.hidden = !active || extra.view === "timer";
  el.miniClock.textContent = active ? clock(remainingMs(plenary)) : "";
  const running = [...extra.timers.values()].some((timer) => timer.state === "running");
  if (running && !ticking) ticking = setInterval(renderTimer, 250);
  if (!running && ticking) {
    clearInterval(ticking);
    ticking = null;
  }
}

function renderAgenda() {
  const { items, current } = extra.agenda;
  el.agendaEmpty.hidden = items.length > 0;
  el.agenda.replaceChildren(
    ...items.map((item) => {
      const now = item.id === current;
      return h(
        "li",
        {
          class: `ws-pagenda__item${now ? " ws-pagenda__item--now" : ""}${item.done ? " ws-pagenda__item--done" : ""}`,
          "aria-current": now ? "step" : null,
        },
        h("span", { class: "ws-pagenda__title", text: item.title }),
        h("span", { class: "ws-pagenda__minutes", text: p("agenda_minutes", { n: item.minutes }) }),
        now ? h("span", { class: "ws-pagenda__badge", text: p("agenda_now") }) : null,
        item.done ? h("span", { class: "ws-pagenda__badge ws-pagenda__badge--done", text: p("agenda_done") }) : null,
      );
    }),
  );
}

// --- the whole page ---

function renderPoll() {
  const poll = currentPoll();
  el.noPoll.hidden = Boolean(poll);
  el.question.hidden = !poll;
  el.results.hidden = !poll;
  if (!poll) return;
  el.question.textContent = poll.question;
  el.results.dataset.poll = poll.id;
  renderResults(el.results, poll, { forShared: true });
}

function showView(view, announce) {
  if (!VIEWS.includes(view)) return;
  const changed = view !== extra.view;
  extra.view = view;
  app.dataset.view = view;
  for (const section of el.views) section.hidden = section.dataset.view !== view;
  if (changed && announce) el.viewNow.textContent = p("view_now", { view: P.views?.[view] || view });
}

function renderStatus() {
  if (!state.loaded) return;
  // The server counts persons only (not this screen); while disconnected the number is old.
  const online = tn("online", state.onlineCount);
  el.online.textContent = connected ? online : t("online_stale", { online });
  el.online.classList.toggle("ws-online--stale", !connected);
  el.phase.textContent = `${t("phase")}: ${choices("phases")[state.workshop.phase] || state.workshop.phase}`;
}

function render() {
  if (!state.loaded) return;
  renderStatus();
  showView(extra.view, false);
  renderPoll();
  renderWords();
  renderQuestions();
  renderTimer();
  renderAgenda();
  renderBoard();
}

function setConnection(status) {
  connected = status !== "offline";
  render();
  el.connection.className = status === "offline" ? "ws-banner ws-banner--offline" : "ws-banner";
  el.connection.textContent = status === "offline" ? t("offline") : "";
}

function loadExtra(snapshot) {
  extra.clockOffset = snapshot.server_now ? snapshot.server_now - Date.now() : 0;
  extra.timers = new Map((snapshot.timers || []).map((timer) => [timer.group ?? null, timer]));
  extra.agenda = snapshot.agenda || { items: [], current: null };
  extra.questions = new Map((snapshot.questions || []).map((q) => [q.id, q]));
  extra.groups = new Map((snapshot.groups || []).map((g) => [g.id, g]));
  showView(snapshot.workshop?.projector_view || "board", false);
}

function card(id) {
  return state.cards.get(id);
}

// Events the projector reads beyond the shared board state. Each sets absolute values, so
// it does no harm where workshop-state.js handles the same event.
function applyExtra(frame) {
  const data = frame.data || {};
  switch (frame.name) {
    case "projector.changed":
      state.workshop.projector_view = data.view;
      showView(data.view, true);
      break;
    case "poll.opened":
      // The server switched the projector to the poll as it opened.
      if (data.projector_view) {
        state.workshop.projector_view = data.projector_view;
        showView(data.projector_view, true);
      }
      break;
    case "timer.changed":
      // A replayed event's server_now is old: the largest offset seen is the best one.
      if (data.server_now) extra.clockOffset = Math.max(extra.clockOffset, data.server_now - Date.now());
      extra.timers.set(data.group ?? null, data);
      break;
    case "agenda.changed":
      extra.agenda = { items: data.items || [], current: data.current ?? null };
      break;
    case "question.added":
    case "question.updated":
      extra.questions.set(data.id, { ...(extra.questions.get(data.id) || {}), ...data });
      break;
    case "question.voted": {
      const question = extra.questions.get(data.question);
      if (question) question.votes = data.votes;
      break;
    }
    case "question.deleted":
    case "question.removed": // a question the facilitator hid (docs/protocol.md, Q&A)
      extra.questions.delete(data.id);
      break;
    case "card.moved":
      if (card(data.id)) Object.assign(card(data.id), { x: data.x, y: data.y, cluster: data.cluster ?? null });
      break;
    case "cluster.moved": {
      const cluster = state.clusters.get(data.id);
      if (cluster) Object.assign(cluster, { x: data.x, y: data.y, w: data.w, h: data.h });
      for (const moved of data.cards || []) if (card(moved.id)) Object.assign(card(moved.id), { x: moved.x, y: moved.y });
      break;
    }
    case "card.reacted": {
      const target = card(data.card);
      if (target) target.reactions = { ...(target.reactions || {}), [data.emoji]: data.count };
      break;
    }
    case "cards.merged":
      if (data.card) state.cards.set(data.card.id, data.card);
      for (const id of data.removed || []) state.cards.delete(id);
      break;
    case "cards.revealed":
      for (const revealed of data.cards || []) state.cards.set(revealed.id, revealed);
      break;
    case "breakout.started":
    case "breakout.ended":
      for (const group of data.groups || []) extra.groups.set(group.id, group);
      break;
    default:
      break;
  }
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
      loadExtra(snapshot);
      render();
    },
    event: (frame) => {
      state.apply(frame);
      applyExtra(frame);
      render();
    },
    // Tallies come up to ten times a second: only the results are drawn again.
    tally: (frame) => {
      state.applyTally(frame);
      renderPoll();
      renderWords();
    },
    presence: (frame) => {
      state.setOnline(frame.online, frame.count);
      renderStatus();
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

showView(extra.view, false);
window.addEventListener("resize", fitBoard);
connect();
