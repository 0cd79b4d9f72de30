"""Hostile data for the demo orchestrator: ``orch-tui demo-server --hostile``.

Every text the demo shows a person — workflow names, descriptions and versions, node names, error
messages (of runs and of the API itself), outputs and suggested next workflows, run variables,
log lines, the reason a workflow is unavailable, schema titles,
descriptions, help and enum labels, catalog entities (titles, descriptions, owners, and entities
whose very names are hostile), the form widgets' teams, names and checks below
``/api/proxy/demo`` — carries a string meant to break a terminal program: console markup, ANSI
and OSC escape sequences (an OSC 52 clipboard write among them), other control characters,
right-to-left overrides, zero-width characters and one-megabyte strings.  Ids, enum values and
entity references stay usable, so everything can still be opened, scoped to and run: the hostile
entity names are valid references (no space, ``:`` or ``/``).
"""

from __future__ import annotations

import copy
import json
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from . import entities, form_api
from .catalog import DemoNode, DemoWorkflow, ResultBuilder, generic_result

MEGABYTE = "M" * 1_000_000

HOSTILE: tuple[str, ...] = (
    "[/]",
    "[@click=app.quit]x",
    "[bold red]pwned[/bold red]",
    "\x1b[31mred\x1b[0m \x1b[2J\x1b[H",
    "\x1b]52;c;aG9zdGlsZQ==\x07",
    "\x1b]0;window title\x07\x1b]8;;https://evil.example/\x07link\x1b]8;;\x07",
    "bell\x07 back\x08space nul\x00 del\x7f",
    "\u202eevil\u202c rtl \u2067isolate\u2069",
    "zero\u200bwidth\u200d\ufeffjoin",
    "line\nbreak\r\ncarriage\ttab",
)


def hostile(text: str, index: int) -> str:
    """``text`` with one of the hostile strings around it (chosen by ``index``)."""
    trap = HOSTILE[index % len(HOSTILE)]
    return f"{trap} {text} {trap}"


def _schema(node: Any, counter: list[int]) -> Any:
    if isinstance(node, dict):
        result: dict[str, Any] = {}
        for key, value in node.items():
            if key in ("title", "description", "ui:help", "ui:placeholder") and isinstance(value, str):
                counter[0] += 1
                result[key] = hostile(value, counter[0])
            elif key == "enumNames" and isinstance(value, list):
                result[key] = [hostile(str(item), counter[0] + i) for i, item in enumerate(value)]
            elif key == "properties" and isinstance(value, dict):
                result[key] = {name: _schema(sub, counter) for name, sub in value.items()}
            else:
                result[key] = _schema(value, counter)
        if "enum" in result and "enumNames" not in result and isinstance(result["enum"], list):
            if all(isinstance(item, str) for item in result["enum"]):
                result["enumNames"] = [hostile(item, counter[0] + i) for i, item in enumerate(result["enum"])]
        return result
    if isinstance(node, list):
        return [_schema(item, counter) for item in node]
    return node


def _result(builder: ResultBuilder | None, index: int) -> ResultBuilder:
    def build(workflow: DemoWorkflow, inputs: Mapping[str, Any]) -> dict[str, Any]:
        result = dict((builder or generic_result)(workflow, inputs))
        result["message"] = hostile(str(result.get("message", "done")), index)
        outputs = [
            {**output, "key": hostile(str(output.get("key", "")), index + n)}
            for n, output in enumerate(result.get("outputs") or [])
        ]
        outputs.append({"key": hostile("Note", index + 1), "value": hostile("value", index + 2), "format": "text"})
        outputs.append({"key": hostile("Long output", index + 3), "value": MEGABYTE, "format": "text"})
        result["outputs"] = outputs
        result["nextWorkflows"] = [
            {**suggested, "name": hostile(str(suggested.get("name") or suggested.get("id")), index + n)}
            for n, suggested in enumerate(result.get("nextWorkflows") or [])
        ]
        return result

    return build


