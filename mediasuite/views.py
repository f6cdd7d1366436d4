"""Server-rendered pages of the core: dashboard, settings, and the state colours every page loads."""

import json

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from . import states
from .policies import policy_for
from .supervisor import nodes


@login_required
def dashboard(request):
    """The cards and links the apps registered (mediasuite/layout.py), those the user may use."""
    return render(request, "mediasuite/dashboard.html")


def connections_summary(user) -> list | None:
    """The integrations for the Settings page's Connections card (SUPER_ADMIN), or None."""
    from .clients import connections
    from .models import Connection

    if not policy_for(Connection).allows(user, "change"):
        return None
    return [connections.describe(item) for item in connections.integrations()]


@login_required
def connections_page(request):
    """Settings → Connections: one form per integration (SUPER_ADMIN)."""
    from .clients import connections
    from .models import Connection

    if not policy_for(Connection).allows(request.user, "change"):
        raise PermissionDenied("Only a super admin may see or change the connections.")
    return render(request, "mediasuite/connections.html", {
        "connections": [connections.describe(item) for item in connections.integrations()]})


@login_required
def settings_page(request):
    from .live.follower import safe_cursor
    from .models import ServiceState
    from .services import control
    from .services.status import CORE_KEYS

    services = None
    if policy_for(ServiceState).allows(request.user, "view"):
        services = [{"status": status, "counters": [(k, v) for k, v in status.items() if k not in CORE_KEYS]}
                    for status in control.status_all().values()]
    return render(request, "mediasuite/settings.html", {
        "data_dir": settings.DATA_DIR,
        "database": settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1],
        "broker": "redis" if settings.REDIS_URL else "orm",
        "manager_initialized": nodes.alive(),
        "services": services,
        "connections": connections_summary(request.user),
        # Where live.js resumes from, so that no change after the page was drawn is missed.
        "live_after": safe_cursor(),
    })


# Pages link these with ?v=<version>, so a browser may keep them for a day.
@require_GET
@cache_control(public=True, max_age=86400)
def states_css(request):
    return HttpResponse(states.stylesheet(), content_type="text/css; charset=utf-8")


@require_GET
@cache_control(public=True, max_age=86400)
def states_js(request):
    table = json.dumps(states.script_table(), sort_keys=True)
    script = render_to_string("mediasuite/states.js", {"table": table})
    return HttpResponse(script, content_type="text/javascript; charset=utf-8")
