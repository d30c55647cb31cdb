from django.conf import settings


def site(request):
    """Values every page template needs."""
    return {
        "SITE_NAME": "Heilbronn gestaltet digital",
        "SITE_URL": settings.SITE_URL,
        "city_login": settings.CITY_LOGIN,
    }
