// The facilitator's tools as plain data: timers on the server's clock, the agenda, follow me
// and the projector's view. BoardState hands its snapshot and these events to this module.

// server_now samples older than this no longer count (a clock may be corrected meanwhile).
const CLOCK_WINDOW_MS = 5 * 60 * 1000;

// The server's clock as seen from here: offset = server_now − Date.now() at receipt. An event
// replayed after a resync carries an old server_now (a smaller offset), and every sample is
// late by the network delay, so the largest recent offset is the best estimate.
export class ServerClock {
  constructor() {
    this.samples = [];
  }

  note(serverNow) {
    if (typeof serverNow !== "number" || !Number.isFinite(serverNow)) return;
    const at = performance.now();
    this.samples = this.samples.filter((sample) => at - sample.at < CLOCK_WINDOW_MS);
    this.samples.push({ offset: serverNow - Date.now(), at });
  }

  get offset() {
    return this.samples.length ? Math.max(...this.samples.map((sample) => sample.offset)) : 0;
  }

  now() {
    return Date.now() + this.offset;
  }
}

// What is left of a timer now, in ms, on the server's clock.
export function remainingMs(timer, clock) {
  if (!timer) return 0;
  if (timer.state === "running" && typeof timer.ends_at === "number") return Math.max(0, timer.ends_at - clock.now());
  return timer.remaining_ms || 0;
}

// "04:59", or "1:02:03" from an hour on; rounded up, so 00:00 means the time is up.
export function clockText(ms) {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = String(total % 60).padStart(2, "0");
  if (hours) return `${hours}:${String(minutes).padStart(2, "0")}:${seconds}`;
  return `${String(minutes).padStart(2, "0")}:${seconds}`;
}

export function loadTools(state, snapshot) {
  if (!state.clock) state.clock = new ServerClock();
  state.clock.note(snapshot.server_now);
  state.timers = new Map((snapshot.timers || []).map((timer) => [timer.group ?? null, timer]));
  state.agenda = snapshot.agenda || { items: [], current: null };
}

// Applies a tools event; returns a note, as BoardState.apply does.
export function applyTools(state, name, data) {
  switch (name) {
    case "timer.changed": {
      if (!state.clock) state.clock = new ServerClock();
      state.clock.note(data.server_now);
      if (!state.timers) state.timers = new Map();
      const previous = state.timers.get(data.group ?? null);
      state.timers.set(data.group ?? null, { ...data });
      return { timer: data, previousTimer: previous };
    }
    case "agenda.changed":
      state.agenda = { items: data.items || [], current: data.current ?? null };
      return { agenda: state.agenda };
    case "follow.changed":
      state.workshop.follow = data.follow ?? null;
      return { follow: state.workshop.follow };
    case "projector.changed":
      state.workshop.projector_view = data.view;
      return { projectorView: data.view };
    default:
      return {};
  }
}
