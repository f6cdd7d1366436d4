"""Channel pages (placeholder until the dashboard lands)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse


@login_required
def dashboard(request):
    return HttpResponse("channels")


@login_required
def detail(request, name):
    return HttpResponse(name)
