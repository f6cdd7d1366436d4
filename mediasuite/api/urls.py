from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import SimpleRouter

from . import connections, views


class OptionalSlashRouter(SimpleRouter):
    """Routes answer with or without a trailing slash, as the original systems' clients call them."""

    def __init__(self):
        super().__init__()
        self.trailing_slash = "/?"


router = OptionalSlashRouter()
router.register("clubs", views.ClubViewSet)
router.register("memberships", views.MembershipViewSet)
router.register("users", views.UserViewSet)

urlpatterns = [
    path("auth/token", views.TokenView.as_view(), name="api-token"),
    path("health", views.HealthView.as_view(), name="api-health"),
    path("me", views.MeView.as_view(), name="api-me"),
    re_path(r"^connections/?$", connections.ConnectionListView.as_view(), name="api-connections"),
    re_path(r"^connections/(?P<name>[a-z0-9_-]+)/?$", connections.ConnectionDetailView.as_view(),
            name="api-connection"),
    re_path(r"^connections/(?P<name>[a-z0-9_-]+)/test/?$", connections.ConnectionTestView.as_view(),
            name="api-connection-test"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    *router.urls,
]
