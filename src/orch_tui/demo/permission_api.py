"""The demo's Backstage permission backend: ``POST /api/permission/authorize``.

Request ``{"items": [{"id", "permission": {"type", "name", "attributes", "resourceType"?},
"resourceRef"?}]}``; answer ``{"items": [{"id", "result": "ALLOW" | "DENY" | "CONDITIONAL", ...}]}``
in the same order.  A resource permission asked with a ``resourceRef`` is decided for that
resource (conditions applied, as the permission backend does); without one, a conditional policy
answers CONDITIONAL with its conditions.  Decisions come from :mod:`.users`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .errors import BackstageError
from .users import Principal

PATH = "/api/permission/authorize"


def _invalid(message: str) -> BackstageError:
    return BackstageError(f"Invalid request body: {message}", "InputError")


def authorize(principal: Principal, body: Any) -> dict[str, Any]:
    items = body.get("items") if isinstance(body, Mapping) else None
    if not isinstance(items, list):
        raise _invalid("items: Required")
    answers = []
    for index, item in enumerate(items):
        where = f"items.{index}"
        if not isinstance(item, Mapping):
            raise _invalid(f"{where}: Expected object")
        item_id = item.get("id")
        permission = item.get("permission")
        if not isinstance(item_id, str) or not item_id:
            raise _invalid(f"{where}.id: Required")
        if not isinstance(permission, Mapping) or not isinstance(permission.get("name"), str):
            raise _invalid(f"{where}.permission.name: Required")
        kind = permission.get("type")
        if kind not in ("basic", "resource"):
            raise _invalid(f"{where}.permission.type: Invalid discriminator value. Expected 'basic' | 'resource'")
        if kind == "resource" and not isinstance(permission.get("resourceType"), str):
            raise _invalid(f"{where}.permission.resourceType: Required")
        attributes = permission.get("attributes")
        if not isinstance(attributes, Mapping):
            raise _invalid(f"{where}.permission.attributes: Required")
        resource_ref = item.get("resourceRef")
        if resource_ref is not None and not isinstance(resource_ref, str):
            raise _invalid(f"{where}.resourceRef: Expected string")
        action = attributes.get("action") if isinstance(attributes.get("action"), str) else None
        decision = principal.decide(permission["name"], action, resource_ref if kind == "resource" else None)
        answers.append({"id": item_id, **decision})
    return {"items": answers}
