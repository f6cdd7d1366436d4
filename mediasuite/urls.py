"""The URLs of the core, then those of every installed app with a `urls` module.

The apps are the project's own top-level packages in INSTALLED_APPS. An
app's `urls` module holds `urlpatterns` (pages, at the root) and
`api_urlpatterns` (under /api/); installing the app is what plugs them in.
"""

from importlib import import_module
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.module_loading import module_has_submodule

from . import logins, metrics, views
from .live import urls as live_urls
from .services import urls as services_urls
from .supervisor import urls as supervisor_urls
from .system import urls as system_urls

ROOT = Path(settings.BASE_DIR).resolve()
app_parts = [import_module(f"{config.name}.urls") for config in apps.get_app_configs()
             if config.name != "mediasuite" and Path(config.path).resolve().parent == ROOT
             and module_has_submodule(config.module, "urls")]
parts = (live_urls, services_urls, supervisor_urls, system_urls, *app_parts)

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("settings/", views.settings_page, name="settings"),
    path("states.css", views.states_css, name="states-css"),
    path("states.js", views.states_js, name="states-js"),
    path("settings/connections/", views.connections_page, name="settings-connections"),
    path("metrics", metrics.view, name="metrics"),
    path("accounts/login/", auth_views.LoginView.as_view(authentication_form=logins.LoginForm), name="login"),
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
