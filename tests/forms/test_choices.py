"""oneOf/anyOf choices, if/then/else and dependencies, re-evaluated as the data changes."""

from __future__ import annotations

from typing import Any

import pytest

from orch_tui.core.forms import MISSING, FormModel, Option

from ._util import field_at

CHANNEL: dict[str, Any] = {
    "type": "object",
    "properties": {
        "channel": {
            "title": "Channel",
            "oneOf": [
                {
                    "title": "Slack",
                    "type": "object",
                    "properties": {
                        "kind": {"const": "slack", "default": "slack"},
                        "room": {"type": "string", "pattern": "^#"},
                        "shared": {"type": "string"},
                    },
                    "required": ["kind", "room"],
                },
                {
                    "title": "E-mail",
                    "type": "object",
                    "properties": {
                        "kind": {"const": "email", "default": "email"},
                        "to": {"type": "array", "items": {"type": "string", "format": "email"}, "minItems": 1},
                        "shared": {"type": "string"},
                    },
                    "required": ["kind", "to"],
                },
            ],
        }
    },
}


def test_choice_field_options_and_default_branch() -> None:
    model = FormModel(CHANNEL)
    channel = model.field(("channel",))
    assert channel is not None and channel.kind == "choice"
    assert channel.options == [Option(0, "Slack"), Option(1, "E-mail")]
    assert channel.selected_branch == 0
    assert [c.key for c in channel.children] == ["kind", "room", "shared"]
    assert model.get(("channel",)) == {"kind": "slack"}


def test_branch_matching_the_data_is_selected() -> None:
    model = FormModel(CHANNEL, {"channel": {"kind": "email", "to": ["a@example.com"]}})
    channel = model.field(("channel",))
    assert channel is not None and channel.selected_branch == 1
    assert [c.key for c in channel.children] == ["kind", "to", "shared"]


def test_branch_with_most_matching_properties_when_none_validates() -> None:
    model = FormModel(CHANNEL, {"channel": {"kind": "email"}})
    assert field_at(model, ("channel",)).selected_branch == 1


def test_select_branch_drops_old_only_data_and_fills_new_defaults() -> None:
    model = FormModel(CHANNEL, {"channel": {"kind": "slack", "room": "#ops", "shared": "kept"}})
    version = model.version
    assert model.select_branch(("channel",), 1) is True
    assert model.version > version
    assert model.get(("channel",)) == {"kind": "email", "shared": "kept", "to": [""]}
    channel = model.field(("channel",))
    assert channel is not None and channel.selected_branch == 1
    # the explicit choice survives edits inside the branch
    model.set(("channel", "to", 0), "x@example.com")
    assert field_at(model, ("channel",)).selected_branch == 1
    assert model.payload() == {"channel": {"kind": "email", "shared": "kept", "to": ["x@example.com"]}}


def test_payload_after_branch_switch_has_no_stale_keys() -> None:
    model = FormModel(CHANNEL, {"channel": {"kind": "email", "to": ["a@example.com"]}})
    model.select_branch(("channel",), 0)
    model.set(("channel", "room"), "#general")
    assert model.payload() == {"channel": {"kind": "slack", "room": "#general"}}
    assert model.validate() == []


def test_select_branch_errors() -> None:
    model = FormModel(CHANNEL)
    with pytest.raises(KeyError):
        model.select_branch(("nothing",), 0)
    with pytest.raises(IndexError):
        model.select_branch(("channel",), 5)


def test_discriminator_change_reselects_branch() -> None:
    model = FormModel(CHANNEL)
    assert model.set(("channel", "kind"), "email") is True
    assert field_at(model, ("channel",)).selected_branch == 1


def test_scalar_branches_and_option_labels() -> None:
    schema = {
        "properties": {
            "value": {"anyOf": [{"type": "string"}, {"type": "integer", "title": "Number"}]},
            "pick": {
                "oneOf": [
                    {"type": "object", "properties": {"mode": {"const": "a"}, "x": {"type": "string"}}},
                    {"type": "object", "properties": {"mode": {"const": "b"}, "y": {"type": "string"}}},
                    {"type": "object", "properties": {"z": {"type": "string"}}},
                ]
            },
        }
    }
    model = FormModel(schema, {"value": 5})
    value = model.field(("value",))
    assert value is not None and value.kind == "choice" and value.selected_branch == 1
    assert [o.label for o in value.options] == ["Option 1", "Number"]
    assert len(value.children) == 1 and value.children[0].path == ("value",) and value.children[0].kind == "integer"
    pick = model.field(("pick",))
    assert pick is not None and [o.label for o in pick.options] == ["a", "b", "Option 3"]
    model.select_branch(("value",), 0)
    assert model.get(("value",)) is MISSING
    model.set(("value",), "text")
    assert field_at(model, ("value",)).selected_branch == 0
    assert model.payload()["value"] == "text"


def test_choice_errors_come_from_the_selected_branch() -> None:
    model = FormModel(CHANNEL, {"channel": {"kind": "slack", "room": "no-hash"}})
    assert [(e.path, e.message) for e in model.validate()] == [(("channel", "room"), "Must match pattern ^#")]


