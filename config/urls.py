"""Root URLs. Pages are German at / and English at /en/; the API and /healthz are not translated."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from participation import city_login, health, language_views

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("livez", health.livez, name="livez"),
    path("api/", include("participation.api_urls")),
    path("i18n/setlang/", language_views.switch_language, name="set_language"),
    # Sign-in with the city's account (OpenID Connect); one callback address for the provider.
    path("stadtkonto/anmelden/", city_login.CityLoginStart.as_view(), name="city_login"),
    path("stadtkonto/zurueck/", city_login.CityLoginCallback.as_view(), name="city_login_callback"),
]

urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("konto/", include(("participation.account_urls", "accounts"))),
    path("", include(("participation.page_urls", "pages"))),
    path("rueckmeldungen/", include(("participation.feedback_urls", "feedback"))),
    path("moderation/", include(("facilitation.urls", "moderation"))),
    path("w/", include(("workshops.urls", "workshops"))),
    path("befragungen/", include(("voting.urls", "consultations"))),
    path("ergebnisse/", include(("results.urls", "results"))),
    prefix_default_language=False,
)

# A JSON 400 under /api/ for what Django refuses before the API's parsers (participation/errors.py).
handler400 = "participation.errors.bad_request"
