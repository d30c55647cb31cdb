"""The in-memory channel layer used by default (one process, no Redis).

Channels' ``InMemoryChannelLayer`` walks every queue and every group member on each
``receive`` and ``group_send`` to drop expired messages: O(N) work per message, so
with N sockets each waiting in ``receive`` a broadcast cost O(N^2). Expiry is a
safety net for channels nobody reads any more; doing it at most once a second
keeps that net and makes a receive O(1) again.
"""

import time

from channels.layers import InMemoryChannelLayer

CLEAN_INTERVAL = 1.0


class WorkshopInMemoryChannelLayer(InMemoryChannelLayer):
    """``InMemoryChannelLayer`` that cleans expired messages at most once a second."""

    _cleaned_at = 0.0

    def _clean_expired(self):
        now = time.monotonic()
        if now - self._cleaned_at < CLEAN_INTERVAL:
            return
        self._cleaned_at = now
        super()._clean_expired()
