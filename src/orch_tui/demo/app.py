"""The ASGI application: Backstage Orchestrator REST API v2 under ``/api/orchestrator``.

Routing, validation and error bodies follow the real backend (plugin 8.13.2): ``openapi-backend``
matches the route and validates the request (``400 {"err": [...]}``, ``404 {"err": "<path> path
not found"}``), handlers run, and thrown errors go through Backstage's error middleware
(``{"error": {...}, "request": {...}, "response": {"statusCode": N}}``).

Beside the orchestrator it serves a small software catalog (:mod:`.entities`, ``/api/catalog``),
the permission backend (:mod:`.permission_api`, ``/api/permission/authorize``) and the form
widgets' proxy endpoints (:mod:`.form_api`).  Callers are told apart by their bearer token
(:mod:`.users`); the orchestrator endpoints enforce each user's permissions as the real backend
does: 403 ``Unauthorized`` for a run, retrigger or abort without ``orchestrator.workflow.use``,
only one's own runs without ``orchestrator.instanceAdminView`` (except the per-workflow runs
list, which 8.13.2 does not filter), 403 for another user's run.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any
from urllib.parse import unquote

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from . import entities, form_api, permission_api
from .catalog import DEFAULT_WORKFLOWS, DemoWorkflow
from .chaos import Chaos, ChaosMiddleware
from .hostile import hostile_workflows, make_hostile
from .dto import RunAccessor, WorkflowAccessor, dumps, instance_dto, list_item_json, logs_dto, overview_dto
from .engine import DEFAULT_INITIATOR, SERVICE_INITIATOR, DemoEngine
from .errors import BackstageError, plain_error, workflow_service_error
from .query import (
    PROCESS_DEFINITION,
    PROCESS_INSTANCE,
    STATES,
    Pagination,
    check_paging,
    compile_filter,
    order_items,
    page_items,
)
from .seed import seed_history
from .source import render
from .timeutil import system_clock
from .users import EVERYONE, INSTANCE_ADMIN_VIEW, SERVICE, Principal, user_for_token
from .validation import (
    ENTITY_OVERVIEW_REQUEST,
    EXECUTE_REQUEST,
    RETRIGGER_REQUEST,
    SEARCH_REQUEST,
    validate_body,
    validate_query,
)

BASE_PATH = "/api/orchestrator"
JSON_TYPE = "application/json; charset=utf-8"

logger = logging.getLogger(__name__)


def json_response(data: Any, status: int = 200) -> Response:
    return Response(dumps(data), status_code=status, media_type=JSON_TYPE)


@dataclass
class Call:
    """One matched API call."""

    engine: DemoEngine
    params: dict[str, str]
    query: dict[str, str]
    body: Any
    principal: Principal = EVERYONE

    @property
    def initiator(self) -> str:
        """Who a run started by this call is recorded as run by."""
        return self.principal.entity_ref or self.engine.initiator

    @property
    def sees_every_run(self) -> bool:
        return self.principal.decide(INSTANCE_ADMIN_VIEW, "read", None)["result"] == "ALLOW"

    def require_use(self, workflow_id: str) -> None:
        """403 as the router's ``UnauthorizedError`` (a ``NotAllowedError``): the message names nothing."""
        if not self.principal.may_use(workflow_id):
            raise BackstageError("Unauthorized", "NotAllowedError")

    def require_ownership(self, run: Any) -> None:
        """``assertInstanceOwnership``: without the instance admin view, only one's own runs."""
        if self.sees_every_run:
            return
        if run.initiator is None:
            raise BackstageError(
                f"Workflow instance {run.id} does not have ownership information recorded. "
                "The 'orchestrator.instanceAdminView' permission is required to view it.",
                "NotAllowedError",
            )
        if run.initiator != self.initiator:
            raise BackstageError(
                f"Workflow instance {run.id} was initiated by '{run.initiator}', not by you ('{self.initiator}'). "
                "The 'orchestrator.instanceAdminView' permission is required to view it.",
                "NotAllowedError",
            )


Handler = Callable[[Call], Response]


