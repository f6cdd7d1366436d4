from django.apps import AppConfig


class RecorderConfig(AppConfig):
    name = "recorder"
    verbose_name = "Court recording"

    def ready(self):
        from mediasuite import layout
        from mediasuite.models import Club
        from mediasuite.policies import policy_for

        from . import permissions  # noqa: F401  (registers the policies)
        from .models import Recording

        layout.register(layout.Link(layout.NAV, "Recordings", url="recorder-recordings",
                                    allowed=layout.may(Recording), active=("recorder",)))
        layout.register(layout.Link(layout.SHORTCUTS, "Recordings", url="recorder-recordings",
                                    allowed=layout.may(Recording), description="your clubs' matches"))
        layout.register(layout.Fragment(layout.CARDS, "recorder/_clubs_card.html", context=lambda request: {
            "clubs": policy_for(Club).queryset(request.user, "view")}))
