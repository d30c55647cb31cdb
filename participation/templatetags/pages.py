"""Template helpers for the public pages: navigation, language switch, money, maps."""

import math
from decimal import Decimal, InvalidOperation
from urllib.parse import urlsplit

from django import template
from django.conf import settings
from django.http import QueryDict
from django.urls import reverse, translate_url
from django.utils.formats import number_format
from django.utils.translation import get_language, get_language_info, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from participation import rules

from .. import geo

register = template.Library()

# (url name, label, url names of the pages that belong to the section)
# (view name, label, view names of the section it stands for)
NAVIGATION = [
    ("pages:home", _("Start"), {"pages:home", "pages:process"}),
    ("pages:fields", _("Handlungsfelder"), {"pages:fields", "pages:process_fields", "pages:field"}),
    ("pages:measures", _("Maßnahmen"), {"pages:measures", "pages:measure"}),
    ("pages:projects", _("Projekte"), {"pages:projects", "pages:project"}),
    ("pages:labs", _("Reallabore"), {"pages:labs", "pages:lab"}),
    ("consultations:list", _("Befragungen"), {"consultations:list", "consultations:detail"}),
    ("workshops:enter", _("Workshop"), {"workshops:enter", "workshops:join", "workshops:board"}),
    ("pages:about", _("Über den Prozess"), {"pages:about"}),
]

# Shown to facilitators only: their home and the pages reached from it.
MODERATION_SECTION = {
    "workshops:create",
    "workshops:manage",
    "workshops:edit",
    "workshops:console",
    "consultations:create",
    "consultations:import_pabulib",
    "consultations:manage",
    "results:dashboard",
    "feedback:queue",
}


def _current_language():
    return (get_language() or settings.LANGUAGE_CODE).split("-")[0]


@register.inclusion_tag("pages/_main_navigation.html", takes_context=True)
def main_navigation(context):
    """The main menu; marks the current page ("page") and its section ("true")."""
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    items = []
    for view_name, label, section in NAVIGATION:
        current = ""
        if match is not None and match.view_name == view_name:
            current = "page"
        elif match is not None and match.view_name in section:
            current = "true"
        items.append({"url": reverse(view_name), "label": label, "current": current})
    if rules.is_facilitator(getattr(request, "user", None)):
        view_name = getattr(match, "view_name", None)
        current = "page" if view_name == "moderation:home" else "true" if view_name in MODERATION_SECTION else ""
        items.append(
            {"url": reverse("moderation:home"), "label": pgettext_lazy("Bereich", "Moderation"), "current": current}
        )
    return {"items": items}


def _this_page(context):
    """The current address with its query, minus an access code from a letter's QR link,
    which must not spread into other links."""
    request = context.get("request")
    if request is None:
        return reverse("pages:home")
    path, query = request.path, request.GET.copy()
    if request.method != "GET":
        # A page that answers a form (a cast ballot, a refused login) sits at an address
        # that takes only POSTs: switch to the page the form was sent from.
        referer = urlsplit(request.META.get("HTTP_REFERER", ""))
        if referer.netloc == request.get_host() and referer.path.startswith("/"):
            path, query = referer.path, QueryDict(referer.query, mutable=True)
    query.pop("code", None)
    return path + (f"?{query.urlencode()}" if query else "")


def _languages(context):
    path = _this_page(context)
    current = _current_language()
    for code, _name in settings.LANGUAGES:
        info = get_language_info(code)
        yield {"code": code, "name": info["name_local"], "url": translate_url(path, code), "current": code == current}


@register.inclusion_tag("pages/_language_switch.html", takes_context=True)
def language_switch(context):
    """A form that remembers the choice (Django's set_language sets the cookie) and goes
    to the same page in the chosen language."""
    return {
        "languages": list(_languages(context)),
        "next": _this_page(context),
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("pages/_language_alternates.html", takes_context=True)
def language_alternates(context):
    """<link rel="alternate" hreflang> to the page in every language."""
    return {"languages": list(_languages(context))}


@register.filter
def money(value):
    """An amount in euros, grouped for the active language: 1.250.000 € / €1,250,000."""
    if value is None or value == "":
        return ""
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return ""
    places = 0 if amount == amount.to_integral_value() else 2
    text = number_format(amount, places, use_l10n=True, force_grouping=True)
    if _current_language() == "en":
        return f"€{text}"
    return f"{text}\N{NO-BREAK SPACE}€"


@register.filter
def number(value, digits=2):
    """A count or score for reading: grouped, at most ``digits`` decimals, none when
    not needed (1.234,5 / 1,234.5). Not for ids or attributes: those stay plain."""
    if value is None or value == "" or isinstance(value, bool):
        return value
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        return value
    if not amount.is_finite():
        return value
    amount = amount.quantize(Decimal(1).scaleb(-int(digits))).normalize()
    places = max(0, -amount.as_tuple().exponent)
    return number_format(amount, places, use_l10n=True, force_grouping=True)


def _plain_number(value):
    """A coordinate as plain digits with a dot, whatever the locale."""
    return format(Decimal(str(value)), "f")


@register.simple_tag
def osm_url(lab, zoom=16):
    """A link to the lab's centre on openstreetmap.org, with a marker."""
    lat, lon = _plain_number(lab.latitude), _plain_number(lab.longitude)
    return f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map={zoom}/{lat}/{lon}"


def outline_shape(boundary, centre=None, width=320, height=240, padding=16):
    """Fit a [lat, lon] polygon into a width x height box, north up.

    Returns the SVG ``points`` string and the position of the centre marker (as
    strings, so that templates do not localise the decimal point), or None
    when the boundary has fewer than three usable corners.
    """
    points = geo.usable_corners(boundary)
    if len(points) < 3:
        return None
    # Degrees of longitude shrink towards the poles; scale x so the shape is not distorted.
    mean_lat = sum(lat for lat, _lon in points) / len(points)
    x_scale = math.cos(math.radians(mean_lat))
    projected = [(lon * x_scale, -lat) for lat, lon in points]
    marker = None
    if centre is not None:
        lat, lon = float(centre[0]), float(centre[1])
        marker = (lon * x_scale, -lat)
    xs = [x for x, _y in projected] + ([marker[0]] if marker else [])
    ys = [y for _x, y in projected] + ([marker[1]] if marker else [])
    span_x = max(max(xs) - min(xs), 1e-9)
    span_y = max(max(ys) - min(ys), 1e-9)
    scale = min((width - 2 * padding) / span_x, (height - 2 * padding) / span_y)
    offset_x = (width - span_x * scale) / 2
    offset_y = (height - span_y * scale) / 2

    def place(x, y):
        return (f"{offset_x + (x - min(xs)) * scale:.1f}", f"{offset_y + (y - min(ys)) * scale:.1f}")

    shape = {"points": " ".join(",".join(place(x, y)) for x, y in projected), "width": width, "height": height}
    if marker:
        shape["marker_x"], shape["marker_y"] = place(*marker)
    return shape


@register.inclusion_tag("pages/_lab_outline.html")
def lab_outline(lab):
    """An inline SVG sketch of the lab's boundary, no map tiles; nothing without a boundary."""
    return {"lab": lab, "shape": outline_shape(lab.boundary, (lab.latitude, lab.longitude))}
