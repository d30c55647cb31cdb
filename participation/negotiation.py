"""Content negotiation for export endpoints, where ?format= names a file format
(csv, xlsx, pdf, ...) rather than a DRF renderer."""

from rest_framework.negotiation import DefaultContentNegotiation


class ExportContentNegotiation(DefaultContentNegotiation):
    def select_renderer(self, request, renderers, format_suffix=None):
        # Errors are rendered as JSON; the file itself is an HttpResponse of its own type.
        renderer = renderers[0]
        return renderer, renderer.media_type
