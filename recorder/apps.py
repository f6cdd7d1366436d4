from django.apps import AppConfig


class RecorderConfig(AppConfig):
    name = "recorder"
    verbose_name = "Court recording"
