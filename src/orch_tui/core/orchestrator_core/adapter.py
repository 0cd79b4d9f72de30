"""Backend adapter for SURF's orchestrator-core (the Workflow Orchestrator), kind ``core``.

It speaks the API as orchestrator-core 5.5.0 serves it: workflows and subscriptions through
GraphQL (there is no REST list of either), processes through REST (``range``/``sort``/``filter``,
``Content-Range`` totals, the bare-ETag rule), forms through the 510 page protocol
(:mod:`.forms`), live updates through the websocket (:mod:`.events`).  See
``docs/orchestrator-core.md`` for how each :class:`~orch_tui.core.backend.Backend` method maps.
"""

from __future__ import annotations

import asyncio
import json
import logging
import uuid
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any
from urllib.parse import urlsplit

import httpx

from orch_tui.core import errors
from orch_tui.core.backend import (
    CAN_DELETE,
    CAN_ENGINE,
    CAN_EVENTS,
    CAN_PAGED_FORMS,
    CAN_RESUME,
    CAN_TASKS,
    BackendInfo,
    RunPage,
)
from orch_tui.core.catalog import WORKFLOWS_ANNOTATION, CatalogEntity, EntityMetadata
from orch_tui.core.entity import EntityRef
from orch_tui.core.entity_overview import EntityOverview
from orch_tui.core.filters import SearchRequest
from orch_tui.core.forms.dynamic import FormEnvironment, FormResponse, PreparedRequest
from orch_tui.core.models import (
    AuthToken,
    InputSchemaResponse,
    LogLine,
    PaginationInfo,
    StatusOption,
    WorkflowAvailability,
    WorkflowLogs,
    WorkflowOverview,
)
from orch_tui.core.orchestrator_core import mapping
from orch_tui.core.orchestrator_core.events import CoreEvents
from orch_tui.core.orchestrator_core.forms import CoreStartSession, FormReply, FormSession
from orch_tui.core.orchestrator_core.models import (
    ApplicableWorkflow,
    ApplicableWorkflows,
    CoreRun,
    CoreWorkflow,
    EngineStatus,
    ProductBlock,
    ProductInfo,
    SubscriptionDetail,
    SubscriptionPage,
    SubscriptionProcess,
    SubscriptionSummary,
    WireProcess,
    epoch,
)
from orch_tui.core.http import RequestListener, json_of, parse, seg
from orch_tui.core.orchestrator_core.transport import DEFAULT_TIMEOUT, CoreHttp, websocket_url
from orch_tui.core.permissions import WORKFLOW_USE, Decision, PermissionDecision, PermissionRequest
from orch_tui.core.status import status_look

log = logging.getLogger(__name__)

KIND = "core"
FORM_ANSWERS = frozenset({400, 510})
ETAG_CACHE_SIZE = 32
WORKFLOW_PAGE = 500
LAST_RUN_CONCURRENCY = 4
LOG_NOTE = "orchestrator-core keeps no run log; these are the process's steps"
SOURCE_NOTE = "orchestrator-core serves no workflow source; this is the workflow as registered (GraphQL workflows)"

WORKFLOW_FIELDS = """workflowId name description target isTask isAllowed createdAt
  products { name productId productType tag status } steps { name assignee }"""
WORKFLOWS_QUERY = (
    """query Workflows($first: Int!, $after: Int!, $filterBy: [GraphqlFilter!], $sortBy: [GraphqlSort!]) {
  workflows(first: $first, after: $after, filterBy: $filterBy, sortBy: $sortBy) {
    page { """
    + WORKFLOW_FIELDS
    + """ }
    pageInfo { totalItems hasNextPage endCursor }
  }
}"""
)
SUBSCRIPTION_FIELDS = """subscriptionId description status insync startDate endDate note customerId version
  product { name productId productType tag status description } customer { fullname }"""
SUBSCRIPTIONS_QUERY = (
    """query Subscriptions($first: Int!, $after: Int!, $query: String, $filterBy: [GraphqlFilter!],
                     $sortBy: [GraphqlSort!]) {
  subscriptions(first: $first, after: $after, query: $query, filterBy: $filterBy, sortBy: $sortBy) {
    page { """
    + SUBSCRIPTION_FIELDS
    + """ }
    pageInfo { totalItems hasNextPage endCursor }
  }
}"""
)
SUBSCRIPTION_QUERY = (
    """query Subscription($id: String!) {
  subscriptions(first: 1, after: 0, filterBy: [{field: "subscriptionId", value: $id}]) {
    page { """
    + SUBSCRIPTION_FIELDS
    + """
      metadata fixedInputs customerDescriptions { customerId description }
      productBlockInstances { id parent ownerSubscriptionId subscriptionInstanceId inUseByRelations
                              productBlockInstanceValues }
      processes(first: 100, after: 0, sortBy: [{field: "startedAt", order: ASC}]) {
        page { processId workflowName lastStatus workflowTarget startedAt lastModifiedAt lastStep isTask createdBy }
      }
    }
  }
}"""
)


