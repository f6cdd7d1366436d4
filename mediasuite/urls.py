from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from channels_app import urls as channels_urls
from recorder import urls as recorder_urls
from seedbox import urls as seedbox_urls
from trailers import urls as trailers_urls

from . import views
from .live import urls as live_urls
from .services import urls as services_urls
from .supervisor import urls as supervisor_urls
from .system import urls as system_urls

parts = (live_urls, services_urls, supervisor_urls, system_urls, channels_urls, recorder_urls,
         seedbox_urls, trailers_urls)

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("settings/", views.settings_page, name="settings"),
    path("states.css", views.states_css, name="states-css"),
    path("states.js", views.states_js, name="states-js"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("api/", include("mediasuite.api.urls")),
    *(pattern for part in parts for pattern in part.urlpatterns),
    *(path("api/", include(part.api_urlpatterns)) for part in parts),
]


def handler404(request, exception):
    """JSON for the API, the HTML page elsewhere."""
    from django.views.defaults import page_not_found

    from .api.errors import json_not_found

    if request.path.startswith("/api/"):
        return json_not_found(request, exception)
    return page_not_found(request, exception)
