"""Places on the map: is a point inside a living lab, and the GeoJSON of what has a place.

Coordinates are stored as [latitude, longitude] (a lab's boundary) and written as GeoJSON
wants them, [longitude, latitude] (RFC 7946). A lab's area is small enough for a plane."""

import math
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# A lab without an outline: a place counts as inside within this many degrees of its point (~1 km).
NEAR_LAB_DEGREES = 0.01


def usable_corners(boundary):
    """The [lat, lng] corners of a boundary that are pairs of finite degrees in range, as
    floats; whatever else a script may have stored there is left out."""
    corners = []
    for corner in boundary if isinstance(boundary, list) else []:
        if not isinstance(corner, list | tuple) or len(corner) != 2:
            continue
        lat, lng = corner
        if any(isinstance(c, bool) or not isinstance(c, int | float) or not math.isfinite(c) for c in (lat, lng)):
            continue
        if -90 <= lat <= 90 and -180 <= lng <= 180:
            corners.append((float(lat), float(lng)))
    return corners


def inside(point, polygon):
    """Whether (lat, lng) lies inside the polygon of [lat, lng] corners (even-odd rule)."""
    lat, lng = point
    result = False
    corners = len(polygon)
    for i in range(corners):
        lat1, lng1 = polygon[i]
        lat2, lng2 = polygon[(i + 1) % corners]
        if (lng1 > lng) != (lng2 > lng):
            crossing = lat1 + (lng - lng1) * (lat2 - lat1) / (lng2 - lng1)
            if lat < crossing:
                result = not result
    return result


def in_lab(lab, latitude, longitude):
    point = (float(latitude), float(longitude))
    corners = usable_corners(lab.boundary)
    if len(corners) >= 3:
        return inside(point, corners)
    return (
        abs(point[0] - float(lab.latitude)) <= NEAR_LAB_DEGREES
        and abs(point[1] - float(lab.longitude)) <= NEAR_LAB_DEGREES
    )


def _coordinate(raw, low, high):
    try:
        value = Decimal(str(raw).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        return None
    if not value.is_finite() or not low <= value <= high:
        return None
    return value.quantize(Decimal("0.00001"))


def place_in_lab(lab, latitude, longitude):
    """A checked place for feedback on ``lab``: ``(lat, lng)`` as Decimals, ``(None, None)``
    when none is given; ValidationError when it is half, malformed or outside the lab."""
    latitude, longitude = (str(value or "").strip() for value in (latitude, longitude))
    if not latitude and not longitude:
        return None, None
    lat, lng = _coordinate(latitude, -90, 90), _coordinate(longitude, -180, 180)
    if lat is None or lng is None:
        raise ValidationError({"place": _("Der Ort auf der Karte ist unvollständig oder ungültig.")})
    if not in_lab(lab, lat, lng):
        raise ValidationError({"place": _("Der Ort liegt nicht im Gebiet des Reallabors.")})
    return lat, lng


def point(latitude, longitude):
    return {"type": "Point", "coordinates": [float(longitude), float(latitude)]}


def area(lab):
    """The lab's outline as a closed GeoJSON polygon, or its point when it has none (or no
    usable one)."""
    corners = usable_corners(lab.boundary)
    if len(corners) < 3:
        return point(lab.latitude, lab.longitude)
    ring = [[lng, lat] for lat, lng in corners]
    if ring[0] != ring[-1]:
        ring.append(ring[0])
    return {"type": "Polygon", "coordinates": [ring]}


def feature(geometry, **properties):
    return {"type": "Feature", "geometry": geometry, "properties": properties}
