"""Render a plausible SonataFlow (Serverless Workflow 0.8) definition for a demo workflow."""

from __future__ import annotations

import json
import re
from typing import Any

from .catalog import DemoNode, DemoWorkflow

_PLAIN_SAFE = re.compile(r"^[A-Za-z_][A-Za-z0-9_ ./()-]*$")
_YAML_RESERVED = {"true", "false", "yes", "no", "on", "off", "null", "y", "n", "~"}


def _function_name(node: DemoNode) -> str:
    words: list[str] = re.findall(r"[A-Za-z0-9]+", node.name) or ["step"]
    head, *rest = words
    return head[0].lower() + head[1:] + "".join(word[0].upper() + word[1:] for word in rest) + "Function"


def _state(node: DemoNode, next_state: str | None) -> dict[str, Any]:
    state: dict[str, Any] = {"name": node.name}
    if node.waits and node.type == "TimerNode":
        state["type"] = "sleep"
        state["duration"] = f"PT{node.duration:g}S"
    elif node.waits:
        state["type"] = "event"
        state["onEvents"] = [{"eventRefs": [f"{_function_name(node)}Event"]}]
    elif node.type == "SplitNode":
        target: dict[str, Any] = {"transition": {"nextState": next_state}} if next_state else {"end": True}
        state["type"] = "switch"
        state["dataConditions"] = [{"condition": "${ .proceed != false }", **target}]
        state["defaultCondition"] = dict(target)
        return state
    elif node.type == "ForEachNode":
        state["type"] = "foreach"
        state["inputCollection"] = "${ .items // [] }"
        state["iterationParam"] = "item"
        state["actions"] = [{"name": node.name, "functionRef": {"refName": _function_name(node)}}]
    else:
        state["type"] = "operation"
        state["actions"] = [{"name": node.name, "functionRef": {"refName": _function_name(node)}}]
    if next_state:
        state["transition"] = {"nextState": next_state}
    else:
        state["end"] = True
    return state


def definition(workflow: DemoWorkflow) -> dict[str, Any]:
    """The workflow definition as a dictionary."""
    body = [node for node in workflow.nodes if node.type not in ("StartNode", "EndNode")]
    if not body:
        body = [DemoNode("Done", "ActionNode", 0.0)]
    names = [node.name for node in body]
    states = [_state(node, names[i + 1] if i + 1 < len(names) else None) for i, node in enumerate(body)]
    functions = [
        {"name": _function_name(node), "type": "custom", "operation": f"rest:post:/api/{_function_name(node)}"}
        for node in body
        if node.type not in ("SplitNode",) and not node.waits
    ]
    events = [
        {"name": f"{_function_name(node)}Event", "source": "", "type": f"{workflow.id}.{_function_name(node)}"}
        for node in body
        if node.waits and node.type != "TimerNode"
    ]
    result: dict[str, Any] = {
        "id": workflow.id,
        "version": workflow.version,
        "specVersion": "0.8",
        "name": workflow.name,
        "description": workflow.description,
    }
    if workflow.annotations:
        result["annotations"] = list(workflow.annotations)
    if workflow.input_schema is not None:
        result["dataInputSchema"] = f"schemas/{workflow.id}__main-schema.json"
    result["extensions"] = [
        {"extensionid": "workflow-output-schema", "outputSchema": "schemas/workflow-output-schema.json"}
    ]
    result["start"] = names[0]
    if functions:
        result["functions"] = functions
    if events:
        result["events"] = events
    result["states"] = states
    return result


def render(workflow: DemoWorkflow) -> str:
    """The definition serialised in the workflow's format (``yaml`` or ``json``)."""
    document = definition(workflow)
    if workflow.format == "json":
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    return to_yaml(document)


def _scalar(value: Any) -> str:
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int | float):
        return json.dumps(value)
    text = str(value)
    if _PLAIN_SAFE.match(text) and text.lower() not in _YAML_RESERVED and not text.endswith(" "):
        try:
            float(text)
        except ValueError:
            return text
    return json.dumps(text, ensure_ascii=False)


def _yaml_lines(value: Any, indent: int) -> list[str]:
    pad = " " * indent
    lines: list[str] = []
    if isinstance(value, dict):
        if not value:
            return [pad + "{}"]
        for key, item in value.items():
            label = f"{pad}{_scalar(str(key))}:"
            if isinstance(item, dict | list) and item:
                lines.append(label)
                lines.extend(_yaml_lines(item, indent + 2))
            else:
                lines.append(f"{label} {_inline(item)}")
        return lines
    if isinstance(value, list):
        if not value:
            return [pad + "[]"]
        for item in value:
            if isinstance(item, dict | list) and item:
                nested = _yaml_lines(item, indent + 2)
                nested[0] = pad + "- " + nested[0].lstrip()
                lines.extend(nested)
            else:
                lines.append(f"{pad}- {_inline(item)}")
        return lines
    return [pad + _scalar(value)]


def _inline(value: Any) -> str:
    if isinstance(value, dict):
        return "{}"
    if isinstance(value, list):
        return "[]"
    return _scalar(value)


def to_yaml(document: Any) -> str:
    """A small block-style YAML emitter, enough for workflow definitions."""
    return "\n".join(_yaml_lines(document, 0)) + "\n"
