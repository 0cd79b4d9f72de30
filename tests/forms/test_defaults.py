"""Defaults as the web UI's form library fills them."""

from __future__ import annotations

from orch_tui.core.forms import FormModel


def test_root_and_nested_property_defaults() -> None:
    schema = {
        "type": "object",
        "properties": {
            "name": {"type": "string", "default": "svc"},
            "settings": {
                "type": "object",
                "properties": {"replicas": {"type": "integer", "default": 2}, "debug": {"type": "boolean"}},
            },
            "empty": {"type": "object", "properties": {"x": {"type": "string"}}},
            "needed": {"type": "object", "properties": {"x": {"type": "string"}}},
        },
        "required": ["needed"],
    }
    assert FormModel(schema).data == {"name": "svc", "settings": {"replicas": 2}, "needed": {}}


def test_object_default_merged_with_property_defaults() -> None:
    schema = {
        "type": "object",
        "properties": {
            "db": {
                "type": "object",
                "default": {"host": "db.local", "extra": "kept"},
                "properties": {
                    "host": {"type": "string", "default": "localhost"},
                    "port": {"type": "integer", "default": 5432},
                },
            }
        },
    }
    assert FormModel(schema).data == {"db": {"host": "localhost", "port": 5432, "extra": "kept"}}


def test_parent_object_default_reaches_properties_without_defaults() -> None:
    schema = {
        "type": "object",
        "default": {"greeting": {"text": "hello"}},
        "properties": {"greeting": {"type": "object", "properties": {"text": {"type": "string"}}}},
    }
    assert FormModel(schema).data == {"greeting": {"text": "hello"}}


def test_min_items_filled_with_item_defaults_or_empty_items() -> None:
    schema = {
        "type": "object",
        "properties": {
            "objects": {
                "type": "array",
                "minItems": 2,
                "items": {"type": "object", "properties": {"role": {"type": "string", "default": "dev"}}},
            },
            "strings": {"type": "array", "minItems": 1, "items": {"type": "string"}},
            "with_default": {"type": "array", "minItems": 2, "items": {"type": "integer", "default": 7}},
            "plain": {"type": "array", "items": {"type": "string"}},
            "multi": {"type": "array", "minItems": 1, "items": {"enum": ["a", "b"]}, "uniqueItems": True},
        },
    }
    assert FormModel(schema).data == {
        "objects": [{"role": "dev"}, {"role": "dev"}],
        "strings": [""],
        "with_default": [7, 7],
        "plain": [],
        "multi": [],
    }


def test_enum_default_and_array_default() -> None:
    schema = {
        "type": "object",
        "properties": {
            "tier": {"type": "string", "enum": ["dev", "prod"], "default": "dev"},
            "tags": {"type": "array", "items": {"type": "string"}, "default": ["a", "b"]},
        },
    }
    assert FormModel(schema).data == {"tier": "dev", "tags": ["a", "b"]}


def test_defaults_never_overwrite_present_data() -> None:
    schema = {
        "type": "object",
        "properties": {
            "name": {"type": "string", "default": "svc"},
            "flag": {"type": "boolean", "default": True},
            "settings": {"type": "object", "properties": {"a": {"type": "integer", "default": 1}, "b": {"default": 2}}},
            "items": {
                "type": "array",
                "minItems": 3,
                "items": {"type": "object", "properties": {"x": {"default": 0}, "y": {"type": "string"}}},
            },
        },
    }
    data = {"name": "", "flag": False, "settings": {"a": 5}, "items": [{"y": "one"}]}
    model = FormModel(schema, data)
    assert model.data == {"name": "", "flag": False, "settings": {"a": 5, "b": 2}, "items": [{"x": 0, "y": "one"}]}
    assert data == {"name": "", "flag": False, "settings": {"a": 5}, "items": [{"y": "one"}]}


def test_apply_defaults_false_keeps_data_as_given() -> None:
    schema = {"type": "object", "properties": {"name": {"type": "string", "default": "svc"}}}
    assert FormModel(schema, {}, apply_defaults=False).data == {}


def test_defaults_through_refs_allof_and_choice() -> None:
    schema = {
        "type": "object",
        "properties": {
            "a": {"$ref": "#/$defs/withDefault"},
            "b": {"allOf": [{"$ref": "#/$defs/withDefault"}, {"default": "override"}]},
            "c": {
                "oneOf": [
                    {"type": "object", "properties": {"kind": {"const": "x", "default": "x"}}},
                    {"type": "object", "properties": {"kind": {"const": "y", "default": "y"}}},
                ]
            },
        },
        "$defs": {"withDefault": {"type": "string", "default": "from-ref"}},
    }
    assert FormModel(schema).data == {"a": "from-ref", "b": "override", "c": {"kind": "x"}}
    assert FormModel(schema, {"c": {"kind": "y"}}).data["c"] == {"kind": "y"}


def test_recursive_defaults_terminate() -> None:
    schema = {
        "type": "object",
        "properties": {"node": {"$ref": "#/$defs/node"}},
        "required": ["node"],
        "$defs": {
            "node": {
                "type": "object",
                "properties": {"name": {"type": "string", "default": "n"}, "next": {"$ref": "#/$defs/node"}},
                "required": ["next"],
            }
        },
    }
    assert FormModel(schema).data == {"node": {"name": "n"}}
