"""Seedbox routes: pages (activity, search) and the API (mounted under /api/)."""

from django.urls import path

from mediasuite.api.urls import OptionalSlashRouter

from . import api, views

router = OptionalSlashRouter()
router.register("seedbox/torrents", api.TorrentViewSet, basename="torrent")

urlpatterns = [
    path("seedbox/", views.activity, name="seedbox-activity"),
    path("search/", views.search_page, name="seedbox-search"),
]
api_urlpatterns = [
    path("media/search", api.MediaSearchView.as_view(), name="seedbox-media-search"),
    path("seedbox/releases", api.ReleaseSearchView.as_view(), name="seedbox-releases"),
    path("seedbox/batch-download-and-map", api.BatchView.as_view(), name="seedbox-batch"),
    path("seedbox/connections", api.ConnectionsView.as_view(), name="seedbox-connections"),
    *router.urls,
]
