"""payload(), review() and describe()."""

from __future__ import annotations

import json
from typing import Any

import pytest

from orch_tui.core.forms import FormModel, ReviewRow


def test_payload_prunes_keys_the_schema_no_longer_defines() -> None:
    schema = {
        "type": "object",
        "properties": {
            "name": {"type": "string"},
            "open": {"type": "object", "additionalProperties": True, "properties": {"a": {"type": "string"}}},
            "closed": {"type": "object", "properties": {"a": {"type": "string"}}},
        },
    }
    data = {"name": "n", "stale": 1, "open": {"a": "x", "extra": 2}, "closed": {"a": "y", "extra": 3}}
    model = FormModel(schema, data)
    assert model.payload() == {"name": "n", "open": {"a": "x", "extra": 2}, "closed": {"a": "y"}}
    assert model.get(("stale",)) == 1


def test_payload_is_a_deep_copy() -> None:
    model = FormModel(
        {"type": "object", "properties": {"tags": {"type": "array", "items": {"type": "string"}}}}, {"tags": ["a"]}
    )
    payload = model.payload()
    payload["tags"].append("b")
    assert model.get(("tags",)) == ["a"]


@pytest.mark.parametrize(
    ("rule", "data", "omitted"),
    [
        (True, {"mode": "a"}, True),
        (False, {"mode": "a"}, False),
        ({"when": "mode", "is": "a"}, {"mode": "a"}, True),
        ({"when": "mode", "is": "a"}, {"mode": "b"}, False),
        ({"anyOf": [{"when": "mode", "isEmpty": True}, {"when": "mode", "is": "z"}]}, {"mode": "z"}, True),
    ],
)
def test_omit_from_workflow_input(rule: Any, data: dict[str, Any], omitted: bool) -> None:
    schema = {
        "type": "object",
        "properties": {"mode": {"type": "string"}, "confirm": {"type": "string", "omitFromWorkflowInput": rule}},
    }
    model = FormModel(schema, {**data, "confirm": "yes"})
    assert ("confirm" in model.payload()) is not omitted
    assert model.payload()["mode"] == data["mode"]


def test_omit_in_nested_step() -> None:
    schema = {
        "type": "object",
        "properties": {
            "s": {
                "type": "object",
                "properties": {
                    "x": {"type": "string"},
                    "y": {"type": "string", "omitFromWorkflowInput": {"when": "x", "is": "skip"}},
                },
            }
        },
    }
    model = FormModel(schema, {"s": {"x": "skip", "y": "v"}})
    assert model.payload() == {"s": {"x": "skip"}}
    model.set(("s", "x"), "keep")
    assert model.payload() == {"s": {"x": "keep", "y": "v"}}


REVIEW_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "name": {"type": "string", "title": "Name"},
        "secret": {"type": "string", "title": "Secret", "ui:widget": "password"},
        "enabled": {"type": "boolean", "title": "Enabled"},
        "off": {"type": "boolean", "title": "Off"},
        "tier": {"enum": ["dev", "prod"], "enumNames": ["Development", "Production"], "title": "Tier"},
        "missing": {"type": "string", "title": "Missing"},
        "internal": {"type": "string", "title": "Internal", "ui:hidden": True},
        "count": {"type": "number", "title": "Count"},
        "tags": {"type": "array", "title": "Tags", "items": {"type": "string"}},
        "picks": {"type": "array", "title": "Picks", "items": {"enum": ["a", "b"], "enumNames": ["A", "B"]}},
        "settings": {
            "type": "object",
            "title": "Settings",
            "properties": {
                "depth": {"type": "integer", "title": "Depth"},
                "hidden": {"type": "string", "ui:hidden": True},
            },
        },
        "members": {
            "type": "array",
            "title": "Members",
            "items": {"type": "object", "properties": {"who": {"type": "string", "title": "Who"}}},
        },
    },
}


