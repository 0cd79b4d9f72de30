"""$ref resolution, merging (allOf, $ref siblings), nullable forms and schema errors."""

from __future__ import annotations

import pytest

from orch_tui.core.errors import OrchError
from orch_tui.core.forms import MISSING, FormModel, SchemaError

from ._util import field_at


def test_ref_to_defs_definitions_and_any_local_pointer() -> None:
    schema = {
        "type": "object",
        "properties": {
            "a": {"$ref": "#/$defs/name"},
            "b": {"$ref": "#/definitions/count"},
            "c": {"$ref": "#/properties/a"},
            "d": {"$ref": "#/$defs/group/properties/inner"},
        },
        "$defs": {
            "name": {"type": "string", "title": "Name", "minLength": 2},
            "group": {"type": "object", "properties": {"inner": {"type": "boolean", "title": "Inner"}}},
        },
        "definitions": {"count": {"type": "integer", "maximum": 5}},
    }
    model = FormModel(schema)
    a, b, c, d = (model.field((key,)) for key in "abcd")
    assert a is not None and a.kind == "string" and a.title == "Name" and a.constraints == {"minLength": 2}
    assert b is not None and b.kind == "integer" and b.constraints == {"maximum": 5}
    assert c is not None and c.kind == "string" and c.title == "Name"
    assert d is not None and d.kind == "boolean" and d.title == "Inner"


def test_ref_to_an_id_anchor() -> None:
    schema = {
        "properties": {"a": {"$ref": "#port"}},
        "definitions": {"port": {"$id": "#port", "type": "integer", "title": "Port", "maximum": 10}},
    }
    model = FormModel(schema, {"a": 11})
    assert field_at(model, ("a",)).title == "Port"
    assert [(e.path, e.message) for e in model.validate()] == [(("a",), "Must be ≤ 10")]


def test_ref_chain_and_escaped_pointer() -> None:
    schema = {
        "properties": {"x": {"$ref": "#/$defs/a~1b"}},
        "$defs": {"a/b": {"$ref": "#/$defs/final"}, "final": {"type": "number", "title": "Final"}},
    }
    field = FormModel(schema).field(("x",))
    assert field is not None and field.kind == "number" and field.title == "Final"


def test_ref_siblings_win_over_target() -> None:
    schema = {
        "type": "object",
        "properties": {
            "owner": {"$ref": "#/definitions/entityRef", "title": "Owner", "default": "group:default/a"},
        },
        "definitions": {
            "entityRef": {"type": "string", "title": "Entity", "description": "An entity", "pattern": "^[a-z]+:.+$"}
        },
    }
    model = FormModel(schema)
    owner = model.field(("owner",))
    assert owner is not None
    assert owner.title == "Owner"
    assert owner.description == "An entity"
    assert owner.constraints["pattern"] == "^[a-z]+:.+$"
    assert model.data == {"owner": "group:default/a"}


def test_ref_sibling_constraints_are_validated() -> None:
    schema = {
        "type": "object",
        "properties": {"name": {"$ref": "#/$defs/text", "minLength": 4}},
        "$defs": {"text": {"type": "string"}},
    }
    model = FormModel(schema, {"name": "abc"})
    assert [(e.path, e.message) for e in model.validate()] == [(("name",), "Must be at least 4 characters")]


def test_ref_cycle_is_a_schema_error_naming_the_pointer() -> None:
    schema = {
        "properties": {"x": {"$ref": "#/$defs/a"}},
        "$defs": {"a": {"$ref": "#/$defs/b"}, "b": {"$ref": "#/$defs/a"}},
    }
    with pytest.raises(SchemaError) as caught:
        FormModel(schema)
    assert "#/$defs/a" in str(caught.value)
    assert "Circular" in str(caught.value)


def test_self_ref_and_allof_cycle_are_schema_errors() -> None:
    with pytest.raises(SchemaError):
        FormModel({"$ref": "#"})
    with pytest.raises(SchemaError) as caught:
        FormModel({"properties": {"x": {"$ref": "#/$defs/a"}}, "$defs": {"a": {"allOf": [{"$ref": "#/$defs/a"}]}}})
    assert "#/$defs/a" in str(caught.value)


def test_unresolvable_ref_names_the_ref_and_location() -> None:
    with pytest.raises(SchemaError) as caught:
        FormModel({"properties": {"x": {"$ref": "#/$defs/missing"}}})
    message = str(caught.value)
    assert "#/$defs/missing" in message and "#/properties/x" in message
    assert caught.value.pointer == "#/properties/x"


def test_non_local_ref_is_a_schema_error() -> None:
    with pytest.raises(SchemaError) as caught:
        FormModel({"properties": {"x": {"$ref": "https://example.com/schemas/x.json"}}})
    assert "https://example.com/schemas/x.json" in str(caught.value)
    assert "Non-local" in str(caught.value)


def test_schema_error_is_an_orch_error_with_title() -> None:
    error = SchemaError("bad")
    assert isinstance(error, OrchError)
    assert error.title == "Invalid input schema"
    assert error.summary == "Invalid input schema: bad"


