"""Every API operation answers bad input with a 4xx and a message, never a 500.

The operations come from the OpenAPI schema, so every endpoint an app adds
is exercised here: unknown ids, path tricks, missing fields, wrong types,
and bodies that are not JSON at all.
"""

import json

import pytest
import yaml
from django.test import Client

from mediasuite.models import Club, Membership, User

PATH_TRICKS = ["987654", "not-a-number", "..%2F..%2Fetc%2Fpasswd", "%2Fetc%2Fpasswd", "%00", "a%00b",
               "-1", "1.5", "%E2%82%AC"]
WRONG = {"string": [1, 2], "integer": "abc", "number": "abc", "boolean": "maybe", "array": "x",
         "object": "x"}


@pytest.fixture
def schema(db):
    return yaml.safe_load(Client().get("/api/schema/").content)


@pytest.fixture
def staff_client(people):
    client = Client(raise_request_exception=False)
    client.force_login(people["super"])
    return client


def resolve_ref(schema, node):
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]]
    return node


def request_properties(schema, operation):
    content = operation.get("requestBody", {}).get("content", {})
    body = content.get("application/json", {}).get("schema")
    return resolve_ref(schema, body).get("properties", {}) if body else {}


def operations(schema):
    for path, item in schema["paths"].items():
        if path in ("/api/schema/", "/api/docs/"):
            continue
        for method, operation in item.items():
            if method in ("get", "post", "put", "patch", "delete"):
                yield path, method, operation


def call(client, method, url, body=None, raw=None):
    data = raw if raw is not None else json.dumps(body or {})
    return getattr(client, method)(url, data=data, content_type="application/json") \
        if method != "get" else client.get(url)


def assert_clear_4xx(response, what):
    assert response.status_code < 500, f"{what} answered {response.status_code}"
    if response.status_code >= 400 and response.status_code != 405:
        assert response["Content-Type"].startswith("application/json"), what
        assert json.loads(response.content)["error"], what


def test_unknown_ids_and_path_tricks(schema, staff_client, sonarr):
    """Sonarr is reachable, so that an id unknown to it is judged (404), not its absence (502)."""
    checked = 0
    for path, method, _ in operations(schema):
        if "{" not in path:
            continue
        for trick in PATH_TRICKS:
            url = path.split("{")[0] + trick + "/" + path.split("}", 1)[1].lstrip("/")
            url = url.rstrip("/") if not path.endswith("/") else url
            response = call(staff_client, method, url)
            assert_clear_4xx(response, f"{method.upper()} {url}")
            assert response.status_code in (400, 404, 405), f"{method.upper()} {url}"
            checked += 1
    assert checked >= 20


def test_missing_fields_wrong_types_and_garbage_bodies(schema, staff_client, club, people, plex):
    """Plex is reachable: a library request with no filter at all is valid, and answered (not a 503)."""
    counts = {name: model.objects.count() for name, model in
              (("clubs", Club), ("users", User), ("memberships", Membership))}
    for path, method, operation in operations(schema):
        if method not in ("post", "put", "patch") or "{" in path:
            continue
        properties = request_properties(schema, operation)
        wrong = {name: WRONG.get(spec.get("type"), [1]) for name, spec in properties.items()}
        for label, body, raw in (("empty", {}, None), ("wrong types", wrong, None),
                                 ("not json", None, "{oops"), ("a list", None, "[1, 2]"),
                                 ("nul", None, '{"name": "a\\u0000b"}')):
            response = call(staff_client, method, path, body, raw)
            assert_clear_4xx(response, f"{method.upper()} {path} with {label}")
    assert counts == {name: model.objects.count() for name, model in
                      (("clubs", Club), ("users", User), ("memberships", Membership))}


@pytest.mark.parametrize(("url", "body", "field"), [
    ("/api/clubs/{club}", {"name": ""}, "name"),
    ("/api/clubs/{club}", {"slug": "../../etc"}, "slug"),
    ("/api/clubs/{club}", {"slug": "/abs/path"}, "slug"),
    ("/api/users/{user}", {"role": "KING"}, "role"),
    ("/api/users/{user}", {"is_active": "perhaps"}, "is_active"),
    ("/api/users/{user}", {"email": "not-an-email"}, "email"),
    ("/api/memberships/{membership}", {"club": "abc"}, "club"),
    ("/api/memberships/{membership}", {"club": 987654}, "club"),
])
def test_updates_with_bad_values_change_nothing(url, body, field, people, club, staff_client):
    membership = Membership.objects.get(user=people["player"])
    url = url.format(club=club.pk, user=people["player"].pk, membership=membership.pk)
    before = staff_client.get(url).json()
    response = staff_client.patch(url, data=json.dumps(body), content_type="application/json")
    assert response.status_code == 400
    assert field in response.json()["fields"]
    assert staff_client.get(url).json() == before


def test_unknown_api_path_is_a_json_404(staff_client):
    response = staff_client.get("/api/no/such/thing")
    assert response.status_code == 404
    assert "No API endpoint" in response.json()["error"]


def test_query_filters_of_the_wrong_type_are_400(staff_client, people):
    for url in ("/api/users?role=KING", "/api/users?is_active=perhaps", "/api/users?clubs=abc",
                "/api/memberships?club=abc", "/api/memberships?user=987654"):
        response = staff_client.get(url)
        assert response.status_code == 400, url
        assert response.json()["error"], url
