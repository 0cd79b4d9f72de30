"""get/set/delete, structure-change reporting, list bookkeeping and import hygiene."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest

from orch_tui.core.forms import MISSING, FormModel

from ._util import field_at

SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "name": {"type": "string"},
        "mode": {"type": "string", "enum": ["a", "b"]},
        "extra": {"type": "string", "ui:hidden": {"when": "mode", "is": "a"}},
        "tags": {"type": "array", "items": {"enum": ["x", "y"]}, "uniqueItems": True},
        "list": {"type": "array", "items": {"type": "string"}},
    },
}


def test_get_returns_missing_for_absent_paths() -> None:
    model = FormModel(SCHEMA, {"name": "n", "list": ["a"]})
    assert model.get(("name",)) == "n"
    assert model.get(("list", 0)) == "a"
    assert model.get(("list", 5)) is MISSING
    assert model.get(("nope", "deeper")) is MISSING
    assert model.get(()) is model.data


def test_leaf_set_does_not_change_structure() -> None:
    model = FormModel(SCHEMA)
    version = model.version
    root = model.root
    assert model.set(("name",), "typing") is False
    assert model.set(("tags",), ["x"]) is False
    assert model.set(("list", 0), "appended") is True  # a new list entry is structure
    assert model.set(("list", 0), "edited") is False
    assert model.version == version + 1
    assert model.root is not root
    assert model.get(("list",)) == ["edited"]


def test_watched_values_rebuild_and_report_only_real_changes() -> None:
    model = FormModel(SCHEMA)
    version = model.version
    assert model.set(("mode",), "b") is False  # extra stays visible
    assert model.version == version
    assert model.set(("mode",), "a") is True
    assert model.version == version + 1
    assert model.delete(("mode",)) is True
    assert model.delete(("mode",)) is False


def test_set_creates_missing_objects_and_copies_values() -> None:
    model = FormModel(
        {
            "type": "object",
            "properties": {
                "a": {
                    "type": "object",
                    "properties": {"b": {"type": "object", "properties": {"c": {"type": "string"}}}},
                }
            },
        },
        apply_defaults=False,
    )
    value = {"c": "x"}
    model.set(("a", "b"), value)
    value["c"] = "changed"
    assert model.data == {"a": {"b": {"c": "x"}}}
    model.set(("a", "b", "c"), "y")
    assert model.get(("a", "b", "c")) == "y"
    model.set(("a", "list"), [])
    with pytest.raises(IndexError):
        model.set(("a", "list", 3), "x")


def test_set_root_replaces_all_data() -> None:
    model = FormModel(SCHEMA, {"name": "a"})
    model.set((), {"name": "b", "mode": "a"})
    assert model.data == {"name": "b", "mode": "a"}
    assert field_at(model, ("extra",)).hidden


def test_explicit_branch_choices_follow_list_items() -> None:
    schema = {
        "type": "object",
        "properties": {
            "targets": {
                "type": "array",
                "items": {
                    "oneOf": [
                        {"title": "Host", "type": "object", "properties": {"host": {"type": "string"}}},
                        {"title": "Cluster", "type": "object", "properties": {"cluster": {"type": "string"}}},
                    ]
                },
            }
        },
    }
    model = FormModel(schema, {"targets": [{}, {}, {}]})
    model.select_branch(("targets", 2), 1)
    assert [field_at(model, ("targets", i)).selected_branch for i in range(3)] == [0, 0, 1]
    model.move_item(("targets",), 2, -2)
    assert [field_at(model, ("targets", i)).selected_branch for i in range(3)] == [1, 0, 0]
    model.remove_item(("targets",), 1)
    assert [field_at(model, ("targets", i)).selected_branch for i in range(2)] == [1, 0]
    model.remove_item(("targets",), 0)
    assert field_at(model, ("targets", 0)).selected_branch == 0


def test_list_operations_reject_non_lists() -> None:
    model = FormModel(SCHEMA)
    with pytest.raises(KeyError):
        model.add_item(("name",))
    with pytest.raises(KeyError):
        model.add_item(("tags",))
    with pytest.raises(IndexError):
        model.remove_item(("list",), 3)


def test_none_and_empty_schema_are_empty_forms() -> None:
    schemas: list[dict[str, Any] | None] = [None, {}]
    for schema in schemas:
        model = FormModel(schema)
        assert model.payload() == {}
        assert model.validate() == []
        assert model.review() == []
        assert model.describe() == {"multi_step": False, "steps": [{"key": "", "title": "", "fields": []}]}


def test_fields_walk_paths_and_pointers() -> None:
    model = FormModel(
        {
            "type": "object",
            "properties": {"a": {"$ref": "#/$defs/x"}},
            "$defs": {"x": {"type": "object", "properties": {"b": {"type": "string"}}}},
        }
    )
    assert [f.path for f in model.root.walk()] == [(), ("a",), ("a", "b")]
    b = model.field(("a", "b"))
    assert b is not None and b.pointer == "#/$defs/x/properties/b"
    assert field_at(model, ("a",)).pointer == "#/properties/a"


def test_import_does_not_load_textual_rich_or_jsonschema() -> None:
    code = (
        "import json, sys\n"
        "import orch_tui.core.forms as forms\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich', 'jsonschema'))\n"
        "forms.FormModel({'type': 'object', 'properties': {'a': {'type': 'string'}}})\n"
        "loaded += sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))\n"
        "print(json.dumps(loaded))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []


def test_list_edits_always_bump_the_version() -> None:
    model = FormModel(SCHEMA, {"list": ["a", "b", "c"]})
    version = model.version
    assert model.move_item(("list",), 0, 1) is True
    assert model.get(("list",)) == ["b", "a", "c"]
    assert model.version == version + 1
    assert model.delete(("list", 0)) is True
    assert model.get(("list",)) == ["a", "c"]
    assert model.version == version + 2
    model.add_item(("list",))
    assert model.get(("list",)) == ["a", "c", ""]
    assert model.version == version + 3


def test_set_replaces_intermediate_values_of_the_wrong_shape() -> None:
    schema = {"type": "object", "properties": {"o": {"type": "object", "properties": {"x": {"type": "string"}}}}}
    model = FormModel(schema, {"o": ["not", "an", "object"]})
    assert [(e.path, e.message) for e in model.validate()] == [(("o",), "Must be an object")]
    model.set(("o", "x"), "fine")
    assert model.data == {"o": {"x": "fine"}}
    assert model.validate() == []


def test_list_inside_a_scalar_choice_can_be_edited() -> None:
    schema = {
        "type": "object",
        "properties": {"v": {"oneOf": [{"type": "array", "items": {"type": "string"}}, {"type": "integer"}]}},
    }
    model = FormModel(schema, {"v": ["a"]})
    assert field_at(model, ("v",)).kind == "choice"
    assert model.add_item(("v",)) == ("v", 1)
    assert model.get(("v",)) == ["a", ""]
