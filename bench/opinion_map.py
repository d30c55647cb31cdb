"""Time of the opinion map (voting/tally/opinion.py) at city scale, and its agreement with Polis.

    .venv/bin/python bench/opinion_map.py [--repeat 3] [--blas-threads 1] [--json out.json] [--publish]

Synthetic conversation: 10,000 participants × 500 statements, each cell voted with
probability 0.2 (about 1,000,000 votes), three latent camps of equal size. Each camp leans
one way on each statement (agree with probability 0.8 or 0.2); one vote in ten is a pass.
Votes are built as a list of (participant, statement, value) tuples, as a caller hands
them over; building them is not timed. Prints the median wall and CPU time of
``opinion_map`` over the runs, the groups found and their adjusted Rand index (ARI) with the
latent camps, then the ARIs with Polis's own groups on the three conversations in
``tests/data/polis/`` (seeds 0-7). Goal: a few seconds at most. BLAS runs single-threaded
by default, as in the other counting benchmarks (multi-threaded BLAS on a busy 2-core
machine is slower, not faster).

With ``--publish`` it also times publishing that map through the results module, once
each: the canonical answers file, the result (``results.compute.result_from_inputs``:
the map with every statement's totals), the CSV, XLSX and PDF exports, and ``recount`` of
the open-data bundle (``results.recount.recount_bundle``: read, check every answer,
recompute, compare byte for byte).
"""

import argparse
import os
import sys

if __name__ == "__main__":
    _threads = "1"
    if "--blas-threads" in sys.argv[1:-1]:
        _threads = sys.argv[sys.argv.index("--blas-threads") + 1]
    for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(_variable, _threads)

import json  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.machine import machine  # noqa: E402
from tests.voting.test_opinion_map_polis import FLOORS, SEEDS, adjusted_rand_index, ari_with_polis  # noqa: E402
from voting.tally.opinion import opinion_map  # noqa: E402

PARTICIPANTS = 10_000
STATEMENTS = 500
DENSITY = 0.2
CAMPS = 3
GOAL_SECONDS = 3.0


def synthetic(seed: int = 2026) -> tuple[list[int], list[int], list[tuple[int, int, int]], np.ndarray]:
    rng = np.random.default_rng(seed)
    camp = rng.integers(CAMPS, size=PARTICIPANTS)
    leaning = rng.choice([-1, 1], size=(CAMPS, STATEMENTS))
    rows, cols = np.nonzero(rng.random((PARTICIPANTS, STATEMENTS)) < DENSITY)
    agree = rng.random(len(rows)) < np.where(leaning[camp[rows], cols] > 0, 0.8, 0.2)
    values = np.where(rng.random(len(rows)) < 0.1, 0, np.where(agree, 1, -1))
    participants = list(range(1, PARTICIPANTS + 1))
    statements = list(range(1001, 1001 + STATEMENTS))
    votes = list(zip((rows + 1).tolist(), (cols + 1001).tolist(), values.tolist(), strict=True))
    return participants, statements, votes, camp


