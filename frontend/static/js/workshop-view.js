// The live board: cards grouped by cluster, likes, comments and polls, drawn from a
// BoardState and kept in place between updates, so focus and typed text survive.

import {
  Announcer,
  choices,
  forgetTicket,
  formatNumber,
  h,
  loadTicket,
  pageData,
  t,
  tn,
  wsUrl,
} from "./workshop-common.js";
import { wordFields, wordsChoice, wordsDraft } from "./workshop-audience.js";
import { leaderSummary, renderResults } from "./workshop-results.js";
import { BoardState } from "./workshop-state.js";
import { attachCanvas } from "./workshop-canvas.js";
import { attachBreakout } from "./workshop-breakout.js";
import { attachCardTools } from "./workshop-cardtools.js";
import { CLOSE_NOT_FOUND, WorkshopClient } from "./workshop-client.js";

const NO_CLUSTER = "none";
// Live tallies come up to ten times a second; a screen reader hears at most one summary
// per poll in this time, with the latest numbers.
const TALLY_ANNOUNCE_MS = 5000;

function errorMessage(frame) {
  const known = `error_${frame.code}`;
  const text = t(known);
  return text === known ? frame.message || t("error_unknown") : text;
}

// Keeps keyboard focus where it was when the element is moved in the DOM.
function keepFocus(work) {
  const active = document.activeElement;
  work();
  if (active && active !== document.activeElement && active.isConnected) active.focus({ preventScroll: true });
}

const FOCUSABLE = "button:not([hidden]), a[href], input:not([hidden]), select, textarea, summary";

function visible(el) {
  return el.isConnected && !el.closest("[hidden]");
}

// Replaces a container's controls; if focus was on one of them, it moves to the control
// with the same text, else to the first one, else to the fallback (never to the page top).
function replaceControls(container, children, fallback) {
  const active = document.activeElement;
  const had = container.contains(active);
  const label = had ? active.textContent : null;
  container.replaceChildren(...children);
  if (!had) return;
  const controls = [...container.querySelectorAll(FOCUSABLE)].filter(visible);
  const target = controls.find((el) => el.textContent === label) || controls[0] || fallback;
  target?.focus({ preventScroll: true });
}

export class BoardView {
  constructor(page, { ticket = null } = {}) {
    this.page = page;
    this.root = page.element;
    this.state = new BoardState();
    this.cardEls = new Map();
    this.clusterEls = new Map();
    this.pollEls = new Map();
    this.drafts = new Map(); // poll id -> the choice being edited
    this.mine = new Set(); // ids of my cards, for when authors are hidden
    this.mySeqs = new Set(); // seq numbers of my acknowledged card.add commands
    // Cards written here and not yet on the board: key -> {text, color, seq (of the ack)}.
    // Shown at once, marked as not saved, until their card.added event arrives.
    this.pendingCards = new Map();
    this.pendingEls = new Map();
    this.pendingSerial = 0;
    this.announcer = new Announcer(document.getElementById("ws-announcer"));
    this.tallyTimers = new Map(); // poll id -> timer of the next interim-result announcement
    this.el = {
      connection: document.getElementById("ws-connection"),
      error: document.getElementById("ws-error"),
      status: document.getElementById("ws-status"),
      addForm: document.getElementById("ws-add-form"),
      addText: document.getElementById("ws-card-text"),
      addError: document.getElementById("ws-add-error"),
      pending: document.getElementById("ws-pending"),
      addClosed: document.getElementById("ws-add-closed"),
      anonymous: document.getElementById("ws-card-anonymous-field"),
      polls: document.getElementById("ws-polls-list"),
      pollsEmpty: document.getElementById("ws-polls-empty"),
      board: document.getElementById("ws-board"),
      boardTitle: document.getElementById("ws-board-title"),
      boardEmpty: document.getElementById("ws-board-empty"),
    };
    this.listeners = [];
    this.eventListeners = [];
    this.client = new WorkshopClient(wsUrl(page.wsPath, ticket), {
      snapshot: (state) => this.onSnapshot(state),
      event: (frame) => this.onEvent(frame),
      tally: (frame) => {
        this.state.applyTally(frame);
        this.renderPolls();
        this.announceTally(frame.poll);
      },
      presence: (frame) => {
        this.state.setOnline(frame.online, frame.count);
        this.renderStatus();
      },
      moving: (frame) => this.canvas?.showMoving(frame),
      error: (frame) => this.showError(this.el.error, errorMessage(frame)),
      status: (status) => this.setConnection(status),
      fatal: (code) => this.onFatal(code),
    });
    this.el.addForm?.addEventListener("submit", (event) => this.addCard(event));
  }

  start() {
    this.client.start();
  }

  // Called after every change; the console adds its panel this way.
  onRender(listener) {
    this.listeners.push(listener);
  }

  // Called with each applied event and the state's note about it (the canvas announces moves).
  onEventApplied(listener) {
    this.eventListeners.push(listener);
  }

  mineKey() {
    return `workshop-mine:${this.page.code}:${this.state.you?.id}`;
  }

  loadMine() {
    try {
      for (const id of JSON.parse(localStorage.getItem(this.mineKey()) || "[]")) this.mine.add(id);
    } catch {
      // no storage: own cards are still known by their author id
    }
  }

