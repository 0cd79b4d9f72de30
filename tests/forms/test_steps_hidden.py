"""Multi-step detection, step order and ui:hidden conditions."""

from __future__ import annotations

from typing import Any

import pytest

from orch_tui.core.forms import FormModel

from ._util import field_at


def wizard(**extra: Any) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "type": "object",
        "properties": {
            "first": {"type": "object", "title": "First step", "properties": {"a": {"type": "string"}}},
            "second": {"$ref": "#/$defs/second"},
            "third": {"type": "object", "properties": {"c": {"type": "boolean"}}},
        },
        "$defs": {"second": {"type": "object", "title": "Second", "properties": {"b": {"type": "string"}}}},
    }
    schema.update(extra)
    return schema


def test_every_top_level_object_makes_a_multi_step_form() -> None:
    model = FormModel(wizard())
    assert model.multi_step
    assert [(s.key, s.title, s.hidden) for s in model.steps()] == [
        ("first", "First step", False),
        ("second", "Second", False),
        ("third", "third", False),
    ]
    step = model.steps()[0]
    assert step.field.path == ("first",)
    assert field_at(model, ("first", "a")).step == "first"


def test_a_non_object_top_level_property_makes_a_single_step_with_sections() -> None:
    schema = wizard()
    schema["properties"]["note"] = {"type": "string"}
    model = FormModel(schema)
    assert not model.multi_step
    steps = model.steps()
    assert len(steps) == 1 and steps[0].key == "" and steps[0].field is model.root
    assert [c.kind for c in model.root.children] == ["object", "object", "object", "string"]
    assert field_at(model, ("first", "a")).step == ""


def test_root_without_object_type_is_single_step() -> None:
    schema = wizard()
    del schema["type"]
    assert not FormModel(schema).multi_step


@pytest.mark.parametrize(
    ("order", "expected"),
    [
        (["third", "first"], ["third", "first", "second"]),
        (["*", "first"], ["second", "third", "first"]),
        (["second", "*", "first"], ["second", "third", "first"]),
        (["nope", "third"], ["third", "first", "second"]),
    ],
)
def test_step_order_follows_root_ui_order(order: list[str], expected: list[str]) -> None:
    model = FormModel(wizard(**{"ui:order": order}))
    assert [s.key for s in model.steps()] == expected


def test_hidden_placeholder_steps_are_removed() -> None:
    schema = wizard()
    schema["properties"]["updater"] = {"type": "object", "ui:widget": "hidden", "properties": {}}
    model = FormModel(schema)
    assert model.multi_step
    assert [s.key for s in model.steps()] == ["first", "second", "third"]


def test_step_hidden_by_own_flag_condition_or_all_fields_hidden() -> None:
    schema = wizard()
    schema["properties"]["first"]["properties"]["mode"] = {
        "type": "string",
        "enum": ["simple", "expert"],
        "default": "simple",
    }
    schema["$defs"]["second"]["ui:hidden"] = {"when": "first.mode", "is": "simple"}
    schema["properties"]["third"]["properties"]["c"]["ui:hidden"] = True
    schema["properties"]["fourth"] = {"type": "object", "ui:hidden": True, "properties": {"d": {"type": "string"}}}
    model = FormModel(schema)
    assert [(s.key, s.hidden) for s in model.steps()] == [
        ("first", False),
        ("second", True),
        ("third", True),
        ("fourth", True),
    ]
    assert [s.key for s in model.visible_steps()] == ["first"]
    assert model.set(("first", "mode"), "expert") is True
    assert [s.key for s in model.visible_steps()] == ["first", "second"]


def hidden_schema(condition: Any) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {
            "kind": {"type": "string"},
            "tags": {"type": "array", "items": {"type": "string"}},
            "target": {"type": "string", "ui:hidden": condition},
        },
    }


