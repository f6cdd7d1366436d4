from django.urls import path

from . import views
from .api import file_views, preview_views, record_views, session_views

urlpatterns = [
    path("clubs/<int:club_id>/courts/", views.club_page, name="recorder-club"),
    path("courts/<int:court_id>/", views.court_page, name="recorder-court"),
    path("recordings/", views.recordings_page, name="recorder-recordings"),
    path("recordings/<str:session_id>/thumbnail.jpg", views.thumbnail, name="recorder-thumbnail"),
]

# Mounted under /api/: the original system's exact paths.
api_urlpatterns = [
    path("video/session/create", session_views.SessionCreate.as_view(), name="recorder-session-create"),
    path("video/session/close", session_views.SessionClose.as_view(), name="recorder-session-close"),
    path("video/session/list", session_views.SessionList.as_view(), name="recorder-session-list"),
    path("video/session/<str:session_id>", session_views.SessionDetail.as_view(),
         name="recorder-session-detail"),
    path("video/record/start", record_views.RecordStart.as_view(), name="recorder-record-start"),
    path("video/record/stop", record_views.RecordStop.as_view(), name="recorder-record-stop"),
    path("video/record/highlight", record_views.RecordHighlight.as_view(), name="recorder-record-highlight"),
    path("video/record/status/<str:session_id>", record_views.RecordStatus.as_view(),
         name="recorder-record-status"),
    path("video/files/list", file_views.FilesList.as_view(), name="recorder-files-list"),
    path("video/files/<str:session_id>/download", file_views.FileDownload.as_view(),
         name="recorder-file-download"),
    path("video/files/<str:session_id>/delete", file_views.FileDelete.as_view(), name="recorder-file-delete"),
    path(
        "video/files/<str:session_id>/highlights/<int:number>/download",
        file_views.HighlightDownload.as_view(),
        name="recorder-highlight-download",
    ),
    path("video/health", file_views.Health.as_view(), name="recorder-health"),
    path("video/cleanup", file_views.Cleanup.as_view(), name="recorder-cleanup"),
    path("preview/<str:session_id>/stream.mjpeg", preview_views.PreviewStream.as_view(),
         name="recorder-preview-stream"),
    path(
        "preview/<str:session_id>/snapshot.jpg",
        preview_views.PreviewSnapshot.as_view(),
        name="recorder-preview-snapshot",
    ),
    path("preview/<str:session_id>/info", preview_views.PreviewInfo.as_view(), name="recorder-preview-info"),
]