@dataclass(frozen=True)
class Operation:
    operation_id: str
    method: str
    template: tuple[str, ...]
    handler: Handler
    body_schema: Mapping[str, Any] | None = None
    query: Mapping[str, str] = field(default_factory=dict)

    @property
    def specificity(self) -> int:
        return sum(1 for part in self.template if part.startswith("{"))

    def match(self, method: str, segments: list[str]) -> dict[str, str] | None:
        if method != self.method or len(segments) != len(self.template):
            return None
        params: dict[str, str] = {}
        for expected, actual in zip(self.template, segments, strict=True):
            if expected.startswith("{"):
                if not actual:
                    return None
                params[expected[1:-1]] = unquote(actual)
            elif expected != actual:
                return None
        return params


# ----------------------------------------------------------------------------------- handlers


def _json_body(call: Call) -> Mapping[str, Any]:
    return call.body if isinstance(call.body, Mapping) else {}


def _list_instances(call: Call, workflow_id: str | None) -> Response:
    engine = call.engine
    body = _json_body(call)
    now = engine.now()
    accessor = RunAccessor(engine, now)
    pagination = Pagination.from_body(body)
    predicate = compile_filter(body.get("filters"), PROCESS_INSTANCE, accessor)
    ordering = replace(pagination, sort_field=pagination.sort_field or "start")
    check_paging(pagination, PROCESS_INSTANCE)
    runs = engine.runs_of(workflow_id)
    if workflow_id is None and not call.sees_every_run:
        # buildInstanceOwnershipFilter: variables.initiatorEntity EQ the caller (8.13.2 does this for
        # the all-runs list only, not for one workflow's runs).
        mine = call.initiator
        runs = [run for run in runs if run.initiator == mine]
    selected = runs if predicate is None else [run for run in runs if predicate(run)]
    ordered = order_items(selected, ordering, PROCESS_INSTANCE, accessor, presorted_by="start")
    page = page_items(ordered, pagination, PROCESS_INSTANCE)
    items = ",".join(list_item_json(engine, run, now) for run in page)
    payload = f'{{"totalCount":{len(selected)},"items":[{items}],"paginationInfo":{dumps(pagination.info())}}}'
    return Response(payload, media_type=JSON_TYPE)


def get_instances(call: Call) -> Response:
    return _list_instances(call, None)


def get_workflow_instances(call: Call) -> Response:
    return _list_instances(call, call.params["workflowId"])


def get_workflows_overview(call: Call) -> Response:
    engine = call.engine
    body = _json_body(call)
    now = engine.now()
    accessor = WorkflowAccessor()
    pagination = Pagination.from_body(body)
    predicate = compile_filter(body.get("filters"), PROCESS_DEFINITION, accessor)
    workflows = [wf for wf in engine.workflows.values() if predicate is None or predicate(wf)]
    ordered = order_items(workflows, pagination, PROCESS_DEFINITION, accessor)
    page = page_items(ordered, pagination, PROCESS_DEFINITION)
    return json_response(
        {
            "overviews": [overview_dto(engine, wf, engine.runs_of(wf.id), now) for wf in page],
            "paginationInfo": pagination.info(),
        }
    )


def get_workflows_overview_for_entity(call: Call) -> Response:
    engine = call.engine
    body = _json_body(call)
    target = body.get("targetEntity")
    combined: list[str] | None = body.get("annotationWorkflowIds")
    if target:
        from_runs = list(dict.fromkeys(run.workflow_id for run in engine.runs_of() if run.target == target))
        if from_runs:
            if combined is None:
                raise BackstageError(
                    "undefined is not iterable (cannot read property Symbol(Symbol.iterator))", "TypeError"
                )
            combined = list(dict.fromkeys([*combined, *from_runs]))
    if combined is None:
        raise BackstageError("Cannot read properties of undefined (reading 'length')", "TypeError")
    if not combined:
        return json_response({"overviews": []})
    wanted = set(combined)
    now = engine.now()
    overviews = []
    for workflow in engine.workflows.values():
        if workflow.id not in wanted:
            continue
        runs = engine.runs_of(workflow.id)
        if target:
            runs = [run for run in runs if run.target == target]
        overviews.append(overview_dto(engine, workflow, runs, now))
    return json_response({"overviews": overviews, "paginationInfo": {}})


def _workflow(call: Call, message: str) -> DemoWorkflow:
    workflow_id = call.params["workflowId"]
    workflow = call.engine.workflows.get(workflow_id)
    if workflow is None:
        raise plain_error(message.format(workflow_id))
    return workflow


