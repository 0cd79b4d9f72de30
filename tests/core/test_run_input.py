"""The input of ``orch-tui run``: layers, the prefill rules for --query and --set, then the run
form's defaults, validation and pruning."""

from __future__ import annotations

from typing import Any

import pytest

from orch_tui.core.errors import ConfigError
from orch_tui.core.forms import SchemaError
from orch_tui.core.run_input import build_run_input, deep_merge, parse_assignment

SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "name": {"type": "string", "minLength": 2},
        "language": {"type": "string", "enum": ["English", "Spanish"], "default": "English"},
        "count": {"type": "integer", "minimum": 1},
        "ratio": {"type": "number"},
        "enabled": {"type": "boolean"},
        "tags": {"type": "array", "items": {"type": "string"}},
        "target": {
            "type": "object",
            "required": ["host"],
            "properties": {"host": {"type": "string"}, "port": {"type": "integer", "default": 443}},
        },
        "scratch": {"type": "string", "omitFromWorkflowInput": True},
    },
    "required": ["name", "target"],
}


def test_layers_lowest_first() -> None:
    built = build_run_input(
        SCHEMA,
        base={"name": "from-run", "count": 1, "target": {"host": "old", "port": 1}},
        data={"count": 2, "target": {"host": "data"}},
        queries=[("the link", "count=3&ratio=0.5"), ("--query", "count=4")],
        sets=["target.host=set", "tags=a, b,,c"],
    )
    assert built.problems == []
    assert built.payload == {
        "name": "from-run", "count": 4, "ratio": 0.5, "target": {"host": "set", "port": 1},
        "tags": ["a", "b", "c"], "language": "English",
    }


def test_set_coerces_as_the_prefill_does() -> None:
    built = build_run_input(
        SCHEMA, sets=["name=Ada", "language=spanish", "count=0x10", "ratio=1e3", "enabled=TRUE", "target.host=h",
                      "name=Ada=Lovelace"],
    )
    assert built.problems == []
    assert built.payload == {
        "name": "Ada=Lovelace", "language": "Spanish", "count": 16, "ratio": 1000, "enabled": True,
        "target": {"host": "h", "port": 443}, "tags": [],
    }


def test_parameters_not_applied_are_problems() -> None:
    built = build_run_input(
        SCHEMA,
        queries=[("--query", "nme=x&targetEntity=component:default/x"), ("the link", "instanceId=1&bogus=1")],
        sets=["name=Ada", "target.host=h", "count=many", "target=x", "language=French", "instanceId=2"],
    )
    assert built.problems == [
        "--query nme=x: no such field in the input schema",
        "--query targetEntity: reserved for the target entity; use --entity",
        "the link bogus=1: no such field in the input schema",
        "--set count=many: 'many' is not a number",
        "--set target=x: not a single-value field",
        "--set language=French: 'French' is not one of: English, Spanish",
        "--set instanceId: reserved for the run to start from; pass the execute link instead",
    ]


def test_defaults_validation_with_dot_paths_and_pruning() -> None:
    built = build_run_input(SCHEMA, data={"name": "A", "scratch": "note", "unknown": 1, "target": {"port": "x"}})
    assert built.problems == [
        "name: Must be at least 2 characters", "target.host: Required", "target.port: Must be a whole number",
    ]
    good = build_run_input(SCHEMA, data={"name": "Ada", "scratch": "note", "unknown": 1, "target": {"host": "h"}})
    assert good.problems == []
    # defaults filled as the form fills them (an empty list for an array); omitFromWorkflowInput
    # and keys the schema does not define are left out
    assert good.payload == {"name": "Ada", "language": "English", "tags": [], "target": {"host": "h", "port": 443}}


def test_root_errors_and_sign_ins() -> None:
    schema = {
        "type": "object",
        "minProperties": 3,
        "properties": {
            "a": {"type": "string"},
            "login": {"type": "string", "ui:widget": "AuthRequester",
                      "ui:props": {"authTokenDescriptors": [{"provider": "github"}]}},
        },
    }
    built = build_run_input(schema, sets=["a=x"])
    assert [p for p in built.problems if p.startswith("(input): ")], built.problems
    assert built.auth_descriptors == [{"provider": "github"}]


def test_workflow_without_input() -> None:
    assert build_run_input(None).payload == {} and build_run_input({}).problems == []
    assert build_run_input(None, data={"x": 1}).payload == {"x": 1}
    built = build_run_input(None, queries=[("the link", "targetEntity=a:b&x=1")], sets=["y=2"])
    assert built.problems == ["the link x=1: this workflow takes no input", "--set y=2: this workflow takes no input"]


def test_unusable_schema_raises() -> None:
    with pytest.raises(SchemaError):
        build_run_input({"type": "object", "properties": {"a": {"$ref": "#/definitions/missing"}}})


def test_parse_assignment_and_merge() -> None:
    assert parse_assignment("a.b= x ") == ("a.b", " x ")
    assert parse_assignment("a=") == ("a", "")
    for bad in ("a", "=x", " =x"):
        with pytest.raises(ConfigError, match="expected PATH=VALUE"):
            parse_assignment(bad)
    base = {"a": {"b": 1, "c": [1]}, "d": 1}
    assert deep_merge(base, {"a": {"c": [2]}, "d": {"e": 1}}) == {"a": {"b": 1, "c": [2]}, "d": {"e": 1}}
    assert base == {"a": {"b": 1, "c": [1]}, "d": 1}