class CoreBackend:
    """Async client for an orchestrator-core's ``/api``."""

    def __init__(
        self,
        url: str,
        *,
        token: str | None = None,
        verify: bool | str = True,
        timeout: float = DEFAULT_TIMEOUT,
        retries: int = 2,
        backoff: float = 0.25,
        transport: httpx.AsyncBaseTransport | None = None,
        label: str | None = None,
        reporter: str | None = None,
        locale: str = "en-GB",
        read_only: bool = False,
    ) -> None:
        """``reporter`` is sent as ``?reporter=`` on starts, resumes and aborts (the server's
        ``created_by`` when it has no signed-in user); ``locale`` picks the translations."""
        base = CoreHttp(url, label="", token=token, verify=verify, timeout=timeout, retries=retries,
                        backoff=backoff, transport=transport, read_only=read_only)
        base.label = label or urlsplit(base.base_url).netloc
        self._http = base
        self.base_url = base.base_url
        self.read_only = read_only
        self.info = BackendInfo(
            kind=KIND, label=base.label, url=self.base_url, read_only=read_only,
            capabilities=frozenset({CAN_RESUME, CAN_DELETE, CAN_PAGED_FORMS, CAN_EVENTS, CAN_ENGINE, CAN_TASKS}),
        )
        self._token = token or None
        self._verify = verify
        self._reporter = reporter
        self._locale = locale
        self._etags: OrderedDict[str, tuple[str, RunPage]] = OrderedDict()
        self._labels: dict[str, str] | None = None
        self._translations: dict[str, Any] | None = None

    def add_listener(self, listener: RequestListener) -> None:
        self._http.listeners.append(listener)

    async def aclose(self) -> None:
        await self._http.aclose()

    def set_read_only(self, read_only: bool) -> None:
        """Refuse (True) or send again (False) every mutating request from now on."""
        self.read_only = read_only
        self._http.read_only = read_only
        self.info = replace(self.info, read_only=read_only)

    def _refuse_if_read_only(self, what: str) -> None:
        if self.read_only:
            raise errors.ReadOnly(f"This context is read-only: processes cannot be {what} from it.")

    def _params(self, **extra: str) -> dict[str, str] | None:
        params = dict(extra)
        if self._reporter:
            params["reporter"] = self._reporter
        return params or None

    async def _get(self, path: str, *, what: str | None = None, params: dict[str, str] | None = None) -> Any:
        response = await self._http.send("GET", path, params=params, idempotent=True, what=what)
        return json_of(response)

    # -- workflows ---------------------------------------------------------------------------

    async def _workflows(self, filters: list[dict[str, str]] | None = None) -> list[CoreWorkflow]:
        found: list[CoreWorkflow] = []
        after = 0
        while True:
            data = await self._http.graphql(
                WORKFLOWS_QUERY,
                {"first": WORKFLOW_PAGE, "after": after, "filterBy": filters,
                 "sortBy": [{"field": "name", "order": "ASC"}]},
            )
            connection = data.get("workflows") or {}
            found.extend(_workflow(item) for item in connection.get("page") or [])
            info = connection.get("pageInfo") or {}
            if not info.get("hasNextPage") or not isinstance(info.get("endCursor"), int):
                break
            after = info["endCursor"] + 1
        self._labels = (self._labels or {}) | {wf.workflowId: wf.name or wf.workflowId for wf in found}
        return found

    async def list_workflows(self, request: SearchRequest | None = None) -> list[WorkflowOverview]:
        """Workflows and tasks (``isTask``), with each one's last process."""
        if request is not None and request.filters is not None:
            raise errors.BadRequest("orchestrator-core's workflow list takes no filters here")
        workflows = await self._workflows()
        await self._add_last_runs(workflows)
        info = request.paginationInfo if request is not None else None
        if info is not None and (info.offset or info.pageSize):
            start = info.offset or 0
            workflows = workflows[start : start + info.pageSize if info.pageSize else None]
        return list(workflows)

    async def _add_last_runs(self, workflows: list[CoreWorkflow]) -> None:
        """Each workflow's newest process: one ``GET /processes/?filter=workflowName,<name>&range=0,1``
        per workflow, a few at a time.  (One GraphQL request with an aliased ``processes`` per
        workflow would be a single round trip, but orchestrator-core 5.5.0 resolves the aliases
        concurrently on one database session and answers "Internal Server Error" for them.)"""
        gate = asyncio.Semaphore(LAST_RUN_CONCURRENCY)

        async def last_run(workflow: CoreWorkflow) -> None:
            if "-" in workflow.workflowId or "|" in workflow.workflowId or "," in workflow.workflowId:
                return  # the filter would read it as alternatives
            params = {"filter": f"workflowName,{workflow.workflowId}", "range": "0,1", "sort": "startedAt,desc"}
            async with gate:
                try:
                    rows = await self._get("/processes/", params=params)
                except errors.OrchError as error:  # the list is still useful without the last runs
                    log.info("last run of %s not available: %s", workflow.workflowId, error.summary)
                    return
            if not isinstance(rows, list) or not rows or not isinstance(rows[0], dict):
                return
            latest = rows[0]
            if latest.get("workflow_name") != workflow.workflowId:
                return
            started = epoch(latest.get("started_at"))
            workflow.lastRunId = latest.get("process_id")
            workflow.lastRunStatus = mapping.run_status(str(latest.get("last_status") or ""))
            workflow.lastTriggeredMs = started.timestamp() * 1000 if started else None

        await asyncio.gather(*(last_run(workflow) for workflow in workflows))

    async def list_workflows_for_entity(
        self, target_entity: str, annotation_workflow_ids: list[str]
    ) -> list[WorkflowOverview]:
        """The workflows a subscription offers (``target_entity``: its id, or ``subscription:<id>``);
        those it cannot run now are unavailable with the server's reason."""
        subscription_id = mapping.subscription_ref(target_entity)
        applicable = await self.subscription_workflows(subscription_id)
        known = {wf.workflowId: wf for wf in await self._workflows()}
        wanted = set(annotation_workflow_ids)
        found: list[WorkflowOverview] = []
        for entry in applicable.workflows:
            if wanted and entry.name not in wanted:
                continue
            base = known.get(entry.name) or CoreWorkflow(workflowId=entry.name, name=entry.description)
            reason = entry.reason or applicable.reason
            found.append(
                base.model_copy(
                    update={
                        "isAvailable": reason is None,
                        "availability": WorkflowAvailability(isAvailable=reason is None, reason=reason),
                    }
                )
            )
        return found

    async def get_workflow(self, workflow_id: str) -> WorkflowOverview:
        found = [wf for wf in await self._workflows([{"field": "name", "value": workflow_id}])
                 if wf.workflowId == workflow_id]
        if not found:
            raise errors.NotFound(f"Workflow {workflow_id!r} does not exist", status=404)
        await self._add_last_runs(found)
        return found[0]

    async def get_source(self, workflow_id: str) -> str:
        """No source exists on the server: the workflow's registered definition, as JSON."""
        workflow = await self.get_workflow(workflow_id)
        assert isinstance(workflow, CoreWorkflow)
        document = {
            "note": SOURCE_NOTE,
            "name": workflow.workflowId,
            "description": workflow.description,
            "target": workflow.target,
            "is_task": workflow.is_task,
            "products": workflow.products,
            "steps": workflow.steps,
        }
        return json.dumps(document, indent=2, ensure_ascii=False)

    async def get_input_schema(self, workflow_id: str, instance_id: str | None = None) -> InputSchemaResponse:
        """The *first page* of the workflow's paged form (``POST`` of no pages: a 510 never starts
        anything); with ``instance_id`` the inputs that process was started with.  The whole form
        needs :meth:`start_form`."""
        reply = await self._post_start(workflow_id, [])
        if reply.status != 510 or not isinstance(reply.body, dict):
            raise errors.MalformedResponse(f"Expected the first form page of {workflow_id} (510), got {reply.status}")
        data = None
        if instance_id:
            data = mapping.initial_inputs(await self.get_run(instance_id))
        return InputSchemaResponse(inputSchema=reply.body.get("form"), data=data)

    async def ping(self, workflow_id: str) -> WorkflowAvailability:
        """No per-workflow service exists: the engine's health and lock (a locked engine refuses starts)."""
        url = self.base_url + "/health/"
        try:
            await self._get("/health/")
        except errors.OrchError as error:
            return WorkflowAvailability(isAvailable=False, statusCode=error.status, urlToFetch=url, reason=error.message)
        engine = await self.engine_status()
        if engine.global_lock:
            return WorkflowAvailability(
                isAvailable=False, statusCode=200, urlToFetch=url,
                reason=f"the engine is {engine.global_status.lower()}: starts and resumes are refused",
            )
        return WorkflowAvailability(isAvailable=True, statusCode=200, urlToFetch=url)

    # -- runs --------------------------------------------------------------------------------

    async def _workflow_labels(self) -> dict[str, str]:
        if self._labels is None:
            try:
                await self._workflows()
            except errors.OrchError as error:
                log.info("workflow labels not available: %s", error.summary)
                self._labels = {}
        return self._labels or {}

    async def list_runs(self, request: SearchRequest | None = None, *, workflow_id: str | None = None) -> RunPage:
        """``GET /api/processes/`` with the request as ``filter``/``sort``/``range``; a repeated
        query sends ``If-None-Match`` with the bare ETag and reuses the page on 304."""
        params = mapping.process_params(request, workflow_id)
        key = json.dumps(params, sort_keys=True)
        cached = self._etags.get(key)
        headers = {"If-None-Match": cached[0]} if cached else None
        response = await self._http.send("GET", "/processes/", params=params, headers=headers, idempotent=True)
        info = _pagination(request)
        if response.status_code == 304 and cached is not None:
            self._etags.move_to_end(key)
            return cached[1]
        rows = json_of(response)
        if not isinstance(rows, list):
            raise errors.MalformedResponse("Expected a list of processes.")
        labels = await self._workflow_labels()
        items = []
        for row in rows:
            wire = parse(WireProcess, row)
            items.append(mapping.to_run(wire, labels.get(wire.workflow_name)))
        page = RunPage(
            items=list(items), total=mapping.content_range_total(response.headers.get("content-range")),
            pagination=info,
        )
        etag = mapping.bare_etag(response.headers.get("etag"))
        if etag:
            self._etags[key] = (etag, page)
            self._etags.move_to_end(key)
            while len(self._etags) > ETAG_CACHE_SIZE:
                self._etags.popitem(last=False)
        return page

    async def get_run(self, run_id: str) -> CoreRun:
        _check_uuid(run_id, "Process")
        data = await self._get(f"/processes/{seg(run_id)}", what=f"Process {run_id}")
        wire = parse(WireProcess, data)
        labels = await self._workflow_labels()
        return mapping.to_run(wire, labels.get(wire.workflow_name))

    async def get_logs(self, run_id: str) -> WorkflowLogs:
        """No run log exists on the server: the step history (and the traceback) as log lines."""
        run = await self.get_run(run_id)
        lines = [LogLine(id="note", log=LOG_NOTE)]
        for index, step in enumerate(run.steps):
            if step.status == "pending":
                continue
            when = step.completed or step.started
            stamp = when.isoformat(timespec="seconds") if when else "—"
            text = f"{stamp}  {step.status:<8} {step.name}"
            if step.created_by:
                text += f"  (by {step.created_by})"
            if step.error:
                text += f": {step.error}"
            lines.append(LogLine(id=step.step_id or f"step-{index}", log=text))
        if run.running_step:
            lines.append(LogLine(id="running", log=f"{'':<25}  running  {run.running_step}"))
        if run.traceback:
            lines.extend(
                LogLine(id=f"traceback-{i}", log=line) for i, line in enumerate(run.traceback.rstrip().splitlines())
            )
        return WorkflowLogs(instanceId=run.id, logs=lines)

    async def list_statuses(self) -> list[StatusOption]:
        """The console statuses that orchestrator-core's statuses map to (see :mod:`.mapping`)."""
        return [StatusOption(key=status_look(status).word, value=status.value) for status in mapping.RUN_TO_CORE]

    # -- forms -------------------------------------------------------------------------------

    async def _post_start(self, workflow_id: str, pages: list[dict[str, Any]]) -> FormReply:
        response = await self._http.send(
            "POST", f"/processes/{seg(workflow_id)}", json_body=pages, params=self._params(),
            idempotent=False, accept=FORM_ANSWERS, what=f"Workflow {workflow_id!r}",
        )
        return FormReply(response.status_code, _body(response))

    async def _put_resume(self, run_id: str, pages: list[dict[str, Any]]) -> FormReply:
        response = await self._http.send(
            "PUT", f"/processes/{seg(run_id)}/resume", json_body=pages, params=self._params(),
            idempotent=False, accept=FORM_ANSWERS, what=f"Process {run_id}",
        )
        return FormReply(response.status_code, _body(response))

    async def translations(self) -> dict[str, Any]:
        """``forms.fields`` of the server's translations (labels and ``<name>_info`` help);
        empty when the server has none."""
        if self._translations is None:
            try:
                data = await self._get(f"/translations/{seg(self._locale)}")
            except errors.OrchError as error:
                log.info("translations not available: %s", error.summary)
                data = {}
            fields = ((data or {}).get("forms") or {}).get("fields") if isinstance(data, dict) else None
            self._translations = dict(fields) if isinstance(fields, dict) else {}
        return self._translations

    async def start_form(
        self,
        workflow_id: str,
        *,
        prefill: list[dict[str, Any]] | None = None,
        confirm_prefilled: bool = False,
    ) -> FormSession:
        """A form session that starts ``workflow_id``; :meth:`FormSession.open` posts ``prefill``
        (``[{"product": id}]`` for create workflows, ``[{"subscription_id": id}]`` for modify,
        terminate and validate ones, as the web UI does) and returns the first page to fill in,
        or the started process when the prefill completes the form (unless ``confirm_prefilled``).
        """
        labels = await self.translations()
        title = await self._workflow_title(workflow_id)

        async def post(pages: list[dict[str, Any]]) -> FormReply:
            return await self._post_start(workflow_id, pages)

        return FormSession(post, mode="start", target=workflow_id, title=title, initial_pages=prefill,
                           labels=labels, confirm_prefilled=confirm_prefilled)

    async def resume_form(self, run_id: str) -> FormSession:
        """A form session that resumes a suspended process with the input its step awaits."""
        run = await self.get_run(run_id)
        if run.core_status != "suspended" or not run.form:
            raise errors.BadRequest(
                f"Process {run_id} is {run.core_status or 'in an unknown state'}: only a suspended process "
                "awaits input"
            )
        labels = await self.translations()

        async def post(pages: list[dict[str, Any]]) -> FormReply:
            return await self._put_resume(run_id, pages)

        title = f"{run.processName or run.processId}: {run.last_step or 'input'}"
        return FormSession(post, mode="resume", target=run_id, title=title, first_page=run.form, labels=labels)

    async def start_session(
        self,
        workflow_id: str,
        *,
        initial_data: dict[str, Any] | None = None,
        target_entity: str | None = None,
    ) -> CoreStartSession:
        """The console's run form: :meth:`start_form`, with the target subscription's page
        prefilled (and shown filled in when it is the last, so that nothing starts unseen)."""
        prefill = [{"subscription_id": mapping.subscription_ref(target_entity)}] if target_entity else None
        form = await self.start_form(workflow_id, prefill=prefill, confirm_prefilled=True)
        return CoreStartSession(form, initial_data)

    async def resume_session(self, run_id: str) -> CoreStartSession:
        """The console's form for a suspended process (:meth:`resume_form`)."""
        return CoreStartSession(await self.resume_form(run_id))

    async def _workflow_title(self, workflow_id: str) -> str:
        labels = await self._workflow_labels()
        return labels.get(workflow_id) or workflow_id

    # -- actions (never retried) -----------------------------------------------------------------

    async def execute(
        self,
        workflow_id: str,
        input_data: dict[str, Any],
        *,
        target_entity: str | None = None,
        auth_tokens: list[AuthToken] | None = None,
    ) -> str:
        """Start a workflow whose form is one page (``input_data``), after the subscription page
        when ``target_entity`` names a subscription.  A form with more pages is refused with the
        next page's title: use :meth:`start_form`."""
        self._refuse_if_read_only('started')
        if auth_tokens:
            log.debug("orchestrator-core takes no provider tokens; %d not sent", len(auth_tokens))
        pages: list[dict[str, Any]] = []
        if target_entity:
            pages.append({"subscription_id": mapping.subscription_ref(target_entity)})
        if input_data or not pages:
            pages.append(dict(input_data))
        reply = await self._post_start(workflow_id, pages)
        body = reply.body if isinstance(reply.body, dict) else {}
        if reply.status == 510:
            form = body.get("form") if isinstance(body.get("form"), dict) else {}
            title = form.get("title") if isinstance(form.get("title"), str) else "another page"
            raise errors.BadRequest(
                f"{workflow_id} needs more form input after page {len(pages)} (next: {title}); "
                "start it with a form session",
                status=510,
            )
        if reply.status == 400:
            problems = [
                f"{'.'.join(str(p) for p in e.get('loc') or [])}: {e.get('msg')}"
                for e in body.get("validation_errors") or []
                if isinstance(e, dict)
            ]
            raise errors.BadRequest("; ".join(problems) or problem_message_of(body) or "Form not valid", status=400)
        process_id = body.get("id")
        if not isinstance(process_id, str):
            raise errors.MalformedResponse("The start answer has no process id.")
        return process_id

    async def retrigger(
        self, workflow_id: str, run_id: str, *, auth_tokens: list[AuthToken] | None = None
    ) -> None:
        """orchestrator-core's Retry: resume a failed process from its failed step."""
        await self.retry(run_id)

    async def retry(self, run_id: str) -> None:
        """``PUT .../resume`` with ``[{}]`` for a failed (or waiting, api_unavailable,
        inconsistent_data) process.  A suspended one is refused here: its resume needs its form,
        and an empty page could push a step with all-default input through."""
        self._refuse_if_read_only('retried')
        run = await self.get_run(run_id)
        if run.core_status == "suspended":
            raise errors.BadRequest(
                f"Process {run_id} is suspended at {run.last_step or 'an input step'}: resume it with its form"
            )
        if not run.can_retry:
            raise errors.BadRequest(f"Process {run_id} is {run.core_status}: only a failed process can be retried")
        reply = await self._put_resume(run_id, [{}])
        if reply.status not in (200, 204):
            raise errors.BadRequest(problem_message_of(reply.body) or f"Retry refused (HTTP {reply.status})",
                                    status=reply.status)

    async def abort(self, run_id: str) -> str:
        """``PUT .../abort``.  The server marks the process aborted at once, but does not stop a
        step that is running: the message says so when a step was running."""
        self._refuse_if_read_only('aborted')
        run = await self.get_run(run_id)
        await self._http.send("PUT", f"/processes/{seg(run_id)}/abort", params=self._params(), idempotent=False,
                              what=f"Process {run_id}")
        message = f"Process {run_id} ({run.processId}) aborted."
        if run.core_status in mapping.MOVING:
            step = run.running_step or "the step that was running"
            message += (
                f" orchestrator-core does not stop a running step: {step} may still finish, and the process "
                "may then go on and overwrite the aborted status."
            )
        return message

    async def delete_run(self, run_id: str) -> None:
        """``DELETE /api/processes/{id}``: tasks only (the server answers a bare 400 otherwise)."""
        self._refuse_if_read_only('deleted')
        _check_uuid(run_id, "Process")
        try:
            await self._http.send("DELETE", f"/processes/{seg(run_id)}", idempotent=False, what=f"Process {run_id}")
        except errors.BadRequest as error:
            if error.status == 400 and error.message in ("Bad Request", "HTTP 400 Bad Request"):
                raise errors.BadRequest(
                    f"Process {run_id} was not deleted: orchestrator-core deletes tasks only "
                    f"(it answered: {error.message})", status=400,
                ) from None
            raise

    async def retry_all_failed_tasks(self) -> int:
        """``PUT /api/processes/resume-all``: retries every failed task; returns how many."""
        self._refuse_if_read_only('retried')
        response = await self._http.send("PUT", "/processes/resume-all", params=self._params(), idempotent=False)
        body = json_of(response)
        count = body.get("count") if isinstance(body, dict) else None
        if not isinstance(count, int):
            raise errors.MalformedResponse("resume-all answered without a count.")
        return count

    async def retry_failed_tasks(self) -> int:
        """The console's "Retry failed tasks": :meth:`retry_all_failed_tasks`."""
        return await self.retry_all_failed_tasks()

    # -- engine ------------------------------------------------------------------------------

    async def engine_status(self) -> EngineStatus:
        """``/settings/status`` with the process and task counts per status (an
        :class:`~orch_tui.core.engine.EngineState` for the console)."""
        status = await self._get("/settings/status")
        counts = await self._get("/processes/status-counts")
        if isinstance(status, dict) and isinstance(counts, dict):
            status = {
                **status,
                "process_counts": dict(counts.get("process_counts") or {}),
                "task_counts": dict(counts.get("task_counts") or {}),
            }
        return parse(EngineStatus, status)

    # -- subscriptions -----------------------------------------------------------------------

    async def list_subscriptions(
        self,
        query: str | None = None,
        *,
        first: int = 20,
        after: int = 0,
        filters: Mapping[str, str] | None = None,
        sort: tuple[str, str] = ("startDate", "DESC"),
    ) -> SubscriptionPage:
        """GraphQL ``subscriptions``.  ``query`` is the server's search language (``edge-01``,
        ``status:active``, ``"a phrase"``); it searches an index the server refreshes at most
        every two minutes, so a new subscription may not be found at once — ``filters``
        (``{"status": "active"}``, ``{"subscriptionId": id}``) read the table itself."""
        variables = {
            "first": first,
            "after": after,
            "query": query.strip() if query and query.strip() else None,
            "filterBy": [{"field": k, "value": v} for k, v in (filters or {}).items()] or None,
            "sortBy": [{"field": sort[0], "order": sort[1].upper()}],
        }
        data = await self._http.graphql(SUBSCRIPTIONS_QUERY, variables)
        connection = data.get("subscriptions") or {}
        info = connection.get("pageInfo") or {}
        return SubscriptionPage(
            items=[_subscription(item) for item in connection.get("page") or []],
            total=info.get("totalItems") if isinstance(info.get("totalItems"), int) else None,
            offset=after,
            has_next=bool(info.get("hasNextPage")),
        )

    async def get_subscription(self, subscription_id: str) -> SubscriptionDetail:
        """A subscription with its product block tree and its processes (oldest first)."""
        _check_uuid(subscription_id, "Subscription")
        data = await self._http.graphql(SUBSCRIPTION_QUERY, {"id": subscription_id})
        page = (data.get("subscriptions") or {}).get("page") or []
        if not page:
            raise errors.NotFound(f"Subscription {subscription_id} not found", status=404)
        item = page[0]
        summary = _subscription(item)
        processes = [
            SubscriptionProcess(
                process_id=p.get("processId"),
                workflow_name=p.get("workflowName"),
                core_status=str(p.get("lastStatus") or "").lower(),
                status=mapping.run_status(str(p.get("lastStatus") or "")),
                workflow_target=p.get("workflowTarget"),
                started_at=epoch(p.get("startedAt")),
                last_modified=epoch(p.get("lastModifiedAt")),
                last_step=p.get("lastStep"),
                is_task=bool(p.get("isTask")),
                created_by=p.get("createdBy"),
            )
            for p in ((item.get("processes") or {}).get("page") or [])
        ]
        return SubscriptionDetail(
            **summary.model_dump(),
            metadata=item.get("metadata"),
            fixed_inputs=list(item.get("fixedInputs") or []),
            customer_descriptions=list(item.get("customerDescriptions") or []),
            blocks=block_tree(item.get("productBlockInstances") or []),
            processes=processes,
        )

    async def subscription_workflows(self, subscription_id: str) -> ApplicableWorkflows:
        """``GET /api/subscriptions/workflows/{id}`` (GraphQL has no such field): the workflows
        by target, each blocked one with its ``reason`` (a translation key such as
        ``subscription.no_modify_invalid_status``), and a top-level reason blocking all."""
        _check_uuid(subscription_id, "Subscription")
        data = await self._get(f"/subscriptions/workflows/{seg(subscription_id)}",
                               what=f"Subscription {subscription_id}")
        if not isinstance(data, dict):
            raise errors.MalformedResponse("Expected the workflows of the subscription by target.")
        found: list[ApplicableWorkflow] = []
        for target, entries in data.items():
            if not isinstance(entries, list):
                continue
            for entry in entries:
                if isinstance(entry, dict) and isinstance(entry.get("name"), str):
                    found.append(
                        ApplicableWorkflow(
                            name=entry["name"], description=entry.get("description"), target=target.lower(),
                            reason=entry.get("reason") or None, usable_when=list(entry.get("usable_when") or []),
                            status=entry["status"] if isinstance(entry.get("status"), str) else None,
                        )
                    )
        reason = data.get("reason") if isinstance(data.get("reason"), str) else None
        return ApplicableWorkflows(subscription_id=subscription_id, reason=reason, workflows=found)

    async def subscription_runs(self, subscription_id: str, request: SearchRequest | None = None) -> RunPage:
        """The processes of a subscription (the REST ``subscriptionId`` filter), newest first."""
        from orch_tui.core.filters import all_of, nested

        _check_uuid(subscription_id, "Subscription")
        base = request or SearchRequest()
        combined = all_of(base.filters, nested("variables.targetEntity", "EQ", subscription_id))
        return await self.list_runs(base.model_copy(update={"filters": combined}))

    # -- permissions and entities (Backstage notions, mapped) -------------------------------------

    async def authorize(self, requests: Sequence[PermissionRequest]) -> list[PermissionDecision]:
        """orchestrator-core has no Backstage permissions: everything is allowed (the server refuses
        what it does not allow, with a 403), except using a workflow GraphQL marks ``isAllowed:
        false`` for the caller."""
        denied: set[str] = set()
        if any(r.permission.name == WORKFLOW_USE.name and r.resource_ref for r in requests):
            try:
                denied = {wf.workflowId for wf in await self._workflows() if not wf.is_allowed}
            except errors.OrchError as error:
                log.info("workflow permissions not available: %s", error.summary)
        return [
            PermissionDecision(
                request,
                Decision.DENY
                if request.permission.name == WORKFLOW_USE.name and request.resource_ref in denied
                else Decision.ALLOW,
            )
            for request in requests
        ]

    async def get_entity(self, ref: EntityRef) -> CatalogEntity:
        """There is no catalog: the only entities are subscriptions (``subscription:default/<id>``),
        whose ``orchestrator.io/workflows`` annotation lists the workflows it allows now."""
        _check_subscription_ref(ref)
        detail = await self.get_subscription(ref.name)
        try:
            allowed = [wf.name for wf in (await self.subscription_workflows(ref.name)).allowed]
        except errors.OrchError as error:
            log.info("workflows of %s not available: %s", ref.name, error.summary)
            allowed = []
        return subscription_entity(detail, allowed)

    async def entity_overview(self, ref: EntityRef) -> EntityOverview:
        """A subscription (``subscription:default/<id>``): its facts, its product block tree and
        the workflows it offers (``/subscriptions/workflows/{id}``), each blocked one with the
        server's reason key in words (:mod:`.overview`).  Workflows that cannot be asked leave a
        note; a subscription that does not exist is NotFound."""
        from orch_tui.core.orchestrator_core.overview import subscription_overview

        _check_subscription_ref(ref)
        detail = await self.get_subscription(ref.name)
        try:
            applicable: ApplicableWorkflows | None = await self.subscription_workflows(ref.name)
            problem = None
        except errors.OrchError as error:
            log.info("workflows of %s not available: %s", ref.name, error.summary)
            applicable, problem = None, error.summary
        return subscription_overview(detail, applicable, workflows_problem=problem)

    async def search_entities(
        self, text: str = "", *, kinds: Sequence[str] = (), limit: int = 50
    ) -> list[CatalogEntity]:
        """Subscriptions whose searchable text matches ``text`` (the server's search index), as entities."""
        if kinds and mapping.SUBSCRIPTION_KIND not in {kind.lower() for kind in kinds}:
            return []
        page = await self.list_subscriptions(text or None, first=limit)
        return [subscription_entity(item, None) for item in page.items]

    # -- live updates ------------------------------------------------------------------------

    def events(self, **options: Any) -> CoreEvents:
        """The websocket event stream (``/api/ws/events``); see :class:`.events.CoreEvents`."""
        return CoreEvents(websocket_url(self.base_url), token=self._token, verify=self._verify, **options)

    # -- the form's dynamic widgets (Backstage only) ------------------------------------------

    def form_environment(self) -> FormEnvironment:
        return FormEnvironment(backend_base_url=self.base_url.removesuffix("/api"), identity={})

    async def form_request(self, request: PreparedRequest) -> FormResponse:
        raise errors.BadRequest("orchestrator-core forms have no dynamic widgets that fetch data")


