// Audience formats from Mentimeter and Slido on the live board: the word cloud (poll kind
// "words": the answer form and the cloud, words sized by how often they were given, with the
// same words as an ordered list with counts for screen readers and a "als Liste" toggle) and
// the Q&A (ask, upvote, sorted by votes, answered ones collapsed at the bottom; the
// facilitator marks questions answered or hides them). Texts: <template id="ws-audience-texts">.
// renderWordCloud and renderQuestions also serve shared screens (the projector).

import { formatNumber, h, t } from "./workshop-common.js";
import { sortedQuestions } from "./workshop-audience-state.js";
import { BoardState } from "./workshop-state.js";

export const WORDS_MAX = 3;
export const WORD_MAX = 40;
const QUESTION_MAX = 300;
// Font sizes of the cloud, in em (a projector scales them with its own font size): the
// rarest word and the most frequent one.
const SMALLEST = 1;
const LARGEST = 3.2;
// Shown for a question in announcements and button labels.
const QUESTION_SHOWN = 80;

const DEFAULT_TEXTS = {
  answers_one: "{n} Antwort",
  answers_other: "{n} Antworten",
  mentions_one: "{n} Nennung",
  mentions_other: "{n} Nennungen",
  no_words: "Noch keine Antworten.",
  results_hidden: "Das Ergebnis wird nach der Freigabe gezeigt.",
  as_list: "als Liste",
  cloud_label: "Wortwolke: die häufigsten Antworten",
};

function readTexts() {
  const texts = new Map(Object.entries(DEFAULT_TEXTS));
  const template = document.getElementById("ws-audience-texts");
  for (const node of template?.content.querySelectorAll("data") || []) texts.set(node.value, node.textContent);
  return texts;
}
const TEXTS = readTexts();

export function at(key, params = {}) {
  const text = TEXTS.get(key) ?? key;
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in params ? String(params[name]) : whole));
}

function atn(key, n, params = {}) {
  return at(`${key}_${n === 1 ? "one" : "other"}`, { n: formatNumber(n), ...params });
}

