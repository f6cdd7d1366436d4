"""GET /api/health: what monitors and the self-update read."""

import subprocess
import time
from datetime import timedelta

import pytest
import requests
from django.utils import timezone

from mediasuite.models import SupervisorNode
from mediasuite.supervisor import nodes

from ..conftest import ROOT, free_port, wait_for


def test_health_reports_ok_with_version_and_ffmpeg(client, db):
    before = time.time()
    response = client.get("/api/health")
    body = response.json()
    assert response.status_code == 200
    assert body["status"] == "ok" and body["database"] == "ok"
    assert body["ffmpeg_available"] is True
    assert before <= body["timestamp"] <= time.time()
    sha = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout
    assert sha.startswith(body["version"])


def test_manager_initialized_follows_the_supervisor_heartbeat(client, db):
    assert client.get("/api/health").json()["manager_initialized"] is False
    node = SupervisorNode.objects.create(name="n1", hostname="h", pid=1)
    assert client.get("/api/health").json()["manager_initialized"] is True
    SupervisorNode.objects.filter(pk=node.pk).update(heartbeat_at=timezone.now() - timedelta(minutes=5))
    assert client.get("/api/health").json()["manager_initialized"] is False


def test_after_a_restart_only_a_supervisor_started_since_counts(db):
    """The update's check: the old supervisor's last beats are not the new one coming up."""
    restarted_at = timezone.now()
    an_hour_before = restarted_at - timedelta(hours=1)
    SupervisorNode.objects.create(name="old", hostname="h", pid=1, started_at=an_hour_before)
    assert nodes.alive() and not nodes.alive(restarted_at)
    SupervisorNode.objects.create(name="new", hostname="h", pid=2)
    assert nodes.alive(restarted_at)


def test_health_needs_no_login_and_ignores_bad_tokens(client, db):
    response = client.get("/api/health", HTTP_AUTHORIZATION="Token not-a-real-token")
    assert response.status_code == 200


@pytest.mark.processes
def test_health_is_degraded_when_the_database_is_unreachable(spawn):
    port = free_port()
    proc = spawn("web-nodb", "runweb", "--port", str(port),
                 env={"DATABASE_URL": f"postgres://postgres@127.0.0.1:{free_port()}/gone"})

    def answer():
        assert proc.popen.poll() is None, proc.output()
        try:
            return [requests.get(f"http://127.0.0.1:{port}/api/health", timeout=5)]
        except requests.ConnectionError:
            return None

    [response] = wait_for(answer, timeout=30, message="the web process")
    body = response.json()
    assert response.status_code == 503
    assert body["status"] == "degraded"
    assert body["database"].startswith("unreachable")
    assert body["manager_initialized"] is False
