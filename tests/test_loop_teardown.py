"""The test suite's own guard: a task that ignores its cancellation cannot stall the run."""

import asyncio
import time

import pytest

from tests import conftest


def test_a_task_that_ignores_cancellation_is_named_and_left_behind(monkeypatch):
    monkeypatch.setattr(conftest, "TEARDOWN_GRACE", 0.2)

    async def stubborn():
        while True:
            try:
                await asyncio.sleep(3600)
            except asyncio.CancelledError:
                continue  # the kind of bug the guard is for

    loop = asyncio.new_event_loop()
    try:
        task = loop.create_task(stubborn())
        loop.run_until_complete(asyncio.sleep(0))
        started = time.monotonic()
        with pytest.warns(UserWarning, match="ignored its cancellation") as caught:
            conftest._cancel_all_tasks_bounded(loop)
        assert time.monotonic() - started < 5
        message = str(caught[0].message)
        assert "in stubborn" in message
        assert "in sleep" in message  # down the chain of awaits, not just the outer frame
        assert not task.done()
    finally:
        task.cancel()
        loop.close()


async def test_a_consumer_that_ignores_cancellation_fails_its_test_instead_of_stalling_it(monkeypatch):
    from asgiref.testing import ApplicationCommunicator

    monkeypatch.setattr(conftest, "TEARDOWN_GRACE", 0.2)
    release = asyncio.Event()

    async def stubborn_app(scope, receive, send):
        while not release.is_set():
            try:
                await asyncio.sleep(3600)
            except asyncio.CancelledError:
                continue  # the kind of bug the guard is for

    communicator = ApplicationCommunicator(stubborn_app, {"type": "websocket"})
    started = time.monotonic()
    with pytest.raises(AssertionError, match="ignored its cancellation") as caught:
        await communicator.receive_output(timeout=0.1)
    assert time.monotonic() - started < 5
    assert "in stubborn_app" in str(caught.value)
    release.set()
    communicator.future.cancel()
    await asyncio.wait({communicator.future}, timeout=5)
    assert communicator.future.done()
