"""Who calls the demo orchestrator, and what the demo's permission policy lets them do.

Without a bearer token (or with a token the demo was not told about) the caller may do
everything, as before there were users.  Three named users are always available by token, each
a Backstage user principal with its own rights under an RBAC-like policy:

* ``demo-admin`` — ``user:default/alice``: everything; every user's runs, definitions, variables;
* ``demo-developer`` — ``user:default/bob``: runs every workflow but ``rotate-secrets`` and
  ``data-migration`` (a conditional policy); sees only the runs they started;
* ``demo-viewer`` — ``user:default/carol``: reads workflows, runs nothing, sees only their own runs.

``create_app(token=...)`` adds a static external-access token: a service principal that may do
everything and is recorded as ``user:default/system``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

WORKFLOW_READ = "orchestrator.workflow"
WORKFLOW_USE = "orchestrator.workflow.use"
WORKFLOW_ADMIN_VIEW = "orchestrator.workflowAdminView"
INSTANCE_ADMIN_VIEW = "orchestrator.instanceAdminView"
WORKFLOW_RESOURCE = "orchestrator-workflow"
ALLOWED_IDS_RULE = "IS_ALLOWED_WORKFLOW_ID"
TOKEN_PREFIX = "demo-"


@dataclass(frozen=True)
class Principal:
    """A caller: a user (with a policy) or everyone-may-do-everything."""

    name: str
    entity_ref: str | None
    """The user entity recorded as ``initiatorEntity``; None: the engine's default initiator."""
    description: str = ""
    runs_anything: bool = True
    denied_workflows: frozenset[str] = field(default_factory=frozenset)
    """Workflows this principal may not run (``orchestrator.workflow.use`` with a conditional policy)."""
    workflow_admin_view: bool = True
    instance_admin_view: bool = True

    @property
    def token(self) -> str:
        return TOKEN_PREFIX + self.name

    def decide(self, permission: str, action: str | None, resource_ref: str | None) -> dict[str, Any]:
        """The permission backend's answer (``result`` and, when conditional, the conditions)."""
        if permission == WORKFLOW_USE:
            if not self.runs_anything:
                return {"result": "DENY"}
            if not self.denied_workflows:
                return {"result": "ALLOW"}
            if resource_ref is None:
                return {
                    "result": "CONDITIONAL",
                    "pluginId": "orchestrator",
                    "resourceType": WORKFLOW_RESOURCE,
                    "conditions": {
                        "not": {
                            "rule": ALLOWED_IDS_RULE,
                            "resourceType": WORKFLOW_RESOURCE,
                            "params": {"workflowIds": sorted(self.denied_workflows)},
                        }
                    },
                }
            return {"result": "DENY" if resource_ref in self.denied_workflows else "ALLOW"}
        if permission == WORKFLOW_ADMIN_VIEW:
            return {"result": "ALLOW" if self.workflow_admin_view else "DENY"}
        if permission == INSTANCE_ADMIN_VIEW:
            return {"result": "ALLOW" if self.instance_admin_view else "DENY"}
        if permission == WORKFLOW_READ or action == "read":
            return {"result": "ALLOW"}
        return {"result": "ALLOW" if self.runs_anything and not self.denied_workflows else "DENY"}

    def may_use(self, workflow_id: str) -> bool:
        return self.decide(WORKFLOW_USE, "update", workflow_id)["result"] == "ALLOW"


EVERYONE = Principal("default", None, "no token: may do everything")
"""The caller without a token (the demo's behaviour before it had users)."""

SERVICE = Principal("service", None, "static external-access token: a service principal")

USERS: dict[str, Principal] = {
    user.name: user
    for user in (
        Principal("admin", "user:default/alice", "every permission"),
        Principal(
            "developer",
            "user:default/bob",
            "runs every workflow but rotate-secrets and data-migration; sees only their own runs",
            denied_workflows=frozenset({"rotate-secrets", "data-migration"}),
            workflow_admin_view=False,
            instance_admin_view=False,
        ),
        Principal(
            "viewer",
            "user:default/carol",
            "reads workflows and their own runs; cannot run, retrigger or abort",
            runs_anything=False,
            workflow_admin_view=False,
            instance_admin_view=False,
        ),
    )
}


def user_for_token(token: str) -> Principal | None:
    """The named demo user a ``demo-<name>`` token stands for."""
    if not token.startswith(TOKEN_PREFIX):
        return None
    return USERS.get(token[len(TOKEN_PREFIX) :])


__all__ = [
    "EVERYONE",
    "INSTANCE_ADMIN_VIEW",
    "SERVICE",
    "USERS",
    "WORKFLOW_ADMIN_VIEW",
    "WORKFLOW_READ",
    "WORKFLOW_USE",
    "Principal",
    "user_for_token",
]
