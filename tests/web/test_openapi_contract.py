"""The OpenAPI document is true: schemathesis calls every operation and checks each answer against it.

Every operation is called with a province administrator's token and again with a community worker's
(a scoped principal): first with the route's scope case from tests/scope_cases/ (real objects of the
fixture routes_world), then with a few generated requests (real path parameters, generated ones, and invalid data).
Any 5xx, an answer whose body breaks its schema, an undocumented status code or an undocumented
content type fails the test. Each call runs in a savepoint rolled back after it, so one call's
writes (a revoked token, a retired grid) cannot change the next one's answer.

The default budget is small (LINLI_CONTRACT_EXAMPLES=2 generated requests of each kind per operation,
SQLite only, derandomized); a full run: `LINLI_CONTRACT_EXAMPLES=50 LINLI_CONTRACT_BACKENDS=sqlite,postgresql
pytest tests/web/test_openapi_contract.py -s` prints the figures.
"""

from __future__ import annotations

import contextlib
import os
import traceback
from collections import Counter

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.factories import VILLAGE_A, auth, make_user, token_for
from tests.scope_cases import all_cases

EXAMPLES = int(os.environ.get("LINLI_CONTRACT_EXAMPLES", "2"))
BACKENDS = os.environ.get("LINLI_CONTRACT_BACKENDS", "sqlite").split(",")
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]
# Generated bodies are tiny: they never need a larger budget than Hypothesis' defaults, and the
# answers are what is checked, not the speed of generating requests.
SETTINGS = settings(
    max_examples=EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture(autouse=True)
def _on_the_contract_backends(backend):
    """Skipped before the fixtures build their world on a backend the run leaves out."""
    if backend not in BACKENDS:
        pytest.skip(f"the contract run is on {','.join(BACKENDS)} (LINLI_CONTRACT_BACKENDS)")


@pytest.fixture
def principals(session, routes_world):
    admin = make_user(session, "contract_admin", "admin", "22")
    worker = make_user(session, "contract_worker", "community_worker", VILLAGE_A)
    tokens = {"admin": token_for(session, admin), "community_worker": token_for(session, worker)}
    session.commit()
    return tokens


def _scope_case(operation, case):
    """The route's scope case as a schemathesis case: real ids and a body the route accepts."""
    kwargs = {"path_parameters": dict(case.path), "query": dict(case.params)}
    if case.body is not None and case.files is None and case.data is None:
        kwargs["body"] = case.body
        kwargs["media_type"] = "application/json"
    return operation.Case(**kwargs)


def _negatable(operation) -> bool:
    """Whether invalid requests exist: a body, or a parameter with a type or limits beyond "any text"."""
    if operation.body:
        return True
    for group in (operation.path_parameters, operation.query):
        for param in group:
            schema = param.definition.get("schema", {})
            if param.is_required and param.location == "query":
                return True
            if schema.get("type", "string") != "string" or set(schema) & {"enum", "pattern", "minLength", "maxLength"}:
                return True
    return False


def _strategies(operation, case):
    strategies = [operation.as_strategy()]
    if case is not None and case.path:
        strategies.append(operation.as_strategy(path_parameters=dict(case.path)))
    if _negatable(operation):
        strategies.append(operation.as_strategy(generation_mode=GenerationMode.NEGATIVE))
    return strategies


def _runner(call, who, token, label):
    def run(case):
        call(who, token, label, case)

    return run


def _short(exc: BaseException) -> str:
    text = str(exc) or "".join(traceback.format_exception_only(exc))
    return text.strip()[:1500]


# The operations are called in PARTS tests (every PARTS-th operation of the document from the part's
# number), which the workers share.
PARTS = 4


@pytest.mark.parametrize("part", range(PARTS))
def test_every_operation_answers_as_documented(backend, app, connection, routes_world, principals, part):
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    scope_cases = all_cases(routes_world)
    failures: list[str] = []
    calls: Counter[str] = Counter()

    def call(who: str, token: str, label: str, case) -> None:
        savepoint = connection.begin_nested()
        try:
            calls[who] += 1
            case.call_and_validate(headers=auth(token), checks=CHECKS)
        finally:
            savepoint.rollback()

    operations = [result.ok() for result in schema.get_all_operations()][part::PARTS]
    for operation in operations:
        scope_case = scope_cases.get((operation.method.upper(), operation.path))
        for who, token in principals.items():
            label = f"{operation.label} as {who}"
            try:
                if scope_case is not None:
                    call(who, token, label, _scope_case(operation, scope_case))
                for strategy in _strategies(operation, scope_case):
                    # Unsatisfiable: nothing of this kind can be generated for the operation.
                    with contextlib.suppress(Unsatisfiable):
                        SETTINGS(given(strategy)(_runner(call, who, token, label)))()
            except (Exception, BaseExceptionGroup) as exc:  # one failing operation must not hide the others
                failures.append(f"{label}: {_short(exc)}")
    print(
        f"\ncontract ({backend}, part {part + 1} of {PARTS}): {len(operations)} operations, "
        + ", ".join(f"{n} calls as {who}" for who, n in calls.items())
        + f", {len(failures)} failing operation runs"
    )
    assert not failures, "\n\n".join(failures)
