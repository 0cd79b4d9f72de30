"""Record the fixtures of tests/core/oc from a live orchestrator-core (the integration harness).

    bash integration/setup.sh && . /tmp/orch-tui-core/env.sh
    .venv/bin/python -m tests.core.oc.record_fixtures        # rewrites tests/core/oc/fixtures/*.json
    bash integration/stop.sh

It drives the real adapter (CoreBackend) through every method, with FormModel building each
page's payload, and keeps each exchange exactly as the server answered (volatile ids included).
Not a test module: pytest does not collect it.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import time
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import httpx

from orch_tui.core import errors
from orch_tui.core.filters import SearchRequest, page
from orch_tui.core.models import RunStatus
from orch_tui.core.orchestrator_core import CoreBackend
from orch_tui.core.orchestrator_core.models import CoreRun
from orch_tui.core.run_query import RunQuery

from .replay import FIXTURES, Recorder

SETTLED = {"completed", "failed", "aborted", "suspended", "waiting", "awaiting_callback"}


class Session:
    def __init__(self, url: str) -> None:
        self.recorder = Recorder()
        self.backend = CoreBackend(url, transport=self.recorder, retries=0)
        self.raw = httpx.AsyncClient(base_url=url.rstrip("/") + "/api", timeout=20)
        self.groups: dict[str, dict[str, list[dict[str, Any]]]] = {}

    async def keep(self, group: str, name: str, action: Callable[[], Awaitable[Any]]) -> Any:
        """Run ``action`` and keep every exchange it made as fixture ``group/name``."""
        mark = self.recorder.mark()
        try:
            result = await action()
        except errors.OrchError as error:
            result = error
        self.groups.setdefault(group, {})[name] = self.recorder.since(mark)
        print(f"  {group}/{name}: {len(self.recorder.since(mark))} exchange(s) -> {type(result).__name__}")
        return result

    async def wait(self, run_id: str, wanted: set[str], until: Callable[[CoreRun], bool] | None = None) -> CoreRun:
        deadline = time.monotonic() + 40
        while True:
            run = await self.backend.get_run(run_id)
            if run.core_status in wanted and (until is None or until(run)):
                return run
            if run.core_status in SETTLED - wanted or time.monotonic() > deadline:
                raise SystemExit(f"{run_id}: {run.core_status} ({run.last_step}), wanted {wanted}")
            await asyncio.sleep(0.2)

    def save(self) -> None:
        FIXTURES.mkdir(exist_ok=True)
        for group, fixtures in self.groups.items():
            path = FIXTURES / f"{group}.json"
            path.write_text(json.dumps(fixtures, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
            print(f"wrote {path}")


async def fill(session: Any, values: dict[str, Any]) -> Any:
    """Fill the current page's FormModel with ``values`` and submit its payload."""
    values = dict(values)
    allow_invalid = values.pop("__allow_invalid__", False)
    model = session.current.model()
    for key, value in values.items():
        model.set((key,), value)
    problems = model.validate()
    if problems and not allow_invalid:
        print("    local validation:", problems)
    return await session.submit(model.payload())


