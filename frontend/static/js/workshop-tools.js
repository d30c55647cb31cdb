// The facilitator's tools on the board and in the console: the plenary timer (large mm:ss on
// the server's clock), follow me (participants are brought where the facilitator points, with
// an opt-out), and in the console the timer controls, the agenda with "Starten" per round, the
// "Alle hierher holen" picker and the projector's view. Texts: <template id="ws-tools-texts">.

import { choices, h } from "./workshop-common.js";
import { ServerClock, clockText, remainingMs } from "./workshop-tools-state.js";

const TICK_MS = 250;
const ONE_MINUTE = 60_000;
const TARGET_TEXT_SHOWN = 60;

function readTexts() {
  const texts = new Map();
  const template = document.getElementById("ws-tools-texts");
  for (const node of template?.content.querySelectorAll("data") || []) texts.set(node.value, node.textContent);
  return texts;
}
const TEXTS = readTexts();

function tt(key, params = {}) {
  const text = TEXTS.get(key) ?? key;
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in params ? String(params[name]) : whole));
}

function shorten(text, max = TARGET_TEXT_SHOWN) {
  const flat = String(text ?? "")
    .replace(/\s+/g, " ")
    .trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function showError(target, text) {
  if (!target) return;
  target.textContent = text;
  target.hidden = !text;
}

// Whether someone is typing: follow me then scrolls no focus away from them.
function typing() {
  const active = document.activeElement;
  return Boolean(active && (active.matches("textarea, input[type=text], input:not([type])") || active.isContentEditable));
}

class Tools {
  constructor(view, { consolePanel = false } = {}) {
    this.view = view;
    this.state = view.state;
    this.consolePanel = consolePanel;
    this.el = {
      box: document.getElementById("ws-timer-box"),
      clock: document.getElementById("ws-timer"),
      timerState: document.getElementById("ws-timer-state"),
      follow: document.getElementById("ws-follow"),
      followText: document.getElementById("ws-follow-text"),
      followGo: document.getElementById("ws-follow-go"),
      followOptout: document.getElementById("ws-follow-optout"),
    };
    this.lastFollow = undefined; // JSON of the follow target last acted on
    this.optedOut = false;
    this.announced = new Set(); // "60:<ends_at>" and "0:<ends_at>": said once per run
    this.ticker = null;
    this.el.followGo?.addEventListener("click", () => {
      const follow = this.state.workshop.follow;
      if (follow) this.goTo(follow, true);
    });
    this.el.followOptout?.addEventListener("click", () => {
      this.optedOut = !this.optedOut;
      this.renderFollowNotice();
      if (!this.optedOut && this.state.workshop.follow) this.goTo(this.state.workshop.follow, false);
    });
    if (consolePanel) this.wireConsole();
    view.onRender(() => this.render());
    view.onEventApplied?.((frame, note) => this.onEvent(frame, note));
  }

  get clock() {
    if (!this.state.clock) this.state.clock = new ServerClock();
    return this.state.clock;
  }

  get plenary() {
    return this.state.timers?.get(null) || null;
  }

  // --- the timer ------------------------------------------------------------------------

  onEvent(frame, note) {
    if (note.timer && (note.timer.group ?? null) === null) this.announceTimer(note.timer, note.previousTimer);
    if (note.projectorView && this.consolePanel) {
      const label = this.projectorLabel(note.projectorView);
      this.view.announcer.say(tt("projector_now", { view: label }));
    }
  }

  announceTimer(timer, previous) {
    const left = clockText(remainingMs(timer, this.clock));
    let text;
    if (timer.state === "stopped") text = tt("stopped");
    else if (timer.state === "paused") text = tt("paused_at", { time: left });
    else if (previous?.state === "paused") text = tt("resumed", { time: left });
    else if (previous?.state === "running" && previous.duration_ms !== timer.duration_ms) {
      text = tt("changed", { time: left });
    } else text = tt("started", { time: left });
    this.view.announcer.say(text);
  }

  renderTimer() {
    const timer = this.plenary;
    const active = Boolean(timer && timer.state !== "stopped");
    if (this.el.box) this.el.box.hidden = !active;
    if (active && timer.state === "running") this.startTicking();
    else this.stopTicking();
    this.tick();
    this.renderTimerButtons(timer);
  }

  startTicking() {
    if (!this.ticker) this.ticker = setInterval(() => this.tick(), TICK_MS);
  }

  stopTicking() {
    clearInterval(this.ticker);
    this.ticker = null;
  }

  tick() {
    const timer = this.plenary;
    if (!timer || !this.el.clock) return;
    const left = remainingMs(timer, this.clock);
    const text = clockText(left);
    if (this.el.clock.textContent !== text) this.el.clock.textContent = text;
    let state = "";
    if (timer.state === "paused") state = tt("paused");
    else if (timer.state === "running") state = left > 0 ? tt("running") : tt("over");
    if (this.el.timerState && this.el.timerState.textContent !== state) this.el.timerState.textContent = state;
    this.el.box?.classList.toggle("ws-timer--over", timer.state === "running" && left <= 0);
    this.el.box?.classList.toggle("ws-timer--paused", timer.state === "paused");
    if (timer.state !== "running") return;
    // A screen reader hears the last minute and the end, not every second.
    const run = timer.ends_at;
    if (left <= ONE_MINUTE && left > 0 && timer.duration_ms > ONE_MINUTE && !this.announced.has(`60:${run}`)) {
      this.announced.add(`60:${run}`);
      this.view.announcer.say(tt("one_minute"));
    }
    if (left <= 0 && !this.announced.has(`0:${run}`)) {
      this.announced.add(`0:${run}`);
      this.announced.add(`60:${run}`);
      this.view.announcer.say(tt("over"));
      this.stopTicking();
    }
  }

  // --- follow me ------------------------------------------------------------------------

  targetLabel(follow) {
    if (!follow) return "";
    const { kind, id } = follow;
    const state = this.state;
    let name = null;
    if (kind === "board") return tt("target_board");
    if (kind === "card") name = state.cards.get(id)?.text;
    else if (kind === "cluster") name = state.clusters.get(id)?.title;
    else if (kind === "poll") name = state.polls.get(id)?.question;
    else if (kind === "group") name = state.groups?.get(id)?.name;
    else if (kind === "question") name = state.questions?.get?.(id)?.text;
    if (name === null || name === undefined) return tt("target_gone");
    return tt(`target_${kind}`, { name: shorten(name) });
  }

  renderFollow() {
    const follow = this.state.workshop.follow ?? null;
    const key = JSON.stringify(follow);
    const changed = key !== this.lastFollow;
    const first = this.lastFollow === undefined;
    this.lastFollow = key;
    if (changed && !this.state.isFacilitator) {
      if (follow && !this.optedOut) {
        // Once the board is drawn, so that the target is on it.
        requestAnimationFrame(() => this.goTo(follow, false));
      } else if (!follow && !first) this.view.announcer.say(tt("follow_ended"));
    }
    this.renderFollowNotice();
    if (this.consolePanel) this.renderFollowControls(follow);
  }

  renderFollowNotice() {
    const box = this.el.follow;
    if (!box) return;
    const follow = this.state.workshop.follow ?? null;
    box.hidden = !follow || this.state.isFacilitator;
    if (box.hidden) return;
    const target = this.targetLabel(follow);
    const text = this.optedOut ? tt("follow_not_following", { target }) : tt("follow_shows", { target });
    if (this.el.followText.textContent !== text) this.el.followText.textContent = text;
    this.el.followOptout.setAttribute("aria-pressed", String(this.optedOut));
    this.el.followOptout.textContent = this.optedOut ? tt("follow_optin") : tt("follow_optout");
  }

  // Brings this screen to the target: the canvas pans to it (and marks it); in the list it is
  // scrolled into view. It is focused too, unless someone is typing (byHand: they asked).
  goTo(follow, byHand) {
    const { kind, id } = follow;
    const canvas = this.view.canvas;
    const onCanvas = canvas?.mode === "canvas";
    let panned = false;
    try {
      panned = Boolean(canvas?.focusTarget?.(kind, id));
      canvas?.highlight?.(kind, id);
    } catch {
      panned = false;
    }
    let target = null;
    if (onCanvas && kind === "card") target = document.querySelector(`.wc-card[data-card="${Number(id)}"]`);
    if (onCanvas && kind === "cluster") target = document.querySelector(`.wc-cluster__label[data-cluster="${Number(id)}"]`);
    if (!target || target.closest("[hidden]")) target = this.listElement(kind, id);
    if (!byHand) this.view.announcer.say(tt("follow_shows", { target: this.targetLabel(follow) }));
    if (!target || target.closest("[hidden]")) return;
    if (!(onCanvas && panned && target.closest(".wc-card, .wc-cluster__label"))) target.scrollIntoView({ block: "center" });
    if (byHand || !typing()) {
      if (!target.matches("a[href], button, input, select, textarea, [tabindex]")) target.setAttribute("tabindex", "-1");
      target.focus({ preventScroll: true });
    }
  }

  listElement(kind, id) {
    const view = this.view;
    if (kind === "card") return view.cardEls?.get(id)?.el || document.getElementById(`karte-${Number(id)}`);
    if (kind === "cluster") {
      const entry = view.clusterEls?.get(String(id));
      return entry?.heading || entry?.el?.querySelector("h3") || null;
    }
    if (kind === "poll") return view.pollEls?.get(id)?.heading || null;
    if (kind === "board") return document.getElementById("ws-board-title");
    return document.querySelector(`[data-${kind}="${Number(id)}"]`);
  }

  // --- the console ----------------------------------------------------------------------

  wireConsole() {
    const byId = (id) => document.getElementById(id);
    this.c = {
      form: byId("ws-timer-form"),
      minutes: byId("ws-timer-minutes"),
      pause: byId("ws-timer-pause"),
      resume: byId("ws-timer-resume"),
      extend: byId("ws-timer-extend"),
      stop: byId("ws-timer-stop"),
      timerError: byId("ws-timer-error"),
      agenda: byId("ws-agenda-list"),
      agendaEmpty: byId("ws-agenda-empty"),
      agendaError: byId("ws-agenda-error"),
      followTarget: byId("ws-follow-target"),
      followSet: byId("ws-follow-set"),
      followClear: byId("ws-follow-clear"),
      followNow: byId("ws-follow-now"),
      followError: byId("ws-follow-error"),
      projectorError: byId("ws-projector-error"),
    };
    const c = this.c;
    if (!c.form) return;
    c.form.addEventListener("submit", (event) => {
      event.preventDefault();
      const minutes = Number(c.minutes.value);
      if (!Number.isInteger(minutes) || minutes < 1 || minutes > 180) {
        c.minutes.setAttribute("aria-invalid", "true");
        showError(c.timerError, tt("minutes_invalid"));
        c.minutes.focus();
        return;
      }
      c.minutes.removeAttribute("aria-invalid");
      this.view.command("timer.start", { minutes }, c.timerError);
    });
    const act = (button, type, fields = {}) =>
      button.addEventListener("click", () => {
        if (button.getAttribute("aria-disabled") === "true") return;
        this.view.command(type, fields, c.timerError);
      });
    act(c.pause, "timer.pause");
    act(c.resume, "timer.resume");
    act(c.extend, "timer.extend", { seconds: 60 });
    act(c.stop, "timer.stop");
    c.followSet.addEventListener("click", () => {
      const [kind, id] = c.followTarget.value.split(":");
      const fields = kind === "board" ? { kind } : { kind, target: Number(id) };
      this.view.command("follow.set", fields, c.followError);
    });
    c.followClear.addEventListener("click", () => {
      if (c.followClear.getAttribute("aria-disabled") === "true") return;
      this.view.command("follow.clear", {}, c.followError);
    });
    for (const radio of document.querySelectorAll("input[name=projector-view]")) {
      radio.addEventListener("change", async () => {
        if (!radio.checked || radio.value === this.state.workshop.projector_view) return;
        // Arrowing through the group sends one command per step: the echoes of the earlier
        // steps must not pull the checked radio back from the latest choice.
        this.projectorWanted = radio.value;
        const ack = await this.view.command("projector.show", { view: radio.value }, c.projectorError);
        if (!ack && this.projectorWanted === radio.value) {
          this.projectorWanted = null;
          this.renderProjector();
        }
      });
    }
  }

  renderTimerButtons(timer) {
    if (!this.c?.pause) return;
    const state = timer?.state || "stopped";
    const running = state === "running" && remainingMs(timer, this.clock) > 0;
    const set = (button, enabled) => button.setAttribute("aria-disabled", String(!enabled));
    set(this.c.pause, running);
    set(this.c.resume, state === "paused");
    set(this.c.extend, state !== "stopped");
    set(this.c.stop, state !== "stopped");
  }

  renderAgenda() {
    const c = this.c;
    if (!c?.agenda) return;
    const agenda = this.state.agenda || { items: [], current: null };
    const phases = choices("phases");
    const sig = JSON.stringify(agenda);
    c.agendaEmpty.textContent = agenda.items.length ? "" : tt("agenda_empty");
    c.agendaEmpty.hidden = agenda.items.length > 0;
    if (sig === this.agendaSig) return;
    this.agendaSig = sig;
    const focusedItem = c.agenda.contains(document.activeElement) ? document.activeElement.dataset.item : null;
    c.agenda.replaceChildren(
      ...agenda.items.map((item) => {
        const current = item.id === agenda.current;
        const meta = [tt("agenda_minutes", { n: item.minutes })];
        if (item.phase) meta.push(phases[item.phase] || item.phase);
        const status = current ? tt("agenda_current") : item.done ? tt("agenda_done") : "";
        return h(
          "li",
          {
            class: `ws-agenda__item${current ? " ws-agenda__item--current" : ""}${item.done ? " ws-agenda__item--done" : ""}`,
            "aria-current": current ? "step" : null,
          },
          h("span", { class: "ws-agenda__title", text: item.title }),
          h("span", { class: "ws-agenda__meta", text: ` (${meta.join(", ")})` }),
          status ? h("strong", { class: "ws-agenda__status", text: ` ${status}` }) : null,
          h("button", {
            type: "button",
            class: "ws-small",
            text: tt("agenda_start"),
            "aria-label": tt("agenda_start_named", { title: item.title }),
            dataset: { item: item.id },
            onclick: async () => {
              const ack = await this.view.command("agenda.start", { item: item.id }, c.agendaError);
              if (ack) this.view.announcer.say(tt("agenda_started", { title: item.title }));
            },
          }),
        );
      }),
    );
    if (focusedItem) c.agenda.querySelector(`button[data-item="${focusedItem}"]`)?.focus();
  }

  // Everything one can bring the room to: the board, clusters, cards, polls, groups, questions.
  followTargets() {
    const state = this.state;
    const targets = [{ value: "board", label: tt("target_board") }];
    const add = (kind, items, name) => {
      for (const item of items) targets.push({ value: `${kind}:${item.id}`, label: tt(`target_${kind}`, { name: shorten(name(item)) }) });
    };
    const byId = (map) => [...(map?.values?.() || [])].sort((a, b) => a.id - b.id);
    add("cluster", byId(state.clusters), (c) => c.title);
    add("card", byId(state.cards), (c) => c.text);
    add("poll", byId(state.polls), (p) => p.question);
    add("group", byId(state.groups).filter((g) => g.active !== false), (g) => g.name);
    add("question", byId(state.questions).filter((q) => !q.hidden), (q) => q.text);
    return targets;
  }

  renderFollowControls(follow) {
    const c = this.c;
    if (!c?.followTarget) return;
    const targets = this.followTargets();
    const sig = JSON.stringify(targets);
    if (sig !== this.followSig) {
      this.followSig = sig;
      const chosen = c.followTarget.value;
      c.followTarget.replaceChildren(...targets.map((target) => h("option", { value: target.value, text: target.label })));
      if (targets.some((target) => target.value === chosen)) c.followTarget.value = chosen;
    }
    const now = follow ? tt("follow_now", { target: this.targetLabel(follow) }) : tt("follow_none");
    if (c.followNow.textContent !== now) c.followNow.textContent = now;
    c.followClear.setAttribute("aria-disabled", String(!follow));
  }

  projectorLabel(view) {
    const label = document.querySelector(`label[for="ws-projector-view-${view}"]`);
    return label ? label.textContent : view;
  }

  renderProjector() {
    const current = this.state.workshop.projector_view || "board";
    if (this.projectorWanted && this.projectorWanted !== current) return;
    this.projectorWanted = null;
    for (const radio of document.querySelectorAll("input[name=projector-view]")) {
      radio.checked = radio.value === current;
    }
  }

  render() {
    this.renderTimer();
    this.renderFollow();
    if (this.consolePanel) {
      this.renderAgenda();
      this.renderProjector();
    }
  }
}

// The board and the console attach the tools to their view (consolePanel: the controls).
export function attachTools(view, options = {}) {
  return new Tools(view, options);
}
