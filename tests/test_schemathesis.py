"""Issue 20, item 9: schemathesis over every operation of the API, inside `make test`.

The app's own OpenAPI schema (drf-spectacular) is loaded with schemathesis' `from_dict`
and every operation is called in-process through the WSGI app on the demo data
(`seed_demo`), as anonymous, a GACC officer and a holder, with a bounded number of
generated examples each (SCHEMATHESIS_EXAMPLES, default 3; positive data, then data the
schema refuses). `{id}` path parameters take an object the caller can see (the first of
its list), so the fuzzer reaches past 404s. Asserted: 0 server errors and 0 responses
that break the schema; the run time is printed.
"""

import contextlib
import io
import json
import os
import time
from collections import defaultdict

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "3"))
ROLES = {"anonymous": None, "officer": "officer.gacc", "holder": "holder.a"}
# Operations whose response is not JSON described by the schema are still called.


def openapi_schema() -> dict:
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.renderers import OpenApiJsonRenderer

    generated = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(generated))


def first_ids(headers: dict) -> dict[str, str]:
    """The first object of each list the caller can see: /api/v1/<resource>/ → id."""
    from django.test import Client

    client = Client(raise_request_exception=False)
    ids = {}
    for resource in ("recordals", "general-bonds", "detentions", "referrals", "campaigns",
                     "regions", "deadlines", "notifications", "escalations", "organisations",
                     "ports", "authorisations", "auth/tokens"):  # fmt: skip
        extra = {"HTTP_AUTHORIZATION": headers["Authorization"]} if headers else {}
        response = client.get(f"/api/v1/{resource}/", **extra)
        if response.status_code == 200:
            results = response.json().get("results") or []
            if results and "id" in results[0]:
                ids[f"/api/v1/{resource}/"] = str(results[0]["id"])
    return ids


@contextlib.contextmanager
def keep_connection():
    """Keep the test's database connection open between requests to the WSGI app, as
    Django's test client does: its transaction holds the demo data."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def run_all(role: str, capsys) -> dict:
    call_command("seed_demo", stdout=io.StringIO())
    headers, state = {}, {}

    def refresh():
        signed_in(role, headers, state)

    refresh()
    ids = first_ids(headers)
    schema = schemathesis.openapi.from_dict(openapi_schema())
    failures = defaultdict(set)
    calls = [0]
    started = time.monotonic()
    app = WSGIHandler()
    with keep_connection():
        for result in schema.get_all_operations():
            fuzz_operation(result.ok(), ids, app, headers, failures, calls, refresh)
    elapsed = time.monotonic() - started
    summary = f"{calls[0]} calls, {len(failures)} operations failing, {elapsed:.1f} s"
    with capsys.disabled():  # shown in `make test`'s output, not only on failure
        print(f"\nschemathesis as {role}: {summary}")  # noqa: T201
    return failures


def signed_in(role: str, headers: dict, state: dict) -> None:
    """A live token for the role in `headers`: the fuzzer may revoke it (logout, logout-all,
    DELETE auth/tokens/{id}/), so a revoked one is replaced before the next call."""
    from accounts.models import User
    from tokens.models import DeviceToken
    from tokens.services import token_issue

    if not ROLES[role]:
        return
    if state.get("token_id") and DeviceToken.objects.filter(pk=state["token_id"]).exists():
        return
    token, secret = token_issue(user=User.objects.get(username=ROLES[role]), device="fuzzer")
    headers["Authorization"] = f"Token {secret}"
    state["token_id"] = token.pk


def fuzz_operation(operation, ids, app, headers, failures, calls, refresh):
    path_parameters = {}
    for prefix, pk in ids.items():
        if operation.path.startswith(prefix + "{id}"):
            path_parameters["id"] = pk
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
        strategy = operation.as_strategy(
            generation_mode=mode, path_parameters=path_parameters or None
        )
        try:
            fuzz(strategy, operation.label, app, headers, failures, calls, refresh)()
        except Unsatisfiable:
            # Nothing in this operation's schema can be made invalid (e.g. no parameters).
            assert mode == GenerationMode.NEGATIVE, operation.label
        except Exception as exc:  # a failure schemathesis reports after the examples
            lines = str(exc).strip().splitlines()
            failures[operation.label].add(" | ".join(lines[:3])[:300])


def fuzz(strategy, label, app, headers, failures, calls, refresh):
    @given(case=strategy)
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.explicit, Phase.generate],
    )
    def call(case):
        calls[0] += 1
        refresh()
        try:
            case.call_and_validate(
                app=app, headers=headers, checks=[not_a_server_error, response_schema_conformance]
            )
        except Exception as exc:  # collect, do not stop: report every cause
            lines = str(exc).strip().splitlines()
            failures[label].add(" | ".join(lines[:3])[:300])

    return call


@pytest.mark.parametrize("role", list(ROLES))
def test_item9_schemathesis_finds_no_server_errors_or_schema_violations(role, capsys):
    failures = run_all(role, capsys)
    report = "\n".join(f"{label}: {'; '.join(sorted(msgs))}" for label, msgs in failures.items())
    assert not failures, report
