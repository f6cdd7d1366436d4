"""Routes of the System page and its API; included from mediasuite/urls.py."""

from django.urls import path, re_path

from . import api, views

urlpatterns = [
    path("system/", views.system_page, name="system"),
]
api_urlpatterns = [
    re_path(r"^system/update/?$", api.UpdateView.as_view(), name="api-system-update"),
    re_path(r"^system/update/(?P<job_id>[0-9]{1,18})/?$", api.UpdateDetailView.as_view(),
            name="api-system-update-job"),
    re_path(r"^system/version/?$", api.VersionView.as_view(), name="api-system-version"),
]
