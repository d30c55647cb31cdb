"""Where a Daphne server spends its CPU during the ballot benchmark.

    .venv/bin/python bench/ballot_profile.py /tmp/prof/p1-plain-0.txt [--top 30]

Reads a py-spy ``--format raw --threads`` profile (bench/ballot_throughput.py
``--profile-dir``, recorded without ``--idle``: only samples where a thread ran)
and adds up all threads, since every request runs in a thread of its own. Prints
the share of samples in the event loop thread and in request threads, then the
functions with the most samples anywhere on the stack (inclusive) and on top
(self), and the share of a few known parts of a ballot request.
"""

import argparse
from collections import Counter

from profile_summary import load

# Leaf frames that wait rather than run (py-spy does not always see these as idle).
WAITING = (
    "Condition.wait (",
    "Connection.wait (psycopg",
    "EpollSelector.select (",
    "Thread._wait_for_tstate_lock (",
    "_worker (concurrent/futures/thread.py)",
)

# Parts of a request, by a frame that marks them (first match on the stack wins in this order).
PARTS = [
    ("database: connect (new connection or pool)", ("get_new_connection", "ConnectionPool.getconn")),
    ("database: queries (client side)", ("CursorWrapper.execute", "CursorDebugWrapper.execute")),
    ("authentication (DRF)", ("Request._authenticate",)),
    ("access code: HMAC and lookup", ("resolve_voter",)),
    ("ballot: validation", ("normalise (voting/ballots.py)",)),
    ("ballot: cast transaction", ("_cast_once",)),
    ("JSON body parsing", ("Request._parse",)),
    ("response rendering", ("Response.rendered_content",)),
    ("middleware (outside the view)", ("MiddlewareMixin.__call__", "MiddlewareMixin.__acall__")),
    ("thread start (one per request)", ("Thread.start",)),
    ("Twisted/Daphne HTTP", ("twisted/", "daphne/")),
]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("profiles", nargs="+")
    parser.add_argument("--top", type=int, default=30)
    args = parser.parse_args()
    stacks = [s for path in args.profiles for s in load(path)]
    total = sum(count for _, _, count in stacks)
    by_thread = Counter()
    inclusive = Counter()
    leaf = Counter()
    parts = Counter()
    waiting = 0
    for thread, frames, count in stacks:
        if frames and frames[-1].startswith(WAITING):
            waiting += count
            continue
        kind = "event loop" if "MainThread" in thread else "request threads" if "ThreadPool" in thread else "other"
        by_thread[kind] += count
        for name in set(frames):
            inclusive[name] += count
        if frames:
            leaf[frames[-1]] += count
        joined = ";".join(frames)
        # innermost marked part counts (e.g. a query inside the cast transaction counts as a query)
        found = "rest"
        for label, markers in PARTS:
            if any(m in joined for m in markers):
                found = label
                break
        parts[found] += count
    total -= waiting
    print(f"{total} samples running ({waiting} more waiting, left out)")
    for kind, n in by_thread.most_common():
        print(f"{100 * n / total:5.1f}%  {kind}")
    print("\n-- parts (first marker in list order)")
    for label, n in parts.most_common():
        print(f"{100 * n / total:5.1f}%  {label}")
    print("\n-- inclusive")
    for name, n in inclusive.most_common(args.top):
        print(f"{100 * n / total:5.1f}%  {name}")
    print("\n-- self")
    for name, n in leaf.most_common(args.top):
        print(f"{100 * n / total:5.1f}%  {name}")


if __name__ == "__main__":
    main()
