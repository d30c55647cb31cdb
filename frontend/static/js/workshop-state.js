// The board as plain data: loaded from a snapshot, changed by events, tallies and presence.

import { applyAudience, loadAudience } from "./workshop-audience-state.js";
import { applyBreakout } from "./workshop-breakout-state.js";
import { applyCardTools, cardAdded, cardDeleted, loadCardTools } from "./workshop-cardtools-state.js";
import { applyTools, loadTools } from "./workshop-tools-state.js";

// A poll's result rows before any vote, shaped as workshops/tally.py shapes them.
function emptyRows(poll) {
  return poll.options.map((option) => {
    const row = { option: option.id, label: option.label, value: 0 };
    if (poll.kind === "dots") row.voters = 0;
    if (poll.kind === "scale") Object.assign(row, { value: null, count: 0, distribution: [0, 0, 0, 0, 0] });
    if (poll.kind === "ranking") row.mean_rank = null;
    return row;
  });
}

export class BoardState {
  constructor() {
    this.loaded = false;
    this.workshop = {};
    this.you = null;
    this.online = [];
    this.onlineCount = 0;
    this.clusters = new Map();
    this.cards = new Map();
    this.comments = new Map(); // card id -> [comment]
    this.polls = new Map();
    this.myLikes = new Set();
    this.groups = new Map(); // breakout groups (running and ended): id -> {id, name, x, y, w, h, active, members, names}
    this.groupTimers = new Map(); // group id -> its timer, with receivedAt (workshop-breakout.js)
    this.cardsBySeq = new Map(); // seq of card.added -> card id, to recognise one's own new cards
  }

  load(state) {
    this.loaded = true;
    this.workshop = { ...state.workshop, phase: state.phase };
    this.you = state.you;
    this.setOnline(state.online, state.online_count ?? state.online.length);
    this.clusters = new Map(state.clusters.map((c) => [c.id, c]));
    this.cards = new Map(state.cards.map((c) => [c.id, c]));
    this.comments = new Map();
    for (const comment of state.comments) this.addComment(comment);
    this.polls = new Map(state.polls.map((p) => [p.id, p]));
    this.myLikes = new Set(state.my_likes);
    loadCardTools(this, state); // my private cards, their count, my reactions
    loadAudience(this, state); // Q&A: questions, my upvotes, my questions
    loadTools(this, state); // timers, agenda, the server's clock
    this.groups = new Map((state.groups || []).map((g) => [g.id, { ...g, names: g.names || [] }]));
    const now = Date.now();
    this.groupTimers = new Map(
      (state.timers || []).filter((timer) => timer.group).map((timer) => [timer.group, { ...timer, receivedAt: now }]),
    );
  }

  setOnline(online, count) {
    this.online = online;
    this.onlineCount = typeof count === "number" ? count : online.length;
  }

  addComment(comment) {
    if (!this.comments.has(comment.card)) this.comments.set(comment.card, []);
    const list = this.comments.get(comment.card);
    if (!list.some((c) => c.id === comment.id)) list.push(comment);
  }

  get isFacilitator() {
    return this.you?.role === "facilitator";
  }

  get mayWrite() {
    return Boolean(this.you) && this.you.role !== "observer";
  }

  // Whether this participant may add and change cards now (the server has the last word).
  get boardOpen() {
    const { phase, board_locked: locked, state } = this.workshop;
    if (!this.mayWrite || phase === "closed") return false;
    if (this.isFacilitator) return true;
    return state === "live" && (phase === "collect" || phase === "cluster") && !locked;
  }

  get mayCluster() {
    return this.boardOpen && (this.isFacilitator || this.workshop.participants_may_cluster);
  }

  get mayComment() {
    const { phase, board_locked: locked } = this.workshop;
    return this.mayWrite && phase !== "closed" && (this.isFacilitator || !locked);
  }

