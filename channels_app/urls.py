from django.urls import path

from . import pages, views
from .api import urls as api_urls

urlpatterns = [
    path("playlist.m3u", views.playlist, name="channels-playlist"),
    path("xmltv.xml", views.guide, name="channels-guide"),
    path("hls/<str:name>/live.m3u8", views.live, name="channel-live"),
    path("hls/<str:name>/index.m3u8", views.media_playlist, name="channel-index"),
    path("hls/<str:name>/<str:segment>", views.segment, name="channel-segment"),
    path("channels/", pages.dashboard, name="channels-dashboard"),
    path("channels/<str:name>/", pages.detail, name="channel-page"),
]
api_urlpatterns = api_urls.urlpatterns
