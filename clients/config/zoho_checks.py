"""Schemathesis checks for the places where Zoho departs from HTTP convention on purpose.

Loaded by clients/schemathesis.sh through SCHEMATHESIS_HOOKS. Schemathesis' own `unsupported_method`
check expects 405 for a method the spec does not declare; Zoho answers 400 INVALID_REQUEST_METHOD in its
error envelope (documented under each operation's 400 response), so that check is switched off in
schemathesis.toml and this one asserts Zoho's answer on the same probes instead. The probes are still
generated: the coverage phase sends every undeclared method to every operation.
"""

from __future__ import annotations

import json
import os

import schemathesis
from schemathesis.generation.meta import CoveragePhaseData, CoverageScenario


def _undeclared_method_probe(case) -> bool:
    meta = case.meta
    return (
        meta is not None
        and isinstance(meta.phase.data, CoveragePhaseData)
        and meta.phase.data.scenario == CoverageScenario.UNSPECIFIED_HTTP_METHOD
    )


@schemathesis.check
class zoho_invalid_request_method:
    """An undeclared HTTP method is answered 400 INVALID_REQUEST_METHOD in Zoho's top-level envelope."""

    def __init__(self) -> None:
        # Sets, not counters: Schemathesis may call after_response again while shrinking or replaying.
        self.probed: set[tuple[str, str]] = set()
        self.operations: set[str] = set()

    def after_response(self, ctx, response, case) -> None:
        self.operations.add(case.operation.label)
        if not _undeclared_method_probe(case):
            return
        method = str(response.request.method)
        where = f"{method} on {case.operation.label}"
        if response.status_code != 400:
            raise AssertionError(
                f"{where} returned {response.status_code}; Zoho answers an undeclared method with 400 INVALID_REQUEST_METHOD"
            )
        if method != "HEAD":  # a HEAD answer has no body to check
            try:
                body = json.loads(response.content)
            except ValueError as exc:
                raise AssertionError(f"{where}: the 400 body is not JSON: {response.content[:200]!r}") from exc
            if not isinstance(body, dict) or body.get("code") != "INVALID_REQUEST_METHOD" or body.get("status") != "error":
                raise AssertionError(
                    f"{where}: expected Zoho's envelope with code INVALID_REQUEST_METHOD and status error, got {body!r}"
                )
        self.probed.add((case.operation.label, method))

    def after_run(self, ctx) -> None:
        # Probes go to a path (a method none of its operations declares), so count them per path:
        # the share URL declares GET, POST, PUT and DELETE, and its probes carry one of those labels.
        path = lambda label: label.split(" ", 1)[1]
        reached = {path(label) for label, _ in self.probed}
        report = os.environ.get("ZOHO_CHECKS_REPORT")
        if report:
            with open(report, "w", encoding="utf-8") as f:
                json.dump({"operations": sorted(self.operations), "undeclared_method_probes": sorted(map(list, self.probed))}, f)
        # Every path must have been probed, or this check proved nothing for it.
        missing = {path(label) for label in self.operations} - reached
        if missing:
            raise AssertionError("no undeclared-method probe reached: " + ", ".join(sorted(missing)))
