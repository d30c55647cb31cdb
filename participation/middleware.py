"""Which language a request is answered in.

Pages are German at ``/…`` and English at ``/en/…``. The address decides, so a link
always shows what it says; the visitor's preference only picks the address:

1. ``?lang=de|en`` names the language (exports, the PDF, the API); a page is
   redirected to its address in that language.
2. The ``/en/`` prefix means English.
3. An unprefixed page is German. A GET of it from a visitor who prefers another
   language is redirected to that language's address: the preference is the choice
   made with the language switch (a cookie, set by ``set_language``), or, before any
   choice, the browser's Accept-Language.
4. Addresses outside the pages (the API, /healthz) follow the cookie, then
   Accept-Language, then German.
"""

from django.conf import settings
from django.http import HttpResponseRedirect
from django.middleware.locale import LocaleMiddleware
from django.urls import translate_url
from django.utils import translation
from django.utils.cache import patch_vary_headers

QUERY_PARAMETER = "lang"


def language_from_query(request):
    code = request.GET.get(QUERY_PARAMETER, "")
    return code if code in dict(settings.LANGUAGES) else None


class LanguageMiddleware(LocaleMiddleware):
    def process_request(self, request):
        from_path = translation.get_language_from_path(request.path_info)
        address_language = from_path or settings.LANGUAGE_CODE
        wanted = (
            language_from_query(request)
            or from_path
            or translation.get_language_from_request(request, check_path=False)
        )
        language = wanted
        if wanted != address_language:
            # translate_url() resolves in the active language and leaves an address
            # unchanged unless it is a page with an address in the wanted language.
            translation.activate(address_language)
            full_path = request.get_full_path()
            target = translate_url(full_path, wanted)
            if target != full_path:
                if request.method in ("GET", "HEAD"):
                    return self._redirect(target)
                language = address_language  # a form posted to this address is answered here
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        return None

    @staticmethod
    def _redirect(target):
        response = HttpResponseRedirect(target)
        # Caches must not hand this redirect to someone with another preference.
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        return response

    def process_response(self, request, response):
        response = super().process_response(request, response)
        if not translation.get_language_from_path(request.path_info):
            # Without a prefix the answer depends on the preference (or its absence).
            patch_vary_headers(response, ("Accept-Language", "Cookie"))
        return response
