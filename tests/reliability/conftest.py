"""Fixtures of the reliability tests: one site with two Daphne processes over Redis that
most tests share, and one without a connection pool."""

import pytest

from .faults import close_site, new_site, require_redis


@pytest.fixture(scope="session")
def live_pair():
    """Servers A and B on one database, sharing the channel layer on REDIS_URL."""
    require_redis()
    site = new_site(names=("A", "B"))
    yield site
    close_site(site)


@pytest.fixture(scope="session")
def unpooled_server():
    """One server without a connection pool: one database connection per request in flight,
    whose answers to faults are tested."""
    site = new_site(names=("A",), pool=False)
    yield site
    close_site(site)
