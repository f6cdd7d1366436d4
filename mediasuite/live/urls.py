"""Routes of the live event log; included from mediasuite/urls.py."""

from django.urls import path

from ..api.urls import OptionalSlashRouter
from . import api, views

router = OptionalSlashRouter()
router.register("v1/events", api.EventViewSet, basename="event")

urlpatterns = [
    path("events/", views.events_page, name="events"),
]
api_urlpatterns = router.urls
