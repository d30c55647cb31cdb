"""A run without PostgreSQL and Redis ends by saying what it did not test, and why."""

import os
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def test_a_run_on_the_default_set_up_ends_with_its_skipped_tests_grouped_by_reason():
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "REQUIRE_SERVICES")}
    env["DEBUG"] = "1"
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_services.py"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    out = result.stdout
    assert result.returncode == 0, out + result.stderr
    # After pytest's own short summary, just before the final count.
    summary = out[out.index("short test summary info") :]
    summary = summary[summary.index("not tested here (CI tests it)") :]
    lines = summary.rstrip().splitlines()
    assert lines[-1].startswith("3 skipped in ")
    text = " ".join(" ".join(lines[1:-1]).split())  # as read, whatever the terminal's width
    assert text == (
        "3 tests skipped. CI (`bash .ci/run`: PostgreSQL, Redis, Chromium; REQUIRE_SERVICES=1) runs them all. "
        "By reason: "
        "2 skipped: DATABASE_URL does not point at PostgreSQL "
        "tests/test_services.py (2): test_database_is_postgresql_when_database_url_says_so, "
        "test_a_connection_pool_is_used_when_the_database_url_asks_for_it "
        "1 skipped: REDIS_URL is not set "
        "tests/test_services.py (1): test_channel_layer_round_trip_through_redis"
    )
