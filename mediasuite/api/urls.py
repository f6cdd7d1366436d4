from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import SimpleRouter

from . import views


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
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    *router.urls,
]
