"""The floor for bench/workshop_fanout.py: a broadcast server on the ``websockets``
library alone, with no Django, no database and no channel layer.

It answers the same frames as the platform, of the same sizes: a small snapshot
on connect, ``card.add`` relayed to everyone as a ``card.added`` event with a
seq (and an ack to the sender), ``poll.vote`` acknowledged and counted, with a
tally broadcast at most every 0.1 s, like the platform's coalesced tallies.
The JSON of a broadcast is encoded once for all receivers.

    python bench/floor_server.py --port 8765
"""

import argparse
import asyncio
import json
import signal

from websockets import broadcast
from websockets.asyncio.server import serve

TALLY_INTERVAL = 0.1
OPTIONS = [(1, "Ampeln"), (2, "Parken"), (3, "WLAN"), (4, "Radwege")]


def dumps(frame):
    return json.dumps(frame, ensure_ascii=False, separators=(",", ":"))


class Board:
    def __init__(self):
        self.clients = set()
        self.seq = 0
        self.cards = 0
        self.votes = {}
        self.tally_pending = False

    def snapshot(self, participant):
        state = {
            "workshop": {"id": 1, "code": "FLOOR", "title": "Boden", "state": "live", "phase": "collect"},
            "phase": "collect",
            "you": {"id": participant, "name": f"P{participant}", "role": "expert"},
            "online": [],
            "clusters": [],
            "cards": [],
            "comments": [],
            "polls": [],
            "my_likes": [],
        }
        return {"type": "snapshot", "seq": self.seq, "state": state}

    def card_added(self, participant, text):
        self.seq += 1
        self.cards += 1
        data = {
            "id": self.cards,
            "text": text,
            "cluster": None,
            "x": 0.0,
            "y": 0.0,
            "color": "yellow",
            "author": participant,
            "author_name": f"P{participant}",
            "likes": 0,
            "measure": None,
        }
        return {"type": "event", "seq": self.seq, "name": "card.added", "data": data}

    def tally(self):
        count = {option_id: 0 for option_id, _ in OPTIONS}
        voters = dict.fromkeys(count, 0)
        for choice in self.votes.values():
            for option_id, dots in choice.items():
                count[int(option_id)] += dots
                voters[int(option_id)] += 1
        options = [
            {"option": option_id, "label": label, "value": count[option_id], "voters": voters[option_id]}
            for option_id, label in OPTIONS
        ]
        return {"type": "tally", "poll": 1, "votes": len(self.votes), "options": options}

    def mark_tally(self):
        if not self.tally_pending:
            self.tally_pending = True
            asyncio.get_running_loop().call_later(TALLY_INTERVAL, self.flush_tally)

    def flush_tally(self):
        self.tally_pending = False
        broadcast(self.clients, dumps(self.tally()))


async def handler(board, websocket):
    query = websocket.request.path.partition("?")[2]
    participant = int(dict(p.split("=", 1) for p in query.split("&") if "=" in p).get("p", "0"))
    board.clients.add(websocket)
    try:
        await websocket.send(dumps(board.snapshot(participant)))
        async for message in websocket:
            command = json.loads(message)
            kind = command.get("type")
            if kind == "card.add":
                event = board.card_added(participant, command.get("text", ""))
                await websocket.send(dumps({"type": "ack", "id": command.get("id"), "seq": event["seq"]}))
                broadcast(board.clients, dumps(event))
            elif kind == "poll.vote":
                board.votes[participant] = command.get("choice") or {}
                ack = {"type": "ack", "id": command.get("id"), "seq": None, "rank": len(board.votes)}
                await websocket.send(dumps(ack))
                board.mark_tally()
            else:
                await websocket.send(dumps({"type": "error", "id": command.get("id"), "code": "unknown_type"}))
    finally:
        board.clients.discard(websocket)


async def main(port):
    board = Board()
    stop = asyncio.get_running_loop().create_future()
    for sig in (signal.SIGTERM, signal.SIGINT):
        asyncio.get_running_loop().add_signal_handler(sig, stop.set_result, None)
    async with serve(
        lambda ws: handler(board, ws), "127.0.0.1", port, compression=None, ping_interval=None, max_queue=None
    ):
        print(f"floor server on 127.0.0.1:{port}", flush=True)
        await stop


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, required=True)
    asyncio.run(main(parser.parse_args().port))