  // Applies one event; returns a note for announcements, e.g. {card} for a new card.
  apply(event) {
    const data = event.data || {};
    switch (event.name) {
      case "card.added":
        cardAdded(this, data);
        this.cards.set(data.id, data);
        this.cardsBySeq.set(event.seq, data.id);
        return { newCard: data };
      case "card.updated": {
        const card = { ...data };
        delete card.changed;
        this.cards.set(card.id, card);
        break;
      }
      case "card.deleted":
        cardDeleted(this, data.id);
        this.cards.delete(data.id);
        this.comments.delete(data.id);
        break;
      case "card.liked":
      case "card.unliked": {
        const card = this.cards.get(data.card);
        if (card) card.likes = data.likes;
        if (this.you && data.participant === this.you.id) {
          if (event.name === "card.liked") this.myLikes.add(data.card);
          else this.myLikes.delete(data.card);
        }
        break;
      }
      case "comment.added":
        this.addComment(data);
        break;
      case "cluster.added":
      case "cluster.updated":
        this.clusters.set(data.id, data);
        break;
      case "card.moved": {
        // A drop or a finished keyboard move: the position and the cluster it landed in.
        const card = this.cards.get(data.id);
        if (!card) break;
        const from = card.cluster ?? null;
        Object.assign(card, { x: data.x, y: data.y, cluster: data.cluster ?? null });
        return { moved: { card, from, to: card.cluster } };
      }
      case "cluster.moved": {
        // The area moved (or was resized) and its cards with it, by the same offset.
        const cluster = this.clusters.get(data.id);
        const resized =
          Boolean(cluster) && cluster.x === data.x && cluster.y === data.y && (cluster.w !== data.w || cluster.h !== data.h);
        if (cluster) Object.assign(cluster, { x: data.x, y: data.y, w: data.w ?? cluster.w, h: data.h ?? cluster.h });
        for (const moved of data.cards || []) {
          const card = this.cards.get(moved.id);
          if (card) Object.assign(card, { x: moved.x, y: moved.y });
        }
        return { clusterMoved: cluster, resized };
      }
      case "cluster.deleted":
        this.clusters.delete(data.id);
        for (const card of this.cards.values()) if (card.cluster === data.id) card.cluster = null;
        break;
      case "card.private":
      case "cards.revealed":
      case "cards.merged":
      case "card.reacted":
        return applyCardTools(this, event.name, data);
      case "breakout.started":
      case "breakout.assigned":
      case "breakout.ended":
        return applyBreakout(this, event.name, data);
      case "timer.changed":
      case "agenda.changed":
      case "follow.changed":
      case "projector.changed":
        return applyTools(this, event.name, data);
      case "question.added":
      case "question.updated":
      case "question.removed":
      case "question.voted":
        return applyAudience(this, event);
      case "phase.changed":
        this.workshop.phase = data.phase;
        this.workshop.state = data.state;
        return { phase: data.phase };
      case "workshop.updated":
        Object.assign(this.workshop, data);
        break;
      case "measure.promoted":
        if (data.card && this.cards.has(data.card)) this.cards.get(data.card).measure = data.measure.id;
        if (data.cluster && this.clusters.has(data.cluster)) this.clusters.get(data.cluster).measure = data.measure.id;
        break;
      case "poll.created": {
        // No votes yet: zero rows, as a snapshot would have them, where this reader may see them.
        const visible = BoardState.resultsPublic(data) || this.isFacilitator;
        const tally = { votes: 0, options: visible ? emptyRows(data) : null };
        this.polls.set(data.id, { ...data, tally, my_vote: null });
        break;
      }
      case "poll.opened":
        this.updatePoll(data.poll, { state: "open" });
        // The projector switched to the poll with it.
        if (data.projector_view) this.workshop.projector_view = data.projector_view;
        return { pollOpened: this.polls.get(data.poll) };
      case "poll.closed": {
        const poll = this.polls.get(data.poll);
        this.updatePoll(data.poll, { state: "closed", ...(data.results ? { tally: data.results } : {}) });
        return { pollClosed: poll };
      }
      case "poll.revealed":
        this.updatePoll(data.poll, { revealed: true, ...(data.results ? { tally: data.results } : {}) });
        break;
      case "participants.renamed": {
        // An account was deleted (or purged): its name goes from the list, cards and comments.
        const names = new Map((data.participants || []).map((p) => [p.id, p.name]));
        for (const person of this.online) if (names.has(person.id)) person.name = names.get(person.id);
        for (const card of this.cards.values()) {
          if (card.author_name && names.has(card.author)) card.author_name = names.get(card.author);
        }
        for (const question of this.questions?.values() || []) {
          if (question.author_name && names.has(question.author)) question.author_name = names.get(question.author);
        }
        const commentNames = new Map((data.comments || []).map((c) => [c.id, c.name]));
        for (const list of this.comments.values()) {
          for (const comment of list) {
            if (comment.author_name && commentNames.has(comment.id)) comment.author_name = commentNames.get(comment.id);
          }
        }
        return { renamed: true };
      }
      default:
        break;
    }
    return {};
  }

  updatePoll(id, changes) {
    const poll = this.polls.get(id);
    if (poll) Object.assign(poll, changes);
  }

  applyTally(frame) {
    const poll = this.polls.get(frame.poll);
    if (!poll) return;
    poll.tally = { votes: frame.votes, options: frame.options ?? null };
  }

  // Results may be shown on shared screens: not hidden, or revealed.
  static resultsPublic(poll) {
    return !poll.results_hidden || poll.revealed;
  }
}
