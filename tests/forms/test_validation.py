"""Validation: messages, error paths, step filtering, empty strings."""

from __future__ import annotations

from typing import Any

import pytest

from orch_tui.core.forms import FieldError, FormModel


def errors(schema: dict[str, Any], data: Any, step: str | None = None) -> list[tuple[tuple[Any, ...], str]]:
    model = FormModel({"type": "object", "properties": {"f": schema}}, {"f": data}, apply_defaults=False)
    return [(e.path, e.message) for e in model.validate(step)]


@pytest.mark.parametrize(
    ("schema", "value", "message"),
    [
        ({"type": "string", "minLength": 3}, "ab", "Must be at least 3 characters"),
        ({"type": "string", "minLength": 1}, " ", None),
        ({"type": "string", "maxLength": 2}, "abc", "Must be at most 2 characters"),
        ({"type": "string", "pattern": "^[a-z]+$"}, "A1", "Must match pattern ^[a-z]+$"),
        ({"type": "string", "format": "email"}, "nobody", "Not a valid email address"),
        ({"type": "string", "format": "date"}, "2024-13-40", "Not a valid date (YYYY-MM-DD)"),
        (
            {"type": "string", "format": "date-time"},
            "2024-01-01 noon",
            "Not a valid date and time (YYYY-MM-DDTHH:MM:SSZ)",
        ),
        ({"type": "string", "format": "date-time"}, "2024-01-01T10:00:00Z", None),
        ({"type": "string", "format": "time"}, "25:00:00", "Not a valid time (HH:MM:SS)"),
        ({"type": "string", "format": "uri"}, "example.com/x", "Not a valid URL"),
        ({"type": "string", "format": "uri"}, "https://example.com/x", None),
        ({"type": "string", "format": "uuid"}, "1234", "Not a valid UUID"),
        ({"type": "string", "format": "uuid"}, "123e4567-e89b-12d3-a456-426614174000", None),
        ({"type": "string", "format": "ipv4"}, "300.1.1.1", "Not a valid IPv4 address"),
        ({"type": "string", "format": "ipv6"}, "::g", "Not a valid IPv6 address"),
        ({"type": "string", "format": "hostname"}, "-bad-.example", "Not a valid host name"),
        ({"type": "integer", "maximum": 10}, 11, "Must be ≤ 10"),
        ({"type": "integer", "minimum": 1}, 0, "Must be ≥ 1"),
        ({"type": "number", "exclusiveMinimum": 0.5}, 0.5, "Must be > 0.5"),
        ({"type": "number", "exclusiveMaximum": 2}, 2, "Must be < 2"),
        ({"type": "integer", "multipleOf": 5}, 7, "Must be a multiple of 5"),
        ({"type": "integer"}, 1.5, "Must be a whole number"),
        ({"type": "string"}, 3, "Must be text"),
        ({"enum": ["a", "b"], "enumNames": ["Alpha", "Beta"]}, "c", "Must be one of: Alpha, Beta"),
        (
            {"type": "string", "oneOf": [{"const": "a", "title": "Alpha"}, {"const": "b", "title": "Beta"}]},
            "c",
            "Must be one of: Alpha, Beta",
        ),
        ({"const": "x"}, "y", "Must be x"),
        ({"type": "array", "minItems": 2, "items": {"type": "string"}}, ["a"], "Must have at least 2 items"),
        ({"type": "array", "maxItems": 1, "items": {"type": "string"}}, ["a", "b"], "Must have at most 1 item"),
        ({"type": "array", "uniqueItems": True, "items": {"type": "string"}}, ["a", "a"], "Items must be unique"),
        (
            {"type": "object", "properties": {"a": {"type": "string"}}, "additionalProperties": False},
            {"b": 1},
            "Unexpected field: b",
        ),
    ],
)
def test_messages(schema: dict[str, Any], value: Any, message: str | None) -> None:
    found = errors(schema, value)
    if message is None:
        assert found == []
    else:
        assert found == [(("f",), message)]


def test_required_points_at_the_missing_field() -> None:
    schema = {
        "type": "object",
        "properties": {
            "outer": {
                "type": "object",
                "properties": {"inner": {"type": "string"}, "other": {"type": "string"}},
                "required": ["inner", "other"],
            },
            "name": {"type": "string"},
        },
        "required": ["outer"],
    }
    model = FormModel(schema, {"outer": {}})
    assert not model.multi_step
    assert [(e.path, e.message) for e in model.validate()] == [
        (("outer", "inner"), "Required"),
        (("outer", "other"), "Required"),
    ]
    model.set(("outer",), None)
    assert [(e.path, e.message) for e in model.validate()] == [(("outer",), "Must be an object")]
    model.delete(("outer",))
    assert [(e.path, e.message) for e in model.validate()] == [(("outer",), "Required")]


