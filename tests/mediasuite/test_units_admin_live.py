"""Browser: the Unit admin's state column follows the supervisor live, without reload."""

import pytest

from mediasuite.models import Unit
from mediasuite.supervisor import control

from .test_supervisor import heartbeat_unit, supervisor  # noqa: F401  (fixture)


@pytest.mark.browser
@pytest.mark.processes
def test_admin_state_column_flips_live(login, people, supervisor, tmp_path):  # noqa: F811
    unit = heartbeat_unit("live-col", tmp_path, desired="stopped")
    supervisor("live")
    page = login(people["super"], "/admin/mediasuite/unit/")
    cell = page.locator(f'[data-unit-state][data-unit-id="{unit.pk}"]')
    assert cell.text_content() == "stopped"
    page.evaluate("window.__marker = 1")  # gone if the page reloaded

    control.start(people["super"], unit)
    page.wait_for_function(
        f"document.querySelector('[data-unit-state][data-unit-id=\"{unit.pk}\"]').textContent === 'running'",
        timeout=15_000)
    assert page.evaluate("window.__marker") == 1
    assert "state-running" in cell.get_attribute("class").split()
    assert Unit.objects.get(pk=unit.pk).state == "running"
