// The workshop WebSocket client: snapshot, events in seq order, acks, reconnect and resync.
//
// The server sends a fresh snapshot on every connect, so after a reconnect the board is
// rebuilt from it (it also carries tallies and one's own votes, which are not events).
// While connected, a gap in seq is closed with {"type": "sync", "since": last}.
// Commands keep their id until acknowledged and are resent with the same id after a
// reconnect; the server applies an id only once.

import { newId } from "./workshop-common.js";

const BACKOFF_FIRST = 500;
const BACKOFF_MAX = 10000;
const PING_EVERY = 25000;
const PONG_WITHIN = 10000;
const SYNC_WITHIN = 8000;

export const CLOSE_UNAUTHORISED = 4401;
export const CLOSE_NOT_FOUND = 4404;

export class WorkshopClient {
  constructor(url, handlers) {
    this.url = url;
    this.on = handlers; // snapshot, event, tally, presence, error, status, fatal
    this.seq = null;
    this.socket = null;
    this.ready = false;
    this.stopped = false;
    this.attempt = 0;
    this.everReady = false;
    this.pending = new Map();
    this.transient = new Set(); // ids of card.drag frames: their acks and errors are dropped
    this.syncing = null;
    this.retryTimer = null;
    this.pingTimer = null;
    this.pongTimer = null;
    window.addEventListener("offline", () => this.wentOffline());
    window.addEventListener("online", () => this.reconnectNow());
  }

  start() {
    this.connect();
  }

  // Resolves with the ack, rejects with the error frame.
  send(type, fields = {}) {
    const frame = { ...fields, type, id: newId() };
    return new Promise((resolve, reject) => {
      this.pending.set(frame.id, { frame, resolve, reject });
      if (this.ready) this.transmit(frame);
    });
  }

  // A frame that only matters now (a drag position): sent if connected, never resent,
  // its ack or refusal ignored.
  sendTransient(type, fields = {}) {
    if (!this.ready) return false;
    const frame = { ...fields, type, id: newId() };
    this.transient.add(frame.id);
    if (this.transient.size > 200) this.transient.delete(this.transient.values().next().value);
    return this.transmit(frame);
  }

  get pendingCount() {
    return this.pending.size;
  }

  connect() {
    clearTimeout(this.retryTimer);
    if (this.stopped) return;
    this.ready = false;
    let socket;
    try {
      socket = new WebSocket(this.url);
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.socket = socket;
    socket.addEventListener("message", (message) => {
      if (socket === this.socket) this.receive(message.data);
    });
    socket.addEventListener("close", (event) => {
      if (socket === this.socket) this.closed(event.code);
    });
  }

  transmit(frame) {
    if (this.socket && this.socket.readyState === WebSocket.OPEN) {
      this.socket.send(JSON.stringify(frame));
      return true;
    }
    return false;
  }

  receive(text) {
    let frame;
    try {
      frame = JSON.parse(text);
    } catch {
      return;
    }
    if ((frame.type === "ack" || frame.type === "error") && this.transient.delete(frame.id)) return;
    switch (frame.type) {
      case "snapshot":
        this.snapshot(frame);
        break;
      case "event":
        this.event(frame);
        break;
      case "events": // several events in one frame (the socket asked for bundle=1)
        for (const event of Array.isArray(frame.events) ? frame.events : []) this.event(event);
        break;
      case "ack":
        this.settle(frame, "resolve");
        break;
      case "error":
        if (frame.id && this.pending.has(frame.id)) this.settle(frame, "reject");
        else this.on.error?.(frame);
        break;
      case "synced":
        this.syncing = null;
        break;
      case "pong":
        clearTimeout(this.pongTimer);
        if (typeof frame.seq === "number" && this.seq !== null && frame.seq > this.seq) this.requestSync();
        break;
      case "tally":
        this.on.tally?.(frame);
        break;
      case "presence":
        this.on.presence?.(frame);
        break;
      case "moving":
        this.on.moving?.(frame);
        break;
      default:
        // A reply to one's own command (e.g. "suggestions") comes just before its ack,
        // which then resolves with it as ack.reply.
        if (frame.id && this.pending.has(frame.id)) this.pending.get(frame.id).reply = frame;
        break;
    }
  }

  snapshot(frame) {
    const reconnected = this.everReady && !this.ready;
    this.seq = frame.seq;
    this.syncing = null;
    this.ready = true;
    this.attempt = 0;
    this.on.snapshot?.(frame.state, frame.seq);
    if (!this.everReady || reconnected) this.on.status?.(this.everReady ? "back" : "online");
    this.everReady = true;
    // Commands that got no ack before the break go again, with their ids, in order.
    for (const { frame: command } of this.pending.values()) this.transmit(command);
    this.heartbeat();
  }

  event(frame) {
    if (this.seq === null || frame.seq <= this.seq) return; // already applied
    if (frame.seq > this.seq + 1) {
      this.requestSync();
      return; // the sync brings this event too, in order
    }
    this.seq = frame.seq;
    this.on.event?.(frame);
  }

  requestSync() {
    if (this.syncing && Date.now() - this.syncing < SYNC_WITHIN) return;
    this.syncing = Date.now();
    this.transmit({ type: "sync", id: newId(), since: this.seq });
  }

  settle(frame, how) {
    const entry = this.pending.get(frame.id);
    if (!entry) return;
    this.pending.delete(frame.id);
    entry[how](entry.reply ? { ...frame, reply: entry.reply } : frame);
  }

  heartbeat() {
    clearInterval(this.pingTimer);
    this.pingTimer = setInterval(() => {
      if (!this.ready) return;
      clearTimeout(this.pongTimer);
      // A socket that died silently (phone asleep, Wi-Fi switch) is noticed here.
      this.pongTimer = setTimeout(() => this.socket?.close(4000, "no pong"), PONG_WITHIN);
      this.transmit({ type: "ping", id: newId() });
    }, PING_EVERY);
  }

  closed(code) {
    const wasReady = this.ready;
    this.ready = false;
    this.socket = null;
    clearInterval(this.pingTimer);
    clearTimeout(this.pongTimer);
    if (code === CLOSE_UNAUTHORISED || code === CLOSE_NOT_FOUND) {
      this.stopped = true;
      this.on.fatal?.(code);
      return;
    }
    if (wasReady || !this.everReady) this.on.status?.("offline");
    this.scheduleReconnect();
  }

  scheduleReconnect() {
    if (this.stopped) return;
    clearTimeout(this.retryTimer);
    const ceiling = Math.min(BACKOFF_MAX, BACKOFF_FIRST * 2 ** this.attempt);
    const delay = Math.max(BACKOFF_FIRST, ceiling * (0.5 + Math.random() * 0.5));
    this.attempt += 1;
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }

  // The browser knows it lost the network: say so now rather than after a timeout.
  wentOffline() {
    if (this.socket) this.socket.close(4000, "offline");
  }

  reconnectNow() {
    if (this.stopped || this.socket?.readyState === WebSocket.OPEN) return;
    // A socket still connecting from the offline time may hang: replace it.
    const stale = this.socket;
    this.socket = null;
    stale?.close();
    this.attempt = 0;
    this.connect();
  }
}
