"""Counting times of participatory budgets: the Method of Equal Shares and greedy.

    .venv/bin/python bench/budget_count.py [--repeat 3] [--json out.json] [--files NAME ...]

On the real Pabulib files in ../shared/reference-data/pabulib/ (see its README):
``count_equal_shares`` (Add1, the default), greedy ``count_points`` with a budget, and
ONE ``equal_shares`` run on the distinct rows (MES alone and Add1): what a bootstrap
replicate repeats. Ballots are read into Python dicts as the API hands them over;
reading is not timed. One core, one BLAS thread.
"""

import argparse
import csv
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from voting.tally.budget import count_equal_shares, equal_shares  # noqa: E402
from voting.tally.points import count_points  # noqa: E402

PABULIB = (ROOT / "../shared/reference-data/pabulib").resolve()
FILES = [
    "Poland_Warszawa_2026.pb",
    "Poland_Warszawa_2025_Mokotow.pb",
    "Poland_Czestochowa_2024_Tysiaclecie.pb",
    "Poland_Warszawa_2017_Anin.pb",
]


def read_pb(path: Path):
    meta, projects, costs, chosen, ballots = {}, [], {}, set(), []
    section, header = None, None
    with path.open(encoding="utf-8", newline="") as file:
        for row in csv.reader(file, delimiter=";"):
            if not row:
                continue
            if row[0].strip().lower() in ("meta", "projects", "votes"):
                section, header = row[0].strip().lower(), None
                continue
            if header is None:
                header = [cell.strip() for cell in row]
                continue
            record = dict(zip(header, row, strict=False))
            if section == "meta":
                meta[record["key"]] = record["value"].strip()
            elif section == "projects":
                projects.append(int(record["project_id"]))
                costs[projects[-1]] = int(record["cost"])
                if record.get("selected", "0").strip() == "1":
                    chosen.add(projects[-1])
            else:
                ids = [int(x) for x in record["vote"].split(",") if x.strip()]
                points = record.get("points", "").strip()
                given = [int(x) for x in points.split(",")] if points else [1] * len(ids)
                ballots.append(dict(zip(ids, given, strict=True)))
    return meta, projects, costs, chosen, ballots


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


def timed(repeat, function, *args, **kwargs):
    walls, cpus, result = [], [], None
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        result = function(*args, **kwargs)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--files", nargs="*", default=FILES)
    args = parser.parse_args()
    print(f"{platform.processor() or platform.machine()}, Python {platform.python_version()}, numpy {np.__version__}")
    print(f"load before: {os.getloadavg()}")
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
        report.append(row)
        print(json.dumps(row))
    print(f"load after: {os.getloadavg()}")
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()
