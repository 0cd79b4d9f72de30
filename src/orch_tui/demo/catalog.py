"""Workflow definitions served by the demo orchestrator.

A :class:`DemoWorkflow` describes everything the demo needs to impersonate a SonataFlow workflow
behind the Backstage Orchestrator plugin: its identity and metadata, its input schema (JSON Schema
draft-07 with the Orchestrator form's ``ui:*`` extensions), the ordered nodes a run walks through
and how long each takes, and what the run writes into ``workflowdata.result`` when it completes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

JsonObject = dict[str, Any]
ResultBuilder = Callable[["DemoWorkflow", Mapping[str, Any]], JsonObject]


@dataclass(frozen=True)
class DemoNode:
    """One node (SonataFlow state) of a workflow.

    ``duration`` is in seconds. A node with ``waits`` set is a sleep/event node: while a run sits
    in it, the execution summary says "Waiting at node ... since ...". A node with ``fails_with``
    fails with that message on a run's first attempt; a retrigger resumes at this node and succeeds
    (see :attr:`DemoWorkflow.failures_input` to fail more often).
    """

    name: str
    type: str = "ActionNode"
    duration: float = 0.5
    waits: bool = False
    fails_with: str | None = None


DEFAULT_NODES: tuple[DemoNode, ...] = (
    DemoNode("Start", "StartNode", 0.0),
    DemoNode("Run", "ActionNode", 1.5),
    DemoNode("End", "EndNode", 0.0),
)


@dataclass(frozen=True, eq=False)
class DemoWorkflow:
    """A workflow definition known to the demo orchestrator."""

    id: str
    name: str
    description: str = ""
    version: str = "1.0"
    format: Literal["yaml", "json"] = "yaml"
    input_schema: Mapping[str, Any] | None = None
    nodes: tuple[DemoNode, ...] = DEFAULT_NODES
    available: bool = True
    unavailable_status: int = 503
    unavailable_reason: str = "Service Unavailable"
    #: Inputs used for seeded history runs (one is picked per run).
    sample_inputs: tuple[Mapping[str, Any], ...] = ({},)
    #: Relative share of seeded history; ``0`` means the workflow has never run.
    seed_weight: float = 1.0
    #: Older definition versions some of the older seeded runs were made with.
    older_versions: tuple[str, ...] = ()
    annotations: tuple[str, ...] = ()
    #: Builds ``workflowdata.result`` on completion; ``None`` uses a generic result.
    result: ResultBuilder | None = None
    #: Input key holding how many attempts fail at the ``fails_with`` node (default 1).
    failures_input: str | None = None
    service_url: str | None = None

    def __post_init__(self) -> None:
        if not self.nodes:
            raise ValueError(f"workflow {self.id!r} needs at least one node")

    @property
    def url(self) -> str:
        """Base URL of the (pretend) SonataFlow service running this workflow."""
        return self.service_url or f"http://{self.id}.sonataflow-infra.svc.cluster.local:8080"

    @property
    def endpoint(self) -> str:
        return f"{self.url}/{self.id}"

    @property
    def management_url(self) -> str:
        return f"{self.url}/management/processes/{self.id}"

    def availability(self) -> JsonObject:
        """The ``pingWorkflowService`` answer for this workflow."""
        if self.available:
            return {"isAvailable": True, "statusCode": 200, "urlToFetch": self.management_url, "reason": "OK"}
        return {
            "isAvailable": False,
            "statusCode": self.unavailable_status,
            "urlToFetch": self.management_url,
            "reason": self.unavailable_reason,
        }

    def failing_node(self) -> int | None:
        for index, node in enumerate(self.nodes):
            if node.fails_with:
                return index
        return None

    def build_result(self, inputs: Mapping[str, Any]) -> JsonObject:
        builder = self.result or generic_result
        return builder(self, inputs)


# --------------------------------------------------------------------------------------------
# Results


def generic_result(workflow: DemoWorkflow, inputs: Mapping[str, Any]) -> JsonObject:
    """A result that exercises every output format: text, number, link and markdown."""
    steps = sum(1 for node in workflow.nodes if node.type not in ("StartNode", "EndNode"))
    return {
        "message": f"{workflow.name} finished successfully.",
        "outputs": [
            {"key": "Summary", "value": f"All {steps} steps of {workflow.name} completed", "format": "text"},
            {"key": "Steps executed", "value": steps, "format": "number"},
            {
                "key": "Workflow documentation",
                "value": f"https://docs.example.com/workflows/{workflow.id}",
                "format": "link",
            },
            {
                "key": "Report",
                "value": f"### {workflow.name}\n\n* inputs: {len(inputs)} field(s)\n* status: **done**",
                "format": "markdown",
            },
        ],
        "nextWorkflows": [],
    }


_GREETINGS = {"English": "Hello", "Spanish": "Hola", "French": "Bonjour", "German": "Hallo", "Italian": "Ciao"}


def _greeting_result(workflow: DemoWorkflow, inputs: Mapping[str, Any]) -> JsonObject:
    language = str(inputs.get("language") or "English")
    name = str(inputs.get("name") or "World")
    greeting = f"{_GREETINGS.get(language, 'Hello')}, {name}!"
    return {
        "message": greeting,
        "outputs": [
            {"key": "Greeting", "value": greeting, "format": "text"},
            {"key": "Characters", "value": len(greeting), "format": "number"},
            {
                "key": "Language reference",
                "value": f"https://en.wikipedia.org/wiki/{language}_language",
                "format": "link",
            },
            {"key": "Card", "value": f"> **{greeting}**\n>\n> _sent in {language}_", "format": "markdown"},
        ],
        "nextWorkflows": [
            {"id": "provision-environment", "name": "Provision environment"},
            {"id": "onboard-team", "name": "Onboard team"},
        ],
    }


def _section(inputs: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = inputs.get(key)
    return value if isinstance(value, Mapping) else {}


def _provision_result(workflow: DemoWorkflow, inputs: Mapping[str, Any]) -> JsonObject:
    project = _section(inputs, "project")
    environment = _section(inputs, "environment")
    name = str(project.get("name") or "my-project")
    tier = str(environment.get("tier") or "development")
    replicas = environment.get("replicas", 2)
    namespace = f"{name}-{tier}"
    return {
        "message": f"Environment **{namespace}** is ready.",
        "outputs": [
            {"key": "Namespace", "value": namespace, "format": "text"},
            {"key": "Replicas", "value": replicas if isinstance(replicas, int | float) else 2, "format": "number"},
            {"key": "Console", "value": f"https://console.example.com/k8s/ns/{namespace}", "format": "link"},
            {
                "key": "Next steps",
                "value": f"1. Deploy with `oc project {namespace}`\n2. Open the console\n3. Invite your team",
                "format": "markdown",
            },
        ],
        "nextWorkflows": [{"id": "flaky-deploy", "name": "Deploy to staging"}],
    }


def _deploy_result(workflow: DemoWorkflow, inputs: Mapping[str, Any]) -> JsonObject:
    service = str(inputs.get("service") or "payments-api")
    tag = str(inputs.get("imageTag") or "latest")
    return {
        "message": f"{service}:{tag} is live on staging.",
        "outputs": [
            {"key": "Image", "value": f"quay.io/example/{service}:{tag}", "format": "text"},
            {"key": "Smoke tests passed", "value": 42, "format": "number"},
            {"key": "Staging URL", "value": f"https://{service}.staging.example.com", "format": "link"},
            {
                "key": "Release notes",
                "value": f"## {service} {tag}\n\n- deployed by the orchestrator",
                "format": "markdown",
            },
        ],
        "nextWorkflows": [{"id": "notify-team", "name": "Notify team"}],
    }


# --------------------------------------------------------------------------------------------
# Input schemas

GREETING_SCHEMA: JsonObject = {
    "$schema": "http://json-schema.org/draft-07/schema#",
    "title": "Greeting",
    "description": "Choose the language and who to greet.",
    "type": "object",
    "properties": {
        "language": {
            "title": "Language",
            "description": "Language of the greeting",
            "type": "string",
            "enum": ["English", "Spanish", "French", "German", "Italian"],
            "default": "English",
        },
        "name": {
            "title": "Name",
            "description": "Who should be greeted",
            "type": "string",
            "minLength": 1,
            "maxLength": 64,
        },
    },
    "required": ["language"],
}

PROVISION_SCHEMA: JsonObject = {
    "$schema": "http://json-schema.org/draft-07/schema#",
    "title": "Provision environment",
    "type": "object",
    "ui:order": ["project", "environment", "credentials", "approval"],
    "properties": {
        "approval": {
            "title": "Production approval",
            "description": "Only needed for production environments.",
            "type": "object",
            "ui:hidden": {"when": "environment.tier", "is": ["development", "staging"]},
            "properties": {
                "approver": {"title": "Approver e-mail", "type": "string", "format": "email"},
                "changeTicket": {
                    "title": "Change ticket",
                    "type": "string",
                    "pattern": "^CHG[0-9]{6}$",
                    "ui:help": "Format CHG000123",
                },
            },
            "required": ["approver"],
        },
        "project": {
            "title": "Project",
            "type": "object",
            "properties": {
                "name": {
                    "title": "Project name",
                    "type": "string",
                    "pattern": "^[a-z][a-z0-9-]{2,30}$",
                    "ui:autofocus": True,
                },
                "owner": {"title": "Owner", "type": "string", "default": "group:default/platform"},
                "costCenter": {"title": "Cost center", "type": "string", "enum": ["CC-100", "CC-200", "CC-300"]},
            },
            "required": ["name", "owner"],
        },
        "environment": {
            "title": "Environment",
            "type": "object",
            "properties": {
                "tier": {
                    "title": "Tier",
                    "type": "string",
                    "enum": ["development", "staging", "production"],
                    "default": "development",
                },
                "region": {"title": "Region", "type": "string", "enum": ["eu-west-1", "us-east-1", "ap-south-1"]},
                "replicas": {"title": "Replicas", "type": "integer", "minimum": 1, "maximum": 10, "default": 2},
                "debug": {"title": "Enable debug logging", "type": "boolean", "default": False, "ui:hidden": True},
            },
            "required": ["tier", "region"],
        },
        "credentials": {
            "title": "Credentials",
            "type": "object",
            "properties": {
                "registryUser": {"title": "Registry user", "type": "string"},
                "registryPassword": {
                    "title": "Registry password",
                    "type": "string",
                    "ui:widget": "password",
                    "minLength": 8,
                },
            },
            "required": ["registryUser", "registryPassword"],
        },
    },
    "required": ["project", "environment", "credentials"],
}

REGISTER_COMPONENT_SCHEMA: JsonObject = {
    "$schema": "http://json-schema.org/draft-07/schema#",
    "title": "Register component",
    "type": "object",
    "properties": {
        "component": {"$ref": "#/$defs/component"},
        "owner": {"$ref": "#/definitions/entityRef", "title": "Owner"},
        "system": {"$ref": "#/definitions/entityRef", "title": "System"},
        "links": {"title": "Links", "type": "array", "items": {"$ref": "#/$defs/link"}},
    },
    "required": ["component", "owner"],
    "$defs": {
        "component": {
            "title": "Component",
            "type": "object",
            "properties": {
                "name": {"title": "Name", "type": "string", "pattern": "^[a-z0-9-]+$"},
                "type": {"title": "Type", "type": "string", "enum": ["service", "website", "library"]},
                "lifecycle": {
                    "title": "Lifecycle",
                    "type": "string",
                    "enum": ["experimental", "production", "deprecated"],
                    "default": "experimental",
                },
            },
            "required": ["name", "type"],
        },
        "link": {
            "type": "object",
            "properties": {
                "title": {"title": "Title", "type": "string"},
                "url": {"title": "URL", "type": "string", "format": "uri"},
            },
            "required": ["url"],
        },
    },
    "definitions": {
        "entityRef": {
            "type": "string",
            "description": "Entity reference such as group:default/platform",
            "pattern": "^[a-z]+:[a-z0-9-]+/[a-z0-9-]+$",
        }
    },
}

NOTIFY_SCHEMA: JsonObject = {
    "$schema": "http://json-schema.org/draft-07/schema#",
    "title": "Notify team",
    "type": "object",
    "properties": {
        "severity": {"title": "Severity", "type": "string", "enum": ["info", "warning", "critical"], "default": "info"},
        "message": {"title": "Message", "type": "string", "ui:widget": "textarea", "maxLength": 2000},
        "channel": {
            "title": "Channel",
            "oneOf": [
                {
                    "title": "Slack",
                    "type": "object",
                    "properties": {
                        "kind": {"type": "string", "const": "slack", "default": "slack"},
                        "channel": {"title": "Slack channel", "type": "string", "pattern": "^#[a-z0-9-]+$"},
                    },
                    "required": ["kind", "channel"],
                },
                {
                    "title": "E-mail",
                    "type": "object",
                    "properties": {
                        "kind": {"type": "string", "const": "email", "default": "email"},
                        "recipients": {
                            "title": "Recipients",
                            "type": "array",
                            "items": {"type": "string", "format": "email"},
                            "minItems": 1,
                        },
                    },
                    "required": ["kind", "recipients"],
                },
                {
                    "title": "PagerDuty",
                    "type": "object",
                    "properties": {
                        "kind": {"type": "string", "const": "pagerduty", "default": "pagerduty"},
                        "serviceKey": {"title": "Service key", "type": "string", "ui:widget": "password"},
                    },
                    "required": ["kind", "serviceKey"],
                },
            ],
        },
    },
    "required": ["message", "channel"],
}

ONBOARD_SCHEMA: JsonObject = {
    "$schema": "http://json-schema.org/draft-07/schema#",
    "title": "Onboard team",
    "type": "object",
    "properties": {
        "team": {"title": "Team name", "type": "string", "minLength": 2},
        "members": {
            "title": "Members",
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "properties": {
                    "name": {"title": "Full name", "type": "string"},
                    "email": {"title": "E-mail", "type": "string", "format": "email"},
                    "role": {
                        "title": "Role",
                        "type": "string",
                        "enum": ["developer", "maintainer", "owner"],
                        "default": "developer",
                    },
                },
                "required": ["name", "email"],
            },
        },
        "repositories": {
            "title": "Repositories",
            "type": "array",
            "items": {"type": "string", "pattern": "^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$"},
            "uniqueItems": True,
        },
        "tags": {
            "title": "Tags",
            "type": "array",
            "items": {"type": "string", "enum": ["backend", "frontend", "data", "platform", "security"]},
            "uniqueItems": True,
        },
    },
    "required": ["team", "members"],
}

MAINTENANCE_SCHEMA: JsonObject = {
    "$schema": "http://json-schema.org/draft-07/schema#",
    "title": "Schedule maintenance",
    "type": "object",
    "properties": {
        "system": {"title": "System", "type": "string", "enum": ["payments", "checkout", "search", "identity"]},
        "date": {"title": "Date", "type": "string", "format": "date"},
        "startsAt": {"title": "Starts at", "type": "string", "format": "date-time"},
        "durationHours": {"title": "Duration (hours)", "type": "number", "minimum": 0.5, "maximum": 12, "default": 2},
        "contact": {"title": "Contact e-mail", "type": "string", "format": "email"},
        "runbook": {"title": "Runbook", "type": "string", "format": "uri"},
        "notifyCustomers": {"title": "Notify customers", "type": "boolean", "default": True},
    },
    "required": ["system", "date", "contact"],
}

MIGRATION_SCHEMA: JsonObject = {
    "$schema": "http://json-schema.org/draft-07/schema#",
    "title": "Database migration",
    "type": "object",
    "properties": {
        "database": {"title": "Database", "type": "string", "enum": ["orders", "customers", "inventory"]},
        "targetVersion": {"title": "Target schema version", "type": "integer", "minimum": 1},
        "dryRun": {"title": "Dry run", "type": "boolean", "default": False},
    },
    "required": ["database", "targetVersion"],
}

DEPLOY_SCHEMA: JsonObject = {
    "$schema": "http://json-schema.org/draft-07/schema#",
    "title": "Deploy to staging",
    "type": "object",
    "properties": {
        "service": {"title": "Service", "type": "string", "enum": ["payments-api", "checkout-web", "search-indexer"]},
        "imageTag": {"title": "Image tag", "type": "string", "pattern": "^[A-Za-z0-9_.-]+$", "default": "latest"},
        "simulatedFailures": {
            "title": "Simulated failures",
            "description": "How many attempts fail at the Deploy step before it succeeds.",
            "type": "integer",
            "minimum": 0,
            "maximum": 3,
            "default": 1,
        },
    },
    "required": ["service"],
}

LEGACY_SYNC_SCHEMA: JsonObject = {
    "$schema": "http://json-schema.org/draft-07/schema#",
    "title": "Legacy CMDB sync",
    "type": "object",
    "properties": {
        "scope": {
            "title": "Scope",
            "type": "string",
            "enum": ["all", "changed-since-last-run"],
            "default": "changed-since-last-run",
        },
    },
}

ROTATE_SECRETS_SCHEMA: JsonObject = {
    "$schema": "http://json-schema.org/draft-07/schema#",
    "title": "Rotate secrets",
    "type": "object",
    "properties": {
        "vaultPath": {"title": "Vault path", "type": "string", "default": "secret/data/apps"},
        "newSecret": {"title": "New secret", "type": "string", "ui:widget": "password", "minLength": 12},
        "auth": {
            "title": "GitHub authentication",
            "type": "string",
            "ui:widget": "AuthRequester",
            "ui:props": {"authTokenDescriptors": [{"provider": "github", "tokenType": "oauth", "scope": "repo"}]},
            "omitFromWorkflowInput": True,
        },
    },
    "required": ["vaultPath", "newSecret"],
}


REPOSITORY_SCHEMA: JsonObject = {
    "$schema": "http://json-schema.org/draft-07/schema#",
    "title": "Create repository",
    "type": "object",
    "properties": {
        "team": {
            "title": "Team",
            "type": "string",
            "ui:widget": "ActiveDropdown",
            "ui:props": {
                "fetch:url": "$${{backend.baseUrl}}/api/proxy/demo/teams",
                "fetch:response:label": "teams.name",
                "fetch:response:value": "teams.id",
            },
        },
        "teamSummary": {
            "title": "About the team",
            "type": "string",
            "ui:widget": "ActiveText",
            "ui:props": {
                "ui:text": "**$${{fetch:response:name}}**: $${{fetch:response:count}} members, led by $${{fetch:response:lead}}.",
                "fetch:url": "/api/proxy/demo/teams/$${{current.team}}",
                "fetch:retrigger": ["current.team"],
                "fetch:error:ignoreUnready": True,
                "fetch:response:name": "name",
                "fetch:response:count": "$count(members)",
                "fetch:response:lead": "lead",
            },
        },
        "repository": {
            "title": "Repository name",
            "type": "string",
            "pattern": "^[a-z][a-z0-9-]*$",
            "ui:widget": "ActiveTextInput",
            "ui:help": "A free name is suggested for the team; the name is checked on Next.",
            "ui:props": {
                "fetch:url": "/api/proxy/demo/repositories?team=$${{current.team}}",
                "fetch:retrigger": ["current.team"],
                "fetch:error:ignoreUnready": True,
                "fetch:response:value": "suggested",
                "fetch:response:autocomplete": "existing",
                "validate:url": "/api/proxy/demo/validate/repository",
                "validate:method": "POST",
                "validate:body": {"team": "$${{current.team}}", "repository": "$${{current.repository}}"},
            },
        },
        "reviewers": {
            "title": "Reviewers",
            "type": "array",
            "items": {"type": "string"},
            "ui:widget": "ActiveMultiSelect",
            "ui:props": {
                "fetch:url": "/api/proxy/demo/teams/$${{current.team}}",
                "fetch:retrigger": ["current.team"],
                "fetch:error:ignoreUnready": True,
                "fetch:response:autocomplete": "members",
                "fetch:response:value": "lead",
                "fetch:response:mandatory": "lead",
                "ui:allowNewItems": True,
            },
        },
        "environment": {
            "title": "Deploy to",
            "type": "string",
            "enum": ["kubernetes", "vm"],
            "enumNames": ["Kubernetes", "Virtual machine"],
            "default": "kubernetes",
        },
        "environmentSchema": {
            "type": "string",
            "ui:widget": "SchemaUpdater",
            "ui:props": {
                "fetch:url": "/api/proxy/demo/environments/$${{current.environment}}/schema",
                "fetch:retrigger": ["current.environment"],
            },
        },
        "settings": {"type": "object", "ui:widget": "hidden", "properties": {}},
    },
    "required": ["team", "repository"],
}


# --------------------------------------------------------------------------------------------
# Catalogue


def _nodes(*nodes: DemoNode) -> tuple[DemoNode, ...]:
    return (DemoNode("Start", "StartNode", 0.0), *nodes, DemoNode("End", "EndNode", 0.0))


DEFAULT_WORKFLOWS: list[DemoWorkflow] = [
    DemoWorkflow(
        id="greeting",
        name="Greeting workflow",
        description="YAML based greeting workflow that says hello in the chosen language.",
        version="1.0",
        format="yaml",
        input_schema=GREETING_SCHEMA,
        nodes=_nodes(
            DemoNode("ChooseOnLanguage", "SplitNode", 0.3),
            DemoNode("GreetPerson", "ActionNode", 1.2),
            DemoNode("PrintGreeting", "ActionNode", 0.5),
        ),
        sample_inputs=(
            {"language": "English", "name": "Alice"},
            {"language": "Spanish", "name": "Bruno"},
            {"language": "French", "name": "Chloé"},
            {"language": "German"},
            {"language": "Italian", "name": "Dario"},
        ),
        seed_weight=3.0,
        older_versions=("0.9",),
        annotations=("workflow-type/demo",),
        result=_greeting_result,
    ),
    DemoWorkflow(
        id="provision-environment",
        name="Provision environment",
        description="Multi-step wizard that creates a namespace, database and networking for a project.",
        version="2.1.0",
        format="json",
        input_schema=PROVISION_SCHEMA,
        nodes=_nodes(
            DemoNode("Validate request", "ActionNode", 0.4),
            DemoNode("Create namespace", "WorkItemNode", 1.0),
            DemoNode("Provision resources", "SplitNode", 0.2),
            DemoNode("Create database", "WorkItemNode", 1.5),
            DemoNode("Configure networking", "WorkItemNode", 1.0),
            DemoNode("Notify owner", "ActionNode", 0.4),
        ),
        sample_inputs=(
            {
                "project": {"name": "checkout", "owner": "group:default/web", "costCenter": "CC-100"},
                "environment": {"tier": "development", "region": "eu-west-1", "replicas": 1},
                "credentials": {"registryUser": "robot$checkout", "registryPassword": "s3cr3t-pass"},
            },
            {
                "project": {"name": "payments", "owner": "group:default/payments"},
                "environment": {"tier": "production", "region": "us-east-1", "replicas": 4},
                "credentials": {"registryUser": "robot$payments", "registryPassword": "an0ther-pass"},
                "approval": {"approver": "cto@example.com", "changeTicket": "CHG004211"},
            },
            {
                "project": {"name": "search", "owner": "group:default/search", "costCenter": "CC-300"},
                "environment": {"tier": "staging", "region": "ap-south-1", "replicas": 2},
                "credentials": {"registryUser": "robot$search", "registryPassword": "yet-another"},
            },
        ),
        seed_weight=2.0,
        annotations=("workflow-type/infrastructure",),
        result=_provision_result,
    ),
    DemoWorkflow(
        id="register-component",
        name="Register component",
        description="Registers a component in the software catalog (schema uses $ref to $defs and definitions).",
        version="1.3",
        format="yaml",
        input_schema=REGISTER_COMPONENT_SCHEMA,
        nodes=_nodes(
            DemoNode("Validate entity", "ActionNode", 0.4),
            DemoNode("Open catalog pull request", "WorkItemNode", 1.2),
            DemoNode("Refresh catalog", "ActionNode", 0.6),
        ),
        sample_inputs=(
            {
                "component": {"name": "payments-api", "type": "service", "lifecycle": "production"},
                "owner": "group:default/payments",
                "links": [{"title": "Runbook", "url": "https://runbooks.example.com/payments"}],
            },
            {"component": {"name": "design-system", "type": "library"}, "owner": "group:default/web"},
        ),
        seed_weight=1.0,
    ),
    DemoWorkflow(
        id="notify-team",
        name="Notify team",
        description="Sends a notification to Slack, e-mail or PagerDuty (channel is a oneOf).",
        version="1.0.2",
        format="json",
        input_schema=NOTIFY_SCHEMA,
        nodes=_nodes(
            DemoNode("Select channel", "SplitNode", 0.2),
            DemoNode("Render message", "ActionNode", 0.4),
            DemoNode("Send notification", "WorkItemNode", 0.9),
        ),
        sample_inputs=(
            {"severity": "info", "message": "Release 4.2 is out", "channel": {"kind": "slack", "channel": "#releases"}},
            {
                "severity": "warning",
                "message": "Maintenance tonight",
                "channel": {"kind": "email", "recipients": ["ops@example.com", "sre@example.com"]},
            },
            {
                "severity": "critical",
                "message": "Checkout is down",
                "channel": {"kind": "pagerduty", "serviceKey": "pd-123"},
            },
        ),
        seed_weight=2.0,
    ),
    DemoWorkflow(
        id="onboard-team",
        name="Onboard team",
        description="Creates accounts and repository access for a new team (arrays of objects and strings).",
        version="1.1",
        format="yaml",
        input_schema=ONBOARD_SCHEMA,
        nodes=_nodes(
            DemoNode("Create group", "WorkItemNode", 0.6),
            DemoNode("Invite members", "ForEachNode", 1.2),
            DemoNode("Grant repository access", "WorkItemNode", 0.8),
            DemoNode("Send welcome mail", "ActionNode", 0.3),
        ),
        sample_inputs=(
            {
                "team": "payments",
                "members": [
                    {"name": "Alice Doe", "email": "alice@example.com", "role": "owner"},
                    {"name": "Bob Roe", "email": "bob@example.com"},
                ],
                "repositories": ["example/payments-api", "example/payments-ui"],
                "tags": ["backend", "security"],
            },
            {
                "team": "data",
                "members": [{"name": "Carol Poe", "email": "carol@example.com", "role": "maintainer"}],
                "tags": ["data"],
            },
        ),
        seed_weight=1.0,
    ),
    DemoWorkflow(
        id="schedule-maintenance",
        name="Schedule maintenance",
        description="Books a maintenance window and informs stakeholders (date, date-time, email and uri formats).",
        version="3.0.0",
        format="yaml",
        input_schema=MAINTENANCE_SCHEMA,
        nodes=_nodes(
            DemoNode("Check calendar", "WorkItemNode", 0.7),
            DemoNode("Book window", "ActionNode", 0.5),
            DemoNode("Notify stakeholders", "WorkItemNode", 0.8),
        ),
        sample_inputs=(
            {
                "system": "payments",
                "date": "2025-03-14",
                "startsAt": "2025-03-14T22:00:00Z",
                "durationHours": 2,
                "contact": "ops@example.com",
                "runbook": "https://runbooks.example.com/payments/maintenance",
                "notifyCustomers": True,
            },
            {"system": "search", "date": "2025-04-02", "contact": "search-team@example.com", "notifyCustomers": False},
        ),
        seed_weight=1.0,
    ),
    DemoWorkflow(
        id="nightly-cleanup",
        name="Nightly cleanup",
        description="Removes stale preview environments. Takes no input.",
        version="1.0",
        format="yaml",
        input_schema=None,
        nodes=_nodes(
            DemoNode("List preview environments", "WorkItemNode", 0.6),
            DemoNode("Delete stale environments", "ForEachNode", 1.4),
            DemoNode("Report", "ActionNode", 0.3),
        ),
        seed_weight=2.0,
    ),
    DemoWorkflow(
        id="data-migration",
        name="Database migration",
        description="Long-running schema migration with a replication wait (about half a minute).",
        version="2.0",
        format="yaml",
        input_schema=MIGRATION_SCHEMA,
        nodes=_nodes(
            DemoNode("Snapshot database", "WorkItemNode", 5.0),
            DemoNode("Migrate schema", "WorkItemNode", 6.0),
            DemoNode("Wait for replication", "TimerNode", 10.0, waits=True),
            DemoNode("Verify data", "ActionNode", 5.0),
            DemoNode("Switch traffic", "WorkItemNode", 3.0),
        ),
        sample_inputs=(
            {"database": "orders", "targetVersion": 42, "dryRun": False},
            {"database": "customers", "targetVersion": 7, "dryRun": True},
            {"database": "inventory", "targetVersion": 13},
        ),
        seed_weight=1.5,
    ),
    DemoWorkflow(
        id="flaky-deploy",
        name="Deploy to staging",
        description="Builds, tests and deploys a service. The deploy step fails first; retrigger it to recover.",
        version="1.4.1",
        format="json",
        input_schema=DEPLOY_SCHEMA,
        nodes=_nodes(
            DemoNode("Build image", "WorkItemNode", 1.0),
            DemoNode("Run tests", "WorkItemNode", 1.0),
            DemoNode(
                "Deploy",
                "WorkItemNode",
                1.0,
                fails_with=(
                    "Deployment to staging timed out: readiness probe failed for pod payments-api-7d9f6c (HTTP 503)"
                ),
            ),
            DemoNode("Smoke test", "ActionNode", 0.6),
        ),
        sample_inputs=(
            {"service": "payments-api", "imageTag": "v4.2.0", "simulatedFailures": 1},
            {"service": "checkout-web", "imageTag": "v1.9.3", "simulatedFailures": 1},
            {"service": "search-indexer", "imageTag": "2025.03.1", "simulatedFailures": 1},
        ),
        seed_weight=1.5,
        result=_deploy_result,
        failures_input="simulatedFailures",
    ),
    DemoWorkflow(
        id="legacy-sync",
        name="Legacy CMDB sync",
        description="Synchronises the legacy CMDB. Its service is currently down.",
        version="0.8",
        format="yaml",
        input_schema=LEGACY_SYNC_SCHEMA,
        nodes=_nodes(
            DemoNode("Export CMDB", "WorkItemNode", 1.0),
            DemoNode("Transform records", "ActionNode", 0.8),
            DemoNode("Import into catalog", "WorkItemNode", 1.0),
        ),
        available=False,
        unavailable_status=503,
        unavailable_reason="Service Unavailable",
        sample_inputs=({"scope": "all"}, {"scope": "changed-since-last-run"}),
        seed_weight=0.5,
    ),
    DemoWorkflow(
        id="rotate-secrets",
        name="Rotate secrets",
        description="Rotates application secrets in Vault. Has never been run.",
        version="0.3.0",
        format="json",
        input_schema=ROTATE_SECRETS_SCHEMA,
        nodes=_nodes(
            DemoNode("Generate secret", "ActionNode", 0.3),
            DemoNode("Write to Vault", "WorkItemNode", 0.8),
            DemoNode("Restart pods", "WorkItemNode", 1.2),
        ),
        sample_inputs=({"vaultPath": "secret/data/payments", "newSecret": "correct-horse-battery"},),
        seed_weight=0.0,
    ),
    DemoWorkflow(
        id="create-repository",
        name="Create repository",
        description="Creates a Git repository for a team; its form looks teams, names and settings up as you type.",
        version="1.1.0",
        format="yaml",
        input_schema=REPOSITORY_SCHEMA,
        nodes=_nodes(
            DemoNode("Create repository", "WorkItemNode", 0.8),
            DemoNode("Add reviewers", "ActionNode", 0.4),
            DemoNode("Configure environment", "WorkItemNode", 0.8),
        ),
        sample_inputs=({"team": "platform", "repository": "platform-service", "reviewers": ["alice"]},),
        seed_weight=0.0,
    ),
]