def get_workflow_overview(call: Call) -> Response:
    workflow = _workflow(call, "Couldn't fetch workflow overview for {}")
    engine = call.engine
    return json_response(overview_dto(engine, workflow, engine.runs_of(workflow.id), engine.now()))


def get_workflow_source(call: Call) -> Response:
    workflow = _workflow(call, "Couldn't fetch workflow source for {}")
    return Response(render(workflow), media_type="text/plain; charset=utf-8")


def get_workflow_input_schema(call: Call) -> Response:
    workflow = _workflow(call, "Failed to fetch workflow info for workflow {}")
    engine = call.engine
    schema = workflow.input_schema
    if schema is None:
        return json_response({})
    if not workflow.available:
        raise workflow_service_error(
            "GET", workflow.management_url, workflow.unavailable_status, workflow.unavailable_reason
        )
    properties = schema.get("properties")
    if not properties:
        return json_response({})
    answer: dict[str, Any] = {"inputSchema": schema}
    instance_id = call.query.get("instanceId")
    if instance_id:
        run = engine.get(instance_id)
        if run is not None:
            data = engine.workflowdata(run, engine.now())
            answer["data"] = {key: data[key] for key in properties if key in data}
    return json_response(answer)


def ping_workflow_service(call: Call) -> Response:
    workflow = _workflow(call, "Couldn't fetch workflow definition for {}")
    return json_response(workflow.availability())


def get_instance(call: Call) -> Response:
    engine = call.engine
    run = engine.require(call.params["instanceId"])
    call.require_ownership(run)
    return json_response(instance_dto(engine, run, engine.now(), full=True))


def get_instance_logs(call: Call) -> Response:
    engine = call.engine
    if not engine.logs_enabled:
        raise plain_error("No log provider setup")
    run = engine.require(call.params["instanceId"])
    if not call.sees_every_run and run.initiator != call.initiator:
        # The logs route checks ownership with a plain Error: a 500, not a 403.
        raise plain_error(f"Workflow instance {run.id} was not initiated by you ('{call.initiator}')")
    return json_response(logs_dto(engine, run, engine.now()))


def get_workflow_statuses(call: Call) -> Response:
    return json_response([{"key": state.capitalize(), "value": state} for state in STATES])


def execute_workflow(call: Call) -> Response:
    engine = call.engine
    body = _json_body(call)
    workflow = _workflow(call, "Couldn't fetch workflow definition for {}")
    call.require_use(workflow.id)
    inputs = body.get("inputData")
    if isinstance(inputs, Mapping) and inputs.get("isEvent") is True:
        raise plain_error(
            f"Workflow {workflow.id} cannot be triggered by an event: no Kafka connection is configured "
            "(orchestrator.kafka)"
        )
    run = engine.execute(workflow.id, inputs, target=body.get("targetEntity"), initiator=call.initiator)
    return json_response({"id": run.id})


def retrigger_instance(call: Call) -> Response:
    call.require_use(call.params["workflowId"])
    call.engine.retrigger(call.params["workflowId"], call.params["instanceId"])
    return Response(b"", media_type=JSON_TYPE)


def abort_workflow(call: Call) -> Response:
    instance_id = call.params["instanceId"]
    call.require_use(call.engine.require(instance_id).workflow_id)
    call.engine.abort(instance_id)
    return json_response(f"Workflow instance {instance_id} successfully aborted")


def _template(path: str) -> tuple[str, ...]:
    return tuple(path.strip("/").split("/"))


