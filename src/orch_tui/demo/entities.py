"""A small Backstage software catalog for the demo: ``/api/catalog`` entities by name and by query.

Entities of several kinds; some carry the orchestrator's ``orchestrator.io/workflows``
annotation, one with a value that is not valid JSON (the form the plugin's own docs once
showed), one with an empty array.  The shapes follow the real catalog backend: an entity is
``{apiVersion, kind, metadata, spec, relations}``; ``GET /entities/by-query`` takes ``filter``
(repeatable; ``key=value`` pairs separated by commas, AND across keys, OR within a key, OR across
filters), ``fullTextFilterTerm`` / ``fullTextFilterFields`` (case-insensitive substring),
``orderField`` (``field,asc|desc``), ``fields``, ``limit``, ``offset`` and ``cursor``, and answers
``{items, totalItems, pageInfo: {nextCursor?, prevCursor?}}``.
"""

from __future__ import annotations

import base64
import json
import uuid
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from starlette.requests import Request

from .errors import BackstageError, not_found

PREFIX = "/api/catalog"
ANNOTATION = "orchestrator.io/workflows"
DEFAULT_LIMIT = 20


def _entity(
    kind: str,
    namespace: str,
    name: str,
    *,
    title: str | None = None,
    description: str | None = None,
    owner: str | None = None,
    spec_type: str | None = None,
    workflows: str | None = None,
    spec: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    metadata: dict[str, Any] = {
        "namespace": namespace,
        "name": name,
        "uid": str(uuid.uuid5(uuid.NAMESPACE_URL, f"orch-tui-demo:{kind}:{namespace}/{name}")),
        "annotations": {"backstage.io/managed-by-location": f"url:https://git.example.com/{name}/catalog-info.yaml"},
    }
    if title:
        metadata["title"] = title
    if description:
        metadata["description"] = description
    if workflows is not None:
        metadata["annotations"][ANNOTATION] = workflows
    body: dict[str, Any] = dict(spec or {})
    if spec_type:
        body["type"] = spec_type
    if owner:
        body["owner"] = owner
        if kind in ("Component", "System", "Resource", "API"):
            body.setdefault("lifecycle", "production")
    relations = [{"type": "ownedBy", "targetRef": owner}] if owner else []
    return {
        "apiVersion": "backstage.io/v1alpha1",
        "kind": kind,
        "metadata": metadata,
        "spec": body,
        "relations": relations,
    }


ENTITIES: tuple[dict[str, Any], ...] = (
    _entity(
        "Component", "default", "payments-api", title="Payments API", owner="group:default/payments",
        spec_type="service", description="Takes payments for the shop.",
        workflows='["greeting", "provision-environment", "flaky-deploy"]',
    ),
    _entity(
        "Component", "default", "checkout-web", title="Checkout", owner="group:default/payments",
        spec_type="website", description="The shop's checkout pages.",
        # Not JSON: the web UI's JSON.parse fails and its Workflows tab silently shows nothing.
        workflows="[deploy_to_staging,deploy_to_production]",
    ),
    _entity(
        "Component", "default", "search-indexer", owner="group:default/data", spec_type="service",
        description="Keeps the product search index fresh.",
    ),
    _entity(
        "Component", "default", "design-system", owner="group:default/platform", spec_type="library",
        description="Shared UI components.", workflows="[]",
    ),
    _entity(
        "Component", "platform", "ci-runner", title="CI runner", owner="group:default/platform",
        spec_type="service", description="Build agents.", workflows='["nightly-cleanup", "register-component"]',
    ),
    _entity(
        "System", "default", "payments", title="Payments", owner="group:default/payments",
        description="Everything that takes money.", workflows='["onboard-team"]',
    ),
    _entity(
        "Resource", "default", "orders-db", owner="group:default/data", spec_type="database",
        description="Orders (PostgreSQL).", workflows='["data-migration", "rotate-secrets"]',
    ),
    _entity(
        "API", "default", "payments-api", owner="group:default/payments", spec_type="openapi",
        description="The payments REST API.", spec={"definition": "openapi: 3.0.0"},
    ),
    _entity("Group", "default", "payments", title="Payments team", spec={"type": "team", "children": []}),
    _entity("Group", "default", "platform", title="Platform team", spec={"type": "team", "children": []}),
    _entity("Group", "default", "data", title="Data team", spec={"type": "team", "children": []}),
    _entity("User", "default", "alice", spec={"memberOf": ["group:default/platform"]}),
    _entity("User", "default", "bob", spec={"memberOf": ["group:default/payments"]}),
    _entity("User", "default", "carol", spec={"memberOf": ["group:default/data"]}),
)


def serves(path: str) -> bool:
    return path == PREFIX or path.startswith(PREFIX + "/")


def catalog_of(request: Request) -> Sequence[Mapping[str, Any]]:
    """The entities this app serves: ``app.state.entities`` when set (``--hostile`` sets it), else
    :data:`ENTITIES`."""
    app = request.scope.get("app")
    entities = getattr(getattr(app, "state", None), "entities", None)
    return ENTITIES if entities is None else entities


# ---------------------------------------------------------------------------------- queries


def _flatten(node: Any, prefix: str, into: dict[str, list[str]]) -> None:
    """The catalog's search table: every leaf under its dotted, lower-cased path."""
    if isinstance(node, Mapping):
        for key, value in node.items():
            _flatten(value, f"{prefix}.{key}".lower() if prefix else str(key).lower(), into)
    elif isinstance(node, list):
        for item in node:
            _flatten(item, prefix, into)
    elif node is not None:
        into.setdefault(prefix, []).append(str(node).lower())


def search_table(entity: Mapping[str, Any]) -> dict[str, list[str]]:
    table: dict[str, list[str]] = {}
    _flatten(entity, "", table)
    return table


def _parse_filter(text: str) -> dict[str, list[str] | None]:
    """``kind=component,kind=system,spec.owner=x`` → ``{kind: [...], spec.owner: [...]}``."""
    by_key: dict[str, list[str] | None] = {}
    for statement in text.split(","):
        if not statement.strip():
            continue
        key, equals, value = statement.partition("=")
        key = key.strip().lower()
        if not key:
            raise BackstageError(f"Invalid filter, {statement!r} is not a valid statement", "InputError")
        values = by_key.setdefault(key, [])
        if equals and values is not None:
            values.append(value.strip().lower())
    return {key: values or None for key, values in by_key.items()}


def _matches(table: Mapping[str, list[str]], conditions: Mapping[str, list[str] | None]) -> bool:
    for key, values in conditions.items():
        present = table.get(key)
        if present is None:
            return False
        if values is not None and not any(value in present for value in values):
            return False
    return True


def _project(entity: Mapping[str, Any], fields: Iterable[str]) -> dict[str, Any]:
    """Only the listed dotted fields (``metadata.name``), as the catalog's ``fields`` parameter does."""
    result: dict[str, Any] = {}
    for path in fields:
        parts = [part for part in path.strip().split(".") if part]
        source: Any = entity
        for part in parts:
            if not isinstance(source, Mapping) or part not in source:
                source = None
                break
            source = source[part]
        if source is None or not parts:
            continue
        target = result
        for part in parts[:-1]:
            target = target.setdefault(part, {})
        target[parts[-1]] = source
    return result


def _encode_cursor(state: Mapping[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(state, sort_keys=True).encode()).decode().rstrip("=")


def _decode_cursor(cursor: str) -> dict[str, Any]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        state = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except ValueError:
        raise BackstageError("Malformed cursor, could not be parsed", "InputError") from None
    if not isinstance(state, dict):
        raise BackstageError("Malformed cursor, could not be parsed", "InputError")
    return state


def _int(value: str | None, name: str, default: int) -> int:
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise BackstageError(f"Invalid {name} parameter {value!r}, expected a number", "InputError") from None
    if number < 0:
        raise BackstageError(f"Invalid {name} parameter {value!r}, must not be negative", "InputError")
    return number


def query_entities(request: Request, catalog: Sequence[Mapping[str, Any]] = ENTITIES) -> dict[str, Any]:
    params = request.query_params
    cursor = params.get("cursor")
    if cursor:
        state = _decode_cursor(cursor)
    else:
        order = params.get("orderField") or ""
        field, _, direction = order.partition(",")
        state = {
            "filters": params.getlist("filter"),
            "term": (params.get("fullTextFilterTerm") or "").strip().lower(),
            "termFields": [f.strip().lower() for f in (params.get("fullTextFilterFields") or "").split(",") if f.strip()],
            "orderField": field.strip().lower(),
            "orderDesc": direction.strip().lower() == "desc",
            "offset": _int(params.get("offset"), "offset", 0),
        }
    limit = _int(params.get("limit"), "limit", DEFAULT_LIMIT)
    fields = [f for value in params.getlist("fields") for f in value.split(",") if f.strip()]
    filters = [_parse_filter(text) for text in state.get("filters", [])]
    term: str = state.get("term", "")
    term_fields: list[str] = state.get("termFields") or [state.get("orderField") or "metadata.uid"]
    order_field: str = state.get("orderField", "")

    selected: list[tuple[dict[str, list[str]], Mapping[str, Any]]] = []
    for entity in catalog:
        table = search_table(entity)
        if filters and not any(_matches(table, f) for f in filters):
            continue
        if term and not any(term in value for f in term_fields for value in table.get(f, [])):
            continue
        selected.append((table, entity))
    if order_field:
        selected.sort(key=lambda pair: (not pair[0].get(order_field), pair[0].get(order_field, [""])[0]),
                      reverse=bool(state.get("orderDesc")))
    offset = int(state.get("offset", 0))
    page = selected[offset : offset + limit]
    page_info: dict[str, str] = {}
    if offset + limit < len(selected):
        page_info["nextCursor"] = _encode_cursor({**state, "offset": offset + limit})
    if offset > 0:
        page_info["prevCursor"] = _encode_cursor({**state, "offset": max(0, offset - limit)})
    items = [_project(entity, fields) if fields else entity for _, entity in page]
    return {"items": items, "totalItems": len(selected), "pageInfo": page_info}


def entity_by_name(
    kind: str, namespace: str, name: str, catalog: Sequence[Mapping[str, Any]] = ENTITIES
) -> Mapping[str, Any]:
    for entity in catalog:
        metadata = entity["metadata"]
        if (
            entity["kind"].lower() == kind.lower()
            and metadata["namespace"].lower() == namespace.lower()
            and metadata["name"].lower() == name.lower()
        ):
            return entity
    raise not_found(f"No entity named '{name}' found, with kind '{kind}' in namespace '{namespace}'")


def handle(request: Request, path: str) -> Any:
    """The JSON answer to a catalog request; raises :class:`BackstageError` (404 for unknown routes)."""
    from urllib.parse import unquote

    parts = [unquote(part) for part in path[len(PREFIX) :].split("/") if part]
    catalog = catalog_of(request)
    if request.method == "GET" and parts[:2] == ["entities", "by-name"] and len(parts) == 5:
        return entity_by_name(*parts[2:], catalog=catalog)
    if request.method == "GET" and parts == ["entities", "by-query"]:
        return query_entities(request, catalog)
    raise not_found(f"No route for {request.method} {path}")
