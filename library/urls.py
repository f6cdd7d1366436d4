"""Library routes: the page (and its posters) and the API (mounted under /api/)."""

from django.urls import path, re_path

from . import api, views

urlpatterns = [
    path("library/", views.index, name="library-index"),
    path("library/poster/<int:rating_key>", views.poster, name="library-poster"),
]
api_urlpatterns = [
    path("media_items", api.MediaItemsView.as_view(), name="library-media-items"),
    path("library/options", api.OptionsView.as_view(), name="library-options"),
    re_path(r"^library/items/(?P<rating_key>[0-9]{1,12})/(?P<action>watched|archive|reject|move|delete)/?$",
            api.ItemActionView.as_view(), name="library-item-action"),
    path("library/bulk", api.BulkView.as_view(), name="library-bulk"),
    path("library/bulk/<int:job_id>", api.BulkJobView.as_view(), name="library-bulk-job"),
    path("library/archive", api.ArchiveView.as_view(), name="library-archive"),
    path("library/suggestions", api.SuggestionsView.as_view(), name="library-suggestions"),
]
