"""Shared fixtures, and the CI rule that no test may be skipped.

With REQUIRE_SERVICES=1 (set by .ci/run) a skipped test fails the run: in CI
every service and the browser are there, so a skip would hide a gap.
"""

import asyncio
import os
import time
import warnings

import pytest
from asgiref.testing import ApplicationCommunicator
from django.utils import translation

from . import factories, readme_walk

STRICT = os.environ.get("REQUIRE_SERVICES") == "1"

# When an async test's event loop closes, asyncio cancels the tasks left and waits for
# them, without limit: one task that ignores its cancellation stalls the whole run (CI
# once waited 90 minutes). Wait at most this long, then name the stuck tasks with their
# stacks in a warning and go on.
TEARDOWN_GRACE = 20


def _cancel_all_tasks_bounded(loop):
    tasks = asyncio.all_tasks(loop)
    if not tasks:
        return
    for task in tasks:
        task.cancel()
    done, pending = loop.run_until_complete(asyncio.wait(tasks, timeout=TEARDOWN_GRACE))
    for task in pending:
        warnings.warn(
            f"a task ignored its cancellation for {TEARDOWN_GRACE} s: {task!r}\n{_await_chain(task)}", stacklevel=2
        )
    for task in done:
        if not task.cancelled() and task.exception() is not None:
            loop.call_exception_handler(
                {"message": "unhandled exception during shutdown", "exception": task.exception(), "task": task}
            )


def _await_chain(task):
    """Where a task waits, down the chain of awaits (print_stack shows the outer frame only)."""
    lines = []
    awaited = task.get_coro()
    while awaited is not None:
        frame = getattr(awaited, "cr_frame", None) or getattr(awaited, "gi_frame", None)
        if frame is None:
            lines.append(f"  waiting for {awaited!r}")
            break
        lines.append(f'  File "{frame.f_code.co_filename}", line {frame.f_lineno}, in {frame.f_code.co_name}')
        awaited = getattr(awaited, "cr_await", None) or getattr(awaited, "gi_yieldfrom", None)
    return "\n".join(lines)


asyncio.runners._cancel_all_tasks = _cancel_all_tasks_bounded


async def _stop_application(communicator):
    """asgiref's test communicators cancel the application when a receive times out, or
    when ``wait`` ends, and then wait for it without limit: a consumer that ignored its
    cancellation would stall the whole run. Wait at most TEARDOWN_GRACE and fail the
    test with the place where the application waits."""
    future = communicator.future
    if future.done():
        return
    future.cancel()
    done, _ = await asyncio.wait({future}, timeout=TEARDOWN_GRACE)
    if not done:
        raise AssertionError(
            f"the application ignored its cancellation for {TEARDOWN_GRACE} s:\n{_await_chain(future)}"
        )


async def _receive_output_bounded(self, timeout=1):
    if self.future.done():
        self.future.result()
    try:
        async with asyncio.timeout(timeout):
            return await self.output_queue.get()
    except TimeoutError:
        if self.future.done():
            if not self.future.cancelled():
                self.future.result()
        else:
            await _stop_application(self)
        raise


async def _wait_bounded(self, timeout=1):
    try:
        async with asyncio.timeout(timeout):
            try:
                await self.future
                self.future.result()
            except asyncio.CancelledError:
                pass
    finally:
        await _stop_application(self)


ApplicationCommunicator.receive_output = _receive_output_bounded
ApplicationCommunicator.wait = _wait_bounded


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if STRICT and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"skipped in CI (REQUIRE_SERVICES=1): {report.longrepr}"


