"""Content negotiation: DRF's, with the usual request decided without parsing, and for
export endpoints, where ?format= names a file format (csv, xlsx, pdf, ...) rather than a
DRF renderer."""

from rest_framework.negotiation import DefaultContentNegotiation

# Accept headers under which DRF picks the first renderer when it is JSON (absent is */*).
JSON_FIRST = frozenset({"*/*", "application/json"})


class ContentNegotiation(DefaultContentNegotiation):
    """DRF's negotiation; a request that accepts JSON or anything, without ?format=, gets the
    first renderer when that is JSON, as DRF would decide after parsing the header."""

    def select_renderer(self, request, renderers, format_suffix=None):
        renderer = renderers[0] if renderers else None
        if (
            renderer is not None
            and renderer.media_type == "application/json"
            and not format_suffix
            and request.META.get("HTTP_ACCEPT", "*/*") in JSON_FIRST
            and self.settings.URL_FORMAT_OVERRIDE not in request.query_params
        ):
            return renderer, renderer.media_type
        return super().select_renderer(request, renderers, format_suffix)


class ExportContentNegotiation(DefaultContentNegotiation):
    def select_renderer(self, request, renderers, format_suffix=None):
        # Errors are rendered as JSON; the file itself is an HttpResponse of its own type.
        renderer = renderers[0]
        return renderer, renderer.media_type
