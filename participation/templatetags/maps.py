"""The interactive map (``{% map_view %}``): Leaflet draws it from the GeoJSON in the page,
with or without tiles; a list on the page always says the same in words."""

from django import template
from django.conf import settings

register = template.Library()


@register.inclusion_tag("pages/_map.html", takes_context=True)
def map_view(context, geojson, name, label, picker=""):
    return {
        "geojson": geojson,
        "name": name,
        "label": label,
        "picker": picker,
        "tiles": settings.MAP_TILES_URL,
        "attribution": settings.MAP_TILES_ATTRIBUTION,
    }
