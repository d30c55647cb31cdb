"""Reading a client's WebSocket frame: JSON as I-JSON (RFC 7493) defines it, with limits.

``json.loads`` alone accepts what no client needs and some code cannot handle: nesting
thousands of levels deep (it raises RecursionError, which is not a ValueError), ``NaN``
and ``Infinity``, ``1e400`` (read as infinity), integers of hundreds of digits, and
duplicate keys (the last one wins, another parser may take the first). Each of these is
refused here with an error code from docs/protocol.md; nothing else sees the frame.
The server's own frames are written by ``encode``; its close codes are below.
"""

import json
import math

MAX_FRAME_CHARS = 16_000
# The deepest frame the protocol has is 3 levels (poll.create options with {"card": id}).
MAX_DEPTH = 16
# I-JSON: integers an IEEE double holds exactly; every id, seq and count fits.
MAX_INTEGER = 2**53 - 1

CLOSE_UNAUTHORISED = 4401
CLOSE_NOT_FOUND = 4404
CLOSE_SERVER_ERROR = 1011


class Refusal(Exception):
    """What an ``error`` frame answers: a code from docs/protocol.md and a message."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code
        self.message = message


class FrameError(Refusal):
    """A frame that cannot be read."""


def _refuse_constant(name):
    raise FrameError("bad_json", f"{name} is not a JSON number.")


def _object(pairs):
    value = dict(pairs)
    if len(value) != len(pairs):
        raise FrameError("bad_json", "A key occurs twice in one object.")
    return value


# Built once: json.loads with options builds a decoder per call (a third of the time of a vote frame).
_DECODER = json.JSONDecoder(parse_constant=_refuse_constant, object_pairs_hook=_object)
_TOO_BIG = ("bad_json", "A number is too large.")
_OUT_OF_RANGE = ("bad_json", f"Whole numbers must lie within ±{MAX_INTEGER}.")
_UNSTORABLE = ("invalid", "The frame holds characters that are not allowed.")
_TOO_DEEP = ("bad_json", f"A frame may nest at most {MAX_DEPTH} levels deep.")


def _check(value, depth=0):
    """Raise for nesting deeper than MAX_DEPTH, a number out of range, or a text PostgreSQL
    cannot store (a NUL, or a lone surrogate written as a JSON escape; neither could be
    echoed back either). One walk after parsing is cheaper than a callback per number, and
    it never recurses more than MAX_DEPTH + 1 levels, however deep the value is."""
    if isinstance(value, str):
        if "\x00" in value:
            raise FrameError(*_UNSTORABLE)
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise FrameError(*_UNSTORABLE) from None
    elif isinstance(value, dict | list):
        if depth >= MAX_DEPTH:
            raise FrameError(*_TOO_DEEP)
        if isinstance(value, dict):
            for key, item in value.items():
                _check(key)
                _check(item, depth + 1)
        else:
            for item in value:
                _check(item, depth + 1)
    elif isinstance(value, float):
        if not math.isfinite(value):  # 1e400 reads as infinity
            raise FrameError(*_TOO_BIG)
    elif isinstance(value, int) and not -MAX_INTEGER <= value <= MAX_INTEGER:
        raise FrameError(*_OUT_OF_RANGE)


def parse_frame(text):
    """The command in a text frame, a dict with a string ``type``; FrameError otherwise."""
    if len(text) > MAX_FRAME_CHARS:
        raise FrameError("too_large", f"A frame may have at most {MAX_FRAME_CHARS} characters.")
    try:
        command = _DECODER.decode(text)
    except FrameError:
        raise
    except RecursionError as error:
        # Nesting deeper than the interpreter's recursion limit (about 1,000 levels) stops
        # the decoder; shallower excess nesting is found by ``_check``.
        raise FrameError(*_TOO_DEEP) from error
    except ValueError as error:  # also an integer over 4,300 digits (Python's limit)
        raise FrameError("bad_json", "The frame is not valid JSON.") from error
    if not isinstance(command, dict) or not isinstance(command.get("type"), str):
        raise FrameError("bad_frame", "A frame is a JSON object with a 'type'.")
    _check(command)
    return command


def command_id(command):
    """The frame's ``id`` if it is one the answer may echo (a string or a whole number)."""
    raw = command.get("id")
    return raw if isinstance(raw, str | int) and not isinstance(raw, bool) else None


def sees_restricted(audience, participant_id, is_facilitator):
    """Whether a viewer sees a restricted event as it is (``WorkshopEvent.audience``)."""
    if audience["kind"] == "facilitators":
        return is_facilitator
    return audience["participant"] == participant_id


def for_viewer(frame, participant_id, is_facilitator):
    """An event frame as this viewer may see it: restricted events (a private brainwriting
    card, a hidden card) in full for their audience, in their public form for everyone
    else; never with the audience itself."""
    audience = frame.get("audience")
    if audience is None:
        return frame
    if sees_restricted(audience, participant_id, is_facilitator):
        return {"type": "event", "seq": frame["seq"], "name": frame["name"], "data": frame["data"]}
    public = audience["public"]
    return {"type": "event", "seq": frame["seq"], "name": public["name"], "data": public["data"]}


def encode(frame):
    """A server frame as compact JSON text."""
    return json.dumps(frame, ensure_ascii=False, separators=(",", ":"))


def bundle(texts):
    """Consecutive event frames (their encoded texts, in seq order) as one ``events`` frame,
    for sockets opened with ``bundle=1``: one write instead of one per event."""
    return '{"type":"events","events":[' + ",".join(texts) + "]}"