def hostile_workflows(workflows: list[DemoWorkflow]) -> list[DemoWorkflow]:
    """The catalogue with hostile text everywhere a person reads it."""
    made: list[DemoWorkflow] = []
    for index, workflow in enumerate(workflows):
        nodes = tuple(
            replace(
                node,
                name=hostile(node.name, index + n),
                fails_with=hostile(node.fails_with, index + n) + " " + MEGABYTE if node.fails_with else None,
            )
            for n, node in enumerate(workflow.nodes)
        )
        description = hostile(workflow.description, index)
        if index == 0:
            description += " " + MEGABYTE
        made.append(
            replace(
                workflow,
                name=hostile(workflow.name, index),
                description=description,
                version=hostile(workflow.version, index + 1),
                older_versions=tuple(hostile(version, index + 2) for version in workflow.older_versions),
                nodes=nodes,
                input_schema=_schema(workflow.input_schema, [index]) if workflow.input_schema else None,
                result=_result(workflow.result, index),
                unavailable_reason=hostile(workflow.unavailable_reason, index),
                sample_inputs=tuple(
                    _inputs(sample, workflow.input_schema, index + n) for n, sample in enumerate(workflow.sample_inputs)
                ),
            )
        )
    return made


_CONSTRAINED = frozenset({"enum", "const", "pattern", "format", "maxLength", "ui:widget", "$ref"})


def _inputs(sample: Mapping[str, Any], schema: Mapping[str, Any] | None, index: int) -> dict[str, Any]:
    """A run's input data: free-text strings made hostile (those the schema constrains kept valid),
    and a hostile ``note`` the schema does not know (it shows in the run's variables)."""
    properties = (schema or {}).get("properties")
    properties = properties if isinstance(properties, Mapping) else {}
    made: dict[str, Any] = {}
    for key, value in sample.items():
        spec = properties.get(key)
        free = isinstance(spec, Mapping) and spec.get("type") == "string" and not _CONSTRAINED & set(spec)
        made[key] = hostile(value, index) if free and isinstance(value, str) else value
    made["note"] = hostile("note", index)
    return made


# ------------------------------------------------------------------------------------ catalog

HOSTILE_NAMES: tuple[str, ...] = (
    "[@click=app.quit]x",
    "[bold]pwned",
    "\x1b[31mred\x1b[0m\x1b[2J\x1b[H",
    "\x1b]52;c;aG9zdGlsZQ==\x07",
    "\u202eevil\u202c-rtl-\u2067isolate\u2069",
    "zero\u200bwidth\u200d\ufeffjoin",
    "bell\x07back\x08space\x7fdel",
)
"""Entity names that are hostile and still valid references (no space, ``:`` or ``/``)."""


def hostile_ref(index: int) -> str:
    """``component:default/<hostile name>``, lower-cased as ``targetEntity`` carries it."""
    return f"component:default/{HOSTILE_NAMES[index % len(HOSTILE_NAMES)].lower()}"


def hostile_entities(catalog: Sequence[Mapping[str, Any]]) -> tuple[dict[str, Any], ...]:
    """The catalog with hostile titles, descriptions and owners (the first entity's description
    a megabyte long), and one component per hostile name, each naming two workflows in its
    annotation (the first one's title a megabyte long).  Kinds, namespaces, names and annotations
    of the known entities stay."""
    made: list[dict[str, Any]] = []
    for index, entity in enumerate(catalog):
        copied = copy.deepcopy(dict(entity))
        metadata = copied["metadata"]
        metadata["title"] = hostile(str(metadata.get("title") or metadata["name"]), index)
        metadata["description"] = hostile(str(metadata.get("description") or "No description."), index + 1)
        if index == 0:
            metadata["description"] += " " + MEGABYTE
        spec = copied.setdefault("spec", {})
        if isinstance(spec.get("owner"), str):
            spec["owner"] = hostile(spec["owner"], index + 2)
        made.append(copied)
    for index, name in enumerate(HOSTILE_NAMES):
        component = entities._entity(
            "Component",
            "default",
            name,
            title=hostile(name, index) + (" " + MEGABYTE if index == 0 else ""),
            owner=hostile("group:default/payments", index + 1),
            spec_type="service",
            description=hostile("A component whose very name is hostile.", index + 2),
            workflows=json.dumps(["greeting", "flaky-deploy"]),
        )
        made.append(component)
    return tuple(made)


