from django.urls import include, path

from . import pages, tuner_views, views
from .api import urls as api_urls

tuner_patterns = [
    path("discover.json", tuner_views.discover, name="tuner-discover"),
    path("lineup.json", tuner_views.lineup, name="tuner-lineup"),
    path("lineup_status.json", tuner_views.lineup_status, name="tuner-lineup-status"),
    path("lineup.post", tuner_views.lineup_post, name="tuner-lineup-post"),
    path("device.xml", tuner_views.device_xml, name="tuner-device"),
    path("auto/v<int:number>", tuner_views.stream, name="tuner-stream"),
]

urlpatterns = [
    *tuner_patterns,
    path("hdhr/<str:token>/", include(tuner_patterns)),
    path("playlist.m3u", views.playlist, name="channels-playlist"),
    path("xmltv.xml", views.guide, name="channels-guide"),
    path("hls/<str:name>/live.m3u8", views.live, name="channel-live"),
    path("hls/<str:name>/index.m3u8", views.media_playlist, name="channel-index"),
    path("hls/<str:name>/<str:segment>", views.segment, name="channel-segment"),
    path("channels/", pages.dashboard, name="channels-dashboard"),
    path("channels/<str:name>/", pages.detail, name="channel-page"),
    path("channels/<str:name>/logo/<str:image>", views.logo, name="channel-logo"),
    path("guide/", pages.guide_page, name="channels-guide-page"),
]
api_urlpatterns = api_urls.urlpatterns
