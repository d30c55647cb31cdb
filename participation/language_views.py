"""The language switch's target: Django's set_language, resolving ``next`` in its own language."""

from urllib.parse import urlsplit

from django.conf import settings
from django.utils import translation
from django.views.decorators.http import require_POST
from django.views.i18n import set_language


@require_POST
def switch_language(request):
    """Sets the language cookie and redirects to ``next`` in the chosen language.

    set_language translates ``next`` by resolving it in the active language, which here is
    the visitor's preference, not necessarily the language of ``next`` (a German browser on
    an /en/ page): resolve it in the language its address names."""
    path = urlsplit(request.POST.get("next", "")).path
    with translation.override(translation.get_language_from_path(path) or settings.LANGUAGE_CODE):
        return set_language(request)
