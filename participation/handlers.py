"""The HTTP side of the ASGI application.

Our views are synchronous (DRF and plain Django), and so is most of the middleware.
Django's own ASGI handler builds an asynchronous middleware chain, in which every
middleware with ``process_request``/``process_response`` hands the request to a thread
and back, and the view once more: about 15 hand-overs a request. In the ballot
benchmark those cost 15 to 25 % of the server's CPU. Here the chain and the view are
built for synchronous use and run as one call in the request's own thread.
"""

from asgiref.sync import sync_to_async
from django.core.handlers.asgi import ASGIHandler


class SyncChainASGIHandler(ASGIHandler):
    def load_middleware(self, is_async=False):
        super().load_middleware(is_async=False)

    async def get_response_async(self, request):
        # thread_sensitive: the thread of this request's ThreadSensitiveContext (see
        # ASGIHandler.__call__), which also runs its request_started and close calls.
        return await sync_to_async(self.get_response, thread_sensitive=True)(request)
