"""Counting times of participatory budgets: the Method of Equal Shares and greedy.

    .venv/bin/python bench/budget_count.py [--repeat 3] [--json out.json] [--files NAME ...]
        [--replicates 1000] [--no-checks]

On the real Pabulib files in ../shared/reference-data/pabulib/ beside the repository (see
its README): ``count_equal_shares`` (Add1, the default), greedy ``count_points`` with a
budget, and ONE ``equal_shares`` call on the distinct rows (Add1, and MES alone); then,
once, what publishing a budget costs: the count the platform makes (both rules, equal
shares with the ``add1u`` completion, ``results.uncertainty.point_count``) and the
bootstrap of its intervals (``results.uncertainty.bootstrap``, ``--replicates``, 0 to
skip), each replicate one MES run at the share where the count's Add1 stopped. Ballots
are read into Python dicts as the API hands them over; reading is not timed. One core,
one BLAS thread. Wall and CPU (this process) times are printed: on a shared machine
compare CPU.

This is a benchmark, not a test: it prints its measurements and needs that folder (it
exits with status 2 if the folder is missing). The tests use only the three smaller files
kept in tests/data/pabulib/; the city-wide Warsaw 2026 file (61,668 voters, 3.1 MB) is
checked here instead. Unless --no-checks is given, the run also checks, and exits with
status 1 if any check fails:

* on every file: MES (Add1) spends no more than the budget;
* on Warsaw 2026, with the platform's reader ``voting.pabulib``: the file is read in
  under 5 s (about 0.3 s on a development machine), writing it and reading it back gives
  the same instance, the numbers of projects and votes match its META (83, 61,668);
  the city ran "greedy-threshold" (a project needs 3,000 votes): greedy limited to the
  projects over the threshold gives the city's selection in the city's order, and plain
  greedy funds exactly one more project, 1664 (14,000 PLN, 1,221 votes).
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.machine import machine  # noqa: E402
from results import uncertainty  # noqa: E402
from voting.pabulib import budget_profile, option_ids, write_pb  # noqa: E402
from voting.pabulib import read_pb as platform_read_pb  # noqa: E402
from voting.tally.budget import count_equal_shares, equal_shares  # noqa: E402
from voting.tally.points import count_points  # noqa: E402

PABULIB = (ROOT / "../shared/reference-data/pabulib").resolve()
WARSAW_2026 = "Poland_Warszawa_2026.pb"
FILES = [
    WARSAW_2026,
    "Poland_Warszawa_2025_Mokotow.pb",
    "Poland_Czestochowa_2024_Tysiaclecie.pb",
    "Poland_Warszawa_2017_Anin.pb",
]


def read_pb(path: Path):
    """Meta, project ids, costs, the city's selection and the ballots, by the platform's reader."""
    instance = platform_read_pb(path.read_text(encoding="utf-8"))
    profile = budget_profile(instance)
    project_of = option_ids(instance)
    city = {str(p["project_id"]) for p in instance.projects if str(p.get("selected", "0")).strip() == "1"}
    chosen = {option for option in profile.options if project_of[option] in city}
    costs = {option: int(cost) for option, cost in profile.costs.items()}
    return instance.meta, list(profile.options), costs, chosen, profile.ballots


def rows_of(projects, ballots):
    column = {p: i for i, p in enumerate(projects)}
    merged: dict[tuple, int] = {}
    for ballot in ballots:
        key = tuple(sorted((column[p], g) for p, g in ballot.items()))
        merged[key] = merged.get(key, 0) + 1
    utilities = np.zeros((len(merged), len(projects)), dtype=np.int64)
    for row, key in enumerate(merged):
        for c, g in key:
            utilities[row, c] = g
    return utilities, np.array(list(merged.values()), dtype=np.int64)


def check(failures: list[str], name: str, ok: bool, detail: str = "") -> None:
    print(f"check {'ok    ' if ok else 'FAILED'} {name}{f': {detail}' if detail else ''}")
    if not ok:
        failures.append(name)


def check_warsaw_2026(failures: list[str]) -> None:
    """What tests/voting/test_pabulib_format.py checked on Warsaw 2026 before the file left the tests."""
    text = (PABULIB / WARSAW_2026).read_text(encoding="utf-8")
    start = time.perf_counter()
    instance = platform_read_pb(text)
    seconds = time.perf_counter() - start
    check(failures, "Warsaw 2026 read in under 5 s", seconds < 5, f"{seconds:.2f} s")
    check(
        failures,
        "Warsaw 2026 has the projects and votes its META names",
        (len(instance.projects), len(instance.votes), instance.meta["vote_type"])
        == (int(instance.meta["num_projects"]), int(instance.meta["num_votes"]), "approval")
        == (83, 61668, "approval"),
    )
    written = write_pb(instance)
    again = platform_read_pb(written)
    check(failures, "Warsaw 2026 reads back equal after writing", again == instance and write_pb(again) == written)

    check(failures, "Warsaw 2026 rule is greedy-threshold", instance.meta["rule"] == "greedy-threshold")
    threshold = int(instance.meta["min_project_score_threshold"])
    options, ballots, costs, budget, _vote_type = budget_profile(instance)
    city = [int(project["project_id"]) for project in instance.projects if project["selected"] == "1"]
    plain = count_points(options, ballots, costs=costs, budget=budget)["selected"]
    eligible = [int(project["project_id"]) for project in instance.projects if int(project["votes"]) >= threshold]
    with_threshold = count_points(eligible, ballots, costs=costs, budget=budget)["selected"]
    check(
        failures,
        f"Warsaw 2026 greedy with the {threshold:,}-vote threshold equals the city's selection",
        with_threshold == city,
    )
    check(
        failures,
        "Warsaw 2026 plain greedy funds the city's projects and 1664 besides",
        set(city) <= set(plain) and set(plain) - set(city) == {1664},
        f"extra {sorted(set(plain) - set(city))}",
    )


def timed(repeat, function, *args, **kwargs):
    walls, cpus, result = [], [], None
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        result = function(*args, **kwargs)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus), result


def publish(projects, ballots, costs, budget, replicates):
    """The count publishing makes (both rules) and the bootstrap of its intervals, timed once."""
    settings = {"use_costs": True, "budget": budget, "budget_rule": "equal_shares"}
    count_wall, count_cpu, count = timed(1, uncertainty.point_count, "points", settings, projects, ballots, costs)
    row = {"publish_count_wall": count_wall, "publish_count_cpu": count_cpu}
    if replicates:
        boot_wall, boot_cpu, _ = timed(
            1, uncertainty.bootstrap, "points", settings, projects, ballots, costs, replicates, None, count
        )
        row.update(publish_bootstrap_wall=boot_wall, publish_bootstrap_cpu=boot_cpu, replicates=replicates)
    shares = count["equal_shares"]
    row.update(
        publish_equal_shares_funded=len(shares["selected"]),
        publish_equal_shares_by_completion=len(shares["by_completion"]),
        publish_greedy_funded=len(count["greedy"]["selected"]),
        publish_share=shares["share"],
    )
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--files", nargs="*", default=FILES)
    parser.add_argument("--replicates", type=int, default=1000, help="bootstrap replicates to time, 0: none")
    parser.add_argument("--no-checks", action="store_true", help="time only, skip the checks")
    args = parser.parse_args()
    if not PABULIB.is_dir():
        print(
            f"Pabulib reference data not found at {PABULIB}: this benchmark needs the folder "
            "../shared/reference-data/pabulib/ beside the repository.",
            file=sys.stderr,
        )
        sys.exit(2)
    missing = [name for name in args.files if not (PABULIB / name).is_file()]
    if missing:
        print(f"not in {PABULIB}: {', '.join(missing)}", file=sys.stderr)
        sys.exit(2)
    failures: list[str] = []
    print(json.dumps(machine(numpy=np.__version__)))
    report = []
    for name in args.files:
        meta, projects, costs, chosen, ballots = read_pb(PABULIB / name)
        budget = int(meta["budget"])
        utilities, weights = rows_of(projects, ballots)
        cost_array = [costs[p] for p in projects]
        mes_wall, mes_cpu, mes = timed(args.repeat, count_equal_shares, projects, ballots, costs, budget)
        greedy_wall, greedy_cpu, greedy = timed(
            args.repeat, count_points, projects, ballots, costs=costs, budget=budget
        )
        one_wall, one_cpu, one = timed(args.repeat, equal_shares, cost_array, budget, utilities, weights)
        alone_wall, alone_cpu, _ = timed(
            args.repeat, equal_shares, cost_array, budget, utilities, weights, completion="none"
        )
        row = {
            "file": name,
            "voters": len(ballots),
            "distinct_rows": len(weights),
            "projects": len(projects),
            "count_equal_shares_wall": mes_wall,
            "count_equal_shares_cpu": mes_cpu,
            "add1_rounds": one["rounds"],
            "equal_shares_add1_wall": one_wall,
            "equal_shares_add1_cpu": one_cpu,
            "equal_shares_alone_wall": alone_wall,
            "equal_shares_alone_cpu": alone_cpu,
            "count_points_wall": greedy_wall,
            "count_points_cpu": greedy_cpu,
            "mes_selected": len(mes["selected"]),
            "mes_spent": float(mes["spent"]),
            "greedy_selected": len(greedy["selected"]),
            "greedy_equals_city": set(greedy["selected"]) == chosen,
            "mes_common_with_city": len(set(mes["selected"]) & chosen),
            "city_selected": len(chosen),
            "budget": budget,
        }
        row.update(publish(projects, ballots, costs, budget, args.replicates))
        report.append(row)
        print(json.dumps(row))
        if not args.no_checks:
            check(failures, f"{name}: MES within budget", mes["spent"] <= budget, f"{mes['spent']} of {budget}")
            if name == WARSAW_2026:
                check_warsaw_2026(failures)
    print(f"load after: {os.getloadavg()}")
    if args.json:
        args.json.write_text(json.dumps({"machine": machine(numpy=np.__version__), "files": report}, indent=2) + "\n")
    if failures:
        print(f"{len(failures)} check(s) failed: {'; '.join(failures)}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