def test_review_rows() -> None:
    data = {
        "name": "svc",
        "secret": "hunter2",
        "enabled": True,
        "off": False,
        "tier": "prod",
        "internal": "x",
        "count": 2.0,
        "tags": ["a", "b"],
        "picks": ["b", "a"],
        "settings": {"depth": 3, "hidden": "h"},
        "members": [{"who": "ann"}, {}],
    }
    rows = FormModel(REVIEW_SCHEMA, data).review()
    assert [(r.depth, r.title, r.value) for r in rows] == [
        (0, "Name", "svc"),
        (0, "Secret", "******"),
        (0, "Enabled", "Yes"),
        (0, "Off", "No"),
        (0, "Tier", "Production"),
        (0, "Missing", "—"),
        (0, "Count", "2"),
        (0, "Tags", "a, b"),
        (0, "Picks", "B, A"),
        (0, "Settings", ""),
        (1, "Depth", "3"),
        (0, "Members", ""),
        (1, "Item 1", ""),
        (2, "Who", "ann"),
        (1, "Item 2", ""),
        (2, "Who", "—"),
    ]
    assert rows[-1].path == ("members", 1, "who")


def test_review_of_multi_step_skips_hidden_steps_and_shows_choices() -> None:
    schema = {
        "type": "object",
        "properties": {
            "one": {
                "type": "object",
                "title": "One",
                "properties": {
                    "via": {
                        "title": "Via",
                        "oneOf": [
                            {
                                "title": "Mail",
                                "type": "object",
                                "properties": {"to": {"type": "string", "title": "To"}},
                            },
                            {"title": "Phone", "type": "object", "properties": {"nr": {"type": "string"}}},
                        ],
                    }
                },
            },
            "two": {"type": "object", "title": "Two", "ui:hidden": True, "properties": {"b": {"type": "string"}}},
        },
    }
    rows = FormModel(schema, {"one": {"via": {"to": "me"}}}).review()
    assert [(r.depth, r.title, r.value) for r in rows] == [(0, "One", ""), (1, "Via", "Mail"), (2, "To", "me")]


def test_review_password_missing_is_a_dash() -> None:
    rows = FormModel({"type": "object", "properties": {"p": {"type": "string", "ui:widget": "password"}}}).review()
    assert rows == [ReviewRow(0, "p", "—", ("p",))]


def test_describe_shape() -> None:
    schema = {
        "type": "object",
        "properties": {
            "project": {
                "type": "object",
                "title": "Project",
                "properties": {
                    "name": {"type": "string", "title": "Name"},
                    "meta": {"type": "object", "properties": {"owner": {"type": "string", "default": "me"}}},
                },
                "required": ["name"],
            },
            "env": {
                "type": "object",
                "properties": {
                    "tier": {"enum": ["a", "b"], "default": "a", "ui:widget": "radio"},
                    "people": {"type": "array", "items": {"type": "object", "properties": {"n": {"type": "string"}}}},
                    "tags": {"type": "array", "items": {"type": "string"}},
                },
            },
        },
    }
    description = FormModel(schema).describe()
    assert description == {
        "multi_step": True,
        "steps": [
            {
                "key": "project",
                "title": "Project",
                "fields": [
                    {
                        "path": "project.name",
                        "title": "Name",
                        "type": "string",
                        "widget": "text",
                        "required": True,
                        "default": None,
                    },
                    {
                        "path": "project.meta.owner",
                        "title": "owner",
                        "type": "string",
                        "widget": "text",
                        "required": False,
                        "default": "me",
                    },
                ],
            },
            {
                "key": "env",
                "title": "env",
                "fields": [
                    {
                        "path": "env.tier",
                        "title": "tier",
                        "type": "enum",
                        "widget": "radio",
                        "required": False,
                        "default": "a",
                    },
                    {
                        "path": "env.people",
                        "title": "people",
                        "type": "array",
                        "widget": "list",
                        "required": False,
                        "default": None,
                    },
                    {
                        "path": "env.tags",
                        "title": "tags",
                        "type": "array",
                        "widget": "list",
                        "required": False,
                        "default": None,
                    },
                ],
            },
        ],
    }
    json.dumps(description)


def test_describe_lists_leaves_of_array_items_and_choices() -> None:
    schema = {
        "type": "object",
        "properties": {
            "people": {
                "type": "array",
                "minItems": 1,
                "items": {"type": "object", "properties": {"n": {"type": "string"}}},
            },
            "value": {"anyOf": [{"type": "string"}, {"type": "integer"}]},
        },
    }
    fields = FormModel(schema).describe()["steps"][0]["fields"]
    assert [(f["path"], f["type"]) for f in fields] == [("people.0.n", "string"), ("value", "string")]