IF_THEN: dict[str, Any] = {
    "type": "object",
    "properties": {
        "country": {"type": "string", "enum": ["US", "NL"], "default": "US"},
        "name": {"type": "string"},
    },
    "if": {"properties": {"country": {"const": "US"}}},
    "then": {"properties": {"zip": {"type": "string", "pattern": "^[0-9]{5}$", "title": "ZIP"}}, "required": ["zip"]},
    "else": {"properties": {"postcode": {"type": "string", "default": "1000 AA"}}},
}


def test_if_then_else_is_live() -> None:
    model = FormModel(IF_THEN)
    assert [c.key for c in model.root.children] == ["country", "name", "zip"]
    assert field_at(model, ("zip",)).required
    version = model.version
    assert model.set(("name",), "typing") is False
    assert model.version == version
    assert model.set(("country",), "NL") is True
    assert model.version == version + 1
    assert [c.key for c in model.root.children] == ["country", "name", "postcode"]
    # a field that appears gets its default
    assert model.get(("postcode",)) == "1000 AA"
    model.set(("zip",), "stale")
    assert "zip" not in model.payload()
    assert model.set(("country",), "US") is True
    assert model.field(("zip",)) is not None


def test_if_then_inside_nested_object_and_allof() -> None:
    schema = {
        "type": "object",
        "properties": {
            "db": {
                "type": "object",
                "properties": {"engine": {"enum": ["pg", "sqlite"]}},
                "allOf": [
                    {
                        "if": {"properties": {"engine": {"const": "pg"}}, "required": ["engine"]},
                        "then": {"properties": {"host": {"type": "string"}}, "required": ["host"]},
                    }
                ],
            }
        },
    }
    model = FormModel(schema)
    assert model.field(("db", "host")) is None
    assert model.set(("db", "engine"), "pg") is True
    assert model.field(("db", "host")) is not None
    assert [(e.path, e.message) for e in model.validate()] == [(("db", "host"), "Required")]


def test_property_dependencies_make_fields_required() -> None:
    schema = {
        "type": "object",
        "properties": {"card": {"type": "string"}, "address": {"type": "string"}},
        "dependencies": {"card": ["address"]},
    }
    model = FormModel(schema)
    assert not field_at(model, ("address",)).required
    assert model.set(("card",), "1234") is True
    assert field_at(model, ("address",)).required
    assert [(e.path, e.message) for e in model.validate()] == [(("address",), "Required")]
    model.set(("card",), "")
    assert not field_at(model, ("address",)).required


def test_schema_dependencies_add_properties() -> None:
    schema = {
        "type": "object",
        "properties": {"name": {"type": "string"}},
        "dependencies": {"name": {"properties": {"greeting": {"type": "string", "default": "hi"}}}},
    }
    model = FormModel(schema)
    assert model.field(("greeting",)) is None
    assert model.set(("name",), "Ann") is True
    assert model.field(("greeting",)) is not None
    assert model.get(("greeting",)) == "hi"
    assert model.delete(("name",)) is True
    assert model.field(("greeting",)) is None
    assert model.payload() == {}


def test_dependencies_with_oneof_pick_the_matching_branch() -> None:
    schema = {
        "type": "object",
        "properties": {"pet": {"type": "string", "enum": ["cat", "dog"]}},
        "dependencies": {
            "pet": {
                "oneOf": [
                    {"properties": {"pet": {"const": "cat"}, "lives": {"type": "integer"}}},
                    {"properties": {"pet": {"const": "dog"}, "breed": {"type": "string"}}, "required": ["breed"]},
                ]
            }
        },
    }
    model = FormModel(schema)
    assert [c.key for c in model.root.children] == ["pet"]
    model.set(("pet",), "dog")
    assert [c.key for c in model.root.children] == ["pet", "breed"]
    assert field_at(model, ("breed",)).required
    model.set(("pet",), "cat")
    assert [c.key for c in model.root.children] == ["pet", "lives"]


def test_choice_next_to_shared_properties() -> None:
    schema = {
        "type": "object",
        "properties": {
            "target": {
                "type": "object",
                "title": "Target",
                "properties": {"name": {"type": "string"}},
                "required": ["name"],
                "oneOf": [
                    {"title": "VM", "properties": {"cpus": {"type": "integer", "default": 2}}, "required": ["cpus"]},
                    {"title": "Container", "properties": {"image": {"type": "string"}}, "required": ["image"]},
                ],
            }
        },
    }
    model = FormModel(schema, {"target": {"name": "web"}})
    target = model.field(("target",))
    assert target is not None and target.kind == "choice" and target.title == "Target"
    assert [c.key for c in target.children] == ["name", "cpus"]
    assert target.children[0].required
    assert model.get(("target",)) == {"name": "web", "cpus": 2}
    model.select_branch(("target",), 1)
    assert model.get(("target",)) == {"name": "web"}
    assert [c.key for c in field_at(model, ("target",)).children] == ["name", "image"]
    assert [(e.path, e.message) for e in model.validate()] == [(("target", "image"), "Required")]
    model.set(("target", "image"), "nginx")
    assert model.validate() == []
    assert model.payload() == {"target": {"name": "web", "image": "nginx"}}
