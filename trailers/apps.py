from django.apps import AppConfig


class TrailersConfig(AppConfig):
    name = "trailers"
    verbose_name = "Trailers"

    def ready(self):
        from django.conf import settings
        from rest_framework import serializers

        from mediasuite import config, layout, media
        from mediasuite.clients import connections

        from . import checks, permissions, status  # noqa: F401  (registers the system checks and the policy)
        from .clients import youtube
        from .models import Status, TrailerEntry

        connections.register(connections.Integration(
            "youtube", "YouTube", youtube.check, description="Finds trailers (YouTube Data API v3).",
            fields=(config.Field("YOUTUBE_API_KEY", "API key", config.SECRET, required=True,
                                 help="Google Cloud console: an API key with the YouTube Data API v3"),
                    config.Field("YOUTUBE_API_URL", "API URL", config.URL,
                                 default="https://www.googleapis.com/youtube/v3"))))
        media.register(media.Decorator(
            field="trailer_status", decorate=status.decorate, model=TrailerEntry,
            template="trailers/_media.html",
            schema=lambda: serializers.ChoiceField(
                choices=Status.choices, required=False,
                help_text="The media's trailer (trailers app), one bulk lookup; only for users who may "
                          "see trailers.")))
        operator = layout.may(TrailerEntry)
        layout.register(layout.Link(layout.NAV, "Trailers", allowed=operator, icon="bi-film",
                                    dialog="trailer-search-modal", html_id="nav-trailers"))
        layout.register(layout.Link(layout.SHORTCUTS, "Trailers", url="trailers-library", allowed=operator,
                                    description="every media's trailer"))
        layout.register(layout.Fragment(
            layout.DIALOGS, "trailers/_dialogs.html", allowed=operator,
            context=lambda request: {"trailers_download": settings.TRAILERS_DOWNLOAD}))
