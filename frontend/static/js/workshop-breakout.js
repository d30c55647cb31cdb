// Breakout groups on the board and in the console.
//
// Participants see which group they are in, its timer and (when they may choose) a chooser;
// their canvas is brought to their group's area and the list view shows their group only,
// unless they ask for all groups. The facilitator's console starts groups (how many, how
// people get in), shows every group with its people, timer and cards, assigns people with
// one select each, and ends the groups. Texts come from <template id="ws-breakout-texts">.

import { formatNumber, h } from "./workshop-common.js";

const TICK_MS = 1000;
const DEFAULT_MINUTES = 10;
const CARD_TEXT_SHOWN = 80;

function readTexts() {
  const texts = new Map();
  const template = document.getElementById("ws-breakout-texts");
  for (const node of template?.content.querySelectorAll("data") || []) texts.set(node.value, node.textContent);
  return texts;
}
const TEXTS = readTexts();

function bt(key, params = {}) {
  const text = TEXTS.get(key) ?? key;
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in params ? String(params[name]) : whole));
}

function btn(key, n, params = {}) {
  return bt(`${key}_${n === 1 ? "one" : "other"}`, { n: formatNumber(n), ...params });
}

function shorten(text, max = CARD_TEXT_SHOWN) {
  const flat = String(text || "").replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function clock(ms) {
  const seconds = Math.max(0, Math.ceil(ms / 1000));
  const minutes = Math.floor(seconds / 60);
  return `${String(minutes).padStart(2, "0")}:${String(seconds % 60).padStart(2, "0")}`;
}

// What is left of a timer now: on the server's clock where the tools module keeps one
// (state.clock, corrected by server_now), else counted down from when its frame arrived.
function remainingMs(timer, serverClock) {
  if (!timer) return 0;
  if (timer.state !== "running") return timer.remaining_ms || 0;
  if (serverClock && typeof timer.ends_at === "number") return Math.max(0, timer.ends_at - serverClock.now());
  return Math.max(0, timer.remaining_ms - (Date.now() - (timer.receivedAt ?? Date.now())));
}

function timerText(timer, serverClock) {
  if (!timer || timer.state === "stopped") return bt("timer_not_running");
  const left = remainingMs(timer, serverClock);
  if (timer.state === "paused") return bt("timer_paused", { time: clock(left) });
  return left > 0 ? bt("timer_running", { time: clock(left) }) : bt("timer_up");
}

// Replaces a container's children only when sig changed; focus stays on the control with the same key.
function redraw(container, entry, sig, build) {
  if (entry.sig === sig) return;
  entry.sig = sig;
  const key = container.contains(document.activeElement) ? document.activeElement.dataset.key : null;
  container.replaceChildren(...build());
  if (key) container.querySelector(`[data-key="${CSS.escape(key)}"]`)?.focus({ preventScroll: true });
}

export class Breakout {
  constructor(view) {
    this.view = view;
    this.state = view.state;
    this.showAll = false;
    this.focusedGroup = null; // the group the canvas was last brought to
    this.sigs = { chooser: {}, groups: {}, people: {} };
    this.box = document.getElementById("ws-breakout");
    this.console = document.getElementById("ws-breakout-console");
    if (this.box) {
      this.where = document.getElementById("ws-breakout-where");
      this.members = document.getElementById("ws-breakout-members");
      this.timer = document.getElementById("ws-breakout-timer");
      this.chooser = document.getElementById("ws-breakout-chooser");
      this.chooserList = document.getElementById("ws-breakout-chooser-list");
      this.all = document.getElementById("ws-breakout-all");
      this.goto = document.getElementById("ws-breakout-goto");
      this.error = document.getElementById("ws-breakout-error");
      this.all.addEventListener("change", () => {
        this.showAll = this.all.checked;
        this.view.render();
      });
      this.goto.addEventListener("click", () => this.bringToGroup(this.state.you?.group, true));
    }
    if (this.console) this.wireConsole();
    // The list view shows one's own group while one works in it (helper hook of workshop-view.js).
    view.listFilter = (item) => this.inList(item);
    view.onRender(() => this.render());
    view.onEventApplied?.((frame, note) => this.onEvent(frame, note));
    this.ticker = setInterval(() => this.tick(), TICK_MS);
  }

  myGroup() {
    const id = this.state.you?.group;
    const group = id ? this.state.groups.get(id) : null;
    return group?.active ? group : null;
  }

  // A group's timer: from the tools module's timers where it runs, else as heard here.
  timerOf(id) {
    return this.state.timers?.get?.(id) ?? this.state.groupTimers.get(id);
  }

  groupTimerText(id) {
    return timerText(this.timerOf(id), this.state.clock);
  }

  activeGroups() {
    return [...this.state.groups.values()].filter((g) => g.active).sort((a, b) => a.id - b.id);
  }

  inList(item) {
    const group = this.myGroup();
    if (!group || this.showAll || this.state.isFacilitator) return true;
    return item.group === group.id;
  }

  bringToGroup(id, always = false) {
    if (!id || (!always && this.focusedGroup === id)) return;
    this.focusedGroup = id;
    this.view.canvas?.focusTarget?.("group", id);
  }

  // --- events ------------------------------------------------------------------------

  onEvent(frame, note) {
    const data = frame.data || {};
    if (frame.name === "timer.changed" && data.group) {
      this.state.groupTimers.set(data.group, { ...data, receivedAt: Date.now() });
      const mine = this.myGroup();
      if (mine && mine.id === data.group && data.state === "running" && !this.state.isFacilitator) {
        this.view.announcer.say(bt("announce_timer", { time: clock(data.remaining_ms) }));
      }
    }
    const breakout = note?.breakout;
    if (!breakout) return;
    const say = (text) => this.view.announcer.say(text);
    if (breakout.ended) {
      this.focusedGroup = null;
      this.showAll = false;
      say(bt("announce_ended"));
      return;
    }
    if (this.state.isFacilitator) {
      if (breakout.started) say(btn("announce_started_facilitator", breakout.started.groups.length));
      return;
    }
    const mine = this.myGroup();
    if ((breakout.started || breakout.mine) && mine) {
      say(bt("announce_in_group", { name: mine.name }));
      this.bringToGroup(mine.id, true);
    } else if (breakout.started && this.state.workshop.breakout_mode === "choice" && this.state.mayWrite) {
      say(bt("announce_choose"));
    } else if (breakout.mine) {
      say(bt("announce_plenary"));
    }
  }

  tick() {
    if (!this.state.loaded) return;
    const running = [...this.state.groups.values()].some((g) => g.active && this.timerOf(g.id)?.state === "running");
    if (running) this.renderTimers();
  }

  // --- drawing -----------------------------------------------------------------------

  render() {
    if (!this.state.loaded) return;
    if (this.box) this.renderBox();
    if (this.console) this.renderConsole();
  }

  renderTimers() {
    if (this.box && !this.box.hidden) {
      const mine = this.myGroup();
      if (mine) this.timer.textContent = this.groupTimerText(mine.id);
    }
    for (const el of this.console?.querySelectorAll("[data-group-timer]") || []) {
      el.textContent = this.groupTimerText(Number(el.dataset.groupTimer));
    }
  }

  renderBox() {
    const state = this.state;
    const running = Boolean(state.workshop.breakout_mode);
    const mine = this.myGroup();
    this.box.hidden = state.isFacilitator || !running;
    if (this.box.hidden) {
      this.focusedGroup = null;
      return;
    }
    const choosing = state.workshop.breakout_mode === "choice" && state.mayWrite;
    if (mine) this.where.textContent = bt("you_are_in", { name: mine.name });
    else this.where.textContent = choosing ? bt("choose_a_group") : bt("in_plenary");
    const others = mine ? mine.names.filter((_name, i) => mine.members[i] !== state.you.id) : [];
    this.members.hidden = !mine;
    this.members.textContent = others.length ? bt("with_people", { names: others.join(", ") }) : bt("alone");
    this.timer.hidden = !mine;
    if (mine) this.timer.textContent = this.groupTimerText(mine.id);
    this.goto.hidden = !mine || !this.view.canvas;
    this.all.closest(".ws-choice").hidden = !mine;
    this.all.checked = this.showAll;
    if (mine) this.bringToGroup(mine.id);

    this.chooser.hidden = !choosing;
    const groups = this.activeGroups();
    const sig = JSON.stringify([choosing, mine?.id, groups.map((g) => [g.id, g.name, g.members.length])]);
    redraw(this.chooserList, this.sigs.chooser, sig, () =>
      choosing
        ? groups.map((group) =>
            h(
              "li",
              {},
              h("button", {
                type: "button",
                class: "ws-breakout__choose",
                "aria-pressed": String(mine?.id === group.id),
                dataset: { key: `choose-${group.id}` },
                text: bt("choose", { name: group.name, people: btn("people", group.members.length) }),
                onclick: () => {
                  if (mine?.id === group.id) return;
                  this.view.command("breakout.choose", { group: group.id }, this.error);
                },
              }),
            ),
          )
        : [],
    );
  }

  // --- the console ---------------------------------------------------------------------

  wireConsole() {
    this.form = document.getElementById("ws-breakout-form");
    this.running = document.getElementById("ws-breakout-running");
    this.summary = document.getElementById("ws-breakout-summary");
    this.groupsList = document.getElementById("ws-breakout-groups");
    this.people = document.getElementById("ws-breakout-people");
    this.peopleEmpty = document.getElementById("ws-breakout-people-empty");
    this.consoleError = document.getElementById("ws-breakout-console-error");
    this.form.addEventListener("submit", (event) => this.start(event));
    document.getElementById("ws-breakout-end").addEventListener("click", async () => {
      const ack = await this.view.command("breakout.end", {}, this.consoleError);
      if (ack) this.form.elements.count.focus();
    });
    document.getElementById("ws-breakout-overview").addEventListener("click", () => this.view.canvas?.fit?.());
  }

  async start(event) {
    event.preventDefault();
    const form = this.form;
    const count = Number.parseInt(form.elements.count.value, 10);
    if (!Number.isInteger(count) || count < 2 || count > 20) {
      this.view.showError(this.consoleError, bt("count_invalid"));
      form.elements.count.focus();
      return;
    }
    const command = { count, mode: form.elements.mode.value };
    const names = form.elements.names.value
      .split("\n")
      .map((line) => line.trim())
      .filter(Boolean);
    if (names.length) {
      if (names.length !== count) {
        this.view.showError(this.consoleError, bt("names_count", { n: count }));
        form.elements.names.focus();
        return;
      }
      command.names = names;
    } else {
      // Named in the facilitator's language (the server's own default is German).
      command.names = Array.from({ length: count }, (_unused, index) => bt("group_default", { n: index + 1 }));
    }
    const ack = await this.view.command("breakout.start", command, this.consoleError);
    if (ack) {
      form.elements.names.value = "";
      // After the event the running view is drawn: focus goes to its summary.
      requestAnimationFrame(() => this.summary.focus());
    }
  }

  renderConsole() {
    const state = this.state;
    const mode = state.workshop.breakout_mode;
    const groups = this.activeGroups();
    this.form.hidden = Boolean(mode);
    this.running.hidden = !mode;
    if (!mode) return;
    const modes = { random: bt("mode_random"), choice: bt("mode_choice"), manual: bt("mode_manual") };
    this.summary.textContent = btn("running", groups.length, { mode: modes[mode] || mode });

    const cardsOf = new Map(groups.map((g) => [g.id, []]));
    for (const card of state.cards.values()) if (cardsOf.has(card.group)) cardsOf.get(card.group).push(card);
    const groupSig = JSON.stringify(
      groups.map((g) => [g.id, g.name, g.names, cardsOf.get(g.id).map((c) => [c.id, c.text])]),
    );
    redraw(this.groupsList, this.sigs.groups, groupSig, () => groups.map((g) => this.groupItem(g, cardsOf.get(g.id))));
    this.renderTimers();
    for (const group of groups) {
      const timer = this.timerOf(group.id);
      const active = timer && (timer.state === "running" || timer.state === "paused");
      const stop = this.groupsList.querySelector(`[data-key="stop-${group.id}"]`);
      if (stop) stop.hidden = !active;
    }

    // Everyone who may be put into a group: the people online (not facilitators) and every member.
    const people = new Map();
    for (const person of state.online) {
      if (person.role !== "facilitator") people.set(person.id, person.name);
    }
    for (const group of groups) group.members.forEach((id, i) => people.set(id, group.names[i] || `#${id}`));
    const groupOf = new Map();
    for (const group of groups) for (const id of group.members) groupOf.set(id, group.id);
    const rows = [...people].sort((a, b) => a[1].localeCompare(b[1]) || a[0] - b[0]);
    const peopleSig = JSON.stringify([rows, groups.map((g) => [g.id, g.name]), [...groupOf]]);
    redraw(this.people, this.sigs.people, peopleSig, () =>
      rows.map(([id, name]) => {
        const selectId = `ws-breakout-person-${id}`;
        const select = h(
          "select",
          { id: selectId, dataset: { key: selectId } },
          h("option", { value: "", text: bt("plenary") }),
          groups.map((g) => h("option", { value: g.id, text: g.name })),
        );
        select.value = groupOf.has(id) ? String(groupOf.get(id)) : "";
        select.addEventListener("change", async () => {
          const group = select.value ? Number(select.value) : null;
          const ack = await this.view.command("breakout.assign", { participant: id, group }, this.consoleError);
          if (!ack) select.value = groupOf.has(id) ? String(groupOf.get(id)) : "";
        });
        return h("li", { class: "ws-breakout__person" }, h("label", { for: selectId, text: name }), select);
      }),
    );
    this.peopleEmpty.hidden = rows.length > 0;
  }

  groupItem(group, cards) {
    const titleId = `ws-breakout-group-${group.id}`;
    const error = h("p", { class: "form-error", role: "alert", hidden: true });
    const minutesId = `ws-breakout-minutes-${group.id}`;
    const minutes = h("input", {
      type: "number",
      id: minutesId,
      min: "1",
      max: "180",
      value: String(DEFAULT_MINUTES),
      inputmode: "numeric",
      class: "ws-breakout__minutes",
      dataset: { key: minutesId },
    });
    const startTimer = h("button", {
      type: "button",
      class: "ws-small",
      text: bt("timer_start"),
      "aria-label": bt("timer_start_for", { name: group.name }),
      dataset: { key: `start-${group.id}` },
      onclick: () => {
        const value = Number.parseInt(minutes.value, 10);
        if (!Number.isInteger(value) || value < 1 || value > 180) {
          this.view.showError(error, bt("minutes_invalid"));
          minutes.focus();
          return;
        }
        this.view.command("timer.start", { group: group.id, minutes: value }, error);
      },
    });
    const stopTimer = h("button", {
      type: "button",
      class: "ws-small ws-secondary",
      text: bt("timer_stop"),
      "aria-label": bt("timer_stop_for", { name: group.name }),
      dataset: { key: `stop-${group.id}` },
      onclick: () => this.view.command("timer.stop", { group: group.id }, error),
    });
    const show = h("button", {
      type: "button",
      class: "ws-small ws-secondary",
      text: bt("show_on_board"),
      "aria-label": bt("show_group_on_board", { name: group.name }),
      dataset: { key: `show-${group.id}` },
      hidden: !this.view.canvas,
      onclick: () => this.view.canvas?.focusTarget?.("group", group.id),
    });
    return h(
      "li",
      { class: "ws-breakout__group", dataset: { group: group.id } },
      h("h4", { id: titleId, text: group.name }),
      h("p", {
        text: group.names.length
          ? `${btn("people", group.names.length)}: ${group.names.join(", ")}`
          : bt("nobody_yet"),
      }),
      h("p", { class: "ws-breakout__timer", "data-group-timer": group.id }),
      h(
        "div",
        { class: "ws-breakout__tools" },
        h("label", { for: minutesId, text: bt("minutes") }),
        minutes,
        startTimer,
        stopTimer,
        show,
      ),
      error,
      h("p", { class: "ws-breakout__cards-title", text: btn("cards", cards.length) }),
      cards.length
        ? h(
            "ul",
            { class: "ws-breakout__cards", "aria-label": bt("cards_of", { name: group.name }) },
            cards.map((card) => h("li", { text: shorten(card.text) })),
          )
        : null,
    );
  }
}

export function attachBreakout(view) {
  if (!document.getElementById("ws-breakout") && !document.getElementById("ws-breakout-console")) return null;
  return new Breakout(view);
}
