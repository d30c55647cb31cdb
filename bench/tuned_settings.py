"""Settings for the "-tuned" benchmark targets: the project's settings with
persistent database connections (proposal P2 in docs/benchmarks.md)."""

from participation.settings import *  # noqa: F403
from participation.settings import DATABASES

# Every database_sync_to_async call closes the connection when CONN_MAX_AGE is 0,
# so each WebSocket command paid for a new PostgreSQL connection.
DATABASES["default"]["CONN_MAX_AGE"] = 60
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
