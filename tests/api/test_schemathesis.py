"""Property-based tests of the whole OpenAPI document (issue 17: "a client's view").

Schemathesis generates requests for every documented operation from its schemas and calls
the WSGI app with a staff (secretariat) bearer token. Each response must not be a server
error and must match what the document promises for its status: the body's schema, its
content type and its documented headers. An integrator's generated client trusts exactly
that promise, so a lie in the document is a bug as real as a 500.

Bounded for CI: a few deterministic examples per operation (``derandomize``) and no
shrinking, so the run is repeatable and takes about a minute. Data is seeded once per
test (inside the per-test transaction that is rolled back) so that the path parameters
of the seeded objects reach real rows, not only 404s.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

import schemathesis
from flask import Flask
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import checks as all_checks

from meetcoord.accounts.models import Role
from tests import factories

EXAMPLES = 4  # per operation: ~180 operations, so ~700 requests
BUDGET_SECONDS = 300  # the whole run, a guard for CI

CHECKS = [
    all_checks.not_a_server_error,
    all_checks.response_schema_conformance,
    all_checks.content_type_conformance,
    all_checks.response_headers_conformance,
]

# First path segment (after /api/v1) → which seeded object its ``{id}`` names.
ID_OF = {
    "meetings": "meeting",
    "organizations": "organization",
    "people": "person",
    "forums": "forum",
    "venues": "venue",
    "documents": "document",
    "series": "series",
    "institutions": "institution",
}

# Deleting what the rest of the run reads would turn later operations into 404s only.
LAST = ("DELETE",)


def _seed(api_token: Callable[..., Any]) -> tuple[dict[str, str], dict[str, int]]:
    """A staff token and a small directory with one scheduled meeting that has invitees."""
    staff, headers = api_token(Role.SECRETARIAT)
    organization = factories.organization()
    forum = factories.forum(members=2)
    meeting = factories.meeting(by=staff, sites=[factories.venue()])
    first = factories.invitation(meeting, person=factories.person(organization=organization))
    factories.invitation(meeting)
    factories.schedule(meeting)
    document = factories.document(meeting)
    ids = {
        "meeting": meeting.id,
        "organization": organization.id,
        "person": first.person_id,
        "forum": forum.id,
        "venue": meeting.sites[0].venue_id,
        "document": document.id,
        "series": meeting.series_id or 0,
        "institution": meeting.institution_id,
        "site_id": meeting.sites[0].id,
        "invitation_id": first.id,
    }
    # The test client does not decompress: ask for the body as it is (Flask-Compress).
    return {**headers, "Accept-Encoding": "identity"}, ids


def _with_seeded_ids(operation: Any, ids: dict[str, int]) -> Callable[[Any], Any]:
    """Every other example names a seeded row, so a handler's real work is exercised too."""
    segment = operation.path.removeprefix("/api/v1").strip("/").split("/")[0]
    target = ID_OF.get(segment)
    counter = {"n": 0}

    def use_seeded(case: Any) -> Any:
        counter["n"] += 1
        params = case.path_parameters or {}
        if counter["n"] % 2 and params:
            if target and "id" in params and ids.get(target):
                params["id"] = ids[target]
            for name in ("site_id", "invitation_id"):
                if name in params:
                    params[name] = ids[name]
        return case

    return use_seeded


def _failure_text(error: BaseException) -> str:
    text = re.sub(r"\n{2,}", "\n", str(error)).strip()
    return text[:1500]


def test_every_operation_keeps_the_documents_promise(
    app: Flask, api_token: Callable[..., Any]
) -> None:
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    headers, ids = _seed(api_token)
    operations = [result.ok() for result in schema.get_all_operations()]
    operations.sort(key=lambda op: (op.method.upper() in LAST, op.path, op.method))
    assert len(operations) > 100, "the document lost its operations"
    started = time.monotonic()
    failures: dict[str, str] = {}
    statuses: Counter[int] = Counter()
    for operation in operations:
        label = f"{operation.method.upper()} {operation.path}"
        strategy = operation.as_strategy().map(_with_seeded_ids(operation, ids))

        @settings(
            max_examples=EXAMPLES,
            derandomize=True,
            deadline=None,
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=strategy)
        def check(case: Any) -> None:
            response = case.call(headers=headers)
            statuses[response.status_code] += 1
            case.validate_response(response, checks=CHECKS, headers=headers)

        try:
            check()
        except (Exception, BaseExceptionGroup) as error:  # failures, or the app's own error
            failures[label] = _failure_text(error)
        assert time.monotonic() - started < BUDGET_SECONDS, f"over budget at {label}"
    # The run must have reached the handlers, not bounced off authentication or lookups.
    succeeded = sum(n for status, n in statuses.items() if status < 300)
    assert succeeded > len(operations) / 2, statuses
    assert statuses[401] < sum(statuses.values()) / 10, statuses
    assert not failures, "\n\n".join(f"== {label}\n{text}" for label, text in failures.items())
