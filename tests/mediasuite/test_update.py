"""Self-update end to end: a local bare repository as the remote, a copy of the project as the installation.

The installation runs its own web process; the update is started through its
API and runs detached; the test plays systemd (update_support.Installation).
"""

import pytest

from .update_support import Installation, leaf_migration, migration

pytestmark = [pytest.mark.processes, pytest.mark.xdist_group("supervisord")]  # see test_make_run.py


@pytest.fixture
def install(tmp_path, db):
    made = []

    def make(**kwargs):
        installation = Installation(tmp_path, **kwargs)
        made.append(installation)
        installation.start_web()
        return installation

    yield make
    for installation in made:
        installation.close()


def start_update(inst) -> int:
    answer = inst.api("POST", "/api/system/update", json={"confirm": True})
    assert answer.status_code == 202, answer.text
    body = answer.json()
    assert {"message", "results", "config_restored", "bot_restarted", "service_restart",
            "job_id"} <= set(body)
    return body["job_id"]


def tables(inst) -> set[str]:
    return {name for (name,) in inst.query("SELECT name FROM sqlite_master WHERE type = 'table'")}


def applied(inst) -> set[str]:
    return {name for (name,) in inst.query("SELECT name FROM django_migrations WHERE app = 'mediasuite'")}


def test_update_from_a_to_b_migrates_keeps_the_config_and_restarts(install):
    inst = install()
    assert inst.api("POST", "/api/v1/services/notifier/start").status_code == 200
    b = inst.publish({
        "mediasuite/migrations/0901_update_probe.py": migration(
            "0901_update_probe", leaf_migration(), "CREATE TABLE update_probe (id integer primary key)"),
        "PROBE_B.txt": "commit B\n",
    })
    assert inst.health()["version"] == inst.commit_a[:12]

    job = inst.wait_finished(start_update(inst))

    assert job["state"] == "done", job
    assert inst.head() == b and (inst.path / "PROBE_B.txt").read_text() == "commit B\n"
    assert (inst.path / ".env").read_text() == inst.env_text
    assert "update_probe" in tables(inst) and "0901_update_probe" in applied(inst)
    # Restarted through the first method available, once; the next method was not needed.
    assert inst.calls("systemctl") == ["restart mediasuite.target"] and inst.calls("service") == []
    assert job["restart_method"] == "systemd" and job["service_restart"] and job["config_restored"]
    assert inst.health()["version"] == b[:12]
    messages = [line["message"] for line in job["results"]]
    assert "requirements.txt is unchanged: nothing to install." in messages
    assert any(m.startswith("Migrations applied: mediasuite.0901_update_probe") for m in messages)
    # The notifier, active before, is active after.
    assert job["bot_restarted"]
    assert inst.api("GET", "/api/v1/services/notifier/status").json()["running"] is True
    assert inst.query("SELECT count(*) FROM mediasuite_event WHERE kind = 'update.log' AND subject_id = ?",
                      str(1))[0][0] == len(job["results"])


def test_without_auto_restart_the_code_is_updated_and_nothing_restarts(install):
    inst = install(auto_restart=False)
    b = inst.publish({"PROBE_B.txt": "commit B\n"})

    job = inst.wait_finished(start_update(inst))

    assert job["state"] == "done" and not job["service_restart"], job
    assert inst.head() == b
    assert inst.calls("systemctl") == [] and inst.calls("service") == []
    assert inst.health()["version"] == inst.commit_a[:12]  # still the old process: nobody restarted it
    assert "restart the service yourself" in job["results"][-1]["message"]


def test_a_failing_migration_rolls_back_to_a_with_the_database_restored(install):
    inst = install()
    leaf = leaf_migration()
    inst.publish({
        "mediasuite/migrations/0901_update_probe.py": migration(
            "0901_update_probe", leaf, "CREATE TABLE update_probe (id integer primary key)"),
        "mediasuite/migrations/0902_broken.py": migration(
            "0902_broken", "0901_update_probe", "INSERT INTO no_such_table VALUES (1)"),
    })
    before = applied(inst)

    job = inst.wait_finished(start_update(inst))

    assert job["state"] == "rolled_back", job
    assert "failed at step migrate" in job["message"]
    assert inst.head() == inst.commit_a
    assert "update_probe" not in tables(inst) and applied(inst) == before
    assert (inst.path / ".env").read_text() == inst.env_text
    health = inst.health()
    assert health["status"] == "ok" and health["version"] == inst.commit_a[:12]
    # The service never left A (the migration failed before the restart): nothing to restart.
    assert inst.calls("systemctl") == []
    messages = [line["message"] for line in job["results"]]
    assert any("Database restored" in m for m in messages)
    assert inst.query("SELECT count(*) FROM mediasuite_event WHERE kind = 'update.rolled_back'")[0][0] == 1


def test_a_new_version_that_does_not_come_up_is_rolled_back(install):
    inst = install(verify_timeout=15)
    inst.publish({"mediasuite/asgi.py": "raise RuntimeError('commit B cannot serve')\n"})

    job = inst.wait_finished(start_update(inst))

    assert job["state"] == "rolled_back", job
    assert "did not report version" in job["message"] and "failed at step verifying" in job["message"]
    assert inst.head() == inst.commit_a
    # Restarted into B, then again into A after the rollback; A answers.
    assert inst.calls("systemctl") == ["restart mediasuite.target"] * 2
    assert inst.health()["version"] == inst.commit_a[:12]


def test_local_changes_refuse_the_update_and_change_nothing(install):
    inst = install()
    inst.publish({"PROBE_B.txt": "commit B\n"})
    (inst.path / "README.md").write_text("edited on the server\n")

    job = inst.wait_finished(start_update(inst))

    assert job["state"] == "failed" and "local changes (README.md)" in job["message"], job
    assert "Nothing was changed" in job["message"]
    assert inst.head() == inst.commit_a and (inst.path / "README.md").read_text() == "edited on the server\n"
    assert inst.calls("systemctl") == [] and not (inst.path / "PROBE_B.txt").exists()


def test_under_make_run_the_update_restarts_through_its_own_supervisord(tmp_path, db):
    inst = Installation(tmp_path, tools_fail=True)
    try:
        inst.start_runall()
        b = inst.publish({"PROBE_B.txt": "commit B\n"})

        job = inst.wait_finished(start_update(inst))

        assert job["state"] == "done", job
        assert job["restart_method"] == "supervisor"
        # The methods in order: systemd and init.d fail here, supervisorctl restarts all three programs.
        assert inst.calls("systemctl") == ["restart mediasuite.target"]
        assert inst.calls("service") == ["mediasuite restart"]
        messages = [line["message"] for line in job["results"]]
        assert any(m.startswith("Restart requested through supervisor: `supervisorctl -c ") for m in messages)
        # Done once the new supervisor beats, not when the web answers first: channels are kept again.
        assert f"The service answers with version {b[:12]} and its supervisor is back." in messages
        health = inst.health()
        assert health["version"] == b[:12] and health["manager_initialized"] is True
    finally:
        inst.close()