  send(type, fields) {
    return this.client.send(type, fields);
  }

  // --- frames -----------------------------------------------------------------------

  onSnapshot(state) {
    const first = !this.state.loaded;
    this.state.load(state);
    this.settlePendingCards();
    if (first) {
      this.loadMine();
      this.root.setAttribute("aria-busy", "false");
    }
    this.render();
  }

  onEvent(frame) {
    const note = this.state.apply(frame);
    this.settlePendingCards();
    if (note.newCard) {
      const card = note.newCard;
      if (this.mySeqs.has(frame.seq)) {
        this.markMine(card.id);
      } else {
        // Many new cards at once become one announcement ("5 neue Karten").
        this.announcer.add("cards", card.text, (texts) =>
          texts.length === 1 ? t("new_card", { text: texts[0] }) : tn("new_cards", texts.length),
        );
      }
    }
    for (const listener of this.eventListeners) listener(frame, note);
    if (note.phase) this.announcer.say(t("phase_now", { phase: choices("phases")[note.phase] || note.phase }));
    if (note.pollOpened) this.announcer.say(t("poll_opened", { question: note.pollOpened.question }));
    if (note.pollClosed) {
      const closed = note.pollClosed;
      const result = leaderSummary(closed, { isFacilitator: this.state.isFacilitator });
      this.announcer.say(`${t("poll_closed", { question: closed.question })} ${result}`.trim());
    }
    this.render();
  }

  // Interim results for screen readers: the first change starts a timer, and when it runs out
  // the poll's numbers as they are then are said once, however many votes came in meanwhile.
  announceTally(pollId) {
    if (this.tallyTimers.has(pollId)) return;
    const timer = setTimeout(() => {
      this.tallyTimers.delete(pollId);
      const poll = this.state.polls.get(pollId);
      if (!poll || poll.state !== "open") return;
      const votes = tn("votes_cast", poll.tally?.votes || 0);
      const leader = leaderSummary(poll, { isFacilitator: this.state.isFacilitator });
      const text = `${t("tally_now", { question: poll.question, votes })} ${leader}`.trim();
      this.announcer.add(`tally:${pollId}`, text, (texts) => texts[texts.length - 1]);
    }, TALLY_ANNOUNCE_MS);
    this.tallyTimers.set(pollId, timer);
  }

  onFatal(code) {
    const text = code === CLOSE_NOT_FOUND ? t("fatal_not_found") : t("fatal_unauthorised");
    const banner = this.el.connection;
    banner.className = "ws-banner ws-banner--offline";
    banner.replaceChildren(text, " ");
    if (code !== CLOSE_NOT_FOUND && this.page.joinUrl) {
      banner.append(h("a", { href: this.page.joinUrl, text: t("join_again") }));
    }
    this.onUnauthorised?.(code);
  }

  setConnection(status) {
    const banner = this.el.connection;
    clearTimeout(this.backTimer);
    if (status === "offline") {
      if (banner.dataset.state === "offline") return;
      banner.dataset.state = "offline";
      banner.className = "ws-banner ws-banner--offline";
      banner.textContent = t("offline");
    } else if (status === "back") {
      banner.dataset.state = "back";
      banner.className = "ws-banner ws-banner--back";
      banner.textContent = t("back_online");
      this.backTimer = setTimeout(() => {
        banner.dataset.state = "";
        banner.className = "ws-banner";
        banner.textContent = "";
      }, 5000);
    } else {
      banner.dataset.state = "";
    }
    if (this.state.loaded) this.renderStatus();
    this.renderPendingNote();
    this.renderPendingCards();
  }

  markMine(cardId) {
    this.mine.add(cardId);
    try {
      localStorage.setItem(this.mineKey(), JSON.stringify([...this.mine].slice(-500)));
    } catch {
      // no storage: own cards are still known by their author id
    }
  }

  isMine(card) {
    return (this.state.you && card.author === this.state.you.id) || this.mine.has(card.id);
  }

  showError(target, text) {
    if (!target) return;
    target.textContent = text;
    target.hidden = !text;
  }

  // Runs a command; shows the refusal in errorTarget. Resolves with the ack or null.
  async command(type, fields, errorTarget) {
    this.showError(errorTarget, "");
    const sent = this.send(type, fields);
    this.renderPendingNote();
    try {
      return await sent;
    } catch (frame) {
      this.showError(errorTarget, errorMessage(frame));
      return null;
    } finally {
      this.renderPendingNote();
    }
  }

  renderPendingNote() {
    const note = this.el.pending;
    if (!note) return;
    const waiting = !this.client.ready && this.client.pendingCount > 0;
    note.textContent = waiting ? tn("pending", this.client.pendingCount) : "";
  }

  // --- the add-card form ---------------------------------------------------------------

