"""Schema-driven fuzz of the API: every operation of /api/schema/, as four roles.

    .venv/bin/python bench/api_fuzz.py [--examples 20] [--only PATH-SUBSTRING]

On a fresh data directory (SQLite) it creates two clubs, a court and four
callers: anonymous, a player of both clubs, a club admin and a super admin.
For each operation and caller, schemathesis generates `--examples` requests
from the schema (valid and invalid data alike) and calls the app in process
(WSGI). Every answer is checked: no 5xx, the status code is documented for the
operation, the body matches the documented schema and content type. Only the
real self-update (POST /api/system/update) is left out: it would restart this
machine's services.

Prints the counts per check and per role, then each distinct violation once
(operation, status, check, the first lines of the message). Exit status 1 when
any violation or 5xx was found.
"""

import argparse
import logging
import sys
import time
from collections import Counter

from channel_setup import django_on_a_fresh_data_dir

EXCLUDED = {("POST", "/api/system/update")}


def world():
    from rest_framework.authtoken.models import Token

    from mediasuite.accounts import insert_api_token
    from mediasuite.models import Club, Membership, User
    from mediasuite.roles import Role
    from recorder.models import Court

    north = Club.objects.create(name="Padel Nord", slug="padel-nord")
    south = Club.objects.create(name="Tennis Sud", slug="tennis-sud")
    Court.objects.create(club=north, name="Court 1", camera_url="http://127.0.0.1:9/video.mjpeg")
    callers = {"anonymous": None}
    roles = (("player", Role.PLAYER, [north, south]), ("club_admin", Role.CLUB_ADMIN, [north]),
             ("super_admin", Role.SUPER_ADMIN, []))
    for name, role, clubs in roles:
        user = User.objects.create_user(name, password="fuzz-pass-123", role=role)
        for club in clubs:
            Membership.objects.create(user=user, club=club)
        callers[name] = {"Authorization": f"Token {insert_api_token(Token(user=user))}"}
    return callers


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=20)
    parser.add_argument("--only", default="", help="fuzz only the paths containing this")
    args = parser.parse_args()

    django_on_a_fresh_data_dir()
    logging.getLogger("django.request").setLevel(logging.CRITICAL)  # the 4xx are expected here
    import schemathesis
    from django.core.wsgi import get_wsgi_application
    from hypothesis import HealthCheck, Phase, given, settings
    from schemathesis.checks import (
        content_type_conformance,
        response_schema_conformance,
        status_code_conformance,
    )
    from schemathesis.core.failures import FailureGroup

    # A documented 502 or 503 (a hosted service down or not configured) is an answer, not a failure;
    # any other 5xx is counted below, and an undocumented one fails status_code_conformance.
    checks = [status_code_conformance, content_type_conformance, response_schema_conformance]
    callers = world()
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())
    requests, statuses, by_check, by_role, seen = 0, Counter(), Counter(), Counter(), {}

    def make_fuzz(operation, role, headers):
        @settings(max_examples=args.examples, phases=[Phase.explicit, Phase.generate], deadline=None,
                  database=None, suppress_health_check=list(HealthCheck), derandomize=True)
        @given(case=operation.as_strategy())
        def fuzz(case):
            nonlocal requests
            response = case.call(headers=headers or {})
            requests += 1
            statuses[response.status_code] += 1
            try:
                case.validate_response(response, checks=checks)
            except FailureGroup as group:
                for failure in group.exceptions:
                    title = getattr(failure, "title", type(failure).__name__)
                    by_check[title] += 1
                    by_role[role] += 1
                    key = (case.method, case.path, response.status_code, title)
                    seen.setdefault(key, f"{role}: {str(failure).strip().splitlines()[:4]}")

        return fuzz

    started = time.monotonic()
    for result in schema.get_all_operations():
        operation = result.ok()
        if (operation.method.upper(), operation.path) in EXCLUDED or args.only not in operation.path:
            continue
        for role, headers in callers.items():
            fuzz = make_fuzz(operation, role, headers)
            fuzz()
    elapsed = time.monotonic() - started
    server_errors = sum(n for code, n in statuses.items() if code >= 500 and code not in (502, 503))
    print(f"requests: {requests} in {elapsed:.0f} s; statuses: {dict(sorted(statuses.items()))}")
    print(f"responses 5xx other than 502/503: {server_errors}")
    print(f"violations: {sum(by_check.values())} {dict(by_check)}; by role: {dict(by_role)}")
    for (method, path, code, title), example in sorted(seen.items()):
        print(f"- {method} {path} -> {code}: {title}; {example}")
    return 1 if seen or server_errors else 0


if __name__ == "__main__":
    sys.exit(main())
