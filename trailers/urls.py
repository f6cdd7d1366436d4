"""Trailer routes: the trailers page and the API (mounted under /api/); the dialogs are on every page."""

from django.urls import path

from . import api, views

MEDIA = "trailers/<str:media_type>/<str:external_id>"

urlpatterns = [
    path("trailers/", views.library, name="trailers-library"),
]
api_urlpatterns = [
    path("trailers", api.EntryListView.as_view(), name="trailers-list"),
    path("trailers/refresh", api.RefreshView.as_view(), name="trailers-refresh"),
    path(MEDIA, api.TrailerDetailView.as_view(), name="trailers-detail"),
    path(f"{MEDIA}/search", api.TrailerSearchView.as_view(), name="trailers-search"),
    path(f"{MEDIA}/lock", api.TrailerLockView.as_view(), name="trailers-lock"),
    path(f"{MEDIA}/unlock", api.TrailerUnlockView.as_view(), name="trailers-unlock"),
    path(f"{MEDIA}/download", api.TrailerDownloadView.as_view(), name="trailers-download"),
    path("agent/get_locked_trailer_id", api.LockedTrailerIdView.as_view(), name="trailers-locked-id"),
]