  async addCard(event) {
    event.preventDefault();
    const form = this.el.addForm;
    const textarea = this.el.addText;
    const text = textarea.value.trim();
    if (!text) {
      textarea.setAttribute("aria-invalid", "true");
      this.showError(this.el.addError, t("card_text_missing"));
      textarea.focus();
      return;
    }
    textarea.removeAttribute("aria-invalid");
    const fields = { text, color: form.elements.color?.value || "yellow" };
    if (form.elements.anonymous?.checked && this.state.workshop.anonymous_posting) fields.anonymous = true;
    textarea.value = "";
    textarea.focus();
    const key = `p${++this.pendingSerial}`;
    const pending = { text, color: fields.color, seq: null };
    this.pendingCards.set(key, pending);
    keepFocus(() => this.renderBoard());
    const ack = await this.command("card.add", fields, this.el.addError);
    if (ack) {
      this.mySeqs.add(ack.seq);
      pending.seq = ack.seq;
      const cardId = this.state.cardsBySeq.get(ack.seq);
      if (cardId) this.markMine(cardId);
      this.settlePendingCards();
      this.render();
    } else {
      this.pendingCards.delete(key);
      keepFocus(() => this.renderBoard());
      if (!textarea.value) textarea.value = text; // refused: give the text back
    }
  }

  // A pending card is done once the board holds its event (the ack comes first; after a
  // reconnect the snapshot may already hold it, and a duplicate's event is long past).
  settlePendingCards() {
    const seq = this.client.seq;
    if (seq === null) return;
    for (const [key, pending] of this.pendingCards) {
      if (pending.seq !== null && pending.seq <= seq) this.pendingCards.delete(key);
    }
  }

  // --- drawing -------------------------------------------------------------------------

  render() {
    if (!this.state.loaded) return;
    this.renderStatus();
    this.renderAddForm();
    // The list is drawn only while it is shown: behind the canvas, 500 hidden list cards
    // cost more than the canvas itself. Switching to it draws it (workshop-canvas.js).
    if (this.el.board?.hidden) {
      if (this.el.boardEmpty) this.el.boardEmpty.hidden = this.state.cards.size + this.pendingCards.size > 0;
    } else {
      keepFocus(() => this.renderBoard());
    }
    keepFocus(() => this.renderPolls());
    for (const listener of this.listeners) listener(this.state);
  }

  renderStatus() {
    const { workshop } = this.state;
    const parts = [
      h("span", {}, `${t("phase")}: `, h("strong", { text: choices("phases")[workshop.phase] || workshop.phase })),
      this.onlineNote(),
    ];
    if (workshop.board_locked) parts.push(h("span", { class: "badge", text: t("board_locked") }));
    if (workshop.hide_authors) parts.push(h("span", { class: "badge", text: t("authors_hidden") }));
    if (this.state.you) {
      const role = choices("roles")[this.state.you.role] || this.state.you.role;
      parts.push(h("span", { text: t("you_are", { name: this.state.you.name, role }) }));
    }
    this.el.status.replaceChildren(...parts);
  }

  // Who is online, marked as the last known number while the connection is down.
  onlineNote() {
    const online = tn("online", this.state.onlineCount);
    if (this.client.ready) return h("span", { class: "ws-online", text: online });
    return h("span", { class: "ws-online ws-online--stale", text: t("online_stale", { online }) });
  }

  renderAddForm() {
    const open = this.state.boardOpen;
    if (this.el.addForm) this.el.addForm.hidden = !open;
    if (this.el.addClosed) {
      this.el.addClosed.hidden = open;
      this.el.addClosed.textContent = this.state.mayWrite ? t("board_closed_now") : t("observer_note");
    }
    if (this.el.anonymous) this.el.anonymous.hidden = !this.state.workshop.anonymous_posting;
  }

  clusterOrder() {
    return [...this.state.clusters.values()].sort((a, b) => a.id - b.id);
  }

  renderBoard() {
    const board = this.el.board;
    // listFilter (workshop-breakout.js): while in a breakout group, the list shows that group's only.
    const shown = (item) => !this.listFilter || this.listFilter(item);
    const clusters = this.clusterOrder().filter(shown);
    const groups = new Map(clusters.map((c) => [String(c.id), []]));
    groups.set(NO_CLUSTER, []);
    // Pinned cards first in their section, then in the order they were written.
    const cards = [...this.state.cards.values()]
      .filter(shown)
      .sort((a, b) => Number(Boolean(b.pinned)) - Number(Boolean(a.pinned)) || a.id - b.id);
    for (const card of cards) {
      const key = card.cluster && groups.has(String(card.cluster)) ? String(card.cluster) : NO_CLUSTER;
      groups.get(key).push(card);
    }
    const clusterSig = JSON.stringify(clusters.map((c) => [c.id, c.title]));

    // Cluster sections, in order, the one without cluster last.
    const wanted = [...clusters.map((c) => String(c.id)), NO_CLUSTER];
    for (const [key, entry] of this.clusterEls) {
      if (!wanted.includes(key)) {
        entry.el.remove();
        this.clusterEls.delete(key);
      }
    }
    wanted.forEach((key, index) => {
      const entry = this.clusterEls.get(key) || this.createCluster(key);
      this.updateCluster(entry, key === NO_CLUSTER ? null : this.state.clusters.get(Number(key)), groups.get(key));
      if (board.children[index] !== entry.el) board.insertBefore(entry.el, board.children[index] || null);
    });

    // Cards: create, update in place, move between clusters only when needed.
    const seen = new Set();
    for (const [key, list] of groups) {
      const ul = this.clusterEls.get(key).list;
      list.forEach((card, index) => {
        seen.add(card.id);
        const entry = this.cardEls.get(card.id) || this.createCard(card);
        this.updateCard(entry, card, clusterSig);
        if (ul.children[index] !== entry.el) ul.insertBefore(entry.el, ul.children[index] || null);
      });
    }
    for (const [id, entry] of this.cardEls) {
      if (!seen.has(id)) {
        const hadFocus = entry.el.contains(document.activeElement);
        entry.el.remove();
        this.cardEls.delete(id);
        if (hadFocus) this.el.boardTitle?.focus();
      }
    }
    this.renderPendingCards();
    if (this.el.boardEmpty) this.el.boardEmpty.hidden = cards.length + this.pendingCards.size > 0;
  }