# -- helpers ------------------------------------------------------------------------------------


def _workflow(item: Mapping[str, Any]) -> CoreWorkflow:
    allowed = item.get("isAllowed") is not False
    return CoreWorkflow(
        workflowId=str(item.get("name")),
        name=item.get("description") or item.get("name"),
        description=item.get("description"),
        format="json",
        isAvailable=allowed,
        availability=None if allowed else WorkflowAvailability(
            isAvailable=False, reason="you are not allowed to start this workflow"
        ),
        workflow_uuid=item.get("workflowId"),
        target=item.get("target"),
        is_task=bool(item.get("isTask")),
        is_allowed=allowed,
        created_at=epoch(item.get("createdAt")),
        products=list(item.get("products") or []),
        steps=list(item.get("steps") or []),
    )


def subscription_entity(item: SubscriptionSummary, workflows: list[str] | None) -> CatalogEntity:
    """A subscription as a catalog entity (kind ``Subscription``, name = its id)."""
    annotations: dict[str, Any] = {}
    if workflows is not None:
        annotations[WORKFLOWS_ANNOTATION] = json.dumps(workflows)
    return CatalogEntity(
        kind="Subscription",
        metadata=EntityMetadata(
            name=item.subscription_id, namespace="default", title=item.description, description=item.note,
            annotations=annotations,
        ),
        spec={
            "lifecycle": item.status,
            "owner": item.customer_name or item.customer_id,
            "product": item.product.name if item.product else None,
            "insync": item.insync,
        },
    )


