"""Seedbox routes: pages (activity, search) and the API (mounted under /api/)."""

from django.urls import path

from mediasuite.api.urls import OptionalSlashRouter

from . import views
from .api import library, torrents

router = OptionalSlashRouter()
router.register("seedbox/torrents", torrents.TorrentViewSet, basename="torrent")

urlpatterns = [
    path("seedbox/", views.activity, name="seedbox-activity"),
    path("search/", views.search_page, name="seedbox-search"),
]
api_urlpatterns = [
    path("media/search", torrents.MediaSearchView.as_view(), name="seedbox-media-search"),
    path("search/lookup", library.LookupView.as_view(), name="seedbox-lookup"),
    path("seedbox/arr-options", library.OptionsView.as_view(), name="seedbox-arr-options"),
    path("series_details/<int:tvdb_id>", library.SeriesDetailsView.as_view(), name="seedbox-series-details"),
    path("seedbox/queue", library.QueueView.as_view(), name="seedbox-queue"),
    path("seedbox/queue/<str:kind>/<int:item_id>", library.QueueItemView.as_view(),
         name="seedbox-queue-item"),
    path("seedbox/releases", torrents.ReleaseSearchView.as_view(), name="seedbox-releases"),
    path("seedbox/batch-download-and-map", torrents.BatchView.as_view(), name="seedbox-batch"),
    path("seedbox/connections", torrents.ConnectionsView.as_view(), name="seedbox-connections"),
    *router.urls,
]
