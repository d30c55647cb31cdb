"""What a participant's screen shows, rebuilt from the frames its socket received,
the way frontend/static/js/workshop-client.js applies them."""

import asyncio
from dataclasses import dataclass, field

from tests.workshops.live_site import LiveClient


@dataclass
class Board:
    seq: int = 0
    cards: dict = field(default_factory=dict)  # card id -> text
    positions: dict = field(default_factory=dict)  # card id -> (x, y, cluster), from the logged moves
    votes: dict = field(default_factory=dict)  # poll id -> this participant's choice, from the snapshot
    reactions: dict = field(default_factory=dict)  # card id -> {emoji: count}
    questions: dict = field(default_factory=dict)  # question id -> (text, votes)
    repeated: int = 0  # events at or below the seq already shown (ignored, as the browser does)
    gaps: int = 0  # events beyond the next seq (the browser asks to sync and ignores them)

    @classmethod
    def of(cls, frames):
        board = cls()
        for frame in frames:
            kind = frame.get("type")
            if kind == "snapshot":
                state = frame["state"]
                board.seq = frame["seq"]
                board.cards = {card["id"]: card["text"] for card in state["cards"]}
                board.positions = {card["id"]: (card["x"], card["y"], card["cluster"]) for card in state["cards"]}
                board.votes = {poll["id"]: poll.get("my_vote") for poll in state["polls"]}
                board.reactions = {card["id"]: dict(card.get("reactions") or {}) for card in state["cards"]}
                board.questions = {q["id"]: (q["text"], q["votes"]) for q in state.get("questions", [])}
            elif kind == "event":
                if frame["seq"] <= board.seq:
                    board.repeated += 1
                    continue
                if frame["seq"] > board.seq + 1:
                    board.gaps += 1
                    continue
                board.seq = frame["seq"]
                data = frame["data"]
                if frame["name"] == "card.added":
                    board.cards[data["id"]] = data["text"]
                    board.positions[data["id"]] = (data["x"], data["y"], data["cluster"])
                elif frame["name"] == "card.deleted":
                    board.cards.pop(data["id"], None)
                    board.positions.pop(data["id"], None)
                elif frame["name"] == "card.reacted":
                    board.reactions.setdefault(data["card"], {})[data["emoji"]] = data["count"]
                elif frame["name"] == "question.added":
                    board.questions[data["id"]] = (data["text"], data["votes"])
                elif frame["name"] == "question.voted":
                    text = board.questions.get(data["question"], ("?", 0))[0]
                    board.questions[data["question"]] = (text, data["votes"])
                elif frame["name"] == "card.moved":
                    board.positions[data["id"]] = (data["x"], data["y"], data["cluster"])
                elif frame["name"] == "cluster.moved":
                    for card in data["cards"]:
                        cluster = board.positions.get(card["id"], (0, 0, data["id"]))[2]
                        board.positions[card["id"]] = (card["x"], card["y"], cluster)
        return board

    def texts(self):
        return sorted(self.cards.values())


async def joined_client(site, server, code, name, **kwargs):
    """Join over REST on ``server``, open the socket there and wait for the snapshot."""
    joined = await asyncio.to_thread(site.join, server, code, name, **kwargs)
    client = LiveClient(name, joined["ticket"], joined["participant"])
    await client.connect(server, code)
    await client.wait_for(lambda f: f["type"] == "snapshot")
    return client


async def close_all(clients):
    await asyncio.gather(*(c.close() for c in clients), return_exceptions=True)


async def wait_until(predicate, timeout, interval=0.05):
    """Poll ``predicate`` until true; False when ``timeout`` passed."""
    deadline = asyncio.get_running_loop().time() + timeout
    while not predicate():
        if asyncio.get_running_loop().time() > deadline:
            return False
        await asyncio.sleep(interval)
    return True


def latest_tally(frames, poll_id):
    """(votes, [value per option]) of the poll as last shown: from a snapshot or a tally frame."""
    shown = None
    for frame in frames:
        if frame.get("type") == "snapshot":
            for poll in frame["state"]["polls"]:
                if poll["id"] == poll_id and poll.get("tally") and poll["tally"].get("options") is not None:
                    shown = (poll["tally"]["votes"], [o["value"] for o in poll["tally"]["options"]])
        elif frame.get("type") == "tally" and frame.get("poll") == poll_id and frame.get("options") is not None:
            shown = (frame["votes"], [o["value"] for o in frame["options"]])
    return shown


def as_choice(raw):
    """A stored dots choice, with option ids as text keys as clients send them."""
    import json

    value = json.loads(raw) if isinstance(raw, str) else raw
    return {str(k): v for k, v in value.items()}


class TimedClient(LiveClient):
    """A ``LiveClient`` that also notes when each frame arrived (``arrived[i]`` for ``frames[i]``)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.arrived = []

    async def _read(self):
        import json
        import time

        from websockets.exceptions import ConnectionClosed

        try:
            async for message in self.ws:
                self.frames.append(json.loads(message))
                self.arrived.append(time.monotonic())
                self.changed.set()
        except ConnectionClosed:
            pass
        finally:
            self.changed.set()
