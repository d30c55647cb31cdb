"""Write to TCP sockets at once instead of on the reactor's next turn (Daphne).

Twisted buffers every ``transport.write`` and registers the socket with the event loop
for writability; on the next turn it sends and unregisters it again. For a workshop
frame sent to 1,000 sockets that is two ``epoll_ctl`` calls and a loop callback per
socket beside the one ``send`` (a quarter of a busy Daphne process's CPU, measured in
bench/workshop_fanout.py). asyncio's own transports try the ``send`` first and only
wait for writability when the kernel buffer is full; ``install()`` makes Twisted's
plain TCP connections do the same.

Only when nothing else is waiting to be written, no half-close is in play and no
producer waits to be asked for more. A streaming producer that is not paused (such
as Twisted's HTTP channel under every Daphne socket) is fine: it is only paused when
the buffer fills, and a direct write leaves the buffer empty. Anything else (TLS, a
full buffer, a lost connection) takes Twisted's own path unchanged, so the order of
bytes and the handling of errors stay Twisted's.
"""

import logging

log = logging.getLogger(__name__)

# The FileDescriptor attributes the direct path reads; if a Twisted release renames any,
# ``install`` leaves Twisted alone.
REQUIRED = (
    "connected",
    "disconnecting",
    "_writeDisconnecting",
    "_writeDisconnected",
    "dataBuffer",
    "offset",
    "producer",
    "streamingProducer",
    "producerPaused",
    "writeSomeData",
)

_installed = False


def install():
    """Patch Twisted's FileDescriptor.write once per process. Returns True if active."""
    global _installed
    if _installed:
        return True
    try:
        from twisted.internet import abstract, tcp
    except ImportError:
        return False
    if not all(hasattr(tcp.Connection, name) for name in REQUIRED):
        log.warning("direct writes not installed: this Twisted release has other buffer attributes")
        return False
    buffered_write = abstract.FileDescriptor.write

    def write(self, data):
        if (
            type(data) is bytes
            and data
            and isinstance(self, tcp.Connection)
            and not getattr(self, "TLS", False)
            and self.connected
            and not self.disconnecting
            and not self._writeDisconnecting
            and not self._writeDisconnected
            and (self.producer is None or (self.streamingProducer and not self.producerPaused))
            and not getattr(self, "_tempDataLen", 1)
            and self.offset == len(self.dataBuffer)
        ):
            sent = self.writeSomeData(data)
            if isinstance(sent, int) and sent > 0:
                if sent == len(data):
                    return
                data = data[sent:]
            # Not all sent (or the connection is lost): buffer the rest the usual way;
            # the reactor's next write reports a lost connection as it always does.
        buffered_write(self, data)

    write.__doc__ = buffered_write.__doc__
    write.buffered_write = buffered_write
    abstract.FileDescriptor.write = write
    _installed = True
    return True


def uninstall():
    """Give Twisted its own write back (for tests)."""
    global _installed
    from twisted.internet import abstract

    original = getattr(abstract.FileDescriptor.write, "buffered_write", None)
    if original is not None:
        abstract.FileDescriptor.write = original
    _installed = False
