"""Hostile data for the demo orchestrator: ``orch-tui demo-server --hostile``.

Every text the demo shows a person — workflow names and descriptions, node names, error
messages, outputs, schema titles, descriptions and enum labels — carries a string meant to break
a terminal program: console markup, ANSI and OSC escape sequences (an OSC 52 clipboard write
among them), other control characters, right-to-left overrides, zero-width characters and a
one-megabyte string.  Ids stay as they are, so everything can still be opened and run.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

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
            if key in ("title", "description") and isinstance(value, str):
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
        outputs = list(result.get("outputs") or [])
        outputs.append({"key": hostile("Note", index + 1), "value": hostile("value", index + 2), "format": "text"})
        outputs.append({"key": "Long output", "value": MEGABYTE, "format": "text"})
        result["outputs"] = outputs
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
                nodes=nodes,
                input_schema=_schema(workflow.input_schema, [index]) if workflow.input_schema else None,
                result=_result(workflow.result, index),
            )
        )
    return made


__all__ = ["HOSTILE", "MEGABYTE", "DemoNode", "hostile", "hostile_workflows"]