async def record(url: str) -> None:
    s = Session(url)
    b = s.backend
    host = f"rec-{uuid.uuid4().hex[:6]}"

    # -- workflows, engine --------------------------------------------------------------------
    await s.keep("workflows", "list_workflows", b.list_workflows)
    await s.keep("workflows", "get_workflow", lambda: b.get_workflow("create_lab_node"))
    await s.keep("workflows", "get_workflow_missing", lambda: b.get_workflow("no_such_workflow"))
    await s.keep("workflows", "ping", lambda: b.ping("create_lab_node"))
    await s.keep("workflows", "engine_status", b.engine_status)
    await s.keep("workflows", "translations", b.translations)
    await s.keep("workflows", "input_schema", lambda: b.get_input_schema("task_lab_nap"))
    await s.keep("workflows", "start_unknown", lambda: b.execute("no_such_workflow", {}))
    await s.keep("workflows", "graphql_error", lambda: b.list_subscriptions(sort=("bogus", "ASC")))

    # the engine lock: start is refused with 503
    await s.raw.put("/settings/status", json={"global_lock": True})
    try:
        await s.keep("workflows", "engine_locked_status", b.engine_status)
        await s.keep("workflows", "start_locked", lambda: b.execute("task_lab_nap", {"seconds": 0}))
    finally:
        await s.raw.put("/settings/status", json={"global_lock": False})

    # -- the create form, page by page ---------------------------------------------------------
    async def create_walk() -> str:
        form = await b.start_form("create_lab_node")
        await form.open()
        product = form.current.model().root.children[0].options[0].value
        await fill(form, {"product": product})
        invalid = await fill(form, {"hostname": "X!", "port_count": 99, "__allow_invalid__": True})
        assert invalid.kind == "invalid", invalid
        await fill(form, {"hostname": host, "role": "access", "port_count": 4, "notes": "line one\nline two"})
        await form.back()
        await fill(form, {"hostname": host, "role": "access", "port_count": 4, "notes": "line one\nline two"})
        done = await fill(form, {"slow_seconds": 1, "failure_mode": "none", "notify": True})
        assert done.kind == "done", done
        return done.process_id

    created = await s.keep("forms", "create_walk", create_walk)
    await s.wait(created, {"completed"})
    run = await s.keep("runs", "get_run_completed", lambda: b.get_run(created))
    subscription_id = run.subscriptions[0].subscription_id
    product_id = (run.workflowdata or {})["product"]
    await s.keep("runs", "get_logs_completed", lambda: b.get_logs(created))
    await s.keep("runs", "input_schema_of_run", lambda: b.get_input_schema("create_lab_node", created))

    async def create(name: str, **options: Any) -> str:
        form = await b.start_form("create_lab_node")
        await form.open()
        product = form.current.model().root.children[0].options[0].value
        await fill(form, {"product": product})
        await fill(form, {"hostname": name})
        done = await fill(form, {"slow_seconds": 0, "failure_mode": "none"} | options)
        return done.process_id

    # a running process: the running step is the first pending one
    running_id = await create(host + "-run", slow_seconds=3)
    await s.wait(running_id, {"running"}, lambda r: r.last_step == "Create Process Subscription relation")
    await s.keep("runs", "get_run_running", lambda: b.get_run(running_id))
    await s.wait(running_id, {"completed"})

    # fail once, retry, complete
    once = await create(host + "-once", failure_mode="fail_once")
    await s.wait(once, {"failed"})
    await s.keep("runs", "get_run_failed", lambda: b.get_run(once))
    await s.keep("runs", "get_logs_failed", lambda: b.get_logs(once))
    await s.keep("runs", "retry", lambda: b.retrigger("create_lab_node", once))
    await s.wait(once, {"completed"})
    await s.keep("runs", "get_run_retried", lambda: b.get_run(once))
    await s.keep("runs", "retry_completed", lambda: b.retry(once))

    # fail always, abort the failed one
    always = await create(host + "-always", failure_mode="fail_always")
    await s.wait(always, {"failed"})
    await s.keep("runs", "abort_failed", lambda: b.abort(always))
    await s.keep("runs", "get_run_aborted", lambda: b.get_run(always))

    # abort while the slow step runs
    slow = await create(host + "-abort", slow_seconds=20)
    await s.wait(slow, {"running"}, lambda r: r.last_step == "Create Process Subscription relation")
    await s.keep("runs", "abort_running", lambda: b.abort(slow))
    await s.wait(slow, {"aborted"}, lambda r: any(st.name == "Reserve resources (slow)" for st in r.steps
                                                   if st.status == "abort"))
    await s.keep("runs", "get_run_aborted_running", lambda: b.get_run(slow))

    # -- runs lists ----------------------------------------------------------------------------
    await s.keep("lists", "list_runs_default", lambda: b.list_runs(RunQuery(page_size=5).to_request()))
    await s.keep("lists", "list_runs_default_again", lambda: b.list_runs(RunQuery(page_size=5).to_request()))
    await s.keep("lists", "list_runs_failed_create", lambda: b.list_runs(
        RunQuery(statuses=(RunStatus.ERROR, RunStatus.ABORTED), page_size=10, order_by="processName",
                 direction="ASC").to_request(), workflow_id="create_lab_node"))
    now = run.start
    assert now is not None
    await s.keep("lists", "list_runs_window", lambda: b.list_runs(
        RunQuery(started_from=now.replace(microsecond=0), started_to=now.replace(hour=23, minute=59, second=59),
                 page_size=3, offset=3).to_request()))
    await s.keep("lists", "list_runs_unsupported", lambda: b.list_runs(
        SearchRequest(paginationInfo=page(size=5, order_by="duration"))))
    await s.keep("lists", "subscription_runs", lambda: b.subscription_runs(subscription_id))

    # -- subscriptions -------------------------------------------------------------------------
    await s.keep("subscriptions", "list", lambda: b.list_subscriptions(first=5))
    await s.keep("subscriptions", "list_active", lambda: b.list_subscriptions(filters={"status": "active"}, first=3))
    await s.keep("subscriptions", "search", lambda: b.list_subscriptions("lab", first=5))
    await s.keep("subscriptions", "detail", lambda: b.get_subscription(subscription_id))
    await s.keep("subscriptions", "workflows_active", lambda: b.subscription_workflows(subscription_id))
    await s.keep("subscriptions", "detail_missing", lambda: b.get_subscription(str(uuid.UUID(int=0))))
    await s.keep("subscriptions", "workflows_missing", lambda: b.subscription_workflows(str(uuid.UUID(int=0))))
    await s.keep("subscriptions", "entity", lambda: b.get_entity(
        __import__("orch_tui.core.entity", fromlist=["EntityRef"]).EntityRef.of("subscription", "default",
                                                                                  subscription_id)))

    # -- modify: prefilled subscription page, then suspend and resume with the form ---------------
    async def modify_walk() -> str:
        form = await b.start_form("modify_lab_node", prefill=[{"subscription_id": subscription_id}])
        await form.open()
        done = await fill(form, {"port_count": 24})
        return done.process_id

    modified = await s.keep("forms", "modify_walk", modify_walk)
    await s.wait(modified, {"suspended"})
    await s.keep("runs", "get_run_suspended", lambda: b.get_run(modified))
    await s.keep("runs", "retry_suspended", lambda: b.retry(modified))
    await s.keep("workflows", "subscription_workflows_locked", lambda: b.subscription_workflows(subscription_id))

    async def resume_walk() -> None:
        form = await b.resume_form(modified)
        await form.open()
        refused = await fill(form, {"approval": "INCOMPLETE"})
        assert refused.kind == "invalid", refused
        done = await fill(form, {"approval": "ACCEPTED", "approver_comment": "fine"})
        assert done.kind == "done", done

    await s.keep("forms", "resume_walk", resume_walk)
    await s.wait(modified, {"completed"})
    await s.keep("runs", "get_run_resumed", lambda: b.get_run(modified))
    await s.keep("forms", "resume_completed", lambda: b.resume_form(modified))

    # -- validate: the prefill completes the form (confirm first), terminate ------------------------
    async def validate_confirm() -> str:
        form = await b.start_form("validate_lab_node", prefill=[{"subscription_id": subscription_id}],
                                  confirm_prefilled=True)
        await form.open()
        done = await form.submit(form.current.model().payload())
        return done.process_id

    validated = await s.keep("forms", "validate_confirm", validate_confirm)
    await s.wait(validated, {"completed"})

    async def validate_direct() -> str | None:
        form = await b.start_form("validate_lab_node", prefill=[{"subscription_id": subscription_id}])
        opened = await form.open()
        return opened.process_id

    direct = await s.keep("forms", "validate_direct", validate_direct)
    await s.wait(direct, {"completed"})

    async def terminate_walk() -> str:
        form = await b.start_form("terminate_lab_node", prefill=[{"subscription_id": subscription_id}])
        await form.open()
        done = await fill(form, {"reason": "recorded"})
        return done.process_id

    terminated = await s.keep("forms", "terminate_walk", terminate_walk)
    await s.wait(terminated, {"completed"})
    await s.keep("subscriptions", "workflows_terminated", lambda: b.subscription_workflows(subscription_id))

    # -- a task: its one-page form, execute, delete ----------------------------------------------
    async def task_walk() -> str:
        form = await b.start_form("task_lab_nap")
        await form.open()
        done = await fill(form, {"seconds": 0})
        return done.process_id

    task = await s.keep("forms", "task_walk", task_walk)
    await s.wait(task, {"completed"})
    await s.keep("runs", "delete_task", lambda: b.delete_run(task))
    await s.keep("runs", "get_run_missing", lambda: b.get_run(task))
    await s.keep("runs", "delete_workflow_process", lambda: b.delete_run(created))
    executed = await s.keep("runs", "execute_task", lambda: b.execute("task_lab_nap", {"seconds": 0}))
    await s.keep("runs", "execute_multi_page", lambda: b.execute("create_lab_node", {"product": product_id}))
    await s.keep("runs", "execute_invalid", lambda: b.execute("create_lab_node", {"product": str(uuid.UUID(int=1))}))
    await s.wait(executed, {"completed"})
    await s.keep("runs", "retry_all_failed_tasks", b.retry_all_failed_tasks)
    await s.keep("runs", "list_statuses", b.list_statuses)

    await b.aclose()
    await s.raw.aclose()
    s.save()


def main() -> None:
    url = os.environ.get("ORCH_TUI_CORE_URL")
    if not url:
        sys.exit("ORCH_TUI_CORE_URL is not set: start integration/setup.sh and source its env.sh")
    asyncio.run(record(url))


if __name__ == "__main__":
    main()
