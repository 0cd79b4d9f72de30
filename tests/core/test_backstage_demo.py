"""Every Backend operation of the Backstage adapter against the demo orchestrator."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest

from orch_tui.core import errors
from orch_tui.core.backstage import BackstageBackend
from orch_tui.core.connect import demo_backend
from orch_tui.core.filters import SearchRequest, all_of, between, eq, nested, page
from orch_tui.core.models import RunStatus
from orch_tui.demo import ManualClock

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(NOW)


@pytest.fixture
async def backend(clock: ManualClock) -> AsyncIterator[BackstageBackend]:
    b = demo_backend(seed_runs=80, clock=clock)
    assert isinstance(b, BackstageBackend) and b.info.demo
    yield b
    await b.aclose()


async def test_workflow_reads(backend: BackstageBackend) -> None:
    workflows = await backend.list_workflows()
    assert len(workflows) >= 6
    by_id = {w.workflowId: w for w in workflows}
    unavailable = [w for w in workflows if not w.available]
    assert unavailable and unavailable[0].unavailable_reason
    never = [w for w in workflows if w.last_triggered is None]
    assert never and all(w.lastRunStatus is None for w in never)

    greeting = await backend.get_workflow("greeting")
    assert greeting.workflowId == "greeting" and greeting.name == by_id["greeting"].name
    assert greeting.workflowRunStats is not None and greeting.workflowRunStats.totalCount

    source = await backend.get_source("greeting")
    assert "greeting" in source

    schema = await backend.get_input_schema("greeting")
    assert schema.inputSchema is not None and "language" in schema.inputSchema["properties"]
    none = await backend.get_input_schema("nightly-cleanup")
    assert none.inputSchema is None

    ping = await backend.ping(unavailable[0].workflowId)
    assert ping.isAvailable is False and ping.reason
    assert (await backend.ping("greeting")).isAvailable is True

    statuses = await backend.list_statuses()
    assert [s.value for s in statuses] == ["ACTIVE", "ERROR", "COMPLETED", "ABORTED", "SUSPENDED", "PENDING"]


async def test_entity_overview(backend: BackstageBackend) -> None:
    scoped = await backend.list_workflows_for_entity("component:default/nobody", ["greeting"])
    assert [w.workflowId for w in scoped] == ["greeting"]
    assert await backend.list_workflows_for_entity("component:default/nobody", []) == []


async def test_run_lifecycle(backend: BackstageBackend, clock: ManualClock) -> None:
    run_id = await backend.execute("greeting", {"language": "English", "name": "alice"},
                                   target_entity="component:default/payments-api")
    run = await backend.get_run(run_id)
    assert run.status in (RunStatus.ACTIVE, RunStatus.PENDING)
    assert run.targetEntity == "component:default/payments-api" and run.initiatorEntity
    clock.advance(seconds=60)
    run = await backend.get_run(run_id)
    assert run.status is RunStatus.COMPLETED and run.end is not None and run.duration
    assert run.nodes and all(n.exit is not None for n in run.nodes)
    assert run.result is not None and run.result.outputs
    logs = await backend.get_logs(run_id)
    assert logs.instanceId == run_id and logs.logs

    again = await backend.get_input_schema("greeting", instance_id=run_id)
    assert again.data == {"language": "English", "name": "alice"}

    page_ = await backend.list_runs(
        SearchRequest(filters=nested("variables.targetEntity", "EQ", "component:default/payments-api")),
    )
    assert run_id in {r.id for r in page_.items}
    assert page_.items[0].start >= page_.items[-1].start  # newest first by default


async def test_failure_retrigger_and_abort(backend: BackstageBackend, clock: ManualClock) -> None:
    run_id = await backend.execute("flaky-deploy", {"service": "api", "simulatedFailures": 1})
    clock.advance(seconds=60)
    failed = await backend.get_run(run_id)
    assert failed.status is RunStatus.ERROR and failed.error is not None and failed.error.message
    assert any(n.errorMessage for n in failed.nodes)
    await backend.retrigger("flaky-deploy", run_id)
    clock.advance(seconds=60)
    assert (await backend.get_run(run_id)).status is RunStatus.COMPLETED

    long_id = await backend.execute("data-migration", {})
    clock.advance(seconds=2)
    message = await backend.abort(long_id)
    assert long_id in message
    assert (await backend.get_run(long_id)).status is RunStatus.ABORTED
    with pytest.raises(errors.ServerError):
        await backend.abort(long_id)


async def test_filters_paging_and_workflow_scope(backend: BackstageBackend, clock: ManualClock) -> None:
    week = SearchRequest(
        filters=all_of(eq("state", "COMPLETED"), between("start", NOW - timedelta(days=7), NOW)),
        paginationInfo=page(size=5, offset=0),
    )
    first = await backend.list_runs(week)
    assert first.total is not None and len(first.items) <= 5
    assert all(r.status is RunStatus.COMPLETED for r in first.items)
    assert all(NOW - timedelta(days=7) <= r.start <= NOW for r in first.items)
    scoped = await backend.list_runs(SearchRequest(paginationInfo=page(size=3)), workflow_id="greeting")
    assert scoped.items and {r.processId for r in scoped.items} == {"greeting"}


async def test_errors_from_demo(backend: BackstageBackend) -> None:
    with pytest.raises(errors.NotFound):
        await backend.get_run("no-such-run")
    with pytest.raises(errors.ServerError, match="Can't find field"):
        await backend.list_runs(SearchRequest(filters=eq("bogus", "x")))
    with pytest.raises(errors.ServerError):
        await backend.execute("legacy-sync", {})


async def test_token_required() -> None:
    import httpx

    from orch_tui.demo import create_app

    app = create_app(seed_runs=0, token="demo-token")
    bad = BackstageBackend("http://demo", transport=httpx.ASGITransport(app=app), token="wrong")
    with pytest.raises(errors.Unauthorized):
        await bad.list_workflows()
    good = BackstageBackend("http://demo", transport=httpx.ASGITransport(app=app), token="demo-token")
    assert await good.list_workflows()
