"""The System page: running and remote version, the Update button, the progress of the last update."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from ..models import UpdateJob
from ..policies import policy_for
from .api import UpdateJobSerializer, versions


@login_required
def system_page(request):
    if not policy_for(UpdateJob).allows(request.user, "view"):
        raise PermissionDenied("Only a super admin may update MediaSuite.")
    from ..live.follower import safe_cursor

    latest = UpdateJob.objects.first()
    return render(request, "mediasuite/system.html", {
        "versions": versions(fetch=False),
        "auto_restart": settings.AUTO_RESTART_SERVICE,
        "latest": UpdateJobSerializer(latest).data if latest else None,
        "jobs": UpdateJob.objects.all()[:10],
        "live_after": safe_cursor(),
    })
