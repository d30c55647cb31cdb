"""The workshop sockets' database threads keep a connection while busy; close them
before the test database is dropped."""

import pytest


@pytest.fixture(scope="session", autouse=True)
def _close_workshop_database_threads(django_db_setup, django_db_blocker):
    yield
    from workshops.consumers import close_database_threads

    with django_db_blocker.unblock():
        close_database_threads()