  // Own cards not yet saved, after the saved ones of the section without cluster; marked in
  // words (not only by their dashed edge) as waiting for the connection.
  renderPendingCards() {
    const section = this.clusterEls.get(NO_CLUSTER);
    if (!section) return;
    const note = this.client.ready ? t("card_saving") : t("card_pending");
    for (const [key, el] of this.pendingEls) {
      if (!this.pendingCards.has(key)) {
        el.remove();
        this.pendingEls.delete(key);
      }
    }
    const els = [];
    for (const [key, pending] of this.pendingCards) {
      let el = this.pendingEls.get(key);
      if (!el) {
        const colorName = choices("colors")[pending.color] || pending.color;
        el = h(
          "li",
          { class: `ws-card ws-card--${pending.color} ws-card--pending`, dataset: { pending: key } },
          h(
            "article",
            {},
            h("p", { class: "ws-card__text", text: pending.text }),
            h(
              "p",
              { class: "ws-card__meta" },
              h("span", { class: "ws-card__color", text: t("color_named", { color: colorName }) }),
              h("span", { class: "ws-card__mine", text: t("your_card") }),
            ),
            h("p", { class: "ws-card__pending" }),
          ),
        );
        this.pendingEls.set(key, el);
      }
      const status = el.querySelector(".ws-card__pending");
      if (status.textContent !== note) status.textContent = note;
      els.push(el);
    }
    const tail = [...section.list.children].slice(-els.length);
    if (els.some((el, index) => tail[index] !== el)) section.list.append(...els);
  }

  createCluster(key) {
    const titleId = `ws-cluster-${key}-title`;
    const heading = h("h3", { id: titleId, class: "ws-cluster__title", tabindex: "-1" });
    const tools = h("div", { class: "ws-cluster__tools" });
    const error = h("p", { class: "form-error", role: "alert", hidden: true });
    const list = h("ul", { class: "ws-cards" });
    const el = h(
      "section",
      { class: "ws-cluster", dataset: { cluster: key }, "aria-labelledby": titleId },
      heading,
      tools,
      error,
      list,
    );
    const entry = { el, heading, tools, error, list, sig: null };
    this.clusterEls.set(key, entry);
    return entry;
  }

  updateCluster(entry, cluster, cards) {
    const title = cluster ? cluster.title : t("no_cluster");
    const { mayCluster, isFacilitator } = this.state;
    const sig = JSON.stringify([title, cards.length, cluster?.measure, mayCluster, isFacilitator]);
    if (entry.sig === sig) return;
    entry.sig = sig;
    entry.heading.replaceChildren(title, " ", h("span", { class: "count", text: `(${tn("cards", cards.length)})` }));
    if (!cluster) return;
    const tools = [];
    if (cluster.measure) tools.push(h("span", { class: "badge", text: t("is_measure") }));
    if (this.state.mayCluster) {
      tools.push(
        h("button", {
          type: "button",
          class: "ws-small",
          text: t("rename"),
          "aria-label": t("rename_cluster", { title }),
          onclick: () => this.renameCluster(cluster, entry),
        }),
        h("button", {
          type: "button",
          class: "ws-small ws-danger",
          text: t("delete"),
          "aria-label": t("delete_cluster", { title }),
          onclick: () => {
            if (window.confirm(t("confirm_delete_cluster", { title })))
              this.command("cluster.delete", { cluster: cluster.id }, entry.error);
          },
        }),
      );
    }
    if (this.state.isFacilitator && !cluster.measure) {
      tools.push(
        h("button", {
          type: "button",
          class: "ws-small",
          text: t("promote"),
          "aria-label": t("promote_cluster", { title }),
          onclick: () => this.command("cluster.promote", { cluster: cluster.id }, entry.error),
        }),
      );
    }
    replaceControls(entry.tools, tools, entry.heading);
  }

