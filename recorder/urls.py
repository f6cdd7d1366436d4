from django.urls import path

from . import api, views

urlpatterns = [
    path("clubs/<int:club_id>/courts/", views.club_page, name="recorder-club"),
    path("courts/<int:court_id>/", views.court_page, name="recorder-court"),
    path("recordings/", views.recordings_page, name="recorder-recordings"),
    path("recordings/<str:session_id>/thumbnail.jpg", views.thumbnail, name="recorder-thumbnail"),
]

# Mounted under /api/: the original system's exact paths.
api_urlpatterns = [
    path("video/session/create", api.SessionCreate.as_view(), name="recorder-session-create"),
    path("video/session/close", api.SessionClose.as_view(), name="recorder-session-close"),
    path("video/session/list", api.SessionList.as_view(), name="recorder-session-list"),
    path("video/session/<str:session_id>", api.SessionDetail.as_view(), name="recorder-session-detail"),
    path("video/record/start", api.RecordStart.as_view(), name="recorder-record-start"),
    path("video/record/stop", api.RecordStop.as_view(), name="recorder-record-stop"),
    path("video/record/highlight", api.RecordHighlight.as_view(), name="recorder-record-highlight"),
    path("video/record/status/<str:session_id>", api.RecordStatus.as_view(), name="recorder-record-status"),
    path("video/files/list", api.FilesList.as_view(), name="recorder-files-list"),
    path("video/files/<str:session_id>/download", api.FileDownload.as_view(), name="recorder-file-download"),
    path("video/files/<str:session_id>/delete", api.FileDelete.as_view(), name="recorder-file-delete"),
    path(
        "video/files/<str:session_id>/highlights/<int:number>/download",
        api.HighlightDownload.as_view(),
        name="recorder-highlight-download",
    ),
    path("video/health", api.Health.as_view(), name="recorder-health"),
    path("video/cleanup", api.Cleanup.as_view(), name="recorder-cleanup"),
    path(
        "preview/<str:session_id>/stream.mjpeg", api.PreviewStream.as_view(), name="recorder-preview-stream"
    ),
    path(
        "preview/<str:session_id>/snapshot.jpg",
        api.PreviewSnapshot.as_view(),
        name="recorder-preview-snapshot",
    ),
    path("preview/<str:session_id>/info", api.PreviewInfo.as_view(), name="recorder-preview-info"),
]
