"""REST API under /api/: the core domain's read endpoints and the measure catalogue,
the OpenAPI schema and its offline docs."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from . import api

app_name = "api"

router = SimpleRouter()
router.register("processes", api.ProcessViewSet, basename="process")
router.register("fields", api.FieldOfActionViewSet, basename="field")
router.register("measures", api.MeasureViewSet, basename="measure")
router.register("projects", api.ProjectViewSet, basename="project")
router.register("labs", api.LivingLabViewSet, basename="lab")
router.register("feedback", api.FeedbackViewSet, basename="feedback")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves the Swagger UI set-up as its own script (no inline
    # <script>, ready for a strict CSP); the assets come from the sidecar package.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("map/", api.MapView.as_view(), name="map"),
    path("", include("workshops.api_urls")),
    path("", include("voting.api_urls")),
    path("", include("results.api_urls")),
    path("", include(router.urls)),
]