def _subscription(item: Mapping[str, Any]) -> SubscriptionSummary:
    product = item.get("product") if isinstance(item.get("product"), dict) else None
    customer = item.get("customer") if isinstance(item.get("customer"), dict) else {}
    return SubscriptionSummary(
        subscription_id=str(item.get("subscriptionId")),
        description=item.get("description"),
        status=str(item.get("status") or "").lower() or None,
        insync=item.get("insync"),
        start_date=epoch(item.get("startDate")),
        end_date=epoch(item.get("endDate")),
        note=item.get("note"),
        customer_id=item.get("customerId"),
        customer_name=customer.get("fullname") if customer else None,
        version=item.get("version"),
        product=ProductInfo(
            product_id=product.get("productId"), name=product.get("name"), product_type=product.get("productType"),
            tag=product.get("tag"), status=str(product.get("status") or "").lower() or None,
            description=product.get("description"),
        ) if product else None,
    )


def block_tree(instances: list[Any]) -> list[ProductBlock]:
    """``productBlockInstances`` (flat, with ``id``/``parent``) as a tree of blocks."""
    blocks: dict[int, ProductBlock] = {}
    order: list[ProductBlock] = []
    for position, instance in enumerate(instances):
        if not isinstance(instance, dict):
            continue
        values: dict[str, Any] = {}
        name = ""
        for pair in instance.get("productBlockInstanceValues") or []:
            if isinstance(pair, dict) and isinstance(pair.get("field"), str):
                if pair["field"] == "name" and isinstance(pair.get("value"), str) and not name:
                    name = pair["value"]
                else:
                    values[pair["field"]] = pair.get("value")
        index = instance.get("id") if isinstance(instance.get("id"), int) else position
        block = ProductBlock(
            name=name or f"block {index}",
            index=index,
            parent=instance.get("parent") if isinstance(instance.get("parent"), int) else None,
            subscription_instance_id=instance.get("subscriptionInstanceId"),
            owner_subscription_id=instance.get("ownerSubscriptionId"),
            values=values,
            in_use_by=list(instance.get("inUseByRelations") or []),
        )
        blocks[index] = block
        order.append(block)
    roots: list[ProductBlock] = []
    for block in order:
        parent = blocks.get(block.parent) if block.parent is not None else None
        if parent is not None and parent is not block:
            parent.children.append(block)
        else:
            roots.append(block)
    return roots


