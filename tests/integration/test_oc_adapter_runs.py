"""orch-tui's orchestrator-core adapter against the real server: retry, abort, lists, delete."""

from __future__ import annotations

import pytest

from orch_tui.core import errors
from orch_tui.core.models import RunStatus
from orch_tui.core.orchestrator_core import CoreBackend
from orch_tui.core.run_query import RunQuery

from .conftest import CREATE, NAP_TASK, Core, create_pages, unique_hostname
from .test_oc_adapter_forms import settle

pytestmark = pytest.mark.integration


async def test_failing_step_retried_to_success(backend: CoreBackend, core: Core, product_id: str) -> None:
    process_id = core.start(CREATE, create_pages(product_id, unique_hostname("aretry"), failure_mode="fail_once"))
    failed = await settle(backend, process_id, {"failed"})
    assert failed.state is RunStatus.ERROR and failed.can_retry
    assert failed.error is not None and "fail_once" in (failed.error.message or "")
    assert [g.status for g in failed.step_groups if g.name == "Provision node"] == ["failed"]

    await backend.retrigger(CREATE, process_id)
    done = await settle(backend, process_id, {"completed"})
    provision = next(g for g in done.step_groups if g.name == "Provision node")
    assert [a.status for a in provision.attempts] == ["failed", "success"] and provision.status == "success"
    with pytest.raises(errors.BadRequest, match="only a failed process can be retried"):
        await backend.retry(process_id)


async def test_abort_during_the_slow_step(backend: CoreBackend, core: Core, product_id: str) -> None:
    process_id = core.start(CREATE, create_pages(product_id, unique_hostname("aabort"), slow_seconds=30))
    running = await settle(backend, process_id, {"running"}, timeout=10,
                           until=lambda run: run.running_step == "Reserve resources (slow)")
    assert running.state is RunStatus.ACTIVE
    message = await backend.abort(process_id)
    assert "Reserve resources (slow) may still finish" in message
    aborted = await settle(backend, process_id, {"aborted"}, timeout=10,
                           until=lambda run: ("Reserve resources (slow)", "abort") in
                           [(g.name, g.status) for g in run.step_groups])
    assert aborted.state is RunStatus.ABORTED and not aborted.can_abort


async def test_lists_filter_sort_page_and_304(backend: CoreBackend, core: Core) -> None:
    process_id = core.start(NAP_TASK, [{"seconds": 0}])
    await settle(backend, process_id, {"completed"})
    query = RunQuery(statuses=(RunStatus.COMPLETED,), page_size=5)
    first = await backend.list_runs(query.to_request(), workflow_id=NAP_TASK)
    assert first.items[0].id == process_id and first.total is not None and first.total >= 1
    assert all(run.processId == NAP_TASK and run.state is RunStatus.COMPLETED for run in first.items)
    again = await backend.list_runs(query.to_request(), workflow_id=NAP_TASK)
    assert again is first  # 304: the bare ETag matched
    window = RunQuery(started_from=first.items[0].start, page_size=50)
    recent = await backend.list_runs(window.to_request())
    assert process_id in [run.id for run in recent.items]
    assert all(run.start is not None and run.start >= first.items[0].start.replace(microsecond=0)
               for run in recent.items)

    await backend.delete_run(process_id)
    with pytest.raises(errors.NotFound):
        await backend.get_run(process_id)


async def test_workflows_engine_and_statuses(backend: CoreBackend) -> None:
    workflows = {wf.workflowId: wf for wf in await backend.list_workflows()}
    assert workflows[CREATE].lastRunStatus is not None and workflows[NAP_TASK].is_task
    engine = await backend.engine_status()
    assert engine.global_status == "RUNNING" and (await backend.ping(CREATE)).isAvailable
