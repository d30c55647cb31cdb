"""Daphne's sockets write at once (participation/direct_writes.py), with Twisted's
guarantees kept: every byte arrives, in order, and a full or lost connection goes
Twisted's buffered way."""

import os
import socket
import subprocess
import sys

import pytest
from twisted.internet import abstract, main, tcp

from participation import direct_writes


class Reactor:
    """Records what a connection asks of the reactor instead of running a loop."""

    def __init__(self):
        self.writers = set()
        self.added = 0

    def addWriter(self, writer):  # noqa: N802 (Twisted's interface)
        self.added += 1
        self.writers.add(writer)

    def removeWriter(self, writer):  # noqa: N802
        self.writers.discard(writer)


class Producer:
    def __init__(self):
        self.paused = 0
        self.resumed = 0

    def pauseProducing(self):  # noqa: N802
        self.paused += 1

    def resumeProducing(self):  # noqa: N802
        self.resumed += 1

    def stopProducing(self):  # noqa: N802
        pass


@pytest.fixture(autouse=True)
def twisteds_own_write():
    """Each test starts from Twisted's own write (another test may have imported
    config.asgi under a reactor) and leaves the process as it found it."""
    was_installed = direct_writes._installed
    direct_writes.uninstall()
    original = abstract.FileDescriptor.write
    yield original
    direct_writes.uninstall()
    assert abstract.FileDescriptor.write is original
    if was_installed:
        direct_writes.install()


@pytest.fixture
def patched(twisteds_own_write):
    assert direct_writes.install()
    assert abstract.FileDescriptor.write is not twisteds_own_write


@pytest.fixture
def pair():
    ours, theirs = socket.socketpair()
    ours.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 16_384)
    theirs.setblocking(False)
    reactor = Reactor()
    connection = tcp.Connection(ours, protocol=None, reactor=reactor)
    connection.connected = 1
    yield connection, theirs, reactor
    ours.close()
    theirs.close()


def drain(peer):
    received = b""
    while True:
        try:
            chunk = peer.recv(1 << 20)
        except BlockingIOError:
            return received
        if not chunk:
            return received
        received += chunk


def test_a_frame_is_sent_at_once_without_asking_the_reactor(patched, pair):
    connection, peer, reactor = pair
    connection.write(b"frame one")
    connection.write(b"frame two")
    assert drain(peer) == b"frame oneframe two"
    assert reactor.added == 0


def test_without_the_patch_the_reactor_is_asked_every_time(pair):
    connection, peer, reactor = pair
    connection.write(b"frame one")
    assert reactor.added == 1
    assert drain(peer) == b""  # waits for the reactor's next turn
    connection.doWrite()
    assert drain(peer) == b"frame one"


def test_a_full_socket_buffers_the_rest_in_order(patched, pair):
    connection, peer, reactor = pair
    frames = [bytes([65 + n % 26]) * 50_000 for n in range(8)]
    for frame in frames:
        connection.write(frame)
    assert reactor.writers == {connection}  # the kernel buffer filled up: Twisted's way
    received = drain(peer)
    while reactor.writers:
        connection.doWrite()
        received += drain(peer)
    assert received == b"".join(frames)
    connection.write(b"after")  # the buffer is empty again: direct once more
    assert drain(peer) == b"after"


def test_a_paused_or_pulling_producer_keeps_twisteds_path(patched, pair):
    connection, peer, reactor = pair
    producer = Producer()
    connection.registerProducer(producer, True)
    connection.write(b"streaming, not paused")
    assert drain(peer) == b"streaming, not paused"
    assert reactor.added == 0
    connection.producerPaused = True
    connection.write(b"paused")
    assert reactor.added == 1
    connection.doWrite()
    assert drain(peer) == b"paused"
    assert producer.resumed == 1  # Twisted resumed it once the buffer was empty

    connection.unregisterProducer()
    connection.registerProducer(Producer(), False)  # a pull producer wants doWrite's call
    connection.write(b"pull")
    assert reactor.added == 2


def test_a_lost_connection_is_reported_by_twisted_as_before(patched, pair):
    connection, peer, reactor = pair
    peer.close()
    for _ in range(3):  # the first send may still succeed; later ones see the reset
        connection.write(b"x" * 1000)
    assert reactor.writers == {connection}
    assert connection.doWrite() is main.CONNECTION_LOST


def test_a_half_closing_connection_is_left_alone(patched, pair):
    connection, peer, reactor = pair
    connection._writeDisconnecting = True
    connection.write(b"late")
    assert reactor.added == 1
    assert drain(peer) == b""


def test_daphne_processes_get_direct_writes():
    script = (
        "import daphne.server\n"  # installs Twisted's asyncio reactor, as `daphne` does
        "import config.asgi\n"
        "from twisted.internet import abstract\n"
        "print(abstract.FileDescriptor.write.__module__)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, env=dict(os.environ)
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "participation.direct_writes"
