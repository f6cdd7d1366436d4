"""One colour per state everywhere: the mapping covers every state of every app; reasons read as sentences."""

import pytest
from django.apps import apps
from django.db import models

from mediasuite import reasons, states

STATE_FIELDS = {"state", "status", "delivery", "restart_trigger"}


def state_choices():
    """Every TextChoices used by a model field that holds a state, in every installed app."""
    found = {}
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if getattr(field, "name", "") in STATE_FIELDS and getattr(field, "choices", None):
                found[f"{model._meta.label}.{field.name}"] = [value for value, _ in field.choices]
    return found


def test_every_state_of_every_app_has_a_tone():
    found = state_choices()
    assert {"mediasuite.Unit.state", "seedbox.Torrent.state", "channels_app.VideoFile.delivery",
            "mediasuite.UpdateJob.state", "trailers.TrailerEntry.status"} <= set(found), set(found)
    assert any(label.startswith("recorder.") for label in found)
    missing = {label: [v for v in values if states.key(v) not in states.STATES]
               for label, values in found.items()}
    assert not any(missing.values()), missing


def test_every_text_choices_named_like_a_state_is_covered():
    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    enums = [c for c in subclasses(models.TextChoices) if c.__module__.split(".")[0] in
             {"mediasuite", "channels_app", "recorder", "seedbox", "trailers"}
             and ("State" in c.__name__ or c.__name__ in {"Status", "Trigger", "Delivery"})]
    assert len(enums) >= 7
    for enum in enums:
        for value in enum.values:
            assert states.key(value) in states.STATES, f"{enum.__module__}.{enum.__name__}.{value}"


@pytest.mark.parametrize(("state", "tone"), [
    ("running", "good"), ("starting", "progress"), ("stopping", "progress"), ("backoff", "attention"),
    ("failed", "bad"), ("crash", "bad"), ("stopped", "idle"), ("finalized", "good"),
    ("recording", "progress"), ("LOCKED", "good"), ("NONE", "bad"), ("import_blocked", "attention"),
    ("disconnected", "attention"),
])
def test_tones_say_what_a_state_means(state, tone):
    assert states.tone(state).name == tone


def test_failed_is_never_green_and_an_unknown_state_is_grey():
    assert states.tone("failed").background != states.tone("running").background
    assert states.tone("something-new") is states.IDLE


def test_the_stylesheet_has_one_rule_per_state():
    css = states.stylesheet()
    for name, tone in states.STATES.items():
        assert f".state-{name} {{ background-color: {tone.background};" in css


def test_the_state_script_and_stylesheet_are_served_to_every_page(client):
    css = client.get("/states.css")
    assert css.status_code == 200 and css["Content-Type"].startswith("text/css")
    assert ".state-failed { background-color: #dc3545;" in css.content.decode()
    script = client.get("/states.js").content.decode()
    assert '"crash": {"level": "danger", "tone": "bad"}' in script and "stateClass" in script


LOG = "exited with code 3. Last lines of /data/logs/channel-news.log:\nline one\nline two"


def test_a_reason_splits_into_its_cause_and_its_log():
    assert reasons.split(LOG) == ("exited with code 3", "line one\nline two")
    assert reasons.split("restored: it was running under a supervisor that is gone") == \
        ("restored: it was running under a supervisor that is gone", "")
    assert reasons.split("") == ("", "")


@pytest.mark.parametrize(("state", "reason", "retry_in", "sentence"), [
    ("failed", LOG, None, "Channel news failed: its process exited with code 3. Read its log, fix the cause, "
                          "then restart it (it is retried every 60 s)."),
    ("backoff", "killed by SIGKILL. Last lines of /x.log:\nboom", 4.2,
     "Channel news stopped unexpectedly: its process was killed by SIGKILL; it starts again in 4 s."),
    ("backoff", "stuck: no new HLS segment for 18.6s (limit 6.0s)", None,
     "Channel news stopped unexpectedly: it was stuck (no new HLS segment for 18.6s (limit 6.0s)); it starts "
     "again shortly."),
    ("stopped", "stopped on request (exited with code 0)", None, "stopped on request (exited with code 0)"),
])
def test_a_unit_reason_reads_as_one_sentence(settings, state, reason, retry_in, sentence):
    settings.SUPERVISOR_BACKOFF_CAP = 60.0
    text = reasons.unit_sentence("Channel news", state, reason, retry_in)
    assert text == sentence and "\n" not in text and "line one" not in text


def test_a_reason_about_a_failure_is_red_and_any_other_amber():
    assert states.alert_level("failed") == "danger" and states.alert_level("crash") == "danger"
    assert states.alert_level("backoff") == "warning" and states.alert_level("running") == "warning"
