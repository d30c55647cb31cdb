// The facilitator's console: the live board (over the session) plus phases, settings,
// clusters and polls. Entry module of workshops/console.html.

import { attachAudience } from "./workshop-audience.js";
import { choices, h, t, tn } from "./workshop-common.js";
import { attachSuggestions } from "./workshop-suggest.js";
import { attachTools } from "./workshop-tools.js";
import { startBoard } from "./workshop-view.js";

const SETTINGS = ["board_locked", "hide_authors", "participants_may_cluster", "anonymous_posting"];

function shorten(text, max = 80) {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function showError(target, text) {
  target.textContent = text;
  target.hidden = !text;
}

class ConsolePanel {
  constructor(view) {
    this.view = view;
    this.selected = new Set(); // "card:12", "cluster:3" chosen as poll options
    this.phaseButtons = document.getElementById("ws-phase-buttons");
    this.phaseError = document.getElementById("ws-phase-error");
    this.settingsError = document.getElementById("ws-settings-error");
    this.clusterForm = document.getElementById("ws-cluster-form");
    this.clusterError = document.getElementById("ws-cluster-error");
    this.pollForm = document.getElementById("ws-poll-form");
    this.pollError = document.getElementById("ws-poll-error");
    this.pollStatus = document.getElementById("ws-poll-status");
    this.sourceList = document.getElementById("ws-poll-source-list");
    this.sourceEmpty = document.getElementById("ws-poll-source-empty");
    this.buildPhaseButtons();
    this.wireSettings();
    this.clusterForm.addEventListener("submit", (event) => this.addCluster(event));
    this.pollForm.addEventListener("submit", (event) => this.createPoll(event));
    this.pollForm.elements.kind.addEventListener("change", () => this.showKindFields());
    for (const radio of this.pollForm.elements.source) radio.addEventListener("change", () => this.showKindFields());
    this.showKindFields();
    this.measures = new MeasurePicker(document.getElementById("ws-poll-measures-field"));
    view.onRender((state) => this.render(state));
  }

  buildPhaseButtons() {
    this.phaseButtonEls = new Map();
    for (const [phase, label] of Object.entries(choices("phases"))) {
      const button = h("button", { type: "button", class: "ws-phase", "aria-pressed": "false", text: label });
      button.addEventListener("click", () => {
        if (button.getAttribute("aria-pressed") === "true") return;
        this.view.command("phase.set", { phase }, this.phaseError);
      });
      this.phaseButtonEls.set(phase, button);
      this.phaseButtons.append(h("li", {}, button));
    }
  }

  wireSettings() {
    for (const name of SETTINGS) {
      const box = document.getElementById(`ws-setting-${name}`);
      if (!box) continue;
      box.addEventListener("change", async () => {
        const wanted = box.checked;
        const ack = await this.view.command("workshop.update", { [name]: wanted }, this.settingsError);
        if (!ack) box.checked = !wanted;
      });
    }
  }

  async addCluster(event) {
    event.preventDefault();
    const input = this.clusterForm.elements.title;
    const title = input.value.trim();
    if (!title) {
      showError(this.clusterError, t("cluster_title_missing"));
      input.focus();
      return;
    }
    const ack = await this.view.command("cluster.add", { title }, this.clusterError);
    if (ack) input.value = "";
  }

  showKindFields() {
    const form = this.pollForm;
    const kind = form.elements.kind.value;
    document.getElementById("ws-poll-dots-fields").hidden = kind !== "dots";
    // A word cloud takes free answers: it has no options.
    document.getElementById("ws-poll-options-fields").hidden = kind === "words";
    const source = form.elements.source.value;
    document.getElementById("ws-poll-lines-field").hidden = source !== "lines";
    document.getElementById("ws-poll-source-field").hidden = source !== "board";
    document.getElementById("ws-poll-measures-field").hidden = source !== "measures";
  }

  pollOptions() {
    const form = this.pollForm;
    if (form.elements.source.value === "measures") return this.measures.chosen().map((id) => ({ measure: id }));
    if (form.elements.source.value === "board") {
      return [...this.selected].map((key) => {
        const [kind, id] = key.split(":");
        return { [kind]: Number(id) };
      });
    }
    return form.elements.lines.value
      .split("\n")
      .map((line) => line.trim())
      .filter(Boolean);
  }

  async createPoll(event) {
    event.preventDefault();
    const form = this.pollForm;
    const question = form.elements.question.value.trim();
    const words = form.elements.kind.value === "words";
    const options = words ? [] : this.pollOptions();
    this.pollStatus.textContent = "";
    if (!question) {
      showError(this.pollError, t("poll_question_missing"));
      form.elements.question.focus();
      return;
    }
    if (!words && options.length < 2) {
      showError(this.pollError, t("poll_options_missing"));
      return;
    }
    const max = Number(this.measures.root?.dataset.max) || 50;
    if (options.length > max) {
      showError(this.pollError, t("poll_options_too_many", { n: max }));
      return;
    }
    const command = { question, kind: form.elements.kind.value, options, hidden: form.elements.hidden.checked };
    if (command.kind === "dots") {
      const dots = Number.parseInt(form.elements.dots.value, 10);
      const cap = Number.parseInt(form.elements.max_per_option.value, 10);
      if (Number.isInteger(dots)) command.dots = dots;
      if (Number.isInteger(cap)) command.max_per_option = cap;
    }
    const ack = await this.view.command("poll.create", command, this.pollError);
    if (ack) {
      form.elements.question.value = "";
      form.elements.lines.value = "";
      this.selected.clear();
      this.measures.reset();
      this.pollStatus.textContent = t("poll_created");
      this.render(this.view.state);
    }
  }

  render(state) {
    for (const [phase, button] of this.phaseButtonEls) {
      button.setAttribute("aria-pressed", String(state.workshop.phase === phase));
    }
    for (const name of SETTINGS) {
      const box = document.getElementById(`ws-setting-${name}`);
      if (box && document.activeElement !== box) box.checked = Boolean(state.workshop[name]);
    }
    this.renderSources(state);
  }

  // Cards and clusters to pick as options of a new poll.
  renderSources(state) {
    const items = [
      ...[...state.clusters.values()].map((c) => ({
        key: `cluster:${c.id}`,
        label: t("source_cluster", { title: c.title }),
      })),
      ...[...state.cards.values()].map((c) => ({
        key: `card:${c.id}`,
        label: t("source_card", { text: shorten(c.text) }),
      })),
    ];
    const sig = JSON.stringify(items);
    if (sig === this.sourceSig) return;
    this.sourceSig = sig;
    const keys = new Set(items.map((item) => item.key));
    for (const key of this.selected) if (!keys.has(key)) this.selected.delete(key);
    const active = document.activeElement?.id;
    this.sourceList.replaceChildren(
      ...items.map((item) => {
        const id = `ws-source-${item.key.replace(":", "-")}`;
        const box = h("input", { type: "checkbox", id, checked: this.selected.has(item.key) });
        box.addEventListener("change", () => {
          if (box.checked) this.selected.add(item.key);
          else this.selected.delete(item.key);
        });
        return h("li", { class: "ws-choice" }, box, h("label", { for: id, text: item.label }));
      }),
    );
    if (active) document.getElementById(active)?.focus();
    this.sourceEmpty.hidden = items.length > 0;
  }
}

// Catalogue measures as poll options (rendered into the page, grouped by field of action),
// with a filter for long catalogues; the checkboxes stay plain form controls.
class MeasurePicker {
  constructor(root) {
    this.root = root;
    this.filter = document.getElementById("ws-measure-filter");
    if (!root || !this.filter) return;
    this.boxes = [...root.querySelectorAll("input[name=measure]")];
    this.groups = [...root.querySelectorAll(".ws-measure-group")];
    this.count = document.getElementById("ws-measure-count");
    this.none = document.getElementById("ws-measure-none");
    this.filter.addEventListener("input", () => this.applyFilter());
    // Enter in the filter would submit the poll form.
    this.filter.addEventListener("keydown", (event) => {
      if (event.key === "Enter") event.preventDefault();
    });
    root.addEventListener("change", () => this.showCount());
    document.getElementById("ws-measures-all").addEventListener("click", () => this.checkShown(true));
    document.getElementById("ws-measures-none").addEventListener("click", () => this.checkShown(false, true));
    this.applyFilter();
  }

  chosen() {
    return (this.boxes || []).filter((box) => box.checked).map((box) => Number(box.value));
  }

  applyFilter() {
    const words = this.filter.value.trim().toLocaleLowerCase().split(/\s+/).filter(Boolean);
    let shown = 0;
    for (const group of this.groups) {
      const field = (group.dataset.group || "").toLocaleLowerCase();
      let any = false;
      for (const item of group.querySelectorAll("li")) {
        const text = `${field} ${item.textContent.toLocaleLowerCase()}`;
        const match = words.every((word) => text.includes(word));
        item.hidden = !match;
        if (match) {
          any = true;
          shown += 1;
        }
      }
      group.hidden = !any;
    }
    this.shown = shown;
    this.none.hidden = shown > 0;
    this.showCount();
  }

  checkShown(checked, all = false) {
    for (const box of this.boxes) if (all || !box.closest("[hidden]")) box.checked = checked;
    this.showCount();
  }

  showCount() {
    const chosen = tn("measures_chosen", this.chosen().length);
    const shown = t("measures_shown", { shown: this.shown, total: this.boxes.length });
    this.count.textContent = `${chosen} · ${shown}`;
  }

  reset() {
    if (!this.boxes) return;
    for (const box of this.boxes) box.checked = false;
    this.filter.value = "";
    this.applyFilter();
  }
}

const view = startBoard({ useSession: true });
if (view) {
  new ConsolePanel(view);
  attachSuggestions(view);
  attachTools(view, { consolePanel: true });
  attachAudience(view);
}
