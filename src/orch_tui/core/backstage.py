"""Backend adapter for the Backstage Orchestrator plugin, REST API v2.

It speaks to the real backend as 8.13.2 behaves: error bodies in three
shapes, a bare ``[]`` for "no visible runs", ping as an object, abort as a
JSON string, retrigger with an empty body, and ascending order unless asked.

Beside the orchestrator plugin it asks two core Backstage APIs on the same backend: the
catalog (``/api/catalog``: entities by name and by query) and the permission backend
(``/api/permission/authorize``).  Built ``read_only``, it refuses to send any mutating request
(execute, retrigger, abort, or any other non-read method) and raises
:class:`~orch_tui.core.errors.ReadOnly` instead.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import httpx

from orch_tui.core import errors
from orch_tui.core.backend import BackendInfo, OnePageSession, RunPage
from orch_tui.core.catalog import CatalogEntity, entity_from_json, entity_workflows, lookup_entity
from orch_tui.core.engine import EngineState
from orch_tui.core.entity import EntityRef
from orch_tui.core.entity_overview import EntityOverview, catalog_overview
from orch_tui.core.filters import SearchRequest
from orch_tui.core.http import ApiClient, RequestListener, api_url
from orch_tui.core.http import json_of as _json
from orch_tui.core.http import parse as _parse
from orch_tui.core.http import seg as _seg
from orch_tui.core.http import transport_reason as _transport_reason
from orch_tui.core.models import (
    AuthToken,
    ExecuteRequest,
    ExecuteResponse,
    InputSchemaResponse,
    PaginationInfo,
    ProcessInstance,
    ProcessInstanceList,
    StatusOption,
    WorkflowAvailability,
    WorkflowLogs,
    WorkflowOverview,
    WorkflowOverviewList,
)
from orch_tui.core.permissions import (
    WORKFLOW_READ,
    WORKFLOW_USE,
    Decision,
    PermissionDecision,
    PermissionRequest,
)

if TYPE_CHECKING:
    from orch_tui.core.forms.dynamic import FormEnvironment, FormResponse, PreparedRequest


PLUGIN_PATH = "/api/orchestrator"
CATALOG_PATH = "/api/catalog"
PERMISSION_PATH = "/api/permission"
DEFAULT_TIMEOUT = 15.0
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
READ_POSTS = (
    re.compile(r"/v2/workflows/overview(/entity)?"),
    re.compile(r"/v2/workflows/instances"),
    re.compile(r"/v2/workflows/[^/]+/instances"),
    re.compile(re.escape(PERMISSION_PATH) + r"/authorize"),
)
"""POSTs that only read: searches, and asking the permission backend."""
ENTITY_FIELDS = (
    "kind,metadata.name,metadata.namespace,metadata.title,metadata.description,"
    "metadata.annotations,spec.owner,spec.type"
)


def plugin_base_url(url: str) -> str:
    """Accept the Backstage backend root or the plugin URL; return the plugin URL.

    ``http://host:7007`` and ``http://host:7007/api/orchestrator/`` both give
    ``http://host:7007/api/orchestrator``.  A base path prefix is kept.
    """
    return api_url(url, PLUGIN_PATH, "backend")


def error_from_response(
    response: httpx.Response, *, permission: str | None = None, resource: str | None = None
) -> errors.OrchError:
    """Turn an HTTP error response into a typed error carrying the backend's own message.

    A 403 names the permission the backend's message names, else ``permission`` (what the
    operation needs: the real backend often says only "Unauthorized").
    """
    status = response.status_code
    message, name = _error_message(response)
    if not message:
        message = f"HTTP {status} {response.reason_phrase}".strip()
    if status == 401:
        return errors.Unauthorized(message, status=status)
    if status == 403:
        named = _permission_in(message)
        return errors.PermissionDenied(
            message, status=status, permission=named or permission, resource=resource if not named else None
        )
    if status == 404:
        return errors.NotFound(message, status=status)
    if status in (400, 409, 422):
        return errors.BadRequest(message, status=status)
    if name == "NotFoundError":
        return errors.NotFound(message, status=status)
    return errors.ServerError(message, status=status)


def _error_message(response: httpx.Response) -> tuple[str, str | None]:
    text = response.text
    try:
        body = json.loads(text) if text else None
    except ValueError:
        return text.strip()[:2000], None
    if isinstance(body, dict):
        inner = body.get("error")
        if isinstance(inner, dict):
            return str(inner.get("message") or inner.get("name") or ""), inner.get("name")
        if isinstance(inner, str):
            return inner, None
        if "err" in body:
            return _ajv_message(body["err"]), None
        if "message" in body:
            extra = body.get("additionalInfo")
            message = str(body["message"])
            return (f"{message} ({extra})" if extra else message), None
    if isinstance(body, str):
        return body, None
    return text.strip()[:2000], None


def _ajv_message(err: Any) -> str:
    if isinstance(err, str):
        return err
    if isinstance(err, list):
        lines = []
        for item in err:
            if isinstance(item, dict):
                where = item.get("instancePath") or item.get("path") or item.get("dataPath") or ""
                what = item.get("message") or json.dumps(item, sort_keys=True)
                lines.append(f"{where} {what}".strip())
            else:
                lines.append(str(item))
        return "; ".join(lines) or "invalid request"
    return json.dumps(err)


def _permission_in(message: str) -> str | None:
    for word in message.replace("'", " ").replace('"', " ").split():
        if word.startswith("orchestrator.") and len(word) > len("orchestrator."):
            return word.rstrip(".,;:)")
    return None


class BackstageBackend:
    """Async client for ``/api/orchestrator/v2``."""

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
        demo: bool = False,
        read_only: bool = False,
    ) -> None:
        self.base_url = plugin_base_url(url)
        self.read_only = read_only
        self.info = BackendInfo(
            kind="backstage",
            label=label or urlsplit(self.base_url).netloc,
            url=self.base_url,
            demo=demo,
            read_only=read_only,
        )
        self._token = token or None
        self._http = ApiClient(
            self.base_url, label=self.info.label, token=token, verify=verify, timeout=timeout,
            retries=retries, backoff=backoff, transport=transport,
        )
        self._client = self._http.client
        self._notify = self._http.notify

    def add_listener(self, listener: RequestListener) -> None:
        self._http.listeners.append(listener)

    async def aclose(self) -> None:
        await self._http.aclose()

    def set_read_only(self, read_only: bool) -> None:
        """Refuse (True) or send again (False) every mutating request from now on."""
        self.read_only = read_only
        self.info = replace(self.info, read_only=read_only)

    # -- transport ---------------------------------------------------------

    async def _request(
        self,
        method: str,
        path: str,
        *,
        json_body: Any = None,
        params: Any = None,
        idempotent: bool,
        permission: str | None = WORKFLOW_READ.name,
        resource: str | None = None,
    ) -> httpx.Response:
        """Send one call (retried when idempotent); ``permission`` is what a 403 is reported as needing."""
        self._refuse_if_read_only(method, path)
        return await self._http.call(
            method, path, json_body=json_body, params=params, idempotent=idempotent,
            error_of=lambda response: error_from_response(response, permission=permission, resource=resource),
        )

    def _refuse_if_read_only(self, method: str, path: str) -> None:
        """The read-only guard: nothing but reads leaves the client."""
        if not self.read_only or method.upper() in READ_METHODS:
            return
        plain = urlsplit(path).path if "://" in path else path
        # Absolute URLs (catalog, permissions) are compared below the backend's base path.
        below_root = plain.removeprefix(urlsplit(self.root_url).path) if "://" in path else plain
        if method.upper() == "POST" and any(pattern.fullmatch(below_root) for pattern in READ_POSTS):
            return
        raise errors.ReadOnly(f"This context is read-only: {method.upper()} {plain} was not sent.")

    async def _get_json(self, path: str, params: dict[str, str] | None = None) -> Any:
        response = await self._request("GET", path, params=params, idempotent=True)
        return _json(response)

    async def _search(self, path: str, request: SearchRequest | None) -> Any:
        body = request.to_json() if request is not None else {}
        response = await self._request("POST", path, json_body=body, idempotent=True)
        return _json(response)

    # -- workflows ---------------------------------------------------------

    async def list_workflows(self, request: SearchRequest | None = None) -> list[WorkflowOverview]:
        data = await self._search("/v2/workflows/overview", request)
        return _parse(WorkflowOverviewList, data).overviews

    async def list_workflows_for_entity(
        self, target_entity: str, annotation_workflow_ids: list[str]
    ) -> list[WorkflowOverview]:
        body = {"targetEntity": target_entity, "annotationWorkflowIds": list(annotation_workflow_ids)}
        response = await self._request("POST", "/v2/workflows/overview/entity", json_body=body, idempotent=True)
        return _parse(WorkflowOverviewList, _json(response)).overviews

    async def get_workflow(self, workflow_id: str) -> WorkflowOverview:
        data = await self._get_json(f"/v2/workflows/{_seg(workflow_id)}/overview")
        return _parse(WorkflowOverview, data)

    async def get_source(self, workflow_id: str) -> str:
        response = await self._request("GET", f"/v2/workflows/{_seg(workflow_id)}/source", idempotent=True)
        return response.text

    async def get_input_schema(self, workflow_id: str, instance_id: str | None = None) -> InputSchemaResponse:
        params = {"instanceId": instance_id} if instance_id else None
        data = await self._get_json(f"/v2/workflows/{_seg(workflow_id)}/inputSchema", params)
        return _parse(InputSchemaResponse, data)

    async def ping(self, workflow_id: str) -> WorkflowAvailability:
        data = await self._get_json(f"/v2/workflows/{_seg(workflow_id)}/pingWorkflowService")
        if isinstance(data, bool):
            return WorkflowAvailability(isAvailable=data)
        return _parse(WorkflowAvailability, data)

    # -- runs --------------------------------------------------------------

    async def list_runs(self, request: SearchRequest | None = None, *, workflow_id: str | None = None) -> RunPage:
        request = _with_default_order(request)
        path = f"/v2/workflows/{_seg(workflow_id)}/instances" if workflow_id else "/v2/workflows/instances"
        data = await self._search(path, request)
        if isinstance(data, list) and not data:
            # 8.13.2 answers a bare [] when the caller may see no workflow at all.
            return RunPage(items=[], total=0, pagination=request.paginationInfo)
        result = _parse(ProcessInstanceList, data)
        return RunPage(items=result.items, total=result.totalCount, pagination=result.paginationInfo)

    async def get_run(self, run_id: str) -> ProcessInstance:
        data = await self._get_json(f"/v2/workflows/instances/{_seg(run_id)}")
        return _parse(ProcessInstance, data)

    async def get_logs(self, run_id: str) -> WorkflowLogs:
        data = await self._get_json(f"/v2/workflows/instances/{_seg(run_id)}/logs")
        return _parse(WorkflowLogs, data)

    async def list_statuses(self) -> list[StatusOption]:
        data = await self._get_json("/v2/workflows/instances/statuses")
        if not isinstance(data, list):
            raise errors.MalformedResponse("Expected a list of statuses.")
        return [_parse(StatusOption, item) for item in data]

    # -- requests of the form's dynamic widgets ------------------------------

    @property
    def root_url(self) -> str:
        """The Backstage backend root (the plugin URL without ``/api/orchestrator``)."""
        return self.base_url[: -len(PLUGIN_PATH)]

    def form_environment(self) -> FormEnvironment:
        from orch_tui.core.forms.dynamic import FormEnvironment

        identity = {"token": self._token} if self._token else {}
        return FormEnvironment(backend_base_url=self.root_url, identity=identity)

    async def form_request(self, request: PreparedRequest) -> FormResponse:
        """Send a widget's request as the web console's fetch would: the Backstage token goes only
        to the Backstage backend itself, never to another host."""
        from orch_tui.core.forms.dynamic import FormResponse

        target = urlsplit(request.url)
        path = target.path or "/"
        body = request.body if request.method == "POST" and request.body is not None else None
        built = self._client.build_request(request.method, request.url, headers=request.headers, json=body)
        asked = {name.lower() for name in request.headers}
        if not _same_origin(request.url, self.root_url) and "authorization" not in asked:
            built.headers.pop("Authorization", None)
        started = time.perf_counter()
        try:
            response = await self._client.send(built)
        except httpx.TimeoutException as exc:
            self._notify(request.method, path, None, started, type(exc).__name__)
            raise errors.BackendTimeout(
                f"No answer from {target.netloc} within {self._client.timeout.read:g}s ({request.method} {path})."
            ) from None
        except (httpx.TransportError, OSError) as exc:
            self._notify(request.method, path, None, started, type(exc).__name__)
            raise errors.Unreachable(f"Cannot reach {target.netloc}: {_transport_reason(exc)}") from None
        self._notify(request.method, path, response.status_code, started, None)
        try:
            data: Any = response.json()
        except ValueError:
            data = response.text
        return FormResponse(response.status_code, data)

    def events(self) -> None:
        """The orchestrator plugin pushes no change hints: the console polls."""
        return None

    # -- permissions and catalog (core Backstage APIs on the same backend) ----

    async def authorize(self, requests: Sequence[PermissionRequest]) -> list[PermissionDecision]:
        """Ask ``POST /api/permission/authorize`` for every request in one call.

        A backend without the permission backend (404) allows everything, as Backstage's own
        clients do when the permission framework is off.
        """
        if not requests:
            return []
        items = []
        for index, request in enumerate(requests):
            item: dict[str, Any] = {"id": str(index), "permission": request.permission.to_json()}
            if request.resource_ref is not None and request.permission.resource_type:
                item["resourceRef"] = request.resource_ref
            items.append(item)
        try:
            response = await self._request(
                "POST", self.root_url + PERMISSION_PATH + "/authorize", json_body={"items": items},
                idempotent=True, permission=None,
            )
        except errors.NotFound:
            return [PermissionDecision(request, Decision.ALLOW) for request in requests]
        data = _json(response)
        answers = data.get("items") if isinstance(data, dict) else None
        if not isinstance(answers, list):
            raise errors.MalformedResponse("Expected {items: [...]} from the permission backend.")
        by_id = {str(a.get("id")): a.get("result") for a in answers if isinstance(a, dict)}
        decisions = []
        for index, request in enumerate(requests):
            result = by_id.get(str(index))
            if result not in ("ALLOW", "DENY", "CONDITIONAL"):
                raise errors.MalformedResponse(
                    f"The permission backend gave no decision for {request.permission.name}."
                )
            decisions.append(PermissionDecision(request, Decision(result)))
        return decisions

    async def get_entity(self, ref: EntityRef) -> CatalogEntity:
        url = f"{self.root_url}{CATALOG_PATH}/entities/by-name/{ref.catalog_path}"
        try:
            response = await self._request("GET", url, idempotent=True, permission="catalog.entity.read")
        except errors.NotFound as exc:
            raise errors.NotFound(f"{ref.target} is not in the catalog ({exc.message})", status=404) from None
        entity = entity_from_json(_json(response))
        if entity is None:
            raise errors.MalformedResponse(f"The catalog's answer for {ref.target} is not an entity.")
        return entity

    async def entity_overview(self, ref: EntityRef) -> EntityOverview:
        """The catalog entity (kind, namespace, owner, spec type and lifecycle, description, tags;
        its relations as parts) and its workflows: those its ``orchestrator.io/workflows``
        annotation names and those that already ran for it, an unavailable one blocked with the
        reason.  An entity the catalog lacks, or an annotation that cannot be read, is a note."""
        lookup = await lookup_entity(self, ref)
        _, workflows = await entity_workflows(self, ref, lookup)
        return catalog_overview(lookup, workflows)

    async def search_entities(
        self, text: str = "", *, kinds: Sequence[str] = (), limit: int = 50
    ) -> list[CatalogEntity]:
        """``GET /api/catalog/entities/by-query``: a full-text filter over name, title and owner."""
        params: list[tuple[str, str]] = [
            ("limit", str(limit)),
            ("orderField", "metadata.name,asc"),
            ("fields", ENTITY_FIELDS),
        ]
        if kinds:
            params.append(("filter", ",".join(f"kind={kind}" for kind in kinds)))
        if text.strip():
            params.append(("fullTextFilterTerm", text.strip()))
            params.append(("fullTextFilterFields", "metadata.name,metadata.title,spec.owner"))
        response = await self._request(
            "GET", f"{self.root_url}{CATALOG_PATH}/entities/by-query", params=params, idempotent=True,
            permission="catalog.entity.read",
        )
        data = _json(response)
        items = data.get("items") if isinstance(data, dict) else None
        if not isinstance(items, list):
            raise errors.MalformedResponse("Expected {items: [...]} from the catalog.")
        return [entity for entity in (entity_from_json(item) for item in items) if entity is not None]

    # -- actions (never retried) --------------------------------------------

    def _refuse(self, what: str) -> None:
        if self.read_only:
            raise errors.ReadOnly(f"This context is read-only: runs cannot be {what} from it.")

    async def execute(
        self,
        workflow_id: str,
        input_data: dict[str, Any],
        *,
        target_entity: str | None = None,
        auth_tokens: list[AuthToken] | None = None,
    ) -> str:
        self._refuse("started")
        request = ExecuteRequest(inputData=input_data, authTokens=auth_tokens or None, targetEntity=target_entity)
        body = request.model_dump(mode="json", exclude_none=True)
        response = await self._request(
            "POST", f"/v2/workflows/{_seg(workflow_id)}/execute", json_body=body, idempotent=False,
            permission=WORKFLOW_USE.name, resource=workflow_id,
        )
        return _parse(ExecuteResponse, _json(response)).id

    async def retrigger(
        self, workflow_id: str, run_id: str, *, auth_tokens: list[AuthToken] | None = None
    ) -> None:
        self._refuse("retriggered")
        body: dict[str, Any] = {}
        if auth_tokens:
            body["authTokens"] = [t.model_dump(mode="json") for t in auth_tokens]
        await self._request(
            "POST", f"/v2/workflows/{_seg(workflow_id)}/{_seg(run_id)}/retrigger", json_body=body, idempotent=False,
            permission=WORKFLOW_USE.name, resource=workflow_id,
        )

    async def start_session(
        self,
        workflow_id: str,
        *,
        initial_data: dict[str, Any] | None = None,
        target_entity: str | None = None,
    ) -> OnePageSession:
        """One page: the input schema; submitting it executes the workflow."""
        return OnePageSession.for_backend(self, workflow_id, initial_data=initial_data, target_entity=target_entity)

    async def resume_session(self, run_id: str) -> OnePageSession:
        raise errors.BadRequest("The Backstage orchestrator has no runs that await input.")

    async def delete_run(self, run_id: str) -> None:
        raise errors.BadRequest("The Backstage orchestrator does not delete runs.")

    async def engine_status(self) -> EngineState:
        raise errors.BadRequest("The Backstage orchestrator reports no engine status.")

    async def retry_failed_tasks(self) -> int:
        raise errors.BadRequest("The Backstage orchestrator has no tasks: there are no failed tasks to retry.")

    async def abort(self, run_id: str) -> str:
        self._refuse("aborted")
        response = await self._request(
            "DELETE", f"/v2/workflows/instances/{_seg(run_id)}/abort", idempotent=False, permission=WORKFLOW_USE.name
        )
        text = response.text.strip()
        if not text:
            return f"Run {run_id} aborted"
        try:
            data = json.loads(text)
        except ValueError:
            return text
        return data if isinstance(data, str) else f"Run {run_id} aborted"


def _with_default_order(request: SearchRequest | None) -> SearchRequest:
    """The server sorts oldest first unless told otherwise: always say newest first."""
    request = request or SearchRequest()
    info = request.paginationInfo or PaginationInfo()
    info = info.model_copy(
        update={"orderBy": info.orderBy or "start", "orderDirection": info.orderDirection or "DESC"}
    )
    return request.model_copy(update={"paginationInfo": info})


def _same_origin(url: str, root: str) -> bool:
    """``url`` is on the Backstage backend: same scheme, host and port, below its base path."""
    a, b = urlsplit(url), urlsplit(root)
    if (a.scheme.lower(), a.netloc.lower()) != (b.scheme.lower(), b.netloc.lower()):
        return False
    base = b.path.rstrip("/")
    return not base or a.path == base or a.path.startswith(base + "/")