def publish_figures(statements, votes) -> dict:
    """Seconds (wall) of each step of publishing the map, and the sizes of what it writes."""
    import io
    import zipfile

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "1")  # no database is used; the settings want a mode
    import django

    django.setup()
    from results import compute, exports, recount
    from results.ballotfile import BallotFile

    seconds, sizes = {}, {}

    def timed(name, work):
        start = time.perf_counter()
        value = work()
        seconds[name] = round(time.perf_counter() - start, 2)
        return value

    document = {
        "schema": "heilbronn-participation/opinion-answers/1",
        "consultation": 1,
        "method": "opinion",
        "answers": [list(vote) for vote in sorted(votes)],
    }
    answers = timed("answers_file", lambda: BallotFile.from_document(document))
    options = [{"id": pk, "text": f"Aussage {pk}", "text_en": "", "by_facilitators": True} for pk in statements]
    consultation = {
        "id": 1,
        "process": {"id": 1, "title": "Benchmark", "title_en": ""},
        "title": "Meinungslandkarte",
        "title_en": "",
        "description": "",
        "description_en": "",
        "method": "opinion",
        "settings": {},
        "eligibility": "open",
        "opens_at": None,
        "closes_at": None,
        "phase": "closed",
    }
    turnout = {"voters": PARTICIPANTS, "online": PARTICIPANTS, "paper": 0, "eligible": None, "over_time": []}
    meta = {"consultation": consultation, "turnout": turnout, "ballot_file_sha256": answers.sha256}
    result = timed("result", lambda: compute.result_from_inputs(answers, meta, options))
    result_bytes = compute.canonical_bytes(result)
    sizes.update(answers_file=len(answers.bytes), result=len(result_bytes))
    for fmt in ("csv", "xlsx", "pdf"):
        content = timed(fmt, lambda fmt=fmt: exports.export(fmt, result, BallotFile(answers.bytes))[0])
        sizes[fmt] = len(content)
    files = {
        "ballots.json": answers.bytes,
        "result.json": result_bytes,
        "consultation.json": compute.canonical_bytes(
            {"consultation": consultation, "options": options, "turnout": turnout}
        ),
    }
    manifest = {"snapshot_sha256": compute.sha256_hex(result_bytes)}
    manifest["files"] = {name: compute.sha256_hex(data) for name, data in files.items()}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in {**files, "manifest.json": compute.canonical_bytes(manifest)}.items():
            archive.writestr(name, data)
    report = timed("recount", lambda: recount.recount_bundle(buffer.getvalue()))
    print(f"publishing: seconds {seconds}; bytes {sizes}; recount {report.status}")
    if not report.ok:
        print(report.text())
    return {"seconds": seconds, "bytes": sizes, "recount": report.status}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="timed runs")
    parser.add_argument("--blas-threads", default="1", help="OPENBLAS_NUM_THREADS (read at start-up)")
    parser.add_argument("--json", help="also write the figures to this file")
    parser.add_argument("--publish", action="store_true", help="also time publishing, exports and recount")
    args = parser.parse_args()

    print("building the votes ...", flush=True)
    participants, statements, votes, camp = synthetic()
    info = machine(numpy=np.__version__, blas_threads=os.environ.get("OPENBLAS_NUM_THREADS"))
    print(json.dumps(info))
    print(f"{len(participants):,} participants × {len(statements)} statements, {len(votes):,} votes")

    wall, cpu, result = [], [], None
    for _ in range(args.repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = opinion_map(participants, statements, votes)
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    median = statistics.median(wall)
    met = median < GOAL_SECONDS
    groups = [result["participants"][p]["group"] for p in participants]
    camps_ari = adjusted_rand_index(camp, groups)
    print(
        f"opinion_map: wall median {median:.2f} s (runs {', '.join(f'{w:.2f}' for w in wall)}), "
        f"cpu median {statistics.median(cpu):.2f} s; goal < {GOAL_SECONDS:.0f} s: {'met' if met else 'MISSED'}"
    )
    print(
        f"k {result['k']}, sizes {[g['size'] for g in result['groups']]}, silhouette {result['silhouette']:.3f}, "
        f"explained variance {[round(v, 4) for v in result['explained_variance']]}, ARI with the camps {camps_ari:.3f}"
    )

    polis = {}
    for name in sorted(FLOORS):
        aris = [ari_with_polis(name, seed)[0] for seed in SEEDS]
        polis[name] = aris
        print(
            f"Polis {name:28s} ARI seeds {SEEDS.start}-{SEEDS.stop - 1}: median {statistics.median(aris):.3f}, "
            f"min {min(aris):.3f}, max {max(aris):.3f}"
        )

    published = publish_figures(statements, votes) if args.publish else None

    if args.json:
        figures = {
            "machine": info,
            "votes": len(votes),
            "wall_seconds": wall,
            "cpu_seconds": cpu,
            "goal_seconds": GOAL_SECONDS,
            "k": result["k"],
            "camps_ari": camps_ari,
            "polis_ari": polis,
            "publish_seconds": published,
        }
        Path(args.json).write_text(json.dumps(figures, indent=2))
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