@pytest.mark.parametrize(
    ("condition", "data", "hidden"),
    [
        (True, {}, True),
        (False, {}, False),
        ({"when": "kind", "is": "a"}, {"kind": "a"}, True),
        ({"when": "kind", "is": "a"}, {"kind": "b"}, False),
        ({"when": "kind", "is": ["a", "b"]}, {"kind": "b"}, True),
        ({"when": "kind", "isNot": "a"}, {"kind": "b"}, True),
        ({"when": "kind", "isNot": ["a", "b"]}, {"kind": "b"}, False),
        ({"when": "kind", "isNot": "a"}, {}, True),
        ({"when": "kind", "isEmpty": True}, {}, True),
        ({"when": "kind", "isEmpty": True}, {"kind": ""}, True),
        ({"when": "kind", "isEmpty": True}, {"kind": "x"}, False),
        ({"when": "kind", "isEmpty": False}, {"kind": "x"}, True),
        ({"when": "tags", "isEmpty": True}, {"tags": []}, True),
        ({"when": "tags", "isEmpty": True}, {"tags": ["x"]}, False),
        (
            {"allOf": [{"when": "kind", "is": "a"}, {"when": "tags", "isEmpty": False}]},
            {"kind": "a", "tags": ["x"]},
            True,
        ),
        (
            {"allOf": [{"when": "kind", "is": "a"}, {"when": "tags", "isEmpty": False}]},
            {"kind": "a", "tags": []},
            False,
        ),
        ({"anyOf": [{"when": "kind", "is": "a"}, {"when": "kind", "is": "b"}]}, {"kind": "b"}, True),
        ({"anyOf": [{"when": "kind", "is": "a"}, {"when": "kind", "is": "b"}]}, {"kind": "c"}, False),
        (
            {
                "anyOf": [
                    {"allOf": [{"when": "kind", "is": "a"}, {"when": "tags", "isEmpty": True}]},
                    {"when": "kind", "is": "z"},
                ]
            },
            {"kind": "a", "tags": []},
            True,
        ),
        (
            {
                "anyOf": [
                    {"allOf": [{"when": "kind", "is": "a"}, {"when": "tags", "isEmpty": True}]},
                    {"when": "kind", "is": "z"},
                ]
            },
            {"kind": "a", "tags": ["t"]},
            False,
        ),
        ({"when": "tags.0", "is": "first"}, {"tags": ["first"]}, True),
    ],
)
def test_hidden_conditions(condition: Any, data: dict[str, Any], hidden: bool) -> None:
    model = FormModel(hidden_schema(condition), data)
    assert field_at(model, ("target",)).hidden is hidden


def test_hidden_is_live_and_set_reports_the_change() -> None:
    model = FormModel(hidden_schema({"when": "kind", "is": "secret"}), {"kind": "open"})
    assert model.set(("kind",), "secret") is True
    assert field_at(model, ("target",)).hidden
    assert model.set(("kind",), "secret") is False
    assert model.set(("kind",), "open") is True
    assert not field_at(model, ("target",)).hidden


def test_when_path_resolves_step_local_first_then_root() -> None:
    schema = {
        "type": "object",
        "properties": {
            "general": {"type": "object", "properties": {"mode": {"type": "string"}}},
            "details": {
                "type": "object",
                "properties": {
                    "mode": {"type": "string"},
                    "local": {"type": "string", "ui:hidden": {"when": "mode", "is": "x"}},
                    "global": {"type": "string", "ui:hidden": {"when": "general.mode", "is": "x"}},
                },
            },
        },
    }
    model = FormModel(schema, {"general": {"mode": "x"}, "details": {"mode": "y"}})
    assert model.multi_step
    assert not field_at(model, ("details", "local")).hidden
    assert field_at(model, ("details", "global")).hidden
    model.set(("details", "mode"), "x")
    assert field_at(model, ("details", "local")).hidden
    model.delete(("details", "mode"))
    # nothing step-local any more: "mode" is looked up from the root, where it is absent
    assert not field_at(model, ("details", "local")).hidden


def test_children_of_hidden_groups_are_hidden() -> None:
    schema = {
        "type": "object",
        "properties": {"group": {"type": "object", "ui:hidden": True, "properties": {"x": {"type": "string"}}}},
    }
    assert field_at(FormModel(schema), ("group", "x")).hidden


def test_hidden_fields_keep_their_data_and_are_validated() -> None:
    schema = {
        "type": "object",
        "properties": {
            "show": {"type": "boolean", "default": False},
            "code": {"type": "string", "pattern": "^[0-9]+$", "ui:hidden": {"when": "show", "is": False}},
        },
    }
    model = FormModel(schema, {"code": "abc"})
    assert field_at(model, ("code",)).hidden
    assert [(e.path, e.message) for e in model.validate()] == [(("code",), "Must match pattern ^[0-9]+$")]
    model.set(("code",), "123")
    assert model.payload() == {"show": False, "code": "123"}


def test_first_field_of_each_step_gets_autofocus_unless_one_asks() -> None:
    schema = wizard()
    schema["properties"]["first"]["properties"]["z"] = {"type": "string", "ui:autofocus": True}
    model = FormModel(schema)
    focused = [f.path for f in model.root.walk() if f.autofocus]
    assert focused == [("first", "z"), ("second", "b"), ("third", "c")]
    single = FormModel(
        {
            "type": "object",
            "properties": {"k": {"const": 1}, "h": {"type": "string", "ui:hidden": True}, "x": {"type": "string"}},
        }
    )
    assert [f.path for f in single.root.walk() if f.autofocus] == [("x",)]
