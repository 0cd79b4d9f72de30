"""Leaf kinds, formats, enums, widgets and lists."""

from __future__ import annotations

from typing import Any

import pytest

from orch_tui.core.forms import MISSING, Field, FormModel, Option

from ._util import field_at


def one(schema: dict[str, Any], data: Any = None) -> Field:
    model = FormModel({"type": "object", "properties": {"f": schema}}, data)
    field = model.field(("f",))
    assert field is not None
    return field


def test_string_constraints() -> None:
    field = one({"type": "string", "title": "Name", "minLength": 3, "maxLength": 8, "pattern": "^[a-z]+$"})
    assert field.kind == "string" and field.widget == "text" and field.title == "Name"
    assert field.constraints == {"minLength": 3, "maxLength": 8, "pattern": "^[a-z]+$"}
    assert field.default is MISSING and field.input_help is None


def test_title_falls_back_to_key_and_description_help_placeholder() -> None:
    field = one({"type": "string", "description": "What it is", "ui:help": "Some help", "ui:placeholder": "type here"})
    assert field.title == "f"
    assert field.description == "What it is"
    assert field.help == "Some help"
    assert field.placeholder == "type here"


@pytest.mark.parametrize(
    ("fmt", "widget", "help_text"),
    [
        ("date", "date", "YYYY-MM-DD"),
        ("date-time", "datetime", "YYYY-MM-DDTHH:MM:SSZ (or an offset such as +02:00)"),
        ("time", "text", "HH:MM:SS"),
        ("email", "email", "e.g. name@example.com"),
        ("uri", "uri", "https://…"),
        ("uuid", "text", "8-4-4-4-12 hex digits"),
        ("ipv4", "text", "e.g. 192.0.2.10"),
        ("ipv6", "text", "e.g. 2001:db8::10"),
        ("hostname", "text", "e.g. host.example.com"),
    ],
)
def test_formats_set_widget_and_input_help(fmt: str, widget: str, help_text: str) -> None:
    field = one({"type": "string", "format": fmt})
    assert field.format == fmt
    assert field.widget == widget
    assert field.input_help == help_text