@pytest.mark.parametrize(
    "schema",
    [
        ["not", "an", "object"],
        {"properties": {"x": {"type": "strin"}}},
        {"properties": "nope"},
        {"properties": {"x": {"type": "string", "enum": "abc"}}},
        {"properties": {"x": 5}},
        {"type": "object", "required": "x", "properties": {"x": {"type": "string"}}},
    ],
)
def test_malformed_schemas_raise_schema_error(schema: object) -> None:
    with pytest.raises(SchemaError):
        FormModel(schema)  # type: ignore[arg-type]


def test_self_recursive_schema_builds_lazily() -> None:
    schema = {
        "type": "object",
        "properties": {"tree": {"$ref": "#/$defs/node"}},
        "$defs": {
            "node": {
                "type": "object",
                "title": "Node",
                "properties": {
                    "name": {"type": "string"},
                    "child": {"$ref": "#/$defs/node"},
                    "children": {"type": "array", "items": {"$ref": "#/$defs/node"}},
                },
            }
        },
    }
    model = FormModel(schema, {"tree": {"name": "a", "children": [{"name": "b", "children": [{"name": "c"}]}]}})
    child = model.field(("tree", "child"))
    assert child is not None and child.collapsed and child.children == []
    assert child.note is not None and "Recursive" in child.note
    deep = model.field(("tree", "children", 0, "children", 0, "name"))
    assert deep is not None and deep.kind == "string"
    assert model.set(("tree", "child"), {"name": "x"}) is True
    expanded = model.field(("tree", "child"))
    assert expanded is not None and not expanded.collapsed
    assert model.field(("tree", "child", "name")) is not None
    assert model.field(("tree", "child", "child")) is not None
    assert field_at(model, ("tree", "child", "child")).collapsed
    assert model.validate() == []
    assert model.payload()["tree"]["children"][0]["children"][0]["name"] == "c"


def test_recursion_stops_at_the_depth_limit_with_a_note() -> None:
    schema = {"$ref": "#/$defs/n", "$defs": {"n": {"type": "object", "properties": {"next": {"$ref": "#/$defs/n"}}}}}
    data: dict[str, object] = {}
    cursor = data
    for _ in range(80):
        nested: dict[str, object] = {}
        cursor["next"] = nested
        cursor = nested
    model = FormModel(schema, data)
    stopped = [f for f in model.root.walk() if f.collapsed]
    assert len(stopped) == 1
    assert stopped[0].note is not None and "levels deep" in stopped[0].note
    payload = model.payload()
    depth = 0
    while isinstance(payload, dict) and "next" in payload:
        payload = payload["next"]
        depth += 1
    assert depth == 80


def test_allof_merges_properties_required_and_stricter_constraints() -> None:
    schema = {
        "type": "object",
        "allOf": [
            {"properties": {"a": {"type": "string", "minLength": 2, "title": "First"}}, "required": ["a"]},
            {"properties": {"a": {"minLength": 5, "maxLength": 9}, "b": {"type": "integer", "maximum": 10}}},
            {"properties": {"b": {"maximum": 4, "title": "Bee"}}, "required": ["b"]},
        ],
    }
    model = FormModel(schema)
    a = model.field(("a",))
    b = model.field(("b",))
    assert a is not None and a.required and a.constraints == {"minLength": 5, "maxLength": 9}
    assert a.title == "First"
    assert b is not None and b.required and b.constraints == {"maximum": 4} and b.title == "Bee"


def test_allof_with_refs_and_own_keywords() -> None:
    schema = {
        "properties": {"service": {"title": "Service", "allOf": [{"$ref": "#/$defs/base"}, {"$ref": "#/$defs/extra"}]}},
        "$defs": {
            "base": {"type": "object", "title": "Base", "properties": {"name": {"type": "string"}}},
            "extra": {"properties": {"port": {"type": "integer"}}, "required": ["port"]},
        },
    }
    service = FormModel(schema).field(("service",))
    assert service is not None and service.kind == "object" and service.title == "Service"
    assert [c.key for c in service.children] == ["name", "port"]
    assert service.children[1].required


def test_type_array_with_null_is_nullable() -> None:
    model = FormModel({"properties": {"n": {"type": ["integer", "null"], "minimum": 1}}})
    field = model.field(("n",))
    assert field is not None and field.kind == "integer" and field.nullable
    model.set(("n",), None)
    assert model.validate() == []


def test_anyof_with_null_is_nullable_not_a_choice() -> None:
    schema = {
        "properties": {
            "when": {
                "title": "When",
                "anyOf": [{"type": "string", "format": "date"}, {"type": "null"}],
                "default": None,
            },
            "ref": {"anyOf": [{"$ref": "#/$defs/obj"}, {"type": "null"}]},
        },
        "$defs": {"obj": {"type": "object", "properties": {"x": {"type": "string"}}}},
    }
    model = FormModel(schema)
    when = model.field(("when",))
    assert when is not None and when.kind == "string" and when.nullable and when.widget == "date"
    assert when.title == "When"
    ref = model.field(("ref",))
    assert ref is not None and ref.kind == "object" and ref.nullable
    model.set(("when",), "not a date")
    assert [(e.path, e.message) for e in model.validate()] == [(("when",), "Not a valid date (YYYY-MM-DD)")]


def test_boolean_schemas_for_properties() -> None:
    model = FormModel({"properties": {"anything": True, "never": False, "x": {"type": "string"}}})
    assert [c.key for c in model.root.children] == ["anything", "x"]
    assert model.get(("never",)) is MISSING
