"""Drag storm on the live-workshop canvas: N participants in one workshop drag and drop
cards at once, through two Daphne processes sharing Redis (as the ``redis`` target of
bench/workshop_fanout.py, whose server, database and client helpers this reuses).

    .venv/bin/python bench/drag_storm.py --participants 200 --seconds 30 --ports 8200-8299

Each participant owns one card and, until ``--seconds`` have passed, repeatedly drags it
(``card.drag`` every ``--drag-interval`` s for ``--drag-length`` s), drops it
(``card.move``) and rests ``--pause`` s (± half of it, so that the drops do not come in
waves). The clients alternate between the two servers. Measured:

  drop → all screens  per drop: from sending ``card.move`` until every client has its
                      ``card.moved`` event (p50/p95/p99), and every single delivery
  drag → screen       per drag and observing client (every ``--observe-every``-th): until
                      a ``moving`` frame shows that drag or a later one of the same card
                      (drags overtaken by their own drop are counted apart, not timed)
  lost                drops acknowledged whose event some client never got, seq gaps,
                      duplicates, and clients whose board (snapshot + logged moves) differs
                      from the database at the end. Must be 0.

A drag's ``y`` is its number (per card, counting drags and drops), so that a ``moving``
frame tells which drags it shows. Bounded by timeouts; servers stop in ``finally``; the
Markdown line goes to stdout and the figures to ``--output`` as JSON.
"""

import argparse
import asyncio
import json
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))
import workshop_fanout as fanout  # noqa: E402 (after the path above)

CARD_W, CARD_H = 200, 120


class DragSim(fanout.Sim):
    __slots__ = ("card", "observer", "positions", "covered", "shown_at", "moving_frames", "refused")

    def __init__(self, index, participant_id, url, origin, card, observer):
        super().__init__(index, participant_id, url, origin)
        self.card = card
        self.observer = observer
        self.positions = {}  # card id -> (x, y, cluster): snapshot, then logged moves
        self.covered = {}  # card id -> highest drag or drop number shown (observers)
        self.shown_at = {}  # (card, number) -> first arrival of a moving frame showing it (observers)
        self.moving_frames = 0
        self.refused = {}  # error code -> count


class StormRun:
    """What all clients of one storm share."""

    def __init__(self, size):
        self.size = size
        self.snapshots = 0
        self.frames = 0
        self.move_sent = {}  # (card, number) -> send time
        self.move_seen = {}  # (card, number) -> clients that got its card.moved
        self.move_last = {}  # (card, number) -> last arrival
        self.deliveries = []  # each card.moved delivery, seconds after its drop

    def on_frame(self, sim, raw, now):
        self.frames += 1
        frame = json.loads(raw)
        kind = frame.get("type")
        if kind == "moving":
            sim.moving_frames += 1
            if sim.observer:
                for entry in frame["cards"]:
                    card, number = entry["id"], int(entry["y"])
                    covered = sim.covered.get(card, 0)
                    for n in range(covered + 1, number + 1):
                        sim.shown_at[(card, n)] = now
                    if number > covered:
                        sim.covered[card] = number
        elif kind == "events":
            for event in frame["events"]:
                self.on_event(sim, event, now)
        elif kind == "event":
            self.on_event(sim, frame, now)
        elif kind == "ack":
            if frame.get("id") is not None:
                sim.acks[frame["id"]] = (now, frame)
        elif kind == "error":
            sim.refused[frame["code"]] = sim.refused.get(frame["code"], 0) + 1
            if frame.get("id") is not None:
                sim.acks[frame["id"]] = (now, frame)
        elif kind == "snapshot":
            sim.snapshot_seq = frame["seq"]
            sim.positions = {c["id"]: (c["x"], c["y"], c["cluster"]) for c in frame["state"]["cards"]}
            self.snapshots += 1

    def on_event(self, sim, frame, now):
        seq = frame["seq"]
        if sim.seqs and seq <= sim.seqs[-1]:
            sim.dups += 1
            return
        sim.seqs.append(seq)
        data = frame["data"]
        if frame["name"] == "card.moved":
            sim.positions[data["id"]] = (data["x"], data["y"], data["cluster"])
            key = (data["id"], int(data["y"]))
            if sim.observer:
                # Drags before this drop that no moving frame showed were overtaken by it: a
                # moving frame of the card's next round must not count as showing them.
                sim.covered[key[0]] = max(sim.covered.get(key[0], 0), key[1])
            self.move_seen[key] = self.move_seen.get(key, 0) + 1
            self.move_last[key] = now
            sent = self.move_sent.get(key)
            if sent is not None:
                self.deliveries.append(now - sent)