def test_numbers() -> None:
    integer = one({"type": "integer", "minimum": 1, "maximum": 10, "multipleOf": 1})
    assert integer.kind == "integer" and integer.widget == "integer"
    assert integer.constraints == {"minimum": 1, "maximum": 10, "multipleOf": 1}
    assert integer.input_help == "Whole number from 1 to 10, multiple of 1"
    number = one({"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1.5})
    assert number.kind == "number" and number.widget == "number"
    assert number.constraints == {"exclusiveMinimum": 0, "exclusiveMaximum": 1.5}
    assert number.input_help == "Number > 0, < 1.5"


def test_boolean_is_a_switch_and_radio_gets_yes_no() -> None:
    assert one({"type": "boolean"}).widget == "switch"
    radio = one({"type": "boolean", "ui:widget": "radio"})
    assert radio.widget == "radio"
    assert radio.options == [Option(True, "Yes"), Option(False, "No")]


def test_enum_values_as_labels_and_default() -> None:
    field = one({"type": "string", "enum": ["a", "b"], "default": "b"})
    assert field.kind == "enum" and field.widget == "select"
    assert field.options == [Option("a", "a"), Option("b", "b")]
    assert field.default == "b"


def test_enum_names_label_options() -> None:
    field = one({"type": "integer", "enum": [1, 2], "enumNames": ["One", "Two"]})
    assert field.options == [Option(1, "One"), Option(2, "Two")]


def test_oneof_const_title_is_an_enum_with_labels() -> None:
    field = one(
        {
            "type": "string",
            "oneOf": [{"const": "dev", "title": "Development"}, {"const": "prod", "title": "Production"}],
            "ui:widget": "radio",
        }
    )
    assert field.kind == "enum" and field.widget == "radio"
    assert field.options == [Option("dev", "Development"), Option("prod", "Production")]


def test_enum_with_null_is_nullable() -> None:
    field = one({"type": ["string", "null"], "enum": ["x", None]})
    assert field.kind == "enum" and field.nullable and field.options == [Option("x", "x")]


def test_const_is_read_only() -> None:
    field = one({"const": "fixed", "title": "Kind"})
    assert field.kind == "const" and field.read_only and field.widget == "readonly"
    assert field.default == "fixed"


def test_read_only_from_schema_and_ui() -> None:
    assert one({"type": "string", "readOnly": True}).read_only
    assert one({"type": "string", "ui:readonly": True}).read_only
    assert not one({"type": "string"}).read_only


@pytest.mark.parametrize(("name", "widget"), [("password", "password"), ("textarea", "textarea"), ("hidden", "hidden")])
def test_ui_widgets(name: str, widget: str) -> None:
    field = one({"type": "string", "ui:widget": name})
    assert field.widget == widget
    assert field.note is None
    assert field.hidden == (name == "hidden")


@pytest.mark.parametrize("name", ["AuthRequester", "MadeUpWidget", "StaticText"])
def test_custom_widgets_fall_back_with_a_note(name: str) -> None:
    field = one({"type": "string", "ui:widget": name})
    assert field.widget == "text"
    assert field.note == f"Custom widget {name!r} is not supported here; shown as a plain field"


@pytest.mark.parametrize(
    ("schema", "note"),
    [
        ({"type": "string", "ui:widget": "SchemaUpdater"}, "SchemaUpdater: needs fetch:url; shown as a plain field"),
        ({"type": "string", "ui:widget": "ActiveText"}, "ActiveText: needs a ui:text string; shown as a plain field"),
        (
            {"type": "boolean", "ui:widget": "ActiveDropdown", "ui:props": {"fetch:url": "/x"}},
            "ActiveDropdown: cannot edit a field of type boolean; shown as a plain field",
        ),
        (
            {"type": "array", "items": {"type": "integer"}, "ui:widget": "ActiveMultiSelect"},
            "ActiveMultiSelect: cannot edit a field of type array; shown as a plain field",
        ),
        (
            {"type": "string", "ui:widget": "ActiveTextInput", "ui:props": {"fetch:url": "/x", "fetch:method": "PUT"}},
            "ActiveTextInput: fetch:method must be GET or POST, not 'PUT'; shown as a plain field",
        ),
        (
            {"type": "string", "ui:widget": "ActiveTextInput", "ui:props": ["not", "an", "object"]},
            "ActiveTextInput: ui:props must be an object; shown as a plain field",
        ),
    ],
)
def test_dynamic_widgets_with_wrong_settings_fall_back_saying_why(schema: dict[str, Any], note: str) -> None:
    field = one(schema)
    assert field.dynamic is None
    assert field.note == note
    assert not field.widget.startswith(("active", "schema"))


@pytest.mark.parametrize(
    ("widget", "schema", "name"),
    [
        ("ActiveTextInput", {"type": "string"}, "active_input"),
        ("ActiveDropdown", {"type": "string", "ui:props": {"fetch:url": "/teams"}}, "active_dropdown"),
        ("ActiveMultiSelect", {"type": "array", "items": {"type": "string"}}, "active_multi"),
        ("ActiveText", {"type": "string", "ui:props": {"ui:text": "Hi"}}, "active_text"),
        ("SchemaUpdater", {"type": "string", "ui:props": {"fetch:url": "/s"}}, "schema_updater"),
    ],
)
def test_dynamic_widgets_are_recognised(widget: str, schema: dict[str, Any], name: str) -> None:
    field = one({**schema, "ui:widget": widget})
    assert field.widget == name and field.note is None
    assert field.dynamic is not None and field.dynamic.widget == widget
    # Display-only widgets hold no value: never in the payload or the review.
    assert field.virtual == (name in ("active_text", "schema_updater"))


def test_ui_options_are_read_too() -> None:
    field = one({"type": "string", "ui:options": {"widget": "textarea", "help": "Help!"}})
    assert field.widget == "textarea" and field.help == "Help!"


def test_auth_requester_is_virtual() -> None:
    descriptors = [{"provider": "github", "tokenType": "oauth", "scope": "repo"}]
    schema = {
        "type": "object",
        "properties": {
            "name": {"type": "string"},
            "auth": {"type": "string", "ui:widget": "AuthRequester", "ui:props": {"authTokenDescriptors": descriptors}},
        },
    }
    model = FormModel(schema, {"name": "x", "auth": "whatever"})
    auth = model.field(("auth",))
    assert auth is not None and auth.virtual and auth.auth_descriptors == descriptors
    assert model.payload() == {"name": "x"}
    assert [row.title for row in model.review()] == ["name"]
    assert model.auth_token_descriptors() == descriptors
    assert [f["path"] for f in model.describe()["steps"][0]["fields"]] == ["name"]


def test_ui_order_at_nested_levels() -> None:
    schema = {
        "type": "object",
        "ui:order": ["c", "a"],
        "properties": {
            "a": {"type": "string"},
            "b": {"type": "string"},
            "c": {
                "type": "object",
                "ui:order": ["*", "x"],
                "properties": {"x": {"type": "string"}, "y": {"type": "string"}, "z": {"type": "string"}},
            },
        },
    }
    model = FormModel(schema)
    assert [c.key for c in model.root.children] == ["c", "a", "b"]
    nested = model.field(("c",))
    assert nested is not None and [c.key for c in nested.children] == ["y", "z", "x"]


def test_array_of_scalars_add_remove_move() -> None:
    schema = {
        "type": "object",
        "properties": {
            "tags": {
                "type": "array",
                "title": "Tags",
                "items": {"type": "string", "default": "new"},
                "minItems": 1,
                "maxItems": 4,
                "uniqueItems": True,
            }
        },
    }
    model = FormModel(schema, {"tags": ["a", "b"]})
    tags = model.field(("tags",))
    assert tags is not None and tags.kind == "array" and tags.widget == "list"
    assert tags.constraints == {"minItems": 1, "maxItems": 4, "uniqueItems": True}
    assert [item.path for item in tags.items] == [("tags", 0), ("tags", 1)]
    assert tags.item is not None and tags.item.kind == "string"
    version = model.version
    assert model.add_item(("tags",)) == ("tags", 2)
    assert model.get(("tags",)) == ["a", "b", "new"]
    assert model.version > version
    assert model.move_item(("tags",), 2, -2) is True
    assert model.get(("tags",)) == ["new", "a", "b"]
    assert model.move_item(("tags",), 0, -1) is False
    model.remove_item(("tags",), 1)
    assert model.get(("tags",)) == ["new", "b"]
    assert len(field_at(model, ("tags",)).items) == 2


def test_array_of_enums_is_multi_enum() -> None:
    field = one(
        {
            "type": "array",
            "items": {"type": "string", "enum": ["x", "y"], "enumNames": ["Ex", "Why"]},
            "uniqueItems": True,
        }
    )
    assert field.kind == "multi_enum" and field.widget == "checkboxes"
    assert field.options == [Option("x", "Ex"), Option("y", "Why")]
    labelled = one({"type": "array", "items": {"anyOf": [{"const": 1, "title": "One"}, {"const": 2, "title": "Two"}]}})
    assert labelled.kind == "multi_enum" and labelled.options == [Option(1, "One"), Option(2, "Two")]


def test_array_of_objects_is_repeatable() -> None:
    schema = {
        "type": "object",
        "properties": {
            "members": {
                "type": "array",
                "items": {
                    "type": "object",
                    "title": "Member",
                    "properties": {"name": {"type": "string"}, "role": {"type": "string", "default": "dev"}},
                    "required": ["name"],
                },
            }
        },
    }
    model = FormModel(schema, {"members": [{"name": "a"}]})
    members = model.field(("members",))
    assert members is not None and members.kind == "array" and not members.is_leaf
    assert len(members.items) == 1 and members.items[0].title == "Item 1"
    assert [c.path for c in members.items[0].children] == [("members", 0, "name"), ("members", 0, "role")]
    assert members.item is not None and members.item.title == "Member" and members.item.children[0].required
    assert model.get(("members", 0)) == {"name": "a", "role": "dev"}
    path = model.add_item(("members",))
    assert path == ("members", 1)
    assert model.get(path) == {"role": "dev"}
    assert model.field(("members", 1, "name")) is not None


def test_additional_properties_is_key_value() -> None:
    schema = {
        "type": "object",
        "properties": {"labels": {"type": "object", "additionalProperties": {"type": "string"}}},
    }
    model = FormModel(schema, {"labels": {"team": "a"}})
    labels = model.field(("labels",))
    assert labels is not None and labels.kind == "key_value" and labels.widget == "key_value"
    assert [entry.path for entry in labels.items] == [("labels", "team")]
    assert labels.item is not None and labels.item.kind == "string"
    assert model.add_item(("labels",)) == ("labels", "newKey")
    assert model.add_item(("labels",)) == ("labels", "newKey-1")
    assert model.rename_key(("labels",), "newKey", "env") is True
    assert list(model.get(("labels",))) == ["team", "env", "newKey-1"]
    model.remove_item(("labels",), "newKey-1")
    assert model.get(("labels",)) == {"team": "a", "env": ""}
    assert model.payload() == {"labels": {"team": "a", "env": ""}}


def test_unknown_type_list_member_is_noted() -> None:
    field = one({"type": ["string", "number"]})
    assert field.kind == "string" and field.note == "Accepts string or number; edited as string"