def _pagination(request: SearchRequest | None) -> PaginationInfo:
    info = request.paginationInfo if request is not None and request.paginationInfo else PaginationInfo()
    return info.model_copy(
        update={
            "pageSize": info.pageSize or mapping.DEFAULT_PAGE_SIZE,
            "offset": info.offset or 0,
            "orderBy": info.orderBy or "start",
            "orderDirection": info.orderDirection or "DESC",
        }
    )


def _body(response: httpx.Response) -> Any:
    if response.status_code == 204 or not response.content:
        return None
    try:
        return response.json()
    except ValueError:
        return response.text


def problem_message_of(body: Any) -> str:
    if isinstance(body, dict) and isinstance(body.get("detail"), str):
        return body["detail"].strip().splitlines()[0]
    return ""


def _check_subscription_ref(ref: EntityRef) -> None:
    if ref.kind != mapping.SUBSCRIPTION_KIND:
        raise errors.NotFound(
            f"{ref.target} is not known: orchestrator-core has no catalog; its entities are subscriptions "
            "(subscription:default/<id>)", status=404,
        )


def _check_uuid(value: str, what: str) -> None:
    """The server answers a FastAPI 422 for a malformed id: say it is not found instead."""
    try:
        uuid.UUID(str(value))
    except ValueError:
        raise errors.NotFound(f"{what} {value!r} not found (not a valid id)", status=404) from None

