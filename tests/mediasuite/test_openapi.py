"""The API documents itself: schema valid without warnings, errors documented, docs served."""

import re
import subprocess
import sys

import pytest
import yaml
from django.conf import settings

from ..conftest import ROOT


def test_schema_validates_without_warnings(db):
    result = subprocess.run(
        [sys.executable, "manage.py", "spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null"],
        cwd=ROOT, capture_output=True, text=True,
        env={"DJANGO_SETTINGS_MODULE": "tests.settings", "PATH": "/usr/bin:/bin",
             "MEDIASUITE_DATA_DIR": str(settings.DATA_DIR)},
    )
    assert result.returncode == 0, result.stderr


@pytest.fixture
def schema(client, db):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    return yaml.safe_load(response.content)


def operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method in ("get", "post", "put", "patch", "delete"):
                yield path, method, operation


def test_every_operation_documents_its_errors(schema):
    missing = []
    for path, method, operation in operations(schema):
        codes = set(operation["responses"])
        expected = {"400"} if method in ("post", "put", "patch") else set()
        if "{" in path:
            expected.add("404")
        if operation.get("security") != [{}] and path not in ("/api/health", "/api/auth/token"):
            expected |= {"401", "403"}
        if not expected <= codes:
            missing.append(f"{method.upper()} {path}: {sorted(expected - codes)}")
    assert not missing, "undocumented error responses:\n" + "\n".join(missing)


def test_error_responses_share_one_shape(schema):
    for path, method, operation in operations(schema):
        for code, response in operation["responses"].items():
            if re.fullmatch(r"4\d\d", code):
                ref = response["content"]["application/json"]["schema"]["$ref"]
                assert ref.endswith("/Error"), f"{method} {path} {code}"


def test_swagger_ui_is_served_without_a_cdn(client, db):
    page = client.get("/api/docs/").content.decode()
    assert "swagger-ui" in page
    assert "cdn" not in page.lower()