OPERATIONS: list[Operation] = sorted(
    [
        Operation(
            "getWorkflowsOverview", "POST", _template("/v2/workflows/overview"), get_workflows_overview, SEARCH_REQUEST
        ),
        Operation(
            "getWorkflowsOverviewForEntity",
            "POST",
            _template("/v2/workflows/overview/entity"),
            get_workflows_overview_for_entity,
            ENTITY_OVERVIEW_REQUEST,
        ),
        Operation(
            "getWorkflowOverviewById", "GET", _template("/v2/workflows/{workflowId}/overview"), get_workflow_overview
        ),
        Operation("getWorkflowSourceById", "GET", _template("/v2/workflows/{workflowId}/source"), get_workflow_source),
        Operation(
            "getWorkflowInputSchemaById",
            "GET",
            _template("/v2/workflows/{workflowId}/inputSchema"),
            get_workflow_input_schema,
            query={"instanceId": "string"},
        ),
        Operation(
            "pingWorkflowServiceById",
            "GET",
            _template("/v2/workflows/{workflowId}/pingWorkflowService"),
            ping_workflow_service,
        ),
        Operation("getInstances", "POST", _template("/v2/workflows/instances"), get_instances, SEARCH_REQUEST),
        Operation(
            "getWorkflowInstances",
            "POST",
            _template("/v2/workflows/{workflowId}/instances"),
            get_workflow_instances,
            SEARCH_REQUEST,
        ),
        Operation("getWorkflowStatuses", "GET", _template("/v2/workflows/instances/statuses"), get_workflow_statuses),
        Operation("getInstanceById", "GET", _template("/v2/workflows/instances/{instanceId}"), get_instance),
        Operation(
            "getWorkflowLogById",
            "GET",
            _template("/v2/workflows/instances/{instanceId}/logs"),
            get_instance_logs,
            query={"rawlog": "boolean"},
        ),
        Operation(
            "executeWorkflow",
            "POST",
            _template("/v2/workflows/{workflowId}/execute"),
            execute_workflow,
            EXECUTE_REQUEST,
        ),
        Operation(
            "retriggerInstance",
            "POST",
            _template("/v2/workflows/{workflowId}/{instanceId}/retrigger"),
            retrigger_instance,
            RETRIGGER_REQUEST,
        ),
        Operation("abortWorkflow", "DELETE", _template("/v2/workflows/instances/{instanceId}/abort"), abort_workflow),
    ],
    key=lambda operation: operation.specificity,
)


# ----------------------------------------------------------------------------------- dispatch


class _BodyError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _parse_json_body(raw: bytes, content_type: str) -> Any:
    """What ``express.json()`` leaves in ``req.body``: ``{}`` unless a JSON body was sent."""
    media = content_type.split(";", 1)[0].strip().lower()
    if not raw.strip() or not (media == "application/json" or media.endswith("+json")):
        return {}
    text = raw.decode("utf-8", errors="replace").strip()
    if text[0] not in "{[":
        raise _BodyError(f"Unexpected token '{text[0]}', \"{text[:20]}\" is not valid JSON")
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise _BodyError(f"Unexpected token in JSON at position {exc.pos}") from None