function shorten(text, max = QUESTION_SHOWN) {
  const flat = String(text ?? "")
    .replace(/\s+/g, " ")
    .trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

// --- word cloud -------------------------------------------------------------------------

// The cloud's order: the most frequent word in the middle, the others alternately to its
// left and right, so that the big words meet in the centre as on Mentimeter.
function cloudOrder(rows) {
  const order = [];
  rows.forEach((row, index) => {
    if (index % 2) order.push(row);
    else order.unshift(row);
  });
  return order;
}

function fontSize(value, min, max) {
  if (max <= min) return (SMALLEST + LARGEST) / 2;
  // By the square root: area grows with the count, so one very frequent word does not dwarf all.
  const share = (Math.sqrt(value) - Math.sqrt(min)) / (Math.sqrt(max) - Math.sqrt(min));
  return SMALLEST + share * (LARGEST - SMALLEST);
}

const cloudParts = new WeakMap(); // container -> its elements, built once so focus stays on the toggle

function cloudSkeleton(container, { toggle = true } = {}) {
  let parts = cloudParts.get(container);
  if (parts) return parts;
  const votes = h("p", { class: "ws-results__votes" });
  const note = h("p", { class: "ws-results__hidden", hidden: true });
  const only = h("p", { class: "ws-results__note", hidden: true });
  const cloud = h("ul", { class: "ws-cloud", "aria-hidden": "true" });
  const list = h("ol", { class: "ws-cloud__list visually-hidden", "aria-label": at("cloud_label") });
  const button = toggle
    ? h("button", { type: "button", class: "ws-small ws-cloud__toggle", "aria-pressed": "false", text: at("as_list") })
    : null;
  parts = { votes, note, only, cloud, list, button, asList: false };
  button?.addEventListener("click", () => {
    parts.asList = !parts.asList;
    showAs(parts);
  });
  container.replaceChildren(...[votes, button, note, cloud, list, only].filter(Boolean));
  cloudParts.set(container, parts);
  return parts;
}

function showAs(parts) {
  parts.button?.setAttribute("aria-pressed", String(parts.asList));
  parts.cloud.hidden = parts.asList;
  parts.list.classList.toggle("visually-hidden", !parts.asList);
}

// Fills container with a words poll's cloud: {word, value} rows from its tally. forShared: a
// projector shows hidden results only after the reveal, whatever role it has.
export function renderWordCloud(container, poll, { forShared = false, toggle = !forShared } = {}) {
  const parts = cloudSkeleton(container, { toggle });
  const tally = poll.tally || { votes: 0, options: null };
  const hiddenHere = !BoardState.resultsPublic(poll) && (forShared || !tally.options);
  const rows = hiddenHere ? null : tally.options || [];
  parts.votes.textContent = atn("answers", tally.votes || 0);
  const empty = !rows || rows.length === 0;
  parts.note.hidden = !empty;
  parts.note.textContent = hiddenHere ? at("results_hidden") : at("no_words");
  if (parts.button) parts.button.hidden = empty;
  // Hidden results that a facilitator sees before the reveal say so, as the bars do.
  parts.only.hidden = empty || BoardState.resultsPublic(poll);
  parts.only.textContent = parts.only.hidden ? "" : t("results_only_facilitator");
  if (empty) {
    parts.cloud.replaceChildren();
    parts.list.replaceChildren();
    return;
  }
  const values = rows.map((row) => row.value);
  const min = Math.min(...values);
  const max = Math.max(...values);
  parts.cloud.replaceChildren(
    ...cloudOrder(rows).map((row) => {
      const word = h("li", { class: "ws-cloud__word", text: row.word, dataset: { count: row.value } });
      // Through CSSOM, which a strict CSP allows (a style attribute it would block).
      word.style.fontSize = `${fontSize(row.value, min, max).toFixed(2)}em`;
      if (row.value === max) word.classList.add("ws-cloud__word--top");
      return word;
    }),
  );
  parts.list.replaceChildren(
    ...rows.map((row) =>
      h(
        "li",
        { class: "ws-cloud__item" },
        h("span", { class: "ws-cloud__item-word", text: row.word }),
        " ",
        h("span", { class: "ws-cloud__item-count", text: `(${atn("mentions", row.value)})` }),
      ),
    ),
  );
  showAs(parts);
}

// The answer fields of a words poll: up to three short texts. draft is the array being edited.
export function wordFields(poll, draft, name) {
  const fields = [];
  for (let index = 0; index < WORDS_MAX; index += 1) {
    const id = `${name}-w${index}`;
    const input = h("input", {
      type: "text",
      id,
      name: id,
      maxlength: WORD_MAX,
      autocomplete: "off",
      value: draft[index] || "",
      "aria-describedby": `${name}-words-help`,
    });
    input.addEventListener("input", () => {
      draft[index] = input.value;
    });
    fields.push(
      h("p", { class: "form-field ws-words__field" }, h("label", { for: id, text: at("answer_n", { n: index + 1 }) }), input),
    );
  }
  return [
    h(
      "fieldset",
      { class: "ws-words" },
      h("legend", { text: at("words_legend") }),
      h("span", { id: `${name}-words-help`, class: "helptext", text: at("words_help", { n: WORD_MAX }) }),
      fields,
    ),
  ];
}

// The draft of a words poll from one's vote, and the choice to send from the draft.
export function wordsDraft(vote) {
  return Array.isArray(vote) ? [...vote] : [];
}

export function wordsChoice(draft) {
  return draft.map((text) => String(text || "").trim()).filter(Boolean);
}

// --- Q&A --------------------------------------------------------------------------------

function questionMeta(question, { mine = false } = {}) {
  const parts = [];
  parts.push(mine ? at("your_question") : question.author_name ? at("asked_by", { name: question.author_name }) : at("anonymous"));
  if (question.hidden) parts.push(at("hidden_badge"));
  return parts.join(" · ");
}

// A read-only list of the questions for shared screens (the projector): open ones by votes,
// answered ones after them, marked. Hidden ones are left out.
export function renderQuestions(container, questions, { limit = 12 } = {}) {
  const visible = [...(questions instanceof Map ? questions.values() : questions)].filter((q) => !q.hidden);
  const { open, answered } = sortedQuestions(visible);
  if (!open.length && !answered.length) {
    container.replaceChildren(h("p", { class: "ws-qa__empty", text: at("no_questions") }));
    return;
  }
  const item = (q) =>
    h(
      "li",
      { class: `ws-qa__item${q.answered ? " ws-qa__item--answered" : ""}`, dataset: { question: q.id } },
      h("span", { class: "ws-qa__votes", text: atn("upvotes", q.votes || 0) }),
      h("span", { class: "ws-qa__text", text: q.text }),
      q.answered ? h("span", { class: "badge", text: at("answered_badge") }) : null,
    );
  container.replaceChildren(h("ol", { class: "ws-qa ws-qa--shared" }, [...open, ...answered].slice(0, limit).map(item)));
}

class QuestionPanel {
  constructor(view) {
    this.view = view;
    this.state = view.state;
    this.entries = new Map(); // question id -> {el, ...}
    this.el = {
      section: document.getElementById("ws-qa"),
      form: document.getElementById("ws-qa-form"),
      text: document.getElementById("ws-qa-text"),
      anonymous: document.getElementById("ws-qa-anonymous-field"),
      error: document.getElementById("ws-qa-error"),
      status: document.getElementById("ws-qa-status"),
      closed: document.getElementById("ws-qa-closed"),
      empty: document.getElementById("ws-qa-empty"),
      list: document.getElementById("ws-qa-list"),
      answered: document.getElementById("ws-qa-answered"),
      answeredSummary: document.getElementById("ws-qa-answered-summary"),
      answeredList: document.getElementById("ws-qa-answered-list"),
    };
    if (!this.el.section) return;
    this.el.form?.addEventListener("submit", (event) => this.ask(event));
    view.onRender(() => this.render());
    view.onEventApplied?.((frame, note) => this.announce(frame, note));
  }

  get askOpen() {
    const { state, phase } = this.state.workshop;
    return this.state.mayWrite && state === "live" && phase !== "closed";
  }

  async ask(event) {
    event.preventDefault();
    const text = this.el.text.value.trim();
    this.el.status.textContent = "";
    if (!text) {
      this.view.showError(this.el.error, at("question_missing"));
      this.el.text.focus();
      return;
    }
    const anonymous = Boolean(this.el.form.elements.anonymous?.checked);
    const ack = await this.view.command("question.ask", { text, anonymous }, this.el.error);
    if (ack) {
      // Its question.added event comes after the ack: that seq marks the question as one's own.
      if (ack.seq) this.state.myAskSeqs.add(ack.seq);
      this.el.text.value = "";
      this.el.status.textContent = at("question_sent");
    }
  }

  announce(frame, note) {
    const announcer = this.view.announcer;
    if (note?.newQuestion && !note.mine && !this.state.myAskSeqs.has(frame.seq)) {
      announcer.add("questions", note.newQuestion.text, (texts) =>
        texts.length === 1 ? at("new_question", { text: shorten(texts[0]) }) : atn("new_questions", texts.length),
      );
    }
    if (note?.answeredNow) announcer.say(at("answered_now", { text: shorten(note.questionUpdated.text) }));
  }

  render() {
    if (!this.state.loaded || !this.el.section) return;
    const open = this.askOpen;
    this.el.form.hidden = !open;
    this.el.anonymous.hidden = !this.state.workshop.anonymous_posting;
    this.el.closed.hidden = open;
    this.el.closed.textContent = this.state.mayWrite ? at("qa_closed") : at("qa_observer");

    const { open: waiting, answered } = sortedQuestions(this.state.questions?.values() || []);
    const ids = new Set([...waiting, ...answered].map((q) => q.id));
    for (const [id, entry] of this.entries) {
      if (!ids.has(id)) {
        entry.el.remove();
        this.entries.delete(id);
      }
    }
    const active = document.activeElement;
    this.place(this.el.list, waiting);
    this.place(this.el.answeredList, answered);
    if (active && active !== document.activeElement && active.isConnected) active.focus({ preventScroll: true });
    this.el.empty.hidden = ids.size > 0;
    this.el.answered.hidden = answered.length === 0;
    this.el.answeredSummary.textContent = at("answered_summary", { n: formatNumber(answered.length) });
  }

  place(list, questions) {
    questions.forEach((question, index) => {
      const entry = this.entries.get(question.id) || this.create(question);
      this.update(entry, question);
      if (list.children[index] !== entry.el) list.insertBefore(entry.el, list.children[index] || null);
    });
  }

  create(question) {
    const textId = `ws-q-${question.id}-text`;
    const text = h("p", { id: textId, class: "ws-qa__text" });
    const meta = h("p", { class: "ws-qa__meta" });
    const votes = h("span", { class: "ws-qa__votes" });
    const upvote = h("button", { type: "button", class: "ws-small ws-qa__upvote", "aria-pressed": "false" });
    upvote.addEventListener("click", () => this.toggleUpvote(question.id, upvote));
    const answer = h("button", { type: "button", class: "ws-small ws-secondary", "aria-pressed": "false" });
    answer.addEventListener("click", () => this.moderate(question.id, "question.answer", "answered"));
    const hide = h("button", { type: "button", class: "ws-small ws-secondary", "aria-pressed": "false" });
    hide.addEventListener("click", () => this.moderate(question.id, "question.hide", "hidden"));
    const error = h("p", { class: "form-error", role: "alert", hidden: true });
    const tools = h("div", { class: "ws-qa__tools" }, votes, upvote, answer, hide);
    const el = h("li", { class: "ws-qa__item", dataset: { question: question.id } }, text, meta, tools, error);
    const entry = { el, text, meta, votes, upvote, answer, hide, error };
    this.entries.set(question.id, entry);
    return entry;
  }

  update(entry, question) {
    const mine = this.state.myQuestions?.has(question.id);
    const upvoted = this.state.myUpvotes?.has(question.id);
    const short = shorten(question.text);
    entry.el.classList.toggle("ws-qa__item--answered", Boolean(question.answered));
    entry.el.classList.toggle("ws-qa__item--hidden", Boolean(question.hidden));
    entry.el.classList.toggle("ws-qa__item--mine", Boolean(mine));
    entry.text.textContent = question.text;
    entry.meta.textContent = questionMeta(question, { mine });
    entry.votes.textContent = atn("upvotes", question.votes || 0);
    // One's own question and hidden ones are not upvoted; observers and a closed room do not vote.
    entry.upvote.hidden = Boolean(mine || question.hidden || !this.askOpen);
    entry.upvote.textContent = at("upvote");
    entry.upvote.setAttribute("aria-pressed", String(Boolean(upvoted)));
    entry.upvote.setAttribute("aria-label", at("upvote_named", { text: short }));
    const moderating = this.state.isFacilitator && this.state.workshop.phase !== "closed";
    entry.answer.hidden = !moderating;
    entry.hide.hidden = !moderating;
    entry.answer.textContent = at("mark_answered");
    entry.answer.setAttribute("aria-pressed", String(Boolean(question.answered)));
    entry.answer.setAttribute("aria-label", at("mark_answered_named", { text: short }));
    entry.hide.textContent = at("hide");
    entry.hide.setAttribute("aria-pressed", String(Boolean(question.hidden)));
    entry.hide.setAttribute("aria-label", at("hide_named", { text: short }));
  }

  async toggleUpvote(id, button) {
    const entry = this.entries.get(id);
    const on = button.getAttribute("aria-pressed") !== "true";
    const ack = await this.view.command(on ? "question.upvote" : "question.unvote", { question: id }, entry?.error);
    if (ack) {
      const question = this.state.questions.get(id);
      this.view.announcer.now(on ? at("upvoted", { text: shorten(question?.text) }) : at("unvoted", { text: shorten(question?.text) }));
    }
  }

  async moderate(id, type, field) {
    const question = this.state.questions.get(id);
    if (!question) return;
    const entry = this.entries.get(id);
    await this.view.command(type, { question: id, [field]: !question[field] }, entry?.error);
  }
}

// Wires the Q&A panel of _audience.html to a BoardView.
export function attachAudience(view) {
  return new QuestionPanel(view);
}

export { QUESTION_MAX };