def test_errors_inside_arrays_point_at_items() -> None:
    schema = {
        "type": "object",
        "properties": {
            "members": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {"email": {"type": "string", "format": "email"}},
                    "required": ["email"],
                },
            },
            "tags": {"type": "array", "items": {"enum": ["a", "b"]}},
        },
    }
    model = FormModel(schema, {"members": [{"email": "ok@example.com"}, {}, {"email": "bad"}], "tags": ["a", "z"]})
    assert [(e.path, e.message) for e in model.validate()] == [
        (("members", 1, "email"), "Required"),
        (("members", 2, "email"), "Not a valid email address"),
        (("tags", 1), "Must be one of: a, b"),
    ]


def test_empty_strings_count_as_absent() -> None:
    schema = {
        "type": "object",
        "properties": {
            "required_name": {"type": "string", "minLength": 3},
            "optional": {"type": "string", "pattern": "^x"},
            "email": {"type": "string", "format": "email"},
        },
        "required": ["required_name"],
    }
    model = FormModel(schema, {"required_name": "", "optional": "", "email": ""})
    assert [(e.path, e.message) for e in model.validate()] == [(("required_name",), "Required")]
    assert model.payload() == {}
    assert model.data == {"required_name": "", "optional": "", "email": ""}


def test_empty_string_allowed_by_enum_is_kept() -> None:
    schema = {"type": "object", "properties": {"choice": {"enum": ["", "a"]}}}
    model = FormModel(schema, {"choice": ""})
    assert model.validate() == []
    assert model.payload() == {"choice": ""}


def test_step_limited_validation_and_root_errors() -> None:
    schema = {
        "type": "object",
        "properties": {
            "one": {"type": "object", "properties": {"a": {"type": "string"}}, "required": ["a"]},
            "two": {"type": "object", "properties": {"b": {"type": "integer", "maximum": 1}}},
        },
        "required": ["one", "two"],
        "minProperties": 3,
    }
    model = FormModel(schema, {"one": {}, "two": {"b": 5}})
    assert model.multi_step
    everything = model.validate()
    assert everything == [
        FieldError((), "Must have at least 3 entries", None),
        FieldError(("one", "a"), "Required", "one"),
        FieldError(("two", "b"), "Must be ≤ 1", "two"),
    ]
    assert model.validate(step="one") == [FieldError(("one", "a"), "Required", "one")]
    assert model.validate(step="two") == [FieldError(("two", "b"), "Must be ≤ 1", "two")]


def test_single_step_errors_belong_to_step_empty_key() -> None:
    model = FormModel({"type": "object", "properties": {"a": {"type": "string"}}, "required": ["a"]})
    assert model.validate(step="") == [FieldError(("a",), "Required", "")]


def test_dependency_errors_point_at_the_dependent_field() -> None:
    schema = {
        "type": "object",
        "properties": {"a": {"type": "string"}, "b": {"type": "string"}},
        "dependencies": {"a": ["b"]},
    }
    model = FormModel(schema, {"a": "x"})
    assert [(e.path, e.message) for e in model.validate()] == [(("b",), "Required")]


def test_nullable_anyof_errors_come_from_the_value_branch() -> None:
    schema = {"type": "object", "properties": {"n": {"anyOf": [{"type": "string", "minLength": 4}, {"type": "null"}]}}}
    model = FormModel(schema, {"n": "ab"})
    assert [(e.path, e.message) for e in model.validate()] == [(("n",), "Must be at least 4 characters")]
    model.set(("n",), None)
    assert model.validate() == []


def test_validation_uses_refs_in_defs() -> None:
    schema = {
        "type": "object",
        "properties": {"owner": {"$ref": "#/definitions/entity"}},
        "definitions": {"entity": {"type": "string", "pattern": "^[a-z]+:[a-z]+/[a-z]+$"}},
    }
    model = FormModel(schema, {"owner": "nope"})
    assert [(e.path, e.message) for e in model.validate()] == [
        (("owner",), "Must match pattern ^[a-z]+:[a-z]+/[a-z]+$")
    ]


def test_pattern_python_cannot_compile_is_noted_not_fatal() -> None:
    schema = {"type": "object", "properties": {"name": {"type": "string", "pattern": "^\\p{L}+$"}}}
    model = FormModel(schema, {"name": "abc"})
    field = model.field(("name",))
    assert field is not None and field.note is not None and "cannot be checked" in field.note
    assert model.validate() == []


def test_visible_steps_without_data_are_checked_as_empty_objects() -> None:
    schema = {
        "type": "object",
        "properties": {
            "mode": {"type": "object", "properties": {"strict": {"type": "boolean", "default": False}}},
            "extra": {
                "type": "object",
                "ui:hidden": {"when": "mode.strict", "is": False},
                "properties": {"reason": {"type": "string"}},
                "required": ["reason"],
            },
        },
    }
    model = FormModel(schema)
    assert model.validate() == []
    model.set(("mode", "strict"), True)
    assert model.validate() == [FieldError(("extra", "reason"), "Required", "extra")]
    assert model.payload() == {"mode": {"strict": True}}
