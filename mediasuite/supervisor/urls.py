"""Routes of this part of the core; included from mediasuite/urls.py."""

from ..api.urls import OptionalSlashRouter
from .api import UnitViewSet

router = OptionalSlashRouter()
router.register("v1/units", UnitViewSet, basename="unit")

urlpatterns = []
api_urlpatterns = router.urls
