"""Fixtures for the tests against a real orchestrator-core (started by integration/setup.sh).

Every test in this directory is marked ``integration``. Without ``ORCH_TUI_CORE_URL`` they are all
skipped at collection time, so the hermetic ``pytest`` run reports them as skipped and never waits
on a network. With it set, an unreachable server is an error, not a skip: the CI stage that sets
the variable must not pass by talking to nothing.

The tests speak plain httpx (and ``websockets`` for the event stream) so that they check the
server and the harness, not an adapter.
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

URL_VARIABLE = "ORCH_TUI_CORE_URL"
HERE = Path(__file__).parent
SKIP_REASON = (
    f"{URL_VARIABLE} is not set: these tests need a real orchestrator-core. Start one with "
    "`bash integration/setup.sh`, then `. /tmp/orch-tui-core/env.sh` (see integration/README.md)"
)

PRODUCT_NAME = "Lab Node"
CREATE = "create_lab_node"
MODIFY = "modify_lab_node"
TERMINATE = "terminate_lab_node"
VALIDATE = "validate_lab_node"
NAP_TASK = "task_lab_nap"

# last_status values after which a process will not move on by itself
SETTLED = {
    "completed",
    "failed",
    "aborted",
    "suspended",
    "waiting",
    "awaiting_callback",
    "api_unavailable",
    "inconsistent_data",
}


@pytest.hookimpl(tryfirst=True)  # before -m deselects, so a module that forgot its pytestmark still counts
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    skip = pytest.mark.skip(reason=SKIP_REASON) if not os.environ.get(URL_VARIABLE) else None
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.integration)
            if skip is not None:
                item.add_marker(skip)


# ----------------------------------------------------------------------------- plumbing
class Core:
    """A thin httpx wrapper with the few protocol helpers the tests share."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url.rstrip("/")
        self.http = httpx.Client(base_url=self.base_url, timeout=20)

    @property
    def ws_url(self) -> str:
        return "ws" + self.base_url.removeprefix("http") + "/api/ws/events"

    def graphql(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        response = self.http.post("/api/graphql", json={"query": query, "variables": variables or {}})
        assert response.status_code == 200, response.text
        body = response.json()
        # GraphQL reports bad arguments with HTTP 200 and an "errors" list
        assert not body.get("errors"), body["errors"]
        return body["data"]

    def post_form(self, workflow: str, pages: list[dict[str, Any]]) -> httpx.Response:
        """One round of the form protocol: POST every page filled so far."""
        return self.http.post(f"/api/processes/{workflow}", json=pages)

    def start(self, workflow: str, pages: list[dict[str, Any]]) -> str:
        response = self.post_form(workflow, pages)
        assert response.status_code == 201, f"{response.status_code} {response.text}"
        return response.json()["id"]

    def process(self, process_id: str) -> dict[str, Any]:
        response = self.http.get(f"/api/processes/{process_id}")
        assert response.status_code == 200, response.text
        return response.json()

    def wait_for(
        self,
        process_id: str,
        wanted: str | Iterable[str],
        timeout: float = 30,
        until: Callable[[dict[str, Any]], bool] | None = None,
        fail_early: bool = True,
    ) -> dict[str, Any]:
        """Poll the process until its last_status is one of ``wanted`` (and ``until`` holds).

        Fails early when the process settles in a status that is not wanted (unless told not to).
        """
        wanted_set = {wanted} if isinstance(wanted, str) else set(wanted)
        deadline = time.monotonic() + timeout
        while True:
            detail = self.process(process_id)
            status = detail["last_status"]
            if status in wanted_set and (until is None or until(detail)):
                return detail
            if fail_early and status in SETTLED and status not in wanted_set:
                pytest.fail(
                    f"process {process_id} settled as {status!r} (wanted {sorted(wanted_set)}); "
                    f"last_step={detail['last_step']!r} failed_reason={detail['failed_reason']!r}"
                )
            if time.monotonic() > deadline:
                pytest.fail(f"process {process_id} still {status!r} after {timeout}s, wanted {sorted(wanted_set)}")
            time.sleep(0.2)

    def close(self) -> None:
        self.http.close()


def steps_of(detail: dict[str, Any]) -> list[tuple[str, str]]:
    return [(step["name"], step["status"]) for step in detail["steps"]]


def unique_hostname(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


# ----------------------------------------------------------------------------- fixtures
@pytest.fixture(scope="session")
def core() -> Iterator[Core]:
    url = os.environ.get(URL_VARIABLE)
    if not url:  # only reached when a test is forced to run without the variable
        pytest.skip(SKIP_REASON)
    client = Core(url)
    try:
        health = client.http.get("/api/health/")
    except httpx.HTTPError as error:
        pytest.fail(f"{URL_VARIABLE}={url} but the server does not answer: {error!r}")
    assert health.status_code == 200, f"GET /api/health/ -> {health.status_code} {health.text}"
    yield client
    client.close()


@pytest.fixture(scope="session")
def product_id(core: Core) -> str:
    """The Lab Node product id, as offered by page 1 of the create form."""
    form = core.post_form(CREATE, []).json()["form"]
    options = form["$defs"]["ProductChoice"]["options"]
    matches = [pid for pid, name in options.items() if name == PRODUCT_NAME]
    assert matches, f"no {PRODUCT_NAME!r} among the product choices {options}"
    return matches[0]


def create_pages(product_id: str, hostname: str, **options: Any) -> list[dict[str, Any]]:
    """The three pages of create_lab_node; ``options`` go to page 3 (slow_seconds, failure_mode, notify)."""
    return [
        {"product": product_id},
        {"hostname": hostname, "role": "core", "port_count": 12},
        {"slow_seconds": 0, "failure_mode": "none"} | options,
    ]


@pytest.fixture
def new_subscription(core: Core, product_id: str) -> str:
    """A fresh active Lab Node subscription (its own, so tests do not depend on each other)."""
    process_id = core.start(CREATE, create_pages(product_id, unique_hostname("sub")))
    detail = core.wait_for(process_id, "completed")
    return detail["subscriptions"][0]["subscription_id"]


@pytest.fixture
async def backend(core: Core) -> AsyncIterator[Any]:
    """orch-tui's orchestrator-core adapter on the server, closed after the test."""
    from orch_tui.core.orchestrator_core import CoreBackend

    adapter = CoreBackend(os.environ["ORCH_TUI_CORE_URL"], retries=0)
    yield adapter
    await adapter.aclose()
