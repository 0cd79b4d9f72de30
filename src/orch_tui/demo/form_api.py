"""Endpoints the demo's dynamic form widgets call, served like a Backstage proxy.

The ``create-repository`` demo workflow fetches its team list, team details, repository name
suggestions and the settings section of the chosen environment from here, and asks here whether
a repository name is free (``validate:url``).  Everything lives below ``/api/proxy/demo``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

PREFIX = "/api/proxy/demo"


@dataclass(frozen=True)
class Team:
    id: str
    name: str
    lead: str
    members: tuple[str, ...]
    repositories: tuple[str, ...]


TEAMS: tuple[Team, ...] = (
    Team("platform", "Platform Engineering", "alice", ("alice", "bob", "carol"), ("platform-api", "platform-docs")),
    Team("payments", "Payments", "dave", ("dave", "erin"), ("payments-api", "checkout-web", "ledger")),
    Team("data", "Data", "frank", ("frank", "grace", "heidi", "ivan"), ("search-indexer", "warehouse")),
)

REPOSITORY_NAME = re.compile(r"^[a-z][a-z0-9-]{2,39}$")

ENVIRONMENT_SETTINGS: dict[str, dict[str, Any]] = {
    "kubernetes": {
        "type": "object",
        "title": "Kubernetes settings",
        "properties": {
            "namespace": {"type": "string", "title": "Namespace", "pattern": "^[a-z0-9-]+$", "default": "apps"},
            "replicas": {"type": "integer", "title": "Replicas", "minimum": 1, "maximum": 10, "default": 2},
        },
        "required": ["namespace"],
    },
    "vm": {
        "type": "object",
        "title": "Virtual machine settings",
        "properties": {
            "size": {"type": "string", "title": "Size", "enum": ["small", "medium", "large"], "default": "small"},
            "backups": {"type": "boolean", "title": "Nightly backups", "default": True},
        },
    },
}


def _json(data: Any, status: int = 200) -> Response:
    return Response(json.dumps(data), status_code=status, media_type="application/json")


def _team(team_id: str) -> Team | None:
    return next((team for team in TEAMS if team.id == team_id), None)


def _not_found(what: str) -> Response:
    return _json({"error": {"name": "NotFoundError", "message": f"{what} not found"}}, 404)


async def teams(request: Request, parts: list[str]) -> Response:
    if not parts:
        return _json({"teams": [{"id": t.id, "name": t.name, "lead": t.lead} for t in TEAMS]})
    team = _team(parts[0])
    if team is None or len(parts) > 1:
        return _not_found(f"Team {parts[0]!r}")
    return _json(
        {
            "id": team.id,
            "name": team.name,
            "lead": team.lead,
            "members": list(team.members),
            "repositories": list(team.repositories),
        }
    )


async def repositories(request: Request, parts: list[str]) -> Response:
    team = _team(request.query_params.get("team", ""))
    if team is None:
        return _json({"error": {"name": "InputError", "message": "Choose a team first"}}, 400)
    suggested = f"{team.id}-service"
    number = 2
    while suggested in team.repositories:
        suggested = f"{team.id}-service-{number}"
        number += 1
    return _json({"suggested": suggested, "existing": list(team.repositories)})


async def validate_repository(request: Request, parts: list[str]) -> Response:
    try:
        body = json.loads(await request.body() or b"{}")
    except ValueError:
        return _json({"repository": ["The validation request was not JSON"]}, 400)
    name = body.get("repository") if isinstance(body, dict) else None
    team = _team(body.get("team", "")) if isinstance(body, dict) else None
    if not isinstance(name, str) or not REPOSITORY_NAME.match(name):
        return _json({"repository": ["Use 3 to 40 lower-case letters, digits and dashes, starting with a letter"]}, 422)
    taken = [t.name for t in TEAMS if name in t.repositories]
    if taken:
        return _json({"repository": [f"{name} already exists (owned by {taken[0]})"]}, 422)
    if team is None:
        return _json({"team": ["Choose a team first"]}, 422)
    return _json({})


async def environment_schema(request: Request, parts: list[str]) -> Response:
    if len(parts) != 2 or parts[1] != "schema" or parts[0] not in ENVIRONMENT_SETTINGS:
        return _not_found("Environment " + (repr(parts[0]) if parts else "''"))
    return _json({"settings": ENVIRONMENT_SETTINGS[parts[0]]})


Handler = Callable[[Request, list[str]], Awaitable[Response]]
ROUTES: dict[tuple[str, str], Handler] = {
    ("GET", "teams"): teams,
    ("GET", "repositories"): repositories,
    ("POST", "validate"): validate_repository,
    ("GET", "environments"): environment_schema,
}


def serves(path: str) -> bool:
    return path == PREFIX or path.startswith(PREFIX + "/")


async def handle(request: Request, path: str) -> Response:
    """Answer a request below ``/api/proxy/demo``."""
    parts = [part for part in path[len(PREFIX) :].split("/") if part]
    if not parts:
        return _not_found(f"{request.method} {path}")
    handler = ROUTES.get((request.method, parts[0]))
    if parts[0] == "validate" and parts[1:] != ["repository"]:
        handler = None
    if handler is None:
        return _not_found(f"{request.method} {path}")
    return await handler(request, parts[1:] if parts[0] != "validate" else [])
