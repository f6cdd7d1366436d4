"""`/events/`: the event log as a page, the audit history, updated live."""

from datetime import datetime, time, timedelta

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone

from .. import subjects
from ..models import Club, Event
from ..policies import policy_for
from .follower import safe_cursor

PAGE_SIZE = 50


class EventFilterForm(forms.Form):
    kind = forms.CharField(required=False, max_length=64,
                           help_text="A kind, or a prefix ending in * (unit.*)")
    subject_type = forms.CharField(required=False, max_length=64)
    subject_id = forms.CharField(required=False, max_length=128)
    club = forms.ModelChoiceField(queryset=Club.objects.none(), required=False, empty_label="All clubs")
    date_from = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["club"].queryset = policy_for(Club).queryset(user, "view")
        for name, field in self.fields.items():
            field.widget.attrs["class"] = "form-select form-select-sm" if name == "club" \
                else "form-control form-control-sm"

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            raise forms.ValidationError("The end date is before the start date.")
        return data

    def apply(self, events):
        data = self.cleaned_data
        kind = data.get("kind")
        if kind:
            prefix = kind.endswith("*")
            events = events.filter(kind__startswith=kind[:-1]) if prefix else events.filter(kind=kind)
        for name in ("subject_type", "subject_id"):
            if data.get(name):
                events = events.filter(**{name: data[name]})
        if data.get("club"):
            events = events.filter(club=data["club"])
        if data.get("date_from"):
            events = events.filter(created_at__gte=_day_start(data["date_from"]))
        if data.get("date_to"):
            events = events.filter(created_at__lt=_day_start(data["date_to"] + timedelta(days=1)))
        return events


def _day_start(day):
    return timezone.make_aware(datetime.combine(day, time.min))


@login_required
def events_page(request):
    """Newest first, 50 a page; page 1 receives new matching events live (live.js)."""
    form = EventFilterForm(request.GET or None, user=request.user)
    events = policy_for(Event).queryset(request.user, "view").select_related("club", "actor")
    status = 200
    if form.is_bound:
        if form.is_valid():
            events = form.apply(events)
        else:
            events, status = events.none(), 400
    live_after = safe_cursor()
    page = Paginator(events.order_by("-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    links = subjects.links(((event.subject_type, event.subject_id) for event in page), request.user)
    for event in page:
        event.subject_link = links[event.subject_type, event.subject_id]
    query = request.GET.copy()
    query.pop("page", None)
    cleaned = form.cleaned_data if form.is_bound and form.is_valid() else {}
    return render(request, "mediasuite/events.html", {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "live_after": live_after,
        # Live rows are added only where they would show up after a reload.
        "live_rows": page.number == 1 and status == 200
        and not (cleaned.get("date_to") and cleaned["date_to"] < timezone.localdate()),
        "live_filter": {
            "kind": cleaned.get("kind") or "",
            "subject_type": cleaned.get("subject_type") or "",
            "subject_id": cleaned.get("subject_id") or "",
            "club": cleaned["club"].pk if cleaned.get("club") else "",
        },
    }, status=status)
