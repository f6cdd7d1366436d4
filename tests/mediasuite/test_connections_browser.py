"""Browser (Debian's Chromium): Settings → Connections, Test then Save, against the fake Sonarr."""

import pytest

from mediasuite import config
from mediasuite.models import Connection
from tests.fakes.sonarr import FakeSonarr

pytestmark = [pytest.mark.browser, pytest.mark.processes]

KEY = "sonarr-key-0123456789abcdef"


def test_test_with_a_wrong_key_then_save_the_right_one(people, login, page, tmp_path):
    with FakeSonarr(library=tmp_path / "tv", api_key=KEY) as sonarr:
        login(people["super"], "/settings/connections/")
        form = page.locator("#sonarr")
        assert form.locator('[data-role="badge"]').inner_text() == "not configured"
        form.locator('[name="SONARR_URL"]').fill(sonarr.url)
        form.locator('[name="SONARR_API_KEY"]').fill("a-wrong-key-123")
        form.locator('[data-action="test"]').click()
        result = form.locator('[data-role="result"][data-ok="false"]')
        result.wait_for()
        assert result.inner_text() == (f"Sonarr at {sonarr.url} (GET system/status) refused the API key "
                                       "(401: Unauthorized); check SONARR_API_KEY.")
        assert not Connection.objects.filter(name="sonarr").exclude(values={}).exists()  # tried, not saved

        form.locator('[name="SONARR_API_KEY"]').fill(KEY)
        form.locator('[data-action="save"]').click()
        page.wait_for_function("document.querySelector('#sonarr [data-role=badge]').textContent === 'works'")
        form = page.locator("#sonarr")
        assert form.locator('[name="SONARR_API_KEY"]').get_attribute("placeholder") == \
            "set, ends in cdef: leave empty to keep it"
        assert form.locator('[name="SONARR_API_KEY"]').input_value() == ""
        assert "Last test: Sonarr 4.0.0.0" in form.inner_text()
        assert config.get("SONARR_API_KEY") == KEY