def home(card_index):
    """Each participant's card at its own place on a grid."""
    return 40 + (card_index % 20) * (CARD_W + 40), 40 + (card_index // 20) * (CARD_H + 40)


async def participant(sim, run, args, stop_at, drags):
    rng = random.Random(sim.index)
    base_x, base_y = home(sim.index)
    number = 0
    steps = max(1, round(args.drag_length / args.drag_interval))
    await asyncio.sleep(rng.uniform(0, args.drag_length + args.pause))  # not all at once
    while time.perf_counter() < stop_at:
        for step in range(steps):
            number += 1
            drags.append((sim.card, number, time.perf_counter()))
            x = base_x + 4 * step
            await sim.ws.send(json.dumps({"type": "card.drag", "card": sim.card, "x": x, "y": number}))
            await asyncio.sleep(args.drag_interval * rng.uniform(0.8, 1.2))
        number += 1
        key = (sim.card, number)
        move = {"type": "card.move", "id": f"m{sim.card}-{number}", "card": sim.card, "x": base_x, "y": number}
        run.move_sent[key] = time.perf_counter()
        await sim.ws.send(json.dumps(move))
        await asyncio.sleep(args.pause * rng.uniform(0.5, 1.5))


def drag_figures(sims, drags):
    """Per drag and observer: until a moving frame showed it or a later drag of the card in
    the same round (before its drop). Not timed: drags whose drop arrived before any frame
    showed them or a later drag, and drags shown by nothing at all (the end of the run)."""
    observers = [s for s in sims if s.observer]
    each, by_drop, not_shown = [], 0, 0
    for card, number, sent in drags:
        for sim in observers:
            at = sim.shown_at.get((card, number))
            if at is not None:
                each.append(at - sent)
            elif sim.covered.get(card, 0) >= number:
                by_drop += 1  # a drop (or a later shown drag, which marks it shown) covers it
            else:
                not_shown += 1
    return each, by_drop, not_shown


async def storm(size, urls, args, cards, participant_ids, database_board, pids):
    run = StormRun(size)
    sims = [
        DragSim(i, participant_ids[i], *urls[i % len(urls)](i), cards[i], i % args.observe_every == 0)
        for i in range(size)
    ]
    result = {"participants": size, "errors": []}
    try:
        connect_s, stats = await fanout.connect_all(run, sims, args.timeout, args.connect_batch)
        result["connect_s"] = round(connect_s, 2)
        result["connect_retries"] = stats["retries"]
        await asyncio.sleep(args.settle)
        result["machine_busy_before_pct"] = await fanout.wait_until_quiet(args.quiet, args.quiet_timeout)
        system_mark = fanout.system_cpu()
        table_mark = fanout.process_cpu_table()
        cpu_mark = {pid: fanout.cpu_seconds(pid) for pid in pids}
        client_cpu = time.process_time()
        frames_mark = run.frames
        began = time.perf_counter()
        drags = []
        stop_at = began + args.seconds
        await asyncio.wait_for(
            asyncio.gather(*(participant(s, run, args, stop_at, drags) for s in sims)),
            args.seconds + args.timeout,
        )
        # Every drop's event to every client (bounded).
        deadline = time.monotonic() + args.timeout
        while time.monotonic() < deadline and any(run.move_seen.get(k, 0) < size for k in run.move_sent):
            await asyncio.sleep(0.05)
        wall = time.perf_counter() - began
        result["storm_wall_s"] = round(wall, 2)
        result["server_cpu_pct"] = [round(100 * (fanout.cpu_seconds(p) - cpu_mark[p]) / wall) for p in pids]
        result["client_cpu_pct"] = round(100 * (time.process_time() - client_cpu) / wall)
        result["machine_busy_pct"] = round(200 * fanout.busy_share(system_mark, fanout.system_cpu()))
        result["cpu_pct_by_kind"] = fanout.cpu_by_kind(
            table_mark, fanout.process_cpu_table(), {*pids, os.getpid()}, wall
        )
        result["frames_received"] = run.frames - frames_mark
        # Less at the mercy of the machine's other load than the latencies: CPU per frame received.
        server_cpu = sum(fanout.cpu_seconds(p) - cpu_mark[p] for p in pids)
        result["server_cpu_us_per_frame"] = round(1e6 * server_cpu / max(1, result["frames_received"]), 1)
        await asyncio.sleep(0.5)  # acks trailing the last events

        result["drags_sent"] = len(drags)
        result["drops_sent"] = len(run.move_sent)
        owner = {sim.card: sim for sim in sims}
        answers = {k: owner[k[0]].acks.get(f"m{k[0]}-{k[1]}", (0, {}))[1] for k in run.move_sent}
        answers_at = {k: owner[k[0]].acks.get(f"m{k[0]}-{k[1]}", (0, {}))[0] for k in run.move_sent}
        acked = {k for k, answer in answers.items() if answer.get("type") == "ack"}
        result["drops_acked"] = len(acked)
        result["drop_ack_ms"] = fanout.summary_ms([answers_at[k] - run.move_sent[k] for k in acked])
        result["drops_refused"] = sum(1 for answer in answers.values() if answer.get("type") == "error")
        result["drops_not_answered"] = len(run.move_sent) - len(acked) - result["drops_refused"]
        complete = [run.move_last[k] - run.move_sent[k] for k in acked if run.move_seen.get(k, 0) == size]
        result["drop_all_screens_ms"] = fanout.summary_ms(complete)
        result["drop_each_delivery_ms"] = fanout.summary_ms(run.deliveries)
        each, by_drop, not_shown = drag_figures(sims, drags)
        result["drag_to_screen_ms"] = fanout.summary_ms(each)
        result["drag_observers"] = sum(1 for s in sims if s.observer)
        result["drags_overtaken_by_their_drop"] = by_drop
        result["drags_never_shown"] = not_shown
        result["moving_frames_per_client_per_s"] = round(sum(s.moving_frames for s in sims) / size / wall, 1)
        refused = {}
        for sim in sims:
            for code, n in sim.refused.items():
                refused[code] = refused.get(code, 0) + n
        result["errors_by_code"] = refused

        # Lost: acknowledged drops some client never saw, gaps, duplicates, boards unlike the database.
        result["drop_events_missing"] = sum(size - run.move_seen.get(k, 0) for k in acked)
        gaps = dups = 0
        for sim in sims:
            dups += sim.dups
            expected = sim.snapshot_seq + 1
            for seq in sim.seqs:
                gaps += seq != expected
                expected = seq + 1
        result["seq_gaps"], result["duplicates"] = gaps, dups
        stored = {int(card): tuple(place) for card, place in (await asyncio.to_thread(database_board)).items()}
        result["boards_unlike_database"] = sum(1 for s in sims if s.positions != stored)
        result["lost"] = result["drop_events_missing"] + gaps + dups + result["boards_unlike_database"]
    finally:
        await fanout.close_all(sims)
    return result


def run_django(env, *args, timeout=300):
    """This script in a subprocess with the servers' environment (``django_command``)."""
    import subprocess

    done = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), *args],
        cwd=fanout.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if done.returncode:
        raise RuntimeError(f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def django_command(argv):
    sys.path.insert(0, str(fanout.BASE_DIR))
    import django

    django.setup()
    from workshops.models import Card, Participant

    if argv[0] == "_setup":
        size = int(argv[1])
        setup = fanout._create_workshop(size)
        experts = [Participant.objects.get(pk=pk) for pk, _ticket in setup["tickets"]]
        cards = Card.objects.bulk_create(
            Card(workshop=p.workshop, author=p, text=f"Karte von {p.display_name}", x=home(n)[0], y=home(n)[1])
            for n, p in enumerate(experts)
        )
        setup["cards"] = [card.pk for card in cards]
        print(json.dumps(setup))
    elif argv[0] == "_board":
        board = {
            str(pk): [x, y, cluster]
            for pk, x, y, cluster in Card.objects.filter(workshop__code=argv[1]).values_list("id", "x", "y", "cluster")
        }
        print(json.dumps(board))


async def main(args):
    if args.ports:
        first, _, last = args.ports.partition("-")
        fanout.PORTS = range(int(first), int(last or first) + 1)
    workdir = tempfile.mkdtemp(prefix="bench-drag-")
    database = fanout.Database(args.database_url, workdir)
    info = {"machine": fanout.machine(), "command": " ".join(sys.argv), "database": database.kind}
    print(json.dumps(info), flush=True)
    servers = []
    result = {"participants": args.participants}
    try:
        database.create()
        env = fanout.django_env(database.url, args.redis_url)
        await asyncio.to_thread(fanout.run_here, fanout.django_env(database.url), "_migrate")
        servers = [fanout.daphne(f"drag-{n}", env, workdir) for n in range(2)]
        for server in servers:
            server.start()
        setup = await asyncio.to_thread(run_django, env, "_setup", str(args.participants))
        for server in servers:
            await asyncio.to_thread(server.wait_ready)
        makers = fanout.platform_urls(servers, setup, bundle=not args.single_events)
        result = await asyncio.wait_for(
            storm(
                args.participants,
                makers,
                args,
                setup["cards"],
                [pid for pid, _ticket in setup["tickets"]],
                lambda: run_django(env, "_board", setup["code"]),
                [s.process.pid for s in servers],
            ),
            args.seconds + 6 * args.timeout,
        )
    except Exception as error:  # a failed run is a result too
        result["failure"] = f"{type(error).__name__}: {error}"
    finally:
        for server in servers:
            server.stop()
        database.drop()
        if result.get("lost") or result.get("failure"):
            print(f"server logs kept in {workdir}", file=sys.stderr)
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    print(json.dumps(result), flush=True)
    print()
    print(line(result))
    if args.output:
        Path(args.output).parent.mkdir(parents=True, exist_ok=True)
        Path(args.output).write_text(json.dumps({**info, "result": result}, indent=2))
    return result


def line(r):
    """One Markdown table row (the header is in docs/benchmarks.md)."""
    if "drop_all_screens_ms" not in r:
        return f"| {r['participants']} | failed: {r.get('failure', '')[:120]} |"
    d, e, g = r["drop_all_screens_ms"], r["drop_each_delivery_ms"], r["drag_to_screen_ms"]
    return (
        f"| {r['participants']} | {r['drops_sent']} / {r['drags_sent']} "
        f"| {d['p50']} / {d['p95']} / {d['p99']} | {e['p50']} / {e['p95']} / {e['p99']} "
        f"| {g['p50']} / {g['p95']} / {g['p99']} | {r['moving_frames_per_client_per_s']} "
        f"| {r['lost']} ({r['boards_unlike_database']} boards unlike the database) "
        f"| {r.get('server_cpu_us_per_frame')} "
        f"| {r['errors_by_code'] or 0} | {r['machine_busy_before_pct']} → {r['machine_busy_pct']} |"
    )


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--participants", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=30.0, help="how long the storm lasts")
    parser.add_argument("--drag-interval", type=float, default=0.1, help="seconds between two drags")
    parser.add_argument("--drag-length", type=float, default=1.0, help="seconds a drag lasts before the drop")
    parser.add_argument("--pause", type=float, default=0.5, help="seconds between a drop and the next drag")
    parser.add_argument(
        "--single-events", action="store_true", help="clients without bundle=1: one frame per event (older clients)"
    )
    parser.add_argument("--observe-every", type=int, default=10, help="every n-th client times the drags")
    parser.add_argument("--settle", type=float, default=3.0, help="seconds to wait after connecting")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds to wait for any one step")
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--redis-url", default=os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/6")
    parser.add_argument("--connect-batch", type=int, default=25)
    parser.add_argument("--quiet", type=float, default=0.35, help="wait until the machine is less busy than this")
    parser.add_argument("--quiet-timeout", type=float, default=60.0)
    parser.add_argument("--ports", default="", help="servers' ports, e.g. 8200-8299")
    parser.add_argument("--output", default=str(BENCH_DIR / "results" / "drag_storm.json"))
    return parser.parse_args(argv)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1].startswith("_"):
        django_command(sys.argv[1:])
    else:
        asyncio.run(main(parse_args()))