def skipped_by_reason(reports):
    """{reason: {file: {test: number of cases}}} of skipped test reports, in the order seen."""
    groups = {}
    for report in reports:
        if isinstance(report.longrepr, tuple):
            reason = str(report.longrepr[2]).removeprefix("Skipped: ")
        else:
            reason = str(report.longrepr)
        path, _, name = report.nodeid.partition("::")
        tests = groups.setdefault(reason, {}).setdefault(path, {})
        name = name.partition("[")[0] or "(the whole file)"
        tests[name] = tests.get(name, 0) + 1
    return groups


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_terminal_summary(terminalreporter):
    """At the very end (after pytest's short summary): what this run did not test, and why,
    so a newcomer on SQLite and the in-memory layer sees what CI covers that they did not."""
    result = yield
    reports = [r for r in terminalreporter.stats.get("skipped", []) if not hasattr(r, "wasxfail")]
    if not reports:
        return result
    import textwrap

    write = terminalreporter.write_line
    terminalreporter.section("not tested here (CI tests it)", sep="=", yellow=True)
    tests = "1 test" if len(reports) == 1 else f"{len(reports)} tests"
    write(
        f"{tests} skipped. CI (`bash .ci/run`: PostgreSQL, Redis, Chromium; REQUIRE_SERVICES=1) runs them all. "
        "By reason:"
    )
    groups = skipped_by_reason(reports)
    for reason, files in sorted(groups.items(), key=lambda item: -sum(sum(t.values()) for t in item[1].values())):
        write(f"{sum(sum(t.values()) for t in files.values())} skipped: {reason}", bold=True)
        for path, tests in files.items():
            names = ", ".join(name if count == 1 else f"{name} ({count} cases)" for name, count in tests.items())
            text = f"{path} ({sum(tests.values())}): {names}"
            write(
                textwrap.fill(
                    text,
                    width=terminalreporter._tw.fullwidth - 1,
                    initial_indent="  ",
                    subsequent_indent="      ",
                    break_long_words=False,
                )
            )
    return result


def pytest_collection_modifyitems(config, items):
    readme_walk.arrange(config, items)  # the README walk last; never inside its own clone


def pytest_collection_finish(session):
    readme_walk.start(session)  # in the background, beside the rest of the suite


def pytest_sessionfinish(session):
    readme_walk.cleanup()


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """On SQLite the test database is a file, not Django's default shared-cache memory
    database: there a second connection writing at once (the workshop sockets' database
    threads) fails at once with "database table is locked", with no busy timeout to wait
    on; with a file SQLite's usual locks apply and the writer waits (settings: 20 s)."""
    from django.conf import settings

    for alias, config in settings.DATABASES.items():
        if config["ENGINE"].endswith("sqlite3"):
            config.setdefault("TEST", {})["NAME"] = str(tmp_path_factory.mktemp("db") / f"test-{alias}.sqlite3")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Before the test database is dropped, close the connections that threads other than
    this one hold: the workshop sockets' database threads, and asgiref's thread for the
    async tests' ORM calls (else: "database is being accessed by other users")."""
    yield
    from asgiref.sync import sync_to_async
    from django.db import connections

    from workshops.consumers import close_database_threads

    with django_db_blocker.unblock():
        close_database_threads()
        asyncio.run(sync_to_async(connections.close_all, thread_sensitive=True)())


@pytest.fixture(scope="session", autouse=True)
def live_template_database():
    """The template that live servers' databases are cloned from goes when the session ends."""
    yield
    from tests.workshops.live_site import Template

    Template.drop()


@pytest.fixture(autouse=True)
def fresh_channel_layer():
    """Every test gets a new channel layer instance: each async test runs in an event loop
    of its own, and channels_redis keeps receive state (a lock of the loop that made it)
    on the instance, which a later loop must not inherit. A server has one loop."""
    from channels.layers import channel_layers

    channel_layers.backends.clear()


@pytest.fixture(autouse=True)
def german_by_default():
    """A request to /en/ leaves English active in the thread; start every test in German."""
    translation.activate("de")
    yield
    translation.activate("de")


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """PBKDF2 costs ~0.3 s a password; tests create hundreds of accounts."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def empty_cache():
    """Rate-limit counters live in the cache; no test inherits another's."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def rate_windows_hold_still(monkeypatch):
    """Limits count in clock-aligned windows; one rolling over mid-test would restart a
    count the test is checking (CI once saw 46 slowed guesses instead of 50)."""
    from participation import security
    from voting import actions

    started = time.time()

    def window_key(key, window):
        return f"{key}:{int(started // window)}"

    monkeypatch.setattr(security, "window_key", window_key)
    monkeypatch.setattr(actions, "window_key", window_key)


@pytest.fixture
def process(db):
    return factories.make_process()


@pytest.fixture
def field(process):
    return factories.make_field(process)


@pytest.fixture
def citizen(db):
    return factories.make_user()


@pytest.fixture
def facilitator(process):
    return factories.make_facilitator(process)


@pytest.fixture
def citizen_client(client, citizen):
    client.force_login(citizen)
    return client


@pytest.fixture
def facilitator_client(client, facilitator):
    client.force_login(facilitator)
    return client


@pytest.fixture
def mail_server(settings):
    """A real SMTP server on 127.0.0.1 that Django sends to; mail "at once" goes at once."""
    from tests.mail_server import MailServer

    server = MailServer().start()
    for name, value in server.settings().items():
        setattr(settings, name, value)
    settings.NOTIFICATION_DELAY = 0
    yield server
    server.stop()
