"""CoreBackend's runs: detail with steps, logs, lists (filter/sort/page/ETag), and the actions."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import pytest

from orch_tui.core import errors
from orch_tui.core.backend import Backend
from orch_tui.core.filters import SearchRequest, page
from orch_tui.core.models import RunStatus
from orch_tui.core.orchestrator_core import CoreRun
from orch_tui.core.progress import failed_node, node_state, visible_nodes
from orch_tui.core.run_query import RunQuery

from .conftest import request_of, response_of


def run_id(rec: dict[str, Any], name: str) -> str:
    return request_of(rec, name)["path"].rsplit("/", 1)[-1]


def steps(run: CoreRun) -> list[tuple[str, str]]:
    return [(group.name, group.status) for group in run.step_groups]


async def test_the_adapter_is_a_backend(core: Any) -> None:
    backend, _ = core()
    assert isinstance(backend, Backend)
    assert backend.info.kind == "core" and backend.info.url == "http://127.0.0.1:18081/api"


async def test_completed_run(core: Any, rec: Any) -> None:
    backend, handler = core("runs/get_run_completed")
    run = await backend.get_run(run_id(rec, "runs/get_run_completed"))
    body = response_of(rec, "runs/get_run_completed")
    assert run.state is RunStatus.COMPLETED and run.core_status == "completed"
    assert run.processId == "create_lab_node" and run.processName == "Create lab node"
    assert run.start == datetime.fromtimestamp(body["started_at"], tz=timezone.utc)
    assert run.end == datetime.fromtimestamp(body["last_modified_at"], tz=timezone.utc)
    assert run.workflow_target == "CREATE" and run.is_task is False
    assert run.targetEntity == f"subscription:default/{body['subscriptions'][0]['subscription_id']}"
    assert run.description == body["subscriptions"][0]["description"]
    assert run.workflowdata == body["current_state"] and run.detailed
    assert run.step_groups[-1].name == "Done" and run.step_groups[-1].status == "complete"
    assert all(group.status in ("success", "complete") for group in run.step_groups)
    assert run.running_step is None and run.error is None
    assert [node.name for node in run.nodes] == [step["name"] for step in body["steps"]]
    assert not run.can_retry and not run.can_abort and not run.can_delete
    assert handler.unused == [] or all(r["path"] == "/graphql" or "translations" in r["path"] for r in handler.unused)


async def test_running_run_names_the_first_pending_step(core: Any, rec: Any) -> None:
    backend, _ = core("runs/get_run_running")
    run = await backend.get_run(run_id(rec, "runs/get_run_running"))
    assert run.state is RunStatus.ACTIVE and run.end is None
    assert run.last_step == "Create Process Subscription relation"  # the last *finished* step
    assert run.running_step == "Reserve resources (slow)"
    assert steps(run)[3:5] == [("Reserve resources (slow)", "running"), ("Provision node", "pending")]
    assert steps(run)[-1] == ("Done", "pending")
    # pending steps are not nodes; the running one is, entered when the previous one completed
    assert [node.name for node in run.nodes][-1] == "Reserve resources (slow)"
    running = run.nodes[-1]
    assert running.exit is None and running.enter == run.nodes[-2].exit
    assert node_state(running, run, None).word == "running"
    assert run.can_abort and not run.can_retry


async def test_failed_run_has_reason_traceback_and_failed_node(core: Any, rec: Any) -> None:
    backend, _ = core("runs/get_run_failed")
    run = await backend.get_run(run_id(rec, "runs/get_run_failed"))
    assert run.state is RunStatus.ERROR and run.core_status == "failed"
    assert "fail_once" in (run.failed_reason or "") and "RuntimeError" in (run.traceback or "")
    group = next(g for g in run.step_groups if g.name == "Provision node")
    assert group.status == "failed" and group.failures == 1 and len(group.attempts) == 1
    # the pending twin of the failed entry is not a step of its own
    assert [name for name, _ in steps(run)].count("Provision node") == 1
    assert steps(run)[-3:] == [("Set subscription to 'active'", "pending"), ("Unlock subscription", "pending"),
                               ("Done", "pending")]
    assert run.error is not None and run.error.message == run.failed_reason
    node = failed_node(run)
    assert node is not None and node.name == "Provision node"
    assert node.errorMessage is not None and node.errorMessage.startswith("RuntimeError: could not provision")
    assert run.executionSummary == [f"Provision node failed: {run.failed_reason}"]
    assert run.can_retry and run.can_abort and not run.can_resume


async def test_retried_run_groups_the_failure_and_the_success(core: Any, rec: Any) -> None:
    backend, _ = core("runs/get_run_retried")
    run = await backend.get_run(run_id(rec, "runs/get_run_retried"))
    group = next(g for g in run.step_groups if g.name == "Provision node")
    assert group.status == "success" and [a.status for a in group.attempts] == ["failed", "success"]
    assert group.failures == 1 and group.latest is not None and group.latest.status == "success"
    assert run.error is None and run.failed_reason is None
    # the earlier failure is history: the console hides it as it hides failed earlier attempts
    assert [n.name for n in visible_nodes(run)].count("Provision node") == 1


async def test_aborted_runs(core: Any, rec: Any) -> None:
    backend, _ = core("runs/get_run_aborted", "runs/get_run_aborted_running")
    failed = await backend.get_run(run_id(rec, "runs/get_run_aborted"))
    assert failed.state is RunStatus.ABORTED and failed.last_step == "User Aborted"
    assert ("User Aborted", "abort") in steps(failed)
    assert failed.end is not None and failed.error is None
    running = await backend.get_run(run_id(rec, "runs/get_run_aborted_running"))
    assert steps(running)[3:5] == [("User Aborted", "abort"), ("Reserve resources (slow)", "abort")]
    assert not running.can_abort and not running.can_retry


async def test_suspended_run_carries_its_form(core: Any, rec: Any) -> None:
    backend, _ = core("runs/get_run_suspended")
    run = await backend.get_run(run_id(rec, "runs/get_run_suspended"))
    assert run.state is RunStatus.SUSPENDED and run.can_resume and not run.can_retry
    assert run.assignee == "CHANGES" and run.last_step == "Approve the change"
    assert run.form is not None and run.form["title"] == "Approve 24 ports?"
    assert run.form["properties"]["approval"]["format"] == "accept"
    assert ("Approve the change", "suspend") in steps(run) and run.running_step is None
    waiting = next(node for node in run.nodes if node.name == "Approve the change")
    assert waiting.exit is None  # still waiting for the input
    resumed_backend, _ = core("runs/get_run_resumed")
    resumed = await resumed_backend.get_run(run_id(rec, "runs/get_run_resumed"))
    group = next(g for g in resumed.step_groups if g.name == "Approve the change")
    assert [a.status for a in group.attempts] == ["suspend", "success"] and group.status == "success"
    assert group.latest is not None and group.latest.state_delta == {"approval": "ACCEPTED", "approver_comment": "fine"}
    assert all(node.exit is not None for node in resumed.nodes)


async def test_logs_are_the_step_history(core: Any, rec: Any) -> None:
    backend, _ = core("runs/get_logs_failed")
    logs = await backend.get_logs(run_id(rec, "runs/get_logs_failed"))
    lines = [line.log for line in logs.logs]
    assert "keeps no run log" in lines[0]
    assert any("success  Start" in line for line in lines)
    failed = next(line for line in lines if " failed " in line)
    assert "Provision node" in failed and "RuntimeError: could not provision" in failed
    assert any(line.startswith("RuntimeError") for line in lines)  # the traceback follows
    assert not any("pending" in line for line in lines)


async def test_missing_run_and_malformed_ids(core: Any, rec: Any) -> None:
    backend, _ = core("runs/get_run_missing")
    missing = run_id(rec, "runs/get_run_missing")
    with pytest.raises(errors.NotFound) as caught:
        await backend.get_run(missing)
    assert caught.value.message == f"Process with process_id {missing} not found"
    with pytest.raises(errors.NotFound, match="not a valid id"):
        await backend.get_run("not-a-process-id")


# -- lists ------------------------------------------------------------------------------------


async def test_list_runs_default_page_then_304_reuses_it(core: Any, rec: Any) -> None:
    backend, handler = core("lists/list_runs_default", "lists/list_runs_default_again")
    first = await backend.list_runs(RunQuery(page_size=5).to_request())
    rows = response_of(rec, "lists/list_runs_default")
    assert [run.id for run in first.items] == [row["process_id"] for row in rows]
    total = int(rec["lists"]["list_runs_default"][0]["response"]["headers"]["content-range"].rsplit("/", 1)[1])
    assert first.total == total and len(first.items) == 5
    assert first.pagination is not None and first.pagination.pageSize == 5
    assert all(isinstance(run, CoreRun) and not run.detailed and run.nodes == [] for run in first.items)
    started = [run.start for run in first.items]
    assert started == sorted(started, reverse=True)
    again = await backend.list_runs(RunQuery(page_size=5).to_request())
    assert again is first
    sent = [r for r in handler.sent if r["path"] == "/processes/"]
    assert sent[0]["query"] == [("range", "0,5"), ("sort", "startedAt,desc")]
    # the bare value of W/"0x..." is what the server compares
    assert sent[1]["if_none_match"] == rec["lists"]["list_runs_default"][0]["response"]["headers"]["etag"][3:-1]


async def test_list_runs_filters_statuses_and_workflow(core: Any, rec: Any) -> None:
    backend, _ = core("lists/list_runs_failed_create")
    query = RunQuery(statuses=(RunStatus.ERROR, RunStatus.ABORTED), page_size=10, order_by="processName",
                     direction="ASC")
    result = await backend.list_runs(query.to_request(), workflow_id="create_lab_node")
    assert result.items and all(run.processId == "create_lab_node" for run in result.items)
    assert {run.state for run in result.items} <= {RunStatus.ERROR, RunStatus.ABORTED}
    assert result.total == len(result.items)


async def test_list_runs_started_window_and_offset(core: Any, rec: Any) -> None:
    backend, _ = core("lists/list_runs_window")
    request = request_of(rec, "lists/list_runs_window")
    filters = dict(request["query"])["filter"].split(",")
    low = datetime.strptime(filters[1][2:], "%Y%m%dT%H%M%S").replace(tzinfo=timezone.utc)
    high = datetime.strptime(filters[3][1:], "%Y%m%dT%H%M%S").replace(tzinfo=timezone.utc)
    query = RunQuery(started_from=low, started_to=high.replace(second=59, hour=23, minute=59, day=high.day - 1),
                     page_size=3, offset=3)
    result = await backend.list_runs(query.to_request())
    assert result.pagination is not None and result.pagination.offset == 3
    assert all(run.start is not None and low <= run.start < high for run in result.items)


async def test_subscription_runs(core: Any, rec: Any) -> None:
    backend, _ = core("lists/subscription_runs")
    subscription = dict(request_of(rec, "lists/subscription_runs")["query"])["filter"].split(",")[1]
    result = await backend.subscription_runs(subscription)
    assert result.items and all(run.targetEntity == f"subscription:default/{subscription}" for run in result.items)
    # the entity filter of the runs list means the same
    again, _ = core("lists/subscription_runs")
    entity = RunQuery(entity=f"subscription:default/{subscription}").to_request()
    assert [r.id for r in (await again.list_runs(entity.model_copy(update={"paginationInfo": None}))).items] == [
        r.id for r in result.items
    ]


async def test_list_runs_refuses_what_it_cannot_express(core: Any) -> None:
    backend, handler = core()
    with pytest.raises(errors.BadRequest, match="cannot sort runs by 'duration'"):
        await backend.list_runs(SearchRequest(paginationInfo=page(size=5, order_by="duration")))
    with pytest.raises(errors.BadRequest, match="'-' and '|'"):
        await backend.list_runs(RunQuery(initiator="alice-b").to_request())
    assert handler.sent == []


async def test_list_statuses(core: Any) -> None:
    backend, handler = core()
    options = {option.value: option.key for option in await backend.list_statuses()}
    assert options == {"PENDING": "Pending", "ACTIVE": "Running", "SUSPENDED": "Suspended", "ERROR": "Failed",
                       "COMPLETED": "Completed", "ABORTED": "Aborted"}
    assert handler.sent == []


# -- actions ----------------------------------------------------------------------------------


async def test_retrigger_resumes_a_failed_process_with_an_empty_page(core: Any, rec: Any) -> None:
    backend, handler = core("runs/retry")
    await backend.retrigger("create_lab_node", run_id(rec, "runs/get_run_failed"))
    put = next(r for r in handler.sent if r["method"] == "PUT")
    assert put["path"].endswith("/resume") and put["body"] == [{}]


async def test_retry_refuses_completed_and_suspended_processes_without_sending(core: Any, rec: Any) -> None:
    backend, handler = core("runs/retry_completed", "runs/retry_suspended")
    with pytest.raises(errors.BadRequest, match="only a failed process can be retried"):
        await backend.retry(run_id(rec, "runs/retry_completed"))
    with pytest.raises(errors.BadRequest, match="resume it with its form"):
        await backend.retry(run_id(rec, "runs/retry_suspended"))
    assert not any(r["method"] == "PUT" for r in handler.sent)


async def test_abort_warns_that_a_running_step_may_finish(core: Any, rec: Any) -> None:
    backend, handler = core("runs/abort_running", "runs/abort_failed")
    message = await backend.abort(run_id(rec, "runs/abort_running"))
    assert "does not stop a running step" in message and "Reserve resources (slow) may still finish" in message
    quiet = await backend.abort(run_id(rec, "runs/abort_failed"))
    assert quiet.endswith("aborted.") and "may still finish" not in quiet
    assert [r["path"].rsplit("/", 1)[-1] for r in handler.sent if r["method"] == "PUT"] == ["abort", "abort"]


async def test_delete_task_and_refused_delete(core: Any, rec: Any) -> None:
    backend, _ = core("runs/delete_task", "runs/delete_workflow_process")
    await backend.delete_run(run_id(rec, "runs/delete_task"))
    with pytest.raises(errors.BadRequest, match="deletes tasks only") as caught:
        await backend.delete_run(run_id(rec, "runs/delete_workflow_process"))
    assert caught.value.status == 400


async def test_execute_a_one_page_task(core: Any, rec: Any) -> None:
    backend, handler = core("runs/execute_task")
    process_id = await backend.execute("task_lab_nap", {"seconds": 0})
    assert process_id == response_of(rec, "runs/execute_task")["id"]
    assert handler.sent[0]["body"] == [{"seconds": 0}]


async def test_execute_refuses_forms_with_more_pages(core: Any, rec: Any) -> None:
    backend, _ = core("runs/execute_multi_page")
    body = request_of(rec, "runs/execute_multi_page")["body"]
    with pytest.raises(errors.BadRequest, match="needs more form input after page 1") as caught:
        await backend.execute("create_lab_node", body[0])
    assert "form session" in caught.value.message


async def test_retry_all_failed_tasks(core: Any, rec: Any) -> None:
    backend, _ = core("runs/retry_all_failed_tasks")
    assert await backend.retry_all_failed_tasks() == response_of(rec, "runs/retry_all_failed_tasks")["count"]


async def test_read_only_sends_nothing_that_changes(core: Any, rec: Any) -> None:
    backend, handler = core("runs/get_run_failed", read_only=True)
    assert backend.info.read_only
    failed = run_id(rec, "runs/get_run_failed")
    for action in (
        lambda: backend.abort(failed),
        lambda: backend.retrigger("create_lab_node", failed),
        lambda: backend.execute("task_lab_nap", {"seconds": 0}),
        lambda: backend.delete_run(failed),
        lambda: backend.retry_all_failed_tasks(),
    ):
        with pytest.raises(errors.ReadOnly):
            await action()
    assert all(r["method"] == "GET" or r["path"] == "/graphql" for r in handler.sent)
