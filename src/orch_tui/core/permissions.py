"""The orchestrator's Backstage permissions, and what the console knows of the user's.

Backstage's permission backend answers ``POST /api/permission/authorize`` with ALLOW, DENY or,
for a resource permission asked without a resource, CONDITIONAL.  The orchestrator's resource
permissions (``orchestrator.workflow``, ``orchestrator.workflow.use``) are asked per workflow id
(their resource ref), so a conditional policy (``IS_ALLOWED_WORKFLOW_ID``) is answered with the
decision for that workflow.  The two admin views are basic permissions.

The web UI is optimistic (the backend denies what is not allowed); the console shows what it
knows and is optimistic about what it does not: an unknown decision allows.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

WORKFLOW_RESOURCE = "orchestrator-workflow"


@dataclass(frozen=True)
class Permission:
    name: str
    action: str
    """The permission's ``attributes.action``: read, create, update, delete."""
    resource_type: str | None = None
    """Set for resource permissions, which are decided per resource."""

    def to_json(self) -> dict[str, Any]:
        """The permission as Backstage's permission API carries it."""
        data: dict[str, Any] = {
            "type": "resource" if self.resource_type else "basic",
            "name": self.name,
            "attributes": {"action": self.action},
        }
        if self.resource_type:
            data["resourceType"] = self.resource_type
        return data


WORKFLOW_READ = Permission("orchestrator.workflow", "read", WORKFLOW_RESOURCE)
"""List and read workflows, their sources, schemas and runs."""
WORKFLOW_USE = Permission("orchestrator.workflow.use", "update", WORKFLOW_RESOURCE)
"""Run, retrigger and abort."""
WORKFLOW_ADMIN_VIEW = Permission("orchestrator.workflowAdminView", "read")
"""See workflow definitions and run variables."""
INSTANCE_ADMIN_VIEW = Permission("orchestrator.instanceAdminView", "read")
"""See every user's runs (filter by who ran them, run variables); without it, only one's own."""

KNOWN: dict[str, Permission] = {p.name: p for p in (WORKFLOW_READ, WORKFLOW_USE, WORKFLOW_ADMIN_VIEW, INSTANCE_ADMIN_VIEW)}


class Decision(str, enum.Enum):
    ALLOW = "ALLOW"
    DENY = "DENY"
    CONDITIONAL = "CONDITIONAL"


@dataclass(frozen=True)
class PermissionRequest:
    permission: Permission
    resource_ref: str | None = None
    """The resource a resource permission is asked about (a workflow id); None for basic ones."""

    @property
    def key(self) -> tuple[str, str | None]:
        return self.permission.name, self.resource_ref


@dataclass(frozen=True)
class PermissionDecision:
    request: PermissionRequest
    result: Decision


class PermissionSet:
    """The decisions the console has been given; what it was not given is allowed (optimistic)."""

    def __init__(self, decisions: Iterable[PermissionDecision] = ()) -> None:
        self._decisions: dict[tuple[str, str | None], Decision] = {}
        self.record(decisions)

    def record(self, decisions: Iterable[PermissionDecision]) -> None:
        for decision in decisions:
            self._decisions[decision.request.key] = decision.result

    def clear(self) -> None:
        self._decisions.clear()

    def __len__(self) -> int:
        return len(self._decisions)

    def decision(self, permission: Permission, resource_ref: str | None = None) -> Decision | None:
        """ALLOW or DENY when known for this resource (or for every resource); None otherwise."""
        found = self._decisions.get((permission.name, resource_ref))
        if found in (Decision.ALLOW, Decision.DENY):
            return found
        if resource_ref is not None:
            generic = self._decisions.get((permission.name, None))
            if generic in (Decision.ALLOW, Decision.DENY):
                return generic
        return None

    def known(self, permission: Permission, resource_ref: str | None = None) -> bool:
        return (permission.name, resource_ref) in self._decisions

    def allows(self, permission: Permission, resource_ref: str | None = None) -> bool:
        """False only when the backend said DENY."""
        return self.decision(permission, resource_ref) is not Decision.DENY

    def denial(self, permission: Permission, resource_ref: str | None = None) -> str | None:
        """Why the user cannot do what the permission guards, or None when they may (or nobody said)."""
        if self.allows(permission, resource_ref):
            return None
        return denial_reason(permission, resource_ref)

    def missing(self, requests: Iterable[PermissionRequest]) -> list[PermissionRequest]:
        """The requests whose answer is not known yet, each once."""
        wanted: dict[tuple[str, str | None], PermissionRequest] = {}
        for request in requests:
            if request.key not in self._decisions:
                wanted.setdefault(request.key, request)
        return list(wanted.values())


def denial_reason(permission: Permission, resource_ref: str | None = None) -> str:
    """``the permission policy denies you orchestrator.workflow.use for greeting``."""
    scope = f" for {resource_ref}" if resource_ref else ""
    return f"the permission policy denies you {permission.name}{scope}"


def console_requests(workflow_ids: Iterable[str]) -> list[PermissionRequest]:
    """What the console asks about: the admin views, and running each listed workflow."""
    requests = [PermissionRequest(WORKFLOW_ADMIN_VIEW), PermissionRequest(INSTANCE_ADMIN_VIEW)]
    requests.extend(PermissionRequest(WORKFLOW_USE, workflow_id) for workflow_id in dict.fromkeys(workflow_ids))
    return requests


__all__ = [
    "INSTANCE_ADMIN_VIEW",
    "KNOWN",
    "WORKFLOW_ADMIN_VIEW",
    "WORKFLOW_READ",
    "WORKFLOW_RESOURCE",
    "WORKFLOW_USE",
    "Decision",
    "Permission",
    "PermissionDecision",
    "PermissionRequest",
    "PermissionSet",
    "console_requests",
    "denial_reason",
]
