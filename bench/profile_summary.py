"""Summarise a py-spy ``--format raw`` profile (as written by ``--profile-dir``).

    .venv/bin/python bench/profile_summary.py PROFILE.txt [--top 25] [--match consumers.py]

Prints the samples per thread, then the functions with the most samples anywhere
on the stack (inclusive) and at the top of the stack (self), by thread.
"""

import argparse
import re
from collections import Counter, defaultdict

FRAME = re.compile(r"^(?P<func>.*?) \((?P<file>[^:()]+)(?::(?P<line>\d+))?\)$")


def short(frame):
    match = FRAME.match(frame.strip())
    if not match:
        return frame.strip()
    path = match["file"]
    for marker in ("site-packages/", "/work/main/", "python3.11/"):
        if marker in path:
            path = path.split(marker, 1)[1]
    return f"{match['func']} ({path})"


def load(path):
    stacks = []
    with open(path) as handle:
        for line in handle:
            line = line.rstrip("\n")
            if not line:
                continue
            stack, _, count = line.rpartition(" ")
            frames = stack.split(";")
            stacks.append((frames[0], [short(f) for f in frames[1:]], int(count)))
    return stacks


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("profile")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--match", default="", help="only count stacks that contain this text")
    args = parser.parse_args()
    stacks = [s for s in load(args.profile) if not args.match or any(args.match in f for f in s[1])]
    per_thread = Counter()
    inclusive = defaultdict(Counter)
    leaf = defaultdict(Counter)
    for thread, frames, count in stacks:
        per_thread[thread] += count
        for name in set(frames):
            inclusive[thread][name] += count
        if frames:
            leaf[thread][frames[-1]] += count
    total = sum(per_thread.values())
    print(f"{total} samples")
    for thread, count in per_thread.most_common():
        print(f"\n== {thread}: {count} samples ({100 * count / total:.0f}%)")
        print("-- inclusive")
        for name, n in inclusive[thread].most_common(args.top):
            print(f"{100 * n / count:5.1f}%  {name}")
        print("-- self")
        for name, n in leaf[thread].most_common(args.top // 2):
            print(f"{100 * n / count:5.1f}%  {name}")


if __name__ == "__main__":
    main()