  renameCluster(cluster, entry) {
    const inputId = `ws-cluster-${cluster.id}-rename`;
    const input = h("input", { type: "text", id: inputId, value: cluster.title, maxlength: 120, required: true });
    const form = h(
      "form",
      { class: "ws-inline-form" },
      h("label", { for: inputId, text: t("cluster_title") }),
      input,
      h("button", { type: "submit", text: t("save") }),
      h("button", {
        type: "button",
        class: "ws-secondary",
        text: t("cancel"),
        onclick: () => {
          entry.sig = null;
          this.render();
        },
      }),
    );
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const ack = await this.command("cluster.update", { cluster: cluster.id, title: input.value.trim() }, entry.error);
      if (ack) {
        entry.sig = null;
        this.render();
      }
    });
    entry.tools.replaceChildren(form);
    input.focus();
  }

  createCard(card) {
    const id = card.id;
    const text = h("p", { class: "ws-card__text" });
    const meta = h("p", { class: "ws-card__meta" });
    const like = h("button", { type: "button", class: "ws-like", "aria-pressed": "false" });
    like.addEventListener("click", () => {
      const liked = this.state.myLikes.has(id);
      this.command(liked ? "card.unlike" : "card.like", { card: id }, error);
    });
    const likeCount = h("span", { class: "ws-card__likes" });
    const editButton = h("button", { type: "button", class: "ws-small", text: t("edit") });
    const deleteButton = h("button", { type: "button", class: "ws-small ws-danger", text: t("delete") });
    const promoteButton = h("button", { type: "button", class: "ws-small", text: t("promote") });
    const moveId = `ws-card-${id}-cluster`;
    const moveSelect = h("select", { id: moveId });
    const move = h("span", { class: "ws-card__move" }, h("label", { for: moveId, text: t("cluster") }), moveSelect);
    const actions = h(
      "div",
      { class: "ws-card__actions" },
      like,
      likeCount,
      move,
      editButton,
      deleteButton,
      promoteButton,
    );

    const editId = `ws-card-${id}-edit`;
    const editText = h("textarea", { id: editId, rows: 3, maxlength: 500 });
    const editColorId = `ws-card-${id}-color`;
    const editColor = h(
      "select",
      { id: editColorId },
      Object.entries(choices("colors")).map(([value, label]) => h("option", { value, text: label })),
    );
    const editForm = h(
      "form",
      { class: "ws-card__edit", hidden: true },
      h("label", { for: editId, text: t("card_text") }),
      editText,
      h("label", { for: editColorId, text: t("color") }),
      editColor,
      h(
        "div",
        { class: "form-actions" },
        h("button", { type: "submit", text: t("save") }),
        h("button", { type: "button", class: "ws-secondary", text: t("cancel"), onclick: () => closeEdit() }),
      ),
    );
    const closeEdit = () => {
      editForm.hidden = true;
      editButton.focus();
    };
    editButton.addEventListener("click", () => {
      const current = this.state.cards.get(id);
      editText.value = current.text;
      editColor.value = current.color;
      editForm.hidden = false;
      editText.focus();
    });
    editForm.addEventListener("submit", async (event) => {
      event.preventDefault();
      const value = editText.value.trim();
      if (!value) {
        this.showError(error, t("card_text_missing"));
        return;
      }
      const ack = await this.command("card.update", { card: id, text: value, color: editColor.value }, error);
      if (ack && editForm.isConnected) closeEdit();
    });
    deleteButton.addEventListener("click", () => {
      if (window.confirm(t("confirm_delete_card"))) this.command("card.delete", { card: id }, error);
    });
    promoteButton.addEventListener("click", () => this.command("card.promote", { card: id }, error));
    moveSelect.addEventListener("change", () => {
      const value = moveSelect.value === NO_CLUSTER ? null : Number(moveSelect.value);
      // With the canvas, the card also gets a place inside the cluster's area (card.move).
      if (this.canvas) this.canvas.moveToCluster(id, value);
      else this.command("card.update", { card: id, cluster: value }, error);
    });

    const commentsSummary = h("summary");
    const commentsList = h("ul", { class: "ws-comments__list" });
    const commentId = `ws-card-${id}-comment`;
    const commentText = h("textarea", { id: commentId, rows: 2, maxlength: 1000 });
    const commentForm = h(
      "form",
      { class: "ws-comments__form" },
      h("label", { for: commentId, text: t("comment") }),
      commentText,
      h("button", { type: "submit", text: t("comment_send") }),
    );
    commentForm.addEventListener("submit", async (event) => {
      event.preventDefault();
      const value = commentText.value.trim();
      if (!value) {
        this.showError(error, t("comment_missing"));
        commentText.focus();
        return;
      }
      commentText.value = "";
      const ack = await this.command("comment.add", { card: id, text: value }, error);
      if (!ack && !commentText.value) commentText.value = value;
    });
    const comments = h("details", { class: "ws-comments" }, commentsSummary, commentsList, commentForm);
    const error = h("p", { class: "form-error", role: "alert", hidden: true });

    const el = h(
      "li",
      { class: "ws-card", id: `karte-${id}`, dataset: { card: id } },
      h("article", {}, text, meta, actions, editForm, comments, error),
    );
    const entry = {
      el,
      text,
      meta,
      like,
      likeCount,
      move,
      moveSelect,
      editButton,
      deleteButton,
      promoteButton,
      editForm,
      commentsSummary,
      commentsList,
      commentForm,
      sig: null,
      clusterSig: null,
    };
    this.cardtools?.decorateCard(entry); // reactions, badges, the facilitator's card menu
    this.cardEls.set(id, entry);
    return entry;
  }

  updateCard(entry, card, clusterSig) {
    const focused = entry.el.contains(document.activeElement) ? document.activeElement : null;
    this.patchCard(entry, card, clusterSig);
    // A control that just disappeared (e.g. "promote" once done) hands focus to its neighbours,
    // unless its redrawn twin already took it (a reaction toggle pressed with Space or Enter).
    const kept = document.activeElement !== focused && entry.el.contains(document.activeElement);
    if (focused && !visible(focused) && !kept) {
      const next = [...entry.el.querySelectorAll(FOCUSABLE)].find(visible);
      next?.focus({ preventScroll: true });
    }
  }

  patchCard(entry, card, clusterSig) {
    const state = this.state;
    const comments = state.comments.get(card.id) || [];
    const mine = this.isMine(card);
    const liked = state.myLikes.has(card.id);
    const sig = JSON.stringify([
      card,
      comments.length,
      mine,
      liked,
      state.boardOpen,
      state.mayComment,
      state.isFacilitator,
      state.workshop.hide_authors,
      state.clusters.size,
    ]);
    if (entry.sig !== sig) {
      entry.sig = sig;
      const colorName = choices("colors")[card.color] || card.color;
      entry.el.className = `ws-card ws-card--${card.color}`;
      entry.text.textContent = card.text;
      const meta = [h("span", { class: "ws-card__color", text: t("color_named", { color: colorName }) })];
      if (card.author_name && !state.workshop.hide_authors) {
        meta.push(h("span", { text: t("by", { name: card.author_name }) }));
      }
      if (mine) meta.push(h("span", { class: "ws-card__mine", text: t("your_card") }));
      if (card.measure) meta.push(h("span", { class: "badge", text: t("is_measure") }));
      entry.meta.replaceChildren(...meta);

      entry.like.hidden = !state.boardOpen;
      entry.like.setAttribute("aria-pressed", String(liked));
      entry.like.replaceChildren(t("like"), " ", h("span", { text: `(${formatNumber(card.likes)})` }));
      entry.likeCount.hidden = state.boardOpen;
      entry.likeCount.textContent = tn("likes", card.likes);

      const mayChange = state.boardOpen && (mine || state.isFacilitator);
      entry.editButton.hidden = !mayChange;
      entry.deleteButton.hidden = !mayChange;
      entry.move.hidden = !mayChange || state.clusters.size === 0;
      entry.promoteButton.hidden = !(state.isFacilitator && !card.measure);
      if (!mayChange) entry.editForm.hidden = true;

      entry.commentsSummary.textContent = t("comments", { n: formatNumber(comments.length) });
      entry.commentForm.hidden = !state.mayComment;
      entry.commentsList.replaceChildren(
        ...comments.map((comment) => {
          const author = comment.author_name && !state.workshop.hide_authors ? `${comment.author_name}: ` : "";
          return h("li", {}, author ? h("strong", { text: author }) : null, comment.text);
        }),
      );
    }
    const moveSig = `${clusterSig}|${card.cluster}`;
    if (entry.clusterSig !== moveSig) {
      entry.clusterSig = moveSig;
      const options = [h("option", { value: NO_CLUSTER, text: t("no_cluster") })];
      for (const cluster of this.clusterOrder()) options.push(h("option", { value: cluster.id, text: cluster.title }));
      entry.moveSelect.replaceChildren(...options);
      entry.moveSelect.value = card.cluster ? String(card.cluster) : NO_CLUSTER;
    }
    this.cardtools?.patchCard(entry, card);
  }

  // --- polls ---------------------------------------------------------------------------

  visiblePolls() {
    const polls = [...this.state.polls.values()].sort((a, b) => b.id - a.id);
    return this.state.isFacilitator ? polls : polls.filter((poll) => poll.state !== "draft");
  }

  renderPolls() {
    const list = this.el.polls;
    if (!list) return;
    const polls = this.visiblePolls();
    const ids = new Set(polls.map((p) => p.id));
    for (const [id, entry] of this.pollEls) {
      if (!ids.has(id)) {
        entry.el.remove();
        this.pollEls.delete(id);
      }
    }
    polls.forEach((poll, index) => {
      const entry = this.pollEls.get(poll.id) || this.createPoll(poll);
      this.updatePoll(entry, poll);
      if (list.children[index] !== entry.el) list.insertBefore(entry.el, list.children[index] || null);
    });
    if (this.el.pollsEmpty) this.el.pollsEmpty.hidden = polls.length > 0;
  }

  createPoll(poll) {
    const titleId = `ws-poll-${poll.id}-title`;
    const el = h("li", { class: "ws-poll", dataset: { poll: poll.id } });
    const heading = h("h3", { id: titleId, class: "ws-poll__question", text: poll.question, tabindex: "-1" });
    const meta = h("p", { class: "ws-poll__meta" });
    const form = h("div", { class: "ws-poll__vote" });
    const status = h("p", { class: "ws-poll__saved", role: "status" });
    const error = h("p", { class: "form-error", role: "alert", hidden: true });
    const results = h("div", { class: "ws-results", "aria-live": "off" });
    const controls = h("div", { class: "ws-poll__controls" });
    el.append(h("article", { "aria-labelledby": titleId }, heading, meta, form, status, error, results, controls));
    const entry = { el, heading, meta, form, status, error, results, controls, formSig: null, controlSig: null };
    this.pollEls.set(poll.id, entry);
    return entry;
  }

  updatePoll(entry, poll) {
    const kinds = choices("poll_kinds");
    const states = choices("poll_states");
    const meta = [kinds[poll.kind] || poll.kind, states[poll.state] || poll.state];
    if (poll.kind === "dots") meta.push(tn("dots_each", poll.dots));
    if (poll.max_per_option) meta.push(t("cap", { n: formatNumber(poll.max_per_option) }));
    if (poll.results_hidden) meta.push(poll.revealed ? t("revealed") : t("hidden_until_reveal"));
    entry.meta.textContent = meta.join(" · ");

    const canVote = poll.state === "open" && this.state.mayWrite && this.state.workshop.state === "live";
    const formSig = JSON.stringify([canVote, poll.options.map((o) => [o.id, o.label])]);
    if (entry.formSig !== formSig) {
      entry.formSig = formSig;
      replaceControls(entry.form, canVote ? [this.voteForm(poll, entry)] : [], entry.heading);
      if (!canVote) entry.status.textContent = "";
    }
    const showResults = poll.state !== "draft" || this.state.isFacilitator;
    entry.results.hidden = !showResults;
    if (showResults) renderResults(entry.results, poll);

    if (this.state.isFacilitator) {
      const controlSig = JSON.stringify([poll.state, poll.results_hidden, poll.revealed]);
      if (entry.controlSig !== controlSig) {
        entry.controlSig = controlSig;
        const buttons = [];
        const act = (type, label) =>
          h("button", {
            type: "button",
            text: label,
            "aria-label": `${label}: ${poll.question}`,
            onclick: () => this.command(type, { poll: poll.id }, entry.error),
          });
        if (poll.state === "draft") buttons.push(act("poll.open", t("poll_open")));
        if (poll.state === "open") buttons.push(act("poll.close", t("poll_close")));
        if (poll.results_hidden && !poll.revealed) buttons.push(act("poll.reveal", t("poll_reveal")));
        replaceControls(entry.controls, buttons, entry.heading);
      }
    }
  }

  draftFor(poll) {
    if (!this.drafts.has(poll.id)) {
      const vote = poll.my_vote;
      let draft;
      switch (poll.kind) {
        case "single":
          draft = vote ?? null;
          break;
        case "multiple":
          draft = new Set(vote || []);
          break;
        case "words":
          draft = wordsDraft(vote);
          break;
        case "ranking": {
          const ids = poll.options.map((o) => o.id);
          const ranked = (vote || []).filter((id) => ids.includes(id));
          draft = [...ranked, ...ids.filter((id) => !ranked.includes(id))];
          break;
        }
        default:
          draft = { ...(vote || {}) };
      }
      this.drafts.set(poll.id, draft);
    }
    return this.drafts.get(poll.id);
  }

  choiceFor(poll) {
    const draft = this.draftFor(poll);
    switch (poll.kind) {
      case "multiple":
        return [...draft];
      case "dots":
        return Object.fromEntries(Object.entries(draft).filter(([, n]) => n > 0));
      case "words":
        return wordsChoice(draft);
      default:
        return draft;
    }
  }

  voteForm(poll, entry) {
    const form = h("form", { class: "ws-vote", dataset: { kind: poll.kind } });
    const body = h("div", { class: "ws-vote__body" });
    const submit = h("button", { type: "submit", text: poll.my_vote ? t("vote_change") : t("vote_submit") });
    form.append(body, h("div", { class: "form-actions" }, submit));
    const draw = (focusKey) => {
      body.replaceChildren(...this.voteFields(poll, () => draw(document.activeElement?.dataset.focusKey)));
      if (focusKey) body.querySelector(`[data-focus-key="${focusKey}"]`)?.focus();
    };
    draw();
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const choice = this.choiceFor(poll);
      const empty =
        choice === null ||
        (Array.isArray(choice) && choice.length === 0) ||
        (typeof choice === "object" && !Array.isArray(choice) && Object.keys(choice).length === 0);
      if (empty) {
        this.showError(entry.error, poll.kind === "dots" ? t("vote_no_dots") : t("vote_missing"));
        return;
      }
      entry.status.textContent = "";
      const ack = await this.command("poll.vote", { poll: poll.id, choice }, entry.error);
      if (ack) {
        const current = this.state.polls.get(poll.id);
        if (current) current.my_vote = structuredClone(choice);
        submit.textContent = t("vote_change");
        entry.status.textContent = t("vote_saved");
      }
    });
    return form;
  }

  // The inputs for one poll kind; redraw() is called when a button changes the draft.
  voteFields(poll, redraw) {
    const draft = this.draftFor(poll);
    const name = `ws-poll-${poll.id}`;
    switch (poll.kind) {
      case "words":
        return wordFields(poll, draft, name);
      case "single":
      case "multiple": {
        const single = poll.kind === "single";
        return [
          h(
            "fieldset",
            {},
            h("legend", { text: single ? t("choose_one") : t("choose_many") }),
            poll.options.map((option) => {
              const id = `${name}-o${option.id}`;
              const input = h("input", {
                type: single ? "radio" : "checkbox",
                id,
                name,
                value: option.id,
                checked: single ? draft === option.id : draft.has(option.id),
              });
              input.addEventListener("change", () => {
                if (single) this.drafts.set(poll.id, option.id);
                else if (input.checked) draft.add(option.id);
                else draft.delete(option.id);
              });
              return h("div", { class: "ws-choice" }, input, h("label", { for: id, text: option.label }));
            }),
          ),
        ];
      }
      case "scale":
        return poll.options.map((option) =>
          h(
            "fieldset",
            { class: "ws-scale" },
            h("legend", { text: option.label }),
            h("span", { class: "ws-scale__hint", text: t("scale_hint") }),
            [1, 2, 3, 4, 5].map((grade) => {
              const id = `${name}-o${option.id}-g${grade}`;
              const input = h("input", {
                type: "radio",
                id,
                name: `${name}-o${option.id}`,
                value: grade,
                checked: draft[option.id] === grade,
              });
              input.addEventListener("change", () => {
                draft[option.id] = grade;
              });
              return h("span", { class: "ws-scale__grade" }, input, h("label", { for: id, text: String(grade) }));
            }),
          ),
        );
      case "dots": {
        const used = Object.values(draft).reduce((sum, n) => sum + n, 0);
        const left = poll.dots - used;
        const cap = poll.max_per_option || poll.dots;
        const rows = poll.options.map((option) => {
          const count = draft[option.id] || 0;
          const button = (delta, label, disabled) => {
            const el = h("button", {
              type: "button",
              class: "ws-dot-button",
              text: delta > 0 ? "+" : "−",
              "aria-label": t(label, { option: option.label }),
              "aria-disabled": disabled ? "true" : "false",
              dataset: { focusKey: `${option.id}:${delta}` },
            });
            el.addEventListener("click", () => {
              if (el.getAttribute("aria-disabled") === "true") return;
              draft[option.id] = count + delta;
              redraw();
              const remaining = t("dots_left", { left: formatNumber(left - delta), total: formatNumber(poll.dots) });
              this.announcer.now(`${option.label}: ${tn("dots", count + delta)}. ${remaining}`);
            });
            return el;
          };
          return h(
            "li",
            { class: "ws-dots__row" },
            h("span", { class: "ws-dots__label", text: option.label }),
            button(-1, "dot_remove", count <= 0),
            h("span", { class: "ws-dots__count", text: tn("dots", count) }),
            button(+1, "dot_add", left <= 0 || count >= cap),
          );
        });
        const leftText = t("dots_left", { left: formatNumber(left), total: formatNumber(poll.dots) });
        return [h("p", { class: "ws-dots__left", text: leftText }), h("ul", { class: "ws-dots" }, rows)];
      }
      case "ranking": {
        const labels = new Map(poll.options.map((o) => [o.id, o.label]));
        const move = (index, delta) => {
          const target = index + delta;
          if (target < 0 || target >= draft.length) return;
          [draft[index], draft[target]] = [draft[target], draft[index]];
          redraw();
          this.announcer.now(
            t("rank_now", { option: labels.get(draft[target]), rank: target + 1, total: draft.length }),
          );
        };
        return [
          h("p", { class: "ws-ranking__hint", text: t("ranking_hint") }),
          h(
            "ol",
            { class: "ws-ranking" },
            draft.map((optionId, index) =>
              h(
                "li",
                { class: "ws-ranking__item" },
                h("span", { class: "ws-ranking__place", "aria-hidden": "true", text: `${index + 1}.` }),
                h("span", { class: "ws-ranking__label", text: labels.get(optionId) }),
                h("button", {
                  type: "button",
                  class: "ws-small",
                  text: "↑",
                  "aria-label": t("rank_up", { option: labels.get(optionId) }),
                  "aria-disabled": index === 0 ? "true" : "false",
                  dataset: { focusKey: `${optionId}:up` },
                  onclick: () => move(index, -1),
                }),
                h("button", {
                  type: "button",
                  class: "ws-small",
                  text: "↓",
                  "aria-label": t("rank_down", { option: labels.get(optionId) }),
                  "aria-disabled": index === draft.length - 1 ? "true" : "false",
                  dataset: { focusKey: `${optionId}:down` },
                  onclick: () => move(index, +1),
                }),
              ),
            ),
          ),
        ];
      }
      default:
        return [];
    }
  }
}

// The board and console pages: the ticket stored by the join page, or the session.
export function startBoard({ useSession = false } = {}) {
  const page = pageData();
  if (!page) return null;
  const stored = useSession ? null : loadTicket(page.code);
  if (!stored && !useSession && page.facilitator !== "1") {
    location.replace(page.joinUrl);
    return null;
  }
  const view = new BoardView(page, { ticket: stored?.ticket || null });
  view.canvas = attachCanvas(view);
  view.breakout = attachBreakout(view);
  view.cardtools = attachCardTools(view);
  // An expired ticket is of no use any more; the banner links to the join page.
  view.onUnauthorised = () => {
    if (stored) forgetTicket(page.code);
  };
  view.start();
  return view;
}
