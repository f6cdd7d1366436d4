"""Routes of background services; included from mediasuite/urls.py (api_urlpatterns under "api/")."""

from django.urls import re_path

from . import api

NAME = r"(?P<name>[^/]+)"

urlpatterns = []
api_urlpatterns = [
    re_path(r"^v1/services/status/all/?$", api.StatusAllView.as_view(), name="api-services-status-all"),
    re_path(rf"^v1/services/{NAME}/start/?$", api.StartView.as_view(), name="api-service-start"),
    re_path(rf"^v1/services/{NAME}/stop/?$", api.StopView.as_view(), name="api-service-stop"),
    re_path(rf"^v1/services/{NAME}/status/?$", api.StatusView.as_view(), name="api-service-status"),
    re_path(rf"^v1/services/{NAME}/?$", api.ServiceDetailView.as_view(), name="api-service"),
]