# ------------------------------------------------------------------------------- the running app


def _index(text: str) -> int:
    return zlib.crc32(text.encode("utf-8", "surrogatepass"))


def _proxy_answer(data: Any, status: int) -> Any:
    """A form-widget answer with hostile labels: team names and leads, members, repositories and
    the existing names (completions), settings schemas, and the messages of a failed check.
    Ids and the suggested repository name (a value the field's pattern must accept) stay."""
    if isinstance(data, list):
        return [_proxy_answer(item, status) for item in data]
    if not isinstance(data, dict):
        return data
    made: dict[str, Any] = {}
    for key, value in data.items():
        if key == "error":
            made[key] = value  # an error body: its message is made hostile with every other one
        elif key in ("name", "lead") and isinstance(value, str):
            made[key] = hostile(value, _index(value))
        elif key in ("members", "repositories", "existing") and isinstance(value, list):
            made[key] = [hostile(item, _index(item)) if isinstance(item, str) else item for item in value]
        elif key == "settings" and isinstance(value, dict):
            made[key] = _schema(value, [_index(key)])
        elif status >= 400 and isinstance(value, list):
            made[key] = [hostile(item, _index(item)) if isinstance(item, str) else item for item in value]
        else:
            made[key] = _proxy_answer(value, status)
    return made


def _error_answer(data: Any) -> Any:
    """An error body with a hostile message: Backstage's ``{error: {message}}`` and the request
    validator's ``{err: [{message}]}``."""
    if not isinstance(data, dict):
        return data
    error = data.get("error")
    if isinstance(error, dict) and isinstance(error.get("message"), str):
        error["message"] = hostile(error["message"], _index(error["message"]))
    problems = data.get("err")
    if isinstance(problems, list):
        for problem in problems:
            if isinstance(problem, dict) and isinstance(problem.get("message"), str):
                problem["message"] = hostile(problem["message"], _index(problem["message"]))
    elif isinstance(problems, str):
        data["err"] = hostile(problems, _index(problems))
    return data


class HostileMiddleware:
    """ASGI middleware: hostile text in what the handlers answer without a catalogue behind it —
    the form widgets' answers below ``/api/proxy/demo`` and every error message."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        proxy = form_api.serves(scope.get("path", ""))
        start: dict[str, Any] = {}
        chunks: list[bytes] = []

        async def rewrite(message: Any) -> None:
            if message["type"] == "http.response.start":
                if message["status"] < 400 and not proxy:
                    await send(message)
                    return
                start.update(message)
                return
            if message["type"] != "http.response.body" or not start:
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body"):
                return
            body = b"".join(chunks)
            try:
                data = json.loads(body)
            except ValueError:
                pass
            else:
                status = start["status"]
                data = _proxy_answer(data, status) if proxy else data
                data = _error_answer(data) if status >= 400 else data
                body = json.dumps(data, ensure_ascii=False).encode()
            headers = [(name, value) for name, value in start.get("headers", []) if name.lower() != b"content-length"]
            headers.append((b"content-length", str(len(body)).encode()))
            await send({**start, "headers": headers})
            await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, rewrite)


def make_hostile(app: Any) -> None:
    """Hostile text in the parts of a built demo app its workflow catalogue does not reach: the
    software catalog, the seeded runs' error messages and target entities (every third one a
    hostile but valid reference), the form widgets' answers and the API's error messages."""
    app.state.entities = hostile_entities(entities.ENTITIES)
    engine = app.state.demo
    for index, run in enumerate(engine.runs_of()):
        if run.fail_message and not any(trap in run.fail_message for trap in HOSTILE):
            run.fail_message = hostile(run.fail_message, index)
        if run.target is not None and index % 3 == 0:
            run.target = hostile_ref(index)
        run.listing_cache = None
    app.add_middleware(HostileMiddleware)


__all__ = [
    "HOSTILE",
    "HOSTILE_NAMES",
    "MEGABYTE",
    "DemoNode",
    "HostileMiddleware",
    "hostile",
    "hostile_entities",
    "hostile_ref",
    "hostile_workflows",
    "make_hostile",
]