class Dispatcher:
    """Routes requests below ``/api/orchestrator`` to the operations."""

    def __init__(self, engine: DemoEngine, token: str | None) -> None:
        self.engine = engine
        self.token = token

    @staticmethod
    def _error(request: Request, name: str, message: str, status: int) -> Response:
        url = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return json_response(
            {
                "error": {"name": name, "message": message},
                "request": {"method": request.method, "url": url},
                "response": {"statusCode": status},
            },
            status,
        )

    def _authenticate(self, request: Request) -> Principal | Response:
        """The caller, or the 401 answer: a named demo user by their token; without a configured
        token anyone else may do everything, with one only that token (a service principal) may."""
        header = request.headers.get("authorization", "")
        scheme, _, credentials = header.partition(" ")
        token = credentials.strip() if scheme.lower() == "bearer" else ""
        if self.token is not None and token == self.token:
            return SERVICE
        user = user_for_token(token) if token else None
        if user is not None:
            return user
        if token.startswith("demo-"):
            return self._error(request, "AuthenticationError", "Unknown demo user token", 401)
        if self.token is None:
            return EVERYONE
        if not token:
            return self._error(request, "AuthenticationError", "Missing credentials", 401)
        return self._error(request, "AuthenticationError", "Invalid token", 401)

    async def handle(self, request: Request) -> Response:
        raw_path = request.scope.get("raw_path") or request.url.path.encode()
        path = raw_path.split(b"?", 1)[0].decode("latin-1")
        if form_api.serves(path):
            caller = self._authenticate(request)
            return caller if isinstance(caller, Response) else await form_api.handle(request, path)
        if entities.serves(path) or path == permission_api.PATH:
            return await self._core_api(request, path)
        if path != BASE_PATH and not path.startswith(BASE_PATH + "/"):
            return self._error(request, "NotFoundError", f"No route for {request.method} {path}", 404)
        sub_path = path[len(BASE_PATH) :] or "/"
        if sub_path.rstrip("/") == "/health" and request.method == "GET":
            return json_response({"status": "ok"})
        principal = EVERYONE
        if not sub_path.startswith(("/static", "/docs")):
            caller = self._authenticate(request)
            if isinstance(caller, Response):
                return caller
            principal = caller
        segments = sub_path.rstrip("/").strip("/").split("/") if sub_path.strip("/") else []
        for operation in OPERATIONS:
            params = operation.match(request.method, segments)
            if params is not None:
                return await self._run(operation, params, request, principal)
        return json_response({"err": f"{sub_path} path not found"}, 404)

    async def _core_api(self, request: Request, path: str) -> Response:
        """The catalog and the permission backend: Backstage core plugins, same error middleware."""
        caller = self._authenticate(request)
        if isinstance(caller, Response):
            return caller
        try:
            if path == permission_api.PATH:
                if request.method != "POST":
                    raise BackstageError(f"No route for {request.method} {path}", "NotFoundError")
                try:
                    body = _parse_json_body(await request.body(), request.headers.get("content-type", ""))
                except _BodyError as exc:
                    raise BackstageError(exc.message, "InputError") from None
                return json_response(permission_api.authorize(caller, body))
            return json_response(entities.handle(request, path))
        except BackstageError as exc:
            return self._error(request, exc.name, exc.message, exc.status)

    async def _run(
        self, operation: Operation, params: dict[str, str], request: Request, principal: Principal = EVERYONE
    ) -> Response:
        query_items = request.query_params.multi_items()
        errors = validate_query(operation.query, query_items)
        body: Any = {}
        if operation.body_schema is not None:
            try:
                body = _parse_json_body(await request.body(), request.headers.get("content-type", ""))
            except _BodyError as exc:
                return self._error(request, "SyntaxError", exc.message, 400)
            errors = errors or validate_body(operation.body_schema, body)
        if errors:
            return json_response({"err": errors}, 400)
        call = Call(self.engine, params, dict(query_items), body, principal)
        try:
            return operation.handler(call)
        except BackstageError as exc:
            return self._error(request, exc.name, exc.message, exc.status)
        except Exception as exc:  # an unexpected failure still answers like the real middleware
            logger.exception("demo orchestrator: %s failed", operation.operation_id)
            return self._error(request, type(exc).__name__, str(exc), 500)


def create_app(
    *,
    seed_runs: int = 60,
    seed: int = 7,
    clock: Callable[[], datetime] | None = None,
    workflows: list[DemoWorkflow] | None = None,
    token: str | None = None,
    logs_enabled: bool = True,
    initiator: str | None = None,
    chaos: Chaos | None = None,
    hostile: bool = False,
) -> Any:
    """Build the demo orchestrator.

    ``clock`` returns an aware UTC datetime (default: real time); seeded history is laid out
    backwards from its reading at creation. ``workflows`` replaces the default catalogue.
    With ``token`` set, every API call needs ``Authorization: Bearer <token>``; runs started by
    such calls are attributed to ``user:default/system`` as a static external-access token would
    be, otherwise to ``user:default/guest`` (``initiator`` overrides both). Either way the named
    demo users' tokens (``demo-admin``, ``demo-developer``, ``demo-viewer``, see :mod:`.users`) are
    accepted too, with their own rights. ``logs_enabled=False`` behaves like a backend without a
    log provider. The engine is ``app.state.demo``.

    ``chaos`` injects faults into API answers (:mod:`.chaos`; the plan is ``app.state.chaos``);
    ``hostile`` puts hostile text in everything the demo shows (:mod:`.hostile`).
    """
    catalogue = list(DEFAULT_WORKFLOWS if workflows is None else workflows)
    if hostile:
        catalogue = hostile_workflows(catalogue)
    engine = DemoEngine(
        catalogue,
        clock or system_clock,
        seed=seed,
        logs_enabled=logs_enabled,
        initiator=initiator or (SERVICE_INITIATOR if token is not None else DEFAULT_INITIATOR),
    )
    seed_history(engine, seed_runs, seed)
    dispatcher = Dispatcher(engine, token)
    methods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]
    app = Starlette(routes=[Route("/{path:path}", dispatcher.handle, methods=methods)])
    app.state.demo = engine
    app.state.chaos = chaos
    if hostile:
        make_hostile(app)
    if chaos is None:
        return app
    wrapped = ChaosMiddleware(app, chaos)
    wrapped.state = app.state  # type: ignore[attr-defined]
    return wrapped
