"""The demo court works out of the box: its synthetic camera is a supervised unit."""

import io

import pytest

from recorder import demo, preview, sessions
from recorder.models import Court
from tests.conftest import free_port, wait_for

pytestmark = pytest.mark.processes


def test_demo_court_previews_its_supervised_synthetic_camera(supervisor, people, settings):
    settings.RECORDER_DEMO_CAMERA_PORT = free_port()
    out = io.StringIO()
    demo.create(out)
    demo.create(out)  # idempotent
    court = Court.objects.get(name="Demo court")
    assert f"/courts/{court.pk}/" in out.getvalue()
    session = sessions.create(people["super"], court)

    def frame():
        try:
            return preview.snapshot(session.court).content
        except preview.ProxyUnavailable:
            return None

    jpeg = wait_for(frame, timeout=60, interval=0.2, message="a frame from the demo camera through the proxy")
    assert jpeg[:2] == b"\xff\xd8"
